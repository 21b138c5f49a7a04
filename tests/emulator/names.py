"""Name rules of galleries, definitions, versions and definition identifiers."""

import re

from .errors import ArmError, invalid_parameter

GALLERY_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.]{0,78}[A-Za-z0-9])?$")
# The pattern the service quotes for image definition names.
DEFINITION_RULE = r"^[^_\W][\w-._]{0,79}(?<![-.])$"
DEFINITION_NAME = re.compile(r"^[^_\W][\w\-._]{0,79}(?<![-.])$")
VERSION_NAME = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
IDENTIFIER_VALUE = re.compile(r"^[A-Za-z0-9_.\-]+$")
IDENTIFIER_LIMITS = {"publisher": 128, "offer": 64, "sku": 64}
INT32_MAX = 2147483647


def trailing_characters(full_name, char):
    return ArmError(400, "InvalidResourceName",  # guessed code (ARM front door)
                    f"The provided resource name '{full_name}' has these invalid trailing "
                    f"characters: '{char}'. The name can not end with characters: '{char}'")


def check_gallery_name(name):
    if name and name[-1] in "._":
        raise trailing_characters(name, name[-1])
    if not GALLERY_NAME.match(name or ""):
        raise invalid_parameter(  # guessed code
            "Gallery name is invalid. Allowed characters are English alphanumeric characters, "
            "with underscores, and periods allowed in the middle, up to 80 characters total. "
            "All other special characters, including dashes, are disallowed.", "galleryName")


def check_definition_name(gallery, name):
    # The article: a definition name ending in a period or underscore gets the trailing-characters
    # error (the quoted pattern below would let a trailing '_' through).
    if name and name[-1] in "._":
        raise trailing_characters(f"{gallery}/{name}", name[-1])
    if not DEFINITION_NAME.match(name or ""):
        raise invalid_parameter(  # guessed code
            f"The entity name '{name}' is invalid according to its validation rule: "
            f"{DEFINITION_RULE}.", "galleryImageName")


def check_version_name(name):
    match = VERSION_NAME.match(name or "")
    if not match or any(int(part) > INT32_MAX for part in match.groups()):
        raise invalid_parameter(
            "The image version name is invalid. The image version name should follow "
            "Major(int).Minor(int).Patch(int) format, for e.g: 1.0.0, 2018.12.1 etc",
            "galleryImageVersionName")


def check_identifier(identifier):
    for prop, limit in IDENTIFIER_LIMITS.items():
        value = (identifier or {}).get(prop) or ""
        if not value or len(value) > limit or value.endswith(".") or \
                not IDENTIFIER_VALUE.match(value):
            path = f"galleryImage.properties.identifier.{prop}"
            raise invalid_parameter(
                f"Asset name {path} is not valid. It cannot be empty. Allowed characters are "
                f"uppercase or lowercase letters, digits, hyphen(-), period (.), underscore (_). "
                f"Names are not allowed to end with period(.). The length of the name cannot "
                f"exceed {limit} characters.", path)

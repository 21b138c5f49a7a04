"""Checks shared by several sections: names, dates, regions offered for galleries."""

import datetime
import re

from azext_sig_doctor.checks import ids

GALLERY_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.]{0,78}[A-Za-z0-9])?$")
DEFINITION_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.\-]{0,78}[A-Za-z0-9])?$")
IDENTIFIER_CHARS = re.compile(r"^[A-Za-z0-9._\-]+$")
VERSION_NAME = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
INT32_MAX = 2147483647


def trailing_characters(name, separators="._"):
    """The run of ``separators`` a name ends with (the service's "invalid trailing characters"), or ''.

    Only separators count: a name ending in any other character (say 'é') is simply invalid.
    """
    match = re.search("[{}]+$".format(re.escape(separators)), name or "")
    return match.group(0) if match else ""


def parse_date(text):
    """The date az would send for ``text``, or None when az refuses it.

    Like az 2.91: a text without a time gets T12:59:59Z appended, then the CLI's argument layer
    (AAZDateTimeArg) reads it with dateutil, so 2030/12/31 or 31.12.2030 are fine and 2030-13-01
    or 2030-W52-1 are not.
    """
    if not text:
        return None
    import dateutil.parser
    value = text if "t" in text.lower() else text + "T12:59:59Z"
    try:
        parsed = dateutil.parser.parse(value)
    except (ValueError, OverflowError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def gallery_regions(provider):
    """Regions the Microsoft.Compute provider offers galleries in (as region keys), or None."""
    for resource_type in (provider or {}).get("resourceTypes") or []:
        if (resource_type.get("resourceType") or "").lower() == "galleries":
            return {ids.region_key(location) for location in resource_type.get("locations") or []}
    return None

"""Service-side rules for PUT/PATCH/DELETE of an image definition."""

import copy

from . import names
from .common import (cannot_delete_nested, check_end_of_life, check_gallery_location,
                     check_same_location, feature_map, property_change, require_parents)
from .errors import ArmError, invalid_parameter

IMMUTABLE = ["osType", "osState", "hyperVGeneration", "architecture", "identifier.publisher",
             "identifier.offer", "identifier.sku"]
SECURITY_TYPES = {"standard", "trustedlaunch", "trustedlaunchsupported", "confidentialvm",
                  "confidentialvmsupported", "trustedlaunchandconfidentialvmsupported"}
DEFAULTS = {"hyperVGeneration": "V1", "architecture": "x64"}
# Left out of an update, these keep their stored value (a PUT from `az sig image-definition
# update` always carries them; a hand-written one may not). An omitted `features` therefore means
# "unchanged", while a sent list, even an empty one, is compared with the stored one.
KEPT_WHEN_OMITTED = ("hyperVGeneration", "architecture", "features")


def _get(properties, dotted):
    value = properties
    for part in dotted.split("."):
        value = (value or {}).get(part)
    return value if value is not None else DEFAULTS.get(dotted)


def check_put(ctx, rid, body, existing):
    require_parents(ctx.state, rid)
    names.check_definition_name(rid.names[0], rid.name)
    location = body.get("location") or ""
    check_gallery_location(ctx.state, location)
    check_same_location(rid, existing, location)
    properties = body.get("properties") or {}
    if existing is not None:
        _keep_omitted(existing.resource.get("properties") or {}, properties)
        body["properties"] = properties
    names.check_identifier(properties.get("identifier"))
    for required in ("osType", "osState"):
        if not properties.get(required):
            raise invalid_parameter(f"Required parameter '{required}' is missing (null).",
                                    f"galleryImage.properties.{required}")
    check_end_of_life(properties.get("endOfLifeDate"), "properties.endOfLifeDate",
                      "galleryImage.properties.endOfLifeDate")
    _check_recommended(properties.get("recommended") or {})
    _check_features(properties)
    if existing is not None:
        _check_immutable(existing.resource.get("properties") or {}, properties,
                         features_may_change=bool(properties.get("allowUpdateImage")))
    else:
        _check_identifier_unique(ctx.state, rid, properties["identifier"])
    return {}


def _check_recommended(recommended):
    for prop in ("vCPUs", "memory"):
        limits = recommended.get(prop) or {}
        low, high = limits.get("min"), limits.get("max")
        if low is not None and high is not None and int(low) > int(high):
            raise invalid_parameter(  # guessed code
                f"The minimum value of {prop} must not be greater than the maximum value of "
                f"{prop}.", f"galleryImage.properties.recommended.{prop}")


def _keep_omitted(old, new):
    for prop in KEPT_WHEN_OMITTED:
        if new.get(prop) is None and old.get(prop) is not None:
            new[prop] = copy.deepcopy(old[prop])


def invalid_security_type(value):
    # The service's text, verbatim (newer failure mode #13, KB definition.feature-value-invalid).
    return invalid_parameter(
        f"The value '{value}' for feature 'SecurityType' is invalid. Allowed characters are "
        f"English alphanumerical characters with spaces and commas. The length of the value "
        f"cannot exceed 100 characters.", "galleryImage.properties.features")


def _check_features(properties):
    value = str(feature_map(properties).get("securitytype") or "")
    if not value or value.lower() == "standard":
        return
    if value.lower() not in SECURITY_TYPES:
        raise invalid_security_type(value)
    # Trusted Launch and Confidential VM need Gen2 (newer failure modes #3, #13).
    if str(_get(properties, "hyperVGeneration")).upper() == "V1":
        raise invalid_security_type(value)  # guessed: #13's code and message, for Gen1 too


def _check_immutable(old, new, features_may_change=False):
    for dotted in IMMUTABLE:
        if new.get(dotted.split(".")[0]) is None and dotted in DEFAULTS:
            continue   # an omitted optional property keeps its value
        before, after = _get(old, dotted), _get(new, dotted)
        if str(before or "").lower() != str(after or "").lower():
            raise property_change(f"galleryImage.properties.{dotted}")
    # Recorded (test_gallery_image_definition_update_features): with allowUpdateImage the
    # service takes changed and added features (200, Updating). Removing one is guessed alike.
    if not features_may_change:
        _check_features_unchanged(old, new)


def _features_by_name(properties):
    """lower-case name -> (name as sent, lower-case value)."""
    return {str(f.get("name", "")).lower(): (f.get("name", ""), str(f.get("value", "")).lower())
            for f in properties.get("features") or []}


def _check_features_unchanged(old, new):
    """Newer failure mode #15: adding, removing or changing the value of any feature of an
    existing definition is refused, naming that feature (stored spelling first)."""
    before, after = _features_by_name(old), _features_by_name(new)
    for key in list(before) + [k for k in after if k not in before]:
        old_feature, new_feature = before.get(key), after.get(key)
        if old_feature is None or new_feature is None or old_feature[1] != new_feature[1]:
            raise property_change((old_feature or new_feature)[0],
                                  "galleryImage.properties.features")


def _check_identifier_unique(state, rid, identifier):
    wanted = tuple(str(identifier.get(k, "")).lower() for k in ("publisher", "offer", "sku"))
    for record in state.children(rid.parent(), "images"):
        other = record.resource.get("properties", {}).get("identifier") or {}
        if tuple(str(other.get(k, "")).lower() for k in ("publisher", "offer", "sku")) == wanted:
            raise ArmError(409, "OperationNotAllowed",
                           f"Gallery image: {rid.name} identified by (publisher:"
                           f"{identifier['publisher']}, offer:{identifier['offer']}, sku:"
                           f"{identifier['sku']}) already exists. Choose a different publisher, "
                           f"offer, sku combination.")


def complete(ctx, rid, resource, existing):
    """What the service stores of a definition (recorded: test_gallery_image_definition_update_
    features, test_gallery_e2e): architecture defaults to x64; allowUpdateImage (a request flag)
    and an empty `disallowed` are not kept."""
    properties = resource["properties"]
    properties.setdefault("architecture", "x64")
    properties.pop("allowUpdateImage", None)
    if properties.get("disallowed") == {}:
        del properties["disallowed"]


def check_delete(ctx, rid, record):
    if ctx.state.children(rid, "versions"):
        raise cannot_delete_nested()

"""Service-side rules for PUT/PATCH/DELETE of an image definition."""

from . import names
from .common import (cannot_delete_nested, check_end_of_life, check_gallery_location,
                     check_same_location, feature_map, property_change, require_parents)
from .errors import ArmError, invalid_parameter

IMMUTABLE = ["osType", "osState", "hyperVGeneration", "architecture", "identifier.publisher",
             "identifier.offer", "identifier.sku"]
SECURITY_TYPES = {"standard", "trustedlaunch", "trustedlaunchsupported", "confidentialvm",
                  "confidentialvmsupported", "trustedlaunchandconfidentialvmsupported"}
DEFAULTS = {"hyperVGeneration": "V1", "architecture": "x64"}


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
        _check_immutable(existing.resource.get("properties") or {}, properties)
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


def _check_features(properties):
    value = feature_map(properties).get("securitytype")
    if value and value.lower() not in SECURITY_TYPES:
        raise invalid_parameter(f"The value '{value}' for feature 'SecurityType' is invalid.",
                                "galleryImage.properties.features")


def _check_immutable(old, new):
    for dotted in IMMUTABLE:
        if new.get(dotted.split(".")[0]) is None and dotted in DEFAULTS:
            continue   # an omitted optional property keeps its value
        before, after = _get(old, dotted), _get(new, dotted)
        if str(before or "").lower() != str(after or "").lower():
            raise property_change(f"galleryImage.properties.{dotted}")
    old_features, new_features = feature_map(old), feature_map(new)
    for name, value in old_features.items():
        if name in new_features and new_features[name].lower() != value.lower():
            original = next(f["name"] for f in old.get("features") if f["name"].lower() == name)
            raise property_change(original, "galleryImage.properties.features")


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


def check_delete(ctx, rid, record):
    if ctx.state.children(rid, "versions"):
        raise cannot_delete_nested()

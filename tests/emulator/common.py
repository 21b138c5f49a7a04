"""Checks shared by several resource types: parents, locations, dates."""

from datetime import datetime, timezone

from .errors import ArmError, invalid_parameter
from .store import region_key


def parent_not_found(parent_name):
    return ArmError(404, "ParentResourceNotFound",
                    f"Can not perform requested operation on nested resource. Parent resource "
                    f"'{parent_name}' not found.")


def require_parents(state, rid):
    """Each ancestor must exist; the message names the missing one as `a/b`."""
    parent = rid.parent()
    if parent is not None and state.get(parent) is None:
        raise parent_not_found("/".join(parent.names))


def check_gallery_location(state, location):
    short = state.location_name(location)
    if short is None or short not in state.gallery_locations:
        available = ",".join(state.gallery_locations)
        raise ArmError(400, "LocationNotAvailableForResourceType",
                       f"The provided location '{location}' is not available for resource type "
                       f"'Microsoft.Compute/galleries'. List of available regions for the "
                       f"resource type is '{available}'.")
    return short


def check_same_location(rid, existing, location):
    """A resource cannot move: the same name in another region is refused."""
    if existing is None:
        return
    old = existing.resource.get("location", "")
    if region_key(old) != region_key(location):
        name = "/".join(rid.names)
        raise ArmError(409, "InvalidResourceLocation",
                       f"The resource '{name}' already exists in location '{old}' in resource "
                       f"group '{rid.resource_group}'. A resource with the same name cannot be "
                       f"created in location '{location}'. Please select a new resource name.")


def parse_date(value, path):
    """Parse an ISO 8601 date the way the service's JSON reader would."""
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise ArmError(400, "InvalidRequestContent",  # guessed code
                       f"Could not convert string to DateTimeOffset: {text}. Path '{path}'") \
            from error
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


def check_end_of_life(value, path, target):
    if not value:
        return
    if parse_date(value, path) <= datetime.now(timezone.utc):
        raise invalid_parameter("EndOfLifeDate must be set to a future date.", target)


def cannot_delete_nested():
    return ArmError(409, "CannotDeleteResource",
                    "Can not delete resource before nested resources are deleted.")


def property_change(path, target=None):
    return ArmError(409, "PropertyChangeNotAllowed", f"Changing property '{path}' is not allowed.",
                    target or path)


def feature_map(definition_properties):
    return {f.get("name", "").lower(): f.get("value", "")
            for f in definition_properties.get("features") or []}


def security_type(definition_properties):
    return feature_map(definition_properties).get("securitytype") or "Standard"

"""Resource ids and region names: parse, build and compare them the way the service does."""

import re

_ID_PATTERN = re.compile(r"^/subscriptions/(?P<subscription>[^/]+)/resourceGroups/(?P<resource_group>[^/]+)"
                         r"/providers/(?P<namespace>[^/]+)/(?P<rest>.+?)/?$", re.IGNORECASE)

# Resource types a version source may be, by the last type segment of the id (lower case).
SOURCE_KINDS = {
    "virtualmachines": "vm",
    "images": "managed-image",
    "versions": "gallery-version",
    "snapshots": "snapshot",
    "disks": "disk",
}


def parse(resource_id):
    """The parts of a fully qualified ARM id, or None when ``resource_id`` is not one.

    Returns ``{subscription, resource_group, namespace, types: [...], names: [...], type, name}``
    where ``type`` is the innermost type (``versions`` for a gallery image version).
    """
    match = _ID_PATTERN.match(resource_id or "")
    if not match:
        return None
    segments = match.group("rest").split("/")
    if len(segments) % 2:
        return None
    types, names = segments[0::2], segments[1::2]
    if not all(names):
        return None
    return {
        "subscription": match.group("subscription"),
        "resource_group": match.group("resource_group"),
        "namespace": match.group("namespace"),
        "types": types,
        "names": names,
        "type": types[-1],
        "name": names[-1],
    }


def is_fully_qualified(resource_id):
    return parse(resource_id) is not None


def kind_of(resource_id):
    """vm, managed-image, gallery-version, snapshot, disk, or None for anything else."""
    parts = parse(resource_id)
    if not parts or parts["namespace"].lower() != "microsoft.compute":
        return None
    kind = SOURCE_KINDS.get(parts["type"].lower())
    if kind == "gallery-version" and [t.lower() for t in parts["types"]] != ["galleries", "images", "versions"]:
        return None
    return kind


def compute_id(subscription, resource_group, *type_name_pairs):
    path = "/".join("{}/{}".format(kind, name) for kind, name in type_name_pairs)
    return "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Compute/{}".format(
        subscription, resource_group, path)


def qualify(name_or_id, subscription, resource_group, resource_type, namespace="Microsoft.Compute"):
    """A name becomes an id in the given resource group, as the az CLI does; ids pass unchanged.

    Text that starts with a slash is kept as typed so that a malformed id is reported as such.
    """
    if not name_or_id or name_or_id.startswith("/"):
        return name_or_id
    return "/subscriptions/{}/resourceGroups/{}/providers/{}/{}/{}".format(
        subscription, resource_group, namespace, resource_type, name_or_id)


def region_key(region):
    """The service compares regions case- and space-insensitively ("East US 2" == "eastus2")."""
    return re.sub(r"\s+", "", region or "").lower()


def same_region(region1, region2):
    return region_key(region1) == region_key(region2)


def same_id(id1, id2):
    return (id1 or "").rstrip("/").lower() == (id2 or "").rstrip("/").lower()

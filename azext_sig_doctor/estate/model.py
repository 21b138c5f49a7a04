"""The estate as `latest` and `scan` see it: definitions, versions with their target regions and
per-region replication, and the VMs and scale sets that use them.

One parser per kind, for every source: a Resource Graph row (the columns the scan projects, with
the resource's property names) or the ARM JSON of a GET or list (``{id, name, properties}``). Only
what the rules need is kept, in small slotted objects, so that 50,000 versions stay cheap.
"""

import sys
from datetime import datetime, timezone

from azext_sig_doctor.domain import ids, regions

# Region names, storage types and states repeat across tens of thousands of versions: one copy each.
_intern = sys.intern

SUCCEEDED = "Succeeded"
COMPLETED, REPLICATING, FAILED, NOT_STARTED = "Completed", "Replicating", "Failed", "Unknown"
# Security types a Trusted Launch VM can be made from (the definition's SecurityType feature).
TRUSTED_LAUNCH_CAPABLE = {"trustedlaunch", "trustedlaunchsupported", "trustedlaunchandconfidentialvmsupported"}


def _properties(row):
    properties = row.get("properties")
    return properties if isinstance(properties, dict) else row


def parse_date(value):
    """An ISO 8601 date as the service writes it (``Z``, 7-digit fractions, date only) -> aware
    datetime in UTC; None for anything else."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    if "." in text:
        head, _, tail = text.partition(".")
        digits = len(tail) - len(tail.lstrip("0123456789"))
        text = head + "." + tail[:min(digits, 6)] + tail[digits:]
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def version_key(name):
    """``1.10.2`` -> (1, 10, 2); None when the name is not three whole numbers."""
    parts = (name or "").split(".")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None
    return tuple(int(part) for part in parts)


class Replica:
    """One target region of a version as published (``publishingProfile.targetRegions[]``)."""

    __slots__ = ("region", "name", "replica_count", "storage_type", "excluded")

    def __init__(self, region, name, replica_count, storage_type, excluded):
        self.region = _intern(region)
        self.name = _intern(name)
        self.replica_count = replica_count
        self.storage_type = _intern(storage_type)
        self.excluded = excluded


class RegionState:
    """Where one region's copy stands (``replicationStatus.summary[]``)."""

    __slots__ = ("state", "progress", "details")

    def __init__(self, state, progress=0, details=None):
        self.state = state
        self.progress = progress
        self.details = details


class _Resource:
    """A resource known by its id; the parsed id (``rid``) is made when asked for, not kept: an
    estate holds tens of thousands of them."""

    __slots__ = ()

    @property
    def rid(self):
        return ids.parse(self.id)

    @property
    def name(self):
        return self.id.rsplit("/", 1)[1]


class Version(_Resource):
    """An image version. ``replication`` maps region keys to ``RegionState`` once read with
    ``$expand=ReplicationStatus``; it stays None when not read (then ``replication_error`` may say
    why the read failed)."""

    __slots__ = ("id", "key", "definition_key", "location", "provisioning_state", "published",
                 "end_of_life", "excluded", "block_deletion", "replica_count", "storage_type", "targets",
                 "replication", "replication_error")

    def __init__(self, rid, properties, location=None):
        profile = properties.get("publishingProfile") or {}
        safety = properties.get("safetyProfile") or {}
        self.id = str(rid)
        self.key = version_key(rid.name)
        self.definition_key = str(rid.parent).lower()
        self.location = _intern(regions.key(location))
        self.provisioning_state = _intern(properties.get("provisioningState") or SUCCEEDED)
        self.published = parse_date(profile.get("publishedDate"))
        self.end_of_life = parse_date(profile.get("endOfLifeDate"))
        self.excluded = profile.get("excludeFromLatest") is True
        self.block_deletion = safety.get("blockDeletionBeforeEndOfLife") is True
        self.replica_count = profile.get("replicaCount") or 1
        self.storage_type = profile.get("storageAccountType") or "Standard_LRS"
        targets = []
        for target in profile.get("targetRegions") or []:
            name = target.get("name") or ""
            targets.append(Replica(regions.key(name), name,
                                   target.get("regionalReplicaCount") or self.replica_count,
                                   target.get("storageAccountType") or self.storage_type,
                                   target.get("excludeFromLatest") is True))
        if not targets and location:
            # The service makes the version's own region its only target when none is given.
            targets.append(Replica(regions.key(location), location, self.replica_count, self.storage_type, False))
        self.targets = tuple(targets)
        self.replication = None
        self.replication_error = None
        summary = (properties.get("replicationStatus") or {}).get("summary")
        if summary is not None:
            self.set_replication(summary)

    def set_replication(self, summary):
        self.replication = {regions.key(item.get("region")): RegionState(
            item.get("state") or NOT_STARTED, item.get("progress") or 0, item.get("details") or None)
            for item in summary or []}

    def target(self, region):
        """The ``Replica`` of region key ``region``, or None when it is not a target region."""
        for replica in self.targets:
            if replica.region == region:
                return replica
        return None

    def region_state(self, region):
        """The replication state in ``region`` (a target region): from the expanded status when read;
        else inferred from a Succeeded provisioning state (the service reports Succeeded only once
        every target region completed); None when unknown."""
        if self.replication is not None:
            return self.replication.get(region) or RegionState(NOT_STARTED)
        if self.provisioning_state == SUCCEEDED:
            return RegionState(COMPLETED, 100)
        return None

    def __repr__(self):
        return "Version({})".format(self.id)


class Definition(_Resource):
    __slots__ = ("id", "key", "hyperv_generation", "security_type", "architecture", "os_type", "versions")

    def __init__(self, rid, properties):
        self.id = str(rid)
        self.key = self.id.lower()
        self.hyperv_generation = properties.get("hyperVGeneration") or "V1"
        features = {str(f.get("name", "")).lower(): f.get("value") for f in properties.get("features") or []
                    if isinstance(f, dict)}
        self.security_type = features.get("securitytype") or "Standard"
        self.architecture = properties.get("architecture") or "x64"
        self.os_type = properties.get("osType")
        self.versions = []

    @property
    def trusted_launch_capable(self):
        return self.hyperv_generation.upper() == "V2" and self.security_type.lower() in TRUSTED_LAUNCH_CAPABLE

    def __repr__(self):
        return "Definition({})".format(self.id)


class Gallery(_Resource):
    __slots__ = ("id", "key")

    def __init__(self, rid):
        self.id = str(rid)
        self.key = self.id.lower()


class User(_Resource):
    """A VM or scale set made from a gallery image: ``latest`` when it names the definition (or
    version ``latest``), ``image_key`` the lower-case id of that definition or version;
    ``capacity`` the scale set's instance count (1 for a VM)."""

    __slots__ = ("id", "kind", "region", "latest", "image_key", "capacity")

    def __init__(self, rid, kind, region, image, capacity):
        self.id = str(rid)
        self.kind = kind
        self.region = _intern(regions.key(region))
        self.latest = image.is_latest
        self.image_key = (image.definition_id if image.is_latest else image.version_id).lower()
        self.capacity = capacity

    @property
    def label(self):
        return "{} {}".format("scale set" if self.kind == "vmss" else "VM", self.name)


def gallery_resource(row):
    """A ``Gallery``, ``Definition`` or ``Version`` from a row or ARM JSON; None for anything else."""
    rid = ids.parse(row.get("id"))
    if rid is None:
        return None
    kind = rid.kind
    properties = _properties(row)
    if kind == "gallery":
        return Gallery(rid)
    if kind == "gallery-image":
        return Definition(rid, properties)
    if kind == "gallery-version":
        return Version(rid, properties, row.get("location"))
    return None


def user(row):
    """A ``User`` from a row with ``vmImage`` or ``scaleSetImage`` (and ``capacity``); None when
    the image is not a gallery image in a resource group."""
    rid = ids.parse(row.get("id"))
    if rid is None or rid.kind not in ("vm", "vmss"):
        return None
    image = ids.image_reference(row.get("scaleSetImage") if rid.kind == "vmss" else row.get("vmImage"))
    if image is None or image.scope != "gallery":
        return None
    capacity = row.get("capacity")
    if rid.kind == "vm":
        capacity = 1
    elif not isinstance(capacity, int) or isinstance(capacity, bool):
        capacity = 0
    return User(rid, rid.kind, row.get("location"), image, capacity)

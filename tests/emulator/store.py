"""The emulated world: identities, regions, resource groups, resources and operations."""

import copy
import threading
import uuid
from datetime import datetime, timezone
from dataclasses import dataclass, field

from . import defaults
from .clock import Clock
from .faults import Faults
from .routing import parse_resource_id


def region_key(name):
    """The service compares region names case- and space-insensitively."""
    return (name or "").replace(" ", "").lower()


@dataclass
class Record:
    resource: dict
    meta: dict = field(default_factory=dict)


@dataclass
class Operation:
    id: str
    location: str
    subscription: str
    resource_key: str
    kind: str                # "put", "patch" or "delete"
    start: float
    duration: float = 0.0
    error: dict = None       # set when the operation ends Failed for a fixed reason
    started_at: str = ""     # wall-clock ISO time, shown as startTime


@dataclass
class ReplicationSettings:
    seconds: float = 1.0            # emulated seconds a region needs to reach 100 %
    fail_regions: dict = field(default_factory=dict)   # region key -> reason ("" = default)
    stall_regions: list = field(default_factory=list)  # region keys whose progress stops
    stall_at: int = 40
    max_source_size_gb: int = 2048


class State:
    """Everything one scenario defines; replaced as a whole when a scenario is loaded."""

    def __init__(self):
        self.lock = threading.RLock()
        self.name = "empty"
        self.tenants = copy.deepcopy(defaults.TENANTS)
        self.subscriptions = copy.deepcopy(defaults.SUBSCRIPTIONS)
        self.principal = {"app_id": defaults.APP_ID, "password": defaults.APP_PASSWORD,
                          "tenant": defaults.HOME_TENANT, "object_id": defaults.APP_OBJECT_ID}
        self.locations = dict(defaults.LOCATIONS)
        self.gallery_locations = list(defaults.GALLERY_LOCATIONS)
        self.zrs_locations = list(defaults.ZRS_LOCATIONS)
        self.page_size = 50
        self.lro_seconds = 0.0
        self.operation_seconds = {}     # ("DELETE", "galleries/images/versions") -> seconds
        self.lro_retry_after = "1"      # Retry-After of operations; None sends none (as Azure)
        self.replication = ReplicationSettings()
        self.clock = Clock()
        self.faults = Faults()
        self.access_rules = []
        self.unregistered_subscriptions = set()   # lower-case ids without Microsoft.Compute
        self.resource_groups = {}   # (sub, rg) lower -> {"subscription", "name", "location"}
        self.resources = {}         # id lower -> Record
        self.operations = {}        # id -> Operation

    # --- identities -------------------------------------------------------------------------
    def subscription(self, subscription_id):
        for sub in self.subscriptions:
            if sub["id"].lower() == (subscription_id or "").lower():
                return sub
        return None

    def tenant_of(self, subscription_id):
        sub = self.subscription(subscription_id)
        return sub["tenant"] if sub else None

    # --- regions ----------------------------------------------------------------------------
    def location_name(self, name):
        """Canonical short name of a region given as name or display name, else None."""
        wanted = region_key(name)
        for short, display in self.locations.items():
            if wanted in (short, region_key(display)):
                return short
        return None

    def display_name(self, name):
        short = self.location_name(name)
        return self.locations.get(short, name)

    # --- resource groups --------------------------------------------------------------------
    def add_resource_group(self, subscription, name, location, tags=None):
        self.resource_groups[(subscription.lower(), name.lower())] = {
            "subscription": subscription, "name": name, "location": location, "tags": tags or {}}

    def resource_group(self, subscription, name):
        return self.resource_groups.get(((subscription or "").lower(), (name or "").lower()))

    # --- resources --------------------------------------------------------------------------
    def get(self, resource_id):
        return self.resources.get(_key(str(resource_id)))

    def put(self, resource, meta=None):
        key = _key(resource["id"])
        existing = self.resources.get(key)
        record = Record(resource, meta if meta is not None else (existing.meta if existing else {}))
        self.resources[key] = record
        return record

    def delete(self, resource_id):
        return self.resources.pop(_key(str(resource_id)), None)

    def children(self, parent_id, child_type):
        """Direct children of `parent_id` of one type, in insertion order."""
        prefix = _key(str(parent_id)) + "/" + child_type.lower() + "/"
        return [record for key, record in self.resources.items()
                if key.startswith(prefix) and "/" not in key[len(prefix):]]

    def of_type(self, full_type, subscription=None, resource_group=None):
        result = []
        for record in self.resources.values():
            if record.resource["type"].lower() != full_type.lower():
                continue
            parsed = parse_resource_id(record.resource["id"])
            if subscription and parsed.subscription.lower() != subscription.lower():
                continue
            if resource_group and parsed.resource_group.lower() != resource_group.lower():
                continue
            result.append(record)
        return result

    def purge_deleted(self):
        """Drop resources whose delete operation has run its course.

        Runs before every request: it walks the delete operations, not the resources, so that a
        world of 50,000 resources costs nothing here (a resource being deleted points at its delete
        operation through meta["operation_id"])."""
        now = self.clock.now()
        for operation in list(self.operations.values()):
            if operation.kind != "delete":
                continue
            record = self.resources.get(operation.resource_key)
            if record is None or not record.meta.get("deleting") or \
                    record.meta.get("operation_id") != operation.id:
                continue
            if now - operation.start >= operation.duration:
                del self.resources[operation.resource_key]

    # --- operations -------------------------------------------------------------------------
    def duration(self, method, type_path):
        """Emulated seconds an operation of this method on this type takes."""
        return self.operation_seconds.get((method.upper(), type_path.lower()), self.lro_seconds)

    def new_operation(self, location, subscription, resource_key, kind, duration=0.0, error=None):
        operation = Operation(str(uuid.uuid4()), location, subscription, resource_key, kind,
                              self.clock.now(), duration, error,
                              datetime.now(timezone.utc).isoformat())
        self.operations[operation.id] = operation
        return operation


def _key(resource_id):
    parsed = parse_resource_id(resource_id)
    return parsed.key() if parsed else resource_id.lower()

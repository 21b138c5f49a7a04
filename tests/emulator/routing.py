"""Turns a request path into a route: which handler, and the ids it works on.

ARM paths are case-insensitive; names keep the caller's spelling.
"""

import re
from dataclasses import dataclass, field

COMPUTE = "Microsoft.Compute"

# lower-case type path -> canonical type path (without the namespace)
RESOURCE_TYPES = {
    "galleries": "galleries",
    "galleries/images": "galleries/images",
    "galleries/images/versions": "galleries/images/versions",
    "virtualmachines": "virtualMachines",
    "images": "images",
    "snapshots": "snapshots",
    "disks": "disks",
    "diskencryptionsets": "diskEncryptionSets",
    "virtualmachinescalesets": "virtualMachineScaleSets",
}


@dataclass
class ResourceId:
    """A parsed Microsoft.Compute resource id (or a collection path when names are short)."""
    subscription: str
    resource_group: str
    types: list
    names: list

    @property
    def type_path(self):
        return "/".join(self.types)

    @property
    def full_type(self):
        return f"{COMPUTE}/{self.type_path}"

    @property
    def name(self):
        return self.names[-1]

    @property
    def is_collection(self):
        return len(self.names) < len(self.types)

    def parent(self):
        if len(self.types) < 2:
            return None
        return ResourceId(self.subscription, self.resource_group, self.types[:-1],
                          self.names[:len(self.types) - 1])

    def __str__(self):
        parts = [f"/subscriptions/{self.subscription}/resourceGroups/{self.resource_group}"
                 f"/providers/{COMPUTE}"]
        for index, type_name in enumerate(self.types):
            parts.append(type_name)
            if index < len(self.names):
                parts.append(self.names[index])
        return "/".join(parts)

    def key(self):
        return str(self).lower()


def parse_resource_id(text):
    """Parse a Compute resource id or collection path; None when it is not one."""
    if not text:
        return None
    segments = [s for s in text.strip().split("/") if s]
    if len(segments) < 7:
        return None
    lower = [s.lower() for s in segments]
    if lower[0] != "subscriptions" or lower[2] != "resourcegroups" or lower[4] != "providers":
        return None
    if lower[5] != COMPUTE.lower():
        return None
    rest = segments[6:]
    types, names = rest[0::2], rest[1::2]
    canonical = RESOURCE_TYPES.get("/".join(t.lower() for t in types))
    if canonical is None:
        return None
    return ResourceId(segments[1], segments[3], canonical.split("/"), names)


@dataclass
class Route:
    kind: str
    params: dict = field(default_factory=dict)


_SIMPLE_ROUTES = [
    (re.compile(r"^/metadata/endpoints$", re.I), "cloud_metadata"),
    (re.compile(r"^/(?P<tenant>[^/]+)/v2\.0/\.well-known/openid-configuration$", re.I), "openid"),
    (re.compile(r"^/(?P<tenant>[^/]+)/oauth2/v2\.0/token$", re.I), "token"),
    (re.compile(r"^/(?P<tenant>[^/]+)/discovery/v2\.0/keys$", re.I), "keys"),
    (re.compile(r"^/tenants$", re.I), "tenants"),
    (re.compile(r"^/subscriptions$", re.I), "subscriptions"),
    (re.compile(r"^/subscriptions/(?P<sub>[^/]+)$", re.I), "subscription"),
    (re.compile(r"^/subscriptions/(?P<sub>[^/]+)/locations$", re.I), "locations"),
    (re.compile(r"^/subscriptions/(?P<sub>[^/]+)/resourcegroups$", re.I), "resource_groups"),
    (re.compile(r"^/subscriptions/(?P<sub>[^/]+)/resourcegroups/(?P<rg>[^/]+)$", re.I),
     "resource_group"),
    (re.compile(r"^/subscriptions/(?P<sub>[^/]+)/providers$", re.I), "providers"),
    (re.compile(r"^/subscriptions/(?P<sub>[^/]+)/providers/microsoft\.compute$", re.I),
     "provider"),
    (re.compile(r"^/subscriptions/(?P<sub>[^/]+)/providers/microsoft\.compute/skus$", re.I),
     "skus"),
    (re.compile(r"^/subscriptions/(?P<sub>[^/]+)/providers/microsoft\.compute/locations/"
                r"(?P<location>[^/]+)/(capsoperations|diskoperations|operations)/(?P<op>[^/]+)$", re.I),
     "operation"),
    (re.compile(r"^/subscriptions/(?P<sub>[^/]+)/providers/microsoft\.compute/locations/(?P<location>[^/]+)/"
                r"(?P<scope>communitygalleries|sharedgalleries)/(?P<gallery>[^/]+)(?:/images/(?P<image>[^/]+)"
                r"(?:/(?P<versions>versions)(?:/(?P<version>[^/]+))?)?)?$", re.I), "shared_image"),
    (re.compile(r"^/subscriptions/(?P<sub>[^/]+)/providers/microsoft\.compute/"
                r"(?P<type>[^/]+)$", re.I), "subscription_list"),
    (re.compile(r"^/providers/microsoft\.resourcegraph/resources$", re.I), "resource_graph"),
    (re.compile(r"^/_emulator/(?P<action>journal|scenario|reset|clock|state)$", re.I), "control"),
]

_INSTANCE_VIEW = re.compile(r"^(?P<vm>/subscriptions/[^/]+/resourcegroups/[^/]+/providers/"
                            r"microsoft\.compute/virtualmachines/[^/]+)/instanceview$", re.I)


def normalise_path(path):
    """Collapse `//` runs (the cloud endpoint keeps its trailing slash) and drop a trailing `/`."""
    path = re.sub("/{2,}", "/", path)
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    return path


def route(path):
    for pattern, kind in _SIMPLE_ROUTES:
        match = pattern.match(path)
        if match:
            return Route(kind, match.groupdict())
    match = _INSTANCE_VIEW.match(path)
    if match:
        return Route("instance_view", {"id": parse_resource_id(match.group("vm"))})
    resource_id = parse_resource_id(path)
    if resource_id is not None and path.lower().startswith("/subscriptions/"):
        kind = "collection" if resource_id.is_collection else "resource"
        return Route(kind, {"id": resource_id})
    return Route("unknown")

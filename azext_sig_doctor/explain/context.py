"""The request a failure answered: which resource it hit (from the URL) and what was sent (body).

The ids in an ARM path are pairs ``/{type}/{name}``; the ones a gallery failure is about are
mapped to the knowledge base's placeholder names. The request body gives the values the message
may leave out (target regions, location, source id, identifier, OS state ...).
"""

import json
import re
from urllib.parse import unquote, urlsplit

# ARM path segment type (lower case) -> placeholder name.
_SEGMENTS = {
    "subscriptions": "subscription",
    "resourcegroups": "resource_group",
    "galleries": "gallery",
    "images": "image",
    "versions": "version",
    "virtualmachines": "vm",
    "virtualmachinescalesets": "vmss",
    "disks": "disk",
    "snapshots": "snapshot",
    "diskencryptionsets": "disk_encryption_set",
    "locations": "region",
}
# Paths of long-running-operation polls: they carry no resource of their own.
_POLL = re.compile(r"/(?:capsoperations|operations|operationresults|operationstatuses|asyncoperations)/",
                   re.IGNORECASE)
_MAX_BODY = 1024 * 1024


class Request:
    """One HTTP request seen in the log."""

    __slots__ = ("method", "url", "body", "serial", "_values")

    def __init__(self, serial, method=None, url=None):
        self.serial = serial
        self.method = method
        self.url = url
        self.body = None
        self._values = None

    @property
    def path(self):
        if not self.url:
            return None
        parts = urlsplit(self.url)
        path = re.sub(r"/{2,}", "/", parts.path or "/")
        return unquote(path)

    @property
    def is_poll(self):
        return bool(self.path and _POLL.search(self.path))

    @property
    def is_resource(self):
        path = self.path or ""
        return "/resourcegroups/" in path.lower() and not self.is_poll

    def resource(self):
        return resource_from_path(self.path)

    def body_values(self):
        if self._values is None:
            self._values = values_from_body(self.body)
        return self._values


def clean_url(text):
    """The URL out of a logged value: quotes and trailing punctuation removed."""
    text = text.strip().strip("'\"")
    found = re.search(r"https?://\S+", text)
    return found.group(0).rstrip("'\",") if found else (text or None)


def resource_from_path(path):
    """``{subscription, resource_group, gallery, image, version, vm, ...}`` from an ARM path."""
    if not path:
        return {}
    segments = [segment for segment in path.split("/") if segment]
    resource = {}
    index = 0
    while index + 1 < len(segments):
        key = _SEGMENTS.get(segments[index].lower())
        if key and key not in resource:
            resource[key] = segments[index + 1]
            index += 2
        else:
            index += 1
    if resource.get("resource_group") and not _POLL.search(path):
        resource["resource_id"] = _resource_id(segments)
    return resource


def _resource_id(segments):
    # The id is the path itself without trailing action segments such as /instanceView.
    if len(segments) % 2 == 1:
        segments = segments[:-1]
    return "/" + "/".join(segments)


def _load(body):
    if not body or len(body) > _MAX_BODY:
        return None
    text = body.strip()
    if not text.startswith("{"):
        return None
    try:
        return json.loads(text.replace("\r", "").replace("\n", ""), strict=False)
    except ValueError:
        return None


def values_from_body(body):
    """Placeholder values that a request body gives (only what is there)."""
    data = _load(body)
    if not isinstance(data, dict):
        return {}
    values = {}
    if isinstance(data.get("location"), str):
        values["region"] = data["location"]
        values["source_region"] = data["location"]
    properties = data.get("properties") if isinstance(data.get("properties"), dict) else {}
    publishing = properties.get("publishingProfile") or {}
    regions = [region.get("name") for region in publishing.get("targetRegions") or []
               if isinstance(region, dict) and region.get("name")]
    if regions:
        values["regions"] = ", ".join(regions)
    storage = properties.get("storageProfile") or {}
    source = storage.get("source") or {}
    source_id = source.get("id") or source.get("virtualMachineId") or \
        ((storage.get("osDiskImage") or {}).get("source") or {}).get("id")
    if source_id:
        values["source_id"] = source_id
    identifier = properties.get("identifier") or {}
    for key in ("publisher", "offer", "sku"):
        if isinstance(identifier.get(key), str):
            values[key] = identifier[key]
    if isinstance(properties.get("osState"), str):
        values["os_state"] = properties["osState"]
    for feature in properties.get("features") or []:
        if isinstance(feature, dict) and str(feature.get("name", "")).lower() == "securitytype":
            values["security_type"] = feature.get("value")
    return {key: value for key, value in values.items() if isinstance(value, str) and value}

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
_SLASHES = re.compile(r"/{2,}")


class Request:
    """One HTTP request seen in the log."""

    __slots__ = ("method", "url", "body", "serial", "_values", "_parsed_url", "_path", "_resource")

    def __init__(self, serial, method=None, url=None):
        self.serial = serial
        self.method = method
        self.url = url
        self.body = None
        self._values = None
        self._parsed_url = None  # the url that _path and _resource were worked out for
        self._path = self._resource = None

    def _parse(self):
        # The URL is set once (a PowerShell log states it after the request began): parse it once.
        if self._parsed_url != self.url:
            self._parsed_url = self.url
            if self.url:
                parts = urlsplit(self.url)
                self._path = unquote(_SLASHES.sub("/", parts.path or "/"))
                self._resource = resource_from_path(self._path)
            else:
                self._path, self._resource = None, {}

    @property
    def path(self):
        self._parse()
        return self._path

    @property
    def is_poll(self):
        path = self.path
        return bool(path and _POLL.search(path))

    @property
    def is_resource(self):
        path = self.path or ""
        return "/resourcegroups/" in path.lower() and not self.is_poll

    def resource(self):
        """The resource the URL names (a new dict each time: callers add to it)."""
        self._parse()
        return dict(self._resource or {})  # a request whose URL the log never gave names nothing

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


def _dict(value):
    return value if isinstance(value, dict) else {}


def _list(value):
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def values_from_body(body):
    """Placeholder values that a request body gives (only what is there, whatever its shape)."""
    data = _load(body)
    if not isinstance(data, dict):
        return {}
    values = {}
    if isinstance(data.get("location"), str):
        values["region"] = data["location"]
        values["source_region"] = data["location"]
    properties = _dict(data.get("properties"))
    values.update(_version_values(properties))
    values.update(_definition_values(properties))
    values.update(_vm_values(properties))
    return {key: value for key, value in values.items() if isinstance(value, str) and value}


def _version_values(properties):
    """An image version: target regions (names, as sent, and each once), source and data disk
    sources, disk encryption set."""
    values = {}
    targets = [region for region in _list(_dict(properties.get("publishingProfile")).get("targetRegions"))
               if isinstance(region.get("name"), str) and region["name"].strip()]
    if targets:
        values["regions"] = ", ".join(region["name"] for region in targets)
        values["target_regions"] = ", ".join(_target(region) for region in targets)
        values["unique_regions"] = ", ".join(_unique_targets(targets))
    for region in targets:
        des_id = _dict(_dict(region.get("encryption")).get("osDiskImage")).get("diskEncryptionSetId")
        if isinstance(des_id, str) and des_id:
            values["des_id"] = des_id
            break
    storage = _dict(properties.get("storageProfile"))
    source = _dict(storage.get("source"))
    source_id = source.get("id") or source.get("virtualMachineId") or \
        _dict(_dict(storage.get("osDiskImage")).get("source")).get("id")
    if source_id:
        values["source_id"] = source_id
    values.update(_data_sources(storage))
    return values


def _data_sources(storage):
    """The data disks' sources and LUNs (``data_source_ids``, ``data_source_luns``), when every
    data disk has both."""
    disks = _list(storage.get("dataDiskImages"))
    pairs = [(_dict(disk.get("source")).get("id"), disk.get("lun")) for disk in disks]
    if not pairs or not all(isinstance(source, str) and source and _is_count(lun) for source, lun in pairs):
        return {}
    return {"data_source_ids": ", ".join(source for source, _ in pairs),
            "data_source_luns": ", ".join(str(lun) for _, lun in pairs)}


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _target(region):
    """One target region as sent, in az's ``name[=replicas[=storage type]]`` form."""
    parts = ["".join(region["name"].split()).lower()]
    count, storage = region.get("regionalReplicaCount"), region.get("storageAccountType")
    if _is_count(count):
        parts.append(str(count))
    if isinstance(storage, str) and storage:
        parts.append(storage)
    return "=".join(parts)


def _unique_targets(targets):
    """``name[=replicas[=storage type]]`` of each target region once (the first mention wins; the
    service compares names ignoring case and spaces), in az's ``--target-regions`` form."""
    seen = {}
    for region in targets:
        key = "".join(region["name"].split()).lower()
        entry = seen.setdefault(key, [key, None, None])
        count, storage = region.get("regionalReplicaCount"), region.get("storageAccountType")
        if entry[1] is None and _is_count(count):
            entry[1] = str(count)
        if entry[2] is None and isinstance(storage, str) and storage:
            entry[2] = storage
    return ["=".join(part for part in entry if part) for entry in seen.values()]


def _definition_values(properties):
    """An image definition: identifier, OS type and state, Hyper-V generation, security type."""
    values = {}
    identifier = _dict(properties.get("identifier"))
    for key in ("publisher", "offer", "sku"):
        if isinstance(identifier.get(key), str):
            values[key] = identifier[key]
    for key, name in (("osType", "os_type"), ("osState", "os_state"), ("hyperVGeneration", "hyperv_generation")):
        if isinstance(properties.get(key), str):
            values[name] = properties[key]
    for feature in _list(properties.get("features")):
        if str(feature.get("name", "")).lower() == "securitytype":
            values["security_type"] = feature.get("value")
    return values


def _vm_values(properties):
    """A VM, scale set or disk made from an image: the image (version) id and the security type."""
    values = {}
    profile = _dict(properties.get("virtualMachineProfile")) or properties
    reference = _dict(_dict(profile.get("storageProfile")).get("imageReference"))
    creation = _dict(properties.get("creationData"))
    reference = reference or _dict(creation.get("galleryImageReference")) or _dict(creation.get("imageReference"))
    for key in ("id", "sharedGalleryImageId", "communityGalleryImageId"):
        if isinstance(reference.get(key), str) and reference[key]:
            values["image_id"] = reference[key]
            break
    security_type = _dict(profile.get("securityProfile")).get("securityType")
    if isinstance(security_type, str):
        values["security_type"] = security_type
    return values

"""What the service learns about a version's source: kind, region, OS, generation, disks."""

from dataclasses import dataclass, field

from .common import security_type
from .routing import parse_resource_id
from .views import os_disk_record, vm_hyperv_generation


@dataclass
class SourceDisk:
    lun: object            # None for the OS disk
    size_gb: int
    account_type: str
    id: str


@dataclass
class SourceFacts:
    kind: str              # virtualMachines, images, snapshots, disks, galleries/images/versions
    id: str
    location: str
    os_type: str = None
    os_state: str = None
    hyperv: str = None
    security_type: str = None
    architecture: str = None
    plan: dict = None
    ephemeral: bool = False
    unmanaged: bool = False
    disks: list = field(default_factory=list)

    @property
    def max_size_gb(self):
        return max([d.size_gb or 0 for d in self.disks] or [0])

    @property
    def data_luns(self):
        return [d.lun for d in self.disks if d.lun is not None]


def _disk_size(state, disk):
    if disk.get("diskSizeGB"):
        return int(disk["diskSizeGB"])
    disk_id = (disk.get("managedDisk") or {}).get("id")
    record = state.get(disk_id) if disk_id else None
    return int((record.resource.get("properties") or {}).get("diskSizeGB", 0)) if record else 0


def _vm_facts(state, record):
    resource, meta = record.resource, record.meta
    properties = resource.get("properties") or {}
    storage = properties.get("storageProfile") or {}
    os_disk = storage.get("osDisk") or {}
    disk_record = os_disk_record(state, record)
    disk_properties = disk_record.resource.get("properties", {}) if disk_record else {}
    architecture = meta.get("architecture") or \
        (disk_properties.get("supportedCapabilities") or {}).get("architecture") or "x64"
    disks = [SourceDisk(None, _disk_size(state, os_disk),
                        (os_disk.get("managedDisk") or {}).get("storageAccountType", ""),
                        (os_disk.get("managedDisk") or {}).get("id") or os_disk.get("name", ""))]
    unmanaged = "vhd" in os_disk
    for data in storage.get("dataDisks") or []:
        unmanaged = unmanaged or "vhd" in data
        managed = data.get("managedDisk") or {}
        disks.append(SourceDisk(data.get("lun"), _disk_size(state, data),
                                managed.get("storageAccountType", ""),
                                managed.get("id") or data.get("name", "")))
    return SourceFacts(
        kind="virtualMachines", id=resource["id"], location=resource.get("location", ""),
        os_type=os_disk.get("osType"),
        os_state="Generalized" if meta.get("generalized") else "Specialized",
        hyperv=vm_hyperv_generation(state, record),
        security_type=(properties.get("securityProfile") or {}).get("securityType") or "Standard",
        architecture=architecture, plan=resource.get("plan"),
        ephemeral=bool(os_disk.get("diffDiskSettings")), unmanaged=unmanaged, disks=disks)


def _image_facts(record):
    resource = record.resource
    properties = resource.get("properties") or {}
    storage = properties.get("storageProfile") or {}
    os_disk = storage.get("osDisk") or {}
    disks = [SourceDisk(None, int(os_disk.get("diskSizeGB") or 0),
                        os_disk.get("storageAccountType", ""), resource["id"])]
    disks += [SourceDisk(d.get("lun"), int(d.get("diskSizeGB") or 0),
                         d.get("storageAccountType", ""), resource["id"])
              for d in storage.get("dataDisks") or []]
    return SourceFacts(kind="images", id=resource["id"], location=resource.get("location", ""),
                       os_type=os_disk.get("osType"), os_state=os_disk.get("osState"),
                       hyperv=properties.get("hyperVGeneration") or "V1",
                       security_type="Standard", architecture="x64", disks=disks)


def _disk_facts(record, kind):
    resource = record.resource
    properties = resource.get("properties") or {}
    return SourceFacts(
        kind=kind, id=resource["id"], location=resource.get("location", ""),
        os_type=properties.get("osType"), hyperv=properties.get("hyperVGeneration"),
        security_type=(properties.get("securityProfile") or {}).get("securityType"),
        architecture=(properties.get("supportedCapabilities") or {}).get("architecture"),
        disks=[SourceDisk(None, int(properties.get("diskSizeGB") or 0),
                          (resource.get("sku") or {}).get("name", ""), resource["id"])])


def _version_facts(state, record):
    resource = record.resource
    parsed = parse_resource_id(resource["id"])
    definition = state.get(parsed.parent())
    properties = definition.resource.get("properties", {}) if definition else {}
    storage = resource.get("properties", {}).get("storageProfile") or {}
    disks = [SourceDisk(None, int((storage.get("osDiskImage") or {}).get("sizeInGB") or 0), "",
                        resource["id"])]
    disks += [SourceDisk(d.get("lun"), int(d.get("sizeInGB") or 0), "", resource["id"])
              for d in storage.get("dataDiskImages") or []]
    return SourceFacts(kind="galleries/images/versions", id=resource["id"],
                       location=resource.get("location", ""), os_type=properties.get("osType"),
                       os_state=properties.get("osState"),
                       hyperv=properties.get("hyperVGeneration") or "V1",
                       security_type=security_type(properties),
                       architecture=properties.get("architecture") or "x64", disks=disks)


def source_facts(state, resource_id):
    """Facts about an existing source, or None when it does not exist."""
    parsed = parse_resource_id(resource_id)
    record = state.get(resource_id) if parsed else None
    if record is None:
        return None
    kind = parsed.type_path
    if kind == "virtualMachines":
        return _vm_facts(state, record)
    if kind == "images":
        return _image_facts(record)
    if kind in ("snapshots", "disks"):
        return _disk_facts(record, kind)
    if kind == "galleries/images/versions":
        return _version_facts(state, record)
    return None

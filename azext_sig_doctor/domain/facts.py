"""What Azure's resources say, normalised: an image version's source across source kinds, a
definition's features and security type.

Rules and fix edits compare a definition with ``source_facts(request, read)``: the same questions
(region, OS type and state, Hyper-V generation, architecture, security type, disks with LUN, size,
storage type and encryption) whether the source is a VM, a managed image, another image version or
snapshots. ``read(key)`` returns a resource's JSON (None when it does not exist) and may raise when
it cannot be read. A value that cannot be known from the reads is None: rules then skip rather
than guess.
"""

import re

from azext_sig_doctor.domain import ids


def _props(resource):
    return (resource or {}).get("properties") or {}


def _vm_generalized(vm):
    statuses = (_props(vm).get("instanceView") or {}).get("statuses") or []
    codes = [(status.get("code") or "").lower() for status in statuses]
    return "osstate/generalized" in codes


def _disk_facts(disk):
    """Facts of a managed disk or snapshot resource."""
    props = _props(disk)
    encryption = props.get("encryption") or {}
    return {
        "id": disk.get("id"),
        "location": disk.get("location"),
        "size_gb": props.get("diskSizeGB"),
        "storage_type": (disk.get("sku") or {}).get("name"),
        "encryption_type": encryption.get("type"),
        "des_id": encryption.get("diskEncryptionSetId"),
        "os_type": props.get("osType"),
        "hyper_v": props.get("hyperVGeneration"),
        "architecture": (props.get("supportedCapabilities") or {}).get("architecture"),
        "security_type": (props.get("securityProfile") or {}).get("securityType"),
    }


def vm_disk_ids(vm):
    """Managed disk ids of a VM: (lun or None for the OS disk, id)."""
    storage = _props(vm).get("storageProfile") or {}
    pairs = []
    os_disk = storage.get("osDisk") or {}
    if (os_disk.get("managedDisk") or {}).get("id"):
        pairs.append((None, os_disk["managedDisk"]["id"]))
    for disk in storage.get("dataDisks") or []:
        if (disk.get("managedDisk") or {}).get("id"):
            pairs.append((disk.get("lun"), disk["managedDisk"]["id"]))
    return pairs


# Azure's Arm64 sizes carry a "p" right after the vCPU count (D2ps_v5, E4pds_v5, B2pts_v2, ...).
_ARM64_VM_SIZE = re.compile(r"^Standard_[A-Z]+\d+p[a-z]*_v\d+$", re.IGNORECASE)


def vm_architecture(vm, os_disk_architecture=None):
    """A VM's CPU architecture: its OS disk's, else what its size or image reference implies."""
    if os_disk_architecture:
        return os_disk_architecture
    props = _props(vm)
    size = (props.get("hardwareProfile") or {}).get("vmSize") or ""
    if _ARM64_VM_SIZE.match(size):
        return "Arm64"
    image = (props.get("storageProfile") or {}).get("imageReference") or {}
    if "arm64" in (image.get("sku") or "").lower():
        return "Arm64"
    return None


def _from_vm(read, vm):
    props = _props(vm)
    storage = props.get("storageProfile") or {}
    os_disk = storage.get("osDisk") or {}
    instance = props.get("instanceView") or {}
    disks = []
    # The VM's own view of each disk, completed by the disk resource where one was read.
    for lun, entry in [(None, os_disk)] + [(d.get("lun"), d) for d in storage.get("dataDisks") or []]:
        managed = entry.get("managedDisk") or {}
        facts = {"lun": lun, "id": managed.get("id") or entry.get("name"), "size_gb": entry.get("diskSizeGB"),
                 "storage_type": managed.get("storageAccountType"), "encryption_type": None,
                 "des_id": (managed.get("diskEncryptionSet") or {}).get("id"), "vhd": bool(entry.get("vhd"))}
        if managed.get("id"):
            read_facts = _disk_facts(read(("resource", managed["id"])) or {})
            # The disk resource is the authority (its SKU and size); the VM's copy may be stale.
            for key, value in read_facts.items():
                if value is not None:
                    facts[key] = value
            facts["id"] = managed["id"]
        disks.append(facts)
    os_facts = disks[0]
    return {
        "kind": "vm",
        "location": vm.get("location"),
        "os_type": os_disk.get("osType") or os_facts.get("os_type"),
        "os_state": "Generalized" if _vm_generalized(vm) else "Specialized",
        "hyper_v": instance.get("hyperVGeneration") or os_facts.get("hyper_v"),
        "architecture": vm_architecture(vm, os_facts.get("architecture")),
        "security_type": (props.get("securityProfile") or {}).get("securityType") or "Standard",
        "plan": vm.get("plan"),
        "ephemeral_os_disk": bool(os_disk.get("diffDiskSettings")),
        "unmanaged": any(d["vhd"] for d in disks),
        "disks": disks,
    }


def _from_image(image):
    props = _props(image)
    storage = props.get("storageProfile") or {}
    os_disk = storage.get("osDisk") or {}
    disks = [{"lun": None, "id": (os_disk.get("managedDisk") or os_disk.get("snapshot") or {}).get("id"),
              "size_gb": os_disk.get("diskSizeGB"), "storage_type": os_disk.get("storageAccountType"),
              "encryption_type": None, "des_id": (os_disk.get("diskEncryptionSet") or {}).get("id")}]
    for disk in storage.get("dataDisks") or []:
        disks.append({"lun": disk.get("lun"), "id": (disk.get("managedDisk") or disk.get("snapshot") or {}).get("id"),
                      "size_gb": disk.get("diskSizeGB"), "storage_type": disk.get("storageAccountType"),
                      "encryption_type": None, "des_id": (disk.get("diskEncryptionSet") or {}).get("id")})
    return {
        "kind": "managed-image",
        "location": image.get("location"),
        "os_type": os_disk.get("osType"),
        "os_state": os_disk.get("osState"),
        "hyper_v": props.get("hyperVGeneration") or "V1",
        "architecture": None,
        "security_type": None,
        "plan": None,
        "ephemeral_os_disk": False,
        "unmanaged": bool(os_disk.get("blobUri")),
        "disks": disks,
    }


def _from_version(read, version, source_id):
    props = _props(version)
    storage = props.get("storageProfile") or {}
    definition = read(("definition", str(ids.parse(source_id).parent))) or {}
    dprops = _props(definition)
    features = {f.get("name"): f.get("value") for f in dprops.get("features") or []}
    disks = [{"lun": None, "id": None, "size_gb": (storage.get("osDiskImage") or {}).get("sizeInGB"),
              "storage_type": None, "encryption_type": None, "des_id": None}]
    disks += [{"lun": d.get("lun"), "id": None, "size_gb": d.get("sizeInGB"), "storage_type": None,
               "encryption_type": None, "des_id": None} for d in storage.get("dataDiskImages") or []]
    return {
        "kind": "gallery-version",
        "location": version.get("location"),
        "os_type": dprops.get("osType"),
        "os_state": dprops.get("osState"),
        "hyper_v": dprops.get("hyperVGeneration"),
        "architecture": dprops.get("architecture"),
        "security_type": canonical_security_type(features.get("SecurityType")),
        "plan": None,
        "ephemeral_os_disk": False,
        "unmanaged": False,
        "disks": disks,
    }


def _from_snapshots(read, source):
    os_id = source.os_snapshot
    os_facts = _disk_facts(read(("resource", os_id)) or {"id": os_id})
    os_facts["lun"] = None
    disks = [os_facts]
    for disk in source.data_disks:
        if disk.source_id and ids.is_resource_id(disk.source_id):
            facts = _disk_facts(read(("resource", disk.source_id)) or {"id": disk.source_id})
            facts["lun"] = disk.lun
            disks.append(facts)
    return {
        "kind": ids.kind_of(os_id) or "snapshot",
        "location": os_facts["location"],
        "os_type": os_facts["os_type"],
        "os_state": None,
        "hyper_v": os_facts["hyper_v"],
        "architecture": os_facts["architecture"],
        "security_type": os_facts["security_type"],
        "plan": None,
        "ephemeral_os_disk": False,
        "unmanaged": False,
        "disks": disks,
    }


def source_facts(source, read):
    """Facts of a version request's ``source`` (a ``request.VersionSource``), or None when it has
    no resource to read (a VHD, a malformed id) or the resource does not exist
    (``version.source-exists`` reports that). ``read`` raises when a resource cannot be read.
    """
    role, source_id = source.primary
    if not source_id or not ids.is_resource_id(source_id):
        return None
    resource = read(("resource", source_id))
    if resource is None:
        return None
    if role == "virtual_machine":
        return _from_vm(read, resource)
    if role == "managed_image":
        if ids.kind_of(source_id) == "vm":
            return _from_vm(read, resource)
        return _from_image(resource)
    if role == "image_version":
        # A wrong kind of id is reported by version.source-kind; there is nothing to compare.
        return _from_version(read, resource, source_id) if ids.kind_of(source_id) == "gallery-version" else None
    return _from_snapshots(read, source)


def definition_features(definition):
    return {f.get("name"): f.get("value") for f in _props(definition).get("features") or []}


# The service compares feature values without regard to case (az's own help writes
# "ConfidentialVmSupported"); the rules compare the canonical spelling.
SECURITY_TYPES = ("Standard", "TrustedLaunch", "TrustedLaunchSupported", "ConfidentialVM",
                  "ConfidentialVMSupported", "TrustedLaunchAndConfidentialVmSupported")
_CANONICAL_SECURITY_TYPES = {name.lower(): name for name in SECURITY_TYPES}


def canonical_security_type(value):
    """The canonical spelling of a SecurityType value; an unknown value is returned as it is."""
    return _CANONICAL_SECURITY_TYPES.get((value or "").lower(), value)


def definition_security_type(definition):
    return canonical_security_type(definition_features(definition).get("SecurityType")) or "Standard"


def version_source_id(version):
    """The source id an existing image version was built from."""
    storage = _props(version).get("storageProfile") or {}
    source = storage.get("source") or {}
    return (source.get("virtualMachineId") or source.get("id")
            or ((storage.get("osDiskImage") or {}).get("source") or {}).get("id"))


def resource_os_type(resource):
    """OS type of a VM, managed image, disk or snapshot resource."""
    props = _props(resource)
    storage = props.get("storageProfile") or {}
    return (storage.get("osDisk") or {}).get("osType") or props.get("osType")


def security_types_compatible(definition_type, source):
    """Whether a source (its facts) may go into a definition of ``definition_type``: a VM source must
    run with the definition's exact type (Standard, TrustedLaunch, ConfidentialVM) and cannot go
    into a ...Supported definition; other kinds are checked by the service per kind."""
    kind = source.get("kind")
    actual = canonical_security_type(source.get("security_type")) or "Standard"
    if kind == "vm":
        if definition_type in ("TrustedLaunchSupported", "TrustedLaunchAndConfidentialVmSupported"):
            return False
        return definition_type.lower() == actual.lower() or definition_type == "ConfidentialVMSupported"
    if definition_type in ("ConfidentialVM", "ConfidentialVMSupported"):
        return kind in ("snapshot", "disk")
    return True

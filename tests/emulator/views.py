"""What a GET shows: the stored resource plus computed parts (state, replication, instance view)."""

import copy
import uuid
from datetime import datetime, timezone

from .replication import aggregated_state, provisioning_state, region_statuses
from .scenario import EMULATOR_KEY


def _now(state):
    return state.clock.now()


def resource_view(state, record, expand="", api_version=""):
    body = copy.deepcopy(record.resource)
    body.pop(EMULATOR_KEY, None)
    now = _now(state)
    properties = body.setdefault("properties", {})
    properties["provisioningState"] = provisioning_state(state, record, now)
    expand = (expand or "").lower()
    type_name = body["type"].lower()
    if type_name.endswith("galleries/images/versions"):
        if "replicationstatus" in expand:
            summary = region_statuses(state, record, now)
            properties["replicationStatus"] = {"aggregatedState": aggregated_state(summary),
                                               "summary": summary}
    if type_name.endswith("virtualmachines") and "instanceview" in expand:
        properties["instanceView"] = instance_view(state, record)
    if type_name.endswith(("/disks", "/snapshots")):
        _disk_view(record, body, api_version)
    return body


def unique_id(resource_id):
    """The disk RP's uniqueId of a disk or snapshot: stable for its id."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, resource_id.lower()))


def time_created(record):
    return record.meta.setdefault("time_created", datetime.now(timezone.utc).isoformat())


# sku.tier the disk RP reports for a SKU name (recorded: Premium_LRS, Standard_LRS; the rest from
# the SKU names, guessed).
SKU_TIERS = {"premium_lrs": "Premium", "premium_zrs": "Premium", "standard_lrs": "Standard",
             "standardssd_lrs": "StandardSSD", "standardssd_zrs": "StandardSSD",
             "ultrassd_lrs": "Ultra", "premiumv2_lrs": "PremiumV2"}


def _disk_view(record, body, api_version=""):
    """What the disk RP adds to a disk or snapshot it answers with (recorded:
    test_gallery_specialized, test_gallery_image_version_vhd). Performance figures
    (diskIOPSReadWrite…) are not emulated."""
    properties = body["properties"]
    sku = body.get("sku")
    if isinstance(sku, dict) and sku.get("name") and "tier" not in sku:
        tier = SKU_TIERS.get(str(sku["name"]).lower())
        if tier:
            sku["tier"] = tier
    properties.setdefault("encryption", {"type": "EncryptionAtRestWithPlatformKey"})
    snapshot = body["type"].lower().endswith("/snapshots")
    if snapshot:
        properties.setdefault("incremental", False)
    # Recorded for a snapshot (test_gallery_image_version_vhd, 2025); guessed alike for a disk.
    properties.setdefault("networkAccessPolicy", "AllowAll")
    properties.setdefault("publicNetworkAccess", "Enabled")
    properties.setdefault("timeCreated", time_created(record))
    # Attached when a VM holds it (managedBy, documented); guessed for emulated VMs, which do not
    # set managedBy on their disks.
    properties.setdefault("diskState", "Attached" if body.get("managedBy") else "Unattached")
    if properties.get("diskSizeGB") is not None:
        properties.setdefault("diskSizeBytes", int(properties["diskSizeGB"]) * 1024 ** 3)
    properties.setdefault("uniqueId", unique_id(body["id"]))
    if snapshot and api_version >= "2025-01-02":
        # Recorded at API 2025-01-02; older APIs (the 2023-10-02 models azure-cli reads snapshots
        # with) do not have it; the first API version that does is not known here.
        properties.setdefault("snapshotAccessState", "Available")


def os_disk_record(state, vm_record):
    disk_id = (vm_record.resource.get("properties", {}).get("storageProfile", {})
               .get("osDisk", {}).get("managedDisk", {}).get("id"))
    return state.get(disk_id) if disk_id else None


def vm_hyperv_generation(state, vm_record):
    meta = vm_record.meta
    if meta.get("hyperVGeneration"):
        return meta["hyperVGeneration"]
    disk = os_disk_record(state, vm_record)
    if disk is not None:
        return disk.resource.get("properties", {}).get("hyperVGeneration", "V1")
    return "V1"


def instance_view(state, vm_record):
    """Recorded (test_gallery_e2e, a running VM from a gallery image): computerName, osName,
    osVersion, vmAgent, disks, hyperVGeneration, statuses; provisioning statuses carry a time.
    A generalized (deallocated) VM without a vmAgent is guessed."""
    meta = vm_record.meta
    created = time_created(vm_record)
    statuses = [{"code": "ProvisioningState/succeeded", "level": "Info",
                 "displayStatus": "Provisioning succeeded", "time": created}]
    if meta.get("generalized"):
        statuses.append({"code": "OSState/generalized", "level": "Info",
                         "displayStatus": "VM generalized"})
        statuses.append({"code": "PowerState/deallocated", "level": "Info",
                         "displayStatus": "VM deallocated"})
    else:
        statuses.append({"code": "PowerState/" + meta.get("power_state", "running"),
                         "level": "Info",
                         "displayStatus": "VM " + meta.get("power_state", "running")})
    storage = vm_record.resource.get("properties", {}).get("storageProfile", {})
    disks = [storage.get("osDisk", {})] + list(storage.get("dataDisks") or [])
    view = {"computerName": vm_record.resource["name"], "osName": meta.get("os_name", ""),
            "osVersion": meta.get("os_version", "")}
    if not meta.get("generalized") and meta.get("power_state", "running") == "running":
        view["vmAgent"] = {"vmAgentVersion": meta.get("vm_agent_version", "Unknown"),
                           "statuses": [{"code": "ProvisioningState/succeeded", "level": "Info",
                                         "displayStatus": "Ready",
                                         "message": "Guest Agent is running", "time": created}],
                           "extensionHandlers": []}
    view.update({
        "disks": [{"name": disk.get("name", ""), "statuses": [
            {"code": "ProvisioningState/succeeded", "level": "Info",
             "displayStatus": "Provisioning succeeded", "time": created}]}
            for disk in disks if disk],
        "hyperVGeneration": vm_hyperv_generation(state, vm_record),
        "statuses": statuses,
    })
    return view

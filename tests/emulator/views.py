"""What a GET shows: the stored resource plus computed parts (state, replication, instance view)."""

import copy

from .replication import aggregated_state, provisioning_state, region_statuses
from .scenario import EMULATOR_KEY


def _now(state):
    return state.clock.now()


def resource_view(state, record, expand=""):
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
    return body


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
    meta = vm_record.meta
    statuses = [{"code": "ProvisioningState/succeeded", "level": "Info",
                 "displayStatus": "Provisioning succeeded"}]
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
    return {
        "computerName": vm_record.resource["name"],
        "osName": meta.get("os_name", ""),
        "hyperVGeneration": vm_hyperv_generation(state, vm_record),
        "disks": [{"name": disk.get("name", ""), "statuses": [
            {"code": "ProvisioningState/succeeded", "level": "Info",
             "displayStatus": "Provisioning succeeded"}]} for disk in disks if disk],
        "statuses": statuses,
    }

"""Rules for creating a VM from a gallery image (version or definition id)."""

from . import access
from .common import security_type
from .errors import ArmError, bad_request, invalid_parameter
from .replication import region_statuses
from .routing import parse_resource_id
from .store import region_key

VERSION_READ = "Microsoft.Compute/galleries/images/versions/read"


def not_available(image_id, region):
    return ArmError(404, "GalleryImageNotFound",
                    f"The gallery image {image_id} is not available in {region} region. Please "
                    f"contact image owner to replicate to this region, or change your requested "
                    f"region.", target="imageReference")


def replicated_in(state, record, region):
    return any(region_key(s["region"]) == region and s["state"] == "Completed"
               for s in region_statuses(state, record, state.clock.now()))


def _latest_version(state, definition_id, region):
    candidates = []
    for record in state.children(definition_id, "versions"):
        profile = record.resource.get("properties", {}).get("publishingProfile") or {}
        if profile.get("excludeFromLatest") or not replicated_in(state, record, region):
            continue
        candidates.append((tuple(int(p) for p in record.resource["name"].split(".")), record))
    return max(candidates, key=lambda item: item[0])[1] if candidates else None


def check_put(ctx, rid, body, existing):
    properties = body.get("properties") or {}
    image_id = ((properties.get("storageProfile") or {}).get("imageReference") or {}).get("id")
    parsed = parse_resource_id(image_id or "")
    if parsed is None or not parsed.type_path.startswith("galleries/images"):
        return {"generalized": False}
    state = ctx.state
    access.check_linked(state, ctx.caller, str(rid), image_id, VERSION_READ)
    region = region_key(state.location_name(body.get("location")) or body.get("location"))
    if parsed.type_path == "galleries/images":
        definition = state.get(parsed)
        if definition is None or _latest_version(state, parsed, region) is None:
            raise not_available(image_id, region)
    else:
        version = state.get(parsed)
        if version is None or not replicated_in(state, version, region):
            raise not_available(image_id, region)
        definition = state.get(parsed.parent())
    definition_properties = definition.resource.get("properties") or {}
    _check_os_profile(properties, definition_properties)
    _check_security(properties, definition_properties)
    return {"generalized": False,
            "hyperVGeneration": definition_properties.get("hyperVGeneration") or "V1",
            "architecture": definition_properties.get("architecture") or "x64"}


def _check_os_profile(properties, definition):
    has_profile = bool(properties.get("osProfile"))
    specialized = (definition.get("osState") or "").lower() == "specialized"
    if specialized and has_profile:
        raise invalid_parameter("Parameter 'osProfile' is not allowed.", "osProfile")
    if not specialized and not has_profile:
        raise invalid_parameter("Required parameter 'osProfile' is missing (null).", "osProfile")


def _check_security(properties, definition):
    wanted = security_type(definition)
    requested = (properties.get("securityProfile") or {}).get("securityType") or "Standard"
    if wanted.lower() in ("trustedlaunch", "confidentialvm") and \
            requested.lower() != wanted.lower():
        raise bad_request("BadRequest",
                          f"The provided gallery image only supports creation of VMs and VM Scale "
                          f"Sets with '{wanted}' security type.")
    gen1 = (definition.get("hyperVGeneration") or "V1").upper() == "V1"
    arm64 = (definition.get("architecture") or "x64").lower() == "arm64"
    if requested.lower() == "trustedlaunch" and (gen1 or arm64):
        raise bad_request("BadRequest",  # guessed code
                          "Use of TrustedLaunch setting is not supported for the provided image. "
                          "Please select Trusted Launch Supported Gen2 OS Image.")


def complete(ctx, rid, resource, existing):
    properties = resource["properties"]
    properties.setdefault("vmId", "00000000-0000-4000-8000-" + rid.name.encode().hex()[:12]
                          .ljust(12, "0"))
    storage = properties.setdefault("storageProfile", {})
    os_disk = storage.setdefault("osDisk", {})
    os_disk.setdefault("name", f"{rid.name}_OsDisk")
    os_disk.setdefault("createOption", "FromImage")
    image_reference = storage.get("imageReference") or {}
    parsed = parse_resource_id(image_reference.get("id") or "")
    if parsed is not None and parsed.type_path.startswith("galleries/images"):
        definition_id = parsed if parsed.type_path == "galleries/images" else parsed.parent()
        definition = ctx.state.get(definition_id)
        if definition is not None:
            os_disk.setdefault("osType", definition.resource["properties"].get("osType"))
        _disks_from_version(ctx, rid, resource, storage, parsed)
    storage.setdefault("dataDisks", [])


def _disks_from_version(ctx, rid, resource, storage, parsed):
    """Recorded (test_gallery_e2e, vm create --image <definition id>): the VM names the version it
    got as imageReference.exactVersion, and its OS and data disks take the version's sizes and
    host caching. The same for a version id is guessed."""
    state = ctx.state
    if parsed.type_path == "galleries/images":
        region = region_key(state.location_name(resource.get("location"))
                            or resource.get("location"))
        version = _latest_version(state, parsed, region)
    else:
        version = state.get(parsed)
    if version is None:
        return
    storage["imageReference"]["exactVersion"] = version.resource["name"]
    images = (version.resource.get("properties") or {}).get("storageProfile") or {}
    os_disk = storage["osDisk"]
    os_disk.setdefault("caching", (images.get("osDiskImage") or {}).get("hostCaching",
                                                                        "ReadWrite"))
    if (images.get("osDiskImage") or {}).get("sizeInGB") is not None:
        os_disk.setdefault("diskSizeGB", images["osDiskImage"]["sizeInGB"])
    if storage.get("dataDisks"):
        return
    storage["dataDisks"] = [
        {"lun": image.get("lun"), "name": f"{rid.name}_lun_{image.get('lun')}",
         "createOption": "FromImage", "caching": image.get("hostCaching", "None"),
         "diskSizeGB": image.get("sizeInGB"), "deleteOption": "Detach", "toBeDetached": False}
        for image in images.get("dataDiskImages") or []]

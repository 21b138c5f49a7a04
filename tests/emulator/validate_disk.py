"""Rules for creating a managed disk or snapshot (creationData: a gallery image version, a copy)."""

from .errors import invalid_parameter
from .routing import parse_resource_id
from .validate_vm import replicated_in, not_available
from .store import region_key
from .views import unique_id


def check_put(ctx, rid, body, existing):
    creation = (body.get("properties") or {}).get("creationData") or {}
    reference = creation.get("galleryImageReference") or {}
    parsed = parse_resource_id(reference.get("id") or "")
    if parsed is None or parsed.type_path != "galleries/images/versions":
        return {}
    state = ctx.state
    region = region_key(state.location_name(body.get("location")) or body.get("location"))
    version = state.get(parsed)
    if version is None or not replicated_in(state, version, region):
        raise not_available(reference["id"], region)
    lun = reference.get("lun")
    if lun is not None:
        storage = version.resource.get("properties", {}).get("storageProfile") or {}
        if lun not in [d.get("lun") for d in storage.get("dataDiskImages") or []]:
            raise invalid_parameter("The value of parameter imageReference is invalid.",
                                    "imageReference")
    return {}


def complete(ctx, rid, resource, existing):
    """A copy (snapshot or disk) learns its source's uniqueId and size (recorded:
    test_gallery_specialized, snapshot create --source <disk>)."""
    creation = resource["properties"].get("creationData") or {}
    source_id = creation.get("sourceResourceId")
    if (creation.get("createOption") or "").lower() != "copy" or not source_id:
        return
    source = ctx.state.get(source_id)
    if source is None:
        return
    creation.setdefault("sourceUniqueId", unique_id(source.resource["id"]))
    size = (source.resource.get("properties") or {}).get("diskSizeGB")
    if size is not None:
        resource["properties"].setdefault("diskSizeGB", size)

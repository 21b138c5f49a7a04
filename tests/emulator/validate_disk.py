"""Rules for creating a managed disk from a gallery image version (creationData)."""

from .errors import invalid_parameter
from .routing import parse_resource_id
from .validate_vm import replicated_in, not_available
from .store import region_key


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

"""Service-side rules for PUT/PATCH/DELETE of a gallery."""

from . import names
from .common import cannot_delete_nested, check_gallery_location, check_same_location
from .errors import ArmError
from .routing import COMPUTE


def check_put(ctx, rid, body, existing):
    names.check_gallery_name(rid.name)
    location = body.get("location") or ""
    check_gallery_location(ctx.state, location)
    check_same_location(rid, existing, location)
    if existing is None:
        for record in ctx.state.of_type(f"{COMPUTE}/galleries", rid.subscription):
            if record.resource["name"].lower() == rid.name.lower():
                raise ArmError(409, "GalleryNameNotUnique",  # guessed code
                               f"The gallery name {rid.name} is not unique within the "
                               f"subscription {rid.subscription}. Please pick another gallery "
                               f"name.")
    return {}


def complete(ctx, rid, resource, existing):
    identifier = resource["properties"].setdefault("identifier", {})
    identifier["uniqueName"] = f"{rid.subscription}-{rid.name.upper()}"
    # Recorded (test_gallery_soft_delete): soft delete turned on keeps deleted artifacts 7 days.
    soft_delete = resource["properties"].get("softDeletePolicy") or {}
    if soft_delete.get("isSoftDeleteEnabled"):
        soft_delete.setdefault("retentionPeriodInDays", 7)


def check_delete(ctx, rid, record):
    if ctx.state.children(rid, "images"):
        raise cannot_delete_nested()

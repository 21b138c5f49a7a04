"""Community and direct-shared gallery images, as another subscription sees them in one region.

GET /subscriptions/{sub}/providers/Microsoft.Compute/locations/{region}/communityGalleries/{public
name}/images/{image}[/versions[/{version}]] and the same under sharedGalleries/{unique name}. A
gallery is a community gallery when its sharingProfile.permissions is Community; its public name
is ``{publicNamePrefix}-{a stable suffix}`` (the service appends a GUID: guessed form). It is
direct-shared with a subscription when permissions is Groups and sharingProfile.groups lists the
subscription (or its tenant); its unique name is ``{subscription id}-{GALLERY NAME}``. The published
view holds the definition's properties (identifier, OS type and state, generation, architecture,
features, plan) and the versions replicated to the region and not excluded by failure; a version's
view holds publishedDate, endOfLifeDate, excludeFromLatest (guessed: the shape of the REST spec's
CommunityGalleryImageVersion).
"""

import hashlib

from .errors import ArmError
from .replication import region_statuses
from .store import region_key
from .http import json_response

KINDS = {"communitygalleries": "community", "sharedgalleries": "shared"}


def public_name(gallery):
    prefix = ((gallery.resource.get("properties", {}).get("sharingProfile") or {})
              .get("communityGalleryInfo") or {}).get("publicNamePrefix") or "gallery"
    suffix = hashlib.sha256(gallery.resource["id"].lower().encode()).hexdigest()[:8]
    return "{}-{}".format(prefix, suffix)


def unique_name(gallery):
    sub = gallery.resource["id"].split("/")[2]
    return "{}-{}".format(sub, gallery.resource["name"].upper())


def _shared_with(gallery, subscription, state):
    sharing = gallery.resource.get("properties", {}).get("sharingProfile") or {}
    tenant = state.tenant_of(subscription)
    for group in sharing.get("groups") or []:
        ids = [str(i).lower() for i in group.get("ids") or []]
        if group.get("type") == "Subscriptions" and subscription.lower() in ids:
            return True
        if group.get("type") == "AADTenants" and tenant and tenant.lower() in ids:
            return True
    return False


def _gallery(state, kind, name, subscription):
    for record in state.of_type("Microsoft.Compute/galleries"):
        permissions = ((record.resource.get("properties", {}).get("sharingProfile") or {})
                       .get("permissions") or "").lower()
        if kind == "community" and permissions == "community" and public_name(record).lower() == name.lower():
            return record
        if kind == "shared" and permissions == "groups" and unique_name(record).lower() == name.lower() and \
                _shared_with(record, subscription, state):
            return record
    return None


def _not_found(kind, gallery, image=None, version=None):
    what = "/".join(part for part in (gallery, image, version) if part)
    return ArmError(404, "ResourceNotFound" if kind == "shared" else "GalleryImageNotFound",
                    f"The {'community' if kind == 'community' else 'shared'} gallery image '{what}' was not "
                    f"found in this region or is not shared with the subscription.")  # guessed text


def handle(state, params, method):
    if method != "GET":
        raise ArmError(405, "MethodNotAllowed", "Shared galleries are read-only.")
    kind = KINDS[params["scope"].lower()]
    gallery = _gallery(state, kind, params["gallery"], params["sub"])
    if gallery is None:
        raise _not_found(kind, params["gallery"])
    region = region_key(state.location_name(params["location"]) or params["location"])
    definition = state.get(gallery.resource["id"] + "/images/" + params["image"]) if params.get("image") else None
    if params.get("image") and definition is None:
        raise _not_found(kind, params["gallery"], params["image"])
    prefix = "/{}/{}/Images/{}".format("CommunityGalleries" if kind == "community" else "SharedGalleries",
                                       params["gallery"], params["image"])
    if not params.get("versions"):
        return json_response(_image_view(definition, prefix, params["location"]))
    versions = [_version_view(record, prefix, params["location"]) for record in state.children(
        definition.resource["id"], "versions") if _available(state, record, region)]
    if params.get("version"):
        found = [v for v in versions if v["name"].lower() == params["version"].lower()]
        if not found:
            raise _not_found(kind, params["gallery"], params["image"], params["version"])
        return json_response(found[0])
    return json_response({"value": versions})


def _image_view(definition, prefix, location):
    properties = dict(definition.resource.get("properties") or {})
    properties.pop("provisioningState", None)
    return {"name": definition.resource["name"], "location": location, "type": "Microsoft.Compute/images",
            "identifier": {"uniqueId": prefix}, "properties": properties}


def _available(state, record, region):
    """A version is offered in a region once its copy there has completed."""
    for status in region_statuses(state, record, state.clock.now()):
        if region_key(status.get("region")) == region and status.get("state") == "Completed":
            return True
    return False


def _version_view(record, prefix, location):
    publishing = record.resource.get("properties", {}).get("publishingProfile") or {}
    return {"name": record.resource["name"], "location": location,
            "type": "Microsoft.Compute/images/versions",
            "identifier": {"uniqueId": prefix + "/Versions/" + record.resource["name"]},
            "properties": {"publishedDate": publishing.get("publishedDate"),
                           "endOfLifeDate": publishing.get("endOfLifeDate"),
                           "excludeFromLatest": bool(publishing.get("excludeFromLatest")),
                           "storageProfile": {}}}

"""Azure resource ids: one parser, one builder, one comparison, for every package.

``parse(text)`` reads a fully qualified ARM id (``/subscriptions/{s}/resourceGroups/{g}/providers/
{namespace}/{type}/{name}[/{type}/{name}...]``) into a ``ResourceId``; ``str(resource_id)`` writes it
back. ``image_reference(text)`` also reads the ids a VM can be made from that are not ARM ids of a
resource group: community gallery images (``/CommunityGalleries/{public name}/Images/{image}[/Versions/
{version}]``) and direct-shared ones (``/SharedGalleries/{unique name}/...``). Comparisons follow
the service: case-insensitive, a trailing slash ignored.
"""

import re
from dataclasses import dataclass
from typing import Optional, Tuple

COMPUTE = "Microsoft.Compute"

_ID = re.compile(r"^/subscriptions/(?P<subscription>[^/]+)/resourceGroups/(?P<resource_group>[^/]+)"
                 r"/providers/(?P<namespace>[^/]+)/(?P<rest>.+?)/?$", re.IGNORECASE)
# An id (or URL path) anywhere in a text: from "/subscriptions/" up to the first character that
# cannot belong to it.
ID_IN_TEXT = re.compile(r"/subscriptions/[^/\s'\"]+/resourceGroups/[^/\s'\"]+/providers/[^\s'\",;)\]}]+",
                        re.IGNORECASE)

# Resource types (namespace/type/type..., lower case) -> the short kinds the rules speak of.
KINDS = {
    "microsoft.compute/virtualmachines": "vm",
    "microsoft.compute/virtualmachinescalesets": "vmss",
    "microsoft.compute/images": "managed-image",
    "microsoft.compute/galleries": "gallery",
    "microsoft.compute/galleries/images": "gallery-image",
    "microsoft.compute/galleries/images/versions": "gallery-version",
    "microsoft.compute/snapshots": "snapshot",
    "microsoft.compute/disks": "disk",
    "microsoft.compute/diskencryptionsets": "disk-encryption-set",
    "microsoft.storage/storageaccounts": "storage-account",
}


@dataclass(frozen=True)
class ResourceId:
    """A fully qualified ARM resource id, split into its parts (names as written)."""

    subscription: str
    resource_group: str
    namespace: str
    types: Tuple[str, ...]
    names: Tuple[str, ...]

    @property
    def type(self):
        """The innermost type segment (``versions`` for an image version)."""
        return self.types[-1]

    @property
    def name(self):
        return self.names[-1]

    @property
    def resource_type(self):
        """``Microsoft.Compute/galleries/images/versions`` as written."""
        return "/".join((self.namespace,) + self.types)

    @property
    def kind(self):
        """vm, vmss, managed-image, gallery, gallery-image, gallery-version, snapshot, disk,
        disk-encryption-set, storage-account, or None for any other type."""
        return KINDS.get(self.resource_type.lower())

    def child(self, resource_type, name):
        return ResourceId(self.subscription, self.resource_group, self.namespace, self.types + (resource_type,),
                          self.names + (name,))

    @property
    def parent(self):
        """The enclosing resource (a version's definition, a definition's gallery), or None."""
        if len(self.types) < 2:
            return None
        return ResourceId(self.subscription, self.resource_group, self.namespace, self.types[:-1], self.names[:-1])

    def same(self, other):
        return same_id(str(self), str(other))

    def __str__(self):
        path = "/".join("{}/{}".format(kind, name) for kind, name in zip(self.types, self.names))
        return "/subscriptions/{}/resourceGroups/{}/providers/{}/{}".format(
            self.subscription, self.resource_group, self.namespace, path)


def parse(text):
    """The ``ResourceId`` of a fully qualified ARM id, or None when ``text`` is not one."""
    if not isinstance(text, str):
        return None
    match = _ID.match(text.strip())
    if not match:
        return None
    segments = match.group("rest").split("/")
    if len(segments) % 2:
        return None
    types, names = tuple(segments[0::2]), tuple(segments[1::2])
    if not all(names) or not all(types):
        return None
    return ResourceId(match.group("subscription"), match.group("resource_group"), match.group("namespace"),
                      types, names)


def is_resource_id(text):
    return parse(text) is not None


def kind_of(text):
    """The kind (``vm``, ``gallery-version``, ...) of a resource id, or None."""
    parsed = parse(text)
    return parsed.kind if parsed else None


def same_id(id1, id2):
    return (id1 or "").strip().rstrip("/").lower() == (id2 or "").strip().rstrip("/").lower()


def build(subscription, resource_group, resource_type, *names, namespace=COMPUTE):
    """``build(sub, rg, "galleries/images", "g", "i")`` -> the id of definition ``i`` of gallery ``g``."""
    types = tuple(resource_type.split("/"))
    if len(types) != len(names):
        raise ValueError("{} needs {} names, got {}".format(resource_type, len(types), len(names)))
    return str(ResourceId(subscription, resource_group, namespace, types, tuple(names)))


def gallery_id(subscription, resource_group, gallery, image=None, version=None):
    """The id of a gallery, or of a definition or version in it."""
    names = [name for name in (gallery, image, version) if name is not None]
    types = ("galleries", "images", "versions")[:len(names)]
    return str(ResourceId(subscription, resource_group, COMPUTE, types, tuple(names)))


def qualify(name_or_id, subscription, resource_group, resource_type, namespace=COMPUTE):
    """A bare name becomes the id of that resource in ``resource_group``, as az does for
    ``--managed-image myImage``; an id, and text starting with a slash (a malformed id to be
    reported as such), stay as they are."""
    if not name_or_id or name_or_id.startswith("/"):
        return name_or_id
    return build(subscription, resource_group, resource_type, name_or_id, namespace=namespace)


# ---- images a VM, scale set or disk is made from ----------------------------------------------

_SHARED = re.compile(r"^/(?P<scope>CommunityGalleries|SharedGalleries)/(?P<gallery>[^/]+)/Images/(?P<image>[^/]+)"
                     r"(?:/Versions/(?P<version>[^/]+))?/?$", re.IGNORECASE)


@dataclass(frozen=True)
class ImageReference:
    """A gallery image a VM is made from: ``scope`` is ``gallery`` (an ARM id in a resource
    group), ``community`` or ``shared`` (direct-shared). ``version`` may be ``latest`` or None
    (the definition itself: the latest version is used)."""

    scope: str
    gallery: str
    image: str
    version: Optional[str]
    resource_id: Optional[ResourceId] = None

    @property
    def is_latest(self):
        return self.version is None or self.version.lower() == "latest"

    @property
    def definition_id(self):
        """The ARM id of the definition (``gallery`` scope only)."""
        if self.resource_id is None:
            return None
        rid = self.resource_id
        return gallery_id(rid.subscription, rid.resource_group, self.gallery, self.image)

    @property
    def version_id(self):
        """The ARM id of the version (``gallery`` scope, a version other than ``latest``)."""
        if self.resource_id is None or self.is_latest:
            return None
        rid = self.resource_id
        return gallery_id(rid.subscription, rid.resource_group, self.gallery, self.image, self.version)


def image_reference(text):
    """The ``ImageReference`` of a gallery definition or version id (ARM, community or shared),
    or None for anything else (a marketplace URN, a managed image, a malformed id)."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    shared = _SHARED.match(text)
    if shared:
        scope = "community" if shared.group("scope").lower() == "communitygalleries" else "shared"
        return ImageReference(scope, shared.group("gallery"), shared.group("image"), shared.group("version"))
    parsed = parse(text)
    if parsed is None or parsed.namespace.lower() != COMPUTE.lower():
        return None
    types = [t.lower() for t in parsed.types]
    if types not in (["galleries", "images"], ["galleries", "images", "versions"]):
        return None
    version = parsed.names[2] if len(parsed.names) == 3 else None
    return ImageReference("gallery", parsed.names[0], parsed.names[1], version, parsed)

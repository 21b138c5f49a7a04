"""The typed request of each core command the doctor guards, read once from its arguments.

``parse(kind, arguments, subscription)`` takes the arguments of ``az sig create``,
``az sig image-definition create``, ``az sig image-version create`` or ``az vm|vmss|disk create``
(the same names and values az's parser hands those commands) and applies the rules the core
applies before it sends anything (azure-cli 2.91: ``process_gallery_image_version_namespace``,
``create_image_version``, ``create_gallery_image``, ``sig create``): the same syntax errors
(azclierror usage errors), names turned into ids in the command's resource group, the same
defaults. What the service would refuse is kept as typed, for a rule to report.

The checks evaluate it, the guarded creates send its body (``bodies``), explain reads it back
from a logged command line, and a fix is an edit of it (``edits``), written back onto the
user's own command line by ``arguments_of`` (the words that give each field its value, the typed
words kept for everything unchanged).
"""

from dataclasses import dataclass, field, replace
from typing import ClassVar, Optional, Tuple

from azure.cli.core.azclierror import (ArgumentUsageError, InvalidArgumentValueError, MutuallyExclusiveArgumentError,
                                       RequiredArgumentMissingError)

from azext_sig_doctor.domain import ids, regions

UNKNOWN_SUBSCRIPTION = "<subscription>"
# The storage types az takes inside a --target-regions entry (its validator's list, compared in
# lower case: PremiumV2_LRS is refused there, though --storage-account-type takes it).
REGION_STORAGE_TYPES = ("Standard_LRS", "Standard_ZRS", "Premium_LRS")
EDGE_ZONE_STORAGE_TYPES = ("Standard_LRS", "Standard_ZRS", "Premium_LRS", "StandardSSD_LRS")
CVM_ENCRYPTION_TYPES = ("EncryptedVMGuestStateOnlyWithPmk", "EncryptedWithPmk", "EncryptedWithCmk",
                        "NonPersistedTPM")
# az warns and leaves this SecurityType value out of the features it sends (backward compatibility).
COMPATIBLE_SECURITY_TYPE = "Standard"
DEFAULT_SECURITY_FEATURE = ("SecurityType", "TrustedLaunchSupported")


def usage_error(error_class, message, recommendation=None):
    return error_class(message, recommendation)


def _bool(value):
    """az's three-state flags: bare (True), true/false (any case); anything else stays as given."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    return value


def _int(value, option):
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        raise usage_error(InvalidArgumentValueError, "argument {}: invalid int value: '{}'".format(option, value),
                          "Give a whole number.") from None


def _tags(value):
    """``["a=b", "c"]`` (or the dict az's validator made of it) -> ``{"a": "b", "c": ""}``."""
    if value is None or isinstance(value, dict):
        return value
    tags = {}
    for item in value:
        key, _, text = str(item).partition("=")
        if key:
            tags[key] = text
    return tags


def _tag_words(tags):
    return [key if text == "" else "{}={}".format(key, text) for key, text in (tags or {}).items()]


# ---- names and ids ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Base:
    """What every request has: where it goes. ``subscription`` is None when unknown (offline
    without a login); ids are then built with ``<subscription>``."""

    subscription: Optional[str]
    resource_group: Optional[str]
    location: Optional[str] = None

    @property
    def sub(self):
        return self.subscription or UNKNOWN_SUBSCRIPTION

    def qualify(self, name, resource_type, namespace=ids.COMPUTE):
        return ids.qualify(name, self.sub, self.resource_group, resource_type, namespace)


class GalleryIds:
    """The ids of a gallery resource and its parents, from the request's names (for the kinds that
    have them: a gallery has no image, a definition no version)."""

    @property
    def gallery_id(self):
        return ids.gallery_id(self.sub, self.resource_group, self.gallery)

    @property
    def image_id(self):
        return ids.gallery_id(self.sub, self.resource_group, self.gallery, self.image)

    @property
    def version_id(self):
        return ids.gallery_id(self.sub, self.resource_group, self.gallery, self.image, self.version)


# ---- gallery ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GalleryRequest(GalleryIds, Base):
    kind: ClassVar[str] = "gallery"
    gallery: Optional[str] = None
    description: Optional[str] = None
    tags: Optional[dict] = None
    permissions: Optional[str] = None
    soft_delete: Optional[bool] = None
    soft_delete_grace_period: Optional[int] = None
    soft_delete_retention_period: Optional[int] = None
    publisher_uri: Optional[str] = None
    publisher_contact: Optional[str] = None
    eula: Optional[str] = None
    public_name_prefix: Optional[str] = None
    identity_system: Optional[bool] = None
    identity_user: Tuple[str, ...] = ()

    @property
    def resource_id(self):
        return self.gallery_id


def parse_gallery(arguments, subscription=None):
    a = arguments
    permissions = a.get("permissions")
    community = [a.get("publisher_uri"), a.get("publisher_contact"), a.get("eula"), a.get("public_name_prefix")]
    if (permissions or "").lower() == "community" and not all(community):
        raise usage_error(RequiredArgumentMissingError,
                          "If you want to share to the community, you need to fill in all the following parameters: "
                          "--publisher-uri, --publisher-email, --eula, --public-name-prefix.",
                          "Give all four, or leave out --permissions Community.")
    system = a.get("mi_system_assigned")
    return GalleryRequest(
        subscription, a.get("resource_group_name"), a.get("location"), gallery=a.get("gallery_name"),
        description=a.get("description"), tags=_tags(a.get("tags")), permissions=permissions,
        soft_delete=_bool(a.get("soft_delete")),
        soft_delete_grace_period=_int(a.get("soft_delete_grace_period"), "--soft-delete-grace-period"),
        soft_delete_retention_period=_int(a.get("soft_delete_retention_period"), "--soft-delete-retention-period"),
        publisher_uri=a.get("publisher_uri"), publisher_contact=a.get("publisher_contact"), eula=a.get("eula"),
        public_name_prefix=a.get("public_name_prefix"),
        # az's --mi-system-assigned is a flag whose value may arrive as the string "True".
        identity_system=bool(system) and str(system).lower() not in ("false", "0", "no") or None,
        identity_user=tuple(a.get("mi_user_assigned") or ()))


def gallery_arguments(request):
    return {
        "resource_group_name": request.resource_group, "gallery_name": request.gallery, "location": request.location,
        "description": request.description, "tags": _tag_words(request.tags) if request.tags is not None else None,
        "permissions": request.permissions, "soft_delete": request.soft_delete,
        "soft_delete_grace_period": request.soft_delete_grace_period,
        "soft_delete_retention_period": request.soft_delete_retention_period,
        "publisher_uri": request.publisher_uri, "publisher_contact": request.publisher_contact,
        "eula": request.eula, "public_name_prefix": request.public_name_prefix,
        "mi_system_assigned": request.identity_system or None,
        "mi_user_assigned": list(request.identity_user) or None,
    }


# ---- image definition ---------------------------------------------------------------------------

@dataclass(frozen=True)
class DefinitionRequest(GalleryIds, Base):
    kind: ClassVar[str] = "definition"
    gallery: Optional[str] = None
    image: Optional[str] = None
    os_type: Optional[str] = None
    publisher: Optional[str] = None
    offer: Optional[str] = None
    sku: Optional[str] = None
    os_state: str = "Generalized"
    hyper_v_generation: str = "V2"
    architecture: Optional[str] = None
    # (name, value) pairs as typed in --features; None when --features was not given.
    features: Optional[Tuple[Tuple[str, str], ...]] = None
    end_of_life_date: Optional[str] = None
    min_vcpus: Optional[int] = None
    max_vcpus: Optional[int] = None
    min_memory: Optional[int] = None
    max_memory: Optional[int] = None
    disallowed_disk_types: Tuple[str, ...] = ()
    plan_name: Optional[str] = None
    plan_publisher: Optional[str] = None
    plan_product: Optional[str] = None
    eula: Optional[str] = None
    description: Optional[str] = None
    privacy_statement_uri: Optional[str] = None
    release_note_uri: Optional[str] = None
    tags: Optional[dict] = None
    # False outside az's "latest" cloud profile, where az adds no default security feature.
    latest_profile: bool = field(default=True, compare=False)

    @property
    def resource_id(self):
        return self.image_id

    @property
    def sent_features(self):
        """The features az sends, as (name, value) pairs, or None: a V2 definition gets
        SecurityType=TrustedLaunchSupported unless a SecurityType is named, and
        SecurityType=Standard is left out."""
        if self.features is None:
            if self.latest_profile and self.hyper_v_generation == "V2":
                return (DEFAULT_SECURITY_FEATURE,)
            return None
        sent = [(name, value) for name, value in self.features
                if not (name == "SecurityType" and value == COMPATIBLE_SECURITY_TYPE)]
        if self.hyper_v_generation == "V2" and not any(name == "SecurityType" for name, _ in self.features):
            sent.append(DEFAULT_SECURITY_FEATURE)
        return tuple(sent)

    @property
    def security_type(self):
        """The SecurityType the definition will have (Standard when none is sent)."""
        for name, value in self.sent_features or ():
            if name == "SecurityType":
                return value
        return "Standard"

    @property
    def plan(self):
        if not any([self.plan_name, self.plan_publisher, self.plan_product]):
            return None
        return {"name": self.plan_name, "publisher": self.plan_publisher, "product": self.plan_product}


def parse_features(text):
    """``"SecurityType=TrustedLaunch IsAcceleratedNetworkSupported=true"`` -> pairs, as az reads them."""
    pairs = []
    for item in (text or "").split():
        if "=" not in item:
            raise usage_error(InvalidArgumentValueError, "The feature '{}' is not of the form KEY=VALUE.".format(item),
                              'Write --features "SecurityType=TrustedLaunch IsAcceleratedNetworkSupported=true".')
        name, value = item.split("=", 1)
        pairs.append((name, value))
    return tuple(pairs)


def features_text(pairs):
    return " ".join("{}={}".format(name, value) for name, value in pairs)


def parse_definition(arguments, subscription=None, latest_profile=True):
    a = arguments
    features = a.get("features")
    return DefinitionRequest(
        subscription, a.get("resource_group_name"), a.get("location"), gallery=a.get("gallery_name"),
        image=a.get("gallery_image_name"), os_type=a.get("os_type"), publisher=a.get("publisher"),
        offer=a.get("offer"), sku=a.get("sku"), os_state=a.get("os_state") or "Generalized",
        hyper_v_generation=a.get("hyper_v_generation") or "V2", architecture=a.get("architecture"),
        features=parse_features(features) if features is not None else None,
        end_of_life_date=a.get("end_of_life_date"),
        min_vcpus=_int(a.get("minimum_cpu_core"), "--minimum-cpu-core"),
        max_vcpus=_int(a.get("maximum_cpu_core"), "--maximum-cpu-core"),
        min_memory=_int(a.get("minimum_memory"), "--minimum-memory"),
        max_memory=_int(a.get("maximum_memory"), "--maximum-memory"),
        disallowed_disk_types=tuple(a.get("disallowed_disk_types") or ()), plan_name=a.get("plan_name"),
        plan_publisher=a.get("plan_publisher"), plan_product=a.get("plan_product"), eula=a.get("eula"),
        description=a.get("description"), privacy_statement_uri=a.get("privacy_statement_uri"),
        release_note_uri=a.get("release_note_uri"), tags=_tags(a.get("tags")), latest_profile=latest_profile)


def definition_arguments(request):
    return {
        "resource_group_name": request.resource_group, "gallery_name": request.gallery,
        "gallery_image_name": request.image, "os_type": request.os_type, "publisher": request.publisher,
        "offer": request.offer, "sku": request.sku,
        # az's defaults are not written out: an unchanged default stays unsaid.
        "os_state": request.os_state, "hyper_v_generation": request.hyper_v_generation,
        "architecture": request.architecture,
        "features": features_text(request.features) if request.features is not None else None,
        "location": request.location, "end_of_life_date": request.end_of_life_date,
        "minimum_cpu_core": request.min_vcpus, "maximum_cpu_core": request.max_vcpus,
        "minimum_memory": request.min_memory, "maximum_memory": request.max_memory,
        "disallowed_disk_types": list(request.disallowed_disk_types) or None, "plan_name": request.plan_name,
        "plan_publisher": request.plan_publisher, "plan_product": request.plan_product, "eula": request.eula,
        "description": request.description, "privacy_statement_uri": request.privacy_statement_uri,
        "release_note_uri": request.release_note_uri,
        "tags": _tag_words(request.tags) if request.tags is not None else None,
    }


# ---- image version ------------------------------------------------------------------------------

@dataclass(frozen=True)
class RegionEncryption:
    """A region's --target-region-encryption entry: the OS disk's set (None for ``null``; an empty
    name stays '' for the format rule) and (lun, set) per data disk."""

    os_des: Optional[str] = None
    data: Tuple[Tuple[int, str], ...] = ()

    @property
    def is_empty(self):
        return self.os_des is None and not self.data


@dataclass(frozen=True)
class CvmEncryption:
    type: str
    des: Optional[str] = None


@dataclass(frozen=True)
class TargetRegion:
    """One target region: the entry of --target-regions (``name[=count][=storage type]``) and the
    entries of --target-region-encryption and --target-region-cvm-encryption at its position.
    ``typed*`` hold the words the user typed (not compared): an unchanged region is written back
    as typed."""

    name: str
    replica_count: Optional[int] = None
    storage_account_type: Optional[str] = None
    encryption: Optional[RegionEncryption] = None
    cvm: Optional[CvmEncryption] = None
    typed: Optional[str] = field(default=None, compare=False)
    typed_encryption: Optional[str] = field(default=None, compare=False)
    typed_cvm: Optional[str] = field(default=None, compare=False)

    @property
    def key(self):
        return regions.key(self.name)

    def word(self):
        """The --target-regions entry (as typed when unchanged)."""
        if self.typed is not None:
            return self.typed
        parts = [regions.short_name(self.name)]
        if self.replica_count is not None:
            parts.append(str(self.replica_count))
        if self.storage_account_type:
            parts.append(self.storage_account_type)
        return "=".join(parts)

    def encryption_word(self):
        if self.typed_encryption is not None:
            return self.typed_encryption
        encryption = self.encryption or RegionEncryption()
        terms = ["null" if encryption.os_des is None else encryption.os_des]
        for lun, des in encryption.data:
            terms += [str(lun), des]
        return ",".join(terms)

    def cvm_word(self):
        if self.typed_cvm is not None:
            return self.typed_cvm
        cvm = self.cvm
        return "{},{}".format(cvm.type, cvm.des or "") if cvm else None

    def changed(self, **fields):
        """A copy with ``fields`` set; the typed words of what changed are dropped."""
        typed = {}
        if set(fields) & {"name", "replica_count", "storage_account_type"}:
            typed["typed"] = None
        if "encryption" in fields:
            typed["typed_encryption"] = None
        if "cvm" in fields:
            typed["typed_cvm"] = None
        return replace(self, **fields, **typed)


@dataclass(frozen=True)
class DataDisk:
    """A data disk of the source: from a snapshot or disk (``source_id``) or a VHD (``uri`` and its
    ``storage_account``)."""

    lun: int
    source_id: Optional[str] = None
    uri: Optional[str] = None
    storage_account: Optional[str] = None

    @property
    def source(self):
        return self.source_id or self.uri


@dataclass(frozen=True)
class VersionSource:
    virtual_machine: Optional[str] = None
    managed_image: Optional[str] = None
    image_version: Optional[str] = None
    os_snapshot: Optional[str] = None
    os_vhd_uri: Optional[str] = None
    os_vhd_storage_account: Optional[str] = None
    data_disks: Tuple[DataDisk, ...] = ()

    PRIMARY_ROLES: ClassVar[Tuple[str, ...]] = ("virtual_machine", "managed_image", "image_version", "os_snapshot")

    @property
    def primary(self):
        """(role, id) of the source that decides the version's region and OS; (``os_vhd``, None)
        for a VHD; (None, None) when there is none."""
        for role in self.PRIMARY_ROLES:
            if getattr(self, role):
                return role, getattr(self, role)
        if self.os_vhd_uri:
            return "os_vhd", None
        return None, None

    def resource_ids(self):
        """(role, id) of every resource the source names, the VM/image/version first."""
        pairs = [(role, getattr(self, role)) for role in self.PRIMARY_ROLES if getattr(self, role)]
        pairs += [("data_disk", disk.source_id) for disk in self.data_disks if disk.source_id]
        return pairs


@dataclass(frozen=True)
class VersionRequest(GalleryIds, Base):
    kind: ClassVar[str] = "version"
    gallery: Optional[str] = None
    image: Optional[str] = None
    version: Optional[str] = None
    target_regions: Tuple[TargetRegion, ...] = ()
    replica_count: Optional[int] = None
    storage_account_type: Optional[str] = None
    replication_mode: Optional[str] = None
    end_of_life_date: Optional[str] = None
    exclude_from_latest: Optional[bool] = None
    tags: Optional[dict] = None
    source: VersionSource = VersionSource()
    target_edge_zones: Tuple[str, ...] = ()
    target_zone_encryption: Tuple[str, ...] = ()
    allow_replicated_location_deletion: Optional[bool] = None
    block_deletion_before_end_of_life: Optional[bool] = None
    # The source options as typed (for writing an unchanged source back as it was given).
    typed_source: Optional[dict] = field(default=None, compare=False)

    @property
    def resource_id(self):
        return self.version_id

    def regions_sent(self, home_region):
        """The target regions as the request sends them: the version's own region alone when none
        were given (az's default)."""
        if self.target_regions:
            return self.target_regions
        return (TargetRegion(home_region),) if home_region else ()

    def des_ids(self):
        """Every disk encryption set the request names, once, in order."""
        found = []
        for region in self.target_regions:
            encryption = region.encryption or RegionEncryption()
            for des in [encryption.os_des] + [des for _, des in encryption.data] + \
                    [region.cvm.des if region.cvm else None]:
                if des and des not in found:
                    found.append(des)
        return found


def parse_target_region(word):
    """``region[=count][=storage type]`` as az's validator reads it."""
    parts = word.split("=", 2)
    count = storage = None
    types = ", ".join(t.lower() for t in REGION_STORAGE_TYPES)
    if len(parts) == 2:
        try:
            count = int(parts[1])
        except ValueError:
            storage = parts[1]
            if storage.lower() not in [t.lower() for t in REGION_STORAGE_TYPES]:
                raise usage_error(ArgumentUsageError,
                                  "usage error: {} is an invalid target region argument. The second part is neither "
                                  "an integer replica count or a valid storage account type. Storage account types "
                                  "must be one of {}.".format(word, types),
                                  "Write region[=replica count][=storage account type], e.g. eastus=2=Standard_ZRS; "
                                  "PremiumV2_LRS is only taken by --storage-account-type.") from None
    elif len(parts) == 3:
        try:
            count = int(parts[1])
        except ValueError:
            raise usage_error(ArgumentUsageError,
                              "usage error: {} is an invalid target region argument. The second part must be a "
                              "valid integer replica count.".format(word),
                              "Write region=count=storage account type, e.g. eastus=2=Standard_ZRS.") from None
        storage = parts[2]
        if storage.lower() not in [t.lower() for t in REGION_STORAGE_TYPES]:
            raise usage_error(ArgumentUsageError,
                              "usage error: {} is an invalid target region argument. The third part is not a valid "
                              "storage account type. Storage account types must be one of {}.".format(word, types),
                              "PremiumV2_LRS is only taken by --storage-account-type.")
    return TargetRegion(parts[0], count, storage, typed=word)


def _lun(text, option):
    try:
        return int(text)
    except (TypeError, ValueError):
        raise usage_error(ArgumentUsageError,
                          "usage error: {} is an invalid {} argument. LUN and disk encryption set for data disk should "
                          "appear in pair. Example: osdes,0,datades0,1,datades1".format(text, option),
                          "Give one integer LUN per data disk, e.g. osdes,0,datades0,1,datades1.") from None


def parse_region_encryption(word, qualify_des):
    """``<os set>,<lun>,<set>,...`` (``null`` for no OS-disk set) as az's validator reads it."""
    terms = word.split(",")
    os_des = None if terms[0] == "null" else qualify_des(terms[0])
    rest = terms[1:]
    if len(rest) % 2:
        raise usage_error(ArgumentUsageError,
                          "usage error: LUN and disk encryption set for data disk should appear in pair in "
                          "--target-region-encryption. Example: osdes,0,datades0,1,datades1",
                          "Give a LUN and a disk encryption set for each data disk ('null' for no OS-disk set).")
    data = tuple((_lun(rest[i], "--target-region-encryption"), qualify_des(rest[i + 1]))
                 for i in range(0, len(rest), 2))
    return RegionEncryption(os_des, data)


def parse_cvm_encryption(word, qualify_des):
    terms = word.split(",")
    if len(terms) != 2:
        raise usage_error(ArgumentUsageError,
                          "usage error: {} is an invalid target region cvm encryption. Both os_cvm_encryption_type "
                          "and os_cvm_des parameters are required.".format(terms),
                          "Write <encryption type>,<disk encryption set> per region; the set may be empty.")
    if terms[0] not in CVM_ENCRYPTION_TYPES:
        raise usage_error(ArgumentUsageError,
                          "usage error: {} is an invalid os_cvm_encryption_type. The valid values for "
                          "os_cvm_encryption_type are {}".format(terms, ", ".join(CVM_ENCRYPTION_TYPES)),
                          "Use one of {}.".format(", ".join(CVM_ENCRYPTION_TYPES)))
    return CvmEncryption(terms[0], qualify_des(terms[1]) if terms[1] else None)


def _lun_list(values, option):
    result = []
    for value in values:
        try:
            result.append(int(value))
        except (TypeError, ValueError):
            raise usage_error(InvalidArgumentValueError, "argument {}: invalid int value: '{}'".format(option, value),
                              "Give one whole-number LUN per disk, e.g. {} 0 1.".format(option)) from None
    return result


def parse_version(arguments, subscription=None):
    a = arguments
    base = Base(subscription, a.get("resource_group_name"))

    def qualify_des(name):
        return base.qualify(name, "diskEncryptionSets")

    words = list(a.get("target_regions") or [])
    encryption = list(a.get("target_region_encryption") or [])
    cvm = list(a.get("target_region_cvm_encryption") or [])
    if words and encryption and len(encryption) != len(words):
        raise usage_error(InvalidArgumentValueError,
                          "usage error: Length of --target-region-encryption should be as same as length of target "
                          "regions", "Give one --target-region-encryption entry per target region, in the same order.")
    if words and cvm and len(cvm) != len(words):
        raise usage_error(InvalidArgumentValueError,
                          "usage error: Length of --target_region_cvm_encryption should be as same as length of target "
                          "regions", "Give one --target-region-cvm-encryption entry per target region.")
    target_regions = []
    for index, word in enumerate(words):
        region = parse_target_region(word)
        if encryption:
            region = replace(region, encryption=parse_region_encryption(encryption[index], qualify_des),
                             typed_encryption=encryption[index])
        if cvm:
            region = replace(region, cvm=parse_cvm_encryption(cvm[index], qualify_des), typed_cvm=cvm[index])
        target_regions.append(region)

    source = _parse_source(a, base)
    edge_zones = tuple(a.get("target_edge_zones") or ())
    zone_encryption = tuple(a.get("target_zone_encryption") or ())
    if edge_zones and zone_encryption and len(edge_zones) != len(zone_encryption) and \
            not (len(edge_zones) == 1 and edge_zones[0].lower() == "none"):
        raise usage_error(InvalidArgumentValueError,
                          "usage error: Length of --target-edge-zone-encryption should be as same as length of "
                          "--target-edge-zones", "Give one encryption entry per edge zone.")
    typed_source = {dest: a[dest] for dest in _SOURCE_DESTS if a.get(dest) is not None}
    return VersionRequest(
        subscription, a.get("resource_group_name"), a.get("location"), gallery=a.get("gallery_name"),
        image=a.get("gallery_image_name"), version=a.get("gallery_image_version"),
        target_regions=tuple(target_regions), replica_count=_int(a.get("replica_count"), "--replica-count"),
        storage_account_type=a.get("storage_account_type"), replication_mode=a.get("replication_mode"),
        end_of_life_date=a.get("end_of_life_date"), exclude_from_latest=_bool(a.get("exclude_from_latest")),
        tags=_tags(a.get("tags")), source=source, target_edge_zones=edge_zones,
        target_zone_encryption=zone_encryption,
        allow_replicated_location_deletion=_bool(a.get("allow_replicated_location_deletion")),
        block_deletion_before_end_of_life=_bool(a.get("block_deletion_before_end_of_life")),
        typed_source=typed_source)


_SOURCE_DESTS = ("virtual_machine", "managed_image", "image_version", "os_snapshot", "data_snapshots",
                 "data_snapshot_luns", "os_vhd_uri", "os_vhd_storage_account", "data_vhds_uris", "data_vhds_luns",
                 "data_vhds_storage_accounts")


def _parse_source(a, base):
    """The source options as az reads them (names become ids in the command's resource group)."""
    given = [option for option in ("managed_image", "virtual_machine", "image_version") if a.get(option)]
    if len(given) > 1:
        raise usage_error(MutuallyExclusiveArgumentError,
                          "usage error: please specify only one of --managed-image, --virtual-machine and "
                          "--image-version", "Give the source once, with the option of its kind.")
    data_snapshots = [base.qualify(name, "snapshots") for name in a.get("data_snapshots") or []]
    snapshot_luns = a.get("data_snapshot_luns")
    if snapshot_luns and not data_snapshots:
        raise usage_error(ArgumentUsageError,
                          "usage error: --data-snapshot-luns must be used together with --data-snapshots",
                          "Give --data-snapshots with one snapshot per LUN.")
    if snapshot_luns and len(snapshot_luns) != len(data_snapshots):
        raise usage_error(ArgumentUsageError,
                          "usage error: Length of --data-snapshots and --data-snapshot-luns should be equal.",
                          "Give one LUN per data snapshot, in the same order.")
    luns = _lun_list(snapshot_luns, "--data-snapshot-luns") if snapshot_luns else list(range(len(data_snapshots)))
    disks = [DataDisk(lun, source_id=source) for lun, source in zip(luns, data_snapshots)]

    os_vhd_uri, os_vhd_account = a.get("os_vhd_uri"), a.get("os_vhd_storage_account")
    if bool(os_vhd_uri) != bool(os_vhd_account):
        raise usage_error(ArgumentUsageError, "--os-vhd-uri and --os-vhd-storage-account should be used together.",
                          "Give the blob URI and the storage account that holds it.")
    uris, vhd_luns, accounts = a.get("data_vhds_uris"), a.get("data_vhds_luns"), a.get("data_vhds_storage_accounts")
    if bool(uris) != bool(accounts):
        raise usage_error(ArgumentUsageError,
                          "--data-vhds-uris and --data-vhds-storage-accounts should be used together.",
                          "Give one storage account per VHD URI.")
    if vhd_luns and not uris:
        raise usage_error(ArgumentUsageError, "usage error: --data-vhds-luns must be used together with "
                                              "--data-vhds-uris", "Give --data-vhds-uris too.")
    if uris:
        vhd_luns = _lun_list(vhd_luns, "--data-vhds-luns") if vhd_luns is not None else list(range(len(uris)))
        if not len(uris) == len(vhd_luns) == len(accounts):
            raise usage_error(ArgumentUsageError, "Length of --data-vhds-uris, --data-vhds-luns, "
                                                  "--data-vhds-storage-accounts must be same.",
                              "Give one LUN and one storage account per VHD URI.")
        disks += [DataDisk(lun, uri=uri, storage_account=base.qualify(account, "storageAccounts", "Microsoft.Storage"))
                  for uri, lun, account in zip(uris, vhd_luns, accounts)]

    virtual_machine = a.get("virtual_machine")
    image_version = a.get("image_version")
    managed_image = a.get("managed_image")
    if managed_image and not ids.is_resource_id(managed_image):
        managed_image = base.qualify(managed_image, "images")
    source = VersionSource(
        virtual_machine=virtual_machine, managed_image=managed_image, image_version=image_version,
        os_snapshot=base.qualify(a.get("os_snapshot"), "snapshots") if a.get("os_snapshot") else None,
        os_vhd_uri=os_vhd_uri,
        os_vhd_storage_account=base.qualify(os_vhd_account, "storageAccounts", "Microsoft.Storage")
        if os_vhd_account else None,
        data_disks=tuple(disks))
    return source


def source_arguments(source):
    """The source options that give ``source`` (ids for names: the same resources)."""
    snapshots = [disk for disk in source.data_disks if disk.source_id]
    vhds = [disk for disk in source.data_disks if disk.uri]
    return {
        "virtual_machine": source.virtual_machine, "managed_image": source.managed_image,
        "image_version": source.image_version, "os_snapshot": source.os_snapshot,
        "data_snapshots": [disk.source_id for disk in snapshots] or None,
        "data_snapshot_luns": [str(disk.lun) for disk in snapshots] or None,
        "os_vhd_uri": source.os_vhd_uri, "os_vhd_storage_account": source.os_vhd_storage_account,
        "data_vhds_uris": [disk.uri for disk in vhds] or None,
        "data_vhds_luns": [str(disk.lun) for disk in vhds] or None,
        "data_vhds_storage_accounts": [disk.storage_account for disk in vhds] or None,
    }


def version_arguments(request):
    regions_given = request.target_regions
    arguments = {
        "resource_group_name": request.resource_group, "gallery_name": request.gallery,
        "gallery_image_name": request.image, "gallery_image_version": request.version,
        "location": request.location,
        "target_regions": [region.word() for region in regions_given] or None,
        "target_region_encryption": [region.encryption_word() for region in regions_given]
        if any(region.encryption is not None for region in regions_given) else None,
        "target_region_cvm_encryption": [region.cvm_word() or "" for region in regions_given]
        if any(region.cvm is not None for region in regions_given) else None,
        "replica_count": request.replica_count, "storage_account_type": request.storage_account_type,
        "replication_mode": request.replication_mode, "end_of_life_date": request.end_of_life_date,
        "exclude_from_latest": request.exclude_from_latest,
        "tags": _tag_words(request.tags) if request.tags is not None else None,
        "target_edge_zones": list(request.target_edge_zones) or None,
        "target_zone_encryption": list(request.target_zone_encryption) or None,
        "allow_replicated_location_deletion": request.allow_replicated_location_deletion,
        "block_deletion_before_end_of_life": request.block_deletion_before_end_of_life,
    }
    typed = request.typed_source
    if typed is not None and _same_source(typed, request):
        arguments.update({dest: typed.get(dest) for dest in _SOURCE_DESTS})
    else:
        arguments.update(source_arguments(request.source))
    return arguments


def _same_source(typed, request):
    """Whether the typed source options still give the request's source (an edit may have changed it)."""
    try:
        return _parse_source(typed, request) == request.source
    except Exception:  # pylint: disable=broad-except
        return False


# ---- VM, scale set or disk from a gallery image -------------------------------------------------

@dataclass(frozen=True)
class VmRequest(Base):
    kind: ClassVar[str] = "vm"
    command: str = "vm"                # vm, vmss or disk: which core command this is
    name: Optional[str] = None
    image: Optional[str] = None        # --image or --gallery-image-reference as typed
    size: Optional[str] = None
    admin_username: Optional[str] = None
    # Credentials never enter the request: only whether they were given.
    password_given: bool = False
    ssh_keys_given: bool = False
    generate_ssh_keys: bool = False
    authentication_type: Optional[str] = None
    security_type: Optional[str] = None
    specialized: Optional[bool] = None
    plan_name: Optional[str] = None
    plan_publisher: Optional[str] = None
    plan_product: Optional[str] = None
    lun: Optional[int] = None

    @property
    def reference(self):
        return ids.image_reference(self.image)

    @property
    def for_disk(self):
        return self.command == "disk"

    @property
    def sends_os_profile(self):
        """az vm/vmss create send an OS profile (a default admin user and a generated or prompted
        credential) unless --specialized is given; az disk create sends none."""
        return not self.for_disk and not self.specialized

    @property
    def plan(self):
        if not any([self.plan_name, self.plan_publisher, self.plan_product]):
            return None
        return {"name": self.plan_name, "publisher": self.plan_publisher, "product": self.plan_product}


def parse_vm(arguments, subscription=None, command=None):
    a = arguments
    reference = a.get("gallery_image_reference") or a.get("image")
    if not reference:
        raise usage_error(InvalidArgumentValueError, "usage error: give --image (or --gallery-image-reference for a "
                                                     "disk)",
                          "Pass the id of a gallery image version or image definition, e.g. --image /subscriptions/"
                          "<sub>/resourceGroups/<rg>/providers/Microsoft.Compute/galleries/<gallery>/images/"
                          "<definition>/versions/1.0.0")
    if ids.image_reference(reference) is None:
        raise usage_error(InvalidArgumentValueError,
                          "'{}' is not the id of a gallery image definition or version".format(reference),
                          "check-vm checks VMs made from Azure Compute Gallery images: pass an id like /subscriptions/"
                          "<sub>/resourceGroups/<rg>/providers/Microsoft.Compute/galleries/<gallery>/images/"
                          "<definition>[/versions/<version>], /CommunityGalleries/<public name>/Images/<definition>"
                          "[/Versions/<version>] or /SharedGalleries/<unique name>/Images/<definition>[/Versions/"
                          "<version>]")
    if command is None:
        command = "disk" if a.get("gallery_image_reference") else "vm"
    lun = a.get("gallery_image_reference_lun")
    return VmRequest(
        subscription, a.get("resource_group_name"), a.get("location"), command=command, name=a.get("vm_name"),
        image=reference, size=a.get("size"), admin_username=a.get("admin_username"),
        password_given=a.get("admin_password") is not None, ssh_keys_given=bool(a.get("ssh_key_value")),
        generate_ssh_keys=bool(a.get("generate_ssh_keys")), authentication_type=a.get("authentication_type"),
        security_type=a.get("security_type"), specialized=_bool(a.get("specialized")),
        plan_name=a.get("plan_name"), plan_publisher=a.get("plan_publisher"), plan_product=a.get("plan_product"),
        lun=_int(lun, "--gallery-image-reference-lun"))


def vm_arguments(request):
    image_dest = "gallery_image_reference" if request.for_disk else "image"
    return {
        "resource_group_name": request.resource_group, "vm_name": request.name, image_dest: request.image,
        "location": request.location, "size": request.size, "admin_username": request.admin_username,
        "authentication_type": request.authentication_type, "security_type": request.security_type,
        "specialized": request.specialized, "plan_name": request.plan_name,
        "plan_publisher": request.plan_publisher, "plan_product": request.plan_product,
        "generate_ssh_keys": request.generate_ssh_keys or None,
        "gallery_image_reference_lun": request.lun,
    }


# ---- dispatch -----------------------------------------------------------------------------------

PARSERS = {"gallery": parse_gallery, "definition": parse_definition, "version": parse_version, "vm": parse_vm}
ARGUMENTS = {"gallery": gallery_arguments, "definition": definition_arguments, "version": version_arguments,
             "vm": vm_arguments}


def parse(kind, arguments, subscription=None, **options):
    """The typed request of ``kind`` from a core command's arguments (doctor options ignored)."""
    return PARSERS[kind](arguments, subscription, **options)


def arguments_of(request):
    """``{dest: value}`` that give ``request`` on a command line (None: the option is left out).
    Values are what az's parser hands over: strings, lists of strings, True for bare flags."""
    return ARGUMENTS[request.kind](request)


# ---- a request read back from the body it sent (explain, when the log has no command line) -------

def _dict(value):
    return value if isinstance(value, dict) else {}


def _items(value):
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _region_from_wire(item):
    encryption = _dict(item.get("encryption"))
    os_image = _dict(encryption.get("osDiskImage"))
    data = tuple((d.get("lun"), d.get("diskEncryptionSetId")) for d in _items(encryption.get("dataDiskImages"))
                 if isinstance(d.get("lun"), int))
    region_encryption = RegionEncryption(os_image.get("diskEncryptionSetId"), data) \
        if (os_image.get("diskEncryptionSetId") or data) else None
    profile = _dict(os_image.get("securityProfile"))
    cvm = CvmEncryption(profile["confidentialVMEncryptionType"], profile.get("secureVMDiskEncryptionSetId")) \
        if profile.get("confidentialVMEncryptionType") else None
    count = item.get("regionalReplicaCount")
    return TargetRegion(str(item.get("name") or ""), count if isinstance(count, int) else None,
                        item.get("storageAccountType"), region_encryption, cvm)


def _source_from_wire(storage):
    top = _dict(storage.get("source"))
    os_source = _dict(_dict(storage.get("osDiskImage")).get("source"))
    disks = []
    for item in _items(storage.get("dataDiskImages")):
        source = _dict(item.get("source"))
        if isinstance(item.get("lun"), int):
            disks.append(DataDisk(item["lun"], source_id=source.get("id"), uri=source.get("uri"),
                                  storage_account=source.get("storageAccountId")))
    image = top.get("id")
    return VersionSource(
        virtual_machine=top.get("virtualMachineId"),
        managed_image=image if image and ids.kind_of(image) != "gallery-version" else None,
        image_version=image if image and ids.kind_of(image) == "gallery-version" else None,
        os_snapshot=os_source.get("id"), os_vhd_uri=os_source.get("uri"),
        os_vhd_storage_account=os_source.get("storageAccountId"), data_disks=tuple(disks))


def from_body(resource_id, body):
    """The typed request that sends ``body`` to ``resource_id`` (a gallery, definition or version
    id), or None when the id is none of those or the body is not one of theirs."""
    parsed = ids.parse(resource_id)
    if parsed is None or not isinstance(body, dict):
        return None
    kind = {"gallery": "gallery", "gallery-image": "definition", "gallery-version": "version"}.get(parsed.kind)
    if kind is None:
        return None
    properties = _dict(body.get("properties"))
    tags = body.get("tags") if isinstance(body.get("tags"), dict) else None
    base = dict(subscription=parsed.subscription, resource_group=parsed.resource_group, location=body.get("location"),
                gallery=parsed.names[0])
    if kind == "gallery":
        sharing = _dict(properties.get("sharingProfile"))
        community = _dict(sharing.get("communityGalleryInfo"))
        soft_delete = _dict(properties.get("softDeletePolicy"))
        return GalleryRequest(description=properties.get("description"), tags=tags,
                              permissions=sharing.get("permissions"),
                              soft_delete=soft_delete.get("isSoftDeleteEnabled"),
                              publisher_uri=community.get("publisherUri"),
                              publisher_contact=community.get("publisherContact"), eula=community.get("eula"),
                              public_name_prefix=community.get("publicNamePrefix"), **base)
    if kind == "definition":
        identifier = _dict(properties.get("identifier"))
        recommended = _dict(properties.get("recommended"))
        features = tuple((f.get("name"), f.get("value")) for f in _items(properties.get("features"))) \
            if isinstance(properties.get("features"), list) else None
        plan = _dict(properties.get("purchasePlan"))
        return DefinitionRequest(
            image=parsed.names[1], os_type=properties.get("osType"), publisher=identifier.get("publisher"),
            offer=identifier.get("offer"), sku=identifier.get("sku"),
            os_state=properties.get("osState") or "Generalized",
            hyper_v_generation=properties.get("hyperVGeneration") or "V1", architecture=properties.get("architecture"),
            features=features, end_of_life_date=properties.get("endOfLifeDate"),
            min_vcpus=_dict(recommended.get("vCPUs")).get("min"), max_vcpus=_dict(recommended.get("vCPUs")).get("max"),
            min_memory=_dict(recommended.get("memory")).get("min"),
            max_memory=_dict(recommended.get("memory")).get("max"),
            disallowed_disk_types=tuple(_dict(properties.get("disallowed")).get("diskTypes") or ()),
            plan_name=plan.get("name"), plan_publisher=plan.get("publisher"), plan_product=plan.get("product"),
            eula=properties.get("eula"), tags=tags, **base)
    publishing = _dict(properties.get("publishingProfile"))
    safety = _dict(properties.get("safetyProfile"))
    count = publishing.get("replicaCount")
    return VersionRequest(
        image=parsed.names[1], version=parsed.names[2],
        target_regions=tuple(_region_from_wire(item) for item in _items(publishing.get("targetRegions"))),
        replica_count=count if isinstance(count, int) else None,
        storage_account_type=publishing.get("storageAccountType"), replication_mode=publishing.get("replicationMode"),
        end_of_life_date=publishing.get("endOfLifeDate"), exclude_from_latest=publishing.get("excludeFromLatest"),
        tags=tags, source=_source_from_wire(_dict(properties.get("storageProfile"))),
        allow_replicated_location_deletion=safety.get("allowDeletionOfReplicatedLocations"),
        block_deletion_before_end_of_life=safety.get("blockDeletionBeforeEndOfLife"), **base)

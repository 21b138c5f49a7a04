"""The Az PowerShell twin of a typed request: the cmdlet line that sends the same body.

``twin(request, location)`` gives ``(line, None)``, or ``(None, reason)`` when Az PowerShell has no
parameter for something the request sets (the twin would then do something else than the az
line). Values are written from what az sends (the features az adds by default are passed
explicitly), so both lines create the same resource. ``--subscription`` becomes a
``Set-AzContext`` in front: Az cmdlets act on the context's subscription.
"""

import re

from azext_sig_doctor.domain.bodies import iso_datetime

_BARE = re.compile(r"^[A-Za-z0-9_./:]+$")


def literal(value):
    """A PowerShell literal: numbers and booleans as such, text in single quotes ('' for '). A
    secret in the text is masked before quoting (quoting would hide it from the masker)."""
    from azext_sig_doctor.secrets import mask
    if isinstance(value, bool):
        return "$true" if value else "$false"
    if isinstance(value, int):
        return str(value)
    return "'{}'".format(mask(str(value)).replace("'", "''"))


def _hashtable(pairs):
    return "@{" + "; ".join("{}={}".format(key, value) for key, value in pairs if value is not None) + "}"


def _array(items):
    return "@(" + ", ".join(items) + ")"


def _tags(tags):
    return _hashtable([(literal(key), literal(value)) for key, value in (tags or {}).items()])


class _Line:
    def __init__(self, cmdlet):
        self.words = [cmdlet]

    def add(self, name, value=None, switch=False):
        if switch:
            self.words.append("-" + name)
        elif value is not None:
            self.words.append("-{} {}".format(name, value))
        return self

    def text(self, subscription=None):
        line = " ".join(self.words)
        if subscription:
            line = "Set-AzContext -Subscription {} | Out-Null; {}".format(literal(subscription), line)
        return line


def twin(request, location=None, subscription=None):
    """``(line, None)`` or ``(None, reason)``; ``location`` is where the resource goes (Az PowerShell
    requires it), ``subscription`` the one --subscription named (None: the current one)."""
    return _TWINS[request.kind](request, location or request.location, subscription)


def _unsupported(what):
    return None, "Az PowerShell has no parameter for {}; use the az line".format(what)


def _gallery(request, location, subscription):
    if request.soft_delete is not None or request.soft_delete_grace_period is not None or \
            request.soft_delete_retention_period is not None:
        return _unsupported("the soft-delete settings")
    if request.identity_system or request.identity_user:
        return _unsupported("the gallery's managed identity")
    line = _Line("New-AzGallery").add("ResourceGroupName", literal(request.resource_group)) \
        .add("Name", literal(request.gallery)).add("Location", literal(location))
    line.add("Description", literal(request.description) if request.description else None)
    line.add("Permission", literal(request.permissions) if request.permissions else None)
    for name, value in (("PublisherUri", request.publisher_uri), ("PublisherContact", request.publisher_contact),
                        ("Eula", request.eula), ("PublicNamePrefix", request.public_name_prefix)):
        line.add(name, literal(value) if value else None)
    line.add("Tag", _tags(request.tags) if request.tags else None)
    return line.text(subscription), None


def _definition(request, location, subscription):
    r = request
    line = _Line("New-AzGalleryImageDefinition").add("ResourceGroupName", literal(r.resource_group)) \
        .add("GalleryName", literal(r.gallery)).add("Name", literal(r.image)).add("Location", literal(location))
    for name, value in (("Publisher", r.publisher), ("Offer", r.offer), ("Sku", r.sku), ("OsType", r.os_type),
                        ("OsState", r.os_state), ("HyperVGeneration", r.hyper_v_generation),
                        ("Architecture", r.architecture), ("Eula", r.eula), ("Description", r.description),
                        ("PrivacyStatementUri", r.privacy_statement_uri), ("ReleaseNoteUri", r.release_note_uri),
                        ("PurchasePlanName", r.plan_name), ("PurchasePlanPublisher", r.plan_publisher),
                        ("PurchasePlanProduct", r.plan_product)):
        line.add(name, literal(value) if value else None)
    for name, value in (("MinimumVCPU", r.min_vcpus), ("MaximumVCPU", r.max_vcpus), ("MinimumMemory", r.min_memory),
                        ("MaximumMemory", r.max_memory)):
        line.add(name, literal(value) if value is not None else None)
    if r.end_of_life_date:
        line.add("EndOfLifeDate", literal(iso_datetime(r.end_of_life_date)))
    if r.disallowed_disk_types:
        line.add("DisallowedDiskType", _array(literal(t) for t in r.disallowed_disk_types))
    features = r.sent_features
    if features:
        line.add("Feature", _array(_hashtable([("Name", literal(name)), ("Value", literal(value))])
                                   for name, value in features))
    line.add("Tag", _tags(r.tags) if r.tags else None)
    return line.text(subscription), None


def _region(region):
    pairs = [("Name", literal(region.name)),
             ("ReplicaCount", literal(region.replica_count) if region.replica_count is not None else None),
             ("StorageAccountType", literal(region.storage_account_type) if region.storage_account_type else None)]
    os_image, data = [], None
    if region.encryption is not None and region.encryption.os_des:
        os_image.append(("DiskEncryptionSetId", literal(region.encryption.os_des)))
    if region.cvm is not None:
        os_image.append(("CVMEncryptionType", literal(region.cvm.type)))
        if region.cvm.des:
            os_image.append(("CVMDiskEncryptionSetID", literal(region.cvm.des)))
    if region.encryption is not None and region.encryption.data:
        data = _array(_hashtable([("DiskEncryptionSetId", literal(des)), ("Lun", literal(lun))])
                      for lun, des in region.encryption.data)
    if os_image or data:
        pairs.append(("Encryption", _hashtable([("OSDiskImage", _hashtable(os_image) if os_image else None),
                                                ("DataDiskImages", data)])))
    return _hashtable(pairs)


def _version(request, location, subscription):
    r = request
    if r.replication_mode:
        return _unsupported("--replication-mode")
    if r.allow_replicated_location_deletion is not None or r.block_deletion_before_end_of_life is not None:
        return _unsupported("the safety profile (--allow-replicated-location-deletion, "
                            "--block-deletion-before-end-of-life)")
    if r.target_edge_zones:
        return _unsupported("--target-edge-zones in az's form")
    if not location:
        return None, "the version's region is unknown (no --location): Az PowerShell needs -Location"
    line = _Line("New-AzGalleryImageVersion").add("ResourceGroupName", literal(r.resource_group)) \
        .add("GalleryName", literal(r.gallery)).add("GalleryImageDefinitionName", literal(r.image)) \
        .add("Name", literal(r.version)).add("Location", literal(location))
    source = r.source
    if source.virtual_machine:
        line.add("SourceImageVMId", literal(source.virtual_machine))
    elif source.managed_image or source.image_version:
        line.add("SourceImageId", literal(source.managed_image or source.image_version))
    if source.os_snapshot:
        line.add("OSDiskImage", _hashtable([("Source", _hashtable([("Id", literal(source.os_snapshot))]))]))
    elif source.os_vhd_uri:
        line.add("OSDiskImage", _hashtable([("Source", _hashtable([
            ("Uri", literal(source.os_vhd_uri)), ("StorageAccountId", literal(source.os_vhd_storage_account))]))]))
    if source.data_disks:
        line.add("DataDiskImage", _array(_hashtable([
            ("Source", _hashtable([("Id", literal(disk.source_id))] if disk.source_id else
                                  [("Uri", literal(disk.uri)), ("StorageAccountId", literal(disk.storage_account))])),
            ("Lun", literal(disk.lun))]) for disk in source.data_disks))
    if r.target_regions:
        line.add("TargetRegion", _array(_region(region) for region in r.target_regions))
    line.add("ReplicaCount", literal(r.replica_count) if r.replica_count is not None else None)
    line.add("StorageAccountType", literal(r.storage_account_type) if r.storage_account_type else None)
    if r.end_of_life_date:
        line.add("PublishingProfileEndOfLifeDate", literal(iso_datetime(r.end_of_life_date)))
    if r.exclude_from_latest is True:
        line.add("PublishingProfileExcludeFromLatest", switch=True)
    elif r.exclude_from_latest is False:
        line.words.append("-PublishingProfileExcludeFromLatest:$false")
    line.add("Tag", _tags(r.tags) if r.tags else None)
    return line.text(subscription), None


def _vm(request, location, subscription):
    return None, "no Az PowerShell twin is written for VM, scale set or disk creates (New-AzVM needs a VM " \
                 "configuration the az line does not state); use the az line"


_TWINS = {"gallery": _gallery, "definition": _definition, "version": _version, "vm": _vm}

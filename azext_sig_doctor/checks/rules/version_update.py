"""Rules of `check-version` for a version that exists already (the create is an update of it), and
for the versions beside it."""

from azext_sig_doctor.checks.registry import failed, passed, rule, skipped, warned
from azext_sig_doctor.checks.rules.common import VERSION_NAME
from azext_sig_doctor.domain import facts, ids, regions
from azext_sig_doctor.domain.request import RegionEncryption
from azext_sig_doctor.i18n.catalog import msg


def _props(resource):
    return (resource or {}).get("properties") or {}


@rule("version.not-being-deleted", "version.update-while-deleting", "version",
      "The existing version is not being deleted", live=True, requires=("resource_group", "existing"))
def not_deleting(ctx):
    """A version being deleted takes no update until the delete has finished."""
    state = _props(ctx.existing()).get("provisioningState") or "present"
    if state.lower() == "deleting":
        return failed(msg("version.not-being-deleted", "deleting", version=ctx.request.version),
                      version=ctx.request.version)
    return passed(msg("version.not-being-deleted", "state", state=state))


@rule("version.source-unchanged", "version.source-id-change-not-allowed", "version",
      "An update keeps the version's source", live=True, requires=("resource_group", "existing"))
def source_unchanged(ctx):
    """The source of a version cannot change."""
    old = facts.version_source_id(ctx.existing())
    _, new = ctx.request.source.primary
    if old and new and not ids.same_id(old, new):
        return failed(msg("version.source-unchanged", "changed", old=old, new=new),
                      resource_id=new, property="storageProfile.source.id")
    return passed(msg("version.source-unchanged", "same"))


@rule("version.update-keeps-luns", "version.update-changes-data-disks", "version",
      "An update adds no data disk and changes no LUN", live=True, requires=("resource_group", "existing"))
def data_disks_unchanged(ctx):
    """The data disks of a version cannot change."""
    given = ctx.request.source.data_disks
    if not given:
        return passed(msg("version.update-keeps-luns", "none"))
    old = sorted(d.get("lun") for d in (_props(ctx.existing()).get("storageProfile") or {}).get("dataDiskImages")
                 or [])
    new = sorted(d.lun for d in given)
    if old != new:
        return failed(msg("version.update-keeps-luns", "changed", old=old, new=new), luns=",".join(map(str, new)))
    return passed(msg("version.update-keeps-luns", "same"))


def _existing_encrypted_luns(props):
    luns = {}
    for region in (props.get("publishingProfile") or {}).get("targetRegions") or []:
        for data in ((region.get("encryption") or {}).get("dataDiskImages") or []):
            luns.setdefault(regions.key(region.get("name")), set()).add(data.get("lun"))
    return luns


@rule("version.update-no-new-encryption", "version.update-adds-disk-encryption", "version",
      "An update adds no data disk encryption", live=True, requires=("resource_group", "existing"))
def no_encryption_added(ctx):
    """Encryption cannot be added to the data disks of an existing version."""
    before = _existing_encrypted_luns(_props(ctx.existing()))
    for region in ctx.request.target_regions:
        for lun, _ in (region.encryption or RegionEncryption()).data:
            if lun not in before.get(region.key, set()):
                return failed(msg("version.update-no-new-encryption", "added", lun=lun, region=region.name),
                              lun=lun, region=region.name)
    return passed(msg("version.update-no-new-encryption", "none"))


@rule("version.replicated-regions-kept", "version.update-drops-regions", "version",
      "An update keeps every region the version is already replicated to", live=True,
      requires=("resource_group", "existing"))
def regions_kept(ctx):
    """Removing a replicated region needs allowDeletionOfReplicatedLocations."""
    group = "version.replicated-regions-kept"
    props = _props(ctx.existing())
    if ctx.request.allow_replicated_location_deletion:
        return passed(msg(group, "allowed-by-option"))
    if (props.get("safetyProfile") or {}).get("allowDeletionOfReplicatedLocations"):
        return passed(msg(group, "allowed-by-version"))
    old = [r.get("name") for r in (props.get("publishingProfile") or {}).get("targetRegions") or []]
    # Without --target-regions az sends the version's own region alone, not the existing list.
    sent = ctx.request.regions_sent(ctx.location())
    if not sent:
        return skipped(msg(group, "region-unknown"))
    new = {r.key for r in sent}
    dropped = [name for name in old if regions.key(name) not in new]
    if dropped:
        return failed(msg(group, "dropped", regions=", ".join(dropped)), regions=", ".join(dropped),
                      region=dropped[0])
    return passed(msg(group, "kept"))


def _number(name):
    match = VERSION_NAME.match(name or "")
    return tuple(int(part) for part in match.groups()) if match else None


@rule("version.numbered-above-existing", "version.lower-than-existing", "version",
      "A new version is numbered above the definition's existing versions", live=True,
      requires=("resource_group", "definition"))
def numbered_above(ctx):
    """Version numbers are the order users and tools read: a new version numbered below an existing
    one is easily mistaken for an old one, and deployments that follow the newest number skip it."""
    group = "version.numbered-above-existing"
    mine = _number(ctx.request.version)
    if mine is None:
        return skipped(msg(group, "not-a-number"))
    listing = ctx.data(("versions_in_definition", ctx.request.image_id)) or {}
    others = [(number, item.get("name")) for item in listing.get("value") or []
              for number in [_number(item.get("name"))] if number is not None and number != mine]
    if not others:
        return passed(msg(group, "no-other"))
    highest, name = max(others)
    if mine < highest:
        return warned(msg(group, "below", version=ctx.request.version, highest=name),
                      version=ctx.request.version, value=name)
    return passed(msg(group, "above", version=ctx.request.version, highest=name))

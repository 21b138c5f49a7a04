"""Rules of `check-version` about security types: Trusted Launch and Confidential VM definitions."""

from azext_sig_doctor.checks.registry import failed, passed, rule, skipped
from azext_sig_doctor.domain import facts, ids, regions
from azext_sig_doctor.i18n.catalog import msg

# Definitions whose versions are bound to their home region ("Images with the ConfidentialVM feature").
CVM_TYPES = ("ConfidentialVM", "ConfidentialVMSupported")
# Definition security types that a VM source must match exactly (the "...Supported" types accept
# sources of several kinds and have their own rules).
EXACT_SECURITY_TYPES = ("Standard", "TrustedLaunch", "ConfidentialVM")


def _security(ctx):
    return facts.definition_security_type(ctx.definition())


@rule("version.trusted-launch-supported-source", "version.trusted-launch-supported-vm-source", "version",
      "A TrustedLaunchSupported definition takes a VHD, managed image or image version source, not a VM",
      live=True, requires="definition")
def trusted_launch_source(ctx):
    """The service takes VHD blobs, managed images and gallery versions into TrustedLaunchSupported definitions."""
    security = _security(ctx)
    role, source_id = ctx.request.source.primary
    kind = ids.kind_of(source_id) if source_id else None
    group = "version.trusted-launch-supported-source"
    if security in ("TrustedLaunchSupported", "TrustedLaunchAndConfidentialVmSupported") and kind == "vm":
        return failed(msg(group, "vm-source", security=security, id=source_id),
                      security_type=security, source_id=source_id)
    if kind or role:
        return passed(msg(group, "accepts", security=security, kind=kind or role))
    return passed(msg(group, "accepts-given", security=security))


@rule("version.source-security-type", "version.security-type-mismatch", "version",
      "A VM source runs with the security type the definition declares", live=True,
      requires=("definition", "vm_source"))
def source_security_type(ctx):
    """A VM is captured with its security type: it must be the definition's."""
    group = "version.source-security-type"
    security = _security(ctx)
    if security not in EXACT_SECURITY_TYPES:
        return passed(msg(group, "not-exact", security=security))
    actual = ctx.source().get("security_type") or "Standard"
    if actual.lower() != security.lower():
        source_id = ctx.request.source.primary[1]
        return failed(msg(group, "mismatch", id=source_id, actual=actual, security=security),
                      source_id=source_id, source_security_type=actual, security_type=security)
    return passed(msg(group, "match", actual=actual))


@rule("version.confidential-vm-source", "version.cvm-unsupported-source", "version",
      "A Confidential VM definition takes a snapshot, disk or VM source", live=True, requires="definition")
def confidential_source(ctx):
    """Confidential VM images come from snapshots, disks or VMs only."""
    security = _security(ctx)
    role, source_id = ctx.request.source.primary
    kind = ids.kind_of(source_id) if source_id else ("vhd" if role == "os_vhd" else None)
    if security in CVM_TYPES and kind not in ("snapshot", "disk", "vm", None):
        return failed(msg("version.confidential-vm-source", "unsupported", security=security, kind=kind,
                          id=source_id or ctx.request.source.os_vhd_uri),
                      security_type=security, source_id=source_id)
    return passed(msg("version.confidential-vm-source", "accepts", security=security))


@rule("version.confidential-vm-home-region-only", "version.cvm-home-region-only", "version",
      "A Confidential VM version targets only its home region unless it uses NonPersistedTPM", live=True,
      requires="definition")
def confidential_home_region(ctx):
    """A Confidential VM image is bound to its home region unless its encryption type is NonPersistedTPM."""
    group = "version.confidential-vm-home-region-only"
    security = _security(ctx)
    if security not in CVM_TYPES:
        return passed(msg(group, "not-cvm", security=security))
    home = ctx.location()
    if not home:
        return skipped(msg(group, "home-unknown"))
    others = [r for r in ctx.request.regions_sent(home) if not regions.same(r.name, home)
              and (r.cvm is None or r.cvm.type != "NonPersistedTPM")]
    if others:
        return failed(msg(group, "beyond-home", regions=", ".join(r.name for r in others), home=home),
                      region=home, regions=", ".join(r.name for r in others))
    return passed(msg(group, "home-only"))


@rule("version.confidential-vm-security-profile", "version.cvm-security-profile-missing", "version",
      "Every region of a Confidential VM version has an OS disk security profile", live=True, requires="definition")
def confidential_profile(ctx):
    """A ConfidentialVM definition needs the OS disk's Confidential VM encryption type in every region."""
    group = "version.confidential-vm-security-profile"
    security = _security(ctx)
    if security != "ConfidentialVM":
        return passed(msg(group, "not-cvm", security=security))
    lacking = [r.name for r in ctx.request.regions_sent(ctx.location()) if r.cvm is None]
    if lacking:
        return failed(msg(group, "missing", regions=", ".join(lacking)), region=lacking[0], security_type=security)
    return passed(msg(group, "every-region"))

"""Rules of `check-version` about security types: Trusted Launch and Confidential VM definitions."""

from azext_sig_doctor.checks.registry import failed, passed, rule, skipped
from azext_sig_doctor.domain import facts, ids, regions

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
    if security in ("TrustedLaunchSupported", "TrustedLaunchAndConfidentialVmSupported") and kind == "vm":
        return failed("The definition declares {} and the source is a VM ({}).".format(security, source_id),
                      security_type=security, source_id=source_id)
    return passed("Security type {} accepts a {} source.".format(security, kind or role or "given"))


@rule("version.source-security-type", "version.security-type-mismatch", "version",
      "A VM source runs with the security type the definition declares", live=True,
      requires=("definition", "vm_source"))
def source_security_type(ctx):
    """A VM is captured with its security type: it must be the definition's."""
    security = _security(ctx)
    if security not in EXACT_SECURITY_TYPES:
        return passed("Security type {} does not require one exact source security type.".format(security))
    actual = ctx.source().get("security_type") or "Standard"
    if actual.lower() != security.lower():
        source_id = ctx.request.source.primary[1]
        return failed("The source VM {} runs as {}; the definition declares {}.".format(source_id, actual, security),
                      source_id=source_id, source_security_type=actual, security_type=security)
    return passed("The source VM's security type ({}) matches the definition.".format(actual))


@rule("version.confidential-vm-source", "version.cvm-unsupported-source", "version",
      "A Confidential VM definition takes a snapshot, disk or VM source", live=True, requires="definition")
def confidential_source(ctx):
    """Confidential VM images come from snapshots, disks or VMs only."""
    security = _security(ctx)
    role, source_id = ctx.request.source.primary
    kind = ids.kind_of(source_id) if source_id else ("vhd" if role == "os_vhd" else None)
    if security in CVM_TYPES and kind not in ("snapshot", "disk", "vm", None):
        return failed("The definition declares {} and the source is a {} ({}).".format(
            security, kind, source_id or ctx.request.source.os_vhd_uri), security_type=security, source_id=source_id)
    return passed("Security type {} accepts this source.".format(security))


@rule("version.confidential-vm-home-region-only", "version.cvm-home-region-only", "version",
      "A Confidential VM version targets only its home region unless it uses NonPersistedTPM", live=True,
      requires="definition")
def confidential_home_region(ctx):
    """A Confidential VM image is bound to its home region unless its encryption type is NonPersistedTPM."""
    security = _security(ctx)
    if security not in CVM_TYPES:
        return passed("The definition is not a Confidential VM definition ({}).".format(security))
    home = ctx.location()
    if not home:
        return skipped("the version's home region is unknown")
    others = [r for r in ctx.request.regions_sent(home) if not regions.same(r.name, home)
              and (r.cvm is None or r.cvm.type != "NonPersistedTPM")]
    if others:
        return failed("Regions {} are beyond the home region '{}' without NonPersistedTPM.".format(
            ", ".join(r.name for r in others), home), region=home, regions=", ".join(r.name for r in others))
    return passed("The Confidential VM version stays in its home region or uses NonPersistedTPM.")


@rule("version.confidential-vm-security-profile", "version.cvm-security-profile-missing", "version",
      "Every region of a Confidential VM version has an OS disk security profile", live=True, requires="definition")
def confidential_profile(ctx):
    """A ConfidentialVM definition needs the OS disk's Confidential VM encryption type in every region."""
    security = _security(ctx)
    if security != "ConfidentialVM":
        return passed("The definition's security type is {}.".format(security))
    lacking = [r.name for r in ctx.request.regions_sent(ctx.location()) if r.cvm is None]
    if lacking:
        return failed("No --target-region-cvm-encryption for {}.".format(", ".join(lacking)), region=lacking[0],
                      security_type=security)
    return passed("Every region has a Confidential VM encryption type.")

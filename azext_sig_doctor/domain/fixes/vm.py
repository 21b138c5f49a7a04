"""Edits of a VM, scale set or disk request made from a gallery image."""

from dataclasses import replace

from azext_sig_doctor.domain.fixes import Edit, Unresolved, need, op


@op("specialized", "vm")
def specialized(request, lookup, value="true"):
    """--specialized for a specialized image (az then sends no OS profile); without it for a
    generalized one."""
    wanted = str(value).lower() == "true"
    if bool(request.specialized is True) == wanted:
        return None
    if wanted:
        return Edit("add --specialized (the image is specialized: az then sends no admin account)",
                    lambda current: replace(current, specialized=True), sets=(("specialized", True),))
    return Edit("leave out --specialized (the image is generalized: the VM needs an admin account)",
                lambda current: replace(current, specialized=None), sets=(("specialized", None),))


@op("security_type", "vm")
def security_type(request, lookup, value):
    if (request.security_type or "Standard").lower() == value.lower():
        return None
    if value.lower().startswith("confidentialvm"):
        return Unresolved("a Confidential VM also needs --os-disk-security-encryption-type and a size that "
                          "supports it: choose them (see az vm create --help)")
    return Edit("create the VM with --security-type {}".format(value),
                lambda current: replace(current, security_type=value), sets=(("security_type", value.lower()),))


@op("image_plan", "vm")
def image_plan(request, lookup):
    """The purchase plan of the image definition."""
    definition = need(lookup, "the image definition").image_definition()
    plan = ((definition or {}).get("properties") or {}).get("purchasePlan")
    if not plan:
        changes = dict(plan_name=None, plan_publisher=None, plan_product=None)
        summary = "leave out the plan options (the image has no purchase plan)"
    else:
        changes = dict(plan_name=plan.get("name"), plan_publisher=plan.get("publisher"),
                       plan_product=plan.get("product"))
        summary = "use the image's purchase plan {}/{}/{}".format(plan.get("publisher"), plan.get("product"),
                                                                  plan.get("name"))
    return Edit(summary, lambda current: replace(current, **changes), sets=tuple(sorted(changes.items())))


@op("data_disk_lun", "vm")
def data_disk_lun(request, lookup):
    version = need(lookup, "the image version").image_version()
    luns = sorted(d.get("lun") for d in (((version or {}).get("properties") or {}).get("storageProfile") or {})
                  .get("dataDiskImages") or [])
    if len(luns) != 1:
        return Unresolved("the version has {} data disks{}: pick the LUN of the one the disk is made from".format(
            len(luns) or "no", " (LUNs {})".format(", ".join(map(str, luns))) if luns else ""))
    return Edit("make the disk from the version's data disk at LUN {}".format(luns[0]),
                lambda current: replace(current, lun=luns[0]), sets=(("lun", luns[0]),))

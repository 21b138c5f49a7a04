"""Terraform plans: the JSON of ``terraform show -json PLANFILE`` (format_version 1.x).

Each ``resource_changes[]`` entry that creates, updates or replaces a gallery resource is a build:
``azurerm_shared_image_version`` (a version request: location, target_region blocks with
regional_replica_count / storage_account_type / disk_encryption_set_id, managed_image_id,
os_disk_snapshot_id, end_of_life_date, exclude_from_latest, replication_mode),
``azurerm_shared_image`` (a definition request: os_type, hyper_v_generation, identifier,
specialized, architecture, trusted_launch_* / confidential_vm_*), and the virtual machines and
scale sets made from a gallery image (``source_image_id``). A value known only after apply
(``change.after_unknown``) is Unknown. What the plan creates or changes in the same apply (the
gallery, the definition, the version a VM uses) is given to the rules as its planned state.
"""

from azext_sig_doctor.build.locate import JsonError, line_for, load_json
from azext_sig_doctor.build.model import TERRAFORM, Build, Template, Unknown
from azext_sig_doctor.build.packer import TemplateError, read_text

VERSION, DEFINITION, GALLERY = "azurerm_shared_image_version", "azurerm_shared_image", "azurerm_shared_image_gallery"
VMS = {"azurerm_linux_virtual_machine": "vm", "azurerm_windows_virtual_machine": "vm",
       "azurerm_linux_virtual_machine_scale_set": "vmss", "azurerm_windows_virtual_machine_scale_set": "vmss",
       "azurerm_orchestrated_virtual_machine_scale_set": "vmss"}
CHANGING = ("create", "update")
# Attributes Azure does not let change once the resource exists (the service refuses an update).
IMMUTABLE = {
    DEFINITION: ("location", "os_type", "hyper_v_generation", "identifier", "specialized", "architecture",
                 "trusted_launch_enabled", "trusted_launch_supported", "confidential_vm_enabled",
                 "confidential_vm_supported", "accelerated_network_support_enabled", "hibernation_enabled"),
    VERSION: ("location", "managed_image_id", "os_disk_snapshot_id", "blob_uri", "storage_account_id"),
}


def extract(path):
    try:
        data, lines = load_json(read_text(path))
    except JsonError as error:
        raise TemplateError(path, error.message, error.line, error.column) from None
    version = data.get("format_version") if isinstance(data, dict) else None
    if not isinstance(version, str) or not version.startswith("1."):
        raise TemplateError(path, "is not the JSON of `terraform show -json PLANFILE`: expected format_version "
                                  "1.x, found {}".format(repr(version) if version is not None else "none"),
                            line_for(lines, ("format_version",), 1))
    changes = data.get("resource_changes")
    if not isinstance(changes, list):
        raise TemplateError(path, "has no resource_changes list: is it a plan (terraform show -json PLANFILE), "
                                  "not a state?", 1)
    template = Template(TERRAFORM, path)
    references = _references(data.get("configuration") or {})
    planned, created = {}, set()
    entries = []
    for index, change in enumerate(changes):
        if not isinstance(change, dict) or change.get("mode", "managed") != "managed":
            continue
        body = change.get("change") if isinstance(change.get("change"), dict) else {}
        actions = [str(action) for action in body.get("actions") or []]
        if not any(action in CHANGING for action in actions):
            continue
        after = _after(body)
        entries.append((index, change, actions, after, body))
        key = _planned_key(change.get("type"), after)
        if key:
            planned[key] = _planned_json(change.get("type"), after)
            if "create" in actions and "delete" not in actions:
                created.add(key)
    for index, change, actions, after, body in entries:
        kind = change.get("type")
        if kind not in (VERSION, DEFINITION) and kind not in VMS:
            continue
        if kind in VMS and not isinstance(after.get("source_image_id"), (str, Unknown)):
            continue
        build = Build(TERRAFORM, change.get("address") or kind, path, line_for(lines, ("resource_changes", index)))
        base = ("resource_changes", index, "change", "after")
        build.blocks["after"] = line_for(lines, base)
        for key, value in after.items():
            _add(build, key, value, lines, base + (key,))
        build.facts.update(index=index, actions=actions, type=kind, before=body.get("before") or {}, after=after,
                           references=references.get(change.get("address"), {}), address=change.get("address"),
                           created=sorted(created))
        own = _planned_key(kind, after)
        build.planned = {key: value for key, value in planned.items() if key != own}
        {VERSION: _version, DEFINITION: _definition}.get(kind, _vm)(build, after)
        template.builds.append(build)
    if not template.builds:
        template.notes.append("the plan creates or changes no shared image, image version, or VM from a gallery "
                              "image")
    return template


def _add(build, key, value, lines, path):
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        for position, item in enumerate(value):
            block = "{}[{}]".format(key, position)
            build.blocks[block] = line_for(lines, path + (position,))
            for inner, inner_value in item.items():
                build.add("{}.{}".format(block, inner), inner_value, line_for(lines, path + (position, inner)))
        return
    build.add(key, value, line_for(lines, path))


def _after(body):
    """``change.after`` with every value ``after_unknown`` marks as Unknown."""
    after = body.get("after") if isinstance(body.get("after"), dict) else {}
    unknown = body.get("after_unknown") if isinstance(body.get("after_unknown"), dict) else {}

    def merge(value, marks, name):
        if marks is True:
            return Unknown("{} is known only after apply".format(name))
        if isinstance(value, dict) and isinstance(marks, dict):
            return {key: merge(value.get(key), marks.get(key), "{}.{}".format(name, key))
                    for key in set(value) | set(marks)}
        if isinstance(value, list) and isinstance(marks, list):
            return [merge(item, marks[i] if i < len(marks) else None, "{}[{}]".format(name, i))
                    for i, item in enumerate(value)] + [Unknown("{}[{}] is known only after apply".format(name, i))
                                                        for i in range(len(value), len(marks)) if marks[i] is True]
        return value
    return {key: merge(after.get(key), unknown.get(key), key) for key in set(after) | set(unknown)}


def _references(configuration):
    """{resource address: {attribute: [references]}} of the root module's configuration."""
    result = {}
    module = configuration.get("root_module") if isinstance(configuration, dict) else None
    for resource in (module or {}).get("resources") or []:
        expressions = resource.get("expressions") or {}
        result[resource.get("address")] = {key: (value or {}).get("references") or []
                                           for key, value in expressions.items() if isinstance(value, dict)}
        depends = resource.get("depends_on") or []
        if depends:
            result[resource.get("address")]["depends_on"] = list(depends)
    return result


def _text(value):
    return value if isinstance(value, str) else None


def _id(sub, group, *names):
    from azext_sig_doctor.domain import ids
    if not all(isinstance(part, str) and part for part in (sub, group) + names):
        return None
    return ids.gallery_id(sub, group, *names)


def _planned_key(kind, after):
    # The plan does not say the subscription: check.py builds the read keys with the login's.
    group = _text(after.get("resource_group_name"))
    if kind == GALLERY and group and _text(after.get("name")):
        return ("gallery", group.lower(), after["name"].lower())
    if kind == DEFINITION and group and _text(after.get("gallery_name")) and _text(after.get("name")):
        return ("definition", group.lower(), after["gallery_name"].lower(), after["name"].lower())
    if kind == VERSION and group and all(_text(after.get(k)) for k in ("gallery_name", "image_name", "name")):
        return ("version", group.lower(), after["gallery_name"].lower(), after["image_name"].lower(),
                after["name"].lower())
    return None


def _security_feature(after):
    for flag, value in (("trusted_launch_enabled", "TrustedLaunch"), ("trusted_launch_supported",
                                                                       "TrustedLaunchSupported"),
                        ("confidential_vm_enabled", "ConfidentialVM"), ("confidential_vm_supported",
                                                                         "ConfidentialVMSupported")):
        if after.get(flag) is True:
            return value
    return None


def _planned_json(kind, after):
    """The planned resource as ARM's JSON (what a GET would return once applied)."""
    location = _text(after.get("location"))
    if kind == GALLERY:
        return {"name": after.get("name"), "location": location, "properties": {"provisioningState": "Planned"}}
    if kind == DEFINITION:
        identifier = (after.get("identifier") or [{}])[0] if isinstance(after.get("identifier"), list) else {}
        security = _security_feature(after)
        return {"name": after.get("name"), "location": location, "properties": {
            "osType": after.get("os_type"), "osState": "Specialized" if after.get("specialized") else "Generalized",
            "hyperVGeneration": after.get("hyper_v_generation") or "V1", "architecture": after.get("architecture"),
            "identifier": {"publisher": identifier.get("publisher"), "offer": identifier.get("offer"),
                           "sku": identifier.get("sku")},
            "features": [{"name": "SecurityType", "value": security}] if security else [],
            "provisioningState": "Planned"}}
    regions = [{"name": region.get("name"), "regionalReplicaCount": region.get("regional_replica_count")}
               for region in after.get("target_region") or [] if isinstance(region, dict)]
    return {"name": after.get("name"), "location": location, "properties": {
        "publishingProfile": {"targetRegions": regions, "excludeFromLatest": after.get("exclude_from_latest")},
        "provisioningState": "Planned"}}


def _known(value):
    return None if isinstance(value, Unknown) else value


def _version(build, after):
    from azext_sig_doctor.domain.request import RegionEncryption, TargetRegion, VersionRequest, VersionSource
    target = []
    for region in after.get("target_region") or []:
        if not isinstance(region, dict) or not isinstance(region.get("name"), str):
            continue
        count = _known(region.get("regional_replica_count"))
        des = _known(region.get("disk_encryption_set_id"))
        target.append(TargetRegion(region["name"], count if isinstance(count, int) else None,
                                   _known(region.get("storage_account_type")),
                                   RegionEncryption(des) if isinstance(des, str) and des else None))
    source = VersionSource(managed_image=_text(_known(after.get("managed_image_id"))),
                           os_snapshot=_text(_known(after.get("os_disk_snapshot_id"))),
                           os_vhd_uri=_text(_known(after.get("blob_uri"))),
                           os_vhd_storage_account=_text(_known(after.get("storage_account_id"))))
    build.fields.update(resource_group="resource_group_name", gallery="gallery_name", image="image_name",
                        version="name", location="location", target_regions="target_region",
                        end_of_life_date="end_of_life_date", exclude_from_latest="exclude_from_latest",
                        replication_mode="replication_mode", source="managed_image_id")
    build.request = VersionRequest(
        None, _text(_known(after.get("resource_group_name"))), _text(_known(after.get("location"))),
        gallery=_text(_known(after.get("gallery_name"))), image=_text(_known(after.get("image_name"))),
        version=_text(_known(after.get("name"))), target_regions=tuple(target),
        replication_mode=_text(_known(after.get("replication_mode"))),
        end_of_life_date=_text(_known(after.get("end_of_life_date"))),
        exclude_from_latest=True if _known(after.get("exclude_from_latest")) is True else None, source=source,
        allow_replicated_location_deletion=_known(after.get("deletion_of_replicated_locations_enabled")) or None)


def _definition(build, after):
    from azext_sig_doctor.domain.request import DefinitionRequest
    identifier = after.get("identifier")
    identifier = identifier[0] if isinstance(identifier, list) and identifier and isinstance(identifier[0], dict) \
        else {}
    security = _security_feature(after) or "Standard"
    build.fields.update(resource_group="resource_group_name", gallery="gallery_name", image="name",
                        location="location", os_type="os_type", hyper_v_generation="hyper_v_generation",
                        publisher="identifier[0].publisher", offer="identifier[0].offer", sku="identifier[0].sku",
                        end_of_life_date="end_of_life_date", architecture="architecture")
    build.request = DefinitionRequest(
        None, _text(_known(after.get("resource_group_name"))), _text(_known(after.get("location"))),
        gallery=_text(_known(after.get("gallery_name"))), image=_text(_known(after.get("name"))),
        os_type=_text(_known(after.get("os_type"))), publisher=_text(_known(identifier.get("publisher"))),
        offer=_text(_known(identifier.get("offer"))), sku=_text(_known(identifier.get("sku"))),
        os_state="Specialized" if after.get("specialized") is True else "Generalized",
        hyper_v_generation=_text(_known(after.get("hyper_v_generation"))) or "V1",
        architecture=_text(_known(after.get("architecture"))),
        # azurerm sends only the SecurityType its flags name (none at all for Standard).
        features=(("SecurityType", security),), end_of_life_date=_text(_known(after.get("end_of_life_date"))),
        latest_profile=False)


def _vm(build, after):
    from azext_sig_doctor.domain.request import VmRequest
    os_disk = after.get("os_disk")
    os_disk = os_disk[0] if isinstance(os_disk, list) and os_disk and isinstance(os_disk[0], dict) else {}
    security = None
    if _known(os_disk.get("security_encryption_type")):
        security = "ConfidentialVM"
    elif after.get("secure_boot_enabled") is True or after.get("vtpm_enabled") is True:
        security = "TrustedLaunch"
    build.fields.update(resource_group="resource_group_name", image="source_image_id", location="location",
                        size="size" if "size" in after else "sku", security_type="secure_boot_enabled")
    build.request = VmRequest(
        None, _text(_known(after.get("resource_group_name"))), _text(_known(after.get("location"))),
        command=VMS[build.facts["type"]], name=_text(_known(after.get("name"))),
        image=_text(_known(after.get("source_image_id"))),
        size=_text(_known(after.get("size") or after.get("sku"))),
        admin_username=_text(_known(after.get("admin_username"))), security_type=security)

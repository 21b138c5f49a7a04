"""The fix of a failing finding in a template: the setting to change, at its file and line, with
the value to write when one can be written.

The knowledge-base entry names its edit op (``edit:`` in ``kb/*.yaml``); the op is applied to the
build's typed request (``domain.fixes``), exactly as a check's fixed command is, and the field it
changes is written back as the tool's setting. What no value can fix is said in the tool's words
(``domain.tools``).
"""

import json

from azext_sig_doctor.build.model import IMAGEBUILDER, PACKER, TERRAFORM
from azext_sig_doctor.build.packer import DEST

# Request field -> setting per tool (where check.py's fields map does not already say it).
_SETTINGS = {
    PACKER: {"image": DEST + ".image_name", "version": DEST + ".image_version", "location": "location",
             "replica_count": "shared_image_gallery_replica_count",
             "storage_account_type": DEST + ".storage_account_type"},
    IMAGEBUILDER: {"image": "distribute.galleryImageId", "version": "distribute.galleryImageId",
                   "location": "location", "storage_account_type": "distribute.storageAccountType"},
    TERRAFORM: {"image": "image_name", "version": "name", "location": "location", "target_regions": "target_region"},
}
# Where a rule's finding points when no edit says which setting changes.
RULE_FIELDS = {
    "version.name-format": "version", "version.unique-regions": "target_regions",
    "version.replica-count-range": "target_regions", "definition.end-of-life-in-future": "end_of_life_date",
    "definition.end-of-life-format": "end_of_life_date", "version.definition-exists": "image",
    "version.source-hyperv-generation": "image", "version.source-security-type": "image",
    "version.source-os-state": "image", "version.source-os-type": "image", "version.architecture-matches": "image",
    "version.trusted-launch-supported-source": "image", "version.confidential-vm-source": "image",
    "version.confidential-vm-home-region-only": "target_regions",
    "version.confidential-vm-security-profile": "target_regions", "gallery.region-available": "target_regions",
    "definition.zrs-supported-in-region": "storage_account_type", "limits.within-gallery-quotas": "target_regions",
    "version.target-regions-include-source": "target_regions", "gallery.resource-group-exists": "resource_group",
    "gallery.create-is-new": "version", "version.numbered-above-existing": "version",
    "build.version-name-free": "version", "build.packer-managed-image-security": "managed_image",
    "build.packer-shallow-replication": "target_regions", "build.packer-publish-timeout": "timeout",
    "build.terraform-location-targeted": "target_regions", "build.terraform-definition-order": "image",
    "vm.version-replicated-to-region": "location", "vm.image-exists": "image",
    "vm.security-type-matches-image": "security_type", "vm.trusted-launch-image-supported": "security_type",
    "definition.immutable-properties": "hyper_v_generation", "definition.name-format": "image",
}


def setting_of(build, field_name):
    return build.fields.get(field_name) or _SETTINGS.get(build.tool, {}).get(field_name)


def locate(build, finding):
    """(file, line, setting) a finding is about: the setting to change, else the build's block."""
    prop = (finding.get("values") or {}).get("property")
    if prop:
        for name in (prop, DEST + "." + prop, "distribute." + prop):
            if name in build.settings:
                return build.location_of(setting_name=name)
    field_name = RULE_FIELDS.get(finding["rule"])
    setting = setting_of(build, field_name) if field_name else None
    if setting:
        return build.location_of(setting_name=setting)
    return build.file, build.line, None


def _changed_field(old, new):
    for name in ("image", "version", "location", "target_regions", "replica_count", "storage_account_type",
                 "replication_mode", "security_type", "specialized"):
        if getattr(old, name, None) != getattr(new, name, None):
            return name
    return None


def _value(build, request, field_name):
    """The new value of ``field_name`` as the template writes it."""
    if field_name == "target_regions":
        regions_given = request.target_regions
        if build.tool == TERRAFORM:
            return [{"name": r.name, "regional_replica_count": r.replica_count or 1,
                     **({"storage_account_type": r.storage_account_type} if r.storage_account_type else {})}
                    for r in regions_given]
        if build.tool == IMAGEBUILDER and build.fields.get("target_regions") == "distribute.targetRegions":
            return [{"name": r.name, **({"replicaCount": r.replica_count} if r.replica_count else {})}
                    for r in regions_given]
        return [r.name for r in regions_given]
    if field_name in ("image", "version") and build.tool == IMAGEBUILDER:
        from azext_sig_doctor.domain import ids
        return ids.gallery_id(request.sub, request.resource_group, request.gallery, request.image,
                              request.version if build.facts.get("version_named") else None)
    return getattr(request, field_name)


def _text(build, setting, value):
    """The line to write: HCL (`name = value`) for .pkr.hcl files, else a JSON member."""
    short = setting.rsplit(".", 1)[-1] if setting else ""
    if build.tool == PACKER and not build.file.endswith(".json"):
        if short == "target_region":
            return "\n".join('target_region {{ name = {} }}'.format(json.dumps(name)) for name in value)
        return "{} = {}".format(short, json.dumps(value))
    return "{}: {}".format(json.dumps(short), json.dumps(value))


def template_edit(build, request, finding, lookup):
    """``{file, line, setting, value, text, summary}`` for a failing finding (``value`` None when
    only the sentence can say it), or None when the entry names no edit."""
    from azext_sig_doctor import knowledge
    from azext_sig_doctor.domain import tools
    from azext_sig_doctor.domain.fixes import Edit, build as build_edit
    try:
        entry = knowledge.get(finding["error_id"])
    except KeyError:
        return None
    spec = entry.data.get("edit")
    file_name, line, setting = locate(build, finding)
    op = spec.get("op") if spec else None
    sentence = tools.setting(op, build.tool, finding.get("values") or {}, where=build.name) if op else None
    result = None
    if spec:
        try:
            result = build_edit(spec, request, finding.get("values") or {}, lookup)
        except Exception:  # pylint: disable=broad-except
            result = None
    edit = {"file": file_name, "line": line, "setting": setting, "value": None, "text": None,
            "summary": sentence or (finding.get("fix") or None)}
    if isinstance(result, Edit):
        try:
            new = result.apply(request)
        except Exception:  # pylint: disable=broad-except
            new = request
        field_name = _changed_field(request, new)
        if field_name and field_name != "replication_mode" or (field_name == "replication_mode" and
                                                               setting_of(build, "replication_mode")):
            target = setting_of(build, field_name) or setting
            value = _value(build, new, field_name) if field_name != "replication_mode" else True
            if field_name == "replication_mode":
                target = setting_of(build, "replication_mode")
            edit_file, edit_line, _ = build.location_of(setting_name=target)
            edit.update(file=edit_file, line=edit_line, setting=target, value=value, text=_text(build, target, value),
                        summary=sentence or result.summary)
            edit["path"] = json_path(build, target)
        elif sentence is None:
            edit["summary"] = result.summary
    elif result is not None and hasattr(result, "reason"):
        edit["unresolved"] = result.reason
    return edit


def json_path(build, setting):
    """The JSON path of ``setting`` in a JSON template (None for HCL)."""
    if build.tool == TERRAFORM and setting and build.facts.get("index") is not None:
        return ["resource_changes", build.facts["index"], "change", "after"] + setting.split(".")
    return None

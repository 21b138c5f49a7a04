"""Azure Image Builder templates: the JSON given to ``az image builder create`` (a bare
``Microsoft.VirtualMachineImages/imageTemplates`` resource) or an ARM template whose resources
hold one or more of them.

Every ``SharedImage`` distribution is a build: it publishes a version into the definition named
by ``galleryImageId`` (a definition id: Image Builder names the version; a version id: that
version). Distribution fields by API version (Azure/azure-rest-api-specs, imagebuilder;
``ImageTemplateSharedImageDistributor``): ``replicationRegions`` and ``storageAccountType`` (until
2022-02-14, deprecated since); ``targetRegions`` [{name, replicaCount, storageAccountType}] from
2022-07-01, which supersedes them ("replicationRegions ... can be specified only if targetRegions
is not specified"); ``excludeFromLatest``; ``versioning`` from 2023-07-01. Sources: PlatformImage
(publisher/offer/sku), ManagedImage (imageId), SharedImageVersion (imageVersionId).
"""

import re

from azext_sig_doctor.build.armexpr import ArmValues
from azext_sig_doctor.build.locate import JsonError, line_for, load_json
from azext_sig_doctor.build.model import IMAGEBUILDER, Build, Template, Unknown
from azext_sig_doctor.build.packer import (TemplateError, platform_image_architecture, platform_image_generation,
                                           read_text)

RESOURCE_TYPE = "microsoft.virtualmachineimages/imagetemplates"
TARGET_REGIONS_SINCE = "2022-07-01"
VERSIONING_SINCE = "2023-07-01"


def extract(path, parameter_values=None):
    try:
        data, lines = load_json(read_text(path))
    except JsonError as error:
        raise TemplateError(path, error.message, error.line, error.column) from None
    if not isinstance(data, dict):
        raise TemplateError(path, "is not an Image Builder template: expected a JSON object")
    template = Template(IMAGEBUILDER, path)
    if isinstance(data.get("resources"), list):
        values = ArmValues(data, parameter_values)
        found = [(("resources", index), resource) for index, resource in enumerate(data["resources"])
                 if isinstance(resource, dict) and str(resource.get("type", "")).lower() == RESOURCE_TYPE]
        if not found:
            template.notes.append("the ARM template has no resource of type "
                                  "Microsoft.VirtualMachineImages/imageTemplates")
    elif isinstance(data.get("properties"), dict) and ("distribute" in data["properties"] or "source" in
                                                         data["properties"]):
        values = ArmValues()
        found = [((), data)]
    else:
        raise TemplateError(path, "is neither an Image Builder template (an object with properties.source and "
                                  "properties.distribute) nor an ARM template with imageTemplates resources", 1)
    for base, resource in found:
        _read_resource(template, path, lines, base, resource, values)
    if found and not template.builds and not template.notes:
        template.notes.append("no SharedImage distribution: the template publishes to no gallery")
    return template


def _read_resource(template, path, lines, base, resource, values):
    template_api = values.value(resource.get("apiVersion"))
    name = values.value(resource.get("name"))
    properties = resource.get("properties") if isinstance(resource.get("properties"), dict) else {}
    distribute = properties.get("distribute")
    if isinstance(distribute, dict):
        distribute = [distribute]
    shared = [(index, item) for index, item in enumerate(distribute or [])
              if isinstance(item, dict) and str(item.get("type", "")).lower() == "sharedimage"]
    label = name if isinstance(name, str) else "imageTemplate"
    if not shared:
        template.notes.append("{} ({}:{}) publishes to no gallery (no SharedImage distribution)".format(
            label, path, line_for(lines, base)))
        return
    for index, item in shared:
        where = base + ("properties", "distribute", index)
        build = Build(IMAGEBUILDER, "{}/distribute[{}]".format(label, index), path, line_for(lines, where))
        build.blocks["distribute"] = line_for(lines, where)
        build.facts["api_version"] = template_api if isinstance(template_api, str) else None
        build.add("apiVersion", template_api, line_for(lines, base + ("apiVersion",)))
        build.add("location", values.value(resource.get("location")), line_for(lines, base + ("location",)))
        for key, value in item.items():
            build.add("distribute.{}".format(key), values.value(value), line_for(lines, where + (key,)))
        source = properties.get("source") if isinstance(properties.get("source"), dict) else {}
        for key, value in source.items():
            build.add("source.{}".format(key), values.value(value), line_for(lines, base + ("properties", "source",
                                                                                           key)))
        build.blocks["source"] = line_for(lines, base + ("properties", "source"))
        profile = properties.get("vmProfile") if isinstance(properties.get("vmProfile"), dict) else {}
        for key, value in profile.items():
            build.add("vmProfile.{}".format(key), values.value(value),
                      line_for(lines, base + ("properties", "vmProfile", key)))
        targets = item.get("targetRegions") if isinstance(item.get("targetRegions"), list) else []
        for position, region in enumerate(targets):
            build.blocks["distribute.targetRegions[{}]".format(position)] = line_for(
                lines, where + ("targetRegions", position))
            for key, value in (region or {}).items() if isinstance(region, dict) else ():
                build.add("distribute.targetRegions[{}].{}".format(position, key), values.value(value),
                          line_for(lines, where + ("targetRegions", position, key)))
        to_request(build)
        template.builds.append(build)


def _known(value):
    return None if isinstance(value, Unknown) else value


_VERSION_ID = re.compile(r"/versions/([^/]+)$", re.IGNORECASE)


def to_request(build):
    from azext_sig_doctor.domain import ids
    from azext_sig_doctor.domain.request import TargetRegion, VersionRequest, VersionSource
    value = build.value
    gallery_image = value("distribute.galleryImageId")
    target, fields = [], {}
    region_keys = sorted({name.split(".")[1] for name in build.settings
                          if name.startswith("distribute.targetRegions[")},
                         key=lambda text: int(text[len("targetRegions["):-1]))
    if region_keys:
        fields["target_regions"] = "distribute.targetRegions"
        for entry in region_keys:
            prefix = "distribute.{}.".format(entry)
            name = _known(value(prefix + "name"))
            count = _known(value(prefix + "replicaCount"))
            if isinstance(name, str):
                target.append(TargetRegion(name, count if isinstance(count, int) else None,
                                           _known(value(prefix + "storageAccountType"))))
    elif value("distribute.replicationRegions") is not None:
        fields["target_regions"] = "distribute.replicationRegions"
        for name in value("distribute.replicationRegions") or []:
            if isinstance(name, str):
                target.append(TargetRegion(name))
    parsed = ids.parse(gallery_image) if isinstance(gallery_image, str) else None
    version_match = _VERSION_ID.search(gallery_image) if isinstance(gallery_image, str) else None
    definition_id = gallery_image[:version_match.start()] if version_match else gallery_image
    defined = ids.parse(definition_id) if isinstance(definition_id, str) else None
    source_type = str(_known(value("source.type")) or "")
    source = VersionSource()
    if source_type.lower() == "managedimage" and isinstance(_known(value("source.imageId")), str):
        source = VersionSource(managed_image=value("source.imageId"))
    elif source_type.lower() == "sharedimageversion" and isinstance(_known(value("source.imageVersionId")), str):
        source = VersionSource(image_version=value("source.imageVersionId"))
    location = _known(value("location"))
    fields.update({"subscription": "distribute.galleryImageId", "resource_group": "distribute.galleryImageId",
                   "gallery": "distribute.galleryImageId", "image": "distribute.galleryImageId",
                   "version": "distribute.galleryImageId", "location": "location",
                   "storage_account_type": "distribute.storageAccountType",
                   "exclude_from_latest": "distribute.excludeFromLatest", "source": "source.type"})
    build.fields.update(fields)
    build.facts["version_named"] = bool(version_match)
    if not version_match:
        reason = "Image Builder names the version itself (galleryImageId names the definition)"
        build.facts["not_applicable"] = {"version.name-format": reason, "version.numbered-above-existing": reason,
                                         "gallery.create-is-new": reason}
    build.facts["gallery_image_id"] = gallery_image
    build.request = VersionRequest(
        defined.subscription if defined else None, defined.resource_group if defined else None,
        location if isinstance(location, str) else None,
        gallery=defined.names[0] if defined and defined.names else None,
        image=defined.names[1] if defined and len(defined.names) > 1 else None,
        version=version_match.group(1) if version_match else None, target_regions=tuple(target),
        storage_account_type=_known(value("distribute.storageAccountType")),
        exclude_from_latest=_known(value("distribute.excludeFromLatest")) or None, source=source)
    if parsed is not None and parsed.kind not in ("gallery-image", "gallery-version"):
        build.notes.append("galleryImageId names a {}, not an image definition".format(parsed.type))
    if source_type.lower() == "platformimage":
        publisher, sku = _known(value("source.publisher")), _known(value("source.sku"))
        build.fields.update(hyper_v="source.sku", architecture="source.sku")
        build.stated_source = {
            "kind": "vm", "location": location if isinstance(location, str) else None, "os_type": None,
            "os_state": "Generalized", "hyper_v": platform_image_generation(publisher, sku),
            "architecture": platform_image_architecture(publisher, sku), "security_type": None, "plan": None,
            "ephemeral_os_disk": False, "unmanaged": False, "disks": []}
    return build

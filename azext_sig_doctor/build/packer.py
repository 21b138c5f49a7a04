"""Packer templates (the ``azure-arm`` builder): HCL2 files or a directory of them, or a legacy
JSON template, with variables given as ``packer build`` takes them.

Read as the azure-arm plugin reads them (hashicorp/packer-plugin-azure, ``builder/azure/arm``
``config.go`` and ``step_build_target_regions.go`` at commit 505f74f9 / c635618a, plugin 2.x):
``shared_image_gallery_destination`` {subscription, resource_group, gallery_name, image_name,
image_version, replication_regions (deprecated), target_region {name, replicas,
disk_encryption_set_id}, storage_account_type, specialized, use_shallow_replication,
confidential_vm_image_encryption_type}; ``shared_image_gallery_replica_count``,
``shared_image_gallery_timeout`` (default 60m), ``shared_gallery_image_version_end_of_life_date``,
``shared_gallery_image_version_exclude_from_latest``; the build's region is ``location`` (or the
region of ``build_resource_group_name``) and the plugin adds it to the target regions when they
leave it out. Variable values: defaults, then ``*.auto.pkrvars.hcl`` of the directory, then
``--var-file`` in order, then ``PKR_VAR_<name>`` from the environment and ``--var`` (last wins).
"""

import os
import re

from azext_sig_doctor.build import hcl
from azext_sig_doctor.build.locate import JsonError, line_for, load_json
from azext_sig_doctor.build.model import PACKER, Build, Template, Unknown, known

DEST = "shared_image_gallery_destination"
BUILDER = "azure-arm"
DEFAULT_TIMEOUT_MINUTES = 60


class TemplateError(ValueError):
    """A template or variable file that cannot be read: ``path``, ``line``, ``column``, what was expected."""

    def __init__(self, path, message, line=None, column=None):
        where = path if line is None else "{}:{}{}".format(path, line, ":{}".format(column) if column else "")
        super().__init__("{}: {}".format(where, message))
        self.path = path
        self.message = message
        self.line = line
        self.column = column


def read_text(path):
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise TemplateError(path, "cannot be read: {}".format(error.strerror or error)) from None
    if b"\x00" in data[:4096]:
        raise TemplateError(path, "is a binary file, not a template")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TemplateError(path, "is not UTF-8 text (byte {})".format(error.start)) from None


# ---- files --------------------------------------------------------------------------------------

def template_files(path):
    """``(kind, files, auto_var_files)``: kind ``hcl`` or ``json``."""
    if os.path.isdir(path):
        names = sorted(os.listdir(path))
        files = [os.path.join(path, name) for name in names if name.endswith(".pkr.hcl")]
        auto = [os.path.join(path, name) for name in names if name.endswith(".auto.pkrvars.hcl")]
        if not files:
            raise TemplateError(path, "holds no Packer HCL2 template (*.pkr.hcl)")
        return "hcl", files, auto
    if not os.path.exists(path):
        raise TemplateError(path, "does not exist")
    if path.endswith(".json") and not path.endswith(".pkr.json"):
        return "json", [path], []
    return "hcl", [path], []


def extract(path, var_files=(), variables=None, environ=None):
    """The Template of a Packer template at ``path`` (a file or a directory)."""
    kind, files, auto = template_files(path)
    overrides = _overrides(variables or {})
    environ = os.environ if environ is None else environ
    if kind == "json":
        return _extract_json(files[0], var_files, overrides, environ)
    return _extract_hcl(path, files, list(auto) + list(var_files), overrides, environ)


def _overrides(variables):
    """``--var NAME=VALUE`` words -> {name: text}."""
    result = {}
    for word in variables:
        name, sep, value = str(word).partition("=")
        if not sep or not name.strip():
            raise TemplateError("--var", "'{}' is not NAME=VALUE".format(word))
        result[name.strip()] = value
    return result


# ---- HCL2 ---------------------------------------------------------------------------------------

def _parse_hcl_file(path):
    try:
        return hcl.parse(read_text(path))
    except hcl.HclError as error:
        raise TemplateError(path, error.message, error.line, error.column) from None


def _typed_text(text, declared_type):
    """A --var / PKR_VAR_ value: a string for string variables, else read as an HCL expression."""
    if declared_type in (None, "string") or not text.strip():
        return text
    try:
        root = hcl.parse("value = " + text + "\n")
        return hcl.Resolver({}, {}).value(root.attributes["value"].raw)
    except hcl.HclError:
        return text


def _var_file_values(path):
    if path.endswith(".json"):
        try:
            data, _ = load_json(read_text(path))
        except JsonError as error:
            raise TemplateError(path, error.message, error.line, error.column) from None
        if not isinstance(data, dict):
            raise TemplateError(path, "a JSON variable file must hold an object of NAME: value")
        return data
    root = _parse_hcl_file(path)
    resolver = hcl.Resolver({}, {})
    return {name: resolver.value(attribute.raw) for name, attribute in root.attributes.items()}


def _extract_hcl(path, files, var_files, overrides, environ):
    roots = [(name, _parse_hcl_file(name)) for name in files]
    declared, local_raw, sources, builds = {}, {}, {}, []
    for name, root in roots:
        for block in root.blocks:
            if block.type == "variable" and block.labels:
                declared[block.labels[0]] = block
            elif block.type == "variables":
                for attribute in block.attributes.values():
                    declared[attribute.name] = _LegacyVariable("variable", attribute)
            elif block.type == "locals":
                for attribute in block.attributes.values():
                    local_raw[attribute.name] = attribute.raw
            elif block.type == "local" and block.labels:
                expression = block.attributes.get("expression")
                if expression:
                    local_raw[block.labels[0]] = expression.raw
            elif block.type == "source" and len(block.labels) == 2:
                sources[(block.labels[0], block.labels[1])] = (name, block)
            elif block.type == "build":
                builds.append((name, block))
    values = _variable_values(declared, var_files, overrides, environ)
    resolver = hcl.Resolver(values, local_raw)
    template = Template(PACKER, path)
    used = []
    for file_name, block in builds:
        build_name = _build_name(block, resolver)
        references = block.attributes.get("sources")
        named = resolver.value(references.raw) if references else []
        for reference in named if isinstance(named, list) else []:
            if isinstance(reference, str):
                used.append((file_name, build_name, reference, None))
        for inner in block.children("source"):
            if inner.labels:
                used.append((file_name, build_name, inner.labels[0], inner))
    if not builds:
        used = [(files[0], None, "source.{}.{}".format(*key), None) for key in sources]
        if sources:
            template.notes.append("no build block: every source was read as if built")
    for file_name, build_name, reference, inner in used:
        parts = reference.split(".")
        if len(parts) != 3 or parts[0] != "source":
            continue
        key = (parts[1], parts[2])
        if key not in sources:
            template.notes.append("{} names {}, which no file declares".format(file_name, reference))
            continue
        if key[0] != BUILDER:
            continue
        source_file, source = sources[key]
        name = _source_name(build_name, key, inner, resolver)
        build = Build(PACKER, name, source_file, source.line)
        _flatten(build, source, resolver, "", source_file)
        if inner is not None:
            _flatten(build, inner, resolver, "", file_name, skip=("name",))
        if DEST not in build.blocks:
            template.notes.append("{} ({}:{}) publishes to no gallery (no {} block)".format(
                name, source_file, source.line, DEST))
            continue
        template.builds.append(build)
    if not template.builds and not any("publishes to no gallery" in note for note in template.notes):
        template.notes.append("no azure-arm build with a {} block".format(DEST))
    for build in template.builds:
        to_request(build)
    return template


class _LegacyVariable:
    """A variable declared in a legacy ``variables { name = default }`` block."""

    def __init__(self, kind, attribute):
        self.type = kind
        self.labels = [attribute.name]
        self.line = attribute.line
        self.attributes = {"default": attribute}


def _variable_values(declared, var_files, overrides, environ):
    values = {}
    types = {}
    for name, block in declared.items():
        type_attribute = block.attributes.get("type")
        types[name] = str(type_attribute.raw) if type_attribute else None
        default = block.attributes.get("default")
        if default is not None:
            values[name] = hcl.Resolver({}, {}).value(default.raw)
        else:
            values[name] = Unknown("var.{} has no default and no value was given (--var, --var-file or "
                                   "PKR_VAR_{})".format(name, name), "var." + name)
    for path in var_files:
        for name, value in _var_file_values(path).items():
            values[name] = value
    for name in declared:
        if "PKR_VAR_" + name in environ:
            values[name] = _typed_text(environ["PKR_VAR_" + name], types.get(name))
    for name, text in overrides.items():
        values[name] = _typed_text(text, types.get(name))
    return values


def _build_name(block, resolver):
    attribute = block.attributes.get("name")
    value = resolver.value(attribute.raw) if attribute else None
    return value if isinstance(value, str) else None


def _source_name(build_name, key, inner, resolver):
    name = "{}.{}".format(*key)
    if inner is not None and "name" in inner.attributes:
        value = resolver.value(inner.attributes["name"].raw)
        if isinstance(value, str):
            name = "{}.{}".format(key[0], value)
    return "{}.{}".format(build_name, name) if build_name else name


def _flatten(build, block, resolver, prefix, file_name, skip=()):
    """Settings of ``block`` into ``build`` with dotted names; repeated blocks get [n]."""
    for name, attribute in block.attributes.items():
        if name in skip:
            continue
        build.add(prefix + name, resolver.value(attribute.raw), attribute.line, file_name)
    counts = {}
    for inner in block.blocks:
        index = counts.get(inner.type, 0)
        counts[inner.type] = index + 1
        path = prefix + (inner.type if inner.type != "target_region" else "{}[{}]".format(inner.type, index))
        build.blocks[path] = inner.line
        _flatten(build, inner, resolver, path + ".", file_name)


# ---- legacy JSON --------------------------------------------------------------------------------

_USER = re.compile(r"\{\{\s*user\s+`([^`]+)`\s*\}\}")
_TEMPLATE = re.compile(r"\{\{(.*?)\}\}")


def _json_value(value, variables):
    if isinstance(value, list):
        return [_json_value(item, variables) for item in value]
    if isinstance(value, dict):
        return {key: _json_value(item, variables) for key, item in value.items()}
    if not isinstance(value, str) or "{{" not in value:
        return value
    whole = _USER.fullmatch(value.strip())
    if whole:
        return variables.get(whole.group(1), Unknown("user variable {} is not declared".format(whole.group(1)),
                                                     value))
    pieces, index = [], 0
    for match in _TEMPLATE.finditer(value):
        pieces.append(value[index:match.start()])
        user = _USER.fullmatch(match.group(0))
        if not user:
            word = match.group(1).strip().split()[0] if match.group(1).strip() else "?"
            reason = ("reads the environment when Packer runs (env)" if word == "env" else
                      "the template function {} is evaluated by Packer at build time".format(word))
            return Unknown(reason, value)
        resolved = variables.get(user.group(1))
        if resolved is None or not known(resolved):
            return resolved if isinstance(resolved, Unknown) else Unknown(
                "user variable {} is not declared".format(user.group(1)), value)
        pieces.append(str(resolved))
        index = match.end()
    pieces.append(value[index:])
    return "".join(pieces)


def _extract_json(path, var_files, overrides, environ):
    try:
        data, lines = load_json(read_text(path))
    except JsonError as error:
        raise TemplateError(path, error.message, error.line, error.column) from None
    if not isinstance(data, dict) or not isinstance(data.get("builders"), list):
        raise TemplateError(path, "is not a Packer JSON template: expected an object with a \"builders\" list")
    declared = data.get("variables") if isinstance(data.get("variables"), dict) else {}
    variables = {}
    for name, value in declared.items():
        variables[name] = _json_value(value, {})
    for var_file in var_files:
        variables.update(_var_file_values(var_file))
    for name, text in overrides.items():
        variables[name] = text
    template = Template(PACKER, path)
    for index, builder in enumerate(data["builders"]):
        if not isinstance(builder, dict) or builder.get("type") != BUILDER:
            continue
        name = builder.get("name") or BUILDER
        build = Build(PACKER, name, path, line_for(lines, ("builders", index)))
        base = ("builders", index)
        for key, value in builder.items():
            if key == DEST and isinstance(value, dict):
                build.blocks[DEST] = line_for(lines, base + (key,))
                for inner_key, inner in value.items():
                    if inner_key == "target_region" and isinstance(inner, list):
                        for position, region in enumerate(inner):
                            path_name = "{}.target_region[{}]".format(DEST, position)
                            build.blocks[path_name] = line_for(lines, base + (key, inner_key, position))
                            for region_key, region_value in (region or {}).items():
                                build.add("{}.{}".format(path_name, region_key),
                                          _json_value(region_value, variables),
                                          line_for(lines, base + (key, inner_key, position, region_key)))
                        continue
                    build.add("{}.{}".format(DEST, inner_key), _json_value(inner, variables),
                              line_for(lines, base + (key, inner_key)))
                continue
            build.add(key, _json_value(value, variables), line_for(lines, base + (key,)))
        if DEST not in build.blocks:
            template.notes.append("{} ({}:{}) publishes to no gallery (no {} object)".format(
                name, path, build.line, DEST))
            continue
        template.builds.append(build)
    if not template.builds and not template.notes:
        template.notes.append("no azure-arm builder with a {} object".format(DEST))
    for build in template.builds:
        to_request(build)
    return template


# ---- settings -> the version request -------------------------------------------------------------

_GEN2 = re.compile(r"(gen2|gensecond|-g2$|g2$|-g2-|arm64|cvm|win11|win-11)", re.IGNORECASE)
_GEN1_PUBLISHERS = ("canonical", "microsoftwindowsserver", "redhat", "suse", "debian", "openlogic",
                    "almalinux", "resf")


def platform_image_generation(publisher, sku):
    """The Hyper-V generation a marketplace SKU runs as, from the publishers' naming: gen2 / -g2 /
    gensecond / arm64 / cvm SKUs are Gen2; other SKUs of the publishers that name their Gen2 SKUs
    so are Gen1; None when the name does not tell."""
    if not isinstance(sku, str) or not isinstance(publisher, str):
        return None
    if _GEN2.search(sku):
        return "V2"
    return "V1" if publisher.lower() in _GEN1_PUBLISHERS else None


def platform_image_architecture(publisher, sku):
    if not isinstance(sku, str):
        return None
    if "arm64" in sku.lower():
        return "Arm64"
    return "x64" if isinstance(publisher, str) and publisher.lower() in _GEN1_PUBLISHERS else None


def _text(value):
    return value if isinstance(value, str) else None


def _plain(value, default=None):
    """A known scalar value, the default for None, and None for an Unknown (the field is then
    reported unresolved through Build.unresolved)."""
    if isinstance(value, Unknown):
        return None
    return default if value is None else value


def _bool(value):
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value) if value is not None and not isinstance(value, Unknown) else False


def duration_minutes(value):
    """``60m``, ``1h30m``, ``90s`` (Go durations) -> minutes; None when it cannot be read."""
    if isinstance(value, (int, float)):
        return value / 60e9  # a bare number is nanoseconds in Go
    if not isinstance(value, str):
        return None
    total, found = 0.0, False
    for amount, unit in re.findall(r"(\d+(?:\.\d+)?)(h|m|s|ms)", value.strip()):
        found = True
        total += float(amount) * {"h": 60, "m": 1, "s": 1 / 60, "ms": 1 / 60000}[unit]
    return total if found else None


def to_request(build):
    """Fill ``build.request`` (a VersionRequest), ``fields``, ``stated_source`` and ``facts``."""
    from azext_sig_doctor.domain.request import CvmEncryption, RegionEncryption, TargetRegion, VersionRequest
    value = build.value
    d = DEST + "."
    location = _plain(value("location"))
    region_entries = sorted({name.split(".")[1] for name in build.blocks if name.startswith(d + "target_region[")},
                            key=lambda text: int(text[len("target_region["):-1]))
    cvm_type = _plain(value(d + "confidential_vm_image_encryption_type"))
    target = []
    if region_entries:
        build.fields["target_regions"] = d + "target_region"
        for entry in region_entries:
            prefix = d + entry + "."
            name = value(prefix + "name")
            if not isinstance(name, str):
                continue
            replicas = _plain(value(prefix + "replicas"))
            des = _plain(value(prefix + "disk_encryption_set_id"))
            target.append(TargetRegion(name, int(replicas) if isinstance(replicas, (int, float)) and replicas else None,
                                       None, RegionEncryption(des) if des and not cvm_type else None,
                                       CvmEncryption(cvm_type, des if cvm_type == "EncryptedWithCmk" else None)
                                       if cvm_type else None))
    elif value(d + "replication_regions") is not None:
        build.fields["target_regions"] = d + "replication_regions"
        names = value(d + "replication_regions")
        names = [names] if isinstance(names, str) else names
        for name in names if isinstance(names, list) else []:
            if isinstance(name, str):
                target.append(TargetRegion(name, None, None, None, CvmEncryption(cvm_type) if cvm_type else None))
    listed = list(target)
    if location and target and not any(r.key == TargetRegion(location).key for r in target):
        # The plugin adds the build region when the list leaves it out (StepBuildTargetRegions).
        target.append(TargetRegion(location, None, None, None, CvmEncryption(cvm_type) if cvm_type else None))
    build.facts["regions_listed"] = [r.name for r in listed]
    replica_count = _plain(value("shared_image_gallery_replica_count"))
    shallow = _bool(value(d + "use_shallow_replication"))
    build.fields.update({
        "subscription": d + "subscription", "resource_group": d + "resource_group", "gallery": d + "gallery_name",
        "image": d + "image_name", "version": d + "image_version", "location": "location",
        "replica_count": "shared_image_gallery_replica_count", "storage_account_type": d + "storage_account_type",
        "replication_mode": d + "use_shallow_replication",
        "end_of_life_date": "shared_gallery_image_version_end_of_life_date",
        "exclude_from_latest": "shared_gallery_image_version_exclude_from_latest",
        "security_type": "security_type", "os_state": d + "specialized", "os_type": "os_type",
        "hyper_v": "image_sku", "architecture": "image_sku", "managed_image": "managed_image_name",
        "timeout": "shared_image_gallery_timeout",
    })
    if not location and value("build_resource_group_name") is not None:
        build.fields["location"] = "build_resource_group_name"
    subscription = _plain(value(d + "subscription")) or _plain(value("subscription_id"))
    eol = _plain(value("shared_gallery_image_version_end_of_life_date"))
    build.request = VersionRequest(
        subscription, _text(_plain(value(d + "resource_group"))), location,
        gallery=_text(_plain(value(d + "gallery_name"))), image=_text(_plain(value(d + "image_name"))),
        version=_text(_plain(value(d + "image_version"))), target_regions=tuple(target),
        replica_count=int(replica_count) if isinstance(replica_count, (int, float)) and replica_count else None,
        storage_account_type=_text(_plain(value(d + "storage_account_type"))),
        replication_mode="Shallow" if shallow else None, end_of_life_date=_text(eol),
        exclude_from_latest=True if _bool(value("shared_gallery_image_version_exclude_from_latest")) else None)
    publisher, sku = _plain(value("image_publisher")), _plain(value("image_sku"))
    security = _plain(value("security_type")) or "Standard"
    managed = value("managed_image_name") not in (None, "")
    build.stated_source = {
        "kind": "managed-image" if managed else "vm", "location": location,
        "os_type": _plain(value("os_type")),
        "os_state": "Specialized" if _bool(value(d + "specialized")) else "Generalized",
        "hyper_v": platform_image_generation(publisher, sku),
        "architecture": platform_image_architecture(publisher, sku),
        "security_type": security, "plan": None, "ephemeral_os_disk": False, "unmanaged": False, "disks": [],
    }
    if value("shared_image_gallery") is not None or any(name.startswith("shared_image_gallery.")
                                                        for name in build.settings):
        # Built from a gallery image: its generation and architecture are its definition's, not a SKU's.
        build.stated_source.update(hyper_v=None, architecture=None)
    build.facts.update(
        managed_image=managed, security_type=security, shallow=shallow,
        secure_boot=_bool(value("secure_boot_enabled")), vtpm=_bool(value("vtpm_enabled")),
        specialized=_bool(value(d + "specialized")),
        timeout_minutes=duration_minutes(value("shared_image_gallery_timeout")) or DEFAULT_TIMEOUT_MINUTES,
        uses_replication_regions=value(d + "replication_regions") is not None, uses_target_region=bool(region_entries),
        build_resource_group=_plain(value("build_resource_group_name")))
    return build

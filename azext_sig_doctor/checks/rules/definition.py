"""Rules of `check-definition` (az sig image-definition create), as a create or as an update."""

from azext_sig_doctor.checks.registry import failed, passed, rule, skipped
from azext_sig_doctor.checks.rules.common import (DEFINITION_NAME, IDENTIFIER_CHARS, now, parse_date,
                                                  trailing_characters)
from azext_sig_doctor.domain import facts, regions
from azext_sig_doctor.i18n.catalog import joined, msg

IDENTIFIER_LIMITS = (("publisher", 128), ("offer", 64), ("sku", 64))


@rule("definition.name-format", ("definition.name-invalid", "definition.name-trailing-characters"), "definition",
      "Definition name uses letters, digits, '_', '-' and '.', up to 80, and ends with a letter or digit")
def name_format(ctx):
    """The service's name pattern for image definitions."""
    request = ctx.request
    name = request.image or ""
    # The service names a trailing period or underscore; a trailing hyphen fails its name pattern.
    trailing = trailing_characters(name)
    core = name[:len(name) - len(trailing)] if trailing else name
    group = "definition.name-format"
    if len(name) > 80 or not core or not DEFINITION_NAME.match(core):
        return failed(msg(group, "invalid", name=name, pattern=r"^[^_\W][\w-._]{0,79}(?<![-.])$"), image=name,
                      name=name)
    if trailing:
        return failed(msg(group, "trailing", name=name, trailing=trailing),
                      error_id="definition.name-trailing-characters", image=name, char=trailing[-1],
                      name="{}/{}".format(request.gallery, name))
    return passed(msg(group, "valid", name=name))


@rule("definition.required-properties", "definition.required-properties-missing", "definition",
      "Publisher, offer, SKU, OS type and OS state are given")
def required_properties(ctx):
    """The service needs the identifier, the OS type and the OS state of every definition."""
    missing = [option for option, field in (("--publisher", "publisher"), ("--offer", "offer"), ("--sku", "sku"),
                                            ("--os-type", "os_type"), ("--os-state", "os_state"))
               if not getattr(ctx.request, field)]
    group = "definition.required-properties"
    if missing:
        return failed(msg(group, "missing", options=", ".join(missing)),
                      property=missing[0].lstrip("-").replace("-", ""))
    return passed(msg(group, "given"))


@rule("definition.identifier-format", "definition.identifier-invalid", "definition",
      "Publisher, offer and SKU are non-empty, use allowed characters and fit their length limits")
def identifier_format(ctx):
    """Letters, digits, '-', '.' and '_'; publisher up to 128, offer and SKU up to 64; no trailing period."""
    group = "definition.identifier-format"
    problems = []
    for prop, limit in IDENTIFIER_LIMITS:
        value = getattr(ctx.request, prop)
        if value is None:
            continue  # reported by definition.required-properties
        if not value:
            problems.append((prop, value, limit, msg(group, "empty", property=prop, value=value)))
        elif len(value) > limit:
            problems.append((prop, value, limit, msg(group, "too-long", property=prop, value=value,
                                                     length=len(value), limit=limit)))
        elif not IDENTIFIER_CHARS.match(value):
            problems.append((prop, value, limit, msg(group, "characters", property=prop, value=value)))
        elif value.endswith("."):
            problems.append((prop, value, limit, msg(group, "trailing-period", property=prop, value=value)))
    if problems:
        prop, value, limit, _ = problems[0]
        return failed(msg(group, "problems", problems=joined((w for _, _, _, w in problems), "; ")),
                      property=prop, value=value, number=limit)
    return passed(msg(group, "valid"))


@rule("definition.end-of-life-format", ("definition.date-serialization-failed", "definition.date-conversion-failed"),
      ("definition", "version"), "End-of-life date is an ISO 8601 date")
def eol_format(ctx):
    """The az CLI serialises the date itself, so its users meet the serialisation error first."""
    group = "definition.end-of-life-format"
    text = ctx.request.end_of_life_date
    if not text:
        return passed(msg(group, "none"))
    if parse_date(text) is None:
        return failed(msg(group, "unreadable", date=text), value=text, property="endOfLifeDate")
    return passed(msg(group, "reads-as", date=text, parsed=parse_date(text).isoformat()))


@rule("definition.end-of-life-in-future", "definition.end-of-life-in-past", ("definition", "version"),
      "End-of-life date lies in the future")
def eol_future(ctx):
    """The service refuses an end-of-life date in the past."""
    group = "definition.end-of-life-in-future"
    text = ctx.request.end_of_life_date
    when = parse_date(text)
    if when is None:
        return passed(msg(group, "none"))
    if when <= now():
        return failed(msg(group, "past", date=text), value=text)
    return passed(msg(group, "future", date=text))


@rule("definition.recommended-range", "definition.recommended-min-greater-than-max", "definition",
      "Recommended minimum vCPUs and memory do not exceed the maximums")
def recommended(ctx):
    """A recommended minimum above its maximum is refused."""
    group = "definition.recommended-range"
    request = ctx.request
    for prop, key, low, high in (("vCPUs", "vcpus-above", request.min_vcpus, request.max_vcpus),
                                 ("memory", "memory-above", request.min_memory, request.max_memory)):
        if low is not None and high is not None and int(low) > int(high):
            return failed(msg(group, key, minimum=low, maximum=high), property=prop, min_value=low, max_value=high)
    return passed(msg(group, "within"))


@rule("definition.security-type-valid", "definition.feature-value-invalid", "definition",
      "The SecurityType feature has a known value that suits the Hyper-V generation")
def security_type_valid(ctx):
    """SecurityType takes one of six values, and every value but Standard needs a Gen2 definition."""
    request = ctx.request
    named = dict(request.features or ()).get("SecurityType")
    value = facts.canonical_security_type(named)
    group = "definition.security-type-valid"
    if value is None:
        return passed(msg(group, "none"))
    if value not in facts.SECURITY_TYPES:
        return failed(msg(group, "unknown", value=value, known=", ".join(facts.SECURITY_TYPES)),
                      value=value, property="SecurityType")
    if value != "Standard" and request.hyper_v_generation == "V1":
        return failed(msg(group, "needs-gen2", value=value), value=value, property="SecurityType")
    return passed(msg(group, "suits", value=value, generation=request.hyper_v_generation))


@rule("definition.gallery-exists", "definition.parent-not-found", "definition",
      "The gallery exists", live=True, requires="resource_group")
def gallery_exists(ctx):
    """A definition is created inside an existing gallery."""
    if ctx.gallery() is None:
        return failed(msg("definition.gallery-exists", "missing", name=ctx.request.gallery,
                          resource_group=ctx.request.resource_group))
    return passed(msg("definition.gallery-exists", "exists", name=ctx.request.gallery))


@rule("definition.name-free-in-gallery", "definition.name-exists-in-other-region", "definition",
      "An existing definition of the same name is in the requested region", live=True,
      requires=("resource_group", "existing"))
def same_location(ctx):
    """An existing definition cannot move to another region."""
    existing = ctx.existing()
    region = ctx.location()
    group = "definition.name-free-in-gallery"
    if region and not regions.same(existing.get("location"), region):
        return failed(msg(group, "other-region", name=ctx.request.image, existing=existing.get("location"),
                          region=region),
                      region1=existing.get("location"), region2=region, name="{}/{}".format(ctx.request.gallery,
                                                                                             ctx.request.image))
    return passed(msg(group, "same-region", name=ctx.request.image))


def _identifier(data):
    ident = (data.get("properties") or {}).get("identifier") or {}
    return tuple((ident.get(k) or "").lower() for k in ("publisher", "offer", "sku"))


@rule("definition.identifier-unique", "definition.identifier-taken", "definition",
      "No other definition in the gallery uses the same publisher, offer and SKU", live=True,
      requires=("resource_group", "gallery"))
def identifier_unique(ctx):
    """Publisher, offer and SKU identify one definition in a gallery."""
    request = ctx.request
    wanted = tuple((getattr(request, k) or "").lower() for k in ("publisher", "offer", "sku"))
    group = "definition.identifier-unique"
    listing = ctx.data(("definitions_in_gallery", request.gallery_id))
    if listing is None:
        return skipped(msg(group, "no-gallery"))
    for other in listing.get("value") or []:
        if (other.get("name") or "").lower() != (request.image or "").lower() and _identifier(other) == wanted:
            return failed(msg(group, "taken", name=other.get("name"), publisher=request.publisher, offer=request.offer,
                              sku=request.sku),
                          publisher=request.publisher, offer=request.offer, sku=request.sku, name=other.get("name"))
    return passed(msg(group, "unique"))


def _existing_properties(existing):
    props = existing.get("properties") or {}
    ident = props.get("identifier") or {}
    return {
        "osType": props.get("osType"),
        "osState": props.get("osState"),
        "hyperVGeneration": props.get("hyperVGeneration") or "V1",
        "identifier.publisher": ident.get("publisher"),
        "identifier.offer": ident.get("offer"),
        "identifier.sku": ident.get("sku"),
        "architecture": props.get("architecture") or "x64",
    }


@rule("definition.immutable-properties", "definition.property-change-not-allowed", "definition",
      "An update keeps OS type, OS state, Hyper-V generation, architecture, publisher, offer and SKU", live=True,
      requires=("resource_group", "existing"))
def immutable_unchanged(ctx):
    """These properties of a definition cannot change once it exists."""
    r = ctx.request
    requested = {"osType": r.os_type, "osState": r.os_state, "hyperVGeneration": r.hyper_v_generation,
                 "identifier.publisher": r.publisher, "identifier.offer": r.offer, "identifier.sku": r.sku,
                 "architecture": r.architecture}
    changed = [(prop, old, requested[prop]) for prop, old in _existing_properties(ctx.existing()).items()
               if requested[prop] is not None and (old or "").lower() != (requested[prop] or "").lower()]
    group = "definition.immutable-properties"
    if changed:
        prop, _, new = changed[0]
        changes = joined((msg(group, "change", property=p, old=o, new=n) for p, o, n in changed), "; ")
        return failed(msg(group, "changed", changes=changes), property="galleryImage.properties.{}".format(prop),
                      value=new)
    return passed(msg(group, "kept"))


def _feature_set(pairs):
    return {((name or "").lower(), (value or "").lower()) for name, value in pairs or ()}


@rule("definition.features-unchanged", "definition.feature-change-not-allowed", "definition",
      "An update sends exactly the definition's features", live=True, requires=("resource_group", "existing"))
def features_unchanged(ctx):
    """The features of a definition cannot change; what az sends (its Gen2 default included, and
    without the SecurityType=Standard it drops) must be what the definition has."""
    group = "definition.features-unchanged"
    sent = ctx.request.sent_features
    if sent is None:
        return passed(msg(group, "none-sent"))
    old = [(f.get("name"), f.get("value")) for f in (ctx.existing().get("properties") or {}).get("features") or []]
    if _feature_set(old) != _feature_set(sent):
        def text(pairs):
            return ", ".join("{}={}".format(n, v) for n, v in pairs) or msg(group, "no-features")
        key = "differ-default" if ctx.request.features is None else "differ"
        changed = sorted({n for n, _ in _feature_set(old) ^ _feature_set(sent)})
        return failed(msg(group, key, sent=text(sent), existing=text(old)),
                      property=changed[0] if changed else "features")
    return passed(msg(group, "same"))

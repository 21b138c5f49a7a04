"""Rules of `check-definition` (az sig image-definition create), as a create or as an update."""

from azext_sig_doctor.checks import facts, ids
from azext_sig_doctor.checks.registry import failed, passed, rule, skipped
from azext_sig_doctor.checks.rules.common import (DEFINITION_NAME, IDENTIFIER_CHARS, now, parse_date,
                                                  trailing_characters)
from azext_sig_doctor.checks.spec import effective_regions, region_argument

IDENTIFIER_LIMITS = (("publisher", 128), ("offer", 64), ("sku", 64))


@rule("definition.name-format", ("definition.name-invalid", "definition.name-trailing-characters"), "definition",
      "Definition name uses letters, digits, '_', '-' and '.', up to 80, and ends with a letter or digit")
def name_format(ctx):
    name = ctx.spec["image"] or ""
    # The service names a trailing period or underscore; a trailing hyphen fails its name pattern.
    trailing = trailing_characters(name)
    core = name[:len(name) - len(trailing)] if trailing else name
    if len(name) > 80 or not core or not DEFINITION_NAME.match(core):
        return failed("Image definition name '{}' does not match ^[^_\\W][\\w-._]{{0,79}}(?<![-.])$.".format(name),
                      image=name, name=name)
    if trailing:
        return failed("Image definition name '{}' ends with '{}'.".format(name, trailing),
                      error_id="definition.name-trailing-characters", image=name, char=trailing[-1],
                      name="{}/{}".format(ctx.spec["gallery"], name))
    return passed("Image definition name '{}' is valid.".format(name))


@rule("definition.required-properties", "definition.required-properties-missing", "definition",
      "Publisher, offer, SKU, OS type and OS state are given")
def required_properties(ctx):
    missing = [option for option, key in (("--publisher", "publisher"), ("--offer", "offer"), ("--sku", "sku"),
                                          ("--os-type", "os_type"), ("--os-state", "os_state"))
               if not ctx.spec.get(key)]
    if missing:
        return failed("Missing: {}.".format(", ".join(missing)), property=missing[0].lstrip("-").replace("-", ""))
    return passed("Publisher, offer, SKU, OS type and OS state are given.")


@rule("definition.identifier-format", "definition.identifier-invalid", "definition",
      "Publisher, offer and SKU are non-empty, use allowed characters and fit their length limits")
def identifier_format(ctx):
    problems = []
    for prop, limit in IDENTIFIER_LIMITS:
        value = ctx.spec.get(prop)
        if value is None:
            continue  # reported by definition.required-properties
        if not value:
            problems.append((prop, value, limit, "is empty"))
        elif len(value) > limit:
            problems.append((prop, value, limit, "has {} characters (limit {})".format(len(value), limit)))
        elif not IDENTIFIER_CHARS.match(value):
            problems.append((prop, value, limit, "has characters other than letters, digits, '-', '.', '_'"))
        elif value.endswith("."):
            problems.append((prop, value, limit, "ends with a period"))
    if problems:
        prop, value, limit, why = problems[0]
        detail = "; ".join("{} '{}' {}".format(p, v, w) for p, v, _, w in problems)
        return failed(detail + ".", property=prop, value=value, number=limit)
    return passed("Publisher, offer and SKU are valid.")


def _date_format(ctx, prop):
    text = ctx.spec.get("end_of_life_date")
    if not text:
        return passed("No end-of-life date given.")
    if parse_date(text) is None:
        return failed("End-of-life date '{}' is not a date az can read.".format(text), value=text, property=prop)
    return passed("End-of-life date '{}' reads as {}.".format(text, parse_date(text).isoformat()))


def _date_future(ctx):
    text = ctx.spec.get("end_of_life_date")
    when = parse_date(text)
    if when is None:
        return passed("No valid end-of-life date to compare.")
    if when <= now():
        return failed("End-of-life date '{}' is not in the future.".format(text), value=text)
    return passed("End-of-life date '{}' is in the future.".format(text))


@rule("definition.end-of-life-format", ("definition.date-serialization-failed", "definition.date-conversion-failed"),
      ("definition", "version"), "End-of-life date is an ISO 8601 date")
def eol_format(ctx):
    # The az CLI serialises the date itself, so its users meet the serialisation error first.
    return _date_format(ctx, "endOfLifeDate")


@rule("definition.end-of-life-in-future", "definition.end-of-life-in-past", ("definition", "version"),
      "End-of-life date lies in the future")
def eol_future(ctx):
    return _date_future(ctx)


@rule("definition.recommended-range", "definition.recommended-min-greater-than-max", "definition",
      "Recommended minimum vCPUs and memory do not exceed the maximums")
def recommended(ctx):
    for label, values in ctx.spec["recommended"].items():
        low, high = values.get("min"), values.get("max")
        if low is not None and high is not None and int(low) > int(high):
            prop = "vCPUs" if label == "vcpus" else "memory"
            return failed("Recommended minimum {} {} is greater than the maximum {}.".format(prop, low, high),
                          property=prop, min_value=low, max_value=high)
    return passed("Recommended minimums do not exceed the maximums.")


@rule("definition.security-type-valid", "definition.feature-value-invalid", "definition",
      "The SecurityType feature has a known value that suits the Hyper-V generation")
def security_type_valid(ctx):
    value = facts.canonical_security_type(ctx.spec["features"].get("SecurityType"))
    if value is None:
        return passed("No SecurityType feature declared.")
    if value not in facts.SECURITY_TYPES:
        return failed("SecurityType '{}' is not one of {}.".format(value, ", ".join(facts.SECURITY_TYPES)),
                      value=value, property="SecurityType")
    if value != "Standard" and ctx.spec["hyper_v_generation"] == "V1":
        return failed("SecurityType '{}' needs Hyper-V generation V2; the definition is V1.".format(value),
                      value=value, property="SecurityType")
    return passed("SecurityType '{}' suits Hyper-V generation {}.".format(value, ctx.spec["hyper_v_generation"]))


@rule("definition.gallery-exists", "definition.parent-not-found", "definition",
      "The gallery exists", live=True)
def gallery_exists(ctx):
    if ctx.gallery() is None:
        return failed("Gallery '{}' was not found in resource group '{}'.".format(
            ctx.spec["gallery"], ctx.spec["resource_group"]))
    return passed("Gallery '{}' exists.".format(ctx.spec["gallery"]))


@rule("definition.name-free-in-gallery", "definition.name-exists-in-other-region", "definition",
      "An existing definition of the same name is in the requested region", live=True)
def same_location(ctx):
    existing = ctx.definition()
    region = ctx.location()
    if existing is None:
        return passed("No definition '{}' exists yet.".format(ctx.spec["image"]))
    if region and not ids.same_region(existing.get("location"), region):
        return failed("Definition '{}' exists in '{}'; the request asks for '{}'.".format(
            ctx.spec["image"], existing.get("location"), region),
            region1=existing.get("location"), region2=region, name="{}/{}".format(ctx.spec["gallery"],
                                                                                   ctx.spec["image"]))
    return passed("Definition '{}' exists in the requested region.".format(ctx.spec["image"]))


def _identifier(data):
    ident = (data.get("properties") or {}).get("identifier") or {}
    return tuple((ident.get(k) or "").lower() for k in ("publisher", "offer", "sku"))


@rule("definition.identifier-unique", "definition.identifier-taken", "definition",
      "No other definition in the gallery uses the same publisher, offer and SKU", live=True)
def identifier_unique(ctx):
    wanted = tuple((ctx.spec.get(k) or "").lower() for k in ("publisher", "offer", "sku"))
    listing = ctx.data(("definitions_in_gallery", ctx.spec["gallery_id"]))
    if listing is None:
        return skipped("the gallery does not exist, so it has no definitions")
    for other in listing.get("value") or []:
        if (other.get("name") or "").lower() != (ctx.spec["image"] or "").lower() and _identifier(other) == wanted:
            return failed("Definition '{}' already uses publisher '{}', offer '{}', sku '{}'.".format(
                other.get("name"), ctx.spec["publisher"], ctx.spec["offer"], ctx.spec["sku"]),
                image=other.get("name"), publisher=ctx.spec["publisher"], offer=ctx.spec["offer"],
                sku=ctx.spec["sku"])
    return passed("No other definition uses this publisher/offer/sku.")


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
      "An update keeps OS type, OS state, Hyper-V generation, architecture, publisher, offer and SKU", live=True)
def immutable_unchanged(ctx):
    existing = ctx.definition()
    if existing is None:
        return passed("The definition does not exist yet: this is a create, not an update.")
    spec = ctx.spec
    requested = {"osType": spec["os_type"], "osState": spec["os_state"], "hyperVGeneration": spec["hyper_v_generation"],
                 "identifier.publisher": spec["publisher"], "identifier.offer": spec["offer"],
                 "identifier.sku": spec["sku"], "architecture": spec["architecture"]}
    changed = [(prop, old, requested[prop]) for prop, old in _existing_properties(existing).items()
               if requested[prop] is not None and (old or "").lower() != (requested[prop] or "").lower()]
    if changed:
        prop, old, new = changed[0]
        return failed("The existing definition cannot change: " + "; ".join(
            "{} '{}' -> '{}'".format(p, o, n) for p, o, n in changed) + ".",
            property="galleryImage.properties.{}".format(prop), value=new)
    return passed("The update keeps every immutable property.")


def _feature(features, name):
    # A definition without a SecurityType feature is a Standard one.
    return (features.get(name) or ("Standard" if name == "SecurityType" else "")).lower()


@rule("definition.features-unchanged", "definition.feature-change-not-allowed", "definition",
      "An update does not change the definition's features", live=True)
def features_unchanged(ctx):
    existing = ctx.definition()
    if existing is None:
        return passed("The definition does not exist yet.")
    old = facts.definition_features(existing)
    new = ctx.spec["features"]
    # Without --features only the CLI's default (SecurityType=TrustedLaunchSupported on V2) is sent.
    names = set(old) | set(new) if ctx.spec["features_given"] else set(new)
    changed = sorted(name for name in names if _feature(old, name) != _feature(new, name))
    if changed:
        detail = "Features would change on an existing definition: {}.".format(", ".join(
            "{} '{}' -> '{}'".format(n, old.get(n), new.get(n)) for n in changed))
        if not ctx.spec["features_given"]:
            detail += (" No --features was given, so az sends its Gen2 default; pass --features "
                       "SecurityType={} to keep the existing value.".format(old.get("SecurityType") or "Standard"))
        return failed(detail, property=changed[0])
    return passed("Features are unchanged.")


def _with_lrs_where(regions, lacking):
    """``--target-regions`` items as given, with Standard_LRS for the regions in ``lacking``."""
    lacking = {ids.region_key(name) for name in lacking}
    return [region_argument(region, "Standard_LRS" if ids.region_key(region["name"]) in lacking else None)
            for region in regions]


@rule("definition.zrs-supported-in-region", "definition.zrs-not-supported", "version",
      "Zone-redundant storage is offered in every region that asks for it", live=True)
def zrs_supported(ctx):
    default = ctx.spec.get("storage_account_type")
    asking = [r["name"] for r in effective_regions(ctx.spec, ctx.location())
              if ((r["storage_account_type"] or default) or "").lower() == "standard_zrs"]
    if not asking:
        return passed("No region asks for Standard_ZRS.")
    skus = (ctx.data(("skus", ctx.spec["subscription"])) or {}).get("value") or []
    zoned = set()
    for sku in skus:
        for info in sku.get("locationInfo") or []:
            if info.get("zones"):
                zoned.add(ids.region_key(info.get("location")))
    lacking = [name for name in asking if ids.region_key(name) not in zoned]
    if lacking:
        return failed("Standard_ZRS is asked for in {}, which has no availability zones.".format(", ".join(lacking)),
                      region=lacking[0], source_region=ctx.location(),
                      fixed_regions=" ".join(_with_lrs_where(effective_regions(ctx.spec, ctx.location()), lacking)))
    return passed("Every region asking for Standard_ZRS ({}) has availability zones.".format(", ".join(asking)))

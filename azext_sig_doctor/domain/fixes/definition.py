"""Edits of an image definition request (az sig image-definition create)."""

import difflib
import re
from dataclasses import replace

from azext_sig_doctor.domain.fixes import Edit, Unresolved, need, op
from azext_sig_doctor.domain.request import features_text

IDENTIFIER_LIMITS = {"publisher": 128, "offer": 64, "sku": 64}
SECURITY_TYPES = ("Standard", "TrustedLaunch", "TrustedLaunchSupported", "ConfidentialVM", "ConfidentialVMSupported",
                  "TrustedLaunchAndConfidentialVmSupported")


def clean_name(name, allowed=r"A-Za-z0-9_.\-", limit=80, separator="-"):
    """A name with the characters a resource name may not hold replaced, no leading or trailing
    separator or period, at most ``limit`` characters; '' when nothing is left."""
    text = re.sub(r"[^{}]+".format(allowed), separator, name or "")
    text = re.sub(r"[{}]{{2,}}".format(re.escape(separator)), separator, text)
    return text[:limit].strip("._-")


@op("definition_name", "definition", tier=0)
def definition_name(request, lookup):
    fixed = clean_name(request.image)
    if not fixed or fixed == request.image:
        return Unresolved("'{}' has no valid name left in it: name the definition with letters, digits, '-', '_' and "
                          "'.', starting and ending with a letter or digit".format(request.image))
    return Edit("name the definition {}".format(fixed), lambda current: replace(current, image=fixed),
                sets=(("image", fixed),))


@op("identifier", "definition", tier=0)
def identifier(request, lookup):
    """Publisher, offer and SKU with the characters the service refuses replaced, within their limits."""
    changes = {}
    for field, limit in IDENTIFIER_LIMITS.items():
        value = getattr(request, field)
        if value is None:
            continue
        fixed = clean_name(value, limit=limit)
        if not fixed:
            return Unresolved("{} '{}' has no valid characters left: choose a {} of letters, digits, '-', '.' "
                              "and '_'".format(field, value, field))
        if fixed != value:
            changes[field] = fixed
    if not changes:
        return None
    return Edit("use {}".format(", ".join("{} {}".format(k, v) for k, v in changes.items())),
                lambda current: replace(current, **changes), sets=tuple(sorted(changes.items())))


@op("swap_recommended", "definition")
def swap_recommended(request, lookup):
    swaps = {}
    if request.min_vcpus is not None and request.max_vcpus is not None and request.min_vcpus > request.max_vcpus:
        swaps.update(min_vcpus=request.max_vcpus, max_vcpus=request.min_vcpus)
    if request.min_memory is not None and request.max_memory is not None and request.min_memory > request.max_memory:
        swaps.update(min_memory=request.max_memory, max_memory=request.min_memory)
    if not swaps:
        return None
    return Edit("swap the recommended minimum and maximum", lambda current: replace(current, **swaps),
                sets=tuple(sorted(swaps.items())))


def _with_feature(features, name, value):
    result = [(key, val) for key, val in features or () if key != name]
    result.append((name, value))
    return tuple(result)


@op("security_feature", "definition", tier=0)
def security_feature(request, lookup):
    """A known SecurityType spelling for a mistyped one; Hyper-V generation V2 for a security type
    that needs it (Trusted Launch and Confidential VM run Gen2 images only)."""
    value = dict(request.features or ()).get("SecurityType")
    if value is None:
        return None
    canonical = {name.lower(): name for name in SECURITY_TYPES}
    if value.lower() not in canonical:
        close = difflib.get_close_matches(value.lower(), list(canonical), n=1, cutoff=0.75)
        if not close:
            return Unresolved("SecurityType '{}' is none of {}".format(value, ", ".join(SECURITY_TYPES)))
        fixed = canonical[close[0]]
        return Edit("declare SecurityType={}".format(fixed),
                    lambda current: replace(current, features=_with_feature(current.features, "SecurityType", fixed)),
                    sets=(("features.SecurityType", fixed.lower()),))
    if canonical[value.lower()] != "Standard" and request.hyper_v_generation == "V1":
        return Edit("make the definition Hyper-V generation V2 (SecurityType={} needs Gen2 images)".format(value),
                    lambda current: replace(current, hyper_v_generation="V2"), sets=(("hyper_v_generation", "V2"),))
    return None


def _existing_props(existing):
    return (existing or {}).get("properties") or {}


@op("keep_immutable", "definition", tier=0)
def keep_immutable(request, lookup):
    """The existing definition's OS type, OS state, Hyper-V generation, architecture and identifier
    (they cannot change; the create is an update of it)."""
    existing = need(lookup, "the existing definition").existing()
    if existing is None:
        return None
    props = _existing_props(existing)
    ident = props.get("identifier") or {}
    wanted = {"os_type": props.get("osType"), "os_state": props.get("osState"),
              "hyper_v_generation": props.get("hyperVGeneration") or "V1",
              "architecture": props.get("architecture"), "publisher": ident.get("publisher"),
              "offer": ident.get("offer"), "sku": ident.get("sku")}
    changes = {}
    for field, value in wanted.items():
        current = getattr(request, field)
        if field == "architecture" and current is None:
            continue  # not sent: the existing one stays
        if value is not None and (current or "").lower() != value.lower():
            changes[field] = value
    if not changes:
        return None
    return Edit("keep the existing definition's {}".format(", ".join("{} {}".format(k.replace("_", " "), v)
                                                                      for k, v in changes.items())),
                lambda current: replace(current, **changes), sets=tuple(sorted(changes.items())))


@op("keep_features", "definition")
def keep_features(request, lookup):
    """--features exactly as the existing definition has them (what az sends must equal them)."""
    existing = need(lookup, "the existing definition").existing()
    if existing is None:
        return None
    features = tuple((f.get("name"), f.get("value")) for f in _existing_props(existing).get("features") or [])
    if any(name == "SecurityType" and (value or "").lower() == "standard" for name, value in features):
        return Unresolved("the definition declares SecurityType=Standard, which az sig image-definition create "
                          "never sends (it drops that value), so no create can repeat it: the definition exists "
                          "already; change it with az sig image-definition update, or leave the create out")
    if not features and request.hyper_v_generation == "V2":
        return Unresolved("the definition has no features, and for a Gen2 definition az sig image-definition create "
                          "always sends some (SecurityType=TrustedLaunchSupported unless you name another): the "
                          "definition exists already; leave the create out")
    return Edit("pass --features \"{}\" (the existing definition's)".format(features_text(features)),
                lambda current: replace(current, features=features),
                sets=(("features", features_text(features).lower()),))

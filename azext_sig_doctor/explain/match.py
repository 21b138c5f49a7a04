"""Observation -> finding: match the knowledge base, fill the values, name the resource.

A finding is the dict of the output contract (see ``FIELDS``). Unknown errors keep their code and
message and get the nearest known entries instead of being forced onto one.
"""

import re
import string
from functools import lru_cache

from azext_sig_doctor import knowledge
from azext_sig_doctor.domain import ids, regions
from azext_sig_doctor.domain.guidance import REGION_KEYS, render
from azext_sig_doctor.explain import context, forms, surroundings
from azext_sig_doctor.explain.model import Observation
from azext_sig_doctor.i18n.catalog import say

FIELDS = ("id", "title", "code", "message", "values", "resource", "operation", "line", "cause", "fix",
          "commands", "command_notes", "powershell", "powershell_notes", "docs", "count", "source", "status",
          "target", "nearest", "fixed_command", "fixed_command_powershell", "fix_details", "edit", "unresolved",
          "tool_fix", "confidence", "matched_by", "nearest_scores")
# Where a finding came from, for writing its fixed command once the log is read (explain.fixing);
# removed before the findings are returned.
ORIGIN = "_origin"
# The message as the input held it, before a wrapper's decorations were taken off: secrets are
# recognised in it (a table's columns closed up no longer look like one), then it is dropped.
AS_READ = "_as_read"
_MUTATING = ("PUT", "PATCH", "POST", "DELETE")
_MAX_MESSAGE = 4000
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+|[\u4e00-\u9fff]")
_NEAREST_CUTOFF = 0.12
# A detail's target that is a resource id (deployment operations name the resource that failed).
_RESOURCE_ID = re.compile(r"^/subscriptions/[^/]+/resourcegroups/[^/]+/providers/\S+$", re.IGNORECASE)
_DEPLOYMENT = re.compile(r"/providers/microsoft\.resources/deployments/[^/]+$", re.IGNORECASE)
# A gallery image definition or version (an action on one, or its id).
_GALLERY_IMAGE_PATH = re.compile(r"microsoft\.compute/galleries/(?:images\b|[^/\s'\"]+/images/)", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _clean(message, padded=False):
    return forms.clean_message(message, padded)


@lru_cache(maxsize=4096)
def _best(message, code, target=None, kinds=frozenset(), gallery=False, padded=False):
    return knowledge.best_match(_clean(message, padded), code, target, kinds, gallery)


def _padded(observation):
    """Whether the error was printed by Packer, whose log viewers pad columns inside words."""
    return observation.source == "packer"


# Resource kinds of ARM ids (domain.ids) -> the kinds entries speak of (matching.KINDS).
_ID_KINDS = {"gallery": "gallery", "gallery-image": "definition", "gallery-version": "version", "vm": "vm",
             "vmss": "vmss", "managed-image": "image", "disk": "disk", "snapshot": "snapshot"}
# Resource types domain.ids gives no kind for.
_TYPE_KINDS = {"microsoft.compute/galleries/applications": "application",
               "microsoft.compute/galleries/applications/versions": "application",
               "microsoft.virtualmachineimages/imagetemplates": "image-template"}
_TOOL_KINDS = (("shared_image_version", "version"), ("shared_image_gallery", "gallery"), ("shared_image", "definition"),
               ("virtual_machine_scale_set", "vmss"), ("virtual_machine", "vm"), ("managed_disk", "disk"),
               ("azurerm_image", "image"))


def clue_context(observation, target=None):
    """``(kinds, gallery)``: the kinds of resource the failing operation was about (the request, the
    resource a target id names, what the client stated) and whether a gallery resource is involved."""
    kinds = set(observation.kinds)
    gallery = False
    request = observation.request
    if request is not None and request.is_poll and observation.resource_request is not None:
        request = observation.resource_request
    for resource_id in (request.resource().get("resource_id") if request is not None and request.url else None,
                        _resource_id(target), _resource_id(observation.target)):
        parsed = ids.parse(resource_id or "")
        kind = _ID_KINDS.get(parsed.kind) if parsed else None
        kind = kind or (_TYPE_KINDS.get(parsed.resource_type.lower()) if parsed else None)
        if kind:
            kinds.add(kind)
            gallery = gallery or kind in ("gallery", "definition", "version", "application")
    if not gallery and request is not None and (request.method or "").upper() in _MUTATING:
        image_id = request.body_values().get("image_id")
        gallery = bool(image_id and ids.image_reference(image_id))
    if observation.source == "image-builder":
        kinds.add("image-template")
    # The command a traced log ran (az vm create): what its requests were for.
    command_kind = surroundings.command_kind(getattr(observation.command, "words", None) or ())
    if command_kind:
        kinds.add(command_kind)
    if observation.source == forms.AZ_VALIDATION and _GALLERY_IMAGE_PATH.search(observation.message or ""):
        # az's validators of `az vm create` and `az vmss create` read the gallery image (its OS type
        # and features) before the create is sent: a read they were refused is the VM's.
        kinds.add("vm")
    address = (observation.tool or {}).get("address") or ""
    kinds.update(kind for marker, kind in _TOOL_KINDS if marker in address)
    gallery = gallery or any(key in observation.hints for key in ("gallery", "image")) or \
        bool({"gallery", "definition", "version"} & kinds)
    return frozenset(kinds), gallery


def best_for(observation):
    """``(match, code, message, target)`` of the best-matching part of the error, or None."""
    if observation.known_id:
        try:
            entry = knowledge.get(observation.known_id)
        except knowledge.UnknownEntryError:
            entry = None
        if entry is not None:
            return (knowledge.Match(entry, {}, 10000, "high", ("id",)), observation.code, observation.message,
                    observation.target)
    parts = [(observation.code, observation.message, observation.target)]
    for detail in observation.details:
        parts.extend((part.code, part.message, part.target) for part in detail.flatten())
    kinds, gallery = clue_context(observation)
    padded = _padded(observation)
    best = None
    for code, message, target in parts:
        if not message and not code:
            continue
        found = _best(message or "", code, target, kinds, gallery, padded)
        if found is not None and (best is None or found.weight > best[0].weight):
            best = (found, code, message, target)
    return best


def _most_specific(observation):
    """An unknown error's own words: the first innermost detail when the top is only a summary."""
    leaf = None
    for detail in observation.details:
        for part in detail.flatten():
            if part.message and not part.details:
                leaf = part
                break
        if leaf is not None:
            break
    if leaf is None:
        return observation.code, observation.message, observation.target
    return leaf.code or observation.code, leaf.message, leaf.target or observation.target


def _placeholders(entry):
    names = set((entry.data.get("placeholders") or {}).keys())
    formatter = string.Formatter()
    texts = [entry.data.get("cause") or "", entry.data.get("fix") or ""]
    for command in entry.data.get("commands") or []:
        texts.extend(value for value in command.values() if isinstance(value, str))
    for text in texts:
        try:
            names.update(name for _, name, _, _ in formatter.parse(text) if name)
        except ValueError:
            continue
    return names


def _resource_id(target):
    """``target`` when it is an ARM resource id (not a property path), else None."""
    return target.strip() if isinstance(target, str) and _RESOURCE_ID.match(target.strip()) else None


def _target_resource(target):
    """The resource an error's target names; a deployment's own id is no resource a finding is
    about (the envelope of every template failure carries it)."""
    resource_id = _resource_id(target)
    if resource_id is None or _DEPLOYMENT.search(resource_id):
        return {}
    return context.resource_from_path(resource_id)


def _accepted(observation):
    """True when Azure accepted the create and failed it later (the error came from polling the
    long-running operation): the resource is left behind in a Failed state."""
    return bool(observation.request is not None and observation.request.is_poll
                and observation.resource_request is not None)


def resource_of(observation, target=None):
    """``(request, resource)``; without a request URL, or when the request was a template
    deployment, the resource comes from ``target`` (the matched part's) or the observation's own
    target when either names a resource."""
    request = observation.request
    if request is not None and request.is_poll and observation.resource_request is not None:
        request = observation.resource_request
    resource = request.resource() if request is not None and request.url else {}
    if not resource or _DEPLOYMENT.search(resource.get("resource_id") or ""):
        resource = _target_resource(target) or _target_resource(observation.target) or resource
    for key, value in observation.hints.items():
        resource.setdefault(key, value)
    return request, resource


def operation_of(request):
    if request is None or not request.url:
        return None
    return {"method": (request.method or "").upper() or None, "path": request.path}


def _context_values(request, resource, facts=None):
    """Values from outside the message: the resource, what the client stated, what was sent."""
    values = dict(resource)
    made_from_image = any(kind in resource for kind in ("vm", "vmss", "disk"))
    if made_from_image and resource.get("resource_group"):
        # The request made a VM, scale set or disk: its group is that one's, not the gallery's.
        values["vm_resource_group"] = resource["resource_group"]
    values.update(facts or {})
    if request is not None and (request.method or "").upper() in _MUTATING:
        values.update(request.body_values())
        if made_from_image and values.get("image_id"):
            _take_gallery_of_image(values)
    return values


def _take_gallery_of_image(values):
    """Put the gallery names of the image a VM, scale set or disk was made from (``image_id``) in
    place of the request's: the gallery commands go there, often another group than the VM's. An
    image that is no gallery definition or version in a resource group leaves the gallery's group
    unknown (the VM's is not it)."""
    parts = context.resource_from_path(values["image_id"])
    if not (parts.get("resource_group") and parts.get("gallery") and parts.get("image")):
        values.pop("resource_group", None)
        return
    values.update((key, parts[key]) for key in ("subscription", "resource_group", "gallery", "image", "version")
                  if parts.get(key))


def _clip(message):
    message = (message or "").strip()
    return message if len(message) <= _MAX_MESSAGE else message[:_MAX_MESSAGE] + " …"


def identify(observation):
    """``(request, resource, best)``: what a finding is about, cheaper than the finding itself."""
    best = best_for(observation)
    target = best[3] if best is not None else _most_specific(observation)[2]
    request, resource = resource_of(observation, target)
    return request, resource, best


def _failing_details(observation):
    """The details that each stand for a failed operation: those of the error, or of its only
    detail when that one is a wrapper too (a nested deployment)."""
    details = observation.details
    while len(details) == 1 and len(details[0].details) >= 2:
        details = details[0].details
    return [detail for detail in details if detail.code or detail.message]


def _from_detail(observation, detail):
    """An observation of one failed detail, seen where (and how) the whole error was."""
    part = Observation(observation.line, detail.code, detail.message or "", observation.kind, observation.source,
                       detail.target, detail.details, observation.status)
    part.request, part.resource_request, part.serial = observation.request, observation.resource_request, \
        observation.serial
    part.command, part.tool = observation.command, observation.tool
    part.hints, part.facts = dict(observation.hints), dict(observation.facts)
    part.kinds = set(observation.kinds)
    return part


def failures(observation):
    """The observations an error stands for, in order: one per failing detail when its details are
    separate failures (they name different resources or match different entries), else the error
    itself (one real error in a generic envelope is one finding). The envelope is then left out
    unless it matches an entry of its own that no detail does."""
    if observation.known_id:
        return [observation]
    details = _failing_details(observation)
    if len(details) < 2:
        return [observation]
    parts = [_from_detail(observation, detail) for detail in details]
    entries = {best[0].entry.id for best in (best_for(part) for part in parts) if best is not None}
    resources = {_resource_id(part.target).lower() for part in parts if _resource_id(part.target)}
    if len(entries) < 2 and len(resources) < 2:
        return [observation]
    kinds, gallery = clue_context(observation)
    own = _best(observation.message or "", observation.code, observation.target, kinds, gallery,
                _padded(observation)) \
        if observation.message or observation.code else None
    if own is not None and own.entry.id not in entries:
        envelope = _from_detail(observation, observation)
        envelope.details = []
        parts.insert(0, envelope)
    return parts


def fold_key(observation, identity):
    """Equal for the same error on the same resource."""
    _, resource, best = identity
    where = resource.get("resource_id") or tuple(sorted(resource.items()))
    if best is not None:
        return (best[0].entry.id, tuple(sorted(best[0].values.items())), where)
    code, message, _ = _most_specific(observation)
    return (None, code, " ".join((message or "").lower().split()), where)


def add_nearest(finding):
    """Fill ``nearest`` (and their ``nearest_scores``) of an unknown finding (done once per kept
    finding: it compares with all)."""
    if finding.get("id") is None:
        scored = nearest_scored(finding.get("code"), finding.get("message"))
        finding["nearest"] = [entry_id for entry_id, _ in scored]
        finding["nearest_scores"] = [score for _, score in scored]
    return finding


def to_finding(observation, identity=None):
    """The finding dict of one observation (count 1; ``nearest`` is left to ``add_nearest``)."""
    request, resource, best = identity or identify(observation)
    finding = dict.fromkeys(FIELDS)
    finding.update(line=observation.line, resource=resource, operation=operation_of(request), count=1,
                   source=observation.source, status=observation.status, commands=[], command_notes=[],
                   powershell=[], powershell_notes=[], values={})
    if best is None:
        code, message, target = _most_specific(observation)
        finding.update(code=code, message=_clip(_clean(message or "", _padded(observation))), target=target,
                       matched_by=[],
                       title=say("explain.report", "unknown-title-code", code=code) if code
                       else say("explain.report", "unknown-title"))
        finding[ORIGIN] = (observation.command, request, observation.source, observation.serial, observation.tool,
                       _accepted(observation))
        finding[AS_READ] = message
        return finding
    found, code, message, target = best
    entry = found.entry
    names = _placeholders(entry)
    context_values = _context_values(request, resource, observation.facts)
    padded = _padded(observation)
    for key, value in _named_in(_clean(message or "", padded), found.values).items():
        context_values.setdefault(key, value)
    if "property" in names and _is_property_path(target or observation.target):
        # The error's target is the property the entry speaks of when the message does not say it.
        context_values.setdefault("property", (target or observation.target).strip())
    values = {name: context_values[name] for name in names if context_values.get(name)}
    values.update({name: value for name, value in found.values.items() if value})
    values = dict(sorted(api_words(_short_regions(values)).items()))
    # The steps act where the failed resource is, whatever the default subscription is.
    guidance = render(entry, values, context_values, subscription=(resource or {}).get("subscription"))
    # The message as it was read: without what a wrapper left in it (padded columns, escapes, gutters).
    finding.update(id=entry.id, code=code or observation.code, message=_clip(_clean(message or "", padded)),
                   target=target or observation.target, values=values, nearest=None,
                   confidence=found.confidence, matched_by=list(found.matched_by), **guidance.fields())
    finding[ORIGIN] = (observation.command, request, observation.source, observation.serial, observation.tool,
                       _accepted(observation))
    finding[AS_READ] = message
    return finding


# Gallery image paths in a message: ARM ids of definitions and versions, community and direct-shared
# gallery paths (domain.ids.image_reference reads them).
_IMAGE_PATH = re.compile(r"/(?:subscriptions/[^/\s'\"]+/resourceGroups/[^/\s'\"]+/providers/"
                         r"Microsoft\.Compute/galleries|"
                         r"CommunityGalleries|SharedGalleries)/[^/\s'\"]+/images/[^/\s'\"]+(?:/versions/[^/\s'\"]+)?",
                         re.IGNORECASE)


# A gallery scope as users post it: the subscription may be redacted away ("/subscriptions//..."),
# the path cut after a name.
_GALLERY_SCOPE = re.compile(r"/resourceGroups/(?P<resource_group>[^/\s'\"*]+)/providers/Microsoft\.Compute/galleries/"
                            r"(?P<gallery>[^/\s'\"*]+)(?:/images/(?P<image>[^/\s'\"*]+)(?:/versions/"
                            r"(?P<version>[^/\s'\"*]+))?)?", re.IGNORECASE)
# Placeholders of the resources an ARM id in a message can name (domain.ids kinds).
_ID_NAMES = {"vm": "vm", "vmss": "vmss", "disk": "disk"}


def _named_in(message, extracted):
    """The names of the resources the message or its extracted values name, for the entry's
    commands: a gallery image's gallery, definition and version (with its group and subscription),
    a VM's or scale set's name."""
    texts = [value for key, value in extracted.items() if key.endswith("_id") and isinstance(value, str)]
    named = {}
    for text in texts:
        parsed = ids.parse(text.strip().rstrip(".,;:'\""))
        if parsed is not None and parsed.kind in _ID_NAMES:
            named.setdefault(_ID_NAMES[parsed.kind], parsed.name)
    for text in texts + [found.group(0) for found in _IMAGE_PATH.finditer(message)]:
        reference = ids.image_reference(text.strip().rstrip(".,;:'\""))
        if reference is None:
            continue
        named.update(gallery=reference.gallery, image=reference.image)
        if reference.version and not reference.is_latest:
            named["version"] = reference.version
        if reference.resource_id is not None:
            named.update(subscription=reference.resource_id.subscription,
                         resource_group=reference.resource_id.resource_group)
        return named
    for text in texts + [message]:
        scope = _GALLERY_SCOPE.search(text)
        if scope:
            named.update((key, value) for key, value in scope.groupdict().items() if value)
            break
    return named


_PROPERTY_PATH = re.compile(r"^[A-Za-z][\w]*(?:\[\d+\])?(?:\.[A-Za-z][\w]*(?:\[\d+\])?)*$")


def _is_property_path(target):
    return isinstance(target, str) and bool(_PROPERTY_PATH.match(target.strip()))


def _short_regions(values):
    """Region values in their short form (``West US 2`` -> ``westus2``) when they are known regions."""
    return {key: regions.short_name(value) if key in REGION_KEYS and isinstance(value, str) and regions.is_known(value)
            else value for key, value in values.items()}


# The OS states as the localized editions of the article print them: a value goes into commands
# (--os-state), which take the API's words only.
_OS_STATES = {"通用": "Generalized", "专用": "Specialized", "一般化": "Generalized", "特製化": "Specialized",
              "generaliserad": "Generalized", "specialiserad": "Specialized",
              "gegeneraliseerd": "Generalized", "gespecialiseerd": "Specialized", "algemeen": "Generalized"}


def api_words(values):
    """Values in the API's words where a localized message gave them translated (OS states)."""
    return {key: _OS_STATES.get(value.strip().lower(), value) if key.startswith("os_state") and isinstance(value, str)
            else value for key, value in values.items()}


def _words(text):
    return frozenset(word.lower() for word in _WORD.findall(text or ""))


@lru_cache(maxsize=1)
def _entry_words():
    table = []
    for entry in knowledge.load():
        texts = [entry.data.get("title") or ""]
        texts += [sample.get("text") or "" for sample in entry.data.get("samples") or []]
        texts += [signature.get("template") or "" for signature in entry.signatures]
        texts += list(entry.data.get("phrases") or [])
        table.append((entry, [_words(text) for text in texts if text]))
    return table


@lru_cache(maxsize=1024)
def nearest_scored(code, message, limit=3):
    """``(id, score)`` of the known entries closest to an unknown error (shared words, 0 to 1, plus
    0.25 for a shared code), the closest first; scores are rounded to two decimals."""
    words = _words(_clean(message or ""))
    scored = []
    for entry, word_sets in _entry_words():
        similarity = max((len(words & other) / float(len(words | other)) for other in word_sets if other),
                         default=0.0)
        score = similarity + (0.25 if code and code in entry.codes else 0.0)
        if score >= _NEAREST_CUTOFF:
            scored.append((round(score, 2), entry.id))
    scored.sort(key=lambda item: -item[0])
    return [(entry_id, score) for score, entry_id in scored[:limit]]


def nearest(code, message, limit=3):
    """Ids of the known entries closest to an unknown error (see ``nearest_scored``)."""
    return [entry_id for entry_id, _ in nearest_scored(code, message, limit)]

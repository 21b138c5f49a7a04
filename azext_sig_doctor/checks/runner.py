"""Run the rules of one check: plan the reads, fetch them concurrently, evaluate every rule."""

from knack.log import get_logger

from azext_sig_doctor.checks import registry
from azext_sig_doctor.checks.fetch import OK, Fetcher, describe
from azext_sig_doctor.checks.registry import PASS, SKIP, UNVERIFIED, Outcome, Unavailable
from azext_sig_doctor.domain import facts, ids, regions
from azext_sig_doctor.i18n.catalog import msg

logger = get_logger(__name__)
_RUNNER = "checks.runner"


class Context:
    """What a rule sees: the typed request and read access to live data (refused when offline).

    ``stated_source``: facts of the source as a template states them (check-build: the VM a
    Packer or Image Builder build captures does not exist before the build), used when the
    request names no source resource to read."""

    def __init__(self, request, fetcher, offline, stated_source=None):
        self.request = request
        self.offline = offline
        self.stated_source = stated_source
        self._fetcher = fetcher
        self._memo = {}

    @property
    def kind(self):
        return self.request.kind

    def data(self, key):
        if self.offline:
            raise Unavailable(msg(_RUNNER, "offline-needs", what=describe(key)), "offline", offline=True)
        return self._fetcher.data(key)

    def raw(self, key):
        """The Read itself (status, code) for rules whose subject is the read's outcome."""
        if self.offline:
            raise Unavailable(msg(_RUNNER, "offline-needs", what=describe(key)), "offline", offline=True)
        return self._fetcher.get(key)

    def memo(self, name, compute):
        """Compute a derived fact once per run (exceptions are remembered too)."""
        if name not in self._memo:
            try:
                self._memo[name] = (True, compute())
            except Unavailable as ex:
                self._memo[name] = (False, ex)
        ok, value = self._memo[name]
        if not ok:
            raise value
        return value

    # ---- the resources most rules look at -----------------------------------------------------
    def resource_group(self):
        return self.data(("resource_group", self.request.sub, self.request.resource_group))

    def gallery(self):
        return self.data(("gallery", self.request.gallery_id))

    def definition(self):
        """The definition a version goes into, or a VM is made from (community and direct-shared
        images included: their published view has the same properties)."""
        if self.kind == "vm":
            return self.memo("image_definition", lambda: image_definition(self))
        return self.data(("definition", self.request.image_id))

    def existing(self):
        """The resource a create would overwrite (None: it does not exist yet)."""
        return self.data((self.kind, self.request.resource_id))

    def location(self):
        """The region the resource would be created in: --location, else its resource group's."""
        if self.request.location:
            return self.request.location
        return (self.resource_group() or {}).get("location")

    def source(self):
        if self.stated_source is not None and self.request.source.primary[1] is None:
            return self.stated_source
        return self.memo("source", lambda: facts.source_facts(self.request.source, self.data))


def image_definition(ctx):
    """The definition (or community / direct-shared image) a VM request names, or None."""
    reference = ctx.request.reference
    if reference.scope == "gallery":
        return ctx.data(("definition", reference.definition_id))
    key = shared_key(ctx, "image")
    return ctx.data(key) if key else None


def shared_key(ctx, what):
    """The read key of a community or direct-shared image (``what``: image or versions): they are
    read in the VM's region."""
    reference = ctx.request.reference
    region = ctx.location()
    if not region:
        raise Unavailable(msg(_RUNNER, "vm-region-unknown"), "error")
    return ("{}_{}".format(reference.scope, what), ctx.request.sub, regions.key(region), reference.gallery,
            reference.image)


# ---- requirements: what a rule needs to mean anything --------------------------------------------

def _resource_group(ctx):
    if ctx.request.resource_group and ctx.resource_group() is None:
        return Outcome(SKIP, msg(_RUNNER, "no-resource-group", name=ctx.request.resource_group))
    return None


def _gallery(ctx):
    if ctx.gallery() is None:
        return Outcome(SKIP, msg(_RUNNER, "no-gallery", name=ctx.request.gallery))
    return None


def _definition(ctx):
    if ctx.definition() is None:
        return Outcome(SKIP, msg(_RUNNER, "no-definition"))
    return None


def _source(ctx):
    if ctx.source() is None:
        return Outcome(SKIP, msg(_RUNNER, "vhd-source" if ctx.request.source.os_vhd_uri else "no-source"))
    return None


def _vm_source(ctx):
    source = ctx.source()
    if source is None or source["kind"] != "vm":
        return Outcome(SKIP, msg(_RUNNER, "source-not-vm"))
    return None


def _existing(ctx):
    if ctx.existing() is None:
        return Outcome(PASS, msg(_RUNNER, "is-a-create-" + ctx.kind))
    return None


def _arm_image(ctx):
    if ctx.request.reference.scope != "gallery":
        return Outcome(SKIP, msg(_RUNNER, "community-image" if ctx.request.reference.scope == "community"
                                 else "shared-image"))
    return None


def _image_version(ctx):
    # A gallery definition's latest is resolved in the VM's region (rules/vm.py); a community or
    # direct-shared image's latest is resolved by the service alone.
    if ctx.request.reference.is_latest and ctx.request.reference.scope != "gallery":
        return Outcome(SKIP, msg(_RUNNER, "latest-image"))
    return None


REQUIREMENTS = {
    "resource_group": _resource_group,
    "gallery": _gallery,
    "definition": _definition,
    "source": _source,
    "vm_source": _vm_source,
    "existing": _existing,
    "arm_image": _arm_image,
    "image_version": _image_version,
}


def evaluate(rule, ctx):
    if rule.live and ctx.offline:
        return Outcome(SKIP, msg(_RUNNER, "offline"))
    try:
        for name in rule.requires:
            answer = REQUIREMENTS[name](ctx)
            if answer is not None:
                return answer
        outcome = rule.func(ctx)
    except Unavailable as ex:
        if ex.offline:
            return Outcome(SKIP, ex.reason)
        return Outcome(UNVERIFIED, ex.reason, reason_class=ex.reason_class)
    except Exception as ex:  # pylint: disable=broad-except
        # A bug in one rule must not hide the others; it is reported, not swallowed, and it is no pass.
        logger.debug("rule %s raised", rule.id, exc_info=True)
        return Outcome(UNVERIFIED, msg(_RUNNER, "internal-error", error=type(ex).__name__, text=str(ex)),
                       reason_class="error")
    if outcome is None:
        raise TypeError("rule {} returned no outcome".format(rule.id))
    return outcome


# ---- reads ------------------------------------------------------------------------------------

def plan_reads(request):
    """First-round reads for a request: everything that does not depend on another read."""
    sub = request.sub
    keys = []
    if request.resource_group:
        keys.append(("resource_group", sub, request.resource_group))
    kind = request.kind
    if kind in ("gallery", "definition", "version"):
        keys += [("gallery", request.gallery_id), ("compute_provider", sub)]
    if kind == "gallery":
        keys.append(("galleries_in_subscription", sub))
    if kind == "definition":
        keys += [("definition", request.image_id), ("definitions_in_gallery", request.gallery_id)]
    if kind == "version":
        keys += [("definition", request.image_id), ("version", request.version_id),
                 ("versions_in_definition", request.image_id)]
        keys += [("resource", source_id) for _, source_id in request.source.resource_ids()
                 if ids.is_resource_id(source_id)]
        keys += [("resource", des) for des in request.des_ids() if ids.is_resource_id(des)]
        storage = [request.storage_account_type] + [r.storage_account_type for r in request.target_regions]
        if any((s or "").lower().endswith("_zrs") for s in storage):
            keys.append(("skus", sub))
    if kind == "vm":
        reference = request.reference
        if reference.scope == "gallery":
            keys.append(("definition", reference.definition_id))
            keys.append(("version", reference.version_id) if reference.version_id
                        else ("versions_in_definition", reference.definition_id))
        if request.size:
            keys.append(("skus", sub))
    return keys


def follow_up_keys(request, fetcher):
    """Reads that depend on first-round reads: a VM's disks, a source version's definition, the
    source of the version a VM is made from."""
    keys = []
    if request.kind == "vm":
        reference = request.reference
        if reference.version_id:
            result = fetcher.get(("version", reference.version_id))
            source_id = facts.version_source_id(result.data) if result.status == OK else None
            if source_id and ids.is_resource_id(source_id):
                keys.append(("resource", source_id))
        return keys
    if request.kind != "version":
        return keys
    role, source_id = request.source.primary
    if role and source_id and ids.is_resource_id(source_id):
        result = fetcher.get(("resource", source_id))
        if result.status == OK and role == "virtual_machine":
            keys += [("resource", disk_id) for _, disk_id in facts.vm_disk_ids(result.data)]
        if role == "image_version" and ids.kind_of(source_id) == "gallery-version":
            keys.append(("definition", str(ids.parse(source_id).parent)))
    return keys


def run_rules(request, fetcher=None, offline=False, stated_source=None):
    """(rule, outcome) pairs for every rule of the request's kind, and the context used.
    ``fetcher`` may be shared by several runs (check-build: every build of a template), so each
    resource is read once for all of them."""
    if not offline:
        fetcher.prefetch(plan_reads(request))
        fetcher.prefetch(follow_up_keys(request, fetcher))
    ctx = Context(request, fetcher, offline, stated_source)
    return [(rule, evaluate(rule, ctx)) for rule in registry.rules_for(request.kind)], ctx


def new_fetcher(reader):
    return Fetcher(reader) if reader is not None else None

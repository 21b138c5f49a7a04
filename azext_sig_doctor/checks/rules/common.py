"""What several sections share: name and date rules, the regions offered for galleries, and the
rules every check runs (the resource group exists, a create that is really an update)."""

import datetime
import re

from azext_sig_doctor.checks.registry import failed, passed, rule, skipped, warned
from azext_sig_doctor.domain import regions
from azext_sig_doctor.i18n.catalog import msg

GALLERY_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.]{0,78}[A-Za-z0-9])?$")
DEFINITION_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.\-]{0,78}[A-Za-z0-9])?$")
IDENTIFIER_CHARS = re.compile(r"^[A-Za-z0-9._\-]+$")
VERSION_NAME = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
INT32_MAX = 2147483647


def trailing_characters(name, separators="._"):
    """The run of ``separators`` a name ends with (the service's "invalid trailing characters"), or ''.

    Only separators count: a name ending in any other character (say 'é') is simply invalid.
    """
    match = re.search("[{}]+$".format(re.escape(separators)), name or "")
    return match.group(0) if match else ""


def parse_date(text):
    """The date az would send for ``text``, or None when az refuses it.

    Like az 2.91: a text without a time gets T12:59:59Z appended, then the CLI's argument layer
    (AAZDateTimeArg) reads it with dateutil, so 2030/12/31 or 31.12.2030 are fine and 2030-13-01
    or 2030-W52-1 are not.
    """
    if not text:
        return None
    import dateutil.parser
    value = text if "t" in text.lower() else text + "T12:59:59Z"
    try:
        parsed = dateutil.parser.parse(value)
    except (ValueError, OverflowError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def gallery_regions(provider):
    """Regions the Microsoft.Compute provider offers galleries in (as region keys), or None."""
    for resource_type in (provider or {}).get("resourceTypes") or []:
        if (resource_type.get("resourceType") or "").lower() == "galleries":
            return {regions.key(location) for location in resource_type.get("locations") or []}
    return None


# ---- rules every check shares ---------------------------------------------------------------------

@rule("gallery.resource-group-exists", "gallery.resource-group-not-found", ("gallery", "definition", "version", "vm"),
      "The resource group of the request exists", live=True)
def resource_group_exists(ctx):
    """The create goes into a resource group that must exist first: Azure answers ResourceGroupNotFound."""
    group = "gallery.resource-group-exists"
    name = ctx.request.resource_group
    if not name:
        return skipped(msg(group, "none-given"))
    if ctx.resource_group() is None:
        return failed(msg(group, "missing", name=name, subscription=ctx.request.sub),
                      resource_group=name, region=ctx.request.location)
    return passed(msg(group, "exists", name=name))


_CREATE_UPDATES = {"gallery": "gallery.create-updates-existing", "definition": "definition.create-updates-existing",
                   "version": "version.create-updates-existing"}


@rule("gallery.create-is-new", tuple(_CREATE_UPDATES.values()), ("gallery", "definition", "version"),
      "The create makes a new resource rather than updating one of the same name", live=True,
      requires=("resource_group", "existing"))
def create_is_new(ctx):
    """A create with the name of an existing resource is an update of it: what cannot change is
    refused, the rest is overwritten."""
    existing = ctx.existing()
    state = ((existing.get("properties") or {}).get("provisioningState") or "present")
    return warned(msg("gallery.create-is-new", "exists-" + ctx.kind, name=ctx.request.resource_id.rsplit("/", 1)[-1],
                      state=state), error_id=_CREATE_UPDATES[ctx.kind], resource_id=ctx.request.resource_id)

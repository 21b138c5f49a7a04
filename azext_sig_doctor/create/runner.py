"""A guarded create: pre-checks, then the body, then the PUT, then (for versions) replication.

Nothing is written before the checks pass. A refusal from Azure, from the PUT or from the
long-running operation, is explained with the knowledge base (``errors``); a failed or stalled
replication is reported with the commands that retry or resume it (``follow``). Ctrl-C says
whether the create request had been sent, and if so how to see what Azure makes of it.
"""

from azext_sig_doctor.create import bodies, checks_gate, client, errors, replication

KINDS = ("gallery", "definition", "version")

# What the core calls each create's arguments, mapped to our short names.
_NAME_ARGUMENTS = {"resource_group": "resource_group_name", "gallery": "gallery_name",
                   "image": "gallery_image_name", "version": "gallery_image_version"}


class CreateRequest:
    """Everything one guarded create needs, independent of the CLI."""

    def __init__(self, kind, arguments):
        if kind not in KINDS:
            raise ValueError("unknown kind of create: {}".format(kind))
        self.kind = kind
        self.arguments = {key: value for key, value in arguments.items() if key not in ("cmd",)}
        self.names = {short: self.arguments.get(long) for short, long in _NAME_ARGUMENTS.items()
                      if self.arguments.get(long) is not None}
        # Set just before the PUT goes out: from then on Azure may create the resource whatever we do.
        self.sent = False

    @property
    def label(self):
        if self.kind == "gallery":
            return "gallery {}".format(self.names["gallery"])
        if self.kind == "definition":
            return "image definition {}/{}".format(self.names["gallery"], self.names["image"])
        return "image version {}/{}/{}".format(self.names["gallery"], self.names["image"], self.names["version"])

    def body(self, location, subscription, latest_profile=True):
        """The JSON body the core command would send for these arguments (in the CLI's cloud profile)."""
        arguments = dict(self.arguments)
        for key in list(_NAME_ARGUMENTS.values()) + ["location"]:
            arguments.pop(key, None)
        if self.kind == "gallery":
            return bodies.gallery_body(location=location, **_only(arguments, _GALLERY_FIELDS))
        if self.kind == "definition":
            return bodies.definition_body(location=location, latest_profile=latest_profile,
                                          **_only(arguments, _DEFINITION_FIELDS))
        return bodies.version_body(location=location, subscription=subscription,
                                   resource_group=self.names["resource_group"],
                                   **_only(arguments, _VERSION_FIELDS))


def _fields(function, *skip):
    code = function.__code__
    return tuple(name for name in code.co_varnames[:code.co_argcount] if name not in skip)


_GALLERY_FIELDS = _fields(bodies.gallery_body, "location")
_DEFINITION_FIELDS = _fields(bodies.definition_body, "location", "latest_profile")
_VERSION_FIELDS = _fields(bodies.version_body, "location", "subscription", "resource_group")


def _only(arguments, fields):
    """The arguments a body builder takes; the checks may add arguments of their own."""
    return {key: value for key, value in arguments.items() if key in fields and value is not None}


def run(cmd, kind, arguments, skip_checks=False, fail_on=None, dry_run=False, no_wait=False, follow=None,
        report_format=None, report_file=None):
    """Run one guarded create and return what the command prints.

    ``follow`` (versions only) is a callable ``(cmd, request, poller, body) -> result`` that follows
    the replication while the create's operation runs; None waits for the operation alone.
    """
    request = CreateRequest(kind, arguments)
    fail_on = fail_on or "error"
    checks_gate.validate_options(fail_on, report_format, report_file)
    if skip_checks and report_format:
        from azure.cli.core.azclierror import MutuallyExclusiveArgumentError
        error = MutuallyExclusiveArgumentError("--report-format reports the pre-checks, which --skip-checks skips.")
        error.set_recommendation("Drop --skip-checks to get the report, or drop --report-format/--report-file.")
        raise error
    try:
        return _checked_create(cmd, request, skip_checks, fail_on, dry_run, no_wait, follow, report_format,
                               report_file)
    except KeyboardInterrupt:
        from azext_sig_doctor import interrupted
        interrupted.exit(interrupted_error(request))


def _checked_create(cmd, request, skip_checks, fail_on, dry_run, no_wait, follow, report_format, report_file):
    kind = request.kind
    cli_ctx = cmd.cli_ctx
    subscription = client.subscription_id(cli_ctx)
    location = request.arguments.get("location") or client.resource_group_location(
        cli_ctx, request.names["resource_group"])
    # Built before the checks so that malformed arguments fail before anything else is read.
    body = request.body(location, subscription, latest_profile=cli_ctx.cloud.profile == "latest")
    report = None
    if not skip_checks:
        report = checks_gate.run_checks(cmd, kind, request.arguments, fail_on, report_format, report_file)
    if dry_run:
        _print_as_is(cli_ctx)
        from azext_sig_doctor.secrets import mask_value
        # Exactly the body that would be sent, except secrets (a VHD's SAS signature): never printed.
        return {"dryRun": True, "kind": kind, "method": "PUT", "path": resource_path(subscription, request.names),
                "body": mask_value(body), "checks": checks_gate.summary(report)}

    sdk = client.gallery_client(cli_ctx)
    try:
        request.sent = True
        poller = client.begin_create(sdk, kind, request.names, body)
        if no_wait:
            return None
        if kind == "version" and follow is not None:
            # A version's operation lasts until replication ends: follow it region by region meanwhile.
            return follow(cmd, request, poller, body)
        created = poller.result()
    except Exception as exc:  # pylint: disable=broad-except
        _raise_explained(exc, request, resource_path(subscription, request.names), body)
        raise
    return flatten(created.serialize(keep_readonly=True)) if hasattr(created, "serialize") else created


def _print_as_is(cli_ctx):
    """az's output adds "resourceGroup" beside every "id" it prints (a source's id, here); the
    dry run shows the body exactly as it would be sent, so those transforms are off, as for az rest."""
    from azure.cli.core.commands.transform import unregister_global_transforms
    unregister_global_transforms(cli_ctx)


def _raise_explained(exc, request, path, body):
    """Azure's refusal (of the PUT, its operation or a read while following) as a CLI error with
    a recommendation: the knowledge base's when it knows the error, else how to look further."""
    from azure.core.exceptions import HttpResponseError
    if not isinstance(exc, HttpResponseError):
        return
    explained = errors.explain_failure(exc, request.label, path, body)
    if explained is None:
        explained = errors.unknown_failure(exc, inspect_commands(request.kind, request.names))
    raise explained from None


def interrupted_error(request):
    """What Ctrl-C leaves behind: nothing when the create request had not been sent yet; otherwise
    a resource Azure may still be creating, and the commands that show it."""
    from azure.cli.core.azclierror import ManualInterrupt
    if not request.sent:
        error = ManualInterrupt("Stopped before creating the {}: nothing was sent to Azure.".format(request.label))
        error.set_recommendation("Run the same command again to check and create it.")
        return error
    error = ManualInterrupt("Stopped waiting for the create of the {}: the create request was sent; Azure may "
                            "still create the resource.".format(request.label))
    names = request.names
    lines = ["Check with: " + show_command(request.kind, names)]
    if request.kind == "version":
        lines.append("Follow its replication with: " + replication.resume_command(
            names["resource_group"], names["gallery"], names["image"], names["version"]))
    error.set_recommendation("\n".join(lines))
    return error


def show_command(kind, names):
    """The core command that shows the resource a create was about."""
    where = "-g {} -r {}".format(names["resource_group"], names["gallery"])
    if kind == "gallery":
        return "az sig show " + where
    if kind == "definition":
        return "az sig image-definition show {} -i {}".format(where, names["image"])
    return "az sig image-version show {} -i {} -e {} --expand ReplicationStatus".format(
        where, names["image"], names["version"])


def inspect_commands(kind, names):
    """The commands that show what Azure made of the resource a create was about."""
    if kind != "version":
        return [show_command(kind, names)]
    return [replication.doctor_status_command(names["resource_group"], names["gallery"], names["image"],
                                              names["version"]),
            show_command(kind, names)]


def resource_path(subscription, names):
    path = "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Compute/galleries/{}".format(
        subscription, names["resource_group"], names["gallery"])
    if names.get("image"):
        path += "/images/" + names["image"]
    if names.get("version"):
        path += "/versions/" + names["version"]
    return path


def flatten(resource):
    """A resource as the core's commands print it: ``properties`` lifted to the top level."""
    if not isinstance(resource, dict) or not isinstance(resource.get("properties"), dict):
        return resource
    flat = {key: value for key, value in resource.items() if key != "properties"}
    flat.update(resource["properties"])
    return flat

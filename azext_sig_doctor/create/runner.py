"""A guarded create: pre-checks, then the body, then the PUT, then (for versions) replication.

Nothing is written before the checks pass. A refusal from Azure, from the PUT or from the
long-running operation, is explained with the knowledge base (``errors``); a failed or stalled
replication is reported with the commands that retry or resume it (``follow``). Ctrl-C says
whether the create request had been sent, and if so how to see what Azure makes of it.
"""

from azext_sig_doctor.create import checks_gate, client, errors, replication

KINDS = ("gallery", "definition", "version")


class CreateRequest:
    """One guarded create: the typed request and whether the create request has gone out."""

    def __init__(self, request):
        if request.kind not in KINDS:
            raise ValueError("unknown kind of create: {}".format(request.kind))
        self.request = request
        self.kind = request.kind
        self.names = {short: getattr(request, short, None) for short in ("resource_group", "gallery", "image",
                                                                           "version")
                      if getattr(request, short, None) is not None}
        # Set just before the PUT goes out: from then on Azure may create the resource whatever we do.
        self.sent = False
        # Set once Azure accepted the PUT: a failure from then on leaves the resource behind.
        self.accepted = False
        # The --subscription the user typed (every command printed keeps it), and the whole line
        # (a fixed command is written onto it).
        self.typed_subscription = None
        self.command_words = None

    @property
    def label(self):
        if self.kind == "gallery":
            return "gallery {}".format(self.names["gallery"])
        if self.kind == "definition":
            return "image definition {}/{}".format(self.names["gallery"], self.names["image"])
        return "image version {}/{}/{}".format(self.names["gallery"], self.names["image"], self.names["version"])


def run(cmd, kind, arguments, skip_checks=False, fail_on=None, dry_run=False, no_wait=False, follow=None,
        report_format=None, report_file=None):
    """Run one guarded create and return what the command prints.

    ``follow`` (versions only) is a callable ``(cmd, request, poller, body) -> result`` that follows
    the replication while the create's operation runs; None waits for the operation alone.
    """
    from azext_sig_doctor.checks.cli import command_line, request_for
    from azext_sig_doctor.checks.report import DEFAULT_FAIL_ON
    fail_on = fail_on or DEFAULT_FAIL_ON
    line = command_line(cmd, ("sig", "doctor", "create-" + kind))
    request = CreateRequest(request_for(cmd, kind, arguments, offline=False, line=line))
    request.typed_subscription = line.value("--subscription") if line is not None else None
    request.command_words = line.words_all() if line is not None else None
    try:
        return _checked_create(cmd, request, line, skip_checks, fail_on, dry_run, no_wait, follow, report_format,
                               report_file)
    except KeyboardInterrupt:
        from azext_sig_doctor import interrupted
        interrupted.exit(interrupted_error(request))


def _checked_create(cmd, request, line, skip_checks, fail_on, dry_run, no_wait, follow, report_format,
                    report_file):
    from azext_sig_doctor.domain.bodies import body_of
    kind = request.kind
    cli_ctx = cmd.cli_ctx
    subscription = request.request.subscription
    location = request.request.location or client.resource_group_location(cli_ctx, request.names["resource_group"])
    # Built before the checks so that malformed arguments fail before anything else is read.
    body = body_of(request.request, location)
    report = None
    if not skip_checks:
        report = checks_gate.run_checks(cmd, request.request, line, fail_on, report_format, report_file)
    if dry_run:
        _print_as_is(cli_ctx)
        from azext_sig_doctor.secrets import mask_value
        # Exactly the body that would be sent, except secrets (a VHD's SAS signature): never printed.
        return {"dry_run": True, "kind": kind, "method": "PUT", "path": resource_path(subscription, request.names),
                "body": mask_value(body), "checks": checks_gate.summary(report)}

    sdk = client.gallery_client(cli_ctx)
    try:
        request.sent = True
        poller = client.begin_create(sdk, kind, request.names, body)
        request.accepted = True
        if no_wait:
            return None
        if kind == "version" and follow is not None:
            # A version's operation lasts until replication ends: follow it region by region meanwhile.
            return follow(cmd, request, poller, body)
        created = wait_for(cli_ctx, poller, "create-" + kind)
    except Exception as exc:  # pylint: disable=broad-except
        _raise_explained(exc, request, resource_path(subscription, request.names), body,
                         line.words_all() if line is not None else None)
        raise
    return flatten(created.serialize(keep_readonly=True)) if hasattr(created, "serialize") else created


def wait_for(cli_ctx, poller, command):
    """The operation's result, waited for as the core commands wait: the CLI's LongRunningOperation
    (its progress on stderr, silent with --only-show-errors or when the progress bar is disabled)."""
    from azure.cli.core.commands import LongRunningOperation
    return LongRunningOperation(cli_ctx, "Starting sig doctor {}".format(command))(poller)


def _print_as_is(cli_ctx):
    """az's output adds "resourceGroup" beside every "id" it prints (a source's id, here); the
    dry run shows the body exactly as it would be sent, so those transforms are off, as for az rest."""
    from azure.cli.core.commands.transform import unregister_global_transforms
    unregister_global_transforms(cli_ctx)


def _raise_explained(exc, request, path, body, command_words=None):
    """Azure's refusal (of the PUT, its operation or a read while following) as a CLI error with
    a recommendation: the knowledge base's when it knows the error, else how to look further."""
    from azure.core.exceptions import HttpResponseError
    if not isinstance(exc, HttpResponseError):
        return
    explained = errors.explain_failure(exc, request.label, path, body, command_words, existing=request.accepted)
    if explained is None:
        explained = errors.unknown_failure(exc, inspect_commands(request.kind, request.names,
                                                                 request.typed_subscription))
    raise explained from None


def interrupted_error(request):
    """What Ctrl-C leaves behind: nothing when the create request had not been sent yet; otherwise
    a resource Azure may still be creating, and the commands that show it."""
    from azure.cli.core.azclierror import ManualInterrupt
    if not request.sent:
        return ManualInterrupt("Stopped before creating the {}: nothing was sent to Azure.".format(request.label),
                               "Run the same command again to check and create it.")
    names = request.names
    lines = ["Check with: " + show_command(request.kind, names, request.typed_subscription)]
    if request.kind == "version":
        lines.append("Follow its replication with: " + replication.resume_command(
            names["resource_group"], names["gallery"], names["image"], names["version"],
            subscription=request.typed_subscription))
    return ManualInterrupt("Stopped waiting for the create of the {}: the create request was sent; Azure may still "
                           "create the resource.".format(request.label), "\n".join(lines))


def show_command(kind, names, subscription=None):
    """The core command that shows the resource a create was about."""
    from azext_sig_doctor.domain.commandline import quote
    where = "-g {} -r {}".format(quote(names["resource_group"]), quote(names["gallery"]))
    if kind == "gallery":
        line = "az sig show " + where
    elif kind == "definition":
        line = "az sig image-definition show {} -i {}".format(where, quote(names["image"]))
    else:
        line = "az sig image-version show {} -i {} -e {} --expand ReplicationStatus".format(
            where, quote(names["image"]), quote(names["version"]))
    return line + (" --subscription " + quote(subscription) if subscription else "")


def inspect_commands(kind, names, subscription=None):
    """The commands that show what Azure made of the resource a create was about."""
    if kind != "version":
        return [show_command(kind, names, subscription)]
    return [replication.doctor_status_command(names["resource_group"], names["gallery"], names["image"],
                                              names["version"], subscription),
            show_command(kind, names, subscription)]


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

"""Following a version's replication from the CLI, and what to tell the user when it ends badly.

A failed region ends with the knowledge base's guidance and the commands that retry only that
region; a stall or the timeout ends with the command that resumes following. Ctrl-C stops
following (the doctor has written nothing to leave half-done) and says how to resume.
"""

import math

from knack.log import get_logger

from azext_sig_doctor.create import client, errors, replication, transient

logger = get_logger(__name__)

FAILED_ENTRY = "replication.failed-in-regions"
UNFINISHED_ENTRY = "replication.slow-or-unfinished"


class Target:
    """The image version being followed. ``subscription`` is the one the user named with
    --subscription (every command printed keeps it); ``subscription_id`` the one in use."""

    def __init__(self, resource_group, gallery, image, version, home_region=None, subscription=None,
                 subscription_id=None, command_words=None):
        self.resource_group = resource_group
        self.gallery = gallery
        self.image = image
        self.version = version
        self.home_region = home_region  # known once the version has been read
        self.subscription = subscription
        self.subscription_id = subscription_id or subscription
        self.command_words = command_words  # the create's command line: fixed commands are written onto it

    @property
    def label(self):
        return "{}/{}/{}".format(self.gallery, self.image, self.version)

    def values(self):
        return {"resource_group": self.resource_group, "gallery": self.gallery, "image": self.image,
                "version": self.version}

    @property
    def path(self):
        """The version's ARM path (from the resource group on when the subscription is not known)."""
        path = "/resourceGroups/{}/providers/Microsoft.Compute/galleries/{}/images/{}/versions/{}".format(
            self.resource_group, self.gallery, self.image, self.version)
        return "/subscriptions/{}{}".format(self.subscription_id, path) if self.subscription_id else path

    def _names(self):
        return (self.resource_group, self.gallery, self.image, self.version)

    def resume(self):
        return replication.resume_command(*self._names(), subscription=self.subscription)

    def status(self):
        return replication.status_command(*self._names(), subscription=self.subscription)

    def retries(self, regions, home_region=None):
        return replication.retry_commands(*self._names(), regions, home_region or self.home_region,
                                          subscription=self.subscription)


def follow_version(cmd, target, timeout=replication.DEFAULT_TIMEOUT, stall_timeout=replication.DEFAULT_STALL_TIMEOUT,
                   interval=replication.DEFAULT_INTERVAL, sdk=None, operation=None, request_body=None):
    """Follow until every region is Completed; return the version (as ``az sig image-version show``).

    ``operation`` is the create's poller when following a create: once it has ended, its error (if
    any) is raised, unless the status already names the failed regions, which says more.
    ``request_body`` is the create's PUT body; without it, the version as last read stands in for
    it (the same shape) when a failure is explained.
    """
    sdk = sdk or client.gallery_client(cmd.cli_ctx)
    latest = {}
    pending = [operation] if operation is not None else []  # the create's operation, until it has ended

    def fetch():
        # No retry inside the SDK: it would obey any Retry-After (an hour) and hide the fault from
        # the follower, which retries within --timeout and --stall-timeout.
        version = client.get_version(sdk, target.resource_group, target.gallery, target.image, target.version,
                                     retries=False)
        latest["version"] = version
        target.home_region = replication.home_region(version)
        if pending and pending[0].done():
            if not any(region.failed for region in replication.read_regions(version)):
                _operation_result(pending, target)
        return version

    def warn(fault, wait):
        logger.warning("Could not read the replication status of %s: %s; reading again in %s. Azure goes on "
                       "replicating meanwhile.", target.label, fault.reason,
                       replication.format_duration(math.ceil(wait)))

    follower = replication.Follower(fetch, replication.make_reporter(cmd.cli_ctx, "Replicating " + target.version),
                                    timeout=timeout, stall_timeout=stall_timeout, interval=interval,
                                    transient=transient.classify, warn=warn)
    try:
        outcome = follower.run()
    except KeyboardInterrupt:
        from azext_sig_doctor import interrupted
        interrupted.exit(interrupted_error(target))
    if outcome.kind == "completed":
        from azext_sig_doctor.create.runner import flatten
        return flatten(latest["version"])
    raise outcome_error(outcome, target, follower.stalled, request_body or latest.get("version"))


def _operation_result(pending, target):
    """Raise the create operation's error when it failed; an operation that died of a passing fault
    of its own polling (a dropped connection) is no answer about the version: the version's own
    status decides, and the operation is not asked again."""
    try:
        pending[0].result()
    except Exception as exc:  # pylint: disable=broad-except
        fault = transient.classify(exc)
        if fault is None:
            raise
        logger.warning("The create operation of %s stopped being followed (%s); its replication is followed from "
                       "the version's status.", target.label, fault.reason)
    del pending[:]


def interrupted_error(target):
    from azure.cli.core.azclierror import ManualInterrupt
    return ManualInterrupt("Stopped following the replication of {}. The version and its replication are "
                           "untouched; Azure carries on.".format(target.label),
                           "Resume following with: " + target.resume())


def outcome_error(outcome, target, stalled=(), request_body=None):
    """The CLI error for a replication that failed, stalled or ran out of time; ``request_body``
    (the version's PUT body, or the version itself) fills the values a failure's guidance names."""
    from azure.cli.core.azclierror import AzureResponseError, UnclassifiedUserFault
    if outcome.kind == "failed":
        failed = outcome.failed_regions
        summary = "; ".join(replication.format_region_line(region) for region in failed)
        return AzureResponseError(
            "Replication of image version {} failed in {}: {}. The version is left as it is; nothing was "
            "deleted.".format(target.label, ", ".join(region.region for region in failed), summary),
            failure_guidance(failed, target, request_body))
    pending = list(stalled) or outcome.pending_regions
    return UnclassifiedUserFault(unfinished_message(outcome, target, pending), unfinished_guidance(target, pending))


def unfinished_message(outcome, target, pending):
    """What happened when following stopped before every region was done: the doctor gave up
    waiting; Azure reported no failure."""
    names = ", ".join("{} ({}, {}%)".format(region.region, region.state, region.percent) for region in pending)
    unread = ""
    if outcome.fault is not None:
        unread = " The last reads of its status failed ({}).".format(outcome.fault.reason)
    if outcome.kind == "unreadable":
        happened = "its status could not be read for {} (--stall-timeout): {}".format(
            replication.format_duration(outcome.limit), outcome.fault.reason)
        return ("Stopped following the replication of image version {}: {}. Azure reported no failure and may "
                "still be replicating; the version is left as it is.".format(target.label, happened))
    if outcome.kind == "stalled":
        waited = replication.format_duration(outcome.limit) if outcome.limit else "the stall time"
        verb = "has" if len(pending) == 1 else "have"
        happened = "{} {} not progressed for {} (--stall-timeout)".format(names, verb, waited)
    else:
        waited = replication.format_duration(outcome.limit if outcome.limit else outcome.elapsed)
        happened = "it timed out after {} (--timeout) with {} still to finish".format(waited, names)
    if not pending and outcome.kind == "timeout":
        happened = "it timed out after {} (--timeout)".format(waited)
    return ("Stopped following the replication of image version {}: {}. Azure reported no failure and carries "
            "on replicating; the version is left as it is.{}".format(target.label, happened, unread))


def unfinished_guidance(target, pending):
    """How to resume following, look at each region, and retry a region that stays stuck."""
    lines = ["Resume following (a longer --timeout or --stall-timeout waits longer): " + target.resume(),
             "See each region's state: " + target.status(),
             "If a region stays stuck, retry only that region:", _home_note(target, pending)]
    lines += ["  " + command for command in target.retries(pending)]
    lines.append("More: az sig doctor error show --id {}".format(UNFINISHED_ENTRY))
    return "\n".join(line for line in lines if line)


def region_findings(regions, target, request_body=None):
    """The knowledge base's finding for each region's failure details (None where it has none).

    ``request_body`` is what the version was created with: it fills the values the details leave
    out (source, target regions, home region), as it does for a pasted request in ``explain``. The
    version exists (its replication failed): a fixed command that creates it again comes after
    deleting it.
    """
    return [errors.match_error(None, region.details, target.path, request_body, command_words=target.command_words,
                               existing=True)
            if region.details else None for region in regions]


def failure_guidance(failed, target, request_body=None):
    """What the knowledge base says about the failure, then the retry commands and the resume command."""
    findings = region_findings(failed, target, request_body)
    lines = []
    for finding in _distinct(findings):
        lines.append(errors.recommendation(finding))
    if not any(findings):
        lines.append(_entry_guidance(FAILED_ENTRY, target, failed, failed[0]))
    retryable = [region for region, finding in zip(failed, findings) if retry_can_help(finding)]
    if len(retryable) < len(failed):
        which = "the region(s)" if not retryable else ", ".join(
            region.region for region in failed if region not in retryable)
        lines.append("Retrying {} would fail the same way: fix the cause above first, then replicate them again "
                     "with the commands of a failed region (az sig doctor error show --id {})."
                     .format(which, FAILED_ENTRY))
    if not retryable:
        return "\n".join(line for line in lines if line)
    lines.append("Retry only the failed region(s): remove them, then add them back:")
    lines.append(_home_note(target, retryable))
    lines += ["  " + command for command in target.retries(retryable)]
    lines.append("Then follow the replication again: " + target.resume())
    return "\n".join(line for line in lines if line)


def _distinct(findings):
    """The findings, each knowledge-base entry once (regions often fail for the same reason)."""
    seen = set()
    for finding in findings:
        if finding and finding["id"] not in seen:
            seen.add(finding["id"])
            yield finding


def retry_can_help(finding):
    """A region's failure is worth retrying as it is when it is transient or unknown (replication
    trouble, throttling, a service fault: entries no pre-check can prevent); an error a rule
    prevents (a source too large, an encryption set missing, ...) comes back on every retry."""
    if finding is None:
        return True
    from azext_sig_doctor import knowledge
    try:
        entry = knowledge.get(finding["id"])
    except knowledge.UnknownEntryError:
        return True
    return entry.data.get("section") == "replication" or not entry.prevented_by_rule


def _home_note(target, regions):
    """Why the home region gets a plain update instead of remove/add; empty when it is not concerned."""
    home = replication.region_key(target.home_region) if target.home_region else None
    if not home or all(replication.region_key(region.region) != home for region in regions):
        return ""
    return ("  ({} is the version's home region and must stay a target region: the plain update runs its "
            "replication again.)".format(target.home_region))


def _values(target, regions, region=None):
    values = target.values()
    values["regions"] = ", ".join(item.region for item in regions)
    if region is not None:
        values["region"] = replication.region_key(region.region)
        if region.details:
            values["value"] = region.details
    return values


def _entry_guidance(entry_id, target, regions, region):
    """The entry's cause and fix (in the current language); empty when the knowledge base lacks the entry."""
    from azext_sig_doctor import knowledge
    from azext_sig_doctor.i18n.catalog import localized, say
    try:
        entry = localized(knowledge.get(entry_id))
    except knowledge.UnknownEntryError:
        return ""
    values = _values(target, regions, region)
    return "\n".join([
        say("guidance", "why", text=knowledge.fill(entry.data.get("cause", ""), values).strip()),
        say("guidance", "fix", text=knowledge.fill(entry.data.get("fix", ""), values).strip()),
        say("guidance", "more", id=entry.id),
    ])

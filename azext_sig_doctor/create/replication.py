"""Following an image version's replication until every target region is done.

The version's ``$expand=ReplicationStatus`` view is read again and again. The follower stops
when every target region is Completed, when one has Failed, when a region's progress has not
moved for the stall time, or at the overall timeout. It never changes the version: a failed
region is reported with the commands that retry only that region.
"""

import re
import time

COMPLETED = "Completed"
FAILED = "Failed"
NOT_STARTED = "Unknown"

DEFAULT_TIMEOUT = 6 * 3600  # the troubleshooting article tells users to allow up to six hours
DEFAULT_STALL_TIMEOUT = 3600
DEFAULT_INTERVAL = 30
_BAR_WIDTH = 84  # what the CLI's determinate bar writes: a 70-character bar line plus the percentage

_DURATION = re.compile(r"^\s*(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>[smhd]?)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text):
    """``90``, ``90s``, ``30m``, ``6h`` -> seconds; a clear CLI error otherwise."""
    if isinstance(text, (int, float)):
        return float(text)
    found = _DURATION.match(str(text or ""))
    if not found or float(found.group("amount")) <= 0:
        from azure.cli.core.azclierror import InvalidArgumentValueError
        raise InvalidArgumentValueError("'{}' is not a duration.".format(text),
                                        "Give seconds (900) or a number with s, m, h or d (15m, 6h).")
    return float(found.group("amount")) * _UNIT_SECONDS[found.group("unit").lower()]


def format_duration(seconds):
    """90 -> ``1m 30s``, 7200 -> ``2h``: a duration as --timeout would take it."""
    total = int(round(seconds or 0))
    parts = [(total // 3600, "h"), (total % 3600 // 60, "m"), (total % 60, "s")]
    return " ".join("{}{}".format(amount, unit) for amount, unit in parts if amount) or "0s"


def region_key(name):
    """Regions come as names (westus2) and display names (West US 2); compare them as the service does."""
    return (name or "").replace(" ", "").lower()


class RegionStatus:
    """Where one target region stands."""

    __slots__ = ("region", "index", "state", "progress", "details", "replica_count", "storage_account_type")

    def __init__(self, region, index, state=NOT_STARTED, progress=0, details=None, replica_count=None,
                 storage_account_type=None):
        self.region = region
        self.index = index
        self.state = state
        self.progress = progress
        self.details = details
        self.replica_count = replica_count
        self.storage_account_type = storage_account_type

    @property
    def done(self):
        return self.state == COMPLETED

    @property
    def failed(self):
        return self.state == FAILED

    @property
    def percent(self):
        return 100 if self.done else max(0, min(100, int(self.progress or 0)))

    def to_dict(self):
        return {"region": self.region, "state": self.state, "progress": self.percent, "details": self.details,
                "regional_replica_count": self.replica_count}


def read_regions(version):
    """The target regions of a version (wire JSON, ``$expand=ReplicationStatus``) with their state.

    The list follows ``publishingProfile.targetRegions`` so that ``index`` is the position the
    retry command removes; a target the summary does not mention yet has not started.
    """
    properties = version.get("properties", version)
    profile = properties.get("publishingProfile") or {}
    summary = {region_key(item.get("region")): item
               for item in ((properties.get("replicationStatus") or {}).get("summary") or [])}
    default_count = profile.get("replicaCount")
    regions = []
    for index, target in enumerate(profile.get("targetRegions") or []):
        status = summary.get(region_key(target.get("name")), {})
        regions.append(RegionStatus(
            target.get("name"), index, status.get("state") or NOT_STARTED, status.get("progress") or 0,
            status.get("details"), target.get("regionalReplicaCount") or default_count,
            target.get("storageAccountType")))
    return regions


def home_region(version):
    """The version's own region: the one it is built in, which must stay a target region."""
    return version.get("location")


def aggregated_state(version):
    properties = version.get("properties", version)
    return (properties.get("replicationStatus") or {}).get("aggregatedState")


class Outcome:
    """How following ended: ``completed``, ``failed``, ``stalled``, ``timeout`` or ``unreadable``
    (the status could not be read for the stall time); ``limit`` is the stall time or the timeout
    (seconds) that ended it; ``fault`` the reason of the last failed read, when reads were failing."""

    __slots__ = ("kind", "regions", "elapsed", "limit", "fault")

    def __init__(self, kind, regions, elapsed, limit=None, fault=None):
        self.kind = kind
        self.regions = regions
        self.elapsed = elapsed
        self.limit = limit
        self.fault = fault

    @property
    def failed_regions(self):
        return [region for region in self.regions if region.failed]

    @property
    def pending_regions(self):
        return [region for region in self.regions if not region.done and not region.failed]


class Follower:
    """Polls ``fetch()`` (the version's JSON) until the replication ends one way or another.

    ``clock`` and ``sleep`` are injectable so tests drive time; ``reporter`` gets every reading.
    ``transient(exc)`` says whether a failed read passes by itself (a ``transient.Fault``) or is
    Azure's answer (None: raised); a passing failure is told to ``warn(fault, wait)`` and the read
    is tried again after ``wait`` seconds, for as long as --stall-timeout allows and never beyond
    --timeout.
    """

    def __init__(self, fetch, reporter=None, timeout=DEFAULT_TIMEOUT, stall_timeout=DEFAULT_STALL_TIMEOUT,
                 interval=DEFAULT_INTERVAL, clock=time.monotonic, sleep=time.sleep, transient=None, warn=None):
        self.fetch = fetch
        self.reporter = reporter or SilentReporter()
        self.timeout = timeout
        self.stall_timeout = stall_timeout
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self.transient = transient or (lambda exc: None)
        self.warn = warn or (lambda fault, wait: None)
        self.stalled = []

    def run(self):
        started = self.clock()
        last_seen = {}
        regions = []
        last_read = started  # when a read last succeeded
        failures = 0  # failed reads in a row
        self.reporter.begin()
        try:
            while True:
                now = self.clock()
                try:
                    version = self.fetch()
                except Exception as exc:  # pylint: disable=broad-except
                    fault = self.transient(exc)
                    if fault is None:
                        raise
                    failures += 1
                    outcome = self._after_failed_read(fault, failures, started, last_read, regions)
                    if outcome:
                        return outcome
                    continue
                failures = 0
                last_read = now
                regions = read_regions(version)
                self.reporter.update(regions)
                outcome = self._decide(regions, last_seen, now, now - started)
                if outcome:
                    return outcome
                self.sleep(max(0.0, min(self.interval, started + self.timeout - self.clock())))
        finally:
            self.reporter.end()

    def _after_failed_read(self, fault, failures, started, last_read, regions):
        """Wait before reading again (what the fault asks, within what --timeout and --stall-timeout
        leave), or the Outcome when no time is left."""
        from azext_sig_doctor.create import transient
        now = self.clock()
        left = min(started + self.timeout - now, last_read + self.stall_timeout - now)
        if left <= 0:
            if started + self.timeout <= now:
                return Outcome("timeout", regions, now - started, self.timeout, fault)
            return Outcome("unreadable", regions, now - started, self.stall_timeout, fault)
        wait = min(transient.next_wait(fault, failures, self.interval), left)
        self.warn(fault, wait)
        self.sleep(wait)
        return None

    def _decide(self, regions, last_seen, now, elapsed):
        if regions and all(region.done for region in regions):
            return Outcome("completed", regions, elapsed)
        if any(region.failed for region in regions):
            return Outcome("failed", regions, elapsed)
        self.stalled = []
        for region in regions:
            reading = (region.state, region.percent)
            key = region_key(region.region)
            if key not in last_seen or last_seen[key][0] != reading:
                last_seen[key] = (reading, now)
            elif not region.done and now - last_seen[key][1] >= self.stall_timeout:
                self.stalled.append(region)
        if self.stalled:
            return Outcome("stalled", regions, elapsed, self.stall_timeout)
        if elapsed >= self.timeout:
            return Outcome("timeout", regions, elapsed, self.timeout)
        return None


# ---- progress on stderr -------------------------------------------------------------------------

class SilentReporter:
    """For ``--only-show-errors``, ``-o none`` and ``core.disable_progress_bar``."""

    def begin(self):
        pass

    def update(self, regions):
        pass

    def end(self):
        pass


class BarReporter:
    """A determinate bar (the CLI's progress controller) plus one line per region that finishes."""

    _MESSAGE_WIDTH = 40

    def __init__(self, controller, label, note=None):
        self.controller = controller
        self.label = label
        self.note = note or (lambda text: None)
        self.announced = {}
        self.started = False
        self.last = []

    def begin(self):
        self.started = True

    def update(self, regions):
        if not regions:
            return
        self.last = regions
        for region in regions:
            if (region.done or region.failed) and self.announced.get(region.region) != region.state:
                self.announced[region.region] = region.state
                self.note(format_region_line(region))
        total = 100 * len(regions)
        value = sum(region.percent for region in regions)
        finished = sum(1 for region in regions if region.done)
        message = "{} {}/{} regions".format(self.label, finished, len(regions))
        message = message[:self._MESSAGE_WIDTH]
        # The CLI's bar draws nothing at 0 %; one percent of one region keeps it visible from the start.
        self.controller.add(message=message, value=max(value, 1), total_val=total)

    def end(self):
        if self.started:
            message = "{} {}".format(self.label, ending(self.last))
            self.controller.end(message=message[:self._MESSAGE_WIDTH])


def ending(regions):
    """The last word of the bar: done only when every region completed; a stall, the timeout or
    Ctrl-C leaves it stopped."""
    if any(region.failed for region in regions):
        return "failed"
    if regions and all(region.done for region in regions):
        return "done"
    return "stopped"


def format_region_line(region):
    text = "{}: {} ({}%)".format(region.region, region.state, region.percent)
    if region.details:
        text += " - " + region.details
    return text


def make_reporter(cli_ctx, label):
    """The bar on stderr, or silence when the user asked for quiet output."""
    invocation = getattr(cli_ctx, "invocation", None)
    output = (getattr(invocation, "data", None) or {}).get("output")
    disabled = cli_ctx.config.getboolean("core", "disable_progress_bar", False)
    if getattr(cli_ctx, "only_show_errors", False) or output == "none" or disabled:
        return SilentReporter()
    import sys

    def note(text):
        # Pad over what the bar drew on this line, then let the bar redraw below.
        sys.stderr.write("\r" + text.ljust(_BAR_WIDTH) + "\n")
        sys.stderr.flush()
    return BarReporter(cli_ctx.get_progress_controller(det=True), label, note)


# ---- commands that retry or resume --------------------------------------------------------------

def _names(resource_group, gallery, image, version, subscription=None):
    """``-g -r -i -e`` (and ``--subscription`` when the user gave one), each value quoted for a shell."""
    from azext_sig_doctor.domain.commandline import quote
    words = "-g {} -r {} -i {} -e {}".format(quote(resource_group), quote(gallery), quote(image), quote(version))
    return words + (" --subscription " + quote(subscription) if subscription else "")


def retry_commands(resource_group, gallery, image, version, regions, home_region=None, subscription=None):
    """Remove then re-add each failed region; highest index first so the others keep their place.

    Regions are re-added by name (``West US 2`` -> ``westus2``), which the service accepts as well.
    The version's home region must stay among the targets, so it is never removed: for it the
    command is a plain update, which runs its replication again.
    """
    base = "az sig image-version update " + _names(resource_group, gallery, image, version, subscription)
    home = region_key(home_region) if home_region else None
    movable = [region for region in regions if region_key(region.region) != home]
    commands = []
    if len(movable) < len(regions):
        commands.append(base)
    for region in sorted(movable, key=lambda item: item.index, reverse=True):
        commands.append("{} --remove publishingProfile.targetRegions {}".format(base, region.index))
    for region in sorted(movable, key=lambda item: item.index):
        add = "{} --add publishingProfile.targetRegions name={}".format(base, region_key(region.region))
        if region.replica_count:
            add += " regionalReplicaCount={}".format(region.replica_count)
        if region.storage_account_type:
            add += " storageAccountType={}".format(region.storage_account_type)
        commands.append(add)
    return commands


def status_command(resource_group, gallery, image, version, subscription=None):
    """The core command that shows each region's replication state."""
    return ("az sig image-version show {} --expand ReplicationStatus "
            "--query \"replicationStatus.summary[].[region, state, progress, details]\" -o table"
            .format(_names(resource_group, gallery, image, version, subscription)))


def doctor_status_command(resource_group, gallery, image, version, subscription=None):
    """The doctor's command that shows where each region stands, with retry commands for failed ones."""
    return "az sig doctor replication " + _names(resource_group, gallery, image, version, subscription)


def resume_command(resource_group, gallery, image, version, subscription=None):
    return doctor_status_command(resource_group, gallery, image, version, subscription) + " --wait"


"""The replication follower with a scripted status source and a fake clock (no network, no sleeping)."""

import io

import pytest

from azext_sig_doctor.create import follow, replication


def version(*regions, targets=None, replica_count=1):
    """A version's JSON: ``regions`` are (name, state, progress[, details]) rows of the summary."""
    names = targets or [row[0] for row in regions]
    return {"properties": {
        "provisioningState": "Creating",
        "publishingProfile": {"replicaCount": replica_count,
                              "targetRegions": [{"name": name, "regionalReplicaCount": 2 if name == "westus" else None}
                                                for name in names]},
        "replicationStatus": {"aggregatedState": "InProgress", "summary": [
            {"region": row[0], "state": row[1], "progress": row[2], "details": row[3] if len(row) > 3 else ""}
            for row in regions]},
    }}


class Script:
    """Serves one reading per poll and moves a fake clock by the sleeps the follower asks for."""

    def __init__(self, readings):
        self.readings = list(readings)
        self.now = 0.0
        self.polls = 0

    def fetch(self):
        self.polls += 1
        return self.readings[min(self.polls, len(self.readings)) - 1]

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


class Recorder:
    def __init__(self):
        self.readings = []
        self.began = self.ended = False

    def begin(self):
        self.began = True

    def update(self, regions):
        self.readings.append([(region.region, region.state, region.percent) for region in regions])

    def end(self):
        self.ended = True


def follower(script, reporter=None, **options):
    options.setdefault("interval", 30)
    return replication.Follower(script.fetch, reporter or Recorder(), clock=script.clock, sleep=script.sleep,
                                **options)


def test_completes_when_every_target_region_is_completed():
    script = Script([
        version(("East US", "Replicating", 10), ("westus", "Replicating", 0)),
        version(("East US", "Completed", 100), ("westus", "Replicating", 60)),
        version(("East US", "Completed", 100), ("westus", "Completed", 100)),
    ])
    recorder = Recorder()
    outcome = follower(script, recorder).run()
    assert outcome.kind == "completed"
    assert script.polls == 3 and script.now == 60
    assert recorder.began and recorder.ended
    assert recorder.readings[1] == [("East US", "Completed", 100), ("westus", "Replicating", 60)]


def test_display_names_in_the_summary_match_target_names():
    regions = replication.read_regions(version(("West US 2", "Completed", 100), targets=["westus2"]))
    assert [(region.region, region.state) for region in regions] == [("westus2", "Completed")]


def test_a_target_missing_from_the_summary_has_not_started_and_blocks_completion():
    script = Script([version(("eastus", "Completed", 100), targets=["eastus", "northeurope"])])
    outcome = follower(script, timeout=100, stall_timeout=10_000).run()
    assert outcome.kind == "timeout"
    assert [region.region for region in outcome.pending_regions] == ["northeurope"]


def test_a_failed_region_ends_following_at_once():
    script = Script([
        version(("eastus", "Replicating", 20), ("westus", "Replicating", 10)),
        version(("eastus", "Replicating", 50), ("westus", "Failed", 50, "Replication failed in this region.")),
        version(("eastus", "Completed", 100), ("westus", "Failed", 50)),
    ])
    outcome = follower(script).run()
    assert outcome.kind == "failed" and script.polls == 2
    assert [(region.region, region.index) for region in outcome.failed_regions] == [("westus", 1)]


def test_a_region_without_progress_for_the_stall_time_is_stalled():
    moving = [version(("eastus", "Replicating", p), ("westus", "Replicating", 40)) for p in (10, 30, 50, 70, 90)]
    outcome = follower(Script(moving), stall_timeout=90, interval=30).run()
    assert outcome.kind == "stalled"


def test_the_stalled_region_is_named_and_a_moving_one_is_not():
    readings = [version(("eastus", "Replicating", p), ("westus", "Replicating", 40)) for p in (10, 30, 50, 70, 90)]
    run = follower(Script(readings), stall_timeout=90, interval=30)
    run.run()
    assert [region.region for region in run.stalled] == ["westus"]


def test_slow_but_moving_replication_is_not_stalled_before_the_timeout():
    readings = [version(("eastus", "Replicating", p)) for p in range(1, 99)]
    outcome = follower(Script(readings), stall_timeout=60, interval=30, timeout=600).run()
    assert outcome.kind == "timeout" and outcome.elapsed >= 600


def test_the_follower_never_sleeps_past_the_timeout():
    script = Script([version(("eastus", "Replicating", 5))] + [version(("eastus", "Replicating", 5 + p))
                                                                 for p in range(1, 50)])
    follower(script, timeout=100, interval=30, stall_timeout=10_000).run()
    assert script.now == 100


def test_reporter_is_closed_when_following_is_interrupted():
    recorder = Recorder()

    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        replication.Follower(interrupted, recorder, clock=lambda: 0, sleep=lambda s: None).run()
    assert recorder.ended


@pytest.mark.parametrize("text, seconds", [("90", 90), ("90s", 90), ("30m", 1800), ("6h", 21600), ("1.5h", 5400),
                                           ("2d", 172800), (45, 45)])
def test_durations(text, seconds):
    assert replication.parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "-5", "0", "10x"])
def test_bad_durations_are_cli_errors(text):
    from azure.cli.core.azclierror import InvalidArgumentValueError
    with pytest.raises(InvalidArgumentValueError) as raised:
        replication.parse_duration(text)
    assert "duration" in str(raised.value)


def test_retry_commands_remove_highest_index_first_then_add_back():
    regions = replication.read_regions(version(("eastus", "Failed", 50), ("westus", "Completed", 100),
                                               ("northeurope", "Failed", 0), targets=["eastus", "westus",
                                                                                      "northeurope"]))
    failed = [region for region in regions if region.failed]
    commands = replication.retry_commands("rg", "gal", "img", "1.0.0", failed)
    base = "az sig image-version update -g rg -r gal -i img -e 1.0.0"
    assert commands == [
        base + " --remove publishingProfile.targetRegions 2",
        base + " --remove publishingProfile.targetRegions 0",
        base + " --add publishingProfile.targetRegions name=eastus regionalReplicaCount=1",
        base + " --add publishingProfile.targetRegions name=northeurope regionalReplicaCount=1",
    ]


def test_bar_reporter_draws_a_determinate_bar_and_a_line_per_finished_region():
    from azure.cli.core.commands.progress import DeterminateStandardOut, ProgressHook
    stream = io.StringIO()
    hook = ProgressHook()
    hook.init_progress(DeterminateStandardOut(out=stream))
    lines = []
    reporter = replication.BarReporter(hook, "Replicating 1.0.0", lines.append)
    reporter.begin()
    reporter.update(replication.read_regions(version(("eastus", "Replicating", 50), ("westus", "Replicating", 0))))
    reporter.update(replication.read_regions(version(("eastus", "Completed", 100), ("westus", "Replicating", 50))))
    reporter.end()
    drawn = stream.getvalue()
    assert "Replicating 1.0.0 0/2 regions" in drawn and "25.0000%" in drawn
    assert "Replicating 1.0.0 1/2 regions" in drawn and "75.0000%" in drawn
    assert lines == ["eastus: Completed (100%)"]


def test_failed_outcome_becomes_an_error_with_guidance_and_retry_commands():
    from azure.cli.core.azclierror import AzureResponseError
    script = Script([version(("eastus", "Completed", 100), ("westus", "Failed", 50, "Replication failed."))])
    outcome = follower(script).run()
    error = follow.outcome_error(outcome, follow.Target("rg", "gal", "img", "1.0.0"))
    assert isinstance(error, AzureResponseError)
    assert "failed in westus" in str(error) and "nothing was deleted" in str(error)
    advice = "\n".join(error.recommendations)
    assert "--remove publishingProfile.targetRegions 1" in advice
    assert "--add publishingProfile.targetRegions name=westus regionalReplicaCount=2" in advice
    assert "az sig doctor replication -g rg -r gal -i img -e 1.0.0 --wait" in advice
    assert "replication.failed-in-regions" in advice
    assert "<region>" not in advice and "westus" in advice.split("Fix:")[0]  # the entry's text names the region


def test_stalled_outcome_names_the_region_and_how_to_resume():
    readings = [version(("eastus", "Replicating", 40))] * 5
    run = follower(Script(readings), stall_timeout=60)
    outcome = run.run()
    error = follow.outcome_error(outcome, follow.Target("rg", "gal", "img", "1.0.0"), run.stalled)
    assert "eastus (Replicating, 40%) has not progressed for 1m (--stall-timeout)" in str(error)
    advice = "\n".join(error.recommendations)
    assert advice.startswith("Resume following")
    assert "az sig doctor replication -g rg -r gal -i img -e 1.0.0 --wait" in advice
    assert "--remove publishingProfile.targetRegions 0" in advice
    assert "az sig doctor error show --id replication.slow-or-unfinished" in advice
    # Nothing failed: the "replication job not completed" entry (an operation that ended Failed) does not apply.
    assert "replication.job-not-completed" not in advice and "reported Failed" not in advice


def test_timeout_outcome_says_how_long_it_waited_and_what_is_left():
    readings = [version(("eastus", "Completed", 100), ("westus", "Replicating", 10)),
                version(("eastus", "Completed", 100), ("westus", "Replicating", 20)),
                version(("eastus", "Completed", 100), ("westus", "Replicating", 30))]
    run = follower(Script(readings), timeout=90, stall_timeout=3600)
    outcome = run.run()
    assert outcome.kind == "timeout" and outcome.limit == 90
    error = follow.outcome_error(outcome, follow.Target("rg", "gal", "img", "1.0.0"), run.stalled)
    assert "timed out after 1m 30s (--timeout) with westus (Replicating, 30%) still to finish" in str(error)
    assert "eastus" not in str(error)
    advice = "\n".join(error.recommendations)
    assert "az sig doctor replication -g rg -r gal -i img -e 1.0.0 --wait" in advice
    assert "az sig image-version show -g rg -r gal -i img -e 1.0.0 --expand ReplicationStatus" in advice
    assert "name=westus" in advice and "reported Failed" not in advice


def test_the_unfinished_guidance_entry_exists():
    from azext_sig_doctor import knowledge
    assert knowledge.get(follow.UNFINISHED_ENTRY).id == follow.UNFINISHED_ENTRY


@pytest.mark.parametrize("seconds, text", [(2, "2s"), (60, "1m"), (90, "1m 30s"), (7200, "2h"), (3661, "1h 1m 1s"),
                                           (0, "0s")])
def test_durations_are_written_as_the_options_take_them(seconds, text):
    assert replication.format_duration(seconds) == text


def test_interrupt_says_how_to_resume():
    from azure.cli.core.azclierror import ManualInterrupt
    error = follow.interrupted_error(follow.Target("rg", "gal", "img", "1.0.0"))
    assert isinstance(error, ManualInterrupt)
    assert "az sig doctor replication -g rg -r gal -i img -e 1.0.0 --wait" in "\n".join(error.recommendations)


def test_the_home_region_is_never_removed_but_updated_again():
    regions = replication.read_regions(version(("eastus", "Failed", 50), ("westus", "Failed", 10)))
    commands = replication.retry_commands("rg", "gal", "img", "1.0.0", regions, home_region="East US")
    base = "az sig image-version update -g rg -r gal -i img -e 1.0.0"
    assert commands == [base, base + " --remove publishingProfile.targetRegions 1",
                        base + " --add publishingProfile.targetRegions name=westus regionalReplicaCount=2"]


def test_failure_guidance_explains_the_home_region_exception():
    script = Script([version(("eastus", "Failed", 50, "Replication failed."), ("westus", "Completed", 100))])
    outcome = follower(script).run()
    error = follow.outcome_error(outcome, follow.Target("rg", "gal", "img", "1.0.0", home_region="eastus"))
    advice = "\n".join(error.recommendations)
    assert "eastus is the version's home region" in advice
    assert "--remove" not in advice


@pytest.mark.parametrize("readings, word", [
    ([version(("eastus", "Completed", 100), ("westus", "Failed", 50, "Replication failed."))], "failed"),
    ([version(("eastus", "Completed", 100), ("westus", "Completed", 100))], "done"),
    ([version(("eastus", "Completed", 100), ("westus", "Replicating", 40))] * 5, "stopped"),  # stalled
])
def test_the_bar_ends_with_how_following_ended(readings, word):
    from azure.cli.core.commands.progress import DeterminateStandardOut, ProgressHook
    stream = io.StringIO()
    hook = ProgressHook()
    hook.init_progress(DeterminateStandardOut(out=stream))
    follower(Script(readings), replication.BarReporter(hook, "Replicating 1.0.0"), stall_timeout=60).run()
    last_frame = stream.getvalue().split("\r")[-1]
    assert last_frame.startswith("Replicating 1.0.0 " + word + "["), repr(last_frame)


TOO_LARGE = "Replication failed in this region due to 'The GalleryImageVersion source resource size 2520 " \
            "exceeds the max size 2048 supported'"
SOURCE_VM = "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/buildVm"
# The PUT body create-version sends for --virtual-machine SOURCE_VM --target-regions eastus westus.
SENT_BODY = {"location": "eastus", "properties": {
    "publishingProfile": {"targetRegions": [{"name": "eastus"}, {"name": "westus"}]},
    "storageProfile": {"source": {"virtualMachineId": SOURCE_VM}}}}


def test_failure_guidance_fills_the_entrys_commands_from_the_request_sent():
    script = Script([version(("eastus", "Failed", 50, TOO_LARGE), ("westus", "Failed", 50, TOO_LARGE))])
    outcome = follower(script).run()
    error = follow.outcome_error(outcome, follow.Target("rg", "gal", "img", "1.0.0", subscription_id="sub"),
                                 request_body=SENT_BODY)
    advice = "\n".join(error.recommendations)
    fixed = next(line for line in advice.splitlines() if line.startswith("Fixed command: "))
    # The request sent, with shallow replication in the version's own region (the source and the
    # home region as they were sent).
    assert fixed.startswith("Fixed command: az sig image-version create -g rg -r gal -i img -e 1.0.0 -l eastus ")
    assert " --replication-mode Shallow" in fixed and " --virtual-machine " + SOURCE_VM in fixed
    assert " --target-regions eastus " in fixed and "westus" not in fixed
    # The failed version is still there: under its number the create would be an update of a
    # replication mode, which Azure does not allow.
    assert "First: az sig image-version delete -g rg -r gal -i img -e 1.0.0\n" in advice + "\n"
    assert "<" not in advice, advice   # no placeholder left for a value the request holds
    assert advice.count("az sig doctor error show --id version.source-too-large") == 1  # once for both regions
    assert "--remove" not in advice and "Retrying the region(s) would fail the same way" in advice


def test_failure_guidance_retries_only_the_regions_a_retry_can_fix():
    script = Script([version(("eastus", "Completed", 100), ("westus", "Failed", 50, "Replication failed."),
                             ("northeurope", "Failed", 50, TOO_LARGE))])
    outcome = follower(script).run()
    error = follow.outcome_error(outcome, follow.Target("rg", "gal", "img", "1.0.0"), request_body=SENT_BODY)
    advice = "\n".join(error.recommendations)
    base = "az sig image-version update -g rg -r gal -i img -e 1.0.0"
    assert "Retrying northeurope would fail the same way" in advice
    assert base + " --remove publishingProfile.targetRegions 1" in advice
    assert "--remove publishingProfile.targetRegions 2" not in advice and "name=northeurope" not in advice


# ---- status reads that fail for a passing reason ---------------------------------------------------

class Flaky(Script):
    """A Script whose polls fail with ``faults[n]`` (an exception, or None for a normal reading)."""

    def __init__(self, readings, faults):
        super().__init__(readings)
        self.faults = list(faults)
        self.calls = 0
        self.waits = []

    def fetch(self):
        self.calls += 1
        fault = self.faults[self.calls - 1] if self.calls <= len(self.faults) else None
        if fault is not None:
            raise fault
        return super().fetch()

    def sleep(self, seconds):
        self.waits.append(seconds)
        super().sleep(seconds)


def _http_error(status, retry_after=None):
    from azure.core.exceptions import HttpResponseError

    class Response:
        status_code = status
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        reason = "fault"

        def text(self):
            return ""
    error = HttpResponseError(message="status {}".format(status), response=Response())
    error.status_code = status
    return error


def _connection_error():
    from azure.core.exceptions import ServiceResponseError
    return ServiceResponseError("('Connection aborted.', RemoteDisconnected('Remote end closed connection'))")


def _cut_body():
    from azure.core.exceptions import DeserializationError
    return DeserializationError("JSON is invalid: Expecting ',' delimiter: line 1 column 41 (char 40)")


def transient_follower(script, warnings, **options):
    from azext_sig_doctor.create import transient
    options.setdefault("interval", 30)
    return replication.Follower(script.fetch, Recorder(), clock=script.clock, sleep=script.sleep,
                                transient=transient.classify, warn=lambda fault, wait: warnings.append(
                                    (fault.reason, wait)), **options)


DONE = version(("eastus", "Completed", 100))


def test_passing_faults_are_warnings_and_the_outcome_is_azures():
    warnings = []
    script = Flaky([version(("eastus", "Replicating", 50)), DONE],
                   [None, _connection_error(), _cut_body(), _http_error(500), _http_error(503)])
    outcome = transient_follower(script, warnings, stall_timeout=3600).run()
    assert outcome.kind == "completed"
    assert [reason for reason, _ in warnings] == ["the connection failed", "the answer was cut short or is not JSON",
                                                  "Azure answered 500", "Azure answered 503"]
    # A growing back-off between failed reads: 1 s, 2 s, 4 s, 8 s.
    assert [wait for _, wait in warnings] == [1, 2, 4, 8]


def test_a_throttled_read_waits_what_retry_after_asks_within_a_cap():
    from azext_sig_doctor.create import transient
    warnings = []
    script = Flaky([DONE], [_http_error(429, 20), _http_error(429, 3600)])
    outcome = transient_follower(script, warnings, stall_timeout=100_000, timeout=100_000).run()
    assert outcome.kind == "completed"
    assert warnings == [("Azure throttled the read (429)", 20), ("Azure throttled the read (429)",
                                                                 transient.MAX_RETRY_AFTER)]


def test_the_timeout_is_enforced_while_throttled():
    warnings = []
    script = Flaky([DONE], [_http_error(429, 3600)] * 10)
    outcome = transient_follower(script, warnings, timeout=45, stall_timeout=100_000).run()
    assert outcome.kind == "timeout" and outcome.fault.reason == "Azure throttled the read (429)"
    assert script.now == 45  # the Retry-After of an hour was not obeyed beyond what --timeout left
    assert [wait for _, wait in warnings] == [45]


def test_reads_failing_for_the_stall_time_stop_following_without_a_verdict():
    warnings = []
    script = Flaky([version(("eastus", "Replicating", 10))], [None] + [_connection_error()] * 100)
    outcome = transient_follower(script, warnings, stall_timeout=120, interval=30).run()
    assert outcome.kind == "unreadable" and outcome.fault.reason == "the connection failed"
    assert script.now == 120  # the stall time from the last good read (at 0) on
    assert [region.state for region in outcome.regions] == ["Replicating"]


def test_an_error_that_is_azures_answer_is_not_retried():
    warnings = []
    script = Flaky([DONE], [_http_error(404)])
    from azure.core.exceptions import HttpResponseError
    with pytest.raises(HttpResponseError):
        transient_follower(script, warnings).run()
    assert warnings == [] and script.calls == 1


def test_a_bug_is_not_taken_for_a_passing_fault():
    script = Flaky([DONE], [KeyError("properties")])
    with pytest.raises(KeyError):
        transient_follower(script, []).run()


@pytest.mark.parametrize("headers, seconds", [({"Retry-After": "7"}, 7.0), ({"retry-after-ms": "1500"}, 1.5),
                                              ({"x-ms-retry-after-ms": "250"}, 0.25), ({}, None),
                                              ({"Retry-After": "soon"}, None)])
def test_retry_after_headers(headers, seconds):
    from azext_sig_doctor.create import transient

    class Response:
        pass
    response = Response()
    response.headers = headers
    assert transient.retry_after(response) == seconds


def test_unreadable_and_throttled_endings_are_worded_for_the_user():
    from azext_sig_doctor.create import transient
    target = follow.Target("rg", "gal", "img", "1.0.0")
    regions = replication.read_regions(version(("eastus", "Replicating", 10)))
    unreadable = replication.Outcome("unreadable", regions, 200, 120, transient.Fault("the connection failed"))
    message = follow.unfinished_message(unreadable, target, regions)
    assert "its status could not be read for 2m (--stall-timeout): the connection failed" in message
    assert "Azure reported no failure and may still be replicating" in message
    timed_out = replication.Outcome("timeout", regions, 45, 45, transient.Fault("Azure throttled the read (429)"))
    message = follow.unfinished_message(timed_out, target, regions)
    assert "timed out after 45s (--timeout)" in message
    assert "The last reads of its status failed (Azure throttled the read (429))." in message

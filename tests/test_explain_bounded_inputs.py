"""explain on every input, in bounded memory: .gz and standard input decompressed in bounded
pieces, a .gz cut short or damaged is an error naming the file and what was read, lines of any
length, carriage returns, and logs folded at a fixed width (fold -w 80, a terminal, a CI system)."""

import gzip
import io
import json
import os
import subprocess
import signal
import tracemalloc

import pytest

from azext_sig_doctor import explain
from azext_sig_doctor.explain import reader, scanner
from tests.emulator import azenv
from tests.test_explain_cli import explain_runner
from tests.test_explain_inputs import REGION_ID, REGION_MESSAGE, ids, write
from tests.test_explain_matrix import az_debug

ROOT = azenv.REPO_ROOT
SAMPLE = os.path.join(ROOT, "samples", "image-version-create.debug.log")
NOISE = b"DEBUG: cli.azure.cli.core.sdk.policies: Response status: 200\n"


def big_gzip(tmp_path, megabytes, tail=b""):
    """A .gz of ``megabytes`` MB of one repeated line (it compresses about 1000 to 1), then ``tail``."""
    path = tmp_path / "big.log.gz"
    block = NOISE * (1024 * 1024 // len(NOISE))
    with gzip.open(str(path), "wb", compresslevel=6) as handle:
        for _ in range(megabytes):
            handle.write(block)
        handle.write(tail)
    return str(path)


# ---- .gz: bounded pieces ------------------------------------------------------------------------

def test_a_small_gz_of_a_huge_log_is_decompressed_in_bounded_pieces(tmp_path):
    path = big_gzip(tmp_path, 96, az_debug("InvalidParameter", REGION_MESSAGE).encode())
    assert os.path.getsize(path) < 1024 * 1024  # 96 MB of text in well under 1 MB
    tracemalloc.start()
    try:
        largest = max(len(chunk) for chunk in reader.read_chunks(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert largest <= reader.CHUNK_SIZE
    # A few chunks at most are alive at a time (the one the caller holds, the one being
    # decompressed and zlib's copy of it as it is joined), never the 96 MB of text.
    assert peak < 4 * reader.CHUNK_SIZE


def test_a_small_gz_of_a_huge_log_is_explained(tmp_path):
    path = big_gzip(tmp_path, 64, az_debug("InvalidParameter", REGION_MESSAGE).encode())
    result = explain.explain_source(path)
    assert ids(result) == [REGION_ID]
    assert result.bytes_read > 63 * 1024 * 1024


def test_gz_on_standard_input_is_read(monkeypatch):
    data = gzip.compress(az_debug("InvalidParameter", REGION_MESSAGE).encode())
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert ids(explain.explain_source("-")) == [REGION_ID]


def test_gz_members_joined_with_cat_and_zero_padding_are_read(tmp_path):
    first = gzip.compress(b"DEBUG: cli.knack.cli: first run\n" * 1000)
    second = gzip.compress(az_debug("InvalidParameter", REGION_MESSAGE).encode())
    path = write(tmp_path, "rotated.log.gz", first + second + b"\x00" * 512)
    assert ids(explain.explain_source(path)) == [REGION_ID]


# ---- .gz cut short or damaged: an error that says what was read ---------------------------------

def test_a_gz_cut_short_is_an_error_naming_the_file_and_what_was_read(tmp_path):
    whole = big_gzip(tmp_path, 8, az_debug("InvalidParameter", REGION_MESSAGE).encode())
    with open(whole, "rb") as handle:
        data = handle.read()
    path = write(tmp_path, "cut.log.gz", data[:len(data) // 2])
    with pytest.raises(reader.InputError) as error:
        explain.explain_source(path)
    message = str(error.value)
    assert "'{}'".format(path) in message and "cut short" in message
    assert "of it read" in message and "MB of text decompressed" in message
    assert "gzip -t" in error.value.recommendation and "gzip -dc" in error.value.recommendation


def test_a_gz_cut_short_says_how_many_failures_the_part_read_holds(tmp_path):
    text = (az_debug("InvalidParameter", REGION_MESSAGE) + "DEBUG: filler line that is long enough\n" * 50000)
    data = gzip.compress(text.encode())
    path = write(tmp_path, "cut.log.gz", data[:-200])
    with pytest.raises(reader.InputError) as error:
        explain.explain_source(path)
    assert "holds 1 distinct failure(s)" in str(error.value)


def test_damaged_gz_data_is_an_error_naming_the_file(tmp_path):
    data = bytearray(gzip.compress(az_debug("InvalidParameter", REGION_MESSAGE).encode() * 50))
    data[40:60] = b"\xff" * 20
    path = write(tmp_path, "damaged.log.gz", bytes(data))
    with pytest.raises(reader.InputError) as error:
        explain.explain_source(path)
    assert "'{}'".format(path) in str(error.value) and "damaged" in str(error.value)


def test_data_after_the_end_of_a_gz_is_an_error(tmp_path):
    data = gzip.compress(az_debug("InvalidParameter", REGION_MESSAGE).encode()) + b"not gzip at all"
    path = write(tmp_path, "trailing.log.gz", data)
    with pytest.raises(reader.InputError) as error:
        explain.explain_source(path)
    assert "after the end of its compressed stream" in str(error.value)


@pytest.fixture(scope="module")
def plain_az(tmp_path_factory):
    return explain_runner(tmp_path_factory, text=False)  # bytes: a .gz goes in as it is


def test_az_exits_non_zero_on_a_gz_cut_short_from_a_file_or_standard_input(plain_az, tmp_path):
    with open(SAMPLE, "rb") as handle:
        data = gzip.compress(handle.read() * 20)
    path = write(tmp_path, "cut.log.gz", data[:len(data) * 2 // 3])
    from_file = plain_az("--log", path, "-o", "json")
    from_stdin = plain_az("--log", "-", "-o", "json", stdin=data[:len(data) * 2 // 3])
    for completed, name in ((from_file, "'{}'".format(path)), (from_stdin, "on standard input")):
        stderr = completed.stderr.decode()
        assert completed.returncode != 0 and "Traceback" not in stderr
        assert "The compressed log {} is cut short".format(name) in stderr
        assert "No failed gallery operation" not in stderr and completed.stdout == b""


# ---- lines of any length ------------------------------------------------------------------------

def test_an_error_after_50_kb_of_progress_output_on_one_line_is_found():
    # az's progress indicator redraws itself with carriage returns: a long create leaves one
    # physical line of progress, and the ERROR line is appended to it.
    progress = "\r- Running ..\r\\ Running ..\r| Running ..\r/ Running .." * 1300
    assert len(progress) > 50 * 1024
    text = "INFO: starting\n" + progress + "\rERROR: (InvalidParameter) " + REGION_MESSAGE + "\n"
    result = explain._explain(iter([text.encode()]), message_mode=False)  # pylint: disable=protected-access
    assert ids(result) == [REGION_ID]
    assert result.findings[0]["line"] == 2  # the physical line it is on


def test_a_terraform_error_after_50_kb_on_one_line_is_found():
    dump = "[DEBUG] provider.terraform-provider-azurerm: request body: " + "x" * (60 * 1024)
    line = dump + ' Original Error: Code="InvalidParameter" Message="{}"'.format(REGION_MESSAGE)
    result = explain._explain(iter([("noise\n" + line + "\n").encode()]),  # pylint: disable=protected-access
                              message_mode=False)
    assert ids(result) == [REGION_ID] and result.findings[0]["line"] == 2


def test_an_error_body_after_50_kb_of_other_properties_is_found():
    # A deployment (or any resource) shown with kilobytes of properties before its "error".
    body = {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Resources/deployments/d",
            "properties": {"parameters": {"blob{}".format(number): {"value": "v" * 100} for number in range(500)},
                           "error": {"code": "InvalidParameter", "message": REGION_MESSAGE}}}
    text = json.dumps(body)
    assert text.index('"error"') > 50 * 1024
    result = explain._explain(iter([text.encode()]), message_mode=False)  # pylint: disable=protected-access
    assert ids(result) == [REGION_ID]


def test_a_message_longer_than_50_kb_is_matched():
    words = "The request failed validation with the following remarks. " * 900
    text = "ERROR: (InvalidParameter) " + words + REGION_MESSAGE + "\n"
    assert len(text) > 50 * 1024
    result = explain._explain(iter([text.encode()]), message_mode=False)  # pylint: disable=protected-access
    assert ids(result) == [REGION_ID]


def test_old_mac_line_ends_are_lines():
    text = az_debug("InvalidParameter", REGION_MESSAGE).replace("\n", "\r")
    assert ids(explain.explain_text(text)) == [REGION_ID]


# ---- logs folded at a fixed width ---------------------------------------------------------------

def _fold(data, width=80):
    """``fold -w WIDTH`` itself (coreutils, on every system the tests run on)."""
    return subprocess.run(["fold", "-w", str(width)], input=data, capture_output=True, check=True).stdout


def _values(findings):
    return [(f["id"], f["values"], f["resource"], f["operation"], f["commands"], f["powershell"])
            for f in findings]


@pytest.mark.parametrize("width", [80, 120])
def test_a_real_az_debug_log_folded_keeps_its_values(tmp_path, width):
    with open(SAMPLE, "rb") as handle:
        data = handle.read()
    folded = _fold(data, width)
    assert max(len(line) for line in folded.splitlines()) == width
    plain = explain.explain_source(SAMPLE)
    result = explain.explain_source(write(tmp_path, "folded.log", folded))
    assert _values(result.findings) == _values(plain.findings)
    assert result.findings[0]["resource"]["version"] == "1.0.1"
    # The line is the physical line of the folded file where the error body starts.
    assert '{"error"' in folded.decode().splitlines()[result.findings[0]["line"] - 1]


def test_a_folded_log_from_the_real_az_against_the_emulator_keeps_its_values(emulator, az, tmp_path):
    emulator.load("demo.yaml")
    vm_id = ("/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/demo-rg/providers/"
             "Microsoft.Compute/virtualMachines/demoVm")
    failed = az("sig", "image-version", "create", "-g", "demo-rg", "-r", "demoGallery", "-i", "demoImage",
                "-e", "1.0.9", "--virtual-machine", vm_id, "--location", "eastus",
                "--target-regions", "westus", "northeurope", "--debug")
    assert failed.exit_code != 0 and "Response status: 400" in failed.stderr
    folded = _fold(failed.stderr.encode()).decode()
    explained = az("sig", "doctor", "explain", "--log", "-", "-o", "json", input=folded)
    assert explained.exit_code == 0, explained.stderr
    [finding] = explained.json
    assert finding["id"] == REGION_ID
    assert finding["resource"]["version"] == "1.0.9" and finding["resource"]["gallery"] == "demoGallery"
    assert finding["operation"]["method"] == "PUT"
    # The values survived the folding: the user's command comes back whole, with the home region added.
    fixed = finding["fixed_command"]
    assert fixed.startswith("az sig image-version create -g demo-rg -r demoGallery -i demoImage -e 1.0.9 "), fixed
    assert "--virtual-machine " + vm_id in fixed and "--location eastus" in fixed
    assert "--target-regions eastus westus northeurope" in fixed


def test_lines_of_the_same_width_that_are_not_folded_stay_apart():
    # A PowerShell -Debug transcript's separators all have the same length: no folding.
    separator = "DEBUG: ============================ HTTP REQUEST ============================"
    text = "\n".join([separator, "HTTP Method:", "PUT", separator, "Absolute Uri:", "x", separator, "Body:"] * 3)
    from azext_sig_doctor.explain import lines
    assert lines.Lines(text).raws == text.split("\n")


def test_the_fold_width_is_found_in_every_window(monkeypatch, tmp_path):
    # Windows cut from a big folded log are unfolded each on its own.
    with open(SAMPLE, "rb") as handle:
        data = handle.read()
    folded = _fold(b"DEBUG: cli.knack.cli: a line of noise that is long enough to be folded twice over " * 3 + b"\n"
                   + (b"DEBUG: noise\n" * 3000) + data)
    monkeypatch.setattr(scanner, "BEFORE", 4096)
    monkeypatch.setattr(scanner, "AFTER", 4096)
    result = explain.explain_source(write(tmp_path, "folded.log", folded))
    assert ids(result) == [REGION_ID] and result.findings[0]["resource"]["version"] == "1.0.1"


# ---- the scanner's search for triggers ----------------------------------------------------------

@pytest.mark.parametrize("filler", [b"O", b"xO", b"ROR O", b"abc"])
def test_uppercase_triggers_are_found_whatever_surrounds_them(filler):
    # ERROR is looked for by its rare "O" while that finds it, by the word itself in text full of "O".
    data = filler * (300 * 1024 // len(filler)) + b"\nERROR: (InvalidParameter) " + REGION_MESSAGE.encode() + b"\n"
    data += filler * (200 * 1024 // len(filler))
    found = [window for window in scanner.windows([data[:100000], data[100000:]])]
    assert len(found) == 1 and "ERROR: (InvalidParameter)" in found[0].text
    assert found[0].first_line + found[0].text[:found[0].text.index("ERROR:")].count("\n") == 2


def test_a_response_announced_for_an_earlier_command_is_not_taken_for_a_later_one():
    # urllib3 announced a 400 for the first command that az never logged (retried inside urllib3):
    # the second command's 400 belongs to the second command's request.
    first = az_debug("InvalidParameter", REGION_MESSAGE).replace("Response status: 400", "Response status: 503")
    second = az_debug("InvalidParameter", REGION_MESSAGE).replace("galA", "galB")
    result = explain.explain_text(first + second)
    galleries = {finding["resource"].get("gallery") for finding in result.findings if finding["status"] == 400}
    assert galleries == {"galB"}


# ---- Ctrl-C ----------------------------------------------------------------------------------------

def test_ctrl_c_while_reading_standard_input_exits_130_and_says_nothing_was_sent():
    azenv.ensure_egg_info()
    env = dict(os.environ, AZURE_EXTENSION_DEV_SOURCES=ROOT, AZURE_CORE_COLLECT_TELEMETRY="false",
               AZURE_CORE_NO_COLOR="true")
    process = subprocess.Popen(  # pylint: disable=consider-using-with
        [azenv.az_executable(), "sig", "doctor", "explain", "--log", "-"], env=env, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # A pipe holds 64 KiB: once this write returns, explain has read the rest of the megabyte and
    # waits for more (an event, not a time).
    process.stdin.write(b"DEBUG: cli.knack.cli: a line of a log still being written\n" * 20000)
    process.stdin.flush()
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    stderr = stderr.decode()
    assert process.returncode == 130, stderr  # 128 + SIGINT, as shells expect
    assert "Stopped reading standard input: nothing was explained." in stderr
    assert "it sends nothing and changes nothing" in stderr and "Traceback" not in stderr

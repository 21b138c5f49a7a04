"""Reading: files, stdin-like streams, .gz, encodings, bad and huge input, chunk borders."""

import codecs
import gzip
import io
import json
import os

import pytest

from azext_sig_doctor import explain
from azext_sig_doctor.explain import reader, scanner
from tests.test_explain_matrix import az_debug, powershell_debug

REGION_MESSAGE = ("Gallery image version publishing profile regions 'westeurope' must contain the location of "
                  "image version 'eastus'.")
REGION_ID = "version.source-region-not-targeted"


def ids(result):
    return [finding["id"] for finding in result.findings]


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return str(path)


# ---- what cannot be read: a clear InputError, never a traceback ---------------------------------

def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(reader.InputError) as error:
        explain.explain_source(str(tmp_path / "nope.log"))
    assert "does not exist" in str(error.value) and error.value.recommendation


def test_directory_is_a_clear_error(tmp_path):
    with pytest.raises(reader.InputError) as error:
        explain.explain_source(str(tmp_path))
    assert "is a directory" in str(error.value)


def test_binary_data_is_refused(tmp_path):
    path = write(tmp_path, "image.bin", bytes(range(256)) * 64)
    with pytest.raises(reader.InputError) as error:
        explain.explain_source(path)
    assert "binary" in str(error.value)


def test_damaged_gzip_is_a_clear_error(tmp_path):
    data = gzip.compress(az_debug("InvalidParameter", REGION_MESSAGE).encode())
    path = write(tmp_path, "cut.log.gz", data[:12] + b"\x00garbage" * 10)
    with pytest.raises(reader.InputError) as error:
        explain.explain_source(path)
    assert "damaged" in str(error.value)


# ---- what can be read, in whatever shape -------------------------------------------------------

def test_empty_input_is_read_and_reports_nothing(tmp_path):
    result = explain.explain_source(write(tmp_path, "empty.log", b""))
    assert result.findings == [] and result.bytes_read == 0


def test_log_without_failures_reports_nothing(tmp_path):
    text = "DEBUG: cli.knack.cli: Command arguments: ['sig', 'list']\nINFO: exit code: 0\n" * 50
    assert explain.explain_source(write(tmp_path, "ok.log", text)).findings == []


def test_gzip_log_is_read(tmp_path):
    path = write(tmp_path, "create.log.gz", gzip.compress(az_debug("InvalidParameter", REGION_MESSAGE).encode()))
    assert ids(explain.explain_source(path)) == [REGION_ID]


@pytest.mark.parametrize("encoding,bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
                                          ("utf-16-le", b""), ("utf-8", codecs.BOM_UTF8)])
def test_powershell_transcripts_in_utf16_and_bom(tmp_path, encoding, bom):
    text = powershell_debug("InvalidParameter", REGION_MESSAGE).replace("\n", "\r\n")
    result = explain.explain_source(write(tmp_path, "transcript.txt", bom + text.encode(encoding)))
    assert ids(result) == [REGION_ID]
    assert result.findings[0]["resource"]["gallery"] == "galA"


def test_invalid_utf8_is_read_best_effort(tmp_path):
    text = az_debug("InvalidParameter", REGION_MESSAGE).encode()
    data = b"caf\xe9 \xff\xfe broken bytes\n" + text + b"\n\xc3(\n"
    result = explain.explain_source(write(tmp_path, "latin1.log", data))
    assert ids(result) == [REGION_ID]
    assert result.findings[0]["line"] == 15  # one line of junk before the 14th line of the log


def test_huge_single_line_with_an_error_in_it(tmp_path):
    filler = "x" * (25 * 1024 * 1024)
    body = json.dumps({"error": {"code": "InvalidParameter", "message": REGION_MESSAGE}})
    path = write(tmp_path, "oneline.log", filler + " " + body + " " + filler)
    result = explain.explain_source(path)
    assert ids(result) == [REGION_ID]
    assert result.findings[0]["line"] == 1


def test_huge_single_line_without_errors(tmp_path):
    path = write(tmp_path, "noise.log", "y" * (50 * 1024 * 1024))
    result = explain.explain_source(path)
    assert result.findings == [] and result.bytes_read == 50 * 1024 * 1024


def test_truncated_json_body_is_salvaged():
    cut = '{"error": {"code": "InvalidParameter", "message": "' + REGION_MESSAGE + '", "target": "galleryIma'
    result = explain.explain_text("Response content:\n" + cut)
    assert ids(result) == [REGION_ID]
    assert result.findings[0]["values"]["source_region"] == "eastus"


def test_json_cut_inside_the_message_still_gives_an_honest_finding():
    cut = '{"error": {"code": "SomethingBroke", "message": "The operation failed because of the wea'
    result = explain.explain_text(cut)
    assert [(finding["id"], finding["code"]) for finding in result.findings] == [(None, "SomethingBroke")]


# ---- streaming: small chunks and windows give the same answer as one piece ----------------------

def _many_failures():
    parts = []
    for number in range(6):
        parts.append("DEBUG: noise line {}\n".format(number) * 300)
        parts.append(az_debug("InvalidParameter", REGION_MESSAGE.replace("westeurope", "region{}".format(number))))
    return "".join(parts).encode()


def _explain_chunks(data, chunk_size):
    return explain._explain(  # pylint: disable=protected-access
        (data[start:start + chunk_size] for start in range(0, len(data), chunk_size)), message_mode=False)


def test_small_chunks_and_windows_give_the_same_findings(monkeypatch):
    data = _many_failures()
    whole = _explain_chunks(data, len(data))
    monkeypatch.setattr(scanner, "BEFORE", 700)
    monkeypatch.setattr(scanner, "AFTER", 300)
    pieces = _explain_chunks(data, 997)
    assert len(whole.findings) == 6
    assert [(f["line"], f["values"]["regions"], f["count"]) for f in pieces.findings] == \
        [(f["line"], f["values"]["regions"], f["count"]) for f in whole.findings]
    expected_line = data.decode().splitlines().index(
        next(line for line in data.decode().splitlines() if '"error"' in line)) + 1
    assert whole.findings[0]["line"] == expected_line


def test_memory_is_bounded_by_the_window_not_the_input():
    # A generator of 64 MB is explained without ever holding more than a few chunks.
    chunk = (b"DEBUG: cli.azure.cli.core.sdk.policies: Response status: 200\n" * 20000)

    def endless():
        for _ in range(64 * 1024 * 1024 // len(chunk)):
            yield chunk
        yield az_debug("InvalidParameter", REGION_MESSAGE).encode()

    result = explain._explain(endless(), message_mode=False)  # pylint: disable=protected-access
    assert ids(result) == [REGION_ID]


def test_text_chunks_split_large_messages():
    text = "a" * (reader.CHUNK_SIZE + 10)
    assert [len(chunk) for chunk in reader.text_chunks(text)] == [reader.CHUNK_SIZE, 10]


def test_stdin_stream_is_read(monkeypatch):
    data = az_debug("InvalidParameter", REGION_MESSAGE).encode()

    class FakeStdin(io.TextIOWrapper):
        pass

    monkeypatch.setattr("sys.stdin", FakeStdin(io.BytesIO(data)))
    assert ids(explain.explain_source("-")) == [REGION_ID]


def test_shipped_samples_are_all_explained():
    folder = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "samples")
    names = sorted(os.listdir(folder))
    assert "image-version-create.debug.log" in names
    for name in names:
        result = explain.explain_source(os.path.join(folder, name))
        assert result.findings and all(finding["id"] for finding in result.findings), name


# ---- concurrent requests and the command line -----------------------------------------------------

def test_interleaved_responses_are_tied_to_their_requests_by_urllib3s_lines():
    from azext_sig_doctor.explain import explain_text
    pol = "DEBUG: cli.azure.cli.core.sdk.policies: "
    base = "https://management.azure.com/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/"
    lines = [
        pol + "Request URL: '{}galleries/g1/images/i1?api-version=2023-07-03'".format(base),
        pol + "Request method: 'PUT'",
        pol + "Request URL: '{}virtualMachines/vm1?api-version=2024-11-01'".format(base),
        pol + "Request method: 'GET'",
        'DEBUG: urllib3.connectionpool: https://management.azure.com:443 "PUT /subscriptions/s1/resourceGroups/rg/'
        'providers/Microsoft.Compute/galleries/g1/images/i1?api-version=2023-07-03 HTTP/1.1" 409 120',
        pol + "Response status: 409",
        pol + "Response content:",
        pol + '{"error": {"code": "Conflict", "message": "Something unheard of happened to this definition."}}',
        'DEBUG: urllib3.connectionpool: https://management.azure.com:443 "GET /subscriptions/s1/resourceGroups/rg/'
        'providers/Microsoft.Compute/virtualMachines/vm1?api-version=2024-11-01 HTTP/1.1" 200 99',
        pol + "Response status: 200",
    ]
    [finding] = explain_text("\n".join(lines)).findings
    assert finding["operation"]["method"] == "PUT"
    assert finding["resource"]["image"] == "i1" and "vm" not in finding["resource"]


def test_command_arguments_give_values_and_keep_nothing_else():
    from azext_sig_doctor.explain import arguments
    text = ("['sig', 'image-version', 'create', '-g', 'rg1', '--gallery-name', 'gal', '-i', 'img', '-e', '1.0.0', "
            "'--target-regions', 'westus', 'northeurope=2', '--managed-image', 'img1', '--admin-password', 'S3cret!']")
    assert arguments.parse(text) == {"resource_group": "rg1", "gallery": "gal", "image": "img", "version": "1.0.0",
                                     "regions": "westus, northeurope=2", "source_id": "img1",
                                     "source_option": "--managed-image"}
    assert arguments.parse("['sig', -g]") == {}
    assert arguments.parse("not a list") == {}


def _interleaved_reads(final_error):
    """Two concurrent GETs whose response lines interleave (a 404 probe and a 200), then an error."""
    pol = "DEBUG: cli.azure.cli.core.sdk.policies: "
    base = "https://management.azure.com/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/"
    version = "galleries/g1/images/i1/versions/1.0.0"
    return "\n".join([
        pol + "Request URL: '{}{}?api-version=2023-07-03'".format(base, version),
        pol + "Request method: 'GET'",
        pol + "Request URL: '{}virtualMachines/vm1?api-version=2024-11-01'".format(base),
        pol + "Request method: 'GET'",
        pol + "Response status: 404",
        pol + "Response status: 200",
        pol + "Response content:",
        pol + "Response content:",
        pol + '{"error": {"code": "ResourceNotFound", "message": "The Resource \'Microsoft.Compute/' + version +
        '\' under resource group \'rg\' was not found."}}',
        pol + '{"id": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1"}',
        final_error,
    ])


def test_a_not_found_read_that_did_not_end_the_command_is_no_failure():
    from azext_sig_doctor.explain import explain_text
    log = _interleaved_reads("ERROR: cli.azure.cli.core.azclierror: (BadRequest) Something else went wrong here.")
    assert [finding["code"] for finding in explain_text(log).findings] == ["BadRequest"]


def test_a_not_found_read_the_command_failed_on_is_reported():
    from azext_sig_doctor.explain import explain_text
    log = _interleaved_reads("ERROR: cli.azure.cli.core.azclierror: (ResourceNotFound) The Resource "
                             "'Microsoft.Compute/galleries/g1/images/i1/versions/1.0.0' under resource group 'rg' "
                             "was not found.")
    assert [finding["code"] for finding in explain_text(log).findings] == ["ResourceNotFound"]


def test_a_request_whose_url_the_log_never_gave_names_no_resource():
    # A PowerShell -Debug request cut before its URL, then an error record: read, not a crash.
    text = ("DEBUG: ============================ HTTP REQUEST ============================\n"
            "DEBUG: cli.azure.cli.core.sdk.policies: Request method: 'PUT'\n"
            "ErrorCode: ImageNotFound\n")
    [finding] = explain.explain_text(text).findings
    assert finding["code"] == "ImageNotFound" and finding["resource"] == {}

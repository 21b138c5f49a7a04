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

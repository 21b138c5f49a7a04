"""Every knowledge-base sample, embedded in every input kind `explain` reads, is recognised as its
own entry with its placeholder values. The matrix is built from `knowledge.load()` at test time,
so entries added to kb/*.yaml are covered without touching this file."""

import json
import re

import pytest

from azext_sig_doctor import knowledge
from azext_sig_doctor.explain import explain_text
from azext_sig_doctor.explain.armjson import error_from_object

SUBSCRIPTION = "3f2a1c5e-8d4b-4e6f-9a7c-1b2d3e4f5a6b"
VERSION_PATH = ("/subscriptions/{}/resourceGroups/rg-img/providers/Microsoft.Compute/galleries/galA/images/imgA/"
                "versions/1.2.3".format(SUBSCRIPTION))
URL = "https://management.azure.com" + VERSION_PATH + "?api-version=2023-07-03"
REQUEST_BODY = {"location": "eastus", "properties": {"publishingProfile": {"targetRegions": [
    {"name": "westeurope", "regionalReplicaCount": 1}]}, "storageProfile": {"source": {
        "id": "/subscriptions/{}/resourceGroups/rg-img/providers/Microsoft.Compute/images/src".format(SUBSCRIPTION)}}}}
EXPECTED_RESOURCE = {"subscription": SUBSCRIPTION, "resource_group": "rg-img", "gallery": "galA", "image": "imgA",
                     "version": "1.2.3"}

_CLIENT_PREFIX = re.compile(r"^ERROR:\s*")
_PAREN_CODE = re.compile(r"^\((?P<code>[A-Za-z][\w.]*)\)\s*")


def clean_sample(entry, text):
    """(code, message): the sample without the client's decorations, the code it was shown with
    (else the entry's first known code)."""
    text = _CLIENT_PREFIX.sub("", text.strip())
    if text.startswith("{"):
        part = error_from_object(json.loads(text))
        return part.code, part.message
    found = _PAREN_CODE.match(text)
    if found:
        return found.group("code"), text[found.end():]
    return (entry.codes[0] if entry.codes else "BadRequest"), text


def envelope(code, message):
    return {"error": {"code": code, "message": message, "target": "galleryImageVersion.properties"}}


# ---- input kinds -----------------------------------------------------------------------------------

def az_debug(code, message, line_prefix=lambda level, logger: "{}: {}: ".format(level, logger), newline="\n"):
    def log(level, logger, text):
        return line_prefix(level, logger) + text
    policies = "cli.azure.cli.core.sdk.policies"
    lines = [
        log("DEBUG", "cli.knack.cli", "Command arguments: ['sig', 'image-version', 'create', '--debug']"),
        log("DEBUG", "msal.application", "Cache hit an AT"),
        log("DEBUG", policies, "Request URL: '{}'".format(URL)),
        log("DEBUG", policies, "Request method: 'PUT'"),
        log("DEBUG", policies, "Request headers:"),
        log("DEBUG", policies, "    'Authorization': '*****'"),
        log("DEBUG", policies, "Request body:"),
        log("DEBUG", policies, json.dumps(REQUEST_BODY)),
        log("DEBUG", "urllib3.connectionpool", 'https://management.azure.com:443 "PUT {} HTTP/1.1" 400 252'.format(
            VERSION_PATH)),
        log("DEBUG", policies, "Response status: 400"),
        log("DEBUG", policies, "Response headers:"),
        log("DEBUG", policies, "    'Content-Type': 'application/json; charset=utf-8'"),
        log("DEBUG", policies, "Response content:"),
        log("DEBUG", policies, json.dumps(envelope(code, message))),
        log("ERROR", "cli.azure.cli.core.azclierror", "({}) {}".format(code, message)),
        "Code: {}".format(code),
        "Message: {}".format(message),
        log("ERROR", "az_command_data_logger", "({}) {}".format(code, message)),
        log("INFO", "az_command_data_logger", "exit code: 1"),
    ]
    return newline.join(lines) + newline


def az_debug_colour(code, message):
    # With colours on, az drops the level word and keeps the logger name.
    return az_debug(code, message, line_prefix=lambda level, logger: "{}: ".format(logger))


def az_debug_bare(code, message):
    # Pasted without any level or logger prefix.
    return az_debug(code, message, line_prefix=lambda level, logger: "")


def az_debug_ci(code, message):
    return az_debug(code, message, line_prefix=lambda level, logger: "2026-11-23T18:00:00.1234567Z {}: {}: ".format(
        level, logger))


def az_debug_crlf(code, message):
    return az_debug(code, message, newline="\r\n")


def az_debug_wrapped(code, message, width=80):
    """As copied from a terminal that wraps long lines at ``width`` columns."""
    wrapped = []
    for line in az_debug(code, message).splitlines():
        wrapped.extend(line[start:start + width] for start in range(0, max(len(line), 1), width))
    return "\n".join(wrapped) + "\n"


def az_error_only(code, message):
    return "ERROR: ({}) {}\nCode: {}\nMessage: {}\n".format(code, message, code, message)


def powershell_debug(code, message):
    request = json.dumps(REQUEST_BODY, indent=2)
    response = json.dumps(envelope(code, message), indent=2)
    return "\n".join([
        "DEBUG: ============================ HTTP REQUEST ============================", "",
        "HTTP Method:", "PUT", "",
        "Absolute Uri:", URL, "",
        "Headers:", "x-ms-client-request-id        : 6b3b1f8e-0000-4000-8000-000000000001", "",
        "Body:", request, "", "",
        "DEBUG: ============================ HTTP RESPONSE ============================", "",
        "Status Code:", "BadRequest", "",
        "Headers:", "Pragma                        : no-cache", "",
        "Body:", response, "", "",
        powershell_record(code, message),
    ])


def powershell_record(code, message):
    first = message if re.match(r"^[A-Z][a-z]+-Az[A-Za-z]+\s?:", message) else \
        "New-AzGalleryImageVersion: {}".format(message)
    return "\n".join([
        first,
        "ErrorCode: {}".format(code),
        "ErrorMessage: {}".format(message),
        "ErrorTarget: galleryImageVersion.properties",
        "StatusCode: 400",
        "ReasonPhrase: Bad Request",
        "OperationID : 8d3e2c1b-0000-4000-8000-000000000002",
        "At line:1 char:1",
        "+ New-AzGalleryImageVersion -ResourceGroupName rg-img ...",
        "+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
        "    + CategoryInfo          : CloseError: (:) [New-AzGalleryImageVersion], ComputeCloudException",
        "    + FullyQualifiedErrorId : Microsoft.Azure.Commands.Compute.Automation.NewAzureRmGalleryImageVersion", "",
    ])


def arm_json(code, message):
    return json.dumps(envelope(code, message))


def arm_nested(code, message):
    return json.dumps({"error": {"code": "MultipleErrorsOccurred", "message": "Multiple error occurred: BadRequest.",
                                 "details": [{"code": code, "message": message, "target": "properties"}]}})


def arm_lro(code, message):
    return json.dumps({"startTime": "2026-11-23T18:00:00+00:00", "endTime": "2026-11-23T18:03:00+00:00",
                       "status": "Failed", "name": "9c1d5e2a-0000-4000-8000-000000000003",
                       "error": {"code": code, "message": message}})


def arm_pretty(code, message):
    return "Operation failed:\n" + json.dumps(envelope(code, message), indent=4) + "\n"


def go_quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def packer(code, message):
    return ("==> azure-arm: Publishing to Shared Image Gallery ...\n"
            "==> azure-arm: ERROR: -> {code} : {message}\n"
            "Build 'azure-arm' errored after 2 minutes 3 seconds: compute.GalleryImageVersionsClient#CreateOrUpdate: "
            "Failure sending request: StatusCode=400 -- Original Error: Code={qcode} Message={qmessage}\n").format(
                code=code, message=message, qcode=go_quote(code), qmessage=go_quote(message))


def terraform(code, message):
    return ('Error: creating Image Version: (Version "1.2.3" / Image Name "imgA" / Gallery Name "galA" / '
            'Resource Group "rg-img"): compute.GalleryImageVersionsClient#CreateOrUpdate: Failure sending request: '
            'StatusCode=0 -- Original Error: autorest/azure: Service returned an error. Status=<nil> '
            'Code={} Message={}\n\n  with azurerm_shared_image_version.example,\n'.format(go_quote(code),
                                                                                          go_quote(message)))


def terraform_new(code, message):
    return ('Error: creating Image Version (Subscription: "{}"\nResource Group Name: "rg-img"\nGallery Name: "galA"\n'
            'Image Name: "imgA"\nVersion Name: "1.2.3"): performing CreateOrUpdate: unexpected status 400 '
            '(400 Bad Request) with error: {}: {}\n'.format(SUBSCRIPTION, code, message))


def plain(code, message):  # pylint: disable=unused-argument
    return message


KINDS = {
    "az-debug": az_debug, "az-debug-colour": az_debug_colour, "az-debug-bare": az_debug_bare,
    "az-debug-ci": az_debug_ci,
    "az-debug-crlf": az_debug_crlf, "az-debug-wrapped": az_debug_wrapped, "az-error": az_error_only,
    "ps-debug": powershell_debug, "ps-record": powershell_record, "arm-json": arm_json,
    "arm-nested": arm_nested, "arm-lro": arm_lro, "arm-pretty": arm_pretty, "packer": packer,
    "terraform": terraform, "terraform-new": terraform_new, "plain": plain,
}
# Kinds whose text names the resource, and the ids it names.
WITH_REQUEST = {kind: set(EXPECTED_RESOURCE) for kind in ("az-debug", "az-debug-colour", "az-debug-bare",
                                                          "az-debug-ci", "az-debug-crlf", "ps-debug", "terraform-new")}
WITH_REQUEST["terraform"] = set(EXPECTED_RESOURCE) - {"subscription"}


def samples():
    cases = []
    for entry in knowledge.load():
        for number, sample in enumerate(entry.data.get("samples") or []):
            lang = sample.get("lang", "en")
            cases.append(pytest.param(entry, sample, id="{}#{}-{}".format(entry.id, number, lang)))
    return cases


SAMPLES = samples()


def _check(entry, sample, findings, kind):
    assert len(findings) == 1, [(finding["id"], finding["line"], finding["message"]) for finding in findings]
    finding = findings[0]
    assert finding["id"] == entry.id, (finding["id"], finding["message"], finding["nearest"])
    for name, value in (sample.get("values") or {}).items():
        assert str(finding["values"].get(name)).lower() == str(value).lower(), (name, finding["values"])
    if kind in WITH_REQUEST:
        assert {key: finding["resource"].get(key) for key in WITH_REQUEST[kind]} == \
            {key: EXPECTED_RESOURCE[key] for key in WITH_REQUEST[kind]}
    assert finding["count"] == 1
    assert finding["title"] and finding["cause"] and finding["fix"] is not None


def test_the_matrix_is_not_empty():
    assert len(SAMPLES) >= 1


@pytest.mark.parametrize("entry,sample", SAMPLES)
def test_sample_in_every_input_kind(entry, sample):
    code, message = clean_sample(entry, sample["text"])
    if sample.get("lang", "en") != "en":
        # The seed translations give the text only, so a user can only paste it.
        _check(entry, sample, explain_text(sample["text"]).findings, "plain")
        return
    failures = []
    for kind, build in KINDS.items():
        try:
            _check(entry, sample, explain_text(build(code, message)).findings, kind)
        except AssertionError as exc:
            failures.append("{}: {}".format(kind, exc))
    assert not failures, "\n".join(failures)

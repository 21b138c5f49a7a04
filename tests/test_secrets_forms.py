"""Every form of secret users paste, planted in every input shape, reaches no output format.

Forms: those the issue lists (ARM template parameters ``{"value": ...}``, ``az login -p`` and
``--password``, PowerShell's ``ConvertTo-SecureString '...' -AsPlainText``, Graph's ``secretText``,
storage account keys, SAS tokens on their own or URL-encoded, PuTTY keys, passwords in connection
URLs) beside the ones masked before (bearer tokens, JWTs, ``adminPassword``, ``sig=`` in URLs,
account keys in connection strings, private keys, client secrets, custom data).
Shapes: a pasted message, an az --debug log (in the error body, a request header, the request
body, the command line), ARM JSON (an error, a deployment's parameters), an Az PowerShell
transcript (the prompt line, the error record), Terraform and Packer output.
Outputs: -o json, yaml, tsv and table as az formats them, and the terminal report; then, through
the real az against the emulator, the same formats and the errors and recommendations of create-*.
"""

import json

import pytest
import yaml
from knack.output import format_json, format_table, format_tsv, format_yaml
from knack.util import CommandResultItem

from azext_sig_doctor import _format, secrets
from azext_sig_doctor.explain import explain_text, render
from tests.test_create_e2e import demo
from tests.test_explain_matrix import KINDS, REQUEST_BODY, az_debug

# Each secret is unique, so a leak names its form.
FORMS = {
    "arm-parameter-password": ('"adminPassword": {"value": "Sec1ArmParam!x9"}', "Sec1ArmParam!x9"),
    "arm-parameter-custom-data": ('"customData": {"type": "securestring", "value": "I2Nsb3VkLXNlYzI="}',
                                  "I2Nsb3VkLXNlYzI="),
    "az-login-p": ("az login --service-principal -u 2f9c0000-app -p Sec3LoginP~x9 --tenant contoso.com",
                   "Sec3LoginP~x9"),
    "az-login-password": ("az login -u ops@contoso.com --password Sec4LoginPw!x9", "Sec4LoginPw!x9"),
    "powershell-securestring": ("$pw = ConvertTo-SecureString 'Sec5PsSecure#x9' -AsPlainText -Force",
                                "Sec5PsSecure#x9"),
    "powershell-securestring-string": ('ConvertTo-SecureString -String "Sec6PsString#x9" -AsPlainText -Force',
                                       "Sec6PsString#x9"),
    "graph-secret-text": ('"secretText": "Sec7Graph~Qx9abcdefghijklmnop"', "Sec7Graph~Qx9abcdefghijklmnop"),
    "azure-storage-key": ("AZURE_STORAGE_KEY=Sec8StorageEnvKeyAAAAAAAAAA==", "Sec8StorageEnvKeyAAAAAAAAAA=="),
    "storage-keys-list": ('[{"keyName": "key1", "permissions": "FULL", "value": "Sec9KeysListAAAAAAAAAAAAAA=="}]',
                          "Sec9KeysListAAAAAAAAAAAAAA=="),
    "storage-keys-table": ("key1       FULL           Sec10KeysTableAAAAAAAAAAAAAA==",
                           "Sec10KeysTableAAAAAAAAAAAAAA=="),
    "terraform-primary-access-key": ('primary_access_key = "Sec11TfPrimaryAAAAAAAA=="', "Sec11TfPrimaryAAAAAAAA=="),
    "terraform-storage-account-access-key": ('storage_account_access_key = "Sec12TfStorageAAAAAA=="',
                                             "Sec12TfStorageAAAAAA=="),
    "sas-token-alone": ("sig=Sec13SasAlone%2Bx9%3D&se=2030-01-01T00%3A00%3A00Z&sp=r", "Sec13SasAlone"),
    "sas-url-encoded": ("https://portal.example/redirect?u=https%3A%2F%2Facct.blob.core.windows.net%2Fvhds%2Fos.vhd"
                        "%3Fsv%3D2022-11-02%26sig%3DSec14SasEncoded%252Bx9%26se%3D2030", "Sec14SasEncoded"),
    "putty-ppk": ("PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nComment: build-key\nPublic-Lines: 1\n"
                  "AAAAB3NzaC1yc2EAAAADAQABAAAAgQC\nPrivate-Lines: 2\nAAAAgSec15PuttyPrivateLine1\n"
                  "AAAAQSec15PuttyPrivateLine2\nPrivate-MAC: 5ec15aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "Sec15Putty"),
    "url-password": ("postgres://imagebuilder:Sec16UrlPw~x9@db.contoso.com:5432/images", "Sec16UrlPw~x9"),
    # Masked before this work: they must stay masked in the new shapes too.
    "bearer": ("Authorization: Bearer Sec17BearerTokenValue", "Sec17BearerTokenValue"),
    "jwt": ("token eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzZWMxOCI6IngifQ.U2VjMThKd3RTaWduYXR1cmU", "U2VjMThK"),
    "admin-password-json": ('"adminPassword": "Sec19AdminPw!x9"', "Sec19AdminPw!x9"),
    "sas-url": ("https://acct.blob.core.windows.net/vhds/os.vhd?sv=2022-11-02&sr=b&sig=Sec20SasUrl%2Bx9%3D&se=2030",
                "Sec20SasUrl"),
    "connection-string": ("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=Sec21AccountKeyAAAAAAA==;",
                          "Sec21AccountKeyAAAAAAA=="),
    "private-key": ("-----BEGIN RSA PRIVATE KEY-----\nMIIEowSec22PrivateKeyBody\n-----END RSA PRIVATE KEY-----",
                    "Sec22PrivateKeyBody"),
    "client-secret": ("client_secret=Sec23ClientSecret~x9&grant_type=client_credentials", "Sec23ClientSecret~x9"),
    "custom-data": ('"customData": "I2Nsb3VkLVNlYzI0"', "I2Nsb3VkLVNlYzI0"),
}
MESSAGE = "The deployment of the image failed; its input held {} and nothing else."


def _one_line(snippet):
    return snippet.replace("\n", " ")


REGION_MESSAGE = ("Gallery image version publishing profile regions 'westeurope' must contain the location of "
                  "image version 'eastus'.")


def _debug_log_context(snippet, where):
    """An az --debug log of a failed create with ``snippet`` in one more place. A request header
    reaches no output (the test proves no path leads from it); the request body's source and the
    command line's --virtual-machine do: the finding's commands repeat the source."""
    log = az_debug("InvalidParameter", REGION_MESSAGE)
    source = json.dumps(REQUEST_BODY["properties"]["storageProfile"]["source"]["id"])
    if where == "header":
        return log.replace("    'Authorization': '*****'",
                           "    'Authorization': '*****'\nDEBUG: cli.azure.cli.core.sdk.policies:     'x-ms-note': '{}'"
                           .format(_one_line(snippet)))
    if where == "request-body":
        return log.replace(source, json.dumps(snippet))
    # The command line, as az logs its arguments (the body names no source: the arguments do).
    return log.replace(', "storageProfile": {"source": {"id": ' + source + "}}", "").replace(
        "'--debug']", "'--virtual-machine', {!r}, '--debug']".format(_one_line(snippet)))


def _arm_deployment(snippet):
    """A failed deployment as `az deployment group show` prints it: parameters, then the error."""
    return json.dumps({"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Resources/deployments/img",
                       "properties": {"parameters": {"note": {"type": "String", "value": snippet}},
                                      "error": {"code": "InvalidParameter",
                                                "message": MESSAGE.format(snippet)}}}, indent=2)


def _powershell_transcript(snippet):
    return ("PS C:\\build> {}\n".format(_one_line(snippet)) +
            KINDS["ps-record"]("InvalidParameter", MESSAGE.format(_one_line(snippet))))


def _packer(snippet):
    return ("==> azure-arm: Running builder ...\n==> azure-arm: {}\n".format(_one_line(snippet)) +
            KINDS["packer"]("InvalidParameter", MESSAGE.format(_one_line(snippet))))


SHAPES = {
    "pasted-message": lambda snippet: MESSAGE.format(snippet),
    "az-debug-error-body": lambda snippet: KINDS["az-debug"]("InvalidParameter", MESSAGE.format(snippet)),
    "az-debug-header": lambda snippet: _debug_log_context(snippet, "header"),
    "az-debug-request-body": lambda snippet: _debug_log_context(snippet, "request-body"),
    "az-debug-command-line": lambda snippet: _debug_log_context(snippet, "command-line"),
    "arm-json-error": lambda snippet: KINDS["arm-json"]("InvalidParameter", MESSAGE.format(snippet)),
    "arm-json-deployment": _arm_deployment,
    "powershell-transcript": _powershell_transcript,
    "powershell-debug": lambda snippet: KINDS["ps-debug"]("InvalidParameter", MESSAGE.format(snippet)),
    "terraform": lambda snippet: KINDS["terraform"]("InvalidParameter", MESSAGE.format(snippet)),
    "packer": _packer,
}


def outputs(findings):
    """What each output format shows of the findings, as az formats them, and the terminal report."""
    result = CommandResultItem(findings, table_transformer=_format.explain_table, is_query_active=False)
    return {"json": format_json(result), "yaml": format_yaml(result), "tsv": format_tsv(result),
            "table": format_table(result), "report": render.report(findings)}


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("form", sorted(FORMS))
def test_no_form_of_secret_reaches_any_output(form, shape):
    snippet, secret = FORMS[form]
    findings = explain_text(SHAPES[shape](snippet)).findings
    assert findings, (form, shape)
    leaked = sorted(name for name, text in outputs(findings).items() if secret in text)
    assert leaked == [], (form, shape, leaked)


def test_every_form_is_masked_where_it_stands():
    # Each snippet, on its own: the secret goes, the rest of the text stays (it says what the input was).
    for form, (snippet, secret) in FORMS.items():
        masked = secrets.mask(snippet)
        assert secret not in masked and secrets.MASK in masked, form
        assert masked.count("\n") == snippet.count("\n"), form


@pytest.mark.parametrize("text", [
    "az sig image-definition create -g rg -r gal -i img -p contoso -f ubuntu -s 22_04 --os-type Linux",
    "https://management.azure.com:443/subscriptions/s/resourceGroups/rg?api-version=2023-07-03",
    '{"name": "westeurope", "value": "100"}',
    "The signature (sig) of the request is invalid.",
])
def test_ordinary_text_beside_the_forms_is_left_alone(text):
    # -p is --publisher outside `az login`; a port is no password; a "value" is no storage key.
    assert secrets.mask(text) == text


# ---- through the real az against the emulator -------------------------------------------------------------

ALL_SNIPPETS = "\n".join(snippet for snippet, _ in FORMS.values())


def _leaks(text):
    return sorted(form for form, (_, secret) in FORMS.items() if secret in text)


@pytest.mark.parametrize("output", ["json", "yaml", "tsv", "table"])
def test_explain_through_az_shows_no_secret_in_any_format(az, emulator, output):
    log = "".join(shape(snippet) + "\n" for shape in (SHAPES["az-debug-error-body"], SHAPES["az-debug-header"],
                                                       SHAPES["arm-json-deployment"], SHAPES["terraform"])
                  for snippet, _ in FORMS.values())
    result = az("sig", "doctor", "explain", "--log", "-", "-o", output, input=log)
    assert result.exit_code == 0, result.stderr[-2000:]
    assert result.stdout.strip()
    assert _leaks(result.stdout + result.stderr) == []


def test_create_errors_and_recommendations_show_no_secret_azure_echoes(emulator, az):
    # Azure refuses the version and its message echoes what the request held.
    emulator.load(demo(faults=[{"method": "PUT", "path": "/versions/4.4.4$", "status": 400, "code": "InvalidParameter",
                                "message": MESSAGE.format(ALL_SNIPPETS.replace("\n", " "))}]))
    result = az("sig", "doctor", "create-version", "-g", "demo-rg", "-r", "demoGallery", "-i", "demoImage",
                "-e", "4.4.4", "--virtual-machine", _VM, "--target-regions", "eastus", "--skip-checks")
    assert result.exit_code != 0 and "InvalidParameter" in result.stderr
    assert _leaks(result.stdout + result.stderr) == []


def test_create_version_does_not_print_the_sas_the_service_echoes_back(emulator, az):
    emulator.load("demo.yaml")
    sas = FORMS["sas-url"][0]
    account = ("/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/demo-rg/providers/"
               "Microsoft.Storage/storageAccounts/acct")
    result = az("sig", "doctor", "create-version", "-g", "demo-rg", "-r", "demoGallery", "-i", "demoImage",
                "-e", "4.4.5", "--os-vhd-uri", sas, "--os-vhd-storage-account", account,
                "--target-regions", "eastus", "--skip-checks", "--poll-interval", "0.3")
    assert result.exit_code == 0, result.stderr[-2000:]
    echoed = emulator.request("GET", "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/demo-rg/"
                                     "providers/Microsoft.Compute/galleries/demoGallery/images/demoImage/versions/4.4.5")
    assert FORMS["sas-url"][1] in echoed.text  # Azure keeps the SAS as it was sent ...
    assert result.json["storageProfile"]["osDiskImage"]["source"]["uri"].startswith(sas.split("sig=")[0])
    assert _leaks(result.stdout + result.stderr) == []  # ... sig-doctor does not print it
    shown = az("sig", "doctor", "replication", "-g", "demo-rg", "-r", "demoGallery", "-i", "demoImage", "-e", "4.4.5")
    assert shown.exit_code == 0 and _leaks(shown.stdout + shown.stderr) == []


_VM = ("/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/demo-rg/providers/Microsoft.Compute/"
       "virtualMachines/demoVm")


def test_yaml_output_parses_and_keeps_the_mask():
    findings = explain_text(SHAPES["arm-json-error"](FORMS["arm-parameter-password"][0])).findings
    shown = yaml.safe_load(outputs(findings)["yaml"])
    assert secrets.MASK in shown[0]["message"]

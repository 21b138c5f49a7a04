"""Every knowledge-base sample, embedded in every input kind `explain` reads (the logs and the wrapper
forms of every tool in tests/corpus/README.md), is recognised as its own entry with its placeholder
values. The matrix is built from `knowledge.load()` at test time,
so entries added to kb/*.yaml are covered without touching this file."""

import json
import re
import textwrap

import pytest

from azext_sig_doctor import knowledge
from azext_sig_doctor.domain import regions
from azext_sig_doctor.domain.guidance import REGION_KEYS
from azext_sig_doctor.explain import explain_text
from azext_sig_doctor.explain.armjson import error_from_object
from azext_sig_doctor.explain.match import api_words

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


def envelope(code, message, target="galleryImageVersion.properties"):
    return {"error": {"code": code, "message": message, "target": target}}


# ---- the request each kind of entry is read in -------------------------------------------------
# An entry kept for a context (``requires``: a VM's creation, a gallery application, an Image Builder
# template) is wrapped in that context: the request a log shows, and for texts without one the
# command line a user pastes with the error.

class Context:
    def __init__(self, path, body, resource, preamble, summary, cmdlet, tf_address, pulumi,
                 target="galleryImageVersion.properties", command=("sig", "image-version", "create")):
        self.path = path
        self.command = command  # the az command an az --debug log of the request ran
        self.url = "https://management.azure.com" + path + "?api-version=2024-03-03"
        self.body = body
        self.resource = resource
        self.preamble = preamble
        self.summary = summary
        self.cmdlet = cmdlet
        self.tf_address = tf_address
        self.pulumi = pulumi
        self.target = target


VERSION = Context(VERSION_PATH, REQUEST_BODY, EXPECTED_RESOURCE, "",
                  'Image Version: (Version "1.2.3" / Image Name "imgA" / Gallery Name "galA" / '
                  'Resource Group "rg-img")',
                  "New-AzGalleryImageVersion", "azurerm_shared_image_version.example",
                  "azure-native:compute:GalleryImageVersion (imgVersion)")
VM_PATH = "/subscriptions/{}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm1".format(SUBSCRIPTION)
VM = Context(VM_PATH, {"location": "eastus",
                       "properties": {"storageProfile": {"imageReference": {"id": VERSION_PATH}}}},
             {"subscription": SUBSCRIPTION, "resource_group": "rg-app", "vm": "vm1"},
             "az vm create -g rg-app -n vm1 --image {}".format(VERSION_PATH),
             'Linux Virtual Machine: (Name "vm1" / Resource Group "rg-app")', "New-AzVM",
             "azurerm_linux_virtual_machine.example", "azure-native:compute:VirtualMachine (vm1)",
             command=("vm", "create"))
APPLICATION_PATH = ("/subscriptions/{}/resourceGroups/rg-img/providers/Microsoft.Compute/galleries/galA/applications/"
                    "app1/versions/1.0.0".format(SUBSCRIPTION))
APPLICATION = Context(APPLICATION_PATH, {"location": "eastus", "properties": {"publishingProfile": {}}},
                      {"subscription": SUBSCRIPTION, "resource_group": "rg-img", "gallery": "galA"},
                      "az sig gallery-application version create -g rg-img -r galA --application-name app1 "
                      "--version-name 1.0.0", 'Gallery Application Version: (Name "1.0.0" / Resource Group "rg-img")',
                      "New-AzGalleryApplicationVersion", "azurerm_gallery_application_version.example",
                      "azure-native:compute:GalleryApplicationVersion (app1)",
                      command=("sig", "gallery-application", "version", "create"))
TEMPLATE_PATH = ("/subscriptions/{}/resourceGroups/rg-aib/providers/Microsoft.VirtualMachineImages/imageTemplates/"
                 "tmpl1".format(SUBSCRIPTION))
IMAGE_TEMPLATE = Context(TEMPLATE_PATH, {"location": "eastus", "properties": {}},
                         {"subscription": SUBSCRIPTION, "resource_group": "rg-aib"},
                         "az image builder run -g rg-aib -n tmpl1 (Azure VM Image Builder)",
                         'Image Builder Template: (Name "tmpl1" / Resource Group "rg-aib")',
                         "Start-AzImageBuilderTemplate", "azurerm_image_builder_template.example",
                         "azure-native:virtualmachineimages:VirtualMachineImageTemplate (tmpl1)",
                         command=("image", "builder", "run"))


DISK_PATH = "/subscriptions/{}/resourceGroups/rg-app/providers/Microsoft.Compute/disks/disk1".format(SUBSCRIPTION)
MANAGED_IMAGE = "/subscriptions/{}/resourceGroups/rg-img/providers/Microsoft.Compute/images/src".format(SUBSCRIPTION)
DISK = Context(DISK_PATH, {"location": "eastus", "properties": {"creationData": {
    "createOption": "FromImage", "imageReference": {"id": MANAGED_IMAGE}}}},
    {"subscription": SUBSCRIPTION, "resource_group": "rg-app", "disk": "disk1"},
    "New-AzDisk -ResourceGroupName rg-app -DiskName disk1 -Disk $diskConfig",
    'Managed Disk: (Name "disk1" / Resource Group "rg-app")', "New-AzDisk", "azurerm_managed_disk.example",
    "azure-native:compute:Disk (disk1)", target="imageReference", command=("disk", "create"))
DISK_FROM_GALLERY = Context(DISK_PATH, {"location": "eastus", "properties": {"creationData": {
    "createOption": "FromImage", "galleryImageReference": {"id": VERSION_PATH, "lun": 2}}}},
    {"subscription": SUBSCRIPTION, "resource_group": "rg-app", "disk": "disk1"},
    "az disk create -g rg-app -n disk1 --gallery-image-reference {} --gallery-image-reference-lun 2".format(
        VERSION_PATH), 'Managed Disk: (Name "disk1" / Resource Group "rg-app")', "New-AzDisk",
    "azurerm_managed_disk.example", "azure-native:compute:Disk (disk1)", target="imageReference",
    command=("disk", "create"))


VERSION_NAMED = Context(VERSION_PATH, REQUEST_BODY, EXPECTED_RESOURCE,
                        "az sig image-version create -g rg-img -r galA -i imgA -e 1.2.3 --target-regions westeurope",
                        VERSION.summary, VERSION.cmdlet, VERSION.tf_address, VERSION.pulumi)


def context_for(entry):
    requires = set(entry.data.get("requires") or ())
    if entry.data.get("section") == "disk":
        return DISK_FROM_GALLERY if "gallery" in requires else DISK
    if requires & {"vm", "vmss"} and not requires & {"gallery"}:
        return VM
    if "application" in requires:
        return APPLICATION
    if "image-template" in requires:
        return IMAGE_TEMPLATE
    return VERSION_NAMED if requires else VERSION


def _with_preamble(text, ctx):
    return (ctx.preamble + "\n" + text) if ctx.preamble else text


# ---- input kinds -----------------------------------------------------------------------------------

def az_debug(code, message, line_prefix=lambda level, logger: "{}: {}: ".format(level, logger), newline="\n",
             ctx=VERSION):
    def log(level, logger, text):
        return line_prefix(level, logger) + text
    policies = "cli.azure.cli.core.sdk.policies"
    lines = [
        log("DEBUG", "cli.knack.cli", "Command arguments: {}".format(list(ctx.command) + ["--debug"])),
        log("DEBUG", "msal.application", "Cache hit an AT"),
        log("DEBUG", policies, "Request URL: '{}'".format(ctx.url)),
        log("DEBUG", policies, "Request method: 'PUT'"),
        log("DEBUG", policies, "Request headers:"),
        log("DEBUG", policies, "    'Authorization': '*****'"),
        log("DEBUG", policies, "Request body:"),
        log("DEBUG", policies, json.dumps(ctx.body)),
        log("DEBUG", "urllib3.connectionpool", 'https://management.azure.com:443 "PUT {} HTTP/1.1" 400 252'.format(
            ctx.path)),
        log("DEBUG", policies, "Response status: 400"),
        log("DEBUG", policies, "Response headers:"),
        log("DEBUG", policies, "    'Content-Type': 'application/json; charset=utf-8'"),
        log("DEBUG", policies, "Response content:"),
        log("DEBUG", policies, json.dumps(envelope(code, message, ctx.target))),
        log("ERROR", "cli.azure.cli.core.azclierror", "({}) {}".format(code, message)),
        "Code: {}".format(code),
        "Message: {}".format(message),
        log("ERROR", "az_command_data_logger", "({}) {}".format(code, message)),
        log("INFO", "az_command_data_logger", "exit code: 1"),
    ]
    return newline.join(lines) + newline


def az_debug_colour(code, message, ctx=VERSION):
    # With colours on, az drops the level word and keeps the logger name.
    return az_debug(code, message, line_prefix=lambda level, logger: "{}: ".format(logger), ctx=ctx)


def az_debug_bare(code, message, ctx=VERSION):
    # Pasted without any level or logger prefix.
    return az_debug(code, message, line_prefix=lambda level, logger: "", ctx=ctx)


def az_debug_ci(code, message, ctx=VERSION):
    return az_debug(code, message, line_prefix=lambda level, logger: "2026-11-23T18:00:00.1234567Z {}: {}: ".format(
        level, logger), ctx=ctx)


def az_debug_crlf(code, message, ctx=VERSION):
    return az_debug(code, message, newline="\r\n", ctx=ctx)


def az_debug_wrapped(code, message, width=80, ctx=VERSION):
    """As copied from a terminal that wraps long lines at ``width`` columns."""
    wrapped = []
    for line in az_debug(code, message, ctx=ctx).splitlines():
        wrapped.extend(line[start:start + width] for start in range(0, max(len(line), 1), width))
    return "\n".join(wrapped) + "\n"


def az_error_only(code, message, ctx=VERSION):
    return _with_preamble("ERROR: ({}) {}\nCode: {}\nMessage: {}\n".format(code, message, code, message), ctx)


def powershell_debug(code, message, ctx=VERSION):
    request = json.dumps(ctx.body, indent=2)
    response = json.dumps(envelope(code, message, ctx.target), indent=2)
    return "\n".join([
        "DEBUG: ============================ HTTP REQUEST ============================", "",
        "HTTP Method:", "PUT", "",
        "Absolute Uri:", ctx.url, "",
        "Headers:", "x-ms-client-request-id        : 6b3b1f8e-0000-4000-8000-000000000001", "",
        "Body:", request, "", "",
        "DEBUG: ============================ HTTP RESPONSE ============================", "",
        "Status Code:", "BadRequest", "",
        "Headers:", "Pragma                        : no-cache", "",
        "Body:", response, "", "",
        powershell_record(code, message, ctx=ctx, preamble=False),
    ])


def powershell_record(code, message, ctx=VERSION, preamble=True):
    first = message if re.match(r"^[A-Z][a-z]+-Az[A-Za-z]+\s?:", message) else \
        "{}: {}".format(ctx.cmdlet, message)
    text = "\n".join([
        first,
        "ErrorCode: {}".format(code),
        "ErrorMessage: {}".format(message),
        "ErrorTarget: {}".format(ctx.target),
        "StatusCode: 400",
        "ReasonPhrase: Bad Request",
        "OperationID : 8d3e2c1b-0000-4000-8000-000000000002",
        "At line:1 char:1",
        "+ {} -ResourceGroupName rg-img ...".format(ctx.cmdlet),
        "+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
        "    + CategoryInfo          : CloseError: (:) [{}], ComputeCloudException".format(ctx.cmdlet),
        "    + FullyQualifiedErrorId : Microsoft.Azure.Commands.Compute.Automation.NewAzureRmGalleryImageVersion", "",
    ])
    return _with_preamble(text, ctx) if preamble else text


def arm_json(code, message, ctx=VERSION):
    return _with_preamble(json.dumps(envelope(code, message, ctx.target)), ctx)


def arm_nested(code, message, ctx=VERSION):
    return _with_preamble(json.dumps({"error": {"code": "MultipleErrorsOccurred",
                                                "message": "Multiple error occurred: BadRequest.",
                                                "details": [{"code": code, "message": message,
                                                             "target": "properties"}]}}), ctx)


def arm_lro(code, message, ctx=VERSION):
    return _with_preamble(json.dumps({"startTime": "2026-11-23T18:00:00+00:00", "endTime": "2026-11-23T18:03:00+00:00",
                                      "status": "Failed", "name": "9c1d5e2a-0000-4000-8000-000000000003",
                                      "error": {"code": code, "message": message}}), ctx)


def arm_pretty(code, message, ctx=VERSION):
    return _with_preamble("Operation failed:\n" + json.dumps(envelope(code, message, ctx.target), indent=4) + "\n", ctx)


def go_quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def packer(code, message, ctx=VERSION):
    return _with_preamble(
        ("==> azure-arm: Publishing to Shared Image Gallery ...\n"
         "==> azure-arm: ERROR: -> {code} : {message}\n"
         "Build 'azure-arm' errored after 2 minutes 3 seconds: compute.GalleryImageVersionsClient#CreateOrUpdate: "
         "Failure sending request: StatusCode=400 -- Original Error: Code={qcode} Message={qmessage}\n").format(
             code=code, message=message, qcode=go_quote(code), qmessage=go_quote(message)), ctx)


def terraform(code, message, ctx=VERSION):
    return _with_preamble('Error: creating {}: compute.GalleryImageVersionsClient#CreateOrUpdate: Failure sending '
            'request: StatusCode=0 -- Original Error: autorest/azure: Service returned an error. Status=<nil> '
            'Code={} Message={}\n\n  with {},\n'.format(ctx.summary, go_quote(code), go_quote(message),
                                                     ctx.tf_address), ctx)


def terraform_new(code, message, ctx=VERSION):
    if ctx is VERSION:
        head = ('Error: creating Image Version (Subscription: "{}"\nResource Group Name: "rg-img"\n'
                'Gallery Name: "galA"\nImage Name: "imgA"\nVersion Name: "1.2.3")'.format(SUBSCRIPTION))
    else:
        head = "Error: creating {}".format(ctx.summary)
    return _with_preamble(head + ': performing CreateOrUpdate: unexpected status 400 (400 Bad Request) with error: '
                          '{}: {}\n'.format(code, message), ctx)


def plain(code, message, ctx=VERSION):  # pylint: disable=unused-argument
    return _with_preamble(message, ctx)


# ---- wrapper forms of the real-world corpus (tests/corpus/README.md) ----------------------------------

def python_sdk(code, message, ctx=VERSION):
    return _with_preamble(
        'Traceback (most recent call last):\n  File "publish.py", line 42, in <module>\n    poller.result()\n'
        "azure.core.exceptions.HttpResponseError: ({code}) {message}\nCode: {code}\nMessage: {message}\n".format(
            code=code, message=message), ctx)


def python_tool_exception(code, message, ctx=VERSION):
    # A tool's own exception wrapping the SDK's "(Code) message" on one line.
    return _with_preamble("lisa.util.LisaException: ({}) {}\n".format(code, message), ctx)


def java_sdk(code, message, ctx=VERSION):
    return _with_preamble(
        'com.azure.core.management.exception.ManagementException: Status code 400, "'
        + json.dumps(envelope(code, message, ctx.target), indent=2) + '"\n'
        "\tat com.azure.core.management.implementation.polling.PollOperation.lambda$pollingOperation$4"
        "(PollOperation.java:94)\n", ctx)


def java_cloud_exception(code, message, ctx=VERSION):  # pylint: disable=unused-argument
    return _with_preamble('Exception in thread "main" com.microsoft.azure.CloudException: {m}: {m}\n'
                          "\tat com.microsoft.azure.AzureClient.createExceptionFromResponse(AzureClient.java:771)\n"
                          .format(m=message), ctx)


def go_sdk_block(code, message, ctx=VERSION):
    rule = "-" * 80
    return _with_preamble("\n".join([
        "failed to create or update resource (service: galleryimageversion): PUT " + ctx.url.split("?")[0],
        rule, "RESPONSE 400: 400 Bad Request", "ERROR CODE: " + code, rule,
        json.dumps(envelope(code, message, ctx.target), indent=2), rule, ""]), ctx)


def go_sdk_quoted(code, message, ctx=VERSION):
    # CAPZ's short form: the code on the RESPONSE line, the message quoted on the next lines.
    return _with_preamble("failed to create resource after 3 retries:\nRESPONSE 400: {}\n{}\n".format(
        code, json.dumps(message)), ctx)


def ansible(code, message, ctx=VERSION):
    result = {"changed": False, "msg": "Error creating or updating resource res1 - Azure Error: {}\nMessage: {}".format(
        code, message)}
    return _with_preamble("fatal: [localhost]: FAILED! => " + json.dumps(result) + "\n", ctx)


def ansible_escaped(code, message, ctx=VERSION):
    # The task result's msg pasted alone, its line feeds and quotes still escaped.
    body = json.dumps("Error creating image img1 - Azure Error: {}\nMessage: {}".format(code, message))
    return _with_preamble(' "msg": {}\n'.format(body), ctx)


def escaped_deployment(code, message, ctx=VERSION):
    inner = json.dumps(envelope(code, message, ctx.target), indent=1).replace("\n", "\r\n")
    return _with_preamble(json.dumps({"code": "DeploymentFailed", "message": "At least one resource deployment "
                                      "operation failed. Please list deployment operations for details.",
                                      "details": [{"code": "BadRequest", "message": inner}]}), ctx)


def escaped_twice(code, message, ctx=VERSION):
    inner = json.dumps(envelope(code, message, ctx.target), indent=1).replace("\n", "\r\n")
    middle = json.dumps({"status": "Failed", "error": {"code": "ResourceDeploymentFailure", "message": "The "
                         "resource operation completed with terminal provisioning state 'Failed'.", "details": [
                             {"code": "Conflict", "message": inner}]}}, indent=1).replace("\n", "\r\n")
    # Pasted from a portal that showed the outer body as a string: every quote escaped once more.
    outer = json.dumps({"code": "DeploymentFailed", "message": "At least one resource deployment operation failed.",
                        "details": [{"code": "Conflict", "message": middle}]})
    return _with_preamble("_" + outer + "_", ctx)


def klog(code, message, ctx=VERSION):
    error = ('failed to reconcile AzureMachine: compute.GalleryImageVersionsClient#CreateOrUpdate: Failure sending '
             'request: StatusCode=400 -- Original Error: Code="{}" Message={}'.format(code, go_quote(message)))
    return _with_preamble('E0209 09:56:12.968748   76135 controller.go:258] controller-runtime/controller '
                          '"msg"="Reconciler error" "error"=' + json.dumps(error) + "\n", ctx)


def pulumi(code, message, ctx=VERSION):
    return _with_preamble("  {}:\n    error: Status=400 Code=\"{}\" Message=\"{}\"\n".format(
        ctx.pulumi, code, go_quote(message)), ctx)


def image_builder_status(code, message, ctx=VERSION):  # pylint: disable=unused-argument
    return _with_preamble('        "provisioningState": "Succeeded",\n        "lastRunStatus": {\n'
                          '            "startTime": "2026-11-12T15:04:52.400830569Z",\n'
                          '            "runState": "Failed",\n'
                          '            "message": ' + json.dumps(message) + "\n        },\n", ctx)


def image_builder_list(code, message, ctx=VERSION):  # pylint: disable=unused-argument
    lines = textwrap.wrap(message, 90, break_on_hyphens=False, break_long_words=False) or [""]
    return _with_preamble("LastRunStatusMessage         : " + lines[0] + "\n" + "".join(
        " " * 31 + line + "\n" for line in lines[1:]) + "LastRunStatusRunState        : Failed\n", ctx)


def powershell_view(code, message, ctx=VERSION):
    """PowerShell 7's error view: the message down a gutter, fields on the same lines."""
    text = "{} ErrorCode: {} ErrorMessage: {} ErrorTarget: {} StatusCode: 400 " \
           "ReasonPhrase: Bad Request OperationID : 8d3e2c1b-0000-4000-8000-000000000002".format(message, code, message,
                                                                                             ctx.target)
    wrapped = textwrap.wrap(text, 100, break_on_hyphens=False, break_long_words=False)
    gutter = "".join("     | " + line + "\n" for line in wrapped)
    return _with_preamble("{}: C:\\build\\publish.ps1:12\nLine |\n  12 |  {} -ResourceGroupName rg-img `\n"
                          "     |  ~~~~~~~~~~~~~~~~~~~~~~~~~~\n".format(ctx.cmdlet, ctx.cmdlet) + gutter, ctx)


def powershell_cut(code, message, ctx=VERSION, width=120):
    """A Windows PowerShell record as a console shows it: every line cut at the console's width."""
    record = _with_preamble(powershell_record(code, message, ctx=ctx, preamble=False), ctx).splitlines()
    cut = []
    for line in record:
        cut.extend(line[start:start + width] for start in range(0, max(len(line), 1), width))
    return "\n".join(cut) + "\n"


def bicep_deployment(code, message, ctx=VERSION):
    return _with_preamble("New-AzResourceGroupDeployment: 6:37:27 PM - Error: Code={}; Message={}\n"
                          "New-AzResourceGroupDeployment: 6:37:27 PM - The deployment validation failed\n".format(
                              code, message), ctx)


def devops_deployment(code, message, ctx=VERSION):
    stamp = "2026-05-09T12:37:21.4170280Z ##[error]"
    return _with_preamble(
        stamp + "At least one resource deployment operation failed. Please list deployment operations for details.\n"
        + stamp + "Details:\n" + stamp + "BadRequest: " + json.dumps(envelope(code, message, ctx.target), indent=2)
        + " undefined\n" + stamp + "Task failed while creating or updating the template deployment.\n", ctx)


def markdown(code, message, ctx=VERSION):
    lines = ["> **Error** ({}) **{}**".format(code, message), "> ", "> it fails every time"]
    return _with_preamble("\n".join(lines) + "\n", ctx)


def packer_padded(code, message, ctx=VERSION):
    """A Packer line as some CI log viewers show it: a run of spaces in the middle of a word."""
    words = [found for found in re.finditer(r"[A-Za-z]{6,}", message)]
    middle = words[len(words) // 2] if words else None
    if middle is not None:
        split = middle.start() + 3
        message = message[:split] + " " * 18 + message[split:]
    return _with_preamble("==> azure-arm.ubuntu: ERROR: -> {} : {}\n".format(code, message), ctx)


def terraform_broken(code, message, ctx=VERSION):
    """autorest's Code="..." Message="..." with a line feed inside the message."""
    quoted = go_quote(message)
    space = quoted.find(" ", len(quoted) // 2)
    if space > 0:
        quoted = quoted[:space] + "\n" + quoted[space + 1:]
    return _with_preamble('\u2502 Error: creating {}: compute.GalleryImageVersionsClient#CreateOrUpdate: Failure '
                          'sending request: StatusCode=0 -- Original Error: Code={} Message={} '
                          'Target="{}"\n'.format(ctx.summary, go_quote(code), quoted, ctx.target), ctx)


KINDS = {
    "az-debug": az_debug, "az-debug-colour": az_debug_colour, "az-debug-bare": az_debug_bare,
    "az-debug-ci": az_debug_ci,
    "az-debug-crlf": az_debug_crlf, "az-debug-wrapped": az_debug_wrapped, "az-error": az_error_only,
    "ps-debug": powershell_debug, "ps-record": powershell_record, "arm-json": arm_json,
    "arm-nested": arm_nested, "arm-lro": arm_lro, "arm-pretty": arm_pretty, "packer": packer,
    "terraform": terraform, "terraform-new": terraform_new, "plain": plain,
    # the wrapper forms of tests/corpus/README.md
    "python-sdk": python_sdk, "python-tool-exception": python_tool_exception, "java-sdk": java_sdk,
    "java-cloud-exception": java_cloud_exception, "go-sdk-block": go_sdk_block, "go-sdk-quoted": go_sdk_quoted,
    "ansible": ansible, "ansible-escaped": ansible_escaped, "escaped-deployment": escaped_deployment,
    "escaped-twice": escaped_twice, "klog": klog, "pulumi": pulumi, "image-builder-status": image_builder_status,
    "image-builder-list": image_builder_list, "ps-view": powershell_view, "ps-cut": powershell_cut,
    "bicep-deployment": bicep_deployment, "devops-deployment": devops_deployment, "markdown": markdown,
    "packer-padded": packer_padded, "terraform-broken": terraform_broken,
}
# Kinds whose text names the resource (the request URL, the tool's summary).
WITH_REQUEST = ("az-debug", "az-debug-colour", "az-debug-bare", "az-debug-ci", "az-debug-crlf", "ps-debug",
                "go-sdk-block")


def samples():
    cases = []
    for entry in knowledge.load():
        for number, sample in enumerate(entry.data.get("samples") or []):
            lang = sample.get("lang", "en")
            cases.append(pytest.param(entry, sample, id="{}#{}-{}".format(entry.id, number, lang)))
    return cases


SAMPLES = samples()


def _check(entry, sample, findings, kind, ctx=VERSION):
    assert len(findings) == 1, [(finding["id"], finding["line"], finding["message"]) for finding in findings]
    finding = findings[0]
    assert finding["id"] == entry.id, (finding["id"], finding["message"], finding["nearest"])
    # A display region name is given in its short form, a translated OS state in the API's word
    # (what a command line takes).
    for name, value in api_words(sample.get("values") or {}).items():
        same = regions.same if name in REGION_KEYS else (lambda one, two: one.lower() == two.lower())
        assert same(str(finding["values"].get(name)), str(value)), (name, finding["values"])
    if kind in WITH_REQUEST:
        assert {key: finding["resource"].get(key) for key in ctx.resource} == ctx.resource
    if kind == "terraform" and ctx is VERSION:
        assert {key: finding["resource"].get(key) for key in ctx.resource if key != "subscription"} == \
            {key: value for key, value in ctx.resource.items() if key != "subscription"}
    assert finding["count"] == 1
    assert finding["title"] and finding["cause"] and finding["fix"] is not None
    assert finding["confidence"] in ("high", "medium", "low") and finding["matched_by"]


def test_the_matrix_is_not_empty():
    assert len(SAMPLES) >= 1


@pytest.mark.parametrize("entry,sample", SAMPLES)
def test_sample_in_every_input_kind(entry, sample):
    code, message = clean_sample(entry, sample["text"])
    if sample.get("lang", "en") != "en":
        # The seed translations give the text only, so a user can only paste it.
        ctx = context_for(entry)
        _check(entry, sample, explain_text(_with_preamble(sample["text"], ctx)).findings, "plain", ctx)
        return
    ctx = context_for(entry)
    failures = []
    for kind, build in KINDS.items():
        try:
            _check(entry, sample, explain_text(build(code, message, ctx=ctx)).findings, kind, ctx)
        except AssertionError as exc:
            failures.append("{}: {}".format(kind, exc))
    assert not failures, "\n".join(failures)

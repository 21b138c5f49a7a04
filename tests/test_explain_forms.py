"""The wrapper forms (explain/forms): each turns what a tool puts around an error into the shapes
the parser reads, and leaves alone what is not its form. The matrix test (test_explain_matrix.py)
runs every entry through every form; these pin down each rewrite."""

import json

from azext_sig_doctor.explain import armjson, explain_text, forms, parse
from azext_sig_doctor.explain.forms import console, escapes, gosdk, gutters, markup, padding

REGION = ("Gallery image version publishing profile regions 'westeurope' must contain the location of image "
          "version 'eastus'.")


def rewritten(text):
    return forms.rewrite(text)[0]


def test_markdown_emphasis_and_quotes_go_but_names_with_underscores_stay():
    assert markup.clean("**_Creating a VM requires Plan information in the request_**. OS disk") == \
        "Creating a VM requires Plan information in the request. OS disk"
    assert markup.clean("_Cannot find an image named 'x' in the resource group 'y'_") == \
        "Cannot find an image named 'x' in the resource group 'y'"
    kept = "The provided resource name 'gal_' has these invalid trailing characters: '_'. Standard_D2s_v3"
    assert markup.clean(kept) == kept
    assert markup.detect("'Authorization': '*****'") is False
    assert rewritten("> (InvalidParameter) " + REGION + "\n> \n> it fails") .startswith("(InvalidParameter)")


def test_a_bold_word_is_markup_but_python_names_in_a_traceback_are_not():
    assert markup.clean("is not available in __westus__ region") == "is not available in westus region"
    traceback = ('  File "cli/core/commands/__init__.py", line 820, in _run_jobs_serially\n'
                 '    results.append(self.__call__(**kwargs))\n'
                 '  File "azure/core/tracing/decorator.py", line 119, in wrapper_use_tracer\n'
                 '    return func(*args, **kwargs)\n')
    assert markup.detect(traceback) is False


def test_literal_escapes_are_decoded_but_json_strings_are_left_to_the_json_reader():
    assert escapes.unescape('Azure Error: X\\nMessage: a \\"quoted\\" word') == \
        'Azure Error: X\nMessage: a "quoted" word'
    assert escapes.unescape('\\\\\\"twice\\\\\\"') == '"twice"'
    assert escapes.unescape("C:\\new\\file") == "C:\\new\\file"  # a Windows path is no line feed
    body = json.dumps({"error": {"code": "X", "message": 'a "quoted" word'}})
    assert rewritten(body) == body
    embedded = '  "statusMessage": ' + json.dumps(json.dumps({"status": "Failed", "error": {"code": "C",
                                                                                              "message": "m"}})) + ","
    assert rewritten(embedded).strip().startswith('{"status": "Failed"')


def test_packer_padding_inside_a_word_is_closed_but_label_columns_stay():
    assert padding.clean('Code="PropertyCha                  ngeNotAllowed"') == 'Code="PropertyChangeNotAllowed"'
    label = "==> azure-arm:  -> Shared Image Gallery             : 'corp'"
    assert rewritten(label) == label


def test_a_console_cut_is_joined_only_where_lines_go_on_mid_word():
    record = ("New-AzVM: The requested size for resource 'x' is currently not available in location 'West Europe' "
              "for subscription 'y'. Please try another size or deploy to a different location or zones. See "
              "https://aka.ms/azureskunotavailable for details.")
    lines = [record[start:start + 100] for start in range(0, len(record), 100)]
    assert console.detect("\n".join(lines))
    assert rewritten("\n".join(lines)) == record
    # One line of the widest length is no proof of a console's width.
    assert not console.detect(record[:100] + "\n" + record[100:150])
    # A wrapped list (indented) or repeated log bodies of one length are no console cut.
    listed = "Message : " + "a" * 80 + "\n" + " " * 10 + "b" * 80 + "\nother"
    assert not console.detect(listed)


def test_powershell_views_become_records():
    view = "\n".join(["New-AzGalleryImageVersion: C:\\build\\publish.ps1:12", "Line |",
                      "  12 |  New-AzGalleryImageVersion -ResourceGroupName rg-img `",
                      "     |  ~~~~~~~~~~~~~~~~~~~~~~~~~~", "     | " + REGION[:60],
                      "     | " + REGION[60:] + " ErrorCode: InvalidParameter ErrorMessage: " + REGION,
                      "     | ErrorTarget: galleryImageVersion.properties StatusCode: 400"])
    text = rewritten(view)
    assert "ErrorCode: InvalidParameter" in text.splitlines()
    assert gutters.clean("a b ErrorCode: X ErrorMessage: the message ErrorTarget: t") == "the message"
    [observation] = parse.observations(text)
    assert observation.code == "InvalidParameter" and observation.source == "powershell"


def test_the_go_sdk_block_gives_its_request_and_its_code():
    block = "\n".join(["PUT https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/"
                       "Microsoft.Compute/virtualMachines/vm1", "-" * 80, "RESPONSE 404: 404 Not Found",
                       "ERROR CODE: GalleryImageNotFound", "-" * 80, '"The gallery image .../img/versions/1.0.0',
                       ' is not available in westus2 region."'])
    text = rewritten(block)
    assert "Request URL: 'https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/" \
           "Microsoft.Compute/virtualMachines/vm1'" in text
    assert "(GalleryImageNotFound) The gallery image .../img/versions/1.0.0 is not available in westus2 region." in text
    assert gosdk.detect(block)


def test_ansible_results_and_azure_error_lines():
    result = {"changed": False, "msg": "Error creating image img1 - Azure Error: InvalidParameter\nMessage: Required "
                                       "parameter 'hyperVGeneration' is missing (null).\nTarget: hyperVGeneration"}
    text = rewritten("fatal: [localhost]: FAILED! => " + json.dumps(result))
    assert "(InvalidParameter) Required parameter 'hyperVGeneration' is missing (null)." in text.splitlines()
    finding = explain_text("fatal: [localhost]: FAILED! => " + json.dumps(result)).findings[0]
    assert finding["id"] == "image.hyperv-generation-required" and finding["source"] == "ansible"


def test_sdk_exceptions_lose_their_class_but_a_quoted_one_stays():
    assert rewritten("lisa.util.LisaException: (AuthorizationFailed) denied") == "(AuthorizationFailed) denied"
    assert rewritten('Exception in thread "main" com.microsoft.azure.CloudException: m.: m.') == "ERROR: m."
    field = "ErrorMessage: NotImplementedError: APIVersion 2019-12-01 is not available"
    assert rewritten(field) == field


_REFUSED_IMAGE_READ = (
    "(AuthorizationFailed) The client 'deploy@contoso.com' with object id '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f' does "
    "not have authorization to perform action 'Microsoft.Compute/galleries/images/read' over scope "
    "'/subscriptions/3f2a1c5e-8d4b-4e6f-9a7c-1b2d3e4f5a6b/resourceGroups/rg-images/providers/Microsoft.Compute/"
    "galleries/corpGallery/images/ubuntu2204' or the scope is invalid. If access was recently granted, please "
    "refresh your credentials.")


def test_an_image_read_refused_to_azs_validators_is_the_vms_and_any_other_stays_the_gallerys():
    # az vm/vmss create read the gallery image while validating their arguments (ValidationError).
    [finding] = explain_text("ValidationError: " + _REFUSED_IMAGE_READ).findings
    assert (finding["id"], finding["source"]) == ("vm.no-read-access-to-image", "az-validation")
    assert finding["values"]["resource_id"].endswith("/galleries/corpGallery/images/ubuntu2204")
    for wrapper in ("azure.core.exceptions.HttpResponseError: ", "lisa.util.LisaException: ", ""):
        [finding] = explain_text(wrapper + _REFUSED_IMAGE_READ).findings
        assert finding["id"] == "sharing.authorization-failed", wrapper


def test_sig_doctors_own_refusal_keeps_azures_code_after_a_traceback():
    text = ("Traceback (most recent call last):\n"
            "  File \"runner.py\", line 113, in _raise_explained\n"
            "azure.cli.core.azclierror.AzureResponseError: Azure refused to create the gallery bad-gal: "
            "The gallery name breaks the gallery naming rules [gallery.name-invalid]\n"
            "Azure said: (InvalidParameter) Gallery name is invalid. Allowed characters are English "
            "alphanumeric characters, with underscores, and periods allowed in the middle, up to 80 "
            "characters total.\n"
            "ERROR: Azure refused to create the gallery bad-gal: The gallery name breaks the gallery "
            "naming rules [gallery.name-invalid]\n"
            "Azure said: (InvalidParameter) Gallery name is invalid. Allowed characters are English "
            "alphanumeric characters, with underscores, and periods allowed in the middle, up to 80 "
            "characters total.\n")
    [finding] = explain_text(text).findings
    assert (finding["id"], finding["code"]) == ("gallery.name-invalid", "InvalidParameter")
    assert finding["message"].startswith("Gallery name is invalid.")


def test_deployment_and_image_builder_lines_keep_what_the_tool_said_before_them():
    text = rewritten("New-AzResourceGroupDeployment: 6:37:27 PM - Error: Code=InvalidParameter; Message=" + REGION)
    assert text == "(InvalidParameter) " + REGION
    tf = rewritten('Error: creating Image Version "1.0.0": Code="X" Message="Deployment failed. Correlation ID: '
                   'abc. Failed in building/customizing image: exit status 1"')
    assert tf.splitlines()[0].startswith('Error: creating Image Version "1.0.0"')
    listing = rewritten("LastRunStatusMessage         : Internal error occurred. This is a generic error. To go\n"
                        "                               https://aka.ms/azvmimagebuilderts.\n"
                        "LastRunStatusRunState        : Failed")
    assert listing.splitlines()[0] == ("ERROR: Internal error occurred. This is a generic error. To go "
                                       "https://aka.ms/azvmimagebuilderts.")


def test_a_message_broken_by_a_line_feed_inside_its_quotes_is_read_whole():
    text = ('Error: compute.Client#CreateOrUpdate: Original Error: Code="InvalidParameter" Message="Gallery image '
            "version publishing profile regions 'westeurope' must contain\nthe location of image version 'eastus'.\" "
            'Target="galleryImageVersion.properties.publishingProfile.targetRegions"')
    [finding] = explain_text(text).findings
    assert finding["values"] == {"regions": "westeurope", "source_region": "eastus"}
    assert finding["target"] == "galleryImageVersion.properties.publishingProfile.targetRegions"


def test_pulumi_doubled_quotes_and_its_source():
    text = ('  azure-native:compute:GalleryImageVersion (v1):\n    error: Status=400 Code="InvalidParameter" '
            'Message=""' + REGION + '""')
    [finding] = explain_text(text).findings
    assert finding["id"] == "version.source-region-not-targeted" and finding["source"] == "pulumi"


_TRACED_FAILURE = (
    "DEBUG: cli.azure.cli.core.sdk.policies: Request URL: 'https://management.azure.com/subscriptions/"
    "00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Compute/galleries/gal1"
    "?api-version=2023-07-03'\n"
    "DEBUG: cli.azure.cli.core.sdk.policies: Request method: 'PUT'\n"
    "DEBUG: cli.azure.cli.core.sdk.policies: Response status: 400\n"
    "DEBUG: cli.azure.cli.core.sdk.policies: Response content:\n"
    "DEBUG: cli.azure.cli.core.sdk.policies: {\"error\": {\"code\": \"InvalidParameter\", \"message\": "
    "\"The gallery name 'gal-1' is invalid.\"}}\n"
    "ERROR: (InvalidParameter) The gallery name 'gal-1' is invalid.\n")
_NOT_IN_REGION = ("The gallery image /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg2/providers/"
                  "Microsoft.Compute/galleries/g2/images/win2022 is not available in eastus2 region.")


def test_another_tools_error_after_a_traced_request_is_still_read_out_of_its_wrapper():
    # az's own log lines need no wrapper search; the lines another tool printed next to them do.
    java = ('Exception in thread "main" com.microsoft.azure.CloudException: Async operation failed with '
            "provisioning state: Failed: " + _NOT_IN_REGION)
    findings = explain_text(_TRACED_FAILURE + java + "\n").findings
    assert [finding["line"] for finding in findings] == [5, 7]
    assert findings[1]["id"] == "vm.definition-not-in-region"


def test_forms_only_rewrite_what_they_find_and_keep_line_numbers():
    plain = "just a line\nanother one"
    assert forms.detect(plain) == []
    text, numbers, _ = forms.rewrite('first\n"msg": "a - Azure Error: X\\nMessage: m"', first_line=10)
    assert numbers[0] == 10 and all(number == 11 for number in numbers[1:])


def test_an_instance_views_statuses_are_no_errors_but_its_error_level_is():
    ok = ('{"statuses": [{"code": "ProvisioningState/succeeded", "level": "Info", "displayStatus": "Ready", '
          '"message": "Guest Agent is running"}, {"code": "PowerState/running", "level": "Info"}]}')
    assert list(armjson.find_errors(ok)) == []
    assert list(armjson.find_errors(ok[:120])) == []  # cut short
    failed = ('{"statuses": [{"code": "ProvisioningState/failed/OSProvisioningTimedOut", "level": "Error", '
              '"message": "OS Provisioning for VM did not finish in the allotted time."}]}')
    [(_, _, part)] = armjson.find_errors(failed)
    assert part.code == "ProvisioningState/failed/OSProvisioningTimedOut"


def test_runs_of_spaces_are_closed_only_in_what_packer_printed():
    table = "its input held key1       FULL           secretvalue and nothing else"
    assert forms.clean_message(table) == table
    assert forms.clean_message('Code="PropertyCha                  ngeNotAllowed"', padded=True) == \
        'Code="PropertyChangeNotAllowed"'


def test_only_what_another_tool_could_have_wrapped_is_searched_for_forms_in_a_traced_log():
    window = parse.read(_TRACED_FAILURE, 1)
    lines = [
        "DEBUG: cli.azure.cli.core.sdk.policies: Response status: 400",
        "Traceback (most recent call last):",
        '  File "/opt/az/lib/python3.11/site-packages/knack/cli.py", line 233, in invoke',
        "    cmd_result = self.invocation.execute(args)",
        "                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
        "fatal: [localhost]: FAILED! => {}",
        "    indented output of another tool",
    ]
    assert window.others(lines) == ["Traceback (most recent call last):", "fatal: [localhost]: FAILED! => {}",
                                    "    indented output of another tool"]
    # Without a traced request nothing is the client's own.
    assert parse.read("fatal: [localhost]: FAILED! => {}\n", 1).others(lines) == lines

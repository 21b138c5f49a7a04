"""A refused create becomes knowledge-base guidance; an unknown error keeps Azure's words."""

import json

import pytest
from azure.core.exceptions import HttpResponseError

from azext_sig_doctor.create import errors


class _Response:
    """The part of an azure-core HTTP response that HttpResponseError reads."""

    def __init__(self, status, body):
        self.status_code = status
        self.reason = "Bad Request"
        self.headers = {"Content-Type": "application/json"}
        self.content_type = "application/json"
        self.request = None
        self._text = json.dumps(body)

    def text(self, encoding=None):  # pylint: disable=unused-argument
        return self._text

    def body(self):
        return self._text.encode()


def refusal(status, code, message, details=None):
    error = {"code": code, "message": message}
    if details:
        error["details"] = details
    return HttpResponseError(response=_Response(status, {"error": error}))


def operation_failure(code, message):
    """What azure-core raises when the long-running operation's status is Failed."""
    return HttpResponseError(response=_Response(200, {"status": "Failed", "error": {"code": code, "message": message}}))


VERSION_PATH = ("/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/"
                "galleries/gal/images/img/versions/1.0.0")
GALLERY_PATH = VERSION_PATH.split("/images/")[0]


def test_known_put_refusal_is_explained_with_its_entry():
    from azure.cli.core.azclierror import AzureResponseError
    exc = refusal(409, "Conflict", "The gallery name 'gal' is not unique within the subscription "
                                   "'00000000-0000-0000-0000-000000000001'. Please pick another gallery name.")
    explained = errors.explain_failure(exc, "gallery gal", GALLERY_PATH, {"location": "eastus"})
    assert isinstance(explained, AzureResponseError)
    text = str(explained)
    assert "gallery.name-not-unique" in text and "gallery gal" in text
    assert "(Conflict) The gallery name 'gal' is not unique" in text
    advice = "\n".join(explained.recommendations)
    assert advice.startswith("Why: ") and "\nFix: " in advice
    assert "az sig list --subscription 00000000-0000-0000-0000-000000000001" in advice
    assert "az sig doctor error show --id gallery.name-not-unique" in advice


def test_operation_failure_is_explained_too():
    exc = operation_failure("CrpPirReplicationJobsNotCompleted", "Replication job not completed at region: westus")
    explained = errors.explain_failure(exc, "image version gal/img/1.0.0", VERSION_PATH)
    assert "replication.job-not-completed" in str(explained)
    advice = "\n".join(explained.recommendations)
    assert "az sig image-version show -g rg -r gal -i img -e 1.0.0 --expand ReplicationStatus" in advice
    assert "name=westus" in advice


def test_a_404_stays_a_not_found_error():
    from azure.cli.core.azclierror import ResourceNotFoundError
    exc = refusal(404, "ParentResourceNotFound", "Can not perform requested operation on nested resource. "
                                                 "Parent resource 'gal' not found.")
    explained = errors.explain_failure(exc, "image definition gal/img", VERSION_PATH.split("/versions/")[0])
    if explained is None:
        pytest.fail("the knowledge base should know ParentResourceNotFound")
    assert isinstance(explained, ResourceNotFoundError)


def test_a_detail_message_is_matched_when_the_top_message_is_generic():
    exc = refusal(400, "InvalidParameter", "One or more errors occurred.", details=[
        {"code": "InvalidParameter", "message": "Gallery image version publishing profile regions 'westus' must "
                                                "contain the location of image version 'eastus'."}])
    explained = errors.explain_failure(exc, "image version gal/img/1.0.0", VERSION_PATH)
    assert "version.source-region-not-targeted" in str(explained)


def test_unknown_error_matches_no_entry():
    exc = refusal(400, "SomethingNew", "A message no knowledge-base entry knows about, zzyzx.")
    assert errors.explain_failure(exc, "gallery gal", GALLERY_PATH, {"location": "eastus"}) is None
    read = errors.ServiceError.from_exception(exc)
    assert read.printed() == "(SomethingNew) A message no knowledge-base entry knows about, zzyzx."


@pytest.mark.parametrize("exc, error_type", [
    (refusal(400, "SomethingNew", "A message no knowledge-base entry knows about, zzyzx."), "BadRequestError"),
    (operation_failure("SomethingNew", "A message no knowledge-base entry knows about, zzyzx."), "UnknownError"),
], ids=["put", "operation"])
def test_unknown_error_keeps_azures_words_and_gets_a_recommendation(exc, error_type):
    from azure.cli.core.util import extract_common_error_message
    inspect = ["az sig doctor replication -g rg -r gal -i img -e 1.0.0",
               "az sig image-version show -g rg -r gal -i img -e 1.0.0 --expand ReplicationStatus"]
    error = errors.unknown_failure(exc, inspect)
    assert type(error).__name__ == error_type           # the type az itself would give it
    assert str(error) == extract_common_error_message(exc)
    assert str(error).startswith("(SomethingNew) A message no knowledge-base entry knows about, zzyzx.")
    advice = "\n".join(error.recommendations)
    assert "See what Azure made of it: " + inspect[0] in advice and "  or: " + inspect[1] in advice
    assert "az sig doctor explain --log sig-debug.log" in advice and "--message" not in advice


def test_unknown_error_text_masks_a_secret():
    sas = "https://acct.blob.core.windows.net/vhds/os.vhd?sv=2022-11-02&sig=abcdEFGH1234abcdEFGH1234abcdEFGH1234abcd%3D"
    exc = refusal(400, "SomethingNew", "Cannot read blob {}.".format(sas))
    assert "abcdEFGH1234" not in str(errors.unknown_failure(exc, []))


@pytest.mark.parametrize("kind, names, expected", [
    ("gallery", {"resource_group": "rg", "gallery": "gal"}, ["az sig show -g rg -r gal"]),
    ("definition", {"resource_group": "rg", "gallery": "gal", "image": "img"},
     ["az sig image-definition show -g rg -r gal -i img"]),
    ("version", {"resource_group": "rg", "gallery": "gal", "image": "img", "version": "1.0.0"},
     ["az sig doctor replication -g rg -r gal -i img -e 1.0.0",
      "az sig image-version show -g rg -r gal -i img -e 1.0.0 --expand ReplicationStatus"]),
])
def test_inspect_commands_name_the_resource_of_the_create(kind, names, expected):
    from azext_sig_doctor.create import runner
    assert runner.inspect_commands(kind, names) == expected


def test_service_error_read_from_a_printed_message():
    read = errors.ServiceError.from_exception(Exception("(Conflict) It clashed.\nCode: Conflict\nMessage: It clashed."))
    assert (read.code, read.message) == ("Conflict", "It clashed.")


def test_request_path_and_body_fill_the_next_commands():
    body = {"location": "eastus", "properties": {"publishingProfile": {"targetRegions": [{"name": "westus"}]}}}
    exc = refusal(400, "InvalidParameter", "Gallery image version publishing profile regions 'West US' must contain "
                                           "the location of image version 'eastus'.")
    line = ["sig", "doctor", "create-version", "-g", "rg", "-r", "gal", "-i", "img", "-e", "1.0.0", "--managed-image",
            "base", "--target-regions", "westus", "--timeout", "2h"]
    explained = errors.explain_failure(exc, "image version gal/img/1.0.0", VERSION_PATH, body, line)
    advice = "\n".join(explained.recommendations)
    # The user's own guarded create, the doctor's options kept, the home region added.
    assert ("Fixed command: az sig doctor create-version -g rg -r gal -i img -e 1.0.0 --managed-image base "
            "--target-regions eastus westus --timeout 2h") in advice


def test_same_entry_as_explain_gives_for_the_pasted_message():
    from azext_sig_doctor.explain import explain_text
    message = "(CrpPirReplicationJobsNotCompleted) Replication job not completed at region: westus"
    pasted = explain_text(message)
    finding = errors.match_error("CrpPirReplicationJobsNotCompleted", "Replication job not completed at region: westus")
    assert finding["id"] == "replication.job-not-completed"
    assert [item["id"] for item in pasted.findings] == [finding["id"]]
    assert pasted.findings[0]["values"] == finding["values"]

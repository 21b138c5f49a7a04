"""Recognition by signals: a wording, key phrases, the code, the target and the operation, each
finding with its confidence and the signals that matched; below the threshold an error stays
unknown with the nearest entries and their scores."""

import json

from azext_sig_doctor import knowledge, matching, signatures
from azext_sig_doctor.explain import explain_text
from tests.test_explain_matrix import SUBSCRIPTION, az_debug

GALLERY_SCOPE = ("/subscriptions/{}/resourceGroups/rg-shared/providers/Microsoft.Compute/galleries/corpImages"
                 .format(SUBSCRIPTION))
READ_REFUSED = ("The client 'ci@contoso.com' with object id '2b7c9d1e-4f3a-4e6b-8c2d-9a1b3c5d7e9f' does not have "
                "authorization to perform action 'Microsoft.Compute/galleries/images/versions/read' over scope "
                "'{}/images/ubuntu22/versions/1.0.0' or the scope is invalid.".format(GALLERY_SCOPE))


def only(text):
    [finding] = explain_text(text).findings
    return finding


def test_a_whole_wording_with_its_code_is_high_confidence():
    finding = only("(InvalidParameter) Duplicate regions are not allowed in target publishing regions.")
    assert finding["id"] == "version.duplicate-regions"
    assert finding["confidence"] == "high"
    assert finding["matched_by"][:2] == ["message", "phrase"] and "code" in finding["matched_by"]


def test_a_reworded_message_is_recognised_by_its_key_phrase():
    # Not the template's sentence, but the words that survive a rewording.
    finding = only("The replication was refused: Duplicate regions are not allowed in target publishing regions "
                   "(check the list you gave).")
    assert finding["id"] == "version.duplicate-regions"
    reworded = only("Provisioning failed. Creating the VM requires Plan information in the request for this image.")
    assert reworded["id"] == "vm.plan-required"
    assert reworded["matched_by"] == ["phrase"] and reworded["confidence"] == "medium"


def test_a_phrase_backed_by_the_code_is_high_confidence():
    finding = only("(VMMarketplaceInvalidInput) Your VM requires Plan information in the request, please add it.")
    assert finding["id"] == "vm.plan-required"
    assert finding["matched_by"] == ["phrase", "code"] and finding["confidence"] == "high"


def test_a_code_only_one_error_uses_is_low_confidence_on_its_own():
    finding = only("RESPONSE 404: 404 Not Found\nERROR CODE: PlatformImageNotFound\n" + "-" * 80 + "\n{")
    assert finding["id"] == "vm.platform-image-not-found"
    assert finding["matched_by"] == ["code"] and finding["confidence"] == "low"


def test_a_shared_code_alone_names_no_entry_and_the_nearest_come_with_scores():
    finding = only("(InvalidParameter) The unicorn parameter of the gallery image version is out of its field.")
    assert finding["id"] is None and finding["confidence"] is None and finding["matched_by"] == []
    assert finding["nearest"] and len(finding["nearest_scores"]) == len(finding["nearest"])
    assert all(0 < score <= 1.25 for score in finding["nearest_scores"])
    assert finding["nearest_scores"] == sorted(finding["nearest_scores"], reverse=True)


def test_family_guidance_is_low_confidence_and_needs_a_gallery():
    finding = only("(AuthorizationFailed) " + READ_REFUSED)
    assert finding["id"] == "sharing.authorization-failed"
    assert finding["confidence"] == "low"
    assert finding["values"]["action"] == "Microsoft.Compute/galleries/images/versions/read"
    assert (finding["values"]["gallery"], finding["values"]["image"]) == ("corpImages", "ubuntu22")
    assert any("az role assignment create" in command for command in finding["commands"])
    # The same refusal on a storage account is no gallery matter: unknown.
    storage = READ_REFUSED.replace("Microsoft.Compute/galleries/images/versions/read",
                                   "Microsoft.Storage/storageAccounts/read").replace(
        GALLERY_SCOPE + "/images/ubuntu22/versions/1.0.0",
        "/subscriptions/{}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1".format(SUBSCRIPTION))
    assert only("(AuthorizationFailed) " + storage)["id"] is None


def test_a_specific_entry_wins_over_family_guidance_in_its_context():
    vm_path = "/subscriptions/{}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm1".format(
        SUBSCRIPTION)
    log = az_debug("AuthorizationFailed", READ_REFUSED).replace(
        "/resourceGroups/rg-img/providers/Microsoft.Compute/galleries/galA/images/imgA/versions/1.2.3", vm_path[
            len("/subscriptions/" + SUBSCRIPTION):])
    finding = explain_text(log).findings[0]
    assert finding["id"] == "vm.no-read-access-to-image"
    assert "operation" in finding["matched_by"] and finding["confidence"] == "high"


def test_a_requirement_keeps_an_entry_out_of_errors_about_something_else():
    subnet = ("(LinkedAuthorizationFailed) The client has permission to perform action "
              "'Microsoft.Network/virtualNetworks/subnets/join/action' on scope '/subscriptions/{0}/resourcegroups/rg/"
              "providers/Microsoft.Compute/virtualMachineScaleSets/ss1', however the current tenant "
              "'c5d6e7f8-0a1b-4c2d-9e3f-4a5b6c7d8e9f' is not authorized to access linked subscription '{0}'."
              .format(SUBSCRIPTION))
    assert only(subnet)["id"] is None


def test_an_entry_carries_several_wordings_each_one_line_of_data():
    older = only("(PropertyChangeNotAllowed) Changing property "
                 "'galleryImageVersion.properties.publishingProfile.source.managedImage.id' is not allowed.")
    assert older["id"] == "version.source-id-change-not-allowed"
    assert older["values"]["property"] == "galleryImageVersion.properties.publishingProfile.source.managedImage.id"
    entry = knowledge.get("version.source-id-change-not-allowed")
    assert any(signature.get("note") for signature in entry.signatures)


def test_the_target_is_a_signal_and_the_value_of_a_property_placeholder():
    record = "\n".join(["New-AzGalleryImageDefinition : Specialized images are not supported in Put gallery image "
                        "api as of yet.", "ErrorCode: InvalidParameter",
                        "ErrorMessage: Specialized images are not supported in Put gallery image api as of yet.",
                        "ErrorTarget: galleryImage.properties.osState", "StatusCode: 400"])
    finding = explain_text(record).findings[0]
    assert finding["id"] == "definition.specialized-needs-newer-api"
    assert "target" in finding["matched_by"]
    assert finding["values"]["property"] == "galleryImage.properties.osState"


def test_the_operation_from_the_request_picks_between_entries_with_one_wording():
    message = "The value of parameter imageReference is invalid."
    disk = json.dumps({"error": {"code": "InvalidParameter", "message": message, "target": "imageReference"}})
    assert only(disk)["id"] == "disk.create-from-managed-image-unsupported"
    from_gallery = ("az disk create -g rg -n d1 --gallery-image-reference /subscriptions/{}/resourceGroups/rg/"
                    "providers/Microsoft.Compute/galleries/g/images/i/versions/1.0.0 --gallery-image-reference-lun 3\n"
                    .format(SUBSCRIPTION) + disk)
    assert only(from_gallery)["id"] == "disk.image-reference-lun-missing"


def test_clues_are_scored_without_the_cli():
    clue = matching.Clue("Duplicate regions are not allowed in target publishing regions.", "InvalidParameter")
    best = matching.best(clue)
    assert best.entry.id == "version.duplicate-regions" and best.confidence == "high"
    assert [candidate.entry.id for candidate in matching.candidates(matching.Clue("nothing to see"))] == []


def test_anchors_are_words_every_match_holds():
    assert signatures.anchors("Source virtual machine {source_id} cannot contain an ephemeral OS disk.", "template") \
        == ("ephemeral", "contain", "machine", "virtual", "cannot", "source", "disk")
    regex = r"[Cc]annot\s+attach\s+(?:an\s+)?existing\s+OS\s+disk|never"
    assert signatures.anchors(regex, "regex") == ()  # an alternative at the top: no word is required
    assert set(signatures.anchors(r"[Cc]annot\s+attach\s+(?:an\s+)?existing\s+OS\s+disks?", "regex")) == {
        "cannot", "attach", "existing", "disk"}


def test_runs_of_blanks_are_one_blank_to_the_wordings():
    # A padded table or a console cut puts hundreds of blanks between words; the localized wordings
    # allow blanks around their values, and a long run made them search for minutes.
    from azext_sig_doctor.matching import Clue
    assert Clue("bestaat al in de locatie eastus" + " " * 500 + "in de resourcegroep").message == \
        "bestaat al in de locatie eastus in de resourcegroep"
    assert Clue("first line\n\n\n   \n\nsecond\t\tline").message == "first line\nsecond line"
    text = ("(InvalidResourceLocation) De resource 'contoso_images' bestaat al in de locatie 'eastus'" + " " * 2000 +
            "in de resourcegroep 'rg-images'. Een resource met dezelfde naam kan niet worden gemaakt op locatie "
            "'West Europe'. Selecteer een nieuwe resourcenaam.")
    [finding] = explain_text(text).findings
    assert finding["id"] == "gallery.name-exists-in-other-region"

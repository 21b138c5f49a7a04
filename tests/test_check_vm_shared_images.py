"""`az sig doctor check-vm` on community and direct-shared gallery images, through the real az against
the emulator: the image is read where az vm create reads it (the consumer's subscription and region),
`versions/latest` is resolved as the service resolves it, and the fixed command passes its own check."""

import hashlib
import json

import pytest

CONSUMER = "00000000-0000-0000-0000-000000000001"
PUBLISHER = "00000000-0000-0000-0000-000000000002"
PUB = "/subscriptions/{}/resourceGroups/pub-rg/providers/Microsoft.Compute/galleries/".format(PUBLISHER)
COMMUNITY_ID = PUB + "pubGallery"
# The emulator names a community gallery {publicNamePrefix}-{8 hex of its id} (the service appends
# a GUID of its own: see tests/emulator/shared_images.py).
PUBLIC = "contoso-" + hashlib.sha256(COMMUNITY_ID.lower().encode()).hexdigest()[:8]
UNIQUE = "{}-CORPGALLERY".format(PUBLISHER)


def _definition(gallery, name, security=None):
    properties = {"identifier": {"publisher": "contoso", "offer": "shared", "sku": name}, "osType": "Linux",
                  "osState": "Generalized", "hyperVGeneration": "V2"}
    if security:
        properties["features"] = [{"name": "SecurityType", "value": security}]
    return {"id": PUB + "{}/images/{}".format(gallery, name), "location": "eastus", "properties": properties}


def _version(gallery, image, name, regions=("eastus",), **publishing):
    profile = dict({"targetRegions": [{"name": region} for region in regions]}, **publishing)
    return {"id": PUB + "{}/images/{}/versions/{}".format(gallery, image, name), "location": "eastus",
            "properties": {"publishingProfile": profile,
                           "storageProfile": {"source": {"id": PUB + "pubGallery/images/src/versions/1.0.0"}}}}


def world():
    community = {"id": COMMUNITY_ID, "location": "eastus", "properties": {"sharingProfile": {
        "permissions": "Community", "communityGalleryInfo": {
            "publisherUri": "https://contoso.example", "publisherContact": "images@contoso.example",
            "eula": "https://contoso.example/eula", "publicNamePrefix": "contoso"}}}}
    shared = {"id": PUB + "corpGallery", "location": "eastus", "properties": {"sharingProfile": {
        "permissions": "Groups", "groups": [{"type": "Subscriptions", "ids": [CONSUMER]}]}}}
    resources = [community, shared,
                 _definition("pubGallery", "tl", security="TrustedLaunch"), _definition("pubGallery", "std"),
                 _version("pubGallery", "tl", "1.0.0"), _version("pubGallery", "tl", "1.1.0"),
                 # The newest number, kept out of latest: latest is 1.1.0.
                 _version("pubGallery", "tl", "2.0.0", excludeFromLatest=True),
                 _definition("corpGallery", "ubuntu"), _version("corpGallery", "ubuntu", "1.2.0")]
    groups = [{"name": "vm-rg", "location": "eastus"},
              {"name": "pub-rg", "location": "eastus", "subscription": PUBLISHER}]
    return {"name": "shared-images", "replication": {"seconds": 1, "speed": 600}, "resource_groups": groups,
            "resources": resources}


def _check(az, image, *rest, location="eastus"):
    result = az("sig", "doctor", "check-vm", "-g", "vm-rg", "-n", "web01", "-l", location, "--image", image,
                "--admin-username", "azureuser", "--generate-ssh-keys", *rest, "-o", "json")
    assert result.json is not None, result.stderr[-2000:]
    failing = {f["rule"]: f for f in result.json["findings"] if f["status"] == "fail"}
    return result, failing


@pytest.fixture(scope="module", autouse=True)
def loaded(emulator):
    emulator.load(world())


def test_a_trusted_launch_community_image_gets_the_security_type_it_needs(emulator, az):
    image = "/CommunityGalleries/{}/Images/tl/Versions/latest".format(PUBLIC)
    result, failing = _check(az, image)
    assert result.exit_code == 1
    assert "vm.security-type-matches-image" in failing, failing
    fixed = result.json["fixed_command"]
    assert fixed.startswith("az vm create -g vm-rg -n web01 -l eastus --image " + image) and \
        "--security-type TrustedLaunch" in fixed, fixed
    # The image was read as az vm create reads it: in the consumer's subscription and the VM's region.
    reads = [entry["path"] for entry in emulator.journal() if "/communityGalleries/" in entry["path"]]
    assert reads and all(path.startswith("/subscriptions/{}/providers/Microsoft.Compute/locations/eastus/"
                                         .format(CONSUMER)) for path in reads), reads
    rechecked = emulator.bash(fixed.replace("az vm create ", "az sig doctor check-vm ", 1) + " -o json")
    assert rechecked.returncode == 0, rechecked.stdout[-3000:] + rechecked.stderr[-2000:]
    assert json.loads(rechecked.stdout)["summary"]["fail"] == 0


def test_latest_of_a_community_image_skips_versions_excluded_from_latest(az):
    result, failing = _check(az, "/CommunityGalleries/{}/Images/tl/Versions/latest".format(PUBLIC),
                             "--security-type", "TrustedLaunch")
    assert result.exit_code == 0 and failing == {}, failing
    # Three versions, one excluded from latest.
    latest = next(f for f in result.json["findings"] if f["rule"] == "vm.latest-version-exists")
    assert latest["status"] == "pass" and latest["detail"].startswith("2 version(s) are included in latest")


def test_a_community_image_not_offered_in_the_vms_region_fails(az):
    result, failing = _check(az, "/CommunityGalleries/{}/Images/std/Versions/latest".format(PUBLIC),
                             location="westus")
    assert result.exit_code == 1 and failing, result.json["findings"]


def test_a_community_image_that_does_not_exist_is_image_not_found(az):
    result, failing = _check(az, "/CommunityGalleries/{}/Images/nope/Versions/latest".format(PUBLIC))
    assert result.exit_code == 1
    assert failing["vm.image-exists"]["error_id"] == "vm.image-not-found", failing


def test_a_direct_shared_image_version_passes(az):
    result, failing = _check(az, "/SharedGalleries/{}/Images/ubuntu/Versions/1.2.0".format(UNIQUE))
    assert result.exit_code == 0 and failing == {}, failing
    assert result.json["target"]["image_scope"] == "shared"


def test_a_gallery_not_shared_with_the_subscription_is_not_found(az):
    result, failing = _check(az, "/SharedGalleries/{}-OTHERGALLERY/Images/ubuntu/Versions/1.2.0".format(PUBLISHER))
    assert result.exit_code == 1
    assert failing["vm.image-exists"]["error_id"] == "vm.image-not-found", failing


@pytest.mark.parametrize("output", ["json", "yaml", "tsv", "table"])
def test_a_secret_typed_with_an_abbreviated_option_never_reaches_the_output(az, output):
    # az takes any unambiguous abbreviation of a long option: --admin-pass is --admin-password.
    secret, data = "Hunter2Secret!x9", "pw=Cust0mDataSecret"
    result = az("sig", "doctor", "check-vm", "-g", "vm-rg", "-n", "web01", "-l", "eastus", "--image",
                "/CommunityGalleries/{}/Images/tl/Versions/latest".format(PUBLIC), "--admin-username", "azureuser",
                "--admin-pass", secret, "--custom-d", data, "-o", output)
    assert result.exit_code == 1
    assert secret not in result.stdout + result.stderr and data not in result.stdout + result.stderr
    if output == "json":
        fixed = result.json["fixed_command"]
        # The line says where the user's own value goes back, and the report says which options.
        assert "--admin-pass '<admin-password>'" in fixed and "--custom-d '<custom-data>'" in fixed, fixed
        assert result.json["fix_details"]["secrets_left_out"] == ["--admin-pass", "--custom-d"]

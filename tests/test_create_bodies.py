"""The typed request reads a command line as the core `az sig … create` commands do, and its body is
the one they send.

The reference is the core itself, run in-process: its validators read the arguments, its AAZ layer
builds the request and the fixture catches the body just before it would go on the wire, so no
network is involved. Where the core refuses arguments, the request refuses them too.
"""

import argparse
import copy

import pytest

from azext_sig_doctor.domain import request as requests
from azext_sig_doctor.domain.bodies import body_of

SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
IMAGE_ID = "/subscriptions/{}/resourceGroups/rg/providers/Microsoft.Compute/images/base".format(SUBSCRIPTION)
VM_ID = "/subscriptions/{}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1".format(SUBSCRIPTION)


class _Caught(Exception):
    pass


_NAMES = {"gallery": dict(resource_group_name="rg", gallery_name="gal"),
          "definition": dict(resource_group_name="rg", gallery_name="gal", gallery_image_name="img"),
          "version": dict(resource_group_name="rg", gallery_name="gal", gallery_image_name="img",
                          gallery_image_version="1.0.0")}


def body(kind, location, **arguments):
    """The body of the typed request that these core arguments make."""
    return body_of(requests.parse(kind, dict(_NAMES[kind], **arguments), SUBSCRIPTION), location)


@pytest.fixture(scope="module")
def core(tmp_path_factory):
    """Runs core builders and returns (body, api-version) of the request they would send."""
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("AZURE_CONFIG_DIR", str(tmp_path_factory.mktemp("azconfig")))
    from azure.cli.core import get_default_cli
    from azure.cli.core.aaz._operation import AAZHttpOperation
    cli = get_default_cli()
    cli.data["subscription_id"] = SUBSCRIPTION
    caught = {}

    def catch_request(operation):
        caught["body"] = operation.content
        caught["api_version"] = operation.query_parameters.get("api-version")
        raise _Caught()

    monkeypatch.setattr(AAZHttpOperation, "__init__", lambda operation, ctx: setattr(operation, "ctx", ctx))
    monkeypatch.setattr(AAZHttpOperation, "make_request", catch_request)

    class Cmd:  # what the core functions read from their `cmd`
        cli_ctx = cli

    def run(function, *args, **kwargs):
        caught.clear()
        try:
            result = function(Cmd(), *args, **kwargs)
            result.result()
        except _Caught:
            pass
        assert "body" in caught, "the core sent nothing"
        return caught["body"], caught["api_version"]

    yield run
    monkeypatch.undo()


# ---- gallery ----------------------------------------------------------------------------------

GALLERY_CASES = [
    {},
    {"description": "builds", "tags": {"team": "img"}},
    {"permissions": "Community", "publisher_uri": "https://example.org", "publisher_contact": "a@example.org",
     "eula": "eula text", "public_name_prefix": "contoso", "soft_delete": True},
    {"permissions": "Groups", "soft_delete": False, "tags": {}},
    {"mi_system_assigned": "True"},
    {"mi_user_assigned": ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/"
                          "userAssignedIdentities/uai"], "mi_system_assigned": "True"},
]


@pytest.mark.parametrize("arguments", GALLERY_CASES)
def test_gallery_body_equals_core(core, arguments):
    from azure.cli.command_modules.vm.operations.sig import SigCreate

    def core_gallery(cmd, **kwargs):
        return SigCreate(cli_ctx=cmd.cli_ctx)(command_args=kwargs)

    expected, _ = core(core_gallery, resource_group="rg", gallery_name="gal", location="eastus",
                       **copy.deepcopy(arguments))
    assert body("gallery", "eastus", **arguments) == expected


def test_community_gallery_without_publisher_details_is_refused():
    from azure.cli.core.azclierror import RequiredArgumentMissingError
    with pytest.raises(RequiredArgumentMissingError) as raised:
        body("gallery", "eastus", permissions="Community", eula="x")
    assert "--publisher-uri" in str(raised.value)


# ---- image definition -------------------------------------------------------------------------

DEFINITION_CASES = [
    {},
    {"hyper_v_generation": "V1"},
    {"features": "IsAcceleratedNetworkSupported=true"},
    {"features": "SecurityType=Standard"},
    {"features": "SecurityType=TrustedLaunch IsHibernateSupported=false", "os_state": "Specialized"},
    {"minimum_cpu_core": 2, "maximum_memory": 16, "disallowed_disk_types": ["Standard_LRS"], "plan_name": "p1",
     "plan_product": "prod", "eula": "e", "end_of_life_date": "2030-01-01", "tags": {"a": "b"},
     "architecture": "Arm64"},
    {"maximum_cpu_core": 8, "minimum_memory": 4, "end_of_life_date": "2031-05-06T10:00:00+02:00"},
]


@pytest.mark.parametrize("arguments", DEFINITION_CASES)
def test_definition_body_equals_core(core, arguments):
    from azure.cli.command_modules.vm import custom
    identity = {"os_type": "Linux", "publisher": "pub", "offer": "off", "sku": "sku"}
    expected, _ = core(custom.create_gallery_image, resource_group_name="rg", gallery_name="gal",
                       gallery_image_name="img", location="westeurope", **identity, **copy.deepcopy(arguments))
    assert body("definition", "westeurope", **identity, **arguments) == expected


def test_malformed_feature_is_a_clear_error():
    from azure.cli.core.azclierror import InvalidArgumentValueError
    with pytest.raises(InvalidArgumentValueError) as raised:
        body("definition", "eastus", os_type="Linux", publisher="p", offer="o", sku="s", features="SecurityType")
    assert "KEY=VALUE" in str(raised.value)


# ---- image version ----------------------------------------------------------------------------

DES = "/subscriptions/{}/resourceGroups/rg/providers/Microsoft.Compute/diskEncryptionSets/".format(SUBSCRIPTION)

VERSION_CASES = [
    {"managed_image": IMAGE_ID},
    {"managed_image": "base", "target_regions": ["eastus", "westus=2", "northeurope=1=Standard_ZRS",
                                                 "westeurope=premium_lrs"],
     "replica_count": 3, "storage_account_type": "Standard_LRS", "exclude_from_latest": True,
     "end_of_life_date": "2030-12-31", "tags": {"build": "42"}},
    {"virtual_machine": VM_ID, "replication_mode": "Shallow", "allow_replicated_location_deletion": True},
    {"image_version": "/subscriptions/{}/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i/"
                      "versions/1.0.0".format(SUBSCRIPTION), "block_deletion_before_end_of_life": False},
    {"os_snapshot": "osdisk", "data_snapshots": ["data0", "data1"], "data_snapshot_luns": ["3", "5"],
     "target_regions": ["eastus", "westus"], "target_region_encryption": ["des1,3,des2,5,des3", "null"]},
    {"os_vhd_uri": "https://sa.blob.core.windows.net/vhds/os.vhd", "os_vhd_storage_account": "sa",
     "data_vhds_uris": ["https://sa.blob.core.windows.net/vhds/d.vhd"], "data_vhds_storage_accounts": ["sa"]},
    {"managed_image": IMAGE_ID, "target_regions": ["eastus"],
     "target_region_cvm_encryption": ["EncryptedWithCmk,cvmdes"]},
    {"managed_image": IMAGE_ID, "target_edge_zones": ["westus=microsoftlosangeles1=2=Standard_LRS",
                                                      "eastus=microsoftnewyork1"],
     "target_zone_encryption": ["microsoftlosangeles1,des1,0,des2", "microsoftnewyork1,null"]},
]


def _core_version(cmd, **arguments):
    """The core command's own path: its validators, then its custom function."""
    from azure.cli.command_modules.vm import _validators, custom
    names = ["managed_image", "virtual_machine", "image_version", "target_regions", "target_region_encryption",
             "target_region_cvm_encryption", "target_edge_zones", "target_zone_encryption"]
    namespace = argparse.Namespace(resource_group_name="rg", **{name: arguments.pop(name, None) for name in names})
    _validators.process_gallery_image_version_namespace(cmd, namespace)
    _validators.process_image_resource_id_namespace(namespace)
    values = {key: value for key, value in vars(namespace).items() if key != "resource_group_name"}
    return custom.create_image_version(cmd, "rg", "gal", "img", "1.0.0", location="eastus", **values, **arguments)


@pytest.mark.parametrize("arguments", VERSION_CASES)
def test_version_body_equals_core(core, arguments):
    expected, _ = core(_core_version, **copy.deepcopy(arguments))
    assert body("version", "eastus", **copy.deepcopy(arguments)) == expected


def test_version_body_fills_names_into_ids():
    sent = body("version", "eastus", os_snapshot="osdisk", target_regions=["eastus"], target_region_encryption=["des1"])
    assert sent["properties"]["storageProfile"]["osDiskImage"]["source"]["id"].endswith("/snapshots/osdisk")
    region = sent["properties"]["publishingProfile"]["targetRegions"][0]
    assert region["encryption"]["osDiskImage"]["diskEncryptionSetId"] == DES + "des1"


REFUSED_VERSION_CASES = [
    ({}, "Please provide --managed-image or --os-snapshot"),
    ({"managed_image": IMAGE_ID, "virtual_machine": VM_ID}, "only one of"),
    ({"managed_image": IMAGE_ID, "target_regions": ["eastus=two"]}, "neither an integer replica count"),
    ({"managed_image": IMAGE_ID, "target_regions": ["eastus=x=Standard_LRS"]}, "must be a valid integer"),
    ({"managed_image": IMAGE_ID, "target_regions": ["eastus=PremiumV2_LRS"]}, "neither an integer replica count"),
    ({"managed_image": IMAGE_ID, "target_regions": ["eastus=2=PremiumV2_LRS"]}, "third part is not a valid"),
    ({"managed_image": IMAGE_ID, "target_regions": ["eastus=2=StandardSSD_LRS"]}, "third part is not a valid"),
    ({"managed_image": IMAGE_ID, "target_regions": ["eastus", "westus"], "target_region_encryption": ["d"]},
     "Length of --target-region-encryption"),
    ({"managed_image": IMAGE_ID, "target_regions": ["eastus"], "target_region_encryption": ["d,0"]},
     "should appear in pair"),
    ({"managed_image": IMAGE_ID, "target_regions": ["eastus"], "target_region_cvm_encryption": ["EncryptedWithCmk"]},
     "Both os_cvm_encryption_type and os_cvm_des parameters are required"),
    ({"managed_image": IMAGE_ID, "target_regions": ["eastus"], "target_region_cvm_encryption": ["Other,des"]},
     "invalid os_cvm_encryption_type"),
    ({"os_vhd_uri": "https://x/os.vhd"}, "should be used together"),
    ({"virtual_machine": "buildVm"}, "is an invalid VM resource id"),
    ({"image_version": IMAGE_ID}, "is an invalid gallery image version id"),
    ({"os_snapshot": "s", "data_snapshot_luns": ["0"]}, "must be used together with --data-snapshots"),
    ({"managed_image": IMAGE_ID, "end_of_life_date": "not a date"}, "Unable to parse"),
]


@pytest.mark.parametrize("arguments, fragment", REFUSED_VERSION_CASES)
def test_version_argument_errors_are_cli_errors(arguments, fragment):
    from azure.cli.core.azclierror import AzCLIError
    with pytest.raises(AzCLIError) as raised:
        body("version", "eastus", **arguments)
    assert fragment in str(raised.value)


@pytest.mark.parametrize("arguments, fragment", [case for case in REFUSED_VERSION_CASES
                                                 if "end_of_life_date" not in case[0]])
def test_what_the_request_refuses_the_core_refuses_too(core, arguments, fragment):
    from azure.cli.core.azclierror import AzCLIError
    with pytest.raises(AzCLIError):
        core(_core_version, **copy.deepcopy(arguments))


# Every spelling of a storage account type az takes inside a --target-regions entry, and every form
# of an encryption list (null OS set, data-only, several data disks, names and ids).
SPELLINGS = ["standard_lrs", "Standard_LRS", "STANDARD_ZRS", "Standard_ZRS", "premium_lrs", "Premium_LRS"]


@pytest.mark.parametrize("storage", SPELLINGS)
def test_every_storage_type_spelling_reads_as_core_reads_it(core, storage):
    arguments = {"managed_image": IMAGE_ID, "target_regions": ["eastus=" + storage, "westus=2=" + storage]}
    expected, _ = core(_core_version, **copy.deepcopy(arguments))
    assert body("version", "eastus", **arguments) == expected


@pytest.mark.parametrize("encryption", [
    ["null", "null"], ["des1", "des2"], ["null,0,des1", "null,0,des2"], ["des1,0,des2,1,des3", "des4,0,des5,1,des6"],
    [DES + "des1,0," + DES + "des2", "des3,0,des4"],
])
def test_every_encryption_list_form_reads_as_core_reads_it(core, encryption):
    arguments = {"os_snapshot": "osdisk", "data_snapshots": ["d0", "d1"], "target_regions": ["eastus", "westus"],
                 "target_region_encryption": encryption}
    expected, _ = core(_core_version, **copy.deepcopy(arguments))
    assert body("version", "eastus", **arguments) == expected


def test_cli_default_values_become_plain_json_values():
    class DefaultStr(str):  # what azure-cli passes for an argument left at its default
        is_default = True

    sent = body("definition", "eastus", os_type="Linux", publisher="p", offer="o", sku="s",
                hyper_v_generation=DefaultStr("V2"), os_state=DefaultStr("Generalized"))
    assert type(sent["properties"]["hyperVGeneration"]) is str
    assert type(sent["properties"]["osState"]) is str

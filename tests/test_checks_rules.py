"""Rules on plain dict resources (no az, no server): every rule fails on a broken world and passes
on the fixed one, with the knowledge-base id it prevents."""

import copy
import re

import pytest

from azext_sig_doctor import checks
from azext_sig_doctor.checks.fetch import FAILED, MISSING, OK, Read
from azext_sig_doctor.domain import request as requests

SUB = "00000000-0000-0000-0000-000000000001"
SUB2 = "00000000-0000-0000-0000-000000000002"
RG = "rg"
COMPUTE = "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Compute/"


def rid(path, sub=SUB, rg=RG):
    return COMPUTE.format(sub, rg) + path


GALLERY = rid("galleries/gal")
IMAGE = rid("galleries/gal/images/img")
VERSION = rid("galleries/gal/images/img/versions/1.0.0")
VM = rid("virtualMachines/buildVm")
DES = rid("diskEncryptionSets/des1")
GALLERY_REGIONS = ["eastus", "westus", "westeurope", "northeurope"]


def disk(name, size=30, sku="Premium_LRS", **props):
    body = {"diskSizeGB": size}
    body.update(props)
    return {"id": rid("disks/" + name), "location": "eastus", "sku": {"name": sku}, "properties": body}


def base_resources():
    """A healthy world: gallery, Gen2 Linux definition, generalized VM with three data disks."""
    vm_disks = [{"lun": lun, "diskSizeGB": 64, "managedDisk": {"id": rid("disks/data%d" % lun),
                                                               "storageAccountType": "Premium_LRS"}}
                for lun in range(3)]
    return [
        {"id": GALLERY, "name": "gal", "location": "eastus", "properties": {}},
        {"id": IMAGE, "name": "img", "location": "eastus", "properties": {
            "identifier": {"publisher": "contoso", "offer": "demo", "sku": "gen2"}, "osType": "Linux",
            "osState": "Generalized", "hyperVGeneration": "V2", "architecture": "x64",
            "features": [{"name": "SecurityType", "value": "Standard"}]}},
        {"id": VM, "name": "buildVm", "location": "eastus", "properties": {
            "storageProfile": {"osDisk": {"osType": "Linux", "diskSizeGB": 30,
                                          "managedDisk": {"id": rid("disks/os"), "storageAccountType": "Premium_LRS"}},
                               "dataDisks": vm_disks},
            "instanceView": {"hyperVGeneration": "V2", "statuses": [{"code": "OSState/generalized"}]}}},
        disk("os", 30, osType="Linux", hyperVGeneration="V2", supportedCapabilities={"architecture": "x64"}),
        disk("data0", 64), disk("data1", 64), disk("data2", 64),
        {"id": DES, "name": "des1", "location": "eastus", "properties": {}},
    ]


class World:
    """A reader over plain ARM dicts (wire names), answering like the live reader would."""

    def __init__(self, resources=None, gallery_regions=GALLERY_REGIONS, zoned=("eastus", "westeurope"),
                 denied=(), errors=(), registration="Registered", missing_groups=()):
        self.resources = {r["id"].lower(): r for r in (resources if resources is not None else base_resources())}
        self.gallery_regions = list(gallery_regions)
        self.zoned = list(zoned)
        self.denied = {d.lower(): code for d, code in dict.fromkeys(denied, "AuthorizationFailed").items()} \
            if not isinstance(denied, dict) else {k.lower(): v for k, v in denied.items()}
        self.errors = {e.lower() for e in errors}
        self.registration = registration
        self.missing_groups = {name.lower() for name in missing_groups}
        self.keys = []

    def _children(self, parent, kind):
        prefix = parent.lower() + "/" + kind + "/"
        return [r for key, r in self.resources.items() if key.startswith(prefix) and "/" not in key[len(prefix):]]

    def read(self, key):
        self.keys.append(key)
        target = key[1] if isinstance(key[1], str) else ""
        if target.lower() in self.denied:
            code = self.denied[target.lower()]
            reason = "tenant" if code.lower() in ("linkedauthorizationfailed", "invalidauthenticationtokentenant") \
                else "forbidden"
            return Read(FAILED, message="403 " + code, code=code, reason=reason)
        if target.lower() in self.errors:
            return Read(FAILED, message="500 InternalServerError", code="InternalServerError", reason="server")
        what = key[0]
        if what in ("gallery", "definition", "version", "resource"):
            found = self.resources.get(key[1].lower())
            return Read(OK, copy.deepcopy(found)) if found else Read(MISSING, message="404 ResourceNotFound")
        if what == "galleries_in_subscription":
            return Read(OK, {"value": [r for k, r in self.resources.items() if k.count("/") == 8
                                       and "/galleries/" in k]})
        if what == "definitions_in_gallery":
            if key[1].lower() not in self.resources:
                return Read(MISSING, message="404")
            return Read(OK, {"value": self._children(key[1], "images")})
        if what == "versions_in_definition":
            return Read(OK, {"value": self._children(key[1], "versions")})
        if what == "compute_provider":
            return Read(OK, {"namespace": "Microsoft.Compute", "registrationState": self.registration,
                             "resourceTypes": [{"resourceType": "galleries", "locations": self.gallery_regions,
                                                "apiVersions": ["2023-07-03"]}]})
        if what == "resource_group":
            if key[2].lower() in self.missing_groups:
                return Read(MISSING, message="404 ResourceGroupNotFound", code="ResourceGroupNotFound")
            return Read(OK, {"name": key[2], "location": "eastus"})
        if what == "disk_encryption_sets":
            return Read(OK, {"value": [r for k, r in self.resources.items() if "/diskencryptionsets/" in k]})
        if what == "skus":
            disks = [{"resourceType": "disks", "locationInfo": [
                {"location": name, "zones": ["1", "2", "3"] if name in self.zoned else []}]}
                for name in self.gallery_regions]
            return Read(OK, {"value": disks + VM_SIZES})
        raise AssertionError("unexpected read {}".format(key))

    def put(self, resource):
        self.resources[resource["id"].lower()] = resource
        return self

    def edit(self, resource_id, **props):
        self.resources[resource_id.lower()]["properties"].update(props)
        return self


def _size(name, generations="V1,V2", architecture="x64", **more):
    capabilities = [{"name": "HyperVGenerations", "value": generations},
                    {"name": "CpuArchitectureType", "value": architecture}]
    capabilities += [{"name": key, "value": value} for key, value in more.items()]
    return {"resourceType": "virtualMachines", "name": name, "locations": GALLERY_REGIONS,
            "capabilities": capabilities}


VM_SIZES = [_size("Standard_D2s_v5"), _size("Standard_A2_v2", "V1"), _size("Standard_D2ps_v5", "V2", "Arm64"),
            _size("Standard_B1ls", TrustedLaunchDisabled="True")]


def version_args(**overrides):
    args = dict(resource_group_name=RG, gallery_name="gal", gallery_image_name="img", gallery_image_version="1.0.0",
                location="eastus", virtual_machine=VM, target_regions=["eastus", "westus=2"], subscription=SUB)
    args.update(overrides)
    return args


def definition_args(**overrides):
    args = dict(resource_group_name=RG, gallery_name="gal", gallery_image_name="img2", os_type="Linux",
                publisher="contoso", offer="demo", sku="gen2-new", hyper_v_generation="V2", location="eastus",
                subscription=SUB)
    args.update(overrides)
    return args


def gallery_args(**overrides):
    args = dict(resource_group_name=RG, gallery_name="newGallery", location="eastus", subscription=SUB)
    args.update(overrides)
    return args


def vm_args(**overrides):
    args = dict(resource_group_name=RG, image=VERSION, location="eastus", admin_username="azureuser",
                generate_ssh_keys=True, security_type="Standard", subscription=SUB)
    args.update(overrides)
    return args


BUILDERS = {"gallery": gallery_args, "definition": definition_args, "version": version_args, "vm": vm_args}


def request_of(kind, **overrides):
    arguments = BUILDERS[kind](**overrides)
    subscription = arguments.pop("subscription", None)
    return requests.parse(kind, arguments, subscription)


def run(kind, world=None, offline=False, **overrides):
    return checks.run(None, request_of(kind, **overrides), offline=offline,
                      reader=None if offline else (world or World()))


def statuses(report):
    return {f["rule"]: (f["status"], f["error_id"]) for f in report.findings}


def failures(report):
    return {(f["rule"], f["error_id"]) for f in report.findings if f["status"] in ("fail", "warn")}


def with_version(world, **props):
    body = {"id": VERSION, "name": "1.0.0", "location": "eastus", "properties": {
        "provisioningState": "Succeeded",
        "publishingProfile": {"targetRegions": [{"name": "East US"}, {"name": "West US"}]},
        "storageProfile": {"source": {"virtualMachineId": VM}, "osDiskImage": {"sizeInGB": 30},
                           "dataDiskImages": [{"lun": 0}, {"lun": 1}, {"lun": 2}]}}}
    body["properties"].update(props)
    return world.put(body)


# ---- the healthy world is clean for every kind ------------------------------------------------

@pytest.mark.parametrize("kind", ["gallery", "definition", "version", "vm"])
def test_healthy_world_has_no_failures(kind):
    world = World()
    if kind == "vm":
        with_version(world)
    report = run(kind, world)
    assert failures(report) == set()
    internal = [f for f in report.findings if "internal error" in f["detail"]]
    assert internal == []


# ---- one broken thing per case: (kind, world changes, argument overrides) -> failing rule/entry --

def _world(change=None):
    world = World()
    if change:
        change(world)
    return world


CASES = [
    # gallery
    ("gallery", None, dict(gallery_name="my-gallery"), "gallery.name-format", "gallery.name-invalid"),
    ("gallery", None, dict(gallery_name="myGallery."), "gallery.name-format", "gallery.name-trailing-characters"),
    ("gallery", None, dict(gallery_name="galerie\u00e9"), "gallery.name-format", "gallery.name-invalid"),
    ("gallery", None, dict(gallery_name="myGallery-"), "gallery.name-format", "gallery.name-invalid"),
    ("definition", None, dict(gallery_image_name="imag\u00e9"), "definition.name-format", "definition.name-invalid"),
    ("gallery", None, dict(location="brazilsoutheast"), "gallery.region-available", "gallery.region-not-available"),
    ("gallery", lambda w: setattr(w, "registration", "NotRegistered"), {},
     "gallery.provider-serves-region-and-api", "gallery.provider-not-registered"),
    ("gallery", lambda w: w.put({"id": rid("galleries/newGallery", rg="other"), "name": "newGallery",
                                 "location": "eastus", "properties": {}}), {},
     "gallery.name-unique-in-subscription", "gallery.name-not-unique"),
    ("gallery", None, dict(gallery_name="gal", location="westus"),
     "gallery.name-unique-in-subscription", "gallery.name-exists-in-other-region"),
    ("gallery", lambda w: [w.put({"id": rid("galleries/g%d" % i, rg="many"), "name": "g%d" % i,
                                  "location": "eastus", "properties": {}}) for i in range(100)], {},
     "limits.within-gallery-quotas", "limits.subscription-quotas"),
    # definition
    ("definition", None, dict(gallery_image_name="bad name"), "definition.name-format", "definition.name-invalid"),
    ("definition", None, dict(gallery_image_name="img_"), "definition.name-format",
     "definition.name-trailing-characters"),
    # A trailing hyphen fails the service's name pattern instead (the "entity name" message).
    ("definition", None, dict(gallery_image_name="img-"), "definition.name-format", "definition.name-invalid"),
    ("definition", None, dict(os_type=None), "definition.required-properties",
     "definition.required-properties-missing"),
    ("definition", None, dict(offer="demo."), "definition.identifier-format", "definition.identifier-invalid"),
    ("definition", None, dict(end_of_life_date="2030-13-01"), "definition.end-of-life-format",
     "definition.date-serialization-failed"),
    ("definition", None, dict(end_of_life_date="2001-01-01"), "definition.end-of-life-in-future",
     "definition.end-of-life-in-past"),
    ("definition", None, dict(minimum_cpu_core=8, maximum_cpu_core=2), "definition.recommended-range",
     "definition.recommended-min-greater-than-max"),
    ("definition", None, dict(features="SecurityType=TrustedLaunch", hyper_v_generation="V1"),
     "definition.security-type-valid", "definition.feature-value-invalid"),
    ("definition", None, dict(gallery_name="nope"), "definition.gallery-exists", "definition.parent-not-found"),
    ("definition", None, dict(gallery_image_name="img", sku="gen2", location="westus"),
     "definition.name-free-in-gallery", "definition.name-exists-in-other-region"),
    ("definition", None, dict(sku="gen2"), "definition.identifier-unique", "definition.identifier-taken"),
    ("definition", None, dict(gallery_image_name="img", sku="gen2", os_type="Windows"),
     "definition.immutable-properties", "definition.property-change-not-allowed"),
    ("definition", None, dict(gallery_image_name="img", sku="gen2", architecture="Arm64",
                              features="SecurityType=Standard"),
     "definition.immutable-properties", "definition.property-change-not-allowed"),
    ("definition", None, dict(gallery_image_name="img", sku="gen2", features="SecurityType=TrustedLaunch"),
     "definition.features-unchanged", "definition.feature-change-not-allowed"),
    # No --features on a Gen2 definition: az sends SecurityType=TrustedLaunchSupported.
    ("definition", None, dict(gallery_image_name="img", sku="gen2"),
     "definition.features-unchanged", "definition.feature-change-not-allowed"),
    # version: offline
    ("version", None, dict(gallery_image_version="1.0"), "version.name-format", "version.name-format"),
    ("version", None, dict(gallery_image_version="1.0.2147483648"), "version.name-format", "version.name-format"),
    ("version", None, dict(target_regions=["eastus", "East US"]), "version.unique-regions",
     "version.duplicate-regions"),
    ("version", None, dict(replica_count=0), "version.replica-count-range", "version.replica-count-out-of-range"),
    ("version", None, dict(virtual_machine=None), "version.single-source", "version.source-missing-or-ambiguous"),
    ("version", None, dict(virtual_machine="buildVm"), "version.source-id-format", "version.source-id-malformed"),
    ("version", None, dict(virtual_machine=None, managed_image=VM), "version.vm-source-as-virtual-machine-id",
     "version.vm-source-as-source-id"),
    ("version", None, dict(virtual_machine=None, image_version=rid("snapshots/s1")), "version.source-kind",
     "version.source-not-image-or-vm"),
    ("version", lambda w: w.put(disk("osd")), dict(virtual_machine=None, os_snapshot=rid("images/i1")),
     "version.disk-source-kind", "version.source-not-disk-or-snapshot"),
    ("version", None, dict(virtual_machine=None, os_snapshot="os", data_snapshots=["data0", "data1"],
                           data_snapshot_luns=["1", "1"]), "version.unique-luns", "version.duplicate-luns"),
    ("version", None, dict(virtual_machine=None, os_snapshot="os", data_snapshots=["data0", "data0"]),
     "version.unique-source-ids", "version.duplicate-source-ids"),
    ("version", None, dict(virtual_machine=None, os_snapshot="os", data_snapshots=["os"]),
     "version.unique-source-ids", "version.os-and-data-disk-same-source"),
    ("version", None, dict(target_region_encryption=["/subscriptions/x/des1", "null"]), "version.des-id-format",
     "version.os-disk-des-id-invalid"),
    # An empty OS-disk field is not "null": az sends ".../diskEncryptionSets/" for it.
    ("version", None, dict(target_region_encryption=[",0,des1", ",0,des1"]), "version.des-id-format",
     "version.os-disk-des-id-invalid"),
    ("version", None, dict(target_region_encryption=["null,0,/bad", "null,0,/bad"]), "version.des-id-format",
     "version.data-disk-des-id-invalid"),
    ("version", None, dict(target_region_encryption=["des1", "null"]), "version.encryption-all-regions",
     "version.os-disk-encryption-not-in-all-regions"),
    ("version", None, dict(target_region_encryption=["null,1,des1", "null"]), "version.encryption-all-regions",
     "version.data-disk-encryption-not-in-all-regions"),
    ("version", None, dict(target_region_encryption=["null,1,des1,1,des1", "null,1,des1"]),
     "version.encryption-unique-luns", "version.encryption-duplicate-luns"),
    ("version", None, dict(target_region_encryption=["des1", rid("diskEncryptionSets/des1", sub=SUB2)]),
     "version.des-same-subscription", "version.des-other-subscription"),
    ("version", None, dict(virtual_machine=None, os_vhd_uri="https://sa.blob.core.windows.net/v/os.vhd",
                           os_vhd_storage_account="sa", target_region_encryption=["des1", "des1"]),
     "version.encryption-source-kind", "version.encryption-unsupported-source"),
    # version: live
    ("version", None, dict(gallery_image_name="nope"), "version.definition-exists", "version.parent-not-found"),
    ("version", None, dict(gallery_name="nogallery"), "version.definition-exists", "version.gallery-not-found"),
    ("version", None, dict(virtual_machine=rid("virtualMachines/gone")), "version.source-exists",
     "version.source-does-not-exist"),
    ("version", None, dict(location="westus", target_regions=["westus", "eastus"]), "version.source-exists",
     "version.source-not-found"),
    ("version", lambda w: w.put({"id": rid("images/pending"), "location": "eastus", "properties": {
        "provisioningState": "Creating", "storageProfile": {"osDisk": {"osType": "Linux", "osState": "Generalized"}},
        "hyperVGeneration": "V2"}}), dict(virtual_machine=None, managed_image="pending"),
     "version.source-provisioned", "version.source-not-provisioned"),
    ("version", None, dict(target_regions=["westus", "westeurope"]), "version.target-regions-include-source",
     "version.source-region-not-targeted"),
    ("version", lambda w: w.edit(VM, instanceView={"hyperVGeneration": "V2", "statuses": []}), {},
     "version.source-os-state", "version.os-state-mismatch"),
    ("version", lambda w: w.edit(VM, instanceView={"hyperVGeneration": "V1",
                                                   "statuses": [{"code": "OSState/generalized"}]}), {},
     "version.source-hyperv-generation", "version.hyperv-generation-mismatch"),
    ("version", lambda w: w.edit(IMAGE, osType="Windows"), {}, "version.source-os-type", "version.os-type-mismatch"),
    ("version", lambda w: w.edit(rid("disks/os"), supportedCapabilities={"architecture": "Arm64"}), {},
     "version.architecture-matches", "version.architecture-mismatch"),
    ("version", lambda w: w.resources[VM.lower()]["properties"]["storageProfile"]["osDisk"].update(
        diffDiskSettings={"option": "Local"}), {}, "version.source-no-ephemeral-os", "version.source-ephemeral-os-disk"),
    ("version", lambda w: w.put(disk("data2", 64, sku="UltraSSD_LRS")), {}, "version.source-no-ultra-ssd",
     "version.source-ultra-ssd"),
    ("version", lambda w: w.resources[VM.lower()]["properties"]["storageProfile"]["osDisk"].update(
        managedDisk=None, vhd={"uri": "https://sa.blob.core.windows.net/vhds/os.vhd"}), {},
     "version.source-managed-disks", "version.source-unmanaged-disks"),
    ("version", lambda w: w.put(disk("data1", 2520)), {}, "version.source-size", "version.source-too-large"),
    ("version", lambda w: w.put(dict(disk("data9", 64, encryption={"type": "EncryptionAtRestWithCustomerKey"}),
                                     id=rid("disks/data9", sub=SUB2))),
     dict(virtual_machine=None, os_snapshot=rid("disks/data9", sub=SUB2)),
     "version.encrypted-source-same-subscription", "version.encrypted-source-other-subscription"),
    ("version", None, dict(target_region_encryption=["desGone", "desGone"]), "version.des-exists",
     "version.des-not-found"),
    ("version", None, dict(target_region_encryption=["null,7,des1", "null,7,des1"]), "version.encryption-luns-exist",
     "version.encryption-lun-invalid"),
    ("version", lambda w: w.edit(IMAGE, features=[{"name": "SecurityType", "value": "TrustedLaunchSupported"}]), {},
     "version.trusted-launch-supported-source", "version.trusted-launch-supported-vm-source"),
    ("version", lambda w: w.edit(VM, securityProfile={"securityType": "TrustedLaunch"}), {},
     "version.source-security-type", "version.security-type-mismatch"),
    ("version", lambda w: w.edit(IMAGE, features=[{"name": "SecurityType", "value": "TrustedLaunch"}]), {},
     "version.source-security-type", "version.security-type-mismatch"),
    # No disk resource says Arm64: the VM size (Dpsv5 is an Ampere Altra size) does.
    ("version", lambda w: [w.edit(rid("disks/os"), supportedCapabilities={}),
                           w.edit(VM, hardwareProfile={"vmSize": "Standard_D2ps_v5"})], {},
     "version.architecture-matches", "version.architecture-mismatch"),
    ("version", lambda w: [w.edit(IMAGE, features=[{"name": "SecurityType", "value": "ConfidentialVM"}]),
                           w.put({"id": rid("images/mi"), "location": "eastus", "properties": {
                               "hyperVGeneration": "V2", "storageProfile": {"osDisk": {
                                   "osType": "Linux", "osState": "Generalized"}}}})],
     dict(virtual_machine=None, managed_image="mi", target_regions=["eastus"],
          target_region_cvm_encryption=["EncryptedWithPmk,"]),
     "version.confidential-vm-source", "version.cvm-unsupported-source"),
    ("version", lambda w: w.edit(IMAGE, features=[{"name": "SecurityType", "value": "ConfidentialVM"}]),
     dict(target_region_cvm_encryption=["EncryptedWithPmk,", "EncryptedWithPmk,"]),
     "version.confidential-vm-home-region-only", "version.cvm-home-region-only"),
    ("version", lambda w: w.edit(IMAGE, features=[{"name": "SecurityType", "value": "ConfidentialVM"}]),
     dict(target_regions=["eastus"]), "version.confidential-vm-security-profile",
     "version.cvm-security-profile-missing"),
    ("version", lambda w: with_version(w, provisioningState="Deleting"), {}, "version.not-being-deleted",
     "version.update-while-deleting"),
    ("version", lambda w: [with_version(w), w.put(dict(base_resources()[2], id=rid("virtualMachines/otherVm")))],
     dict(virtual_machine=rid("virtualMachines/otherVm")), "version.source-unchanged",
     "version.source-id-change-not-allowed"),
    ("version", lambda w: with_version(w, storageProfile={"source": {"id": rid("snapshots/os")},
                                                          "dataDiskImages": [{"lun": 0}]}),
     dict(virtual_machine=None, os_snapshot=rid("snapshots/os"), data_snapshots=["data0", "data1"]),
     "version.update-keeps-luns", "version.update-changes-data-disks"),
    ("version", with_version, dict(target_region_encryption=["null,1,des1", "null,1,des1"]),
     "version.update-no-new-encryption", "version.update-adds-disk-encryption"),
    ("version", with_version, dict(target_regions=["eastus"]), "version.replicated-regions-kept",
     "version.update-drops-regions"),
    # No --target-regions: az sends [--location] alone, which drops West US too.
    ("version", with_version, dict(target_regions=None), "version.replicated-regions-kept",
     "version.update-drops-regions"),
    ("version", None, dict(target_regions=["eastus=60", "westus=60"]), "limits.within-gallery-quotas",
     "limits.subscription-quotas"),
    ("version", None, dict(target_regions=["eastus", "westus=1=Standard_ZRS"]), "definition.zrs-supported-in-region",
     "definition.zrs-not-supported"),
    ("version", lambda w: w.resources[VM.lower()].update(plan={"name": "p", "publisher": "pub", "product": "prod"}),
     {}, "vm.plan-matches", "vm.plan-mismatch"),
    # vm
    ("vm", lambda w: with_version(w).edit(IMAGE, features=[{"name": "SecurityType", "value": "TrustedLaunch"}]),
     {}, "vm.security-type-matches-image", "vm.trusted-launch-required"),
    ("vm", lambda w: with_version(w).edit(IMAGE, hyperVGeneration="V1"), dict(security_type="TrustedLaunch"),
     "vm.trusted-launch-image-supported", "vm.trusted-launch-unsupported-image"),
    ("vm", lambda w: with_version(w, publishingProfile={"excludeFromLatest": True,
                                                        "targetRegions": [{"name": "eastus"}]}),
     dict(image=IMAGE), "vm.latest-version-exists", "vm.no-latest-version"),
    ("vm", with_version, dict(location="westeurope"), "vm.version-replicated-to-region", "vm.version-not-in-region"),
    ("vm", with_version, dict(image=IMAGE, location="westeurope"), "vm.definition-has-version-in-region",
     "vm.definition-not-in-region"),
    ("vm", lambda w: with_version(w).denied.update({VERSION.lower(): "AuthorizationFailed"}), {},
     "vm.image-version-readable", "vm.no-read-access-to-image"),
    ("vm", lambda w: with_version(w).denied.update({VERSION.lower(): "LinkedAuthorizationFailed"}), {},
     "vm.image-version-readable", "vm.cross-tenant-linked-subscription"),
    ("vm", lambda w: with_version(w).edit(IMAGE, osState="Specialized"), {}, "vm.no-credentials-for-specialized",
     "vm.os-profile-with-specialized-image"),
    ("vm", with_version, dict(specialized=True), "vm.credentials-for-generalized",
     "vm.os-profile-missing-for-generalized-image"),
    ("vm", lambda w: with_version(w, publishingProfile={"targetRegions": [{"name": "eastus", "encryption": {
        "osDiskImage": {"diskEncryptionSetId": rid("diskEncryptionSets/d", sub=SUB2)}}}]}), {},
     "vm.version-des-same-subscription", "vm.des-subscription-mismatch"),
    ("vm", with_version, dict(plan_name="p", plan_publisher="pub", plan_product="prod"), "vm.plan-matches",
     "vm.plan-mismatch"),
    ("vm", lambda w: with_version(w).edit(VM, storageProfile={"osDisk": {"osType": "Windows"}}), {},
     "vm.os-type-matches-source", "vm.slow-create-os-type-mismatch"),
    ("vm", with_version, dict(image=None, admin_username=None, generate_ssh_keys=False, gallery_image_reference=VERSION,
                              gallery_image_reference_lun=5), "disk.lun-exists", "disk.image-reference-lun-missing"),
    ("version", lambda w: w.put({"id": rid("diskEncryptionSets/desWest"), "name": "desWest", "location": "westus",
                                 "properties": {}}),
     dict(target_region_encryption=["desWest", "desWest"]), "version.des-in-target-region", "version.des-other-region"),
    # every kind: the resource group, a create that is an update
    ("version", lambda w: setattr(w, "missing_groups", {"rg"}), {}, "gallery.resource-group-exists",
     "gallery.resource-group-not-found"),
    ("gallery", None, dict(gallery_name="gal"), "gallery.create-is-new", "gallery.create-updates-existing"),
    ("definition", None, dict(gallery_image_name="img", sku="gen2"), "gallery.create-is-new",
     "definition.create-updates-existing"),
    ("version", with_version, {}, "gallery.create-is-new", "version.create-updates-existing"),
    ("version", lambda w: w.put({"id": rid("galleries/gal/images/img/versions/2.0.0"), "name": "2.0.0",
                                 "location": "eastus", "properties": {}}), {},
     "version.numbered-above-existing", "version.lower-than-existing"),
    ("version", lambda w: w.denied.update({rid("virtualMachines/vmElsewhere", sub=SUB2).lower():
                                           "InvalidAuthenticationTokenTenant"}),
     dict(virtual_machine=rid("virtualMachines/vmElsewhere", sub=SUB2)),
     "version.source-tenant-signed-in", "version.cross-tenant-source"),
    ("vm", with_version, dict(image=rid("galleries/gal/images/img/versions/9.9.9")), "vm.image-exists",
     "vm.image-not-found"),
    ("vm", with_version, dict(image=rid("galleries/gal/images/nothing")), "vm.image-exists", "vm.image-not-found"),
    ("vm", with_version, dict(size="Standard_A2_v2"), "vm.size-fits-image", "vm.size-not-supported-for-image"),
    ("vm", with_version, dict(size="Standard_D2ps_v5"), "vm.size-fits-image", "vm.size-not-supported-for-image"),
    ("vm", lambda w: with_version(w).edit(IMAGE, features=[{"name": "SecurityType", "value": "TrustedLaunch"}]),
     dict(size="Standard_B1ls", security_type="TrustedLaunch"), "vm.size-fits-image",
     "vm.size-not-supported-for-image"),
]


@pytest.mark.parametrize("kind,change,overrides,rule_id,error_id", CASES,
                         ids=["{}:{}".format(c[3], c[4]) for c in CASES])
def test_rule_fails_with_its_entry(kind, change, overrides, rule_id, error_id):
    report = run(kind, _world(change), **overrides)
    found = statuses(report)
    assert found[rule_id] == ("fail", error_id) or found[rule_id] == ("warn", error_id), found[rule_id]
    finding = next(f for f in report.findings if f["rule"] == rule_id)
    assert finding["detail"] and finding["fix"], finding
    # What the command line named is filled in the next commands, never left as <placeholder>.
    named = ["resource_group", "gallery"] + (["source_id"] if kind == "version" and
                                             report.request.source.virtual_machine else [])
    left_open = [name for name in named for command in finding["commands"] if "<{}>".format(name) in command]
    assert left_open == [], finding["commands"]
    # az takes --target-regions as separate words: a comma would end up in a region's name.
    assert not [c for c in finding["commands"] if re.search(r"--target-regions [^-<]*,", c)], finding["commands"]


# Entries a rule prevents but never reports itself, because a sibling entry of the same rule is
# the more precise one for the same observation.
NEVER_REPORTED = {
    # The same malformed date: az and the Python SDK fail in the client, so the rule reports the
    # client-side entry; the service-side conversion error is what other clients meet.
    "definition.date-conversion-failed",
    # Guidance about role assignments; the rule reports the concrete 403 entries instead.
    "sharing.rbac-access",
}


def test_every_rule_has_a_failing_case():
    from azext_sig_doctor.checks import registry
    covered = {(case[3], case[4]) for case in CASES}
    for rule in registry.all_rules():
        if "build" in rule.kinds:
            continue  # check-build's own rules: tests/test_build_rules.py has a failing case of each
        for error_id in rule.error_ids:
            if error_id not in NEVER_REPORTED:
                assert (rule.id, error_id) in covered, (rule.id, error_id)


# ---- reads: skipped for access, partial failure, one read per resource -------------------------

def test_a_denied_source_leaves_the_rules_that_need_it_unverified_and_fails_the_gate():
    world = World(denied=[VM])
    report = run("version", world)
    found = {f["rule"]: f for f in report.findings}
    assert (found["version.source-os-state"]["status"], found["version.source-os-state"]["reason"]) == \
        ("unverified", "forbidden")
    assert "could not read the source VM buildVm (403 AuthorizationFailed)" in found["version.source-os-state"]["detail"]
    assert "Reader" in found["version.source-os-state"]["fix"]
    # Offline rules and rules on other resources still ran.
    assert found["version.name-format"]["status"] == "pass"
    assert found["version.definition-exists"]["status"] == "pass"
    assert failures(report) == set()
    # Could not verify is no pass: the default level fails, a lowered one lets it through.
    assert (report.exit_code(), report.exit_code("unverified"), report.exit_code("error")) == (1, 1, 0)


def test_a_failing_read_does_not_hide_other_findings():
    world = World(errors=[IMAGE])
    report = run("version", world, gallery_image_version="bad", target_regions=["westus"])
    found = {f["rule"]: f for f in report.findings}
    assert (found["version.definition-exists"]["status"], found["version.definition-exists"]["reason"]) == \
        ("unverified", "server")
    assert "could not read the image definition (500 InternalServerError)" in \
        found["version.definition-exists"]["detail"]
    assert found["version.name-format"]["status"] == "fail"
    assert found["version.target-regions-include-source"]["status"] == "fail"


def test_each_resource_is_read_once():
    world = World()
    run("version", world, target_region_encryption=["des1,0,des1", "des1,0,des1"])
    assert len(world.keys) == len(set(world.keys))
    assert ("resource", rid("disks/data2")) in world.keys


def test_offline_reads_nothing_and_skips_live_rules():
    report = run("version", offline=True, gallery_image_version="1.0")
    found = {f["rule"]: f for f in report.findings}
    assert found["version.name-format"]["status"] == "fail"
    assert found["version.source-os-state"]["status"] == "skip"
    assert found["version.source-os-state"]["detail"].startswith("not checked: --offline")
    assert report.exit_code() == 1 and report.summary["unverified"] == 0
    assert report.requests == 0


@pytest.mark.parametrize("size, expected", [
    ("Standard_D2ps_v5", "Arm64"), ("Standard_D4pls_v5", "Arm64"), ("Standard_E8pds_v5", "Arm64"),
    ("Standard_B2pts_v2", "Arm64"), ("standard_d2ps_v6", "Arm64"),
    ("Standard_D2s_v5", None), ("Standard_DC2as_v5", None), ("Standard_NC4as_T4_v3", None),
    ("Standard_B2ms", None), ("Standard_M416ms_v2", None), ("", None),
])
def test_vm_architecture_falls_back_to_the_size(size, expected):
    from azext_sig_doctor.domain.facts import vm_architecture
    vm = {"properties": {"hardwareProfile": {"vmSize": size}}}
    assert vm_architecture(vm) == expected
    assert vm_architecture(vm, "x64") == "x64", "the OS disk's own architecture wins"


def test_vm_architecture_from_an_arm64_image_reference():
    from azext_sig_doctor.domain.facts import vm_architecture
    vm = {"properties": {"storageProfile": {"imageReference": {"sku": "22_04-lts-arm64"}}}}
    assert vm_architecture(vm) == "Arm64"


@pytest.mark.parametrize("existing, overrides", [
    ([], dict(features="SecurityType=Standard")),
    ([{"name": "SecurityType", "value": "TrustedLaunchSupported"}], {}),
    ([], dict(hyper_v_generation="V1")),
])
def test_an_update_that_keeps_the_features_passes(existing, overrides):
    world = World()
    world.edit(IMAGE, features=existing, hyperVGeneration=overrides.get("hyper_v_generation", "V2"))
    report = run("definition", world, gallery_image_name="img", sku="gen2", **overrides)
    assert statuses(report)["definition.features-unchanged"][0] == "pass"


def test_a_name_ending_in_a_non_ascii_letter_is_called_invalid_not_trailing():
    finding = next(f for f in run("gallery", gallery_name="galerie\u00e9").findings if f["rule"] == "gallery.name-format")
    assert finding["error_id"] == "gallery.name-invalid"
    assert "'\u00e9'" in finding["detail"]


def test_a_definition_that_declares_standard_cannot_be_created_again_by_az():
    # az drops SecurityType=Standard from what it sends: the features sent ([]) are not the
    # definition's ([Standard]), which Azure refuses (PropertyChangeNotAllowed), whatever --features says.
    world = World()
    report = run("definition", world, gallery_image_name="img", sku="gen2", features="SecurityType=Standard")
    finding = next(f for f in report.findings if f["rule"] == "definition.features-unchanged")
    assert finding["status"] == "fail"
    assert "SecurityType=Standard" in finding["unresolved"] and report.to_dict()["fixed_command"] is None


def test_duplicate_regions_are_merged_into_one_entry_each_in_the_fixed_command():
    report = run("version", target_regions=["eastus=2", "West US", "East US", "westus=1=Standard_ZRS",
                                            "northeurope=Premium_LRS"])
    assert statuses(report)["version.unique-regions"][0] == "fail"
    fixed = report.to_dict()["fixed_command"]
    # westus asked for ZRS, which it has no zones for in this world: the second round fixes that too.
    assert "--target-regions eastus=2 westus=1=Standard_LRS northeurope=Premium_LRS " in fixed
    assert "--virtual-machine " + VM in fixed


def test_mentions_of_one_region_that_disagree_are_the_users_to_choose():
    report = run("version", target_regions=["eastus=2", "eastus=3"])
    finding = next(f for f in report.findings if f["rule"] == "version.unique-regions")
    assert "different replica count" in finding["unresolved"] and report.to_dict()["fixed_command"] is None


# ---- check-vm: what az vm create sends, and where the next commands go ----------------------------

TRUSTED_LAUNCH = [{"name": "SecurityType", "value": "TrustedLaunch"}]


def test_vm_without_security_type_is_checked_as_the_standard_vm_az_asks_for():
    # For a gallery image id az vm create sends no security type (its Trusted Launch default is
    # for marketplace images), and Azure makes a Standard VM.
    gen1 = run("vm", with_version(World()).edit(IMAGE, hyperVGeneration="V1"), security_type=None)
    assert statuses(gen1)["vm.trusted-launch-image-supported"][0] == "pass"
    assert failures(gen1) == set()
    required = run("vm", with_version(World()).edit(IMAGE, features=TRUSTED_LAUNCH), security_type=None)
    assert failures(required) == {("vm.security-type-matches-image", "vm.trusted-launch-required")}
    finding = next(f for f in required.findings if f["rule"] == "vm.security-type-matches-image")
    assert "no --security-type" in finding["detail"]
    assert "--security-type TrustedLaunch" in required.to_dict()["fixed_command"]
    chosen = run("vm", with_version(World()).edit(IMAGE, features=TRUSTED_LAUNCH), security_type="TrustedLaunch")
    assert failures(chosen) == set()


OS_PROFILE_RULES = ("vm.no-credentials-for-specialized", "vm.credentials-for-generalized")
NO_CREDENTIALS = dict(admin_username=None, generate_ssh_keys=False)


@pytest.mark.parametrize("os_state,overrides,refused_with", [
    # Without --specialized az sends an osProfile, filling in a user name and key itself if none was typed.
    ("Generalized", NO_CREDENTIALS, None),
    ("Generalized", {}, None),
    ("Specialized", NO_CREDENTIALS, "vm.os-profile-with-specialized-image"),
    ("Specialized", {}, "vm.os-profile-with-specialized-image"),
    # --specialized makes az leave the osProfile out, whatever credentials are given.
    ("Generalized", dict(specialized=True), "vm.os-profile-missing-for-generalized-image"),
    ("Generalized", dict(NO_CREDENTIALS, specialized=True), "vm.os-profile-missing-for-generalized-image"),
    ("Specialized", dict(specialized=True), None),
    ("Specialized", dict(NO_CREDENTIALS, specialized=True), None),
    ("Specialized", dict(specialized=False), "vm.os-profile-with-specialized-image"),
])
def test_vm_os_profile_rules_follow_specialized_not_the_credentials(os_state, overrides, refused_with):
    report = run("vm", with_version(World()).edit(IMAGE, osState=os_state), **overrides)
    found = {rule_id: status for rule_id, status in statuses(report).items() if rule_id in OS_PROFILE_RULES}
    failing = {error_id for status, error_id in found.values() if status != "pass"}
    assert failing == ({refused_with} if refused_with else set()), found
    assert failures(report) == {(r, e) for r, (s, e) in found.items() if s != "pass"}


@pytest.mark.parametrize("specialized", [None, True])
def test_a_disk_from_a_gallery_image_takes_no_os_profile(specialized):
    for os_state in ("Generalized", "Specialized"):
        report = run("vm", with_version(World()).edit(IMAGE, osState=os_state), image=None, specialized=specialized,
                     gallery_image_reference=VERSION, **NO_CREDENTIALS)
        assert [statuses(report)[r][0] for r in OS_PROFILE_RULES] == ["skip", "skip"]


def test_vm_gallery_commands_go_to_the_gallery_of_the_image():
    # The VM is in another resource group and subscription than the gallery of --image.
    report = run("vm", with_version(World()), resource_group_name="vm-rg", subscription=SUB2, location="westeurope",
                 vm_name="vm1")
    finding = next(f for f in report.findings if f["rule"] == "vm.version-replicated-to-region")
    assert finding["status"] == "fail"
    gallery_commands = [c for c in finding["commands"] if c.startswith("az sig ")]
    assert gallery_commands and all(" -g rg -r gal " in c for c in gallery_commands), gallery_commands
    values = finding["values"]
    assert (values["resource_group"], values["subscription"]) == (RG, SUB)
    assert (values["vm_resource_group"], values["vm_subscription"], values["vm"]) == ("vm-rg", SUB2, "vm1")


def test_vm_and_disk_fixed_commands_keep_their_names():
    vm = run("vm", with_version(World()).edit(IMAGE, features=TRUSTED_LAUNCH), vm_name="web1")
    fixed = vm.to_dict()["fixed_command"]
    assert fixed.startswith("az vm create -g rg -n web1 ") and " --image {} ".format(VERSION) in fixed
    disk = run("vm", with_version(World()), image=None, admin_username=None, generate_ssh_keys=False,
               gallery_image_reference=VERSION, gallery_image_reference_lun=5, vm_name="data1")
    finding = next(f for f in disk.findings if f["status"] == "fail")
    # Three data disks: which one the disk is made from is the user's choice.
    assert "LUNs 0, 1, 2" in finding["unresolved"] and disk.to_dict()["fixed_command"] is None
    single = with_version(World())
    single.edit(VERSION, storageProfile={"source": {"virtualMachineId": VM}, "dataDiskImages": [{"lun": 2}]})
    disk = run("vm", single, image=None, admin_username=None, generate_ssh_keys=False,
               gallery_image_reference=VERSION, gallery_image_reference_lun=5, vm_name="data1")
    fixed = disk.to_dict()["fixed_command"]
    assert fixed.startswith("az disk create -g rg -n data1 ")
    assert "--gallery-image-reference-lun 2" in fixed


def test_zrs_fix_keeps_every_region_and_changes_only_the_one_without_zones():
    report = run("version", target_regions=["eastus", "westus=2=Standard_ZRS", "westeurope=Standard_ZRS"],
                 replica_count=3, storage_account_type="Premium_LRS")
    finding = next(f for f in report.findings if f["rule"] == "definition.zrs-supported-in-region")
    assert finding["status"] == "fail"
    fixed = report.to_dict()["fixed_command"]
    # westus has no zones in this world; eastus (home) and westeurope stay as given.
    assert "--target-regions eastus westus=2=Standard_LRS westeurope=Standard_ZRS " in fixed
    assert "--replica-count 3" in fixed and "--storage-account-type Premium_LRS" in fixed


def test_region_not_targeted_finding_resends_the_regions_as_az_takes_them():
    report = run("version", target_regions=["westus=2=Premium_LRS", "westeurope", "West Europe"])
    finding = next(f for f in report.findings if f["rule"] == "version.target-regions-include-source")
    assert finding["status"] == "fail" and finding["edit"] == "add eastus to --target-regions"
    assert "--target-regions eastus westus=2=Premium_LRS westeurope " in report.to_dict()["fixed_command"]


@pytest.mark.parametrize("value", ["ConfidentialVmSupported", "trustedlaunch", "TRUSTEDLAUNCHSUPPORTED"])
def test_security_type_values_are_compared_without_case(value):
    report = run("definition", features="SecurityType=" + value)
    assert statuses(report)["definition.security-type-valid"][0] == "pass"


def test_a_definition_whose_feature_is_spelt_in_another_case_is_still_a_confidential_one():
    world = World()
    world.edit(IMAGE, features=[{"name": "SecurityType", "value": "confidentialvm"}])
    report = run("version", world, target_regions=["eastus"])
    assert statuses(report)["version.confidential-vm-security-profile"] == ("fail", "version.cvm-security-profile-missing")


@pytest.mark.parametrize("text, accepted", [
    ("2030/12/31", True), ("12/31/2030", True), ("31.12.2030", True), ("31/12/2030", True), ("2030-12-31", True),
    ("2030-12-31T10:00:00Z", True), ("2030-13-01", False), ("2030-W52-1", False), ("garbage", False),
])
def test_end_of_life_dates_are_read_the_way_az_reads_them(text, accepted):
    # az 2.91 appends T12:59:59Z to a bare date and reads it with dateutil (AAZDateTimeArg).
    report = run("definition", end_of_life_date=text)
    assert statuses(report)["definition.end-of-life-format"][0] == ("pass" if accepted else "fail")

"""The real `az sig doctor check-*` against the emulator (tests/scenarios/checks/world.yaml).

Each broken run lists the exact set of knowledge-base entries it must fail with (so a run checks
several entries at once and also proves there are no false alarms); each fixed run must have no
failure at all. Together the runs cover every entry whose prevented_by names a rule.
"""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from azext_sig_doctor import knowledge
from azext_sig_doctor.checks import registry

SUB = "00000000-0000-0000-0000-000000000001"
SUB2 = "00000000-0000-0000-0000-000000000002"
SCENARIO = "checks/world.yaml"


def cid(path, sub=SUB, rg="chk-rg"):
    return "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Compute/{}".format(sub, rg, path)


GAL = ["check-version", "-g", "chk-rg", "-r", "chkGallery"]
VERSION = GAL + ["-i", "linuxGen2", "-e", "2.0.0"]
IMAGES = "galleries/chkGallery/images/"
GOOD_VM = cid("virtualMachines/goodVm")
DEF = ["-p", "contoso", "-f", "demo", "--os-type", "Linux", "--hyper-v-generation", "V2", "-l", "eastus"]


def vm_args(image, *rest):
    return ["check-vm", "-g", "chk-rg", "-l", "eastus", "--image", cid(IMAGES + image)] + list(rest)


CREDS = ["--admin-username", "azureuser", "--generate-ssh-keys"]

# (name, arguments after `az sig doctor`, entries that must fail (exactly), fixed arguments)
RUNS = [
    ("gallery-name-and-region",
     ["check-gallery", "-g", "chk-rg", "-r", "chk-gallery", "-l", "brazilsoutheast"],
     {"gallery.name-invalid", "gallery.region-not-available"},
     None),
    ("gallery-trailing-and-taken",
     ["check-gallery", "-g", "other-rg", "-r", "chkGallery.", "-l", "eastus"],
     {"gallery.name-trailing-characters"},
     None),
    ("gallery-name-taken-elsewhere",
     ["check-gallery", "-g", "other-rg", "-r", "chkGallery", "-l", "eastus"],
     {"gallery.name-not-unique"},
     None),
    ("gallery-other-region",
     ["check-gallery", "-g", "chk-rg", "-r", "chkGallery", "-l", "westus"],
     {"gallery.name-exists-in-other-region"},
     None),
    ("definition-arguments",
     ["check-definition", "-g", "chk-rg", "-r", "chkGallery", "-i", "new-def-", "-p", "contoso", "-f", "demo.",
      "--os-type", "Linux", "--end-of-life-date", "2030-13-01", "--minimum-cpu-core", "8", "--maximum-cpu-core", "2",
      "--features", "SecurityType=TrustedLaunch", "--hyper-v-generation", "V1", "-l", "eastus"],
     {"definition.name-invalid", "definition.identifier-invalid", "definition.date-serialization-failed",
      "definition.recommended-min-greater-than-max", "definition.feature-value-invalid",
      "definition.required-properties-missing"},
     ["check-definition", "-g", "chk-rg", "-r", "chkGallery", "-i", "new-def", "-s", "new", "--os-state",
      "Generalized", "--end-of-life-date", "2099-12-31", "--minimum-cpu-core", "2", "--maximum-cpu-core", "8"] + DEF),
    ("definition-name-date-and-parent",
     ["check-definition", "-g", "chk-rg", "-r", "noGallery", "-i", "new def", "-s", "x", "--end-of-life-date",
      "2001-01-01", "-l", "australiacentral2"] + DEF[:-2],
     {"definition.name-invalid", "definition.end-of-life-in-past", "definition.parent-not-found",
      "gallery.region-not-available"},
     None),
    ("definition-update-and-duplicates",
     ["check-definition", "-g", "chk-rg", "-r", "chkGallery", "-i", "linuxGen2", "-s", "gen2", "--os-type",
      "Windows", "--features", "SecurityType=TrustedLaunch", "-p", "contoso", "-f", "demo", "-l", "westus"],
     {"definition.name-exists-in-other-region", "definition.property-change-not-allowed",
      "definition.feature-change-not-allowed"},
     None),
    # Re-running the original create of a Standard Gen2 definition without --features: az adds
    # SecurityType=TrustedLaunchSupported, which is a change of an existing definition. No create can
    # repeat its SecurityType=Standard (az drops that value): the fix is to leave the create out.
    ("definition-rerun-without-features",
     ["check-definition", "-g", "chk-rg", "-r", "chkGallery", "-i", "linuxGen2", "-s", "gen2"] + DEF,
     {"definition.feature-change-not-allowed"},
     None),
    ("definition-trailing-underscore",
     ["check-definition", "-g", "chk-rg", "-r", "chkGallery", "-i", "newDef_", "-s", "trail"] + DEF,
     {"definition.name-trailing-characters"},
     ["check-definition", "-g", "chk-rg", "-r", "chkGallery", "-i", "newDef", "-s", "trail"] + DEF),
    ("definition-identifier-taken",
     ["check-definition", "-g", "chk-rg", "-r", "chkGallery", "-i", "another", "-s", "gen2"] + DEF,
     {"definition.identifier-taken"},
     None),
    ("version-arguments",
     VERSION[:-1] + ["1.0", "--os-snapshot", "osSnap", "--data-snapshots", "dataSnap0", "dataSnap0",
                     "--data-snapshot-luns", "1", "1", "--target-regions", "eastus", "westus=0", "westus",
                     "--target-region-encryption", "null,1,/bad", "null,1,des1,1,des1", "null"],
     {"version.name-format", "version.duplicate-regions", "version.replica-count-out-of-range",
      "version.duplicate-luns", "version.duplicate-source-ids", "version.data-disk-des-id-invalid",
      "version.encryption-duplicate-luns", "version.data-disk-encryption-not-in-all-regions",
      "version.des-other-region"},
     None),
    ("version-encryption-and-sources",
     VERSION + ["--os-snapshot", "osSnap", "--data-snapshots", cid("snapshots/osSnap"), "--target-regions",
                "eastus", "westus", "--target-region-encryption", "des1,0,desMissing",
                cid("diskEncryptionSets/des2", sub=SUB2) + ",0,desMissing", "--replica-count", "60"],
     {"version.os-and-data-disk-same-source", "version.des-other-subscription", "version.des-not-found",
      "limits.subscription-quotas", "version.des-other-region"},
     None),
    ("version-gallery-not-found",
     ["check-version", "-g", "chk-rg", "-r", "noSuchGallery", "-i", "linuxGen2", "-e", "2.0.0",
      "--virtual-machine", GOOD_VM],
     {"version.gallery-not-found"},
     VERSION + ["--virtual-machine", GOOD_VM]),
    ("version-os-des-invalid-and-missing",
     VERSION + ["--virtual-machine", GOOD_VM, "--target-regions", "eastus", "westus", "westeurope",
                "--target-region-encryption", "/subscriptions/x/des", "des1", "null"],
     {"version.os-disk-des-id-invalid", "version.os-disk-encryption-not-in-all-regions", "version.des-other-region"},
     None),
    ("version-os-des-not-everywhere",
     VERSION + ["--virtual-machine", GOOD_VM, "--target-regions", "eastus", "westus",
                "--target-region-encryption", "des1,5,des1", "null,5,desWestus"],
     {"version.os-disk-encryption-not-in-all-regions", "version.encryption-lun-invalid"},
     VERSION + ["--virtual-machine", GOOD_VM, "--target-regions", "eastus", "westeurope=2=Standard_ZRS",
                "--target-region-encryption", "des1,2,des1", "desWesteurope,2,desWesteurope"]),
    # A disk encryption set serves its own region only.
    ("version-des-of-another-region",
     VERSION + ["--virtual-machine", GOOD_VM, "--target-regions", "eastus", "westus",
                "--target-region-encryption", "des1", "des1"],
     {"version.des-other-region"},
     VERSION + ["--virtual-machine", GOOD_VM, "--target-regions", "eastus", "westus",
                "--target-region-encryption", "des1", "desWestus"]),
    ("resource-group-missing",
     ["check-gallery", "-g", "nope-rg", "-r", "newGallery", "-l", "eastus"],
     {"gallery.resource-group-not-found"},
     ["check-gallery", "-g", "other-rg", "-r", "newGallery", "-l", "eastus"]),
    # A source in a subscription this sign-in does not know (another tenant's).
    ("version-source-of-another-tenant",
     VERSION + ["--virtual-machine", "/subscriptions/00000000-0000-0000-0000-0000000000ff/resourceGroups/fab-rg/"
                "providers/Microsoft.Compute/virtualMachines/fabVm", "--target-regions", "eastus"],
     {"version.cross-tenant-source"},
     None),
    ("vm-image-not-found",
     vm_args("linuxGen2/versions/9.9.9", "--security-type", "Standard", *CREDS),
     {"vm.image-not-found"},
     vm_args("linuxGen2/versions/1.0.0", "--security-type", "Standard", *CREDS)),
    ("vm-size-cannot-boot-gen2",
     vm_args("linuxGen2/versions/1.0.0", "--security-type", "Standard", "--size", "Standard_A2_v2", *CREDS),
     {"vm.size-not-supported-for-image"},
     vm_args("linuxGen2/versions/1.0.0", "--security-type", "Standard", "--size", "Standard_D2s_v5", *CREDS)),
    ("version-no-source-and-vhd-encryption",
     VERSION + ["--os-vhd-uri", "https://chkstorage.blob.core.windows.net/vhds/os.vhd", "--os-vhd-storage-account",
                "chkstorage", "--managed-image", "goodImage", "--target-region-encryption", "des1",
                "--target-regions", "eastus"],
     {"version.source-missing-or-ambiguous", "version.encryption-unsupported-source"},
     VERSION + ["--managed-image", "goodImage", "--target-regions", "eastus"]),
    ("version-source-id-and-kind",
     VERSION + ["--image-version", cid("snapshots/osSnap")],
     {"version.source-not-image-or-vm"},
     None),
    ("version-vm-as-image",
     VERSION + ["--managed-image", GOOD_VM],
     {"version.vm-source-as-source-id"},
     None),
    ("version-malformed-and-disk-kind",
     VERSION + ["--virtual-machine", "goodVm"],
     {"version.source-id-malformed"},
     None),
    ("version-snapshot-kind",
     VERSION + ["--os-snapshot", cid("images/goodImage")],
     {"version.source-not-disk-or-snapshot"},
     None),
    ("version-parent-missing",
     GAL + ["-i", "noSuchDefinition", "-e", "1.0.0", "--virtual-machine", GOOD_VM],
     {"version.parent-not-found"},
     None),
    ("version-source-missing",
     VERSION + ["--virtual-machine", cid("virtualMachines/goneVm")],
     {"version.source-does-not-exist"},
     None),
    ("version-source-elsewhere",
     VERSION + ["--virtual-machine", cid("virtualMachines/westVm", rg="chk-west-rg"), "--target-regions", "eastus"],
     {"version.source-not-found", "version.source-region-not-targeted"},
     VERSION + ["--virtual-machine", cid("virtualMachines/westVm", rg="chk-west-rg"), "-l", "westus",
                "--target-regions", "westus", "eastus"]),
    ("version-pending-image",
     VERSION + ["--managed-image", "pendingImage"],
     {"version.source-not-provisioned"},
     None),
    ("version-running-vm", VERSION + ["--virtual-machine", cid("virtualMachines/runningVm")],
     {"version.os-state-mismatch"}, None),
    ("version-gen1-vm", VERSION + ["--virtual-machine", cid("virtualMachines/gen1Vm")],
     {"version.hyperv-generation-mismatch"}, None),
    ("version-windows-vm", VERSION + ["--virtual-machine", cid("virtualMachines/winVm")],
     {"version.os-type-mismatch"}, None),
    ("version-arm-vm", VERSION + ["--virtual-machine", cid("virtualMachines/armVm")],
     {"version.architecture-mismatch"}, None),
    ("version-ephemeral-vm", VERSION + ["--virtual-machine", cid("virtualMachines/ephemeralVm")],
     {"version.source-ephemeral-os-disk"}, None),
    ("version-ultra-vm", VERSION + ["--virtual-machine", cid("virtualMachines/ultraVm")],
     {"version.source-ultra-ssd"}, None),
    ("version-unmanaged-vm", VERSION + ["--virtual-machine", cid("virtualMachines/unmanagedVm")],
     {"version.source-unmanaged-disks"}, None),
    ("version-big-vm", VERSION + ["--virtual-machine", cid("virtualMachines/bigVm")],
     {"version.source-too-large"},
     VERSION + ["--virtual-machine", cid("virtualMachines/bigVm"), "--replication-mode", "Shallow"]),
    ("version-plan-vm", VERSION + ["--virtual-machine", cid("virtualMachines/planVm")],
     {"vm.plan-mismatch"}, None),
    ("version-encrypted-other-subscription",
     VERSION + ["--os-snapshot", cid("snapshots/encSnap", sub=SUB2), "--target-regions", "eastus"],
     {"version.encrypted-source-other-subscription"},
     None),
    ("version-zrs-in-westus",
     VERSION + ["--virtual-machine", GOOD_VM, "--target-regions", "eastus", "westus=1=Standard_ZRS"],
     {"definition.zrs-not-supported"},
     None),
    ("version-trusted-launch-supported-from-vm",
     GAL + ["-i", "tlSupported", "-e", "1.0.0", "--virtual-machine", GOOD_VM],
     {"version.trusted-launch-supported-vm-source"},
     GAL + ["-i", "tlSupported", "-e", "1.0.0", "--managed-image", "goodImage"]),
    ("version-trusted-launch-vm-into-standard-definition",
     VERSION + ["--virtual-machine", cid("virtualMachines/trustedVm")],
     {"version.security-type-mismatch"},
     GAL + ["-i", "tlRequired", "-e", "2.0.0", "--virtual-machine", cid("virtualMachines/trustedVm")]),
    ("version-cvm-wrong-source-and-regions",
     GAL + ["-i", "cvm", "-e", "1.0.0", "--managed-image", "goodImage", "--target-regions", "eastus", "westus",
            "--target-region-cvm-encryption", "EncryptedWithPmk,", "EncryptedWithPmk,"],
     {"version.cvm-unsupported-source", "version.cvm-home-region-only"},
     None),
    ("version-cvm-no-profile",
     GAL + ["-i", "cvm", "-e", "1.0.0", "--os-snapshot", "osSnap", "--target-regions", "eastus"],
     {"version.cvm-security-profile-missing"},
     None),
    ("version-update-deleting",
     GAL + ["-i", "linuxGen2", "-e", "0.9.0", "--virtual-machine", GOOD_VM],
     {"version.update-while-deleting"},
     None),
    ("version-update-changes",
     GAL + ["-i", "linuxGen2", "-e", "1.0.0", "--os-snapshot", "osSnap", "--data-snapshots", "dataSnap0",
            "dataSnap1", "--data-snapshot-luns", "0", "5", "--target-regions", "eastus",
            "--target-region-encryption", "null,0,des1"],
     {"version.source-id-change-not-allowed", "version.update-changes-data-disks",
      "version.update-adds-disk-encryption", "version.update-drops-regions"},
     GAL + ["-i", "linuxGen2", "-e", "1.0.0", "--virtual-machine", GOOD_VM, "--target-regions", "eastus", "westus",
            "westeurope"]),
    ("vm-standard-on-trusted-launch-image",
     vm_args("tlRequired/versions/1.0.0", "--security-type", "Standard", *CREDS),
     {"vm.trusted-launch-required"},
     vm_args("tlRequired/versions/1.0.0", "--security-type", "TrustedLaunch", *CREDS)),
    # Without --security-type az vm create sends none for a gallery image: Azure makes it Standard.
    ("vm-no-security-type-on-trusted-launch-image",
     vm_args("tlRequired/versions/1.0.0", *CREDS),
     {"vm.trusted-launch-required"},
     vm_args("tlRequired/versions/1.0.0", "--security-type", "TrustedLaunch", *CREDS)),
    # ... so a Gen1 image is fine without it (no Trusted Launch default for gallery images).
    ("vm-trusted-launch-on-gen1",
     vm_args("gen1/versions/1.0.0", "--security-type", "TrustedLaunch", *CREDS),
     {"vm.trusted-launch-unsupported-image"},
     vm_args("gen1/versions/1.0.0", *CREDS)),
    ("vm-no-latest",
     vm_args("hidden", "--security-type", "Standard", *CREDS),
     {"vm.no-latest-version"},
     vm_args("hidden/versions/1.0.0", "--security-type", "Standard", *CREDS)),
    ("vm-version-not-in-region",
     ["check-vm", "-g", "chk-rg", "-l", "westeurope", "--image", cid(IMAGES + "linuxGen2/versions/1.0.0"),
      "--security-type", "Standard"] + CREDS,
     {"vm.version-not-in-region"},
     ["check-vm", "-g", "chk-rg", "-l", "westus", "--image", cid(IMAGES + "linuxGen2/versions/1.0.0"),
      "--security-type", "Standard"] + CREDS),
    ("vm-definition-not-in-region",
     ["check-vm", "-g", "chk-rg", "-l", "westeurope", "--image", cid(IMAGES + "linuxGen2"), "--security-type",
      "Standard", "--plan-name", "p", "--plan-publisher", "pub", "--plan-product", "prod"] + CREDS,
     {"vm.definition-not-in-region", "vm.plan-mismatch"},
     # 1.0.0, not latest: latest in eastus is 1.1.0, encrypted with another subscription's set.
     vm_args("linuxGen2/versions/1.0.0", "--security-type", "Standard", *CREDS)),
    ("vm-locked-image",
     ["check-vm", "-g", "chk-rg", "-l", "eastus", "--image",
      cid("galleries/lockedGallery/images/linuxGen2/versions/1.0.0"), "--security-type", "Standard"] + CREDS,
     {"vm.no-read-access-to-image"},
     None),
    ("vm-partner-image",
     ["check-vm", "-g", "chk-rg", "-l", "eastus", "--image",
      cid("galleries/partnerGallery/images/linuxGen2/versions/1.0.0"), "--security-type", "Standard"] + CREDS,
     {"vm.cross-tenant-linked-subscription"},
     None),
    # Without --specialized az sends an osProfile (it fills in a user name and key itself), which a
    # specialized image refuses; with --specialized it sends none, even when credentials are typed.
    ("vm-specialized-image-without-specialized-flag",
     vm_args("specialized/versions/1.0.0", "--security-type", "Standard"),
     {"vm.os-profile-with-specialized-image"},
     vm_args("specialized/versions/1.0.0", "--security-type", "Standard", "--specialized", *CREDS)),
    # --specialized leaves the osProfile out whatever credentials are given; a generalized image needs one.
    ("vm-specialized-flag-on-generalized",
     vm_args("linuxGen2/versions/1.1.0", "--security-type", "Standard", "--specialized", *CREDS),
     {"vm.os-profile-missing-for-generalized-image", "vm.des-subscription-mismatch"},
     None),
    ("vm-mislabeled-source",
     vm_args("mislabeled/versions/1.0.0", "--security-type", "Standard", "--fail-on", "warning", *CREDS),
     {"vm.slow-create-os-type-mismatch"},
     None),
    ("disk-lun-missing",
     ["check-vm", "-g", "chk-rg", "-l", "eastus", "--gallery-image-reference",
      cid(IMAGES + "linuxGen2/versions/1.0.0"), "--gallery-image-reference-lun", "7"],
     {"disk.image-reference-lun-missing"},
     ["check-vm", "-g", "chk-rg", "-l", "eastus", "--gallery-image-reference",
      cid(IMAGES + "linuxGen2/versions/1.0.0"), "--gallery-image-reference-lun", "2"]),
]

# Warnings about the world rather than the command (an existing resource of that name, a lower
# version number): the runs below reuse existing resources on purpose; test_checks_rules covers them.
CONTEXT_WARNINGS = {"gallery.create-updates-existing", "definition.create-updates-existing",
                    "version.create-updates-existing", "version.lower-than-existing"}


# Entries with a rule that no run here can make fail, and why.
NOT_RUN = {
    # Warnings about what exists already (see CONTEXT_WARNINGS): test_checks_rules has a case each.
    *CONTEXT_WARNINGS,
    # Needs its own scenario (an unregistered subscription): test_checks_faults.py
    # test_unregistered_provider_is_caught_before_the_create_and_the_create_fails.
    "gallery.provider-not-registered",
    # The client-side sibling entry is the one reported (see test_checks_rules.NEVER_REPORTED).
    "definition.date-conversion-failed",
    "sharing.rbac-access",
}

# Broken runs whose fix is the same command with the good source, image, name or region: the
# shared clean run named here must pass.
CLEAN = {
    "good-vm": VERSION + ["--virtual-machine", GOOD_VM, "--target-regions", "eastus", "westus"],
    "snapshots": VERSION + ["--os-snapshot", "osSnap", "--data-snapshots", "dataSnap0", "--target-regions", "eastus",
                            "--target-region-encryption", "des1,0,des1"],
    "cvm": GAL + ["-i", "cvm", "-e", "1.0.0", "--os-snapshot", "osSnap", "--target-regions", "eastus", "westus",
                  "--target-region-cvm-encryption", "EncryptedWithPmk,", "NonPersistedTPM,"],
    # No credential options: az vm create fills in a default admin user name and SSH key itself.
    "vm": vm_args("linuxGen2/versions/1.0.0", "--security-type", "Standard"),
    "gallery": ["check-gallery", "-g", "other-rg", "-r", "otherGallery", "-l", "eastus"],
    "definition": ["check-definition", "-g", "chk-rg", "-r", "chkGallery", "-i", "another", "-s", "another"] + DEF,
}
FIXED_BY = {
    "gallery-name-and-region": "gallery", "gallery-name-taken-elsewhere": "gallery",
    "gallery-trailing-and-taken": "gallery", "gallery-other-region": "gallery",
    "version-arguments": "snapshots", "version-cvm-wrong-source-and-regions": "cvm",
    "definition-name-date-and-parent": "definition", "definition-identifier-taken": "definition",
    "definition-update-and-duplicates": "definition", "definition-rerun-without-features": "definition",
    "version-encryption-and-sources": "snapshots", "version-snapshot-kind": "snapshots",
    "version-encrypted-other-subscription": "snapshots", "version-cvm-no-profile": "cvm",
    "vm-locked-image": "vm", "vm-partner-image": "vm", "vm-specialized-flag-on-generalized": "vm",
    "vm-mislabeled-source": "vm", "version-source-of-another-tenant": "good-vm",
}
CLEAN_RUNS = list(CLEAN.values())


def fixed_args(name, fixed):
    return fixed if fixed else CLEAN[FIXED_BY.get(name, "good-vm")]


# The real create, refused by the emulator exactly where a check said it would be: (run name,
# create command, the entry whose message the refusal must match).
CREATES = [
    ("version-running-vm", ["sig", "image-version", "create", "-g", "chk-rg", "-r", "chkGallery", "-i", "linuxGen2",
                            "-e", "2.0.0", "--virtual-machine", cid("virtualMachines/runningVm")],
     "version.os-state-mismatch"),
    ("version-source-elsewhere", ["sig", "image-version", "create", "-g", "chk-rg", "-r", "chkGallery", "-i",
                                  "linuxGen2", "-e", "2.0.1", "-l", "westus", "--virtual-machine",
                                  cid("virtualMachines/westVm", rg="chk-west-rg"), "--target-regions", "eastus"],
     "version.source-region-not-targeted"),
    ("version-update-changes", ["sig", "image-version", "create", "-g", "chk-rg", "-r", "chkGallery", "-i",
                                "linuxGen2", "-e", "1.0.0", "--virtual-machine", GOOD_VM, "--target-regions",
                                "eastus"],
     "version.update-drops-regions"),
    ("version-cvm-wrong-source-and-regions", ["sig", "image-version", "create", "-g", "chk-rg", "-r", "chkGallery",
                                              "-i", "cvm", "-e", "1.0.0", "--os-snapshot", "osSnap",
                                              "--target-regions", "eastus", "westus",
                                              "--target-region-cvm-encryption", "EncryptedWithPmk,",
                                              "EncryptedWithPmk,"],
     "version.cvm-home-region-only"),
    ("gallery-name-and-region", ["sig", "create", "-g", "chk-rg", "-r", "chk-gallery", "-l", "eastus"],
     "gallery.name-invalid"),
    ("definition-rerun-without-features", ["sig", "image-definition", "create", "-g", "chk-rg", "-r", "chkGallery",
                                           "-i", "linuxGen2", "-p", "contoso", "-f", "demo", "-s", "gen2",
                                           "--os-type", "Linux", "-l", "eastus"],
     "definition.feature-change-not-allowed"),
    ("definition-trailing-underscore", ["sig", "image-definition", "create", "-g", "chk-rg", "-r", "chkGallery",
                                        "-i", "newDef_", "-p", "contoso", "-f", "demo", "-s", "trail",
                                        "--os-type", "Linux", "-l", "eastus"],
     "definition.name-trailing-characters"),
    ("definition-identifier-taken", ["sig", "image-definition", "create", "-g", "chk-rg", "-r", "chkGallery", "-i",
                                     "another", "-p", "contoso", "-f", "demo", "-s", "gen2", "--os-type", "Linux",
                                     "-l", "eastus"],
     "definition.identifier-taken"),
]

WORKERS = 4


def _failing(result):
    assert result.json is not None, result.stderr[-2000:]
    return {f["error_id"] for f in result.json["findings"] if f["status"] in ("fail", "warn")} - CONTEXT_WARNINGS


def _key(args):
    return tuple(args)


@pytest.fixture(scope="module")
def results(emulator):
    """Every check of this module run once, concurrently (az starts in about 2 s of CPU), then the
    confirming creates; the journal of the checks alone is kept for the read-only test."""
    emulator.load(SCENARIO)
    commands = []
    for name, args, _, fixed in RUNS:
        commands += [args, fixed_args(name, fixed)]
    unique = list(dict.fromkeys(_key(c) for c in commands))
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        outputs = list(pool.map(lambda args: emulator.az("sig", "doctor", *args, "-o", "json"), unique))
    checks_journal = emulator.journal()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        creates = list(pool.map(lambda create: emulator.az(*create[1], "-o", "json"), CREATES))
    return {"checks": dict(zip(unique, outputs)), "journal": checks_journal,
            "creates": dict(zip([c[0] for c in CREATES], creates))}


@pytest.mark.parametrize("name,args,expected,fixed", RUNS, ids=[run[0] for run in RUNS])
def test_check_fails_with_the_entries_and_passes_when_fixed(results, name, args, expected, fixed):
    result = results["checks"][_key(args)]
    assert _failing(result) == expected, json.dumps(
        [f for f in (result.json or {}).get("findings", []) if f["status"] != "pass"], indent=1)
    failed = [f for f in result.json["findings"] if f["error_id"] in expected]
    assert all(f["detail"] and f["fix"] for f in failed)
    assert result.exit_code == 1
    assert not [f for f in result.json["findings"] if "internal error" in f["detail"]]
    good = results["checks"][_key(fixed_args(name, fixed))]
    assert _failing(good) == set(), json.dumps(
        [f for f in good.json["findings"] if f["status"] in ("fail", "warn")], indent=1)
    assert good.exit_code == 0


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_clean_runs_pass(results, name):
    result = results["checks"][_key(CLEAN[name])]
    assert _failing(result) == set(), json.dumps(
        [f for f in result.json["findings"] if f["status"] in ("fail", "warn")], indent=1)
    assert result.exit_code == 0
    assert result.json["summary"]["pass"] >= 5


def test_runs_cover_every_entry_a_rule_prevents():
    covered = set().union(*(run[2] for run in RUNS))
    for rule in registry.all_rules():
        if "build" in rule.kinds:
            continue  # check-build's own rules run end to end in tests/test_build_e2e.py
        for error_id in rule.error_ids:
            assert error_id in covered or error_id in NOT_RUN, error_id
    for error_id in covered:
        assert knowledge.get(error_id).prevented_by_rule


@pytest.mark.parametrize("run_name,create,entry_id", CREATES, ids=[c[0] for c in CREATES])
def test_the_real_create_fails_where_the_check_said_so(results, run_name, create, entry_id):
    run = next(r for r in RUNS if r[0] == run_name)
    assert entry_id in run[2]
    assert entry_id in _failing(results["checks"][_key(run[1])])
    refused = results["creates"][run_name]
    assert refused.exit_code != 0, refused.stdout[-500:]
    message = refused.error_line
    match = knowledge.best_match(message)
    assert match is not None and match.entry.id == entry_id, message


def test_checks_never_write(results):
    journal = results["journal"]
    assert len(journal) > 100
    assert {entry["method"] for entry in journal if "/oauth2/" not in entry["path"]} == {"GET"}


# ---- what `az vm create` sends for a gallery image, and what Azure does with it -------------------

def _ssh_public_key():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    return key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()


def _vm_sent_by_az_vm_create(emulator, line):
    """The VM resource in the deployment the real `az vm create` sends. The emulator serves no
    deployments, so az stops there, after the request has been recorded."""
    emulator.clear_journal()
    emulator.az("vm", "create", *line)
    deployments = [e["body"] for e in emulator.journal() if e["method"] == "PUT" and "/deployments/" in e["path"]]
    assert len(deployments) == 1, [e["path"] for e in emulator.journal()]
    resources = deployments[0]["properties"]["template"]["resources"]
    return next(r for r in resources if r["type"] == "Microsoft.Compute/virtualMachines")


def _vm_create_line(image, extra):
    """An `az vm create` command line (after the command name) for a gallery image of this world."""
    nic = "/subscriptions/{}/resourceGroups/chk-rg/providers/Microsoft.Network/networkInterfaces/nic1".format(SUB)
    return ["-g", "chk-rg", "-n", "vm1", "-l", "eastus", "--image", cid(IMAGES + image), "--admin-username",
            "azureuser", "--ssh-key-values", _ssh_public_key(), "--nics", nic] + list(extra)


@pytest.mark.parametrize("image,security,refused_with", [
    ("tlRequired/versions/1.0.0", [], "vm.trusted-launch-required"),
    ("tlRequired/versions/1.0.0", ["--security-type", "TrustedLaunch"], None),
    ("gen1/versions/1.0.0", [], None),
    ("gen1/versions/1.0.0", ["--security-type", "TrustedLaunch"], "vm.trusted-launch-unsupported-image"),
])
def test_check_vm_expects_what_azure_does_with_the_request_of_az_vm_create(emulator, image, security, refused_with):
    emulator.load(SCENARIO)
    line = _vm_create_line(image, security)
    vm = _vm_sent_by_az_vm_create(emulator, line)
    # For a gallery image id az sends only the security type it was given: no Trusted Launch default.
    assert (vm["properties"].get("securityProfile") or {}).get("securityType") == (security[1] if security else None)
    _assert_check_vm_agrees_with_azure(emulator, line, vm, refused_with)


def _assert_check_vm_agrees_with_azure(emulator, line, vm, refused_with):
    """PUT the VM az vm create built (as its deployment would): Azure refuses it with
    ``refused_with`` or accepts it, and check-vm on the same command line says the same."""
    answer = emulator.request("PUT", cid("virtualMachines/vm1") + "?api-version=" + vm["apiVersion"],
                              {key: vm[key] for key in ("location", "properties", "tags") if key in vm})
    checked = emulator.az("sig", "doctor", "check-vm", *line, "-o", "json")
    assert checked.json is not None, checked.stderr[-2000:]
    if refused_with:
        assert answer.status_code == 400, answer.text
        assert knowledge.best_match(answer.json()["error"]["message"]).entry.id == refused_with
        assert _failing(checked) == {refused_with}
    else:
        assert answer.status_code in (200, 201), answer.text
        assert _failing(checked) == set()


@pytest.mark.parametrize("image,specialized,refused_with", [
    ("specialized/versions/1.0.0", [], "vm.os-profile-with-specialized-image"),
    ("specialized/versions/1.0.0", ["--specialized"], None),
    ("linuxGen2/versions/1.0.0", ["--specialized"], "vm.os-profile-missing-for-generalized-image"),
    ("linuxGen2/versions/1.0.0", [], None),
])
def test_check_vm_expects_the_os_profile_az_vm_create_sends(emulator, image, specialized, refused_with):
    emulator.load(SCENARIO)
    # Credentials are always given: only --specialized decides whether az sends them.
    line = _vm_create_line(image, specialized)
    vm = _vm_sent_by_az_vm_create(emulator, line)
    assert ("osProfile" in vm["properties"]) == (not specialized)
    _assert_check_vm_agrees_with_azure(emulator, line, vm, refused_with)


@pytest.mark.parametrize("image", ["linuxGen2", "linuxGen2/versions/latest", "linuxGen2/versions/1.1.0"])
def test_check_vm_through_latest_checks_the_version_latest_resolves_to(emulator, image):
    # latest of linuxGen2 in eastus is 1.1.0 (az sig doctor latest says so), whose encryption sets
    # are in another subscription: naming the definition must fail as naming 1.1.0 does.
    emulator.load(SCENARIO)
    resolved = emulator.az("sig", "doctor", "latest", "-g", "chk-rg", "-r", "chkGallery", "-i", "linuxGen2",
                           "-l", "eastus", "-o", "json")
    assert [row["version"] for row in resolved.json] == ["1.1.0"]
    checked = emulator.az("sig", "doctor", *vm_args(image, *CREDS), "-o", "json")
    assert checked.exit_code == 1, checked.stderr[-2000:]
    assert _failing(checked) == {"vm.des-subscription-mismatch"}
    statuses = {f["rule"]: f["status"] for f in checked.json["findings"]}
    assert statuses["vm.version-replicated-to-region"] == "pass" and statuses["vm.os-type-matches-source"] == "pass"


def test_a_vhd_source_fails_closed_until_the_user_accepts_it(emulator):
    # Nothing ARM returns says whether a VHD blob exists or fits the definition: unverified, not passed.
    emulator.load(SCENARIO)
    vhd = VERSION + ["--os-vhd-uri", "https://chkstorage.blob.core.windows.net/vhds/os.vhd",
                     "--os-vhd-storage-account", "chkstorage", "--target-regions", "eastus"]
    checked = emulator.az("sig", "doctor", *vhd, "-o", "json")
    assert checked.exit_code == 1, checked.stderr[-2000:]
    [unverified] = [f for f in checked.json["findings"] if f["status"] == "unverified"]
    assert (unverified["rule"], unverified["reason"]) == ("version.source-exists", "blob")
    assert "os.vhd" in unverified["detail"] and "--fail-on error" in unverified["fix"]
    assert _failing(checked) == set()
    accepted = emulator.az("sig", "doctor", *vhd, "--fail-on", "error", "-o", "json")
    assert accepted.exit_code == 0, accepted.stderr[-2000:]
    assert "could not run" in accepted.stderr
    # With a failure of its own (a bad version name) --fail-on error cannot make it pass: not offered.
    both = emulator.az("sig", "doctor", *[("1.0" if arg == "2.0.0" else arg) for arg in vhd], "-o", "none")
    assert both.exit_code == 1
    assert "1 rule could not run, and the check fails on other findings too" in both.stderr
    assert "lower the level" not in both.stderr

"""A suggested command is a promise: every fixed command a check or explain prints is pasted into
the real az (through bash, as a user would) against the emulator, and must create the resource,
sending the body of the user's own command with only the fixed fields changed.

Each case starts from a command line that breaks one rule, with the fullest set of options the
command takes (tags, exclusion from latest, end of life, default replica count and storage type,
per-region counts and types, OS and data disk encryption per region, --subscription), so that a
fix that drops or alters anything the user asked for fails the body comparison. The same
original line, run through the core command with --debug, is then explained: where explain can
fix the failure without reading Azure, its fixed command must create the resource too.
"""

import json
import shlex
from concurrent.futures import ThreadPoolExecutor

import pytest

SUB = "00000000-0000-0000-0000-000000000001"
SUB2 = "00000000-0000-0000-0000-000000000002"
RG = "fix-rg"
GALLERY = "fixGallery"
COMPUTE = "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Compute/"
REGIONS = ("eastus", "westus", "westeurope")


def cid(path, sub=SUB, rg=RG):
    return COMPUTE.format(sub, rg) + path


def des(region, sub=SUB):
    return cid("diskEncryptionSets/des-" + region, sub=sub)


BUILD_VM = cid("virtualMachines/buildVm")
MATCH = "matchGallery"
SNAPSHOT = cid("snapshots/dataSnap")
WEST_VM = cid("virtualMachines/westVm")
BIG_VM = cid("virtualMachines/bigVm")


# ---- the world ---------------------------------------------------------------------------------------

def _definition(name, os_type="Linux", generation="V2", security=None, state="Generalized", architecture=None,
                plan=None, gallery=GALLERY):
    properties = {"identifier": {"publisher": "contoso", "offer": "fix", "sku": name}, "osType": os_type,
                  "osState": state, "hyperVGeneration": generation}
    if security:
        properties["features"] = [{"name": "SecurityType", "value": security}]
    if architecture:
        properties["architecture"] = architecture
    if plan:
        properties["purchasePlan"] = plan
    return {"id": cid("galleries/{}/images/{}".format(gallery, name)), "location": "eastus",
            "properties": properties}


def _vm(name, location, data_sizes=(64, 64), generation="V2", generalized=True, os_type="Linux", security="Standard",
        architecture="x64"):
    disks = [{"lun": lun, "name": "{}_data{}".format(name, lun), "createOption": "Attach", "diskSizeGB": size,
              "managedDisk": {"id": cid("disks/{}_data{}".format(name, lun)), "storageAccountType": "Premium_LRS"}}
             for lun, size in enumerate(data_sizes)]
    resources = [{
        "id": cid("virtualMachines/" + name), "location": location,
        "x-emulator": {"generalized": generalized, "hyperVGeneration": generation},
        "properties": {"hardwareProfile": {"vmSize": "Standard_D2s_v5"},
                       "securityProfile": {"securityType": security},
                       "storageProfile": {"osDisk": {"osType": os_type, "name": name + "_os", "diskSizeGB": 30,
                                                     "managedDisk": {"id": cid("disks/{}_os".format(name)),
                                                                     "storageAccountType": "Premium_LRS"}},
                                          "dataDisks": disks}}}]
    resources.append({"id": cid("disks/{}_os".format(name)), "location": location, "sku": {"name": "Premium_LRS"},
                      "properties": {"osType": os_type, "hyperVGeneration": generation, "diskSizeGB": 30,
                                     "supportedCapabilities": {"architecture": architecture}}})
    for lun, size in enumerate(data_sizes):
        resources.append({"id": cid("disks/{}_data{}".format(name, lun)), "location": location,
                          "sku": {"name": "Premium_LRS"}, "properties": {"diskSizeGB": size}})
    return resources


def _version(image, name, regions, source=BUILD_VM, luns=(0, 1), **publishing):
    return {"id": cid("galleries/{}/images/{}/versions/{}".format(GALLERY, image, name)), "location": "eastus",
            "properties": {"publishingProfile": dict({"targetRegions": [{"name": r} for r in regions]}, **publishing),
                           "storageProfile": {"source": {"virtualMachineId": source},
                                              "dataDiskImages": [{"lun": lun} for lun in luns]}}}


PLAN = {"name": "pro", "publisher": "contoso", "product": "fixer"}


def world():
    resources = [{"id": cid("galleries/" + GALLERY), "location": "eastus"}]
    resources += [_definition(name) for name in ("std", "upd1", "upd2", "upd3")]
    # What az creates for a Gen2 definition: SecurityType=TrustedLaunchSupported.
    resources.append(_definition("tls", security="TrustedLaunchSupported"))
    resources += [_definition("gen1", generation="V1"), _definition("tl", security="TrustedLaunch"),
                  _definition("win", os_type="Windows"), _definition("special", state="Specialized"),
                  _definition("planned", plan=PLAN)]
    resources += _vm("buildVm", "eastus") + _vm("westVm", "westus") + _vm("bigVm", "eastus", data_sizes=(3000, 64))
    resources += _vm("gen1Vm", "eastus", generation="V1")
    resources += [{"id": des(region), "location": region, "properties": {}} for region in REGIONS]
    resources.append({"id": des("eastus", sub=SUB2), "location": "eastus", "properties": {}})
    # Published versions: for the VM cases and for updates of an existing version.
    resources += [_version("std", "1.0.0", ["eastus"]), _version("gen1", "1.0.0", ["eastus"]),
                  _version("tl", "1.0.0", ["eastus"]), _version("special", "1.0.0", ["eastus"]),
                  _version("planned", "1.0.0", ["eastus"]),
                  _version("upd1", "1.0.0", ["eastus", "westus"]), _version("upd2", "1.0.0", ["eastus"]),
                  _version("upd3", "1.0.0", ["eastus"])]
    resources += [_version("upd4", "1.0.0", ["eastus"]), _version("onedata", "1.0.0", ["eastus"], luns=(0,))]
    resources += [_definition(name) for name in ("upd4", "onedata")]
    resources.append({"id": SNAPSHOT, "location": "eastus", "properties": {"diskSizeGB": 64}})
    # A gallery where each kind of source fits exactly one definition: the fix can name it.
    resources.append({"id": cid("galleries/" + MATCH), "location": "eastus"})
    resources += [_definition("lin", gallery=MATCH), _definition("win", os_type="Windows", gallery=MATCH),
                  _definition("spec", state="Specialized", gallery=MATCH),
                  _definition("arm", architecture="Arm64", gallery=MATCH),
                  _definition("tl", security="TrustedLaunch", gallery=MATCH),
                  _definition("cvm", security="ConfidentialVM", gallery=MATCH),
                  _definition("tls", security="TrustedLaunchSupported", gallery=MATCH)]
    resources += _vm("winVm", "eastus", os_type="Windows") + _vm("specVm", "eastus", generalized=False)
    resources += _vm("armVm", "eastus", architecture="Arm64") + _vm("tlVm", "eastus", security="TrustedLaunch")
    resources += _vm("cvmVm", "eastus", security="ConfidentialVM")
    groups = [{"name": RG, "location": "eastus"}, {"name": RG, "location": "eastus", "subscription": SUB2}]
    return {"name": "fixed-commands", "replication": {"seconds": 1, "speed": 600},
            "zrs_locations": ["eastus", "westeurope"], "resource_groups": groups, "resources": resources}


# ---- the cases --------------------------------------------------------------------------------------

ENCRYPTED = ["{0},0,{0},1,{0}".format(des(region)) for region in REGIONS]
FULL_VERSION = ["--virtual-machine", BUILD_VM,
                "--target-regions", "eastus=2=Standard_LRS", "westus=1", "westeurope=Premium_LRS",
                "--target-region-encryption", *ENCRYPTED,
                "--replica-count", "2", "--storage-account-type", "Standard_LRS", "--end-of-life-date", "2031-12-31",
                "--exclude-from-latest", "true", "--tags", "team=images", "stage=canary", "--subscription", SUB]


def version_line(image, version, *replace, remove=(), extra=(), gallery=GALLERY):
    """The full line for a new version, with options replaced: ``replace`` is option, words... groups."""
    words = list(FULL_VERSION)
    changes = {}
    current = None
    for word in replace:
        if word.startswith("--"):
            current = word
            changes[current] = []
        else:
            changes[current].append(word)
    result, skip = [], False
    for word in words:
        if word.startswith("--"):
            skip = word in changes or word in remove
            if word in changes:
                result += [word] + changes.pop(word)
                continue
        if not skip:
            result.append(word)
    for option, values in changes.items():
        result += [option] + values
    return ["-g", RG, "-r", gallery, "-i", image, "-e", version] + result + list(extra)


REGIONS_PATH = "properties.publishingProfile.targetRegions"
PROFILE = "properties.publishingProfile"

# (name, doctor check, core command words, line, rule expected to fail, fields the fix may change,
#  whether explain can fix it from the failed command's --debug log alone)
CASES = [
    ("duplicate-region", "check-version", ("sig", "image-version", "create"),
     version_line("std", "2.0.0", "--target-regions", "eastus=2=Standard_LRS", "westus=1", "westeurope=Premium_LRS",
                  "westus", "--target-region-encryption", *ENCRYPTED, ENCRYPTED[1]),
     "version.unique-regions", [REGIONS_PATH], True),
    ("home-region-missing", "check-version", ("sig", "image-version", "create"),
     version_line("std", "2.0.1", "--target-regions", "westus=1", "westeurope=Premium_LRS",
                  "--target-region-encryption", *ENCRYPTED[1:]),
     "version.target-regions-include-source", [REGIONS_PATH], False),
    ("zrs-without-zones", "check-version", ("sig", "image-version", "create"),
     version_line("std", "2.0.2", "--target-regions", "eastus=2=Standard_LRS", "westus=1=Standard_ZRS",
                  "westeurope=Premium_LRS"),
     "definition.zrs-supported-in-region", [REGIONS_PATH], False),
    ("replica-count-zero", "check-version", ("sig", "image-version", "create"),
     version_line("std", "2.0.3", "--replica-count", "0"),
     "version.replica-count-range", [PROFILE + ".replicaCount"], True),
    # The source's region is not in the service's message: explain cannot know it, the check reads it.
    ("source-in-another-region", "check-version", ("sig", "image-version", "create"),
     version_line("std", "2.0.4", "--virtual-machine", WEST_VM, extra=["-l", "eastus"]),
     "version.source-exists", ["location"], False),
    ("source-too-large", "check-version", ("sig", "image-version", "create"),
     version_line("std", "2.0.5", "--virtual-machine", BIG_VM, remove=("--target-region-encryption",)),
     "version.source-size", [PROFILE + ".replicationMode"], False),
    ("vm-as-managed-image", "check-version", ("sig", "image-version", "create"),
     version_line("std", "2.0.6", "--managed-image", BUILD_VM, remove=("--virtual-machine",)),
     "version.vm-source-as-virtual-machine-id", ["properties.storageProfile.source"], True),
    ("os-disk-not-encrypted-everywhere", "check-version", ("sig", "image-version", "create"),
     version_line("std", "2.0.7", "--target-region-encryption", ENCRYPTED[0], ENCRYPTED[1],
                  "null,0,{0},1,{0}".format(des("westeurope"))),
     "version.encryption-all-regions", [REGIONS_PATH], False),
    ("data-disk-not-encrypted-everywhere", "check-version", ("sig", "image-version", "create"),
     version_line("std", "2.0.8", "--target-region-encryption", ENCRYPTED[0], "{0},0,{0}".format(des("westus")),
                  ENCRYPTED[2]),
     "version.encryption-all-regions", [REGIONS_PATH], False),
    ("encryption-of-a-missing-lun", "check-version", ("sig", "image-version", "create"),
     version_line("std", "2.0.9", "--target-region-encryption",
                  *[e + ",5," + des(r) for e, r in zip(ENCRYPTED, REGIONS)]),
     "version.encryption-luns-exist", [REGIONS_PATH], True),
    ("encryption-lun-twice", "check-version", ("sig", "image-version", "create"),
     version_line("std", "2.1.0", "--target-region-encryption", ENCRYPTED[0] + ",0," + des("eastus"),
                  *ENCRYPTED[1:]),
     "version.encryption-unique-luns", [REGIONS_PATH], True),
    ("encryption-set-of-another-subscription", "check-version", ("sig", "image-version", "create"),
     version_line("std", "2.1.1", "--target-region-encryption", "{0},0,{0},1,{0}".format(des("eastus", sub=SUB2)),
                  *ENCRYPTED[1:]),
     "version.des-same-subscription", [REGIONS_PATH], False),
    ("encryption-set-of-another-region", "check-version", ("sig", "image-version", "create"),
     version_line("std", "2.1.2", "--target-region-encryption", ENCRYPTED[0], ENCRYPTED[0], ENCRYPTED[2]),
     "version.des-in-target-region", [REGIONS_PATH], False),
    ("version-name", "check-version", ("sig", "image-version", "create"),
     version_line("std", "2.2"),
     "version.name-format", [], True),
    # A Gen1 build published into a Gen2 definition: the gallery's one Gen1 definition fits it.
    ("definition-of-another-generation", "check-version", ("sig", "image-version", "create"),
     version_line("std", "2.1.3", "--virtual-machine", cid("virtualMachines/gen1Vm")),
     "version.source-hyperv-generation", [], False),
    ("update-drops-a-region", "check-version", ("sig", "image-version", "create"),
     version_line("upd1", "1.0.0", "--target-regions", "eastus", remove=("--target-region-encryption",)),
     "version.replicated-regions-kept", [REGIONS_PATH], False),
    ("update-changes-the-source", "check-version", ("sig", "image-version", "create"),
     version_line("upd2", "1.0.0", "--virtual-machine", WEST_VM, "--target-regions", "eastus",
                  remove=("--target-region-encryption",)),
     "version.source-unchanged", ["properties.storageProfile.source"], False),
    ("update-adds-encryption", "check-version", ("sig", "image-version", "create"),
     version_line("upd3", "1.0.0", "--target-regions", "eastus", "--target-region-encryption",
                  "null,0,{0},1,{0}".format(des("eastus"))),
     "version.update-no-new-encryption", [REGIONS_PATH], False),
    ("update-changes-data-disks", "check-version", ("sig", "image-version", "create"),
     version_line("upd4", "1.0.0", "--target-regions", "eastus", "--data-snapshots", SNAPSHOT,
                  "--data-snapshot-luns", "2", remove=("--target-region-encryption",)),
     "version.update-keeps-luns", ["properties.storageProfile.dataDiskImages"], False),
    # A source that fits one definition of the gallery only: the fix publishes into it.
    ("definition-of-another-os-type", "check-version", ("sig", "image-version", "create"),
     version_line("lin", "1.0.0", "--virtual-machine", cid("virtualMachines/winVm"), gallery=MATCH),
     "version.source-os-type", [], False),
    ("definition-of-another-os-state", "check-version", ("sig", "image-version", "create"),
     version_line("lin", "1.0.1", "--virtual-machine", cid("virtualMachines/specVm"), gallery=MATCH),
     "version.source-os-state", [], False),
    ("definition-of-another-architecture", "check-version", ("sig", "image-version", "create"),
     version_line("lin", "1.0.2", "--virtual-machine", cid("virtualMachines/armVm"), gallery=MATCH),
     "version.architecture-matches", [], False),
    ("trusted-launch-source-in-a-standard-definition", "check-version", ("sig", "image-version", "create"),
     version_line("lin", "1.0.3", "--virtual-machine", cid("virtualMachines/tlVm"), gallery=MATCH),
     "version.source-security-type", [], False),
    # A TrustedLaunchSupported definition takes no VM source; the Windows VM fits the Windows one.
    ("vm-source-in-a-trusted-launch-supported-definition", "check-version", ("sig", "image-version", "create"),
     version_line("tls", "1.0.6", "--virtual-machine", cid("virtualMachines/winVm"), gallery=MATCH),
     "version.trusted-launch-supported-source", [], False),
    # A Confidential VM image with its guest state encrypted stays in its home region (another rule).
    ("confidential-source-in-a-trusted-launch-definition", "check-version", ("sig", "image-version", "create"),
     version_line("tl", "1.0.4", "--virtual-machine", cid("virtualMachines/cvmVm"),
                  "--target-regions", "eastus=2=Standard_LRS", remove=("--target-region-encryption",), gallery=MATCH),
     "version.source-security-type", [REGIONS_PATH], False),
    ("confidential-version-without-cvm-encryption", "check-version", ("sig", "image-version", "create"),
     version_line("cvm", "1.0.5", "--virtual-machine", cid("virtualMachines/cvmVm"),
                  "--target-regions", "eastus=2=Standard_LRS", remove=("--target-region-encryption",), gallery=MATCH),
     "version.confidential-vm-security-profile", [REGIONS_PATH], False),
    # definitions
    ("definition-name-trailing-period", "check-definition", ("sig", "image-definition", "create"),
     ["-g", RG, "-r", GALLERY, "-i", "newDef.", "-p", "contoso", "-f", "fix", "-s", "newdef", "--os-type", "Linux",
      "--features", "IsAcceleratedNetworkSupported=true", "--end-of-life-date", "2031-12-31",
      "--tags", "team=images", "--minimum-cpu-core", "2", "--maximum-cpu-core", "8", "--subscription", SUB],
     "definition.name-format", [], True),
    ("definition-identifier", "check-definition", ("sig", "image-definition", "create"),
     ["-g", RG, "-r", GALLERY, "-i", "newDef2", "-p", "contoso", "-f", "fix.", "-s", "newdef2", "--os-type", "Linux",
      "--tags", "team=images", "--subscription", SUB],
     "definition.identifier-format", ["properties.identifier.offer"], True),
    ("definition-recommended-swapped", "check-definition", ("sig", "image-definition", "create"),
     ["-g", RG, "-r", GALLERY, "-i", "newDef3", "-p", "contoso", "-f", "fix", "-s", "newdef3", "--os-type", "Linux",
      "--minimum-cpu-core", "8", "--maximum-cpu-core", "2", "--minimum-memory", "4", "--maximum-memory", "16",
      "--subscription", SUB],
     "definition.recommended-range", ["properties.recommended.vCPUs"], True),
    ("definition-trusted-launch-gen1", "check-definition", ("sig", "image-definition", "create"),
     ["-g", RG, "-r", GALLERY, "-i", "newDef4", "-p", "contoso", "-f", "fix", "-s", "newdef4", "--os-type", "Linux",
      "--features", "SecurityType=TrustedLaunch", "--hyper-v-generation", "V1", "--subscription", SUB],
     "definition.security-type-valid", ["properties.hyperVGeneration"], True),
    ("definition-immutable-os-type", "check-definition", ("sig", "image-definition", "create"),
     ["-g", RG, "-r", GALLERY, "-i", "tls", "-p", "contoso", "-f", "fix", "-s", "tls", "--os-type", "Windows",
      "--end-of-life-date", "2031-12-31", "--tags", "team=images", "--subscription", SUB],
     "definition.immutable-properties", ["properties.osType"], False),
    ("definition-feature-changed", "check-definition", ("sig", "image-definition", "create"),
     ["-g", RG, "-r", GALLERY, "-i", "tl", "-p", "contoso", "-f", "fix", "-s", "tl", "--os-type", "Linux",
      "--features", "SecurityType=TrustedLaunchSupported", "--subscription", SUB],
     "definition.features-unchanged", ["properties.features"], False),
    # galleries
    ("gallery-name-hyphen", "check-gallery", ("sig", "create"),
     ["-g", RG, "-r", "new-gallery", "-l", "eastus", "--description", "images for the team", "--tags", "team=images",
      "--subscription", SUB],
     "gallery.name-format", [], True),
]


def _vm_line(image, *rest):
    name = "vm-" + image.split("/images/")[1].split("/")[0]
    return ["-g", RG, "-n", name, "-l", "eastus", "--image", image, "--nsg", "", "--public-ip-address", "",
            "--tags", "team=images", "--subscription", SUB] + list(rest)


VM_CASES = [
    ("vm-plan-of-another-offer", _vm_line(cid("galleries/{}/images/planned/versions/1.0.0".format(GALLERY)),
                                          "--admin-username", "azureuser", "--generate-ssh-keys",
                                          "--plan-name", "basic", "--plan-publisher", "contoso",
                                          "--plan-product", "fixer"),
     "vm.plan-matches", ["plan"]),
    ("vm-needs-trusted-launch", _vm_line(cid("galleries/{}/images/tl/versions/1.0.0".format(GALLERY)),
                                         "--admin-username", "azureuser", "--generate-ssh-keys"),
     "vm.security-type-matches-image", ["properties.securityProfile"]),
    ("vm-trusted-launch-on-gen1", _vm_line(cid("galleries/{}/images/gen1/versions/1.0.0".format(GALLERY)),
                                           "--admin-username", "azureuser", "--generate-ssh-keys",
                                           "--security-type", "TrustedLaunch"),
     "vm.trusted-launch-image-supported", ["properties.securityProfile"]),
    ("vm-specialized-image", _vm_line(cid("galleries/{}/images/special/versions/1.0.0".format(GALLERY))),
     "vm.no-credentials-for-specialized", ["properties.osProfile"]),
    ("vm-generalized-image-as-specialized", _vm_line(cid("galleries/{}/images/std/versions/1.0.0".format(GALLERY)),
                                                     "--specialized"),
     "vm.credentials-for-generalized", ["properties.osProfile"]),
]


# A disk from a version's data disk: az disk create is a plain PUT the emulator answers, so the
# fixed command runs for real.
DISK_CASES = [
    ("disk-lun-missing", ["-g", RG, "-n", "disk-from-image", "-l", "eastus", "--gallery-image-reference",
                          cid("galleries/{}/images/onedata/versions/1.0.0".format(GALLERY)),
                          "--gallery-image-reference-lun", "5", "--tags", "team=images", "--subscription", SUB],
     "disk.lun-exists", ["properties.creationData.galleryImageReference.lun"]),
]


# ---- running -----------------------------------------------------------------------------------------

def _bash(emulator, command):
    return emulator.bash(command)


def _puts(journal, path_end):
    return [entry for entry in journal if entry["method"] == "PUT" and entry["path"].lower().endswith(path_end.lower())]


def _diff(old, new, prefix=""):
    """The dotted paths where two JSON values differ (down to the first list or scalar)."""
    if isinstance(old, dict) and isinstance(new, dict):
        paths = []
        for key in sorted(set(old) | set(new)):
            paths += _diff(old.get(key), new.get(key), "{}.{}".format(prefix, key) if prefix else key)
        return paths
    return [] if old == new else [prefix]


def _allowed(paths, fields):
    return [path for path in paths if not any(path == field or path.startswith(field + ".") for field in fields)]


@pytest.fixture(scope="module")
def runs(emulator):
    """Every case checked and its fixed command run, concurrently (each case names its own resource)."""
    emulator.load(world())

    def one(case):
        name, check, core, line, rule, fields, explainable = case
        checked = emulator.az("sig", "doctor", check, *line, "-o", "json")
        fixed = (checked.json or {}).get("fixed_command")
        if explainable:
            original = emulator.az(*core, *line, "--debug")
            ran = _bash(emulator, fixed) if fixed else None
        else:
            # Azure may accept the original and fail it later (a source too large fails in
            # replication), leaving the resource behind: the fixed command goes first, as it
            # would instead of the original.
            ran = _bash(emulator, fixed) if fixed else None
            original = emulator.az(*core, *line, "--debug")
        return name, checked, original, fixed, ran

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(one, CASES))
    return {name: (checked, original, fixed, ran) for name, checked, original, fixed, ran in results}


def _resource_path(core, line):
    names = {}
    for option, value in zip(line, line[1:]):
        if option in ("-r", "-i", "-e", "--gallery-name", "--gallery-image-definition", "--gallery-image-version"):
            names[{"--gallery-name": "-r", "--gallery-image-definition": "-i",
                   "--gallery-image-version": "-e"}.get(option, option)] = value
    path = "/galleries/" + names.get("-r", "")
    if core[1] in ("image-definition", "image-version"):
        path += "/images/" + names["-i"]
    if core[1] == "image-version":
        path += "/versions/" + names["-e"]
    return path


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_the_fixed_command_of_a_check_creates_what_was_asked(emulator, runs, case):
    name, check, core, line, rule, fields, _ = case
    checked, original, fixed, ran = runs[name]
    assert checked.exit_code == 1, checked.stderr[-2000:]
    failing = {f["rule"] for f in checked.json["findings"] if f["status"] == "fail"}
    assert rule in failing, failing
    assert fixed, json.dumps(checked.json["fix_details"], indent=1)
    # The user's other options stand in the fixed line as typed.
    for kept in ("--subscription " + SUB, "--tags team=images"):
        if kept.split()[0] in line:
            assert kept in fixed, fixed
    assert ran.returncode == 0, (fixed, ran.stderr[-3000:])
    journal = emulator.journal()
    # The fix may rename what is created (a name the service refuses, another definition): the
    # body went to the name in the fixed command.
    fixed_words = shlex.split(fixed)
    path = _resource_path(core, fixed_words[1 + len(core):])
    sent = [entry for entry in _puts(journal, path) if entry["status"] < 300]
    fixed_names = {e["edit"] for e in checked.json["fix_details"]["edits"]}
    assert sent, (path, fixed_names)
    refused = [entry for entry in _puts(journal, _resource_path(core, line)) if entry["status"] >= 400]
    if refused and refused[0].get("body") and sent[-1].get("body"):
        changed = _diff(refused[0]["body"], sent[-1]["body"])
        assert _allowed(changed, fields) == [], (changed, fixed_names)


@pytest.mark.parametrize("case", [case for case in CASES if case[6]], ids=[case[0] for case in CASES if case[6]])
def test_explain_fixes_the_failed_command_from_its_debug_log(emulator, runs, case):
    name, _, core, line, _, _, _ = case
    _, original, _, _ = runs[name]
    assert original.exit_code != 0
    explained = emulator.az("sig", "doctor", "explain", "--log", "-", "-o", "json", input=original.stderr)
    known = [f for f in explained.json if f["id"]]
    assert known, explained.stdout[-2000:]
    fixed = known[0]["fixed_command"]
    assert fixed, json.dumps(known[0]["fix_details"], indent=1)
    assert fixed.startswith("az " + " ".join(core)) and "--subscription " + SUB in fixed
    # A second run of the same create must not collide with the check's fixed command: take another name.
    retried = fixed.replace(" -e " + dict(zip(line[0::2], line[1::2])).get("-e", "\0") + " ", " -e 9.{}.0 ".format(
        CASES.index(case))) if core[1] == "image-version" else fixed
    ran = _bash(emulator, retried)
    assert ran.returncode == 0, (retried, ran.stderr[-3000:])


@pytest.mark.parametrize("case", VM_CASES, ids=[case[0] for case in VM_CASES])
def test_the_fixed_command_of_check_vm_passes_its_check(emulator, runs, case):
    """az vm create goes through a template deployment (and makes a network), which the emulator
    does not run: the fixed VM command is proven by the check it guards, run on exactly that line,
    and by az's own parser taking it (the check takes every option of az vm create, and only those)."""
    name, line, rule, fields = case
    checked = emulator.az("sig", "doctor", "check-vm", *line, "-o", "json")
    assert checked.exit_code == 1, checked.stderr[-2000:]
    assert rule in {f["rule"] for f in checked.json["findings"] if f["status"] == "fail"}
    fixed = checked.json["fixed_command"]
    assert fixed and fixed.startswith("az vm create ") and "--nsg ''" in fixed and "--subscription " + SUB in fixed
    rechecked = _bash(emulator, fixed.replace("az vm create ", "az sig doctor check-vm ", 1) + " -o json")
    assert rechecked.returncode == 0, (fixed, rechecked.stdout[-3000:], rechecked.stderr[-2000:])
    assert json.loads(rechecked.stdout)["summary"]["fail"] == 0


@pytest.mark.parametrize("case", DISK_CASES, ids=[case[0] for case in DISK_CASES])
def test_the_fixed_command_of_check_vm_for_a_disk_creates_it(emulator, runs, case):
    name, line, rule, fields = case
    checked = emulator.az("sig", "doctor", "check-vm", *line, "-o", "json")
    assert checked.exit_code == 1, checked.stderr[-2000:]
    assert rule in {f["rule"] for f in checked.json["findings"] if f["status"] == "fail"}
    fixed = checked.json["fixed_command"]
    assert fixed and fixed.startswith("az disk create ") and "--subscription " + SUB in fixed, fixed
    refused = emulator.az("disk", "create", *line)
    assert refused.exit_code != 0
    emulator.clear_journal()
    ran = _bash(emulator, fixed)
    assert ran.returncode == 0, (fixed, ran.stderr[-3000:])
    [put] = [entry for entry in emulator.journal() if entry["method"] == "PUT" and "/disks/" in entry["path"]]
    assert put["status"] < 300 and put["body"]["tags"] == {"team": "images"}
    assert put["body"]["properties"]["creationData"]["galleryImageReference"]["lun"] == 0


# Every rule whose entry has an edit is proven above, or says here why it cannot be.
NOT_PROVEN_HERE = {
}


def test_every_rule_with_a_fix_has_an_end_to_end_case():
    from azext_sig_doctor import knowledge
    from azext_sig_doctor.checks import registry
    covered = {case[4] for case in CASES} | {case[2] for case in VM_CASES} | {case[2] for case in DISK_CASES}
    with_fix = set()
    for rule in registry.all_rules():
        if set(rule.kinds) == {"build"}:
            continue  # a template's fix is an edit of the template: tests/test_build_e2e.py applies them
        for error_id in rule.error_ids:
            try:
                entry = knowledge.get(error_id)
            except KeyError:
                continue
            if entry.data.get("edit"):
                with_fix.add(rule.id)
    assert sorted(with_fix - covered - set(NOT_PROVEN_HERE)) == []
    assert sorted(set(NOT_PROVEN_HERE) & covered) == []


def test_the_steps_before_a_version_in_a_new_gallery_make_a_definition_that_takes_the_source(emulator):
    """A version into a gallery that does not exist yet: the steps to run first create the gallery
    and a definition that fits the source VM (az would otherwise make a Gen2 definition
    TrustedLaunchSupported, which takes no VM source); with the user's names chosen for the
    definition's identifier, the steps and the fixed command run as pasted."""
    emulator.load(world())
    line = ["-g", RG, "-r", "brandNewGallery", "-i", "ubuntu", "-e", "1.0.0", "--virtual-machine", BUILD_VM,
            "--target-regions", "eastus", "westus=2", "--tags", "team=images", "--subscription", SUB]
    checked = emulator.az("sig", "doctor", "check-version", *line, "-o", "json")
    assert checked.exit_code == 1
    failing = {f["error_id"] for f in checked.json["findings"] if f["status"] == "fail"}
    assert failing == {"version.gallery-not-found"}, failing
    before = [step["command"] for step in checked.json["fix_details"]["before"]]
    assert before[0] == "az sig create -g {} -r brandNewGallery -l eastus --subscription {}".format(RG, SUB)
    assert "--os-type Linux --os-state Generalized --hyper-v-generation V2 --architecture x64 " \
           "--features SecurityType=Standard --subscription " + SUB in before[1], before[1]
    for step in before:
        chosen = step.replace("<publisher>", "contoso").replace("<offer>", "ubuntu").replace("<sku>", "22_04")
        ran = _bash(emulator, chosen)
        assert ran.returncode == 0, (chosen, ran.stderr[-2000:])
    fixed = checked.json["fixed_command"]
    assert fixed.startswith("az sig image-version create ") and "--tags team=images" in fixed
    ran = _bash(emulator, fixed)
    assert ran.returncode == 0, (fixed, ran.stderr[-3000:])

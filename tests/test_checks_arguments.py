"""A check takes the command line of the core command it guards, unchanged but for the command name.

The accepted options come from the argument parsers the real az 2.91 builds (with this extension
loaded), so an option added to a core command by a new az release fails here until the check
accepts it too; the runs below feed core command lines to the real az against the emulator.
"""

import json
import os
import subprocess
import sys

import pytest

from tests.test_checks_e2e import IMAGES, SCENARIO, SUB, cid

GUARDED = {
    "sig doctor check-gallery": ["sig create"],
    "sig doctor check-definition": ["sig image-definition create"],
    "sig doctor check-version": ["sig image-version create"],
    "sig doctor check-vm": ["vm create", "vmss create", "disk create"],
}
DOCTOR_OPTIONS = {"--fail-on", "--offline", "--report-format", "--report-file"}
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _parser(command):
    """The argument parser az builds for ``command``."""
    from azure.cli.core import get_default_cli
    cli = get_default_cli()
    invocation = cli.invocation = cli.invocation_cls(cli_ctx=cli, parser_cls=cli.parser_cls,
                                                     commands_loader_cls=cli.commands_loader_cls,
                                                     help_cls=cli.help_cls)
    invocation.data["command_string"] = command
    loader = invocation.commands_loader
    loader.load_command_table(command.split())
    loader.command_name = command
    loader.load_arguments(command)
    loader.command_table = {command: loader.command_table[command]}
    invocation.parser.load_command_table(loader)
    return invocation.parser.subparser_map[command]


def _parser_option_strings(command):
    """Every option string `az <command>` accepts, from the parser az builds for it."""
    parser = _parser(command)
    # "--__NAME" options are the CLI's placeholders for arguments nobody may pass, and "--cmd"
    # is the command object itself; neither is part of a command line.
    actions = parser._actions  # pylint: disable=protected-access
    return sorted(option for action in actions for option in action.option_strings
                  if not option.startswith("--__") and option != "--cmd")


def print_parser_options():
    """Entry point for a child process with az's environment: JSON {command: [options]}."""
    print(json.dumps({command: _parser_option_strings(command) for command in sys.argv[1:]}))


@pytest.fixture(scope="module")
def accepted(emulator):
    """{command: set of option strings} for the checks and the core commands they guard."""
    commands = sorted(set(GUARDED).union(*GUARDED.values()))
    code = "from tests.test_checks_arguments import print_parser_options; print_parser_options()"
    completed = subprocess.run([sys.executable, "-c", code, *commands], cwd=REPO_ROOT, capture_output=True,
                               text=True, timeout=300, env=dict(os.environ, **emulator.env), check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return {command: set(options) for command, options in json.loads(completed.stdout).items()}


@pytest.mark.parametrize("check", sorted(GUARDED))
def test_a_check_accepts_every_option_of_its_core_commands(accepted, check):
    core = set().union(*(accepted[command] for command in GUARDED[check]))
    assert len(core) > 20, core
    assert sorted(core - accepted[check]) == []


@pytest.mark.parametrize("check", sorted(GUARDED))
def test_a_check_accepts_nothing_but_core_options_and_its_own(accepted, check):
    core = set().union(*(accepted[command] for command in GUARDED[check]))
    assert sorted(accepted[check] - core - DOCTOR_OPTIONS) == []


# ---- core command lines through the real az --------------------------------------------------------

VM_LINE = ["-g", "chk-rg", "-n", "vm1", "-l", "eastus", "--image", cid(IMAGES + "linuxGen2/versions/1.0.0"),
           "--size", "Standard_D2s_v5", "--admin-username", "azureuser", "--generate-ssh-keys", "--zone", "1",
           "--nsg", "", "--public-ip-address", "", "--os-disk-size-gb", "64", "--tags", "team=images", "env=dev",
           "--enable-secure-boot", "true", "--accelerated-networking", "--specialized", "false", "--no-wait",
           "--security-type", "Standard"]


@pytest.mark.parametrize("args", [
    ["check-vm"] + VM_LINE,
    # az vmss create names the size --vm-sku and takes its own options.
    ["check-vm", "-g", "chk-rg", "-n", "ss1", "-l", "eastus", "--image", cid(IMAGES + "linuxGen2/versions/1.0.0"),
     "--vm-sku", "Standard_D2s_v5", "--instance-count", "2", "--orchestration-mode", "Flexible", "--lb", "",
     "--admin-username", "azureuser", "--generate-ssh-keys", "--security-type", "Standard"],
    # az disk create: -z is its --size-gb, and it has security types of its own.
    ["check-vm", "-g", "chk-rg", "-n", "disk1", "-l", "eastus", "--gallery-image-reference",
     cid(IMAGES + "linuxGen2/versions/1.0.0"), "--gallery-image-reference-lun", "1", "-z", "128", "--sku",
     "Premium_LRS", "--security-type", "ConfidentialVM_DiskEncryptedWithPlatformKey", "--no-wait"],
    ["check-version", "-g", "chk-rg", "-r", "chkGallery", "-i", "linuxGen2", "-e", "2.0.0", "--managed-image",
     "goodImage", "--target-regions", "eastus", "--no-wait"],
    ["check-gallery", "-g", "other-rg", "-r", "otherGallery", "-l", "eastus", "--soft-delete-grace-period", "7",
     "--soft-delete-retention", "30", "--no-wait"],
], ids=["vm create", "vmss create", "disk create", "image-version create", "sig create"])
def test_a_core_command_line_runs_as_a_check(emulator, args):
    emulator.load(SCENARIO)
    result = emulator.az("sig", "doctor", *args, "-o", "json")
    assert result.exit_code == 0, result.stderr[-2000:]
    assert result.json["summary"]["fail"] == 0, json.dumps(result.json["findings"], indent=1)
    assert [e for e in emulator.journal() if e["method"] != "GET" and "/oauth2/" not in e["path"]] == []


def test_vm_findings_name_the_vm_and_send_gallery_commands_to_the_image_gallery(emulator):
    emulator.load(SCENARIO)
    # The VM goes to chk-west-rg; the gallery of --image is in chk-rg.
    result = emulator.az("sig", "doctor", "check-vm", "-g", "chk-west-rg", "-n", "vm1", "-l", "westeurope", "--image",
                         cid(IMAGES + "linuxGen2/versions/1.0.0"), "--security-type", "Standard", "--specialized",
                         "-o", "json")
    assert result.exit_code == 1, result.stderr[-2000:]
    findings = {f["error_id"]: f for f in result.json["findings"] if f["status"] == "fail"}
    assert set(findings) == {"vm.version-not-in-region", "vm.os-profile-missing-for-generalized-image"}
    gallery_commands = [c for c in findings["vm.version-not-in-region"]["commands"] if c.startswith("az sig ")]
    assert gallery_commands and all(" -g chk-rg -r chkGallery " in c for c in gallery_commands), gallery_commands
    values = findings["vm.version-not-in-region"]["values"]
    assert (values["resource_group"], values["subscription"]) == ("chk-rg", SUB)
    assert values["vm_resource_group"] == "chk-west-rg"
    # The fixed command is the user's own az vm create: --specialized left out, run after the version
    # is replicated to westeurope (the step to run first goes to the gallery's group).
    fixed = result.json["fixed_command"]
    assert fixed == "az vm create -g chk-west-rg -n vm1 -l westeurope --image {} --security-type Standard".format(
        cid(IMAGES + "linuxGen2/versions/1.0.0"))
    before = result.json["fix_details"]["before"]
    assert [step["command"] for step in before] == [
        "az sig image-version update -g chk-rg -r chkGallery -i linuxGen2 -e 1.0.0 --add "
        "publishingProfile.targetRegions name=westeurope"]


def test_community_gallery_without_publisher_details_is_refused_like_az_sig_create(emulator):
    emulator.load(SCENARIO)
    line = ["-g", "chk-rg", "-r", "communityGallery", "-l", "eastus", "--permissions", "Community", "--eula", "x"]
    core = emulator.az("sig", "create", *line)
    checked = emulator.az("sig", "doctor", "check-gallery", *line)
    assert core.exit_code != 0 and checked.exit_code != 0
    assert "--publisher-uri, --publisher-email, --eula, --public-name-prefix" in core.error_line
    assert checked.error_line == core.error_line
    assert "Traceback" not in checked.stderr
    assert [e for e in emulator.journal() if e["method"] != "GET" and "/oauth2/" not in e["path"]] == []
    complete = line + ["--publisher-uri", "https://contoso.example", "--publisher-email", "images@contoso.example",
                       "--public-name-prefix", "contoso"]
    assert emulator.az("sig", "doctor", "check-gallery", *complete, "-o", "json").exit_code == 0

"""Arguments of ``az sig doctor`` commands.

Imported whenever ``az`` loads the extension's arguments, so it must stay free of heavy imports:
the section choices are repeated here rather than imported from the knowledge module.
"""

from knack.arguments import CLIArgumentType

SECTION_CHOICES = ["gallery", "definition", "version", "vm", "disk", "sharing", "replication", "limits", "image",
                   "application", "tooling"]


def load_arguments(loader, _):
    from azure.cli.core.commands.parameters import get_enum_type

    # ---- error list / show ------------------------------------------------------------------
    with loader.argument_context("sig doctor error list") as c:
        c.argument("section", arg_type=get_enum_type(SECTION_CHOICES),
                   help="Only the entries of this section of the troubleshooting article.")
        c.argument("code", help="Only the entries that carry this ARM error code (any case), e.g. "
                                "GallerySourceResourceExceedsMaxSize.")
    with loader.argument_context("sig doctor error show") as c:
        from azext_sig_doctor._validators import validate_error_show
        c.argument("entry_id", CLIArgumentType(options_list=["--id"]), validator=validate_error_show,
                   help="Id of the knowledge-base entry (any case), as printed by `az sig doctor error list`.")
        c.argument("code", help="An ARM error code (any case): shows every entry that carries it.")

    # ---- guarded creates and replication follow-up (create/) -----------------------------------
    _create_and_replication_arguments(loader)

    # ---- explain (explain/) -------------------------------------------------------------------
    _explain_arguments(loader)

    # ---- pre-checks (checks/) -----------------------------------------------------------------
    _check_arguments(loader)

    # ---- estate: latest per region and the estate scan (estate/) -------------------------------
    _estate_arguments(loader)

    # ---- check-build: Packer, Image Builder and Terraform templates (build/) --------------------
    _build_arguments(loader)
    # ---- rules (rule_catalog) -----------------------------------------------------------------
    with loader.argument_context("sig doctor rule show") as c:
        c.argument("rule_id", CLIArgumentType(options_list=["--id"]),
                   help="Id of the rule (any case), as printed by `az sig doctor rule list`.")


# ---- guarded creates and replication follow-up (create/) -------------------------------------------

_DURATION_HELP = "seconds, or a number with s, m, h or d (90s, 30m, 6h)"


def _create_and_replication_arguments(loader):
    from azext_sig_doctor import _validators
    for scope in ("sig doctor create-gallery", "sig doctor create-definition", "sig doctor create-version",
                  "sig doctor replication"):
        with loader.argument_context(scope) as c:
            _gallery_names_args(c)
    with loader.argument_context("sig doctor create-gallery") as c:
        _gallery_create_args(c)
        # What `supports_no_wait` gives az sig create (create-version has it from commands.py); az leaves
        # a no_wait parameter out of the arguments it reads from a signature, so it is added here.
        c.extra("no_wait", options_list=["--no-wait"], action="store_true",
                help="Do not wait for the long-running operation to finish.")
    with loader.argument_context("sig doctor create-definition") as c:
        _definition_create_args(c)
    with loader.argument_context("sig doctor create-version") as c:
        _version_create_args(c)
    for scope in ("sig doctor create-gallery", "sig doctor create-definition", "sig doctor create-version"):
        with loader.argument_context(scope, arg_group="Doctor") as c:
            c.argument("skip_checks", action="store_true", validator=_validators.validate_skip_checks,
                       help="Create without running the pre-checks first.")
            c.argument("dry_run", action="store_true",
                       help="Run the checks and print the exact request body; send nothing.")
            _report_args(c, "Stop before the create when a check finding reaches this level: warning, unverified "
                            "(the default: a failure, or a rule that could not run), error (definite failures "
                            "only) or never.")
    for scope in ("sig doctor create-version", "sig doctor replication"):
        with loader.argument_context(scope, arg_group="Replication") as c:
            c.argument("timeout", validator=_validators.validate_timeout,
                       help="Stop following after this long (default 6h); " + _DURATION_HELP + ".")
            c.argument("stall_timeout", options_list=["--stall-timeout"], validator=_validators.validate_stall_timeout,
                       help="Report a region as stalled when its progress has not moved for this long, and stop "
                            "when the status could not be read for this long (default 1h); " + _DURATION_HELP + ".")
            c.argument("interval", options_list=["--poll-interval"], validator=_validators.validate_poll_interval,
                       help="Time between two readings of the replication status (default 30s); "
                            + _DURATION_HELP + ".")
    with loader.argument_context("sig doctor replication") as c:
        c.argument("gallery_image_version", options_list=["--gallery-image-version", "-e"],
                   help="Image version; without it, every version of the definition is summarised.")
        c.argument("wait", action="store_true", arg_group="Replication", validator=_validators.validate_wait,
                   help="Follow the replication until every target region is Completed, with progress on "
                        "stderr.")


def _gallery_names_args(c):
    """-r and -i as the core `az sig` commands spell them."""
    c.argument("gallery_name", options_list=["--gallery-name", "-r"], help="Gallery name.")
    c.argument("gallery_image_name", options_list=["--gallery-image-definition", "-i"],
               help="Image definition name.")


def _report_args(c, fail_on_help):
    """The pre-checks' exit level and pipeline report, shared by the checks and the guarded creates."""
    from azure.cli.core.commands.parameters import get_enum_type
    from azext_sig_doctor._validators import validate_report_file
    c.argument("fail_on", arg_type=get_enum_type(["warning", "unverified", "error", "never"]), help=fail_on_help)
    c.argument("report_format", arg_type=get_enum_type(["sarif", "junit"]),
               help="Also write the pre-checks' findings to --report-file in this format.")
    c.argument("report_file", validator=validate_report_file, help="File to write the --report-format report to.")


def _gallery_create_args(c):
    """The arguments of `az sig create` that shape the request."""
    from azure.cli.core.commands.parameters import (get_enum_type, get_location_type, get_three_state_flag,
                                                    tags_type)
    c.argument("location", get_location_type(c.command_loader.cli_ctx))
    c.argument("tags", tags_type)
    c.argument("description", help="Description of the gallery.")
    c.argument("permissions", arg_type=get_enum_type(["Private", "Groups", "Community"]),
               help="How the gallery is shared.")
    c.argument("soft_delete", arg_type=get_three_state_flag(), help="Enable soft-deletion for resources in "
                                                                    "this gallery.")
    c.argument("soft_delete_grace_period", type=int, options_list=["--soft-delete-grace", "--soft-delete-grace-period"],
               help="Days a simulated hard-deleted image version can still be recovered.")
    c.argument("soft_delete_retention_period", type=int,
               options_list=["--soft-delete-retention", "--soft-delete-retention-period"],
               help="Days a soft-deleted image version is kept before it becomes simulated hard-deleted.")
    c.argument("publisher_uri", help="Community gallery publisher URI.")
    c.argument("publisher_contact", options_list=["--publisher-email", "--publisher-contact"],
               help="Community gallery publisher contact e-mail.")
    c.argument("eula", help="Community gallery end-user license agreement.")
    c.argument("public_name_prefix", help="Community gallery public name prefix.")
    c.argument("mi_system_assigned", options_list=["--mi-system-assigned", "--system-assigned"],
               nargs="?", const="True",
               help="Give the gallery a system-assigned identity (bare, or True/False as az sig create takes it).")
    c.argument("mi_user_assigned", options_list=["--mi-user-assigned", "--user-assigned"], nargs="+",
               help="Resource ids of user-assigned identities for the gallery.")


def _definition_create_args(c):
    """The arguments of `az sig image-definition create`."""
    from azure.cli.core.commands.parameters import get_enum_type, get_location_type, tags_type
    c.argument("location", get_location_type(c.command_loader.cli_ctx))
    c.argument("tags", tags_type)
    c.argument("offer", options_list=["--offer", "-f"], help="Image offer.")
    c.argument("sku", options_list=["--sku", "-s"], help="Image SKU.")
    c.argument("publisher", options_list=["--publisher", "-p"], help="Image publisher.")
    c.argument("os_type", arg_type=get_enum_type(["Windows", "Linux"]), help="Operating system of the image.")
    c.argument("os_state", arg_type=get_enum_type(["Generalized", "Specialized"]),
               help="Whether VMs made from the image are generalized or specialized.")
    c.argument("hyper_v_generation", arg_type=get_enum_type(["V1", "V2"]), help="Hypervisor generation.")
    c.argument("architecture", arg_type=get_enum_type(["x64", "Arm64"]), help="CPU architecture.")
    c.argument("features", help='Features, e.g. "SecurityType=TrustedLaunch IsAcceleratedNetworkSupported=true".')
    for name in ("minimum_cpu_core", "maximum_cpu_core", "minimum_memory", "maximum_memory"):
        c.argument(name, type=int, arg_group="Recommendation")
    for name in ("plan_name", "plan_publisher", "plan_product"):
        c.argument(name, arg_group="Purchase plan")
    c.argument("disallowed_disk_types", nargs="*", help="Disk types the image does not work with.")
    c.argument("end_of_life_date", help="End-of-life date, e.g. 2030-12-31.")
    c.argument("eula", help="End-user license agreement.")
    c.argument("description", help="Not sent by az sig image-definition create either; kept for the same "
                                   "command line.")
    c.argument("privacy_statement_uri", help="Not sent by az sig image-definition create either.")
    c.argument("release_note_uri", help="Not sent by az sig image-definition create either.")


def _version_create_args(c):
    """The arguments of `az sig image-version create`."""
    from azure.cli.core.commands.parameters import (get_enum_type, get_location_type, get_three_state_flag,
                                                    tags_type)
    c.argument("location", get_location_type(c.command_loader.cli_ctx))
    c.argument("tags", tags_type)
    c.argument("gallery_image_version", options_list=["--gallery-image-version", "-e"],
               help="Version to create: MAJOR.MINOR.PATCH.")
    c.argument("target_regions", nargs="*",
               help="Regions to replicate to: region[=replica count][=storage account type] ...")
    c.argument("replica_count", type=int, help="Default replica count per region.")
    c.argument("storage_account_type", arg_type=get_enum_type(["Standard_LRS", "Standard_ZRS", "Premium_LRS"]),
               help="Default storage account type per region.")
    c.argument("end_of_life_date", help="End-of-life date, e.g. 2030-12-31.")
    c.argument("exclude_from_latest", arg_type=get_three_state_flag(),
               help="Leave this version out when 'latest' is resolved.")
    c.argument("managed_image", help="Managed image name (same resource group) or id.")
    c.argument("virtual_machine", help="Resource id of the source VM.")
    c.argument("image_version", help="Resource id of a source gallery image version.")
    c.argument("os_snapshot", help="Name or id of the OS disk snapshot.")
    c.argument("data_snapshots", nargs="+", help="Names or ids of data disk snapshots.")
    c.argument("data_snapshot_luns", nargs="+", help="LUNs of the data disk snapshots.")
    c.argument("os_vhd_uri", help="Source VHD URI of the OS disk.")
    c.argument("os_vhd_storage_account", help="Name or id of the storage account of --os-vhd-uri.")
    c.argument("data_vhds_uris", nargs="+", help="Source VHD URIs of data disks.")
    c.argument("data_vhds_luns", nargs="+", help="LUNs of the data disk VHDs.")
    c.argument("data_vhds_storage_accounts", options_list=["--data-vhds-storage-accounts", "--data-vhds-sa"],
               nargs="+", help="Storage accounts of the data disk VHDs.")
    c.argument("target_region_encryption", nargs="+",
               help="Per region: <os_des>,<lun1>,<lun1_des>,... ('null' for none).")
    c.argument("target_region_cvm_encryption", nargs="+",
               help="Per region: <os_cvm_encryption_type>,<os_cvm_des>.")
    c.argument("target_edge_zones", nargs="*", help="region=edge zone[=replica count][=storage account type] ...")
    c.argument("target_zone_encryption", nargs="+", options_list=["--target-edge-zone-encryption",
                                                                  "--zone-encryption"],
               help="Per edge zone: <edge zone>,<os_des>,<lun1>,<lun1_des>,...")
    c.argument("replication_mode", arg_type=get_enum_type(["Full", "Shallow"]), help="Replication mode.")
    c.argument("allow_replicated_location_deletion", arg_type=get_three_state_flag(),
               help="Allow removing replicated regions from this version.")
    c.argument("block_deletion_before_end_of_life", arg_type=get_three_state_flag(),
               options_list=["--block-deletion-before-end-of-life", "--block-delete-before-eol"],
               help="Block deletion of this version before its end-of-life date.")


# ---- explain (explain/) ---------------------------------------------------------------------------

def _explain_arguments(loader):
    with loader.argument_context("sig doctor explain") as c:
        c.argument("log", options_list=["--log", "-l"],
                   help="Log file to read: az --debug output, an Az PowerShell -Debug transcript, ARM error "
                        "JSON, Packer or Terraform output; .gz is read as is; '-' reads standard input.")
        c.argument("message", options_list=["--message", "-m"],
                   help="An error message or fragment of a log, pasted as text.")


# ---- pre-checks (checks/) -------------------------------------------------------------------------
# Each check takes the arguments of the command it guards (the same functions as the guarded
# creates), so a command line works after swapping the command name.

def _check_arguments(loader):
    for scope in ("sig doctor check-gallery", "sig doctor check-definition", "sig doctor check-version"):
        with loader.argument_context(scope) as c:
            _gallery_names_args(c)
    with loader.argument_context("sig doctor check-gallery") as c:
        _gallery_create_args(c)
    with loader.argument_context("sig doctor check-definition") as c:
        _definition_create_args(c)
    with loader.argument_context("sig doctor check-version") as c:
        _version_create_args(c)
    with loader.argument_context("sig doctor check-vm") as c:
        _vm_create_args(c)
    for scope in ("sig doctor check-gallery", "sig doctor check-definition", "sig doctor check-version",
                  "sig doctor check-vm"):
        with loader.argument_context(scope, arg_group="Doctor") as c:
            c.argument("offline", action="store_true",
                       help="Check the arguments alone, without reading anything from Azure (no login needed).")
            _report_args(c, "Exit with code 1 when a finding reaches this level: warning, unverified (the "
                            "default: a failure, or a rule that could not run), error (definite failures only) "
                            "or never.")
    for scope, (core, shown, hidden) in PASS_THROUGH.items():
        with loader.argument_context(scope, arg_group="Compatibility") as c:
            _pass_through_args(c, core, shown, hidden)


# The options of the guarded core commands (az 2.91) that a check accepts and ignores, so that the
# core command line runs after swapping the command name: the check reads nothing they say. One
# argument per word, its aliases joined by "/"; "hidden" ones are accepted by the core command
# without being shown in its help. tests/test_checks_arguments.py compares them with the parsers
# of the core commands, so a new az release that adds an option is noticed.
PASS_THROUGH = {
    "sig doctor check-gallery": (
        "az sig create",
        "--no-wait",
        ""),
    "sig doctor check-definition": ("az sig image-definition create", "", ""),
    "sig doctor check-version": ("az sig image-version create", "--no-wait", ""),
    "sig doctor check-vm": (
        "az vm/vmss/disk create",
        # az vm create
        "--accept-term --add-proxy-agent-ext/--add-proxy-agent-extension "
        "--additional-events/--additional-scheduled-events --align-regional-disks/--align-regional-disks-to-vm-zone "
        "--all-instance-down/--enable-all-instance-down --availability-set --boot-diagnostics-storage "
        "--capacity-reservation-group/--crg --computer-name --count --custom-data --data-disk-iops --data-disk-mbps "
        "--disable-capacity-reservation-assignment/--no-cap-reservation --disable-integrity-monitoring-autoupgrade "
        "--edge-zone --enable-agent --enable-auto-update --enable-hibernation --enable-hotpatching "
        "--enable-integrity-monitoring --enable-proxy-agent --enable-reboot/--enable-user-reboot-scheduled-events "
        "--enable-redeploy/--enable-user-redeploy-scheduled-events --enable-secure-boot --enable-vtpm "
        "--encryption-identity --eviction-policy --exclude-zones "
        "--imds-access-control-profile-reference-id/--imds-profile-id --imds-mode --include-zones "
        "--key-incarnation-id --license-type --max-price --no-wait --os-disk-secure-vm-disk-encryption-set "
        "--os-disk-security-encryption-type --patch-mode --platform-fault-domain --ppg --priority --processor-mode "
        "--proxy-agent-mode --scheduled-events-api-version/--se-api-version --secrets --ssh-key-name --tags "
        "--user-data --v-cpus-available --v-cpus-per-core --validate --vmss "
        "--wire-local-rules/--wire-server-use-local-file-rules "
        "--wire-server-access-control-profile-reference-id/--wire-server-profile-id --wire-server-mode --zone/-z "
        "--zone-movement --zone-placement-policy --ssh-dest-key-path --ssh-key-type --host --host-group "
        "--assign-identity --role --scope --plan-promotion-code --workspace --accelerated-networking --asgs "
        "--nic-delete-option --nics --nsg --nsg-rule --private-ip-address --public-ip-address "
        "--public-ip-address-allocation --public-ip-address-dns-name --public-ip-sku --subnet "
        "--subnet-address-prefix --vnet-address-prefix --vnet-name --attach-data-disks --attach-os-disk "
        "--data-disk-caching --data-disk-delete-option --data-disk-encryption-sets --data-disk-sizes-gb "
        "--disk-controller-type --encryption-at-host --ephemeral-full-caching/--ephemeral-os-disk-enable-full-caching "
        "--ephemeral-os-disk --ephemeral-os-disk-placement/--ephemeral-placement --os-disk-caching "
        "--os-disk-delete-option --os-disk-encryption-set --os-disk-name --os-disk-size-gb --os-type "
        "--source-disk-restore-point/--source-disk-rp --source-disk-restore-point-size-gb/--source-rp-size "
        "--source-resource/--source-snapshots-or-disks --source-resource-size/--source-snapshots-or-disks-size-gb "
        "--storage-account --storage-container-name --storage-sku --ultra-ssd-enabled --use-unmanaged-disk "
        # az vmss create
        "--automatic-repairs-action --automatic-repairs-grace-period "
        "--automatic-zone-balancing-behavior/--balancing-behavior "
        "--automatic-zone-balancing-strategy/--balancing-strategy --computer-name-prefix --disable-overprovision "
        "--enable-auto-os-upgrade --enable-auto-repairs/--enable-automatic-repairs "
        "--enable-automatic-zone-balancing/--enable-zone-balancing --enable-cross-zone-upgrade "
        "--enable-osimage-notification --enable-resilient-creation --enable-resilient-deletion --enable-spot-restore "
        "--exclude-extensions/--security-posture-reference-exclude-extensions --health-probe --instance-count "
        "--instance-percent-policy/--ipp --is-overridable/--security-posture-reference-is-overridable "
        "--max-batch-instance-percent --max-instance-percent/--value-max-instance-percent-per-zone --max-surge "
        "--max-unhealthy-instance-percent --max-unhealthy-upgraded-instance-percent --max-zone-count "
        "--network-api-version --orchestration-mode --pause-time-between-batches --platform-fault-domain-count "
        "--prioritize-unhealthy-instances --regular-priority-count --regular-priority-percentage --scale-in-policy "
        "--security-posture-id/--security-posture-reference-id --single-placement-group "
        "--sku-allocat-strat/--skuprofile-allocation-strategy --skuprofile-rank --skuprofile-vmsizes "
        "--spot-restore-timeout --terminate-notification-time --upgrade-policy-mode --zone-balance --zones "
        "--dns-servers --public-ip-per-vm --vm-domain-name --app-gateway --app-gateway-capacity --app-gateway-sku "
        "--app-gateway-subnet-address-prefix --backend-pool-name --backend-port --lb/--load-balancer "
        "--lb-nat-rule-name/--nat-rule-name --lb-sku "
        # az disk create
        "--accelerated-network --action-on-disk-delay --architecture --data-access-auth-mode --disk-access "
        "--disk-encryption-set --disk-iops-read-only --disk-iops-read-write --disk-mbps-read-only "
        "--disk-mbps-read-write --enable-bursting --encryption-type --hyper-v-generation --image-reference "
        "--image-reference-lun --logical-sector-size --max-shares --network-access-policy "
        "--optimized-for-frequent-attach --performance-plus --public-network-access --secure-vm-disk-encryption-set "
        "--security-data-uri --security-metadata-uri --security-option/--supported-security-option --size-gb --sku "
        "--source --source-storage-account-id --support-hibernation --tier --upload-size-bytes --upload-type",
        "--data-delete-option --disable-integrity-monitoring --storage-caching --lb-nat-pool-name/--nat-pool-name "
        "--for-upload"),
}


def _pass_through_args(c, core, shown, hidden):
    """Accept ``shown`` and ``hidden`` options of ``core`` with any number of values, and ignore them."""
    import argparse
    # Short: check-vm lists some 200 of them, and the group's title and the command's summary say more.
    help_text = "Accepted for compatibility with {}; not checked.".format(core)
    for words, help_value in ((shown, help_text), (hidden, argparse.SUPPRESS)):
        for word in words.split():
            options = word.split("/")
            # A destination of its own, so a value never reaches a parameter the check reads.
            dest = "ignored_" + options[0].lstrip("-").replace("-", "_")
            # nargs="*" takes a bare flag, a true/false value and a list alike: no core option takes
            # a positional after it, so nothing else could be swallowed.
            c.extra(dest, options_list=options, nargs="*", help=help_value)


def _vm_create_args(c):
    """The arguments of `az vm create` / `az vmss create` (and `az disk create`) that a check reads."""
    from azure.cli.core.commands.parameters import get_enum_type, get_location_type, get_three_state_flag
    c.argument("image", help="Id of the gallery image version or image definition to create from.")
    c.argument("location", get_location_type(c.command_loader.cli_ctx))
    c.argument("size", options_list=["--size", "--vm-sku"],
               help="VM size (--vm-sku of az vmss create), e.g. Standard_D2s_v5.")
    c.extra("vm_name", options_list=["--name", "-n"],
            help="Name of the VM, scale set or disk; only used to fill the commands a finding suggests.")
    c.argument("admin_username", help="Admin user name (only whether it is given is checked).")
    c.argument("admin_password", help="Admin password (never shown; only whether it is given is checked).")
    c.argument("ssh_key_value", options_list=["--ssh-key-values"], nargs="+",
               help="SSH public keys or files (only whether given is checked).")
    c.argument("generate_ssh_keys", action="store_true", help="As for az vm create: keys would be generated.")
    c.argument("authentication_type", arg_type=get_enum_type(["ssh", "password", "all"]),
               help="Authentication type.")
    # The values of az vm create and az vmss create, then those az disk create adds.
    c.argument("security_type", arg_type=get_enum_type(
        ["Standard", "TrustedLaunch", "ConfidentialVM", "ConfidentialVM_VMGuestStateOnlyEncryptedWithPlatformKey",
         "ConfidentialVM_DiskEncryptedWithPlatformKey", "ConfidentialVM_DiskEncryptedWithCustomerKey"]),
               help="Security type of the VM. Without it, az vm create and az vmss create send no security "
                    "type for a gallery image (their TrustedLaunch default is for marketplace images), so "
                    "Azure creates a Standard VM.")
    c.argument("specialized", arg_type=get_three_state_flag(), help="The source image is specialized.")
    for name in ("plan_name", "plan_publisher", "plan_product"):
        c.argument(name, arg_group="Marketplace Image Plan")
    c.argument("gallery_image_reference", arg_group="Disk",
               help="For az disk create: id of the gallery image version the disk is made from.")
    c.argument("gallery_image_reference_lun", type=int, arg_group="Disk",
               help="For az disk create: LUN of the version's data disk to make the disk from.")


# ---- estate: latest per region and the estate scan (estate/) ---------------------------------------

def _estate_arguments(loader):
    from azure.cli.core.commands.parameters import get_enum_type
    from azext_sig_doctor import _validators
    with loader.argument_context("sig doctor latest") as c:
        _gallery_names_args(c)
        c.argument("locations", options_list=["--locations", "--location", "-l"], nargs="+",
                   help="Regions to resolve latest in (names or display names); default: every target region "
                        "of any version of the definition.")
    with loader.argument_context("sig doctor scan") as c:
        c.argument("subscriptions", nargs="+", validator=_validators.validate_scan_scope,
                   help="Subscription ids to scan (any number; Resource Graph is asked 1,000 at a time). Default: "
                        "every subscription the login can read.")
        c.argument("management_group", options_list=["--management-group", "-m"],
                   help="Scan the subscriptions of this management group (its name, as Resource Graph takes it).")
        c.argument("stuck_after", options_list=["--stuck-after"], validator=_validators.validate_stuck_after,
                   help="Report a region still replicating this long after the version was published (default "
                        "6h); " + _DURATION_HELP + ".")
    with loader.argument_context("sig doctor scan", arg_group="Report") as c:
        c.argument("fail_on", arg_type=get_enum_type(["warning", "unverified", "error", "never"]),
                   help="Exit with code 1 when a finding reaches this level: error (failures), unverified (also "
                        "rules that could not run because a read failed; the default), warning (also warnings), "
                        "or never.")
        c.argument("report_format", arg_type=get_enum_type(["sarif", "junit"]),
                   help="Also write the findings to --report-file in this format.")
        c.argument("report_file", validator=_validators.validate_report_file,
                   help="File to write the --report-format report to.")


# ---- check-build: Packer, Image Builder and Terraform templates (build/) ----------------------------

def _build_arguments(loader):
    with loader.argument_context("sig doctor check-build") as c:
        c.argument("packer", options_list=["--packer"], arg_group="Template",
                   help="A Packer HCL2 template (.pkr.hcl), a directory of them, or a legacy JSON template.")
        c.argument("image_template", options_list=["--image-template"], arg_group="Template",
                   help="An Image Builder template (JSON, as given to az image builder create) or an ARM template "
                        "with Microsoft.VirtualMachineImages/imageTemplates resources.")
        c.argument("terraform_plan", options_list=["--terraform-plan"], arg_group="Template",
                   help="The JSON of `terraform show -json PLANFILE`.")
        c.argument("variables", options_list=["--var"], action="append", arg_group="Template",
                   help="NAME=VALUE, as packer build -var takes it; repeat for more.")
        c.argument("var_files", options_list=["--var-file"], action="append", arg_group="Template",
                   help="A Packer variable file (.pkrvars.hcl or .json), as packer build -var-file takes it; "
                        "repeatable.")
    with loader.argument_context("sig doctor check-build", arg_group="Doctor") as c:
        c.argument("offline", action="store_true",
                   help="Check the template alone, without reading anything from Azure (no login needed).")
        _report_args(c, "Exit with code 1 when a finding reaches this level: warning, unverified (the default: a "
                        "failure, or a rule that could not run or whose value the template leaves unresolved), "
                        "error (definite failures only) or never.")

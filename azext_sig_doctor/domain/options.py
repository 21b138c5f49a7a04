"""The options of the core commands the doctor mirrors, as data: one table, read by everything.

``_params.py`` declares the doctor's arguments from it, the command-line model
(``commandline``) groups the words of a command line with it, and ``request`` reads the typed
request out of either. ``tests/test_options_table.py`` compares every option, alias and arity
with the parsers the real az 2.91 builds for the core commands.

Arity: ``one`` (one value), ``many`` (one or more values, az ``nargs='+'/'*'``), ``flag``
(no value), ``tri`` (az's three-state flag: bare, or followed by true/false).
"""

from collections import OrderedDict, namedtuple

Option = namedtuple("Option", "dest options arity")

ONE, MANY, FLAG, TRI = "one", "many", "flag", "tri"


def _table(*rows):
    return OrderedDict((row[0], Option(row[0], tuple(row[1].split()), row[2])) for row in rows)


_NAMES = (
    ("resource_group_name", "--resource-group -g", ONE),
    ("gallery_name", "--gallery-name -r", ONE),
)

GALLERY_CREATE = _table(
    *_NAMES,
    ("location", "--location -l", ONE),
    ("description", "--description", ONE),
    ("tags", "--tags", MANY),
    ("permissions", "--permissions", ONE),
    ("soft_delete", "--soft-delete", TRI),
    ("soft_delete_grace_period", "--soft-delete-grace-period --soft-delete-grace", ONE),
    ("soft_delete_retention_period", "--soft-delete-retention-period --soft-delete-retention", ONE),
    ("publisher_uri", "--publisher-uri", ONE),
    ("publisher_contact", "--publisher-email --publisher-contact", ONE),
    ("eula", "--eula", ONE),
    ("public_name_prefix", "--public-name-prefix", ONE),
    ("mi_system_assigned", "--mi-system-assigned --system-assigned", TRI),
    ("mi_user_assigned", "--mi-user-assigned --user-assigned", MANY),
    ("no_wait", "--no-wait", TRI),  # an AAZ command: bare or true/false
)

DEFINITION_CREATE = _table(
    *_NAMES,
    ("gallery_image_name", "--gallery-image-definition -i", ONE),
    ("os_type", "--os-type", ONE),
    ("publisher", "--publisher -p", ONE),
    ("offer", "--offer -f", ONE),
    ("sku", "--sku -s", ONE),
    ("os_state", "--os-state", ONE),
    ("hyper_v_generation", "--hyper-v-generation", ONE),
    ("architecture", "--architecture", ONE),
    ("features", "--features", ONE),
    ("location", "--location -l", ONE),
    ("end_of_life_date", "--end-of-life-date", ONE),
    ("minimum_cpu_core", "--minimum-cpu-core", ONE),
    ("maximum_cpu_core", "--maximum-cpu-core", ONE),
    ("minimum_memory", "--minimum-memory", ONE),
    ("maximum_memory", "--maximum-memory", ONE),
    ("disallowed_disk_types", "--disallowed-disk-types", MANY),
    ("plan_name", "--plan-name", ONE),
    ("plan_publisher", "--plan-publisher", ONE),
    ("plan_product", "--plan-product", ONE),
    ("eula", "--eula", ONE),
    ("description", "--description", ONE),
    ("privacy_statement_uri", "--privacy-statement-uri", ONE),
    ("release_note_uri", "--release-note-uri", ONE),
    ("tags", "--tags", MANY),
)

VERSION_CREATE = _table(
    *_NAMES,
    ("gallery_image_name", "--gallery-image-definition -i", ONE),
    ("gallery_image_version", "--gallery-image-version -e", ONE),
    ("location", "--location -l", ONE),
    ("target_regions", "--target-regions", MANY),
    ("target_region_encryption", "--target-region-encryption", MANY),
    ("target_region_cvm_encryption", "--target-region-cvm-encryption", MANY),
    ("replica_count", "--replica-count", ONE),
    ("storage_account_type", "--storage-account-type", ONE),
    ("replication_mode", "--replication-mode", ONE),
    ("end_of_life_date", "--end-of-life-date", ONE),
    ("exclude_from_latest", "--exclude-from-latest", TRI),
    ("tags", "--tags", MANY),
    ("virtual_machine", "--virtual-machine", ONE),
    ("managed_image", "--managed-image", ONE),
    ("image_version", "--image-version", ONE),
    ("os_snapshot", "--os-snapshot", ONE),
    ("data_snapshots", "--data-snapshots", MANY),
    ("data_snapshot_luns", "--data-snapshot-luns", MANY),
    ("os_vhd_uri", "--os-vhd-uri", ONE),
    ("os_vhd_storage_account", "--os-vhd-storage-account", ONE),
    ("data_vhds_uris", "--data-vhds-uris", MANY),
    ("data_vhds_luns", "--data-vhds-luns", MANY),
    ("data_vhds_storage_accounts", "--data-vhds-storage-accounts --data-vhds-sa", MANY),
    ("target_edge_zones", "--target-edge-zones", MANY),
    ("target_zone_encryption", "--target-edge-zone-encryption --zone-encryption", MANY),
    ("allow_replicated_location_deletion", "--allow-replicated-location-deletion", TRI),
    ("block_deletion_before_end_of_life", "--block-deletion-before-end-of-life --block-delete-before-eol", TRI),
    ("no_wait", "--no-wait", FLAG),
)

# What check-vm reads of `az vm create`, `az vmss create` and `az disk create` (each with its own
# spellings: the size is --size for a VM and --vm-sku for a scale set); every other option of those
# commands is kept on a command line as it was typed.
_VM_COMMON = (
    ("resource_group_name", "--resource-group -g", ONE),
    ("vm_name", "--name -n", ONE),
    ("location", "--location -l", ONE),
    ("security_type", "--security-type", ONE),
)
_VM_IMAGE = (
    ("image", "--image", ONE),
    ("admin_username", "--admin-username", ONE),
    ("admin_password", "--admin-password", ONE),
    ("ssh_key_value", "--ssh-key-values", MANY),
    ("generate_ssh_keys", "--generate-ssh-keys", FLAG),
    ("authentication_type", "--authentication-type", ONE),
    ("specialized", "--specialized", TRI),
    ("plan_name", "--plan-name", ONE),
    ("plan_publisher", "--plan-publisher", ONE),
    ("plan_product", "--plan-product", ONE),
)
_DISK_IMAGE = (
    ("gallery_image_reference", "--gallery-image-reference", ONE),
    ("gallery_image_reference_lun", "--gallery-image-reference-lun", ONE),
)
VM_CREATE = _table(*_VM_COMMON, *_VM_IMAGE, ("size", "--size", ONE))
VMSS_CREATE = _table(*_VM_COMMON, *_VM_IMAGE, ("size", "--vm-sku", ONE))
DISK_CREATE = _table(*_VM_COMMON, *_DISK_IMAGE)
# check-vm takes the arguments of all three.
CHECK_VM = _table(*_VM_COMMON, *_VM_IMAGE, ("size", "--size --vm-sku", ONE), *_DISK_IMAGE)

# The options every az command takes. --subscription changes what a command acts on, so a
# suggested command keeps it; the others only change what az prints.
GLOBAL = _table(
    ("subscription", "--subscription", ONE),
    ("output", "--output -o", ONE),
    ("query", "--query", ONE),
    ("debug", "--debug", FLAG),
    ("verbose", "--verbose", FLAG),
    ("only_show_errors", "--only-show-errors", FLAG),
    ("help", "--help -h", FLAG),
)
OUTPUT_DESTS = ("output", "query", "debug", "verbose", "help")

# The doctor's own options (checks and guarded creates), left out when a doctor command line is
# turned into the core command it guards.
DOCTOR = _table(
    ("fail_on", "--fail-on", ONE),
    ("offline", "--offline", FLAG),
    ("report_format", "--report-format", ONE),
    ("report_file", "--report-file", ONE),
    ("skip_checks", "--skip-checks", FLAG),
    ("dry_run", "--dry-run", FLAG),
    ("timeout", "--timeout", ONE),
    ("stall_timeout", "--stall-timeout", ONE),
    ("interval", "--poll-interval", ONE),
    ("language", "--language", ONE),
)


CommandShape = namedtuple("CommandShape", "kind words table")

# The core commands, by the words after `az`.
CORE_COMMANDS = OrderedDict((shape.words, shape) for shape in (
    CommandShape("gallery", ("sig", "create"), GALLERY_CREATE),
    CommandShape("definition", ("sig", "image-definition", "create"), DEFINITION_CREATE),
    CommandShape("version", ("sig", "image-version", "create"), VERSION_CREATE),
    CommandShape("vm", ("vm", "create"), VM_CREATE),
    CommandShape("vm", ("vmss", "create"), VMSS_CREATE),
    CommandShape("vm", ("disk", "create"), DISK_CREATE),
))

# The doctor's commands that take a core command's arguments, and the core command they guard
# (check-vm guards three: which one a command line means is told by its options).
DOCTOR_COMMANDS = OrderedDict([
    (("sig", "doctor", "check-gallery"), ("sig", "create")),
    (("sig", "doctor", "check-definition"), ("sig", "image-definition", "create")),
    (("sig", "doctor", "check-version"), ("sig", "image-version", "create")),
    (("sig", "doctor", "check-vm"), ("vm", "create")),
    (("sig", "doctor", "create-gallery"), ("sig", "create")),
    (("sig", "doctor", "create-definition"), ("sig", "image-definition", "create")),
    (("sig", "doctor", "create-version"), ("sig", "image-version", "create")),
])

KIND_COMMANDS = {"gallery": ("sig", "create"), "definition": ("sig", "image-definition", "create"),
                 "version": ("sig", "image-version", "create"), "vm": ("vm", "create")}


def table_of(words):
    """The option table of a core or doctor command (by its words), or None."""
    words = tuple(words)
    if words == ("sig", "doctor", "check-vm"):
        return CHECK_VM
    core = DOCTOR_COMMANDS.get(words, words)
    shape = CORE_COMMANDS.get(core)
    return shape.table if shape else None


def option_index(*tables):
    """option string -> Option, for the given tables (later tables do not override earlier ones)."""
    index = {}
    for table in tables:
        for option in table.values():
            for text in option.options:
                index.setdefault(text, option)
    return index

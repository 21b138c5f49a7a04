"""Command functions of ``az sig doctor``: thin hand-offs to the modules that do the work."""


def error_list(cmd, section=None, code=None):  # pylint: disable=unused-argument
    from azext_sig_doctor import catalog
    return catalog.list_entries(section, code)


def error_show(cmd, entry_id=None, code=None):  # pylint: disable=unused-argument
    from azext_sig_doctor import catalog
    # One of the two, checked by _validators.validate_error_show.
    return catalog.show_code(code) if code else catalog.show_entry(entry_id)


# ---- the core commands the doctor guards ------------------------------------------------------------
# Their parameters are declared once, here, as signature templates; the checks and the guarded
# creates are built from them with the doctor's own options added, so a command line written for
# the core command works after swapping the command name.

def _sig_create(cmd, resource_group_name, gallery_name, location=None, description=None, tags=None,
                permissions=None, soft_delete=None, soft_delete_grace_period=None, soft_delete_retention_period=None,
                publisher_uri=None, publisher_contact=None, eula=None, public_name_prefix=None,
                mi_system_assigned=None, mi_user_assigned=None):
    """Parameters of `az sig create`."""


def _sig_image_definition_create(cmd, resource_group_name, gallery_name, gallery_image_name, os_type, publisher,
                                 offer, sku, os_state="Generalized", end_of_life_date=None,
                                 privacy_statement_uri=None, release_note_uri=None, eula=None, description=None,
                                 location=None, minimum_cpu_core=None, maximum_cpu_core=None, minimum_memory=None,
                                 maximum_memory=None, disallowed_disk_types=None, plan_name=None,
                                 plan_publisher=None, plan_product=None, tags=None, hyper_v_generation="V2",
                                 features=None, architecture=None):
    """Parameters of `az sig image-definition create`."""


def _sig_image_version_create(cmd, resource_group_name, gallery_name, gallery_image_name, gallery_image_version,
                              location=None, target_regions=None, storage_account_type=None,
                              end_of_life_date=None, exclude_from_latest=None, replica_count=None, tags=None,
                              os_snapshot=None, data_snapshots=None, managed_image=None, data_snapshot_luns=None,
                              target_region_encryption=None, os_vhd_uri=None, os_vhd_storage_account=None,
                              data_vhds_uris=None, data_vhds_luns=None, data_vhds_storage_accounts=None,
                              replication_mode=None, target_region_cvm_encryption=None, virtual_machine=None,
                              image_version=None, target_zone_encryption=None, target_edge_zones=None,
                              allow_replicated_location_deletion=None, block_deletion_before_end_of_life=None):
    """Parameters of `az sig image-version create`."""


def _vm_create(cmd, resource_group_name, image=None, location=None, size=None, admin_username=None,
               admin_password=None, ssh_key_value=None, generate_ssh_keys=False, authentication_type=None,
               security_type=None, specialized=None, plan_name=None, plan_publisher=None, plan_product=None,
               gallery_image_reference=None, gallery_image_reference_lun=None):
    """Parameters of `az vm create --image <gallery image>` (and `az disk create --gallery-image-reference`)."""


def _guarded(core, handler, kind, optional=(), **options):
    """A command function taking ``core``'s parameters plus the doctor's ``options`` (name=default).

    ``optional`` names core parameters that become optional, so that a check can report them as
    missing instead of the argument parser refusing the command line.
    """
    import inspect
    parameters = [parameter.replace(default=None) if parameter.name in optional else parameter
                  for parameter in inspect.signature(core).parameters.values()]
    parameters += [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default)
                   for name, default in options.items()]

    def command(cmd, **arguments):
        return handler(kind, dict(arguments, cmd=cmd))
    command.__signature__ = inspect.Signature(parameters)
    command.__doc__ = core.__doc__
    return command


def _create(kind, arguments):
    from azext_sig_doctor.create import cli
    return cli.create(kind, arguments)


def _check(kind, arguments):
    from azext_sig_doctor.checks import cli
    return cli.check(arguments["cmd"], kind, arguments)


# ---- guarded creates and replication follow-up (create/) -------------------------------------------

_CREATE_OPTIONS = dict(skip_checks=False, fail_on=None, dry_run=False, report_format=None, report_file=None)

# `az sig create` and `az sig image-version create` have --no-wait (`az sig image-definition create`
# has not); it is the doctor's to handle, as the checks read nothing it says.
create_gallery = _guarded(_sig_create, _create, "gallery", no_wait=False, **_CREATE_OPTIONS)
create_definition = _guarded(_sig_image_definition_create, _create, "definition", **_CREATE_OPTIONS)
create_version = _guarded(_sig_image_version_create, _create, "version", no_wait=False, timeout=None,
                          stall_timeout=None, interval=None, **_CREATE_OPTIONS)


def replication_status(cmd, resource_group_name, gallery_name, gallery_image_name, gallery_image_version=None,
                       wait=False, timeout=None, stall_timeout=None, interval=None):
    from azext_sig_doctor.create import cli
    return cli.replication_status(cmd, resource_group_name, gallery_name, gallery_image_name,
                                  gallery_image_version, wait=wait, timeout=timeout,
                                  stall_timeout=stall_timeout, interval=interval)


# ---- explain (explain/) -----------------------------------------------------------------------------

def explain(cmd, log=None, message=None):
    from azext_sig_doctor.explain import cli
    return cli.explain(cmd, log=log, message=message)


# ---- pre-checks (checks/) ---------------------------------------------------------------------------

_CHECK_OPTIONS = dict(fail_on="unverified", offline=False, report_format=None, report_file=None)

check_gallery = _guarded(_sig_create, _check, "gallery", **_CHECK_OPTIONS)
check_definition = _guarded(_sig_image_definition_create, _check, "definition",
                            optional=("os_type", "publisher", "offer", "sku"), **_CHECK_OPTIONS)
check_version = _guarded(_sig_image_version_create, _check, "version", **_CHECK_OPTIONS)
check_vm = _guarded(_vm_create, _check, "vm", **_CHECK_OPTIONS)


# ---- estate: latest per region and the estate scan (estate/) ----------------------------------------

def latest(cmd, resource_group_name, gallery_name, gallery_image_name, locations=None):
    from azext_sig_doctor.estate import cli
    return cli.latest(cmd, resource_group_name, gallery_name, gallery_image_name, locations=locations)


def scan(cmd, subscriptions=None, management_group=None, stuck_after=None, fail_on=None, report_format=None,
         report_file=None):
    from azext_sig_doctor.estate import cli
    return cli.scan(cmd, subscriptions=subscriptions, management_group=management_group, stuck_after=stuck_after,
                    fail_on=fail_on, report_format=report_format, report_file=report_file)


# ---- check-build: Packer, Image Builder and Terraform templates (build/) ----------------------------

def check_build(cmd, packer=None, image_template=None, terraform_plan=None, variables=None, var_files=None,
                fail_on="unverified", offline=False, report_format=None, report_file=None):
    from azext_sig_doctor.build import cli
    return cli.check_build(cmd, packer=packer, image_template=image_template, terraform_plan=terraform_plan,
                           variables=variables, var_files=var_files, fail_on=fail_on, offline=offline,
                           report_format=report_format, report_file=report_file)


# ---- rules: the pre-checks' and the scan's rules, from their registries (rule_catalog) ---------------

def rule_list(cmd):  # pylint: disable=unused-argument
    from azext_sig_doctor import rule_catalog
    return rule_catalog.list_rules()


def rule_show(cmd, rule_id):  # pylint: disable=unused-argument
    from azext_sig_doctor import rule_catalog
    return rule_catalog.show_rule(rule_id)

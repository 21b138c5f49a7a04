"""Command functions of ``az sig doctor``: thin hand-offs to the modules that do the work."""


def error_list(cmd, section=None):  # pylint: disable=unused-argument
    from azext_sig_doctor import catalog
    return catalog.list_entries(section)


def error_show(cmd, entry_id):  # pylint: disable=unused-argument
    from azext_sig_doctor import catalog
    return catalog.show_entry(entry_id)


# ---- guarded creates and replication follow-up (create/) -------------------------------------------
# The parameters are those of the core commands they mirror (same names, same meaning), then the
# doctor's own options; the functions hand them over unchanged.

def create_gallery(cmd, resource_group_name, gallery_name, location=None, description=None, tags=None,
                   permissions=None, soft_delete=None, publisher_uri=None, publisher_contact=None, eula=None,
                   public_name_prefix=None, mi_system_assigned=None, mi_user_assigned=None,
                   skip_checks=False, fail_on=None, dry_run=False, report_format=None, report_file=None):
    from azext_sig_doctor.create import cli
    return cli.create("gallery", dict(locals()))


def create_definition(cmd, resource_group_name, gallery_name, gallery_image_name, os_type, publisher, offer, sku,
                      os_state="Generalized", end_of_life_date=None, privacy_statement_uri=None,
                      release_note_uri=None, eula=None, description=None, location=None, minimum_cpu_core=None,
                      maximum_cpu_core=None, minimum_memory=None, maximum_memory=None,
                      disallowed_disk_types=None, plan_name=None, plan_publisher=None, plan_product=None,
                      tags=None, hyper_v_generation="V2", features=None, architecture=None,
                      skip_checks=False, fail_on=None, dry_run=False, report_format=None, report_file=None):
    from azext_sig_doctor.create import cli
    return cli.create("definition", dict(locals()))


def create_version(cmd, resource_group_name, gallery_name, gallery_image_name, gallery_image_version,
                   location=None, target_regions=None, storage_account_type=None, end_of_life_date=None,
                   exclude_from_latest=None, replica_count=None, tags=None, os_snapshot=None,
                   data_snapshots=None, managed_image=None, data_snapshot_luns=None,
                   target_region_encryption=None, os_vhd_uri=None, os_vhd_storage_account=None,
                   data_vhds_uris=None, data_vhds_luns=None, data_vhds_storage_accounts=None,
                   replication_mode=None, target_region_cvm_encryption=None, virtual_machine=None,
                   image_version=None, target_zone_encryption=None, target_edge_zones=None,
                   allow_replicated_location_deletion=None, block_deletion_before_end_of_life=None,
                   skip_checks=False, fail_on=None, dry_run=False, report_format=None, report_file=None,
                   no_wait=False, timeout=None, stall_timeout=None, interval=None):
    from azext_sig_doctor.create import cli
    return cli.create("version", dict(locals()))


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
# Same parameters as the commands they guard; the doctor's own options are fail_on, offline,
# report_format and report_file.

def check_gallery(cmd, resource_group_name, gallery_name, location=None, description=None, tags=None,
                  permissions=None, soft_delete=None, publisher_uri=None, publisher_contact=None, eula=None,
                  public_name_prefix=None, mi_system_assigned=None, mi_user_assigned=None,
                  fail_on="error", offline=False, report_format=None, report_file=None):
    from azext_sig_doctor.checks import cli
    return cli.check(cmd, "gallery", dict(locals()))


def check_definition(cmd, resource_group_name, gallery_name, gallery_image_name, os_type=None, publisher=None,
                     offer=None, sku=None, os_state="Generalized", end_of_life_date=None, privacy_statement_uri=None,
                     release_note_uri=None, eula=None, description=None, location=None, minimum_cpu_core=None,
                     maximum_cpu_core=None, minimum_memory=None, maximum_memory=None,
                     disallowed_disk_types=None, plan_name=None, plan_publisher=None, plan_product=None,
                     tags=None, hyper_v_generation="V2", features=None, architecture=None,
                     fail_on="error", offline=False, report_format=None, report_file=None):
    from azext_sig_doctor.checks import cli
    return cli.check(cmd, "definition", dict(locals()))


def check_version(cmd, resource_group_name, gallery_name, gallery_image_name, gallery_image_version,
                  location=None, target_regions=None, storage_account_type=None, end_of_life_date=None,
                  exclude_from_latest=None, replica_count=None, tags=None, os_snapshot=None,
                  data_snapshots=None, managed_image=None, data_snapshot_luns=None,
                  target_region_encryption=None, os_vhd_uri=None, os_vhd_storage_account=None,
                  data_vhds_uris=None, data_vhds_luns=None, data_vhds_storage_accounts=None,
                  replication_mode=None, target_region_cvm_encryption=None, virtual_machine=None,
                  image_version=None, target_zone_encryption=None, target_edge_zones=None,
                  allow_replicated_location_deletion=None, block_deletion_before_end_of_life=None,
                  fail_on="error", offline=False, report_format=None, report_file=None):
    from azext_sig_doctor.checks import cli
    return cli.check(cmd, "version", dict(locals()))


def check_vm(cmd, resource_group_name, image=None, location=None, size=None, admin_username=None,
             admin_password=None, ssh_key_value=None, generate_ssh_keys=False, authentication_type=None,
             security_type=None, specialized=None, plan_name=None, plan_publisher=None, plan_product=None,
             gallery_image_reference=None, gallery_image_reference_lun=None,
             fail_on="error", offline=False, report_format=None, report_file=None):
    from azext_sig_doctor.checks import cli
    return cli.check(cmd, "vm", dict(locals()))

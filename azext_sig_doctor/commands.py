"""Command table of ``az sig doctor``."""

from azext_sig_doctor._format import error_list_table


def load_command_table(loader, args):
    # The words of the command line as az received them (after @file expansion): the checks write
    # their fixed command onto the user's own line, keeping every option they do not change.
    cli_ctx = getattr(loader, "cli_ctx", None)
    if cli_ctx is not None:
        cli_ctx.data["sig_doctor_argv"] = list(args or [])

    # ---- language (i18n/): --language on every doctor command, help summaries in that language ----
    from azext_sig_doctor.i18n import select
    select.install(loader, args)

    with loader.command_group("sig doctor error") as group:
        group.custom_command("list", "error_list", table_transformer=error_list_table)
        group.custom_show_command("show", "error_show")

    # ---- guarded creates and replication follow-up (create/) -----------------------------------
    from azext_sig_doctor._format import replication_table
    with loader.command_group("sig doctor") as group:
        group.custom_command("create-gallery", "create_gallery")
        group.custom_command("create-definition", "create_definition")
        group.custom_command("create-version", "create_version", supports_no_wait=True)
        group.custom_command("replication", "replication_status", table_transformer=replication_table)

    # ---- explain (explain/) ---------------------------------------------------------------------
    from azext_sig_doctor._format import explain_table
    with loader.command_group("sig doctor") as group:
        group.custom_command("explain", "explain", table_transformer=explain_table)

    # ---- pre-checks (checks/) -------------------------------------------------------------------
    from azext_sig_doctor._format import check_table
    with loader.command_group("sig doctor") as group:
        for kind in ("gallery", "definition", "version", "vm"):
            group.custom_command("check-" + kind, "check_" + kind, table_transformer=check_table)

    # ---- estate: latest per region and the estate scan (estate/) --------------------------------
    from azext_sig_doctor._format import latest_table, scan_table
    with loader.command_group("sig doctor") as group:
        group.custom_command("latest", "latest", table_transformer=latest_table)
        group.custom_command("scan", "scan", table_transformer=scan_table)

    # ---- check-build: Packer, Image Builder and Terraform templates (build/) ---------------------
    from azext_sig_doctor._format import build_table
    with loader.command_group("sig doctor") as group:
        group.custom_command("check-build", "check_build", table_transformer=build_table)

    # ---- rules: the pre-checks' and the scan's rules, from their registries (rule_catalog) -------------
    from azext_sig_doctor._format import rule_list_table
    with loader.command_group("sig doctor rule") as group:
        group.custom_command("list", "rule_list", table_transformer=rule_list_table)
        group.custom_show_command("show", "rule_show")

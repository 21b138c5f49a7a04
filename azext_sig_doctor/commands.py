"""Command table of ``az sig doctor``."""

from azext_sig_doctor._format import error_list_table


def load_command_table(loader, _):
    with loader.command_group("sig doctor") as group:
        pass

    with loader.command_group("sig doctor error") as group:
        group.custom_command("list", "error_list", table_transformer=error_list_table)
        group.custom_show_command("show", "error_show")

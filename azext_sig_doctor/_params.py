"""Arguments of ``az sig doctor`` commands.

Imported whenever ``az`` loads the extension's arguments, so it must stay free of heavy imports:
the section choices are repeated here rather than imported from the knowledge module.
"""

from knack.arguments import CLIArgumentType

SECTION_CHOICES = ["gallery", "definition", "version", "vm", "disk", "sharing", "replication", "limits"]


def load_arguments(loader, _):
    from azure.cli.core.commands.parameters import get_enum_type

    # ---- error list / show ------------------------------------------------------------------
    with loader.argument_context("sig doctor error list") as c:
        c.argument("section", arg_type=get_enum_type(SECTION_CHOICES),
                   help="Only the entries of this section of the troubleshooting article.")
    with loader.argument_context("sig doctor error show") as c:
        c.argument("entry_id", CLIArgumentType(options_list=["--id"]),
                   help="Id of the knowledge-base entry, as printed by `az sig doctor error list`.")

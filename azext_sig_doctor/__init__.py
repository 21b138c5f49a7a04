"""Azure CLI extension ``sig-doctor``: ``az sig doctor ...``.

The loader stays small and imports nothing heavy: the command table and arguments are loaded
only when ``az`` needs them, and the knowledge base or azure-mgmt-compute only when a doctor
command actually runs.
"""

from azure.cli.core import AzCommandsLoader

from azext_sig_doctor._help import helps  # noqa: F401  pylint: disable=unused-import


class SigDoctorCommandsLoader(AzCommandsLoader):

    def __init__(self, cli_ctx=None):
        from azure.cli.core.commands import CliCommandType
        custom_type = CliCommandType(operations_tmpl="azext_sig_doctor.custom#{}")
        super().__init__(cli_ctx=cli_ctx, custom_command_type=custom_type)

    def load_command_table(self, args):
        from azext_sig_doctor.commands import load_command_table
        load_command_table(self, args)
        # The preview status azext_metadata.json promises (azext.isPreview): az then prints its preview
        # warning on stderr for every command of the group. Registered after every block of the table,
        # because each `command_group("sig doctor")` block replaces the group's entry.
        with self.command_group("sig doctor", is_preview=True):
            pass
        return self.command_table

    def load_arguments(self, command):
        from azext_sig_doctor._params import load_arguments
        load_arguments(self, command)


COMMAND_LOADER_CLS = SigDoctorCommandsLoader

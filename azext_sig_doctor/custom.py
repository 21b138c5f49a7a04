"""Command functions of ``az sig doctor``: thin hand-offs to the modules that do the work."""


def error_list(cmd, section=None):  # pylint: disable=unused-argument
    from azext_sig_doctor import catalog
    return catalog.list_entries(section)


def error_show(cmd, entry_id):  # pylint: disable=unused-argument
    from azext_sig_doctor import catalog
    return catalog.show_entry(entry_id)

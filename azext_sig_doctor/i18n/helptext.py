"""Help summaries in the chosen language.

knack reads a command's help from ``knack.help_files.helps`` (YAML text, filled by ``_help.py`` when
the extension is imported) only when it prints help, after the extension's command table is loaded.
So when a help flag is on the command line and the language is not English, the summaries of
``kb/i18n/<language>/help.yaml`` replace the English ones there; examples, argument help and every
other command stay as they are. English help costs nothing more: this module is not imported.
"""

from azext_sig_doctor.i18n import catalog


def localize(language, helps=None):
    """Write the translated ``short``/``long`` summaries of ``language`` into ``helps``; returns the
    names of the commands and groups changed."""
    if helps is None:
        from knack.help_files import helps
    texts = catalog.part(language, "help")
    if not texts:
        return []
    import yaml
    changed = []
    for name, translated in texts.items():
        if name not in helps or not isinstance(translated, dict):
            continue
        data = yaml.safe_load(helps[name]) or {}
        for key, field in (("short", "short-summary"), ("long", "long-summary")):
            if isinstance(translated.get(key), str) and translated[key].strip():
                data[field] = translated[key].strip()
        helps[name] = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
        changed.append(name)
    return changed

"""Rules by section; importing a module registers its rules (see ``checks.registry``)."""

"""What the extractors read from a template: settings with their file and line, and the builds.

A ``Build`` is one gallery-bound thing a template makes (a Packer source publishing to a gallery,
an Image Builder ``SharedImage`` distribution, a Terraform resource): the typed request of the
core command it amounts to (``domain.request``), what the template states about its source, and
for every request field the setting it came from, so each finding points at the line to change.
A value that cannot be known offline (a function, the environment, a value known only after
apply) is an ``Unknown``: it is never guessed, and the rules it decides are unverified.
"""

from dataclasses import dataclass, field
from typing import Dict, List, Optional

PACKER, IMAGEBUILDER, TERRAFORM = "packer", "imagebuilder", "terraform"
TOOLS = (PACKER, IMAGEBUILDER, TERRAFORM)


class Unknown:
    """A value the template does not give offline; ``reason`` says why, ``text`` is as written."""

    def __init__(self, reason, text=None):
        self.reason = reason
        self.text = text

    def __repr__(self):
        return "Unknown({!r})".format(self.reason)

    def __eq__(self, other):
        return isinstance(other, Unknown) and (self.reason, self.text) == (other.reason, other.text)

    def __hash__(self):
        return hash((self.reason, self.text))


def known(value):
    """Whether ``value`` (possibly a list or dict) holds no Unknown anywhere."""
    if isinstance(value, Unknown):
        return False
    if isinstance(value, (list, tuple)):
        return all(known(item) for item in value)
    if isinstance(value, dict):
        return all(known(item) for item in value.values())
    return True


def first_unknown(value):
    if isinstance(value, Unknown):
        return value
    items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()
    for item in items:
        found = first_unknown(item)
        if found is not None:
            return found
    return None


@dataclass
class Setting:
    """One setting as the template gives it: ``name`` as the tool spells it (nested settings
    dotted: ``shared_image_gallery_destination.image_name``), its resolved value, file and line."""

    name: str
    value: object
    file: str
    line: int

    @property
    def known(self):
        return known(self.value)

    def where(self):
        return "{}:{}".format(self.file, self.line)


@dataclass
class Build:
    """One gallery-bound build or resource of a template."""

    tool: str
    name: str
    file: str
    line: int
    request: object = None                      # VersionRequest, DefinitionRequest or VmRequest
    settings: Dict[str, Setting] = field(default_factory=dict)
    # request field (target_regions, image, version, location, ...) -> setting name
    fields: Dict[str, str] = field(default_factory=dict)
    # blocks that hold settings (shared_image_gallery_destination, distribute[0], ...) -> line
    blocks: Dict[str, int] = field(default_factory=dict)
    stated_source: Optional[dict] = None        # facts the template states about the captured source
    facts: Dict[str, object] = field(default_factory=dict)   # tool-specific extras the tool rules read
    planned: Dict[tuple, object] = field(default_factory=dict)  # Terraform: read key -> planned resource JSON
    notes: List[str] = field(default_factory=list)

    def setting(self, name):
        return self.settings.get(name)

    def value(self, name, default=None):
        item = self.settings.get(name)
        return default if item is None else item.value

    def add(self, name, value, line, file=None):
        self.settings[name] = Setting(name, value, file or self.file, line)
        return self.settings[name]

    def unresolved(self):
        """{request field: Unknown} for the fields whose setting could not be resolved."""
        result = {}
        for field_name, setting_name in self.fields.items():
            setting = self.settings.get(setting_name)
            if setting is not None and not setting.known:
                result[field_name] = first_unknown(setting.value)
        return result

    def location_of(self, field_name=None, setting_name=None, block=None):
        """(file, line, setting) of a request field or setting; for a value the template leaves to
        its default, the line of the block that would hold it."""
        name = setting_name or self.fields.get(field_name)
        if name and name in self.settings:
            item = self.settings[name]
            return item.file, item.line, name
        if block is None and name and "." in name:
            block = name.rsplit(".", 1)[0]
        line = self.blocks.get(block, self.line) if block else self.line
        return self.file, line, name


@dataclass
class Template:
    """A template read from ``path``: its builds, and what was said about it (no destination)."""

    tool: str
    path: str
    builds: List[Build] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)

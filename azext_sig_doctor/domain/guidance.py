"""One renderer for what a knowledge-base entry tells, for checks, explain and creates alike.

``render(entry, values, context_values)`` fills the entry's title, cause, fix and next commands
(az and Az PowerShell, each with its note) with the finding's values. Values go on command lines in
the form a command line takes them: region names short (``West Europe`` -> ``westeurope``), a list
of target regions as ``--target-regions`` words for az and as ``-TargetRegion`` items for Az
PowerShell. Steps an entry marks ``before`` are what must run before the fixed command.
"""

import re
from dataclasses import dataclass, field
from typing import List, Optional

from azext_sig_doctor.domain import regions

REGION_KEYS = ("region", "region1", "region2", "source_region")


@dataclass
class Step:
    command: str
    note: Optional[str] = None


@dataclass
class Guidance:
    error_id: str
    title: str
    cause: Optional[str]
    fix: Optional[str]
    docs: Optional[str]
    commands: List[Step] = field(default_factory=list)
    powershell: List[Step] = field(default_factory=list)
    before: List[tuple] = field(default_factory=list)   # (az Step, PowerShell Step) to run first

    def fields(self):
        """The output contract's fields of a finding's guidance."""
        return {
            "title": self.title, "cause": self.cause, "fix": self.fix,
            "commands": [step.command for step in self.commands],
            "command_notes": [step.note for step in self.commands],
            "powershell": [step.command for step in self.powershell],
            "powershell_notes": [step.note for step in self.powershell],
            "docs": self.docs,
        }


def _region_entries(text):
    """``"West US, eastus=2"`` -> ``[["westus"], ["eastus", "2"]]``: a list of target regions, each
    a region name with its optional replica count and storage type (az's ``region=count=type``)."""
    entries = []
    for item in re.split(r"[,;]", str(text).strip("[]() ")):
        parts = [part.strip().strip("'\"") for part in item.split("=")]
        if parts[0]:
            entries.append([regions.key(parts[0])] + [part for part in parts[1:3] if part])
    return entries


def region_list(text, shell):
    """A list of target regions as ``shell`` takes it: ``a b=2`` for az's --target-regions,
    ``@{Name='a'}, @{Name='b'; ReplicaCount=2}`` (items of PowerShell's -TargetRegion) otherwise."""
    entries = _region_entries(text)
    if shell == "az":
        return " ".join("=".join(entry) for entry in entries)
    items = []
    for entry in entries:
        keys = ["Name='{}'".format(entry[0].replace("'", "''"))]
        for part in entry[1:]:
            keys.append("ReplicaCount={}".format(part) if part.isdigit()
                        else "StorageAccountType='{}'".format(part.replace("'", "''")))
        items.append("@{" + "; ".join(keys) + "}")
    return ", ".join(items)


def command_values(values, context_values=None, shell="az"):
    """The values as a command line of ``shell`` takes them."""
    context_values = context_values or {}
    result = dict(values)
    # The regions as sent (with their replica counts and storage types) before the names a message repeats.
    for name, as_sent in (("regions", "target_regions"), ("unique_regions", "unique_regions")):
        listed = context_values.get(as_sent) or context_values.get(name) or values.get(name)
        if listed:
            result[name] = region_list(listed, shell)
    for name in REGION_KEYS:
        if isinstance(result.get(name), str):
            result[name] = regions.short_name(result[name])
    return result


# az commands that take no --subscription, or where it would change nothing the finding is about.
_NO_SUBSCRIPTION = ("az login", "az logout", "az account set", "az account list", "az extension", "az config",
                    "az upgrade", "az version", "az sig doctor explain", "az sig doctor error", "az sig doctor rule")


def with_subscription(command, subscription):
    """``command`` acting in ``subscription``: an az command gets ``--subscription`` unless it has one
    or takes none (a step must act where the finding is, not in the default subscription)."""
    if not subscription or not command.startswith("az ") or command.startswith(_NO_SUBSCRIPTION) \
            or "--subscription" in command or command.lstrip().startswith("#"):
        return command
    from azext_sig_doctor.domain.commandline import quote
    return "{} --subscription {}".format(command, quote(subscription))


def render(entry, values, context_values=None, subscription=None):
    """The ``Guidance`` of ``entry`` for a finding with ``values``, in the current language (the
    entry's words translated where a translation exists; commands as they are). ``subscription``:
    every az step acts there (the user's --subscription, or the subscription of the resource)."""
    from azext_sig_doctor.i18n.catalog import localized
    from azext_sig_doctor.knowledge import fill
    entry = localized(entry)
    az_values = command_values(values, context_values, "az")
    ps_values = command_values(values, context_values, "powershell")
    az_steps = [Step(with_subscription(" ".join(s.command.split()), subscription), s.note)
                for s in entry.steps_for(az_values, "az")]
    # An az line offered for PowerShell (no cmdlet does the step) acts in the same subscription too.
    ps_steps = [Step(with_subscription(" ".join(s.command.split()), subscription), s.note)
                for s in entry.steps_for(ps_values, "powershell")]
    before = entry.before_steps(az_steps, ps_steps, az_values)
    return Guidance(entry.id, entry.data.get("title"), fill(entry.data.get("cause") or "", values).strip() or None,
                    fill(entry.data.get("fix") or "", values).strip() or None, entry.data.get("docs"),
                    az_steps, ps_steps, before)

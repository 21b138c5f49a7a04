"""check-build's reports: one checks' report per build (``{target, summary, fixed_command,
fixed_command_powershell, fix_details, findings}``), the target naming the template's file and
line, the tool and the build; SARIF and JUnit of many builds through the estate writers (one run,
each result at the template file and line of the setting to change)."""

import os
from collections import Counter, OrderedDict

from azext_sig_doctor.checks.registry import FAIL, PASS, SKIP, UNVERIFIED, WARN
from azext_sig_doctor.checks.report import DEFAULT_FAIL_ON, FAIL_ON, Report

SHOWN = (FAIL, UNVERIFIED, WARN)
WHY_NO_COMMAND = ("the build comes from a template: the fix is an edit of the template (each failing finding's "
                  "edit gives the file, line, setting and value), not an az command")


class BuildReport(Report):
    """The report of one build; ``build`` is the model.Build it is about."""

    def __init__(self, request, findings, build, offline=False, requests=None):
        super().__init__(request, findings, offline=offline, requests=requests)
        self.build = build

    def target(self):
        target = super().target()
        target.update(tool=self.build.tool, build=self.build.name, file=self.build.file, line=self.build.line)
        return target

    def to_dict(self):
        edits = [finding["edit"] for finding in self.findings if isinstance(finding.get("edit"), dict)]
        details = OrderedDict([("why_no_command", WHY_NO_COMMAND), ("edits", edits)])
        return OrderedDict([("target", self.target()), ("summary", self.summary), ("fixed_command", None),
                            ("fixed_command_powershell", None), ("fix_details", details),
                            ("findings", self.findings)])


class _Shown:
    """A report as the estate writers read a target: only the findings to act on."""

    def __init__(self, report):
        self.report = report
        self.request = report.request
        self.findings = [finding for finding in report.findings if finding["status"] in SHOWN]

    def target(self):
        return self.report.target()


class BuildRun:
    """Every build's report of one check-build run, with what the estate writers read."""

    def __init__(self, reports, rules, notes, sources, requests=0):
        self.reports = reports
        self.rules = rules
        self.notes = notes
        self.sources = sources
        self.requests = requests
        self.scope = {"templates": sources, "builds": len(reports), "requests": requests}

    @property
    def targets(self):
        return [_Shown(report) for report in self.reports]

    @property
    def summary(self):
        counts = Counter(finding["status"] for report in self.reports for finding in report.findings)
        return OrderedDict((status, counts.get(status, 0)) for status in (PASS, FAIL, WARN, SKIP, UNVERIFIED))

    def to_list(self):
        return [report.to_dict() for report in self.reports]

    def failed(self, fail_on=DEFAULT_FAIL_ON):
        return any(report.failed(fail_on) for report in self.reports)

    def exit_code(self, fail_on=DEFAULT_FAIL_ON):
        return 1 if self.failed(fail_on) else 0

    def unverified(self):
        return [finding for report in self.reports for finding in report.unverified()]


def artifact_uri(path):
    """A template's path as SARIF wants it: relative to the working directory when inside it
    (code scanning resolves it against the repository checkout), with forward slashes."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute)
    except ValueError:
        relative = absolute
    if relative.startswith(".."):
        relative = absolute
    return relative.replace(os.sep, "/")


def _locate(target, finding):
    where = finding.get("location") or {}
    file_name = where.get("file") or target.target().get("file")
    line = where.get("line") or target.target().get("line") or 1
    return {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(file_name)},
                                 "region": {"startLine": int(line)}},
            "logicalLocations": [{"fullyQualifiedName": target.target().get("build") or "build", "kind": "resource"}]}


def to_sarif(run):
    from azext_sig_doctor.estate import report as estate
    document = estate.to_sarif(run, locate=_locate)
    document["runs"][0]["properties"]["scope"] = run.scope
    return document


def write(run, report_format, path, fail_on):
    import json
    import xml.etree.ElementTree as ET
    from azext_sig_doctor.estate import report as estate
    if report_format == "sarif":
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(to_sarif(run), handle, indent=2)
        return
    tree = estate.to_junit(run, fail_on, label="check-build",
                           name_of=lambda target: "{} ({}:{})".format(
                               target.target()["build"], target.target()["file"], target.target()["line"]))
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)


FAIL_ON_LEVELS = tuple(FAIL_ON)

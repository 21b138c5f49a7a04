"""JUnit XML writer: one test case per rule, for pipeline dashboards."""

import xml.etree.ElementTree as ET

from azext_sig_doctor.checks.registry import FAIL, SKIP, UNVERIFIED, WARN
from azext_sig_doctor.checks.report import DEFAULT_FAIL_ON, FAIL_ON


def to_junit(report, fail_on=DEFAULT_FAIL_ON):
    """An ElementTree of ``<testsuites>``: the findings at the ``fail_on`` level are failures."""
    kind = report.request.kind
    failing = FAIL_ON[fail_on]
    suites = ET.Element("testsuites", name="sig-doctor")
    suite = ET.SubElement(suites, "testsuite", name="sig-doctor check-{}".format(kind))
    failures = skipped = 0
    for finding in report.findings:
        case = ET.SubElement(suite, "testcase", classname="sig-doctor.{}".format(kind), name=finding["rule"])
        body = finding["detail"]
        if finding["fix"]:
            body += "\nFix: " + finding["fix"]
        if finding["commands"]:
            body += "\n" + "\n".join(finding["commands"])
        if finding["status"] in failing:
            failures += 1
            failure = ET.SubElement(case, "failure", message=finding["title"], type=finding["error_id"])
            failure.text = body
        elif finding["status"] == SKIP:
            skipped += 1
            ET.SubElement(case, "skipped", message=finding["detail"])
        elif finding["status"] in (FAIL, WARN, UNVERIFIED):
            ET.SubElement(case, "system-out").text = "{}: {}".format(finding["status"], body)
    for element in (suites, suite):
        element.set("tests", str(len(report.findings)))
        element.set("failures", str(failures))
        element.set("errors", "0")
    suite.set("skipped", str(skipped))
    return ET.ElementTree(suites)


def write_junit(report, path, fail_on=DEFAULT_FAIL_ON):
    tree = to_junit(report, fail_on)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)

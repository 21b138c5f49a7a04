"""JUnit XML writer: one test case per rule, for pipeline dashboards."""

import xml.etree.ElementTree as ET

from azext_sig_doctor.checks.registry import FAIL, SKIP, WARN


def to_junit(report, fail_on="error"):
    """An ElementTree of ``<testsuites>``; warnings fail only with ``fail_on='warning'``."""
    kind = report.spec["kind"]
    failing = (FAIL, WARN) if fail_on == "warning" else ((FAIL,) if fail_on == "error" else ())
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
        elif finding["status"] in (FAIL, WARN):
            ET.SubElement(case, "system-out").text = "{}: {}".format(finding["status"], body)
    for element in (suites, suite):
        element.set("tests", str(len(report.findings)))
        element.set("failures", str(failures))
        element.set("errors", "0")
    suite.set("skipped", str(skipped))
    return ET.ElementTree(suites)


def write_junit(report, path, fail_on="error"):
    tree = to_junit(report, fail_on)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)

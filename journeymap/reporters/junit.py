"""JUnit XML, the test-report format CI dashboards read (GitLab, Jenkins, Azure Pipelines).

Each checked file is a test suite. Each error or warning is a failing test case; an info
finding is a passing one with the finding as output; a file with no error or warning also
gets one passing case, so every file shows up on the dashboard.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import TYPE_CHECKING

from journeymap.findings import Finding, Severity

if TYPE_CHECKING:
    from journeymap.reporters import Run

CLEAN = "journeymap validate"
"""The name of the passing test case a file without errors or warnings gets."""

# Characters XML 1.0 cannot hold at all, not even escaped; a message may carry them from a
# binary or broken file.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_FAILS = (Severity.ERROR, Severity.WARNING)


def report(run: Run) -> str:
    """The run as a ``<testsuites>`` document with an XML declaration, ending in a newline."""
    root = ET.Element("testsuites", name="journeymap")
    suites = [_suite(path, [f for f in run.findings if f.path == path]) for path in run.paths]
    root.extend(suites)
    _count(
        root,
        sum(_tally(suite, "tests") for suite in suites),
        sum(_tally(suite, "failures") for suite in suites),
    )
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document.decode("utf-8") + "\n"


def _suite(path: str, findings: Sequence[Finding]) -> ET.Element:
    suite = ET.Element("testsuite", name=_safe(path))
    for finding in findings:
        suite.append(_case(finding))
    if not any(finding.severity in _FAILS for finding in findings):
        ET.SubElement(suite, "testcase", classname=_safe(f"journeymap.{path}"), name=CLEAN)
    cases = suite.findall("testcase")
    _count(suite, len(cases), sum(case.find("failure") is not None for case in cases))
    return suite


def _case(finding: Finding) -> ET.Element:
    case = ET.Element(
        "testcase",
        classname=_safe(f"journeymap.{finding.path}"),
        name=_safe(f"{finding.rule} {finding.line}:{finding.column}"),
        file=_safe(finding.path),
        line=str(finding.line),
    )
    if finding.severity in _FAILS:
        failure = ET.SubElement(
            case, "failure", type=finding.severity.value, message=_safe(finding.message)
        )
        failure.text = _safe(str(finding))
    else:
        ET.SubElement(case, "system-out").text = _safe(str(finding))
    return case


def _count(element: ET.Element, tests: int, failures: int) -> None:
    """Set the counts every JUnit reader looks for; journeymap has no errors or skips."""
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", "0")
    element.set("skipped", "0")


def _tally(element: ET.Element, count: str) -> int:
    return int(element.get(count, "0"))


def _safe(text: str) -> str:
    """Replace characters XML 1.0 cannot carry with U+FFFD; ElementTree escapes the rest."""
    return _NOT_XML.sub("\ufffd", text)

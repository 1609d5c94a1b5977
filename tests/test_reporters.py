"""The output reporters of ``journeymap validate``: text, json, sarif, github and junit."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from journeymap._version import __version__
from journeymap.findings import Finding, Severity
from journeymap.reporters import (
    FORMATS,
    REPORTERS,
    Run,
    github,
    json_format,
    junit,
    pick,
    render,
    sarif,
    text,
)
from journeymap.rules.registry import Rule, RuleSet

SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "sarif-2.1.0.json"

SPACED = "journeys/checkout flow ä.yaml"
ABSOLUTE = "/srv/journeys/onboarding.yaml"
CLEAN = "journeys/clean.yaml"
TRICKY = "50% drop, see: step 3\n<script>alert(1)</script>"


def doc(about: str) -> str:
    return (
        f"{about}\n\nFails:\n\n```yaml\nstages: []\n```\n\nPasses:\n\n```yaml\nstages: [a]\n```\n"
    )


def rules() -> RuleSet:
    ruleset = RuleSet()
    ruleset.add(
        Rule(
            "JM101",
            "unreachable-touchpoint",
            Severity.ERROR,
            "A touchpoint no path reaches.",
            doc("No customer can reach a touchpoint that nothing leads to."),
        )
    )
    ruleset.add(
        Rule(
            "JM202",
            "channel-switch-gap",
            Severity.WARNING,
            "A channel switch without a handoff.",
            doc("Customers who change channel must not have to start again."),
        )
    )
    ruleset.add(
        Rule(
            "JM301",
            "missing-owner",
            Severity.INFO,
            "A touchpoint without an owner.",
            doc("Every touchpoint needs someone who answers for it."),
        )
    )
    return ruleset


UNREAD = Finding(SPACED, 0, 0, "syntax", Severity.ERROR, "file ends inside a list")
FIRST = Finding(SPACED, 4, 3, "unreachable-touchpoint", Severity.ERROR, TRICKY)
GAP = Finding(SPACED, 9, 5, "channel-switch-gap", Severity.WARNING, "no handoff from web to phone")
AGAIN = Finding(SPACED, 12, 3, "unreachable-touchpoint", Severity.ERROR, TRICKY)
OWNER = Finding(ABSOLUTE, 2, 1, "missing-owner", Severity.INFO, "touchpoint 'welcome' has no owner")


@pytest.fixture
def run() -> Run:
    findings = tuple(sorted([FIRST, GAP, AGAIN, OWNER, UNREAD]))
    return Run(findings=findings, files=(SPACED, ABSOLUTE, CLEAN), rules=rules())


EMPTY_RUNS = {
    "nothing": Run(findings=(), files=(), rules=RuleSet()),
    "clean": Run(findings=(), files=(CLEAN,), rules=rules()),
}


# --- text -------------------------------------------------------------------------------


def test_text_is_one_line_per_finding(run: Run) -> None:
    assert text.report(run).splitlines() == [
        "/srv/journeys/onboarding.yaml:2:1: info missing-owner touchpoint 'welcome' has no owner",
        "journeys/checkout flow ä.yaml:0:0: error syntax file ends inside a list",
        "journeys/checkout flow ä.yaml:4:3: error unreachable-touchpoint 50% drop, see: step 3",
        "<script>alert(1)</script>",
        "journeys/checkout flow ä.yaml:9:5: warning channel-switch-gap "
        "no handoff from web to phone",
        "journeys/checkout flow ä.yaml:12:3: error unreachable-touchpoint 50% drop, see: step 3",
        "<script>alert(1)</script>",
    ]
    assert text.report(run) == "".join(f"{finding}\n" for finding in run.findings)


# --- json -------------------------------------------------------------------------------


def test_json_has_version_files_summary_and_findings(run: Run) -> None:
    output = json_format.report(run)
    data = json.loads(output)
    assert list(data) == ["journeymap", "files", "summary", "findings"]
    assert data["journeymap"] == __version__
    assert data["files"] == [SPACED, ABSOLUTE, CLEAN]
    assert data["summary"] == {"files": 3, "error": 3, "warning": 1, "info": 1}
    assert data["findings"] == [finding.as_dict() for finding in run.findings]
    assert "checkout flow ä.yaml" in output
    assert output.endswith("}\n")
    assert output.startswith('{\n  "journeymap"')


# --- github -----------------------------------------------------------------------------


def test_github_writes_one_escaped_command_per_finding(run: Run) -> None:
    script = "50%25 drop, see: step 3%0A<script>alert(1)</script>"
    spaced = "file=journeys/checkout flow ä.yaml"
    assert github.report(run).splitlines() == [
        "::notice file=/srv/journeys/onboarding.yaml,line=2,col=1,title=missing-owner"
        "::touchpoint 'welcome' has no owner",
        "::error file=journeys/checkout flow ä.yaml,line=0,col=0,title=syntax"
        "::file ends inside a list",
        f"::error {spaced},line=4,col=3,title=unreachable-touchpoint::{script}",
        "::warning file=journeys/checkout flow ä.yaml,line=9,col=5,title=channel-switch-gap"
        "::no handoff from web to phone",
        f"::error {spaced},line=12,col=3,title=unreachable-touchpoint::{script}",
    ]


def test_github_escapes_property_values() -> None:
    finding = Finding("a,b:c%\r\n.yaml", 1, 2, "syntax", Severity.WARNING, "x\r\ny: 5%, z")
    run = Run(findings=(finding,), files=(finding.path,), rules=RuleSet())
    assert github.report(run) == (
        "::warning file=a%2Cb%3Ac%25%0D%0A.yaml,line=1,col=2,title=syntax::x%0D%0Ay: 5%25, z\n"
    )


# --- sarif ------------------------------------------------------------------------------


def sarif_errors(log: Any) -> list[str]:
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"no SARIF schema at {SARIF_SCHEMA}")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema)
    return [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(log)]


def test_sarif_schema_is_not_vacuous() -> None:
    def log(level: str) -> dict[str, Any]:
        result = {"message": {"text": "m"}, "level": level}
        return {
            "version": "2.1.0",
            "runs": [{"tool": {"driver": {"name": "x"}}, "results": [result]}],
        }

    assert sarif_errors(log("note")) == []
    assert sarif_errors(log("info")) != []


def test_sarif_is_valid_against_the_schema(run: Run) -> None:
    assert sarif_errors(json.loads(sarif.report(run))) == []


def test_sarif_describes_every_rule(run: Run) -> None:
    log = json.loads(sarif.report(run))
    assert log["version"] == "2.1.0"
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    [only] = log["runs"]
    driver = only["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["semanticVersion"]) == (
        "journeymap",
        __version__,
        __version__,
    )
    assert [rule["id"] for rule in driver["rules"]] == ["JM101", "JM202", "JM301"]
    first = driver["rules"][0]
    rule = run.rules.get("JM101")
    assert rule is not None
    assert first == {
        "id": "JM101",
        "name": "unreachable-touchpoint",
        "shortDescription": {"text": "A touchpoint no path reaches."},
        "fullDescription": {"text": "No customer can reach a touchpoint that nothing leads to."},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "defaultConfiguration": {"level": "error"},
    }
    levels = [rule["defaultConfiguration"]["level"] for rule in driver["rules"]]
    assert levels == ["error", "warning", "note"]


def test_sarif_results_point_at_rules_and_places(run: Run) -> None:
    results = json.loads(sarif.report(run))["runs"][0]["results"]
    summary = [
        (result["ruleId"], result.get("ruleIndex"), result["level"], result["message"]["text"])
        for result in results
    ]
    assert summary == [
        ("JM301", 2, "note", "touchpoint 'welcome' has no owner"),
        ("syntax", None, "error", "file ends inside a list"),
        ("JM101", 0, "error", TRICKY),
        ("JM202", 1, "warning", "no handoff from web to phone"),
        ("JM101", 0, "error", TRICKY),
    ]
    places = [result["locations"][0]["physicalLocation"] for result in results]
    assert places[0] == {
        "artifactLocation": {"uri": "file:///srv/journeys/onboarding.yaml"},
        "region": {"startLine": 2, "startColumn": 1},
    }
    assert places[1] == {
        "artifactLocation": {
            "uri": "journeys/checkout%20flow%20%C3%A4.yaml",
            "uriBaseId": "%SRCROOT%",
        },
        "region": {"startLine": 1, "startColumn": 1},
    }
    assert unquote(places[1]["artifactLocation"]["uri"]) == SPACED
    assert [place["region"]["startLine"] for place in places] == [2, 1, 4, 9, 12]


def test_sarif_lists_each_file_once(run: Run) -> None:
    artifacts = json.loads(sarif.report(run))["runs"][0]["artifacts"]
    assert [artifact["location"]["uri"] for artifact in artifacts] == [
        "journeys/checkout%20flow%20%C3%A4.yaml",
        "file:///srv/journeys/onboarding.yaml",
        "journeys/clean.yaml",
    ]


def test_sarif_fingerprints_are_stable_and_distinct(run: Run) -> None:
    def fingerprints(run: Run) -> list[str]:
        results = json.loads(sarif.report(run))["runs"][0]["results"]
        return [result["partialFingerprints"]["primaryLocationLineHash"] for result in results]

    first = fingerprints(run)
    assert len(set(first)) == len(first)
    assert first == fingerprints(run)
    # The same finding two lines lower (an edit above it) keeps its fingerprint.
    moved = Run(
        findings=tuple(
            Finding(f.path, f.line + 2, f.column, f.rule, f.severity, f.message)
            for f in run.findings
        ),
        files=run.files,
        rules=run.rules,
    )
    assert fingerprints(moved) == first
    # Two identical findings in one file share a hash and differ in their count.
    assert first[2].split(":")[0] == first[4].split(":")[0]
    assert (first[2].split(":")[1], first[4].split(":")[1]) == ("1", "2")


def test_sarif_keeps_stdin_as_it_is() -> None:
    finding = Finding("<stdin>", 1, 1, "syntax", Severity.ERROR, "bad")
    log = json.loads(sarif.report(Run((finding,), ("<stdin>",), RuleSet())))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "<stdin>"}
    assert sarif_errors(log) == []


# --- junit ------------------------------------------------------------------------------


def parse_junit(output: str) -> ET.Element:
    assert output.startswith("<?xml version='1.0' encoding='utf-8'?>\n")
    return ET.fromstring(output.encode("utf-8"))


def test_junit_has_a_suite_per_file_and_counts_that_add_up(run: Run) -> None:
    root = parse_junit(junit.report(run))
    assert root.tag == "testsuites"
    assert root.get("name") == "journeymap"
    suites = root.findall("testsuite")
    counts = [(s.get("name"), s.get("tests"), s.get("failures")) for s in suites]
    assert counts == [(SPACED, "4", "4"), (ABSOLUTE, "2", "0"), (CLEAN, "1", "0")]
    assert (root.get("tests"), root.get("failures")) == ("7", "4")
    for suite in suites:
        cases = suite.findall("testcase")
        assert suite.get("tests") == str(len(cases))
        assert suite.get("failures") == str(len(suite.findall("testcase/failure")))


def test_junit_failures_carry_the_finding(run: Run) -> None:
    root = parse_junit(junit.report(run))
    spaced = root.findall("testsuite")[0]
    names = [case.get("name") for case in spaced.findall("testcase")]
    assert names == [
        "syntax 0:0",
        "unreachable-touchpoint 4:3",
        "channel-switch-gap 9:5",
        "unreachable-touchpoint 12:3",
    ]
    case = spaced.findall("testcase")[1]
    assert case.attrib == {
        "classname": f"journeymap.{SPACED}",
        "name": "unreachable-touchpoint 4:3",
        "file": SPACED,
        "line": "4",
    }
    failure = case.find("failure")
    assert failure is not None
    assert failure.attrib == {"type": "error", "message": TRICKY}
    assert failure.text == str(FIRST)
    assert list(failure) == []
    warning = spaced.find("testcase[3]/failure")
    assert warning is not None
    assert warning.get("type") == "warning"


def test_junit_keeps_markup_in_messages_as_text(run: Run) -> None:
    output = junit.report(run)
    assert "<script>" not in output
    assert "&lt;script&gt;" in output
    assert list(parse_junit(output).iter("script")) == []


def test_junit_info_and_clean_files_pass(run: Run) -> None:
    root = parse_junit(junit.report(run))
    absolute, clean = root.findall("testsuite")[1:]
    info, passed = absolute.findall("testcase")
    assert info.get("name") == "missing-owner 2:1"
    assert info.find("failure") is None
    assert info.findtext("system-out") == str(OWNER)
    assert passed.attrib == {"classname": f"journeymap.{ABSOLUTE}", "name": "journeymap validate"}
    [only] = clean.findall("testcase")
    assert only.get("name") == "journeymap validate"
    assert list(only) == []


def test_junit_replaces_characters_xml_cannot_hold() -> None:
    finding = Finding("bin.yaml", 1, 1, "unreadable", Severity.ERROR, "NUL \x00 and ESC \x1b")
    root = parse_junit(junit.report(Run((finding,), ("bin.yaml",), RuleSet())))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "NUL \ufffd and ESC \ufffd"


# --- the registry -----------------------------------------------------------------------


def test_formats_are_every_reporter_and_auto() -> None:
    assert FORMATS == ("text", "json", "sarif", "github", "junit", "auto")
    assert set(REPORTERS) == set(FORMATS) - {"auto"}


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"GITHUB_ACTIONS": "true"}, "github"),
        ({"GITHUB_ACTIONS": "false"}, "text"),
        ({}, "text"),
    ],
)
def test_pick_auto(environ: dict[str, str], expected: str) -> None:
    assert pick("auto", environ) == expected


@pytest.mark.parametrize("name", list(REPORTERS))
def test_pick_returns_other_names_as_they_are(name: str) -> None:
    assert pick(name, {"GITHUB_ACTIONS": "true"}) == name


def test_render_auto_follows_the_environment(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    assert render("auto", run, {"GITHUB_ACTIONS": "true"}) == github.report(run)
    assert render("auto", run, {}) == text.report(run)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert render("auto", run) == github.report(run)
    monkeypatch.delenv("GITHUB_ACTIONS")
    assert render("auto", run) == text.report(run)
    assert render("json", run) == json_format.report(run)


def test_render_refuses_an_unknown_format(run: Run) -> None:
    with pytest.raises(ValueError, match=r"^unknown output format 'xml'; choose one of text, "):
        render("xml", run)


# --- empty runs -------------------------------------------------------------------------


@pytest.mark.parametrize("empty", list(EMPTY_RUNS))
@pytest.mark.parametrize("name", list(REPORTERS))
def test_an_empty_run_renders_valid_output(name: str, empty: str) -> None:
    run = EMPTY_RUNS[empty]
    output = render(name, run, {})
    if name in {"text", "github"}:
        assert output == ""
    elif name == "json":
        assert json.loads(output)["summary"] == {
            "files": len(run.files),
            "error": 0,
            "warning": 0,
            "info": 0,
        }
    elif name == "sarif":
        log = json.loads(output)
        assert sarif_errors(log) == []
        assert log["runs"][0]["results"] == []
    else:
        root = parse_junit(output)
        assert root.get("failures") == "0"
        assert root.get("tests") == str(len(run.files))

"""Every rule fires on its failing cases at the right place and stays silent on passing ones.

Cases are data: ``tests/data/rules/<rule>/*.yaml``, each ending in ``# expect: rule
line:col`` lines (none for files named ``pass*``). The docstring examples of every rule
are checked too, so the catalogue never shows an example that does not do what it says.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import journeymap
from journeymap.rules import RULES, Config, Rule, run
from journeymap.rules.examples import complete
from tests.conftest import DATA, example_files

CASES = sorted((DATA / "rules").rglob("*.yaml"))
_EXPECT = re.compile(r"^# expect: (\S+) (\d+):(\d+)$", re.MULTILINE)
CHECKED = [rule for rule in RULES if rule.check is not None or rule.configurable]


def _expected(path: Path) -> list[str]:
    return [f"{r} {line}:{col}" for r, line, col in _EXPECT.findall(path.read_text("utf-8"))]


def test_every_checking_rule_has_failing_and_passing_cases() -> None:
    folders = {path.parent.name for path in CASES}
    assert folders == {rule.name for rule in CHECKED}
    for rule in CHECKED:
        names = [p.name for p in CASES if p.parent.name == rule.name]
        assert any(n.startswith("fail") for n in names), rule.name
        assert any(n.startswith("pass") for n in names), rule.name


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rule_case(path: Path) -> None:
    loaded = journeymap.read(path)
    assert loaded.errors == (), "rule cases must load"
    rule = path.parent.name
    found = [f"{f.rule} {f.line}:{f.column}" for f in run(loaded) if f.rule == rule]
    assert found == _expected(path)
    assert path.name.startswith("pass") == (not found)


@pytest.mark.parametrize("rule", [r for r in RULES if r.check], ids=lambda r: r.name)
def test_docstring_examples_do_what_they_say(rule: Rule) -> None:
    for example, fires in ((rule.example_fails, True), (rule.example_passes, False)):
        loaded = journeymap.reads(complete(example), f"{rule.name}-example.yaml")
        assert loaded.errors == ()
        assert any(f.rule == rule.name for f in run(loaded)) is fires


@pytest.mark.parametrize("rule", list(RULES), ids=lambda r: r.name)
def test_rule_metadata_is_complete(rule: Rule) -> None:
    assert re.fullmatch(r"JM\d{3}", rule.code)
    assert rule.summary[0].isupper()
    assert not rule.summary.endswith(".")
    assert rule.sections["about"]
    assert rule.sections.get("fails")
    assert rule.sections.get("passes")


def test_the_issue_named_rules_exist() -> None:
    named = {
        "yaml-syntax",
        "schema",
        "unknown-reference",
        "duplicate-id",
        "probabilities",
        "no-exit",
        "unreachable-touchpoint",
        "no-channel",
        "failure-demand-cause",
        "channel-switch-gap",
        "contradictory-sources",
        "channel-guidance",
        "automation-only",
        "availability-gap",
        "unused",
        "missing-lanes",
    }
    assert named <= set(RULES.names())
    assert RULES.get("missing-lanes").severity is journeymap.Severity.INFO  # type: ignore[union-attr]


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
def test_examples_have_no_errors(path: Path) -> None:
    errors = [f for f in run(journeymap.read(path)) if f.severity is journeymap.Severity.ERROR]
    assert errors == []


def test_config_turns_rules_off_and_changes_severity() -> None:
    loaded = journeymap.read(DATA / "rules" / "unused" / "fail.yaml")
    default = [f for f in run(loaded) if f.rule == "unused"]
    assert {f.severity for f in default} == {journeymap.Severity.WARNING}
    off = run(loaded, Config({"unused": None}))
    assert not [f for f in off if f.rule == "unused"]
    raised = run(loaded, Config({"unused": journeymap.Severity.ERROR}))
    assert {f.severity for f in raised if f.rule == "unused"} == {journeymap.Severity.ERROR}


def test_rules_do_not_run_on_journeys_that_did_not_load() -> None:
    loaded = journeymap.read(DATA / "broken" / "unknown-reference.yaml")
    assert {f.rule for f in run(loaded)} == {"unknown-reference"}


def test_public_check_api_finds_the_configuration(tmp_path: Path) -> None:
    case = DATA / "rules" / "unused" / "fail.yaml"
    target = tmp_path / "journeys" / "j.yaml"
    target.parent.mkdir()
    target.write_text(case.read_text("utf-8"), "utf-8")
    assert any(f.rule == "unused" for f in journeymap.check(target))
    (tmp_path / ".journeymap.yaml").write_text("rules:\n  unused: off\n")
    assert not any(f.rule == "unused" for f in journeymap.check(target))

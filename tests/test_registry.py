"""The rule registry refuses duplicates and malformed rules; the catalogue is generated."""

from __future__ import annotations

import pytest

from journeymap.cli import main
from journeymap.findings import Severity
from journeymap.rules import RULES, Context, DuplicateRuleError, Issue, Rule, RuleSet
from journeymap.rules.catalogue import HEADER, markdown
from tests.conftest import ROOT

DOC = "Why.\n\nFails:\n    x\n\nPasses:\n    y\n"


def test_duplicates_are_refused() -> None:
    rules = RuleSet()
    rules.add(Rule("JM800", "one-rule", Severity.INFO, "A rule", DOC))
    with pytest.raises(DuplicateRuleError, match="one-rule"):
        rules.add(Rule("JM801", "one-rule", Severity.INFO, "A rule", DOC))
    with pytest.raises(DuplicateRuleError, match="JM800"):
        rules.add(Rule("JM800", "other-rule", Severity.INFO, "A rule", DOC))


def test_malformed_rules_are_refused() -> None:
    rules = RuleSet()
    with pytest.raises(ValueError, match="code JMnnn"):
        rules.add(Rule("X1", "a-rule", Severity.INFO, "A rule", DOC))
    with pytest.raises(ValueError, match="Fails:/Passes:"):
        rules.add(Rule("JM802", "a-rule", Severity.INFO, "A rule", "no examples"))


def test_decorator_registers_with_the_docstring() -> None:
    rules = RuleSet()

    @rules.register("JM803", "some-check", Severity.WARNING, "Checks something")
    def some_check(ctx: Context) -> list[Issue]:
        """Explains.

        Fails:
            a

        Passes:
            b
        """
        return []

    rule = rules.get("some-check")
    assert rule is not None
    assert rule.sections == {"about": "Explains.", "fails": "a", "passes": "b"}
    assert rules.get("JM803") is rule


def test_the_catalogue_page_is_up_to_date() -> None:
    page = (ROOT / "docs" / "rules.md").read_text("utf-8")
    assert page.startswith(HEADER)
    assert page == markdown(), "regenerate: journeymap rules --format markdown > docs/rules.md"
    assert all(f"## {name}" in page for name in RULES.names())


def test_rules_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(RULES)
    assert lines[0].startswith("JM001  unreadable")

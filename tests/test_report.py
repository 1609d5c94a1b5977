"""Failure-demand reports: every example in every format and language, safe and self-contained."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import journeymap
from journeymap.cli import main
from journeymap.flow import analyze
from journeymap.loader.scenario import changed_journey
from journeymap.locales.messages import _read
from journeymap.report.content import headline
from journeymap.report.document import render, report
from journeymap.rules import RULES
from journeymap.rules import run as run_rules
from tests.browser import visit
from tests.conftest import EXAMPLES, example_files

JOURNEYS = [p for p in example_files() if "scenario" not in p.read_text(encoding="utf-8")[:200]]
FINNISH = EXAMPLES / "housing-allowance.yaml"
PLACEHOLDER = re.compile(r"\{\w+\}")


def _report(tmp_path: Path, journey: Path, *args: str) -> Path:
    suffix = args[args.index("--format") + 1] if "--format" in args else "html"
    target = tmp_path / f"{journey.stem}-{len(list(tmp_path.iterdir()))}.{suffix}"
    assert main(["report", str(journey), "-o", str(target), *args]) == 0
    return target


@pytest.mark.parametrize("fmt", ["html", "md", "json"])
@pytest.mark.parametrize("locale", ["en", "fi"])
@pytest.mark.parametrize("journey", JOURNEYS, ids=lambda p: p.stem)
def test_every_example_reports_in_every_format_and_language(
    tmp_path: Path, journey: Path, fmt: str, locale: str
) -> None:
    path = _report(tmp_path, journey, "--format", fmt, "--locale", locale)
    text = path.read_text(encoding="utf-8")
    title = journeymap.load(journey).label
    if fmt == "json":
        data = json.loads(text)
        assert data["locale"] == locale
        assert data["journey"]["title"] == title
        assert data["headline"]["failure_demand_ratio"] == pytest.approx(
            analyze(journeymap.load(journey)).failure_demand_ratio
        )
        assert {"hotspots", "breakpoints", "gaps", "recommendations", "emotion"} <= set(data)
    elif fmt == "html":
        assert text.startswith("<!DOCTYPE html>")
        assert f'<html lang="{locale}">' in text
        assert "<svg" in text
    else:
        heading = _read(locale)["messages"]["report.title"]
        assert text.startswith(f"## {heading}: ")
        assert "{{" not in text
        assert "{%" not in text


def test_a_journey_reports_in_its_own_language_by_default(tmp_path: Path) -> None:
    data = json.loads(_report(tmp_path, FINNISH, "--format", "json").read_text("utf-8"))
    assert data["locale"] == "fi"


def _english_phrases() -> set[str]:
    """Every piece of English message text, four words or more, that Finnish says otherwise."""
    english, finnish = _read("en")["messages"], _read("fi")["messages"]
    phrases = set()
    for key, text in english.items():
        if text == finnish[key]:
            continue
        for piece in PLACEHOLDER.split(text):
            piece = " ".join(piece.split()).strip(" .,:;\"'()")
            if len(piece.split()) >= 4:
                phrases.add(piece)
    return phrases


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_finnish_example_reports_entirely_in_finnish(tmp_path: Path, fmt: str) -> None:
    text = " ".join(_report(tmp_path, FINNISH, "--format", fmt).read_text("utf-8").split())
    phrases = _english_phrases()
    assert len(phrases) > 50
    assert [p for p in phrases if p in text] == []
    assert "Häiriökysyntäraportti" in text
    # The design checks' detailed messages are English: a Finnish report names the rule instead.
    loaded = journeymap.read(FINNISH)
    findings = run_rules(loaded)
    assert findings
    assert [f.message for f in findings if " ".join(f.message.split()) in text] == []
    assert "Todennäköinen kanavanvaihto hukkaa asiakkaan tilanteen" in text


def test_english_rule_summaries_match_the_rule_catalogue() -> None:
    english = _read("en")["messages"]
    assert {rule.name: rule.summary for rule in RULES} == {
        key.removeprefix("rules."): text
        for key, text in english.items()
        if key.startswith("rules.")
    }


def test_the_report_lists_design_check_findings(tmp_path: Path) -> None:
    data = json.loads(
        _report(tmp_path, EXAMPLES / "parcel-delivery.yaml", "--format", "json").read_text("utf-8")
    )
    assert data["findings"]
    assert {"rule", "severity", "line", "message"} <= set(data["findings"][0])


@pytest.mark.parametrize("journey", JOURNEYS, ids=lambda p: p.stem)
def test_recommendations_report_what_analyze_gives_for_the_changed_journey(journey: Path) -> None:
    base = journeymap.load(journey)
    data = report(base)
    assert data["recommendations"], "every example has something worth fixing"
    for rec in data["recommendations"]:
        after = analyze(changed_journey(base, rec["changes"]))
        assert rec["after"] == headline(after)
        assert rec["saved_contacts_per_1000"] == pytest.approx(
            (analyze(base).failure_contacts_per_customer - after.failure_contacts_per_customer)
            * 1000
        )
        assert rec["saved_contacts_per_1000"] > 0
    saved = [r["saved_contacts_per_1000"] for r in data["recommendations"]]
    assert saved == sorted(saved, reverse=True)


def test_the_worst_gap_gets_a_handoff_recommendation() -> None:
    journey = journeymap.load(EXAMPLES / "parcel-delivery.yaml")
    figures = analyze(journey)
    worst = max(figures.gaps, key=lambda g: g.count)
    added = [
        change["add-handoff"]
        for rec in report(journey, figures=figures)["recommendations"]
        for change in rec["changes"]
        if "add-handoff" in change
    ]
    assert {"from": worst.source, "to": worst.target, "context": "full"} in added


HOSTILE = """\
journeymap: 1
id: hostile
title: "<script>alert('title')</script> & co"
description: "<img src=x onerror=alert(1)> **bold** | pipe"
stages:
  - {id: s, title: "<b>stage</b>"}
channels:
  web: {title: "<iframe src=https://example.com>"}
  phone: {title: Phone}
touchpoints:
  - id: a
    stage: s
    title: "</td></tr><script>alert('tp')</script>"
    emotion: -2
    channels: {web: primary, phone: alternative}
    failures: {unclear-instructions: 1}
"""


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


def test_markup_in_journey_text_is_shown_as_text_in_html(tmp_path: Path, hostile: Path) -> None:
    html = _report(tmp_path, hostile).read_text("utf-8")
    assert "<script" not in html.lower()
    assert "<iframe" not in html.lower()
    assert "<img" not in html.lower()
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html

    seen = visit(_report(tmp_path, hostile, "--locale", "fi"), tmp_path / "browser")
    assert seen.console_errors == []
    assert seen.requests == []
    assert "<script>alert('title')</script>" in seen.title


def test_markup_in_journey_text_is_escaped_in_markdown(tmp_path: Path, hostile: Path) -> None:
    md = _report(tmp_path, hostile, "--format", "md").read_text("utf-8")
    assert "<script>" not in md
    assert r"\<script\>" in md


@pytest.mark.parametrize("locale", ["en", "fi"])
@pytest.mark.parametrize("journey", JOURNEYS, ids=lambda p: p.stem)
def test_html_reports_open_offline_in_chromium_and_print(
    tmp_path: Path, journey: Path, locale: str
) -> None:
    seen = visit(_report(tmp_path, journey, "--locale", locale), tmp_path / "browser")
    assert seen.console_errors == []
    assert seen.requests == []
    assert seen.screenshot.stat().st_size > 10_000
    assert seen.pdf.read_bytes().startswith(b"%PDF")
    assert journeymap.load(journey).label in seen.title


def test_an_existing_report_is_kept_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    out.write_text("mine", encoding="utf-8")
    assert main(["report", str(EXAMPLES / "parcel-delivery.yaml"), "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "mine"
    assert "--force" in capsys.readouterr().err
    assert main(["report", str(EXAMPLES / "parcel-delivery.yaml"), "-o", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_team_template_takes_precedence(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "report.md.j2").write_text(
        "{{ t('report.title') }} / {{ report.journey.title|md }} / "
        "{{ report.headline.failure_demand_ratio|pct }}\n",
        encoding="utf-8",
    )
    out = _report(
        tmp_path, FINNISH, "--format", "md", "--template-dir", str(tmp_path / "templates")
    )
    assert out.read_text("utf-8").startswith(
        "Häiriökysyntäraportti / Yleisen asumistuen hakeminen / "
    )


def test_a_broken_template_is_a_clear_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "report.md.j2").write_text("line one\n{% for x in %}\n", encoding="utf-8")
    code = main(["report", str(FINNISH), "--format", "md", "--template-dir", str(tmp_path)])
    assert code == 2
    err = capsys.readouterr().err
    assert "report.md.j2:2:" in err
    assert "Traceback" not in err


def test_unknown_locale_and_format_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    parcel = str(EXAMPLES / "parcel-delivery.yaml")
    assert main(["report", parcel, "--locale", "xx"]) == 2
    assert main(["report", parcel, "-o", "report.pdf"]) == 2
    assert "use .html, .md or .json" in capsys.readouterr().err


def test_reports_are_reproducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795392000")
    journey = journeymap.load(EXAMPLES / "parcel-delivery.yaml")
    first, second = render(report(journey), "md"), render(report(journey), "md")
    assert first == second
    assert "2026" in first


def test_a_change_the_journey_refuses_is_not_recommended() -> None:
    # The status-chasing step is the only way on from 'a': removing it is refused.
    journey = journeymap.loads(
        """\
journeymap: 1
id: only-way
stages: [{id: s}]
channels: {web: {cost: 1}, phone: {cost: 5}}
touchpoints:
  - id: a
    stage: s
    channels: {web: primary, phone: alternative}
    next: [{to: chase}]
  - id: chase
    stage: s
    demand: failure
    cause: no-proactive-update
    channels: {phone: {role: primary, resolve: 0.6}}
    failures: {waiting: 1}
"""
    )
    recommendations = report(journey)["recommendations"]
    assert recommendations
    assert "notice" not in {r["kind"] for r in recommendations}

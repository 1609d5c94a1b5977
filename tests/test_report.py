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
from journeymap.locales.messages import _read, catalog
from journeymap.report.advice import candidates, cost_note
from journeymap.report.content import headline
from journeymap.report.document import render, report
from journeymap.report.templating import markdown_text
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
    assert "Moni asiakas vaihtaa kanavaa ja joutuu kertomaan asiansa uudelleen" in text


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


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.stem)
def test_the_worst_gaps_get_a_handoff_and_none_goes_into_a_message(path: Path) -> None:
    journey = journeymap.load(path)
    figures = analyze(journey)
    proposed = [
        change["add-handoff"]
        for candidate in candidates(journey, figures, catalog("en"))
        for change in candidate.changes
        if "add-handoff" in change
    ]
    worst = max(figures.gaps, key=lambda g: g.count)
    assert {"from": worst.source, "to": worst.target, "context": "full"} in proposed
    assert all(journey.channels[h["to"]].kind != "outbound" for h in proposed)


def test_no_recommendation_is_about_a_message_that_did_its_job() -> None:
    for path in example_files():
        journey = journeymap.load(path)
        figures = analyze(journey)
        for rec in report(journey, figures=figures)["recommendations"]:
            for change in rec["changes"]:
                target = change.get("add-handoff", {}).get("to")
                assert target is None or journey.channels[target].kind != "outbound"
        for point in figures.breakpoints:
            tp = journey.touchpoint(point.touchpoint)
            if journey.channels[point.channel].kind == "outbound":
                assert tp.channels[point.channel].resolve not in (None, 1.0), (path, point)


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


def _bullet_lists(markdown: str) -> list[list[str]]:
    """Every bullet list as CommonMark (with GitHub's tables) reads it: each item's source."""
    from markdown_it import MarkdownIt

    lists: list[list[str]] = []
    open_: list[list[str]] = []
    for token in MarkdownIt("commonmark").enable("table").parse(markdown):
        if token.type == "bullet_list_open":
            open_.append([])
        elif token.type == "bullet_list_close":
            lists.append(open_.pop())
        elif token.type == "list_item_open":
            open_[-1].append("")
        elif token.type == "inline" and open_:
            open_[-1][-1] += token.content
    return lists


LIST_RUN_ON = re.compile(r"\S- \*\*|\)- ")
"""A list item's marker after other text on its line: '…(Chatbotti)- **Tuen määrä**'."""


@pytest.mark.parametrize("locale", ["en", "fi"])
@pytest.mark.parametrize("journey", JOURNEYS, ids=lambda p: p.stem)
def test_markdown_lists_keep_one_item_a_line(journey: Path, locale: str) -> None:
    data = report(journeymap.load(journey), run_rules(journeymap.read(journey)), locale=locale)
    text = render(data, "md")
    assert [line for line in text.splitlines() if LIST_RUN_ON.search(line)] == []
    lists = _bullet_lists(text)
    titles = [f"**{markdown_text(c['title'])}**: " for c in data["contradictions"]]
    if titles:
        risks = next(items for items in lists if items[0].startswith(titles[0]))
        assert len(risks) == len(titles)
        assert all(item.startswith(title) for item, title in zip(risks, titles, strict=True))
        # A blank line ends the list before the folded design checks begin.
        after_list = text.split(f"- {titles[-1]}", 1)[1].split("\n", 2)[1:]
        assert after_list[0] == ""
        assert after_list[1].startswith("<details><summary>")
    severities = tuple(
        _read(locale)["messages"][f"severity.{s}"] for s in ("error", "warning", "info")
    )
    checks = [items for items in lists if items[0].startswith(severities)]
    assert [len(items) for items in checks] == ([len(data["findings"])] if data["findings"] else [])


TEMPLATES = Path(journeymap.__file__).resolve().parent.parent / "templates"
_EXPRESSION = re.compile(r"\{\{(.*?)\}\}")
_NUMERIC = re.compile(r"\|\s*(num|pct|signed|signed_pct)\b(\([^)]*\))?\s*$|^\s*f\.(value|delta)\(")


def _shows_number(expression: str, end: str) -> bool:
    """Whether a template expression prints a number at its ``end`` ('start' or 'end')."""
    if _NUMERIC.search(expression):
        return True
    key = re.fullmatch(r"\s*t\('([\w.-]+)'.*\)\s*", expression)
    if not key:
        return False
    for code in ("en", "fi"):
        text = _read(code)["messages"][key.group(1)].strip()
        edge = text[0] if end == "start" else text[-1]
        if edge.isdigit() or edge in "{}":
            return True
    return False


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.j2")), ids=lambda p: p.name)
def test_no_template_prints_two_numbers_side_by_side(template: Path) -> None:
    """'Häiriökysyntä 1 446 1 000 asiakasta kohden': a number, then a text that starts with one."""
    text = template.read_text("utf-8")
    found = []
    for first, second in zip(
        _EXPRESSION.finditer(text), list(_EXPRESSION.finditer(text))[1:], strict=False
    ):
        between = text[first.end() : second.start()]
        if (
            between.strip() == ""
            and _shows_number(first.group(1), "end")
            and _shows_number(second.group(1), "start")
        ):
            found.append(f"{first.group(0)}{between}{second.group(0)}")
    assert found == []


def test_the_side_by_side_check_finds_a_number_before_per_1000() -> None:
    assert _shows_number(" h.failure_contacts_per_1000|num ", "end")
    assert _shows_number(" t('report.per-1000-customers') ", "start")  # fi: '1 000 asiakasta'
    assert not _shows_number(" t('report.value-demand') ", "end")


def test_finnish_numbers_stand_apart(tmp_path: Path) -> None:
    data = report(journeymap.load(FINNISH))
    texts, h = catalog("fi"), data["headline"]
    md = render(data, "md")
    value, failure = (
        texts.number(h["value_contacts_per_1000"]),
        texts.number(h["failure_contacts_per_1000"]),
    )
    assert (
        f"Arvokysyntä ja häiriökysyntä 1 000 asiakasta kohden: Arvokysyntä {value}, "
        f"Häiriökysyntä {failure}.\n"
    ) in md
    html = render(data, "html")
    cost = texts.number(h["failure_cost_per_1000"])
    assert f"häiriökysyntä maksaa 1 000 asiakasta kohden {cost}</span>" in html
    assert (
        f"puolet ottaa yhteyttä enintään {h['contacts_p50']} kertaa; 90 % enintään "
        f"{h['contacts_p90']} ja 95 % enintään {h['contacts_p95']} kertaa</span>"
    ) in html
    english = render(report(journeymap.load(FINNISH), locale="en"), "md")
    assert (
        "Value demand and failure demand per 1,000 customers: Value demand "
        f"{catalog('en').number(h['value_contacts_per_1000'])}, Failure demand "
        f"{catalog('en').number(h['failure_contacts_per_1000'])}.\n"
    ) in english


LATER_STEPS = """\
journeymap: 1
id: later-steps
stages: [{id: s}]
channels: {web: {cost: 1}, branch: {cost: 50}}
touchpoints:
  - id: apply
    stage: s
    channels: {web: {role: primary, resolve: 0.5}}
    failures: {unclear-instructions: 1}
    next: [{to: visit}]
  - id: visit
    stage: s
    channels: {branch: primary}
"""
"""A cheap step many give up at, then a dear one: clearing the first raises cost per customer."""


@pytest.mark.parametrize("locale", ["en", "fi"])
def test_a_cost_that_rises_because_more_complete_is_explained(locale: str) -> None:
    texts = catalog(locale)
    data = report(journeymap.loads(LATER_STEPS), locale=locale)
    h = data["headline"]
    assert h["cost_per_completed_customer"] == pytest.approx(
        h["cost_per_customer"] / h["completion_rate"]
    )
    md = render(data, "md")
    header = md.splitlines()[4]
    assert header.split(" | ")[3:5] == [
        texts.text("report.cost-per-customer"),
        texts.text("report.cost-per-completed"),
    ]
    assert (
        f"| {texts.number(h['cost_per_customer'], 2)} "
        f"| {texts.number(h['cost_per_completed_customer'], 2)} |"
    ) in md
    html = render(data, "html")
    assert (
        f'<span class="value">{texts.number(h["cost_per_completed_customer"], 2)}</span>\n'
        f'      <span class="name">{texts.text("report.cost-per-completed")}</span>'
    ) in html

    clear = next(r for r in data["recommendations"] if r["kind"] == "cause")
    before, after = clear["before"], clear["after"]
    assert clear["saved_cost_per_1000"] < 0
    assert after["cost_per_completed_customer"] < before["cost_per_completed_customer"]
    note = {
        "en": "Cost per customer rises because more customers complete ({c0} → {c1}) and use "
        "later steps; cost per completed customer falls ({k0} → {k1}).",
        "fi": "Kustannus asiakasta kohden nousee, koska useampi asiakas hoitaa asiansa loppuun "
        "({c0} → {c1}) ja käyttää myös myöhempiä vaiheita; kustannus asiansa hoitanutta "
        "asiakasta kohden laskee ({k0} → {k1}).",
    }[locale].format(
        c0=texts.percent(before["completion_rate"]),
        c1=texts.percent(after["completion_rate"]),
        k0=texts.number(before["cost_per_completed_customer"], 2),
        k1=texts.number(after["cost_per_completed_customer"], 2),
    )
    assert clear["cost_note"] == note
    assert f"- **{markdown_text(clear['title'])}**: {markdown_text(note)}\n" in md
    row = next(line for line in md.splitlines() if markdown_text(clear["title"]) in line)
    assert row.endswith(
        f"| {texts.number(before['cost_per_completed_customer'], 2)} → "
        f"{texts.number(after['cost_per_completed_customer'], 2)} |"
    )
    assert f'<span class="cost-note">{note}</span>' in html
    # The change in completion is in percentage points, not per cent.
    points = texts.number((after["completion_rate"] - before["completion_rate"]) * 100, 1)
    assert f'<td class="n">+{points} {texts.text("compare.points")}</td></tr>' in html
    # A change that saves cost needs no word of why.
    assert all(r["cost_note"] is None for r in data["recommendations"] if r is not clear)


def test_a_cost_note_says_which_way_cost_per_completed_customer_went() -> None:
    texts = catalog("en")
    before = {"completion_rate": 0.7, "cost_per_completed_customer": 68.75}

    def note(saved: float, completed: float, completion: float = 0.9) -> str | None:
        after = {"completion_rate": completion, "cost_per_completed_customer": completed}
        return cost_note(before, after, saved, texts)

    assert note(1200.0, 60.0) is None
    assert note(-0.4, 60.0) is None  # shows as a saving of 0
    assert note(-1200.0, 67.65) == (
        "Cost per customer rises because more customers complete (70.0% → 90.0%) and use "
        "later steps; cost per completed customer falls (68.75 → 67.65)."
    )
    assert note(-1200.0, 70.0, 0.7) == (
        "The change costs more than it saves: cost per completed customer does not fall "
        "(68.75 → 70.00)."
    )
    assert catalog("fi").text("advice.cost.rises", before="68,75", after="70,00") == (
        "Muutos maksaa enemmän kuin säästää: kustannus asiansa hoitanutta asiakasta kohden ei "
        "laske (68,75 → 70,00)."
    )


@pytest.mark.parametrize("locale", ["en", "fi"])
def test_a_handoff_is_explained_with_its_numbers_apart(locale: str) -> None:
    data = report(journeymap.loads(LATER_STEPS), locale=locale)
    gap = next(g for g in data["gaps"] if (g["from"], g["to"]) == ("web", "branch"))
    handoff = next(r for r in data["recommendations"] if r["kind"] == "handoff")
    count = catalog(locale).number(gap["per_1000"])
    assert (
        handoff["why"]
        == {
            "en": f"Per 1,000 customers there are {count} switches from web to branch, each a "
            "customer telling their story again.",
            "fi": "Kanavasta web siirrytään kanavaan branch 1 000 asiakasta kohden "
            f"{count} kertaa, ja joka kerta asiakas kertoo asiansa uudelleen.",
        }[locale]
    )

"""The report's "Time and capacity" section, each recommendation's agent time, and ``compare``.

The section's numbers are the exact analysis's; a recommendation's agent hours and waits
come from analysing the changed journey; a journey without time keys has no section.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from journeymap.cli import main
from journeymap.flow import analyze
from journeymap.loader import load, loads
from journeymap.loader.scenario import changed_journey
from journeymap.locales.messages import _read, catalog
from journeymap.markov.queues import service_level
from journeymap.model import Journey
from journeymap.report import charts
from journeymap.report.advice import Trials
from journeymap.report.compare import compare
from journeymap.report.document import render, report
from journeymap.report.elapsed import elapsed, signed_elapsed
from tests.conftest import DATA

PERMIT = DATA / "time" / "permit-line.yaml"
SMALL = DATA / "small.yaml"
PLACEHOLDER = re.compile(r"\{\w+\}")


def _permit(*replacements: tuple[str, str]) -> Journey:
    text = PERMIT.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    return loads(text, "permit-line.yaml")


PATIENCE = ("agents: 3, cost: 6}", "agents: 3, patience: 3m, cost: 6}")
LEVEL = ("volume: 1200/week\n", 'volume: 1200/week\ndefaults: {service_level: "80% in 60s"}\n')
TITLES = ("phone: {hours", "phone: {title: Phone line, hours")


@pytest.fixture(scope="module")
def journey() -> Journey:
    """The permit line with an Erlang A phone queue, a service level and channel titles."""
    return _permit(PATIENCE, LEVEL, TITLES)


@pytest.fixture(scope="module")
def data(journey: Journey) -> dict[str, Any]:
    return report(journey, locale="en")


def test_the_section_holds_the_exact_figures(journey: Journey, data: dict[str, Any]) -> None:
    figures = analyze(journey)
    time = figures.time
    assert time is not None
    section = data["time"]
    assert section["time_per_customer_hours"] == time.time_per_customer_hours
    assert section["time_to_complete_hours"] == time.time_to_complete_hours
    assert section["percentiles"] is None
    assert section["per"] == "week"
    assert section["service_level"] == {"text": "80% in 60s", "share": 0.8, "within_hours": 1 / 60}
    rows = {row["channel"]: row for row in section["workload"]}
    assert set(rows) == set(time.workload) == {"phone", "e-mail"}
    for cid, load_ in time.workload.items():
        assert rows[cid]["value_hours"] == pytest.approx(load_.value_hours)
        assert rows[cid]["failure_hours"] == pytest.approx(load_.failure_hours)
        assert rows[cid]["fte"] == pytest.approx(load_.fte)
        assert rows[cid]["failure_fte"] == pytest.approx(load_.failure_hours / 37.5)
    assert section["failure_fte"] == pytest.approx(
        sum(w.failure_hours for w in time.workload.values()) / 37.5
    )
    [queue] = section["queues"]
    found = time.queues["phone"]
    assert queue["label"] == "Phone line"
    assert queue["agents"] == 3
    assert queue["arrival_rate_per_hour"] == pytest.approx(found.arrival_rate)
    assert queue["wait_hours"] == pytest.approx(found.wait_hours)
    assert queue["p_abandon"] == pytest.approx(found.p_abandon) != 0
    assert queue["iterations"] == time.iterations["phone"] > 1
    assert queue["answered_in_time"] == pytest.approx(service_level(found, 1 / 60))
    needed = queue["agents_needed"]
    for agents, meets in ((needed, True), (needed - 1, False)):
        change = [{"set": {"path": "channels.phone.agents", "value": agents}}]
        other = analyze(changed_journey(journey, change), percentiles=False).time
        assert other is not None
        assert (service_level(other.queues["phone"], 1 / 60) >= 0.8) is meets


def test_each_recommendation_shows_the_agent_hours_it_frees_and_the_waits(
    journey: Journey, data: dict[str, Any]
) -> None:
    figures = analyze(journey)
    assert figures.time is not None
    before = sum(w.total_hours for w in figures.time.workload.values())
    assert data["recommendations"]
    for rec in data["recommendations"]:
        after = analyze(changed_journey(journey, rec["changes"]), percentiles=False).time
        assert after is not None
        saved = before - sum(w.total_hours for w in after.workload.values())
        assert rec["time"]["agent_hours_saved"] == pytest.approx(saved)
        assert rec["time"]["fte_saved"] == pytest.approx(saved / 37.5)
        [queue] = rec["time"]["queues"]
        assert queue["wait_before_hours"] == pytest.approx(figures.time.queues["phone"].wait_hours)
        assert queue["wait_after_hours"] == pytest.approx(after.queues["phone"].wait_hours)
    assert data["recommendations"][0]["time"]["agent_hours_saved"] > 0


def test_the_html_section_says_it_in_readable_units(data: dict[str, Any]) -> None:
    html = render(data, "html")
    texts = catalog("en")
    section = data["time"]
    assert '<section id="time">' in html
    assert "<h2>Time and capacity</h2>" in html
    assert f'<span class="value">{elapsed(texts, section["time_to_complete_hours"])}' in html
    assert elapsed(texts, section["time_to_complete_hours"]).endswith(" days")
    phone = section["workload"][0]
    assert (
        f"Failure demand uses {phone['failure_fte']:.1f} FTE of Phone line: "
        f"{phone['failure_hours']:.1f} of its {phone['total_hours']:.1f} agent hours a week."
    ) in html
    assert 'aria-label="Agent time by channel"' in html
    assert "These are means: the exact analysis does not give their spread." in html
    assert '<th class="n">Agents for 80% in 60s</th>' in html
    assert f"<strong>{section['queues'][0]['agents_needed']}</strong>" in html
    assert "customers give up after 3 minutes of waiting on average" in html
    saved = '<span class="time-saved"><strong>Agent time and waiting:</strong> frees '
    assert html.count(saved) == len(data["recommendations"])
    first = data["recommendations"][0]["time"]["queues"][0]
    before, after = (
        elapsed(texts, first[key], short=True) for key in ("wait_before_hours", "wait_after_hours")
    )
    assert f"; Phone line wait: {before} → {after}</span></td>" in html
    assert before.endswith("\u00a0sec")


def test_the_markdown_section_has_its_tables(data: dict[str, Any]) -> None:
    md = render(data, "md")
    assert "\n### Time and capacity\n" in md
    assert "| Time to complete | Time per customer | Agent time on failure demand |" in md
    queue = data["time"]["queues"][0]
    row = next(line for line in md.splitlines() if line.startswith("| Phone line (mon-fri"))
    assert row.endswith(f"| **{queue['agents_needed']}** |")
    assert "| Agent time and waiting |" in md
    assert md.count("| frees ") == len(data["recommendations"])


def test_a_simulations_percentiles_get_a_chart_and_the_means_alone_a_note(
    data: dict[str, Any],
) -> None:
    simulated = json.loads(json.dumps(data))
    simulated["time"]["percentiles"] = {"p50": 100.0, "p90": 200.0, "p95": 300.0}
    html = render(simulated, "html")
    assert 'aria-label="How long customers take to finish"' in html
    assert "19 in 20 finish within" in html
    assert "These are means" not in html
    assert 'aria-label="How long customers take to finish"' not in render(data, "html")
    md = render(simulated, "md")
    assert "Half finish within 4.2 days; 9 in 10 finish within 8.3 days" in md


def _english_phrases(prefixes: tuple[str, ...]) -> set[str]:
    english, finnish = _read("en")["messages"], _read("fi")["messages"]
    phrases = set()
    for key, text in english.items():
        if not key.startswith(prefixes) or text == finnish[key]:
            continue
        for piece in PLACEHOLDER.split(text):
            piece = " ".join(piece.split()).strip(" .,:;\"'()")
            if len(piece.split()) >= 3:
                phrases.add(piece)
    return phrases


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_section_speaks_finnish(journey: Journey, fmt: str) -> None:
    text = " ".join(render(report(journey, locale="fi"), fmt).split())  # type: ignore[arg-type]
    assert "Aika ja kapasiteetti" in text
    assert "Häiriökysyntä vie kanavasta Phone line" in text
    assert "htv" in text
    assert "päivää" in text
    phrases = _english_phrases(("report.time.",))
    assert len(phrases) > 20
    assert [p for p in phrases if p in text] == []


def test_a_journey_without_time_keys_has_no_section() -> None:
    journey = load(SMALL)
    assert analyze(journey).time is None
    data = report(journey, locale="en")
    assert "time" not in data
    assert all("time" not in rec for rec in data["recommendations"])
    html, md = render(data, "html"), render(data, "md")
    assert 'id="time"' not in html
    assert "time-saved" not in html
    assert "Time and capacity" not in md
    assert "Agent time and waiting" not in md + html


def test_without_volume_agent_time_is_per_1000_customers() -> None:
    journey = _permit(("volume: 1200/week\n", ""), ("agents: 3, ", ""), TITLES)
    figures = analyze(journey)
    assert figures.time is not None
    section = report(journey, locale="en")["time"]
    assert section["per"] == "1000"
    assert section["failure_fte"] is None
    assert section["queues"] == []
    phone = next(row for row in section["workload"] if row["channel"] == "phone")
    assert phone["total_hours"] == pytest.approx(figures.time.agent_hours["phone"] * 1000)
    channel = figures.channels["phone"]
    share = channel.failure_contacts / channel.contacts
    assert phone["failure_hours"] == pytest.approx(phone["total_hours"] * share)
    html = unescape(render(report(journey, locale="en"), "html"))
    assert "Give the journey's volume (volume: 2000/week) to see hours a week and FTE." in html
    assert "Agent time on failure demand" not in html
    assert "frees " in html
    assert " agent hours per 1,000 customers" in html


def test_a_change_that_overloads_a_queue_is_refused_not_raised() -> None:
    journey = _permit()
    trials = Trials(journey)
    assert trials.analyse([{"set": {"path": "channels.phone.agents", "value": 1}}]) is None
    assert trials.analyse([{"set": {"path": "channels.phone.agents", "value": 4}}]) is not None


def test_compare_sets_time_and_queue_figures_side_by_side() -> None:
    before = _permit()
    after = _permit(("agents: 3, cost", "agents: 4, cost"))
    data = compare(before, after, locale="en", draws=0)
    assert not any(row["changed"] for row in data["headline"])  # Erlang C: the flow is the same
    assert data["changed"]
    rows = {row["key"]: row for row in data["time"]}
    old, new = analyze(before).time, analyze(after).time
    assert old is not None
    assert new is not None
    wait = rows["wait:phone"]
    assert wait["before"] == pytest.approx(old.queues["phone"].wait_hours)
    assert wait["after"] == pytest.approx(new.queues["phone"].wait_hours)
    assert wait["better"] is True
    assert rows["time_to_complete_hours"]["better"] is True
    assert rows["agent-hours-week:phone"]["changed"] is False
    assert rows["fte:phone"]["better"] is None
    assert "give-up:phone" not in rows  # no patience on either side
    md = render_compare(before, after, "md", "en")
    assert "\n### Time and capacity\n" in md
    assert "| phone: mean wait | " in md
    assert "(better)" in next(line for line in md.splitlines() if "phone: mean wait" in line)
    fi = render_compare(before, after, "html", "fi")
    assert "Aika ja kapasiteetti" in fi
    assert "phone: keskimääräinen odotus" in fi


def render_compare(before: Journey, after: Journey, fmt: str, locale: str) -> str:
    from journeymap.report.templating import fill

    data = compare(before, after, locale=locale, draws=0)
    return fill(f"compare.{fmt}.j2", catalog(locale), compare=data)


def test_compare_of_a_journey_with_itself_changes_no_time_figure() -> None:
    journey = _permit(PATIENCE)
    data = compare(journey, journey, locale="en", draws=0)
    assert data["time"]
    assert not data["changed"]
    assert {row["key"] for row in data["time"]} >= {"wait:phone", "give-up:phone"}
    assert all(row["delta"] == 0 and row["better"] is None for row in data["time"])


def test_compare_without_time_keys_is_as_before(tmp_path: Path) -> None:
    data = compare(load(SMALL), load(SMALL), locale="en", draws=0)
    assert "time" not in data
    target = tmp_path / "compare.md"
    assert main(["compare", str(SMALL), str(SMALL), "-o", str(target)]) == 0
    assert "Time and capacity" not in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("hours", "en", "fi"),
    [
        (0.0, "0 seconds", "0 sekuntia"),
        (44 / 3600, "44 seconds", "44 sekuntia"),
        (59.96 / 3600, "1 minute", "1 minuutti"),
        (6.5 / 60, "6.5 minutes", "6,5 minuuttia"),
        (25 / 60, "25 minutes", "25 minuuttia"),
        (5.2, "5.2 hours", "5,2 tuntia"),
        (47.99, "2 days", "2 päivää"),
        (133.7, "5.6 days", "5,6 päivää"),
        (2000.0, "83 days", "83 päivää"),
    ],
)
def test_elapsed_times_take_the_unit_that_suits_them(hours: float, en: str, fi: str) -> None:
    assert elapsed(catalog("en"), hours) == en
    assert elapsed(catalog("fi"), hours) == fi


def test_a_change_of_time_has_a_sign_unless_it_shows_as_zero() -> None:
    texts = catalog("en")
    assert signed_elapsed(texts, -0.01) == "−36 seconds"
    assert signed_elapsed(texts, 2.5) == "+2.5 hours"
    assert signed_elapsed(texts, 0.00001) == "0 seconds"
    assert elapsed(texts, 44 / 3600, short=True) == "44\u00a0sec"


def test_split_bars_draw_value_then_failure_with_a_legend() -> None:
    svg = charts.split_bars(
        [
            charts.Split("Phone <line>", 30.0, 20.0, "50 h a week", "40%"),
            charts.Split("E-mail", 5.0, 0.0, "5 h a week", "0%"),
        ],
        "Agent time",
        ("Value demand", "Failure demand"),
    )
    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    assert "Phone &lt;line&gt;" in svg
    assert ">40%</text>" in svg
    assert ">0%</text>" not in svg  # no room on a bar of no width
    assert "Value demand" in svg
    assert "Failure demand" in svg

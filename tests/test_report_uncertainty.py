"""Reports of journeys with ranges: intervals, the tornado chart, what to research first.

The journey ``tests/data/report-uncertainty/permit.yaml`` gives eight ranges; the same
journey with every range replaced by its midpoint gives none and the same point figures.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import journeymap
from journeymap.cli import main
from journeymap.locales.messages import catalog
from journeymap.model import Journey
from journeymap.report.certainty import ADVICE_DRAWS, DRAWS
from journeymap.report.charts import LOW_END
from journeymap.report.document import render, report
from journeymap.report.spans import number_span, percent_span
from journeymap.uncertainty.sensitivity import tornado
from tests.browser import visit
from tests.conftest import DATA
from tests.test_report import _english_phrases
from tests.test_report_print import _pages

FOLDER = DATA / "report-uncertainty"
PERMIT = FOLDER / "permit.yaml"
CHOOSE = FOLDER / "choose.yaml"
TINY = """\
journeymap: 1
id: tiny
stages: [{id: s}]
channels: {web: {cost: 1}}
touchpoints:
  - id: a
    stage: s
    channels: {web: {resolve: [0.6, 0.9]}}
"""
"""One step, one channel: only its resolve and its retry (and the default retry) matter."""
RANGE = re.compile(r"\[(0\.\d+), (0\.\d+)\]")


def _midpoints(text: str) -> str:
    """The journey with every range written as its midpoint."""
    return RANGE.sub(lambda m: repr(round((float(m[1]) + float(m[2])) / 2, 6)), text)


@pytest.fixture(scope="module")
def permit() -> Journey:
    return journeymap.load(PERMIT)


@pytest.fixture(scope="module")
def ranged(permit: Journey) -> dict[str, dict[str, object]]:
    """The permit report's data in English and in Finnish."""
    return {locale: report(permit, locale=locale) for locale in ("en", "fi")}


def _tornado_svg(html: str) -> str:
    figure = html.split('<figure class="tornado">', 1)[1]
    return figure.split("</svg>", 1)[0]


def test_ranges_give_the_headline_its_intervals(ranged: dict[str, dict[str, Any]]) -> None:
    data = ranged["en"]
    found = data["uncertainty"]
    assert found["draws"] == DRAWS
    assert found["seed"] == 0
    assert len(found["ranges"]) == 8
    assert {r["label"] for r in found["ranges"]} >= {
        "Apply · Web resolve",
        "Older residents · Web ability",
        "Older residents · share",
    }
    h = data["headline"]
    for key in (
        "failure_demand_ratio",
        "completion_rate",
        "abandon_rate",
        "contacts_per_customer",
        "cost_per_customer",
        "cost_per_completed_customer",
        "contacts_per_resolved_customer",
        "failure_contacts_per_1000",
    ):
        interval = found["figures"][key]
        assert interval["point"] == pytest.approx(h[key])
        assert interval["low"] < h[key] < interval["high"], key
    # The ratio's uncertainty comes mostly from the web form's resolve rate.
    assert found["leading"][0]["key"] == "touchpoints.apply.channels.web.resolve"
    assert found["leading"][0]["share"] > 0.5
    shares = found["hotspots"]["touchpoint:apply"]
    assert shares["low"] < data["hotspots"]["touchpoint"][0]["share"] < shares["high"]


def test_html_and_markdown_show_each_interval_beside_its_figure(
    ranged: dict[str, dict[str, Any]],
) -> None:
    data, texts = ranged["en"], catalog("en")
    figures = data["uncertainty"]["figures"]

    def shown(key: str) -> str:
        ratio = figures[key]
        return percent_span(texts, ratio["low"], ratio["high"], 1)

    ratio = texts.percent(data["headline"]["failure_demand_ratio"])
    html, md = render(data, "html"), render(data, "md")
    assert (
        f'<span class="value">{ratio} <span class="interval">'
        f"({shown('failure_demand_ratio')})</span></span>"
    ) in html
    assert re.fullmatch(r"\d+\.\d–\d+\.\d%", shown("failure_demand_ratio"))
    cost = figures["cost_per_completed_customer"]
    assert f"({number_span(texts, cost['low'], cost['high'], 2)})</span>" in html
    assert f"| **{ratio}** ({shown('failure_demand_ratio')}) | " in md
    assert (
        f"{texts.percent(data['headline']['completion_rate'])} ({shown('completion_rate')})" in md
    )
    note = texts.text("report.uncertainty.interval-note", draws=texts.number(DRAWS))
    assert note in html
    assert note in md
    assert (
        "Most of the uncertainty in the failure-demand ratio comes from Apply · Web resolve" in md
    )


def test_the_json_report_carries_the_uncertainty(permit: Journey) -> None:
    data = json.loads(render(report(permit), "json"))
    assert {"uncertainty", "assumptions"} <= set(data)
    assert set(data["uncertainty"]) >= {"draws", "seed", "figures", "hotspots", "ranges"}
    assert data["uncertainty"]["variance_shares"]["failure_demand_ratio"]
    for recommendation in data["recommendations"]:
        sure = recommendation["how_sure"]
        assert sure["draws"] == ADVICE_DRAWS
        assert 0 <= sure["better_in_share_of_draws"]["failure_demand_ratio"] <= 1


def test_the_tornado_shows_the_ten_assumptions_that_move_the_ratio_most(
    ranged: dict[str, dict[str, Any]], permit: Journey
) -> None:
    data = ranged["en"]
    bars = data["assumptions"]["bars"]
    assert [b["key"] for b in bars] == [b.slot.key for b in tornado(permit)]
    assert len(bars) == 10
    svg = _tornado_svg(render(data, "html"))
    assert "<script" not in svg
    # One span line per bar, under its label.
    assert svg.count('font-size="11" fill="#666666"') == 10
    assert svg.count(f'fill="{LOW_END}"') == 10 + 1  # each bar's low-end half, and the legend
    for text in (
        "Apply · Web resolve",
        "55–95%, range",
        "Default resolve (not in the file)",
        "80–100%, ±10 points",
        "Older residents · Web ability",
        "Apply → Ask about the application",
        "as written: 19.9%",
        "24.6%",  # the ratio with the web form at 55%
        "15.9%",  # and at 95%
        "solid: a range given in the file",
        "striped: no range, 10 points either way",
    ):
        assert text in svg, text
    assert 'stroke-dasharray="5 3"' in svg  # the ratio as written, a dashed line
    assert (
        svg.count("url(#journeymap-tornado-stripes)") == 2 * sum(not b["ranged"] for b in bars) + 1
    )


def test_research_first_names_assumed_steps_and_values_not_in_the_file(
    ranged: dict[str, dict[str, Any]],
) -> None:
    first = ranged["en"]["assumptions"]["research_first"]
    assert [s["label"] for s in first["assumed"]] == [
        "Apply · Web resolve",
        "Apply → Ask about the application",
        "Apply · retry",
    ]
    assert first["not_in_file"][0]["name"] == "Default resolve"
    html = render(ranged["en"], "html")
    assert "<h3>Research these first</h3>" in html
    assert (
        "<strong>Assumed, and they move the answer most:</strong> Apply · Web resolve "
        '<span class="nobreak">(55–95%)</span>; Apply → Ask about the application '
        '<span class="nobreak">(5–15%)</span>; Apply · retry <span class="nobreak">(60–80%)</span>'
    ) in html
    defaults = "<strong>Not in the file, yet they decide the answer:</strong> Default resolve "
    assert f'{defaults}<span class="nobreak">(90%)</span>' in html
    md = render(ranged["en"], "md")
    assert "- **Assumed, and they move the answer most:** Apply · Web resolve (55–95%); " in md
    assert "| Apply · Web resolve | 55–95%, range | 24.6% → 15.9% |" in md


def test_fewer_bars_where_fewer_values_move_the_ratio() -> None:
    data = report(journeymap.loads(TINY))
    bars = data["assumptions"]["bars"]
    assert 0 < len(bars) < 10
    svg = _tornado_svg(render(data, "html"))
    assert svg.count('font-size="11" fill="#666666"') == len(bars)
    assert bars[0]["label"] == "a · web resolve"


def test_recommendations_say_how_sure_they_are(permit: Journey) -> None:
    data = report(journeymap.load(CHOOSE))
    primary = next(r for r in data["recommendations"] if r["kind"] == "primary")
    share = primary["how_sure"]["better_in_share_of_draws"]["failure_demand_ratio"]
    assert share == pytest.approx(0.55, abs=0.02)  # where the web does worse than the phone
    html, md = render(data, "html"), render(data, "md")
    shown = f"better in {catalog('en').percent(share, 0)} of {ADVICE_DRAWS} draws"
    assert f'<span class="sure">{shown}</span>' in html
    assert f"| {shown} |" in md
    assert "| How sure |" in md


def test_a_cause_removed_moves_both_ends_of_a_range(permit: Journey) -> None:
    data = report(permit)
    cause = next(r for r in data["recommendations"] if r["kind"] == "cause")
    web = next(c["set"] for c in cause["changes"] if c["set"]["path"].endswith("web.resolve"))
    low, high = web["value"]
    assert 0.55 < low < high < 1  # [0.55, 0.95] with a third of the failures gone
    assert cause["how_sure"]["better_in_share_of_draws"]["failure_demand_ratio"] == 1.0


def test_finnish_report_texts(ranged: dict[str, dict[str, Any]]) -> None:
    data, texts = ranged["fi"], catalog("fi")
    html, md = render(data, "html"), render(data, "md")
    ratio = data["uncertainty"]["figures"]["failure_demand_ratio"]
    interval = percent_span(texts, ratio["low"], ratio["high"], 1)
    assert re.fullmatch(r"\d+,\d–\d+,\d\xa0%", interval)
    assert f"({interval})" in html
    for text in (
        "Mitkä oletukset ratkaisevat",
        "Selvitä ensin",
        "Oletusarvo: ratkaisuaste (ei tiedostossa)",
        "Older residents · Web: pärjääminen",
        "tiedoston arvoilla 19,9\xa0%",
        "yhtenäinen: tiedostossa annettu vaihteluväli",
        f"parempi 100\xa0%:ssa {ADVICE_DRAWS} arvonnasta",
        "Suluissa kunkin luvun 90 %:n väli",
    ):
        assert text in html, text
    assert "| Kuinka varma |" in md
    assert "### Selvitä ensin" in md
    words = " ".join(html.split())
    assert [p for p in _english_phrases() if p in words] == []


def test_a_journey_without_ranges_shows_no_intervals_and_says_every_bar_is_ten_points() -> None:
    plain = journeymap.loads(_midpoints(PERMIT.read_text("utf-8")))
    data = report(plain)
    assert "uncertainty" not in data
    assert all("how_sure" not in r for r in data["recommendations"])
    with_ranges = report(journeymap.load(PERMIT))["headline"]
    for key, value in data["headline"].items():  # the midpoints give the same figures
        assert value == pytest.approx(with_ranges[key], rel=1e-9), key
    html, md = render(data, "html"), render(data, "md")
    assert 'class="interval"' not in html
    assert 'class="sure"' not in html
    assert "How sure" not in md
    assert "In brackets" not in md
    bars = data["assumptions"]["bars"]
    assert bars
    assert not any(b["ranged"] for b in bars)
    caption = catalog("en").text("report.uncertainty.tornado-no-ranges")
    assert caption in html
    svg = _tornado_svg(html)
    assert "solid: a range given in the file" not in svg
    assert "striped: no range, 10 points either way" in svg


def test_reports_with_ranges_are_reproducible(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795392000")
    outputs = []
    for run in range(2):
        out = tmp_path / f"permit-{run}.json"
        assert main(["report", str(PERMIT), "-o", str(out)]) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("locale", ["en", "fi"])
def test_a_report_with_ranges_opens_offline_and_prints_inside_the_margins(
    tmp_path: Path, locale: str
) -> None:
    html = tmp_path / f"permit.{locale}.html"
    assert main(["report", str(PERMIT), "-o", str(html), "--locale", locale]) == 0
    seen = visit(html, tmp_path / "browser")
    assert seen.console_errors == []
    assert seen.requests == []
    pages = _pages(seen.pdf)
    assert [f"page {p.number}: {what}" for p in pages for what in p.outside] == []
    heading = catalog(locale).text("report.uncertainty.tornado")
    assert any(heading in " ".join(p.text.split()) for p in pages)

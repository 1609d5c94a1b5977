"""Comparing a redesign with the current journey: deltas, hotspots moved, no change for the same."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import journeymap
from journeymap.cli import main
from journeymap.flow import analyze
from journeymap.locales.messages import Catalog, catalog
from journeymap.report.compare import NEUTRAL, _status, compare, worse
from journeymap.report.templating import fill
from tests.browser import visit
from tests.conftest import EXAMPLES
from tests.test_report import LATER_STEPS

PARCEL = EXAMPLES / "parcel-delivery.yaml"
HANDOFF = EXAMPLES / "parcel-delivery.chat-handoff.yaml"
JOURNEYS = [
    p for p in sorted(EXAMPLES.glob("*.yaml")) if not p.read_text("utf-8").startswith("scenario")
]


def _unchanged(data: dict[str, object]) -> None:
    assert data["changed"] is False
    for row in data["headline"]:  # type: ignore[attr-defined]
        assert row["delta"] in (0.0, None)
        assert row["better"] is None
    for rows in [*data["hotspots"].values(), data["gaps"]]:  # type: ignore[attr-defined]
        assert rows
        assert {r["status"] for r in rows} == {"same"}
        assert all(r["delta_per_1000"] == 0.0 for r in rows)


@pytest.mark.parametrize("journey", JOURNEYS, ids=lambda p: p.stem)
def test_a_journey_compared_with_itself_shows_no_change(journey: Path) -> None:
    loaded = journeymap.load(journey)
    _unchanged(compare(loaded, journeymap.load(journey)))


def test_a_scenario_that_changes_nothing_shows_no_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tmp_path / "same.yaml"
    scenario.write_text(f"scenario: 1\nextends: {PARCEL}\nchanges: []\n", encoding="utf-8")
    _unchanged(compare(journeymap.load(PARCEL), journeymap.load(scenario)))

    assert main(["compare", str(PARCEL), str(scenario)]) == 0
    assert "No figure changes between the two journeys." in capsys.readouterr().out


def test_a_redesign_shows_deltas_and_moved_hotspots(capsys: pytest.CaptureFixture[str]) -> None:
    before, after = journeymap.load(PARCEL), journeymap.load(HANDOFF)
    data = compare(before, after)
    old, new = analyze(before), analyze(after)
    assert data["changed"] is True
    rows = {row["key"]: row for row in data["headline"]}
    ratio = rows["failure_demand_ratio"]
    assert ratio["before"] == old.failure_demand_ratio
    assert ratio["after"] == new.failure_demand_ratio
    assert ratio["delta"] == pytest.approx(new.failure_demand_ratio - old.failure_demand_ratio)
    assert ratio["better"] is (ratio["delta"] < 0)
    assert rows["completion_rate"]["better"] is (rows["completion_rate"]["delta"] > 0)
    gaps = {g["key"]: g for g in data["gaps"]}
    # The scenario gives the carrier's phone line the SMS's context store: customers who
    # phone the carrier about a delivery SMS that failed no longer read it out.
    assert gaps["sms>carrier-phone"]["status"] == "vanished"
    assert gaps["sms>carrier-phone"]["after_per_1000"] == 0.0
    lost = next(g.count for g in old.gaps if (g.source, g.target) == ("sms", "carrier-phone"))
    assert gaps["sms>carrier-phone"]["before_per_1000"] == pytest.approx(lost * 1000)
    assert lost * 1000 > 50
    statuses = {s["status"] for kind in data["hotspots"].values() for s in kind}
    assert statuses <= {"grew", "shrank", "appeared", "vanished", "same"}
    by_touchpoint = {s["key"]: s for s in data["hotspots"]["touchpoint"]}
    for key, spot in by_touchpoint.items():
        assert spot["before_per_1000"] == pytest.approx(
            old.touchpoints[key].failure_contacts * 1000 if key in old.touchpoints else 0.0
        )


def test_fail_if_worse_exits_1_only_when_failure_demand_grows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    better = compare(journeymap.load(PARCEL), journeymap.load(HANDOFF))["headline"][0]
    assert better["key"] == "failure_demand_ratio"
    worse_first = [str(HANDOFF), str(PARCEL)] if better["better"] else [str(PARCEL), str(HANDOFF)]
    assert main(["compare", *worse_first[::-1], "--fail-if-worse"]) == 0
    assert main(["compare", *worse_first, "--fail-if-worse"]) == 1
    assert main(["compare", *worse_first]) == 0
    capsys.readouterr()


@pytest.mark.parametrize("fmt", ["md", "json", "html"])
@pytest.mark.parametrize("locale", ["en", "fi"])
def test_comparisons_in_every_format_and_language(tmp_path: Path, fmt: str, locale: str) -> None:
    out = tmp_path / f"compare.{fmt}"
    assert main(["compare", str(PARCEL), str(HANDOFF), "-o", str(out), "--locale", locale]) == 0
    text = out.read_text("utf-8")
    if fmt == "json":
        assert json.loads(text)["locale"] == locale
    elif fmt == "md":
        assert text.startswith("## Ennen ja jälkeen" if locale == "fi" else "## Before and after")
        assert ("kasvoi" in text or "pieneni" in text) if locale == "fi" else "shrank" in text
    else:
        seen = visit(out, tmp_path / "browser")
        assert seen.console_errors == []
        assert seen.requests == []


def test_comparing_a_broken_journey_names_its_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("journeymap: 1\nid: x\n", encoding="utf-8")
    assert main(["compare", str(PARCEL), str(broken)]) == 1
    assert "broken.yaml" in capsys.readouterr().out


SIGNED_ZERO = re.compile(r"^[+−-]0(?:[.,]0+)?(?:\s|$)")
"""A change shown as '+0', '−0,00' or '−0.0 pp': a sign on nothing."""


def _tables(markdown: str) -> list[list[list[str]]]:
    """Every Markdown table: its rows (header first, no separator), each a list of cells."""
    tables: list[list[list[str]]] = []
    rows: list[list[str]] = []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("|"):
            if not set(line) <= set("|-: "):
                rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
        elif rows:
            tables.append(rows)
            rows = []
    return tables


def _check_shown_changes(markdown: str, texts: Catalog) -> None:
    """Every verdict in a comparison agrees with the sign of the change shown beside it."""
    sign = {"grew": "+", "appeared": "+", "shrank": "−", "vanished": "−"}
    verdicts = {texts.text("compare.better"), texts.text("compare.worse")}
    neutral = {texts.label("figure", key) for key in NEUTRAL}
    for head, *rows in _tables(markdown):
        for row in rows:
            delta = row[3]
            assert not SIGNED_ZERO.match(delta), row
            if len(head) == 4:  # headline: 'change (verdict)'
                judged = delta.endswith(tuple(f"({v})" for v in verdicts))
                assert judged == (delta[0] in "+−" and row[0] not in neutral), row
            else:  # hotspots and gaps: change, then how it moved
                status = {texts.text(f"compare.status.{s}"): s for s in [*sign, "same"]}[row[4]]
                assert delta[0] == sign[status], row


SCENARIOS = [p for p in sorted(EXAMPLES.glob("*.yaml")) if p not in JOURNEYS]


@pytest.mark.parametrize("locale", ["en", "fi"])
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_every_verdict_follows_the_change_shown(scenario: Path, locale: str) -> None:
    base = journeymap.load(PARCEL)
    for before, after in [(base, journeymap.load(scenario)), (journeymap.load(scenario), base)]:
        data = compare(before, after, locale=locale)
        _check_shown_changes(fill("compare.md.j2", catalog(locale), compare=data), catalog(locale))


def test_a_change_too_small_to_show_is_no_change() -> None:
    """Resolve 0.5 → 0.5001 moves every hotspot by less than half a contact per 1,000."""
    before = journeymap.loads(LATER_STEPS)
    after = journeymap.loads(LATER_STEPS.replace("resolve: 0.5}", "resolve: 0.5001}"))
    data = compare(before, after, locale="en")
    for rows in [*data["hotspots"].values(), data["gaps"]]:
        assert {row["status"] for row in rows} == {"same"}
        assert any(row["delta_per_1000"] != 0 for row in rows)  # moved, below what shows
    rows = {row["key"]: row for row in data["headline"]}
    failure = rows["failure_contacts_per_1000"]
    assert -0.5 < failure["delta"] < 0
    assert (failure["changed"], failure["better"]) == (False, None)
    text = fill("compare.md.j2", catalog("en"), compare=data)
    # Before, after and change are each rounded on their own: a change of less than half a
    # contact shows as 0, no change, even where before and after round apart.
    before_, after_ = (catalog("en").number(failure[k]) for k in ("before", "after"))
    assert f"| Failure contacts per 1,000 customers | {before_} | {after_} | 0 |\n" in text
    assert "grew" not in text
    assert "shrank" not in text
    assert re.search(r"\| [+−]0 ", text) is None
    _check_shown_changes(text, catalog("en"))


@pytest.mark.parametrize(
    ("was", "now", "delta", "status"),
    [
        (True, True, -0.3, "same"),
        (True, True, 0.5, "same"),  # rounds half to even, to 0, as it is shown
        (True, True, -0.51, "shrank"),
        (True, True, 1.5, "grew"),
        (False, True, 0.3, "same"),  # new, but shown as 0 → 0
        (False, True, 0.6, "appeared"),
        (True, False, -2.0, "vanished"),
    ],
)
def test_how_a_hotspot_moved_is_judged_as_shown(
    was: bool, now: bool, delta: float, status: str
) -> None:
    assert _status(was, now, delta) == status


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("locale", ["en", "fi"])
def test_comparison_columns_have_distinct_headings(fmt: str, locale: str) -> None:
    data = compare(journeymap.load(PARCEL), journeymap.load(HANDOFF), locale=locale)
    text = fill(f"compare.{fmt}.j2", catalog(locale), compare=data)
    if fmt == "md":
        heads = [table[0] for table in _tables(text)]
    else:
        heads = [
            re.findall(r"<th[^>]*>(.*?)</th>", h)
            for h in re.findall(r"<thead>.*?</thead>", text, re.S)
        ]
    assert heads
    for head in heads:
        assert all(head), head
        assert len(set(head)) == len(head), head
    texts = catalog(locale)
    assert texts.text("compare.delta") != texts.text("compare.status")
    if locale == "fi" and fmt == "md":
        assert "| Kosketuspiste | Ennen | Jälkeen | Muutos | Kehitys |" in text
    if locale == "fi" and fmt == "html":
        assert '<th class="n">Muutos</th><th>Arvio</th></tr></thead>' in text


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_cost_is_judged_per_completed_customer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Clearing the first step gets more customers to the dear second: cost per customer rises."""
    before_text = LATER_STEPS
    after_text = LATER_STEPS.replace("resolve: 0.5}", "resolve: 0.95}")
    data = compare(journeymap.loads(before_text), journeymap.loads(after_text), locale="en")
    rows = {row["key"]: row for row in data["headline"]}
    per_customer, per_completed = rows["cost_per_customer"], rows["cost_per_completed_customer"]
    assert per_customer["delta"] > 0
    assert per_customer["better"] is None
    assert per_completed["after"] == pytest.approx(
        per_customer["after"] / rows["completion_rate"]["after"]
    )
    assert per_completed["delta"] < 0
    assert per_completed["better"] is True
    assert worse(data) == []
    md = fill("compare.md.j2", catalog("en"), compare=data)
    texts = catalog("en")
    assert (
        f"| Cost per customer | {texts.number(per_customer['before'], 2)} "
        f"| {texts.number(per_customer['after'], 2)} "
        f"| +{texts.number(per_customer['delta'], 2)} |\n"
    ) in md
    assert (
        f"| Cost per completed customer | {texts.number(per_completed['before'], 2)} "
        f"| {texts.number(per_completed['after'], 2)} "
        f"| −{texts.number(-per_completed['delta'], 2)} (better) |\n"
    ) in md

    before, after = (
        _write(tmp_path, "before.yaml", before_text),
        _write(tmp_path, "after.yaml", after_text),
    )
    assert main(["compare", before, after, "--fail-if-worse"]) == 0
    assert main(["compare", after, before, "--fail-if-worse"]) == 1
    err = capsys.readouterr().err
    assert "journeymap: --fail-if-worse: failure-demand ratio got worse\n" in err
    assert "journeymap: --fail-if-worse: cost per completed customer got worse\n" in err


def test_fail_if_worse_fails_on_cost_per_completed_customer_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _write(tmp_path, "before.yaml", LATER_STEPS)
    after = _write(
        tmp_path, "after.yaml", LATER_STEPS.replace("branch: {cost: 50}", "branch: {cost: 60}")
    )
    data = compare(journeymap.load(before), journeymap.load(after))
    rows = {row["key"]: row for row in data["headline"]}
    assert rows["failure_demand_ratio"]["better"] is None
    assert rows["cost_per_completed_customer"]["better"] is False
    assert worse(data) == ["cost_per_completed_customer"]
    assert main(["compare", before, after, "--fail-if-worse"]) == 1
    assert capsys.readouterr().err == (
        "journeymap: --fail-if-worse: cost per completed customer got worse\n"
    )
    assert main(["compare", before, after]) == 0

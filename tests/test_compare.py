"""Comparing a redesign with the current journey: deltas, hotspots moved, no change for the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import journeymap
from journeymap.cli import main
from journeymap.flow import analyze
from journeymap.report.compare import compare
from tests.browser import visit
from tests.conftest import EXAMPLES

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
    # The scenario gives the carrier's phone line the SMS's context store: that gap closes.
    assert gaps["sms>carrier-phone"]["status"] == "vanished"
    assert gaps["sms>carrier-phone"]["after_per_1000"] == 0.0
    assert gaps["sms>carrier-phone"]["before_per_1000"] > 100
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

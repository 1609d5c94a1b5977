"""Every bundled example loads clean, round-trips, and uses most of the format."""

from __future__ import annotations

from pathlib import Path

import pytest

import journeymap
from journeymap.cli import main
from tests.conftest import SHARED, example_files, example_scenarios

EXAMPLES = example_files()
SCENARIOS = example_scenarios()


def test_there_are_examples_from_several_services() -> None:
    assert len(EXAMPLES) >= 4
    locales = {journeymap.load(path).locale for path in EXAMPLES}
    assert locales == {"en", "fi"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_loads_with_no_findings(path: Path) -> None:
    result = journeymap.read(path)
    assert result.findings == ()
    assert result.journey is not None


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_example_scenario_loads_with_no_findings(path: Path) -> None:
    result = journeymap.read(path)
    assert result.findings == ()
    assert result.journey is not None
    assert result.base is not None
    assert result.base.path in map(str, EXAMPLES)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_example_scenario_lowers_failure_demand_and_cost(path: Path) -> None:
    result = journeymap.read(path)
    assert result.journey is not None
    assert result.base is not None
    assert result.base.journey is not None
    after, before = journeymap.analyze(result.journey), journeymap.analyze(result.base.journey)
    assert after.failure_demand_ratio < before.failure_demand_ratio
    assert after.cost_per_customer < before.cost_per_customer


@pytest.mark.parametrize("path", EXAMPLES + SCENARIOS, ids=lambda p: p.name)
def test_example_round_trips(path: Path) -> None:
    journey = journeymap.load(path)
    assert journeymap.loads(journeymap.dump(journey)) == journey


@pytest.mark.parametrize(
    "path", [p for p in EXAMPLES if p.name != "parcel-delivery.yaml"], ids=lambda p: p.name
)
def test_example_uses_most_of_the_format(path: Path) -> None:
    journey = journeymap.load(path)
    assert journey.segments
    assert journey.handoffs
    assert journey.information
    assert any(tp.demand == "failure" and tp.cause for tp in journey.touchpoints)
    assert len(journey.touchpoints) >= 10
    lanes = ("customer", "frontstage", "backstage", "support", "evidence")
    assert all(any(getattr(tp, lane) for tp in journey.touchpoints) for lane in lanes)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_messages_are_message_steps(path: Path) -> None:
    """SMS, letters, push and the service's own e-mails are outbound channels; a step that
    offers one is a message step, where the other channels serve only customers whose
    message failed (so none of them is primary or takes a share of arrivals)."""
    journey = journeymap.load(path)
    outbound = {cid for cid, channel in journey.channels.items() if channel.kind == "outbound"}
    assert outbound
    assert "e-mail" not in outbound  # the channel customers write to is assisted
    for tp in journey.touchpoints:
        if outbound & set(tp.channels):
            others = {cid: use for cid, use in tp.channels.items() if cid not in outbound}
            assert all(use.role != "primary" and use.share is None for use in others.values()), (
                tp.id
            )


def test_examples_show_segments_that_manage_differently() -> None:
    segments = [journeymap.load(path).segments for path in EXAMPLES]
    assert sum(any(s.ability for s in group) for group in segments) >= 2
    assert any(s.persistence != 1 for group in segments for s in group)


def test_the_parcel_example_is_the_design_documents_own() -> None:
    bundled = Path(__file__).resolve().parent.parent / "examples" / "parcel-delivery.yaml"
    design = SHARED / "design" / "example-parcel.yaml"
    if not design.exists():
        pytest.skip("the shared design folder is not beside the project")
    assert journeymap.load(bundled) == journeymap.load(design)


def test_validate_examples_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", *map(str, EXAMPLES)]) == 0
    summary = capsys.readouterr().err.strip()
    assert summary.startswith(f"{len(EXAMPLES)} journey files checked: ")
    assert "error" not in summary

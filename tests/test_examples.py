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

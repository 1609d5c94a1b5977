"""Time and capacity figures of the exact analysis against an independent reference."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeymap.flow import analyze
from journeymap.loader import load
from journeymap.markov.queues import OverloadError
from journeymap.model import Journey
from tests.reference_time import erlang_c_wait, reference_time
from tests.strategies import journeys

DATA = Path(__file__).parent / "data" / "time"
PERMIT = DATA / "permit-line.yaml"


def _compare(journey: Journey) -> None:
    found = analyze(journey, percentiles=False)
    assert found.time is not None
    expected = reference_time(journey)
    assert found.time.time_per_customer_hours == pytest.approx(
        expected["time_per_customer_hours"], rel=1e-6
    )
    if expected["time_to_complete_hours"] is None:
        assert found.time.time_to_complete_hours is None
    else:
        assert found.time.time_to_complete_hours == pytest.approx(
            expected["time_to_complete_hours"], rel=1e-6
        )
    for cid, wait in expected["waits"].items():
        assert found.time.queues[cid].wait_hours == pytest.approx(wait, rel=1e-6)


def test_closed_hours_durations_segments_and_an_erlang_c_queue() -> None:
    _compare(load(PERMIT))


def test_the_figures_have_the_contracts_keys() -> None:
    data = json.loads(analyze(load(PERMIT)).to_json())
    assert {"time_per_customer_hours", "time_to_complete_hours"} <= set(data)
    assert set(data["channels"]["phone"]) >= {"handling_hours", "agent_hours"}
    assert "agent_hours" not in data["channels"]["web"]
    workload = data["workload"]["phone"]
    assert workload["total_hours"] == pytest.approx(
        workload["value_hours"] + workload["failure_hours"]
    )
    assert workload["fte"] == pytest.approx(workload["total_hours"] / 37.5)
    assert workload["total_hours"] == pytest.approx(1200 * data["channels"]["phone"]["agent_hours"])
    queue = data["queues"]["phone"]
    assert set(queue) >= {
        "arrival_rate_per_hour", "offered_load", "utilisation", "wait_hours", "p_abandon",
        "iterations",
    }  # fmt: skip
    assert queue["arrival_rate_per_hour"] == pytest.approx(
        1200 * data["channels"]["phone"]["contacts"] / 40
    )


def test_a_queue_with_too_few_agents_is_refused_with_what_it_needs() -> None:
    journey = load(PERMIT)
    phone = journey.channels["phone"].model_copy(update={"agents": 1, "handling": 0.5})
    crowded = journey.model_copy(update={"channels": {**journey.channels, "phone": phone}})
    with pytest.raises(OverloadError, match="needs at least"):
        analyze(crowded)


def test_the_queue_wait_replaces_response() -> None:
    journey = load(PERMIT)
    found = analyze(journey)
    assert found.time is not None
    queue = found.time.queues["phone"]
    assert queue.wait_hours == pytest.approx(erlang_c_wait(3, queue.arrival_rate, 0.1), rel=1e-9)


@settings(max_examples=25, deadline=None)
@given(
    journeys(messages=None, behaviour=True),
    st.lists(st.floats(0, 48), min_size=1, max_size=8),
    st.lists(st.floats(0, 2), min_size=1, max_size=8),
)
def test_any_journey_with_time_agrees_with_the_reference(
    journey: Journey, durations: list[float], handling: list[float]
) -> None:
    steps = [
        tp.model_copy(update={"duration": durations[i % len(durations)]})
        for i, tp in enumerate(journey.touchpoints)
    ]
    channels = {
        cid: ch.model_copy(update={"handling": handling[i % len(handling)], "response": 0.25})
        for i, (cid, ch) in enumerate(journey.channels.items())
    }
    _compare(journey.model_copy(update={"touchpoints": steps, "channels": channels}))


def test_a_journey_without_time_keys_has_no_time_figures() -> None:
    found = analyze(load(Path("examples/parcel-delivery.yaml")))
    assert found.time is None
    assert "time_per_customer_hours" not in found.as_dict()

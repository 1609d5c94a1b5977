"""Time and capacity figures of the exact analysis against an independent reference."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeymap.flow import AnalysisError, analyze
from journeymap.loader import load, loads
from journeymap.markov.queues import erlang_a
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
    with pytest.raises(AnalysisError, match=r"overloaded-queue.*needs at least"):
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


ONE_LINE = """
journeymap: 1
id: one-line
volume: 2500/week
stages: [{id: s}]
channels:
  phone: {hours: "mon-fri 08:00-16:00", handling: 6m, agents: 4, patience: 2m}
touchpoints:
  - id: ask
    stage: s
    channels: {phone: {resolve: 0.9}}
    retry: 0.6
    duration: 1h
"""


def test_erlang_a_and_the_flow_meet_at_their_fixed_point() -> None:
    """λ from the solved flow gives back the P(abandon) the flow was solved with."""
    journey = loads(ONE_LINE, "one-line.yaml")
    found = analyze(journey)
    assert found.time is not None
    queue = found.time.queues["phone"]
    contacts = found.channels["phone"].contacts
    assert queue.arrival_rate == pytest.approx(2500 * contacts / 40, rel=1e-9)
    again = erlang_a(4, queue.arrival_rate, 10.0, 1 / 30)
    assert queue.p_abandon == pytest.approx(again.p_abandon, rel=1e-9)
    assert found.time.iterations["phone"] > 1
    # 'the attempt's resolve is multiplied by (1 − P(abandon))'
    first = found.touchpoints["ask"].first_contact_resolution
    assert first == pytest.approx(0.9 * (1 - queue.p_abandon), rel=1e-12)
    # a contact succeeds with s, else retries with 0.6: contacts = 1 / (1 − 0.6 (1 − s))
    success = 0.9 * (1 - queue.p_abandon)
    assert contacts == pytest.approx(1 / (1 - 0.6 * (1 - success)), rel=1e-12)
    # 'closed-hours wait + W + (1 − P(abandon)) · handling', and the duration on success
    closed = (4 * 16**2 + 64**2) / (2 * 168)
    attempt = closed + queue.wait_hours + (1 - queue.p_abandon) * 0.1
    assert found.time.time_per_customer_hours == pytest.approx(
        contacts * attempt + contacts * success * 1.0, rel=1e-12
    )
    # the give-ups fail with cause waiting: the only other cause is 'other'
    assert found.causes["waiting"] / found.causes["other"] == pytest.approx(
        queue.p_abandon / ((1 - queue.p_abandon) * 0.1), rel=1e-9
    )


def test_a_queue_with_a_week_of_patience_is_nearly_erlang_c() -> None:
    calmer = ONE_LINE.replace("2500/week", "1200/week")
    patient = loads(calmer.replace("patience: 2m", "patience: 1w"), "patient.yaml")
    plain = loads(calmer.replace(", patience: 2m", ""), "plain.yaml")
    a, c = analyze(patient).time, analyze(plain).time
    assert a is not None
    assert c is not None
    assert a.queues["phone"].wait_hours == pytest.approx(c.queues["phone"].wait_hours, rel=1e-2)
    assert a.time_per_customer_hours == pytest.approx(c.time_per_customer_hours, rel=1e-3)


def test_analyze_prints_the_time_the_agents_week_and_the_queues(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from journeymap.cli import main

    assert main(["analyze", str(DATA / "patient.yaml")]) == 0
    out = capsys.readouterr().out
    assert "time per customer" in out
    assert "Agents' week" in out
    assert "Erlang A" in out
    assert main(["analyze", "examples/parcel-delivery.yaml"]) == 0
    assert "time per customer" not in capsys.readouterr().out

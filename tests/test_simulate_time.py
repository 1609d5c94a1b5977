"""Time in the simulation: drawn closed-hours waits, times that agree with the exact ones.

Revision 2, *Time*: a simulation draws each attempt's closed-hours wait (its moment
uniform over the week), keeps response, handling and durations at their means, takes a
queue's wait and P(abandon) from the exact fixed point, and adds the percentiles of the
time to complete. A journey without time keys simulates exactly as before.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from journeymap.flow import Figures, analyze, simulate
from journeymap.flow.events import TIMED_COLUMNS, EventLog
from journeymap.flow.montecarlo import ClosedWaits
from journeymap.flow.timing import uses_time
from journeymap.loader import load, loads
from journeymap.model import Journey
from journeymap.model.hours import WEEK_HOURS, closed_stretches, closed_wait_hours, parse_hours
from tests.conftest import example_files
from tests.strategies import HOURS, journeys

DATA = Path(__file__).parent / "data"
PERMIT = DATA / "time" / "permit-line.yaml"
SIGMAS = 4
TIME_KEYS = ("time_per_customer_hours", "time_to_complete_hours")

ONE_STEP = """\
journeymap: 1
id: one-step
title: One step at a phone line open office hours
stages: [{id: ask, title: Ask}]
channels:
  phone: {hours: "mon-fri 08:00-16:00", handling: 6m}
touchpoints:
  - id: ask
    stage: ask
    channels: {phone: {role: primary, resolve: 1}}
"""


def _uncapped(journey: Journey) -> Journey:
    """The journey with a contact cap so high no customer reaches it in practice."""
    defaults = journey.defaults.model_copy(update={"max_contacts": 100_000})
    return journey.model_copy(update={"defaults": defaults})


def _agree(exact: Figures, simulated: Figures, key: str) -> None:
    """The simulated time figure lies within ``SIGMAS`` of its own standard errors."""
    assert exact.time is not None
    assert simulated.time is not None
    want, got = getattr(exact.time, key), getattr(simulated.time, key)
    error = simulated.standard_errors[key]
    assert abs(got - want) <= SIGMAS * error + 1e-9 * max(1.0, abs(want)), (key, got, want, error)


def _ordered(figures: Figures) -> None:
    time = figures.time
    assert time is not None
    p50, p90, p95 = (
        time.time_to_complete_p50_hours,
        time.time_to_complete_p90_hours,
        time.time_to_complete_p95_hours,
    )
    assert p50 is not None
    assert p90 is not None
    assert p95 is not None
    assert 0 <= p50 <= p90 <= p95


def _with_time(journey: Journey, durations: list[float], handling: list[float]) -> Journey:
    """``journey`` with a duration at each step, handling and a response in each channel."""
    steps = [
        tp.model_copy(update={"duration": durations[i % len(durations)]})
        for i, tp in enumerate(journey.touchpoints)
    ]
    channels = {
        cid: ch.model_copy(update={"handling": handling[i % len(handling)], "response": 0.25})
        for i, (cid, ch) in enumerate(journey.channels.items())
    }
    return journey.model_copy(update={"touchpoints": steps, "channels": channels})


def _without_time(journey: Journey) -> Journey:
    """``journey`` with every key of *Time* and *Capacity* taken out (hours stay)."""
    steps = [tp.model_copy(update={"duration": 0.0}) for tp in journey.touchpoints]
    channels = {
        cid: ch.model_copy(update={"handling": 0.0, "response": 0.0, "agents": None})
        for cid, ch in journey.channels.items()
    }
    return journey.model_copy(update={"touchpoints": steps, "channels": channels, "volume": None})


# --- the drawn closed-hours wait ----------------------------------------------------


def test_a_wait_runs_to_the_end_of_the_stretch_the_moment_lands_in() -> None:
    waits = ClosedWaits.of([(2.0, 5.0), (), (WEEK_HOURS,)])
    channels = np.array([0, 0, 0, 1, 2])
    moments = np.array([0.5, 3.0, 8.0, 100.0, 167.0])
    assert waits.wait(channels, moments).tolist() == pytest.approx([1.5, 4.0, 0.0, 0.0, 1.0])


@pytest.mark.parametrize("hours", [*HOURS, "mon-fri 08:00-16:00", "mon 10-11", "sat-sun 9-21"])
def test_drawn_waits_average_the_contracts_mean_wait(hours: str) -> None:
    """'the mean wait is Σ L_k² / (2 · 168) hours', to sampling error of a million draws."""
    opening = parse_hours(hours)
    stretches = closed_stretches(opening)
    waits = ClosedWaits.of([(), stretches])  # the second channel: ids must not get mixed up
    draws = 1_000_000
    drawn = waits.draw(np.random.default_rng(5), np.ones(draws, dtype=np.int64))
    mean = closed_wait_hours(opening)
    square = sum(length**3 for length in stretches) / (3 * WEEK_HOURS)  # E[W²]
    error = math.sqrt(max(square - mean * mean, 0.0) / draws)
    assert abs(float(drawn.mean()) - mean) <= 5 * error + 1e-12
    assert float(np.mean(drawn == 0)) == pytest.approx(
        opening.hours_per_week / WEEK_HOURS, abs=5 * math.sqrt(0.25 / draws)
    )
    assert float(drawn.max(initial=0.0)) <= max(stretches, default=0.0)


def test_one_step_has_the_hand_computed_distribution_of_waits() -> None:
    """Open 40 h a week, closed 16 h four nights and 64 h over the weekend.

    P(W ≤ w) = (40 + 5w) / 168 for w ≤ 16, (104 + w) / 168 up to 64: the median wait is
    8.8 h, p90 47.2 h and p95 55.6 h; the mean is (4 · 16² + 64²) / 336 = 15.24 h.
    """
    figures = simulate(load_text(ONE_STEP), customers=200_000, seed=3)
    time = figures.time
    assert time is not None
    assert time.time_to_complete_hours == pytest.approx(15.2381 + 0.1, abs=4 * 0.05)
    assert time.time_to_complete_p50_hours == pytest.approx(8.8 + 0.1, abs=0.3)
    assert time.time_to_complete_p90_hours == pytest.approx(47.2 + 0.1, abs=0.6)
    assert time.time_to_complete_p95_hours == pytest.approx(55.6 + 0.1, abs=0.6)


def test_fixed_times_give_every_completer_the_same_time() -> None:
    always = ONE_STEP.replace('"mon-fri 08:00-16:00"', '"24/7"').replace(
        "resolve: 1}}", "resolve: 1}}\n    duration: 2d"
    )
    time = simulate(load_text(always), customers=1_000, seed=1).time
    assert time is not None
    assert time.time_to_complete_hours == pytest.approx(48.1)
    assert time.time_to_complete_p50_hours == pytest.approx(48.1)
    assert time.time_to_complete_p95_hours == pytest.approx(48.1)
    assert time.time_per_customer_hours == pytest.approx(48.1)


def load_text(text: str) -> Journey:
    return loads(text, "one-step.yaml")


# --- exact against simulated ---------------------------------------------------------


def test_permit_line_simulates_to_its_exact_times() -> None:
    """Closed hours, durations, segments and an Erlang C queue."""
    journey = _uncapped(load(PERMIT))
    exact = analyze(journey, percentiles=False)
    simulated = simulate(journey, customers=200_000, seed=11)
    for key in TIME_KEYS:
        _agree(exact, simulated, key)
    _ordered(simulated)
    assert exact.time is not None
    assert simulated.time is not None
    assert simulated.time.queues == exact.time.queues
    for cid, hours in exact.time.handling_hours.items():
        assert simulated.time.handling_hours[cid] == pytest.approx(hours, rel=0.02, abs=1e-9)
    assert set(simulated.time.workload) == set(exact.time.workload) == {"phone", "e-mail"}
    for segment in journey.segments:
        _ordered(simulated.segments[segment.id])


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
def test_every_example_with_time_simulates_to_its_exact_times(path: Path) -> None:
    journey = _uncapped(load(path))
    if not uses_time(journey):
        pytest.skip("no time keys")
    exact = analyze(journey, percentiles=False)
    simulated = simulate(journey, customers=100_000, seed=13)
    for key in TIME_KEYS:
        _agree(exact, simulated, key)
    _ordered(simulated)
    assert exact.time is not None
    assert simulated.time is not None
    assert simulated.time.queues == exact.time.queues


def test_an_erlang_a_queue_uses_the_exact_fixed_point() -> None:
    journey = load(PERMIT)
    phone = journey.channels["phone"].model_copy(update={"agents": 2, "patience": 0.05})
    channels = {**journey.channels, "phone": phone}
    patient = _uncapped(journey.model_copy(update={"channels": channels}))
    exact = analyze(patient, percentiles=False)
    simulated = simulate(patient, customers=200_000, seed=2)
    assert exact.time is not None
    assert simulated.time is not None
    queue = simulated.time.queues["phone"]
    assert queue == exact.time.queues["phone"]
    assert queue.p_abandon > 0.01
    assert simulated.time.iterations == exact.time.iterations
    assert "waiting" in simulated.causes
    for key in TIME_KEYS:
        _agree(exact, simulated, key)
    served = 1 - queue.p_abandon
    contacts = simulated.channels["phone"].contacts
    assert simulated.time.agent_hours["phone"] == pytest.approx(contacts * 0.1 * served)


def _too_rare(exact: Figures, customers: int) -> bool:
    """Outcomes so rare a sample of this size likely never sees them (and so estimates an
    error of 0): no sampling can agree with those within its own standard error."""
    values = [exact.abandon_rate]
    for tp in exact.touchpoints.values():
        values += [tp.visits, tp.contacts, tp.messages, tp.contacts + tp.messages - tp.visits]
        values += [tp.failure_contacts, tp.abandoned]
    values += [ch.contacts + ch.messages for ch in exact.channels.values()]
    values += [gap.count for gap in exact.gaps] + [b.count for b in exact.breakpoints]
    return any(1e-12 < value < 20 / customers for value in values)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    journeys(max_touchpoints=6, max_channels=4, behaviour=True),
    st.lists(st.floats(0, 48), min_size=1, max_size=6),
    st.lists(st.floats(0, 2), min_size=1, max_size=6),
)
def test_generated_journeys_simulate_to_their_exact_times(
    journey: Journey, durations: list[float], handling: list[float]
) -> None:
    journey = _uncapped(_with_time(journey, durations, handling))
    exact = analyze(journey, percentiles=False)
    customers = 20_000
    assume(exact.contacts_per_customer + (exact.messages_per_customer or 0) < 40)
    assume(not _too_rare(exact, customers))
    simulated = simulate(journey, customers=customers, seed=3)
    _agree(exact, simulated, "time_per_customer_hours")
    if exact.completion_rate * customers >= 200:
        _agree(exact, simulated, "time_to_complete_hours")
        _ordered(simulated)


# --- seeds, and journeys without time ------------------------------------------------


def test_same_seed_same_times_other_seed_other_times() -> None:
    journey = load(PERMIT)
    first = simulate(journey, customers=20_000, seed=5)
    again = simulate(journey, customers=20_000, seed=5)
    assert again == first
    assert again.to_json() == first.to_json()
    assert simulate(journey, customers=20_000, seed=6).time != first.time


def test_time_draws_leave_the_contacts_as_they_were() -> None:
    """The waits draw from their own stream: the contacts are those drawn without time."""
    journey = load(PERMIT)
    timed = simulate(journey, customers=20_000, seed=8).as_dict()
    plain = simulate(_without_time(journey), customers=20_000, seed=8).as_dict()
    assert "time_per_customer_hours" not in plain
    for key, value in plain.items():
        if key == "standard_errors":
            assert {k: v for k, v in timed[key].items() if k not in TIME_KEYS} == value
        elif key == "channels":
            for cid, row in value.items():
                assert {k: timed[key][cid][k] for k in row} == row
        elif key != "segments":
            assert timed[key] == value, key


def test_a_journey_without_time_keys_simulates_byte_for_byte_as_before() -> None:
    """The JSON of a revision-1 journey, pinned from before time came to the simulation."""
    figures = simulate(load(DATA / "small.yaml"), customers=3_000, seed=7)
    assert figures.time is None
    digest = hashlib.sha256(figures.to_json().encode()).hexdigest()
    assert digest == "b28e1afa8d54300557a2fe20181994a7c8eece7ef12040bc9996dfe26bd191bb"


def test_the_json_has_the_simulations_time_keys() -> None:
    data = json.loads(simulate(load(PERMIT), customers=5_000, seed=1).to_json())
    exact = json.loads(analyze(load(PERMIT)).to_json())
    percentiles = {f"time_to_complete_p{p}_hours" for p in (50, 90, 95)}
    assert percentiles <= set(data)
    assert not percentiles & set(exact)
    assert set(exact) - {"method"} <= set(data)
    assert set(TIME_KEYS) <= set(data["standard_errors"])
    assert data["queues"] == exact["queues"]


# --- the event log -------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize("name", ["permit-line", "one-step"])
def test_the_event_log_carries_each_customers_elapsed_hours(
    tmp_path: Path, name: str, suffix: str
) -> None:
    """Both ways of stepping (with message steps, and without) log the elapsed hours."""
    path = tmp_path / f"events{suffix}"
    journey = load(PERMIT) if name == "permit-line" else load_text(ONE_STEP)
    with EventLog(path) as log:
        figures = simulate(journey, customers=3_000, seed=4, events=log)
    if suffix == ".csv":
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    else:
        rows = pq.read_table(path).to_pylist()
    assert tuple(rows[0]) == TIMED_COLUMNS
    last: dict[tuple[str, str], float] = {}
    for row in rows:
        key = (row["segment"], row["customer"])
        hours = float(row["elapsed_hours"])
        assert hours >= last.get(key, 0.0)
        last[key] = hours
    assert figures.time is not None
    assert len(last) == 3_000
    # each segment's customers, weighted by its share, give the time per customer
    shares = {s.id: s.share for s in journey.segments} or {"": 1.0}
    per_segment = {
        name: [hours for (segment, _), hours in last.items() if segment == name] for name in shares
    }
    mean = sum(shares[name] * float(np.mean(hours)) for name, hours in per_segment.items())
    assert mean == pytest.approx(figures.time.time_per_customer_hours, rel=1e-9)

"""Erlang C and Erlang A against published values, independent formulas and a SimPy queue.

Every expected value is recomputed here by a route that shares no code with
``journeymap.markov.queues``: Erlang C by its factorial formula in exact fractions or in
log space, Erlang A by its incomplete-gamma closed form, by solving the truncated
generator directly, by the phase-type chain of a waiting contact and by simulation.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Generator
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import simpy
from hypothesis import given
from hypothesis import strategies as st
from scipy import linalg, special

from journeymap.errors import JourneymapError
from journeymap.markov import queues
from journeymap.markov.queues import (
    OverloadError,
    Queue,
    agents_needed,
    erlang_a,
    erlang_c,
    service_level,
    stable_agents,
)
from tests.conftest import ROOT

Waits = npt.NDArray[np.float64]
Served = npt.NDArray[np.bool_]

SECOND = 1.0 / 3600.0
MINUTE = 1.0 / 60.0


def factorial_erlang_c(agents: int, load: Fraction) -> Fraction:
    """C(n, a) = (aⁿ/n! · n/(n − a)) / (Σ_{k<n} aᵏ/k! + aⁿ/n! · n/(n − a)), exactly."""
    top = load**agents / math.factorial(agents) * agents / (agents - load)
    return top / (sum(load**k / math.factorial(k) for k in range(agents)) + top)


def log_space_erlang_c(agents: int, load: float) -> float:
    """C(n, a) from the M/M/n stationary law in log space, for thousands of agents."""
    k = np.arange(agents, dtype=np.float64)
    head = k * math.log(load) - special.gammaln(k + 1)
    top = agents * math.log(load) - special.gammaln(agents + 1) - math.log1p(-load / agents)
    return math.exp(top - special.logsumexp(np.append(head, top)))


# --- Erlang C: published values ---------------------------------------------------------


@pytest.mark.parametrize(
    ("agents", "load", "expected", "places"),
    [
        # Mathematica's ErlangC documentation, basic example: ErlangC[3, 2] = 4/9.
        (3, Fraction(2), Fraction(4, 9), 15),
        # The textbook example quoted with the brief: C(10, 8) = 0.409.
        (10, Fraction(8), 0.409, 3),
        # Erlang C calculator of personal.telefonica.terra.es (vr/erlang, mcerlc.htm):
        # 600 calls an hour of 120 s are 20 Erlang; a delay probability of at most 15%
        # needs 26 circuits (25 give more), and 30 circuits cut the delay to 2.5%.
        (26, Fraction(20), 0.143, 3),
        (25, Fraction(20), 0.209, 3),
        (30, Fraction(20), 0.025, 3),
        # Same page: 30 circuits at a 15% delay probability carry 23.6 Erlang.
        (30, Fraction(236, 10), 0.15, 2),
    ],
)
def test_erlang_c_matches_published_values(
    agents: int, load: Fraction, expected: Fraction | float, places: int
) -> None:
    exact = factorial_erlang_c(agents, load)
    assert round(float(exact), places) == pytest.approx(float(expected))
    queue = erlang_c(agents, float(load) * 30.0, 30.0)
    assert queue.p_wait == pytest.approx(float(exact), rel=1e-12)


def test_erlang_c_wait_of_the_published_calculator_example() -> None:
    # telefonica.terra.es: 600 calls/h of 120 s with 26 agents wait "3 seconds per call".
    queue = erlang_c(26, 600.0, 3600.0 / 120.0)
    exact = float(factorial_erlang_c(26, Fraction(20)) / (26 - 20) * 120) * SECOND
    assert queue.wait_hours == pytest.approx(exact, rel=1e-12)
    assert round(queue.wait_hours / SECOND) == 3
    assert queue.offered_load == 20.0
    assert queue.utilisation == pytest.approx(20 / 26)


def test_erlang_c_step_by_step_example() -> None:
    # The erlang.com step-by-step Erlang C example: 360 calls per half hour of 4 minutes,
    # 55 agents, a 15 s answer target. Traffic intensity 48 Erlang, occupancy 0.873; the
    # figures below are the factorial formula's (C = 0.2387, ASA 8.18 s, 84.6% in 15 s).
    queue = erlang_c(55, 720.0, 15.0)
    exact = float(factorial_erlang_c(55, Fraction(48)))
    assert queue.offered_load == 48.0
    assert round(queue.utilisation, 3) == 0.873
    assert queue.p_wait == pytest.approx(exact, rel=1e-12)
    assert round(exact, 4) == 0.2387
    assert queue.wait_hours == pytest.approx(exact / (55 - 48) * 4 * MINUTE, rel=1e-12)
    assert round(queue.wait_hours / SECOND, 2) == 8.18
    level = service_level(queue, 15 * SECOND)
    assert level == pytest.approx(1 - exact * math.exp(-(55 - 48) * 15 / 240), rel=1e-12)
    assert round(level, 3) == 0.846


@pytest.mark.parametrize(("agents", "load"), [(5000, 4900.0), (5000, 4999.5), (3000, 100.0)])
def test_erlang_c_stays_exact_for_thousands_of_agents(agents: int, load: float) -> None:
    queue = erlang_c(agents, load * 12.0, 12.0)
    assert queue.p_wait == pytest.approx(log_space_erlang_c(agents, load), rel=1e-9, abs=1e-300)
    assert 0.0 <= queue.p_wait <= 1.0
    assert math.isfinite(queue.wait_hours)


def test_an_overloaded_erlang_c_queue_says_how_many_agents_it_needs() -> None:
    with pytest.raises(OverloadError) as raised:
        erlang_c(9, 95.0, 10.0)
    assert str(raised.value) == (
        "the queue never empties: an offered load of 9.50 Erlang needs at least 10 agents, "
        "and 9 are on duty"
    )
    assert raised.value.agents_needed == 10
    assert isinstance(raised.value, ValueError)
    assert isinstance(raised.value, JourneymapError)


def test_an_exactly_full_queue_is_overloaded_too() -> None:
    with pytest.raises(OverloadError) as raised:
        erlang_c(8, 80.0, 10.0)
    assert raised.value.agents_needed == 9 == stable_agents(8.0)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: erlang_c(0, 1.0, 1.0), "a queue needs at least 1 agent, not 0"),
        (
            lambda: erlang_c(1, -1.0, 1.0),
            "an arrival rate is 0 or more contacts per hour, not -1.0",
        ),
        (lambda: erlang_c(1, 1.0, 0.0), "a service rate is more than 0 contacts per hour, not 0.0"),
        (
            lambda: erlang_a(1, 1.0, 1.0, 0.0),
            "patience must be a positive number of hours, not 0.0",
        ),
        (
            lambda: agents_needed(1.0, 1.0, 1.0, 0.1),
            "a service-level share is between 0 and 1, not 1.0",
        ),
        (
            lambda: agents_needed(1.0, 1.0, 0.8, -0.1),
            "a service-level target is a time of 0 hours or more, not -0.1",
        ),
        (
            lambda: service_level(erlang_c(2, 1.0, 1.0), math.nan),
            "a service-level target is a time of 0 hours or more, not nan",
        ),
    ],
)
def test_impossible_queues_are_refused(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace(".", r"\.") + "$"):
        call()


def test_erlang_a_refuses_a_patience_of_years_at_overload() -> None:
    # Twice overloaded with a patience of 11 years: about 6·10⁷ contacts would queue.
    with pytest.raises(ValueError, match="states here") as raised:
        erlang_a(50, 1200.0, 12.0, 1e5)
    assert str(raised.value) == (
        "Erlang A needs more than 4194304 states here: a patience of 100000 hours is too "
        "long for this load"
    )


@pytest.mark.parametrize(
    ("agents", "arrival", "service", "patience"),
    [(20, 190.0, 10.0, 0.05), (20, 260.0, 10.0, 0.2), (1, 0.999, 1.0, 1e4)],
)
def test_erlang_a_grows_its_truncation_until_the_tail_is_negligible(
    monkeypatch: pytest.MonkeyPatch, agents: int, arrival: float, service: float, patience: float
) -> None:
    expected = erlang_a(agents, arrival, service, patience)
    monkeypatch.setattr(queues, "_first_queue_guess", lambda *_: 1)
    same_figures(erlang_a(agents, arrival, service, patience), expected, rel=1e-12)


def test_a_queue_without_arrivals_is_idle() -> None:
    for queue in (erlang_c(3, 0.0, 2.0), erlang_a(3, 0.0, 2.0, 0.1)):
        assert (queue.p_wait, queue.wait_hours, queue.p_abandon, queue.utilisation) == (0, 0, 0, 0)
        assert service_level(queue, 0.0) == 1.0
    assert agents_needed(0.0, 2.0, 0.8, 0.01) == 0


def test_as_dict_uses_the_contract_key_names() -> None:
    figures = erlang_a(4, 30.0, 10.0, 0.1).as_dict()
    contract = ["arrival_rate_per_hour", "offered_load", "utilisation", "wait_hours", "p_abandon"]
    assert list(figures)[:5] == contract
    assert figures["arrival_rate_per_hour"] == 30.0
    assert erlang_c(4, 30.0, 10.0).as_dict()["patience_hours"] is None


# --- Erlang A: independent routes -------------------------------------------------------


def closed_form_erlang_a(agents: int, arrival: float, service: float, patience: float) -> Queue:
    """M/M/n+M by the incomplete gamma function (Mandelbaum and Zeltyn's closed form).

    With s = nμ/θ and x = λ/θ the queue part sums to Σ_j π_{n+j}/π_n = Γ(s+1)·eˣ·x⁻ˢ·P(s, x)
    (P the regularised lower incomplete gamma), the busy part to Σ_{k<n} aᵏ/k! =
    eᵃ·Q(n, a); balance over the queue states gives E[queue] = (λ·P_w − nμ·(P_w − π_n))/θ.
    """
    theta = 1.0 / patience
    s, x, load = agents * service / theta, arrival / theta, arrival / service
    log_queue = special.gammaln(s + 1) + x - s * math.log(x) + math.log(special.gammainc(s, x))
    log_head = load + math.log(special.gammaincc(agents, load))
    log_top = agents * math.log(load) - special.gammaln(agents + 1)
    p_n = math.exp(log_top - np.logaddexp(log_head, log_top + log_queue))
    p_wait = p_n * math.exp(log_queue)
    queue = (arrival * p_wait - agents * service * (p_wait - p_n)) / theta
    served = arrival * (1 - theta * queue / arrival)
    return Queue(
        agents,
        arrival,
        service,
        load,
        served / service / agents,
        p_wait,
        queue / arrival,
        theta * queue / arrival,
        patience,
    )


def generator_stationary(
    agents: int, arrival: float, service: float, patience: float
) -> npt.NDArray[np.float64]:
    """π with π·G = 0 and Σπ = 1, G the generator truncated at 400 contacts, by least squares."""
    size = 400
    k = np.arange(size)
    down = np.minimum(k, agents) * service + np.maximum(k - agents, 0) / patience
    generator = np.diag(np.full(size - 1, arrival), 1) + np.diag(down[1:], -1)
    generator -= np.diag(generator.sum(axis=1))
    system = np.vstack([generator.T, np.ones(size)])
    solved: npt.NDArray[np.float64] = np.linalg.lstsq(
        system, np.append(np.zeros(size), 1.0), rcond=None
    )[0]
    return solved


def generator_erlang_a(agents: int, arrival: float, service: float, patience: float) -> Queue:
    """M/M/n+M from the stationary law of its truncated generator."""
    p = generator_stationary(agents, arrival, service, patience)
    k = np.arange(len(p))
    queued = np.maximum(k - agents, 0)
    return Queue(
        agents,
        arrival,
        service,
        arrival / service,
        float(p @ np.minimum(k, agents)) / agents,
        float(p[agents:].sum()),
        float(p @ queued) / arrival,
        float(p @ queued) / patience / arrival,
        patience,
    )


def same_figures(queue: Queue, other: Queue, rel: float) -> None:
    for name in ("utilisation", "p_wait", "wait_hours", "p_abandon"):
        assert getattr(queue, name) == pytest.approx(getattr(other, name), rel=rel), name


@pytest.mark.parametrize(
    ("agents", "arrival", "service", "patience"),
    [
        (1, 0.5, 1.0, 2.0),  # M/M/1+M, light
        (1, 3.0, 1.0, 0.5),  # M/M/1+M, three times overloaded
        (4, 30.0, 10.0, 0.1),
        (20, 190.0, 10.0, 0.05),
        (20, 260.0, 10.0, 0.2),  # overloaded: stable only through abandonment
    ],
)
def test_erlang_a_matches_its_closed_form(
    agents: int, arrival: float, service: float, patience: float
) -> None:
    queue = erlang_a(agents, arrival, service, patience)
    same_figures(queue, closed_form_erlang_a(agents, arrival, service, patience), rel=1e-9)


@pytest.mark.parametrize(
    ("agents", "arrival", "service", "patience"),
    [(1, 0.8, 1.0, 1.0), (2, 5.0, 2.0, 0.5), (5, 48.0, 10.0, 0.05), (3, 10.0, 1.0, 0.3)],
)
def test_erlang_a_matches_the_solved_generator(
    agents: int, arrival: float, service: float, patience: float
) -> None:
    queue = erlang_a(agents, arrival, service, patience)
    same_figures(queue, generator_erlang_a(agents, arrival, service, patience), rel=1e-8)


def test_the_chance_of_one_free_agent() -> None:
    # λ·P(K = n − 1) is the density of the wait at 0+: C·(nμ − λ) for Erlang C.
    queue = erlang_c(10, 80.0, 10.0)
    assert 80.0 * math.exp(queue.log_p_one_free) == pytest.approx(queue.p_wait * 20.0)
    solved = generator_stationary(4, 30.0, 10.0, 0.1)
    queue = erlang_a(4, 30.0, 10.0, 0.1)
    assert math.exp(queue.log_p_one_free) == pytest.approx(solved[3], rel=1e-8)


def test_the_m_m_1_m_queue_in_closed_form() -> None:
    # n = 1, θ = μ: every state k ≥ 1 leaves at kμ, so K is Poisson(λ/μ) (an M/M/∞ queue):
    # P(K ≥ 1) = 1 − e^-a, E[max(K − 1, 0)] = a − (1 − e^-a).
    arrival, service = 1.7, 2.0
    queue = erlang_a(1, arrival, service, 1.0 / service)
    load = arrival / service
    assert queue.p_wait == pytest.approx(-math.expm1(-load), rel=1e-12)
    assert queue.wait_hours == pytest.approx((load + math.expm1(-load)) / arrival, rel=1e-12)


@pytest.mark.parametrize(("agents", "load"), [(500, 475.0), (500, 500.0), (500, 550.0)])
@pytest.mark.parametrize("patience", [MINUTE, 1.0, 100.0])
def test_erlang_a_never_overflows_at_full_load(agents: int, load: float, patience: float) -> None:
    service = 12.0
    queue = erlang_a(agents, load * service, service, patience)
    figures = (queue.p_wait, queue.wait_hours, queue.p_abandon, queue.utilisation)
    assert all(math.isfinite(value) for value in figures)
    served = queue.utilisation * agents * service
    assert served == pytest.approx(load * service * (1 - queue.p_abandon), rel=1e-9)
    assert 0 <= service_level(queue, 20 * SECOND) <= 1


def phase_type_service_level(queue: Queue, target: float) -> float:
    """P(answered within t) from the chain a waiting contact walks through.

    A contact that finds j others waiting stands at place j + 1; from place m it moves up
    at nμ + (m − 1)θ (someone ahead is served or gives up), gives up itself at θ, and is
    answered from place 1. Weighted by the stationary chance of what it finds (PASTA).
    """
    assert queue.patience_hours is not None
    theta = 1.0 / queue.patience_hours
    size = 300
    k = np.arange(size)
    down = (
        np.minimum(k, queue.agents) * queue.service_rate + np.maximum(k - queue.agents, 0) * theta
    )
    logs = np.concatenate([[0.0], np.cumsum(np.log(queue.arrival_rate / down[1:]))])
    p = np.exp(logs - special.logsumexp(logs))
    places = size - queue.agents
    # states: 0 answered, 1..places waiting at that place, places + 1 gave up
    generator = np.zeros((places + 2, places + 2))
    for place in range(1, places + 1):
        generator[place, place - 1] = queue.agents * queue.service_rate + (place - 1) * theta
        generator[place, places + 1] = theta
        generator[place, place] = -(queue.agents * queue.service_rate + place * theta)
    answered = linalg.expm(generator * target)[1 : places + 1, 0]
    return float(p[: queue.agents].sum() + p[queue.agents :] @ answered)


@pytest.mark.parametrize(
    ("agents", "arrival", "service", "patience", "target"),
    [
        (3, 5.0, 2.0, 1 / 1.5, 0.4),
        (5, 48.0, 10.0, 0.05, MINUTE),
        (5, 65.0, 10.0, 0.05, MINUTE),
        (10, 80.0, 10.0, 0.5, 20 * SECOND),
    ],
)
def test_erlang_a_service_level_matches_the_waiting_contacts_chain(
    agents: int, arrival: float, service: float, patience: float, target: float
) -> None:
    queue = erlang_a(agents, arrival, service, patience)
    expected = phase_type_service_level(queue, target)
    assert service_level(queue, target) == pytest.approx(expected, rel=1e-8)


def test_erlang_a_service_level_at_its_limits() -> None:
    queue = erlang_a(5, 48.0, 10.0, 0.05)
    assert service_level(queue, 0.0) == pytest.approx(1 - queue.p_wait, rel=1e-12)
    assert service_level(queue, math.inf) == pytest.approx(1 - queue.p_abandon, rel=1e-9)
    assert service_level(queue, 100.0) == pytest.approx(1 - queue.p_abandon, rel=1e-9)


# --- Erlang A against a SimPy queue -----------------------------------------------------


def simulate(
    agents: int, arrival: float, service: float, patience: float, customers: int, seed: int
) -> tuple[Waits, Served]:
    """An M/M/n+M queue in SimPy: each contact's wait (to service or giving up), and served."""
    rng = np.random.default_rng(seed)
    gaps = rng.exponential(1 / arrival, customers)
    handling = rng.exponential(1 / service, customers)
    patiences = rng.exponential(patience, customers)
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=agents)
    waits = np.zeros(customers)
    served = np.zeros(customers, dtype=bool)

    def contact(i: int) -> Generator[Any, Any, None]:
        arrived = env.now
        request = desk.request()
        outcome = yield request | env.timeout(patiences[i])
        waits[i] = env.now - arrived
        if request in outcome:
            served[i] = True
            yield env.timeout(handling[i])
            desk.release(request)
        else:
            request.cancel()

    def source() -> Generator[Any, Any, None]:
        for i in range(customers):
            yield env.timeout(gaps[i])
            env.process(contact(i))

    env.process(source())
    env.run()
    return waits, served


@pytest.mark.parametrize(
    ("agents", "arrival", "service", "patience"),
    [(5, 48.0, 10.0, 0.05), (5, 65.0, 10.0, 0.05)],
    ids=["busy", "overloaded"],
)
def test_erlang_a_matches_a_simpy_queue(
    agents: int, arrival: float, service: float, patience: float
) -> None:
    customers, batches, target = 100_000, 20, MINUTE
    waits, served = simulate(agents, arrival, service, patience, customers, seed=7)
    warm = customers // 20  # the queue starts empty: drop the first 5% of contacts
    parts = list(
        zip(
            np.array_split(waits[warm:], batches),
            np.array_split(served[warm:], batches),
            strict=True,
        )
    )
    queue = erlang_a(agents, arrival, service, patience)
    expected = {
        "wait": queue.wait_hours,
        "abandon": queue.p_abandon,
        "waits": queue.p_wait,
        "level": service_level(queue, target),
    }
    measures: dict[str, Callable[[Waits, Served], float]] = {
        "wait": lambda w, s: w.mean(),
        "abandon": lambda w, s: 1 - s.mean(),
        "waits": lambda w, s: (w > 0).mean(),
        "level": lambda w, s: (s & (w <= target)).mean(),
    }
    for name, measure in measures.items():
        means = np.array([measure(w, s) for w, s in parts])
        error = means.std(ddof=1) / math.sqrt(batches)  # batch means' standard error
        assert abs(means.mean() - expected[name]) < 4 * error, name


# --- service level and staffing ---------------------------------------------------------


def test_agents_needed_for_the_published_calculator_target() -> None:
    # telefonica.terra.es: 20 Erlang with a delay probability of at most 15% needs 26;
    # "no wait" is the service level at t = 0.
    assert agents_needed(600.0, 30.0, 0.85, 0.0) == 26


def test_agents_needed_for_a_large_call_centre() -> None:
    # 6,000 calls an hour of 5 minutes (500 Erlang), 80% answered in 20 s.
    needed = agents_needed(6000.0, 12.0, 0.8, 20 * SECOND)
    assert service_level(erlang_c(needed, 6000.0, 12.0), 20 * SECOND) >= 0.8
    assert service_level(erlang_c(needed - 1, 6000.0, 12.0), 20 * SECOND) < 0.8
    patient = agents_needed(6000.0, 12.0, 0.8, 20 * SECOND, patience_hours=3 * MINUTE)
    assert patient <= needed
    assert service_level(erlang_a(patient, 6000.0, 12.0, 3 * MINUTE), 20 * SECOND) >= 0.8
    assert service_level(erlang_a(patient - 1, 6000.0, 12.0, 3 * MINUTE), 20 * SECOND) < 0.8


services = st.floats(min_value=0.5, max_value=60.0)
"""μ: from 2 hours down to 1 minute of handling."""
patiences = st.floats(min_value=0.005, max_value=5.0)
"""From 18 seconds to 5 hours."""


@given(st.integers(1, 60), st.floats(0.05, 3.0), services, patiences)
def test_erlang_a_figures_are_probabilities_and_times(
    agents: int, rho: float, service: float, patience: float
) -> None:
    arrival = rho * agents * service
    queue = erlang_a(agents, arrival, service, patience)
    for name in ("p_wait", "p_abandon", "utilisation"):
        assert 0.0 <= getattr(queue, name) <= 1.0, name
    assert queue.wait_hours >= 0.0
    served = queue.utilisation * agents * service
    assert served == pytest.approx(arrival * (1 - queue.p_abandon), rel=1e-9)
    assert 0.0 <= service_level(queue, 20 * SECOND) <= 1.0


@given(st.integers(1, 60), st.floats(0.05, 3.0), services, patiences)
def test_more_agents_lose_fewer_contacts_and_answer_more(
    agents: int, rho: float, service: float, patience: float
) -> None:
    arrival = rho * agents * service
    fewer, more = (erlang_a(n, arrival, service, patience) for n in (agents, agents + 1))
    assert more.p_abandon <= fewer.p_abandon * (1 + 1e-9)
    assert more.wait_hours <= fewer.wait_hours * (1 + 1e-9)
    for target in (0.0, 20 * SECOND, 5 * MINUTE):
        assert service_level(more, target) >= service_level(fewer, target) - 1e-12


@given(st.integers(1, 60), st.floats(0.05, 0.95), services)
def test_erlang_a_tends_to_erlang_c_as_patience_grows(
    agents: int, rho: float, service: float
) -> None:
    arrival = rho * agents * service
    patient = erlang_a(agents, arrival, service, 1e7)
    erlang = erlang_c(agents, arrival, service)
    assert patient.p_wait == pytest.approx(erlang.p_wait, rel=1e-4, abs=1e-12)
    assert patient.wait_hours == pytest.approx(erlang.wait_hours, rel=1e-4, abs=1e-12)
    assert patient.p_abandon < 1e-4
    for target in (0.0, 20 * SECOND, 5 * MINUTE):
        assert service_level(patient, target) == pytest.approx(
            service_level(erlang, target), abs=1e-5
        )


@given(st.integers(1, 60), st.floats(0.05, 0.99), services)
def test_erlang_c_service_level_grows_with_agents_and_time(
    agents: int, rho: float, service: float
) -> None:
    arrival = rho * agents * service
    queue, bigger = erlang_c(agents, arrival, service), erlang_c(agents + 1, arrival, service)
    levels = [service_level(queue, t) for t in (0.0, 20 * SECOND, 5 * MINUTE, 1.0)]
    assert levels == sorted(levels)
    assert all(0.0 <= level <= 1.0 for level in levels)
    assert service_level(bigger, 20 * SECOND) >= levels[1] - 1e-12


@given(
    st.floats(1.0, 2000.0),
    services,
    st.floats(0.5, 0.95),
    st.floats(0.0, 0.1),
    st.none() | patiences,
)
def test_agents_needed_meet_the_target_and_one_fewer_does_not(
    arrival: float, service: float, share: float, target: float, patience: float | None
) -> None:
    needed = agents_needed(arrival, service, share, target, patience)

    def level(agents: int) -> float:
        if patience is None:
            return service_level(erlang_c(agents, arrival, service), target)
        return service_level(erlang_a(agents, arrival, service, patience), target)

    assert level(needed) >= share
    if needed > 1 and (patience is not None or needed - 1 > arrival / service):
        assert level(needed - 1) < share


# --- the worked example of docs/time-and-capacity.md -----------------------------------


def test_the_documented_worked_example() -> None:
    page = (ROOT / "docs" / "time-and-capacity.md").read_text("utf-8")
    rows = re.findall(
        r"^\| (\d+) \| ([\d.]+)% \| ([\d.]+) s \| ([\d.]+)% \| ([\d.]+)% \|$", page, re.MULTILINE
    )
    assert len(rows) == 5
    for agents, gives_up, wait, answered, busy in rows:
        queue = erlang_a(int(agents), 120.0, 10.0, 2 * MINUTE)
        assert f"{queue.p_abandon:.1%}" == f"{gives_up}%"
        assert f"{queue.wait_hours / SECOND:.1f}" == wait
        assert f"{service_level(queue, MINUTE):.1%}" == f"{answered}%"
        assert f"{queue.utilisation:.1%}" == f"{busy}%"
    patient = erlang_c(14, 120.0, 10.0)
    prose = (
        f"{patient.p_wait:.1%} of callers wait, the mean wait is "
        f"{patient.wait_hours / SECOND:.1f} s and {service_level(patient, MINUTE):.1%} are "
        f"answered within 60 s"
    )
    assert prose in " ".join(page.split())
    assert agents_needed(120.0, 10.0, 0.8, MINUTE) == 15
    assert agents_needed(120.0, 10.0, 0.8, MINUTE, patience_hours=2 * MINUTE) == 13
    assert "needs 15 agents" in page
    assert "so 13 agents reach" in page

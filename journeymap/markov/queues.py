"""Queues at a staffed channel: Erlang C (M/M/n) and Erlang A (M/M/n+M).

docs/journey-format.md, "Capacity: queues that make failure demand": contacts arrive at
λ per open hour, each takes ``handling`` (μ = 1 / handling), ``agents`` = n serve them;
without ``patience`` the channel is an Erlang C queue, with it an Erlang A queue (the
birth-death chain with arrivals λ, service min(k, n)·μ and abandonment
max(k − n, 0)/patience).

Units: every time is in hours and every rate is per hour (λ per open hour, μ per agent
hour, θ = 1 / patience per waiting hour); the offered load a = λ/μ is in Erlang.

Pure maths: nothing here knows journeys, channels or findings.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy import integrate, optimize, special

from journeymap.errors import JourneymapError

Floats = npt.NDArray[np.float64]

TAIL = 1e-15
"""Erlang A truncation: the states left out hold less than this share of the mass."""
MAX_STATES = 1 << 22
"""Erlang A refuses a chain longer than this (only absurd patience at overload needs it)."""
_FLAT = 45.0
"""Service-level integral: where the integrand is below e^-45 of its peak it is dropped."""


class OverloadError(JourneymapError, ValueError):
    """An Erlang C queue that never empties: the offered load a = λ/μ is n agents or more.

    ``agents_needed`` is the least number of agents that keeps the queue stable: the
    smallest whole n above a.
    """

    def __init__(self, agents: int, offered_load: float) -> None:
        self.agents = agents
        self.offered_load = offered_load
        self.agents_needed = stable_agents(offered_load)
        super().__init__(
            f"the queue never empties: an offered load of {offered_load:.2f} Erlang needs "
            f"at least {self.agents_needed} agents, and {agents} are on duty"
        )


@dataclass(frozen=True)
class Queue:
    """The steady state of one staffed queue, every time in hours and rate per hour.

    ``patience_hours`` is ``None`` for Erlang C (no one gives up). ``log_p_one_free`` is
    ln P(K = n − 1), K the contacts in the system: the density of the wait just above 0 is
    λ·P(K = n − 1), which ``service_level`` needs (−inf when that chance is 0).
    """

    agents: int
    arrival_rate: float
    """λ: contacts per open hour."""
    service_rate: float
    """μ = 1 / handling: contacts one agent handles per hour."""
    offered_load: float
    """a = λ/μ, in Erlang."""
    utilisation: float
    """The share of agent time spent handling: E[min(K, n)] / n (a / n for Erlang C)."""
    p_wait: float
    """The chance that a contact has to wait: P(K ≥ n) (Erlang C: C(n, a))."""
    wait_hours: float
    """W: the mean wait of all contacts, including those who give up waiting."""
    p_abandon: float
    """The share of contacts that give up waiting (0 for Erlang C)."""
    patience_hours: float | None = None
    log_p_one_free: float = field(default=-math.inf, repr=False)

    def as_dict(self) -> dict[str, float | int | None]:
        """The figures by the contract's key names (``queues.<id>`` less ``iterations``).

        ``arrival_rate_per_hour``, ``offered_load``, ``utilisation``, ``wait_hours`` and
        ``p_abandon`` are the contract's; ``agents``, ``service_rate_per_hour``, ``p_wait``
        and ``patience_hours`` (``None`` for Erlang C) follow them.
        """
        return {
            "arrival_rate_per_hour": self.arrival_rate,
            "offered_load": self.offered_load,
            "utilisation": self.utilisation,
            "wait_hours": self.wait_hours,
            "p_abandon": self.p_abandon,
            "agents": self.agents,
            "service_rate_per_hour": self.service_rate,
            "p_wait": self.p_wait,
            "patience_hours": self.patience_hours,
        }


def stable_agents(offered_load: float) -> int:
    """The least number of agents that keeps an Erlang C queue stable: the smallest n > a.

    With n ≤ a the agents cannot keep up on average and the queue grows without bound.
    """
    return math.floor(offered_load) + 1


def erlang_c(agents: int, arrival_rate: float, service_rate: float) -> Queue:
    """The M/M/n queue: Poisson arrivals, exponential handling, n agents, no one gives up.

    a = λ/μ, ρ = a/n, the chance to wait C(n, a) = n·B / (n − a·(1 − B)) from the Erlang B
    recursion (stable for thousands of agents), the mean wait W = C / (nμ − λ) hours.
    Raises ``OverloadError`` when a ≥ n.
    """
    _check_rates(agents, arrival_rate, service_rate)
    load = arrival_rate / service_rate
    if load >= agents:
        raise OverloadError(agents, load)
    blocking = erlang_b(agents, load)
    waits = agents * blocking / (agents - load * (1.0 - blocking))
    utilisation = load / agents
    return Queue(
        agents=agents,
        arrival_rate=arrival_rate,
        service_rate=service_rate,
        offered_load=load,
        utilisation=utilisation,
        p_wait=waits,
        wait_hours=waits / (agents * service_rate - arrival_rate),
        p_abandon=0.0,
        patience_hours=None,
        log_p_one_free=_log(waits * (1.0 - utilisation) * agents / load) if load else -math.inf,
    )


def erlang_b(agents: int, offered_load: float) -> float:
    """The Erlang B loss probability B(n, a) by its recursion, stable for any n.

    B(0) = 1 and B(k) = a·B(k − 1) / (k + a·B(k − 1)): every step stays in [0, 1].
    """
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = offered_load * blocking / (k + offered_load * blocking)
    return blocking


def erlang_a(agents: int, arrival_rate: float, service_rate: float, patience_hours: float) -> Queue:
    """The M/M/n+M queue (Erlang A): contacts give up after an exponential patience.

    The birth-death chain over K, the contacts in the system: arrivals λ in every state,
    departures min(k, n)·μ + max(k − n, 0)·θ with θ = 1/patience. Its stationary π comes
    from the product formula in log space (``_log_weights``); then P(abandon) = Σ_k π_k ·
    max(k − n, 0)·θ / λ, W = E[max(K − n, 0)] / λ (Little), the chance to wait P(K ≥ n)
    and the utilisation E[min(K, n)] / n. Stable at any load: abandonment empties it.
    """
    _check_rates(agents, arrival_rate, service_rate)
    if not (math.isfinite(patience_hours) and patience_hours > 0):
        raise ValueError(f"patience must be a positive number of hours, not {patience_hours}")
    if arrival_rate == 0:
        return _idle(agents, service_rate, patience_hours)
    log_weights = _log_weights(agents, arrival_rate, service_rate, 1.0 / patience_hours)
    log_total = float(special.logsumexp(log_weights))
    p = np.exp(log_weights - log_total)
    waiting = p[agents:]
    mean_queue = float(waiting @ np.arange(len(waiting), dtype=np.float64))
    busy = float(p[:agents] @ np.arange(agents, dtype=np.float64)) + agents * float(waiting.sum())
    return Queue(
        agents=agents,
        arrival_rate=arrival_rate,
        service_rate=service_rate,
        offered_load=arrival_rate / service_rate,
        utilisation=min(1.0, busy / agents),
        p_wait=min(1.0, float(waiting.sum())),
        wait_hours=mean_queue / arrival_rate,
        p_abandon=min(1.0, mean_queue / patience_hours / arrival_rate),
        patience_hours=patience_hours,
        log_p_one_free=float(log_weights[agents - 1]) - log_total,
    )


def _log_weights(agents: int, arrival: float, service: float, theta: float) -> Floats:
    """Unnormalised ln π_k of the Erlang A chain for k = 0 … K, the tail past K negligible.

    ln π_k = k·ln a − ln k! up to n; past n each state multiplies by λ / (nμ + jθ), j the
    queue length. Truncation rule: past K the ratios keep falling, so once the next one
    r = λ / (nμ + (K − n + 1)θ) is below 1 the states past K hold at most π_K · r / (1 − r);
    K doubles (its queue part) until that is below ``TAIL`` of the total.
    """
    k = np.arange(agents + 1, dtype=np.float64)
    head = k * math.log(arrival / service) - special.gammaln(k + 1.0)
    extra = _first_queue_guess(agents * service, arrival, theta)
    while agents + extra < MAX_STATES:
        j = np.arange(1, extra + 1, dtype=np.float64)
        tail = head[-1] + np.cumsum(np.log(arrival / (agents * service + j * theta)))
        log_weights = np.concatenate((head, tail))
        if _tail_negligible(log_weights, arrival / (agents * service + (extra + 1) * theta)):
            return log_weights
        extra *= 2
    raise ValueError(
        f"Erlang A needs more than {MAX_STATES} states here: a patience of "
        f"{1.0 / theta:g} hours is too long for this load"
    )


def _first_queue_guess(capacity: float, arrival: float, theta: float) -> int:
    """A first queue length for the truncation, near what the tail rule will accept.

    The queue gathers around (λ − nμ)/θ at overload with a spread of about √(λ/θ); at
    underload it falls at least geometrically, by λ / (nμ + θ) a step.
    """
    spread = math.sqrt(arrival / theta)
    guess = max(0.0, (arrival - capacity) / theta) + 10.0 * spread + 32.0
    if arrival < capacity + theta:
        guess = min(guess, 40.0 / math.log((capacity + theta) / arrival) + 32.0)
    return int(min(guess, 2.0 * MAX_STATES))


def _tail_negligible(log_weights: Floats, ratio: float) -> bool:
    """Whether the states past the last one hold less than ``TAIL`` of the mass."""
    if ratio >= 1.0:
        return False
    bound = float(log_weights[-1]) + math.log(ratio) - math.log1p(-ratio)
    return bound < math.log(TAIL) + float(special.logsumexp(log_weights))


def _idle(agents: int, service_rate: float, patience_hours: float | None) -> Queue:
    """The queue no contact ever reaches: every figure 0."""
    return Queue(agents, 0.0, service_rate, 0.0, 0.0, 0.0, 0.0, 0.0, patience_hours)


def service_level(queue: Queue, target_hours: float) -> float:
    """The share of all contacts answered within ``target_hours`` of arriving.

    Erlang C: 1 − C·e^(−(nμ − λ)·t). Erlang A: a contact that gives up is not answered, so
    this is P(V ≤ t and V < patience), V the wait until an agent is free (the "offered
    wait", independent of the contact's own patience). V is 0 with chance P(K < n) and
    above 0 has the density λ·P(K = n − 1)·exp(λ(1 − e^(−θx))/θ − nμx) (Baccelli and
    Hébuterne 1981; Mandelbaum and Zeltyn 2007), so the share is P(K < n) + ∫₀ᵗ of that
    density times e^(−θx), the chance to be still waiting at x. At t = ∞ it is
    1 − P(abandon).
    """
    if not target_hours >= 0:
        raise ValueError(f"a service-level target is a time of 0 hours or more, not {target_hours}")
    if queue.arrival_rate == 0:
        return 1.0
    if queue.patience_hours is None:
        drain = queue.agents * queue.service_rate - queue.arrival_rate
        return 1.0 - queue.p_wait * math.exp(-drain * target_hours)
    answered = 1.0 - queue.p_wait + _answered_after_waiting(queue, target_hours)
    return min(1.0, max(0.0, answered))


def _answered_after_waiting(queue: Queue, target_hours: float) -> float:
    """∫₀ᵗ λ·P(K = n − 1)·exp(g(x)) dx, g(x) = λ(1 − e^(−θx))/θ − (nμ + θ)x.

    g is concave with its peak at x* = max(0, ln(λ / (nμ + θ)) / θ): the integral runs over
    the window around x* where g is within ``_FLAT`` of g(x*), cut at t, in log scale.
    """
    assert queue.patience_hours is not None
    arrival, theta = queue.arrival_rate, 1.0 / queue.patience_hours
    drain = queue.agents * queue.service_rate + theta

    def g(x: float) -> float:
        return arrival / theta * -math.expm1(-theta * x) - drain * x

    peak = max(0.0, math.log(arrival / drain) / theta)
    height = g(peak)
    low = _edge(g, peak, height, -1.0 / drain) if peak > 0 else 0.0
    high = min(target_hours, _edge(g, peak, height, 1.0 / drain))
    if high <= low or queue.log_p_one_free == -math.inf:
        return 0.0
    inside = [peak] if low < peak < high else None
    area, _ = integrate.quad(
        lambda x: math.exp(g(x) - height), low, high, points=inside, epsabs=0.0, epsrel=1e-10
    )
    return math.exp(math.log(arrival) + queue.log_p_one_free + height) * float(area)


def _edge(g: Callable[[float], float], peak: float, height: float, step: float) -> float:
    """Where the concave g has fallen ``_FLAT`` below its peak, on the side of ``step``.

    Steps double from the peak until past it, then a root search (the left edge stops at 0).
    """

    def fallen(x: float) -> float:
        return g(x) - height + _FLAT

    far = peak + step
    while (far > 0.0 or step > 0) and fallen(far) > 0.0:
        step *= 2.0
        far = peak + step
    if far <= 0.0:
        if fallen(0.0) > 0.0:
            return 0.0
        far = 0.0
    return float(optimize.brentq(fallen, min(peak, far), max(peak, far), xtol=1e-14, rtol=1e-12))


def agents_needed(
    arrival_rate: float,
    service_rate: float,
    target_share: float,
    target_hours: float,
    patience_hours: float | None = None,
) -> int:
    """The fewest agents whose service level reaches ``target_share`` within ``target_hours``.

    ``defaults.service_level: "80% in 60s"`` is target_share 0.8, target_hours 60 / 3600.
    Without patience (Erlang C) the search starts at the least stable n and counts up, one
    Erlang B step each; with it (Erlang A) it doubles n until the target is met, then
    bisects (the service level grows with n). No arrivals need no agents (0).
    """
    _check_rates(1, arrival_rate, service_rate)
    if not 0.0 < target_share < 1.0:
        raise ValueError(f"a service-level share is between 0 and 1, not {target_share}")
    if not target_hours >= 0:
        raise ValueError(f"a service-level target is a time of 0 hours or more, not {target_hours}")
    if arrival_rate == 0:
        return 0
    if patience_hours is None:
        return _agents_erlang_c(arrival_rate, service_rate, target_share, target_hours)

    def meets(agents: int) -> bool:
        queue = erlang_a(agents, arrival_rate, service_rate, patience_hours)
        return service_level(queue, target_hours) >= target_share

    return _least(meets, max(1, math.ceil(arrival_rate / service_rate)))


def _agents_erlang_c(arrival: float, service: float, share: float, hours: float) -> int:
    """The fewest Erlang C agents for the target, counting up from the least stable n."""
    load = arrival / service
    agents = stable_agents(load)
    blocking = erlang_b(agents, load)
    while True:
        waits = agents * blocking / (agents - load * (1.0 - blocking))
        if 1.0 - waits * math.exp(-(agents * service - arrival) * hours) >= share:
            return agents
        agents += 1
        blocking = load * blocking / (agents + load * blocking)


def _least(meets: Callable[[int], bool], start: int) -> int:
    """The least n ≥ 1 with ``meets(n)``, for a test that stays true once it holds."""
    failing, passing = 0, start
    while not meets(passing):
        failing, passing = passing, passing * 2
    while passing - failing > 1:
        middle = (failing + passing) // 2
        failing, passing = (failing, middle) if meets(middle) else (middle, passing)
    return passing


def _check_rates(agents: int, arrival_rate: float, service_rate: float) -> None:
    """Refuse what no queue has: no agents, negative or endless arrivals, no handling."""
    if agents < 1:
        raise ValueError(f"a queue needs at least 1 agent, not {agents}")
    if not (math.isfinite(arrival_rate) and arrival_rate >= 0):
        raise ValueError(f"an arrival rate is 0 or more contacts per hour, not {arrival_rate}")
    if not (math.isfinite(service_rate) and service_rate > 0):
        raise ValueError(f"a service rate is more than 0 contacts per hour, not {service_rate}")


def _log(x: float) -> float:
    """The natural logarithm of x, −inf at 0."""
    return math.log(x) if x > 0 else -math.inf

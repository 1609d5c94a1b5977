"""Customer-flow speed: exact analysis, the vectorised simulation, and three baselines.

Every baseline runs the same model on the same chain (the journey compiled by
``journeymap.markov.chain``): a lean plain-Python loop over customers, SimPy with one
process per customer, and pm4py's stochastic Petri-net playout (benchmark only; pm4py is
AGPL and never used by journeymap itself). Prints steps (contacts) per second, the
ratios, peak memory, how time grows with customers and touchpoints, and the exact
contact percentiles beside the simulated ones.
"""

from __future__ import annotations

import bisect
import functools
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

from journeymap.flow import analyze, simulate
from journeymap.markov.chain import Chain, build
from journeymap.model import Journey
from journeymap.synthetic import generate

TOUCHPOINTS, CHANNELS = 50, 6
CUSTOMERS = 1_000_000


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


class Tables:
    """Per state, cumulative edge probabilities and targets: what the loops draw from."""

    def __init__(self, chain: Chain) -> None:
        order = np.argsort(chain.src, kind="stable")
        self.cumulative: list[list[float]] = [[] for _ in range(chain.states)]
        self.targets: list[list[int]] = [[] for _ in range(chain.states)]
        for edge in order:
            state = int(chain.src[edge])
            last = self.cumulative[state][-1] if self.cumulative[state] else 0.0
            self.cumulative[state].append(last + float(chain.p[edge]))
            self.targets[state].append(int(chain.dst[edge]))
        self.entry_cumulative = list(np.cumsum(chain.entry))
        self.max_contacts = chain.journey.defaults.max_contacts

    def step(self, state: int, draw: float) -> int:
        """The target of one contact in ``state``."""
        row = self.cumulative[state]
        return self.targets[state][min(bisect.bisect_right(row, draw * row[-1]), len(row) - 1)]

    def enter(self, draw: float) -> int:
        return bisect.bisect_right(self.entry_cumulative, draw * self.entry_cumulative[-1])


def python_loop(tables: Tables, customers: int, seed: int) -> int:
    """The model as a lean Python loop over customers; returns the contacts made."""
    rng = random.Random(seed)
    contacts = 0
    for _ in range(customers):
        state = tables.enter(rng.random())
        for _ in range(tables.max_contacts):
            contacts += 1
            state = tables.step(state, rng.random())
            if state < 0:
                break
    return contacts


def simpy_run(tables: Tables, customers: int, seed: int) -> int:
    """The model in SimPy: one process per customer, one time step per contact."""
    import simpy

    rng = random.Random(seed)
    env = simpy.Environment()
    made = [0]

    def customer() -> Any:
        state = tables.enter(rng.random())
        for _ in range(tables.max_contacts):
            made[0] += 1
            yield env.timeout(1)
            state = tables.step(state, rng.random())
            if state < 0:
                return

    for _ in range(customers):
        env.process(customer())
    env.run()
    return made[0]


def pm4py_playout(chain: Chain, customers: int) -> int:
    """pm4py's stochastic playout of the chain as a Petri net; returns the events made."""
    import warnings

    warnings.simplefilter("ignore")  # pm4py announces the stochastic module will move
    from pm4py.algo.simulation.playout.petri_net.variants import stochastic_playout
    from pm4py.objects.petri_net.obj import Marking, PetriNet
    from pm4py.objects.petri_net.utils import petri_utils
    from pm4py.objects.random_variables.random_variable import RandomVariable

    net = PetriNet("journey")
    places = {s: PetriNet.Place(f"s{s}") for s in range(chain.states)}
    start, end = PetriNet.Place("start"), PetriNet.Place("end")
    for place in (*places.values(), start, end):
        net.places.add(place)
    smap: dict[Any, Any] = {}

    def transition(name: str, label: str | None, source: Any, target: Any, weight: float) -> None:
        t = PetriNet.Transition(name, label)
        net.transitions.add(t)
        petri_utils.add_arc_from_to(source, t, net)
        petri_utils.add_arc_from_to(t, target, net)
        variable = RandomVariable()
        variable.read_from_string("IMMEDIATE", "")
        variable.set_weight(weight)
        smap[t] = variable

    for s in np.flatnonzero(chain.entry > 0):
        transition(f"enter{s}", None, start, places[int(s)], float(chain.entry[s]))
    tps = [tp.id for tp in chain.journey.touchpoints]
    channels = list(chain.journey.channels)
    for e in range(chain.edges):
        src, dst = int(chain.src[e]), int(chain.dst[e])
        label = f"{tps[chain.state_touchpoint[src]]}:{channels[chain.state_channel[src]]}"
        transition(f"e{e}", label, places[src], end if dst < 0 else places[dst], float(chain.p[e]))
    log = stochastic_playout.apply_playout(
        net,
        Marking({start: 1}),
        no_traces=customers,
        final_marking=Marking({end: 1}),
        smap=smap,
        max_trace_length=chain.journey.defaults.max_contacts,
    )
    return sum(len(trace) for trace in log)


def peak_memory(journey: Journey, customers: int) -> float:
    """Most memory (MiB) the simulation itself holds at once, as ``tracemalloc`` sees it
    (NumPy reports its arrays to it)."""
    tracemalloc.start()
    try:
        simulate(journey, customers, seed=1)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main() -> int:
    journey = generate(TOUCHPOINTS, CHANNELS, seed=0)
    chain = build(journey, journey.segments[0])
    tables = Tables(chain)
    print(
        f"journey: {TOUCHPOINTS} touchpoints, {CHANNELS} channels, {len(journey.segments)} "
        f"segments; chain of one segment: {chain.states:,} states, {chain.edges:,} edges"
    )

    seconds, exact = timed(lambda: analyze(journey))
    print(
        f"exact analysis, {TOUCHPOINTS} touchpoints: {seconds * 1000:.0f} ms "
        f"({exact.contacts_per_customer:.2f} contacts per customer)"
    )
    big = generate(1000, 6, seed=0)
    analyze(big)
    seconds, _ = timed(lambda: analyze(big))
    print(f"exact analysis, 1,000 touchpoints and 6 channels: {seconds:.2f} s")

    simulate(journey, 10_000, seed=1)
    seconds, sim = timed(lambda: simulate(journey, CUSTOMERS, seed=1))
    steps = sim.contacts_per_customer * CUSTOMERS
    ours = steps / seconds
    print(
        f"simulate {CUSTOMERS:,} customers: {seconds:.2f} s, {steps / 1e6:.1f} M contacts, "
        f"{ours / 1e6:.1f} M steps/s, {CUSTOMERS / seconds:,.0f} customers/s"
    )

    texts = generate(TOUCHPOINTS, 8, seed=0)  # the eighth channel is sms: message steps
    simulate(texts, 10_000, seed=1)
    seconds, sim = timed(lambda: simulate(texts, CUSTOMERS, seed=1))
    events = (sim.contacts_per_customer + (sim.messages_per_customer or 0.0)) * CUSTOMERS
    print(
        f"simulate {CUSTOMERS:,} customers of a journey with message steps: {seconds:.2f} s, "
        f"{events / seconds / 1e6:.1f} M contacts and messages/s "
        f"({sim.messages_per_customer or 0.0:.2f} messages per customer)"
    )

    for name, runner, customers in (
        ("plain Python loop", lambda n: python_loop(tables, n, 1), 100_000),
        ("SimPy", lambda n: simpy_run(tables, n, 1), 20_000),
        ("pm4py stochastic playout", lambda n: pm4py_playout(chain, n), 100),
    ):
        seconds, contacts = timed(functools.partial(runner, customers))
        rate = contacts / seconds
        print(
            f"{name:<26} {customers:>9,} customers: {rate / 1e6:7.3f} M steps/s, "
            f"{customers / seconds:>10,.0f} customers/s; journeymap is {ours / rate:,.0f}x"
        )

    for customers in (CUSTOMERS, 10 * CUSTOMERS):
        print(
            f"peak memory of a {customers:,}-customer run: "
            f"{peak_memory(journey, customers):.1f} MiB"
        )

    print("time against customers (50 touchpoints):")
    for customers in (10_000, 100_000, 1_000_000):
        seconds, sim = timed(functools.partial(simulate, journey, customers, seed=2))
        print(
            f"  {customers:>9,}: {seconds:6.2f} s, "
            f"{sim.contacts_per_customer * customers / seconds / 1e6:5.1f} M steps/s"
        )
    print("time against touchpoints (100,000 customers):")
    for size in (10, 100, 1000):
        sized = generate(size, 6, seed=0)
        exact_s, _ = timed(functools.partial(analyze, sized))
        seconds, sim = timed(functools.partial(simulate, sized, 100_000, seed=2))
        print(
            f"  {size:>5} touchpoints: simulate {seconds:6.2f} s "
            f"({sim.contacts_per_customer * 100_000 / seconds / 1e6:5.1f} M steps/s, "
            f"{sim.contacts_per_customer:.1f} contacts each), analyze {exact_s:5.2f} s"
        )

    sim = simulate(journey, CUSTOMERS, seed=3)
    print(
        "contact percentiles p50/p90/p95: exact (phase-type) "
        f"{exact.contacts_p50}/{exact.contacts_p90}/{exact.contacts_p95}, simulated "
        f"{sim.contacts_p50}/{sim.contacts_p90}/{sim.contacts_p95}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Generated benchmark journeys are valid, sound and the same for the same seed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import journeymap
from journeymap import graph as jgraph
from journeymap.synthetic import generate


@given(st.integers(1, 120), st.integers(1, 12), st.integers(0, 2**32))
def test_generated_journeys_are_sound(touchpoints: int, channels: int, seed: int) -> None:
    journey = generate(touchpoints, channels, seed)
    graph = journeymap.build_graph(journey)
    assert len(journey.touchpoints) == touchpoints
    assert len(journey.channels) == channels
    assert jgraph.unreachable(graph) == []
    assert jgraph.without_exit(graph) == []
    for node in graph:
        total = sum(graph.edges[node, succ]["p"] for succ in graph.successors(node))
        assert graph.out_degree(node) == 0 or abs(total - 1) < 1e-9


def test_same_seed_same_journey() -> None:
    assert generate(60, 6, seed=7) == generate(60, 6, seed=7)
    assert generate(60, 6, seed=7) != generate(60, 6, seed=8)


def test_generated_journeys_survive_a_file() -> None:
    journey = generate(200, 8, seed=1)
    assert journeymap.loads(journeymap.dump(journey)) == journey

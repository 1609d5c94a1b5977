"""The touchpoint graph and the questions later work asks of it."""

from __future__ import annotations

from hypothesis import given

import journeymap
from journeymap import graph as jgraph
from journeymap.model import Journey
from tests.conftest import EXAMPLES
from tests.strategies import journeys

LOOPY = """
journeymap: 1
id: loopy
stages: [{id: s}]
channels: {web: {}}
touchpoints:
  - {id: a, stage: s, channels: {web: primary}, next: [{to: b, p: 0.5}, {to: c, p: 0.5}]}
  - {id: b, stage: s, channels: {web: primary}, next: [{to: b2}]}
  - {id: b2, stage: s, channels: {web: primary}, next: [{to: b}]}
  - {id: c, stage: s, channels: {web: primary}}
  - {id: orphan, stage: s, channels: {web: primary}, next: [{to: c}]}
"""


def test_nodes_and_edges_carry_the_journey() -> None:
    journey = journeymap.load(EXAMPLES / "parcel-delivery.yaml")
    graph = journeymap.build_graph(journey)
    assert list(graph) == [tp.id for tp in journey.touchpoints]
    assert graph.nodes["where-is-my-parcel"]["demand"] == "failure"
    assert graph.nodes["track"]["touchpoint"] is journey.touchpoint("track")
    assert graph.edges["track", "where-is-my-parcel"]["p"] == 0.15
    assert graph.edges["order", "track"]["p"] == 1.0


def test_entry_ends_reachability_and_dead_loops() -> None:
    graph = journeymap.build_graph(journeymap.loads(LOOPY))
    assert jgraph.entry(graph) == "a"
    assert jgraph.ends(graph) == ["c"]
    assert jgraph.reachable(graph) == ["a", "b", "b2", "c"]
    assert jgraph.unreachable(graph) == ["orphan"]
    assert jgraph.without_exit(graph) == ["b", "b2"]


def test_start_names_the_entry() -> None:
    journey = journeymap.loads(LOOPY.replace("id: loopy", "id: loopy\nstart: orphan"))
    assert jgraph.entry(journeymap.build_graph(journey)) == "orphan"


def test_a_successor_listed_twice_adds_up() -> None:
    text = LOOPY.replace(
        "next: [{to: b, p: 0.5}, {to: c, p: 0.5}]", "next: [{to: c, p: 0.25}, {to: c, p: 0.75}]"
    )
    assert journeymap.build_graph(journeymap.loads(text)).edges["a", "c"]["p"] == 1.0


@given(journeys())
def test_generated_journeys_are_sound(journey: Journey) -> None:
    graph = journeymap.build_graph(journey)
    assert jgraph.unreachable(graph) == []
    assert jgraph.without_exit(graph) == []
    for node in graph:
        total = sum(graph.edges[node, succ]["p"] for succ in graph.successors(node))
        assert graph.out_degree(node) == 0 or abs(total - 1) < 1e-9

"""The journey as a networkx graph: touchpoints as nodes, ``next`` steps as weighted edges.

Later work (checks, flow analysis, diagrams) asks the same questions of it: where customers
enter, where the journey ends, what can be reached, and from where no end can be reached.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeAlias

import networkx as nx

from journeymap.model import Journey

if TYPE_CHECKING:
    JourneyGraph: TypeAlias = nx.DiGraph[str]
else:
    JourneyGraph = nx.DiGraph


def build(journey: Journey) -> JourneyGraph:
    """The touchpoint graph, with the journey's data on it.

    Nodes are touchpoint ids carrying ``touchpoint`` (the model), ``stage``, ``title``,
    ``demand`` and ``order`` (position in the file); edges carry ``p``, the probability
    (``None`` where the file gives none and there are several successors). The graph's
    ``entry`` attribute names the start touchpoint. Successors that name no touchpoint
    are left out: the loader reports them.
    """
    graph: JourneyGraph = nx.DiGraph(journey=journey.id, entry=journey.entry)
    for order, tp in enumerate(journey.touchpoints):
        graph.add_node(
            tp.id, touchpoint=tp, stage=tp.stage, title=tp.label, demand=tp.demand, order=order
        )
    for tp in journey.touchpoints:
        for target, p in tp.successors():
            if target in journey.touchpoint_map:
                graph.add_edge(tp.id, target, p=_summed(graph, tp.id, target, p))
    return graph


def _summed(graph: JourneyGraph, source: str, target: str, p: float | None) -> float | None:
    """Probability of an edge listed twice: the sum, as a customer would experience it."""
    if not graph.has_edge(source, target):
        return p
    before = graph.edges[source, target]["p"]
    return None if before is None or p is None else before + p


def entry(graph: JourneyGraph) -> str:
    """Id of the touchpoint where customers enter the journey."""
    return str(graph.graph["entry"])


def ends(graph: JourneyGraph) -> list[str]:
    """Touchpoints where the journey ends (no successors), in file order."""
    return _ordered(graph, (node for node in graph if graph.out_degree(node) == 0))


def reachable(graph: JourneyGraph, source: str | None = None) -> list[str]:
    """Touchpoints a customer can reach from ``source`` (default: the entry), itself included."""
    start = source if source is not None else entry(graph)
    return _ordered(graph, {start} | nx.descendants(graph, start))


def unreachable(graph: JourneyGraph) -> list[str]:
    """Touchpoints no customer can reach from the entry."""
    seen = set(reachable(graph))
    return _ordered(graph, (node for node in graph if node not in seen))


def without_exit(graph: JourneyGraph) -> list[str]:
    """Touchpoints from which no journey end can be reached: customers there loop for ever."""
    finishing: set[str] = set()
    for end in ends(graph):
        finishing |= {end} | nx.ancestors(graph, end)
    return _ordered(graph, (node for node in graph if node not in finishing))


def _ordered(graph: JourneyGraph, nodes: Iterable[str]) -> list[str]:
    """The nodes in the order their touchpoints stand in the file."""
    return sorted(nodes, key=lambda node: int(graph.nodes[node]["order"]))


def live(graph: JourneyGraph) -> JourneyGraph:
    """A copy without the edges of probability 0: the moves no customer makes."""
    copy = graph.copy()
    copy.remove_edges_from([(a, b) for a, b, data in graph.edges(data=True) if data["p"] == 0])
    return copy

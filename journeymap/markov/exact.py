"""Exact expected flows through the chain: the absorbing chain's fundamental matrix.

Expected visits to the transient states are ``v = alpha (I - Q)^-1``, found by one
sparse LU solve of ``(I - Q)^T v = alpha`` (never a dense inverse). The flow along an
edge is the visits to its source times its probability.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph
from scipy.sparse.linalg import spsolve

from journeymap.errors import JourneymapError
from journeymap.markov.chain import Chain, Flags, Floats, Ints, sum_by


class NoExitError(JourneymapError):
    """Customers can loop for ever: the chain has states from which no one ever leaves."""

    def __init__(self, touchpoints: list[str], channels: list[str]) -> None:
        self.touchpoints = touchpoints
        self.channels = channels
        super().__init__(
            f"customers at {', '.join(touchpoints)} (in {', '.join(channels)}) can never "
            "finish or give up: they loop for ever; give the loop a way out (no-exit)"
        )


@dataclass(frozen=True)
class Transient:
    """Q over the states a customer can reach, and each such state's chance to leave."""

    q: sp.csr_matrix
    exits: Floats
    index: Ints
    """Chain state of each row of ``q``."""


def transient(chain: Chain) -> Transient:
    """The transient part of the chain over its reachable states.

    Raises ``NoExitError`` where a reachable state can never be left.
    """
    live = _reachable(chain)
    _refuse_endless(chain, live)
    index = np.flatnonzero(live)
    position = np.full(chain.states, -1)
    position[index] = np.arange(len(index))
    inside = live[chain.src]
    moving = inside & (chain.dst >= 0)
    leaving = inside & (chain.dst < 0)
    q = sp.csr_matrix(
        (chain.p[moving], (position[chain.src[moving]], position[chain.dst[moving]])),
        shape=(len(index), len(index)),
    )
    exits = sum_by(position[chain.src[leaving]], chain.p[leaving], len(index))
    return Transient(q, exits, index)


def expected_visits(chain: Chain, part: Transient | None = None) -> Floats:
    """Expected contacts per customer in each state, by one sparse solve."""
    part = part or transient(chain)
    system = (sp.identity(len(part.index), format="csr") - part.q).T.tocsc()
    solved = np.atleast_1d(spsolve(system, chain.entry[part.index]))
    visits = np.zeros(chain.states)
    visits[part.index] = solved
    return visits


def flows(chain: Chain, visits: Floats) -> Floats:
    """Expected flow per customer along every edge: visits to its source times its p."""
    return visits[chain.src] * chain.p


def _reachable(chain: Chain) -> Flags:
    """States some customer can be in: reachable from the entry along edges."""
    return search(chain, chain.entry > 0, np.ones(chain.edges, dtype=bool), reverse=False)


def _refuse_endless(chain: Chain, live: Flags) -> None:
    """Raise ``NoExitError`` for reachable states from which no customer ever leaves."""
    every = np.ones(chain.edges, dtype=bool)
    trapped = live & ~search(chain, chain.dst < 0, every, reverse=True)
    if trapped.any():
        journey = chain.journey
        tps = sorted(set(chain.state_touchpoint[trapped].tolist()))
        chs = sorted(set(chain.state_channel[trapped].tolist()))
        names = list(journey.channels)
        raise NoExitError([journey.touchpoints[t].id for t in tps], [names[c] for c in chs])


def search(chain: Chain, seeds: Flags, edges: Flags, *, reverse: bool) -> Flags:
    """States reached from ``seeds`` along ``edges``, by a breadth-first search.

    Forward, ``seeds`` are states, and the search follows the edges; reverse, ``seeds`` are
    edges (those leaving the chain) and the search goes against the edges, finding the
    states from which those can be reached. One extra node points at the seeds.
    """
    extra = chain.states
    use = edges & (chain.dst >= 0)
    if reverse:
        start = np.flatnonzero(seeds & edges)
        rows = np.concatenate([chain.dst[use], np.full(len(start), extra)])
        cols = np.concatenate([chain.src[use], chain.src[start]])
    else:
        start = np.flatnonzero(seeds)
        rows = np.concatenate([chain.src[use], np.full(len(start), extra)])
        cols = np.concatenate([chain.dst[use], start])
    size = chain.states + 1
    graph = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(size, size))
    order = csgraph.breadth_first_order(graph, extra, directed=True, return_predecessors=False)
    found = np.zeros(size, dtype=bool)
    found[order] = True
    return found[:-1]

"""Solving one segment's chain again and again on the same sparsity pattern.

The states a customer can reach and the pattern of ``I − Q`` are found once; each new set
of edge probabilities only refills the matrix's values and factorises it (one sparse LU),
which then answers both the visits (``vᵀ (I − Q) = α``) and the adjoint systems
(``(I − Q) W = rewards``) that give every figure's derivatives.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import splu

from journeymap.markov.chain import END, Chain, Floats, Ints, sum_by
from journeymap.markov.exact import search

TOTALS = ("completed", "contacts", "failure_contacts", "cost", "messages")
"""Per-customer sums every headline figure is made of, in the columns of ``rewards``."""


class LoopError(ArithmeticError):
    """Drawn values make customers loop for ever: the chain has no way out."""


@dataclass(frozen=True)
class Solution:
    """Visits per state and the factorisation that gave them."""

    visits: Floats
    lu: object
    p: Floats


class Pattern:
    """The reachable states of a chain and the sparsity of ``I − Q`` over them."""

    def __init__(self, chain: Chain, p: Floats, entry: Ints) -> None:
        self.chain = chain
        seeds = np.zeros(chain.states, dtype=bool)
        seeds[entry] = True
        live = search(chain, seeds, np.ones(chain.edges, dtype=bool), reverse=False)
        leaves = search(chain, chain.dst < 0, p > 0, reverse=True)
        self.inside = live & leaves
        self.index = np.flatnonzero(self.inside)
        n = len(self.index)
        position = np.full(chain.states + 1, -1)
        position[self.index] = np.arange(n)
        self.position = position
        src_in = self.inside[chain.src]
        dst_in = np.where(chain.dst >= 0, self.inside[np.maximum(chain.dst, 0)], False)
        self.moving = np.flatnonzero(src_in & dst_in)
        self.ending = np.flatnonzero(src_in & (chain.kind == END))
        rows = np.concatenate([np.arange(n), position[chain.src[self.moving]]])
        cols = np.concatenate([np.arange(n), position[chain.dst[self.moving]]])
        keys, self.slot = np.unique(cols * n + rows, return_inverse=True)
        self.indices = (keys % n).astype(np.int32)
        self.indptr = np.concatenate([[0], np.cumsum(np.bincount(keys // n, minlength=n))]).astype(
            np.int32
        )
        self.size = n
        self.nnz = len(keys)
        self.rewards_fixed = np.column_stack(
            [
                np.zeros(chain.states),
                ~chain.message_state,
                chain.failure_state,
                chain.state_cost,
                chain.message_state,
            ]
        ).astype(float)

    def solve(self, p: Floats, alpha: Floats) -> Solution:
        """Visits per state for edge probabilities ``p`` and entry chances ``alpha``."""
        n = self.size
        values = np.concatenate([np.ones(n), -p[self.moving]])
        data = np.bincount(self.slot, weights=values, minlength=self.nnz)
        matrix = sp.csc_matrix((data, self.indices, self.indptr), shape=(n, n))
        try:
            lu = splu(matrix)
            inner = lu.solve(alpha[self.index], trans="T")
        except RuntimeError as error:  # an exactly singular matrix
            raise LoopError(str(error)) from None
        if not np.all(np.isfinite(inner)) or (inner < -1e-9).any():
            raise LoopError("customers loop for ever with these values")
        visits = np.zeros(self.chain.states)
        visits[self.index] = inner
        return Solution(visits, lu, p)

    def rewards(self, p: Floats) -> Floats:
        """Per state, what one visit adds to each of ``TOTALS`` (completion: its END edge)."""
        rewards = self.rewards_fixed.copy()
        rewards[:, 0] = sum_by(self.chain.src[self.ending], p[self.ending], self.chain.states)
        return rewards

    def totals(self, solution: Solution) -> Floats:
        """The ``TOTALS`` per customer."""
        out: Floats = solution.visits @ self.rewards(solution.p)
        return out

    def gradients(self, solution: Solution) -> tuple[Floats, Floats]:
        """Derivatives of the ``TOTALS`` by every edge probability and entry chance.

        'dv/dθ = v · dQ/dθ · N': one adjoint solve ``W = N · rewards`` gives, for an edge
        from ``s`` to ``t``, ``v_s · W_t``; for an edge that ends the journey, ``v_s``
        (completion's reward); for an entry chance, ``W_s``.
        """
        chain, visits = self.chain, solution.visits
        rewards = self.rewards(solution.p)
        inner = solution.lu.solve(rewards[self.index])  # type: ignore[attr-defined]
        adjoint = np.zeros((chain.states, len(TOTALS)))
        adjoint[self.index] = inner
        d_edges = np.zeros((chain.edges, len(TOTALS)))
        moving, ending = self.moving, self.ending
        d_edges[moving] = visits[chain.src[moving], None] * adjoint[chain.dst[moving]]
        d_edges[ending, 0] = visits[chain.src[ending]]
        return d_edges, adjoint

"""The exact distribution of contacts per customer: a discrete phase-type distribution.

The number of contacts until a customer leaves the chain is phase-type with initial
vector ``alpha`` and transient matrix ``Q``: ``P(T = n) = alpha Q^(n-1) exits``. Its
percentiles are found by stepping the distribution over states forward one contact at a
time until enough of it has left. Messages are not contacts: the chain is first embedded
on its contact states (the message states eliminated), so each step is one contact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.linalg import splu

from journeymap.markov.chain import Chain, Floats
from journeymap.markov.exact import Transient

PERCENTILES = (0.5, 0.9, 0.95)
MAX_STEPS = 1_000_000
"""A bound on the steps taken (a customer expecting a million contacts is not a journey)."""


@dataclass(frozen=True)
class Contacts:
    """The chain embedded on its contact states: one step is one contact.

    ``none`` is the chance a customer leaves without any contact (only messages).
    """

    entry: Floats
    q: sp.csr_matrix
    exits: Floats
    none: float


def contact_chain(chain: Chain, part: Transient) -> Contacts:
    """Eliminate the message states: ``Q' = Q_CC + Q_CM (I - Q_MM)^-1 Q_MC``.

    Entry and exits pass through the messages alike; the chain of a journey without
    messages is returned as it is.
    """
    message = chain.message_state[part.index]
    entry = chain.entry[part.index]
    if not message.any():
        return Contacts(entry, part.q, part.exits, 0.0)
    contact = ~message
    q = part.q.tocsr()
    q_c, q_m = q[contact], q[message]
    q_cm, q_mc, q_mm = q_c[:, message], q_m[:, contact].tocsc(), q_m[:, message]
    lu = splu(sp.csc_matrix(sp.identity(q_mm.shape[0]) - q_mm))
    through = lu.solve(entry[message], trans="T")
    cols = np.flatnonzero(np.diff(q_mc.indptr))
    block = lu.solve(q_mc[:, cols].toarray()) if len(cols) else np.zeros((len(through), 0))
    passed = _spread(block, cols, int(contact.sum()))
    exits_m = part.exits[message]
    return Contacts(
        entry[contact] + q_mc.T @ through,
        sp.csr_matrix(q_c[:, contact] + q_cm @ passed),
        part.exits[contact] + q_cm @ lu.solve(exits_m),
        float(through @ exits_m),
    )


def _spread(block: Floats, cols: npt.NDArray[np.int64], width: int) -> sp.csr_matrix:
    """A dense block of columns ``cols`` placed in a sparse matrix ``width`` wide."""
    rows, at = np.nonzero(block)
    return sp.csr_matrix((block[rows, at], (rows, cols[at])), shape=(block.shape[0], width))


def contact_pmfs(parts: Sequence[Contacts], upto: float = max(PERCENTILES)) -> list[Floats]:
    """Each part's ``P(T = n)`` contacts for n = 0, 1, 2, and so on.

    Stepped until every part has ``upto`` of its customers out, so the share-weighted
    blend has too.
    """
    states = [part.entry.copy() for part in parts]
    forward = [part.q.T.tocsr() for part in parts]
    pmfs: list[list[float]] = [[part.none] for part in parts]
    done = [part.none for part in parts]
    step = 0
    while min(done) < upto and step < MAX_STEPS:
        step += 1
        for i, part in enumerate(parts):
            left = float(states[i] @ part.exits)
            pmfs[i].append(left)
            done[i] += left
            states[i] = forward[i] @ states[i]
    return [np.array(pmf) for pmf in pmfs]


def percentiles(pmf: Floats, levels: Sequence[float] = PERCENTILES) -> list[int]:
    """Smallest n with ``P(T <= n) >= level``, for each level."""
    cumulative = np.cumsum(pmf)
    return [int(np.searchsorted(cumulative, level - 1e-12)) for level in levels]

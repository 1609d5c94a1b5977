"""A journey compiled once and solved exactly for any slot values, with derivatives.

The engine is what sensitivity and uncertainty share: the chain of each segment with
its edges' factors (``edges``), the sparsity of its ``I − Q`` (``solve``), and the
headline figures as functions of a few per-customer totals.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from journeymap.flow.guard import ensure_analysable
from journeymap.flow.queueing import give_ups
from journeymap.markov import exact
from journeymap.markov.chain import Chain, Floats
from journeymap.markov.pattern import TOTALS, Pattern, Solution
from journeymap.model import Journey
from journeymap.uncertainty.edges import EdgeModel
from journeymap.uncertainty.slots import Slots

FIGURES = (
    "failure_demand_ratio",
    "completion_rate",
    "abandon_rate",
    "contacts_per_customer",
    "cost_per_customer",
    "messages_per_customer",
)
"""The headline figures, with the format document's JSON keys."""
COMPLETED, CONTACTS, FAILURE, COST, MESSAGES = range(len(TOTALS))


@dataclass(frozen=True)
class Evaluation:
    """One exact solve of every segment at slot values ``theta``."""

    theta: Floats
    weights: Floats
    """Segment weights (shares scaled to 1)."""
    totals: Floats
    """Per segment, the ``TOTALS`` per customer (segments × totals)."""
    solutions: tuple[Solution, ...]

    @property
    def blended(self) -> Floats:
        """The ``TOTALS`` over all customers: segments weighted by share."""
        out: Floats = self.weights @ self.totals
        return out

    @property
    def figures(self) -> dict[str, float]:
        """The headline figures."""
        return figures(self.blended)


def figures(totals: Floats) -> dict[str, float]:
    """The headline figures from the per-customer totals."""
    contacts = float(totals[CONTACTS])
    return {
        "failure_demand_ratio": float(totals[FAILURE]) / contacts if contacts > 0 else 0.0,
        "completion_rate": float(totals[COMPLETED]),
        "abandon_rate": 1.0 - float(totals[COMPLETED]),
        "contacts_per_customer": contacts,
        "cost_per_customer": float(totals[COST]),
        "messages_per_customer": float(totals[MESSAGES]),
    }


def jacobian(totals: Floats) -> Floats:
    """Derivatives of each of ``FIGURES`` by each of the ``TOTALS`` (figures × totals)."""
    out = np.zeros((len(FIGURES), len(TOTALS)))
    contacts = float(totals[CONTACTS])
    if contacts > 0:
        out[0, FAILURE] = 1.0 / contacts
        out[0, CONTACTS] = -float(totals[FAILURE]) / contacts**2
    out[1, COMPLETED] = 1.0
    out[2, COMPLETED] = -1.0
    out[3, CONTACTS] = 1.0
    out[4, COST] = 1.0
    out[5, MESSAGES] = 1.0
    return out


class Engine:
    """A journey ready to be solved for any slot values.

    Raises ``AnalysisError`` for a journey with errors, ``NoExitError`` for one where
    customers loop for ever, as ``analyze`` does. A queue where customers give up waiting
    keeps the P(abandon) of the point values' fixed point: derivatives and draws hold it
    fixed rather than solving the queue again for each.
    """

    def __init__(self, journey: Journey) -> None:
        ensure_analysable(journey)
        self.journey = journey
        ups = give_ups(journey)
        self.model = EdgeModel(journey, abandon=ups.abandon if ups is not None else None)
        self.slots: Slots = self.model.slots
        self.theta = self.slots.values()
        self.has_messages = any(part.chain.has_messages for part in self.model.parts)
        self.patterns = []
        for part in self.model.parts:
            exact.transient(positive(part.chain))  # refuses endless loops, as analyze does
            p, _ = self.model.probabilities(self.theta, part)
            self.patterns.append(Pattern(part.chain, p, part.entry))

    def evaluate(self, theta: Floats | None = None, *, inherit: bool = True) -> Evaluation:
        """Every segment solved at ``theta`` (the point values where ``None``).

        ``inherit`` first sets every value the file leaves out to its default's; without
        it, such a slot keeps its own value in ``theta`` (a step's own ``retry``, say).
        Raises ``LoopError`` where the values let customers loop for ever.
        """
        if theta is None:
            theta = self.theta
        elif inherit:
            theta = self.slots.sync(theta.copy())
        solutions, totals = [], []
        for part, pattern in zip(self.model.parts, self.patterns, strict=True):
            p, alpha = self.model.probabilities(theta, part)
            solution = pattern.solve(p, alpha)
            solutions.append(solution)
            totals.append(pattern.totals(solution))
        return Evaluation(theta, self.model.weights(theta), np.array(totals), tuple(solutions))

    def gradient(self, evaluation: Evaluation) -> Floats:
        """Derivative of each of ``FIGURES`` by every slot (slots × figures).

        Per segment one adjoint solve on the factorisation already made, then one pass
        back through the edges' factors: a few solves for all slots together.
        """
        theta = evaluation.theta
        by_totals = np.zeros((len(self.slots), len(TOTALS)))
        for part, pattern, solution, weight in zip(
            self.model.parts, self.patterns, evaluation.solutions, evaluation.weights, strict=True
        ):
            d_edges, d_entry = pattern.gradients(solution)
            by_totals += weight * self.model.backward(theta, part, d_edges, d_entry)
        blended = evaluation.blended
        shares = [part.share for part in self.model.parts if part.share >= 0]
        if shares:
            total = float(theta[shares].sum())
            for share, own in zip(shares, evaluation.totals, strict=True):
                by_totals[share] += (own - blended) / total
        self.slots.fold(by_totals)
        out: Floats = by_totals @ jacobian(blended).T
        return out


def positive(chain: Chain) -> Chain:
    """The chain as the exact analysis sees it: edges of probability 0 left out."""
    keep = chain.p > 0
    columns = ("src", "dst", "p", "kind", "cause", "switch_from", "switch_to", "gap")
    return dataclasses.replace(chain, **{name: getattr(chain, name)[keep] for name in columns})

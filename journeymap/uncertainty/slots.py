"""Every probability the customer-flow model reads, as a numbered list of parameters.

A parameter (a *slot*) is one place where the model takes a number: a channel use's
``resolve``, a step's ``retry``, ``switch`` and successor ``p``, a channel's ``share`` of
arrivals, every default, and per segment its ``share``, ``ability`` and ``persistence``.
Values the file leaves out are slots too, marked ``in_file=False`` with what they inherit:
'A value left out ... is not a range, but its sensitivity is reported, marked "not in the
file"'. Their derivative is the step's own; a default's is the sum over the steps that
inherit it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np

from journeymap.markov.chain import Floats, Ints
from journeymap.model import Journey
from journeymap.model import behaviour as model
from journeymap.model.estimate import bounds
from journeymap.model.types import Status

SlotKind = Literal[
    "resolve", "retry", "switch", "next", "share", "default", "segment-share", "ability",
    "persistence",
]  # fmt: skip
DEFAULTS = ("retry", "switch", "stickiness", "resolve", "gap_penalty")
"""The defaults that are probabilities, each a slot of its own."""

PathPart = str | int


@dataclass(frozen=True)
class Slot:
    """One number the model reads, where it is written, and what it falls back on."""

    kind: SlotKind
    key: str
    """Dotted address as scenario ``set`` changes write it: ``touchpoints.pay.retry``."""
    path: tuple[PathPart, ...]
    """Address in the file's data (list positions as numbers), for its line and column."""
    value: float
    """The value the point figures use (a range's midpoint)."""
    range: tuple[float, float] | None
    """``(low, high)`` where the file gives a range."""
    in_file: bool
    """False for a value the file leaves out, taken from ``inherits``."""
    inherits: str | None = None
    """Where a value left out comes from: ``defaults.retry``, or ``None`` for a fixed rule
    (a message's resolve is 1, an ability is 1)."""
    touchpoint: str | None = None
    channel: str | None = None
    segment: str | None = None
    status: Status | None = None
    """The step's ``status``: how well research backs it."""
    upper: float | None = 1.0
    """Largest value the slot can take (``None``: no limit, an ability may exceed 1)."""

    @property
    def is_default(self) -> bool:
        """True for one of the journey's ``defaults``."""
        return self.kind == "default"


class Slots:
    """The slots of one journey, numbered, and the lookups the model needs."""

    def __init__(self, journey: Journey) -> None:
        self.journey = journey
        self.items: list[Slot] = list(_enumerate(journey))
        self.index = {slot.key: i for i, slot in enumerate(self.items)}
        self._inheritance = self._pairs()

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Slot]:
        return iter(self.items)

    def __getitem__(self, key: str) -> int:
        return self.index[key]

    def get(self, key: str) -> int | None:
        """The number of the slot at ``key``, ``None`` where there is none."""
        return self.index.get(key)

    def values(self) -> Floats:
        """Every slot's point value (midpoints of ranges)."""
        return np.array([slot.value for slot in self.items], dtype=float)

    def ranged(self) -> list[int]:
        """Numbers of the slots the file gives as ranges."""
        return [i for i, slot in enumerate(self.items) if slot.range is not None]

    def inheritance(self) -> tuple[Ints, Ints]:
        """Slots the file leaves out that follow a default, and that default's slot."""
        return self._inheritance

    def _pairs(self) -> tuple[Ints, Ints]:
        pairs = [
            (i, self.index[slot.inherits])
            for i, slot in enumerate(self.items)
            if not slot.in_file and slot.inherits is not None
        ]
        children = np.array([c for c, _ in pairs], dtype=np.int64)
        parents = np.array([p for _, p in pairs], dtype=np.int64)
        return children, parents

    def sync(self, theta: Floats) -> Floats:
        """``theta`` with every inherited slot set to its default's value (in place)."""
        children, parents = self.inheritance()
        theta[..., children] = theta[..., parents]
        return theta

    def fold(self, grad: Floats) -> Floats:
        """Derivatives by each slot with a default's including every step that inherits it.

        The model reads an inherited value through the step's own slot; raising the
        default raises all of them at once.
        """
        children, parents = self.inheritance()
        np.add.at(grad, parents, grad[children])
        return grad


def _slot(
    kind: SlotKind, path: tuple[PathPart, ...], key: str, value: float | None, **more: object
) -> Slot:
    """A slot for a value written in the file (``value`` given) or inherited."""
    inherited = more.pop("fallback", None)
    if value is None:
        assert isinstance(more.get("fixed"), float)
        fixed = float(more.pop("fixed"))  # type: ignore[arg-type]
        return Slot(kind, key, path, fixed, None, False, inherits=inherited, **more)  # type: ignore[arg-type]
    more.pop("fixed", None)
    return Slot(kind, key, path, float(value), bounds(value), True, **more)  # type: ignore[arg-type]


def _enumerate(journey: Journey) -> Iterator[Slot]:
    """Every slot of ``journey``, defaults first, then step by step, then segments."""
    defaults = journey.defaults
    written = defaults.model_fields_set
    for name in DEFAULTS:
        value = float(getattr(defaults, name))
        yield Slot(
            "default",
            f"defaults.{name}",
            ("defaults", name),
            value,
            bounds(getattr(defaults, name)),
            name in written,
        )
    for t, tp in enumerate(journey.touchpoints):
        at = f"touchpoints.{tp.id}"
        where = {"touchpoint": tp.id, "status": tp.status}
        for cid, use in tp.channels.items():
            outbound = model.is_outbound(journey, cid)
            yield _slot(
                "resolve",
                ("touchpoints", t, "channels", cid, "resolve"),
                f"{at}.channels.{cid}.resolve",
                use.resolve,
                fixed=1.0 if outbound else float(defaults.resolve),
                fallback=None if outbound else "defaults.resolve",
                channel=cid,
                **where,
            )
        for cid, use in tp.channels.items():
            if use.share is not None:
                yield _slot(
                    "share",
                    ("touchpoints", t, "channels", cid, "share"),
                    f"{at}.channels.{cid}.share",
                    use.share,
                    channel=cid,
                    upper=None,
                    **where,
                )
        for name in ("retry", "switch"):
            yield _slot(
                name,  # type: ignore[arg-type]
                ("touchpoints", t, name),
                f"{at}.{name}",
                getattr(tp, name),
                fixed=float(getattr(defaults, name)),
                fallback=f"defaults.{name}",
                **where,
            )
        if len(tp.next) > 1 or (tp.next and tp.next[0].p is not None):
            for j, step in enumerate(tp.next):
                yield _slot(
                    "next",
                    ("touchpoints", t, "next", j, "p"),
                    f"{at}.next.{step.to}.p",
                    step.p if step.p is not None else 0.0,
                    **where,
                )
    for s, segment in enumerate(journey.segments):
        at = f"segments.{segment.id}"
        yield _slot(
            "segment-share", ("segments", s, "share"), f"{at}.share", segment.share,
            segment=segment.id,
        )  # fmt: skip
        for cid in journey.channels:
            yield _slot(
                "ability",
                ("segments", s, "ability", cid),
                f"{at}.ability.{cid}",
                segment.ability.get(cid),
                fixed=1.0,
                channel=cid,
                segment=segment.id,
                upper=None,
            )
        yield _slot(
            "persistence",
            ("segments", s, "persistence"),
            f"{at}.persistence",
            segment.persistence if "persistence" in segment.model_fields_set else None,
            fixed=1.0,
            segment=segment.id,
            upper=None,
        )

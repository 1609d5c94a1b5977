"""Hypothesis strategies for journeys: the one place tests get generated journeys from.

``journeys()`` draws valid, sound journeys of any size: every touchpoint is reachable from
the start, a journey end is reachable from every touchpoint, ``next`` probabilities add up
to 1, segment shares add up to 1, and every attempt has a chance to succeed. Checks,
simulation and rendering tests all draw from here.

Two opt-in keywords widen or narrow the draw (left out, the draw is as it always was):
``messages=True`` also draws the well-known outbound channels (``sms``, ``letter``,
``push``) and offers one of them at about half the touchpoints, making message steps;
``messages=False`` draws no outbound channel at all (a revision-1 journey).
``behaviour=True`` gives segments an ``ability`` per channel and a ``persistence``
(kept below 1/0.95, so a retry chance stays below 1 and every customer leaves).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from journeymap.model import CHANNEL_KINDS, ROLES, STANDARD_CAUSES, Journey

WELL_KNOWN_CHANNELS = ("web", "app", "chat", "phone", "e-mail", "office", "chatbot")
OUTBOUND_CHANNELS = ("sms", "letter", "push")
"""Well-known ids that are outbound (messages) when their kind is left out."""
CONTACT_KINDS = tuple(kind for kind in CHANNEL_KINDS if kind != "outbound")
HOURS = ("24/7", "mon-fri 08:00-18:00", "mon-fri 9-17, sat 10-14", "ma-pe 8-16", "daily 22-06")
_SLUG_FIRST = "abcdefghijklmnopqrstuvwxyz0123456789äöå"
_SLUG_REST = _SLUG_FIRST + "-_"

slugs = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(_SLUG_FIRST),
    st.text(alphabet=_SLUG_REST, max_size=12),
)
texts = st.text(st.characters(codec="utf-8"), min_size=1, max_size=30)
"""Any text at all: titles and lanes must survive every character a designer might type."""
probabilities = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
weights = st.floats(min_value=0.0, max_value=100.0, allow_nan=False)


def _maybe(draw: st.DrawFn, strategy: st.SearchStrategy[Any]) -> Any:
    return draw(st.none() | strategy)


def _normalised(draw: st.DrawFn, count: int) -> list[float]:
    """``count`` probabilities that add up to 1 (within rounding)."""
    raw = draw(st.lists(st.integers(1, 20), min_size=count, max_size=count))
    total = sum(raw)
    return [value / total for value in raw]


def _unique_ids(draw: st.DrawFn, count: int, prefix: str) -> list[str]:
    extra = draw(st.lists(slugs, min_size=count, max_size=count, unique=True))
    return [f"{prefix}{i}-{slug}" for i, slug in enumerate(extra)]


@st.composite
def _channels(
    draw: st.DrawFn, count: int, messages: bool | None = None
) -> dict[str, dict[str, Any]]:
    known = draw(st.lists(st.sampled_from(WELL_KNOWN_CHANNELS), max_size=count, unique=True))
    ids = known + _unique_ids(draw, count - len(known), "ch")
    if messages:
        ids += draw(
            st.lists(st.sampled_from(OUTBOUND_CHANNELS), min_size=1, max_size=2, unique=True)
        )
    kinds = CONTACT_KINDS if messages is False else CHANNEL_KINDS
    stores = [None, "crm", "case-system"]
    channels: dict[str, dict[str, Any]] = {}
    for cid in ids:
        spec: dict[str, Any] = {"hours": draw(st.sampled_from(HOURS))}
        if cid in OUTBOUND_CHANNELS:
            pass  # kind left out: the loader makes it outbound
        elif cid not in WELL_KNOWN_CHANNELS or draw(st.booleans()):
            spec["kind"] = draw(st.sampled_from(kinds))
        for key, strategy in (
            ("title", texts),
            ("context", st.sampled_from(stores)),
            ("cost", st.floats(0, 50, allow_nan=False)),
        ):
            value = _maybe(draw, strategy)
            if value is not None:
                spec[key] = value
        channels[cid] = spec
    return channels


def _channel_use(draw: st.DrawFn) -> Any:
    role = draw(st.sampled_from(ROLES))
    if draw(st.booleans()):
        return role
    use: dict[str, Any] = {"role": role}
    share = _maybe(draw, weights)
    if share is not None:
        use["share"] = share
    use["resolve"] = draw(st.floats(0.05, 1.0))
    return use


def _successors(draw: st.DrawFn, index: int, count: int, parents: dict[int, set[int]]) -> list[int]:
    """Forward successors (so an end is always reachable), sometimes a loop back."""
    forward = set(parents.get(index, set()))
    if index < count - 1 and draw(st.booleans()):
        forward |= set(draw(st.lists(st.integers(index + 1, count - 1), max_size=2)))
    targets = sorted(forward)
    if targets and index > 0 and draw(st.integers(0, 4)) == 0:
        targets.append(draw(st.integers(0, index)))
    return targets


def _next(draw: st.DrawFn, targets: list[int], ids: list[str]) -> list[dict[str, Any]]:
    if len(targets) == 1 and draw(st.booleans()):
        return [{"to": ids[targets[0]]}]
    return [
        {"to": ids[t], "p": p}
        for t, p in zip(targets, _normalised(draw, len(targets)), strict=True)
    ]


@st.composite
def _touchpoint(
    draw: st.DrawFn,
    tid: str,
    stage: str,
    channels: list[str],
    info: list[str],
    outbound: tuple[str, ...] = (),
) -> dict[str, Any]:
    offered = draw(st.lists(st.sampled_from(channels), min_size=1, max_size=4, unique=True))
    if outbound:
        message: str | None = draw(st.none() | st.sampled_from(outbound))
        if message is not None:
            offered = list(dict.fromkeys([*offered, message]))
    spec: dict[str, Any] = {
        "id": tid,
        "stage": stage,
        "channels": {cid: _channel_use(draw) for cid in offered},
    }
    for key, strategy in (
        ("title", texts),
        ("customer", texts | st.lists(texts, max_size=3)),
        ("frontstage", texts | st.lists(texts, max_size=3)),
        ("backstage", texts),
        ("support", st.lists(texts, max_size=3)),
        ("evidence", st.lists(texts, max_size=2)),
        ("emotion", st.integers(-3, 3)),
        ("pain_points", st.lists(texts, max_size=2)),
        ("opportunities", st.lists(texts, max_size=2)),
        ("complexity", st.sampled_from(["low", "medium", "high"])),
        ("owner", texts),
        ("status", st.sampled_from(["observed", "assumed", "proposed"])),
        ("retry", st.floats(0.0, 0.95)),
        ("switch", probabilities),
        ("failures", st.dictionaries(st.sampled_from(STANDARD_CAUSES), weights, max_size=3)),
    ):
        value = _maybe(draw, strategy)
        if value is not None:
            spec[key] = value
    if info:
        spec["info"] = draw(st.lists(st.sampled_from(info), max_size=2, unique=True))
    if draw(st.integers(0, 3)) == 0:
        spec["demand"] = "failure"
        spec["cause"] = draw(st.sampled_from(STANDARD_CAUSES) | slugs)
    return spec


@st.composite
def journey_data(
    draw: st.DrawFn,
    min_touchpoints: int = 1,
    max_touchpoints: int = 10,
    max_channels: int = 5,
    *,
    messages: bool | None = None,
    behaviour: bool = False,
) -> dict[str, Any]:
    """A valid journey as the plain data a YAML file holds (keywords: module docstring)."""
    channels = draw(_channels(draw(st.integers(1, max_channels)), messages))
    cids = list(channels)
    outbound = tuple(cid for cid in cids if cid in OUTBOUND_CHANNELS) if messages else ()
    stages = _unique_ids(draw, draw(st.integers(1, 4)), "s")
    info_ids = _unique_ids(draw, draw(st.integers(0, 3)), "i")
    count = draw(st.integers(min_touchpoints, max_touchpoints))
    tids = _unique_ids(draw, count, "t")
    parents: dict[int, set[int]] = {}
    for child in range(1, count):
        parents.setdefault(draw(st.integers(0, child - 1)), set()).add(child)
    touchpoints = []
    for index, tid in enumerate(tids):
        spec = draw(_touchpoint(tid, draw(st.sampled_from(stages)), cids, info_ids, outbound))
        targets = _successors(draw, index, count, parents)
        write_empty_next: bool = draw(st.booleans())
        if targets or write_empty_next:
            spec["next"] = _next(draw, targets, tids)
        touchpoints.append(spec)
    data: dict[str, Any] = {
        "journeymap": 1,
        "id": draw(slugs),
        "stages": [{"id": sid, "title": draw(texts)} for sid in stages],
        "channels": channels,
        "touchpoints": touchpoints,
    }
    _optional_sections(draw, data, cids, info_ids, tids, behaviour)
    return data


def _optional_sections(
    draw: st.DrawFn,
    data: dict[str, Any],
    cids: list[str],
    info_ids: list[str],
    tids: list[str],
    behaviour: bool = False,
) -> None:
    for key, strategy in (
        ("title", texts),
        ("description", texts),
        ("locale", st.sampled_from(["en", "fi"])),
        ("start", st.just(tids[0])),
        (
            "defaults",
            st.fixed_dictionaries(
                {},
                optional={
                    "retry": st.floats(0.0, 0.95),
                    "switch": probabilities,
                    "stickiness": probabilities,
                    "resolve": st.floats(0.05, 1.0),
                    "gap_penalty": probabilities,
                    "max_contacts": st.integers(1, 200),
                },
            ),
        ),
    ):
        value = _maybe(draw, strategy)
        if value is not None:
            data[key] = value
    pairs = [(a, b) for a in cids for b in cids if a != b]
    if pairs:
        chosen = draw(st.lists(st.sampled_from(pairs), max_size=3, unique=True))
        data["handoffs"] = [
            {"from": a, "to": b, "context": draw(st.sampled_from(["full", "partial", "none"]))}
            for a, b in chosen
        ]
    count = draw(st.integers(0, 3))
    if count:
        shares = _normalised(draw, count)
        data["segments"] = [
            {
                "id": sid,
                "share": share,
                "prefers": draw(st.dictionaries(st.sampled_from(cids), weights, max_size=2)),
            }
            for sid, share in zip(_unique_ids(draw, count, "seg"), shares, strict=True)
        ]
        if behaviour:
            for segment in data["segments"]:
                segment["ability"] = draw(
                    st.dictionaries(st.sampled_from(cids), st.floats(0.05, 1.6), max_size=3)
                )
                if draw(st.booleans()):
                    segment["persistence"] = draw(st.floats(0.3, 1.05))
    data["information"] = {
        iid: {
            "title": draw(texts),
            "sources": draw(st.dictionaries(st.sampled_from(cids), texts, max_size=3)),
        }
        for iid in info_ids
    }


@st.composite
def journeys(
    draw: st.DrawFn,
    min_touchpoints: int = 1,
    max_touchpoints: int = 10,
    max_channels: int = 5,
    *,
    messages: bool | None = None,
    behaviour: bool = False,
) -> Journey:
    """A valid, sound ``Journey``; see the module docstring for what sound means here."""
    data = draw(
        journey_data(
            min_touchpoints, max_touchpoints, max_channels, messages=messages, behaviour=behaviour
        )
    )
    return Journey.model_validate(data)

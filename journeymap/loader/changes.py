"""The change vocabulary of scenario files: set, add and remove, applied to journey data.

Changes work on the plain data a journey file composes to (mappings, lists, values), not on
the model, so a change can add what the model would refuse and the journey's own checks
then say why. A ``Trace`` records what each change touched, for pointing at it later.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from journeymap.loader.messages import _shown as shown
from journeymap.model.checks import Problem, suggest
from journeymap.model.types import PROBABILITY_PERCENTAGES
from journeymap.source import Key, Path

SCENARIO = "scenario"
"""The rule of every problem a scenario file or one of its changes has."""
KINDS = (
    "set",
    "add-handoff",
    "remove-handoff",
    "add-channel",
    "remove-channel",
    "remove-touchpoint",
)
"""Every kind of change, in the order the documentation lists them."""
USAGE = {
    "set": "set: {path: touchpoints.track.emotion, value: 1}",
    "add-handoff": "add-handoff: {from: chat, to: phone, context: full}",
    "remove-handoff": "remove-handoff: {from: chat, to: phone}",
    "add-channel": "add-channel: {touchpoint: track, channel: chat, role: alternative}",
    "remove-channel": "remove-channel: {touchpoint: track, channel: chat}",
    "remove-touchpoint": "remove-touchpoint: track",
}
"""One example of each kind of change, for messages."""
_ARGUMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "set": (("path", "value"), ()),
    "add-handoff": (("from", "to"), ("context",)),
    "remove-handoff": (("from", "to"), ()),
    "add-channel": (("touchpoint", "channel"), ("role", "share", "resolve")),
    "remove-channel": (("touchpoint", "channel"), ()),
}
"""Required and optional keys of each change that takes a mapping."""

Data = dict[str, Any]
Shape = tuple[str, ...]
"""A data path with list items written ``*``: which part of the format a node is."""

_ADDRESS: dict[Shape, Callable[[Data], object]] = {
    ("stages",): lambda item: item.get("id"),
    ("segments",): lambda item: item.get("id"),
    ("touchpoints",): lambda item: item.get("id"),
    ("handoffs",): lambda item: f"{item.get('from')}>{item.get('to')}",
    ("touchpoints", "*", "next"): lambda item: item.get("to"),
}
"""How a ``set`` path names an item of each list that is not addressed by index."""
_NOUNS: dict[Shape, str] = {
    ("stages",): "stage",
    ("segments",): "segment",
    ("touchpoints",): "touchpoint",
    ("handoffs",): "handoff",
    ("touchpoints", "*", "next"): "successor",
    ("channels",): "channel",
    ("information",): "information item",
    ("touchpoints", "*", "channels"): "channel",
    ("touchpoints", "*", "failures"): "failure cause",
}
_CHANNEL_USE: Shape = ("touchpoints", "*", "channels", "*")
_WHOLE = (("handoffs", "*"), ("touchpoints", "*", "next", "*"))
"""Items with no id of their own: a change to one of their keys concerns the whole item."""


class ChangeError(Exception):
    """A change that cannot be applied; ``where`` is the place below the change item."""

    def __init__(self, message: str, where: Path = (), *, at_key: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.at_key = at_key


@dataclass(frozen=True)
class Source:
    """Where in the scenario file a part of the changed journey comes from."""

    value: Path
    key: Path | None = None


@dataclass
class Trace:
    """What each change touched, so problems in the changed journey point at the change.

    ``nodes`` maps a container's identity, ``slots`` a (container identity, key) pair, to
    their source; ``keep`` holds every traced container so that identities stay unique.
    """

    nodes: dict[int, Source] = field(default_factory=dict)
    slots: dict[tuple[int, Key], Source] = field(default_factory=dict)
    keep: list[object] = field(default_factory=list)

    def node(self, value: object, source: Source) -> None:
        """Record that a change put the container ``value`` there."""
        if isinstance(value, dict | list):
            self.nodes[id(value)] = source
            self.keep.append(value)

    def slot(self, container: object, key: Key, source: Source) -> None:
        """Record that a change set (or emptied) ``container[key]``."""
        self.slots[(id(container), key)] = source
        self.keep.append(container)


@dataclass(frozen=True)
class Change:
    """One parsed change: its place in the list, its kind and its arguments."""

    index: int
    kind: str
    args: Any

    def at(self, *rest: Key) -> Source:
        """The source of something this change put in the journey."""
        return Source(("changes", self.index, self.kind, *rest))


def copy_data(value: Any) -> Any:
    """A deep copy of plain data that shares nothing, not even what YAML aliases shared."""
    if isinstance(value, dict):
        return {key: copy_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_data(item) for item in value]
    return value


def apply_changes(
    data: Data, changes: list[Any], trace: Trace | None = None, first: int = 0
) -> list[Problem]:
    """Apply ``changes`` to ``data`` in place; a problem for each one that cannot apply.

    A change that cannot apply is reported and skipped; the ones after it still apply.
    ``first`` is the index of the first change in the scenario's list.
    """
    trace = Trace() if trace is None else trace
    problems: list[Problem] = []
    for index, item in enumerate(changes, first):
        try:
            change = _parse(index, item)
            _APPLY[change.kind](data, change, trace)
        except ChangeError as error:
            path = ("changes", index, *error.where)
            problems.append(Problem(SCENARIO, path, error.message, at_key=error.at_key))
    return problems


def _parse(index: int, item: object) -> Change:
    if not isinstance(item, dict) or not item:
        raise ChangeError(f"expected a change such as '{USAGE['set']}', found {shown(item)}")
    if len(item) > 1:
        raise ChangeError(
            f"one change per list item, found {len(item)} ({', '.join(item)}); "
            "start each change with its own '-'"
        )
    ((kind, args),) = item.items()
    if kind not in KINDS:
        raise ChangeError(f"unknown change '{kind}'{suggest(kind, KINDS)}", (kind,), at_key=True)
    return Change(index, kind, args)


def _arguments(change: Change) -> Data:
    """The change's arguments, checked against the keys its kind takes."""
    required, optional = _ARGUMENTS[change.kind]
    args = change.args
    if not isinstance(args, dict):
        raise ChangeError(
            f"expected a mapping with {' and '.join(required)}, as in "
            f"'{USAGE[change.kind]}', found {shown(args)}",
            (change.kind,),
        )
    for key in args:
        if key not in required + optional:
            message = f"unknown key '{key}'{suggest(key, required + optional)}"
            raise ChangeError(message, (change.kind, key), at_key=True)
    for key in required:
        if key not in args:
            raise ChangeError(f"missing required key '{key}'", (change.kind,))
        if key != "value" and not isinstance(args[key], str):
            raise ChangeError(f"expected text, found {shown(args[key])}", (change.kind, key))
    return args


def _set(data: Data, change: Change, trace: Trace) -> None:
    """``set: {path, value}``: replace the value at a dotted path, or add its last key."""
    args = _arguments(change)
    text: str = args["path"]
    segments = text.split(".")
    if not all(segments):
        raise ChangeError(
            f"'{text}' is not a dotted path such as 'touchpoints.track.emotion'",
            (change.kind, "path"),
        )
    container, shape = _descend(data, segments[:-1])
    source = Source(change.at("value").value, change.at("path").value)
    _put(container, segments[-1], copy_data(args["value"]), shape, ".".join(segments[:-1]))
    key = _find(container, segments[-1], shape, "")
    if key is not None:
        trace.slot(container, key, source)
        trace.node(container[key], source)
    if shape in _WHOLE:
        trace.node(container, source)


def _descend(data: Data, segments: list[str]) -> tuple[Any, Shape]:
    """The node a path's leading segments name, and its shape; ``ChangeError`` if none."""
    node: Any = data
    shape: Shape = ()
    for depth, segment in enumerate(segments):
        where = ".".join(segments[:depth]) or "the journey"
        key = _find(node, segment, shape, where)
        if key is None:
            raise _not_found(node, segment, shape, where)
        shape = (*shape, "*" if isinstance(node, list) else segment)
        if len(shape) == len(_CHANNEL_USE) and shape[::2] == _CHANNEL_USE[::2]:
            node[key] = _channel_use(node[key])
        node = node[key]
    return node, shape


def _channel_use(value: object) -> object:
    """A touchpoint's channel entry as a mapping: ``web: primary`` is ``web: {role: primary}``."""
    if value is None:
        return {}
    return {"role": value} if isinstance(value, str) else value


def _find(node: object, segment: str, shape: Shape, where: str) -> Key | None:
    """The key or index ``segment`` names in ``node``; ``None`` where it names nothing yet."""
    if isinstance(node, dict):
        return segment if segment in node else None
    if isinstance(node, list):
        address = _ADDRESS.get(shape)
        if address is not None:
            for index, item in enumerate(node):
                if isinstance(item, dict) and address(item) == segment:
                    return index
        if segment.isascii() and segment.isdigit() and int(segment) < len(node):
            return int(segment)
        return None
    raise ChangeError(
        f"'{where}' is {shown(node)}, not a mapping or a list, so it has no '{segment}'",
        ("set", "path"),
    )


def _names(node: object, shape: Shape) -> list[str]:
    """What the items of ``node`` are called in a path, for suggestions."""
    if isinstance(node, dict):
        return [str(key) for key in node]
    address = _ADDRESS.get(shape)
    if address is None or not isinstance(node, list):
        return []
    return [str(address(item)) for item in node if isinstance(item, dict)]


def _not_found(node: object, segment: str, shape: Shape, where: str) -> ChangeError:
    noun = _NOUNS.get(shape, "key")
    if isinstance(node, list) and shape not in _ADDRESS:
        return ChangeError(
            f"{where} is a list of {len(node)} (numbered from 0), so it has no item "
            f"'{segment}'; set the whole list instead",
            ("set", "path"),
        )
    message = f"no {noun} '{segment}' in {where}{suggest(segment, _names(node, shape))}"
    if shape == _CHANNEL_USE[:3]:
        message += "; offer it there first with add-channel"
    elif noun == "key":
        missing = segment if where == "the journey" else f"{where}.{segment}"
        message += f"; set adds only the last key of a path, so set '{missing}' first"
    return ChangeError(message, ("set", "path"))


def _put(container: Any, segment: str, value: Any, shape: Shape, where: str) -> None:
    """Set ``container``'s ``segment`` to ``value``: replace it, or add it as a new key or item."""
    key = _find(container, segment, shape, where)
    if isinstance(container, dict):
        container[segment] = value
    elif key is not None:
        container[key] = _addressed(value, segment, shape, new=False)
    elif shape in _ADDRESS:
        container.append(_addressed(value, segment, shape, new=True))
    else:
        raise _not_found(container, segment, shape, where or "the journey")


def _addressed(value: Any, segment: str, shape: Shape, *, new: bool) -> Any:
    """A list item set through its address, with the address keys filled in where left out."""
    if not isinstance(value, dict):
        if new:
            noun = _NOUNS.get(shape, "item")
            raise ChangeError(f"a new {noun} is a mapping of its keys", ("set", "value"))
        return value
    if shape == ("handoffs",):
        ends = segment.split(">")
        if len(ends) != 2 or not all(ends):
            raise ChangeError(
                f"'{segment}': name a handoff by its channels, as in handoffs.chat>phone",
                ("set", "path"),
            )
        filled = {"from": ends[0], "to": ends[1]}
    elif shape == ("touchpoints", "*", "next"):
        filled = {"to": segment}
    else:
        filled = {"id": segment}
    return {**filled, **value}


def _add_handoff(data: Data, change: Change, trace: Trace) -> None:
    """``add-handoff: {from, to, context}``: a new handoff, keys as in ``handoffs``."""
    args = _arguments(change)
    handoffs = _list(data, "handoffs")
    if _handoff(handoffs, args["from"], args["to"]) is not None:
        raise ChangeError(
            f"a handoff from '{args['from']}' to '{args['to']}' exists already; change it "
            f"with set: {{path: handoffs.{args['from']}>{args['to']}.context, value: ...}}",
            (change.kind,),
        )
    handoff = copy_data(args)
    handoffs.append(handoff)
    trace.node(handoff, change.at())


def _remove_handoff(data: Data, change: Change, trace: Trace) -> None:
    """``remove-handoff: {from, to}``: the handoff between two channels goes."""
    args = _arguments(change)
    handoffs = _list(data, "handoffs")
    index = _handoff(handoffs, args["from"], args["to"])
    if index is None:
        pairs = [str(_ADDRESS[("handoffs",)](h)) for h in handoffs if isinstance(h, dict)]
        known = f" (handoffs: {', '.join(pairs)})" if pairs else " (the journey has none)"
        raise ChangeError(
            f"no handoff from '{args['from']}' to '{args['to']}'{known}", (change.kind,)
        )
    del handoffs[index]


def _handoff(handoffs: list[Any], source: str, target: str) -> int | None:
    """Index of the handoff from ``source`` to ``target``, if there is one."""
    pair = f"{source}>{target}"
    address = _ADDRESS[("handoffs",)]
    return next(
        (i for i, h in enumerate(handoffs) if isinstance(h, dict) and address(h) == pair), None
    )


def _add_channel(data: Data, change: Change, trace: Trace) -> None:
    """``add-channel: {touchpoint, channel, role, share, resolve}``: offer a channel there."""
    args = _arguments(change)
    touchpoint = _touchpoint(data, args["touchpoint"], change)
    channel: str = args["channel"]
    known = list(data.get("channels") or {})
    if channel not in known:
        message = f"unknown channel '{channel}'{suggest(channel, known)}"
        raise ChangeError(message, (change.kind, "channel"))
    uses = touchpoint.setdefault("channels", {})
    if uses is None:
        uses = touchpoint["channels"] = {}
    if channel in uses:
        raise ChangeError(
            f"'{channel}' is offered at '{args['touchpoint']}' already; change it with set, "
            f"as in 'set: {{path: touchpoints.{args['touchpoint']}.channels.{channel}.role, "
            "value: primary}'",
            (change.kind, "channel"),
        )
    use = {
        key: copy_data(value) for key, value in args.items() if key in _ARGUMENTS[change.kind][1]
    }
    uses[channel] = use
    trace.node(use, change.at())
    trace.slot(touchpoint, "channels", change.at())


def _remove_channel(data: Data, change: Change, trace: Trace) -> None:
    """``remove-channel: {touchpoint, channel}``: the touchpoint no longer offers the channel."""
    args = _arguments(change)
    touchpoint = _touchpoint(data, args["touchpoint"], change)
    uses = touchpoint.get("channels") or {}
    channel: str = args["channel"]
    if channel not in uses:
        message = f"'{channel}' is not offered at '{args['touchpoint']}'{suggest(channel, uses)}"
        raise ChangeError(message, (change.kind, "channel"))
    del uses[channel]
    trace.slot(touchpoint, "channels", change.at())


def _remove_touchpoint(data: Data, change: Change, trace: Trace) -> None:
    """``remove-touchpoint: id``: the step goes, and so do the ``next`` steps to it.

    Each step that led there shares the removed step's probability among its other
    successors, in proportion to their own; a step left with no way on is refused.
    """
    if not isinstance(change.args, str):
        message = (
            f"expected a touchpoint id, as in '{USAGE[change.kind]}', found {shown(change.args)}"
        )
        raise ChangeError(message, (change.kind,))
    touchpoints = _list(data, "touchpoints")
    removed = _touchpoint(data, change.args, change, where=())
    _refuse_entry(data, touchpoints, change)
    rerouted = [
        (touchpoint, steps)
        for touchpoint in touchpoints
        if touchpoint is not removed and isinstance(touchpoint, dict)
        if (steps := _bypassed(touchpoint, change.args, change)) is not None
    ]
    for touchpoint, steps in rerouted:
        touchpoint["next"] = steps
        trace.slot(touchpoint, "next", change.at())
    touchpoints.remove(removed)


def _refuse_entry(data: Data, touchpoints: list[Any], change: Change) -> None:
    tid = change.args
    if len(touchpoints) == 1:
        raise ChangeError(f"'{tid}' is the journey's only touchpoint", (change.kind,))
    start = data.get("start")
    first = touchpoints[0].get("id") if isinstance(touchpoints[0], dict) else None
    if tid == start or (start is None and tid == first):
        why = "its start" if tid == start else "its first touchpoint, and no start is set"
        raise ChangeError(
            f"customers enter the journey at '{tid}' ({why}); set start to another touchpoint "
            "first, as in 'set: {path: start, value: ...}'",
            (change.kind,),
        )


def _bypassed(touchpoint: Data, removed: str, change: Change) -> list[Any] | None:
    """``touchpoint``'s steps without those to ``removed``, renormalised; ``None`` if none go."""
    steps = touchpoint.get("next") or []
    kept = [s for s in steps if not (isinstance(s, dict) and s.get("to") == removed)]
    if len(kept) == len(steps):
        return None
    if not kept:
        raise ChangeError(
            f"'{touchpoint.get('id')}' goes on only to '{removed}', so removing it would leave "
            f"'{touchpoint.get('id')}' with no way on; give it another successor first",
            (change.kind,),
        )
    return _renormalised(kept, str(touchpoint.get("id")), change)


def _renormalised(steps: list[Any], tid: str, change: Change) -> list[Any]:
    """The steps' ``p`` scaled to add up to 1 again; left alone where some have none.

    A range (``[0.6, 0.8]``) is left alone too, and so are the others beside it: the analysis
    normalises the midpoints of a ``next`` list with a range, which shares the removed step's
    customers out in the same proportion, and scaling could push an end past 1.
    """
    chances: list[float] = [
        p for step in steps if isinstance(step, dict) and (p := _chance(step.get("p"))) is not None
    ]
    if len(chances) != len(steps):
        return steps
    total = sum(chances)
    if total <= 0:
        raise ChangeError(
            f"the other successors of '{tid}' all have p 0, so nothing is left to share "
            "the removed step's customers among",
            (change.kind,),
        )
    return [{**step, "p": p / total} for step, p in zip(steps, chances, strict=True)]


def _chance(value: object) -> float | None:
    """A successor's ``p`` as a number, ``0.25`` or ``"25%"``; ``None`` for a range or none."""
    if isinstance(value, str):
        return PROBABILITY_PERCENTAGES.fraction(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return None


def _list(data: Data, key: str) -> list[Any]:
    """The journey's list under ``key``, made empty where it is missing."""
    value = data.get(key)
    if value is None:
        value = data[key] = []
    if not isinstance(value, list):
        raise ChangeError(f"the journey's '{key}' is {shown(value)}, not a list")
    return value


def _touchpoint(data: Data, tid: object, change: Change, where: Path = ("touchpoint",)) -> Data:
    """The touchpoint with id ``tid``; ``ChangeError`` naming the known ones if none."""
    touchpoints = _list(data, "touchpoints")
    for touchpoint in touchpoints:
        if isinstance(touchpoint, dict) and touchpoint.get("id") == tid:
            return touchpoint
    known = [str(tp.get("id")) for tp in touchpoints if isinstance(tp, dict)]
    raise ChangeError(f"no touchpoint '{tid}'{suggest(str(tid), known)}", (change.kind, *where))


_APPLY: dict[str, Callable[[Data, Change, Trace], None]] = {
    "set": _set,
    "add-handoff": _add_handoff,
    "remove-handoff": _remove_handoff,
    "add-channel": _add_channel,
    "remove-channel": _remove_channel,
    "remove-touchpoint": _remove_touchpoint,
}

"""Write a journey back as YAML text that loads into an equal journey."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import BaseModel

from journeymap.model.estimate import Estimate
from journeymap.model.journey import Journey
from journeymap.source.scalars import resolve_plain


class _Dumper(yaml.SafeDumper):
    """Quotes any text a YAML 1.2 reader would take for a number, bool or null."""


class _Range(list[object]):
    """A range ``[low, high]``, written on one line as the format's examples write it."""


_BREAKS = frozenset("\r\x85\u2028\u2029")
"""Characters YAML reads as line breaks: only double quotes, which escape them, keep them."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if _BREAKS.intersection(value):
        style = '"'
    elif "\n" in value:
        style = "|"
    elif not isinstance(resolve_plain(value), str):
        style = "'"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_range(dumper: yaml.SafeDumper, value: _Range) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Range, _represent_range)


def dump(journey: Journey) -> str:
    """The journey as YAML in format 1, defaults left out and shorthands used where they fit."""
    data = _with_ranges(
        journey, journey.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    )
    data["journeymap"] = journey.journeymap
    for touchpoint in data.get("touchpoints", []):
        _compact_touchpoint(touchpoint)
    return dump_data(data)


def dump_data(data: object) -> str:
    """Plain data as YAML that journeymap reads back to the same data, key order kept."""
    text: str = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return text


def _compact_touchpoint(touchpoint: dict[str, Any]) -> None:
    """Use ``web: primary`` and one-line lanes where the long form says no more."""
    uses = touchpoint.get("channels", {})
    for cid, use in uses.items():
        if set(use) <= {"role"}:
            uses[cid] = use.get("role", "alternative")
    for lane in ("customer", "frontstage", "backstage", "support", "evidence"):
        if len(touchpoint.get(lane, [])) == 1:
            touchpoint[lane] = touchpoint[lane][0]


def _with_ranges(model: BaseModel, dumped: dict[str, Any]) -> dict[str, Any]:
    """The model's dumped keys, in field order, with every range a flow-style ``[low, high]``.

    ``exclude_defaults`` compares by value, and a range equals its midpoint: ``retry: [0.6,
    0.8]`` is 0.7, the default, and would be left out. Such a range is put back here, its
    ends as the field writes them (a duration's as ``"3m"``, not as hours).
    """
    out: dict[str, Any] = {}
    for name, field in type(model).model_fields.items():
        key = field.alias or name
        value = getattr(model, name)
        if key in dumped:
            out[key] = _ranges(value, dumped[key])
        elif isinstance(value, Estimate):
            out[key] = _Range(model.model_dump(mode="json", include={name})[name])
        elif isinstance(value, BaseModel) and (kept := _with_ranges(value, {})):
            out[key] = kept
    return out | {key: item for key, item in dumped.items() if key not in out}


def _ranges(value: object, dumped: Any) -> Any:
    """``dumped`` (the JSON dump of ``value``) with the ranges in it marked and kept."""
    if isinstance(value, Estimate):
        return _Range(dumped if isinstance(dumped, list) else [value.low, value.high])
    if isinstance(value, BaseModel) and isinstance(dumped, dict):
        return _with_ranges(value, dumped)
    if isinstance(value, dict) and isinstance(dumped, dict):
        return {key: _ranges(value.get(key), item) for key, item in dumped.items()}
    if isinstance(value, list) and isinstance(dumped, list):
        return [_ranges(part, item) for part, item in zip(value, dumped, strict=True)]
    return dumped

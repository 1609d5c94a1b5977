"""Write a journey back as YAML text that loads into an equal journey."""

from __future__ import annotations

from typing import Any

import yaml

from journeymap.model.journey import Journey
from journeymap.source.scalars import resolve_plain


class _Dumper(yaml.SafeDumper):
    """Quotes any text a YAML 1.2 reader would take for a number, bool or null."""


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


_Dumper.add_representer(str, _represent_str)


def dump(journey: Journey) -> str:
    """The journey as YAML in format 1, defaults left out and shorthands used where they fit."""
    data = journey.model_dump(mode="json", by_alias=True, exclude_defaults=True)
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

"""What-if sliders: the controls of a touchpoint, changes from the page, scenario files."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import yaml

from journeymap.errors import JourneymapError
from journeymap.files import OutputExistsError, write_text
from journeymap.loader.scenario import changed_journey
from journeymap.locales.messages import Catalog, catalog
from journeymap.model import Journey
from journeymap.model.behaviour import resolve_rate, retry_rate, switch_rate
from journeymap.report.content import channel_label

MAX_CHANGES = 200
MAX_NAMES = 1000


class ChangeError(JourneymapError):
    """Changes from the page that are not a list of ``set`` changes journeymap accepts."""


def controls(journey: Journey, touchpoint: str | None) -> str:
    """The sliders for ``touchpoint`` (default: the first failure-demand step) and segments."""
    texts = catalog(journey.locale)
    by_id = {tp.id: tp for tp in journey.touchpoints}
    failure = [tp.id for tp in journey.touchpoints if tp.demand == "failure"]
    chosen = by_id.get(touchpoint or "") or by_id[(failure or list(by_id))[0]]
    options = "".join(
        f'<option value="{escape(tp.id)}"{" selected" if tp is chosen else ""}>'
        f"{escape(tp.label)}</option>"
        for tp in journey.touchpoints
    )
    at = f"touchpoints.{chosen.id}"
    sliders = [
        _slider(
            texts,
            f"{at}.channels.{cid}.resolve",
            texts.text("serve.slider-resolve", channel=channel_label(journey, cid)),
            resolve_rate(journey, chosen, cid),
        )
        for cid in chosen.channels
    ]
    retry, switch = retry_rate(journey, chosen), switch_rate(journey, chosen)
    sliders.append(_slider(texts, f"{at}.retry", texts.text("serve.slider-retry"), retry))
    sliders.append(_slider(texts, f"{at}.switch", texts.text("serve.slider-switch"), switch))
    sliders += [
        _slider(
            texts,
            f"segments.{s.id}.share",
            texts.text("serve.slider-share", segment=s.title or s.id),
            s.share,
            group="segments",
        )
        for s in journey.segments
    ]

    def said(key: str) -> str:
        return escape(texts.text(key))

    return (
        f'<section class="slide" id="whatif"><h2>{said("serve.whatif")}</h2>'
        f'<label class="pick">{said("lanes.touchpoint")} '
        f'<select id="touchpoint">{options}</select></label>'
        f'<div class="sliders">{"".join(sliders)}</div>'
        f'<p class="actions"><button type="button" id="reset">{said("serve.reset")}</button> '
        f'<button type="button" id="save">{said("serve.save")}</button> '
        '<span id="status" role="status"></span></p></section>'
    )


def _slider(texts: Catalog, path: str, label: str, value: float, group: str = "") -> str:
    grouped = f' data-group="{group}"' if group else ""
    return (
        f'<label class="slider"><span>{escape(label)}</span>'
        f'<input type="range" min="0" max="1" step="0.01" value="{value:.2f}" '
        f'data-path="{escape(path)}" data-initial="{float(value)!r}"{grouped}>'
        f"<output>{escape(texts.number(value, 2))}</output></label>"
    )


def parse(body: object) -> list[dict[str, Any]]:
    """The ``changes`` of a request body, checked to be ``set`` changes of numbers."""
    changes = body.get("changes") if isinstance(body, dict) else None
    if not isinstance(changes, list) or len(changes) > MAX_CHANGES:
        raise ChangeError("expected {'changes': [...]} with at most 200 changes")
    for change in changes:
        spec = change.get("set") if isinstance(change, dict) and len(change) == 1 else None
        if not (
            isinstance(spec, dict)
            and set(spec) == {"path", "value"}
            and isinstance(spec["path"], str)
            and type(spec["value"]) in (int, float)
        ):
            raise ChangeError(f"not a change the sliders make: {change!r}")
    return changes


def apply(journey: Journey, changes: list[dict[str, Any]]) -> Journey:
    """``journey`` with ``changes``; ``ChangeError`` with the reason when they do not apply."""
    try:
        return changed_journey(journey, changes)
    except ValueError as error:
        raise ChangeError(str(error)) from None


def save(journey_file: Path, changes: list[dict[str, Any]], title: str | None) -> Path:
    """Write ``changes`` as a new scenario file beside ``journey_file``; never overwrite one."""
    document: dict[str, Any] = {"scenario": 1, "extends": journey_file.name}
    if title:
        document["title"] = title
    document["changes"] = changes
    text = "# Written by journeymap serve.\n" + yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, default_flow_style=None
    )
    for number in range(1, MAX_NAMES + 1):
        target = journey_file.with_name(f"{journey_file.stem}.whatif-{number}.yaml")
        if target.exists():
            continue
        try:
            write_text(target, text)
        except OutputExistsError:
            continue
        return target
    raise JourneymapError(f"no free name for a scenario beside {journey_file.name}")

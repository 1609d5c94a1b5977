"""A journey as a stages × lanes grid: one column per touchpoint, one row per lane."""

from __future__ import annotations

from journeymap.grid.layout import ID_LABEL, LANES, Grid, RowKind, labels, one_line
from journeymap.locales.messages import catalog
from journeymap.model import Journey, Touchpoint


def journey_grid(journey: Journey, locale: str | None = None) -> Grid:
    """The journey's blueprint as a grid, labelled in ``locale`` (default: the journey's)."""
    code = locale or journey.locale
    names = labels(code)
    touchpoints = journey.touchpoints
    stage_row, stage_ids, spans = _stages(journey)
    rows: list[tuple[RowKind, list[str]]] = [
        ("stage", [names["stage"], *stage_row]),
        ("stage-id", [ID_LABEL, *stage_ids]),
        ("touchpoint", [names["touchpoint"], *(tp.label for tp in touchpoints)]),
        ("touchpoint-id", [ID_LABEL, *(tp.id for tp in touchpoints)]),
    ]
    for lane, _key in LANES:
        cells = ["\n".join(one_line(item) for item in getattr(tp, lane)) for tp in touchpoints]
        rows.append(("lane", [names[lane], *cells]))
    rows.append(("channels", [names["channels"], *(_channels(tp, code) for tp in touchpoints)]))
    emotions = ["" if tp.emotion is None else str(tp.emotion) for tp in touchpoints]
    rows.append(("emotion", [names["emotion"], *emotions]))
    return Grid([cells for _, cells in rows], [kind for kind, _ in rows], spans)


def _stages(journey: Journey) -> tuple[list[str], list[str], list[tuple[int, int]]]:
    """Stage titles and ids over the first column of each run of a stage, and the runs."""
    titles: list[str] = []
    ids: list[str] = []
    spans: list[tuple[int, int]] = []
    for column, tp in enumerate(journey.touchpoints, start=1):
        if spans and journey.touchpoints[column - 2].stage == tp.stage:
            titles.append("")
            ids.append("")
            spans[-1] = (spans[-1][0], column)
            continue
        stage = journey.stage_map[tp.stage]
        titles.append(stage.label)
        ids.append(stage.id)
        spans.append((column, column))
    return titles, ids, spans


def _channels(touchpoint: Touchpoint, code: str) -> str:
    """One line per channel: ``web: primary``, the role in the grid's language."""
    messages = catalog(code)
    return "\n".join(
        f"{channel}: {messages.label('roles', use.role)}"
        for channel, use in touchpoint.channels.items()
    )

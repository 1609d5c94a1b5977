"""The journey diagram as Graphviz DOT: touchpoints, where customers go, and what goes wrong.

Stages are clusters; ``next`` steps are arrows labelled with their probability (thicker
where more customers go); retries are dashed loops; failure-demand steps have cut corners,
a double border and a warning sign; steps where a likely channel switch loses the
customer's context carry the scissors mark and a heavier blue line. With figures (the heat overlay)
steps are shaded by failure contacts and carry their numbers, the worst breakpoints are
marked, and a legend explains it all.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator

from journeymap.flow import Figures
from journeymap.locales.messages import Catalog, catalog
from journeymap.model import Journey, Touchpoint
from journeymap.model import behaviour as model
from journeymap.render import style
from journeymap.render.graphviz import laid_out, pack
from journeymap.render.paper import fitted, printable
from journeymap.render.text import dot_string, escape, lines_html, wrap

WIDTH = 22
MAX_ROWS = 6
"""Most rows of stages on one sheet of paper."""
MARGIN = 8
"""Points of space around each row when rows are stacked on paper."""
NARROW = 26
"""Characters per line of an arrow's label on paper."""
TITLE_SIZE = 20
"""The title's size in points on paper."""

Towards = Callable[[str, str, str], tuple[str, list[str], str]]
"""Where an arrow (source, target or ``journeymap:done``, label) ends: the DOT name of its
end, any stub node to add, and the label left on the arrow."""
Row = tuple[int, ...]
"""Stages (by index) laid out side by side."""


def journey_dot(
    journey: Journey,
    figures: Figures | None = None,
    *,
    paper: str | None = None,
    portrait: bool = False,
    locale: str | None = None,
) -> str:
    """The journey diagram of ``journey`` as DOT; ``figures`` (from ``analyze``) adds heat.

    Texts are in ``locale``, by default the journey's own. With ``paper`` the stages wrap
    into the rows that print largest on one sheet, however small the text gets:
    ``journey_pages`` goes on to further sheets instead.
    """
    if paper is not None:
        return _sheets(journey, figures, paper, portrait, locale, single=True)[0]
    texts = catalog(locale or journey.locale)
    gaps = model.likely_gaps(journey)
    lines = [
        "digraph journey {",
        f'  graph [rankdir=LR fontname="{style.FONT}" newrank=true nodesep=0.35 ranksep=0.55 '
        f'pad="0.2" labelloc=t label=<<B>{escape(journey.label)}</B>> ];',
        *_defaults(),
        "  " + _terminal("start", "journeymap:start", "circle", texts),
        "  " + _terminal("done", "journeymap:done", "doublecircle", texts),
    ]
    lines += _clusters(journey, figures, texts, list(range(len(journey.stages))))
    lines.append(f'  "journeymap:start" -> {dot_string(journey.entry)};')

    def towards(source: str, target: str, label: str) -> tuple[str, list[str], str]:
        return dot_string(target), [], label

    for tp in journey.touchpoints:
        lines += _edges(journey, tp, gaps, texts, towards)
    if figures is not None:
        lines += _legend(figures, texts)
    lines.append("}")
    return "\n".join(lines) + "\n"


def journey_pages(
    journey: Journey,
    figures: Figures | None = None,
    *,
    paper: str,
    portrait: bool = False,
    locale: str | None = None,
) -> list[str]:
    """The journey diagram on sheets of ``paper``: one DOT text per sheet, text never shrunk.

    Stages are laid out in rows (each row its own Graphviz layout, stacked in order); the
    split into rows that prints largest wins. When no split fits one sheet at full size
    the stages go on several sheets, each titled "(1/3)" and so on, and an arrow to
    another row or sheet ends in a stub that names its target.
    """
    return _sheets(journey, figures, paper, portrait, locale, single=False)


def _sheets(
    journey: Journey,
    figures: Figures | None,
    paper: str,
    portrait: bool,
    locale: str | None,
    *,
    single: bool,
) -> list[str]:
    texts = catalog(locale or journey.locale)
    used = [
        i
        for i, stage in enumerate(journey.stages)
        if any(tp.stage == stage.id for tp in journey.touchpoints)
    ]
    room = printable(paper, portrait=portrait)
    sizes: dict[Row, tuple[float, float]] = {}

    def size(row: Row) -> tuple[float, float]:
        if row not in sizes:
            dot = _row_dot(journey, figures, texts, row, "measure", lambda _: (0, 0), (0, 0))
            sizes[row] = _bounds(_layout(dot))
        return sizes[row]

    title = _bounds(_layout(_title_dot(journey.label + " (9/9)")))
    legend = _bounds(_layout(_legend_dot(figures, texts))) if figures is not None else (0.0, 0.0)
    planner = _Planner(used, size, room, title, legend)
    sheets = [planner.rows(0, len(used), last=True)[1]] if single and used else planner.sheets()
    place = {
        journey.stages[i].id: (s, r)
        for s, rows in enumerate(sheets)
        for r, row in enumerate(rows)
        for i in row
    }
    stage_of = {tp.id: tp.stage for tp in journey.touchpoints}

    def where(target: str) -> tuple[int, int]:
        return place[stage_of[target]]

    pages = []
    for s, rows in enumerate(sheets):
        label = journey.label + (f" ({s + 1}/{len(sheets)})" if len(sheets) > 1 else "")
        graphs = [_layout(_title_dot(label))]
        graphs += [
            _layout(_row_dot(journey, figures, texts, row, f"{s}_{r}", where, (s, r)))
            for r, row in enumerate(rows)
        ]
        if figures is not None and s == len(sheets) - 1:
            graphs.append(_layout(_legend_dot(figures, texts)))
        pages.append(fitted(_positioned(pack(graphs, margin=MARGIN)), paper, portrait=portrait))
    return pages


def _positioned(packed: str) -> Callable[[str], str]:
    """A maker of the packed graph with page attributes, drawn where gvpack put everything."""
    return lambda page: packed.replace(
        "graph [", f'graph [layout=nop2 bgcolor="white" fontname="{style.FONT}" {page} ', 1
    )


class _Planner:
    """Chooses sheets and rows of stages so that each sheet prints at full size or larger."""

    def __init__(
        self,
        stages: list[int],
        size: Callable[[Row], tuple[float, float]],
        room: tuple[float, float],
        title: tuple[float, float],
        legend: tuple[float, float],
    ) -> None:
        self.stages = stages
        self.size = size
        self.room = room
        self.title = title
        self.legend = legend
        self.best: dict[tuple[int, int, bool], tuple[float, list[Row]]] = {}

    def sheets(self) -> list[list[Row]]:
        """Sheets of rows: one sheet if it fits, else the fewest that do, largest print first."""
        count = len(self.stages)
        if count == 0:
            return [[]]
        whole = self.rows(0, count, last=True)
        if whole[0] >= 1.0:
            return [whole[1]]
        for number in range(2, count + 1):
            found: tuple[float, list[list[Row]]] | None = None
            for cuts in itertools.combinations(range(1, count), number - 1):
                bounds = [0, *cuts, count]
                chosen = [self.rows(a, b, last=b == count) for a, b in itertools.pairwise(bounds)]
                smallest = min(scale for scale, _ in chosen)
                if smallest >= 1.0 and (found is None or smallest > found[0]):
                    found = (smallest, [rows for _, rows in chosen])
            if found is not None:
                return found[1]
        return [[(i,)] for i in self.stages]

    def rows(self, first: int, end: int, *, last: bool) -> tuple[float, list[Row]]:
        """The best split of stages ``first:end`` into rows, and how much it grows on paper."""
        key = (first, end, last)
        if key not in self.best:
            best: tuple[float, list[Row]] | None = None
            for rows in _splits(self.stages[first:end], MAX_ROWS):
                grow = self._scale(rows, last=last)
                if best is None or grow > best[0] * 1.02:
                    best = (grow, rows)
            assert best is not None
            self.best[key] = best
        return self.best[key]

    def _scale(self, rows: list[Row], *, last: bool) -> float:
        parts = [self.title, *(self.size(row) for row in rows)]
        if last and self.legend[0] > 0:
            parts.append(self.legend)
        width = max(w for w, _ in parts) + 2 * MARGIN
        height = sum(h + 2 * MARGIN for _, h in parts)
        return min(self.room[0] / width, self.room[1] / height)


def _splits(stages: list[int], most: int) -> Iterator[list[Row]]:
    """Every split of ``stages`` into at most ``most`` rows, in order, fewest rows first."""
    for count in range(1, min(most, len(stages)) + 1):
        for cuts in itertools.combinations(range(1, len(stages)), count - 1):
            bounds = [0, *cuts, len(stages)]
            yield [tuple(stages[a:b]) for a, b in itertools.pairwise(bounds)]


@functools.lru_cache(maxsize=256)
def _layout(dot: str) -> str:
    return laid_out(dot)


def _bounds(dot: str) -> tuple[float, float]:
    """The width and height in points of a laid-out graph (its first bounding box)."""
    found = re.search(r'bb="([-\d.]+),([-\d.]+),([-\d.]+),([-\d.]+)"', dot)
    if found is None:
        return 1.0, 1.0
    x0, y0, x1, y1 = (float(n) for n in found.groups())
    return x1 - x0, y1 - y0


def _defaults() -> list[str]:
    return [
        f'  node [shape=box style="rounded,filled" fillcolor="white" color="{style.INK}" '
        f'fontname="{style.FONT}" fontsize=11 margin="0.12,0.06"];',
        f'  edge [fontname="{style.FONT}" fontsize=10 color="{style.INK}"];',
    ]


def _title_dot(label: str) -> str:
    return (
        "digraph title {\n"
        f'  "journeymap:title" [shape=plaintext fontname="{style.FONT}" fontsize={TITLE_SIZE} '
        f"label=<<B>{escape(label)}</B>>];\n}}\n"
    )


def _legend_dot(figures: Figures | None, texts: Catalog) -> str:
    assert figures is not None
    lines = ["digraph legend {", f'  graph [fontname="{style.FONT}"];', *_defaults()]
    return "\n".join([*lines, *_legend(figures, texts), "}"]) + "\n"


def _row_dot(
    journey: Journey,
    figures: Figures | None,
    texts: Catalog,
    row: Row,
    name: str,
    where: Callable[[str], tuple[int, int]],
    here: tuple[int, int],
) -> str:
    """One row of stages as its own graph; arrows leaving the row end in named stubs."""
    ids = {journey.stages[i].id for i in row}
    members = [tp for tp in journey.touchpoints if tp.stage in ids]
    inside = {tp.id for tp in members}
    gaps = model.likely_gaps(journey)
    done = f"journeymap:done:{name}"
    lines = [
        f"digraph {dot_string('row ' + name)} {{",
        f'  graph [rankdir=LR fontname="{style.FONT}" newrank=true nodesep=0.35 ranksep=0.55];',
        *_defaults(),
    ]
    if journey.entry in inside:
        lines.append("  " + _terminal("start", "journeymap:start", "circle", texts))
        lines.append(f'  "journeymap:start" -> {dot_string(journey.entry)};')
    if any(tp.is_end for tp in members):
        lines.append("  " + _terminal("done", done, "doublecircle", texts))
    lines += _clusters(journey, figures, texts, list(row))
    titles = {t.id: t.label for t in journey.touchpoints}

    def towards(source: str, target: str, label: str) -> tuple[str, list[str], str]:
        if target == "journeymap:done":
            return dot_string(done), [], label
        if target in inside:
            return dot_string(target), [], label
        stub = dot_string(f"journeymap:to:{source}:{target}")
        there = where(target)
        if name == "measure":
            text = f"→ {titles[target]} (9/9)"
        elif there[0] == here[0]:
            text = f"{'↓' if there[1] > here[1] else '↑'} {titles[target]}"
        else:
            text = f"{'→' if there[0] > here[0] else '←'} {titles[target]} ({there[0] + 1})"
        html = f"<I>{lines_html(wrap(text, WIDTH, journey.locale))}</I>"
        html += lines_html(label.split("\n"))
        return stub, [f"  {stub} [shape=plaintext fontsize=10 label=<{html}>];"], ""

    for tp in members:
        lines += _edges(journey, tp, gaps, texts, towards, NARROW)
    lines += _order(journey, row)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _order(journey: Journey, row: Row) -> list[str]:
    """Invisible arrows that keep each stage of a row to the right of the one before."""
    groups = [
        [tp.id for tp in journey.touchpoints if tp.stage == journey.stages[i].id] for i in row
    ]
    return [
        f"  {dot_string(a)} -> {dot_string(b)} [style=invis weight=0];"
        for before, after in itertools.pairwise(groups)
        for a in before
        for b in after
    ]


def _terminal(text: str, name: str, shape: str, texts: Catalog) -> str:
    label = dot_string(texts.text(f"diagram.{text}"))
    return f"{dot_string(name)} [shape={shape} label={label} fontsize=9 width=0.55 fixedsize=true];"


def _clusters(
    journey: Journey, figures: Figures | None, texts: Catalog, stages: list[int]
) -> list[str]:
    highest = (
        max((t.failure_contacts for t in figures.touchpoints.values()), default=0.0)
        if figures
        else 0.0
    )
    worst = {key for key, _, _ in figures.worst_steps(3)} if figures else set()
    lines = []
    for index in stages:
        stage = journey.stages[index]
        members = [tp for tp in journey.touchpoints if tp.stage == stage.id]
        if not members:
            continue
        lines.append(f"  subgraph cluster_{index} {{")
        lines.append(
            f'    label=<<B>{escape(stage.label)}</B>> style="rounded,dashed" '
            f'color="{style.LINE}" fontname="{style.FONT}";'
        )
        for tp in members:
            lines.append("    " + _node(journey, tp, figures, highest, tp.id in worst, texts))
        lines.append("  }")
    return lines


def _node(
    journey: Journey,
    tp: Touchpoint,
    figures: Figures | None,
    highest: float,
    worst: bool,
    texts: Catalog,
) -> str:
    parts = [f"<B>{lines_html(wrap(tp.label, WIDTH, journey.locale), 'CENTER')}</B>"]
    for cid, use in tp.channels.items():
        channel = journey.channels[cid]
        parts.append(
            f'<FONT POINT-SIZE="9">{escape(style.channel_mark(channel.kind, use.role))} '
            f"{escape(channel.title or cid)}</FONT><BR/>"
        )
    attributes = [f"id={dot_string('tp-' + tp.id)}", f"tooltip={dot_string(tp.label)}"]
    fill = "white"
    if tp.demand == "failure":
        what = texts.text("diagram.failure-demand-short")
        cause = f"{what}: {texts.label('causes', tp.cause)}" if tp.cause else what
        ink = style.FAILURE_INK if figures is None else style.INK
        parts.insert(
            0,
            f'<FONT COLOR="{ink}"><B>{style.FAILURE_MARK} {escape(cause)}</B></FONT><BR/>',
        )
        attributes += [
            'style="filled,diagonals,bold"',
            "peripheries=2",
            f'color="{style.FAILURE_INK}"',
        ]
        fill = style.FAILURE_FILL
    if figures is not None:
        numbers = figures.touchpoints[tp.id]
        fill = style.heat_colour(numbers.failure_contacts, highest)
        count = texts.number(numbers.failure_contacts * 1000)
        parts.append(
            f'<FONT POINT-SIZE="9">{escape(texts.text("diagram.failure-per-1000", count=count))}'
            "</FONT><BR/>"
        )
        if numbers.messages > 0:
            sent = texts.text(
                "diagram.messages-per-1000",
                mark=style.MESSAGE_MARK,
                count=texts.number(numbers.messages * 1000),
            )
            parts.append(f'<FONT POINT-SIZE="9">{escape(sent)}</FONT><BR/>')
        if worst:
            quit_count = texts.number(numbers.abandoned * 1000)
            quits = texts.text("diagram.gives-up-per-1000", count=quit_count)
            parts.append(
                f'<FONT POINT-SIZE="9"><B>{style.GIVE_UP_MARK} {escape(quits)}</B></FONT><BR/>'
            )
        if fill in style.HEAT[3:]:
            parts = [
                f'<FONT COLOR="white">{part.replace(style.INK, "white")}</FONT>' for part in parts
            ]
    attributes.append(f'fillcolor="{fill}"')
    return f"{dot_string(tp.id)} [label=<{''.join(parts)}> {' '.join(attributes)}];"


def _edges(
    journey: Journey,
    tp: Touchpoint,
    gaps: dict[tuple[str, int], list[tuple[str, str]]],
    texts: Catalog,
    towards: Towards,
    narrow: int = 0,
) -> list[str]:
    """The arrows out of ``tp``; ``towards`` names each arrow's end (a stub off the row).

    With ``narrow`` the arrows' labels wrap to lines of that many characters.
    """

    def fold(text: str) -> str:
        if not narrow:
            return text
        return "\n".join(
            line for part in text.split("\n") for line in wrap(part, narrow, journey.locale)
        )

    lines = []
    source = dot_string(tp.id)
    if tp.is_end:
        end, stub, _ = towards(tp.id, "journeymap:done", "")
        lines += [*stub, f"  {source} -> {end};"]
    for j, (target, p) in enumerate(tp.successors()):
        chance = p if p is not None else 1 / len(tp.next)
        label = texts.percent(chance, 0)
        width = 1 + 3 * chance
        colour = ""
        pairs = gaps.get((tp.id, j), [])
        if pairs:
            shown = ", ".join(f"{a}→{b}" for a, b in pairs[:2]) + (" …" if len(pairs) > 2 else "")
            label += f"\n{style.GAP_MARK} " + texts.text("diagram.context-lost", pairs=shown)
            width += 1
            colour = f' color="{style.GAP_INK}" fontcolor="{style.GAP_INK}"'
        end, stub, label = towards(tp.id, target, fold(label))
        lines += stub
        shown = f"label={dot_string(label)} " if label else ""
        lines.append(f"  {source} -> {end} [{shown}penwidth={width:.2f}{colour}];")
    retry = model.retry_rate(journey, tp)
    if retry > 0 and tp.channels:
        switch = model.switch_rate(journey, tp)
        if len(tp.channels) > 1:
            text = texts.text(
                "diagram.retry-switch",
                retry=texts.percent(retry, 0),
                switch=texts.percent(switch, 0),
            )
        else:
            text = texts.text("diagram.retry", retry=texts.percent(retry, 0))
        lines.append(
            f"  {source} -> {source} [label={dot_string(fold(text))} style=dashed "
            f'color="{style.MUTED}" fontcolor="{style.MUTED}" fontsize=9];'
        )
    return lines


def _legend(figures: Figures, texts: Catalog) -> list[str]:
    highest = max((t.failure_contacts for t in figures.touchpoints.values()), default=0.0)
    steps = "".join(f'<TD BGCOLOR="{c}" WIDTH="22"> </TD>' for c in style.HEAT)
    rows = [
        f'<TR><TD COLSPAN="5" ALIGN="LEFT"><B>{escape(texts.text("diagram.legend"))}</B></TD></TR>',
        f"<TR>{steps}</TR>",
        '<TR><TD COLSPAN="5" ALIGN="LEFT" BALIGN="LEFT">'
        + lines_html(
            [
                texts.text("diagram.legend-heat", highest=texts.number(highest * 1000)),
                f"{style.GIVE_UP_MARK} {texts.text('diagram.legend-give-up')}",
                f"{style.GAP_MARK} {texts.text('diagram.legend-gap')}",
                f"{style.FAILURE_MARK} {texts.text('diagram.legend-failure')}",
                texts.text("diagram.legend-retry"),
                "  ".join(
                    f"{symbol} {texts.label('roles', role)}"
                    for role, symbol in style.ROLE_SYMBOLS.items()
                ),
                *(
                    [f"{style.MESSAGE_MARK} {texts.text('diagram.message')}"]
                    if figures.has_messages
                    else []
                ),
            ]
        )
        + "</TD></TR>",
    ]
    return [
        "  subgraph cluster_legend {",
        f'    label="" style="rounded" color="{style.LINE}";',
        '    "journeymap:legend" [shape=plaintext id="legend" label=<<TABLE BORDER="0" '
        'CELLBORDER="0" CELLSPACING="2">' + "".join(rows) + "</TABLE>>];",
        "  }",
    ]

"""The journey diagram as Graphviz DOT: touchpoints, where customers go, and what goes wrong.

Stages are clusters; ``next`` steps are arrows labelled with their probability (thicker
where more customers go); retries are dashed loops; failure-demand steps have cut corners,
a double border and a warning sign; steps where a likely channel switch loses the
customer's context carry the scissors mark and a heavier blue line. With figures (the heat overlay)
steps are shaded by failure contacts and carry their numbers, the worst breakpoints are
marked, and a legend explains it all.
"""

from __future__ import annotations

from journeymap.flow import Figures
from journeymap.locales.messages import Catalog, catalog
from journeymap.model import Journey, Touchpoint
from journeymap.model import behaviour as model
from journeymap.render import style
from journeymap.render.paper import size_attributes
from journeymap.render.text import dot_string, escape, lines_html, wrap

WIDTH = 22


def journey_dot(
    journey: Journey,
    figures: Figures | None = None,
    *,
    paper: str | None = None,
    portrait: bool = False,
    locale: str | None = None,
) -> str:
    """The journey diagram of ``journey`` as DOT; ``figures`` (from ``analyze``) adds heat.

    Texts are in ``locale``, by default the journey's own.
    """
    texts = catalog(locale or journey.locale)
    gaps = model.likely_gaps(journey)
    lines = [
        "digraph journey {",
        f'  graph [rankdir=LR fontname="{style.FONT}" newrank=true nodesep=0.35 ranksep=0.55 '
        f'pad="0.2" labelloc=t label=<<B>{escape(journey.label)}</B>> '
        f"{size_attributes(paper, portrait=portrait)}];",
        f'  node [shape=box style="rounded,filled" fillcolor="white" color="{style.INK}" '
        f'fontname="{style.FONT}" fontsize=11 margin="0.12,0.06"];',
        f'  edge [fontname="{style.FONT}" fontsize=10 color="{style.INK}"];',
        f'  "journeymap:start" [shape=circle label={dot_string(texts.text("diagram.start"))} '
        "fontsize=9 width=0.55 fixedsize=true];",
        f'  "journeymap:done" [shape=doublecircle label={dot_string(texts.text("diagram.done"))} '
        "fontsize=9 width=0.55 fixedsize=true];",
    ]
    lines += _clusters(journey, figures, texts)
    lines.append(f'  "journeymap:start" -> {dot_string(journey.entry)};')
    for tp in journey.touchpoints:
        lines += _edges(journey, tp, gaps, texts)
    if figures is not None:
        lines += _legend(figures, texts)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _clusters(journey: Journey, figures: Figures | None, texts: Catalog) -> list[str]:
    highest = (
        max((t.failure_contacts for t in figures.touchpoints.values()), default=0.0)
        if figures
        else 0.0
    )
    worst = {key for key, _, _ in figures.worst_steps(3)} if figures else set()
    lines = []
    for index, stage in enumerate(journey.stages):
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
    parts = [f"<B>{lines_html(wrap(tp.label, WIDTH), 'CENTER')}</B>"]
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
) -> list[str]:
    lines = []
    source = dot_string(tp.id)
    if tp.is_end:
        lines.append(f'  {source} -> "journeymap:done";')
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
        lines.append(
            f"  {source} -> {dot_string(target)} [label={dot_string(label)} "
            f"penwidth={width:.2f}{colour}];"
        )
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
            f"  {source} -> {source} [label={dot_string(text)} style=dashed "
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

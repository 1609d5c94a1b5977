"""Mermaid diagrams of a journey, ready to paste into Markdown that GitHub renders.

Two views: ``journey_diagram`` is Mermaid's user-journey chart (stages, steps, and how the
customer feels at each), and ``flowchart`` is the customer flow (successors with their
chances, retries, failure demand, channel switches that lose context, and an optional heat
overlay of the figures). Mermaid ids are generated (``s0``, ``t0``, ...), and every text
taken from the journey is made safe for Mermaid's grammar. No title can break a diagram
or inject a directive into it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator

from journeymap.flow import Figures
from journeymap.locales.messages import Catalog, catalog
from journeymap.model import Journey, Touchpoint, behaviour
from journeymap.render import style

INDENT = "    "
ROLE_ORDER = tuple(style.ROLE_SYMBOLS)
"""Channels are listed by role (primary first), then in the order the touchpoint gives."""
GAP_PAIRS_SHOWN = 2
GIVE_UP_SHOWN = 3
"""How many touchpoints get the give-up mark: those where most customers abandon."""

# Journey diagrams: Mermaid's lexer tries its rules in order, case-insensitively, so a task
# named "Journey planner" or "Section 8 form" would be read as a keyword. A zero-width space
# in front (not whitespace to the lexer, invisible when drawn) makes it a task name again.
_JOURNEY_KEYWORD = re.compile(
    r"(?:journey(?![A-Za-z0-9_])|title\s|section\s|acctitle\s*:|accdescr\s*[:{])", re.IGNORECASE
)
_ZERO_WIDTH_SPACE = "\u200b"

# Flowchart labels: Mermaid decodes entities written '#name;' or '#123;' in quoted text.
_ENTITIES = {
    '"': "#quot;",
    "#": "#35;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "`": "#96;",
    "%": "#37;",
}
_SPECIAL = re.compile("[" + re.escape("".join(_ENTITIES)) + "]")
_TIGHT_COLON = re.compile(r":(?!\s)")
"""A colon before a non-space; Mermaid trims ';' after 'style...:...#' anywhere in a line."""


def journey_diagram(journey: Journey) -> str:
    """The journey as a Mermaid user-journey chart: a section per stage, a task per touchpoint.

    Scores (1-5) follow the customer's emotion, so the chart draws how they feel throughout.
    """
    lines = ["journey", f"{INDENT}title {_journey_text(journey.label, journey.id)}"]
    for stage in journey.stages:
        members = [tp for tp in journey.touchpoints if tp.stage == stage.id]
        if members:
            lines.append(f"{INDENT}section {_journey_text(stage.label, stage.id)}")
            lines.extend(INDENT * 2 + _task(journey, tp) for tp in members)
    return "\n".join(lines) + "\n"


def flowchart(
    journey: Journey, figures: Figures | None = None, *, locale: str | None = None
) -> str:
    """The customer flow as a Mermaid flowchart: touchpoints by stage, successors and retries.

    Failure demand and context-losing channel switches stand out by shape, line and mark;
    ``figures`` (from ``journeymap.analyze``) adds failure contacts, give-ups and heat shading.
    Texts are in ``locale``, by default the journey's own.
    """
    texts = catalog(locale or journey.locale)
    if figures is not None and figures.journey != journey.id:
        raise ValueError(f"the figures are for journey '{figures.journey}', not '{journey.id}'")
    ids = {tp.id: f"t{index}" for index, tp in enumerate(journey.touchpoints)}
    lines = [
        "flowchart LR",
        f"{INDENT}accTitle: {_plain(journey.label)}",
        f"{INDENT}accDescr: {_plain(texts.text('mermaid.description'))}",
    ]
    lines += _stages(journey, ids, figures, texts)
    edges = list(_edges(journey, ids, texts))
    lines += [INDENT + edge for edge, _ in edges]
    lines += _marks(journey, ids, [index for index, (_, gap) in enumerate(edges) if gap])
    if figures is not None:
        lines += _heat(journey, ids, figures)
    lines += _legend(figures, texts, any(ch.kind == "outbound" for ch in journey.channels.values()))
    return "\n".join(lines) + "\n"


# Journey diagram


def _score(emotion: int | None) -> int:
    """Emotion -3 .. 3 as Mermaid's score 1 .. 5, rounding half up; no emotion is neutral."""
    if emotion is None:
        return 3
    return math.floor(3 + emotion * 2 / 3 + 0.5)


def _task(journey: Journey, tp: Touchpoint) -> str:
    """One task line: ``Title: score: Actor, Actor``; failure demand is marked before it."""
    name = _journey_text(tp.label, tp.id)
    if tp.demand == "failure":
        name = f"{style.FAILURE_MARK} {name}"
    if _JOURNEY_KEYWORD.match(name):
        name = _ZERO_WIDTH_SPACE + name
    actors = [
        _journey_text(journey.channels[cid].title or cid, cid, drop="#;,")
        for cid in _channels_by_role(tp)
    ]
    task = f"{name}: {_score(tp.emotion)}"
    return f"{task}: {', '.join(actors)}" if actors else task


def _journey_text(text: str, fallback: str, drop: str = "#;") -> str:
    """Text made safe as a journey title, section, task or actor: one line, no ``:#;``.

    A colon becomes a dash; '#' and ';' (and ',' in actors) are dropped; runs of '%' are
    single and none leads, so no comment or directive starts.
    """
    text = re.sub(r"\s*:(?=\s)", " -", _one_line(text)).replace(":", "-")
    text = re.sub(f"[{re.escape(drop)}]", "", text)
    text = re.sub("%+", "%", text).lstrip("% ")
    return _one_line(text) or fallback


def _channels_by_role(tp: Touchpoint) -> list[str]:
    """The touchpoint's channel ids, primary first, then by role, each role in file order."""
    return sorted(tp.channels, key=lambda cid: ROLE_ORDER.index(tp.channels[cid].role))


# Flowchart: nodes


def _stages(
    journey: Journey, ids: dict[str, str], figures: Figures | None, texts: Catalog
) -> list[str]:
    """A subgraph per stage that has touchpoints, holding their nodes in file order."""
    extra = _figure_lines(journey, figures, texts) if figures is not None else {}
    lines = []
    for index, stage in enumerate(journey.stages):
        members = [tp for tp in journey.touchpoints if tp.stage == stage.id]
        if not members:
            continue
        lines.append(f'{INDENT}subgraph s{index}["{_label([stage.label])}"]')
        lines += [
            INDENT * 2 + _node(journey, tp, ids[tp.id], extra.get(tp.id, []), texts)
            for tp in members
        ]
        lines.append(f"{INDENT}end")
    return lines


def _node(journey: Journey, tp: Touchpoint, node: str, extra: list[str], texts: Catalog) -> str:
    """A node: title, channels with role symbols, figures; failure demand as a hexagon."""
    lines = [tp.label]
    lines += [
        f"{style.channel_mark(journey.channels[cid].kind, tp.channels[cid].role)} "
        f"{journey.channels[cid].title or cid}"
        for cid in _channels_by_role(tp)
    ]
    lines += extra
    if tp.demand == "failure":
        what = texts.text("diagram.failure-demand-short")
        mark = f"{what}: {texts.label('causes', tp.cause)}" if tp.cause else what
        return f'{node}{{{{"{_label([f"{style.FAILURE_MARK} {mark}", *lines])}"}}}}'
    return f'{node}["{_label(lines)}"]'


def _figure_lines(journey: Journey, figures: Figures, texts: Catalog) -> dict[str, list[str]]:
    """Per touchpoint, the heat overlay's lines: failure contacts, and give-ups where most."""
    numbers = figures.touchpoints
    lines = {
        tp.id: [
            texts.text(
                "diagram.failure-per-1000",
                count=_per_thousand(numbers[tp.id].failure_contacts, texts),
            )
        ]
        for tp in journey.touchpoints
    }
    for tid, tp_figures in numbers.items():
        if tp_figures.messages > 0:
            count = _per_thousand(tp_figures.messages, texts)
            lines[tid].append(
                texts.text("diagram.messages-per-1000", mark=style.MESSAGE_MARK, count=count)
            )
    for tid, abandoned, _ in figures.worst_steps(GIVE_UP_SHOWN):
        given_up = texts.text("diagram.gives-up-per-1000", count=_per_thousand(abandoned, texts))
        lines[tid].append(f"{style.GIVE_UP_MARK} {given_up}")
    return lines


# Flowchart: edges


def _edges(journey: Journey, ids: dict[str, str], texts: Catalog) -> Iterator[tuple[str, bool]]:
    """Every edge in order, each with whether it is a channel-switch gap."""
    start = _escape(texts.text("diagram.start"))
    yield f'start(("{start}")) --> {ids[journey.entry]}', False
    gaps = behaviour.likely_gaps(journey)
    for tp in journey.touchpoints:
        node = ids[tp.id]
        for step, (target, chance) in enumerate(tp.successors()):
            pairs = gaps.get((tp.id, step), [])
            text = " ".join(part for part in (_percent(chance, texts), _cut(pairs)) if part)
            arrow = "==>" if pairs else "-->"
            label = f"|{text}|" if text else ""
            yield f"{node} {arrow}{label} {ids[target]}", bool(pairs)
        retry = behaviour.retry_rate(journey, tp)
        if retry > 0:
            label = _escape(texts.text("diagram.retry", retry=_percent(retry, texts)))
            yield f"{node} -.->|{label}| {node}", False
        if tp.is_end:
            yield f'{node} --> done((("{_escape(texts.text("diagram.done"))}")))', False


def _cut(pairs: list[tuple[str, str]]) -> str:
    """The gap mark and the first channel pairs, ``✂ web→sms, app→sms``; ``…`` for the rest."""
    if not pairs:
        return ""
    shown = [f"{source}→{target}" for source, target in pairs[:GAP_PAIRS_SHOWN]]
    if len(pairs) > GAP_PAIRS_SHOWN:
        shown.append("…")
    return f"{style.GAP_MARK} {', '.join(shown)}"


# Flowchart: classes, colours, legend


def _marks(journey: Journey, ids: dict[str, str], gap_edges: list[int]) -> list[str]:
    """The failure-demand class (dashed, vermilion) and the gap edges' colour (blue)."""
    failures = [ids[tp.id] for tp in journey.touchpoints if tp.demand == "failure"]
    lines = []
    if failures:
        lines += [
            f"{INDENT}classDef failure fill:{style.FAILURE_FILL},stroke:{style.FAILURE_INK},"
            f"stroke-width:2px,stroke-dasharray:6 3,color:{style.INK}",
            f"{INDENT}class {','.join(failures)} failure",
        ]
    if gap_edges:
        lines.append(
            f"{INDENT}linkStyle {','.join(map(str, gap_edges))} "
            f"stroke:{style.GAP_INK},stroke-width:3px,color:{style.GAP_INK}"
        )
    return lines


def _heat(journey: Journey, ids: dict[str, str], figures: Figures) -> list[str]:
    """A fill per node from the heat scale of failure contacts, with ink that reads on it."""
    highest = _highest(figures)
    return [
        f"{INDENT}style {ids[tp.id]} "
        + _fill(style.heat_colour(figures.touchpoints[tp.id].failure_contacts, highest))
        for tp in journey.touchpoints
    ]


def _legend(figures: Figures | None, texts: Catalog, messages: bool = False) -> list[str]:
    """A legend subgraph: the role, message, failure, gap and give-up marks, and the heat scale."""
    marks = [
        *(f"{style.ROLE_SYMBOLS[role]} {texts.label('roles', role)}" for role in ROLE_ORDER),
        *([f"{style.MESSAGE_MARK} {texts.text('diagram.message')}"] if messages else []),
        f"{style.FAILURE_MARK} {texts.text('mermaid.legend-failure')}",
        f"{style.GAP_MARK} {texts.text('mermaid.legend-gap')}",
        texts.text("mermaid.legend-retry"),
    ]
    if figures is not None:
        marks.append(f"{style.GIVE_UP_MARK} {texts.text('diagram.legend-give-up')}")
    lines = [
        f'{INDENT}subgraph legend["{_label([texts.text("diagram.legend")])}"]',
        f"{INDENT * 2}direction LR",
        f'{INDENT * 2}legend_marks["{_label(marks)}"]',
    ]
    if figures is not None:
        lines += _heat_scale(_highest(figures), texts)
    lines.append(f"{INDENT}end")
    return lines


def _heat_scale(highest: float, texts: Catalog) -> list[str]:
    """Swatches of the heat scale, each labelled with the failure contacts it stands for."""
    steps = len(style.HEAT) - 1
    bounds = ["0"] + [
        texts.text("mermaid.up-to", count=_per_thousand(highest * k / steps, texts))
        for k in range(1, steps + 1)
    ]
    if highest <= 0:
        bounds = bounds[:1]
    title = _label([texts.text("lanes.heat")])
    lines = [f'{INDENT * 2}subgraph legend_heat["{title}"]']
    lines += [f'{INDENT * 3}heat{k}["{_label([bound])}"]' for k, bound in enumerate(bounds)]
    lines += [f"{INDENT * 3}heat{k} ~~~ heat{k + 1}" for k in range(len(bounds) - 1)]
    lines.append(f"{INDENT * 2}end")
    lines += [
        f"{INDENT * 2}style heat{k} {_fill(colour)}"
        for k, colour in enumerate(style.HEAT[: len(bounds)])
    ]
    return lines


def _highest(figures: Figures) -> float:
    """The most failure contacts at one touchpoint: the darkest step of the heat scale."""
    return max((tp.failure_contacts for tp in figures.touchpoints.values()), default=0.0)


def _fill(colour: str) -> str:
    """Style for a node filled with ``colour``: light ink on the dark steps, dark otherwise."""
    ink = style.HEAT[0] if colour in style.HEAT[3:] else style.INK
    return f"fill:{colour},color:{ink}"


# Text


def _label(texts: Iterable[str]) -> str:
    """Texts as one quoted flowchart label's content: escaped, joined by line breaks."""
    return "<br/>".join(_escape(text) for text in texts)


def _escape(text: str) -> str:
    """Text made literal in a quoted flowchart label: quotes, markup, '#' and '%' as entities.

    Entities keep '#quot;' or '<b>' in a title from being read as markup, and a colon stays
    plain only before a space, so Mermaid's 'style:...#...;' clean-up never cuts a label.
    """
    text = _SPECIAL.sub(lambda m: _ENTITIES[m.group()], _one_line(text))
    return _TIGHT_COLON.sub("#58;", text)


def _plain(text: str) -> str:
    """Text for an accessibility line: one line, no directive ('%%') and no entity ('#x;')."""
    return re.sub(r"#(?=\w+;)", "# ", re.sub("%+", "%", _one_line(text)))


def _one_line(text: str) -> str:
    """Text on one line, runs of whitespace (line breaks too) as single spaces."""
    return " ".join(text.split())


def _percent(chance: float | None, texts: Catalog) -> str:
    """A chance as a whole percentage; '<1%' and '>99%' where rounding would mislead."""
    if chance is None:
        return ""
    if 0 < chance < 0.005:
        return "<" + texts.percent(0.01, 0)
    if 0.995 <= chance < 1:
        return ">" + texts.percent(0.99, 0)
    return texts.percent(math.floor(chance * 100 + 0.5) / 100, 0)


def _per_thousand(share: float, texts: Catalog) -> str:
    """A per-customer figure per 1,000 customers, whole; '<1' where it is small but not 0."""
    count = round(share * 1000)
    return "<1" if count == 0 and share > 0 else texts.number(count)

"""The service blueprint as Graphviz DOT: stages over touchpoint columns, lanes as rows.

The blueprint is one HTML-like table, so Graphviz sizes every cell to its (wrapped) text:
nothing overlaps or is cut, however many touchpoints there are. Rows from the top:
stages, touchpoints (title, research status, owner, failure demand), channels with their
roles, emotion, then the classic lanes - physical evidence, customer actions, line of
interaction, frontstage, line of visibility, backstage, line of internal interaction,
support processes - then pain points and opportunities, and with figures the heat rows.
"""

from __future__ import annotations

import html
import operator
import re
from collections.abc import Callable

from journeymap.flow import Figures
from journeymap.locales.messages import Catalog, catalog
from journeymap.model import Journey, Role, Touchpoint
from journeymap.render import style
from journeymap.render.graphviz import draw
from journeymap.render.paper import NO_PAD, fitted, printable
from journeymap.render.text import escape, lines_html, paragraph_html, wrap

LANES = ("evidence", "customer", "frontstage", "backstage", "support")
"""The classic blueprint lanes, top to bottom; each is a touchpoint field of the same name."""
LINES = {"frontstage": "interaction", "backstage": "visibility", "support": "internal"}
"""The line drawn above each of these lanes."""
HEAD = ("title", "stage", "touchpoint")
"""The rows that start the blueprint; the last two are repeated on every further sheet."""
PRINTED_SIZE = 11
"""Body text in points on paper: the blueprint is printed at its own size or larger."""


def columns(journey: Journey) -> list[Touchpoint]:
    """Touchpoints in stage order, and in file order within a stage."""
    order = {stage.id: i for i, stage in enumerate(journey.stages)}
    return sorted(journey.touchpoints, key=lambda tp: order[tp.stage])


def blueprint_dot(
    journey: Journey,
    figures: Figures | None = None,
    *,
    paper: str | None = None,
    portrait: bool = False,
    locale: str | None = None,
) -> str:
    """The blueprint of ``journey`` as DOT; ``figures`` (from ``analyze``) adds the heat rows.

    Texts are in ``locale``, by default the journey's own. With ``paper`` the whole
    blueprint is scaled to the sheet, however small its text gets: ``blueprint_pages``
    splits it instead.
    """
    table = _Table(journey, columns(journey), figures, catalog(locale or journey.locale))
    if paper is None:
        return _graph(table.html(), 'pad="0.2" ')
    table.printed = True
    return fitted(lambda page: _graph(table.html(), page), paper, portrait=portrait)


def blueprint_pages(
    journey: Journey,
    figures: Figures | None = None,
    *,
    paper: str,
    portrait: bool = False,
    locale: str | None = None,
) -> list[str]:
    """The blueprint as one DOT text per sheet of ``paper``, none printed below 9 pt.

    Stages that do not fit one sheet go on the next, the lane headers repeated; lanes that
    do not fit go on a further sheet under the stage and touchpoint rows again.
    """
    texts = catalog(locale or journey.locale)
    whole = _Table(journey, columns(journey), figures, texts, printed=True)
    svg = draw(_graph(whole.html(), NO_PAD), "svg").data.decode("utf-8")
    width, height = printable(paper, portrait=portrait)
    groups = _column_groups(journey, whole.tps, _cell_boxes(svg, "a_tp-"), svg, width)
    bands = _bands(whole.units(), _cell_boxes(svg, "a_lane-"), svg, height)
    pages: list[str] = []
    for group in groups:
        for band in bands:
            table = _Table(journey, group, figures, texts, printed=True)
            table.number = (len(pages) + 1, len(groups) * len(bands))
            pages.append(fitted(_maker(table.html(band)), paper, portrait=portrait))
    return pages


def _maker(html: str) -> Callable[[str], str]:
    return lambda page: _graph(html, page)


def _graph(html: str, page: str) -> str:
    return (
        "digraph blueprint {\n"
        f'  graph [fontname="{style.FONT}" bgcolor="white" {page}];\n'
        f'  node [shape=plaintext fontname="{style.FONT}" fontcolor="{style.INK}"];\n'
        f"  blueprint [label=<{html}>];\n"
        "}\n"
    )


Box = tuple[float, float, float, float]


def _cell_boxes(svg: str, prefix: str) -> dict[str, Box]:
    """The box of each linked table cell whose id starts with ``prefix``, in SVG points."""
    boxes: dict[str, Box] = {}
    for escaped, points in re.findall(r'<g id="([^"]*)".*?points="([^"]+)"', svg, re.DOTALL):
        ident = html.unescape(escaped)
        if not ident.startswith(prefix):
            continue
        numbers = [float(n) for n in re.findall(r"-?\d+\.?\d*", points)]
        xs, ys = numbers[0::2], numbers[1::2]
        boxes[ident[len(prefix) :]] = (min(xs), min(ys), max(xs), max(ys))
    return boxes


def _column_groups(
    journey: Journey, tps: list[Touchpoint], boxes: dict[str, Box], svg: str, room: float
) -> list[list[Touchpoint]]:
    """Touchpoints in groups as wide as ``room``: whole stages where they fit."""
    label = min((box[0] for box in boxes.values()), default=0.0)
    room -= label + 8
    groups: list[list[Touchpoint]] = [[]]
    used = 0.0
    for stage in journey.stages:
        members = [tp for tp in tps if tp.stage == stage.id]
        wide = sum(boxes[tp.id][2] - boxes[tp.id][0] for tp in members if tp.id in boxes)
        if groups[-1] and used + wide > room:
            groups.append([])
            used = 0.0
        for tp in members:
            cell = boxes[tp.id][2] - boxes[tp.id][0] if tp.id in boxes else 0.0
            if groups[-1] and used + cell > room:
                groups.append([])
                used = 0.0
            groups[-1].append(tp)
            used += cell
    return [group for group in groups if group]


def _bands(units: list[str], boxes: dict[str, Box], svg: str, room: float) -> list[list[str]]:
    """The table's rows in bands as tall as ``room``, the stage and touchpoint rows repeated."""
    total = measure_height(svg)
    bottoms = {key: box[3] + total for key, box in boxes.items()}
    tops = {key: box[1] + total for key, box in boxes.items()}
    heights: dict[str, float] = {}
    previous = 0.0
    for key in units:
        bottom = bottoms.get(key, tops.get("stage", 0.0) if key == "title" else None)
        if bottom is None:
            continue
        heights[key] = bottom - previous
        previous = bottom
    heights["legend"] = max(total - previous, 0.0)
    head = heights.get("stage", 0.0) + heights.get("touchpoint", 0.0)
    bands: list[list[str]] = [[]]
    used = 0.0
    for key in units:
        tall = heights.get(key, 0.0)
        if bands[-1] and used + tall > room - 8 and key not in HEAD:
            bands.append([])
            used = head
        bands[-1].append(key)
        used += tall
    return bands


def measure_height(svg: str) -> float:
    """The drawing's height in points, from its SVG."""
    found = re.search(r'viewBox="[-\d.]+ [-\d.]+ [-\d.]+ ([-\d.]+)"', svg)
    return float(found.group(1)) if found else 0.0


class _Table:
    """Builds the blueprint's rows."""

    def __init__(
        self,
        journey: Journey,
        tps: list[Touchpoint],
        figures: Figures | None,
        texts: Catalog,
        *,
        printed: bool = False,
    ) -> None:
        self.texts = texts
        self.journey = journey
        self.lang = journey.locale
        self.tps = tps
        self.figures = figures
        self.span = len(tps) + 1
        self.printed = printed
        self.number = (1, 1)
        """This sheet's number and the number of sheets, shown on paper when more than one."""

    def units(self) -> list[str]:
        """The keys of the table's rows, top to bottom; a line goes with the lane below it."""
        keys = [*HEAD, "channels", "emotion", *LANES, "pain-points", "opportunities"]
        if self.figures is not None:
            keys += ["heat", "gives-up"] + (["messages"] if self.figures.has_messages else [])
            keys.append("legend")
        return keys

    def html(self, units: list[str] | None = None) -> str:
        """The table, or only the rows in ``units`` (under the stage and touchpoint rows)."""
        keys = self.units() if units is None else units
        if "title" not in keys:
            keys = ["title", "stage", "touchpoint", *[k for k in keys if k not in HEAD]]
        rows = [self._row(key) for key in keys]
        table = (
            '<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="6" '
            f'COLOR="{style.LINE}">' + "".join(rows) + "</TABLE>"
        )
        return f'<FONT POINT-SIZE="{PRINTED_SIZE}">{table}</FONT>' if self.printed else table

    def _row(self, key: str) -> str:
        simple: dict[str, Callable[[], str]] = {
            "title": self._title,
            "stage": self._stages,
            "touchpoint": self._headers,
            "channels": self._channels,
            "emotion": self._emotions,
            "pain-points": lambda: self._lane("pain-points", lambda tp: tp.pain_points, "• "),
            "opportunities": lambda: self._lane("opportunities", lambda tp: tp.opportunities, "+ "),
        }
        if key in simple:
            return simple[key]()
        if key in LANES:
            line = self._line(self.texts.text(f"lines.{LINES[key]}")) if key in LINES else ""
            return line + self._lane(key, operator.attrgetter(key))
        assert self.figures is not None
        return self._heat(self.figures)[key]

    def _title(self) -> str:
        journey = self.journey
        sheet, sheets = self.number
        label = journey.label + (f" ({sheet}/{sheets})" if sheets > 1 else "")
        text = f'<B><FONT POINT-SIZE="20">{escape(label)}</FONT></B><BR ALIGN="LEFT"/>'
        width = 120 if not self.printed else max(40, min(120, 22 * len(self.tps)))
        if journey.description and sheet == 1:
            text += lines_html(wrap(journey.description, width, self.lang))
        key = escape(_key_line(self.texts))
        if self.printed:  # on paper the key wraps to the sheet's columns
            key = lines_html(wrap(_key_line(self.texts), int(width * 1.3), self.texts.code))
        text += f'<FONT POINT-SIZE="10" COLOR="{style.MUTED}">{key}</FONT>'
        return (
            f'<TR><TD COLSPAN="{self.span}" BORDER="0" ALIGN="LEFT" BALIGN="LEFT">{text}</TD></TR>'
        )

    def _stages(self) -> str:
        cells = [self._label("stage")]
        for stage in self.journey.stages:
            count = sum(tp.stage == stage.id for tp in self.tps)
            if count:
                cells.append(
                    f'<TD COLSPAN="{count}" BGCOLOR="{style.STAGE}" '
                    f"{_anchor('stage-' + stage.id, stage.label)}><B>{escape(stage.label)}</B></TD>"
                )
        return "<TR>" + "".join(cells) + "</TR>"

    def _headers(self) -> str:
        cells = [self._label("touchpoint")]
        for tp in self.tps:
            cells.append(_header(tp, self.texts, self.lang))
        return "<TR>" + "".join(cells) + "</TR>"

    def _channels(self) -> str:
        cells = [self._label("channels")]
        for tp in self.tps:
            lines = []
            for cid, use in sorted(tp.channels.items(), key=lambda item: _role_order(item[1].role)):
                channel = self.journey.channels[cid]
                lines.append(f"{style.channel_mark(channel.kind, use.role)} {channel.title or cid}")
            fill = f' BGCOLOR="{style.FAILURE_FILL}"' if tp.demand == "failure" else ""
            cells.append(
                f'<TD ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP"{fill}>'
                f"{paragraph_html(lines, locale=self.lang) or ' '}</TD>"
            )
        return "<TR>" + "".join(cells) + "</TR>"

    def _emotions(self) -> str:
        cells = [self._label("emotion")]
        for tp in self.tps:
            bar = style.emotion_bar(tp.emotion)
            cells.append(f"<TD>{escape(bar) or ' '}</TD>")
        return "<TR>" + "".join(cells) + "</TR>"

    def _lane(self, key: str, texts: Callable[[Touchpoint], list[str]], bullet: str = "") -> str:
        cells = [self._label(key)]
        for tp in self.tps:
            content = paragraph_html(texts(tp), bullet=bullet, locale=self.lang)
            cells.append(f'<TD ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP">{content or " "}</TD>')
        return "<TR>" + "".join(cells) + "</TR>"

    def _line(self, name: str) -> str:
        return (
            f'<TR><TD COLSPAN="{self.span}" BORDER="1" SIDES="T" STYLE="dashed" '
            f'CELLPADDING="2" ALIGN="LEFT"><FONT POINT-SIZE="10" COLOR="{style.MUTED}">'
            f"<I>{escape(name)}</I></FONT></TD></TR>"
        )

    def _heat(self, figures: Figures) -> dict[str, str]:
        values = {tp.id: figures.touchpoints[tp.id].failure_contacts for tp in self.tps}
        highest = max(values.values(), default=0.0)
        number = self.texts.number
        heat = [self._label("heat")]
        for tp in self.tps:
            value = values[tp.id]
            shade = style.heat_colour(value, highest)
            ink = style.heat_ink(shade)
            heat.append(
                f'<TD BGCOLOR="{shade}"><FONT COLOR="{ink}">'
                f"<B>{number(value * 1000)}</B></FONT></TD>"
            )
        worst = {key: cause for key, _, cause in figures.worst_steps(3)}
        quits = [self._label("gives-up")]
        for tp in self.tps:
            abandoned = number(figures.touchpoints[tp.id].abandoned * 1000)
            if tp.id in worst:
                cause = worst[tp.id]
                why = (
                    "<BR/>"
                    + lines_html(
                        wrap(self.texts.label("causes", cause), locale=self.texts.code), "CENTER"
                    )
                    if cause
                    else ""
                )
                quits.append(f"<TD><B>{style.GIVE_UP_MARK} {abandoned}</B>{why}</TD>")
            else:
                quits.append(f"<TD>{abandoned}</TD>")
        rows = {
            "heat": "<TR>" + "".join(heat) + "</TR>",
            "gives-up": "<TR>" + "".join(quits) + "</TR>",
            "legend": self._legend(figures, highest),
        }
        if figures.has_messages:
            rows["messages"] = self._messages(figures)
        return rows

    def _messages(self, figures: Figures) -> str:
        """The messages the service sends at each step: its moves, apart from the demand."""
        cells = [self._label("messages")]
        for tp in self.tps:
            sent = figures.touchpoints[tp.id].messages
            shown = f"{style.MESSAGE_MARK} {self.texts.number(sent * 1000)}" if sent > 0 else " "
            cells.append(f"<TD>{escape(shown)}</TD>")
        return "<TR>" + "".join(cells) + "</TR>"

    def _legend(self, figures: Figures, highest: float) -> str:
        steps = "".join(f'<TD BGCOLOR="{colour}" WIDTH="28"> </TD>' for colour in style.HEAT)
        number = self.texts.number
        gaps = "; ".join(
            f"{g.source}→{g.target} {number(g.count * 1000)}" for g in figures.gaps[:3]
        )
        text = self.texts.text(
            "diagram.heat-legend",
            highest=number(highest * 1000),
            give_up=style.GIVE_UP_MARK,
            gap=style.GAP_MARK,
            gaps=gaps or self.texts.text("diagram.none"),
        )
        scale = f'<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0"><TR>{steps}</TR></TABLE>'
        explain = lines_html(
            wrap(text, 110 if not self.printed else max(40, 22 * len(self.tps)), self.texts.code)
        )
        if self.span == 2:
            return f'<TR><TD BORDER="0">{scale}</TD><TD BORDER="0" ALIGN="LEFT">{explain}</TD></TR>'
        return (
            f'<TR><TD BORDER="0" {_anchor("legend", "legend")}>{scale}</TD>'
            f'<TD COLSPAN="{self.span - 1}" BORDER="0" ALIGN="LEFT" BALIGN="LEFT">'
            f"{explain}</TD></TR>"
        )

    def _label(self, key: str) -> str:
        return _label(key, self.texts.text(f"lanes.{key}"), self.texts.code)


def _label(key: str, text: str, locale: str) -> str:
    return (
        f'<TD BGCOLOR="{style.LANE_LABEL}" ALIGN="LEFT" {_anchor("lane-" + key, text)}>'
        f"<B>{lines_html(wrap(text, 18, locale))}</B></TD>"
    )


def _header(tp: Touchpoint, texts: Catalog, lang: str) -> str:
    lines = [f"<B>{lines_html(wrap(tp.label, locale=lang))}</B>"]
    lines.append(
        f'<FONT POINT-SIZE="9" COLOR="{style.MUTED}">{escape(tp.id)}</FONT><BR ALIGN="LEFT"/>'
    )
    if tp.status is not None:
        status = escape(texts.label("status", tp.status))
        lines.append(f'{style.STATUS_SYMBOLS[tp.status]} {status}<BR ALIGN="LEFT"/>')
    if tp.owner is not None:
        lines.append(lines_html(wrap(texts.text("diagram.owner", owner=tp.owner), locale=lang)))
    extra = ""
    if tp.demand == "failure":
        lines.append(
            f'<FONT COLOR="{style.FAILURE_INK}"><B>{style.FAILURE_MARK} '
            f"{escape(texts.text('diagram.failure-demand'))}"
            f'</B></FONT><BR ALIGN="LEFT"/>'
        )
        if tp.cause:
            cause = texts.label("causes", tp.cause)
            lines.append(lines_html(wrap(texts.text("diagram.cause", cause=cause), locale=lang)))
        extra = f' BGCOLOR="{style.FAILURE_FILL}" BORDER="3" COLOR="{style.FAILURE_INK}"'
    anchor = _anchor(f"tp-{tp.id}", f"{tp.label} ({tp.id})")
    return f'<TD {anchor} ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP"{extra}>{"".join(lines)}</TD>'


def _anchor(ident: str, tooltip: str) -> str:
    """Cell attributes that name it in SVG (Graphviz keeps the id of linked cells only)."""
    ident = escape(ident)
    return f'ID="{ident}" HREF="#{ident}" TOOLTIP="{escape(tooltip)}"'


def _role_order(role: Role) -> int:
    return list(style.ROLE_SYMBOLS).index(role)


def _key_line(texts: Catalog) -> str:
    roles = "  ".join(
        f"{symbol} {texts.label('roles', role)}" for role, symbol in style.ROLE_SYMBOLS.items()
    )
    status = "  ".join(
        f"{symbol} {texts.label('status', name)}" for name, symbol in style.STATUS_SYMBOLS.items()
    )
    bars = f"{style.emotion_bar(-3)} … {style.emotion_bar(3)}"
    roles += f"  {style.MESSAGE_MARK} {texts.text('diagram.message')}"
    return (
        f"{texts.text('diagram.key-channels')}: {roles}    "
        f"{texts.text('diagram.key-research')}: {status}    "
        f"{style.FAILURE_MARK} {texts.text('diagram.failure-demand-short')}    "
        f"{texts.text('diagram.key-emotion')}: {bars}"
    )

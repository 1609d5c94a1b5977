"""The service blueprint as Graphviz DOT: stages over touchpoint columns, lanes as rows.

The blueprint is one HTML-like table, so Graphviz sizes every cell to its (wrapped) text:
nothing overlaps or is cut, however many touchpoints there are. Rows from the top:
stages, touchpoints (title, research status, owner, failure demand), channels with their
roles, emotion, then the classic lanes - physical evidence, customer actions, line of
interaction, frontstage, line of visibility, backstage, line of internal interaction,
support processes - then pain points and opportunities, and with figures the heat rows.
"""

from __future__ import annotations

import operator
from collections.abc import Callable

from journeymap.flow import Figures
from journeymap.locales.messages import Catalog, catalog
from journeymap.model import Journey, Role, Touchpoint
from journeymap.render import style
from journeymap.render.paper import size_attributes
from journeymap.render.text import escape, lines_html, paragraph_html, wrap

LANES = ("evidence", "customer", "frontstage", "backstage", "support")
"""The classic blueprint lanes, top to bottom; each is a touchpoint field of the same name."""
LINES = {"frontstage": "interaction", "backstage": "visibility", "support": "internal"}
"""The line drawn above each of these lanes."""


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

    Texts are in ``locale``, by default the journey's own.
    """
    table = _Table(journey, columns(journey), figures, catalog(locale or journey.locale))
    return (
        "digraph blueprint {\n"
        f'  graph [fontname="{style.FONT}" bgcolor="white" pad="0.2" '
        f"{size_attributes(paper, portrait=portrait)}];\n"
        f'  node [shape=plaintext fontname="{style.FONT}" fontcolor="{style.INK}"];\n'
        f"  blueprint [label=<{table.html()}>];\n"
        "}\n"
    )


class _Table:
    """Builds the blueprint's rows."""

    def __init__(
        self, journey: Journey, tps: list[Touchpoint], figures: Figures | None, texts: Catalog
    ) -> None:
        self.texts = texts
        self.journey = journey
        self.tps = tps
        self.figures = figures
        self.span = len(tps) + 1

    def html(self) -> str:
        rows = [self._title(), self._stages(), self._headers(), self._channels(), self._emotions()]
        for key in LANES:
            if key in LINES:
                rows.append(self._line(self.texts.text(f"lines.{LINES[key]}")))
            rows.append(self._lane(key, operator.attrgetter(key)))
        rows.append(self._lane("pain-points", lambda tp: tp.pain_points, "• "))
        rows.append(self._lane("opportunities", lambda tp: tp.opportunities, "+ "))
        if self.figures is not None:
            rows.extend(self._heat(self.figures))
        return (
            '<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="6" '
            f'COLOR="{style.LINE}">' + "".join(rows) + "</TABLE>"
        )

    def _title(self) -> str:
        journey = self.journey
        text = f'<B><FONT POINT-SIZE="20">{escape(journey.label)}</FONT></B><BR ALIGN="LEFT"/>'
        if journey.description:
            text += lines_html(wrap(journey.description, 120))
        text += (
            f'<FONT POINT-SIZE="10" COLOR="{style.MUTED}">{escape(_key_line(self.texts))}</FONT>'
        )
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
            cells.append(_header(tp, self.texts))
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
                f"{paragraph_html(lines) or ' '}</TD>"
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
            content = paragraph_html(texts(tp), bullet=bullet)
            cells.append(f'<TD ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP">{content or " "}</TD>')
        return "<TR>" + "".join(cells) + "</TR>"

    def _line(self, name: str) -> str:
        return (
            f'<TR><TD COLSPAN="{self.span}" BORDER="1" SIDES="T" STYLE="dashed" '
            f'CELLPADDING="2" ALIGN="LEFT"><FONT POINT-SIZE="10" COLOR="{style.MUTED}">'
            f"<I>{escape(name)}</I></FONT></TD></TR>"
        )

    def _heat(self, figures: Figures) -> list[str]:
        values = {tp.id: figures.touchpoints[tp.id].failure_contacts for tp in self.tps}
        highest = max(values.values(), default=0.0)
        number = self.texts.number
        heat = [self._label("heat")]
        for tp in self.tps:
            value = values[tp.id]
            shade = style.heat_colour(value, highest)
            ink = "white" if shade in style.HEAT[3:] else style.INK
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
                    "<BR/>" + lines_html(wrap(self.texts.label("causes", cause)), "CENTER")
                    if cause
                    else ""
                )
                quits.append(f"<TD><B>{style.GIVE_UP_MARK} {abandoned}</B>{why}</TD>")
            else:
                quits.append(f"<TD>{abandoned}</TD>")
        rows = ["<TR>" + "".join(heat) + "</TR>", "<TR>" + "".join(quits) + "</TR>"]
        if figures.has_messages:
            rows.append(self._messages(figures))
        return [*rows, self._legend(figures, highest)]

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
        explain = lines_html(wrap(text, 110))
        if self.span == 2:
            return f'<TR><TD BORDER="0">{scale}</TD><TD BORDER="0" ALIGN="LEFT">{explain}</TD></TR>'
        return (
            f'<TR><TD BORDER="0" {_anchor("legend", "legend")}>{scale}</TD>'
            f'<TD COLSPAN="{self.span - 1}" BORDER="0" ALIGN="LEFT" BALIGN="LEFT">'
            f"{explain}</TD></TR>"
        )

    def _label(self, key: str) -> str:
        return _label(key, self.texts.text(f"lanes.{key}"))


def _label(key: str, text: str) -> str:
    return (
        f'<TD BGCOLOR="{style.LANE_LABEL}" ALIGN="LEFT" {_anchor("lane-" + key, text)}>'
        f"<B>{lines_html(wrap(text, 18))}</B></TD>"
    )


def _header(tp: Touchpoint, texts: Catalog) -> str:
    lines = [f"<B>{lines_html(wrap(tp.label))}</B>"]
    lines.append(
        f'<FONT POINT-SIZE="9" COLOR="{style.MUTED}">{escape(tp.id)}</FONT><BR ALIGN="LEFT"/>'
    )
    if tp.status is not None:
        status = escape(texts.label("status", tp.status))
        lines.append(f'{style.STATUS_SYMBOLS[tp.status]} {status}<BR ALIGN="LEFT"/>')
    if tp.owner is not None:
        lines.append(lines_html(wrap(texts.text("diagram.owner", owner=tp.owner))))
    extra = ""
    if tp.demand == "failure":
        lines.append(
            f'<FONT COLOR="{style.FAILURE_INK}"><B>{style.FAILURE_MARK} '
            f"{escape(texts.text('diagram.failure-demand'))}"
            f'</B></FONT><BR ALIGN="LEFT"/>'
        )
        if tp.cause:
            cause = texts.label("causes", tp.cause)
            lines.append(lines_html(wrap(texts.text("diagram.cause", cause=cause))))
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

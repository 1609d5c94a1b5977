"""Small inline SVG charts for reports: the emotion curve, ranked bars, split bars, the tornado.

They are plain SVG text, with no script and no external font or file, so a report stays
one self-contained file that prints well. Every mark has a number or word beside it, so
the charts read in grey and by colour-blind readers.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from journeymap.locales.messages import Catalog
from journeymap.render import style

FONT = f"{style.FONT}, Verdana, sans-serif"
LOW_END = "#e69f00"
"""Okabe-Ito orange: the figure with an assumption at the low end of its span."""
HIGH_END = style.GAP_INK
"""Okabe-Ito blue, darker in grey than the orange: the figure at the high end."""


@dataclass(frozen=True)
class Point:
    """One touchpoint on the emotion curve."""

    label: str
    stage: str
    emotion: int | None
    failure: bool


def emotion_curve(points: Sequence[Point], texts: Catalog) -> str:
    """How customers feel along the journey: -3 .. +3 per touchpoint, stages as bands."""
    step, top, height, left = 96, 34, 170, 48
    width = left + step * max(len(points), 1) + 24
    y_of = {e: top + (3 - e) * height / 6 for e in range(-3, 4)}
    parts = [_frame(width, top + height + 96, texts.text("report.emotion-curve"))]
    parts += [
        f'<line x1="{left}" x2="{width - 12}" y1="{y:.1f}" y2="{y:.1f}" stroke="{style.LINE}" '
        f'stroke-width="{1.2 if e == 0 else 0.4}"/>'
        f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{e:+d}</text>'
        for e, y in y_of.items()
    ]
    parts += _stage_bands(points, step, left, top, height)
    coordinates = [
        (left + step * i + step / 2, y_of[p.emotion])
        for i, p in enumerate(points)
        if p.emotion is not None
    ]
    if len(coordinates) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{style.INK}" stroke-width="2"/>'
        )
    for i, point in enumerate(points):
        x = left + step * i + step / 2
        if point.emotion is not None:
            y = y_of[point.emotion]
            parts.append(_marker(x, y, point.failure))
            parts.append(
                f'<text x="{x:.1f}" y="{y - 10:.1f}" text-anchor="middle" '
                f'font-size="11">{point.emotion:+d}</text>'
            )
        parts.append(_rotated_label(x, top + height + 14, point.label))
    return "".join(parts) + "</svg>"


def bars(
    rows: Sequence[tuple[str, float, str]], title: str, colour: str = style.FAILURE_INK
) -> str:
    """Horizontal bars, longest first as given: (label, value, the value as text)."""
    label_width, bar_width, row = 230, 330, 24
    height = 28 + row * len(rows)
    highest = max((value for _, value, _ in rows), default=0.0) or 1.0
    parts = [_frame(label_width + bar_width + 110, height, title)]
    for i, (label, value, shown) in enumerate(rows):
        y = 18 + i * row
        length = bar_width * value / highest
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 14}" text-anchor="end" font-size="12">'
            f"{escape(_short(label, 34))}</text>"
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" '
            f'fill="{colour}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 14}" font-size="12">'
            f"{escape(shown)}</text>"
        )
    return "".join(parts) + "</svg>"


VALUE_FILL = "#b8cde2"
"""Value demand: a light blue, far lighter in grey than the failure demand beside it."""


@dataclass(frozen=True)
class Split:
    """One bar of agent time: a channel, its value and failure demand, and the bar's text."""

    label: str
    value: float
    failure: float
    shown: str
    """What the bar says beside it: '55 h a week · 1.5 FTE'."""
    failure_shown: str
    """The failure part's share of the bar, written on it where it fits: '34%'."""


def split_bars(rows: Sequence[Split], title: str, legend: tuple[str, str]) -> str:
    """Horizontal bars of value demand then failure demand, on one scale, as given.

    The failure part is dark orange and its share is written on it where it fits; the
    legend under the bars names the two parts (``legend``: value, failure).
    """
    label_width, bar_width, row, text_width = 200, 330, 30, 230
    height = 28 + row * len(rows) + 34
    highest = max((r.value + r.failure for r in rows), default=0.0) or 1.0
    parts = [_frame(label_width + bar_width + text_width, height, title)]
    for i, split in enumerate(rows):
        y = 14 + i * row
        value = bar_width * split.value / highest
        failure = bar_width * split.failure / highest
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" font-size="12">'
            f"{escape(_short(split.label, 30))}</text>"
            f'<rect x="{label_width}" y="{y + 4}" width="{value:.1f}" height="{row - 10}" '
            f'fill="{VALUE_FILL}"/>'
            f'<rect x="{label_width + value:.1f}" y="{y + 4}" width="{failure:.1f}" '
            f'height="{row - 10}" fill="{style.FAILURE_INK}"/>'
        )
        if failure >= 8 * len(split.failure_shown):
            parts.append(
                f'<text x="{label_width + value + failure / 2:.1f}" y="{y + 18}" '
                f'text-anchor="middle" font-size="11" fill="white">'
                f"{escape(split.failure_shown)}</text>"
            )
        parts.append(
            f'<text x="{label_width + value + failure + 6:.1f}" y="{y + 18}" font-size="12">'
            f"{escape(split.shown)}</text>"
        )
    parts += _split_legend(legend, 28 + row * len(rows) + 14, label_width)
    return "".join(parts) + "</svg>"


def _split_legend(legend: tuple[str, str], y: float, left: float) -> list[str]:
    """The two swatches of ``split_bars``, value then failure, on one line."""
    parts = []
    for colour, text in zip((VALUE_FILL, style.FAILURE_INK), legend, strict=True):
        parts.append(
            f'<rect x="{left:.1f}" y="{y - 10:.1f}" width="22" height="12" fill="{colour}"/>'
            f'<text x="{left + 28:.1f}" y="{y:.1f}" font-size="11.5">{escape(text)}</text>'
        )
        left += 28 + 6.6 * len(text) + 30
    return parts


@dataclass(frozen=True)
class Swing:
    """One bar of the tornado: an assumption, its span, and the figure at either end of it."""

    label: str
    span: str
    """The values swung between, as text: "55–95%, range"."""
    at_low: float
    """The figure with the assumption at the low end of its span."""
    at_high: float
    at_low_text: str
    at_high_text: str
    ranged: bool
    """True for a range the file gives; False for a value moved ten points either way."""


_LABEL_RIGHT = 318
"""Where the tornado's labels end (right-aligned); the bars start some way to the right."""
_STRIPES_ID = "journeymap-tornado-stripes"
_STRIPES = (
    f'<defs><pattern id="{_STRIPES_ID}" width="7" height="7" '
    'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    '<rect width="3.5" height="7" fill="white" fill-opacity="0.6"/></pattern></defs>'
)
"""White stripes laid over a bar: a value moved ten points, not a range from the file."""


def tornado(swings: Sequence[Swing], base: float, base_text: str, texts: Catalog) -> str:
    """How far each assumption moves a figure: a bar from its value at one end to the other.

    The bars hang from the figure as written (a dashed line), widest first as given; the
    part towards the figure at the span's low end is orange, towards the high end blue; a
    range the file gives is solid, a value moved ten points either way striped.
    """
    width, left, right, top = 860, 390, 796, 38
    rows = [_label_lines(swing.label) for swing in swings]
    heights = [17 * len(lines) + 27 for lines in rows]
    bottom = top + sum(heights)
    ends = [v for s in swings for v in (s.at_low, s.at_high)] + [base]
    low, high = min(ends), max(ends)
    scale = (right - left) / (high - low) if high > low else 0.0

    def x(value: float) -> float:
        return left + (value - low) * scale

    kinds = sorted({s.ranged for s in swings}, reverse=True)
    title = texts.text("report.uncertainty.tornado")
    parts = [_frame(width, bottom + 34 + 20 * len(kinds), title), _STRIPES]
    y = float(top)
    for swing, lines, height in zip(swings, rows, heights, strict=True):
        parts.append(_swing(swing, lines, y, height, x, base))
        y += height
    parts.append(
        f'<line x1="{x(base):.1f}" x2="{x(base):.1f}" y1="{top - 8}" y2="{bottom}" '
        f'stroke="{style.INK}" stroke-width="1.5" stroke-dasharray="5 3"/>'
        f'<text x="{x(base):.1f}" y="{top - 16}" text-anchor="middle" font-size="12" '
        f'font-weight="bold">{escape(base_text)}</text>'
    )
    parts += _tornado_legend(kinds, bottom + 30, texts)
    return "".join(parts) + "</svg>"


_GLUE = "\u00a0"
"""A no-break space: ``textwrap`` breaks lines at ASCII spaces only."""


def _label_lines(label: str, most: int = 42) -> list[str]:
    """The label on at most two lines of ``most`` characters, shortened where still longer.

    A closing remark in brackets, "(not in the file)", stays on one line.
    """
    name, bracket, remark = label.rpartition(" (")
    if bracket and remark.endswith(")") and len(remark) < most:
        label = name + " (" + remark.replace(" ", _GLUE)
    lines = [line.replace(_GLUE, " ") for line in textwrap.wrap(label, most)] or [""]
    if len(lines) <= 2:
        return lines
    return [lines[0], _short(" ".join(lines[1:]), most)]


def _swing(
    swing: Swing,
    lines: list[str],
    y: float,
    height: float,
    x: Callable[[float], float],
    base: float,
) -> str:
    """One row: label and span on the left, the bar's two halves, the figure at each end."""
    parts = [
        f'<text x="{_LABEL_RIGHT}" y="{y + 15 + 17 * i:.1f}" text-anchor="end" '
        f'font-size="12.5">{escape(line)}</text>'
        for i, line in enumerate(lines)
    ]
    parts.append(
        f'<text x="{_LABEL_RIGHT}" y="{y + 14 + 17 * len(lines):.1f}" text-anchor="end" '
        f'font-size="11" fill="{style.MUTED}">{escape(swing.span)}</text>'
    )
    top = y + (height - 5) / 2 - 8
    halves = [(swing.at_low, LOW_END), (swing.at_high, HIGH_END)]
    halves.sort(key=lambda half: -abs(half[0] - base))  # the longer first, the shorter on top
    for value, colour in halves:
        start, length = min(x(value), x(base)), abs(x(value) - x(base))
        shape = f'x="{start:.1f}" y="{top:.1f}" width="{max(length, 1.5):.1f}" height="16"'
        parts.append(f'<rect {shape} fill="{colour}"/>')
        if not swing.ranged:
            parts.append(f'<rect {shape} fill="url(#{_STRIPES_ID})"/>')
    (first, first_text), (last, last_text) = sorted(
        [(swing.at_low, swing.at_low_text), (swing.at_high, swing.at_high_text)]
    )
    parts.append(
        f'<text x="{min(x(first), x(base)) - 5:.1f}" y="{top + 12.5:.1f}" text-anchor="end" '
        f'font-size="11">{escape(first_text)}</text>'
        f'<text x="{max(x(last), x(base)) + 5:.1f}" y="{top + 12.5:.1f}" font-size="11">'
        f"{escape(last_text)}</text>"
    )
    return "".join(parts)


def _tornado_legend(kinds: list[bool], y: float, texts: Catalog) -> list[str]:
    """What the colours mean on one line; below it, what solid and striped bars are."""
    key = "report.uncertainty.legend"
    lines = [
        [(LOW_END, False, texts.text(f"{key}-low")), (HIGH_END, False, texts.text(f"{key}-high"))]
    ]
    lines += [
        [(style.MUTED, not ranged, texts.text(f"{key}-{'range' if ranged else 'step'}"))]
        for ranged in kinds
    ]
    parts = []
    for row, line in enumerate(lines):
        left, top = 24.0, y + 20 * row
        for colour, striped, text in line:
            shape = f'x="{left:.1f}" y="{top - 10:.1f}" width="22" height="12"'
            parts.append(f'<rect {shape} fill="{colour}"/>')
            if striped:
                parts.append(f'<rect {shape} fill="url(#{_STRIPES_ID})"/>')
            parts.append(
                f'<text x="{left + 28:.1f}" y="{top:.1f}" font-size="11.5">{escape(text)}</text>'
            )
            left += 28 + 6.6 * len(text) + 30
    return parts


def _frame(width: float, height: float, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width:.0f} '
        f'{height:.0f}" width="{width:.0f}" height="{height:.0f}" font-family="{FONT}" '
        f'fill="{style.INK}" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    )


def _stage_bands(points: Sequence[Point], step: int, left: int, top: int, height: int) -> list[str]:
    """Alternating light bands, one per run of touchpoints in the same stage, with its name."""
    parts: list[str] = []
    start = 0
    for i in range(1, len(points) + 1):
        if i == len(points) or points[i].stage != points[start].stage:
            x = left + step * start
            shade = style.STAGE if len(parts) % 2 == 0 else style.HEADER
            parts.append(
                f'<rect x="{x}" y="{top - 26}" width="{step * (i - start)}" '
                f'height="{height + 30}" fill="{shade}" opacity="0.6"/>'
                f'<text x="{x + 6}" y="{top - 12}" font-size="12" font-weight="bold">'
                f"{escape(_short(points[start].stage, 14 * (i - start)))}</text>"
            )
            start = i
    return parts


def _marker(x: float, y: float, failure: bool) -> str:
    if failure:
        return (
            f'<polygon points="{x:.1f},{y - 7:.1f} {x + 7:.1f},{y + 6:.1f} '
            f'{x - 7:.1f},{y + 6:.1f}" fill="{style.FAILURE_FILL}" '
            f'stroke="{style.FAILURE_INK}" stroke-width="2"/>'
        )
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="white" '
        f'stroke="{style.INK}" stroke-width="2"/>'
    )


def _rotated_label(x: float, y: float, text: str) -> str:
    return (
        f'<text transform="translate({x:.1f},{y:.1f}) rotate(35)" font-size="11">'
        f"{escape(_short(text, 22))}</text>"
    )


def _short(text: str, most: int) -> str:
    return text if len(text) <= most else text[: max(most - 1, 1)] + "…"

"""Small inline SVG charts for reports: the emotion curve and ranked bars.

They are plain SVG text, with no script and no external font or file, so a report stays
one self-contained file that prints well. Every mark has a number or word beside it, so
the charts read in grey and by colour-blind readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from journeymap.locales.messages import Catalog
from journeymap.render import style

FONT = f"{style.FONT}, Verdana, sans-serif"


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

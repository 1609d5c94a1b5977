"""How diagrams look: symbols, colours and type, readable in grey and by colour-blind eyes.

Meaning is never carried by colour alone: every coloured mark also has a symbol or word
(a role's star or arrow, the failure-demand warning sign, numbers on the heat shading).
Colours come from the Okabe-Ito palette (safe for the common colour-vision deficiencies)
and a light-to-dark sequential scale that stays ordered when printed in grey.
"""

from __future__ import annotations

from journeymap.model import ChannelKind, Role, Status

FONT = "DejaVu Sans"
"""A font Debian installs with Graphviz, with the symbols used here."""

ROLE_SYMBOLS: dict[Role, str] = {
    "primary": "★",
    "alternative": "○",
    "escalation": "↑",
    "not-recommended": "✕",
}
STATUS_SYMBOLS: dict[Status, str] = {"observed": "●", "assumed": "◐", "proposed": "○"}
FAILURE_MARK = "⚠"
GAP_MARK = "✂"
"""Marks a channel switch that loses the customer's context."""
GIVE_UP_MARK = "▼"
MESSAGE_MARK = "✉"
"""Marks an outbound channel: the service speaking (a message), not a contact."""

EMOTION_SLOTS = 7
"""Emotion -3 .. 3 as a marker on a seven-place scale: a curve across the blueprint."""

INK = "#222222"
MUTED = "#666666"
LINE = "#999999"
LANE_LABEL = "#e8e8e8"
HEADER = "#f4f4f4"
STAGE = "#dfe8f1"
FAILURE_FILL = "#f9d9c9"
"""Light vermilion (Okabe-Ito #D55E00, lightened) behind failure-demand steps."""
FAILURE_INK = "#a04000"
GAP_INK = "#0072b2"
"""Okabe-Ito blue for context lost on a switch."""
HEAT = ("#fff7ec", "#fdd49e", "#fc8d59", "#d7301f", "#7f0000")
"""Sequential light-to-dark scale (ColorBrewer OrRd) for failure contacts per customer."""


def emotion_bar(emotion: int | None) -> str:
    """An emotion (-3 .. 3) on a scale with its signed value, '○○○○○●○ +2'; '' where none."""
    if emotion is None:
        return ""
    scale = "".join("●" if i == emotion + 3 else "○" for i in range(EMOTION_SLOTS))
    return f"{scale} {emotion:+d}"


def heat_colour(value: float, highest: float) -> str:
    """The shade of ``value`` on the heat scale whose darkest step is ``highest``."""
    if highest <= 0 or value <= 0:
        return HEAT[0]
    step = min(len(HEAT) - 1, 1 + int((len(HEAT) - 1) * value / highest * 0.999))
    return HEAT[step]


def channel_mark(kind: ChannelKind, role: Role) -> str:
    """The mark of a channel at a step: the message mark for outbound, else its role's."""
    return MESSAGE_MARK if kind == "outbound" else ROLE_SYMBOLS[role]


def heat_ink(shade: str) -> str:
    """The text colour that reads on a heat shade: white on the two darkest, ink elsewhere."""
    return "white" if shade in HEAT[3:] else INK


def role_label(role: Role) -> str:
    """A role as symbol and words: '★ primary'."""
    return f"{ROLE_SYMBOLS[role]} {role.replace('-', ' ')}"

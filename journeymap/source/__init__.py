"""Reading journey files as YAML: safe, bounded, and with every key's place remembered."""

from __future__ import annotations

from journeymap.source.compose import (
    MAX_ALIAS_NODES,
    MAX_DEPTH,
    SYNTAX,
    Document,
    compose,
    read_document,
)
from journeymap.source.positions import START, Key, Mark, Path, PositionMap
from journeymap.source.text import MAX_BYTES, UNREADABLE, decode, read_bytes

__all__ = [
    "MAX_ALIAS_NODES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "START",
    "SYNTAX",
    "UNREADABLE",
    "Document",
    "Key",
    "Mark",
    "Path",
    "PositionMap",
    "compose",
    "decode",
    "read_bytes",
    "read_document",
]

"""Read a journey file's bytes into text, refusing what is not UTF-8 YAML text, fast."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from journeymap.errors import LoadError
from journeymap.findings import Finding, Severity

MAX_BYTES = 8 * 1024 * 1024
"""Default size limit: ten times the largest journey anyone writes by hand."""

UNREADABLE = "unreadable"

_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}


def refuse(name: str, message: str, line: int = 1, column: int = 1) -> LoadError:
    """Build the error for input that cannot be read as a journey file at all."""
    return LoadError([Finding(name, line, column, UNREADABLE, Severity.ERROR, message)])


def read_bytes(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> bytes:
    """Read a file whole, refusing missing files, folders and files over ``max_bytes``."""
    name = os.fspath(path)
    try:
        size = Path(name).stat().st_size
        if size > max_bytes:
            raise refuse(name, _too_large(size, max_bytes))
        with open(name, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except IsADirectoryError:
        raise refuse(name, "is a folder, not a journey file") from None
    except FileNotFoundError:
        raise refuse(name, "no such file; check the path") from None
    except OSError as error:
        raise refuse(name, f"cannot be read: {error.strerror or error}") from error
    if len(data) > max_bytes:
        raise refuse(name, _too_large(len(data), max_bytes))
    return data


def decode(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> str:
    """Decode UTF-8 text (a BOM is allowed), refusing binary, other encodings and huge input."""
    if len(data) > max_bytes:
        raise refuse(name, _too_large(len(data), max_bytes))
    for bom, encoding in _BOMS.items():
        if data.startswith(bom):
            raise refuse(name, f"is {encoding} text; save it as UTF-8")
    nul = data.find(b"\0")
    if nul >= 0:
        line, column = _place(data, nul)
        raise refuse(
            name,
            "is a binary file (NUL byte), not YAML text; journey files are UTF-8 text",
            line,
            column,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _place(data, error.start)
        byte = data[error.start]
        raise refuse(
            name,
            f"is not UTF-8 text: byte 0x{byte:02X} cannot be decoded; save the file as UTF-8",
            line,
            column,
        ) from None
    return text


def _place(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and character column of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    prefix = data[line_start:offset].decode("utf-8", errors="replace")
    return data.count(b"\n", 0, offset) + 1, len(prefix) + 1


def _too_large(size: int, limit: int) -> str:
    return (
        f"is {size:,} bytes, over the {limit:,}-byte limit for a journey file; "
        "split the journey, or raise the limit with --max-bytes"
    )

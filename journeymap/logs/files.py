"""Open a log file's bytes, gzip-compressed or not, with errors that say what to do."""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from journeymap.logs.table import UnreadableLog

GZIP = b"\x1f\x8b"
"""The first bytes of every gzip file."""


def check_file(source: str) -> None:
    """``UnreadableLog`` unless ``source`` is a file."""
    if os.path.isdir(source):
        raise UnreadableLog(f"{source}: is a folder, not a log file")
    if not os.path.exists(source):
        raise UnreadableLog(f"{source}: no such file; check the path")


def is_gzip(source: str) -> bool:
    """Whether the file is gzip-compressed, whatever its name."""
    try:
        with open(source, "rb") as handle:
            return handle.read(2) == GZIP
    except OSError as error:
        raise UnreadableLog(f"{source}: cannot be read: {error.strerror or error}") from None


@contextmanager
def open_binary(source: str, compressed: bool) -> Iterator[io.BufferedIOBase]:
    """The file's bytes, decompressed; read and gzip errors become ``UnreadableLog``."""
    try:
        with open(source, "rb") as plain:
            if compressed:
                with gzip.GzipFile(fileobj=plain, mode="rb") as unpacked:
                    yield unpacked
            else:
                yield plain
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        raise UnreadableLog(f"{source}: is not a readable gzip file: {error}") from None
    except OSError as error:
        raise UnreadableLog(f"{source}: cannot be read: {error.strerror or error}") from None

"""Write output files whole or not at all, and never over a user's file unless asked."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from journeymap.errors import JourneymapError


class OutputExistsError(JourneymapError):
    """The output file exists and overwriting it was not asked for."""


def write_text(path: str | os.PathLike[str], text: str, *, force: bool = False) -> None:
    """Write ``text`` to ``path`` atomically (temporary file, then rename).

    Without ``force`` an existing file is left alone and ``OutputExistsError`` raised; the
    check and the write are one step, so a file appearing meanwhile is not overwritten.
    """
    write_bytes(path, text.encode("utf-8"), force=force)


def write_bytes(path: str | os.PathLike[str], data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` atomically; see ``write_text``."""
    target = Path(path)
    if target.exists() and not force:
        raise _exists(target)
    temporary = ""
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        _place(temporary, target, force=force)
    except FileNotFoundError as error:
        raise JourneymapError(f"{target}: cannot write, folder does not exist") from error
    except OSError as error:
        raise JourneymapError(f"{target}: cannot write: {error.strerror or error}") from error
    finally:
        if temporary:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)


def _place(temporary: str, target: Path, *, force: bool) -> None:
    if force:
        os.replace(temporary, target)
        return
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise _exists(target) from None


def _exists(target: Path) -> OutputExistsError:
    return OutputExistsError(f"{target} exists; pass --force to overwrite it")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

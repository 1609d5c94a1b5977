"""What the subcommands share: exit codes and the file-expansion of arguments."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path

from journeymap.errors import JourneymapError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

JOURNEY_SUFFIXES = (".yaml", ".yml")
STDIN = "-"


def journey_files(arguments: Iterable[str]) -> list[str]:
    """Expand files, folders (searched for .yaml/.yml) and globs, keeping the given order.

    ``-`` stands for standard input. Names that match nothing are an error: a typo in a CI
    configuration must not pass as "no problems found".
    """
    found: list[str] = []
    for argument in arguments:
        expanded = _expand(argument)
        if not expanded:
            raise JourneymapError(f"{argument}: no such file, folder or matching journey file")
        found.extend(path for path in expanded if path not in found)
    return found


def _expand(argument: str) -> list[str]:
    if argument == STDIN:
        return [STDIN]
    if glob.has_magic(argument):
        matches = sorted(glob.glob(argument, recursive=True))
        return [path for match in matches for path in _expand(match)]
    path = Path(argument)
    if path.is_dir():
        return sorted(
            os.fspath(child)
            for child in path.rglob("*")
            if child.suffix in JOURNEY_SUFFIXES and child.is_file() and not _hidden(child, path)
        )
    return [argument] if path.exists() or path.is_symlink() else []


def _hidden(child: Path, root: Path) -> bool:
    """Skip files under hidden folders (``.git``, ``.venv``) when searching a folder."""
    return any(part.startswith(".") for part in child.relative_to(root).parts[:-1])

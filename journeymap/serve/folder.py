"""The served folder: which journey files it holds, and paths that never leave it."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from journeymap.findings import Finding, Severity

SUFFIXES = (".yaml", ".yml")
MAX_CHAIN = 16


class OutsideError(Exception):
    """A name that is not a journey file inside the served folder."""


class Folder:
    """The root of what is served; every path handed out resolves inside it."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).resolve()

    def inside(self, path: Path) -> bool:
        """Tell whether ``path``, symlinks followed, lies inside the root."""
        return path.resolve().is_relative_to(self.root)

    def path(self, name: str) -> Path:
        """The journey file ``name`` (relative to the root); ``OutsideError`` when it is not one."""
        if not name or "\x00" in name or os.path.isabs(name):
            raise OutsideError(name)
        path = (self.root / name).resolve()
        if not path.is_relative_to(self.root) or path.suffix not in SUFFIXES:
            raise OutsideError(name)
        if not path.is_file():
            raise FileNotFoundError(name)
        return path

    def name(self, path: Path) -> str:
        """``path`` relative to the root, with forward slashes."""
        return path.resolve().relative_to(self.root).as_posix()

    def journeys(self) -> list[str]:
        """Every journey or scenario file below the root, hidden folders skipped, sorted."""
        found = []
        for path in self.root.rglob("*"):
            parts = path.relative_to(self.root).parts
            if path.suffix not in SUFFIXES or any(p.startswith(".") for p in parts):
                continue
            if path.is_file() and self.inside(path):
                found.append(self.name(path))
        return sorted(found)

    def escapes(self, path: Path) -> Finding | None:
        """A finding where a scenario chain from ``path`` reaches outside the root, else ``None``.

        Checked before reading, so a scenario's ``extends`` cannot make the server read a file
        elsewhere.
        """
        seen: set[Path] = set()
        for _ in range(MAX_CHAIN + 1):
            if path in seen or not path.is_file():
                return None
            seen.add(path)
            text = path.read_text(encoding="utf-8", errors="replace")
            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError:
                return None
            if not (isinstance(data, dict) and "scenario" in data):
                return None
            extends = data.get("extends")
            if not isinstance(extends, str):
                return None
            base = (path.parent / extends).resolve()
            if not base.is_relative_to(self.root):
                line, column = _position(text, "extends")
                message = f"extends: '{extends}' lies outside the served folder; it is not read"
                return Finding(str(path), line, column, "serve", Severity.ERROR, message)
            path = base
        return None


def _position(text: str, key: str) -> tuple[int, int]:
    """Line and column (1-based) of the value of a top-level ``key``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            rest = line[len(key) + 1 :]
            return number, len(key) + 2 + len(rest) - len(rest.lstrip())
    return 1, 1

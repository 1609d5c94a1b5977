"""Where each key and value of a YAML document stands, so any problem can be pointed at."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Key = str | int
Path = tuple[Key, ...]
Spot = tuple[int, int]
"""A 1-based (line, column), kept as a plain tuple while composing for speed."""
Entry = tuple[Spot | None, Spot]
"""The spots of one node: of its key (mapping entries only) and of its value."""


@dataclass(frozen=True, order=True)
class Mark:
    """A 1-based line and column in a file."""

    line: int
    column: int


START = Mark(1, 1)


class PositionMap:
    """Marks by document path, with labels (list items' ids) for readable paths.

    A path that was never recorded (a default, a missing key) falls back to its nearest
    recorded ancestor, so every lookup answers with the closest place there is.
    """

    def __init__(
        self, entries: Mapping[Path, Entry] | None = None, labels: Mapping[Path, str] | None = None
    ) -> None:
        self._entries: Mapping[Path, Entry] = entries or {}
        self._labels: Mapping[Path, str] = labels or {}

    def __contains__(self, path: object) -> bool:
        """Tell whether a mark was recorded for exactly this path."""
        return path in self._entries

    def __len__(self) -> int:
        """Count the recorded paths."""
        return len(self._entries)

    def key(self, path: Path) -> Mark:
        """Mark of the key at ``path`` (its value for list items), else the nearest ancestor's."""
        found = self._nearest(path)
        return Mark(*(found[0] or found[1])) if found else START

    def value(self, path: Path) -> Mark:
        """Mark of the value at ``path``, else of the nearest recorded ancestor's value."""
        found = self._nearest(path)
        return Mark(*found[1]) if found else START

    def label(self, path: Path) -> str | None:
        """The id of the list item at ``path``, where it has one."""
        return self._labels.get(path)

    def _nearest(self, path: Path) -> Entry | None:
        for end in range(len(path), -1, -1):
            found = self._entries.get(path[:end])
            if found is not None:
                return found
        return None

    def dotted(self, path: Iterable[Key]) -> str:
        """Render a path readably: ``touchpoints[track].channels.fax``.

        List items show their id where they have one, else their 0-based index.
        """
        text = ""
        prefix: Path = ()
        for key in path:
            prefix = (*prefix, key)
            if isinstance(key, int):
                text += f"[{self._labels.get(prefix, key)}]"
            else:
                text += f".{key}" if text else key
        return text

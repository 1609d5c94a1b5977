"""Find the rows of a grid by their labels in column A, in English or Finnish."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from journeymap.grid.layout import ID_LABEL, GridError, Row, cell_error, find_row, labels
from journeymap.locales import DEFAULT


@dataclass
class Sheet:
    """The rows of a grid by what they hold, and the language of their labels."""

    source: str
    rows: list[list[str]]
    stage: int = -1
    stage_id: int = -1
    touchpoint: int = -1
    touchpoint_id: int = -1
    channels: int = -1
    emotion: int = -1
    lanes: dict[str, list[int]] = field(default_factory=dict)
    """Rows of each text lane; a lane may have several rows, read top to bottom."""
    locale: str = DEFAULT

    @property
    def width(self) -> int:
        """The number of columns, labels included."""
        return max((len(row) for row in self.rows), default=0)

    def cell(self, row: int, column: int) -> str:
        """The text of a cell, ends trimmed; ``""`` outside the grid or for no row (-1)."""
        if row < 0 or column >= len(self.rows[row]):
            return ""
        return self.rows[row][column].strip()

    def used_rows(self) -> list[int]:
        """Every row that was found, top to bottom."""
        single = [self.stage, self.stage_id, self.touchpoint, self.touchpoint_id]
        single += [self.channels, self.emotion]
        return sorted([r for r in single if r >= 0] + [r for rs in self.lanes.values() for r in rs])


def read_sheet(rows: list[list[str]], source: str) -> Sheet:
    """The grid's rows by their labels; ``GridError`` naming the cell of a label not known."""
    sheet = Sheet(source, rows)
    languages: Counter[str] = Counter()
    above = ""
    for r, row in enumerate(rows):
        label = row[0].strip() if row else ""
        if not label:
            if any(cell.strip() for cell in row):
                raise cell_error(source, r, 0, "a row with notes but no label; " + _known())
            continue
        if label.casefold() == ID_LABEL:
            above = _id_row(sheet, r, above)
            continue
        found = find_row(label)
        if found is None:
            raise cell_error(source, r, 0, f"unknown row label '{label}'; " + _known())
        kind, language = found
        if language:
            languages[language] += 2 if kind.kind == "stage" else 1
        _place(sheet, r, kind, label)
        above = kind.kind
    if sheet.stage < 0:
        raise _missing(source, "stage")
    if sheet.touchpoint < 0:
        raise _missing(source, "touchpoint")
    if languages:
        sheet.locale = languages.most_common(1)[0][0]
    return sheet


def _id_row(sheet: Sheet, r: int, above: str) -> str:
    """Take an id row as the ids of the stage or touchpoint row right above it."""
    if above == "stage" and sheet.stage_id < 0:
        sheet.stage_id = r
    elif above == "touchpoint" and sheet.touchpoint_id < 0:
        sheet.touchpoint_id = r
    else:
        raise cell_error(
            sheet.source, r, 0, "an id row belongs right below the stage row or the touchpoint row"
        )
    return "id"


def _place(sheet: Sheet, r: int, row: Row, label: str) -> None:
    if row.kind == "lane":
        sheet.lanes.setdefault(row.lane, []).append(r)
        return
    attribute = row.kind
    first: int = getattr(sheet, attribute)
    if first >= 0:
        raise cell_error(
            sheet.source, r, 0, f"a second '{label}' row; the first is row {first + 1}"
        )
    setattr(sheet, attribute, r)


def _missing(source: str, key: str) -> GridError:
    names = " or ".join(f"'{labels(code)[key]}'" for code in ("en", "fi"))
    return GridError(f"{source}: no {key} row: label a row {names} in column A")


def _known() -> str:
    english = labels(DEFAULT)
    return "known labels: " + ", ".join(english.values()) + ", id (or the Finnish labels)"

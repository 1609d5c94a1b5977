"""The HTML report printed on A4 by headless Chromium: nothing off the page, nothing cut.

Every example, in English and Finnish, is printed through ``tests.browser.visit`` (one
browser for the session) and the PDF read back with pdfminer.six:

- every text line and drawing on every page lies inside the page less a margin that any
  printer can print;
- the service blueprint has an A4 landscape page to itself, the other pages are A4 portrait;
- every page shows its number ("3 / 10") and the journey's title (the page margin boxes);
- no table is cut: every word of every table cell is in the PDF's text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTComponent, LTCurve, LTFigure, LTImage, LTPage, LTTextLine

from journeymap.cli import main
from tests.browser import visit
from tests.conftest import example_files

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
PRINTABLE_MARGIN = 6 * MM
"""Nothing may come nearer the paper's edge than this: printers leave 3 to 5 mm blank."""
SIZE_TOLERANCE = 1.5  # points: Chromium rounds the page size to whole CSS pixels


@dataclass
class Report:
    """What the HTML says that the PDF must show."""

    title: str = ""
    blueprint_heading: str = ""
    headings: list[str] = field(default_factory=list)
    """Every section's h2."""
    cells: list[str] = field(default_factory=list)


class _ReportParser(HTMLParser):
    """The journey's title (the h1), the blueprint's heading, and the text of every table cell."""

    def __init__(self) -> None:
        super().__init__()
        self.report = Report()
        self._in: str | None = None  # "h1", "h2" or "cell"
        self._section = ""
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self._section = dict(attrs).get("id") or ""
        if tag in ("br", "li"):
            self._text.append(" ")
        if self._in is None and tag in ("td", "th", "h1", "h2"):
            self._in = "cell" if tag in ("td", "th") else tag
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if self._in is None:
            return
        text = " ".join("".join(self._text).split())
        if self._in == "cell" and tag in ("td", "th"):
            if text:
                self.report.cells.append(text)
        elif self._in == "h1" and tag == "h1":
            self.report.title = text
        elif self._in == "h2" and tag == "h2":
            self.report.headings.append(text)
            if self._section == "blueprint":
                self.report.blueprint_heading = text
        else:
            return
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self._text.append(data)


@dataclass
class Page:
    number: int
    width: float
    height: float
    text: str
    outside: list[str]


def _pages(pdf: Path) -> list[Page]:
    pages = []
    for number, layout in enumerate(extract_pages(pdf), 1):
        assert isinstance(layout, LTPage)
        x0, y0, x1, y1 = layout.bbox
        lines: list[str] = []
        outside: list[str] = []
        for item in _walk(layout):
            if isinstance(item, LTTextLine):
                lines.append(item.get_text())
            if isinstance(item, (LTTextLine, LTFigure, LTCurve, LTImage)) and (
                item.x0 < x0 + PRINTABLE_MARGIN
                or item.y0 < y0 + PRINTABLE_MARGIN
                or item.x1 > x1 - PRINTABLE_MARGIN
                or item.y1 > y1 - PRINTABLE_MARGIN
            ):
                what = item.get_text().strip() if isinstance(item, LTTextLine) else ""
                outside.append(
                    f"{type(item).__name__} {what!r} at "
                    f"({item.x0:.0f}, {item.y0:.0f}, {item.x1:.0f}, {item.y1:.0f}) pt"
                )
        pages.append(Page(number, x1 - x0, y1 - y0, "".join(lines), outside))
    return pages


def _walk(item: LTComponent):  # type: ignore[no-untyped-def]
    """Every layout item, text lines whole (not their characters)."""
    yield item
    if not isinstance(item, LTTextLine) and hasattr(item, "__iter__"):
        for child in item:
            yield from _walk(child)


def _compact(text: str) -> str:
    """Text without white space (any kind: the thousands separators are no-break spaces)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _words(cell: str) -> list[str]:
    """The cell's words, split after hyphens and slashes too: a line may break there, and
    pdfminer may then put a neighbouring cell's line between the two halves."""
    return [part for word in cell.split() for part in re.split(r"(?<=[-/])", word) if part]


def _found(word: str, compact: str, unhyphenated: str) -> bool:
    """Whether ``word`` is in the text, or in it broken across lines with a (soft) hyphen."""
    word = unicodedata.normalize("NFKC", word)
    return word in compact or word.replace("-", "") in unhyphenated


@dataclass(frozen=True)
class Printed:
    report: Report
    pages: list[Page]


CASES = [(path, locale) for path in example_files() for locale in ("en", "fi")]


@pytest.fixture(scope="module", params=CASES, ids=lambda case: f"{case[0].stem}-{case[1]}")
def printed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Printed:
    journey, locale = request.param
    folder = tmp_path_factory.mktemp(f"print-{journey.stem}-{locale}")
    html = folder / f"{journey.stem}.{locale}.html"
    assert main(["report", str(journey), "-o", str(html), "--locale", locale]) == 0
    parser = _ReportParser()
    parser.feed(html.read_text("utf-8"))
    seen = visit(html, folder / "browser")
    return Printed(parser.report, _pages(seen.pdf))


def test_everything_printed_lies_inside_the_page_margins(printed: Printed) -> None:
    outside = [f"page {p.number}: {what}" for p in printed.pages for what in p.outside]
    assert outside == []


def test_the_blueprint_has_a_landscape_page_of_its_own(printed: Printed) -> None:
    heading = printed.report.blueprint_heading
    assert heading
    on = [p for p in printed.pages if _compact(heading) in _compact(p.text)]
    assert len(on) == 1, f"the blueprint's heading {heading!r} is on pages {[p.number for p in on]}"
    blueprint = on[0]
    landscape = (A4[1], A4[0])
    for page in printed.pages:
        expected = landscape if page is blueprint else A4
        assert page.width == pytest.approx(expected[0], abs=SIZE_TOLERANCE), page.number
        assert page.height == pytest.approx(expected[1], abs=SIZE_TOLERANCE), page.number
    text = _compact(blueprint.text)
    others = [h for h in printed.report.headings if h != heading and _compact(h) in text]
    assert others == [], "the blueprint shares its page"


def test_every_page_shows_its_number_and_the_journeys_title(printed: Printed) -> None:
    total = len(printed.pages)
    title = _compact(printed.report.title)
    assert title
    for page in printed.pages:
        text = _compact(page.text)
        assert f"{page.number}/{total}" in text, f"page {page.number} has no page number"
        assert title in text, f"page {page.number} does not show the journey's title"


def test_no_table_is_cut(printed: Printed) -> None:
    assert printed.report.cells
    everything = "".join(p.text for p in printed.pages)
    compact = _compact(everything)
    unhyphenated = compact.replace("-", "").replace("\u00ad", "")
    missing = sorted(
        {
            word
            for cell in printed.report.cells
            for word in _words(cell)
            if not _found(word, compact, unhyphenated)
        }
    )
    assert missing == []


def test_a_title_cannot_break_out_of_the_print_style(tmp_path: Path) -> None:
    """The title goes into the page margins through a CSS string: quotes, backslashes, line
    breaks and "</style>" in it stay text."""
    journey = example_files()[0]
    text = journey.read_text("utf-8")
    hostile = 'Quote " back \\ slash </style><b>bold</b>'
    changed, count = re.subn(
        r"^(title\s*:).*$",
        lambda m: f"{m.group(1)} {_yaml_string(hostile)}",
        text,
        count=1,
        flags=re.MULTILINE,
    )
    assert count == 1
    path = tmp_path / journey.name
    path.write_text(changed, encoding="utf-8")
    html = tmp_path / "hostile.html"
    assert main(["report", str(path), "-o", str(html)]) == 0
    page = html.read_text("utf-8")
    assert "</style><b>" not in page
    assert page.count("</style>") == 1
    printed = _pages(visit(html, tmp_path / "browser").pdf)
    title = _compact(hostile)
    assert all(title in _compact(p.text) for p in printed)


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

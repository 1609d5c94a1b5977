"""Printing for the wall: hyphenation, sheets of paper, and text no smaller than 9 pt."""

from __future__ import annotations

import itertools
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTComponent, LTTextContainer
from pypdf import PdfReader

import journeymap
from journeymap.cli import main
from journeymap.render import blueprint_pages, draw, journey_pages, journey_svg
from journeymap.render.hyphenate import hyphenated
from journeymap.render.paper import MARGIN, MM, printable, sheet
from journeymap.render.text import wrap
from tests.conftest import example_files
from tests.test_render import _boxes, _overlapping

EXAMPLES = example_files()


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("potilastietojärjestelmä", "po-ti-las-tie-to-jär-jes-tel-mä"),
        ("asumistukihakemus", "asu-mis-tu-ki-ha-ke-mus"),
        ("takaisinsoitto", "ta-kai-sin-soit-to"),
        ("häiriökysyntä", "häi-ri-ö-ky-syn-tä"),
        ("yhteydenotto", "yh-tey-den-ot-to"),
        ("talous", "ta-lo-us"),
        ("koulu", "kou-lu"),
        ("kissa", "kis-sa"),
        ("ranska", "rans-ka"),
    ],
)
def test_finnish_syllables(word: str, syllables: str) -> None:
    assert hyphenated(word, "fi") == syllables


def test_long_words_break_with_a_hyphen() -> None:
    lines = wrap("Tarkista potilastietojärjestelmästä asumistukihakemuksen tila", 18, "fi")
    assert all(len(line) <= 18 for line in lines)
    joined = "".join(line[:-1] if line.endswith("-") else line + " " for line in lines)
    assert "potilastietojärjestelmästä" in joined
    assert any(line.endswith("-") for line in lines)


def _chars(path: Path) -> list[tuple[float, tuple[float, float, float, float]]]:
    found = []

    def walk(item: LTComponent) -> None:
        if isinstance(item, LTChar):
            found.append((item.size, item.bbox))
        for child in getattr(item, "_objs", []):
            walk(child)

    for page in extract_pages(path):
        walk(page)
    return found


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("paper", ["a3", "a0"])
@pytest.mark.parametrize("kind", ["blueprint", "journey"])
def test_printed_text_is_readable(path: Path, paper: str, kind: str, tmp_path: Path) -> None:
    out = tmp_path / "wall.pdf"
    assert main(["render", kind, str(path), "--heat", "--paper", paper, "-o", str(out)]) == 0
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)", out.read_bytes())
    assert box is not None
    width, height = sheet(paper)
    assert abs(float(box.group(1)) - width) < 2
    assert abs(float(box.group(2)) - height) < 2
    chars = _chars(out)
    assert min(size for size, _ in chars) >= 9 - 0.05


SVG = "{http://www.w3.org/2000/svg}"
Box = tuple[float, float, float, float]


def _pages(kind: str, path: Path, paper: str) -> list[str]:
    """The printed sheets of ``kind`` for the example at ``path``, as SVG texts."""
    journey = journeymap.load(path)
    make = journey_pages if kind == "journey" else blueprint_pages
    return [
        draw(page, "svg").data.decode("utf-8")
        for page in make(journey, journeymap.analyze(journey), paper=paper)
    ]


def _outline(group: ET.Element) -> Box:
    shape = next(group.iter(f"{SVG}polygon"), None)
    if shape is None:
        shape = next(group.iter(f"{SVG}path"))
    numbers = [
        float(n) for n in re.findall(r"-?\d+\.?\d*", shape.get("points") or shape.get("d") or "")
    ]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def _stages(svg: str) -> dict[int, Box]:
    """Each stage cluster's box, by the stage's index."""
    found = {}
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        title = group.findtext(f"{SVG}title") or ""
        if group.get("class") == "cluster" and re.fullmatch(r"cluster_\d+", title):
            found[int(title.split("_")[1])] = _outline(group)
    return found


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("paper", ["a4", "a3"])
def test_printed_journey_reads_in_stage_order(path: Path, paper: str) -> None:
    seen: list[int] = []
    for svg in _pages("journey", path, paper):
        boxes = _stages(svg)
        order = sorted(boxes)
        seen += order
        for before, after in itertools.pairwise(order):
            right = boxes[after][0] >= boxes[before][2] - 0.5
            below = boxes[after][1] >= max(boxes[i][3] for i in order if i < after) - 0.5
            assert right or below, f"stage {after} is neither right of nor below stage {before}"
    journey = journeymap.load(path)
    assert seen == [
        i
        for i, stage in enumerate(journey.stages)
        if any(tp.stage == stage.id for tp in journey.touchpoints)
    ]


def _ink(pdf: Path, folder: Path) -> list[tuple[Box, tuple[float, float]]]:
    """Each page's inked box and size in points, found by rasterising it."""
    subprocess.run(["pdftoppm", "-gray", "-r", "24", str(pdf), str(folder / "p")], check=True)
    found = []
    for image in sorted(folder.glob("p*.pgm")):
        data = image.read_bytes()
        magic, width, height, _, pixels = data.split(maxsplit=4)
        assert magic == b"P5"
        w, h = int(width), int(height)
        dark = [(i % w, i // w) for i, value in enumerate(pixels[: w * h]) if value < 200]
        xs, ys = [x for x, _ in dark], [y for _, y in dark]
        step = 72 / 24
        box = (min(xs) * step, min(ys) * step, (max(xs) + 1) * step, (max(ys) + 1) * step)
        found.append((box, (w * step, h * step)))
    return found


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("kind", ["blueprint", "journey"])
def test_printed_drawing_fills_a_sheet(path: Path, kind: str, tmp_path: Path) -> None:
    out = tmp_path / "wall.pdf"
    assert main(["render", kind, str(path), "--heat", "--paper", "a3", "-o", str(out)]) == 0
    width, height = printable("a3")
    margin = MARGIN * MM
    filled = []
    for (x0, y0, x1, y1), (page_w, page_h) in _ink(out, tmp_path):
        step = 72 / 24
        assert min(x0, y0) >= margin - step  # nothing in the margins
        assert x1 <= page_w - margin + step
        assert y1 <= page_h - margin + step
        filled.append((x1 - x0 >= width / 2) and (y1 - y0 >= height / 2))
    assert any(filled)


def _label_boxes(svg: str) -> dict[str, Box]:
    """Boxes round the texts of arrows and of stage names, estimated from their font size."""
    boxes = {}
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        if group.get("class") not in ("edge", "cluster"):
            continue
        name = group.findtext(f"{SVG}title") or ""
        for n, text in enumerate(group.iter(f"{SVG}text")):
            size = float(text.get("font-size", "14"))
            x, y = float(text.get("x", "0")), float(text.get("y", "0"))
            wide = 0.55 * size * len(text.text or "")
            left = {"start": x, "middle": x - wide / 2, "end": x - wide}[
                text.get("text-anchor", "start")
            ]
            boxes[f"label {name} {n}"] = (left, y - 0.75 * size, left + wide, y + 0.2 * size)
    return boxes


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("paper", [None, "a3"])
def test_labels_never_overlap_nodes(path: Path, paper: str | None) -> None:
    journey = journeymap.load(path)
    figures = journeymap.analyze(journey)
    svgs = [journey_svg(journey, figures)] if paper is None else _pages("journey", path, paper)
    for svg in svgs:
        nodes = _boxes(svg, "tp-")
        labels = _label_boxes(svg)
        clashes = [
            (a, b)
            for a, b in _overlapping({**nodes, **labels})
            if a.startswith("tp-") != b.startswith("tp-")
        ]
        assert clashes == []


def _vocabulary(path: Path) -> set[str]:
    """Every word the journey file and the Finnish texts contain, lower-cased."""
    texts = path.read_text(encoding="utf-8")
    texts += (Path(journeymap.__file__).parent / "locales" / "fi.yaml").read_text(encoding="utf-8")
    return {word.lower() for word in re.findall(r"\w+", texts)}


def _unknown(text: str, known: set[str]) -> list[str]:
    """The words of ``text`` (a soft hyphen marking a line break) that ``known`` lacks."""
    missing = []
    for chunk in text.split():
        tries = [chunk.replace("\u00ad", ""), chunk.replace("\u00ad", "-")]
        if not any(
            all(w.lower() in known or w.isdigit() for w in re.findall(r"\w+", t)) for t in tries
        ):
            missing.append(chunk.replace("\u00ad", "-|"))
    return missing


def test_finnish_blueprint_breaks_words_only_at_a_hyphen(tmp_path: Path) -> None:
    path = Path("examples/housing-allowance.yaml")
    out = tmp_path / "wall.pdf"
    assert main(["render", "blueprint", str(path), "--heat", "--paper", "a3", "-o", str(out)]) == 0
    known = _vocabulary(path)
    broken = []
    for page in extract_pages(out):
        for box in page:
            if isinstance(box, LTTextContainer):
                text = ""
                for line in (line.get_text().strip() for line in box):
                    hyphen = re.search(r"\w-$", text) is not None
                    text = text[:-1] + "\u00ad" + line if hyphen else f"{text} {line}"
                broken += _unknown(text, known)
    assert broken == []


def test_a_poster_tiles_onto_smaller_sheets_with_overlap(tmp_path: Path) -> None:
    out = tmp_path / "wall.pdf"
    parcel = "examples/parcel-delivery.yaml"
    assert (
        main(["render", "blueprint", parcel, "--paper", "a0", "--tiles", "a4", "-o", str(out)]) == 0
    )
    pages = PdfReader(out).pages
    # A0 (1189 x 841 mm) onto portrait A4 with 10 mm overlaps: 6 columns, 3 rows
    assert len(pages) == 18
    a4 = sorted(sheet("a4"))
    assert all(
        sorted((float(p.mediabox.width), float(p.mediabox.height))) == pytest.approx(a4)
        for p in pages
    )
    texts = [page.extract_text() for page in pages]
    assert "row 1 of 3, column 1 of 6" in texts[0]
    assert "row 3 of 3, column 6 of 6" in texts[-1]
    # each tile shows its own window of the poster: a stage title is seen on one tile only
    seen = [
        number
        for number, layout in enumerate(extract_pages(out), 1)
        for box in layout
        if isinstance(box, LTTextContainer)
        and box.get_text().strip() == "Buy"
        and 0 <= box.x0 < box.x1 <= layout.width
        and 0 <= box.y0 < box.y1 <= layout.height
    ]
    assert len(seen) == 1


def test_tiles_need_a_printed_pdf(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    parcel = "examples/parcel-delivery.yaml"
    assert main(["render", "journey", parcel, "--tiles", "a3", "-o", str(tmp_path / "j.pdf")]) == 2
    assert capsys.readouterr().err == (
        "journeymap: --tiles cuts a printed sheet onto smaller ones: give --paper and a .pdf "
        "output, e.g. --paper a0 --tiles a4 -o wall.pdf\n"
    )

"""Blueprints and journey diagrams: every example in every format, drawn by the real dot."""

from __future__ import annotations

import itertools
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import journeymap
from journeymap.cli import main
from journeymap.model import Journey
from journeymap.render import (
    RenderError,
    blueprint_dot,
    blueprint_svg,
    draw,
    journey_dot,
    journey_svg,
)
from journeymap.render.blueprint import LANES
from journeymap.synthetic import generate
from tests.conftest import example_files

SVG = "{http://www.w3.org/2000/svg}"
EXAMPLES = example_files()
FORMATS = {"svg": b"<?xml", "png": b"\x89PNG", "pdf": b"%PDF", "dot": b"digraph"}


def _ids(svg: str) -> set[str]:
    return {element.get("id", "") for element in ET.fromstring(svg).iter()}


def _boxes(svg: str, prefix: str) -> dict[str, tuple[float, float, float, float]]:
    """Bounding box of the first shape in each group whose id starts with ``prefix``."""
    boxes = {}
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        ident = group.get("id", "")
        if not ident.startswith(prefix):
            continue
        shape = next(group.iter(f"{SVG}polygon"), None)  # an Element with no children is falsy
        if shape is None:
            shape = next(group.iter(f"{SVG}path"))
        outline = shape.get("points") or shape.get("d") or ""
        numbers = [float(n) for n in re.findall(r"-?\d+\.?\d*", outline)]
        xs, ys = numbers[0::2], numbers[1::2]
        boxes[ident] = (min(xs), min(ys), max(xs), max(ys))
    return boxes


def _overlapping(boxes: dict[str, tuple[float, float, float, float]]) -> list[tuple[str, str]]:
    found = []
    for (a, (ax0, ay0, ax1, ay1)), (b, (bx0, by0, bx1, by1)) in itertools.combinations(
        boxes.items(), 2
    ):
        if ax0 < bx1 - 0.5 and bx0 < ax1 - 0.5 and ay0 < by1 - 0.5 and by0 < ay1 - 0.5:
            found.append((a, b))
    return found


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("kind", ["blueprint", "journey"])
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_example_renders_in_every_format(
    path: Path, kind: str, fmt: str, tmp_path: Path
) -> None:
    out = tmp_path / f"diagram.{fmt}"
    assert main(["render", kind, str(path), "-o", str(out)]) == 0
    assert out.read_bytes().startswith(FORMATS[fmt])


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("heat", [False, True])
def test_dot_is_accepted_by_graphviz_without_warnings(path: Path, heat: bool) -> None:
    journey = journeymap.load(path)
    figures = journeymap.analyze(journey) if heat else None
    for dot in (blueprint_dot(journey, figures), journey_dot(journey, figures)):
        assert draw(dot, "svg").warnings == ()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_blueprint_svg_has_one_element_per_touchpoint_and_lane(path: Path) -> None:
    journey = journeymap.load(path)
    ids = _ids(blueprint_svg(journey))
    for tp in journey.touchpoints:
        assert f"a_tp-{tp.id}" in ids
    for key in LANES:
        assert f"a_lane-{key}" in ids
    assert {"a_lane-pain-points", "a_lane-opportunities", "a_lane-channels"} <= ids


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_journey_svg_has_one_node_per_touchpoint_and_no_overlaps(path: Path) -> None:
    journey = journeymap.load(path)
    svg = journey_svg(journey, journeymap.analyze(journey))
    boxes = _boxes(svg, "tp-")
    assert sorted(boxes) == sorted(f"tp-{tp.id}" for tp in journey.touchpoints)
    assert _overlapping(boxes) == []
    assert "legend" in _ids(svg)


@pytest.mark.parametrize("size", [40])
def test_large_blueprint_has_no_overlapping_columns(size: int) -> None:
    journey = generate(size, 6, seed=4)
    svg = blueprint_svg(journey, journeymap.analyze(journey))
    boxes = _boxes(svg, "a_tp-")
    assert len(boxes) == size
    assert _overlapping(boxes) == []
    lanes = _boxes(svg, "a_lane-")
    assert _overlapping(lanes) == []


def test_long_text_wraps_inside_its_cell() -> None:
    journey = journeymap.load("examples/parcel-delivery.yaml")
    long = "word " * 60
    tp = journey.touchpoints[0].model_copy(update={"customer": [long], "title": long})
    changed = journey.model_copy(update={"touchpoints": [tp, *journey.touchpoints[1:]]})
    dot = blueprint_dot(changed)
    wrapped = re.findall(r">((?:word ?)+)<BR", dot)
    assert len(wrapped) > 10
    assert max(len(line.strip()) for line in wrapped) <= 24
    assert draw(dot, "svg").warnings == ()


def _hostile(journey: Journey) -> Journey:
    bad = 'A <script>alert("x")</script> & "quotes" {braces} [brackets] \\ back'
    tp = journey.touchpoints[0].model_copy(update={"title": bad, "customer": [bad]})
    return journey.model_copy(update={"title": bad, "touchpoints": [tp, *journey.touchpoints[1:]]})


def test_hostile_text_is_escaped() -> None:
    journey = _hostile(journeymap.load("examples/parcel-delivery.yaml"))
    for svg in (blueprint_svg(journey), journey_svg(journey)):
        assert "<script>" not in svg
        assert "&lt;script&gt;" in svg


def test_heat_adds_rows_and_a_legend() -> None:
    journey = journeymap.load("examples/parcel-delivery.yaml")
    ids = _ids(blueprint_svg(journey, journeymap.analyze(journey)))
    assert {"a_lane-heat", "a_lane-gives-up", "a_legend"} <= ids
    assert "a_lane-heat" not in _ids(blueprint_svg(journey))


BOOKING = """
journeymap: 1
id: booking
stages: [{id: book}, {id: visit}]
channels:
  web: {title: Booking portal, context: booking}
  phone: {title: Nurse line, context: records}
  sms: {title: Reminder SMS}
touchpoints:
  - {id: book, stage: book, channels: {web: primary}, next: [{to: call}]}
  - {id: call, stage: book, channels: {phone: primary}, next: [{to: remind}]}
  - {id: remind, stage: visit, channels: {sms: primary}, next: [{to: chase}]}
  - id: chase
    stage: visit
    demand: failure
    cause: no-proactive-update
    channels: {phone: primary}
"""


def test_gaps_retries_and_failure_demand_are_marked() -> None:
    dot = journey_dot(journeymap.loads(BOOKING))
    assert '"book" -> "call" [label="100%\\n✂ context lost: web→phone"' in dot
    assert '"call" -> "call" [label="retry 70%" style=dashed' in dot
    assert "⚠ failure demand: No proactive update" in dot
    assert "peripheries=2" in dot


def test_messages_are_the_service_speaking_never_a_switch() -> None:
    journey = journeymap.loads(BOOKING)
    dot = journey_dot(journey, journeymap.analyze(journey))
    assert '"call" -> "remind" [label="100%" penwidth=4.00];' in dot
    assert '"remind" -> "chase" [label="100%" penwidth=4.00];' in dot
    assert "✉ Reminder SMS" in dot
    sent = round(journeymap.analyze(journey).touchpoints["remind"].messages * 1000)
    assert f"✉ {sent} messages / 1,000" in dot
    assert "✉ message: the service speaking (not a contact)" in dot


@pytest.mark.parametrize(("paper", "width", "height"), [("a4", 842, 595), ("a3", 1191, 842)])
def test_paper_sizes_fit_the_page(paper: str, width: float, height: float, tmp_path: Path) -> None:
    out = tmp_path / "blueprint.pdf"
    args = [
        "render",
        "blueprint",
        "examples/card-payment-dispute.yaml",
        "-o",
        str(out),
        "--paper",
        paper,
    ]
    assert main(args) == 0
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)", out.read_bytes())
    assert box is not None
    page_w, page_h = float(box.group(1)), float(box.group(2))
    assert page_w <= width + 1
    assert page_h <= height + 1
    assert max(page_w / width, page_h / height) > 0.95  # it fills the sheet's width or height


def test_missing_graphviz_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("journeymap.render.graphviz.shutil.which", lambda _: None)
    with pytest.raises(RenderError, match="sudo apt-get install graphviz"):
        draw("digraph { a }", "svg")


def test_slow_graphviz_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*_: object, **__: object) -> None:
        raise subprocess.TimeoutExpired("dot", 1)

    monkeypatch.setattr("journeymap.render.graphviz.subprocess.run", slow)
    with pytest.raises(RenderError, match="longer than 1 s"):
        draw("digraph { a }", "svg", timeout=1)


def test_journeys_show_themselves_in_notebooks() -> None:
    svg = journeymap.load("examples/parcel-delivery.yaml")._repr_svg_()
    assert svg is not None
    assert "<svg" in svg


def test_render_command_choices_and_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = "examples/parcel-delivery.yaml"
    assert main(["render", "journey", example, "-f", "dot"]) == 0
    assert capsys.readouterr().out.startswith("digraph journey {")
    assert main(["render", "journey", example, "-o", str(tmp_path / "x.txt")]) == 2
    assert "cannot tell the format" in capsys.readouterr().err
    assert main(["render", "blueprint", example, "-f", "mermaid"]) == 2
    assert "a blueprint draws with Graphviz" in capsys.readouterr().err
    out = tmp_path / "journey.md"
    assert main(["render", "journey", example, "-o", str(out)]) == 0
    assert out.read_text().startswith("```mermaid\nflowchart LR")
    assert main(["render", "journey", example, "-o", str(out)]) == 2
    assert main(["render", "journey", "tests/data/broken/binary.yaml"]) == 2
    broken = "tests/data/rules/probabilities/fail-sum.yaml"
    assert main(["render", "journey", broken, "-f", "dot"]) == 0
    capsys.readouterr()
    assert main(["render", "journey", broken, "--heat", "-f", "dot"]) == 1
    assert "--heat needs a journey without errors" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["small.blueprint.dot", "small.journey.dot", "small.heat.dot"])
def test_dot_golden_files(name: str) -> None:
    from tests.regenerate_golden import COMMAND, GOLDEN, GOLDENS

    path = GOLDEN / name
    rendered = GOLDENS[path]()
    assert rendered.startswith(f"// generated by journeymap; regenerate with: {COMMAND}\n")
    assert path.read_text(encoding="utf-8") == rendered, f"if intended, run '{COMMAND}'"
    assert draw(rendered, "svg").warnings == ()


def test_locale_option_picks_the_diagram_language(capsys: pytest.CaptureFixture[str]) -> None:
    example = "examples/parcel-delivery.yaml"
    assert main(["render", "blueprint", example, "-f", "dot", "--locale", "fi"]) == 0
    finnish = capsys.readouterr().out
    assert main(["render", "blueprint", example, "-f", "dot"]) == 0
    english = capsys.readouterr().out
    assert "Kosketuspiste" in finnish
    assert "Kosketuspiste" not in english
    assert main(["render", "journey", example, "-f", "mermaid", "--locale", "fi"]) == 0
    assert "häiriökysyntää" in capsys.readouterr().out.lower()
    assert main(["render", "journey", example, "--locale", "xx"]) == 2

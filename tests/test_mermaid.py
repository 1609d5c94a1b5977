"""Mermaid output: what the diagrams say, golden files, and the real Mermaid parser over them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import journeymap
from journeymap import Figures, Journey, Severity, Touchpoint
from journeymap.model import behaviour
from journeymap.render import style
from journeymap.render.mermaid import flowchart, journey_diagram
from tests.conftest import EXAMPLES, example_files
from tests.regenerate_golden import COMMAND, GOLDENS, ROOT, SMALL

JS = Path(__file__).resolve().parent / "js"
PARSER = JS / "parse-mermaid.mjs"
NODE_MIN = (20, 19)
"""Oldest Node.js the pinned packages run on (``engines`` in tests/js/package.json)."""
INSTALL_HINT = (
    "install Node.js 20.19 or newer and npm: apt-get install nodejs npm "
    "(Debian 13 or later; older releases ship Node.js 18, so take it from NodeSource)"
)
ZWSP = "\u200b"

Parse = Callable[[list[Path]], dict[str, dict[str, Any]]]

HOSTILE = [
    'Say "hello" & #quot; <script>alert(1)</script>',
    "Step 1: pay; then # wait",
    "{{hexagon}} [square] (round) |pipe| end",
    "Line one\nline two\r\nthree",
    "Journey planner",
    "Section 8 form",
    "title deeds",
    "%% not a comment",
    '%%{init: {"theme": "dark"}}%% 100% sure',
    "`code` first; style:#lt;b; end",
    "accDescr { hidden }",
]
"""Titles that break or subvert a diagram unless sanitised."""


def step(journey: Journey, touchpoint_id: str) -> Touchpoint:
    """A touchpoint by id, without ``Journey.touchpoint``: its cached map would outlive a
    ``model_copy`` that replaces the touchpoints, and the copy would see the old ones."""
    return next(tp for tp in journey.touchpoints if tp.id == touchpoint_id)


def hostile(journey: Journey, title: str) -> Journey:
    """``journey`` with ``title`` as the title of itself and every stage, step and channel."""
    return journey.model_copy(
        update={
            "title": title,
            "stages": [s.model_copy(update={"title": title}) for s in journey.stages],
            "touchpoints": [t.model_copy(update={"title": title}) for t in journey.touchpoints],
            "channels": {
                cid: c.model_copy(update={"title": f"{title}, {cid}"})
                for cid, c in journey.channels.items()
            },
        }
    )


@pytest.fixture(scope="session")
def parse_mermaid() -> Parse:
    """Runs tests/js/parse-mermaid.mjs (installing its packages first) on files."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.fail(
            "The Mermaid tests run Mermaid's own parser on Node.js, but "
            f"{'node' if node is None else 'npm'} is not on PATH: {INSTALL_HINT}.",
            pytrace=False,
        )
    version = subprocess.run(
        [node, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    found = tuple(int(part) for part in re.findall(r"\d+", version)[:2])
    if found < NODE_MIN:
        pytest.fail(
            f"The Mermaid tests need Node.js {'.'.join(map(str, NODE_MIN))} or newer; "
            f"{node} is {version or 'unknown'}: {INSTALL_HINT}.",
            pytrace=False,
        )
    if not (JS / "node_modules").is_dir():
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=JS,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(
                f"'npm ci' in {JS} failed ({done.returncode}):\n{done.stdout}{done.stderr}",
                pytrace=False,
            )

    def parse(paths: list[Path]) -> dict[str, dict[str, Any]]:
        done = subprocess.run(
            [node, str(PARSER), *map(str, paths)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        results = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
        if len(results) != len(paths):
            pytest.fail(
                f"the parser answered for {len(results)} of {len(paths)} files:\n"
                f"{done.stdout}{done.stderr}"
            )
        return {Path(result["file"]).name: result for result in results}

    return parse


# Which diagrams go to the parser, and what each must hold


def expected_edges(journey: Journey, figures: Figures | None) -> int:
    """Edges counted from the journey itself: start, next steps, retries, ends, heat legend."""
    edges = 1 + sum(len(tp.next) for tp in journey.touchpoints)
    edges += sum(behaviour.retry_rate(journey, tp) > 0 for tp in journey.touchpoints)
    edges += sum(tp.is_end for tp in journey.touchpoints)
    if figures is not None:
        highest = max(tp.failure_contacts for tp in figures.touchpoints.values())
        edges += len(style.HEAT) - 1 if highest > 0 else 0
    return edges


def diagrams(journey: Journey, stem: str) -> dict[str, tuple[str, Journey, Figures | None]]:
    """The journey's three diagrams by file name, each with its text, journey and figures."""
    figures = journeymap.analyze(journey)
    return {
        f"{stem}.journey.mmd": (journey_diagram(journey), journey, None),
        f"{stem}.flowchart.mmd": (flowchart(journey), journey, None),
        f"{stem}.heat.mmd": (flowchart(journey, figures), journey, figures),
    }


def check_contents(result: dict[str, Any], journey: Journey, figures: Figures | None) -> None:
    """What the parser read matches the journey: no step lost as a comment or a keyword."""
    if result["type"] == "journey":
        assert result["tasks"] == len(journey.touchpoints), result
        return
    steps = {f"t{index}" for index in range(len(journey.touchpoints))}
    assert steps | {"start", "done", "legend_marks"} <= set(result["nodes"]), result
    assert result["edges"] == expected_edges(journey, figures), result


def test_mermaid_parses_every_diagram(tmp_path: Path, parse_mermaid: Parse) -> None:
    cases: dict[str, tuple[str, Journey, Figures | None]] = {}
    for path in example_files():
        cases |= diagrams(journeymap.load(path), path.stem)
    parcel = journeymap.load(EXAMPLES / "parcel-delivery.yaml")
    for index, title in enumerate(HOSTILE):
        cases |= diagrams(hostile(parcel, title), f"hostile-{index}")
    for name, (text, _, _) in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    goldens = [path for path in GOLDENS if path.suffix == ".mmd"]

    results = parse_mermaid([tmp_path / name for name in cases] + goldens)

    failed = {name: r["error"] for name, r in results.items() if not r["ok"]}
    assert not failed, "Mermaid could not parse:\n" + "\n".join(
        f"{name}: {error}\n{cases[name][0] if name in cases else ''}"
        for name, error in failed.items()
    )
    for name, result in results.items():
        wanted = "journey" if name.endswith(".journey.mmd") else "flowchart-v2"
        assert result["type"] == wanted, name
    for name, (_, journey, figures) in cases.items():
        check_contents(results[name], journey, figures)


def test_parser_reports_a_broken_diagram(tmp_path: Path, parse_mermaid: Parse) -> None:
    broken = tmp_path / "broken.mmd"
    broken.write_text("journey\n    title T\n    section S\n        Journey planner: 3: Web\n")
    result = parse_mermaid([broken])["broken.mmd"]
    assert result["ok"] is False
    assert "Parse error" in result["error"]


# Golden files


@pytest.mark.parametrize(
    "path", [path for path in GOLDENS if path.suffix == ".mmd"], ids=lambda path: path.name
)
def test_golden(path: Path) -> None:
    rendered = GOLDENS[path]()
    assert rendered.startswith(f"%% generated by journeymap; regenerate with: {COMMAND}\n")
    message = (
        f"{path.relative_to(ROOT)} differs from the renderer's output; if the change is "
        f"intended, run '{COMMAND}' and review the diff"
    )
    assert path.read_text(encoding="utf-8") == rendered, message


def test_small_journey_has_what_the_goldens_show() -> None:
    assert not [f for f in journeymap.check(SMALL) if f.severity is Severity.ERROR]
    journey = journeymap.load(SMALL)
    assert len(journey.touchpoints) == 4
    assert {tp.stage for tp in journey.touchpoints} == {"apply", "collect"}
    assert all(tp.emotion is not None for tp in journey.touchpoints)
    assert any(tp.demand == "failure" for tp in journey.touchpoints)
    text = flowchart(journey)
    assert text.count("-.->") == 1
    assert "==>" in text


# Journey diagram


def task_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.startswith(" " * 8)]


@pytest.mark.parametrize(
    ("emotion", "score"),
    [(-3, 1), (-2, 2), (-1, 2), (0, 3), (1, 4), (2, 4), (3, 5), (None, 3)],
)
def test_score_follows_emotion(emotion: int | None, score: int) -> None:
    journey = journeymap.load(SMALL)
    first = journey.touchpoints[0].model_copy(update={"emotion": emotion})
    journey = journey.model_copy(update={"touchpoints": [first, *journey.touchpoints[1:]]})
    assert task_lines(journey_diagram(journey))[0] == (
        f"Renew the card online: {score}: Library website, Help desk"
    )


def test_journey_diagram_has_a_section_per_stage_and_marks_failure_demand() -> None:
    text = journey_diagram(journeymap.load(EXAMPLES / "parcel-delivery.yaml"))
    assert text.splitlines()[:3] == [
        "journey",
        "    title Parcel delivery, from order to doorstep",
        "    section Buy",
    ]
    assert [line.strip() for line in text.splitlines() if "section" in line] == [
        "section Buy",
        "section Wait",
        "section Receive",
    ]
    assert (
        f"{style.FAILURE_MARK} Ask where the parcel is: 2: "
        "Shop chat, Shop phone line, Carrier phone line"
    ) in task_lines(text)


def test_journey_diagram_skips_empty_stages_and_lists_primary_channels_first() -> None:
    journey = journeymap.load(EXAMPLES / "parcel-delivery.yaml")
    extra = journey.stages[0].model_copy(update={"id": "idle", "title": "Idle"})
    track = step(journey, "track")
    phone_first = track.model_copy(
        update={"channels": dict(reversed(list(track.channels.items())))}
    )
    touchpoints = [phone_first if tp.id == "track" else tp for tp in journey.touchpoints]
    text = journey_diagram(
        journey.model_copy(update={"stages": [*journey.stages, extra], "touchpoints": touchpoints})
    )
    assert "Idle" not in text
    assert "Track the parcel: 3: Mobile app, Web shop, Shop phone line" in task_lines(text)


def test_journey_diagram_sanitises_names() -> None:
    journey = hostile(journeymap.load(SMALL), "Step 1: pay;\nnow #2, 10:30")
    lines = journey_diagram(journey).splitlines()
    assert lines[1] == "    title Step 1 - pay now 2, 10-30"
    assert lines[2] == "    section Step 1 - pay now 2, 10-30"
    assert lines[3].strip() == (
        "Step 1 - pay now 2, 10-30: 4: Step 1 - pay now 2 10-30 web, Step 1 - pay now 2 10-30 phone"
    )
    for line in lines[1:]:
        name = line.strip().split(": ")[0]
        assert not set(name) & set(":;#\n")


@pytest.mark.parametrize("title", ["Journey planner", "Section 8 form", "TITLE deeds"])
def test_task_named_like_a_keyword_stays_a_task(title: str) -> None:
    journey = hostile(journeymap.load(SMALL), title)
    assert task_lines(journey_diagram(journey))[0].startswith(f"{ZWSP}{title}: 4: ")


def test_no_comment_or_directive_starts_in_a_journey_diagram() -> None:
    journey = hostile(journeymap.load(SMALL), '%%{init: {"theme": "dark"}}%% 100%% sure')
    text = journey_diagram(journey)
    assert "%%" not in text
    assert task_lines(text)[0].startswith('{init - {"theme" - "dark"}}% 100% sure: 4: ')


def test_names_emptied_by_sanitising_fall_back_to_ids() -> None:
    text = journey_diagram(hostile(journeymap.load(SMALL), "#;"))
    assert "    title small" in text.splitlines()
    assert "    section apply" in text.splitlines()
    assert task_lines(text)[0] == "renew: 4: web, phone"


# Flowchart


@pytest.fixture
def parcel() -> Journey:
    return journeymap.load(EXAMPLES / "parcel-delivery.yaml")


def test_flowchart_has_a_subgraph_per_stage_with_generated_ids(parcel: Journey) -> None:
    lines = [line.strip() for line in flowchart(parcel).splitlines()]
    assert lines[0] == "flowchart LR"
    assert [line for line in lines if line.startswith("subgraph s")] == [
        'subgraph s0["Buy"]',
        'subgraph s1["Wait"]',
        'subgraph s2["Receive"]',
    ]
    assert 't0["Place the order<br/>★ Web shop<br/>○ Mobile app"]' in lines
    assert not any("where-is-my-parcel" in line.split("[")[0] for line in lines)


def test_failure_demand_is_a_hexagon_with_a_class(parcel: Journey) -> None:
    lines = [line.strip() for line in flowchart(parcel).splitlines()]
    assert (
        't2{{"⚠ failure demand: No proactive update<br/>Ask where the parcel is<br/>'
        '★ Shop chat<br/>○ Shop phone line<br/>✕ Carrier phone line"}}'
    ) in lines
    assert "class t2 failure" in lines
    [class_def] = [line for line in lines if line.startswith("classDef failure")]
    assert f"fill:{style.FAILURE_FILL}" in class_def
    assert f"stroke:{style.FAILURE_INK}" in class_def
    assert "stroke-dasharray" in class_def


def test_failure_demand_without_cause(parcel: Journey) -> None:
    touchpoints = [
        tp.model_copy(update={"cause": None}) if tp.demand == "failure" else tp
        for tp in parcel.touchpoints
    ]
    text = flowchart(parcel.model_copy(update={"touchpoints": touchpoints}))
    assert 't2{{"⚠ failure demand<br/>Ask where the parcel is<br/>' in text


SWITCHES = """
journeymap: 1
id: switches
stages: [{id: ask}, {id: answer}]
channels:
  web: {context: shop}
  app: {context: shop}
  chat: {}
  phone: {}
  sms: {}
touchpoints:
  - {id: ask, stage: ask, channels: {web: primary, app: alternative, chat: alternative},
     next: [{to: call}]}
  - {id: call, stage: answer, channels: {phone: primary}, next: [{to: text}]}
  - {id: text, stage: answer, channels: {sms: primary}}
"""


def test_channel_switch_gaps_are_thick_edges() -> None:
    lines = [line.strip() for line in flowchart(journeymap.loads(SWITCHES)).splitlines()]
    # ask -> call: no channel of the first step shares a store with the phone line.
    assert "t0 ==>|100% ✂ web→phone, app→phone, …| t1" in lines
    # call -> text: the service sends a text; a message is no switch, so no gap.
    assert "t1 -->|100%| t2" in lines
    edges = [line for line in lines if re.match(r'(start\(\("start"\)\)|t\d+) ', line)]
    gap_indexes = [str(index) for index, line in enumerate(edges) if "==>" in line]
    assert gap_indexes == ["1"]
    assert f"linkStyle 1 stroke:{style.GAP_INK}" in "\n".join(lines)


def test_retry_loops_are_dotted_self_edges(parcel: Journey) -> None:
    lines = [line.strip() for line in flowchart(parcel).splitlines()]
    assert "t0 -.->|retry 70#37;| t0" in lines
    assert "t2 -.->|retry 85#37;| t2" in lines
    assert "t3 -.->|retry 90#37;| t3" in lines
    small = [line.strip() for line in flowchart(journeymap.load(SMALL)).splitlines()]
    assert [line for line in small if "-.->" in line] == ["t0 -.->|retry 60#37;| t0"]


def test_start_points_at_the_entry_and_ends_at_done(parcel: Journey) -> None:
    lines = [line.strip() for line in flowchart(parcel).splitlines()]
    assert 'start(("start")) --> t0' in lines
    assert [line for line in lines if "done" in line] == ['t3 --> done((("done")))']
    later = parcel.model_copy(update={"start": "track"})
    assert 'start(("start")) --> t1' in flowchart(later)


def test_flowchart_labels_are_escaped(parcel: Journey) -> None:
    text = flowchart(hostile(parcel, 'Say "hi" #1; <b>x</b> & `y` 50%% a:b'))
    label = "Say #quot;hi#quot; #35;1; #lt;b#gt;x#lt;/b#gt; #amp; #96;y#96; 50#37;#37; a#58;b"
    assert f't0["{label}<br/>' in text
    assert f'subgraph s0["{label}"]' in text
    assert (
        "\n" not in flowchart(hostile(parcel, "two\nlines")).split("subgraph s0")[1].split("]")[0]
    )


def test_heat_overlay(parcel: Journey) -> None:
    figures = journeymap.analyze(parcel)
    text = flowchart(parcel, figures)
    lines = [line.strip() for line in text.splitlines()]
    highest = max(tp.failure_contacts for tp in figures.touchpoints.values())
    for index, tp in enumerate(parcel.touchpoints):
        numbers = figures.touchpoints[tp.id]
        count = round(numbers.failure_contacts * 1000)
        assert f"failure {count:,} / 1,000" in text
        colour = style.heat_colour(numbers.failure_contacts, highest)
        assert any(line.startswith(f"style t{index} fill:{colour},") for line in lines)
    worst = sorted(parcel.touchpoints, key=lambda tp: -figures.touchpoints[tp.id].abandoned)[:3]
    assert text.count(style.GIVE_UP_MARK + " gives up") == 3
    for tp in worst:
        given_up = round(figures.touchpoints[tp.id].abandoned * 1000)
        node = next(line for line in lines if line.startswith(f"t{parcel.touchpoints.index(tp)}"))
        assert f"▼ gives up {given_up} / 1,000" in node


def test_legend_explains_every_mark(parcel: Journey) -> None:
    plain = flowchart(parcel).split('subgraph legend["Legend"]')[1]
    for mark in [*style.ROLE_SYMBOLS.values(), style.FAILURE_MARK, style.GAP_MARK]:
        assert mark in plain
    heat = flowchart(parcel, journeymap.analyze(parcel)).split('subgraph legend["Legend"]')[1]
    assert style.GIVE_UP_MARK in heat
    for colour in style.HEAT:
        assert f"fill:{colour}," in heat


def test_figures_of_another_journey_are_refused(parcel: Journey) -> None:
    figures = journeymap.analyze(journeymap.load(SMALL))
    with pytest.raises(ValueError, match="the figures are for journey 'small', not 'parcel"):
        flowchart(parcel, figures)


# Determinism


def test_same_journey_same_text(parcel: Journey) -> None:
    again = journeymap.load(EXAMPLES / "parcel-delivery.yaml")
    assert journey_diagram(parcel) == journey_diagram(again)
    assert flowchart(parcel) == flowchart(again)
    assert flowchart(parcel, journeymap.analyze(parcel)) == flowchart(
        again, journeymap.analyze(again)
    )


def test_same_text_whatever_the_hash_seed() -> None:
    script = (
        "import journeymap, sys\n"
        "from journeymap.render.mermaid import flowchart, journey_diagram\n"
        "j = journeymap.load(sys.argv[1])\n"
        "sys.stdout.write(journey_diagram(j) + flowchart(j, journeymap.analyze(j)))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, str(EXAMPLES / "broadband-fault-repair.yaml")],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1

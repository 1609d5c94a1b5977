"""``journeymap analyze`` on a journey with ranges: 90% intervals beside the headline figures.

A journey without ranges prints what it always did (``test_analyze_golden`` holds the JSON
byte for byte); ``--draws 0`` turns the intervals off.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from journeymap.cli import main
from journeymap.flow import analyze
from journeymap.loader import load
from tests.conftest import DATA

PERMIT = DATA / "uncertainty" / "permit.yaml"
PLAIN = DATA / "small.yaml"
"""A journey without ranges."""


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["analyze", *args]) == 0
    return capsys.readouterr().out


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_run(capsys, *args, "--json"))
    return data


def test_every_headline_figure_has_its_interval(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(capsys, str(PERMIT))
    percent = r"\d+\.\d% \(\d+\.\d–\d+\.\d%\)"
    number = r"\d+\.\d{3} \(\d+\.\d{3}–\d+\.\d{3}\)"
    for label, shape in [
        ("completion rate", percent),
        ("abandon rate", percent),
        ("contacts per customer", number),
        ("messages per customer", number),
        ("failure-demand ratio", percent),
        ("cost per customer", number),
    ]:
        assert re.search(rf"│ {label} +│ +{shape} │", out), label
    ratio = _json(capsys, str(PERMIT))["uncertainty"]["figures"]["failure_demand_ratio"]
    shown = f"19.9% ({ratio['low']:.1%}".removesuffix("%") + f"–{ratio['high']:.1%})"
    assert f"│ failure-demand ratio     │  {shown} │" in out
    assert "in brackets: 90% interval over 1,000 draws of the file's 8 ranges (seed 0)" in out
    assert "Ranges behind the failure-demand ratio's interval" in out
    assert re.search(r"│ touchpoints\.apply\.channels\.web\.resolve +│ +55–95% │ +\d+% │", out)


def test_json_has_the_uncertainty(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, str(PERMIT))
    spread = data["uncertainty"]
    assert (spread["draws"], spread["seed"], spread["level"]) == (1000, 0, 0.9)
    ratio = spread["figures"]["failure_demand_ratio"]
    assert ratio["point"] == pytest.approx(data["failure_demand_ratio"])
    assert ratio["low"] < ratio["point"] < ratio["high"]
    assert len(spread["ranges"]) == 8
    assert set(data) - {"uncertainty"} == set(analyze(load(PERMIT)).as_dict())


def test_draws_and_seed(capsys: pytest.CaptureFixture[str]) -> None:
    first = _run(capsys, str(PERMIT), "--json", "--draws", "200", "--seed", "7")
    again = _run(capsys, str(PERMIT), "--json", "--draws", "200", "-s", "7")
    other = _run(capsys, str(PERMIT), "--json", "--draws", "200", "--seed", "8")
    assert first == again
    assert first != other
    spread = json.loads(first)["uncertainty"]
    assert (spread["draws"], spread["seed"]) == (200, 7)
    assert _run(capsys, str(PERMIT)) == _run(capsys, str(PERMIT))


def test_no_draws_gives_the_figures_alone(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, str(PERMIT), "--json", "--draws", "0") == (
        analyze(load(PERMIT)).to_json() + "\n"
    )
    out = _run(capsys, str(PERMIT), "--draws", "0")
    assert "in brackets" not in out
    assert "│ failure-demand ratio     │     19.9% │" in out


def test_a_journey_without_ranges_is_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, str(PLAIN), "--json") == analyze(load(PLAIN)).to_json() + "\n"
    text = _run(capsys, str(PLAIN))
    assert text == _run(capsys, str(PLAIN), "--draws", "0")
    assert "in brackets" not in text
    headline = text.split("Headline")[1].split("Touchpoints")[0]
    assert "(" not in headline


def test_intervals_go_to_the_output_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "figures.txt"
    assert main(["analyze", str(PERMIT), "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_text("utf-8") == _run(capsys, str(PERMIT))
    assert "in brackets: 90% interval" in target.read_text("utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--draws", "-5"], "argument --draws: -5 is below 0"),
        (["--draws", "lots"], "argument --draws: lots is not a whole number"),
        (["--seed", "x"], "argument -s/--seed: invalid int value: 'x'"),
    ],
)
def test_bad_draws_or_seed_are_usage_errors(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", str(PERMIT), *args]) == 2
    assert message in capsys.readouterr().err

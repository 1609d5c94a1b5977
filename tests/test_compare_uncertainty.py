"""Comparing journeys with ranges: in what share of draws the redesign does better.

Both sides take the same draws (one seed, a range at the same place drawn alike), so the
share follows from where the ranges differ: ``permit.wider-web.yaml`` widens the web form's
resolve from 55–95% to 30–99%, and does better only where a draw lies above 86% of the way.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import journeymap
from journeymap.cli import main
from journeymap.locales.messages import catalog
from journeymap.report.compare import compare
from journeymap.report.templating import fill
from tests.browser import visit
from tests.conftest import DATA
from tests.test_report_uncertainty import _midpoints

FOLDER = DATA / "report-uncertainty"
PERMIT = FOLDER / "permit.yaml"
WIDER = FOLDER / "permit.wider-web.yaml"
CLEARER = FOLDER / "permit.clearer-form.yaml"
PAIRED = ("failure_demand_ratio", "completion_rate", "abandon_rate", "contacts_per_customer")


def _rows(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["key"]: row for row in data["headline"]}


def test_the_share_of_draws_follows_where_the_ranges_differ() -> None:
    data = compare(journeymap.load(PERMIT), journeymap.load(WIDER), locale="en")
    sure = data["how_sure"]
    assert (sure["draws"], sure["seed"]) == (1000, 0)
    shares = sure["better_in_share_of_draws"]
    # Paired draws: better exactly where the new web form resolves more, above 86%.
    expected = 1 - (0.55 - 0.3) / ((0.99 - 0.3) - (0.95 - 0.55))
    for key in PAIRED:
        assert shares[key] == pytest.approx(expected, abs=0.01), key
    rows = _rows(data)
    assert rows["failure_demand_ratio"]["better"] is False
    assert (
        rows["failure_demand_ratio"]["better_in_share_of_draws"] == shares["failure_demand_ratio"]
    )
    assert "better_in_share_of_draws" not in rows["first_contact_resolution"]


def test_a_journey_compared_with_itself_is_never_better() -> None:
    data = compare(journeymap.load(PERMIT), journeymap.load(PERMIT), locale="en")
    assert data["changed"] is False
    assert set(data["how_sure"]["better_in_share_of_draws"].values()) == {0.0}
    text = fill("compare.md.j2", catalog("en"), compare=data)
    assert "better in" not in text  # no change shown, so nothing to be sure of


def test_every_format_gives_the_share(tmp_path: Path) -> None:
    texts = catalog("en")
    data = compare(journeymap.load(PERMIT), journeymap.load(CLEARER), locale="en")
    share = data["how_sure"]["better_in_share_of_draws"]["failure_demand_ratio"]
    shown = texts.text("report.uncertainty.better-in", share=texts.percent(share, 0))
    md = fill("compare.md.j2", texts, compare=data)
    assert "| Figure | Before | After | Change | How sure |" in md
    assert re.search(rf"^\| Failure-demand ratio \| .* \| {re.escape(shown)} \|$", md, re.M)
    assert texts.text("report.uncertainty.compare-note", draws="1,000", seed=0) in md
    html = fill("compare.html.j2", texts, compare=data)
    assert f'<td class="sure">{shown}</td>' in html
    assert "<th>How sure</th>" in html
    out = tmp_path / "compare.json"
    assert main(["compare", str(PERMIT), str(CLEARER), "-o", str(out)]) == 0
    saved = json.loads(out.read_text("utf-8"))
    assert saved["how_sure"] == data["how_sure"]
    seen = visit(_write(tmp_path / "compare.html", html), tmp_path / "browser")
    assert seen.console_errors == []
    assert seen.requests == []


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_same_seed_gives_byte_identical_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795392000")
    for fmt in ("md", "json", "html"):
        runs = []
        for run in range(2):
            out = tmp_path / f"compare-{run}.{fmt}"
            args = ["compare", str(PERMIT), str(WIDER), "-o", str(out), "--seed", "7"]
            assert main([*args, "--draws", "300", "--force"]) == 0
            runs.append(out.read_bytes())
        assert runs[0] == runs[1], fmt
    data = json.loads((tmp_path / "compare-0.json").read_text("utf-8"))
    assert (data["how_sure"]["draws"], data["how_sure"]["seed"]) == (300, 7)


def test_one_side_without_ranges_is_drawn_against_its_point_values(tmp_path: Path) -> None:
    plain = tmp_path / "plain.yaml"
    plain.write_text(_midpoints(PERMIT.read_text("utf-8")), encoding="utf-8")
    data = compare(journeymap.load(plain), journeymap.load(PERMIT), locale="en")
    shares = data["how_sure"]["better_in_share_of_draws"]
    assert 0 < shares["failure_demand_ratio"] < 1  # the ranges swing either way of the midpoints
    both_plain = compare(journeymap.load(plain), journeymap.load(plain))
    assert "how_sure" not in both_plain
    assert all("better_in_share_of_draws" not in row for row in both_plain["headline"])


def test_finnish_comparison_says_how_sure() -> None:
    data = compare(journeymap.load(PERMIT), journeymap.load(CLEARER), locale="fi")
    md = fill("compare.md.j2", catalog("fi"), compare=data)
    assert "| Kuinka varma |" in md
    assert "parempi 100\xa0%:ssa arvonnoista" in md
    assert "Kuinka varma: osuus 1\xa0000 arvonnasta (siemenluku 0)" in md


def test_no_draws_turn_the_shares_off(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(PERMIT), str(WIDER), "--draws", "0"]) == 0
    out = capsys.readouterr().out
    assert "How sure" not in out
    assert "| Failure-demand ratio | 19.9% | 22.3% | +2.4 pp (worse) |\n" in out
    assert main(["compare", str(PERMIT), str(WIDER), "--draws", "-1"]) == 2
    assert "--draws: -1 is below 0" in capsys.readouterr().err

"""Revision 2 changes nothing for journeys that use none of it: ``analyze --json`` byte for byte.

The golden files under ``tests/golden/analyze/`` hold the output of revision 1 of the model
for every test journey without an outbound channel or a revision-2 key, one file per
journey (``rules__no-exit__pass.json`` is ``tests/data/rules/no-exit/pass.yaml``). They
are reviewed output and are never regenerated: a difference is a change of the model.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from journeymap.cli import main
from tests.conftest import DATA, ROOT

GOLDEN = Path(__file__).resolve().parent / "golden" / "analyze"


def _journey(golden: Path) -> Path:
    return DATA.joinpath(*golden.stem.split("__")).with_suffix(".yaml")


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*.json")), ids=lambda p: p.stem)
def test_analyze_json_is_unchanged(
    golden: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    main(["analyze", "--json", str(_journey(golden).relative_to(ROOT))])
    assert capsys.readouterr().out == golden.read_text(encoding="utf-8")


def test_every_golden_names_a_journey() -> None:
    goldens = sorted(GOLDEN.glob("*.json"))
    assert len(goldens) >= 40
    assert all(_journey(golden).is_file() for golden in goldens)

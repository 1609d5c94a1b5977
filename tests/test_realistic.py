"""Journeys written as service designers write them give exactly the warnings a reviewer signs.

Each file in ``tests/data/realistic/`` ends in ``# expect: rule line:col`` lines (as the rule
cases do) naming the design flaws put in on purpose, and nothing else.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import journeymap
from journeymap.rules import run
from tests.conftest import DATA
from tests.test_rules import _expected

JOURNEYS = sorted((DATA / "realistic").glob("*.yaml"))


def test_there_are_realistic_journeys_in_both_locales() -> None:
    locales = {journeymap.read(path).journey.locale for path in JOURNEYS}  # type: ignore[union-attr]
    assert len(JOURNEYS) >= 3
    assert locales == {"en", "fi"}


@pytest.mark.parametrize("path", JOURNEYS, ids=lambda p: p.stem)
def test_findings_are_the_flaws_put_in_on_purpose(path: Path) -> None:
    loaded = journeymap.read(path)
    assert loaded.errors == ()
    found = [f"{f.rule} {f.line}:{f.column}" for f in run(loaded)]
    assert found == _expected(path)
    assert found, "a realistic journey carries at least one flaw on purpose"

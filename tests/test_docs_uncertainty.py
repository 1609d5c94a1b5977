"""The worked example of docs/uncertainty.md: its figures are what journeymap computes."""

from __future__ import annotations

from pathlib import Path

import pytest

import journeymap
from journeymap.uncertainty import Uncertainty

DOC = Path("docs/uncertainty.md").read_text(encoding="utf-8")
EXAMPLE = Path("docs/examples/parking-permit.yaml")


@pytest.fixture(scope="module")
def found() -> Uncertainty:
    result = journeymap.uncertainty(journeymap.load(EXAMPLE), draws=1000, seed=0)
    assert result is not None
    return result


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


@pytest.mark.parametrize(
    ("figure", "label"),
    [("failure_demand_ratio", "failure-demand ratio"), ("completion_rate", "completion")],
)
def test_the_intervals_in_the_doc_are_computed(found: Uncertainty, figure: str, label: str) -> None:
    interval = found.figures[figure]
    row = (
        f"| {label} | {_percent(interval.point)} | "
        f"{interval.low * 100:.1f}–{interval.high * 100:.1f}% |"
    )
    assert row in DOC


def test_the_contacts_interval_in_the_doc_is_computed(found: Uncertainty) -> None:
    interval = found.figures["contacts_per_customer"]
    row = f"| {interval.point:.2f} | {interval.low:.2f}–{interval.high:.2f} |"
    assert row in DOC


def test_the_variance_shares_in_the_doc_are_computed(found: Uncertainty) -> None:
    leading = found.leading("failure_demand_ratio")[:4]
    for slot, share in leading:
        assert slot.range is not None
        low, high = slot.range
        assert f"| `{slot.key}` `[{low:g}, {high:g}]` | {_percent(share)} |" in DOC


def test_the_sensitivity_rows_in_the_doc_are_computed() -> None:
    table = journeymap.sensitivity(journeymap.load(EXAMPLE))
    for row in table.top(4):
        assert row.lower is not None
        assert row.upper is not None
        origin = "the file" if row.slot.in_file else "not in the file"
        line = (
            f"| `{row.slot.key}` | {row.slot.value * 100:.0f}% | {origin} | {row.slot.status} "
            f"| {_percent(row.lower[1])} | {_percent(row.upper[1])} |"
        )
        assert line in DOC

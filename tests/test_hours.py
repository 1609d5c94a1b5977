"""Opening hours: the forms designers write, in English and Finnish, and clear refusals."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journeymap.model import parse_hours


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("24/7", 168),
        ("mon-fri 08:00-18:00", 50),
        ("mon-fri 08:00-18:00, sat 10:00-14:00", 54),
        ("ma-pe 8-16", 40),
        ("ma-to 9-16, pe 9-15", 34),
        ("ma-pe 08.00-16.15", 41.25),
        ("daily 22-06", 56),
        ("fri-mon 9-17", 32),
        ("sun 20:00-24:00", 4),
        ("mon 8-12 13-16", 7),
        ("Mon-Fri 9-17", 40),
    ],
)
def test_hours_per_week(text: str, hours: float) -> None:
    assert parse_hours(text).hours_per_week == hours


def test_only_a_full_week_is_always_open() -> None:
    assert parse_hours("24/7").always_open
    assert parse_hours("mon-sun 00:00-24:00").always_open
    assert not parse_hours("mon-sun 00:00-23:59").always_open


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mon-fry 8-16", "unknown day 'fry' (use mon..sun or ma..su)"),
        ("mon 25-26", "'25-26' is not a time of day"),
        ("mon", "'mon' needs days and times"),
        ("mon-fri 8-16 lunch", "times '8-16 lunch' unclear"),
        ("office hours", "unknown day 'office'"),
    ],
)
def test_unreadable_hours_say_why(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_hours(text)


@given(
    st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun", "ma", "pe", "su"]),
    st.integers(0, 23),
    st.integers(1, 24),
)
def test_a_week_never_has_more_than_168_hours(day: str, start: int, end: int) -> None:
    hours = parse_hours(f"{day} {start}-{end}, daily {end % 24}-{start}")
    assert 0 < hours.hours_per_week <= 168

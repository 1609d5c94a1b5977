"""Languages: every message in every language, locale number formats, a third language is a file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from journeymap import locales
from journeymap.locales import messages
from journeymap.locales.messages import _read, catalog

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_languages_are_english_first() -> None:
    assert locales.available()[0] == "en"
    assert "fi" in locales.available()


@pytest.mark.parametrize("code", [c for c in locales.available() if c != "en"])
def test_every_language_has_every_message_with_the_same_placeholders(code: str) -> None:
    english = _read("en")["messages"]
    other = _read(code)["messages"]
    assert set(other) == set(english)
    for key, text in english.items():
        assert set(PLACEHOLDER.findall(other[key])) == set(PLACEHOLDER.findall(text)), key


def test_finnish_differs_from_english_where_words_are_translated() -> None:
    english, finnish = _read("en")["messages"], _read("fi")["messages"]
    same = {k for k in english if english[k] == finnish[k]}
    # Only symbols and units may be the same in both languages.
    assert all(not re.search(r"[a-z]{4,}", english[k]) for k in same), sorted(same)


def test_numbers_and_percentages_are_formatted_for_the_language() -> None:
    assert catalog("en").number(1786.4) == "1,786"
    assert catalog("fi").number(1786.4) == "1\xa0786"
    assert catalog("en").percent(0.1623) == "16.2%"
    assert catalog("fi").percent(0.1623) == "16,2\xa0%"
    assert catalog("fi").percent(0.5, 0) == "50\xa0%"
    assert catalog("en").number(2.3456, 2) == "2.35"


def test_a_range_shows_both_ends() -> None:
    from journeymap.model.estimate import Estimate

    assert catalog("en").percent(Estimate(0.05, 0.15), 0) == "5%–15%"
    assert catalog("fi").percent(Estimate(0.6, 0.8), 0) == "60\xa0%–80\xa0%"


def test_dates_are_written_in_the_language() -> None:
    import datetime

    day = datetime.date(2026, 11, 23)
    assert catalog("en").date(day) == "November 23, 2026"
    assert catalog("fi").date(day) == "23. marraskuuta 2026"


def test_placeholders_are_filled_and_unknown_keys_are_named() -> None:
    assert catalog("en").text("report.generated", date="today") == "Made on today"
    with pytest.raises(KeyError, match=r"no message 'no\.such'"):
        catalog("fi").text("no.such")
    with pytest.raises(KeyError, match=r"known: en, fi"):
        catalog("xx")


def test_labels_fall_back_to_the_name() -> None:
    assert catalog("fi").label("causes", "waiting") == "Odottaminen"
    assert catalog("fi").label("causes", "our-own-cause") == "our-own-cause"


def test_a_third_language_is_one_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "locales"
    shutil.copytree(locales.FOLDER, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (folder / "sv.yaml").write_text(
        "name: svenska\nmessages:\n  report.title: Felefterfrågan\n", encoding="utf-8"
    )
    monkeypatch.setattr(locales, "FOLDER", folder)
    monkeypatch.setattr(messages, "FOLDER", folder)
    catalog.cache_clear()
    try:
        assert "sv" in locales.available()
        swedish = catalog("sv")
        assert swedish.text("report.title") == "Felefterfrågan"
        # What the file does not translate yet falls back to English.
        assert swedish.text("report.completion") == "Completion"
        assert swedish.number(1786.4) == "1\xa0786"
    finally:
        catalog.cache_clear()


def test_durations_are_written_in_whole_units_of_the_language() -> None:
    import datetime

    assert catalog("en").duration(datetime.timedelta(days=7)) == "7 days"
    assert catalog("fi").duration(datetime.timedelta(days=10)) == "10 päivää"
    assert catalog("en").duration(datetime.timedelta(minutes=90)) == "90 minutes"
    assert catalog("fi").duration(datetime.timedelta(hours=1)) == "1 tunti"


# A number as a message writes it: a placeholder, or digits not part of a word ("p50" is a
# label) with an optional per cent sign ("90 %").
_NUMBER = r"(?:\{\w+\}|(?<![\w.,])(?>\d{1,3}(?:[ ,]\d{3})*(?:[.,]\d+)?)(?:\s*%)?)"
_RUN_TOGETHER = re.compile(rf"{_NUMBER}\s+(?=\{{\w+\}}|\d)")
_NOT_NUMBERS = {"from", "to", "item", "touchpoint", "channel", "cause", "owner", "source"}
_NOT_NUMBERS |= {"mark", "give_up", "gap", "pairs", "gaps", "scope", "window", "date"}
"""Placeholders that stand for names, symbols or phrases: a number may stand beside them."""


def _run_togethers(text: str) -> list[str]:
    """Places in ``text`` where two numbers stand side by side with only spaces between."""
    found = []
    for match in _RUN_TOGETHER.finditer(text):
        first = match.group(0).strip()
        rest = text[match.end() :]
        second = PLACEHOLDER.match(rest)
        if first.strip("{}") in _NOT_NUMBERS or (second and second.group(1) in _NOT_NUMBERS):
            continue
        found.append(f"{first} {rest[:5]}")
    return found


@pytest.mark.parametrize("code", locales.available())
def test_no_message_runs_two_numbers_together(code: str) -> None:
    """'maksaa {cost} 1 000 asiakasta kohden' reads as one number: words must part numbers."""
    found = {k: _run_togethers(v) for k, v in _read(code)["messages"].items()}
    assert {k: v for k, v in found.items() if v} == {}


def test_the_run_together_check_finds_what_it_should() -> None:
    assert _run_togethers("maksaa {cost} 1 000 asiakasta kohden") == ["{cost} 1 000"]
    assert _run_togethers("90 % {p90}; 95 % {p95}") == ["90 % {p90}", "95 % {p95}"]
    assert _run_togethers("{to} {count} kertaa") == []  # {to} names a channel: no number
    assert _run_togethers("p50 {p50}, p90 {p90}") == []
    assert _run_togethers("maksaa 1 000 asiakasta kohden {cost}") == []

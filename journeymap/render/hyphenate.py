"""Hyphenation for wrapped diagram text: Finnish by rule, other languages with pyphen.

pyphen has no Finnish dictionary, so Finnish words are split into syllables by the
standard rules: a boundary before a consonant followed by a vowel (ka-la, kis-sa,
rans-ka) and between two vowels that are neither a long vowel nor a diphthong (ta-lo-us,
häi-ri-ö). Compounds split at their syllables too (po-ti-las-tie-to).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import pyphen

VOWELS = frozenset("aeiouyäöå")
DIPHTHONGS = frozenset(
    {"ai", "ei", "oi", "ui", "yi", "äi", "öi", "au", "eu", "iu", "ou", "ey", "iy", "äy"}
    | {"öy", "ie", "uo", "yö"}
)
"""Finnish diphthongs; the long vowels (aa, ee, ...) also stay in one syllable."""
CLOSING = frozenset(["au", "eu", "iu", "ou", "ey", "iy", "äy", "öy"])
"""Diphthongs ending in u or y: outside the first syllable they split before a closed
syllable (ta-lo-us, kor-ke-us) but not before an open one (yh-tey-den)."""
EDGE = 2
"""Fewest letters left before or after a break."""
PARTS = (
    "otto",
    "oton",
    "ilmoitu",
    "osoit",
    "asia",
    "aika",
    "ajan",
    "ohje",
    "oikeu",
    "alue",
    "ehto",
    "ehdo",
    "arvio",
    "apu",
    "avu",
    "etu",
    "edu",
    "ennakko",
    "esity",
    "esite",
    "ote",
    "otte",
    "opas",
    "oppa",
    "ovi",
    "oven",
    "omist",
    "ajo",
    "auto",
    "ilma",
    "itse",
    "uusi",
    "uude",
    "yhtey",
    "yhteis",
    "ensi",
    "ulko",
    "aloit",
    "avau",
    "osto",
    "uhri",
)
"""Common vowel-initial compound parts: 'yhteyden-otto' splits before the part, not
before the consonant the syllable rule would take ('yhteyde-notto')."""


def finnish_syllables(word: str) -> list[int]:
    """Offsets in ``word`` where a Finnish syllable starts (never 0)."""
    low = word.lower()
    points: list[int] = []
    seen_vowel = False
    i = 0
    while i < len(low):
        if low[i] in VOWELS:
            i = _vowel_run(low, i, points, first=not points)
            seen_vowel = True
            continue
        if seen_vowel and i + 1 < len(low) and low[i + 1] in VOWELS and _letter(low, i - 1):
            points.append(i)
        i += 1
    return sorted(_compound_seams(low, set(points)))


def _compound_seams(low: str, points: set[int]) -> set[int]:
    """Boundaries moved to the seams before known parts: before 'C+part' comes after the C."""
    for part in PARTS:
        for found in re.finditer(part, low):
            at = found.start()
            if at < 3 or not low[at - 1].isalpha():
                continue
            if low[at - 1] in VOWELS:
                if len(part) >= 4:
                    points.add(at)
            elif at - 1 in points:
                points.discard(at - 1)
                points.add(at)
    return points


def _letter(low: str, i: int) -> bool:
    return i >= 0 and low[i].isalpha()


def _vowel_run(low: str, start: int, points: list[int], *, first: bool) -> int:
    """Add the boundaries inside the vowel sequence at ``start``; return where it ends."""
    end = start
    while end < len(low) and low[end] in VOWELS:
        end += 1
    i = start
    while i < end:
        pair = low[i : i + 2] if i + 1 < end else ""
        nucleus = 2 if pair and _one_syllable(low, i, end, first=first) else 1
        i += nucleus
        first = False
        if i < end:
            points.append(i)
    return end


def _one_syllable(low: str, i: int, end: int, *, first: bool) -> bool:
    """True where the two vowels at ``i`` are a long vowel or a diphthong in this place."""
    pair = low[i : i + 2]
    if pair[0] == pair[1]:
        return True
    if pair not in DIPHTHONGS:
        return False
    if pair in CLOSING and not first and i + 2 == end:
        after = low[end : end + 2]
        closed = len(after) > 0 and (len(after) == 1 or after[1] not in VOWELS)
        return not closed
    return True


@functools.cache
def _pyphen(lang: str) -> pyphen.Pyphen | None:
    try:
        return pyphen.Pyphen(lang=lang)
    except KeyError:
        return None


def _dictionary(locale: str) -> Callable[[str], list[int]]:
    """The syllable finder for ``locale``: Finnish rules, pyphen, or English as a fallback."""
    lang = locale.replace("-", "_").split("_")[0].lower()
    if lang == "fi":
        return finnish_syllables
    found = _pyphen(locale.replace("-", "_")) or _pyphen(lang)
    dictionary = found or _pyphen("en_GB")
    if dictionary is None:
        return lambda word: []
    return lambda word: list(dictionary.positions(word))


def break_points(word: str, locale: str = "en") -> list[int]:
    """Offsets where ``word`` may break with a hyphen, at least two letters from either end.

    Only letters are hyphenated: a word with digits or punctuation breaks within its
    letter runs, and after a hyphen it already has.
    """
    points: set[int] = set()
    find = _dictionary(locale)
    start = 0
    for end in [*range(len(word)), len(word)]:
        if end < len(word) and word[end].isalpha():
            continue
        run = word[start:end]
        if len(run) >= 2 * EDGE:
            points.update(start + p for p in find(run) if EDGE <= p <= len(run) - EDGE)
        if end < len(word) and word[end] == "-" and EDGE <= end + 1 <= len(word) - EDGE:
            points.add(end + 1)
        start = end + 1
    return sorted(points)


def hyphenated(word: str, locale: str = "en") -> str:
    """``word`` with its break points shown: 'po-ti-las-tie-to'."""
    out = word
    for point in reversed(break_points(word, locale)):
        if out[point - 1] != "-":
            out = out[:point] + "-" + out[point:]
    return out


def split(word: str, room: int, locale: str = "en") -> tuple[str, str] | None:
    """``word`` broken so its head (with a hyphen) fits ``room`` characters, or ``None``."""
    fits = [p for p in break_points(word, locale) if p + (word[p - 1] != "-") <= room]
    if not fits:
        return None
    point = fits[-1]
    head = word[:point] if word[point - 1] == "-" else word[:point] + "-"
    return head, word[point:]

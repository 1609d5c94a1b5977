"""Inline suppression: ``# journeymap: disable=rule-name`` silences that rule on that line.

``# journeymap: disable-next-line=rule-name`` on a line of its own silences the next line.
Several rules are separated by commas; rule codes (``JM202``) work too. A suppression that
names an unknown rule, or silences nothing, is itself reported, so none goes stale.
"""

from __future__ import annotations

import difflib
import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass

from journeymap.findings import Finding, Severity
from journeymap.rules.registry import RULES, Rule, RuleSet

SUPPRESSION = "suppression-comment"
_COMMENT = re.compile(
    r"(?:^|\s)#\s*journeymap:\s*disable(?P<next>-next-line)?(?:\s*=\s*(?P<names>[\w, -]*))?"
)

RULES.add(
    Rule(
        "JM901",
        SUPPRESSION,
        Severity.WARNING,
        "A suppression comment names an unknown rule or silences nothing",
        inspect.cleandoc(
            """``# journeymap: disable=rule-name`` silences one rule on its line (and
            ``disable-next-line=`` on the next line). One that names no known rule, or that
            no longer silences anything, hides nothing and misleads readers: fix or remove it.

            Fails:
                ```yaml
                channels: {web: {}, fax: {}}  # journeymap: disable=unsued
                ```

            Passes:
                ```yaml
                channels: {web: {}, fax: {kind: outbound}}  # journeymap: disable=unused
                ```
            """
        ),
    )
)


@dataclass(frozen=True)
class Suppression:
    """A suppression comment: the line it silences, where it stands, and the rules it names."""

    target: int
    line: int
    column: int
    names: tuple[str, ...]


def parse(text: str) -> list[Suppression]:
    """Every suppression comment in a journey file's text."""
    found: list[Suppression] = []
    if "journeymap:" not in text.replace("\njourneymap:", ""):
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        match = _COMMENT.search(line) if "journeymap:" in line and "#" in line else None
        if match is None:
            continue
        names = tuple(n.strip() for n in (match.group("names") or "").split(",") if n.strip())
        own_line = not line[: match.start()].strip()
        target = number + 1 if match.group("next") and own_line else number
        found.append(
            Suppression(
                target, number, match.start("names") + 1 if names else match.start() + 1, names
            )
        )
    return found


def apply(
    findings: Iterable[Finding],
    text: str,
    path: str,
    level: Severity | None,
    rules: RuleSet = RULES,
) -> list[Finding]:
    """Drop the findings a comment silences; add findings for comments that are wrong.

    ``level`` is the severity of ``suppression-comment`` findings (``None``: not reported).
    """
    comments = parse(text)
    silenced = {(c.target, _name(n, rules)) for c in comments for n in c.names}
    kept, used = [], set()
    for finding in findings:
        rule = rules.get(finding.rule)
        key = (finding.line, finding.rule)
        if rule is not None and rule.configurable and key in silenced:
            used.add(key)
        else:
            kept.append(finding)
    if level is not None:
        kept.extend(_problems(comments, used, path, level, rules))
    return kept


def _name(name: str, rules: RuleSet) -> str:
    rule = rules.get(name)
    return rule.name if rule is not None else name


def _problems(
    comments: list[Suppression],
    used: set[tuple[int, str]],
    path: str,
    level: Severity,
    rules: RuleSet,
) -> list[Finding]:
    out: list[Finding] = []
    for comment in comments:
        messages = (
            []
            if comment.names
            else ["a suppression names no rule; write # journeymap: disable=rule-name"]
        )
        for name in comment.names:
            rule = rules.get(name)
            if rule is None:
                close = difflib.get_close_matches(name, rules.names(), n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                messages.append(f"suppression names unknown rule '{name}'{hint}")
            elif not rule.configurable:
                messages.append(f"'{rule.name}' cannot be suppressed: the journey must load")
            elif (comment.target, rule.name) not in used:
                messages.append(
                    f"suppression of '{rule.name}' silences nothing on line {comment.target}; "
                    "remove it"
                )
        out.extend(
            Finding(path, comment.line, comment.column, SUPPRESSION, level, message)
            for message in messages
        )
    return out

"""SARIF 2.1.0, the static-analysis format GitHub code scanning and many IDEs read.

Every rule that ran is described once in ``tool.driver.rules``; each finding is a result
pointing at its rule by id and index, at its file by URI and at its line and column.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from journeymap._version import __version__
from journeymap.findings import Finding, Severity
from journeymap.rules.registry import Rule

if TYPE_CHECKING:
    from journeymap.reporters import Run

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
STDIN = "<stdin>"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

Json = dict[str, Any]


def report(run: Run) -> str:
    """The run as a SARIF 2.1.0 log with one run, indented 2, ending in a newline."""
    rules = list(run.rules)
    log = {
        "version": "2.1.0",
        "$schema": SCHEMA,
        "runs": [
            {
                "tool": {"driver": _driver(rules)},
                "artifacts": [{"location": _location(path)} for path in run.paths],
                "results": _results(run.findings, rules),
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _driver(rules: list[Rule]) -> Json:
    return {
        "name": "journeymap",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [_descriptor(rule) for rule in rules],
    }


def _descriptor(rule: Rule) -> Json:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.sections["about"]},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
    }


def _results(findings: Iterable[Finding], rules: list[Rule]) -> list[Json]:
    """One result per finding; a rule not in ``rules`` is named by its name, with no index."""
    index = {rule.name: number for number, rule in enumerate(rules)}
    seen: Counter[str] = Counter()
    results = []
    for finding in findings:
        number = index.get(finding.rule)
        result: Json = {"ruleId": finding.rule if number is None else rules[number].code}
        if number is not None:
            result["ruleIndex"] = number
        fingerprint = _fingerprint(finding)
        seen[fingerprint] += 1
        result |= {
            "level": _LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [{"physicalLocation": _physical(finding)}],
            "partialFingerprints": {
                "primaryLocationLineHash": f"{fingerprint}:{seen[fingerprint]}"
            },
        }
        results.append(result)
    return results


def _physical(finding: Finding) -> Json:
    """The finding's file and 1-based position; SARIF forbids lines and columns below 1."""
    return {
        "artifactLocation": _location(finding.path),
        "region": {"startLine": max(finding.line, 1), "startColumn": max(finding.column, 1)},
    }


def _fingerprint(finding: Finding) -> str:
    """Hash rule, path and message, not the line, so an alert survives edits above it.

    As in GitHub's own line hashes, the caller appends ``:n`` counting repeats of a hash,
    so two identical findings in one file stay two alerts.
    """
    data = "\0".join((finding.rule, _posix(finding.path), finding.message))
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def _location(path: str) -> Json:
    """A relative path as a URI under %SRCROOT%, an absolute one as a ``file://`` URI."""
    if path == STDIN:
        return {"uri": STDIN}
    pure = PurePath(path)
    if pure.is_absolute():
        return {"uri": pure.as_uri()}
    return {"uri": quote(pure.as_posix(), safe="/"), "uriBaseId": SRCROOT}


def _posix(path: str) -> str:
    return path if path == STDIN else PurePath(path).as_posix()

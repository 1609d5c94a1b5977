"""The rules the loader reports: a journey (or scenario) that breaks them cannot be read at all.

They sit in the registry for the catalogue, SARIF and configuration; they cannot be
turned off, since no other check can run on a journey that did not load.
"""

from __future__ import annotations

import inspect

from journeymap.findings import Severity
from journeymap.rules.registry import RULES, Rule

_LOADING = (
    (
        "JM001",
        "unreadable",
        "The file cannot be read as text",
        """The file is missing, a folder, over the size limit, binary (it holds a NUL byte),
        or not UTF-8 text. journeymap refuses it before parsing, so hostile input costs
        nothing. This is the one problem that exits with code 2.

        Fails:
            A spreadsheet saved as ``journey.yaml``, or a file in UTF-16.

        Passes:
            ```yaml
            journeymap: 1
            ```
        """,
    ),
    (
        "JM002",
        "yaml-syntax",
        "The file is not valid YAML, or uses YAML a journey may not",
        """Broken YAML (tabs, bad indentation, unclosed brackets), a duplicate key, a tag
        such as ``!!python/object`` (nothing in a journey file is ever executed), an alias
        that refers to itself, a second document, nesting deeper than 64 levels, or aliases
        that would expand the document past 100,000 nodes (an alias bomb).

        Fails:
            ```yaml
            channels:
              web: {title: Web}
              web: {title: Web again}
            ```

        Passes:
            ```yaml
            channels:
              web: {title: Web}
            ```
        """,
    ),
    (
        "JM003",
        "schema",
        "A key or value does not fit journey format 1",
        """An unknown key (with a suggestion), a missing key, a value of the wrong type, a
        number out of range, an id that is not a slug, unreadable opening hours, or a
        ``journeymap:`` format version this release does not read.

        Fails:
            ```yaml
            touchpoints:
              - {id: track, stage: wait, emotion: 5}
            ```

        Passes:
            ```yaml
            touchpoints:
              - {id: track, stage: wait, emotion: 3}
            ```
        """,
    ),
    (
        "JM004",
        "unknown-reference",
        "A reference names a stage, channel or step that does not exist",
        """``start``, a touchpoint's ``stage``, ``channels``, ``info`` or ``next``, a handoff's
        ends, a segment's ``prefers`` and an information item's ``sources`` must name
        things the journey defines. The message lists the known ones and the closest match.

        Fails:
            ```yaml
            channels: {web: {}}
            touchpoints:
              - {id: track, stage: wait, channels: {fax: primary}}
            ```

        Passes:
            ```yaml
            channels: {web: {}}
            touchpoints:
              - {id: track, stage: wait, channels: {web: primary}}
            ```
        """,
    ),
    (
        "JM005",
        "duplicate-id",
        "Two stages, segments or touchpoints share an id",
        """Ids name things for references, reports and diagrams, so each must be unique
        among its kind; two handoffs for the same channel pair are refused too.

        Fails:
            ```yaml
            touchpoints:
              - {id: track, stage: wait}
              - {id: track, stage: receive}
            ```

        Passes:
            ```yaml
            touchpoints:
              - {id: track, stage: wait}
              - {id: receive, stage: receive}
            ```
        """,
    ),
    (
        "JM006",
        "scenario",
        "A scenario file, or one of its changes, cannot be applied to its base",
        """A scenario file (``scenario: 1``) lists changes to a base journey; see
        ``docs/scenario-format.md``. This rule reports an unknown key or kind of change (with a
        suggestion), a missing or unreadable ``extends`` base, scenarios that extend each other
        in a cycle, a ``scenario:`` version this release does not read, and a change that names
        a path, touchpoint, channel or handoff the base does not have, or that would leave a
        touchpoint with no way on. What is wrong with the changed journey itself is reported by
        the journey's own rules (``schema``, ``unknown-reference``, ...) at the change that
        caused it.

        Fails:
            ```yaml
            scenario: 1
            extends: parcel-delivery.yaml
            changes:
              - set: {path: touchpoints.trak.emotion, value: 1}
            ```

        Passes:
            ```yaml
            scenario: 1
            extends: parcel-delivery.yaml
            changes:
              - set: {path: touchpoints.track.emotion, value: 1}
            ```
        """,
    ),
)

for code, name, summary, doc in _LOADING:
    RULES.add(
        Rule(code, name, Severity.ERROR, summary, inspect.cleandoc(doc), None, configurable=False)
    )

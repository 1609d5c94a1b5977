"""The JSON format: the version, the files checked, counts by severity, and every finding.

Named ``json_format`` so that it does not shadow the standard library's ``json``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from journeymap._version import __version__
from journeymap.findings import Severity

if TYPE_CHECKING:
    from journeymap.reporters import Run


def report(run: Run) -> str:
    """The run as one JSON object, indented 2, non-ASCII kept, ending in a newline."""
    summary: dict[str, int] = {"files": len(run.files)}
    for severity in Severity:
        summary[severity.value] = sum(f.severity is severity for f in run.findings)
    document = {
        "journeymap": __version__,
        "files": list(run.files),
        "summary": summary,
        "findings": [finding.as_dict() for finding in run.findings],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

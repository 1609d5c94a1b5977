"""Languages of reports and diagrams: one YAML file of messages per language, in this folder.

Adding a language is adding one file, ``<code>.yaml``, with the same keys as ``en.yaml``;
numbers and dates are formatted for it by Babel from the Unicode CLDR data. This module only
lists the languages (the model checks a journey's ``locale`` against them);
``journeymap.locales.messages`` reads them.
"""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent
DEFAULT = "en"


def available() -> tuple[str, ...]:
    """Codes of the languages there is a message file for, English first."""
    codes = sorted(path.stem for path in FOLDER.glob("*.yaml"))
    return tuple(sorted(codes, key=lambda code: code != DEFAULT))

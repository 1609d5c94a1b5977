"""The language a page speaks: its journey's ``locale``, read cheaply where it does not load.

A journey page speaks its journey's language. A file with errors still declares one (or its
scenario's base does), read here from the ``locale:`` line without loading the journey. The
index speaks the language its journeys share, English where they differ.
"""

from __future__ import annotations

import json
import re

from journeymap import locales
from journeymap.locales.messages import Catalog, catalog
from journeymap.serve.document import View
from journeymap.serve.folder import MAX_CHAIN, Folder

LOCALE = re.compile(r"^locale:[ \t]*['\"]?([A-Za-z_-]+)", re.MULTILINE)
EXTENDS = re.compile(r"^extends:[ \t]*['\"]?([^'\"#\r\n]+)", re.MULTILINE)

BROWSER_TEXTS = (
    "recomputed",
    "no-answer",
    "nothing-to-save",
    "saved",
    "live",
    "reconnecting",
)
"""The ``serve.*`` messages serve.js shows, handed to it in the page."""


def declared(folder: Folder, name: str) -> str:
    """The ``locale`` file ``name`` declares, or its scenario bases do; English where none."""
    path = folder.root / name
    for _ in range(MAX_CHAIN + 1):
        if not folder.inside(path):
            break
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            break
        found = LOCALE.search(text)
        if found is not None:
            code = found.group(1)
            return code if code in locales.available() else locales.DEFAULT
        base = EXTENDS.search(text)
        if base is None:
            break
        path = path.parent / base.group(1).strip()
    return locales.DEFAULT


def of_view(folder: Folder, view: View) -> Catalog:
    """The messages of a journey page: its journey's language."""
    if view.journey is not None:
        return catalog(view.journey.locale)
    return catalog(declared(folder, view.name))


def of_folder(folder: Folder) -> Catalog:
    """The messages of the index: the language every journey shares, else English."""
    codes = {declared(folder, name) for name in folder.journeys()}
    return catalog(codes.pop() if len(codes) == 1 else locales.DEFAULT)


def browser_texts(texts: Catalog) -> str:
    """The messages serve.js shows, with the language code, as a JSON block it reads."""
    data = {"lang": texts.code} | {key: texts.text(f"serve.{key}") for key in BROWSER_TEXTS}
    encoded = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return f'<script type="application/json" id="texts">{encoded}</script>'

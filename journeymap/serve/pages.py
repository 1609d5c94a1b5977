"""Whole pages: the index of journeys and the page of one journey."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from journeymap.locales.messages import Catalog
from journeymap.serve.folder import Folder
from journeymap.serve.language import browser_texts


def link(name: str) -> str:
    """The URL of a journey's page."""
    return "/journey/" + quote(name)


def _shell(title: str, page: str, body: str, texts: Catalog, journey: str = "") -> str:
    data = f' data-journey="{escape(journey)}"' if journey else ""
    return (
        f'<!doctype html><html lang="{escape(texts.code)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · journeymap</title>"
        '<link rel="stylesheet" href="/static/serve.css">'
        '<script src="/static/serve.js" defer></script></head>'
        f'<body data-page="{page}"{data}>{body}</body></html>'
    )


def listing(folder: Folder, texts: Catalog) -> str:
    """The list of journey and scenario files, linked."""
    items = "".join(
        f'<li><a href="{escape(link(name))}">{escape(name)}</a></li>' for name in folder.journeys()
    )
    none = f"<li>{escape(texts.text('serve.no-files'))}</li>"
    return f'<ul id="journeys">{items or none}</ul>'


def index(folder: Folder, texts: Catalog) -> str:
    """The index page, in ``texts``' language: the one the journeys share, else English."""
    heading = texts.text("serve.index-title", folder=folder.root.name or str(folder.root))
    body = (
        f"<header><h1>{escape(heading)}</h1>"
        '<span id="live-state"></span></header>'
        f'<main id="index">{listing(folder, texts)}</main>{browser_texts(texts)}'
    )
    return _shell(texts.text("serve.journeys"), "index", body, texts)


def journey(name: str, title: str, fragment: str, texts: Catalog) -> str:
    """The page of one journey around its live fragment, in the journey's language."""
    body = (
        f'<header><a href="/">{escape(texts.text("serve.all-journeys"))}</a>'
        f"<h1>{escape(title)}</h1>"
        f'<button type="button" id="present" title="{escape(texts.text("serve.present-hint"))}">'
        f'{escape(texts.text("serve.present"))}</button><span id="live-state"></span></header>'
        f'<main id="live">{fragment}</main>'
    )
    return _shell(title, "journey", body, texts, name)

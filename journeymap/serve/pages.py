"""Whole pages: the index of journeys and the page of one journey."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from journeymap.serve.folder import Folder


def link(name: str) -> str:
    """The URL of a journey's page."""
    return "/journey/" + quote(name)


def _shell(title: str, page: str, body: str, journey: str = "") -> str:
    data = f' data-journey="{escape(journey)}"' if journey else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · journeymap</title>"
        '<link rel="stylesheet" href="/static/serve.css">'
        '<script src="/static/serve.js" defer></script></head>'
        f'<body data-page="{page}"{data}>{body}</body></html>'
    )


def listing(folder: Folder) -> str:
    """The list of journey and scenario files, linked."""
    items = "".join(
        f'<li><a href="{escape(link(name))}">{escape(name)}</a></li>' for name in folder.journeys()
    )
    return f'<ul id="journeys">{items or "<li>No .yaml files here yet.</li>"}</ul>'


def index(folder: Folder) -> str:
    """The index page."""
    body = (
        f"<header><h1>Journeys in {escape(folder.root.name or str(folder.root))}</h1>"
        '<span id="live-state"></span></header>'
        f'<main id="index">{listing(folder)}</main>'
    )
    return _shell("Journeys", "index", body)


def journey(name: str, title: str, fragment: str) -> str:
    """The page of one journey around its live fragment."""
    body = (
        '<header><a href="/">all journeys</a>'
        f"<h1>{escape(title)}</h1>"
        '<button type="button" id="present" title="one section at a time; arrows move, '
        'Esc leaves">Presenter view</button><span id="live-state"></span></header>'
        f'<main id="live">{fragment}</main>'
    )
    return _shell(title, "journey", body, name)

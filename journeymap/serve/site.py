"""What the server keeps between requests, and the live fragment of a journey page."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from html import escape
from threading import Lock

from journeymap.serve import fragments, language
from journeymap.serve.document import Drawings, View, load
from journeymap.serve.folder import Folder
from journeymap.serve.whatif import controls

Stamps = tuple[tuple[str, str], ...]
"""Name and content digest of each file a view was read from."""


def _stamps(folder: Folder, names: tuple[str, ...]) -> Stamps:
    stamps = []
    for name in names:
        try:
            data = (folder.root / name).read_bytes()
        except OSError:
            return ()
        stamps.append((name, hashlib.blake2b(data, digest_size=16).hexdigest()))
    return tuple(stamps)


@dataclass(frozen=True)
class Picture:
    """The figures and blueprint of a journey that loaded, kept to show beside later errors."""

    numbers: str
    drawing: str
    details: str


@dataclass
class Site:
    """The served folder, blueprints drawn so far and each journey's last good picture."""

    folder: Folder
    drawings: Drawings = field(default_factory=Drawings)
    pictures: dict[str, Picture] = field(default_factory=dict)
    lock: Lock = field(default_factory=Lock)

    views: dict[str, tuple[View, Stamps]] = field(default_factory=dict)

    def view(self, name: str) -> View:
        """The journey file ``name`` analysed; again only when it or a base it extends changed."""
        self.folder.path(name)  # refuses names outside the folder, and missing files
        with self.lock:
            kept = self.views.get(name)
        if kept is not None and _stamps(self.folder, kept[0].depends) == kept[1]:
            return kept[0]
        view = load(self.folder, name)
        with self.lock:
            self.views[name] = (view, _stamps(self.folder, view.depends))
        return view

    def fragment(self, view: View, touchpoint: str | None = None) -> str:
        """The live part of the page: the picture and sliders, or the findings and last picture."""
        depends = escape(" ".join(view.depends))
        texts = language.of_view(self.folder, view)
        said = language.browser_texts(texts)
        if view.figures is not None and view.journey is not None:
            svg = self.drawings.svg(view.journey, view.figures)
            picture = Picture(
                fragments.numbers(view.journey, view.figures),
                fragments.blueprint(svg, texts),
                fragments.details(view.journey, view.figures),
            )
            with self.lock:
                self.pictures[view.name] = picture
            return (
                f'<div class="fragment" data-state="ok" data-depends="{depends}">{said}'
                f'<div id="numbers">{picture.numbers}</div>'
                f'<div id="drawing">{picture.drawing}</div>'
                f'<div id="details">{picture.details}</div>'
                f"{controls(view.journey, touchpoint)}</div>"
            )
        with self.lock:
            last = self.pictures.get(view.name)
        stale = (
            f'<div class="stale" title="{escape(texts.text("serve.stale"))}">'
            f"{last.numbers}{last.drawing}{last.details}</div>"
            if last
            else ""
        )
        return (
            f'<div class="fragment" data-state="broken" data-depends="{depends}">{said}'
            f"{fragments.findings(self.folder, view.findings, texts)}{stale}</div>"
        )

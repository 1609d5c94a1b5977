"""One journey file as the page shows it: its figures and blueprint, or why there are none."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from threading import Lock

from journeymap.findings import Finding, Severity
from journeymap.flow import AnalysisError, Figures, NoExitError, analyze
from journeymap.loader import Loaded, read
from journeymap.locales.messages import catalog
from journeymap.model import Journey
from journeymap.render import RenderError, blueprint_svg
from journeymap.serve.folder import Folder

SVG_CACHE = 64


@dataclass(frozen=True)
class View:
    """A journey file loaded and analysed, or the findings that stop it."""

    name: str
    journey: Journey | None
    figures: Figures | None
    findings: tuple[Finding, ...] = ()
    depends: tuple[str, ...] = ()
    """The file itself and, for a scenario, every base it extends (names in the folder)."""

    @property
    def good(self) -> bool:
        """True when there are figures to show."""
        return self.figures is not None and self.journey is not None


@dataclass
class Drawings:
    """Blueprints already drawn, by the journey they show: Graphviz is the slow part."""

    cache: OrderedDict[str, str] = field(default_factory=OrderedDict)
    lock: Lock = field(default_factory=Lock)

    def svg(self, journey: Journey, figures: Figures) -> str:
        """The blueprint with its heat overlay, drawn once per distinct journey."""
        key = hashlib.sha256(journey.model_dump_json().encode("utf-8")).hexdigest()
        with self.lock:
            if key in self.cache:
                self.cache.move_to_end(key)
                return self.cache[key]
        try:
            drawn = blueprint_svg(journey, figures)
        except RenderError as error:
            note = catalog(journey.locale).text("serve.blueprint-failed", error=error)
            drawn = f'<p class="problem">{escape(note)}</p>'
        with self.lock:
            self.cache[key] = drawn
            while len(self.cache) > SVG_CACHE:
                self.cache.popitem(last=False)
        return drawn


def load(folder: Folder, name: str) -> View:
    """Read, check and analyse the file ``name`` of ``folder``."""
    path = folder.path(name)
    escape = folder.escapes(path)
    if escape is not None:
        return View(name, None, None, (escape,), (name,))
    loaded = read(path)
    depends = _depends(folder, loaded)
    if loaded.journey is None or loaded.errors:
        return View(name, None, None, loaded.errors, depends)
    try:
        figures = analyze(loaded.journey)
    except AnalysisError as error:
        return View(name, loaded.journey, None, error.findings, depends)
    except NoExitError as error:
        finding = Finding(str(path), 1, 1, "no-exit", Severity.ERROR, str(error))
        return View(name, loaded.journey, None, (finding,), depends)
    return View(name, loaded.journey, figures, (), depends)


def _depends(folder: Folder, loaded: Loaded) -> tuple[str, ...]:
    names = []
    step: Loaded | None = loaded
    while step is not None:
        path = Path(step.path)
        if folder.inside(path):
            names.append(folder.name(path))
        step = step.base
    return tuple(names)

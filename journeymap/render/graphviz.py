"""Run Graphviz's ``dot`` on DOT text: SVG, PNG or PDF, with a time limit and clear errors."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from journeymap.errors import JourneymapError

FORMATS = ("svg", "png", "pdf")
TIMEOUT = 120.0
"""Seconds ``dot`` may take; a 200-touchpoint blueprint takes a few."""
INSTALL = (
    "Graphviz's 'dot' program is not installed; install it with "
    "'sudo apt-get install graphviz' (Debian, Ubuntu), 'brew install graphviz' (macOS) or "
    "'winget install graphviz' (Windows), or write --format dot or mermaid instead"
)


class RenderError(JourneymapError):
    """A diagram could not be drawn: Graphviz missing, failing, or too slow."""


@dataclass(frozen=True)
class Drawing:
    """What ``dot`` made, and any warnings it printed."""

    data: bytes
    warnings: tuple[str, ...]


def draw(dot: str, fmt: str, *, dpi: int = 150, timeout: float = TIMEOUT) -> Drawing:
    """Lay out and draw ``dot`` as ``fmt`` (svg, png or pdf); ``RenderError`` if it fails."""
    if fmt not in FORMATS:
        raise RenderError(f"Graphviz draws {', '.join(FORMATS)}, not {fmt!r}")
    program = shutil.which("dot")
    if program is None:
        raise RenderError(INSTALL)
    command = [program, f"-T{fmt}"]
    if fmt == "png":
        command.append(f"-Gdpi={dpi}")
    try:
        done = subprocess.run(
            command, input=dot.encode("utf-8"), capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"Graphviz took longer than {timeout:.0f} s to draw this diagram; try --format dot "
            "and lay it out with another program, or split the journey"
        ) from None
    messages = tuple(line for line in done.stderr.decode("utf-8", "replace").splitlines() if line)
    if done.returncode != 0:
        raise RenderError("Graphviz failed: " + ("; ".join(messages) or f"exit {done.returncode}"))
    return Drawing(done.stdout, messages)


def available() -> bool:
    """True where Graphviz's ``dot`` can be run."""
    return shutil.which("dot") is not None


def join_pdfs(pages: list[bytes]) -> bytes | None:
    """One PDF of ``pages`` (by pypdf or poppler's ``pdfunite``); ``None`` without either."""
    if len(pages) == 1:
        return pages[0]
    try:
        import pypdf  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return _pdfunite(pages)
    writer = pypdf.PdfWriter()
    for page in pages:
        writer.append(pypdf.PdfReader(io.BytesIO(page)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdfunite(pages: list[bytes]) -> bytes | None:
    program = shutil.which("pdfunite")
    if program is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        names = []
        for number, page in enumerate(pages, 1):
            name = Path(folder) / f"page-{number}.pdf"
            name.write_bytes(page)
            names.append(str(name))
        joined = Path(folder) / "joined.pdf"
        done = subprocess.run([program, *names, str(joined)], capture_output=True, check=False)
        return joined.read_bytes() if done.returncode == 0 else None


def laid_out(dot: str, *, timeout: float = TIMEOUT) -> str:
    """``dot`` laid out by Graphviz: the same graph with every position filled in."""
    return _run(["dot", "-Tdot"], dot, timeout)


def pack(graphs: list[str], *, margin: int = 12, timeout: float = TIMEOUT) -> str:
    """Laid-out ``graphs`` stacked in one column, in order, left-aligned (Graphviz's gvpack).

    The result keeps every position: draw it with the graph attribute ``layout=nop2``.
    """
    return _run(["gvpack", "-array_il1", f"-m{margin}"], "\n".join(graphs), timeout)


def _run(command: list[str], text: str, timeout: float) -> str:
    program = shutil.which(command[0])
    if program is None:
        raise RenderError(INSTALL if command[0] == "dot" else f"Graphviz's {command[0]} is missing")
    try:
        done = subprocess.run(
            [program, *command[1:]],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RenderError(f"Graphviz took longer than {timeout:.0f} s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise RenderError(f"Graphviz failed: {message or f'exit {done.returncode}'}")
    return done.stdout.decode("utf-8")

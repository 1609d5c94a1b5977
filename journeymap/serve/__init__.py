"""``journeymap serve``: a live view of a folder of journeys for a workshop room.

``create_app(folder)`` is the Starlette application; ``run(folder, host, port)`` serves it
with uvicorn. Pages redraw when a file is saved, and what-if sliders recompute the figures.
"""

from __future__ import annotations

from journeymap.serve.app import create_app
from journeymap.serve.server import run

__all__ = ["create_app", "run"]

"""Running the app with uvicorn, in the foreground or in a thread (for tests)."""

from __future__ import annotations

import os

import uvicorn

from journeymap.serve.app import create_app

GRACE_S = 1


def server(folder: str | os.PathLike[str], host: str, port: int) -> uvicorn.Server:
    """A uvicorn server for ``folder``; ``run()`` it, or ``should_exit = True`` to stop it."""
    config = uvicorn.Config(
        create_app(folder),
        host=host,
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=GRACE_S,
        lifespan="on",
    )
    return uvicorn.Server(config)


def run(folder: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``folder`` until interrupted."""
    server(folder, host, port).run()

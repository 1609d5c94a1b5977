"""Running the app with uvicorn, in the foreground or in a thread (for tests)."""

from __future__ import annotations

import os

import uvicorn

from journeymap.serve.app import LOCAL_HOSTS, create_app

GRACE_S = 1


def server(folder: str | os.PathLike[str], host: str, port: int) -> uvicorn.Server:
    """A uvicorn server for ``folder``; ``run()`` it, or ``should_exit = True`` to stop it."""
    hosts = LOCAL_HOSTS if host in ("127.0.0.1", "localhost", "::1") else ("*",)
    config = uvicorn.Config(
        create_app(folder, hosts=hosts),
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

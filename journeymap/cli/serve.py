"""``journeymap serve``: a live view of a folder's journeys for a workshop room."""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path
from typing import Any

from journeymap.errors import JourneymapError

LOCAL = "127.0.0.1"


def register(commands: Any) -> None:
    """Add the ``serve`` subcommand."""
    parser = commands.add_parser(
        "serve",
        help="show a folder's journeys live in the browser, for a workshop",
        description="Serve the journey and scenario files of FOLDER as web pages: blueprint "
        "with heat, headline figures, hotspots, breakpoints and gaps. Pages redraw when a "
        "file is saved; what-if sliders recompute the figures and can be saved as a "
        "scenario file. Needs the serve extra: pip install 'journeymap[serve]'.",
    )
    parser.add_argument(
        "folder", metavar="FOLDER", nargs="?", default=".", help="folder to serve (default: .)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument(
        "--host",
        default=LOCAL,
        help=f"address to listen on (default {LOCAL}, this computer only); "
        "0.0.0.0 shares the pages with the network",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Serve the folder until interrupted."""
    folder = Path(args.folder)
    if not folder.is_dir():
        raise JourneymapError(f"{args.folder}: no such folder")
    if not 0 < args.port < 65536:
        raise JourneymapError(f"--port {args.port}: give a port from 1 to 65535")
    try:
        from journeymap.serve import run as serve
    except ImportError as error:
        raise JourneymapError(
            f"serve needs {error.name or 'its extras'}: pip install 'journeymap[serve]'"
        ) from None
    if args.host != LOCAL:
        print(
            f"journeymap: warning: listening on {args.host}: anyone who can reach this "
            "computer on the network can read these journeys and save scenario files",
            file=sys.stderr,
        )
    _free(args.host, args.port)
    shown = "localhost" if args.host == LOCAL else args.host
    print(f"Serving {folder.resolve()} at http://{shown}:{args.port}/ (Ctrl+C stops)")
    serve(folder, args.host, args.port)
    return 0


def _free(host: str, port: int) -> None:
    """Fail with one line when the address cannot be listened on (uvicorn would exit)."""
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as error:
        reason = (error.strerror or str(error)).split(" (while")[0]
        raise JourneymapError(
            f"cannot listen on {host}:{port}: {reason}; try another --port"
        ) from None

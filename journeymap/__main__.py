"""``python -m journeymap``: the same as the ``journeymap`` command."""

from __future__ import annotations

from journeymap.cli import run

if __name__ == "__main__":
    run()

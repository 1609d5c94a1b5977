"""File changes to page updates: watchfiles feeds a hub, each page's event stream reads it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

from watchfiles import awatch

from journeymap.serve.folder import SUFFIXES, Folder

DEBOUNCE_MS = 100
STEP_MS = 20
KEEP_ALIVE_S = 15.0


class Hub:
    """Hands each batch of changed file names to every open event stream."""

    def __init__(self) -> None:
        self.queues: set[asyncio.Queue[list[str] | None]] = set()

    def publish(self, names: list[str]) -> None:
        """Tell every stream that these files changed."""
        for queue in self.queues:
            queue.put_nowait(names)

    def close(self) -> None:
        """End every stream."""
        for queue in self.queues:
            queue.put_nowait(None)

    async def stream(self) -> AsyncIterator[str]:
        """Server-sent events: one ``data:`` line of changed names (JSON) per batch."""
        queue: asyncio.Queue[list[str] | None] = asyncio.Queue()
        self.queues.add(queue)
        try:
            yield "retry: 1000\n: connected\n\n"
            while True:
                try:
                    names = await asyncio.wait_for(queue.get(), KEEP_ALIVE_S)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                if names is None:
                    return
                yield f"data: {json.dumps(names)}\n\n"
        finally:
            self.queues.discard(queue)


async def watch(folder: Folder, hub: Hub, stop: asyncio.Event) -> None:
    """Publish the journey files that change below ``folder`` until ``stop`` is set."""

    def journeys(_: object, path: str) -> bool:
        return Path(path).suffix in SUFFIXES

    async for changes in awatch(
        folder.root,
        watch_filter=journeys,
        debounce=DEBOUNCE_MS,
        step=STEP_MS,
        stop_event=stop,
    ):
        names = sorted(
            {
                Path(path).relative_to(folder.root).as_posix()
                for _, path in changes
                if Path(path).is_relative_to(folder.root)
            }
        )
        if names:
            hub.publish(names)

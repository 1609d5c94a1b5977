"""The Starlette application: pages, live fragments, what-if requests and the event stream."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from journeymap.errors import JourneymapError
from journeymap.flow import AnalysisError, NoExitError, analyze
from journeymap.locales.messages import catalog
from journeymap.serve import fragments, language, pages, whatif
from journeymap.serve.document import View
from journeymap.serve.folder import Folder, OutsideError
from journeymap.serve.site import Site
from journeymap.serve.watch import Hub, watch

STATIC = Path(__file__).parent / "static"
MAX_BODY = 256 * 1024
HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'",
    "X-Content-Type-Options": "nosniff",
}


class Refused(Exception):
    """A request the server will not serve, with its status and one line why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
"""Host headers a server on the loopback address answers: any other name is a page on
another site reaching in through DNS rebinding."""


def create_app(folder: str | os.PathLike[str], *, hosts: Sequence[str] = LOCAL_HOSTS) -> Starlette:
    """The app serving the journeys of ``folder`` to requests addressed to ``hosts``."""
    site = Site(Folder(folder))
    hub = Hub()

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        watcher = asyncio.create_task(watch(site.folder, hub, stop))
        try:
            yield
        finally:
            stop.set()
            hub.close()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(watcher, 2)

    async def index(_: Request) -> Response:
        return _html(pages.index(site.folder, language.of_folder(site.folder)))

    async def listing(_: Request) -> Response:
        return _html(pages.listing(site.folder, language.of_folder(site.folder)))

    async def page(request: Request) -> Response:
        view = await _view(site, request)
        fragment = await run_in_threadpool(site.fragment, view)
        title = view.journey.label if view.journey is not None else view.name
        texts = language.of_view(site.folder, view)
        return _html(pages.journey(view.name, title, fragment, texts))

    async def fragment(request: Request) -> Response:
        view = await _view(site, request)
        touchpoint = request.query_params.get("touchpoint")
        return _html(await run_in_threadpool(site.fragment, view, touchpoint))

    async def controls(request: Request) -> Response:
        view = await _good(site, request)
        assert view.journey is not None
        return _html(whatif.controls(view.journey, request.query_params.get("touchpoint")))

    async def recompute(request: Request) -> Response:
        began = time.perf_counter()
        view = await _good(site, request)
        changes = whatif.parse(await _json(request))
        numbers, details = await run_in_threadpool(_numbers, view, changes)
        ms = (time.perf_counter() - began) * 1000
        headers = {"Server-Timing": f"whatif;dur={ms:.1f}"}
        answer = {"numbers": numbers, "details": details, "ms": ms}
        return JSONResponse(answer, headers=HEADERS | headers)

    async def drawing(request: Request) -> Response:
        view = await _good(site, request)
        changes = whatif.parse(await _json(request))
        return _html(await run_in_threadpool(_drawing, site, view, changes))

    async def scenario(request: Request) -> Response:
        view = await _good(site, request)
        body = await _json(request)
        changes = whatif.parse(body)
        await run_in_threadpool(_numbers, view, changes)  # refuse changes that do not analyse
        title = body.get("title") if isinstance(body.get("title"), str) else None
        path = site.folder.path(view.name)
        written = await run_in_threadpool(whatif.save, path, changes, title)
        name = site.folder.name(written)
        return JSONResponse({"file": name, "url": pages.link(name)}, headers=HEADERS)

    async def events(_: Request) -> Response:
        headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
        return StreamingResponse(hub.stream(), media_type="text/event-stream", headers=headers)

    api = [
        Route("/api/index", listing),
        Route("/api/fragment/{name:path}", fragment),
        Route("/api/controls/{name:path}", controls),
        Route("/api/whatif/{name:path}", recompute, methods=["POST"]),
        Route("/api/drawing/{name:path}", drawing, methods=["POST"]),
        Route("/api/scenario/{name:path}", scenario, methods=["POST"]),
    ]
    routes = [
        Route("/", index),
        Route("/journey/{name:path}", page),
        *api,
        Route("/events", events),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    handlers: dict[Any, Any] = {Refused: _refused, JourneymapError: _unprocessable}
    guard = [Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))]
    return Starlette(
        routes=routes, lifespan=lifespan, exception_handlers=handlers, middleware=guard
    )


def _html(text: str) -> HTMLResponse:
    return HTMLResponse(text, headers=HEADERS)


async def _view(site: Site, request: Request) -> View:
    name = str(request.path_params["name"])
    try:
        return await run_in_threadpool(site.view, name)
    except OutsideError:
        raise Refused(403, f"{name}: not a journey file inside the served folder") from None
    except FileNotFoundError:
        raise Refused(404, f"{name}: no such journey file") from None


async def _good(site: Site, request: Request) -> View:
    view = await _view(site, request)
    if view.figures is None:
        texts = language.of_view(site.folder, view)
        raise Refused(409, texts.text("serve.fix-first", file=view.name))
    return view


async def _json(request: Request) -> dict[str, Any]:
    """The JSON body of a same-origin request (a cross-site form cannot send JSON)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise Refused(415, "send the changes as application/json")
    origin = request.headers.get("origin")
    if origin is not None and origin.split("://", 1)[-1] != request.headers.get("host"):
        raise Refused(403, "requests from other sites are refused")
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise Refused(413, "too many changes at once")
    try:
        body = json.loads(raw)
    except ValueError:
        raise Refused(400, "the body is not JSON") from None
    if not isinstance(body, dict):
        raise Refused(400, "expected a JSON object")
    return body


def _changed(view: View, changes: list[dict[str, Any]]) -> tuple[Any, Any]:
    assert view.journey is not None
    journey = whatif.apply(view.journey, changes)
    try:
        return journey, analyze(journey)
    except AnalysisError as error:
        raise whatif.ChangeError(
            error.findings[0].message if error.findings else str(error)
        ) from None
    except NoExitError as error:
        raise whatif.ChangeError(str(error)) from None


def _numbers(view: View, changes: list[dict[str, Any]]) -> tuple[str, str]:
    journey, figures = _changed(view, changes)
    return fragments.numbers(journey, figures), fragments.details(journey, figures)


def _drawing(site: Site, view: View, changes: list[dict[str, Any]]) -> str:
    journey, figures = _changed(view, changes)
    return fragments.blueprint(site.drawings.svg(journey, figures), catalog(journey.locale))


async def _refused(_: Request, error: Exception) -> Response:
    status = error.status if isinstance(error, Refused) else 400
    return JSONResponse({"error": str(error)}, status_code=status, headers=HEADERS)


async def _unprocessable(_: Request, error: Exception) -> Response:
    return JSONResponse({"error": str(error)}, status_code=422, headers=HEADERS)

"""Open a self-contained HTML file in headless Chromium and report what the page did.

``visit(html, out_dir)`` loads the file from ``file://``, waits for the load event and returns
the console errors and uncaught exceptions, every network request the page tried (all of them
aborted, so nothing leaves the machine), a full-page screenshot, the page printed to an A4 PDF,
and the title.

``browse(origin, script)`` runs ``script(page)`` on a page that may load one local server,
``http://127.0.0.1:PORT``, and nothing else: for ``journeymap serve``.

Chromium is Debian's ``/usr/bin/chromium`` (``./run test`` installs it): Playwright's own
browser download does not work without the internet. One browser serves the whole test
session. It is started on first use and closed at exit, and lives in a thread of its own:
Playwright's sync API leaves an asyncio loop marked as running in the thread that drives it,
which would break any later ``asyncio.run`` in the tests' main thread.
"""

from __future__ import annotations

import atexit
import logging
import queue
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Error,
    Page,
    ProxySettings,
    Request,
    Route,
    WebSocketRoute,
    sync_playwright,
)

CHROMIUM = Path("/usr/bin/chromium")
# Without these Chromium stalls on a machine with no internet.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Belt and braces: all traffic, loopback included, goes through this closed local port, so
# whatever slips past the request routes (preconnect hints, say) cannot leave the machine.
NOWHERE = "http://127.0.0.1:9"
LAUNCH_TIMEOUT_MS = 30_000
PAGE_TIMEOUT_MS = 20_000
VISIT_TIMEOUT_S = 90.0
LOCAL_SCHEMES = ("data:", "blob:")
LOCAL_SERVER = re.compile(r"http://127\.0\.0\.1:([0-9]{1,5})")
T = TypeVar("T")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageVisit:
    """What one page did in the browser."""

    console_errors: list[str]
    """Console messages of type error, then uncaught exceptions as ``"Name: message"``.

    Chromium also logs each blocked request here, as ``Failed to load resource``.
    """
    requests: list[str]
    """Every URL the page asked for other than its own file and data:/blob: URLs, in order."""
    screenshot: Path
    """Full-page PNG, screen media."""
    pdf: Path
    """The page printed to A4 with print media."""
    title: str


def visit(html: Path, out_dir: Path) -> PageVisit:
    """Open ``html`` in headless Chromium, writing ``<stem>.png`` and ``<stem>.pdf`` in ``out_dir``.

    Fails the calling test, naming the fix, when Chromium is not installed.
    """
    _need_chromium()
    html = html.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    answer = _worker().ask(html, out_dir)
    if isinstance(answer, BaseException):
        raise answer
    return answer


def _need_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing: {CHROMIUM} does not exist. `./run test` installs it, "
            "or install it yourself: sudo apt-get install chromium",
            pytrace=False,
        )


def _visit(browser: Browser, html: Path, out_dir: Path) -> PageVisit:
    own = html.as_uri()
    requests: list[str] = []
    messages: list[str] = []
    exceptions: list[str] = []

    def local(url: str) -> bool:
        return url == own or url.startswith(LOCAL_SCHEMES)

    def seen(request: Request) -> None:
        if not local(request.url):
            requests.append(request.url)

    def only_local(route: Route) -> None:
        if local(route.request.url):
            route.continue_()
        else:
            route.abort()

    def no_socket(socket: WebSocketRoute) -> None:
        # Never calling socket.connect_to_server() keeps the socket a local mock.
        requests.append(socket.url)

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            messages.append(message.text)

    def uncaught(error: Error) -> None:
        exceptions.append(f"{error.name}: {error.message}")

    context = browser.new_context(service_workers="block")
    try:
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        context.on("request", seen)
        context.route("**/*", only_local)
        context.route_web_socket(re.compile(".*"), no_socket)
        page = context.new_page()
        page.on("console", console)
        page.on("pageerror", uncaught)
        page.goto(own, wait_until="load")
        title = page.title()
        screenshot = out_dir / f"{html.stem}.png"
        page.screenshot(path=screenshot, full_page=True)
        pdf = out_dir / f"{html.stem}.pdf"
        page.emulate_media(media="print")
        page.pdf(path=pdf, format="A4")
    finally:
        context.close()
    return PageVisit(messages + exceptions, requests, screenshot, pdf, title)


@dataclass(frozen=True)
class Browsed(Generic[T]):
    """What ``browse`` found: the script's result, and what the page did besides."""

    result: T
    console_errors: list[str]
    """Console messages of type error, then uncaught exceptions."""
    blocked: list[str]
    """Every URL the page asked for outside the server, all of them refused."""


def browse(
    origin: str, script: Callable[[Page], T], timeout_s: float = VISIT_TIMEOUT_S
) -> Browsed[T]:
    """Run ``script`` on a fresh page that may reach ``origin`` (``http://127.0.0.1:PORT``) only.

    The context's proxy lets that one port past the closed proxy; every other request is
    aborted and listed in ``blocked``. The script runs in the browser's thread.
    """
    _need_chromium()
    match = LOCAL_SERVER.fullmatch(origin)
    if match is None:
        raise ValueError(f"browse() opens a server on 127.0.0.1 only, not {origin}")
    reply: queue.SimpleQueue[object] = queue.SimpleQueue()

    def task(browser: Browser) -> Browsed[T]:
        return _browse(browser, origin, match.group(1), script)

    _worker().jobs.put((task, reply))
    try:
        answer = reply.get(timeout=timeout_s)
    except queue.Empty:
        raise TimeoutError(
            f"the browser did not finish with {origin} in {timeout_s:.0f} s"
        ) from None
    if isinstance(answer, BaseException):
        raise answer
    assert isinstance(answer, Browsed)
    return answer


def _browse(browser: Browser, origin: str, port: str, script: Callable[[Page], T]) -> Browsed[T]:
    blocked: list[str] = []
    errors: list[str] = []

    def allowed(url: str) -> bool:
        return url.startswith((f"{origin}/", *LOCAL_SCHEMES)) or url == origin

    def only_server(route: Route) -> None:
        if allowed(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    def no_socket(socket: WebSocketRoute) -> None:
        blocked.append(socket.url)

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    def uncaught(error: Error) -> None:
        errors.append(f"{error.name}: {error.message}")

    # Only this one port bypasses the closed proxy; <-loopback> keeps the rest of loopback on it.
    proxy: ProxySettings = {"server": NOWHERE, "bypass": f"<-loopback>,127.0.0.1:{port}"}
    context = browser.new_context(service_workers="block", proxy=proxy)
    try:
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        context.route("**/*", only_server)
        context.route_web_socket(re.compile(".*"), no_socket)
        page = context.new_page()
        page.on("console", console)
        page.on("pageerror", uncaught)
        result = script(page)
    finally:
        context.close()
    return Browsed(result, errors, blocked)


_Job = tuple[Path, Path, queue.SimpleQueue[PageVisit | BaseException]]
_Task = tuple[Callable[[Browser], object], queue.SimpleQueue[object]]


class _Worker(threading.Thread):
    """The one thread that drives Playwright, and so the browser, for the whole process."""

    def __init__(self) -> None:
        super().__init__(name="chromium", daemon=True)
        self.jobs: queue.SimpleQueue[_Job | _Task | None] = queue.SimpleQueue()
        self.started: queue.SimpleQueue[BaseException | None] = queue.SimpleQueue()

    def run(self) -> None:
        try:
            with sync_playwright() as playwright:
                begun = time.perf_counter()
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM,
                    args=FLAGS,
                    proxy={"server": NOWHERE},
                    timeout=LAUNCH_TIMEOUT_MS,
                )
                seconds = time.perf_counter() - begun
                log.info("Chromium %s started in %.2f s", browser.version, seconds)
                self.started.put(None)
                try:
                    self.serve(browser)
                finally:
                    browser.close()
        except BaseException as error:
            self.started.put(error)  # read only if the browser never started

    def serve(self, browser: Browser) -> None:
        while (job := self.jobs.get()) is not None:
            if len(job) == 2:
                self.run_task(browser, job)
                continue
            html, out_dir, reply = job
            try:
                reply.put(_visit(browser, html, out_dir))
            except BaseException as error:
                reply.put(error)

    def run_task(self, browser: Browser, task: _Task) -> None:
        script, answer = task
        try:
            answer.put(script(browser))
        except BaseException as error:
            answer.put(error)

    def ask(self, html: Path, out_dir: Path) -> PageVisit | BaseException:
        reply: queue.SimpleQueue[PageVisit | BaseException] = queue.SimpleQueue()
        self.jobs.put((html, out_dir, reply))
        try:
            return reply.get(timeout=VISIT_TIMEOUT_S)
        except queue.Empty:
            return TimeoutError(f"Chromium did not finish {html} within {VISIT_TIMEOUT_S:.0f} s")

    def stop(self) -> None:
        self.jobs.put(None)
        self.join(timeout=10)


_lock = threading.Lock()
_running: _Worker | None = None


def _worker() -> _Worker:
    """The browser thread, started on first use; a failed start is reported every time."""
    global _running
    with _lock:
        if _running is None or not _running.is_alive():
            worker = _Worker()
            worker.start()
            try:
                failure = worker.started.get(timeout=LAUNCH_TIMEOUT_MS / 1000 + 30)
            except queue.Empty:
                failure = TimeoutError("Chromium did not start")
            if failure is not None:
                raise RuntimeError(f"could not start {CHROMIUM}: {failure}") from failure
            if _running is None:
                atexit.register(_stop)
            _running = worker
        return _running


def _stop() -> None:
    if _running is not None and _running.is_alive():
        _running.stop()

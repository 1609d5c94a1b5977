"""The browser harness catches what a self-contained HTML report must not do."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

from tests import browser
from tests.browser import visit

PNG = b"\x89PNG\r\n\x1a\n"
BLUE = (31, 119, 180)
RED = (214, 39, 40)


def _page(tmp_path: Path, body: str, head: str = "", name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_text(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test page</title>'
        f"{head}</head><body>{body}</body></html>",
        encoding="utf-8",
    )
    return path


def _pdf_pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))


@pytest.fixture
def local_server() -> Iterator[tuple[str, list[str]]]:
    """A web server on this machine, and the paths it was asked for."""
    asked: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { background: red }")

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_clean_page_with_inline_svg(tmp_path: Path) -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200">'
        f'<rect x="10" y="10" width="380" height="180" fill="rgb{BLUE}"/>'
        '<circle cx="200" cy="100" r="60" fill="rgb(255, 255, 255)"/></svg>'
    )
    # Spaces and non-ASCII in the path: the page's own file must still not count as a request.
    html = _page(tmp_path, f"<h1>Clean</h1>{svg}", name="clean report é.html")

    seen = visit(html, tmp_path / "out")

    assert seen.title == "Test page"
    assert seen.console_errors == []
    assert seen.requests == []
    assert seen.screenshot == tmp_path / "out" / "clean report é.png"
    assert seen.screenshot.read_bytes().startswith(PNG)
    with Image.open(seen.screenshot) as image:
        colours = {colour for _, colour in image.convert("RGB").getcolors(1 << 24) or []}
    assert len(colours) > 1
    assert BLUE in colours
    assert seen.pdf.read_bytes().startswith(b"%PDF")
    assert _pdf_pages(seen.pdf) == 1


def test_uncaught_exception_is_reported(tmp_path: Path) -> None:
    html = _page(tmp_path, '<p>hi</p><script>throw new Error("boom")</script>')

    assert visit(html, tmp_path).console_errors == ["Error: boom"]


def test_console_error_is_reported(tmp_path: Path) -> None:
    html = _page(tmp_path, '<script>console.log("fine"); console.error("bad")</script>')

    assert visit(html, tmp_path).console_errors == ["bad"]


def test_external_resources_are_reported_and_never_sent(
    tmp_path: Path, local_server: tuple[str, list[str]]
) -> None:
    server, asked = local_server
    html = _page(
        tmp_path,
        '<img src="https://example.com/x.png" alt="">',
        head=f'<link rel="stylesheet" href="{server}/style.css">',
    )

    seen = visit(html, tmp_path)

    assert sorted(seen.requests) == sorted([f"{server}/style.css", "https://example.com/x.png"])
    assert asked == []
    # Chromium logs each blocked load as a console error too.
    assert seen.console_errors
    assert all("net::ERR_FAILED" in error for error in seen.console_errors)


def test_scripted_requests_and_sibling_files_are_reported(
    tmp_path: Path, local_server: tuple[str, list[str]]
) -> None:
    server, asked = local_server
    (tmp_path / "logo.png").write_bytes(PNG)
    html = _page(
        tmp_path,
        '<img src="logo.png" alt=""><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">'
        f'<script>fetch("{server}/api").catch(() => {{}});'
        'fetch(URL.createObjectURL(new Blob(["x"])));'
        'new WebSocket("wss://example.com/live");</script>',
    )

    seen = visit(html, tmp_path)

    assert sorted(seen.requests) == sorted(
        [(tmp_path / "logo.png").as_uri(), f"{server}/api", "wss://example.com/live"]
    )
    assert asked == []


def test_pdf_is_printed_with_print_media(tmp_path: Path) -> None:
    css = (
        f"<style>body {{ margin: 0; background: rgb{BLUE} }}"
        f"@media print {{ body {{ background: rgb{RED} }} section {{ break-before: page }} }}"
        "</style>"
    )
    html = _page(
        tmp_path, "<section>one</section><section>two</section><section>three</section>", css
    )

    seen = visit(html, tmp_path)

    # Only print media breaks the three short sections onto pages of their own.
    assert _pdf_pages(seen.pdf) == 3
    # The screenshot shows the screen.
    with Image.open(seen.screenshot) as image:
        assert image.convert("RGB").getpixel((600, 400)) == BLUE


def test_missing_chromium_fails_naming_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "no-chromium")

    with pytest.raises(pytest.fail.Exception, match=r"\./run test.*apt-get install chromium"):
        visit(_page(tmp_path, "<p>hi</p>"), tmp_path)

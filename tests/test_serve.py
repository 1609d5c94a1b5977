"""``journeymap serve``: the live workshop view, over HTTP and in headless Chromium."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

import journeymap
from journeymap.cli import main
from journeymap.flow import Figures
from journeymap.loader.scenario import changed_journey
from journeymap.locales.messages import _read, catalog
from journeymap.serve.server import server
from tests.browser import browse

EXAMPLES = Path(__file__).parent.parent / "examples"
DOCS_IMAGES = Path(__file__).parent.parent / "docs" / "images"
JOURNEY = "parcel-delivery.yaml"
WAIT_MS = 10_000
START_S = 10.0
HEADLINE = "failure_demand_ratio"
RESOLVE = "touchpoints.where-is-my-parcel.channels.chat.resolve"
FINNISH = "housing-allowance.yaml"
REUSED = (
    "figure.failure_demand_ratio",
    "figure.completion_rate",
    "figure.contacts_per_customer",
    "figure.cost_per_customer",
    "lanes.heat",
    "lanes.touchpoint",
    "diagram.gives-up-per-1000",
    "report.blueprint",
    "report.hotspots",
    "report.breakpoints",
    "report.gaps",
    "report.touchpoint",
    "report.channel",
    "report.cause",
    "report.per-1000",
    "report.cost-per-1000",
    "report.give-up-per-1000",
    "report.switches-per-1000",
    "report.none-found",
)
"""Messages of other outputs the pages show too."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running(folder: Path) -> Iterator[str]:
    """The server on a free 127.0.0.1 port in a thread; its origin; stopped at the end."""
    app = server(folder, "127.0.0.1", _free_port())
    thread = threading.Thread(target=app.run, name="journeymap-serve", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_S
    while not app.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{app.config.port}"
    finally:
        app.should_exit = True
        thread.join(timeout=START_S)
        assert not thread.is_alive(), "the server did not stop"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLES / JOURNEY, tmp_path / JOURNEY)
    return tmp_path


def headline(page: Page) -> float:
    value = page.get_attribute(f"#numbers .figure[data-key={HEADLINE}]", "data-value")
    assert value is not None
    return float(value)


def wait_version(page: Page, after: int) -> None:
    """Wait until the page has refetched its fragment since version ``after``."""
    page.wait_for_function(
        f"() => Number(document.body.dataset.version || '0') > {after}", timeout=WAIT_MS
    )


def version(page: Page) -> int:
    return int(page.evaluate("Number(document.body.dataset.version || '0')"))


def open_live(page: Page, url: str) -> None:
    """Open a journey page and wait until its event stream is connected."""
    page.goto(url, wait_until="load")
    page.wait_for_function("() => document.body.dataset.live === 'on'", timeout=WAIT_MS)


def slide(page: Page, path: str, value: float) -> None:
    """Move the slider for ``path`` as a hand would: set it and send ``input``."""
    page.eval_on_selector(
        f'input[data-path="{path}"]',
        "(el, v) => { el.value = String(v); "
        "el.dispatchEvent(new Event('input', {bubbles: true})); }",
        value,
    )


def screenshot(page: Page, name: str) -> None:
    """Write docs/images/serve-NAME.png when JOURNEYMAP_DOCS_IMAGES=1."""
    if os.environ.get("JOURNEYMAP_DOCS_IMAGES") == "1":
        DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=DOCS_IMAGES / f"serve-{name}.png", full_page=name != "presenter")


def analysed(path: Path) -> Figures:
    journey = journeymap.read(path).journey
    assert journey is not None
    return journeymap.analyze(journey)


class _Shown(HTMLParser):
    """The words a page shows: its text, tooltips, and the messages handed to serve.js."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.messages = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.words += [value for name, value in attrs if name == "title" and value]
        self.messages = tag == "script" and ("type", "application/json") in attrs

    def handle_endtag(self, tag: str) -> None:
        self.messages = False

    def handle_data(self, data: str) -> None:
        self.words += json.loads(data).values() if self.messages else [data]


def shown(html: str) -> str:
    """The words of ``html`` a reader sees (JSON messages for the script included), one a line."""
    parser = _Shown()
    parser.feed(html)
    return "\n".join(parser.words)


def english_words() -> list[str]:
    """The English texts of the pages, the parts between placeholders that hold a word."""
    english = _read("en")["messages"]
    keys = [key for key in english if key.startswith("serve.")] + list(REUSED)
    parts = [part.strip(" :;()") for key in keys for part in re.split(r"\{\w+\}", english[key])]
    return [part for part in parts if re.search(r"[A-Za-z]{4,}", part)]


# -- in the browser ------------------------------------------------------------------------


def test_page_shows_the_journey_and_redraws_on_save(folder: Path) -> None:
    expected = analysed(folder / JOURNEY).failure_demand_ratio

    def script(page: Page) -> tuple[float, float, str]:
        open_live(page, f"{origin}/journey/{JOURNEY}")
        first = headline(page)
        assert page.locator("#blueprint svg").count() == 1
        screenshot(page, "journey")
        before = version(page)
        text = (folder / JOURNEY).read_text(encoding="utf-8")
        (folder / JOURNEY).write_text(text.replace("retry: 0.85", "retry: 0.4"), "utf-8")
        wait_version(page, before)
        return first, headline(page), page.title()

    with running(folder) as origin:
        seen = browse(origin, script)
    first, after, title = seen.result
    assert first == expected
    assert after == analysed(folder / JOURNEY).failure_demand_ratio != expected
    assert title.startswith("Parcel delivery")
    assert seen.console_errors == []
    assert seen.blocked == []


def test_broken_edit_shows_line_and_column_beside_the_last_picture(folder: Path) -> None:
    def script(page: Page) -> tuple[str, int, int]:
        open_live(page, f"{origin}/journey/{JOURNEY}")
        before = version(page)
        text = (folder / JOURNEY).read_text(encoding="utf-8")
        (folder / JOURNEY).write_text(text.replace("retry: 0.85", "retry: [oops"), "utf-8")
        wait_version(page, before)
        page.wait_for_selector(".fragment[data-state=broken] .finding", timeout=WAIT_MS)
        assert page.locator(".stale #blueprint svg").count() == 1
        screenshot(page, "error")
        finding = page.locator(".finding").first
        line = finding.get_attribute("data-line")
        column = finding.get_attribute("data-column")
        assert line is not None
        assert column is not None
        return finding.inner_text(), int(line), int(column)

    with running(folder) as origin:
        text, line, column = browse(origin, script).result
    loaded = journeymap.read(folder / JOURNEY)
    first = loaded.errors[0]
    assert (line, column) == (first.line, first.column)
    assert text.startswith(f"{JOURNEY}:{first.line}:{first.column}")


def test_slider_gives_exactly_the_analysis_of_the_changed_journey(folder: Path) -> None:
    journey = journeymap.read(folder / JOURNEY).journey
    assert journey is not None
    changes = [{"set": {"path": RESOLVE, "value": 0.95}}]
    expected = journeymap.analyze(changed_journey(journey, changes))

    def script(page: Page) -> tuple[float, str | None]:
        open_live(page, f"{origin}/journey/{JOURNEY}")
        slide(page, RESOLVE, 0.95)
        page.wait_for_function(
            "() => document.querySelector('#numbers').dataset.changes === "
            + json.dumps(json.dumps(changes, separators=(",", ":"))),
            timeout=WAIT_MS,
        )
        page.wait_for_selector("#drawing:not(.redrawing)", timeout=WAIT_MS)
        screenshot(page, "whatif")
        page.click("#save")
        page.wait_for_function("() => Boolean(document.body.dataset.saved)", timeout=WAIT_MS)
        return headline(page), page.evaluate("document.body.dataset.saved")

    with running(folder) as origin:
        shown, saved = browse(origin, script).result
    assert shown == expected.failure_demand_ratio
    assert saved == "parcel-delivery.whatif-1.yaml"
    scenario = analysed(folder / saved)
    assert scenario.failure_demand_ratio == expected.failure_demand_ratio
    assert scenario.as_dict() | {"journey": ""} == expected.as_dict() | {"journey": ""}
    assert (folder / JOURNEY).read_text("utf-8") == (EXAMPLES / JOURNEY).read_text("utf-8")


def test_presenter_view_shows_one_section_at_a_time(folder: Path) -> None:
    def script(page: Page) -> list[str]:
        page.goto(f"{origin}/journey/{JOURNEY}?present", wait_until="load")
        shown = []
        for _ in range(3):
            page.wait_for_selector("section.slide.current", timeout=WAIT_MS)
            visible = page.locator("#live section.slide:visible")
            assert visible.count() == 1
            shown.append(visible.get_attribute("id") or "")
            if len(shown) == 2:
                screenshot(page, "presenter")
            page.keyboard.press("ArrowRight")
        return shown

    with running(folder) as origin:
        shown = browse(origin, script).result
    assert shown == ["headline", "heat", "blueprint"]


# -- over HTTP -----------------------------------------------------------------------------


def test_index_lists_the_journeys(folder: Path) -> None:
    with running(folder) as origin:
        answer = httpx.get(f"{origin}/")
    assert answer.status_code == 200
    assert f'href="/journey/{JOURNEY}"' in answer.text
    assert "http://" not in answer.text
    assert "https://" not in answer.text


def test_requests_for_another_host_name_are_refused(folder: Path) -> None:
    # a page on another site that rebinds its name to 127.0.0.1 sends its own Host header
    with running(folder) as origin:
        assert httpx.get(f"{origin}/", headers={"Host": "evil.example"}).status_code == 400
        assert httpx.get(f"{origin}/", headers={"Host": "localhost"}).status_code == 200


def test_unknown_journey_is_404(folder: Path) -> None:
    with running(folder) as origin:
        assert httpx.get(f"{origin}/journey/nope.yaml").status_code == 404
        assert httpx.get(f"{origin}/api/fragment/nope.yaml").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/journey/../../etc/passwd",
        "/journey/..%2F..%2Fsecret.yaml",
        "/api/fragment/%2E%2E/secret.yaml",
        "/journey//etc/hostname",
    ],
)
def test_paths_outside_the_folder_are_refused(tmp_path: Path, path: str) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    shutil.copy(EXAMPLES / JOURNEY, inner / JOURNEY)
    shutil.copy(EXAMPLES / JOURNEY, tmp_path / "secret.yaml")
    with running(inner) as origin:
        connection = http.client.HTTPConnection(origin.removeprefix("http://"), timeout=10)
        connection.request("GET", path)  # raw: no client tidies the ../ away
        answer = connection.getresponse()
        body = answer.read().decode("utf-8")
        connection.close()
    assert answer.status in (403, 404)
    assert "Parcel delivery" not in body


def test_scenario_extending_outside_the_folder_is_not_read(tmp_path: Path) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    shutil.copy(EXAMPLES / JOURNEY, tmp_path / JOURNEY)
    (inner / "escape.yaml").write_text(f"scenario: 1\nextends: ../{JOURNEY}\n", "utf-8")
    with running(inner) as origin:
        answer = httpx.get(f"{origin}/api/fragment/escape.yaml")
    assert answer.status_code == 200
    assert "outside the served folder" in answer.text
    assert 'data-line="2" data-column="10"' in answer.text


def test_whatif_refuses_what_is_not_a_slider_change(folder: Path) -> None:
    with running(folder) as origin:
        url = f"{origin}/api/whatif/{JOURNEY}"
        wrong = {"changes": [{"remove-touchpoint": "track"}]}
        assert httpx.post(url, json=wrong).status_code == 422
        unknown = {"changes": [{"set": {"path": "touchpoints.nope.retry", "value": 0.5}}]}
        assert httpx.post(url, json=unknown).status_code == 422
        form = httpx.post(url, content=b"changes=1", headers={"Content-Type": "text/plain"})
        assert form.status_code == 415


def test_saving_never_overwrites(folder: Path) -> None:
    taken = folder / "parcel-delivery.whatif-1.yaml"
    taken.write_text("# mine\n", "utf-8")
    body: dict[str, Any] = {"changes": [{"set": {"path": RESOLVE, "value": 0.9}}]}
    with running(folder) as origin:
        first = httpx.post(f"{origin}/api/scenario/{JOURNEY}", json=body).json()
        second = httpx.post(f"{origin}/api/scenario/{JOURNEY}", json=body).json()
    assert taken.read_text("utf-8") == "# mine\n"
    assert (first["file"], second["file"]) == (
        "parcel-delivery.whatif-2.yaml",
        "parcel-delivery.whatif-3.yaml",
    )


def test_whatif_timing_on_the_largest_example(tmp_path: Path) -> None:
    """Per-change time on the largest example; the target is 100 ms, the bound generous."""
    name = "housing-allowance.yaml"
    shutil.copy(EXAMPLES / name, tmp_path / name)
    path = "touchpoints.kysy-liitteistä.retry"
    times = []
    with running(tmp_path) as origin, httpx.Client(base_url=origin) as client:
        assert client.get(f"/journey/{name}").status_code == 200
        for value in (0.5, 0.6, 0.7, 0.8, 0.9):
            body = {"changes": [{"set": {"path": path, "value": value}}]}
            began = time.perf_counter()
            answer = client.post(f"/api/whatif/{name}", json=body)
            times.append((time.perf_counter() - began) * 1000)
            assert answer.status_code == 200
    print(f"what-if round trips on {name}: " + ", ".join(f"{t:.0f} ms" for t in times))
    assert sorted(times)[len(times) // 2] < 1000


def test_cli_refuses_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", str(tmp_path / "nowhere")]) == 2
    assert "no such folder" in capsys.readouterr().err


# -- in the journey's language -------------------------------------------------------------


@pytest.fixture
def finnish(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLES / FINNISH, tmp_path / FINNISH)
    return tmp_path


def test_finnish_journey_page_speaks_finnish(finnish: Path) -> None:
    fi = catalog("fi")
    figures = analysed(finnish / FINNISH)
    body = {"changes": [{"set": {"path": "touchpoints.kysy-liitteistä.retry", "value": 0.5}}]}
    with running(finnish) as origin:
        page = httpx.get(f"{origin}/journey/{FINNISH}").text
        controls = httpx.get(f"{origin}/api/controls/{FINNISH}").text
        whatif = httpx.post(f"{origin}/api/whatif/{FINNISH}", json=body).json()
        index = httpx.get(f"{origin}/").text
    words = shown(page)
    assert '<html lang="fi">' in page
    for heading in (
        "Tunnusluvut",
        "Häiriökysynnän osuus",
        "Häiriökysyntä / 1 000 asiakasta",
        "Palvelupiirustus ja häiriökysyntä",
        "Missä häiriökysyntää syntyy",
        "Missä asiakkaat luovuttavat",
        "Kanavanvaihdot, joissa asiakkaan tilanne katoaa",
        "Entä jos…",
        "Tallenna skenaarioksi",
        "Esitystila",
        "uuden yrityksen todennäköisyys",
        "laskettu uudelleen ({ms} ms)",
    ):
        assert heading in words
    # Finnish numbers: a decimal comma, a space before %, a space between thousands.
    ratio = fi.percent(figures.failure_demand_ratio, 1)
    assert re.fullmatch(r"\d+,\d\xa0%", ratio)
    assert f'<span class="value">{ratio}</span>' in page
    assert f'<span class="value">{fi.number(figures.contacts_per_customer, 2)}</span>' in page
    assert re.search(r'<td class="num">\d\xa0\d{3}</td>', page)
    assert "<output>0,80</output>" in controls
    assert "<output>0.80</output>" not in controls
    assert (
        fi.percent(analysed_changed(finnish / FINNISH, body).failure_demand_ratio, 1)
        in (whatif["numbers"])
    )
    for english in english_words():
        pattern = rf"(?<!\w){re.escape(english)}(?!\w)"
        assert not re.search(pattern, words), english
        assert not re.search(pattern, shown(whatif["numbers"] + whatif["details"] + controls))
    assert "Palvelupolut kansiossa" in shown(index)  # every journey here is Finnish


def analysed_changed(path: Path, body: dict[str, Any]) -> Figures:
    journey = journeymap.read(path).journey
    assert journey is not None
    return journeymap.analyze(changed_journey(journey, body["changes"]))


def test_english_journey_page_keeps_english(folder: Path) -> None:
    figures = analysed(folder / JOURNEY)
    with running(folder) as origin:
        page = httpx.get(f"{origin}/journey/{JOURNEY}").text
    words = shown(page)
    assert '<html lang="en">' in page
    for heading in ("Headline figures", "Failure-demand ratio", "What if…", "Save as scenario"):
        assert heading in words
    ratio = f"{figures.failure_demand_ratio:.1%}"
    assert f'<span class="value">{ratio}</span>' in page
    assert "Tunnusluvut" not in words


def test_a_broken_finnish_file_says_so_in_finnish(finnish: Path) -> None:
    path = finnish / FINNISH
    path.write_text(path.read_text("utf-8").replace("retry: 0.8", "retry: [oops", 1), "utf-8")
    with running(finnish) as origin:
        fragment = httpx.get(f"{origin}/api/fragment/{FINNISH}").text
        refused = httpx.post(f"{origin}/api/whatif/{FINNISH}", json={"changes": []})
    assert "Tiedostossa on virheitä" in shown(fragment)
    assert "This file has errors" not in fragment
    assert refused.status_code == 409
    assert refused.json()["error"].startswith(f"Tiedostossa {FINNISH} on virheitä")


def test_index_of_mixed_languages_is_english(finnish: Path) -> None:
    shutil.copy(EXAMPLES / JOURNEY, finnish / JOURNEY)
    with running(finnish) as origin:
        index = httpx.get(f"{origin}/").text
    assert '<html lang="en">' in index
    assert f"Journeys in {finnish.name}" in shown(index)


def test_the_script_shows_finnish_messages_and_numbers(finnish: Path) -> None:
    retry = "touchpoints.kysy-liitteistä.retry"

    def script(page: Page) -> tuple[str, str, str, str]:
        open_live(page, f"{origin}/journey/{FINNISH}")
        live = page.inner_text("#live-state")
        slide(page, retry, 0.5)
        page.wait_for_function("() => document.body.dataset.whatif === 'ok'", timeout=WAIT_MS)
        recomputed = page.inner_text("#status")
        output = page.inner_text(f'input[data-path="{retry}"] + output')
        page.click("#save")
        page.wait_for_function("() => Boolean(document.body.dataset.saved)", timeout=WAIT_MS)
        return live, recomputed, output, page.inner_text("#status")

    with running(finnish) as origin:
        seen = browse(origin, script)
    live, recomputed, output, saved = seen.result
    assert live == "ajan tasalla"
    assert re.fullmatch(r"laskettu uudelleen \(\d+ ms\)", recomputed)
    assert output == "0,50"
    assert saved.startswith("tallennettu tiedostoon housing-allowance.whatif-1.yaml")
    assert seen.console_errors == []

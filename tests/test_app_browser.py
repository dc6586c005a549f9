"""End to end: ``consultsim app`` in a subprocess, driven in Debian's chromium through Playwright.

The server gets an unreachable CDN address, so any asset missing from the offline
cache fails loudly instead of being downloaded; every request the page makes is
recorded and must go to 127.0.0.1 and succeed. Screenshots go to
``results/app_e2e/`` (look at them: a blank panel or an error box is a failure
even when the assertions pass).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "results" / "app_e2e"


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must provide it: see .ci/run)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from consultsim.app import assets
    if assets.missing():
        pytest.fail(f"offline assets missing in {assets.cache_dir()}: run `make install`")
    port = _free_port()
    log = tmp_path_factory.mktemp("app") / "server.log"
    # an address nothing listens on: a cache miss becomes an error, never a download
    env = {**os.environ, "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/npm/"}
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "consultsim.cli", "app", "--host", "127.0.0.1",
                                 "--port", str(port)], stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            pytest.fail(f"consultsim app exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            proc.terminate()
            pytest.fail(f"consultsim app did not answer on {url}:\n{log.read_text()[-3000:]}")
        time.sleep(0.3)
    yield url, log
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        _unavailable(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright (python) is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class Recorder:
    """Every request, failed response and console error of a page."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.bad: list[tuple[int, str]] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("response", lambda r: self.bad.append((r.status, r.url)) if r.status >= 400 else None)
        page.on("requestfailed", lambda r: self.bad.append((0, r.url)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))


def week(page) -> int:
    return int(re.search(r"\d+", page.locator(".week").inner_text()).group())


def wait_week(page, n: int, timeout: float = 20):
    page.locator(".week").filter(has_text=re.compile(rf"^Week {n}$")).wait_for(timeout=timeout * 1000)


def wait_week_at_least(page, n: int, timeout: float):
    # the counter's element is replaced on every frame, so it may briefly be missing
    page.wait_for_function("n => { const e = document.querySelector('.week');"
                           " return e !== null && +e.innerText.match(/\\d+/)[0] >= n }", arg=n,
                           timeout=timeout * 1000)


def shot(page, name: str):
    # new figures arrive a moment after the text that triggered them: let them land first
    page.wait_for_timeout(800)
    page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def no_error_on_page(page):
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "Error:" not in body, body[:2000]
    assert page.locator(".v-alert.error").count() == 0


def images_drawn(page):
    """The network and the charts are PNGs of real size (not a blank or broken image)."""
    sizes = page.eval_on_selector_all("img", "els => els.map(e => [e.naturalWidth, e.naturalHeight])")
    big = [s for s in sizes if s[0] > 400 and s[1] > 300]
    assert len(big) >= 2, sizes


def choose(page, select_label: str, item: str):
    page.locator(".v-select").filter(has_text=select_label).click()
    page.locator(".menuable__content__active .v-list-item").filter(has_text=re.compile(rf"^{re.escape(item)}$")).click()


def test_classroom_app_in_chromium(server, browser):
    url, log = server
    page = browser.new_page(viewport={"width": 1440, "height": 1050})
    rec = Recorder(page)
    page.goto(url)
    wait_week(page, 0, timeout=60)
    page.get_by_text("Topic pipeline").wait_for()
    images_drawn(page)
    shot(page, "01_loaded")

    # step a few times: the week counter and the figures follow
    first = page.locator("img").first.get_attribute("src")
    for i in range(1, 4):
        page.get_by_role("button", name="Step").click()
        wait_week(page, i)
    page.wait_for_function("src => document.querySelector('img').src !== src", arg=first)
    assert page.get_by_text("Proposed (").count() == 1

    # change a lever with the keyboard (a slider's "change" reaches the running model)
    thumb = page.locator(".lever-supervision [role=slider]")
    thumb.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    page.get_by_text("supervision: 0.20").wait_for()
    switch = page.get_by_role("switch", name="online channel")
    assert not switch.is_checked()
    page.locator("label").filter(has_text=re.compile(r"^online channel$")).click()  # a switch lever
    page.wait_for_function("() => document.querySelector('[role=switch][aria-checked=true]') !== null")
    assert switch.is_checked()
    assert week(page) == 3  # a lever does not restart the run
    shot(page, "02_lever")

    # play, then pause
    page.get_by_role("button", name="Play").click()
    wait_week_at_least(page, 6, timeout=30)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for()
    paused_at = week(page)
    page.wait_for_timeout(1200)
    assert week(page) == paused_at

    # another scenario: a new community at week 0 with the file's lever values
    choose(page, "Scenario", "incentives")
    wait_week(page, 0)
    page.get_by_text("incentive per meeting: 10").wait_for()
    page.get_by_text("supervision: 0", exact=True).wait_for()  # the earlier change is gone
    shot(page, "03_scenario")

    # reset after stepping
    page.get_by_role("button", name="Step").click()
    wait_week(page, 1)
    page.get_by_role("button", name="Reset").click()
    wait_week(page, 0)

    # a lesson: its explanation, its levers, its colouring; then run it for a year
    page.get_by_role("button", name="1. Who shows up, and why").click()
    page.locator(".lesson-card").get_by_text("Why are consultation meetings full of retirees?").wait_for()
    page.locator(".v-select").filter(has_text="Colour households by").get_by_text("Attended recently").wait_for()
    speed = page.locator(".speed [role=slider]")
    speed.focus()
    page.keyboard.press("End")  # 10 weeks per second
    page.get_by_role("button", name="Play").click()
    wait_week_at_least(page, 40, timeout=90)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for()
    paused_at = week(page)
    page.wait_for_timeout(1200)
    assert week(page) == paused_at  # Pause stops the run at full speed too
    images_drawn(page)
    log_text = page.locator(".event-log").inner_text()
    assert re.search(r"Week \d+: ", log_text), log_text[:500]
    counts = [int(x) for x in re.findall(r"\((\d+)\)", page.locator(".pipeline").inner_text())]
    assert len(counts) == 8 and sum(counts) > 0
    no_error_on_page(page)
    shot(page, "04_lesson_running")
    page.locator(".pipeline").scroll_into_view_if_needed()
    shot(page, "05_pipeline_log")
    page.get_by_role("button", name="Close lesson").click()
    page.locator(".lesson-card").wait_for(state="detached")
    page.mouse.wheel(0, -5000)
    shot(page, "06_overview")

    # offline: every request went to this server and succeeded; no script errors
    hosts = {urllib.parse.urlsplit(u.removeprefix("blob:")).netloc for u in rec.requests
             if not u.startswith("data:")}
    assert hosts == {url.split("/")[2]}, (hosts, [u for u in rec.requests if "127.0.0.1" not in u][:5])
    assert rec.bad == [], rec.bad
    cdn = [u for u in rec.requests if "/_solara/cdn/" in u]
    assert any("solara-vuetify-app" in u for u in cdn) and any("require" in u for u in cdn)
    assert rec.errors == [], rec.errors
    assert "Could not load URL" not in log.read_text()
    page.close()

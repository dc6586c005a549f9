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

from consultsim.app import probe

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


def shot(page, name: str):
    page.wait_for_timeout(400)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def no_error_on_page(page):
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "Error:" not in body, body[:2000]
    assert page.locator(".v-alert.error").count() == 0


def wait_week(page, n: int, timeout: float = 30):
    page.wait_for_function("n => { const e = document.querySelector('.cs-mvalue.week');"
                           " return e !== null && +e.textContent === n }", arg=n, timeout=timeout * 1000)


def wait_week_at_least(page, n: int, timeout: float = 30):
    page.wait_for_function("n => { const e = document.querySelector('.cs-mvalue.week');"
                           " return e !== null && +e.textContent >= n }", arg=n, timeout=timeout * 1000)


def local_only(page, host: str):
    """The network is off for this page: any request to another host is aborted (and recorded as failed)."""
    page.route("**/*", lambda route: route.continue_() if urllib.parse.urlsplit(route.request.url).netloc == host
               or route.request.url.startswith(("data:", "blob:")) else route.abort("internetdisconnected"))


def test_classroom_app_in_chromium(server, browser):
    """The issue's "done when", measured here on whatever load the machine has (printed with the numbers).

    Thresholds are asserted as the issue states them, without a margin: on a busy two-core machine (load
    8-10) the medians were 45-85 ms (300 households), 78-129 ms (2,000), 8.8-10 weeks/s and 76-167 ms for a
    lever change while playing (310 ms once, while the whole test suite ran beside it at load 10).
    """
    url, log = server
    host = url.split("/")[2]
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    rec = Recorder(page)
    local_only(page, host)
    page.goto(url)
    page.locator(".cs-mvalue.week").wait_for(timeout=60_000)
    wait_week(page, 0)
    page.wait_for_timeout(500)

    # step latency at 300 households: click -> new week painted, median of 20
    probe.step_latencies(page, 2)
    steps = probe.step_latencies(page, 20)
    # play at 10 weeks/s: the weeks shown per second; then a lever change while playing -> its marker painted
    page.locator(".speed [role=slider]").focus()
    page.keyboard.press("End")
    page.locator(".play-button").click()
    rate = probe.play_rate(page, 3.0)
    thumb = page.locator(".lever-supervision [role=slider]")
    levers = []
    for _ in range(5):
        levers.append(probe.lever_latency(page, lambda: (thumb.focus(), page.keyboard.press("ArrowRight"))))
        page.wait_for_timeout(300)
    page.locator(".play-button").click()  # pause
    page.get_by_role("button", name="Play").wait_for()
    page.wait_for_timeout(300)
    paused_at = probe.week(page)
    page.wait_for_timeout(800)
    assert probe.week(page) == paused_at
    print(f"\napp in chromium (load {os.getloadavg()[0]:.1f}): step {probe.median(steps):.0f} ms, "
          f"play {rate:.1f} weeks/s, lever {probe.median(levers):.0f} ms")
    assert probe.median(steps) <= 150, steps
    assert rate >= 8, rate
    assert probe.median(levers) <= 300, levers
    # a lever change leaves a marker, a log line and a reference line under the live one
    assert page.locator(".panel-implementation .cs-marker").count() >= 1  # one per week with changes
    assert page.locator(".cs-log-lever").count() == 5
    assert page.locator(".cs-ref-line").count() > 0
    assert re.match(r"^\[5\] Week \d+: you changed supervision from 0.20 to 0.25 \(the dashed line keeps 0\)$",
                    page.locator(".cs-log-lever").first.inner_text())

    # lesson 3 (2,000 households) at 1280x720: its text on screen, no chart
    # text under 16 px
    page.locator(".lesson-follow").click()
    page.locator(".lesson-card").wait_for()
    wait_week(page, 0)
    page.mouse.wheel(0, -3000)
    page.wait_for_timeout(300)
    assert probe.visible_in_viewport(page, ".lesson-see")
    # the lesson's text beside the chart it talks about is projector mode's promise (the control column
    # folded away): test_projector_mode_fits_the_lesson_and_its_chart checks it at 1024x768 and 1280x720
    assert probe.small_chart_text(page) == []
    assert "follow-through" in page.locator(".community-lesson").inner_text()  # not "baseline"
    page.locator(".speed [role=slider]").focus()
    page.keyboard.press("End")
    page.locator(".play-button").click()
    wait_week_at_least(page, 52, timeout=40)
    page.locator(".play-button").click()
    page.get_by_role("button", name="Play").wait_for()
    no_error_on_page(page)
    shot(page, "01_lesson3_1280x720")

    # step latency at 2,000 households (lesson 3's community)
    probe.step_latencies(page, 2)
    big = probe.step_latencies(page, 20)
    print(f"app in chromium: step at 2,000 households {probe.median(big):.0f} ms")
    assert probe.median(big) <= 300, big

    # the twin view: the live implementation line and the dashed reference line differ
    live_d = page.locator(".panel-implementation .cs-live-line").first.get_attribute("d")
    ref_d = page.locator(".panel-implementation .cs-ref-line").first.get_attribute("d")
    assert live_d and ref_d and live_d != ref_d

    # the household inspector: click a household on the network
    canvas = page.locator("canvas.cs-net")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator(".inspector .cs-ptitle").filter(has_text=re.compile(r"^Household \d+$")).wait_for()
    facts = page.locator(".inspector .cs-fact").all_inner_texts()  # one fact a line, beside the network
    assert facts[0].startswith("age group: ") and any(f.startswith("trust in the committee: ") for f in facts)
    net_box, insp_box = canvas.bounding_box(), page.locator(".inspector").bounding_box()
    assert insp_box["x"] >= net_box["x"] + net_box["width"] and insp_box["y"] < net_box["y"] + net_box["height"]
    shot(page, "02_network_inspector_1280x720")

    # exports: the run (same files as `consultsim run`) and the visible charts
    with page.expect_download() as dl:
        page.get_by_text("Download this run").click()
    import zipfile
    with zipfile.ZipFile(dl.value.path()) as z:
        assert sorted(z.namelist()) == ["reference/run.json", "reference/timeseries.csv", "reference/topics.csv",
                                        "run.json", "timeseries.csv", "topics.csv"]
    with page.expect_download() as dl:
        page.locator(".download-charts").click()
    svg = Path(dl.value.path()).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "cs-live-line" in svg

    # ten runs of these settings: a band and a median line on the implementation chart
    page.locator(".spread-button").click()
    page.locator(".spread-result").wait_for(timeout=30_000)
    page.wait_for_function("() => { const b = document.querySelector('.panel-implementation .cs-band');"
                           " return b !== null && b.getAttribute('d').length > 20 }", timeout=10_000)

    # 中文
    page.locator(".lang-button").click()
    page.locator(".panel-participation .cs-ptitle").filter(has_text="参与").wait_for()
    assert "第 " in page.locator(".event-log").inner_text()
    page.mouse.wheel(0, -3000)
    shot(page, "03_zh_1280x720")
    page.locator(".lang-button").click()

    # browser zoom 150% at 1280x720 is a window of 853x480 CSS pixels: charts reflow, text stays >= 16 CSS px
    page.set_viewport_size({"width": 853, "height": 480})
    page.wait_for_timeout(500)
    assert probe.small_chart_text(page) == []
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.wait_for_timeout(500)
    page.mouse.wheel(0, -3000)
    shot(page, "04_lesson3_1600x1000")

    # offline: every request went to this server and succeeded; no script errors
    hosts = {urllib.parse.urlsplit(u.removeprefix("blob:")).netloc for u in rec.requests
             if not u.startswith("data:")}
    assert hosts == {host}, hosts
    assert rec.bad == [], rec.bad
    assert rec.errors == [], rec.errors
    assert "Could not load URL" not in log.read_text()
    page.close()


def test_lessons_keep_their_comparison_on_a_new_seed(server, browser):
    """Issue 20, part 1: open each lesson, type another seed; the reference line and the markers stay drawn
    (lessons with changes at week 0), the lesson stays open, and Reset keeps the seed."""
    from playwright.sync_api import expect

    from consultsim.app.lessons import LESSONS
    url, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    rec = Recorder(page)
    local_only(page, url.split("/")[2])
    page.goto(url)
    page.locator(".cs-mvalue.week").wait_for(timeout=60_000)
    seed_box = page.get_by_label("Seed")

    def rebuilt(action):
        """Do ``action`` and wait until the browser shows a new community (the session's epoch moved)."""
        before = page.locator(".cs-live").get_attribute("data-epoch")
        action()
        page.wait_for_function("e => { const x = document.querySelector('.cs-live');"
                               " return x !== null && x.dataset.epoch !== e }", arg=before, timeout=60_000)
        wait_week(page, 0)

    for k, le in enumerate(LESSONS):
        rebuilt(lambda le=le: page.locator(f".lesson-{le.key}").click())
        page.locator(".lesson-card").wait_for()
        expect(seed_box).to_have_value(str(le.seed))
        rebuilt(lambda k=k: (seed_box.fill(str(7 + k)), seed_box.press("Enter")))
        for w in range(1, 4):
            page.locator(".step-button").click()
            wait_week(page, w)
        assert page.locator(".lesson-card").count() == 1, le.key
        if le.changes:
            page.wait_for_timeout(300)
            assert page.locator(".panel-participation .cs-ref-line").count() > 0, le.key
            assert page.locator(".panel-participation .cs-marker").count() == 1, le.key
            assert page.locator(".cs-log-lever").count() == len(le.changes), le.key
        rebuilt(lambda: page.locator(".reset-button").click())
        expect(seed_box).to_have_value(str(7 + k))
        if le.changes:
            page.wait_for_timeout(300)
            assert page.locator(".panel-participation .cs-marker").count() == 1, le.key
    shot(page, "05_lesson5_seed11_1280x720")
    assert rec.errors == [], rec.errors
    page.close()


def test_exports_replay_and_read_well(server, browser, tmp_path):
    """Issue 20, part 3: a run made in the browser (levers moved at two weeks) downloads, replays bit for bit
    with ``consultsim run --replay``, and the charts SVG and network PNG carry their legends inside the image."""
    from consultsim.cli import main
    url, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    rec = Recorder(page)
    local_only(page, url.split("/")[2])
    page.goto(url)
    page.locator(".cs-mvalue.week").wait_for(timeout=60_000)
    for w in range(1, 4):
        page.locator(".step-button").click()
        wait_week(page, w)
    thumb = page.locator(".lever-supervision [role=slider]")
    thumb.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.locator(".cs-log-lever").first.wait_for()
    for w in range(4, 9):
        page.locator(".step-button").click()
        wait_week(page, w)
    page.locator(".lever-online_channel input").click(force=True)
    page.wait_for_function("() => document.querySelectorAll('.cs-log-lever').length >= 4")
    for w in range(9, 15):
        page.locator(".step-button").click()
        wait_week(page, w)
    page.wait_for_timeout(300)

    with page.expect_download() as dl:
        page.get_by_text("Download this run").click()
    export = tmp_path / "export.zip"
    dl.value.save_as(export)
    assert main(["run", "--replay", str(export), "--out", str(tmp_path / "replayed")]) == 0
    import zipfile
    with zipfile.ZipFile(export) as z:
        import json
        changes = json.loads(z.read("run.json"))["app"]["lever_changes"]
        assert [c["week"] for c in changes] == [3, 3, 3, 8] and changes[-1]["lever"] == "online_channel"
        for name in ("timeseries.csv", "topics.csv", "reference/timeseries.csv"):
            assert (tmp_path / "replayed" / name).read_bytes() == z.read(name), name

    with page.expect_download() as dl:
        page.locator(".download-charts").click()
    svg_path = tmp_path / "charts.svg"
    dl.value.save_as(svg_path)
    with page.expect_download() as dl:
        page.locator(".download-network").click()
    png_path = SHOTS / "07_network_export.png"
    SHOTS.mkdir(parents=True, exist_ok=True)
    dl.value.save_as(png_path)
    assert rec.errors == [], rec.errors
    page.close()

    # the SVG on its own: a colour key before every legend label, every text inside the image
    view = browser.new_page(viewport={"width": 700, "height": 1400})
    view.set_content("<html><body style='margin:0'>" + svg_path.read_text(encoding="utf-8") + "</body></html>")
    keys = view.locator(".cs-key").count()
    from consultsim.app.live import PANELS
    assert keys == sum(len(series) + 1 for *_, series in PANELS), keys  # + the reference run's key
    outside = view.evaluate("""() => { const s = document.querySelector('svg'); const W = +s.getAttribute('width');
        return [...document.querySelectorAll('text')].filter(t => { const b = t.getBBox();
          return b.width > 0 && (b.x < 0 || b.x + b.width > W + 0.5); }).map(t => t.textContent); }""")
    assert outside == [], outside
    view.screenshot(path=str(SHOTS / "06_charts_export.png"), full_page=True)
    view.close()


PROJECTOR_TEXT = ", ".join(f".cs-live {s}" for s in (
    "svg text", ".cs-legend", ".cs-ptitle", ".cs-mlabel", ".cs-mvalue", ".cs-mref", ".cs-log", ".topic-card",
    ".cs-phead", ".cs-hint", ".cs-fact"))


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720)])
def test_projector_mode_fits_the_lesson_and_its_chart(server, browser, size):
    """Issue 20, part 2: ?projector=1 folds the controls away; each lesson's text and the chart it talks about
    lie wholly inside the window, chart text and numbers are at least 24 px, and every pipeline column
    (Stalled and Failed too) fits across the window."""
    from consultsim.app.lessons import LESSONS
    from consultsim.app.live import FOCUS
    url, _ = server
    w, h = size
    page = browser.new_page(viewport={"width": w, "height": h})
    rec = Recorder(page)
    local_only(page, url.split("/")[2])
    page.goto(url + "?projector=1")
    page.locator(".cs-projector .cs-mvalue.week").wait_for(timeout=60_000)
    assert page.locator(".controls").count() == 0  # the control column is folded away
    for le in LESSONS:
        # lessons open from the normal page; the projector button folds the controls away again
        page.locator(".projector-button").click()
        page.locator(f".lesson-{le.key}").click()
        page.locator(".lesson-card").wait_for()
        page.locator(".projector-button").click()
        page.locator(".cs-projector").wait_for()
        wait_week(page, 0)
        for k in range(1, 5):
            page.locator(".step-button").click()
            wait_week(page, k)
        page.wait_for_timeout(500)
        page.mouse.wheel(0, -3000)
        page.wait_for_timeout(300)
        focus = f".panel-{FOCUS[le.key]}"
        for sel in (".lesson-see", f"{focus} svg.cs-chart", f"{focus} .cs-legend", ".cs-mvalue.week"):
            assert probe.visible_in_viewport(page, sel), (le.key, size, sel)
        small = probe.small_chart_text(page, 24.0, PROJECTOR_TEXT)
        assert small == [], (le.key, small[:5])
        lesson_px = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.lesson-see')).fontSize)")
        assert lesson_px >= 24, lesson_px
        shot(page, f"10_projector_{le.key}_{w}x{h}")
    # every pipeline column inside the window's width (the page scrolls down to it, never sideways)
    page.locator(".cs-pipeline").scroll_into_view_if_needed()
    boxes = page.evaluate("""() => [...document.querySelectorAll('.cs-pcol')].map(e => {
        const r = e.getBoundingClientRect(); return [e.querySelector('.cs-phead').textContent, r.left, r.right]; })""")
    assert len(boxes) == 8 and all(left >= 0 and right <= w for _, left, right in boxes), boxes
    assert page.evaluate("() => document.documentElement.scrollWidth") <= w
    shot(page, f"11_projector_pipeline_{w}x{h}")
    assert rec.errors == [], rec.errors
    page.close()


def test_chinese_page_needs_no_pc_font_and_warns_before_a_reload(server, browser):
    """Issue 20, parts 5 and 6: with 中文 on, no Latin word is visible outside numbers, units and the product
    name; the page loads the shipped CJK font from this server; a reload after a run moved asks first."""
    url, _ = server
    host = url.split("/")[2]
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    rec = Recorder(page)
    local_only(page, host)
    page.goto(url)
    page.locator(".cs-mvalue.week").wait_for(timeout=60_000)
    page.locator(".lesson-practice").click()  # a lesson with its changes in the log
    page.locator(".lesson-card").wait_for()
    wait_week(page, 0)
    for w in range(1, 13):
        page.locator(".step-button").click()
        wait_week(page, w)
    thumb = page.locator(".lever-supervision [role=slider]")
    thumb.focus()
    page.keyboard.press("ArrowRight")
    page.locator(".cs-log-lever").first.wait_for()
    page.locator(".lang-button").click()
    page.locator(".panel-participation .cs-ptitle").filter(has_text="参与").wait_for()
    page.wait_for_timeout(800)
    text = page.evaluate("() => document.body.innerText")
    # allowed: the product's name, file formats, and the language switch naming English in English (the way back)
    allowed = {"consultsim", "svg", "png", "csv", "run.json", "english"}
    latin = sorted(w for w in set(re.findall(r"[A-Za-z][A-Za-z.]+", text)) if w.lower() not in allowed)
    assert latin == [], (latin, text[:3000])
    # the CJK glyphs come from the shipped font, served by the app
    page.wait_for_function("() => [...document.fonts].some(f => f.family.replace(/['\"]/g, '') === 'ConsultSim CJK'"
                           " && f.status === 'loaded')", timeout=20_000)
    assert any(u.startswith(url) and u.endswith(".otf") for u in rec.requests), rec.requests[-20:]
    page.mouse.wheel(0, -3000)
    shot(page, "12_zh_lesson2_1280x720")
    # leaving the page after the run moved: the page's beforeunload handler asks the browser to confirm
    leave = """() => { const e = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(e);
                       return [e.defaultPrevented]; }"""
    assert page.evaluate(leave)[0] is True
    fresh = browser.new_page()
    local_only(fresh, host)
    fresh.goto(url)
    fresh.locator(".cs-mvalue.week").wait_for(timeout=60_000)
    assert fresh.evaluate(leave)[0] is False  # nothing to lose yet: no question
    fresh.close()
    assert rec.bad == [] and rec.errors == [], (rec.bad, rec.errors)
    page.close()

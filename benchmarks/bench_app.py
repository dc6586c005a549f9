"""The classroom app in chromium: step latency, play rate and lever latency beside the model's own step time.

Starts ``consultsim app`` on a free 127.0.0.1 port, drives Debian's chromium through Playwright
(tests/test_app_browser.py checks the same numbers against the issue's thresholds) and prints:

- step latency (click -> new week painted), median of 20 steps, at 300 and 2,000 households;
- weeks per second delivered while playing at "10 weeks/s" (300 households);
- lever change while playing -> its marker painted;
- the model's own step time (Session.step: live and reference model) at the same sizes;
- the machine's load average (the numbers are pessimistic on a busy machine).

    python benchmarks/bench_app.py            # needs the offline assets (make install) and /usr/bin/chromium
"""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consultsim.app import probe  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def model_step_ms(n: int, b: int, weeks: int = 52) -> tuple[float, float]:
    """(median, mean) milliseconds of one app step (live and reference model) over ``weeks`` weeks."""
    from consultsim.app.lessons import baseline_scenario
    from consultsim.app.session import Session
    s = Session(baseline_scenario(), seed=1, community={"n_residents": n, "n_buildings": b})
    times = []
    for _ in range(weeks):
        t = time.perf_counter()
        s.step(1)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), statistics.fmean(times)


def choose(page, label: str, item: str):
    page.locator(".v-select").filter(has_text=label).click()
    page.locator(".menuable__content__active .v-list-item").filter(
        has_text=re.compile(rf"^{re.escape(item)}$")).click()


def main() -> int:
    from playwright.sync_api import sync_playwright
    port = free_port()
    env = {**os.environ, "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/npm/", "PYTHONPATH": str(ROOT)}
    env.setdefault("SOLARA_ASSETS_PROXY_CACHE_DIR", str(ROOT / ".cache" / "solara-assets"))
    proc = subprocess.Popen([sys.executable, "-m", "consultsim.cli", "app", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    print("bench_app: the app did not start", file=sys.stderr)
                    return 1
                time.sleep(0.3)
        load0 = os.getloadavg()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(url)
            page.locator(".cs-mvalue.week").wait_for(timeout=60_000)
            page.wait_for_timeout(500)
            probe.step_latencies(page, 3)  # warm up
            s300 = probe.step_latencies(page, 20)
            speed = page.locator(".speed [role=slider]")
            speed.focus()
            page.keyboard.press("End")  # 10 weeks per second
            page.locator(".play-button").click()
            rate = probe.play_rate(page, 5.0)
            thumb = page.locator(".lever-supervision [role=slider]")
            levers = []
            for _ in range(5):
                levers.append(probe.lever_latency(page, lambda: (thumb.focus(), page.keyboard.press("ArrowRight"))))
                page.wait_for_timeout(300)
            page.locator(".play-button").click()
            choose(page, "Community size", "2000 households, 20 buildings")
            page.wait_for_function("() => document.querySelector('.cs-mvalue.week').textContent === '0'")
            page.wait_for_timeout(1500)
            probe.step_latencies(page, 3)
            s2000 = probe.step_latencies(page, 20)
            browser.close()
        load1 = os.getloadavg()
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    m300, m2000 = model_step_ms(300, 6), model_step_ms(2000, 20)
    med = statistics.median
    print("consultsim app in chromium (click -> painted; medians)")
    print(f"  step latency,   300 households: {med(s300):6.0f} ms  (target <= 100)   range {min(s300):.0f}-{max(s300):.0f}")
    print(f"  step latency, 2,000 households: {med(s2000):6.0f} ms  (target <= 200)   range {min(s2000):.0f}-{max(s2000):.0f}")
    print(f"  playing at 10 weeks/s, 300 households: {rate:5.1f} weeks/s (target >= 8)")
    print(f"  lever change while playing -> marker painted: {med(levers):6.0f} ms (target <= 300)"
          f"   range {min(levers):.0f}-{max(levers):.0f}")
    print(f"  the model's own step (live + reference model, median / mean of 52 weeks): {m300[0]:.1f} / {m300[1]:.1f} ms"
          f" at 300 households, {m2000[0]:.1f} / {m2000[1]:.1f} ms at 2,000")
    print(f"  load average before/after: {load0[0]:.2f}/{load1[0]:.2f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())

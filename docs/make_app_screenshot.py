"""Re-make docs/app.png: the classroom app running lesson 3 (follow-through against lesson 2), in chromium.

Usage: ``.venv/bin/python docs/make_app_screenshot.py`` (needs ``make install``
and /usr/bin/chromium). It serves the app on a free 127.0.0.1 port, runs the
lesson "What follow-through changes" for 52 weeks at 1600x1000 and saves the page.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main(out: Path = ROOT / "docs" / "app.png", weeks: int = 52) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "consultsim.cli", "app", "--port", str(port)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(url)
            page.locator(".cs-mvalue.week").wait_for(timeout=90_000)
            page.locator(".lesson-follow").click()
            page.locator(".lesson-card").wait_for()
            page.locator(".speed [role=slider]").focus()
            page.keyboard.press("End")
            page.locator(".play-button").click()
            page.wait_for_function("n => +document.querySelector('.cs-mvalue.week').textContent >= n", arg=weeks,
                                   timeout=180_000)
            page.locator(".play-button").click()
            page.get_by_role("button", name="Play").wait_for()
            page.mouse.wheel(0, -5000)
            page.wait_for_timeout(1000)
            page.screenshot(path=str(out))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=15)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

"""Measurements of the app in a real browser (a Playwright page), shared by the browser test and the benchmark.

Every time is taken inside the page with ``performance.now()``: from just
before the click (or key press) to the first animation frame after the new week
(or the lever's marker) is in the DOM, i.e. when it is painted. Nothing here
imports Playwright; callers pass a page.
"""

from __future__ import annotations

import statistics
import time

__all__ = ["step_latencies", "play_rate", "lever_latency", "small_chart_text", "visible_in_viewport", "week", "median"]

_STEP = """(w) => new Promise((res, rej) => {
  const t0 = performance.now();
  document.querySelector('.step-button').click();
  const chk = () => {
    const e = document.querySelector('.cs-mvalue.week');
    if (e && +e.textContent > w) requestAnimationFrame(() => res(performance.now() - t0));
    else if (performance.now() - t0 > 20000) rej(new Error('no new week after 20 s'));
    else requestAnimationFrame(chk);
  };
  chk();
})"""

_ARM = """() => { window.__csMarks = document.querySelectorAll('.cs-log-lever').length;
                 window.__csT0 = performance.now(); }"""
_MARKED = """() => new Promise((res, rej) => {
  const chk = () => {
    if (document.querySelectorAll('.cs-log-lever').length > window.__csMarks)
      requestAnimationFrame(() => res(performance.now() - window.__csT0));
    else if (performance.now() - window.__csT0 > 20000) rej(new Error('no marker after 20 s'));
    else requestAnimationFrame(chk);
  };
  chk();
})"""

# every text drawn in a chart, with its rendered size in CSS pixels (font size times any SVG scaling)
_CHART_TEXT = ", ".join(f".cs-live {s}" for s in (
    "svg text", ".cs-legend", ".cs-ptitle", ".cs-mlabel", ".cs-mvalue", ".cs-mref", ".cs-log", ".topic-card",
    ".cs-phead", ".cs-hint"))
_TEXT_SIZES = """() => [...document.querySelectorAll('""" + _CHART_TEXT + """')]
  .filter(e => e.textContent.trim() !== '')
  .map(e => { const px = parseFloat(getComputedStyle(e).fontSize);
              const m = e.getScreenCTM ? e.getScreenCTM() : null;
              const scale = m ? Math.sqrt(Math.abs(m.a * m.d - m.b * m.c)) : 1;
              return [e.textContent.trim().slice(0, 40), px * scale]; })"""


def week(page) -> int:
    return int(page.locator(".cs-mvalue.week").inner_text())


def step_latencies(page, n: int = 20) -> list[float]:
    """Milliseconds from a click on Step to the new week painted, ``n`` times."""
    out = []
    for _ in range(n):
        out.append(float(page.evaluate(_STEP, week(page))))
    return out


def play_rate(page, seconds: float = 4.0) -> float:
    """Weeks per second shown while playing (the page must be playing)."""
    page.wait_for_timeout(700)  # let the loop reach its pace
    w0, t0 = week(page), time.perf_counter()
    page.wait_for_timeout(seconds * 1000)
    return (week(page) - w0) / (time.perf_counter() - t0)


def lever_latency(page, press) -> float:
    """Milliseconds from a lever change (``press()``, e.g. a key on a slider) to its log line (and marker) painted."""
    page.evaluate(_ARM)
    press()
    return float(page.evaluate(_MARKED))


def small_chart_text(page, minimum: float = 16.0, selector: str | None = None) -> list[tuple[str, float]]:
    """Chart texts (or the elements of ``selector``) rendered smaller than ``minimum`` CSS pixels (empty if none)."""
    script = _TEXT_SIZES if selector is None else _TEXT_SIZES.replace(_CHART_TEXT, selector)
    return [(t, s) for t, s in page.evaluate(script) if s < minimum - 0.01]


def visible_in_viewport(page, selector: str) -> bool:
    """The element's box lies wholly inside the window (no scrolling needed to see it)."""
    return bool(page.evaluate("""(sel) => { const e = document.querySelector(sel); if (!e) return false;
        const r = e.getBoundingClientRect();
        return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && r.height > 0; }""",
                              selector))


def median(xs) -> float:
    return float(statistics.median(xs))

"""Screenshots of every page at 1280×800 and of every Workshop slide in Present mode at 1280×720 and 1920×1080.

::

    python -m bench.screenshots [--out DIR] [--data-dir DIR]

Starts ``streamlit run app.py`` on a free port with a temporary database (the demo data load on the first visit)
unless ``--data-dir`` names a data folder, drives Debian's Chromium headless through Playwright (nothing is
downloaded; see :mod:`bench.browser`), and writes PNG files plus ``report.json`` to ``--out`` (default
``screenshots/`` under the system's temporary folder). For each Present-mode slide the report records whether its
content fits the window (:func:`present_fit`) and whether the slide opened at its top after **Next**. Look at
every picture: the numbers say whether something is cut, not whether it reads well.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.browser import chromium_executable, launch, new_context, now, state, streamlit_server
from bench.browser import wait_rendered as _wait_every_chart

#: Charts the reader can see have drawn (a chart in a closed tab or expander never draws, so waiting for every
#: chart, as :func:`bench.browser.wait_rendered` does, would wait forever on the What matters page).
VISIBLE_CHARTS_JS = """() => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
  .filter(chart => chart.offsetParent !== null)
  .every(chart => { const c = chart.querySelector('canvas'); const s = chart.querySelector('svg');
                    return (c && c.width > 0) || (s && s.childElementCount > 0); })"""


def wait_rendered(page: Any, *, timeout: float = 120.0, after: float | None = None) -> dict[str, Any]:
    """:func:`bench.browser.wait_rendered`, counting only the charts that can be seen."""
    try:
        return _wait_every_chart(page, timeout=timeout, after=after)
    except TimeoutError:
        if not page.evaluate(VISIBLE_CHARTS_JS) or state(page)["script"] != "notRunning":
            raise
        return state(page)


__all__ = ["PAGES", "PRESENT_SIZES", "main", "present_fit", "start_presenting", "take_screenshots"]

#: Every page by its address, with the name its picture gets.
PAGES: tuple[tuple[str, str], ...] = (
    ("overview", "/overview"),
    ("conditions", "/conditions"),
    ("schools", "/schools"),
    ("subgroups", "/subgroups"),
    ("leader_identity", "/leader_identity"),
    ("shifts", "/shifts"),
    ("what_matters", "/what_matters"),
    ("workshop", "/workshop"),
    ("upload", "/upload"),
    ("manage", "/manage"),
)
#: Projector and large-screen windows for Present mode.
PRESENT_SIZES: tuple[tuple[int, int], ...] = ((1280, 720), (1920, 1080))

#: How far the page's content reaches below the window, and where the page is scrolled to. Streamlit scrolls its
#: main section (``stMain``), not the document.
FIT_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const scroller = [main, document.querySelector('[data-testid="stAppViewContainer"]'),
                    document.scrollingElement].find(el => el && el.scrollHeight > el.clientHeight + 1)
                   || main || document.scrollingElement;
  const slide = document.querySelector('.st-key-workshop_slide_view');
  const next = document.querySelector('.st-key-workshop_next');
  const bottom = Math.max(slide ? slide.getBoundingClientRect().bottom : 0,
                          next ? next.getBoundingClientRect().bottom : 0);
  return {
    viewport: window.innerHeight,
    scrollHeight: scroller.scrollHeight,
    clientHeight: scroller.clientHeight,
    scrollTop: scroller.scrollTop,
    slideBottom: slide ? slide.getBoundingClientRect().bottom : null,
    nextBottom: next ? next.getBoundingClientRect().bottom : null,
    contentBottom: bottom + scroller.scrollTop,
    title: slide ? (slide.querySelector('h1') || slide).innerText.split('\\n')[0] : '',
  };
}"""


def present_fit(page: Any) -> dict[str, Any]:
    """The Present-mode slide's measurements: ``fits`` when the slide and the Next button lie wholly inside the
    window as the slide opens (the facilitator notes below them may need a scroll), ``at_top`` when the page is
    scrolled to its top."""
    measured = page.evaluate(FIT_JS)
    measured["fits"] = measured["contentBottom"] <= measured["viewport"] and measured["scrollTop"] == 0
    measured["at_top"] = measured["scrollTop"] == 0
    return measured


def start_presenting(page: Any, base: str) -> None:
    """Open the Workshop (defaults: first → latest wave) and switch Present on."""
    page.goto(f"{base}/workshop")
    wait_rendered(page, timeout=180)
    before = now(page)
    page.locator(".st-key-workshop_present label").first.click()
    wait_rendered(page, after=before, timeout=60)


def _next(page: Any) -> bool:
    """Press Next; False when it is disabled (the last slide)."""
    button = page.locator(".st-key-workshop_next button")
    if button.is_disabled():
        return False
    before = now(page)
    button.click()
    wait_rendered(page, after=before, timeout=60)
    return True


def _name(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:40] or "slide"


def take_screenshots(browser: Any, base: str, out: Path) -> dict[str, Any]:
    """Every page at 1280×800 (whole page) and every Present-mode slide at each of :data:`PRESENT_SIZES`."""
    out.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"pages": {}, "slides": {}}
    context = new_context(browser, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    for number, (name, path) in enumerate(PAGES):
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(base + path)
        rendered = wait_rendered(page, timeout=180 if number == 0 else 30)  # the first visit loads the demo
        page.screenshot(path=str(out / f"page-{name}-1280x800.png"))
        # Streamlit scrolls its main section, not the document, so a "full page" picture needs a window as tall as
        # the content (same width, so the layout is the one at 1280 px).
        tall = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        page.set_viewport_size({"width": 1280, "height": min(max(800, int(tall)), 16000)})
        page.wait_for_timeout(1500)  # charts re-fit their containers
        page.screenshot(path=str(out / f"page-{name}-1280-whole.png"))
        wide = page.evaluate(
            """() => Array.from(document.querySelectorAll('[data-testid="stMain"] *'))
                 .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1).length"""
        )
        report["pages"][name] = {"exceptions": rendered["exceptions"], "past_right_edge": wide}
    context.close()
    for width, height in PRESENT_SIZES:
        context = new_context(browser, viewport={"width": width, "height": height})
        page = context.new_page()
        start_presenting(page, base)
        slides = []
        number = 1
        while True:
            measured = present_fit(page)  # as the slide opens
            page.screenshot(path=str(out / f"slide-{width}x{height}-{number:02d}-{_name(measured['title'])}.png"))
            slides.append(measured)
            # Scroll down, as a facilitator reading further would: the next slide must still open at its top.
            page.mouse.move(width / 2, height / 2)
            page.mouse.wheel(0, 2000)
            page.wait_for_timeout(200)
            if not _next(page):
                break
            number += 1
        report["slides"][f"{width}x{height}"] = slides
        context.close()
    (out / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    """Start the app, take every screenshot, print where they are and what does not fit."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "screenshots")
    parser.add_argument("--data-dir", type=Path, help="a data folder to serve (default: a temporary demo one)")
    args = parser.parse_args(argv)
    chromium_executable()
    from playwright.sync_api import sync_playwright

    folder = args.data_dir or Path(tempfile.mkdtemp(prefix="cld-screens-"))
    env = {"CLD_DATA_DIR": str(folder), "CLD_DATABASE_URL": ""}
    with sync_playwright() as playwright, streamlit_server(env=env, log=folder / "server.log") as server:
        browser = launch(playwright)
        try:
            report = take_screenshots(browser, server.url, args.out)
        finally:
            browser.close()
    print(f"Pictures and report.json in {args.out}")
    for size, slides in report["slides"].items():
        for number, slide in enumerate(slides, start=1):
            if not (slide["fits"] and slide["at_top"]):
                print(f"  {size} slide {number} ({slide['title']}): fits={slide['fits']} at_top={slide['at_top']}")
    for name, page in report["pages"].items():
        if page["past_right_edge"] or page["exceptions"]:
            print(f"  page {name}: {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

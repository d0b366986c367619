"""A facilitator steps through the Workshop with the keyboard and takes the deck, the workbook and a chart along."""

from __future__ import annotations

import io
import itertools
import struct
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation
from streamlit_ui import click, keyed, open_page, press

pytestmark = pytest.mark.slow

SLIDE = ".st-key-workshop_slide_view"
MAX_SLIDES = 60


def walk_slides(page) -> list[str]:
    """Press → until the Next button is disabled; the text of every slide on the way, first to last."""
    texts = [page.locator(SLIDE).inner_text()]
    while not keyed(page, "workshop_next").locator("button").is_disabled():
        assert len(texts) < MAX_SLIDES, "the → key never reached a last slide"
        press(page, "ArrowRight")
        texts.append(page.locator(SLIDE).inner_text())
    return texts


def downloads(page, folder: Path) -> dict[str, Path]:
    """Click every visible download button of the page; the saved files by their suffix."""
    saved: dict[str, Path] = {}
    buttons = page.locator('[data-testid="stMain"] [data-testid="stDownloadButton"] button')
    for index in range(buttons.count()):
        if not buttons.nth(index).is_visible():  # e.g. inside a closed expander
            continue
        with page.expect_download(timeout=180_000) as started:
            buttons.nth(index).click()
        download = started.value
        assert download.failure() is None, download.failure()
        target = folder / download.suggested_filename
        download.save_as(target)
        saved[target.suffix] = target
    return saved


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (PNG specification, section 11.2.2)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_facilitator_steps_through_every_slide_with_the_keyboard(page, app_server):
    """→ moves one slide on until the last, ← one back; every slide differs from the one before."""
    open_page(page, app_server.url, "/workshop")
    texts = walk_slides(page)
    assert len(texts) >= 3
    assert all(a != b for a, b in itertools.pairwise(texts)), "a key press did not change the slide"
    press(page, "ArrowLeft")
    assert page.locator(SLIDE).inner_text() == texts[-2]


def test_facilitator_downloads_the_deck_workbook_and_a_chart_that_open(page, app_server, tmp_path):
    """The deck has one slide per slide stepped through, the workbook names the wave, the PNG is a real picture."""
    open_page(page, app_server.url, "/workshop")
    texts = walk_slides(page)
    while page.locator(f"{SLIDE} [data-testid='stVegaLiteChart']").count() == 0:  # back to a slide with a chart
        press(page, "ArrowLeft")
    files = downloads(page, tmp_path)
    assert {".pptx", ".xlsx", ".png"} <= set(files), sorted(files)

    deck = Presentation(str(files[".pptx"]))
    assert len(deck.slides) == len(texts)
    words = [" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides]
    for shown, written in zip(texts, words, strict=True):
        title = shown.strip().splitlines()[0]
        assert title in written, (title, written[:200])

    workbook = openpyxl.load_workbook(files[".xlsx"], read_only=True)
    wave = page.locator(".st-key-filter_wave input").input_value()
    assert workbook.sheetnames
    for sheet in workbook.worksheets:
        printed = " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell)
        assert wave in printed, f"sheet {sheet.title} does not print the wave {wave}"

    data = files[".png"].read_bytes()
    width, height = png_size(data)
    assert width >= 300 and height >= 200 and len(data) > 5_000
    assert io.BytesIO(data).getbuffer().nbytes == files[".png"].stat().st_size


@pytest.mark.parametrize(
    ("width", "height"),
    [
        pytest.param(
            1280,
            720,
            marks=pytest.mark.xfail(
                strict=True,
                reason="not yet: at 1280×720 five slides (a chart beside four to six long statements) still reach "
                "about 780–1,030 px with the type at 55%; charts cannot be shrunk by CSS without Vega redrawing them "
                "into a sliver (issue 14, the room)",
            ),
        ),
        (1920, 1080),
    ],
)
def test_every_present_mode_slide_fits_the_window_and_opens_at_its_top(browser, app_server, width, height):
    """Present mode on a projector (1280×720) and a large screen (1920×1080): every slide of the default deck, with
    its Next button, lies inside the window as it opens, with the page at its top even after scrolling down on the
    slide before (bench/screenshots.py takes the same measurements and pictures)."""
    from bench.browser import new_context
    from bench.screenshots import present_fit, start_presenting

    context = new_context(browser, viewport={"width": width, "height": height})
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        start_presenting(page, app_server.url)
        seen = []
        while True:
            measured = present_fit(page)
            seen.append(measured["title"])
            assert measured["at_top"], (measured["title"], measured)
            assert measured["fits"], (
                f"{measured['title']}: content reaches {measured['contentBottom']:.0f} px of {height}"
            )
            page.mouse.move(width / 2, height / 2)
            page.mouse.wheel(0, 2000)  # read further down: the next slide must still open at its top
            next_button = keyed(page, "workshop_next").locator("button")
            if next_button.is_disabled():
                break
            click(page, next_button)
            assert len(seen) < MAX_SLIDES
        assert len(seen) >= 5 and len(set(seen)) == len(seen)
    finally:
        context.close()

"""Files for the room and for later: the deck as PowerPoint, chart images, and the results workbook as Excel.

* :func:`chart_png` and :func:`chart_svg` render a Vega-Lite specification offline with vl-convert: nothing is
  fetched from the network (no fonts, no data URLs), whatever the specification asks for.
* :func:`deck_pptx` writes a :class:`~survey_model.deck.Deck` with python-pptx: one 16:9 slide per deck slide,
  its chart as a picture (with the figure's text alternative as alt text) and the facilitator notes as speaker
  notes.
* :func:`workbook_xlsx` writes a :class:`~survey_model.workbook.ResultsWorkbook` with openpyxl: the filters on
  top of every sheet, bold frozen headers, number formats, and every text cell escaped with
  :func:`survey_model.exports.escape_formula` so a spreadsheet never runs one as a formula.

The builders decide what may be shown (privacy rules); this module only writes what it is given.
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from survey_model.deck import Deck, Slide
from survey_model.exports import escape_formula
from survey_model.release import as_displayed
from survey_model.workbook import ResultsWorkbook, Sheet

__all__ = ["IMAGE_FONT", "chart_png", "chart_svg", "deck_pptx", "png_size", "workbook_xlsx"]

#: Font stack for images. Family names are quoted: an unquoted name with a digit ("Source Sans 3") is invalid CSS,
#: and the renderer then drops the whole list and draws no text at all.
IMAGE_FONT = "'Source Sans Pro', 'Source Sans 3', 'Liberation Sans', Arial, Helvetica, sans-serif"


def _offline(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the specification with the image font stack (see :data:`IMAGE_FONT`)."""
    spec = dict(spec)
    spec["config"] = {**spec.get("config", {}), "font": IMAGE_FONT}
    return spec


def chart_png(spec: Mapping[str, Any], *, scale: float = 2.0) -> bytes:
    """A Vega-Lite specification (e.g. ``chart.to_dict()``) as PNG bytes, rendered offline.

    The image is ``scale`` times the chart's size in CSS pixels (2 keeps text crisp on a projector).
    """
    import vl_convert

    return vl_convert.vegalite_to_png(_offline(spec), scale=scale, allowed_base_urls=[])


def chart_svg(spec: Mapping[str, Any]) -> str:
    """A Vega-Lite specification as an SVG document, rendered offline."""
    import vl_convert

    return vl_convert.vegalite_to_svg(_offline(spec), allowed_base_urls=[])


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG's header (its IHDR chunk)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


# --------------------------------------------------------------------------------------------------------------
# PowerPoint

_INK, _ACCENT, _MUTED = "222222", "4B2C7F", "555555"
#: Arial is on every PowerPoint machine, and LibreOffice draws it with the metric-compatible Liberation Sans.
_FONT = "Arial"


def deck_pptx(deck: Deck, *, images: Mapping[str, bytes] | None = None) -> bytes:
    """The deck as a 16:9 PowerPoint file.

    Parameters
    ----------
    deck : Deck
        From :func:`survey_model.deck.build_deck`.
    images : mapping of str to bytes, optional
        PNG image of each slide's chart, keyed by slide key (``survey_model/charts/deck.py`` renders them). A
        slide whose image is missing is written without it.

    Returns
    -------
    bytes
        The ``.pptx`` file. Every slide has a title placeholder holding the slide title, and speaker notes with
        the facilitator notes and the slide's discussion prompt.
    """
    from pptx import Presentation
    from pptx.util import Emu, Inches

    images = images or {}
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Emu(12192000), Inches(7.5)  # 16:9, as PowerPoint's own
    presentation.core_properties.title = _clean(deck.title)
    presentation.core_properties.subject = _clean(f"{deck.scope}: {', '.join(deck.waves)}")
    footer = _clean(f"{deck.org_name} · {deck.scope} · {' and '.join(deck.waves)}")
    for number, slide in enumerate(deck.slides, start=1):
        if slide.key == "title":
            _title_slide(presentation, slide)
        else:
            _content_slide(presentation, slide, images.get(slide.key))
            _footer(presentation.slides[-1], footer, number)
        notes = "\n\n".join(
            part for part in (slide.notes, f"Discussion: {slide.prompt}" if slide.prompt else "") if part
        )
        presentation.slides[-1].notes_slide.notes_text_frame.text = _clean(notes)
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def _speaker_notes(slide: Slide, images: Mapping[str, bytes]) -> str:
    """The facilitator notes, then (for a wide chart, whose points are not on the slide) the points, then the prompt."""
    parts = [slide.notes]
    image = images.get(slide.key)
    if image is not None and slide.points and _aspect(image) > 1.8:
        parts.append("On this slide: " + " ".join(slide.points))
    if slide.prompt:
        parts.append(f"Discussion: {slide.prompt}")
    return "\n\n".join(part for part in parts if part)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(text: str) -> str:
    """Text safe for the XML inside a .pptx/.xlsx (control characters other than tab and newline removed)."""
    return _CONTROL.sub("", str(text))


def _text(frame, lines, *, size: int, color: str = _INK, bold: bool = False, italic: bool = False, gap: int = 0):
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(gap)
        run = paragraph.add_run()
        run.text = _clean(line)
        run.font.size = Pt(size)
        run.font.name = _FONT
        run.font.bold = bold
        run.font.italic = italic
        run.font.color.rgb = RGBColor.from_string(color)


def _box(slide, left: float, top: float, width: float, height: float):
    from pptx.util import Inches

    shape = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    shape.text_frame.word_wrap = True
    return shape.text_frame


def _title(slide, text: str, *, left: float, top: float, width: float, height: float, size: int) -> None:
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches

    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = Inches(left), Inches(top), Inches(width), Inches(height)
    shape.text_frame.clear()
    _text(shape.text_frame, [text], size=size, color=_ACCENT, bold=True)
    shape.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT


def _title_slide(presentation, slide: Slide) -> None:
    page = presentation.slides.add_slide(presentation.slide_layouts[5])
    _title(page, slide.title, left=0.8, top=2.0, width=11.7, height=1.3, size=44)
    _text(_box(page, 0.8, 3.35, 11.7, 0.8), [slide.headline], size=28, color=_INK)
    _text(_box(page, 0.8, 4.35, 11.7, 1.8), list(slide.points), size=20, color=_MUTED, gap=4)
    if slide.prompt:
        _text(_box(page, 0.8, 6.3, 11.7, 0.6), [slide.prompt], size=20, color=_ACCENT, italic=True)


def _points_size(lines: list[str], *, width: float = 4.6, height: float = 3.9, largest: int = 20) -> int:
    """Largest type (pt) at which the lines should fit a box of ``width × height`` inches.

    A rough budget: a character is about half an em wide and a line 1.2 em high, plus a paragraph gap.
    """
    for size in range(largest, 11, -2):
        per_line = max(1, int(width * 72 / (0.5 * size)))
        rows = sum(-(-max(len(line), 1) // per_line) for line in lines) + 0.5 * len(lines)
        if rows * 1.2 * size <= height * 72:
            return size
    return 12


def _aspect(image: bytes) -> float:
    width, height = png_size(image)
    return width / height


def _content_slide(presentation, slide: Slide, image: bytes | None) -> None:
    from pptx.util import Inches

    page = presentation.slides.add_slide(presentation.slide_layouts[5])
    _title(page, slide.title, left=0.5, top=0.3, width=12.3, height=0.85, size=36)
    wide = image is not None and _aspect(image) > 1.8
    if slide.headline:
        _text(_box(page, 0.5, 1.1, 12.3, 0.5 if wide else 0.8), [slide.headline], size=20 if wide else 22, bold=True)
    points = list(slide.points)
    if image is None:
        size = _points_size(points, width=12.3, height=4.0, largest=26)
        _text(_box(page, 0.5, 2.0, 12.3, 4.0), [f"• {p}" for p in points], size=size, gap=10)
        if slide.prompt:
            _text(_box(page, 0.5, 6.1, 12.3, 0.8), [slide.prompt], size=22, color=_ACCENT, italic=True)
        return
    width_px, height_px = png_size(image)
    if wide:
        # A wide chart (the breakdown) takes the slide's width; its points are in the speaker notes.
        width = min(12.3, 4.85 * width_px / height_px)
        height = width * height_px / width_px
        left = 0.5 + (12.3 - width) / 2
        picture = page.shapes.add_picture(io.BytesIO(image), Inches(left), Inches(1.6), width=Inches(width))
        if slide.prompt:
            _text(_box(page, 0.5, 1.6 + height + 0.05, 12.3, 0.5), [slide.prompt], size=18, color=_ACCENT, italic=True)
    else:
        width = min(7.6, 4.85 * width_px / height_px)
        picture = page.shapes.add_picture(io.BytesIO(image), Inches(0.4), Inches(1.95), width=Inches(width))
        left = 0.4 + width + 0.3
        column = 13.333 - left - 0.4
        _text(_box(page, left, 1.95, column, 3.9), points, size=_points_size(points, width=column), gap=8)
        if slide.prompt:
            _text(_box(page, left, 5.9, column, 1.0), [slide.prompt], size=18, color=_ACCENT, italic=True)
    description = slide.figure.description if slide.figure is not None else ""
    if description:
        picture._element.nvPicPr.cNvPr.set("descr", _clean(description))


def _footer(page, text: str, number: int) -> None:
    _text(_box(page, 0.5, 7.0, 10.5, 0.35), [text], size=11, color=_MUTED)
    _text(_box(page, 11.8, 7.0, 1.0, 0.35), [str(number)], size=11, color=_MUTED)


# --------------------------------------------------------------------------------------------------------------
# Excel


def workbook_xlsx(workbook: ResultsWorkbook) -> bytes:
    """The results workbook as an ``.xlsx`` file: one sheet per view, readable formatting.

    Each sheet starts with its table's header row, the only frozen row; the sheet's title, its note and the
    filters follow the table (and the title is the printed page header).

    Text cells (titles, filters, headers, group names, notes) are passed through
    :func:`~survey_model.exports.escape_formula`, so text from user data such as a school named ``=1+1`` is
    stored as text that starts with ``'``, never as a formula. Missing figures are empty cells.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    title_font, bold = Font(bold=True, size=14), Font(bold=True)
    header_fill = PatternFill("solid", fgColor="E7E1EF")
    for sheet in workbook.sheets:
        ws = book.create_sheet(_sheet_name(sheet.name))
        # The header row first and the only row frozen, so the table keeps most of the window; what the sheet
        # shows (title, note, the filters) follows the table.
        header_row = 1
        ws.append([_safe(str(column)) for column in sheet.table.columns])
        for cell in ws[header_row]:
            cell.font, cell.fill = bold, header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        # Figures as shown (survey_model.release.as_displayed), except on the analysts' sheet, whose unrounded
        # figures are over the same released groups and so isolate no one either (see README, Confidentiality).
        shown = sheet.table if getattr(sheet, "exact", False) else as_displayed(sheet.table, formats=sheet.formats)
        for values in _rows(shown):
            ws.append(values)
        last_row = ws.max_row
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        _format_columns(ws, sheet, header_row, get_column_letter, last_row=last_row)
        ws.append([])
        ws.append([_safe(sheet.title)])
        ws.cell(row=ws.max_row, column=1).font = title_font
        if sheet.note:
            ws.append([_safe(sheet.note)])
            ws.cell(row=ws.max_row, column=1).font = Font(italic=True)
        for name, value in workbook.filters:
            ws.append([_safe(name), _safe(value)])
            ws.cell(row=ws.max_row, column=1).font = bold
        ws.oddHeader.center.text = _safe(sheet.title).replace("&", "&&")  # printed on every page
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(name: str) -> str:
    """Excel's tab-name rules: at most 31 characters, none of ``[]:*?/\\``."""
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "Sheet"


def _safe(value: object) -> str:
    return escape_formula(_clean(str(value)))


def _rows(table: pd.DataFrame):
    """Cells row by row: numbers as Python numbers, missing as empty, everything else as escaped text."""
    columns = []
    for name in table.columns:
        series = table[name]
        if pd.api.types.is_bool_dtype(series):
            columns.append(["yes" if value is True else "" for value in series.astype("boolean").fillna(False)])
        elif pd.api.types.is_numeric_dtype(series):
            values = series.to_numpy(dtype=np.float64, na_value=np.nan)
            columns.append([None if np.isnan(v) else (int(v) if float(v).is_integer() else float(v)) for v in values])
        else:
            columns.append([None if pd.isna(v) or v == "" else _safe(v) for v in series.astype(object)])
    return zip(*columns, strict=True) if columns else iter(())


def _format_columns(ws, sheet: Sheet, header_row: int, letter, *, last_row: int) -> None:
    from openpyxl.styles import Alignment

    for index, name in enumerate(sheet.table.columns, start=1):
        column = letter(index)
        fmt = sheet.formats.get(name)
        texts = sheet.table[name].astype("string").fillna("")
        longest = max([len(str(name)) // 2 + 2, *(len(t) for t in texts.head(500))], default=10)
        wide = longest > 60
        ws.column_dimensions[column].width = min(max(10, longest + 2), 70)
        for row in ws.iter_rows(min_row=header_row + 1, max_row=last_row, min_col=index, max_col=index):
            cell = row[0]
            if fmt and isinstance(cell.value, int | float):
                cell.number_format = fmt
            if wide:
                cell.alignment = Alignment(wrap_text=True, vertical="top")

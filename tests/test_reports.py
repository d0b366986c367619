"""Files for the room: the deck as PowerPoint, charts as PNG and SVG, the results workbook as Excel."""

import io
import struct
import xml.etree.ElementTree as ET
import zipfile

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from test_deck import CODEBOOK, WAVES, survey  # tests/ is on sys.path when pytest collects

from survey_model.charts.deck import IMAGE_SIZES, deck_images, image_spec
from survey_model.deck import build_deck
from survey_model.reports import chart_png, chart_svg, deck_pptx, workbook_xlsx
from survey_model.workbook import results_workbook

RISKY = ['=HYPERLINK("http://evil.example","x")', "+1+1 School", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)", "\tTabbed"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def png_header(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, read per the PNG specification (signature, length, 'IHDR', w, h)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def planted():
    """A district with a planted gain, a school of 3 and its deck with every chart rendered."""
    frame = survey({"Oak School": 60, "Elm School": 50, "Ash School": 12, "Tiny School": 3}, gain=1.0)
    deck = build_deck(frame, CODEBOOK, org_name="Test district", waves=list(WAVES))
    return frame, deck, deck_images(deck)


def test_pptx_has_every_title_its_charts_and_speaker_notes(planted, tmp_path):
    """Reopened with python-pptx: the slide titles in order, one picture per chart slide, the notes as notes."""
    _, deck, images = planted
    path = tmp_path / "deck.pptx"
    path.write_bytes(deck_pptx(deck, images=images))
    presentation = Presentation(str(path))
    assert (presentation.slide_width, presentation.slide_height) == (12192000, 6858000)  # 13.333 × 7.5 in, 16:9
    assert [slide.shapes.title.text for slide in presentation.slides] == [slide.title for slide in deck.slides]
    for page, slide in zip(presentation.slides, deck.slides, strict=True):
        pictures = [shape for shape in page.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == (1 if slide.figure is not None else 0), slide.key
        for picture in pictures:
            assert picture.image.content_type == "image/png"
            assert picture.image.blob == images[slide.key]
            assert picture._element.nvPicPr.cNvPr.get("descr") == slide.figure.description
        notes = page.notes_slide.notes_text_frame.text
        assert slide.notes[:80] in notes
        if slide.prompt:
            assert notes.endswith(f"Discussion: {slide.prompt}")
    assert "Biggest gains since 2024 Spring" in [slide.shapes.title.text for slide in presentation.slides]


def test_pptx_holds_no_hidden_school_anywhere(planted):
    """Not on a slide, in the notes, in the alt text or in the file's properties: every XML part is searched."""
    _, deck, images = planted
    with zipfile.ZipFile(io.BytesIO(deck_pptx(deck, images=images))) as archive:
        xml = " ".join(archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".xml"))
    assert "Oak School" in xml
    assert "Tiny School" not in xml
    assert "Ash School" not in xml  # hidden with it, so Tiny cannot be recovered by subtraction


def test_chart_images_have_the_promised_size_and_no_hidden_school(planted):
    """PNG at twice the chart's CSS size (read from the PNG header), SVG at the CSS size; no small group inside."""
    _, deck, images = planted
    for slide in deck.slides:
        if slide.figure is None:
            continue
        width, height = IMAGE_SIZES[slide.figure.kind]
        assert png_header(images[slide.key]) == (2 * width, 2 * height), slide.key
        svg = chart_svg(image_spec(slide.figure))
        root = ET.fromstring(svg)
        assert root.tag.endswith("svg")
        assert (root.get("width"), root.get("height")) == (str(width), str(height))
        assert "Tiny School" not in svg and "Tiny School" not in str(image_spec(slide.figure))
    leader = next(slide for slide in deck.slides if slide.key == "leader")
    assert png_header(chart_png(image_spec(leader.figure), scale=1)) == IMAGE_SIZES["leader_trend"]


def test_chart_images_never_fetch_from_the_network():
    """A specification that points at a web address is refused instead of fetched."""
    spec = {"data": {"url": "https://example.com/data.csv"}, "mark": "bar", "encoding": {"x": {"field": "a"}}}
    with pytest.raises(ValueError, match="not allowed"):
        chart_png(spec)
    with pytest.raises(ValueError, match="not allowed"):
        chart_svg(spec)


def test_chart_text_is_drawn_even_with_the_apps_font_stack():
    """The app's font list names Source Sans 3 unquoted, which the renderer rejects; the images still carry text."""
    import vl_convert

    spec = {
        "data": {"values": [{"a": "Vision and strategy", "b": 1}, {"a": "Shared influence", "b": 2}]},
        "mark": "bar",
        "encoding": {"y": {"field": "a", "type": "nominal"}, "x": {"field": "b", "type": "quantitative"}},
        "config": {"font": "Source Sans Pro, Source Sans 3, Helvetica, Arial, sans-serif"},
    }
    known_good = vl_convert.vegalite_to_png({**spec, "config": {"font": "sans-serif"}})
    without_text = vl_convert.vegalite_to_png(spec)  # the renderer drops the whole list and draws no letters
    drawn = chart_png(spec, scale=1)
    # Text adds many anti-aliased pixels, so a PNG with its labels is far larger than one without.
    assert len(without_text) < 0.7 * len(known_good)
    assert len(drawn) > 0.8 * len(known_good)


@pytest.fixture(scope="module")
def planted_book(planted):
    """The planted district's results workbook, 2026 Spring compared with 2024 Spring."""
    frame, _, _ = planted
    return results_workbook(frame, CODEBOOK, org_name="Test district", wave="2026 Spring", compare="2024 Spring")


def _cells(path):
    book = load_workbook(path)
    return book, [(ws.title, cell) for ws in book.worksheets for row in ws.iter_rows() for cell in row]


def test_workbook_reopens_with_the_filters_on_every_sheet(planted, tmp_path):
    """Every sheet starts with the organization, waves and school/level/role filters in force."""
    frame, _, _ = planted
    book = results_workbook(
        frame,
        CODEBOOK,
        org_name="Test district",
        wave="2026 Spring",
        compare="2024 Spring",
        restriction={"school": None, "school_level": "Elementary", "role": None},
        created="2026-05-01",
    )
    path = tmp_path / "results.xlsx"
    path.write_bytes(workbook_xlsx(book))
    reopened = load_workbook(path)
    assert reopened.sheetnames == [sheet.name for sheet in book.sheets]
    assert {"About", "Overview", "Conditions", "Items", "Schools", "Changes"} <= set(reopened.sheetnames)
    for ws in reopened.worksheets:
        rows = list(ws.iter_rows(max_col=2, values_only=True))
        after_table = next(i for i, row in enumerate(rows) if row == (None, None))  # the filters follow the table
        filters = {row[0]: row[1] for row in rows[after_table + 1 :]}
        assert filters["Organization"] == "Test district"
        assert filters["Wave"] == "2026 Spring"
        assert filters["Compared with"] == "2024 Spring"
        assert filters["School level"] == "Elementary"
        assert filters["School"] == "All" and filters["Role"] == "All"
        assert filters["Created"] == "2026-05-01"
        assert ws.freeze_panes == "A2"  # the header row, and only it, stays in view
        assert ws.cell(row=1, column=1).font.bold


def test_workbook_never_holds_a_hidden_groups_figures(planted_book, tmp_path):
    """Rows of the school of 3 (and the school hidden with it) name the group and say why, with no number."""
    path = tmp_path / "results.xlsx"
    path.write_bytes(workbook_xlsx(planted_book))
    reopened = load_workbook(path)
    seen = 0
    for ws in reopened.worksheets:
        for row in ws.iter_rows(values_only=True):
            if "Tiny School" in row or "Ash School" in row:
                seen += 1
                assert not [value for value in row if isinstance(value, int | float)], (ws.title, row)
                assert any(isinstance(v, str) and ("fewer than 5" in v or "subtraction" in v) for v in row)
    assert seen >= 4  # Schools (two waves) and Leader identity (two waves) at least
    # Every count printed anywhere is at least the minimum.
    for ws in reopened.worksheets:
        header = None
        for row in ws.iter_rows(values_only=True):
            if row and row[0] in ("Wave", "What"):
                header = row
                continue
            if header is None:
                continue
            for name, value in zip(header, row, strict=False):
                if isinstance(name, str) and name.startswith("n") and isinstance(value, int | float):
                    assert value >= 5, (ws.title, name, value)


def test_workbook_text_from_the_data_never_runs_as_a_formula(tmp_path):
    """School names starting with =, +, -, @ or a tab come back as text with a leading quote, never a formula."""
    frame = survey(dict.fromkeys(RISKY, 8))
    book = results_workbook(frame, CODEBOOK, org_name="=cmd|' /C calc'!A0", wave="2026 Spring")
    path = tmp_path / "results.xlsx"
    path.write_bytes(workbook_xlsx(book))
    _, cells = _cells(path)
    assert all(cell.data_type != "f" for _, cell in cells)
    texts = [cell.value for _, cell in cells if isinstance(cell.value, str)]
    assert not [text for text in texts if text.startswith(FORMULA_START)]
    for name in RISKY:
        assert "'" + name in texts, name
    assert "'=cmd|' /C calc'!A0" in texts  # the organization name printed with the filters
    rows = list(load_workbook(path)["Schools"].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[:3] == ("Wave", "School", "n"))
    end = next(i for i, row in enumerate(rows) if i > header and all(value is None for value in row))
    counts = [row[2] for row in rows[header + 1 : end]]
    assert len(counts) == len(RISKY) and all(isinstance(n, int) and n >= 5 for n in counts)  # figures stay numbers


def test_workbook_changes_sheet_gives_relative_change_only_when_clear(planted_book):
    """A '% more' figure sits beside its interval and both n, and only on rows whose verdict is a clear change."""
    changes = planted_book.sheet("Changes").table
    relative = changes["Relative change (%)"].notna()
    assert relative.any()
    assert changes.loc[relative, "Verdict"].isin(["clear increase", "clear decrease"]).all()
    assert (
        changes.loc[relative, ["Relative, likely from (%)", "Relative, likely to (%)", "n before", "n after"]]
        .notna()
        .all()
        .all()
    )
    unclear = changes["Verdict"] == "no clear change"
    assert unclear.any() and changes.loc[unclear, "Relative change (%)"].isna().all()


def test_workbook_changes_add_up_for_partners_and_keep_the_statistics_for_analysts(planted_book):
    """Sheet Changes: After − Before = Change on every row, as in the statements (the statement's levels and
    points are the sheet's). Effect sizes and p-values are only on Changes (analysts), unrounded, row for row."""
    changes = planted_book.sheet("Changes").table
    analysts = planted_book.sheet("Changes (analysts)").table
    assert not {"Effect size", "p", "Adjusted p (conditions)"} & set(changes.columns)
    assert {"Effect size", "Effect size measure", "p", "Adjusted p (conditions)"} <= set(analysts.columns)
    assert changes["What"].tolist() == analysts["What"].tolist()
    shown = changes["Before"].notna()
    assert shown.sum() > 10
    for (_, row), (_, raw) in zip(changes[shown].iterrows(), analysts[shown].iterrows(), strict=True):
        assert row["After"] - row["Before"] == pytest.approx(row["Change"], abs=1e-12)
        assert abs(row["Before"] - raw["Before"]) <= 0.5 and abs(row["After"] - raw["After"]) <= 0.5
        assert raw["Likely from"] <= row["Change"] <= raw["Likely to"]  # the rounded change stays in its interval
        if row["Unit"].startswith("%"):
            assert float(row["Before"]).is_integer() and float(row["After"]).is_integer()
            words = "no change in points" if row["Change"] == 0 else f"{row['Change']:+.0f} point".replace("-", "−")
            assert f"{row['Before']:.0f}% → {row['After']:.0f}% ({words}" in row["Statement"], row["Statement"]
    sizes = analysts.loc[shown, "Effect size"]
    assert sizes.notna().all() and (analysts.loc[shown, "Change"] != changes.loc[shown, "Change"]).any()


@pytest.mark.parametrize("compare", [None, "2024 Spring"])
def test_workbook_for_a_school_hidden_in_every_wave_is_written_without_figures(compare):
    """Oak (20) beside Tiny (3): Tiny is too small and Oak is hidden with it (else Tiny = total − Oak), so the
    selection is empty; the workbook still builds (it raised KeyError: 'wave' in the Reliability sheet)."""
    frame = survey({"Oak School": 20, "Tiny School": 3})
    book = results_workbook(frame, CODEBOOK, org_name="Test", restriction={"school": "Oak School"}, compare=compare)
    reliability = book.sheet("Reliability").table
    assert reliability.empty
    assert list(reliability.columns[:2]) == ["Wave", "Condition"]
    assert book.sheet("Overview").table.empty
    workbook = load_workbook(io.BytesIO(workbook_xlsx(book)))
    assert "Reliability" in workbook.sheetnames
    assert "Oak School" in " ".join(str(c.value) for c in workbook["Reliability"]["A"] + workbook["Reliability"]["B"])

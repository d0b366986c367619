"""Every chart drawn on a page can be downloaded as PNG and SVG, rendered offline."""

import pandas as pd

from survey_model import charts
from survey_model.reports import chart_png, chart_svg
from ui.display import EXPORT_WIDTH, export_spec, specification


def test_overview_offers_png_and_svg_for_each_chart(app):
    """The Overview draws two charts, each followed by a PNG and an SVG download."""
    at = app(org="cedar-valley").run()
    labels = [button.label for button in at.get("download_button")]
    assert labels.count("PNG") == len(at.get("vega_lite_chart")) == labels.count("SVG") == 2


def test_a_container_width_chart_renders_to_an_image_of_the_export_width():
    """A chart that follows its container on screen is exported at a fixed width, as a valid PNG and SVG."""
    table = pd.DataFrame(
        {
            "wave": ["2024", "2026"],
            "share_yes": [0.3, 0.47],
            "share_unsure": [0.2, 0.1],
            "n": [400, 410],
            "n_yes": [120, 193],
            "ci_low": [0.26, 0.42],
            "ci_high": [0.35, 0.52],
        }
    )
    spec = export_spec(charts.leader_share_by_wave(table))
    png = chart_png(spec, scale=1.0)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    assert EXPORT_WIDTH <= width < EXPORT_WIDTH + 200  # the plot plus its axis and padding
    assert "<svg" in chart_svg(spec)[:200]


def _without_data(spec: object) -> object:
    """The specification with every data reference and dataset left out (names differ, structure must not)."""
    if isinstance(spec, dict):
        return {key: _without_data(value) for key, value in spec.items() if key not in ("data", "datasets")}
    if isinstance(spec, list):
        return [_without_data(value) for value in spec]
    return spec


def test_drawn_specification_is_the_validated_chart_with_its_tables_by_name():
    """What the page hands Streamlit (unvalidated, fast) is the chart the tests validate, with each table once."""
    table = pd.DataFrame(
        {
            "condition_name": ["Vision and strategy", "Shared influence"],
            "group_name": ["Foundational", "Cultural"],
            "pct_favorable": [62.0, 48.0],
            "pct_neutral": [20.0, 22.0],
            "pct_unfavorable": [18.0, 30.0],
            "n": [120, 118],
            "n_responses": [470, 460],
            "stage": ["Developing", "Emerging"],
        }
    )
    figure = charts.condition_favorable_bars(table, title="Percent favorable")
    validated = figure.to_dict()  # raises if the builder's specification breaks the Vega-Lite schema
    spec = specification(figure)
    assert _without_data(spec) == _without_data(validated)
    # Bars and labels share the table, the band edges have their own: two datasets, named in order of use.
    assert list(spec["datasets"]) == ["table_0", "table_1"]
    pd.testing.assert_frame_equal(spec["datasets"]["table_0"][table.columns], table)
    names = [layer["data"]["name"] for layer in spec["layer"]]
    assert names == ["table_0", "table_0", "table_1"]

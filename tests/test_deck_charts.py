"""Slide charts: titled, n on hover, a text alternative with the figures, and a known size as images."""

import pytest
from test_deck import CODEBOOK, WAVES, survey  # tests/ is on sys.path when pytest collects

from survey_model.charts import element_height
from survey_model.charts.deck import IMAGE_SIZES, PRESENT_FONT_SIZE, figure_chart, image_spec
from survey_model.deck import build_deck


@pytest.fixture(scope="module")
def figures():
    """Every kind of slide figure, from a district with a planted gain."""
    frame = survey({"Oak School": 60, "Elm School": 50, "Ash School": 30}, gain=1.0)
    deck = build_deck(frame, CODEBOOK, org_name="Test district", waves=list(WAVES))
    return {slide.figure.kind: slide.figure for slide in deck.slides if slide.figure is not None}


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def test_every_kind_of_figure_is_drawn(figures):
    """The deck of a district with two waves has all five chart kinds."""
    assert set(figures) == {"leader_trend", "conditions", "changes", "lowest_items", "breakdown"}


@pytest.mark.parametrize("kind", ["leader_trend", "conditions", "changes", "lowest_items", "breakdown"])
def test_slide_chart_has_title_n_on_hover_and_text_alternative(figures, kind):
    """Title from the figure, a tooltip with an n, and the figures in words as the chart's description."""
    figure = figures[kind]
    spec = figure_chart(figure).to_dict()
    assert spec["title"]["text"] == figure.title
    assert spec["description"] == f"{figure.title}. {figure.description}"
    tooltips = [tip["field"] for layer in _layers(spec) for tip in layer.get("encoding", {}).get("tooltip", [])]
    assert {"n", "n1", "n2"} & set(tooltips), tooltips
    assert spec["width"] == "container"


@pytest.mark.parametrize("kind", ["leader_trend", "breakdown"])
def test_image_spec_fills_a_fixed_size(figures, kind):
    """An image is exactly the size in IMAGE_SIZES: Vega-Lite fits title, axes and legend inside it."""
    spec = image_spec(figures[kind])
    assert (spec["width"], spec["height"]) == IMAGE_SIZES[kind]
    assert spec["autosize"] == {"type": "fit", "contains": "padding"}


def test_leader_chart_names_its_axis_once(figures):
    """Every layer on the y channel carries the same title, so Vega-Lite does not join them ('…, lo')."""
    spec = figure_chart(figures["leader_trend"]).to_dict()
    titles = {layer["encoding"]["y"].get("title") for layer in _layers(spec)}
    assert titles == {"% answering Yes"}


def test_presentation_charts_are_taller_with_larger_type(figures):
    """large=True (Present mode) raises the type to projector size and the plot with it."""
    normal, large = figure_chart(figures["conditions"]), figure_chart(figures["conditions"], large=True)
    assert large.to_dict()["config"]["axis"]["labelFontSize"] == PRESENT_FONT_SIZE
    assert element_height(large) > element_height(normal)

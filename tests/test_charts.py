"""Chart builders: titles, axis titles, colour-blind-safe palette and n in every tooltip."""

import pandas as pd

from survey_model import charts
from survey_model.codebook import load_codebook
from survey_model.dashboard import overview
from survey_model.privacy import SUPPRESSED


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def _tooltip_fields(spec: dict) -> set[str]:
    fields = set()
    for layer in _layers(spec):
        for tip in layer.get("encoding", {}).get("tooltip", []):
            fields.add(tip["field"])
    return fields


def _conditions_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "condition_name": ["Vision and strategy", "Shared influence"],
            "group_name": ["Foundational conditions", "Cultural conditions"],
            "pct_favorable": [72.4, 41.0],
            "pct_neutral": [15.0, 20.0],
            "pct_unfavorable": [12.6, 39.0],
            "stage": ["Established", "Emerging"],
            "n": [120, 118],
            "n_responses": [470, 460],
        }
    )


def test_condition_bars_have_title_axes_stage_palette_and_n_tooltips():
    """Percent favorable bars: titled, both axes named or labelled, stage colours from the one palette, n on hover."""
    spec = charts.condition_favorable_bars(_conditions_table(), subtitle="2026 Spring").to_dict()
    assert spec["title"]["text"] == "Percent favorable by condition"
    bars = _layers(spec)[0]
    assert bars["encoding"]["x"]["title"].startswith("% favorable")
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 100]
    assert bars["encoding"]["color"]["scale"]["range"] == list(charts.STAGE_COLOURS.values())
    assert {"n", "n_responses", "pct_favorable"} <= _tooltip_fields(spec)
    assert spec["description"].startswith("Percent favorable by condition")
    assert spec["config"]["axis"]["labelFontSize"] >= 14  # readable on a projector


def test_leader_chart_shows_interval_when_given_and_n_on_hover():
    """Leader share by wave: one bar per wave, an error bar when the interval is known, n in the tooltip."""
    table = pd.DataFrame(
        {
            "wave": ["2024", "2026"],
            "share_yes": [0.3, 0.47],
            "share_unsure": [0.2, 0.15],
            "n": [400, 410],
            "n_yes": [120, 193],
            "ci_low": [0.26, 0.42],
            "ci_high": [0.35, 0.52],
        }
    )
    spec = charts.leader_share_by_wave(table).to_dict()
    assert {"n", "n_yes"} <= _tooltip_fields(spec)
    assert any(layer["mark"]["type"] == "errorbar" for layer in _layers(spec))
    data = spec["datasets"][next(iter(spec["datasets"]))]
    assert [round(row["pct"]) for row in data] == [30, 47]


def test_overview_of_a_three_person_school_has_no_figures():
    """A filter leaving 3 respondents: hidden, every figure suppressed; the next smallest school is hidden too."""
    cb = load_codebook()
    rows = [{"wave": "W1", "school": s} for s, n in (("Tiny", 3), ("Mid", 7), ("Big", 20)) for _ in range(n)]
    frame = pd.DataFrame(rows)
    for item in cb.condition_items:
        frame[item.id] = pd.Series([4.0] * len(frame), dtype="float32")
    frame["LI1"] = pd.Series([1.0] * len(frame), dtype="float32")
    view = overview(frame, cb, wave="W1", restriction={"school": "Tiny"})
    assert view.hidden and view.respondents < 5
    assert (view.conditions[SUPPRESSED] != "").all() and view.conditions["pct_favorable"].isna().all()
    assert (view.index[SUPPRESSED] != "").all() and view.leader["share_yes"].isna().all()
    assert overview(frame, cb, wave="W1", restriction={"school": "Mid"}).hidden  # total - Big - Mid would be Tiny
    big = overview(frame, cb, wave="W1", restriction={"school": "Big"})
    # Everyone answered Agree (4): 100% favorable, except that Agree on a reverse-worded item scores 2,
    # so the five conditions with one reverse item are 3 of 4 favorable.
    expected = [75.0 if any(i.reverse for i in cb.items_for(c)) else 100.0 for c in big.conditions["condition"]]
    assert not big.hidden and big.conditions["pct_favorable"].tolist() == expected


def test_overview_survives_a_wave_without_any_leader_answer():
    """A wave where nobody answered the leader item: hidden, not a crash; other waves get Wilson intervals."""
    cb = load_codebook()
    frame = pd.DataFrame({"wave": ["W1"] * 10 + ["W2"] * 10})
    for item in cb.condition_items:
        frame[item.id] = pd.Series([4.0] * 20, dtype="float32")
    frame["LI1"] = pd.Series([1.0, 2.0] * 5 + [float("nan")] * 10, dtype="float32")
    view = overview(frame, cb, wave="W2")
    w1, w2 = view.leader.set_index("wave").loc["W1"], view.leader.set_index("wave").loc["W2"]
    assert w1["ci_low"] < w1["share_yes"] == 0.5 < w1["ci_high"]
    assert w2[SUPPRESSED] != "" and pd.isna(w2["share_yes"])


def _trend_rows() -> pd.DataFrame:
    """Three conditions over two waves, in codebook order (a long name among them)."""
    names = ["Vision and strategy", "Relationships and social norms", "Shared influence"]
    return pd.DataFrame(
        {
            "label": [name for name in names for _ in range(2)],
            "wave": ["2024 Spring", "2025 Spring"] * 3,
            "estimate": [0.30, 0.40, 0.50, 0.55, 0.20, 0.35],
            "ci_lo": [0.25, 0.35, 0.45, 0.50, 0.15, 0.30],
            "ci_hi": [0.35, 0.45, 0.55, 0.60, 0.25, 0.40],
            "n": [100, 110, 100, 110, 100, 110],
        }
    )


def test_trend_over_every_wave_is_one_panel_per_condition_in_the_palette():
    """Small multiples, not overlapping lines: one facet per condition in codebook order, every mark in the
    palette's one colour (no colour scale, so no legend), n in the tooltip, and no panel title cut."""
    spec = charts.trend_panels(_trend_rows(), title="Percent favorable over every wave").to_dict()
    assert spec["title"]["text"] == "Percent favorable over every wave"
    assert spec["facet"]["field"] == "label"
    assert spec["facet"]["sort"] == ["Vision and strategy", "Relationships and social norms", "Shared influence"]
    layers = spec["spec"]["layer"]
    assert [layer["mark"]["type"] for layer in layers] == ["area", "line"]
    colours = {layer["mark"]["color"] for layer in layers} | {layers[1]["mark"]["point"]["color"]}
    assert colours == {charts.CATEGORICAL[0]}
    assert all("color" not in layer.get("encoding", {}) for layer in layers)
    assert "n" in _tooltip_fields(spec["spec"])
    # the y axis is percent favorable on 0-100 (estimates are proportions: 0.30 is drawn at 30)
    assert layers[1]["encoding"]["y"]["scale"]["domain"] == [0, 100]
    # "Relationships and social norms" (30 characters) is broken into lines of at most 18, not cut
    label_expr = spec["facet"]["header"]["labelExpr"]
    assert '["Relationships and", "social norms"]' in label_expr
    assert '["Vision and", "strategy"]' in label_expr
    assert "Shared influence" not in label_expr  # 16 characters: one line, left as it is

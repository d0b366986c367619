"""Drawing charts the same way on every page, each with PNG and SVG downloads.

Speed: ``st.altair_chart`` validates the whole specification against the Vega-Lite schema on every rerun, which
costs 15-160 ms a chart (most for a heatmap of 400 schools). The builders' specifications are validated by the
tests (every builder is checked through ``to_dict()``), so here the chart is converted without validation and its
tables are handed to Streamlit by name, which sends them as Arrow like ``st.altair_chart`` does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from survey_model.charts import element_height
from survey_model.release import as_displayed
from survey_model.reports import chart_png, chart_svg
from survey_model.slugs import slug
from ui import auth, state

#: Width in CSS pixels of a downloaded chart whose on-screen width follows its container.
EXPORT_WIDTH = 900


def chart(
    figure: alt.TopLevelMixin, *, key: str | None = None, downloadable: bool = True, **selection: object
) -> object:
    """Draw a chart from :mod:`survey_model.charts` at its intended height, in the app's own projector-sized theme.

    Streamlit would otherwise size every chart alike and restyle its fonts smaller. The chart's
    ``description`` (set by every builder) is the text alternative Vega-Lite gives screen readers. Below the
    chart, PNG and SVG downloads render the same specification offline, only when clicked.
    """
    drawn = st.vega_lite_chart(
        spec=specification(figure),
        width="stretch",
        height=element_height(figure),
        theme=None,
        key=key,
        **selection,
    )
    if downloadable:
        downloads(figure, key=key)
    return drawn


def specification(figure: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite specification, unvalidated, with each table as a named dataset holding the frame.

    Layers sharing one frame share one dataset; names follow the order of first use (``table_0``, ``table_1``...),
    so a rerun with new figures updates the drawn chart's data instead of replacing the chart.
    """
    frames: dict[int, tuple[str, pd.DataFrame]] = {}

    def named(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
        copy = chart.copy(deep=False)
        data = getattr(copy, "data", alt.Undefined)
        if isinstance(data, pd.DataFrame):
            name, _ = frames.setdefault(id(data), (f"table_{len(frames)}", data))
            copy.data = alt.NamedData(name)
        for part in ("layer", "hconcat", "vconcat", "concat"):
            charts = getattr(copy, part, alt.Undefined)
            if isinstance(charts, list):
                setattr(copy, part, [named(child) for child in charts])
        return copy

    spec = named(figure).to_dict(validate=False)
    # Publish what is shown: the browser gets every figure rounded as the chart shows it (survey_model.release).
    spec["datasets"] = {name: as_displayed(frame) for name, frame in frames.values()}
    return spec


def downloads(figure: alt.TopLevelMixin, *, key: str | None = None) -> None:
    """PNG and SVG download buttons for one chart; the image is rendered offline only when clicked."""
    description = getattr(figure, "description", "")
    label = description if isinstance(description, str) and description else "chart"
    name = slug(label.split(". ")[0], max_length=60) or "chart"
    stem = key or hashlib.sha256(label.encode()).hexdigest()[:10]
    left, right, _ = st.columns([1, 1, 6])
    filters = state.current()

    def logged(make: Callable[[], bytes], what: str) -> Callable[[], bytes]:
        # Written to the audit log with who downloaded it, as every export is (ui.auth.audited).
        return auth.audited(make, org=filters.org, what=what) if filters is not None else make

    left.download_button(
        "PNG",
        data=logged(lambda: chart_png(export_spec(figure)), f"{name}.png"),
        file_name=f"{name}.png",
        mime="image/png",
        key=f"png_{stem}",
        icon=":material/download:",
        on_click="ignore",
    )
    right.download_button(
        "SVG",
        data=logged(lambda: chart_svg(export_spec(figure)), f"{name}.svg"),
        file_name=f"{name}.svg",
        mime="image/svg+xml",
        key=f"svg_{stem}",
        icon=":material/download:",
        on_click="ignore",
    )


def export_spec(figure: alt.TopLevelMixin) -> dict:
    """The chart's specification with a fixed width where the page lets it follow its container."""
    spec = figure.to_dict()
    if spec.get("width") == "container":
        spec["width"] = EXPORT_WIDTH
    return spec

"""Drawing charts the same way on every page, each with PNG and SVG downloads."""

from __future__ import annotations

import hashlib
import re

import altair as alt
import streamlit as st

from survey_model.reports import chart_png, chart_svg
from ui.charts import element_height

#: Width in CSS pixels of a downloaded chart whose on-screen width follows its container.
EXPORT_WIDTH = 900


def chart(
    figure: alt.TopLevelMixin, *, key: str | None = None, downloadable: bool = True, **selection: object
) -> object:
    """Draw a chart from :mod:`ui.charts` at its intended height, in the app's own projector-sized theme.

    Streamlit would otherwise size every chart alike and restyle its fonts smaller. The chart's
    ``description`` (set by every builder) is the text alternative Vega-Lite gives screen readers. Below the
    chart, PNG and SVG downloads render the same specification offline, only when clicked.
    """
    drawn = st.altair_chart(
        figure,
        width="stretch",
        height=element_height(figure),
        theme=None,
        key=key,
        **selection,
    )
    if downloadable:
        downloads(figure, key=key)
    return drawn


def downloads(figure: alt.TopLevelMixin, *, key: str | None = None) -> None:
    """PNG and SVG download buttons for one chart; the image is rendered offline only when clicked."""
    description = getattr(figure, "description", "")
    label = description if isinstance(description, str) and description else "chart"
    name = re.sub(r"[^a-z0-9]+", "-", label.split(". ")[0].casefold()).strip("-")[:60] or "chart"
    stem = key or hashlib.sha256(label.encode()).hexdigest()[:10]
    left, right, _ = st.columns([1, 1, 6])
    left.download_button(
        "PNG",
        data=lambda: chart_png(export_spec(figure)),
        file_name=f"{name}.png",
        mime="image/png",
        key=f"png_{stem}",
        icon=":material/download:",
        on_click="ignore",
    )
    right.download_button(
        "SVG",
        data=lambda: chart_svg(export_spec(figure)),
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

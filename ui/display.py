"""Drawing charts the same way on every page."""

from __future__ import annotations

import altair as alt
import streamlit as st

from ui.charts import element_height


def chart(figure: alt.TopLevelMixin, *, key: str | None = None, **selection: object) -> object:
    """Draw a chart from :mod:`ui.charts` at its intended height, in the app's own projector-sized theme.

    Streamlit would otherwise size every chart alike and restyle its fonts smaller. The chart's
    ``description`` (set by every builder) is the text alternative Vega-Lite gives screen readers.
    """
    return st.altair_chart(
        figure,
        width="stretch",
        height=element_height(figure),
        theme=None,
        key=key,
        **selection,
    )

"""Chart builders for the workshop deck: a :class:`~survey_model.deck.Figure` in, an Altair chart out.

The same builder draws a slide's chart on the Workshop page (``width="container"``) and in the exported images
(a fixed size in pixels, see :data:`IMAGE_SIZES`), so the room sees the same chart on screen and in the
PowerPoint. The palette, fonts and titles come from :mod:`survey_model.charts`; the leader and conditions charts are the
Overview's own builders. No Streamlit here: every chart is testable through ``to_dict()``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

import altair as alt
import pandas as pd

from survey_model import charts
from survey_model.charts import (
    FAVORABLE,
    FRAME_HEIGHT,
    HEATMAP_LIGHT,
    NEUTRAL,
    UNFAVORABLE,
    _style,
    element_height,
    when,
)
from survey_model.deck import Deck, Figure
from survey_model.reports import chart_png

__all__ = [
    "IMAGE_FONT_SIZE",
    "IMAGE_FONT_SIZES",
    "IMAGE_SIZES",
    "PRESENT_FONT_SIZE",
    "deck_images",
    "figure_chart",
    "image_spec",
]

#: Whole image size in CSS pixels (before the PNG scale factor) and type size per figure kind. A chart image fills
#: about 7.6 inches of a 16:9 slide (the wide breakdown about 12), so its labels land near 14 pt (13 pt for the
#: dense breakdown grid).
IMAGE_SIZES: Mapping[str, tuple[int, int]] = {
    "leader_trend": (720, 440),
    "conditions": (720, 440),
    "changes": (720, 440),
    "lowest_items": (720, 440),
    "breakdown": (1100, 460),
    "drivers": (720, 440),
}
IMAGE_FONT_SIZES: Mapping[str, int] = {"breakdown": 16}
IMAGE_FONT_SIZE = 18
#: Chart type on the page in presentation mode (the slide text is about 27 px there).
PRESENT_FONT_SIZE = 22
#: Axis labels are split into lines with this expression (Vega-Lite draws an array as several lines).
_LINES = "split(datum.label, '\\n')"


def _wrap(text: str, width: int, *, lines: int = 3) -> str:
    """Break a long label into at most ``lines`` lines of about ``width`` characters, with … when cut."""
    parts = textwrap.wrap(str(text), width) or [""]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], textwrap.shorten(" ".join(parts[lines - 1 :]), width, placeholder=" …")]
    return "\n".join(parts)


def _drivers(figure: Figure) -> alt.LayerChart:
    from survey_model.charts.analytics import focus_quadrant

    table = figure.table
    return focus_quadrant(
        table, n=int(table["n"].iloc[0]), confidence=0.95, title=figure.title, subtitle=figure.subtitle
    )


def figure_chart(
    figure: Figure, *, width: int | str = "container", height: int | None = None, large: bool = False
) -> alt.Chart:
    """The chart for one slide's figure.

    Parameters
    ----------
    figure : Figure
        From :func:`survey_model.deck.build_deck`; its table holds only rows that may be shown.
    width : int or "container"
        ``"container"`` on a page; a whole-image width in pixels for an exported image.
    height : int, optional
        With a numeric ``width``: the whole image height in pixels. The chart then fills exactly
        ``width × height`` (Vega-Lite ``autosize: fit``), so the image has a known size.
    large : bool, default=False
        On a page: type of :data:`PRESENT_FONT_SIZE` and a taller plot, for a projector in presentation mode.
    """
    builders = {
        "leader_trend": _leader_trend,
        "conditions": _conditions,
        "changes": _changes,
        "lowest_items": _lowest_items,
        "breakdown": _breakdown,
        "drivers": _drivers,
    }
    chart = (
        builders[figure.kind](figure)
        if figure.kind != "breakdown"
        # In Present mode the condition names are wrapped under their columns as in the image: slanted names in
        # projector type need more height than the plot, which then collapses to a sliver on a 1280 px screen.
        else _breakdown(figure, image=isinstance(width, int) or large)
    )
    if figure.description:
        # The figures in words, as the text alternative for screen readers (and alt text in the PowerPoint).
        chart = chart.properties(description=f"{figure.title}. {figure.description}")
    if isinstance(width, int):
        chart = _for_image(chart, figure, width=width, height=height or IMAGE_SIZES[figure.kind][1])
    else:
        chart = chart.properties(width=width)
        if large:
            chart = _larger(chart)
    return chart


def _larger(chart: alt.Chart) -> alt.Chart:
    """Projector type (axes, labels, legend, title and the text inside the chart) and a plot a sixth taller, so the
    larger labels keep their room and the slide still fits a 1280×720 window."""
    plot = element_height(chart) - FRAME_HEIGHT
    taller = round(plot * 7 / 6)
    size = PRESENT_FONT_SIZE
    return (
        chart.properties(height=taller, usermeta={"element_height": taller + FRAME_HEIGHT + 2 * size})
        .configure_axis(labelFontSize=size, titleFontSize=size, labelLimit=480)
        .configure_text(fontSize=size)
        .configure_legend(labelFontSize=size, titleFontSize=size, orient="bottom")
        .configure_title(fontSize=size + 4, subtitleFontSize=size - 4)
    )


def _for_image(chart: alt.Chart, figure: Figure, *, width: int, height: int) -> alt.Chart:
    """Exactly ``width × height`` pixels (Vega-Lite ``autosize: fit``), type sized for a slide."""
    size = IMAGE_FONT_SIZES.get(figure.kind, IMAGE_FONT_SIZE)
    return (
        chart.properties(width=width, height=height, autosize=alt.AutoSizeParams(type="fit", contains="padding"))
        .configure_axis(labelFontSize=size, titleFontSize=size, labelLimit=480)
        .configure_text(fontSize=size)
        .configure_legend(
            # In a fixed-size image a one-row legend of the four stage names under the conditions' long labels
            # runs off the right edge: two columns there.
            labelFontSize=size,
            titleFontSize=size,
            orient="bottom",
            columns=2 if figure.kind == "conditions" else alt.Undefined,
        )
    )


def image_spec(figure: Figure) -> dict:
    """The Vega-Lite specification of a figure's exported image (fixed size from :data:`IMAGE_SIZES`)."""
    width, height = IMAGE_SIZES[figure.kind]
    return figure_chart(figure, width=width, height=height).to_dict()


def deck_images(deck: Deck, *, scale: float = 2.0) -> dict[str, bytes]:
    """PNG image of every slide's chart, keyed by slide key (``scale`` 2 gives crisp images on a projector).

    Two charts render at a time (the renderer releases the GIL): a five-chart deck takes about 1.5 s instead of 2.5.
    """
    slides = [slide for slide in deck.slides if slide.figure is not None]
    with ThreadPoolExecutor(max_workers=2) as pool:
        images = pool.map(lambda slide: chart_png(image_spec(slide.figure), scale=scale), slides)
        return {slide.key: image for slide, image in zip(slides, images, strict=True)}


# --------------------------------------------------------------------------------------------------------------
# builders


def _leader_trend(figure: Figure) -> alt.Chart:
    """Share answering Yes per wave with its 95% interval; the label sits above the interval, not on it."""
    data = figure.table.assign(
        pct=100 * figure.table["share_yes"],
        pct_unsure=100 * figure.table["share_unsure"],
        lo=100 * figure.table["ci_low"],
        hi=100 * figure.table["ci_high"],
    )
    data["label"] = data["pct"].map(lambda p: f"{p:.0f}%")
    tooltip = [
        alt.Tooltip("wave:N", title="Wave"),
        alt.Tooltip("pct:Q", title="% Yes", format=".0f"),
        alt.Tooltip("lo:Q", title="Likely from", format=".0f"),
        alt.Tooltip("hi:Q", title="Likely to", format=".0f"),
        alt.Tooltip("pct_unsure:Q", title="% Not sure", format=".0f"),
        alt.Tooltip("n_yes:Q", title="Yes answers"),
        alt.Tooltip("n:Q", title="n (valid answers)"),
    ]
    x = alt.X("wave:N", sort=data["wave"].tolist(), title="Survey wave", axis=alt.Axis(labelAngle=0))
    y_title = "% answering Yes"
    bars = (
        alt.Chart(data)
        .mark_bar(color=FAVORABLE, size=90)  # "Yes", as on the Leader identity page
        .encode(x=x, y=alt.Y("pct:Q", title=y_title, scale=alt.Scale(domain=[0, 100])), tooltip=tooltip)
    )
    # Every layer on the y channel names the same title, or Vega-Lite joins them ("% answering Yes, lo").
    interval = (
        alt.Chart(data)
        .mark_errorbar(color="#000000", thickness=2)
        .encode(x=x, y=alt.Y("lo:Q", title=y_title), y2=alt.Y2("hi:Q"))
    )
    labels = (
        alt.Chart(data)
        .mark_text(dy=-14, fontWeight="bold")
        .encode(x=x, y=alt.Y("hi:Q", title=y_title), text=alt.Text("label:N"))
    )
    return _style(
        alt.layer(bars, interval, labels).properties(height=320),
        title=figure.title,
        subtitle=figure.subtitle or None,
    )


def _conditions(figure: Figure) -> alt.Chart:
    return charts.condition_favorable_bars(
        figure.table, title=figure.title, subtitle=figure.subtitle or None, band_edges=figure.edges or (50, 70, 85)
    )


def _changes(figure: Figure) -> alt.Chart:
    """Each clear change as a dot with its 95% interval, in percentage points, beside a zero line."""
    data = figure.table.assign(
        label=figure.table["label"].map(lambda text: _wrap(text, 28)),
        text=figure.table["diff"].map(lambda d: f"{d:+.0f}"),
    )
    order = data["label"].tolist()
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelExpr=_LINES, labelLimit=420))
    top = max(5.0, float(data["diff_hi"].max()) + 3)
    low = min(0.0, float(data["diff_lo"].min()) - 1)
    x = alt.X("diff:Q", title="Change in percentage points (likely range)", scale=alt.Scale(domain=[low, top]))
    tooltip = [
        alt.Tooltip("label:N", title="What"),
        alt.Tooltip("estimate1:Q", title="% favorable before", format=".0f"),
        alt.Tooltip("estimate2:Q", title="% favorable after", format=".0f"),
        alt.Tooltip("diff:Q", title="Change (points)", format="+.1f"),
        alt.Tooltip("diff_lo:Q", title="Likely from", format="+.1f"),
        alt.Tooltip("diff_hi:Q", title="Likely to", format="+.1f"),
        alt.Tooltip("n1:Q", title="n before"),
        alt.Tooltip("n2:Q", title="n after"),
    ]
    zero = alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color="#555555").encode(x=alt.X("zero:Q"))
    rules = (
        alt.Chart(data)
        .mark_rule(color=FAVORABLE, strokeWidth=4)  # gains in the purple of an increase, as on Shifts
        .encode(x=alt.X("diff_lo:Q"), x2=alt.X2("diff_hi:Q"), y=y)
    )
    dots = (
        alt.Chart(data).mark_point(filled=True, size=260, color=FAVORABLE, opacity=1).encode(x=x, y=y, tooltip=tooltip)
    )
    labels = (
        alt.Chart(data).mark_text(dy=-18, fontWeight="bold").encode(x=alt.X("diff:Q"), y=y, text=alt.Text("text:N"))
    )
    return _style(
        alt.layer(zero, rules, dots, labels).properties(height=80 * max(len(order), 1)),
        title=figure.title,
        subtitle=figure.subtitle or None,
    )


def _lowest_items(figure: Figure) -> alt.Chart:
    """Favorable, neutral and unfavorable shares of each item, favorable first so the low ones stand out."""
    table = figure.table.assign(label=figure.table["label"].map(lambda text: _wrap(text, 28)))
    parts = {"Favorable": "pct_favorable", "Neutral": "pct_neutral", "Unfavorable": "pct_unfavorable"}
    long = table.melt(
        id_vars=["label", "item", "n"],
        value_vars=list(parts.values()),
        var_name="part",
        value_name="pct",
    )
    names = {column: name for name, column in parts.items()}
    long = long.assign(
        part=long["part"].map(names),
        rank=long["part"].map({column: i for i, column in enumerate(parts.values())}),
    )
    order = table["label"].tolist()
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelExpr=_LINES, labelLimit=420))
    bars = (
        alt.Chart(long)
        .mark_bar(height={"band": 0.7})
        .encode(
            x=alt.X("pct:Q", stack="zero", title="% of valid answers", scale=alt.Scale(domain=[0, 100])),
            y=y,
            color=alt.Color(
                "part:N",
                title=None,
                scale=alt.Scale(domain=list(parts), range=[FAVORABLE, NEUTRAL, UNFAVORABLE]),
                sort=list(parts),
            ),
            order=alt.Order("rank:Q"),
            tooltip=[
                alt.Tooltip("label:N", title="Item"),
                alt.Tooltip("part:N", title="Answer"),
                alt.Tooltip("pct:Q", title="%", format=".0f"),
                alt.Tooltip("n:Q", title="n (valid answers)"),
            ],
        )
    )
    labelled = table.assign(text=table["pct_favorable"].map(lambda p: f"{p:.0f}%"))
    labels = (
        alt.Chart(labelled)
        .mark_text(align="left", dx=6, fontWeight="bold")
        .encode(x=alt.X("pct_favorable:Q"), y=y, text=alt.Text("text:N"))
    )
    return _style(
        alt.layer(bars, labels).properties(height=70 * max(len(order), 1)),
        title=figure.title,
        subtitle=figure.subtitle or None,
    )


def _breakdown(figure: Figure, *, image: bool = False) -> alt.Chart:
    """Groups × conditions, each cell its percent favorable, coloured on the Schools page's scale (one purple hue
    from 0% to 100% favorable), so a colour means the same on the page and on the slide.

    In an image (known width) the condition names are wrapped under their columns; on a page, where the width is
    the browser's, they are slanted so they never run into each other.
    """
    table = figure.table.assign(
        condition_label=figure.table["condition_name"].map(lambda text: _wrap(text, 14) if image else text),
        text=figure.table["pct_favorable"].map(lambda p: f"{p:.0f}%"),
        dark=figure.table["pct_favorable"] > 55,  # white text on the darker half, as on the Schools page
    )
    columns = list(dict.fromkeys(table["condition_label"]))
    rows = list(dict.fromkeys(table["group_label"]))
    # Column labels sit below the grid: several-line labels on a top axis are drawn over the first row.
    axis = (
        alt.Axis(orient="bottom", labelAngle=0, labelExpr=_LINES, labelLimit=200, ticks=False, domain=False)
        if image
        # labelLimit 0: no limit, so a long condition name is never cut ("Relationships and social n…")
        else alt.Axis(orient="bottom", labelAngle=-35, labelAlign="right", labelLimit=0, ticks=False, domain=False)
    )
    x = alt.X("condition_label:N", sort=columns, title=None, axis=axis)
    y = alt.Y("group_label:N", sort=rows, title=None, axis=alt.Axis(ticks=False, domain=False, labelLimit=480))
    cells = (
        alt.Chart(table)
        .mark_rect(stroke="white", strokeWidth=2)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "pct_favorable:Q",
                title="% favorable",
                scale=alt.Scale(domain=[0, 100], range=[HEATMAP_LIGHT, FAVORABLE]),
            ),
            tooltip=[
                alt.Tooltip("group:N", title="Group"),
                alt.Tooltip("condition_name:N", title="Condition"),
                alt.Tooltip("pct_favorable:Q", title="% favorable", format=".0f"),
                alt.Tooltip("stage:N", title="Stage (project default bands)"),
                alt.Tooltip("n:Q", title="n (respondents)"),
            ],
        )
    )
    text = (
        alt.Chart(table)
        .mark_text(fontWeight="bold")
        .encode(
            x=x,
            y=y,
            text=alt.Text("text:N"),
            color=when("datum.dark", "white", "black"),
        )
    )
    return _style(
        alt.layer(cells, text).properties(height=(34 if image else 44) * max(len(rows), 1)),
        title=figure.title,
        subtitle=figure.subtitle or None,
    )

"""Chart builders: tidy frame in, Altair chart out. No Streamlit here, so every chart is testable via ``to_dict()``.

One palette for the whole app, in one place. The categorical colours are Okabe & Ito's colour-blind-safe set;
the answer scale uses a purple–orange diverging scheme (ColorBrewer PuOr, safe for the common colour-vision
deficiencies) with a grey neutral. Fonts are large enough to read on a projector. Every chart has a title, axis
titles, tooltips that carry n, and a ``description`` (shown to screen readers by Vega-Lite) as text alternative.
Builders receive only rows that privacy rules allow to be shown.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import altair as alt
import pandas as pd

from survey_model.shifts.statements import signed

__all__ = [
    "CATEGORICAL",
    "CONFIG",
    "FONT_SIZE",
    "FRAME_HEIGHT",
    "HEATMAP_LIGHT",
    "LIKERT",
    "STAGE_COLOURS",
    "TITLE_SIZE",
    "VERDICT_COLOURS",
    "change_heatmap",
    "condition_favorable_bars",
    "element_height",
    "leader_share_by_wave",
    "shift_dumbbells",
    "trend_lines",
    "trend_panels",
    "when",
]

#: Okabe–Ito categorical palette (colour-blind safe), for waves, groups and lines: its blue and sky blue apart, a
#: neutral grey in place of orange. Orange means *unfavorable* or *a decrease* and purple *favorable*, *an
#: increase* or *Yes* on every chart, so neither is ever a group's colour (vermilion only for an eighth group).
CATEGORICAL = ("#0072B2", "#009E73", "#000000", "#56B4E9", "#CC79A7", "#F0E442", "#999999", "#D55E00")
#: Unfavorable → neutral → favorable (PuOr, orange side unfavorable).
UNFAVORABLE, NEUTRAL, FAVORABLE = "#E08214", "#BDBDBD", "#5E3C99"
#: The light end of every heatmap scale (0% favorable, or no gap), shared by pages and slides.
HEATMAP_LIGHT = "#F7F7F7"
LIKERT = ("#B35806", "#FDB863", "#D9D9D9", "#B2ABD2", "#542788")
#: Stage bands, light to dark on one purple hue so order reads without colour names.
STAGE_COLOURS = {"Emerging": "#CDBFE3", "Developing": "#A08AC9", "Established": "#6F4FAE", "Sustaining": "#3F2275"}
FONT_SIZE = 16
TITLE_SIZE = 20


#: Room for the title, axis and legend around a chart's plotting area, in pixels.
FRAME_HEIGHT = 150


def element_height(chart: alt.TopLevelMixin) -> int:
    """Height of the whole chart element: its plotting area plus :data:`FRAME_HEIGHT`."""
    meta = chart.usermeta if isinstance(chart.usermeta, dict) else {}
    return int(meta.get("element_height", 350))


def when(test: str, then: object, otherwise: object, *, channel: type = alt.ColorValue) -> alt.SchemaBase:
    """A channel value chosen per mark by a Vega expression: ``then`` where ``test`` holds, else ``otherwise``.

    The same specification as ``alt.condition(test, alt.value(then), alt.value(otherwise))``, built directly: that
    helper spends ~10 ms resolving the schema on every call, which adds up on a page of charts.
    """
    return channel(otherwise, condition={"test": test, "value": then})


#: The app's one chart configuration (font, projector-sized text, legend below, no frame), built once.
CONFIG = alt.Config(
    font="'Source Sans Pro', 'Source Sans 3', Helvetica, Arial, sans-serif",
    axis=alt.AxisConfig(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelLimit=360),
    legend=alt.LegendConfig(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, orient="bottom"),
    text=alt.MarkConfig(fontSize=FONT_SIZE),
    view=alt.ViewConfig(strokeWidth=0),
)


def _style(
    chart: alt.Chart | alt.LayerChart,
    *,
    title: str,
    subtitle: str | None = None,
    subtitle_size: int | None = None,
    frame: int = FRAME_HEIGHT,
) -> alt.Chart:
    """Title, text alternative, element height and the shared :data:`CONFIG`, in one copy of the chart.

    ``frame`` is the room (pixels) for title, axes and legend around the plotting area: the element height that
    :func:`ui.display.chart` gives Streamlit is the chart's ``height`` plus ``frame``.
    """
    title_params = alt.TitleParams(
        title,
        subtitle=subtitle or alt.Undefined,
        fontSize=TITLE_SIZE,
        subtitleFontSize=subtitle_size or alt.Undefined,
        anchor="start",
    )
    height = getattr(chart, "height", None)  # concatenated charts have no height of their own
    height = height if isinstance(height, int) else 300
    styled = chart.properties(
        title=title_params,
        description=f"{title}. {subtitle or ''}".strip(),
        usermeta={"element_height": height + frame},
    )
    styled.config = CONFIG  # shared and never changed; assigning skips a deep copy per configure_* call
    return styled


def condition_favorable_bars(
    table: pd.DataFrame,
    *,
    title: str = "Percent favorable by condition",
    subtitle: str | None = None,
    band_edges: Sequence[float] = (50, 70, 85),
) -> alt.Chart:
    """Horizontal bars of percent favorable per condition, coloured by stage band, with band edges marked.

    ``table`` needs ``condition_name``, ``group_name``, ``pct_favorable``, ``pct_neutral``, ``pct_unfavorable``,
    ``n``, ``n_responses`` and ``stage`` (rows in display order).
    """
    order = table["condition_name"].tolist()
    data = table.assign(label=table["pct_favorable"].round().astype("Int64").astype(str) + "% · " + table["stage"])
    tooltip = [
        alt.Tooltip("condition_name:N", title="Condition"),
        alt.Tooltip("pct_favorable:Q", title="% favorable", format=".0f"),
        alt.Tooltip("pct_neutral:Q", title="% neutral", format=".0f"),
        alt.Tooltip("pct_unfavorable:Q", title="% unfavorable", format=".0f"),
        alt.Tooltip("stage:N", title="Stage (project default bands)"),
        alt.Tooltip("n:Q", title="n (respondents)"),
        alt.Tooltip("n_responses:Q", title="Item responses"),
    ]
    y = alt.Y("condition_name:N", sort=order, title=None)
    bars = (
        alt.Chart(data)
        .mark_bar(height={"band": 0.7})
        .encode(
            x=alt.X("pct_favorable:Q", title="% favorable (Agree or Strongly agree)", scale=alt.Scale(domain=[0, 100])),
            y=y,
            color=alt.Color(
                "stage:N",
                title="Stage",
                scale=alt.Scale(domain=list(STAGE_COLOURS), range=list(STAGE_COLOURS.values())),
            ),
            tooltip=tooltip,
        )
    )
    labels = (
        alt.Chart(data).mark_text(align="left", dx=6).encode(x=alt.X("pct_favorable:Q"), y=y, text=alt.Text("label:N"))
    )
    edges = (
        alt.Chart(pd.DataFrame({"edge": list(band_edges)}))
        .mark_rule(strokeDash=[4, 4], color="#555555")
        .encode(x=alt.X("edge:Q"))
    )
    return _style(
        alt.layer(bars, labels, edges).properties(width="container", height=48 * max(len(order), 1)),
        title=title,
        subtitle=subtitle,
    )


def leader_share_by_wave(
    table: pd.DataFrame, *, title: str = "Educators who consider themselves leaders", subtitle: str | None = None
) -> alt.Chart:
    """Share answering Yes per wave, with its 95% interval when the table has ``ci_low``/``ci_high``.

    ``table`` needs ``wave``, ``share_yes`` (0–1), ``share_unsure``, ``n`` and ``n_yes``.
    """
    has_interval = {"ci_low", "ci_high"} <= set(table.columns)
    data = table.assign(pct=100 * table["share_yes"], pct_unsure=100 * table["share_unsure"])
    data["label"] = data["pct"].round().astype("Int64").astype(str) + "%"
    tooltip = [
        alt.Tooltip("wave:N", title="Wave"),
        alt.Tooltip("pct:Q", title="% Yes", format=".0f"),
        alt.Tooltip("pct_unsure:Q", title="% Not sure", format=".0f"),
        alt.Tooltip("n_yes:Q", title="Yes answers"),
        alt.Tooltip("n:Q", title="n (valid answers)"),
    ]
    if has_interval:
        data["lo"], data["hi"] = 100 * data["ci_low"], 100 * data["ci_high"]
        data["ci_text"] = [f"{lo:.0f}% to {hi:.0f}%" for lo, hi in zip(data["lo"], data["hi"], strict=True)]
        tooltip.append(alt.Tooltip("ci_text:N", title="Likely range (95% interval)"))
    # The label sits above the interval's whisker when there is one, so the two never overlap.
    data["label_at"] = data["hi"] if has_interval else data["pct"]
    x = alt.X("wave:N", sort=table["wave"].tolist(), title="Survey wave", axis=alt.Axis(labelAngle=0))
    y_title = "% answering Yes"
    bars = (
        alt.Chart()
        .mark_bar(color=FAVORABLE, size=70)  # "Yes", in the purple of the leader-identity bars
        .encode(x=x, y=alt.Y("pct:Q", title=y_title, scale=alt.Scale(domain=[0, 100])), tooltip=tooltip)
    )
    layers = [bars, alt.Chart().mark_text(dy=-12).encode(x=x, y=alt.Y("label_at:Q"), text=alt.Text("label:N"))]
    if has_interval:
        errorbar = alt.Chart().mark_errorbar(color="#000000", thickness=2)
        layers.append(errorbar.encode(x=x, y=alt.Y("lo:Q", title=y_title), y2=alt.Y2("hi:Q"), tooltip=tooltip))
    return _style(
        alt.layer(*layers, data=data).properties(width="container", height=320), title=title, subtitle=subtitle
    )


#: A change is coloured like the answers it moves towards: purple up (more favorable), orange down. Exploratory
#: comparisons (items, schools, groups) are never coloured as strongly as a clear change: pale purple and orange.
VERDICT_COLOURS = {
    "clear increase": FAVORABLE,
    "clear decrease": UNFAVORABLE,
    "no clear change": "#9E9E9E",
    "likely higher": "#B2ABD2",
    "likely lower": "#FDB863",
    "could be no change": "#D9D9D9",
}
#: Opacity of a heatmap cell whose likely range includes zero (it could be no change).
FADED = 0.3


def shift_dumbbells(table: pd.DataFrame, *, title: str, subtitle: str | None = None) -> alt.LayerChart:
    """One dumbbell per row: the earlier and later percentage joined by a line, coloured by the verdict.

    ``table`` holds one shown comparison per row with ``label``, ``estimate1``, ``estimate2`` (shares in [0, 1]),
    ``diff_lo``, ``diff_hi``, ``n1``, ``n2`` and ``verdict``.
    """
    data = table.assign(
        pct1=100 * table["estimate1"],
        pct2=100 * table["estimate2"],
        change=100 * (table["estimate2"] - table["estimate1"]),
        ci=[
            f"{signed(100 * lo, 0)} to {signed(100 * hi, 0)} points"
            for lo, hi in zip(table["diff_lo"], table["diff_hi"], strict=True)
        ],
    )
    order = data["label"].tolist()
    y = alt.Y("label:N", sort=order, title=None)
    tooltip = [
        alt.Tooltip("label:N", title="Measure"),
        alt.Tooltip("pct1:Q", title="Earlier %", format=".0f"),
        alt.Tooltip("pct2:Q", title="Later %", format=".0f"),
        alt.Tooltip("change:Q", title="Change (points)", format="+.0f"),
        alt.Tooltip("ci:N", title="Likely range of the change"),
        alt.Tooltip("n1:Q", title="n, earlier wave"),
        alt.Tooltip("n2:Q", title="n, later wave"),
        alt.Tooltip("verdict:N", title="Verdict"),
    ]
    present = set(table["verdict"].astype(str))
    domain = [verdict for verdict in VERDICT_COLOURS if verdict in present] or list(VERDICT_COLOURS)[:3]
    colour = alt.Color(
        "verdict:N",
        title="Verdict",
        scale=alt.Scale(domain=domain, range=[VERDICT_COLOURS[verdict] for verdict in domain]),
    )
    x_scale = alt.Scale(domain=[0, 100])
    line = (
        alt.Chart()
        .mark_rule(strokeWidth=4)
        .encode(
            x=alt.X("pct1:Q", scale=x_scale, title="% favorable or % Yes"),
            x2=alt.X2("pct2:Q"),
            y=y,
            color=colour,
            tooltip=tooltip,
        )
    )
    earlier = (
        alt.Chart()
        .mark_circle(size=160, color="#FFFFFF", stroke="#555555", strokeWidth=2, opacity=1)
        .encode(x=alt.X("pct1:Q"), y=y, tooltip=tooltip)
    )
    later = alt.Chart().mark_circle(size=200, opacity=1).encode(x=alt.X("pct2:Q"), y=y, color=colour, tooltip=tooltip)
    height = 44 * max(len(order), 1)
    return _style(
        alt.layer(line, earlier, later, data=data).properties(width="container", height=height),
        title=title,
        subtitle=subtitle or "Open circle: earlier wave · filled circle: later wave",
    )


def trend_lines(table: pd.DataFrame, *, title: str, colour_by: str = "label") -> alt.LayerChart:
    """Estimates per wave with their 95% interval as a band; one line per ``colour_by`` value.

    ``table`` comes from :func:`survey_model.shifts.trend` (shown rows only; proportions): ``wave``, ``estimate``,
    ``ci_lo``, ``ci_hi``, ``n`` and the ``colour_by`` column.
    """
    data = table.assign(pct=100 * table["estimate"], lo=100 * table["ci_lo"], hi=100 * table["ci_hi"])
    waves = list(dict.fromkeys(data["wave"].astype(str)))
    x = alt.X("wave:N", sort=waves, title="Survey wave", axis=alt.Axis(labelAngle=0))
    colour = alt.Color(
        f"{colour_by}:N",
        title=None,
        scale=alt.Scale(range=list(CATEGORICAL)),
        # Full-strength swatches: the legend would otherwise take the pale bands' opacity.
        legend=alt.Legend(columns=2, labelLimit=400, symbolStrokeWidth=4, symbolOpacity=1),
    )
    tooltip = [
        alt.Tooltip(f"{colour_by}:N", title="Measure"),
        alt.Tooltip("wave:N", title="Wave"),
        alt.Tooltip("pct:Q", title="%", format=".0f"),
        alt.Tooltip("lo:Q", title="Likely from", format=".0f"),
        alt.Tooltip("hi:Q", title="to", format=".0f"),
        alt.Tooltip("n:Q", title="n"),
    ]
    band = alt.Chart().mark_area(opacity=0.18).encode(x=x, y=alt.Y("lo:Q"), y2=alt.Y2("hi:Q"), color=colour)
    line = (
        alt.Chart()
        .mark_line(point=alt.OverlayMarkDef(size=90), strokeWidth=3)
        .encode(x=x, y=alt.Y("pct:Q", title="%", scale=alt.Scale(domain=[0, 100])), color=colour, tooltip=tooltip)
    )
    return _style(
        alt.layer(band, line, data=data).properties(width="container", height=320),
        title=title,
        subtitle="Shaded: the likely range of each wave's estimate (95% interval)",
    )


#: Small multiples: panels per row, and each panel's plotting size in pixels (four fit beside the sidebar at 1280 px).
PANEL_COLUMNS, PANEL_WIDTH, PANEL_HEIGHT = 4, 165, 150


def _two_lines(labels: Sequence[str], width: int = 18) -> str:
    """A Vega expression that shows each label broken into lines of at most about ``width`` characters."""
    expression = "datum.value"
    for label in labels:
        lines: list[str] = []
        for word in label.split():
            if lines and len(lines[-1]) + 1 + len(word) <= width:
                lines[-1] += f" {word}"
            else:
                lines.append(word)
        if len(lines) > 1:
            quoted = ", ".join(json.dumps(line) for line in lines)
            expression = f"datum.value === {json.dumps(label)} ? [{quoted}] : {expression}"
    return expression


def trend_panels(table: pd.DataFrame, *, title: str, facet_by: str = "label") -> alt.FacetChart:
    """Small multiples: one panel per ``facet_by`` value (a condition), its estimate per wave with the 95% interval.

    Every panel shares the 0–100 axis and draws in one colour, the palette's first (:data:`CATEGORICAL`), so no
    legend is needed and no line hides another. ``table`` is as for :func:`trend_lines` (shown rows only).
    """
    data = table.assign(pct=100 * table["estimate"], lo=100 * table["ci_lo"], hi=100 * table["ci_hi"])
    waves = list(dict.fromkeys(data["wave"].astype(str)))
    panels = list(dict.fromkeys(data[facet_by].astype(str)))
    colour = CATEGORICAL[0]
    x = alt.X("wave:N", sort=waves, title=None, axis=alt.Axis(labelAngle=-30, labelFontSize=FONT_SIZE - 3))
    tooltip = [
        alt.Tooltip(f"{facet_by}:N", title="Condition"),
        alt.Tooltip("wave:N", title="Wave"),
        alt.Tooltip("pct:Q", title="% favorable", format=".0f"),
        alt.Tooltip("lo:Q", title="Likely from", format=".0f"),
        alt.Tooltip("hi:Q", title="to", format=".0f"),
        alt.Tooltip("n:Q", title="n"),
    ]
    band = alt.Chart().mark_area(opacity=0.25, color=colour).encode(x=x, y=alt.Y("lo:Q"), y2=alt.Y2("hi:Q"))
    line = (
        alt.Chart()
        .mark_line(point=alt.OverlayMarkDef(size=70, color=colour), strokeWidth=3, color=colour)
        .encode(
            x=x,
            y=alt.Y("pct:Q", title="% favorable", scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(tickCount=5)),
            tooltip=tooltip,
        )
    )
    rows = -(-max(len(panels), 1) // PANEL_COLUMNS)
    faceted = alt.layer(band, line).properties(width=PANEL_WIDTH, height=PANEL_HEIGHT)
    faceted = faceted.facet(
        facet=alt.Facet(
            f"{facet_by}:N",
            sort=panels,
            title=None,
            header=alt.Header(
                labelFontSize=FONT_SIZE,
                labelFontWeight="bold",
                labelLimit=PANEL_WIDTH + 20,
                labelExpr=_two_lines(panels),  # a long condition name on two lines, never cut
            ),
        ),
        columns=PANEL_COLUMNS,
        data=data,
    )
    return _style(
        faceted,
        title=title,
        subtitle="One panel per condition. Shaded: the likely range of each wave's figure (95% interval)",
        # a facet has no height of its own: the title, then per row a two-line header and the panel, then the
        # wave labels under the last row (_style adds a default 300 to the frame)
        frame=70 + rows * (PANEL_HEIGHT + 60) + 25 - 300,
    )


def change_heatmap(table: pd.DataFrame, *, title: str, row: str = "school") -> alt.LayerChart:
    """Change in percent favorable per ``row`` × condition, diverging around zero; exploratory, so faded where
    the cell's likely range includes zero (it could be no change) and never marked as a clear change.

    ``table`` holds shown comparisons: ``row``, ``label`` (condition), ``diff``, ``diff_lo``, ``diff_hi``,
    ``n1``, ``n2``, ``verdict``.
    """
    data = table.assign(
        change=100 * table["diff"],
        ci=[
            f"{signed(100 * lo, 0)} to {signed(100 * hi, 0)}"
            for lo, hi in zip(table["diff_lo"], table["diff_hi"], strict=True)
        ],
        unclear=[bool(lo <= 0 <= hi) for lo, hi in zip(table["diff_lo"], table["diff_hi"], strict=True)],
    )
    data["text"] = data["change"].map(lambda v: signed(v, 0))
    rows = sorted(data[row].astype(str).unique())
    columns = list(dict.fromkeys(data["label"]))
    limit = max(10.0, float(data["change"].abs().max() or 0))
    encoding = {
        "x": alt.X("label:N", sort=columns, title=None, axis=alt.Axis(labelAngle=-30, labelLimit=0)),
        "y": alt.Y(f"{row}:N", sort=rows, title=None),
    }
    tooltip = [
        alt.Tooltip(f"{row}:N"),
        alt.Tooltip("label:N", title="Condition"),
        alt.Tooltip("change:Q", title="Change (points)", format="+.0f"),
        alt.Tooltip("ci:N", title="Likely range (points)"),
        alt.Tooltip("n1:Q", title="n, earlier wave"),
        alt.Tooltip("n2:Q", title="n, later wave"),
        alt.Tooltip("verdict:N", title="Verdict"),
    ]
    cells = (
        alt.Chart()
        .mark_rect()
        .encode(
            **encoding,
            color=alt.Color(
                "change:Q",
                title="Change (points)",
                scale=alt.Scale(domain=[-limit, 0, limit], range=[UNFAVORABLE, "#F7F7F7", FAVORABLE]),
            ),
            opacity=when("datum.unclear", FADED, 1.0, channel=alt.OpacityValue),
            tooltip=tooltip,
        )
    )
    # white text where the cell colour is dark (never on a faded cell)
    dark = f"!datum.unclear && abs(datum.change) > {0.6 * limit}"
    text = (
        alt.Chart()
        .mark_text(fontSize=FONT_SIZE - 2)
        .encode(
            **encoding,
            text=alt.Text("text:N"),
            tooltip=tooltip,
            color=when(dark, "white", "black"),
        )
    )
    return _style(
        alt.layer(cells, text, data=data).properties(width="container", height=40 * max(len(rows), 1)),
        title=title,
        subtitle="Exploratory. Faded: the school's likely range includes zero (could be no change). With many "
        "schools, a few strong cells are chance.",
    )

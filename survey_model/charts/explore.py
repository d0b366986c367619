"""Chart builders of the exploration pages (Conditions, Schools, Subgroups, Leader identity).

Tidy frame in, Altair chart out, no Streamlit, so every chart is tested through ``to_dict()``. The palette and
the projector-sized styling come from :mod:`survey_model.charts` (one palette for the whole app). Every builder receives
only rows that privacy rules allow to be shown; where a chart keeps a place for a hidden group (a heatmap row),
it is given that group's *name* only, never a figure.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from survey_model.charts import (
    FADED,
    FAVORABLE,
    FONT_SIZE,
    FRAME_HEIGHT,
    HEATMAP_LIGHT,
    LIKERT,
    NEUTRAL,
    UNFAVORABLE,
    _style,
    when,
)
from survey_model.shifts.statements import signed

__all__ = [
    "IDENTITY_GAP_COLOURS",
    "ROW_HEIGHT",
    "answer_colours",
    "condition_heatmap",
    "identity_bars",
    "identity_gap_dots",
    "item_diverging_bars",
    "wrap",
]

#: Orange (unfavorable) and purple (favorable) ramps of PuOr, darkest first, for scales longer or shorter than 5.
_ORANGES = ("#7F3B08", "#B35806", "#E08214", "#FDB863")
_PURPLES = ("#2D004B", "#542788", "#8073AC", "#B2ABD2")
_LIGHT = HEATMAP_LIGHT
_HIDDEN = "#EEEEEE"
ROW_HEIGHT = 22
"""Pixels per line of a wrapped axis label (16 px text plus leading)."""
_SEPARATOR = "¦"
"""Splits a band name into its left-axis and right-axis labels (a character item wordings do not use)."""


def _titled(
    chart: alt.TopLevelMixin, *, title: str, subtitle: str | None = None, frame: int = FRAME_HEIGHT
) -> alt.TopLevelMixin:
    """The shared styling of :func:`survey_model.charts._style`, with a subtitle large enough to read on a projector."""
    return _style(chart, title=title, subtitle=subtitle, subtitle_size=FONT_SIZE - 2, frame=frame)


def wrap(text: str, width: int) -> str:
    """Break ``text`` into lines of at most ``width`` characters, joined by newlines (split again by Vega)."""
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def _multiline_axis(**kwargs: object) -> alt.Axis:
    """An axis whose labels break at the newlines :func:`wrap` put in, without truncation."""
    return alt.Axis(labelExpr="split(datum.label, '\\n')", labelLimit=0, **kwargs)


def answer_colours(sides: Sequence[str]) -> list[str]:
    """Colours for a scale's answers, least favorable first: oranges, grey for neutral, purples.

    >>> answer_colours(["unfavorable", "unfavorable", "neutral", "favorable", "favorable"]) == list(LIKERT)
    True
    """
    if list(sides) == ["unfavorable", "unfavorable", "neutral", "favorable", "favorable"]:
        return list(LIKERT)
    n_unfavorable = sum(side == "unfavorable" for side in sides)
    n_favorable = sum(side == "favorable" for side in sides)
    oranges = list(_ORANGES[-n_unfavorable:]) if n_unfavorable else []
    purples = list(reversed(_PURPLES[-n_favorable:])) if n_favorable else []
    colours, o, p = [], iter(oranges), iter(purples)
    for side in sides:
        colours.append(
            next(o, UNFAVORABLE) if side == "unfavorable" else next(p, FAVORABLE) if side == "favorable" else NEUTRAL
        )
    return colours


# --------------------------------------------------------------------------------------------------------------
# Conditions: item-level diverging stacked bars


def item_diverging_bars(
    answers: pd.DataFrame,
    items: pd.DataFrame,
    *,
    categories: Sequence[str],
    sides: Sequence[str],
    title: str,
    subtitle: str | None = None,
    label_width: int = 40,
) -> alt.LayerChart:
    """Diverging stacked bars, one per item, neutral centred on zero, with the Don't know / N/A count beside them.

    The item text (wrapped, in full) labels the left axis; the count and share of Don't know / N/A answers label
    a second axis on the right, so the chart keeps one plot and stretches with the page.

    Parameters
    ----------
    answers : DataFrame
        Shown items' answers, long (see :attr:`survey_model.explore.ConditionDetail.answers`): ``item``,
        ``label``, ``value``, ``category``, ``answer``, ``side``, ``count``, ``n``, ``pct`` (0–100).
    items : DataFrame
        Shown items in display order with ``item``, ``label``, ``n``, ``pct_favorable``, ``pct_unfavorable``,
        ``n_nonsubstantive`` and ``pct_nonsubstantive``.
    categories, sides : sequence of str
        Answer labels from least to most favorable, and the side of each (unfavorable / neutral / favorable).
    title, subtitle : str
        Chart title and subtitle.
    label_width : int, default=40
        Characters per line of the wrapped item text on the axis (the text is shown in full).
    """
    na_text = (
        "N/A: "
        + items["n_nonsubstantive"].astype("Int64").astype(str)
        + " ("
        + items["pct_nonsubstantive"].astype("Float64").round().astype("Int64").astype(str).fillna("0")
        + "%)"
    )
    # One band per item whose name carries both axis labels: the wrapped text and, after the separator, the N/A.
    rows = [f"{wrap(label, label_width)}{_SEPARATOR}{na}" for label, na in zip(items["label"], na_text, strict=True)]
    row_of = dict(zip(items["item"], rows, strict=True))
    data = answers.assign(row=answers["item"].map(row_of)).sort_values(["item", "value"], kind="stable")
    # Everything unfavorable plus half the neutral answers lies left of zero, so the neutral block straddles it.
    left = data["pct"].where(data["side"] == "unfavorable", 0.0) + data["pct"].where(data["side"] == "neutral", 0.0) / 2
    offset = left.groupby(data["item"]).transform("sum")
    data["end"] = data.groupby("item")["pct"].cumsum() - offset
    data["start"] = data["end"] - data["pct"]
    lines = max((row.count("\n") + 1 for row in rows), default=1)
    x = alt.X(
        "start:Q",
        title="% of valid answers (unfavorable ← 0 → favorable)",
        scale=alt.Scale(domain=[-100, 100]),
        axis=alt.Axis(labelExpr="abs(datum.value) + '%'", values=[-100, -50, 0, 50, 100]),
    )
    text_axis = alt.Axis(
        labelExpr=f"split(split(datum.label, '{_SEPARATOR}')[0], '\\n')", labelLimit=0, labelFontSize=15
    )
    na_axis = alt.Axis(
        orient="right", labelExpr=f"split(datum.label, '{_SEPARATOR}')[1]", labelLimit=0, title="Don't know / N/A"
    )
    bars = (
        alt.Chart(data)
        .mark_bar(height={"band": 0.72})
        .encode(
            x=x,
            x2=alt.X2("end:Q"),
            y=alt.Y("row:N", sort=rows, title=None, axis=text_axis),
            color=alt.Color(
                "category:N",
                title="Answer (reverse-worded items flipped)",
                scale=alt.Scale(domain=list(categories), range=answer_colours(sides)),
                sort=list(categories),
                legend=alt.Legend(labelLimit=0, titleLimit=0, columns=3),
            ),
            order=alt.Order("value:Q"),
            tooltip=[
                alt.Tooltip("label:N", title="Item"),
                alt.Tooltip("answer:N", title="Answer chosen"),
                alt.Tooltip("pct:Q", title="% of valid answers", format=".0f"),
                alt.Tooltip("count:Q", title="Answers"),
                alt.Tooltip("n:Q", title="n (valid answers)"),
            ],
        )
    )
    spans = (
        data.groupby("row", sort=False)
        .agg(right=("end", "max"), leftmost=("start", "min"))
        .reset_index()
        .merge(
            items.assign(row=items["item"].map(row_of))[
                ["row", "label", "pct_favorable", "pct_unfavorable", "n", "n_nonsubstantive"]
            ],
            on="row",
        )
    )
    spans["fav_label"] = spans["pct_favorable"].astype("float64").round().astype("Int64").astype(str) + "%"
    spans["unfav_label"] = spans["pct_unfavorable"].astype("float64").round().astype("Int64").astype(str) + "%"
    # Only the bars own the left axis and the invisible layer the right one: with independent axes every other
    # layer would draw an axis of its own.
    y_plain = alt.Y("row:N", sort=rows, title=None, axis=None)
    tip = [
        alt.Tooltip("label:N", title="Item"),
        alt.Tooltip("pct_favorable:Q", title="% favorable", format=".0f"),
        alt.Tooltip("pct_unfavorable:Q", title="% unfavorable", format=".0f"),
        alt.Tooltip("n_nonsubstantive:Q", title="Don't know / N/A answers"),
        alt.Tooltip("n:Q", title="n (valid answers)"),
    ]
    fav_text = (
        alt.Chart(spans)
        .mark_text(align="left", dx=6, fontWeight="bold", color=FAVORABLE)
        .encode(x=alt.X("right:Q"), y=y_plain, text=alt.Text("fav_label:N"), tooltip=tip)
    )
    unfav_text = (
        alt.Chart(spans)
        .mark_text(align="right", dx=-6, fontWeight="bold", color=UNFAVORABLE)
        .encode(x=alt.X("leftmost:Q"), y=y_plain, text=alt.Text("unfav_label:N"), tooltip=tip)
    )
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#333333").encode(x=alt.X("x:Q"))
    # An invisible layer owns the right-hand axis: same rows (shared scale), labels = the N/A counts.
    na_labels = (
        alt.Chart(spans)
        .mark_tick(opacity=0)
        .encode(x=alt.X("right:Q"), y=alt.Y("row:N", sort=rows, title="Don't know / N/A", axis=na_axis), tooltip=tip)
    )
    chart = (
        alt.layer(bars, zero, fav_text, unfav_text, na_labels)
        .resolve_axis(y="independent")
        .properties(width="container", height=len(rows) * (lines * ROW_HEIGHT + 18))
    )
    legend_rows = -(-len(categories) // 3)
    return _titled(chart, title=title, subtitle=subtitle, frame=140 + 26 * legend_rows)


# --------------------------------------------------------------------------------------------------------------
# Schools and subgroups: heatmaps of groups × conditions


def condition_heatmap(
    cells: pd.DataFrame,
    *,
    row: str,
    row_title: str,
    rows: Sequence[str],
    columns: Sequence[str],
    metric: str = "pct_favorable",
    colour_by: str = "value",
    hidden: pd.DataFrame | None = None,
    title: str,
    subtitle: str | None = None,
    select: bool = False,
    reference: str | None = None,
    highlight: str | None = None,
) -> alt.LayerChart:
    """A heatmap of groups (rows) × conditions (columns), every cell labelled with its figure.

    Parameters
    ----------
    cells : DataFrame
        Shown cells only: ``row``'s column, ``condition_name``, ``n``, ``pct_favorable``, ``mean`` and, for
        ``colour_by="gap"``, ``gap_favorable`` / ``gap_mean``.
    row, row_title : str
        Column naming the rows (``"school"``, ``"group"``) and its axis title.
    rows, columns : sequence of str
        Every row name (hidden ones included, so they keep an empty place) and condition names, in order.
    metric : {"pct_favorable", "mean"}
        Figure in the cells: percent favorable (0–100) or mean on the 1–5 scale.
    colour_by : {"value", "gap"}
        Colour by the figure itself (one purple hue) or by the gap to the whole selection (orange below,
        purple above, white at zero).
    hidden : DataFrame, optional
        Names only (``row``'s column, ``condition_name``) of hidden cells: drawn grey with a dash.
    select : bool, default=False
        Add a point selection named ``pick`` on the row field, so a click can choose a row.
    reference : str, optional
        The row the gaps are measured from (the whole selection): labelled without a gap.
    highlight : str, optional
        A row drawn with a dark outline (the school chosen in the sidebar).
    """
    if metric not in ("pct_favorable", "mean"):
        raise ValueError(f"metric must be 'pct_favorable' or 'mean', got {metric!r}")
    if colour_by not in ("value", "gap"):
        raise ValueError(f"colour_by must be 'value' or 'gap', got {colour_by!r}")
    percent = metric == "pct_favorable"
    wrapped_columns = {name: wrap(name, 14) for name in columns}
    data = cells.assign(column=cells["condition_name"].map(wrapped_columns))
    value = data[metric].astype("float64")
    data["value_label"] = value.round().astype("Int64").astype(str) + "%" if percent else value.map("{:.2f}".format)
    gap_field = "gap_favorable" if percent else "gap_mean"
    if colour_by == "gap":
        gap = data[gap_field].astype("float64")
        gap_text = (
            gap.round().astype("Int64").map("{:+d}".format) if percent else (gap.round(2) + 0.0).map("{:+.2f}".format)
        )
        with_gap = data["value_label"] + " (" + gap_text.astype(str) + ")"
        data["value_label"] = with_gap.where(data[row] != reference, data["value_label"])
        limit = max(float(gap.abs().max()) if len(gap) else 0.0, 10.0 if percent else 0.3)
        colour = alt.Color(
            f"{gap_field}:Q",
            title="Gap to the whole (points)" if percent else "Gap to the whole (scale points)",
            scale=alt.Scale(domain=[-limit, 0, limit], range=[UNFAVORABLE, _LIGHT, FAVORABLE]),
        )
        dark = f"abs(datum.{gap_field}) > {0.6 * limit}"
        unclear_field = f"{gap_field}_unclear"
        if unclear_field in data.columns:  # exploratory: a gap that could be 0 is faded, never strongly coloured
            data["unclear"] = data[unclear_field].fillna(False).astype(bool) & (data[row] != reference)
            low, high = data[f"{gap_field}_low"].astype("float64"), data[f"{gap_field}_high"].astype("float64")
            data["gap_range"] = [
                "" if np.isnan(lo) else f"{signed(lo, 0 if percent else 2)} to {signed(hi, 0 if percent else 2)}"
                for lo, hi in zip(low, high, strict=True)
            ]
            dark = f"!datum.unclear && {dark}"
    else:
        domain = [0, 100] if percent else [1, 5]
        colour = alt.Color(
            f"{metric}:Q",
            title="% favorable" if percent else "Mean (1–5)",
            scale=alt.Scale(domain=domain, range=[_LIGHT, FAVORABLE]),
        )
        dark = f"datum.{metric} > {domain[0] + 0.55 * (domain[1] - domain[0])}"
    x = alt.X(
        "column:N",
        sort=[wrapped_columns[c] for c in columns],
        title=None,
        axis=_multiline_axis(orient="bottom", labelAngle=0, labelOverlap=False, labelFontSize=14),
    )
    # No axis title: the chart title names the rows, and a title beside long labels overlaps them.
    y = alt.Y(f"{row}:N", sort=list(rows), title=None, scale=alt.Scale(domain=list(rows)))
    tooltip = [
        alt.Tooltip(f"{row}:N", title=row_title),
        alt.Tooltip("condition_name:N", title="Condition"),
        alt.Tooltip("pct_favorable:Q", title="% favorable", format=".0f"),
        alt.Tooltip("mean:Q", title="Mean (1–5)", format=".2f"),
    ]
    if colour_by == "gap" or "gap_favorable" in data.columns:
        tooltip.append(
            alt.Tooltip(f"{gap_field}:Q", title="Gap to the whole selection", format="+.0f" if percent else "+.2f")
        )
    if "gap_range" in data.columns:
        tooltip.append(alt.Tooltip("gap_range:N", title="Likely range of the gap"))
    tooltip.append(alt.Tooltip("n:Q", title="n (respondents)"))
    faded = {}
    if "unclear" in data.columns:
        faded["opacity"] = when("datum.unclear", FADED, 1.0, channel=alt.OpacityValue)
    chosen = f"datum[{json.dumps(row)}] === {json.dumps(highlight or '')}"
    rect = (
        alt.Chart()
        .mark_rect()
        .encode(
            x=x,
            y=y,
            color=colour,
            tooltip=tooltip,
            **faded,
            stroke=when(chosen, "#000000", "white", channel=alt.StrokeValue),
            strokeWidth=when(chosen, 3, 2, channel=alt.StrokeWidthValue),
        )
    )
    if select:
        rect = rect.add_params(alt.selection_point(name="pick", fields=[row], on="click"))
    text = (
        alt.Chart()
        .mark_text(fontSize=15)
        .encode(
            x=x,
            y=y,
            text=alt.Text("value_label:N"),
            color=when(dark, "white", "black"),
            tooltip=tooltip,
        )
    )
    layers: list[alt.Chart] = [rect, text]
    if hidden is not None and len(hidden):
        blank = hidden[[row, "condition_name"]].assign(
            column=hidden["condition_name"].map(wrapped_columns), mark="–", why="hidden to protect confidentiality"
        )
        layers.insert(
            0,
            alt.Chart(blank)
            .mark_rect(color=_HIDDEN, stroke="white", strokeWidth=2)
            .encode(
                x=x, y=y, tooltip=[alt.Tooltip(f"{row}:N", title=row_title), alt.Tooltip("why:N", title="Figures")]
            ),
        )
        layers.append(alt.Chart(blank).mark_text(color="#777777").encode(x=x, y=y, text=alt.Text("mark:N")))
    return _titled(
        # The table once, at the top: layers sharing it would each be hashed (serialised) by Altair to hoist it.
        alt.layer(*layers, data=data).properties(width="container", height=44 * max(len(rows), 1)),
        title=title,
        subtitle=subtitle,
        frame=170 + 18 * max((label.count("\n") for label in wrapped_columns.values()), default=0),
    )


# --------------------------------------------------------------------------------------------------------------
# Leader identity


_IDENTITY_COLOURS = {"Yes": FAVORABLE, "Not sure": NEUTRAL, "No": UNFAVORABLE}
#: Yes in the purple of the identity bars; the others together in a dark grey (neither "No" nor "Not sure" alone).
IDENTITY_GAP_COLOURS = [FAVORABLE, "#5F5F5F"]


def identity_bars(
    answers: pd.DataFrame, *, group_title: str, groups: Sequence[str], title: str, subtitle: str | None = None
) -> alt.LayerChart:
    """100% stacked horizontal bars of Yes / Not sure / No per group (waves, roles).

    ``answers`` is :func:`survey_model.explore.identity_answers` output: ``group``, ``answer``, ``order``,
    ``share`` (0–100), ``count``, ``n``; shown groups only. ``groups`` gives the row order.
    """
    data = answers.assign(label=answers["share"].round().astype("Int64").astype(str) + "%")
    data = data.sort_values(["group", "order"], kind="stable")
    data["end"] = data.groupby("group", sort=False)["share"].cumsum()
    data["start"] = data["end"] - data["share"]
    data["middle"] = (data["start"] + data["end"]) / 2
    y = alt.Y("group:N", sort=list(groups), title=group_title)
    tooltip = [
        alt.Tooltip("group:N", title=group_title),
        alt.Tooltip("answer:N", title="Answer"),
        alt.Tooltip("share:Q", title="% of valid answers", format=".0f"),
        alt.Tooltip("count:Q", title="Answers"),
        alt.Tooltip("n:Q", title="n (valid answers)"),
    ]
    bars = (
        alt.Chart(data)
        .mark_bar(height={"band": 0.7})
        .encode(
            x=alt.X("start:Q", title="% of valid answers", scale=alt.Scale(domain=[0, 100])),
            x2=alt.X2("end:Q"),
            y=y,
            color=alt.Color(
                "answer:N",
                title="Do you consider yourself a leader?",
                scale=alt.Scale(domain=list(_IDENTITY_COLOURS), range=list(_IDENTITY_COLOURS.values())),
                sort=list(_IDENTITY_COLOURS),
                legend=alt.Legend(labelLimit=0, titleLimit=0),
            ),
            tooltip=tooltip,
        )
    )
    labels = (
        alt.Chart(data[data["share"] >= 7])
        .mark_text()
        .encode(
            x=alt.X("middle:Q"),
            y=y,
            text=alt.Text("label:N"),
            color=when("datum.answer == 'Not sure'", "black", "white"),
            tooltip=tooltip,
        )
    )
    return _titled(
        alt.layer(bars, labels).properties(width="container", height=52 * max(len(groups), 1)),
        title=title,
        subtitle=subtitle,
    )


def identity_gap_dots(gap: pd.DataFrame, *, title: str, subtitle: str | None = None) -> alt.LayerChart:
    """Percent favorable on each condition for those who say Yes and for the others, joined by a line.

    ``gap`` is :attr:`survey_model.explore.LeaderView.identity_gap`: ``condition_name``, ``pct_yes``,
    ``pct_other``, ``n_yes``, ``n_other``, ``difference``; shown conditions only, in display order.
    """
    order = gap["condition_name"].tolist()
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "condition_name": gap["condition_name"],
                    "group": name,
                    "pct_favorable": gap[pct],
                    "n": gap[n],
                    "difference": gap["difference"],
                }
            )
            for name, pct, n in (("Yes", "pct_yes", "n_yes"), ("No or not sure", "pct_other", "n_other"))
        ],
        ignore_index=True,
    )
    y = alt.Y("condition_name:N", sort=order, title=None)
    x = alt.X("pct_favorable:Q", title="% favorable", scale=alt.Scale(domain=[0, 100]))
    tooltip = [
        alt.Tooltip("condition_name:N", title="Condition"),
        alt.Tooltip("group:N", title="Consider themselves a leader"),
        alt.Tooltip("pct_favorable:Q", title="% favorable", format=".0f"),
        alt.Tooltip("difference:Q", title="Yes minus others (points)", format="+.0f"),
        alt.Tooltip("n:Q", title="n (respondents)"),
    ]
    lines = (
        alt.Chart().mark_line(color="#888888", strokeWidth=3).encode(x=x, y=y, detail=alt.Detail("condition_name:N"))
    )
    dots = (
        alt.Chart()
        .mark_point(filled=True, size=260, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "group:N",
                title="Consider themselves a leader",
                scale=alt.Scale(domain=["Yes", "No or not sure"], range=IDENTITY_GAP_COLOURS),
                legend=alt.Legend(titleLimit=0, labelLimit=0),
            ),
            shape=alt.Shape(
                "group:N",
                title="Consider themselves a leader",
                scale=alt.Scale(domain=["Yes", "No or not sure"], range=["circle", "diamond"]),
                legend=alt.Legend(titleLimit=0, labelLimit=0),
            ),
            tooltip=tooltip,
        )
    )
    return _titled(
        alt.layer(lines, dots, data=long).properties(width="container", height=48 * max(len(order), 1)),
        title=title,
        subtitle=subtitle,
    )

"""Charts of the *What matters* analyses: drivers of leader identity, where to focus, item check, school profiles.

Pure builders (tidy frame in, Altair chart out), in the app's one palette and style (:mod:`survey_model.charts`).
Every chart carries n in its subtitle and tooltips, and an interval wherever the figure has one.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from survey_model.charts import CATEGORICAL, FAVORABLE, NEUTRAL, UNFAVORABLE, _style

#: Colour of a condition whose interval excludes "no association", and of one whose interval includes it.
FLAGGED, NOT_FLAGGED = FAVORABLE, "#888888"


def _flag_colour(flagged_title: str, other_title: str) -> alt.Color:
    return alt.Color(
        "status:N",
        title=None,
        scale=alt.Scale(domain=[flagged_title, other_title], range=[FLAGGED, NOT_FLAGGED]),
        legend=alt.Legend(labelLimit=0),
    )


def _ratio_scale(data: pd.DataFrame) -> alt.Scale:
    """Log scale around 1 reaching every interval, not rounded out to whole decades."""
    low = min(0.5, float(data["low"].min()) * 0.9)
    high = max(2.0, float(data["high"].max()) * 1.1)
    return alt.Scale(type="log", domain=[low, high], nice=False)


GOES_WITH = "Goes with Yes (interval excludes 1)"
NO_CLEAR = "No clear association (interval includes 1)"


def _driver_rows(table: pd.DataFrame, n: int) -> pd.DataFrame:
    return table.assign(
        status=[GOES_WITH if flagged else NO_CLEAR for flagged in table["flagged"]],
        n=n,
        interval=[f"{low:.2f} to {high:.2f}" for low, high in zip(table["low"], table["high"], strict=True)],
    )


def driver_forest(
    table: pd.DataFrame, *, n: int, confidence: float, title: str, subtitle: str | None = None
) -> alt.LayerChart:
    """Odds ratio per standard deviation of each condition, with its interval, on a log scale around 1.

    ``table`` is :attr:`survey_model.analytics.drivers.DriverResult.table` (rows in rank order); ``n`` the
    respondents in the model.
    """
    data = _driver_rows(table, n)
    order = data["name"].tolist()
    y = alt.Y("name:N", sort=order, title=None)
    x_scale = _ratio_scale(data)
    x_title = f"Odds ratio per standard deviation ({100 * confidence:.0f}% intervals, all conditions together)"
    tooltip = [
        alt.Tooltip("name:N", title="Condition"),
        alt.Tooltip("odds_ratio:Q", title="Odds ratio per SD", format=".2f"),
        alt.Tooltip("interval:N", title="Interval"),
        alt.Tooltip("importance:Q", title="Drop in AUC when shuffled", format=".3f"),
        alt.Tooltip("n:Q", title="n (respondents)"),
    ]
    rules = (
        alt.Chart(data)
        .mark_rule(strokeWidth=3)
        .encode(
            x=alt.X("low:Q", scale=x_scale, title=x_title), x2="high:Q", y=y, color=_flag_colour(GOES_WITH, NO_CLEAR)
        )
    )
    dots = (
        alt.Chart(data)
        .mark_point(filled=True, size=220, opacity=1)
        .encode(x=alt.X("odds_ratio:Q", scale=x_scale), y=y, color=_flag_colour(GOES_WITH, NO_CLEAR), tooltip=tooltip)
    )
    one = alt.Chart(pd.DataFrame({"one": [1.0]})).mark_rule(strokeDash=[4, 4], color="#555555").encode(x="one:Q")
    return _style(
        alt.layer(one, rules, dots).properties(width="container", height=44 * max(len(order), 1)),
        title=title,
        subtitle=subtitle,
    )


FOCUS = "Where to focus: goes with Yes, lower favorable"
OTHER = "Other conditions"


def focus_quadrant(
    table: pd.DataFrame, *, n: int, confidence: float, title: str, subtitle: str | None = None
) -> alt.LayerChart:
    """Importance × performance: percent favorable (x) against the odds ratio per SD with its interval (y).

    Conditions up and to the left go strongly with Yes and are less often favorable: where to focus. The dashed
    lines are "no association" (odds ratio 1) and the conditions' median percent favorable. Only conditions whose
    interval excludes 1 are named on the chart; every point names its condition in the tooltip.
    """
    data = _driver_rows(table, n).assign(group=[FOCUS if f else OTHER for f in table["focus"]])
    median = float(table["pct_favorable"].median())
    y_scale = _ratio_scale(data)
    x = alt.X("pct_favorable:Q", title="% favorable (Agree or Strongly agree)", scale=alt.Scale(domain=[0, 100]))
    colour = alt.Color(
        "group:N",
        title=None,
        scale=alt.Scale(domain=[FOCUS, OTHER], range=[UNFAVORABLE, NOT_FLAGGED]),
        legend=alt.Legend(labelLimit=0),
    )
    tooltip = [
        alt.Tooltip("name:N", title="Condition"),
        alt.Tooltip("pct_favorable:Q", title="% favorable", format=".0f"),
        alt.Tooltip("odds_ratio:Q", title="Odds ratio per SD", format=".2f"),
        alt.Tooltip("interval:N", title="Interval"),
        alt.Tooltip("n:Q", title="n (respondents)"),
    ]
    bars = (
        alt.Chart(data)
        .mark_rule(strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("low:Q", scale=y_scale, title=f"Odds ratio per SD ({100 * confidence:.0f}% intervals)"),
            y2="high:Q",
            color=colour,
        )
    )
    dots = (
        alt.Chart(data)
        .mark_point(filled=True, size=220, opacity=1)
        .encode(x=x, y=alt.Y("odds_ratio:Q", scale=y_scale), color=colour, tooltip=tooltip)
    )
    named = data[data["flagged"]]  # the others crowd around 1: their names are in the tooltip and the table
    labels = (
        alt.Chart(named)
        .mark_text(align="left", dx=10, dy=-10)
        .encode(x=x, y=alt.Y("odds_ratio:Q", scale=y_scale), text="name:N")
    )
    one = alt.Chart(pd.DataFrame({"one": [1.0]})).mark_rule(strokeDash=[4, 4], color="#555555").encode(y="one:Q")
    middle = (
        alt.Chart(pd.DataFrame({"median": [median]})).mark_rule(strokeDash=[2, 4], color="#555555").encode(x="median:Q")
    )
    return _style(
        alt.layer(one, middle, bars, dots, labels).properties(width="container", height=380),
        title=title,
        subtitle=subtitle,
    )


def alpha_intervals(conditions: pd.DataFrame, *, title: str, subtitle: str | None = None) -> alt.LayerChart:
    """Cronbach's alpha per condition with its 95% Feldt interval; the 0.70 floor dashed.

    ``conditions`` is :attr:`survey_model.analytics.instrument.InstrumentCheck.conditions`.
    """
    data = conditions.assign(
        status=["Below 0.70" if below else "0.70 or above" for below in conditions["below_floor"]],
        interval=[
            f"{lo:.2f} to {hi:.2f}" for lo, hi in zip(conditions["alpha_low"], conditions["alpha_high"], strict=True)
        ],
    )
    order = data["name"].tolist()
    y = alt.Y("name:N", sort=order, title=None)
    scale = alt.Scale(domain=[min(0.4, float(data["alpha_low"].min())), 1.0], zero=False)
    colour = alt.Color(
        "status:N",
        title=None,
        scale=alt.Scale(domain=["0.70 or above", "Below 0.70"], range=[CATEGORICAL[0], UNFAVORABLE]),
    )
    tooltip = [
        alt.Tooltip("name:N", title="Condition"),
        alt.Tooltip("alpha:Q", title="Alpha", format=".2f"),
        alt.Tooltip("interval:N", title="95% interval"),
        alt.Tooltip("n:Q", title="n (complete answer sets)"),
    ]
    rules = (
        alt.Chart(data)
        .mark_rule(strokeWidth=3)
        .encode(
            x=alt.X("alpha_low:Q", scale=scale, title="Cronbach's alpha (95% interval)"),
            x2="alpha_high:Q",
            y=y,
            color=colour,
        )
    )
    dots = (
        alt.Chart(data)
        .mark_point(filled=True, size=200, opacity=1)
        .encode(x=alt.X("alpha:Q", scale=scale), y=y, color=colour, tooltip=tooltip)
    )
    floor = alt.Chart(pd.DataFrame({"floor": [0.7]})).mark_rule(strokeDash=[4, 4], color="#555555").encode(x="floor:Q")
    return _style(
        alt.layer(floor, rules, dots).properties(width="container", height=44 * max(len(order), 1)),
        title=title,
        subtitle=subtitle,
    )


def profile_heatmap(
    profiles: pd.DataFrame, names: dict[str, str], *, title: str, subtitle: str | None = None
) -> alt.Chart:
    """Each stable profile's mean standardised score per condition (schools' SDs from the average school).

    ``profiles`` is :attr:`survey_model.analytics.profiles.Profiles.profiles`; ``names`` condition id → name.
    """
    rows = []
    for _, profile in profiles.iterrows():
        for condition, name in names.items():
            column = f"z_{condition}"
            if column in profiles.columns:
                rows.append(
                    {
                        "profile": profile["profile"],
                        "condition": name,
                        "z": float(profile[column]),
                        "n_schools": int(profile["n_schools"]),
                        "n": int(profile["n"]),
                    }
                )
    data = pd.DataFrame(rows)
    tooltip = [
        alt.Tooltip("profile:N", title="Profile"),
        alt.Tooltip("condition:N", title="Condition"),
        alt.Tooltip("z:Q", title="SDs from the average school", format="+.2f"),
        alt.Tooltip("n_schools:Q", title="Schools"),
        alt.Tooltip("n:Q", title="n (respondents)"),
    ]
    heat = (
        alt.Chart(data)
        .mark_rect()
        .encode(
            x=alt.X("condition:N", sort=list(names.values()), title=None, axis=alt.Axis(labelAngle=-30)),
            y=alt.Y("profile:N", title=None, sort=profiles["profile"].tolist()),
            color=alt.Color(
                "z:Q",
                title="SDs from the average school",
                scale=alt.Scale(domain=[-2, 0, 2], range=[UNFAVORABLE, NEUTRAL, FAVORABLE], clamp=True),
            ),
            tooltip=tooltip,
        )
    )
    text = (
        alt.Chart(data)
        .mark_text()
        .encode(
            x=alt.X("condition:N", sort=list(names.values())),
            y=alt.Y("profile:N", sort=profiles["profile"].tolist()),
            text=alt.Text("z:Q", format="+.1f"),
        )
    )
    return _style(
        alt.layer(heat, text).properties(width="container", height=70 * max(len(profiles), 1)),
        title=title,
        subtitle=subtitle,
        frame=260,
    )


__all__ = [
    "FOCUS",
    "GOES_WITH",
    "NO_CLEAR",
    "OTHER",
    "alpha_intervals",
    "driver_forest",
    "focus_quadrant",
    "profile_heatmap",
]

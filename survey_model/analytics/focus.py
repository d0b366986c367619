"""The driver analysis as a Workshop slide ("Where to focus") and as a workbook sheet.

Pure content, no drawing: :func:`focus_slide` returns the slide's words, facilitator notes and the rows of its
chart (drawn by :func:`survey_model.charts.analytics.focus_quadrant`); :func:`focus_sheet` a display-ready table.
Both say "goes with", never "causes", and both show nothing but a plain message when the driver analysis is not
shown (:attr:`survey_model.analytics.drivers.DriverResult.shown`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from survey_model.analytics.drivers import DriverResult

SLIDE_KEY = "drivers"


@dataclass(frozen=True, eq=False)
class FocusSlide:
    """The "Where to focus" slide of the Workshop deck, as content (fields as in :class:`survey_model.deck.Slide`)."""

    key: str
    title: str
    headline: str
    points: tuple[str, ...]
    prompt: str
    notes: str
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Rows for :func:`survey_model.charts.analytics.focus_quadrant` (empty when not shown)."""
    n: int = 0
    confidence: float = 0.95
    chart_title: str = ""
    chart_subtitle: str = ""
    description: str = ""
    """Text alternative of the chart."""


def _or(row: pd.Series) -> str:
    return f"odds ratio {row['odds_ratio']:.2f} per SD ({row['low']:.2f} to {row['high']:.2f})"


def focus_slide(result: DriverResult, *, wave: str) -> FocusSlide:
    """The slide for one selection and wave: which conditions go with educators seeing themselves as leaders."""
    title = "Where to focus: what goes with seeing oneself as a leader"
    prompt = "Which of these conditions could we strengthen this year, and how would we know it helped?"
    if not result.shown:
        return FocusSlide(
            key=SLIDE_KEY,
            title=title,
            headline="Not enough answers to say which conditions go with leader identity.",
            points=(result.message,),
            prompt=prompt,
            notes=(
                "The analysis needs enough educators answering Yes and enough answering No or Not sure; with fewer, "
                "any pattern could be chance. Use the conditions and the lowest items instead."
            ),
        )
    table = result.table
    going = table[table["flagged"] & (table["coef"] > 0)]
    focus = table[table["focus"]]
    names = going["name"].tolist()
    headline = (
        f"Educators who see {' and '.join(names)} more favorably are more likely to see themselves as leaders."
        if names
        else "No condition clearly goes with educators seeing themselves as leaders."
    )
    points = [f"{row['name']}: {_or(row)}, {row['pct_favorable']:.0f}% favorable." for _, row in going.iterrows()]
    if not focus.empty:
        points.append("Where to focus (goes with Yes, lower favorable): " + ", ".join(focus["name"]) + ".")
    points.append(
        f"Together the conditions tell apart Yes from No or Not sure with an AUC of {result.auc:.2f} "
        f"({result.auc_low:.2f} to {result.auc_high:.2f}; 0.5 is chance). n = {result.n:,}."
    )
    notes = " ".join(
        [
            f"{wave}, {result.n:,} educators ({result.n_yes:,} Yes, {result.n_other:,} No or Not sure).",
            "Each odds ratio compares two educators one standard deviation apart on that condition and alike on the "
            "others: above 1 goes with more Yes. The intervals hold for all conditions together "
            f"({100 * result.confidence:.0f}%); a condition whose interval includes 1 shows no clear association.",
            "This is an association at one point in time, not a cause: educators who see themselves as leaders "
            "may also see the school differently. Read it as where a conversation could start.",
            "AUC: how well the conditions together tell the two groups apart (0.5 chance, 1 perfect).",
        ]
    )
    rows = table[["condition", "name", "odds_ratio", "low", "high", "flagged", "focus", "pct_favorable", "importance"]]
    return FocusSlide(
        key=SLIDE_KEY,
        title=title,
        headline=headline,
        points=tuple(points),
        prompt=prompt,
        notes=notes,
        table=rows.assign(coef=table["coef"]),
        n=result.n,
        confidence=result.confidence,
        chart_title=f"What goes with leader identity, {wave}",
        chart_subtitle=f"Odds ratio per SD with intervals against % favorable. n = {result.n:,} educators.",
        description="; ".join(
            f"{row['name']}: {_or(row)}, {row['pct_favorable']:.0f}% favorable" for _, row in table.iterrows()
        ),
    )


def focus_sheet(result: DriverResult, *, wave: str) -> pd.DataFrame:
    """The driver analysis as a workbook sheet: one row per condition, readable headers, figures as numbers.

    When the analysis is not shown, one row carries the reason instead.
    """
    if not result.shown:
        return pd.DataFrame({"Wave": [wave], "Note": [result.message]})
    table = result.table
    level = f"{100 * result.confidence:.0f}%"
    return pd.DataFrame(
        {
            "Wave": wave,
            "Condition": table["name"],
            "Rank": table["rank"],
            "Odds ratio per SD": table["odds_ratio"],
            f"{level} interval from (all conditions together)": table["low"],
            f"{level} interval to": table["high"],
            "Goes with Yes": [
                "yes" if f and c > 0 else "" for f, c in zip(table["flagged"], table["coef"], strict=True)
            ],
            "Drop in AUC when shuffled": table["importance"],
            "% favorable": table["pct_favorable"],
            "Where to focus": ["yes" if f else "" for f in table["focus"]],
            "n (educators in the model)": result.n,
            "Cross-validated AUC": result.auc,
            "AUC interval from": result.auc_low,
            "AUC interval to": result.auc_high,
            "Note": "An association, not a cause.",
        }
    )


__all__ = [
    "SLIDE_KEY",
    "FocusSlide",
    "focus_sheet",
    "focus_slide",
]

"""The results workbook as plain data: one sheet per dashboard view, privacy rules applied, filters written down.

:func:`results_workbook` builds a :class:`ResultsWorkbook` of display-ready :class:`Sheet` tables for one
selection (organization, wave, comparison wave, school / level / role); :func:`survey_model.reports.workbook_xlsx`
writes it to ``.xlsx``. Every sheet:

* starts with the active filters, so a printed or forwarded sheet still says what it describes;
* comes from tables passed through :func:`survey_model.privacy.suppress` (or :mod:`survey_model.shifts`): a hidden
  group keeps its name and a note saying why, and every one of its figures, its count included, is left empty;
* holds numbers as numbers (every percent on the 0–100 scale, means in scale points) and text as text; the
  writer escapes any text a spreadsheet would run as a formula.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from survey_model.codebook import Codebook
from survey_model.explore import attribute_info
from survey_model.privacy import COMPLEMENTARY, SUPPRESSED, hidden_message, restrict, suppress
from survey_model.release import LISTED_PREFIX, WITHHELD, crosses_role
from survey_model.reliability import condition_reliability
from survey_model.responses import WAVE
from survey_model.scoring import condition_summary, index_summary, item_summary, leader_identity, with_condition_names
from survey_model.settings import Settings
from survey_model.shifts import (
    CLEAR_DECREASE,
    CLEAR_INCREASE,
    CONDITIONS,
    compare_waves,
    displayed_change,
    round_half_away,
)
from survey_model.shifts.display import ROLE_WORDS

__all__ = [
    "ALL",
    "ANALYSTS_SHEET",
    "ANALYST_COLUMNS",
    "CHANGE_COLUMNS",
    "COMPLEMENTARY_NOTE",
    "NOTE",
    "ResultsWorkbook",
    "Sheet",
    "results_workbook",
]

ALL = "All"
NOTE = "Note"
COMPLEMENTARY_NOTE = "hidden so that a smaller group cannot be worked out by subtraction"

#: Number formats by kind of column (Excel format codes).
PERCENT, MEAN, COUNT, P_VALUE = "0", "0.00", "#,##0", "0.000"


@dataclass(frozen=True, eq=False)
class Sheet:
    """One worksheet: a title, a display-ready table and how to format its numeric columns."""

    name: str
    """Tab name (at most 31 characters, as Excel requires)."""
    title: str
    table: pd.DataFrame
    """Readable column headers; figures as numbers, missing where hidden or not applicable."""
    formats: Mapping[str, str] = field(default_factory=dict)
    """Column header → Excel number format (e.g. ``"0"`` for percent 0–100, ``"0.00"`` for means)."""
    note: str = ""
    """One or two sentences under the title: units, definitions, what is hidden."""
    exact: bool = False
    """True for the analysts' sheet, which keeps unrounded figures; every other sheet holds figures as shown."""


@dataclass(frozen=True, eq=False)
class ResultsWorkbook:
    """Every sheet of a results workbook and the filters they share."""

    title: str
    filters: tuple[tuple[str, str], ...]
    """(name, value) pairs printed at the top of every sheet, e.g. ``("School", "All")``."""
    sheets: tuple[Sheet, ...]

    def sheet(self, name: str) -> Sheet:
        """The sheet with this tab name."""
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise KeyError(f"no sheet {name!r} (sheets: {[s.name for s in self.sheets]})")


def results_workbook(
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    org_name: str,
    wave: str | None = None,
    compare: str | None = None,
    restriction: Mapping[str, str | None] | None = None,
    settings: Settings | None = None,
    created: str = "",
    rosters: Mapping[str, Mapping[str, int]] | None = None,
) -> ResultsWorkbook:
    """The results of one selection, one sheet per view, ready for :func:`survey_model.reports.workbook_xlsx`.

    Parameters
    ----------
    frame : DataFrame
        The organization's responses, all waves (``wave`` column).
    codebook : Codebook
        The instrument.
    org_name : str
        Printed with the filters.
    wave : str, optional
        The wave the snapshot sheets describe; default the latest.
    compare : str, optional
        An earlier wave: the Changes sheet compares it with ``wave``, and snapshot sheets show it beside ``wave``.
    restriction : mapping, optional
        ``{"school": ..., "school_level": ..., "role": ...}``; ``None`` values mean all.
    settings : Settings, optional
        Minimum n (and its sensitive-attribute variant) and stage bands; defaults to ``Settings()``.
    created : str, optional
        A date or time to print with the filters (left out when empty, so the same data give the same file).
    rosters : mapping, optional
        Wave label → school → educators (:meth:`survey_model.store.Store.rosters`): adds the *Response rates*
        sheet (the organization's rate and each published school's, :func:`survey_model.roster.response_rates`).

    Returns
    -------
    ResultsWorkbook
        Sheets *About*, *Overview*, *Conditions*, *Items*, *Schools* (whole organization only), *Subgroups*,
        *Leader identity* (when the codebook has a leader block), *Changes* (figures rounded as shown, so each
        change is the difference of the shown levels), *Changes (analysts)* (unrounded, with effect sizes and
        p-values) and *Reliability*.
    """
    settings = settings or Settings()
    restriction = {key: value for key, value in (restriction or {}).items() if value}
    waves = _waves(frame)
    if not waves:
        raise ValueError("the responses frame holds no wave")
    wave = wave or waves[-1]
    for label in (wave, compare):
        if label is not None and label not in waves:
            raise ValueError(f"wave {label!r} is not in the responses (waves: {waves})")
    if compare == wave:
        compare = None
    shown_waves = [w for w in waves if w in (compare, wave)]
    selected = restrict(frame, restriction, min_n=settings.min_n)
    snapshot = selected[selected[WAVE].isin(shown_waves)]
    filters = (
        ("Organization", org_name),
        ("Instrument", f"{codebook.name} (version {codebook.version})"),
        ("Wave", wave),
        ("Compared with", compare or "none"),
        ("School", restriction.get("school", ALL)),
        ("School level", restriction.get("school_level", ALL)),
        ("Role", restriction.get("role", ALL)),
        ("Smallest group shown", f"{settings.min_n} respondents ({settings.min_n_sensitive} for demographic groups)"),
        *((("Created", created),) if created else ()),
    )
    context = _Context(codebook=codebook, settings=settings, waves=shown_waves)
    sheets = [
        _about(settings),
        _overview(selected, context, waves),
        _conditions(snapshot, context),
        _items(snapshot, context),
    ]
    if "school" not in restriction and "school" in selected.columns:
        sheets.append(_breakdown(snapshot, context, by="school", name="Schools"))
    # Under a role filter only the school's own attributes break down further (survey_model.release).
    crossed = {a.id for a in codebook.attributes if crosses_role(a.id, restriction)}
    sheets.append(_subgroups(snapshot, context, skip={"school", *restriction, *crossed}))
    if codebook.leader is not None and codebook.leader.item in selected.columns:
        sheets.append(_leader(selected, snapshot, context, waves))
        sheets.append(_drivers(selected, context, wave=wave))
    sheets.extend(_changes(selected, context, wave=wave, compare=compare))
    sheets.append(_reliability(snapshot, context))
    if rosters:
        sheets.insert(2, _rates(frame, rosters, context, school=restriction.get("school")))
    return ResultsWorkbook(title=f"{org_name}: survey results", filters=filters, sheets=tuple(sheets))


def _rates(
    frame: pd.DataFrame, rosters: Mapping[str, Mapping[str, int]], context: _Context, *, school: str | None
) -> Sheet:
    """Each shown wave's response rate: the organization's and every school published on its own (or the one
    school chosen), flagged when low. Pooled schools have no row: their rate would give their count away."""
    from survey_model.roster import low_response_warning, response_rates

    threshold = context.settings.low_response_rate
    rows = []
    for wave in context.waves:
        rates = response_rates(frame, rosters.get(wave, {}), wave=wave)
        chosen = [(school, rates.of(school))] if school else [("Whole organization", rates.organization)]
        if not school:
            chosen += sorted(rates.schools.items())
        for name, rate in chosen:
            if rate is None:
                continue
            note = low_response_warning(threshold) if rate.low(threshold) else ""
            rows.append(
                {
                    "Wave": wave,
                    "School": name,
                    "Respondents": rate.respondents,
                    "Educators": rate.staff,
                    "Response rate (%)": 100 * rate.rate,
                    NOTE: note,
                }
            )
    table = pd.DataFrame(rows, columns=["Wave", "School", "Respondents", "Educators", "Response rate (%)", NOTE])
    return Sheet(
        name="Response rates",
        title="Response rates: respondents over the educators on each wave's roster",
        table=table.astype({"Response rate (%)": float}),
        formats={"Respondents": COUNT, "Educators": COUNT, "Response rate (%)": PERCENT},
        note=f"Under {round(100 * threshold)}% the people who answered may not speak for the rest: read with care. "
        "Schools pooled with other small schools have no rate of their own (it would give their count away).",
    )


def _drivers(selected: pd.DataFrame, context: _Context, *, wave: str) -> Sheet:
    """What goes with leader identity (:mod:`survey_model.analytics`), for the chosen wave."""
    from survey_model.analytics.drivers import drivers
    from survey_model.analytics.focus import focus_sheet
    from survey_model.analytics.release import released_rows

    rows = released_rows(selected, {}, wave=wave, min_n=context.min_n)
    return Sheet(
        name="What goes with leader identity",
        title=f"Conditions that go with educators seeing themselves as leaders, {wave}",
        table=focus_sheet(drivers(rows, context.codebook), wave=wave),
        note="Associations, not causes; intervals hold for all conditions together.",
    )


@dataclass(frozen=True)
class _Context:
    codebook: Codebook
    settings: Settings
    waves: list[str]

    @property
    def min_n(self) -> int:
        return self.settings.min_n


def _waves(frame: pd.DataFrame) -> list[str]:
    if WAVE not in frame.columns:
        raise ValueError("the responses frame has no 'wave' column")
    column = frame[WAVE]
    present = set(column.dropna().astype(str))
    order = [str(w) for w in column.cat.categories] if isinstance(column.dtype, pd.CategoricalDtype) else []
    return [w for w in order if w in present] + sorted(present - set(order))


def _notes(table: pd.DataFrame, min_n: int) -> pd.Series:
    """Why each row is hidden, in words; empty for shown rows."""
    words = {"": "", COMPLEMENTARY: COMPLEMENTARY_NOTE}
    return table[SUPPRESSED].map(lambda reason: words.get(reason, hidden_message(min_n)))


def _in_wave_order(table: pd.DataFrame, waves: Sequence[str]) -> pd.DataFrame:
    order = {wave: i for i, wave in enumerate(waves)}
    table = table.assign(**{WAVE: table[WAVE].astype(str)})
    table = table[table[WAVE].isin(order)]
    return table.sort_values(WAVE, key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


#: Figure columns shared by the Conditions and Items sheets: header → (summary column, Excel format).
_FAVORABLE_SPLIT = {
    "n": ("n", COUNT),
    "% favorable": ("pct_favorable", PERCENT),
    "% neutral": ("pct_neutral", PERCENT),
    "% unfavorable": ("pct_unfavorable", PERCENT),
}
_CONDITION_SPREAD = {
    "Mean (1–5)": ("mean", MEAN),
    "SD": ("sd", MEAN),
    "Item responses": ("n_responses", COUNT),
    "Don't know / N/A": ("n_nonsubstantive", COUNT),
}
_ITEM_SPREAD = {"Mean": ("mean", MEAN), "Don't know / N/A": ("n_nonsubstantive", COUNT)}


def _figures(table: pd.DataFrame, columns: Mapping[str, tuple[str, str]]) -> dict[str, pd.Series]:
    """Numeric sheet columns (missing where hidden) from summary columns, by header."""
    return {header: table[column].astype("Float64") for header, (column, _) in columns.items()}


def _formats(*columns: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """The Excel formats of :func:`_figures` columns, by header."""
    return {header: number_format for part in columns for header, (_, number_format) in part.items()}


def _about(settings: Settings) -> Sheet:
    bands = settings.stage_bands
    rows = [
        ("Percent favorable", "Share of valid answers that are Agree or Strongly agree (0–100), after negatively "
         "worded items are reversed. Don't know, N/A and Prefer not to answer are not valid answers."),
        ("Condition mean", "Mean of respondent scores on the 1–5 scale; a respondent's score is the mean of their "
         "answered items when at least half were answered. n counts respondents with a score."),
        ("Collective Leadership Index", "Mean of the conditions' percent favorable, each condition weighted "
         "equally (0–100)."),
        ("Leader identity", "Share answering Yes to the headline leader item among valid answers; Not sure is a "
         "valid answer reported separately. Informal leaders: Yes without a formal leadership role."),
        ("Stage bands", "Project defaults, not a published rubric: "
         + ", ".join(f"{band.name} from {band.lower:g}" for band in bands) + "."),
        ("Changes", "Later wave minus earlier wave with a 95% interval; a change is clear only when the interval "
         "excludes zero and the false-discovery-rate adjusted p-value is below 0.05. Sheet Changes shows figures "
         "rounded as in the app (whole percent, means to two decimals) with the change as the difference of the "
         "rounded figures; the interval and verdict are worked out before rounding. Sheet Changes (analysts) has "
         "the unrounded figures, effect sizes and p-values."),
        ("Confidentiality", f"No figure describes fewer than {settings.min_n} respondents "
         f"({settings.min_n_sensitive} for demographic groups). When one group of a breakdown is hidden, the next "
         "smallest is hidden too so it cannot be worked out by subtraction. Hidden rows keep their name and a note."),
    ]  # fmt: skip
    return Sheet(
        name="About",
        title="How to read this workbook",
        table=pd.DataFrame(rows, columns=["Term", "Meaning"]),
    )


def _overview(selected: pd.DataFrame, context: _Context, waves: Sequence[str]) -> Sheet:
    codebook, min_n = context.codebook, context.min_n
    index = suppress(index_summary(selected, codebook, by=[WAVE]), keys=[WAVE], min_n=min_n)
    index = _in_wave_order(index, waves)
    counts = selected[WAVE].astype(str).value_counts()
    table = pd.DataFrame({"Wave": index[WAVE]})
    respondents = index[WAVE].map(counts).fillna(0).astype("int64")
    table["Respondents"] = respondents.where(index[SUPPRESSED] == "").astype("Float64")
    table["Collective Leadership Index"] = index["index"].astype("Float64")
    for group_id, name in codebook.groups.items():
        table[f"{name} (index)"] = index[f"index_{group_id}"].astype("Float64")
    table["n (smallest condition)"] = index["n"].astype("Float64")
    formats = {column: PERCENT for column in table.columns if "index" in column.lower()}
    formats.update({"Respondents": COUNT, "n (smallest condition)": COUNT})
    if codebook.leader is not None and codebook.leader.item in selected.columns:
        leader = suppress(leader_identity(selected, codebook, by=[WAVE]), keys=[WAVE], min_n=min_n)
        leader = _in_wave_order(leader, waves).set_index(WAVE)
        # Percent on the 0–100 scale, as on every sheet (not Excel's 0%-of-a-fraction format).
        table["Leaders: % Yes"] = (100 * table["Wave"].map(leader["share_yes"])).astype("Float64")
        table["Leaders: % Not sure"] = (100 * table["Wave"].map(leader["share_unsure"])).astype("Float64")
        table["Leaders: n (valid answers)"] = table["Wave"].map(leader["n"]).astype("Float64")
        formats.update({"Leaders: % Yes": PERCENT, "Leaders: % Not sure": PERCENT, "Leaders: n (valid answers)": COUNT})
    table[NOTE] = _notes(index, min_n).to_numpy()
    return Sheet(
        name="Overview",
        title="Headline figures by wave",
        table=table,
        formats=formats,
        note="Index 0–100. Every wave of the selection is listed.",
    )


def _conditions(snapshot: pd.DataFrame, context: _Context) -> Sheet:
    table = condition_summary(snapshot, context.codebook, by=[WAVE], bands=context.settings.stage_bands)
    table = _in_wave_order(suppress(table, keys=[WAVE, "condition"], min_n=context.min_n), context.waves)
    table = with_condition_names(table, context.codebook)
    out = pd.DataFrame(
        {
            "Wave": table[WAVE],
            "Condition": table["condition_name"],
            "Group": table["group_name"].fillna(""),
            **_figures(table, _FAVORABLE_SPLIT),
            "Stage": table["stage"].astype("string").fillna(""),
            **_figures(table, _CONDITION_SPREAD),
            NOTE: _notes(table, context.min_n),
        }
    )
    return Sheet(
        name="Conditions",
        title="Conditions",
        table=out,
        formats=_formats(_FAVORABLE_SPLIT, _CONDITION_SPREAD),
        note="n: respondents with a condition score. Percentages are of valid item responses.",
    )


def _items(snapshot: pd.DataFrame, context: _Context) -> Sheet:
    codebook = context.codebook
    ids = [item.id for item in codebook.items if item.id in snapshot.columns]
    table = item_summary(snapshot, codebook, by=[WAVE], items=ids)
    keep = [WAVE, "item", "condition", "n", "pct_favorable", "pct_neutral", "pct_unfavorable", "mean"]
    keep.append("n_nonsubstantive")
    table = _in_wave_order(suppress(table[keep], keys=[WAVE, "item", "condition"], min_n=context.min_n), context.waves)
    names = {c.id: c.name for c in codebook.conditions}
    out = pd.DataFrame(
        {
            "Wave": table[WAVE],
            "Item": table["item"],
            "Condition": table["condition"].map(names).fillna(""),
            "Wording": table["item"].map(lambda i: codebook.item(i).text),
            "Reversed": table["item"].map(lambda i: "yes" if codebook.item(i).reverse else ""),
            **_figures(table, _FAVORABLE_SPLIT),
            **_figures(table, _ITEM_SPREAD),
            NOTE: _notes(table, context.min_n),
        }
    )
    return Sheet(
        name="Items",
        title="Items",
        table=out,
        formats=_formats(_FAVORABLE_SPLIT, _ITEM_SPREAD),
        note="n: valid answers. Reversed items are scored so that favorable means disagreeing with the wording; "
        "yes/no items have no percent favorable.",
    )


def _group_matrix(
    snapshot: pd.DataFrame, context: _Context, *, by: str, min_n: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Percent favorable per wave × group × condition, suppressed along ``by``; and the rows' hide reasons.

    A group is hidden in a wave as soon as any of its condition cells is hidden, so a row never shows a partial
    set of figures that could narrow down a hidden one.
    """
    long = condition_summary(snapshot, context.codebook, by=[WAVE, by], bands=context.settings.stage_bands)
    long = long[(long[by].astype(str) != WITHHELD).to_numpy(dtype=bool)]  # released: counted in totals only
    long = suppress(long, keys=[WAVE, by, "condition"], min_n=min_n, breakdown=by)
    long = _in_wave_order(long, context.waves)
    reasons = (
        long.groupby([WAVE, by], sort=False)[SUPPRESSED]
        .agg(lambda r: next((x for x in r if x == "small_group"), next((x for x in r if x), "")))
        .reset_index()
    )
    names = {c.id: c.name for c in context.codebook.conditions}
    wide = long.pivot_table(
        index=[WAVE, by], columns="condition", values="pct_favorable", aggfunc="first", sort=False, dropna=False
    )
    sizes = long.groupby([WAVE, by], sort=False)["n"].max()
    matrix = reasons.merge(wide.reset_index(), on=[WAVE, by], how="left")
    matrix["n"] = [sizes.get((w, g), np.nan) for w, g in zip(matrix[WAVE], matrix[by], strict=True)]
    hidden = matrix[SUPPRESSED] != ""
    condition_ids = [c.id for c in context.codebook.conditions if c.id in wide.columns]
    for column in [*condition_ids, "n"]:
        matrix[column] = matrix[column].astype("Float64").mask(hidden)
    return matrix.rename(columns=names), reasons


def _breakdown(snapshot: pd.DataFrame, context: _Context, *, by: str, name: str) -> Sheet:
    matrix, _ = _group_matrix(snapshot, context, by=by, min_n=context.min_n)
    conditions = [c.name for c in context.codebook.conditions if c.name in matrix.columns]
    out = pd.DataFrame({"Wave": matrix[WAVE], name[:-1]: matrix[by].astype(str), "n": matrix["n"]})
    for condition in conditions:
        out[f"{condition} (% favorable)"] = matrix[condition]
    out[NOTE] = _notes(matrix, context.min_n).to_numpy()
    formats = {column: PERCENT for column in out.columns if column.endswith("(% favorable)")}
    formats["n"] = COUNT
    return Sheet(
        name=name,
        title=f"Percent favorable by {name[:-1].lower()}",
        table=out,
        formats=formats,
        note="n: respondents with a condition score (largest over the conditions). Hidden rows show no figure.",
    )


def _subgroups(snapshot: pd.DataFrame, context: _Context, *, skip: set[str]) -> Sheet:
    parts = []
    conditions = [c.name for c in context.codebook.conditions]
    # The school list's further attributes (school:title_i) after the codebook's: a (withheld) pool is in no group.
    listed = sorted(str(c) for c in snapshot.columns if str(c).startswith(LISTED_PREFIX))
    attributes = [*context.codebook.attributes, *(attribute_info(context.codebook, c) for c in listed)]
    for attribute in attributes:
        if attribute.id in skip or attribute.id not in snapshot.columns or snapshot[attribute.id].isna().all():
            continue
        min_n = context.settings.min_n_sensitive if attribute.sensitive else context.min_n
        matrix, _ = _group_matrix(snapshot, context, by=attribute.id, min_n=min_n)
        part = pd.DataFrame(
            {
                "Wave": matrix[WAVE],
                "Attribute": attribute.label,
                "Group": matrix[attribute.id].astype(str),
                "n": matrix["n"],
            }
        )
        for condition in conditions:
            if condition in matrix.columns:
                part[f"{condition} (% favorable)"] = matrix[condition]
        part[NOTE] = _notes(matrix, min_n).to_numpy()
        parts.append(part)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({"Wave": [], "Attribute": [], "Group": []})
    formats = {column: PERCENT for column in out.columns if column.endswith("(% favorable)")}
    formats["n"] = COUNT
    return Sheet(
        name="Subgroups",
        title="Percent favorable by respondent group",
        table=out,
        formats=formats,
        note=f"Demographic groups need at least {context.settings.min_n_sensitive} respondents. School attributes "
        "(School: ...) come from the school list; pools of small schools whose values differ are in no group.",
    )


def _leader(selected: pd.DataFrame, snapshot: pd.DataFrame, context: _Context, waves: Sequence[str]) -> Sheet:
    codebook, min_n = context.codebook, context.min_n
    figures = ["n", "share_yes", "share_unsure", "share_no", "share_informal"]
    parts = []
    whole = _in_wave_order(
        suppress(leader_identity(selected, codebook, by=[WAVE]), keys=[WAVE], min_n=min_n), list(waves)
    )
    parts.append(whole.assign(breakdown="Whole selection", group="All"))
    for column in ("school", "role"):
        if column not in snapshot.columns:
            continue
        table = leader_identity(snapshot, codebook, by=[WAVE, column])
        table = table[(table[column].astype(str) != WITHHELD).to_numpy(dtype=bool)]
        table = _in_wave_order(suppress(table, keys=[WAVE, column], min_n=min_n, breakdown=column), context.waves)
        label = codebook.attribute(column).label if column in codebook.attribute_ids else column
        parts.append(table.assign(breakdown=label, group=table[column].astype(str)))
    table = pd.concat([part[[WAVE, "breakdown", "group", *figures, SUPPRESSED]] for part in parts], ignore_index=True)
    out = pd.DataFrame(
        {
            "Wave": table[WAVE],
            "Breakdown": table["breakdown"],
            "Group": table["group"],
            "n (valid answers)": table["n"].astype("Float64"),
            "% Yes": (100 * table["share_yes"]).astype("Float64"),
            "% Not sure": (100 * table["share_unsure"]).astype("Float64"),
            "% No": (100 * table["share_no"]).astype("Float64"),
            "% informal leaders": (100 * table["share_informal"]).astype("Float64"),
            NOTE: _notes(table, min_n),
        }
    )
    return Sheet(
        name="Leader identity",
        title="Educators who consider themselves leaders",
        table=out,
        formats={
            "n (valid answers)": COUNT,
            "% Yes": PERCENT,
            "% Not sure": PERCENT,
            "% No": PERCENT,
            "% informal leaders": PERCENT,
        },
        note="Shares of valid answers to the headline item. Informal leaders: Yes without a formal leadership role.",
    )


CHANGE_COLUMNS = [
    "What",
    "Verdict",
    "Before",
    "After",
    "Change",
    "Likely from",
    "Likely to",
    "Unit",
    "Relative change (%)",
    "Relative, likely from (%)",
    "Relative, likely to (%)",
    "n before",
    "n after",
    "Statement",
]
ANALYST_COLUMNS = [
    *(column for column in CHANGE_COLUMNS if column != "Statement"),
    "Effect size",
    "Effect size measure",
    "p",
    "Adjusted p (conditions)",
    "Judged as",
    "Method",
]
ANALYSTS_SHEET = "Changes (analysts)"


def _changes(selected: pd.DataFrame, context: _Context, *, wave: str, compare: str | None) -> list[Sheet]:
    """Two sheets: *Changes* as partners read them (figures rounded as shown, so each row adds up) and
    *Changes (analysts)*, the same comparisons unrounded with effect sizes, p-values and methods."""
    title = f"Changes from {compare} to {wave}" if compare else "Changes between waves"
    analysts_title = f"{title}: unrounded figures and statistics, for analysts"
    counts = selected[WAVE].astype(str).value_counts()
    if compare is None or min(counts.get(compare, 0), counts.get(wave, 0)) < context.min_n:
        if compare is None:
            note = "No comparison wave was chosen."
        else:
            note = f"Not shown: {hidden_message(context.min_n)} in one of the waves."
        return [
            Sheet(name="Changes", title=title, table=pd.DataFrame(columns=CHANGE_COLUMNS), note=note),
            Sheet(
                name=ANALYSTS_SHEET,
                exact=True,
                title=analysts_title,
                table=pd.DataFrame(columns=ANALYST_COLUMNS),
                note=note,
            ),
        ]
    report = compare_waves(
        selected, context.codebook, from_wave=compare, to_wave=wave, min_n=context.min_n, matched=False
    )
    rows = report.to_frame()
    proportion = (rows["kind"] == "proportion").to_numpy()
    scale = np.where(proportion, 100.0, 1.0)
    family = next((s.family_size for s in report.shifts if s.role == CONDITIONS), 0)

    def scaled(column: str) -> pd.Series:
        return pd.Series(rows[column].to_numpy(dtype=np.float64, na_value=np.nan) * scale).astype("Float64")

    # As in the impact statements, a relative change ("32% more") is given only for a clear change of a share.
    clear = rows["verdict"].isin([CLEAR_INCREASE, CLEAR_DECREASE]).to_numpy()

    def relative(column: str) -> pd.Series:
        values = 100 * (rows[column].to_numpy(dtype=np.float64, na_value=np.nan) - 1)
        return pd.Series(np.where(proportion & clear, values, np.nan)).astype("Float64")

    unit = np.where(proportion, "% / percentage points", "scale points (1–5)")
    shared = {
        "What": rows["label"],
        "Verdict": rows["verdict"],
        "Before": scaled("estimate1"),
        "After": scaled("estimate2"),
        "Change": scaled("diff"),
        "Likely from": scaled("diff_lo"),
        "Likely to": scaled("diff_hi"),
        "Unit": unit,
        "Relative change (%)": relative("ratio"),
        "Relative, likely from (%)": relative("ratio_lo"),
        "Relative, likely to (%)": relative("ratio_hi"),
        "n before": rows["n1"].astype("Float64"),
        "n after": rows["n2"].astype("Float64"),
    }
    analysts = pd.DataFrame(
        {
            **shared,
            "Effect size": rows["effect_size"].astype("Float64"),
            "Effect size measure": rows["effect_size_name"].where(rows["verdict"] != "too few", ""),
            "p": rows["p_value"].astype("Float64"),
            "Adjusted p (conditions)": rows["p_adjusted"].astype("Float64"),
            "Judged as": rows["role"].map(ROLE_WORDS).where(rows["verdict"] != "too few", ""),
            "Method": rows["method"].where(rows["verdict"] != "too few", ""),
        }
    )
    partners = pd.DataFrame({**shared, "Statement": rows["statement"]})
    # The partner sheet holds the figures as they are shown everywhere else: rounded levels and their difference
    # (so After − Before = Change in every row), interval bounds and relative changes rounded the same way.
    for index, row in rows.iterrows():
        if row[SUPPRESSED] != "":
            continue
        shown = displayed_change(row["estimate1"], row["estimate2"], row["diff_lo"], row["diff_hi"], kind=row["kind"])
        partners.loc[index, ["Before", "After", "Change"]] = [shown.before, shown.after, shown.change]
        partners.loc[index, ["Likely from", "Likely to"]] = [shown.bound(shown.low), shown.bound(shown.high)]
    for column in ("Relative change (%)", "Relative, likely from (%)", "Relative, likely to (%)"):
        partners[column] = partners[column].map(round_half_away, na_action="ignore").astype("Float64")
    signed_format = "+0.000;-0.000;0.000"
    return [
        Sheet(
            name="Changes",
            title=title,
            table=partners,
            formats={
                "Relative change (%)": "+0;-0;0",
                "Relative, likely from (%)": "+0;-0;0",
                "Relative, likely to (%)": "+0;-0;0",
                "n before": COUNT,
                "n after": COUNT,
            },
            note=f"Figures as shown in the app: percentages in whole numbers, means to two decimals, and the change "
            "is After − Before of those figures, so every row adds up. The likely range and the verdict were worked "
            "out before rounding. Leader identity is the main measure, judged on its own range; the "
            f"{family} condition comparisons are judged together (their ranges widened so all hold at once); items "
            "are exploratory: likely higher, likely lower or could be no change, never clear. Shares in percent and "
            "percentage points; means in scale points. A relative change is given only for a clear change of a "
            f"share. Effect sizes and p-values: sheet {ANALYSTS_SHEET}.",
        ),
        Sheet(
            name=ANALYSTS_SHEET,
            exact=True,
            title=analysts_title,
            table=analysts,
            formats={
                "Before": "0.000",
                "After": "0.000",
                "Change": signed_format,
                "Likely from": signed_format,
                "Likely to": signed_format,
                "Relative change (%)": "+0.0;-0.0;0.0",
                "Relative, likely from (%)": "+0.0;-0.0;0.0",
                "Relative, likely to (%)": "+0.0;-0.0;0.0",
                "n before": COUNT,
                "n after": COUNT,
                "Effect size": MEAN,
                "p": P_VALUE,
                "Adjusted p (conditions)": P_VALUE,
            },
            note=f"The comparisons of sheet Changes, unrounded. Effect size: Cohen's h for shares, Hedges' g for "
            "means (about 0.2 small, 0.5 medium, 0.8 large). Intervals: 95% for leader identity (primary) and items "
            f"(exploratory); Bonferroni-widened (1 − 0.05/{family or 1}) for the {family} condition comparisons, whose "
            f"adjusted p is min(1, {family or 1} × p). The verdict is read from the interval.",
        ),
    ]


def _reliability(snapshot: pd.DataFrame, context: _Context) -> Sheet:
    table = condition_reliability(snapshot, context.codebook, min_n=context.min_n)
    table = _in_wave_order(table, context.waves)
    out = pd.DataFrame(
        {
            "Wave": table[WAVE],
            "Condition": table["condition_name"],
            "Items": table["n_items"].astype("Float64"),
            "n (complete answers)": table["n"].astype("Float64"),
            "Cronbach's alpha": table["alpha"].astype("Float64"),
            "Likely from": table["ci_lo"].astype("Float64"),
            "Likely to": table["ci_hi"].astype("Float64"),
            NOTE: [
                note if reason == "" else words
                for note, reason, words in zip(
                    table["note"].astype("string").fillna(""),
                    table[SUPPRESSED],
                    _notes(table, context.min_n),
                    strict=True,
                )
            ],
        }
    )
    return Sheet(
        name="Reliability",
        title="Internal consistency of each condition",
        table=out,
        formats={
            "Items": COUNT,
            "n (complete answers)": COUNT,
            "Cronbach's alpha": MEAN,
            "Likely from": MEAN,
            "Likely to": MEAN,
        },
        note="Alpha below 0.70 is flagged. Only respondents who answered every item of a condition count.",
    )

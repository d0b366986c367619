"""Display-ready, privacy-safe views for the partner exploration pages: Conditions, Schools, Subgroups, Leader identity.

Each function takes the organization's responses frame (all waves), the codebook and the current selection
(wave plus the sidebar's school / level / role restriction) and returns a small frozen object of tables that have
already been through :func:`survey_model.privacy.suppress`. Pages draw what they get and nothing else, so a page
cannot show a figure the privacy rules hide. Kept free of Streamlit so it is tested directly.

The rules every view follows:

* **The selection first.** When the chosen wave of the selection has fewer than ``min_n`` respondents, the view is
  ``hidden`` and carries no figure about it at all (its tables are empty).
* **Breakdowns are wholes.** Schools, subgroups, roles and leader-identity groups partition the selection (blank
  answers form a *Not answered* group), so each is suppressed with ``breakdown=`` (complementary suppression).
* **Sensitive attributes** (:attr:`survey_model.codebook.Attribute.sensitive`) use ``settings.min_n_sensitive``.
* **Gaps** are a shown group's figure minus the whole selection's figure: points of percent favorable, scale
  points of the mean. A gap is missing wherever either side is hidden.

Speed: the whole of a breakdown is its groups' sums added up (:func:`survey_model.scoring.summed_conditions`)
instead of being scored a second time; sums add up exactly, so the whole equals
:func:`survey_model.scoring.condition_summary` of the selection (a test checks it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from survey_model import intervals
from survey_model.codebook import Attribute, Codebook
from survey_model.privacy import COMPLEMENTARY, SUPPRESSED, hidden_message, hidden_waves, suppress
from survey_model.release import LISTED_PREFIX, WITHHELD, crosses_role
from survey_model.reliability import ALPHA_FLOOR, cronbach_alpha, item_rest_correlations
from survey_model.responses import WAVE, matches
from survey_model.scoring import (
    CONDITION_SUMS,
    IDENTITY,
    IDENTITY_OTHER,
    IDENTITY_YES,
    NOT_ANSWERED,
    condition_columns,
    condition_summary,
    finish_conditions,
    finish_leader,
    identity_groups,
    item_summary,
    item_values,
    leader_identity,
    summed_conditions,
    with_condition_names,
)
from survey_model.settings import Settings
from survey_model.shifts.statements import round_half_away, shown_difference, signed
from survey_model.tallies import RESPONDENTS, Tallies

ItemOrder = Literal["codebook", "favorable"]
Metric = Literal["pct_favorable", "mean"]


WHOLE = "All in this selection"
"""Row label of the whole selection beside its groups."""


COMPLEMENTARY_NOTE = "hidden so that a smaller group cannot be worked out by subtraction"
WITHHELD_NOTE = (
    "Groups too small to show on their own, or that would let a small group be worked out from other figures, are "
    "not listed: their answers count only in the totals."
)
"""Said wherever a breakdown may leave groups out (the release decision, :mod:`survey_model.release`)."""

#: Attributes the Subgroups page never breaks down by (schools have their own page).
NOT_A_SUBGROUP = frozenset({"school"})
#: Breakdowns offered first, in this order (the issue's list); any other attribute follows in codebook order.
FIRST_SUBGROUPS = ("role", "years_in_education", "years_at_school", "school_level", "leadership_team")

_CONDITION_FIGURES = ("n", "mean", "sd", "n_responses", "pct_favorable", "pct_neutral", "pct_unfavorable")


def hidden_reason(reason: str, min_n: int) -> str:
    """Words shown in place of a hidden row's figures: the privacy module's message, or why a bigger group went too.

    >>> hidden_reason("small_group", 5)
    'fewer than 5 responses — hidden to protect confidentiality'
    >>> hidden_reason("", 5)
    ''
    """
    if not reason:
        return ""
    return COMPLEMENTARY_NOTE if reason == COMPLEMENTARY else hidden_message(min_n)


# --------------------------------------------------------------------------------------------------------------
# Shared pieces


def _selected(
    frame: pd.DataFrame,
    restriction: Mapping[str, str | None] | None,
    *,
    waves: Sequence[str] | None,
    min_n: int,
    tallies: Tallies | None = None,
) -> np.ndarray:
    """Which rows the selection shows in ``waves`` (every wave when ``None``), as a boolean mask.

    The restriction follows :func:`survey_model.privacy.restrict`: a selected school or role that its breakdown
    hides in a wave shows nothing for that wave. Suppression is decided wave by wave, so only the waves asked for
    are examined; with ``tallies`` covering the filters it is decided on their cells (a few thousand) instead of on
    the respondents (500,000 at statewide size): the same counts, so the same waves.
    """
    active = {column: value for column, value in (restriction or {}).items() if value is not None}
    in_waves = np.ones(len(frame), dtype=bool) if waves is None else frame[WAVE].isin(list(waves)).to_numpy(dtype=bool)
    keep = in_waves & matches(frame, **active)
    if active:
        if tallies is not None and tallies.covers(active):
            hidden = tallies.hidden_waves(active, min_n=min_n)
        else:
            hidden = hidden_waves(frame.loc[in_waves, [WAVE, *active]], active, min_n=min_n)
        if hidden:
            keep &= ~frame[WAVE].isin(sorted(hidden)).to_numpy(dtype=bool)
    return keep


def _rows(frame: pd.DataFrame, keep: np.ndarray, columns: Sequence[str]) -> pd.DataFrame:
    """The kept rows with only ``columns`` (and the wave): the views never copy the columns they do not show."""
    wanted = list(dict.fromkeys([WAVE, *(column for column in columns if column in frame.columns)]))
    return frame[wanted].iloc[np.flatnonzero(keep)]


def _selection(
    frame: pd.DataFrame,
    restriction: Mapping[str, str | None] | None,
    *,
    waves: Sequence[str] | None,
    columns: Sequence[str],
    min_n: int,
    tallies: Tallies | None = None,
) -> pd.DataFrame:
    """The selection's rows in ``waves`` (see :func:`_selected`) with only ``columns`` (and the wave)."""
    return _rows(frame, _selected(frame, restriction, waves=waves, min_n=min_n, tallies=tallies), columns)


def _group_order(values: Sequence[str], declared: Sequence[str] = ()) -> list[str]:
    """Declared options first (in their order), then the rest alphabetically, *Not answered* last."""
    present = list(dict.fromkeys(str(v) for v in values))
    first = [v for v in declared if v in present]
    rest = sorted(v for v in present if v not in first and v != NOT_ANSWERED)
    return first + rest + ([NOT_ANSWERED] if NOT_ANSWERED in present else [])


def _with_gaps(groups: pd.DataFrame, whole: pd.DataFrame) -> pd.DataFrame:
    """Add ``gap_favorable`` (points) and ``gap_mean`` (scale points): group minus whole, for shown rows only."""
    reference = whole[whole[SUPPRESSED] == ""].set_index("condition")
    fav, mean = reference["pct_favorable"], reference["mean"]
    out = groups.copy()
    out["gap_favorable"] = out["pct_favorable"].astype("Float64") - out["condition"].map(fav).astype("Float64")
    out["gap_mean"] = out["mean"].astype("Float64") - out["condition"].map(mean).astype("Float64")
    return out


def _breakdown(
    sums: pd.DataFrame, codebook: Codebook, column: str, *, min_n: int, settings: Settings
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Condition summary of each group of ``column`` (suppressed as a breakdown) and of the whole (suppressed).

    ``sums`` is :func:`survey_model.scoring.summed_conditions` by ``column`` (from respondents or from tallies'
    cells): the whole is its groups' sums added up.
    """
    raw = finish_conditions(sums, by=[column], bands=settings.stage_bands)
    raw = raw[(raw[column].astype(str) != WITHHELD).to_numpy(dtype=bool)]  # counted in the whole, never a group
    added_up = sums.groupby("condition", sort=False)[list(CONDITION_SUMS)].sum().reset_index()
    whole = finish_conditions(added_up, bands=settings.stage_bands)
    whole = suppress(whole, keys=["condition"], min_n=settings.min_n)
    groups = suppress(raw, keys=[column, "condition"], min_n=min_n, breakdown=column)
    return with_condition_names(_with_gaps(groups, whole), codebook), with_condition_names(whole, codebook)


def _counts(sizes: pd.Series, column: str, *, min_n: int) -> pd.DataFrame:
    """Respondents per group (a series indexed by group label), suppressed as a breakdown."""
    # Fresh arrays: suppress() writes into the table, and value_counts may hand back read-only buffers.
    counts = pd.DataFrame({column: np.array(sizes.index, dtype=object), "n": np.array(sizes.to_numpy(), dtype="int64")})
    counts = counts[(counts[column].astype(str) != WITHHELD).to_numpy(dtype=bool)]  # released: never a group
    return suppress(counts, keys=[column], min_n=min_n, breakdown=column)


def _group_counts(frame: pd.DataFrame, column: str, *, min_n: int) -> pd.DataFrame:
    """Respondents per group of ``column`` (blanks as *Not answered*), suppressed as a breakdown."""
    values = frame[column].astype("string").fillna(NOT_ANSWERED).replace("", NOT_ANSWERED)
    return _counts(values.value_counts(sort=False), column, min_n=min_n)


# --------------------------------------------------------------------------------------------------------------
# Conditions page


@dataclass(frozen=True)
class Reliability:
    """Internal consistency of one condition's items in one selection and wave."""

    k: int
    """Number of items."""
    n: int | None
    """Respondents who answered every item (the ones alpha is computed on); ``None`` when hidden."""
    alpha: float | None
    """Cronbach's alpha; ``None`` when hidden or not computable (fewer than two items, no variance)."""
    ci: tuple[float, float] | None
    """95% confidence interval of alpha (Feldt), when available."""
    note: str = ""
    """Why alpha is not shown, when it is not."""

    def formatted(self, value: float | None = None) -> str:
        """Alpha (or a bound) to two decimals; three when two would round a value below the floor up onto it.

        >>> Reliability(k=4, n=50, alpha=0.698, ci=None).formatted()
        '0.698'
        >>> Reliability(k=4, n=50, alpha=0.8123, ci=None).formatted()
        '0.81'
        """
        value = self.alpha if value is None else value
        if value is None:
            return "—"
        two = f"{value:.2f}"
        return f"{value:.3f}" if value < ALPHA_FLOOR and float(two) >= ALPHA_FLOOR else two

    @property
    def below_floor(self) -> bool:
        """True when alpha is shown and below :data:`survey_model.reliability.ALPHA_FLOOR` (0.70, Nunnally 1978)."""
        return self.alpha is not None and self.alpha < ALPHA_FLOOR


@dataclass(frozen=True)
class ConditionDetail:
    """Everything the Conditions page shows for one condition."""

    condition: str
    name: str
    description: str
    respondents: int
    """Respondents in the selection for the chosen wave."""
    hidden: bool
    """True when the selection has fewer than ``min_n`` respondents: every table below is empty."""
    summary: pd.DataFrame
    """The condition's summary for the selection (one row, suppressed; see ``condition_summary``)."""
    items: pd.DataFrame
    """One row per item in display order: ``position`` (codebook order, from 1), ``item``, ``text``, ``reverse``,
    ``label`` (id, reverse marker and text), ``n`` (valid answers), ``pct_favorable``, ``pct_neutral``,
    ``pct_unfavorable`` (0–100), ``mean`` (after reversal), ``n_nonsubstantive`` (Don't know / N/A answers),
    ``pct_nonsubstantive`` (of everyone who answered the item at all), ``item_rest`` (correlation of the item
    with the sum of the condition's other items, among complete answer sets), with ``pct_favorable_compare``,
    ``n_compare`` and ``change`` (points) when a comparison wave was given; ``suppressed``."""
    answers: pd.DataFrame
    """Long table for the diverging bars, shown items only: ``item``, ``label``, ``value`` (after reversal, so
    higher is more favorable), ``category`` (the scale label of ``value``), ``answer`` (the label respondents
    chose: differs from ``category`` on reverse-worded items), ``side`` (unfavorable / neutral / favorable),
    ``count``, ``n``, ``pct`` (0–100 of valid answers)."""
    categories: tuple[str, ...]
    """Scale labels from least to most favorable: the legend order."""
    sides: tuple[str, ...]
    """``side`` of each category, same order."""
    reliability: Reliability | None
    """Cronbach's alpha for the chosen wave, or ``None`` when the selection is hidden."""
    compare: str | None = None
    """The comparison wave of the ``*_compare`` and ``change`` columns, if any."""


def _side(value: float, favorable_min: int | None, unfavorable_max: int | None) -> str:
    if favorable_min is not None and value >= favorable_min:
        return "favorable"
    if unfavorable_max is not None and value <= unfavorable_max:
        return "unfavorable"
    return "neutral"


def _item_table(frame: pd.DataFrame, codebook: Codebook, items: Sequence[str], *, min_n: int) -> pd.DataFrame:
    table = item_summary(frame, codebook, items=items)
    return suppress(table, keys=["item", "condition"], min_n=min_n)


def condition_detail(
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    condition: str,
    wave: str,
    restriction: Mapping[str, str | None] | None = None,
    compare: str | None = None,
    order: ItemOrder = "codebook",
    settings: Settings | None = None,
    tallies: Tallies | None = None,
) -> ConditionDetail:
    """Item-level answers, the condition's summary and its reliability for one condition and selection.

    Parameters
    ----------
    frame : DataFrame
        The organization's responses, all waves.
    codebook : Codebook
        The instrument.
    condition : str
        Condition id, e.g. ``"SI"``.
    wave : str
        Wave shown.
    restriction : mapping, optional
        Column → value filters (school, school level, role); ``None`` values mean "all".
    compare : str, optional
        An earlier wave whose percent favorable is shown beside each item, with the change in points.
    order : {"codebook", "favorable"}, default="codebook"
        Item order: as in the codebook, or by percent favorable, highest first (hidden items last).
    settings : Settings, optional
        Thresholds; defaults to ``Settings()``.
    tallies : Tallies, optional
        The frame's per-cell tallies (:func:`survey_model.tallies.tally`); when they cover the filters, the
        privacy checks run on their cells instead of on every respondent (same result, much faster).
    """
    if order not in ("codebook", "favorable"):
        raise ValueError(f"order must be 'codebook' or 'favorable', got {order!r}")
    settings = settings or Settings()
    min_n = settings.min_n
    info = codebook.condition(condition)
    items = [item.id for item in codebook.items_for(condition) if item.id in frame.columns]
    if not items:
        raise ValueError(f"the responses frame has no item of condition {condition!r}")
    in_wave = _selection(frame, restriction, waves=[wave], columns=items, min_n=min_n, tallies=tallies)
    scale = codebook.scale_of(items[0])
    categories = tuple(scale.label_of(v) for v in scale.values)
    sides = tuple(_side(v, scale.favorable_min, scale.unfavorable_max) for v in scale.values)
    if len(in_wave) < min_n:
        empty = pd.DataFrame()
        return ConditionDetail(
            condition, info.name, info.description, len(in_wave), True, empty, empty, empty, categories, sides, None
        )

    summary = condition_summary(in_wave, codebook, bands=settings.stage_bands)
    summary = with_condition_names(suppress(summary, keys=["condition"], min_n=min_n), codebook)

    table = _item_table(in_wave, codebook, items, min_n=min_n)
    position = {item_id: index + 1 for index, item_id in enumerate(items)}
    info_of = {item_id: codebook.item(item_id) for item_id in items}
    table.insert(0, "position", table["item"].map(position).astype("int64"))
    table["text"] = table["item"].map(lambda i: info_of[i].text)
    table["reverse"] = table["item"].map(lambda i: info_of[i].reverse).astype(bool)
    table["label"] = [f"{i}{' (R)' if info_of[i].reverse else ''}: {info_of[i].text}" for i in table["item"]]
    answered = table["n"].astype("Float64") + table["n_nonsubstantive"].astype("Float64")
    table["pct_nonsubstantive"] = (100 * table["n_nonsubstantive"].astype("Float64") / answered).astype("Float64")
    if compare is not None and compare != wave:
        earlier = _selection(frame, restriction, waves=[compare], columns=items, min_n=min_n, tallies=tallies)
        before = _item_table(earlier, codebook, items, min_n=min_n)
        before = before.set_index("item")
        table["pct_favorable_compare"] = table["item"].map(before["pct_favorable"]).astype("Float64")
        table["n_compare"] = table["item"].map(before["n"]).astype("Int64")
        table["change"] = table["pct_favorable"].astype("Float64") - table["pct_favorable_compare"]
    if order == "favorable":
        key = table["pct_favorable"].astype("Float64").fillna(-1.0)
        table = table.assign(_key=-key).sort_values(["_key", "position"], kind="stable").drop(columns="_key")
    alpha, item_rest = _reliability(in_wave, codebook, items, min_n=min_n)
    table["item_rest"] = table["item"].map(item_rest).astype("Float64")
    table.loc[table[SUPPRESSED] != "", "item_rest"] = pd.NA
    table = table.reset_index(drop=True)
    answers = _answers(table, codebook)
    return ConditionDetail(
        condition=condition,
        name=info.name,
        description=info.description,
        respondents=len(in_wave),
        hidden=False,
        summary=summary,
        items=table,
        answers=answers,
        categories=categories,
        sides=sides,
        reliability=alpha,
        compare=compare if compare != wave else None,
    )


def _answers(items: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One row per shown item × scale value, least favorable first."""
    rows = []
    for row in items[items[SUPPRESSED] == ""].itertuples(index=False):
        item = codebook.item(row.item)
        scale = codebook.scale(item.scale)
        n = int(row.n)
        for value in scale.values:
            count = int(getattr(row, f"count_{value}"))
            chosen = scale.min_value + scale.max_value - value if item.reverse else value
            rows.append(
                {
                    "item": row.item,
                    "label": row.label,
                    "value": value,
                    "category": scale.label_of(value),
                    "answer": scale.label_of(chosen),
                    "side": _side(value, scale.favorable_min, scale.unfavorable_max),
                    "count": count,
                    "n": n,
                    "pct": 100 * count / n if n else np.nan,
                }
            )
    columns = ["item", "label", "value", "category", "answer", "side", "count", "n", "pct"]
    return pd.DataFrame(rows, columns=columns)


def _reliability(
    frame: pd.DataFrame, codebook: Codebook, items: Sequence[str], *, min_n: int
) -> tuple[Reliability, pd.Series]:
    """Cronbach's alpha and item-rest correlations on the complete answer sets (listwise), after reversal.

    The statistics come from :mod:`survey_model.reliability` (checked there against pingouin and published
    examples); this function only applies the minimum n: fewer than ``min_n`` complete answer sets show nothing.
    """
    values = item_values(frame, codebook, items)
    complete = values[~np.isnan(values).any(axis=1)]
    none = pd.Series(np.nan, index=list(items), dtype="float64")
    if len(items) < 2:
        return Reliability(k=len(items), n=None, alpha=None, ci=None, note="one item: alpha is not defined"), none
    if len(complete) < min_n:
        note = f"{hidden_message(min_n)} (complete answer sets)"
        return Reliability(k=len(items), n=None, alpha=None, ci=None, note=note), none
    alpha, (lo, hi) = cronbach_alpha(complete)
    rest = item_rest_correlations(complete)
    rest.index = list(items)
    if not np.isfinite(alpha):
        return Reliability(k=len(items), n=len(complete), alpha=None, ci=None, note="answers do not vary"), rest
    ci = (float(lo), float(hi)) if np.isfinite(lo) and np.isfinite(hi) else None
    return Reliability(k=len(items), n=len(complete), alpha=float(alpha), ci=ci), rest


# --------------------------------------------------------------------------------------------------------------
# Schools page


@dataclass(frozen=True)
class SchoolsView:
    """Schools × conditions for one wave, and the chosen school's detail."""

    respondents: int
    """Respondents in the selection (all schools) for the chosen wave."""
    hidden: bool
    """True when the whole selection has fewer than ``min_n`` respondents: every table is empty."""
    schools: pd.DataFrame
    """One row per school: ``school``, ``group`` (comparison group, may be empty), ``n`` (respondents),
    ``suppressed``, ``note`` (why hidden). Suppressed as a breakdown of the selection."""
    cells: pd.DataFrame
    """One row per school × condition: ``school``, ``condition``, ``condition_name``, ``group_name`` (the
    condition's group), figures of a condition summary, ``gap_favorable``, ``gap_mean`` (school minus whole),
    ``suppressed``. Complementary suppression runs within each condition."""
    whole: pd.DataFrame
    """The whole selection per condition (suppressed)."""
    school: str | None
    """The school chosen in the sidebar, if any."""
    school_hidden: bool
    """True when the chosen school's figures are hidden (small, or hidden to protect a smaller school)."""


def schools_view(
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    wave: str,
    restriction: Mapping[str, str | None] | None = None,
    school_groups: Mapping[str, str] | None = None,
    settings: Settings | None = None,
    tallies: Tallies | None = None,
) -> SchoolsView:
    """Every school's conditions in one wave, under the level and role filters (the school filter picks the detail).

    Parameters
    ----------
    frame : DataFrame
        The organization's responses, all waves.
    codebook : Codebook
        The instrument.
    wave : str
        Wave shown.
    restriction : mapping, optional
        The sidebar filters. ``school`` does not narrow the grid (it would leave one row): it names the school
        whose detail is shown. The other filters narrow every school alike.
    school_groups : mapping, optional
        School name → comparison group (``"cohort"``, ``"comparison"``), from the store.
    settings : Settings, optional
        Thresholds; defaults to ``Settings()``.
    tallies : Tallies, optional
        The frame's per-cell tallies (:func:`survey_model.tallies.tally`); when they cover the filters, the
        privacy checks run on their cells instead of on every respondent (same result, much faster).
    """
    settings = settings or Settings()
    min_n = settings.min_n
    restriction = dict(restriction or {})
    chosen = restriction.pop("school", None)
    if tallies is not None and "school" in tallies.dimensions and tallies.covers(restriction):
        in_cells = tallies.shown(restriction, min_n=min_n, wave=wave)  # the same sums, from a few cells
        respondents = int(in_cells[RESPONDENTS].sum())
        sums = tallies.conditions_by(in_cells, ["school"])
        sizes = in_cells.groupby("school", observed=True)[RESPONDENTS].sum()
        sizes = sizes[sizes > 0].rename(index=str)
    else:
        columns = ["school", *condition_columns(frame, codebook)]
        in_wave = _selection(frame, restriction, waves=[wave], columns=columns, min_n=min_n, tallies=tallies)
        respondents = len(in_wave)
        if "school" in in_wave.columns:
            sums = summed_conditions(in_wave, codebook, by=["school"])
            sizes = in_wave["school"].astype("string").fillna(NOT_ANSWERED).replace("", NOT_ANSWERED)
            sizes = sizes.value_counts(sort=False)
    if respondents < min_n or "school" not in frame.columns:
        empty = pd.DataFrame()
        return SchoolsView(respondents, True, empty, empty, empty, chosen, True)
    cells, whole = _breakdown(sums, codebook, "school", min_n=min_n, settings=settings)
    cells["school"] = cells["school"].astype(str)
    group_names = {c.id: codebook.groups.get(c.group, c.group) for c in codebook.conditions}
    cells["group_name"] = cells["condition"].map(group_names).fillna("")
    schools = _counts(sizes, "school", min_n=min_n)
    groups = dict(school_groups or {})
    schools.insert(1, "group", schools["school"].map(lambda s: groups.get(s, "")))
    schools["note"] = [hidden_reason(r, min_n) for r in schools[SUPPRESSED]]
    order = _group_order(schools["school"])
    schools = schools.set_index("school").loc[order].reset_index()
    rank = {name: i for i, name in enumerate(order)}
    cells = cells.assign(_rank=cells["school"].map(rank)).sort_values(["_rank"], kind="stable").drop(columns="_rank")
    school_hidden = True
    if chosen is not None:
        mine = cells[cells["school"] == chosen]
        school_hidden = mine.empty or bool((mine[SUPPRESSED] != "").all())
    return SchoolsView(
        respondents=respondents,
        hidden=False,
        schools=schools,
        cells=cells.reset_index(drop=True),
        whole=whole,
        school=chosen,
        school_hidden=school_hidden,
    )


def school_matrix(view: SchoolsView, codebook: Codebook, *, metric: Metric = "pct_favorable") -> pd.DataFrame:
    """The sortable wide table: one row per school, one numeric column per condition, hidden cells empty.

    Columns: ``School``, ``Group`` (only when some school has one), ``Respondents``, ``Note`` (why figures are
    missing) and one column per condition name holding ``metric`` (rounded: whole percent, or two decimals of the
    mean).
    """
    if metric not in ("pct_favorable", "mean"):
        raise ValueError(f"metric must be 'pct_favorable' or 'mean', got {metric!r}")
    if view.hidden:
        return pd.DataFrame()
    cells = view.cells
    wide = cells.pivot(index="school", columns="condition", values=metric)
    names = [c.name for c in codebook.conditions if c.id in wide.columns]
    wide = wide[[c.id for c in codebook.conditions if c.id in wide.columns]]
    wide.columns = names
    wide = wide.astype("Float64").round(0 if metric == "pct_favorable" else 2)
    schools = view.schools.set_index("school")
    out = pd.DataFrame({"School": schools.index})
    if (schools["group"] != "").any():
        out["Group"] = schools["group"].to_numpy()
    out["Respondents"] = schools["n"].astype("Int64").to_numpy()
    partly = cells[cells[SUPPRESSED] != ""].groupby("school")["condition"].size()
    notes = []
    for school, note in zip(schools.index, schools["note"], strict=True):
        if note:
            notes.append(note)
        elif partly.get(school, 0):
            notes.append("some conditions hidden to protect confidentiality")
        else:
            notes.append("")
    out["Note"] = notes  # before the conditions, so the reason for an empty row is in sight
    return out.join(wide, on="School").reset_index(drop=True)


def school_detail(view: SchoolsView) -> pd.DataFrame:
    """The chosen school's shown conditions with their gaps to every school of the selection (numeric columns).

    Columns: ``Condition``, ``% favorable``, ``Gap (points)``, ``Mean (1–5)``, ``Gap (mean)``, ``Stage``, ``n``.
    Empty when no school is chosen or its figures are hidden.
    """
    if view.hidden or view.school is None or view.school_hidden:
        return pd.DataFrame()
    mine = view.cells[(view.cells["school"] == view.school) & (view.cells[SUPPRESSED] == "")]
    return pd.DataFrame(
        {
            "Condition": mine["condition_name"],
            "% favorable": mine["pct_favorable"].astype("Float64").round(0),
            "Gap (points)": mine["gap_favorable"].astype("Float64").round(0),
            "Mean (1–5)": mine["mean"].astype("Float64").round(2),
            "Gap (mean)": mine["gap_mean"].astype("Float64").round(2),
            "Stage": mine["stage"],
            "n": mine["n"].astype("Int64"),
        }
    ).reset_index(drop=True)


# --------------------------------------------------------------------------------------------------------------
# Subgroups page


@dataclass(frozen=True)
class SubgroupView:
    """One breakdown of the selection (e.g. by role) across every condition."""

    attribute: str
    """Attribute id, e.g. ``"role"``."""
    label: str
    """Attribute name shown to users."""
    sensitive: bool
    min_n: int
    """Threshold used: ``min_n_sensitive`` for sensitive attributes, ``min_n`` otherwise."""
    respondents: int
    hidden: bool
    """True when the whole selection is below ``min_n``: every table is empty."""
    groups: pd.DataFrame
    """One row per group in display order: ``group``, ``n`` (respondents), ``suppressed``, ``note``."""
    table: pd.DataFrame
    """One row per group × condition: ``group``, ``condition``, ``condition_name``, summary figures,
    ``gap_favorable`` (points) and ``gap_mean`` (scale points) against the whole, ``suppressed``."""
    whole: pd.DataFrame
    """The whole selection per condition (suppressed at ``min_n``)."""
    crossed: bool = False
    """True when the breakdown is refused because a role filter is set (see :data:`CROSSED_MESSAGE`)."""


CROSSED_MESSAGE = (
    "Breakdowns by a second attribute are shown for all roles together: combined with a role filter they would "
    "make groups small enough to identify people. Set Role to All to see this breakdown."
)


def attribute_info(codebook: Codebook, attribute: str) -> Attribute:
    """The codebook's attribute, or for a further attribute of the school list (``school:title_i``) one made from
    its name (``School: title i``; not sensitive, no fixed options)."""
    if attribute in codebook.attribute_ids:
        return codebook.attribute(attribute)
    if attribute.startswith(LISTED_PREFIX):
        name = attribute.removeprefix(LISTED_PREFIX)
        return Attribute(id=attribute, label=f"School: {name.replace('_', ' ')}")
    raise ValueError(f"unknown attribute {attribute!r}")


def subgroup_attributes(
    frame: pd.DataFrame, codebook: Codebook, *, restriction: Mapping[str, str | None] | None = None
) -> tuple[str, ...]:
    """Attributes the Subgroups page can break down by: :data:`FIRST_SUBGROUPS` first, the rest in codebook order,
    then the school list's further attributes (``school:<name>``, :data:`survey_model.release.LISTED_PREFIX`).

    Those with at least one answer in ``frame``, except the school (its own page) and any attribute a filter
    already fixes to one value (a breakdown of one group says nothing).
    """
    fixed = {column for column, value in (restriction or {}).items() if value is not None}
    present = []
    for attribute in codebook.attributes:
        if attribute.id in NOT_A_SUBGROUP or attribute.id in fixed or attribute.id not in frame.columns:
            continue
        answers = frame[attribute.id].dropna().unique()  # a handful of values, even on a statewide frame
        if any(str(answer) != "" for answer in answers):
            present.append(attribute.id)
    first = [attribute for attribute in FIRST_SUBGROUPS if attribute in present]
    listed = [
        column
        for column in frame.columns
        if str(column).startswith(LISTED_PREFIX)
        and column not in fixed
        and set(frame[column].dropna().astype(str).unique()) - {WITHHELD, ""}
    ]
    return (*first, *(attribute for attribute in present if attribute not in first), *sorted(listed))


def subgroup_view(
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    attribute: str,
    wave: str,
    restriction: Mapping[str, str | None] | None = None,
    settings: Settings | None = None,
    tallies: Tallies | None = None,
) -> SubgroupView:
    """Conditions by the groups of one attribute, each with its gap to the whole selection.

    Blank answers form a *Not answered* group so the groups add up to the whole; complementary suppression runs
    within each condition, at ``min_n_sensitive`` for a sensitive attribute.
    """
    settings = settings or Settings()
    info = attribute_info(codebook, attribute)
    min_n = settings.min_n_sensitive if info.sensitive else settings.min_n
    if attribute not in frame.columns:
        raise ValueError(f"the responses frame has no column {attribute!r}")
    columns = [attribute, *condition_columns(frame, codebook)]
    in_wave = _selection(frame, restriction, waves=[wave], columns=columns, min_n=min_n, tallies=tallies)
    if attribute not in in_wave.columns:
        raise ValueError(f"the responses frame has no column {attribute!r}")
    if crosses_role(attribute, restriction):
        empty = pd.DataFrame()
        return SubgroupView(
            attribute, info.label, info.sensitive, min_n, len(in_wave), True, empty, empty, empty, crossed=True
        )
    if len(in_wave) < settings.min_n:
        empty = pd.DataFrame()
        return SubgroupView(attribute, info.label, info.sensitive, min_n, len(in_wave), True, empty, empty, empty)
    sums = summed_conditions(in_wave, codebook, by=[attribute])
    table, whole = _breakdown(sums, codebook, attribute, min_n=min_n, settings=settings)
    table = table.rename(columns={attribute: "group"})
    table["group"] = table["group"].astype(str)
    groups = _group_counts(in_wave, attribute, min_n=min_n).rename(columns={attribute: "group"})
    order = _group_order(groups["group"], info.options)
    groups = groups.set_index("group").loc[order].reset_index()
    groups["note"] = [hidden_reason(r, min_n) for r in groups[SUPPRESSED]]
    rank = {name: i for i, name in enumerate(order)}
    table = table.assign(_rank=table["group"].map(rank)).sort_values("_rank", kind="stable").drop(columns="_rank")
    table = with_gap_intervals(table)
    return SubgroupView(
        attribute=attribute,
        label=info.label,
        sensitive=info.sensitive,
        min_n=min_n,
        respondents=len(in_wave),
        hidden=False,
        groups=groups,
        table=table.reset_index(drop=True),
        whole=whole,
    )


def with_gap_intervals(table: pd.DataFrame, *, confidence: float = 0.95) -> pd.DataFrame:
    """Add the likely range of each group's gap to the whole, and whether it could be no gap at all.

    Subgroups are exploratory (the analysis plan, ``docs/rules.md``): a gap is shown with its range and n, and a
    chart fades the gaps whose range includes zero. The range is the group's own interval minus the whole's
    figure: for the mean a t interval (``mean ± t·sd/√n``); for percent favorable a Wilson interval on the group's
    *respondents* (``n``), conservative for a pooled share when respondents answer the same number of items (a
    respondent's favorable share lies in [0, 1], so its variance is at most p(1 − p); Bhatia & Davis 2000). The
    whole's own uncertainty is left out: it is part of the group's, and a group that is a large share of the whole
    moves with it.

    Columns added (points for percent favorable, scale points for the mean; missing where hidden):
    ``gap_favorable_low``, ``gap_favorable_high``, ``gap_mean_low``, ``gap_mean_high``, ``gap_favorable_unclear``
    and ``gap_mean_unclear`` (True when the range includes 0).

    >>> cells = pd.DataFrame({"n": [10, 400], "pct_favorable": [60.0, 52.0], "gap_favorable": [22.0, 14.0],
    ...                       "mean": [3.5, 3.4], "sd": [0.8, 0.8], "gap_mean": [0.3, 0.2], "suppressed": ["", ""]})
    >>> with_gap_intervals(cells)["gap_favorable_unclear"].tolist()
    [True, False]
    """
    out = table.copy()
    shown = (out[SUPPRESSED] == "").to_numpy() & out["n"].notna().to_numpy()
    n = out["n"].to_numpy(dtype="float64", na_value=np.nan)
    safe_n = np.where(shown & (n >= 2), n, 2.0)
    share = np.clip(out["pct_favorable"].to_numpy(dtype="float64", na_value=np.nan) / 100, 0, 1)
    low, high = intervals.wilson_interval(np.where(shown, share, 0.5) * safe_n, safe_n, confidence=confidence)
    whole = out["pct_favorable"].to_numpy(dtype="float64", na_value=np.nan) - out["gap_favorable"].to_numpy(
        dtype="float64", na_value=np.nan
    )
    out["gap_favorable_low"] = np.where(shown, 100 * np.asarray(low) - whole, np.nan)
    out["gap_favorable_high"] = np.where(shown, 100 * np.asarray(high) - whole, np.nan)
    mean = out["mean"].to_numpy(dtype="float64", na_value=np.nan)
    sd = np.nan_to_num(out["sd"].to_numpy(dtype="float64", na_value=np.nan), nan=0.0)
    m_low, m_high = intervals.mean_interval(np.where(shown, mean, 0.0), sd, safe_n, confidence=confidence)
    whole_mean = mean - out["gap_mean"].to_numpy(dtype="float64", na_value=np.nan)
    out["gap_mean_low"] = np.where(shown, np.asarray(m_low) - whole_mean, np.nan)
    out["gap_mean_high"] = np.where(shown, np.asarray(m_high) - whole_mean, np.nan)
    for name in ("favorable", "mean"):
        lo, hi = out[f"gap_{name}_low"].to_numpy(), out[f"gap_{name}_high"].to_numpy()
        out[f"gap_{name}_unclear"] = ~((lo > 0) | (hi < 0))
    return out


def subgroup_cells(view: SubgroupView) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """What the subgroup heatmap draws: shown cells (the whole selection first, gap 0), hidden cells and row order.

    Returns
    -------
    shown : DataFrame
        ``group``, ``condition``, ``condition_name``, figures and gaps of every shown cell; the whole selection's
        rows are labelled :data:`WHOLE`.
    hidden : DataFrame
        ``group`` and ``condition_name`` only, of every hidden cell (no figure).
    rows : list of str
        Row names in display order, hidden groups included.
    """
    if view.hidden:
        return pd.DataFrame(), pd.DataFrame(columns=["group", "condition_name"]), []
    whole = view.whole[view.whole[SUPPRESSED] == ""].assign(group=WHOLE, gap_favorable=0.0, gap_mean=0.0)
    table = view.table
    shown = pd.concat([whole, table[table[SUPPRESSED] == ""]], ignore_index=True)
    hidden = table.loc[table[SUPPRESSED] != "", ["group", "condition_name"]].reset_index(drop=True)
    return shown, hidden, [WHOLE, *view.groups["group"]]


# --------------------------------------------------------------------------------------------------------------
# Leader identity page


@dataclass(frozen=True)
class LeaderView:
    """Leader identity by wave and by role, informal leaders, and identity against the conditions."""

    respondents: int
    """Respondents in the selection for the chosen wave."""
    hidden: bool
    """True when the selection's chosen wave has fewer than ``min_n`` respondents: every table is empty."""
    by_wave: pd.DataFrame
    """One row per wave (oldest first) of :func:`survey_model.scoring.leader_identity` plus
    ``share_informal_of_yes`` (informal leaders among those answering Yes), suppressed per wave."""
    by_role: pd.DataFrame
    """The chosen wave by role (display order), suppressed as a breakdown; empty when the role filter is set or
    there is no role column. ``note`` says why a row is hidden."""
    by_identity: pd.DataFrame
    """The chosen wave's conditions for those answering Yes and those answering No or Not sure (column
    ``leader_identity``), suppressed as a breakdown that includes the non-answerers."""
    identity_gap: pd.DataFrame
    """Per condition: ``condition``, ``condition_name``, ``pct_yes``, ``pct_other``, ``n_yes``, ``n_other`` and
    ``difference`` (Yes minus No/Not sure, points), only where both groups are shown."""


def _leader_shares(table: pd.DataFrame) -> pd.DataFrame:
    with np.errstate(invalid="ignore", divide="ignore"):
        informal = np.where(table["n_yes"] > 0, table["n_informal"] / table["n_yes"], np.nan)
    return table.assign(share_informal_of_yes=informal)


def leader_view(
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    wave: str,
    restriction: Mapping[str, str | None] | None = None,
    settings: Settings | None = None,
    tallies: Tallies | None = None,
) -> LeaderView:
    """Leader identity tables for one selection.

    Raises
    ------
    ValueError
        When the codebook has no leader-identity block (the page says so instead of calling this).
    """
    settings = settings or Settings()
    min_n = settings.min_n
    leader = codebook.leader
    if leader is None:
        raise ValueError(f"codebook {codebook.id!r} has no leader-identity block")
    identity_columns = [leader.item, leader.formal_role_item or leader.item]
    restriction = dict(restriction or {})
    from_cells = (
        tallies is not None and tallies.leader and IDENTITY in tallies.dimensions and tallies.covers(restriction)
    )
    if from_cells:  # every figure below is a sum: add up the tallies' cells instead of the respondents
        every_cell = tallies.shown(restriction, min_n=min_n)
        in_cells = every_cell[(every_cell[WAVE] == wave).to_numpy(dtype=bool)]
        respondents, breakdowns = int(in_cells[RESPONDENTS].sum()), tallies.dimensions
    else:
        columns = [*identity_columns, "role", IDENTITY, *condition_columns(frame, codebook)]
        every_wave = _selected(frame, restriction, waves=None, min_n=min_n, tallies=tallies)
        in_wave = _rows(frame, every_wave & (frame[WAVE] == wave).to_numpy(dtype=bool), columns)
        respondents, breakdowns = len(in_wave), tuple(in_wave.columns)
    if respondents < min_n or leader.item not in frame.columns:
        empty = pd.DataFrame()
        return LeaderView(respondents, True, empty, empty, empty, empty)

    if from_cells:
        shares = finish_leader(tallies.leader_by(every_cell, [WAVE]), by=[WAVE])
    else:
        shares = leader_identity(_rows(frame, every_wave, identity_columns), codebook, by=[WAVE])
    by_wave = suppress(_leader_shares(shares), keys=[WAVE], min_n=min_n)
    by_wave[WAVE] = by_wave[WAVE].astype(str)

    by_role = pd.DataFrame()
    if "role" in breakdowns and restriction.get("role") is None:
        if from_cells:
            counts = finish_leader(tallies.leader_by(in_cells, ["role"]), by=["role"])
        else:
            counts = leader_identity(in_wave, codebook, by=["role"])
        raw = _leader_shares(counts)
        raw["role"] = raw["role"].astype(str)
        raw = raw[(raw["role"] != WITHHELD).to_numpy(dtype=bool)]
        by_role = suppress(raw, keys=["role"], min_n=min_n, breakdown="role")
        options = codebook.attribute("role").options if "role" in codebook.attribute_ids else ()
        order = _group_order(by_role["role"], options)
        by_role = by_role.set_index("role").loc[order].reset_index()
        by_role["note"] = [hidden_reason(r, min_n) for r in by_role[SUPPRESSED]]

    if crosses_role(IDENTITY, restriction):
        by_identity = pd.DataFrame(columns=[IDENTITY, "condition", "condition_name", "pct_favorable", "n", SUPPRESSED])
    else:
        if from_cells:
            sums = tallies.conditions_by(in_cells, [IDENTITY])
        else:
            labelled = (
                in_wave
                if IDENTITY in in_wave.columns
                else in_wave.assign(**{IDENTITY: identity_groups(in_wave, codebook)})
            )
            sums = summed_conditions(labelled, codebook, by=[IDENTITY])
        by_identity, _ = _breakdown(sums, codebook, IDENTITY, min_n=min_n, settings=settings)
        by_identity[IDENTITY] = by_identity[IDENTITY].astype(str)
    return LeaderView(
        respondents=respondents,
        hidden=False,
        by_wave=by_wave,
        by_role=by_role,
        by_identity=by_identity,
        identity_gap=_identity_gap(by_identity),
    )


def _identity_gap(by_identity: pd.DataFrame) -> pd.DataFrame:
    shown = by_identity[by_identity[SUPPRESSED] == ""]
    yes = shown[shown[IDENTITY] == IDENTITY_YES].set_index("condition")
    other = shown[shown[IDENTITY] == IDENTITY_OTHER].set_index("condition")
    both = [c for c in dict.fromkeys(by_identity["condition"]) if c in yes.index and c in other.index]
    out = pd.DataFrame(
        {
            "condition": both,
            "condition_name": [yes.loc[c, "condition_name"] for c in both],
            "pct_yes": [float(yes.loc[c, "pct_favorable"]) for c in both],
            "pct_other": [float(other.loc[c, "pct_favorable"]) for c in both],
            "n_yes": [int(yes.loc[c, "n"]) for c in both],
            "n_other": [int(other.loc[c, "n"]) for c in both],
        }
    )
    out["difference"] = out["pct_yes"] - out["pct_other"]
    return out


def identity_answers(table: pd.DataFrame, *, group: str) -> pd.DataFrame:
    """Long table of Yes / Not sure / No shares for a stacked bar: shown rows of a leader-identity table only.

    Columns: ``group`` (the ``group`` column's values), ``answer`` (Yes, Not sure, No), ``order`` (0, 1, 2),
    ``share`` (0–100), ``count`` and ``n`` (valid answers in the group).
    """
    shown = table[table[SUPPRESSED] == ""]
    rows = []
    for order, (answer, suffix) in enumerate((("Yes", "yes"), ("Not sure", "unsure"), ("No", "no"))):
        part = pd.DataFrame(
            {
                "group": shown[group].astype(str).to_numpy(),
                "answer": answer,
                "order": order,
                "share": 100 * shown[f"share_{suffix}"].astype("float64").to_numpy(),
                "count": shown[f"n_{suffix}"].astype("int64").to_numpy(),
                "n": shown["n"].astype("int64").to_numpy(),
            }
        )
        rows.append(part)
    columns = ["group", "answer", "order", "share", "count", "n"]
    return pd.concat(rows, ignore_index=True)[columns] if rows else pd.DataFrame(columns=columns)


# --------------------------------------------------------------------------------------------------------------
# Display tables: readable headers, rounded figures as text, hidden rows say why instead of showing numbers


def _percent(values: pd.Series) -> pd.Series:
    """Whole percent, rounded half away from zero like every statement (so 28.5% reads 29% everywhere)."""
    return values.map(lambda v: "" if pd.isna(v) else f"{round_half_away(v)}%").astype("string")


def _points(values: pd.Series) -> pd.Series:
    """Signed whole points with a true minus sign; a change that rounds to zero reads 0, never +0 or −0."""
    return values.map(lambda v: "" if pd.isna(v) else signed(v, 0)).astype("string")


def _count(values: pd.Series) -> pd.Series:
    return values.astype("Int64").map(lambda v: "" if pd.isna(v) else f"{v:,}").astype("string")


def items_table(detail: ConditionDetail, *, min_n: int) -> pd.DataFrame:
    """The Conditions page's item table (the chart's text alternative): statement in full and its figures."""
    items = detail.items
    if items.empty:
        return pd.DataFrame()
    statement = items["text"] + np.where(items["reverse"], " (reverse-worded: disagreeing is favorable)", "")
    out = pd.DataFrame(
        {
            "Item": items["item"],
            "Statement": statement,
            "% favorable": _percent(items["pct_favorable"]),
            "% neutral": _percent(items["pct_neutral"]),
            "% unfavorable": _percent(items["pct_unfavorable"]),
            "Mean (1–5)": items["mean"].map(lambda m: "" if pd.isna(m) else f"{m:.2f}"),
            "n": _count(items["n"]),
            "Don't know / N/A": _count(items["n_nonsubstantive"]),
        }
    )
    if detail.compare is not None and "change" in items.columns:
        out[f"% favorable in {detail.compare}"] = _percent(items["pct_favorable_compare"])
        # The difference of the two percentages as shown, so the columns add up.
        after, before = (
            items[c].to_numpy(dtype="float64", na_value=np.nan) for c in ("pct_favorable", "pct_favorable_compare")
        )
        out["Change (points)"] = pd.array(
            [shown_difference(b, a) for b, a in zip(before, after, strict=True)], dtype="string"
        )
    out["Note"] = [hidden_reason(r, min_n) for r in items[SUPPRESSED]]
    return out.reset_index(drop=True)


def item_fit_table(detail: ConditionDetail) -> pd.DataFrame:
    """For analysts: each item's item–rest correlation (with the sum of the condition's other items, among complete
    answer sets), as the Conditions page's analysts' expander shows it; empty when there are no items."""
    items = detail.items
    if items.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "Item": items["item"],
            "Item–rest correlation (r)": items["item_rest"].map(lambda r: "" if pd.isna(r) else f"{r:.2f}"),
        }
    ).reset_index(drop=True)


def subgroup_table(
    view: SubgroupView, codebook: Codebook, *, metric: Metric = "pct_favorable", ranges: bool = True
) -> pd.DataFrame:
    """One row per group (the whole first): respondents, then each condition as "figure (gap)", and a note.

    With ``ranges`` each gap carries its likely range ("48% (−1; likely −7 to +4)"); without, the cell is short
    enough for a partner's table that fits the page ("48% (−1)").
    """
    if view.hidden:
        return pd.DataFrame()
    percent = metric == "pct_favorable"
    gap_column = "gap_favorable" if percent else "gap_mean"

    def cell(value: object, gap: object, low: object = None, high: object = None) -> str:
        if pd.isna(value):
            return ""
        figure = f"{value:.0f}%" if percent else f"{value:.2f}"
        if gap is None or pd.isna(gap):
            return figure
        rounded = round(float(gap), 0 if percent else 2) + 0.0  # + 0.0 turns a rounded -0 into 0
        text = f"{rounded:+.0f}" if percent else f"{rounded:+.2f}"
        if ranges and low is not None and not pd.isna(low):  # exploratory: the gap with its likely range
            decimals = 0 if percent else 2
            text = f"{text}; likely {signed(float(low), decimals)} to {signed(float(high), decimals)}"
        return f"{figure} ({text})"

    conditions = [c for c in codebook.conditions if c.id in set(view.table["condition"])]
    whole = view.whole.set_index("condition")
    rows = [
        {
            "Group": WHOLE,
            "Respondents": f"{view.respondents:,}",
            "Note": "",
            **{c.name: cell(whole.loc[c.id, metric], None) for c in conditions if c.id in whole.index},
        }
    ]
    table = view.table.set_index(["group", "condition"])
    for group, n, note in zip(view.groups["group"], view.groups["n"], view.groups["note"], strict=True):
        row = {"Group": group, "Respondents": "" if pd.isna(n) else f"{int(n):,}", "Note": note}
        hidden_cells = 0
        for c in conditions:
            if (group, c.id) not in table.index:
                row[c.name] = ""
                continue
            record = table.loc[(group, c.id)]
            hidden_cells += record[SUPPRESSED] != ""
            row[c.name] = cell(
                record[metric], record[gap_column], record.get(f"{gap_column}_low"), record.get(f"{gap_column}_high")
            )
        if not note and hidden_cells:
            row["Note"] = "some conditions hidden to protect confidentiality"
        rows.append(row)
    return pd.DataFrame(rows)


def leader_table(table: pd.DataFrame, *, group: str, title: str, min_n: int) -> pd.DataFrame:
    """Yes / Not sure / No, informal leaders and n per row of a leader-identity table; hidden rows say why."""
    if table.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            title: table[group].astype(str),
            "% Yes": _percent(100 * table["share_yes"].astype("Float64")),
            "% Not sure": _percent(100 * table["share_unsure"].astype("Float64")),
            "% No": _percent(100 * table["share_no"].astype("Float64")),
            # Short headers, so the table fits beside the page's metrics (which explain informal leaders).
            "% informal leaders": _percent(100 * table["share_informal"].astype("Float64")),
            "Informal, % of Yes": _percent(100 * table["share_informal_of_yes"].astype("Float64")),
            "n": _count(table["n"]),
            "Note": [hidden_reason(r, min_n) for r in table[SUPPRESSED]],
        }
    ).reset_index(drop=True)


def identity_table(view: LeaderView, *, min_n: int) -> pd.DataFrame:
    """Percent favorable per condition among those answering Yes and among the others, and the difference."""
    if view.hidden:
        return pd.DataFrame()
    table = view.by_identity
    conditions = list(dict.fromkeys(table["condition"]))
    names = table.drop_duplicates("condition").set_index("condition")["condition_name"]
    out = pd.DataFrame({"Condition": names.reindex(conditions).to_numpy()})
    notes = []
    for name, label in ((IDENTITY_YES, "Yes"), (IDENTITY_OTHER, "No or not sure")):
        part = table[table[IDENTITY] == name].set_index("condition").reindex(conditions)
        out[f"% favorable ({label})"] = _percent(part["pct_favorable"]).to_numpy()
        out[f"n ({label})"] = _count(part["n"]).to_numpy()
        notes.append(
            [f"{label}: {hidden_reason(r, min_n)}" if isinstance(r, str) and r else "" for r in part[SUPPRESSED]]
        )
    gap = view.identity_gap.set_index("condition")["difference"] if len(view.identity_gap) else pd.Series()
    out["Difference (points)"] = _points(gap.reindex(conditions)).to_numpy()
    out["Note"] = ["; ".join(note for note in pair if note) for pair in zip(*notes, strict=True)]
    return out


__all__ = [
    "ALPHA_FLOOR",
    "IDENTITY",
    "WHOLE",
    "ConditionDetail",
    "LeaderView",
    "Reliability",
    "SchoolsView",
    "SubgroupView",
    "attribute_info",
    "condition_detail",
    "hidden_reason",
    "identity_answers",
    "identity_table",
    "item_fit_table",
    "items_table",
    "leader_table",
    "leader_view",
    "school_detail",
    "school_matrix",
    "schools_view",
    "subgroup_attributes",
    "subgroup_cells",
    "subgroup_table",
    "subgroup_view",
    "with_gap_intervals",
]

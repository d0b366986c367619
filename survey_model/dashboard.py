"""Display-ready, privacy-safe tables for the dashboard's pages.

Each function takes the organization's responses frame (all waves) and the current selection, and returns
tables that have already been through :func:`survey_model.privacy.suppress`. Pages only draw what they get, so a
page cannot show a figure the privacy rules hide. Kept free of Streamlit so it is tested directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from survey_model import release
from survey_model.codebook import Codebook
from survey_model.intervals import wilson_interval
from survey_model.privacy import restrict, suppress
from survey_model.release import WITHHELD
from survey_model.responses import WAVE
from survey_model.scoring import (
    condition_columns,
    condition_summary,
    finish_conditions,
    finish_leader,
    index_from_conditions,
    index_summary,
    leader_identity,
    with_condition_names,
)
from survey_model.settings import Settings, StageBand
from survey_model.shifts import ShiftReport, compare_waves, trend
from survey_model.tallies import RESPONDENTS, Tallies


@dataclass(frozen=True)
class Overview:
    """Everything the Overview page shows for one selection."""

    respondents: int
    """Respondents in the selection for the chosen wave (shown only when at least ``min_n``)."""
    hidden: bool
    """True when the whole selection is below the minimum n: the page shows no figure at all."""
    index: pd.DataFrame
    """Collective Leadership Index per wave (``wave``, ``n``, ``index``, ``index_<group>``), suppressed."""
    leader: pd.DataFrame | None
    """Leader identity per wave (see :func:`survey_model.scoring.leader_identity`) with the Wilson 95% interval of
    ``share_yes`` (``ci_low``, ``ci_high``), suppressed; ``None`` when the codebook has no leader-identity block
    or the waves lack its item."""
    conditions: pd.DataFrame
    """Condition summary for the chosen wave with ``condition_name`` and ``group_name``, suppressed."""


def overview(
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    wave: str,
    restriction: Mapping[str, str | None] | None = None,
    settings: Settings | None = None,
    tallies: Tallies | None = None,
) -> Overview:
    """Index, leader identity and conditions for one wave of a selection (all waves for the trend rows).

    Parameters
    ----------
    frame : DataFrame
        The organization's responses, all waves (``wave`` column).
    codebook : Codebook
        The instrument.
    wave : str
        The wave whose conditions are shown.
    restriction : mapping, optional
        Column → value filters such as ``{"school": "Oak Elementary", "role": None}``.
    settings : Settings, optional
        Thresholds; defaults to ``Settings()``.
    tallies : Tallies, optional
        ``frame`` tallied by :func:`survey_model.tallies.tally`: when the selection is made of its cells, the
        figures are added up from them instead of from the respondents (same figures, a fraction of the time).
    """
    settings = settings or Settings()
    restriction = dict(restriction or {})
    min_n = settings.min_n
    bands = settings.stage_bands
    if tallies is not None and tallies.covers(restriction):
        index, leader, conditions, respondents = _overview_from_tallies(
            tallies, codebook, wave, restriction, min_n, bands
        )
    else:
        index, leader, conditions, respondents = _overview_from_rows(frame, codebook, wave, restriction, min_n, bands)
    index = suppress(index, keys=[WAVE], min_n=min_n)
    if leader is not None:
        answered = leader["n"].to_numpy() > 0  # a wave may have no valid answer at all; it is hidden anyway
        leader["ci_low"], leader["ci_high"] = np.nan, np.nan
        if answered.any():
            low, high = wilson_interval(leader["n_yes"].to_numpy()[answered], leader["n"].to_numpy()[answered])
            leader.loc[answered, "ci_low"], leader.loc[answered, "ci_high"] = low, high
        leader = suppress(leader, keys=[WAVE], min_n=min_n)
    conditions = with_condition_names(suppress(conditions, keys=["condition"], min_n=min_n), codebook)
    return Overview(
        respondents=respondents, hidden=respondents < min_n, index=index, leader=leader, conditions=conditions
    )


_Parts = tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame, int]
"""Index by wave, leader identity by wave (or ``None``), the chosen wave's conditions, its respondents; unsuppressed."""


def _overview_from_rows(
    frame: pd.DataFrame,
    codebook: Codebook,
    wave: str,
    restriction: dict[str, str | None],
    min_n: int,
    bands: Sequence[StageBand],
) -> _Parts:
    leader_items = (codebook.leader.item, codebook.leader.formal_role_item) if codebook.leader else ()
    needed = [WAVE, *restriction, *leader_items, *condition_columns(frame, codebook)]
    narrow = frame[[column for column in dict.fromkeys(needed) if column in frame.columns]]
    selected = restrict(narrow, restriction, min_n=min_n)
    in_wave = selected[selected[WAVE] == wave]
    index = index_summary(selected, codebook, by=[WAVE])
    leader = None
    if codebook.leader is not None and codebook.leader.item in selected.columns:
        leader = leader_identity(selected, codebook, by=[WAVE])
    conditions = condition_summary(in_wave, codebook, bands=bands)
    return index, leader, conditions, len(in_wave)


def _overview_from_tallies(
    tallies: Tallies,
    codebook: Codebook,
    wave: str,
    restriction: dict[str, str | None],
    min_n: int,
    bands: Sequence[StageBand],
) -> _Parts:
    cells = tallies.shown(restriction, min_n=min_n)
    by_wave = finish_conditions(tallies.conditions_by(cells, [WAVE]), by=[WAVE])
    index = index_from_conditions(by_wave, codebook, by=[WAVE])
    leader = finish_leader(tallies.leader_by(cells, [WAVE]), by=[WAVE]) if tallies.leader else None
    in_wave = cells[(cells[WAVE] == wave).to_numpy(dtype=bool)]
    conditions = finish_conditions(tallies.conditions_by(in_wave, []), bands=bands)
    return index, leader, conditions, int(in_wave[RESPONDENTS].sum())


def filter_options(frame: pd.DataFrame, codebook: Codebook) -> dict[str, list[str]]:
    """Values offered by the school, school-level and role filters, in the codebook's order where it has one."""
    options: dict[str, list[str]] = {}
    for attribute_id in ("school", "school_level", "role"):
        if attribute_id not in frame.columns:
            options[attribute_id] = []
            continue
        present = {str(value) for value in frame[attribute_id].dropna().unique()} - {"", WITHHELD}
        declared = codebook.attribute(attribute_id).options if attribute_id in codebook.attribute_ids else ()
        ordered = [value for value in declared if value in present]
        options[attribute_id] = ordered + sorted(present - set(ordered))
    return options


SCHOOL_GROUP = release.SCHOOL_GROUP
"""Column of cohort/comparison groups: the released frame carries it (:mod:`survey_model.release`)."""


@dataclass(frozen=True)
class ShiftsView:
    """Everything the Shifts page shows for one selection and pair of waves."""

    from_wave: str
    to_wave: str
    report: ShiftReport
    """The whole selection: leader identity, conditions and items, with the matched analysis."""
    trend: pd.DataFrame
    """Per-wave estimates with intervals over every wave of the selection (see :func:`survey_model.shifts.trend`)."""
    by_school: ShiftReport | None
    """Conditions and leader identity per school (``None`` when one school is selected)."""
    by_group: ShiftReport | None
    """Schools compared by :attr:`compare_by`: cohort vs comparison schools, or one school attribute's values
    (``None`` when no school carries a value)."""
    group_trend: pd.DataFrame | None
    """Per-wave leader identity and conditions per group of :attr:`compare_by`, with intervals."""
    compare_by: str = SCHOOL_GROUP
    """The column schools are compared by: :data:`SCHOOL_GROUP` (primary rules for leader identity) or a school
    list attribute ``school:<name>`` (exploratory: *likely higher*, *likely lower*, *could be no change*)."""


def with_school_groups(frame: pd.DataFrame, groups: Mapping[str, str]) -> pd.DataFrame:
    """The frame with a :data:`SCHOOL_GROUP` column (``cohort``, ``comparison`` or missing) from school names.

    A released frame already carries the released groups (a pool of small schools from several groups has none):
    they are kept, with withheld groups as missing.
    """
    if SCHOOL_GROUP in frame.columns:
        released = frame[SCHOOL_GROUP].astype("string")
        return frame.assign(**{SCHOOL_GROUP: released.mask(released.isin([WITHHELD, ""]))})
    if "school" not in frame.columns:
        return frame.assign(**{SCHOOL_GROUP: pd.NA})
    mapped = frame["school"].astype("string").map({name: group or pd.NA for name, group in groups.items()})
    return frame.assign(**{SCHOOL_GROUP: mapped})


def school_comparisons(frame: pd.DataFrame, restriction: Mapping[str, str | None] | None = None) -> tuple[str, ...]:
    """The school list's attributes (``school:<name>`` columns of a released frame) schools can be compared by on
    Shifts: those with a published value other than ``(withheld)``, not fixed by a filter, sorted by name."""
    fixed = {column for column, value in (restriction or {}).items() if value is not None}
    return tuple(
        sorted(
            str(column)
            for column in frame.columns
            if str(column).startswith(release.LISTED_PREFIX)
            and column not in fixed
            and set(frame[column].dropna().astype(str).unique()) - {WITHHELD, ""}
        )
    )


def _by_attribute(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows that carry a published value of ``column``: ``(withheld)`` pools and missing values dropped, as
    breakdowns do (they still count in the selection's own figures)."""
    values = frame[column].astype("string")
    keep = values.notna() & ~values.isin([WITHHELD, ""])
    return frame[keep.to_numpy(dtype=bool)]


def shifts_report(
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    from_wave: str,
    to_wave: str,
    restriction: Mapping[str, str | None] | None = None,
    settings: Settings | None = None,
) -> ShiftReport:
    """The selection's own comparison of two waves: :attr:`ShiftsView.report` without the breakdowns.

    For a page that words one change (the Overview's leader-identity line): the same report as the Shifts page's,
    so the same words, without comparing every school and school group too.
    """
    settings = settings or Settings()
    restriction = dict(restriction or {})
    selected = restrict(frame, restriction, min_n=settings.min_n)
    pair = selected[selected[WAVE].isin([from_wave, to_wave])]
    return _selection_report(
        pair, codebook, from_wave=from_wave, to_wave=to_wave, restriction=restriction, min_n=settings.min_n
    )


def _selection_report(
    pair: pd.DataFrame,
    codebook: Codebook,
    *,
    from_wave: str,
    to_wave: str,
    restriction: Mapping[str, str | None],
    min_n: int,
) -> ShiftReport:
    # The same educators in both waves: only for whole cells (role = All), where the release decision checked the
    # linked / not linked split; under a role filter it would cross two attributes.
    matched = restriction.get("role") is None
    return compare_waves(pair, codebook, from_wave=from_wave, to_wave=to_wave, min_n=min_n, matched=matched)


def _compare_schools(
    selected: pd.DataFrame,
    codebook: Codebook,
    from_wave: str,
    to_wave: str,
    restriction: Mapping[str, str | None],
    compare_by: str,
    school_groups: Mapping[str, str] | None,
    min_n: int,
) -> tuple[ShiftReport | None, pd.DataFrame | None]:
    if restriction.get("school"):
        return None, None
    if compare_by == SCHOOL_GROUP:
        marked = {name: group for name, group in (school_groups or {}).items() if group}
        grouped = with_school_groups(selected, marked)
        grouped = grouped[grouped[SCHOOL_GROUP].notna().to_numpy(dtype=bool)]
    elif compare_by in school_comparisons(selected, restriction):
        grouped = _by_attribute(selected, compare_by)
    else:
        return None, None
    if grouped.empty:
        return None, None
    grouped_pair = grouped[grouped[WAVE].isin([from_wave, to_wave])]
    by_group = compare_waves(
        grouped_pair,
        codebook,
        from_wave=from_wave,
        to_wave=to_wave,
        by=[compare_by],
        primary_groups=compare_by == SCHOOL_GROUP,
        min_n=min_n,
        items=False,
        matched=False,
    )
    return by_group, trend(grouped, codebook, by=[compare_by], min_n=min_n)


def school_comparison(
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    from_wave: str,
    to_wave: str,
    compare_by: str,
    restriction: Mapping[str, str | None] | None = None,
    school_groups: Mapping[str, str] | None = None,
    settings: Settings | None = None,
) -> tuple[ShiftReport | None, pd.DataFrame | None]:
    """Only the schools comparison of :func:`shifts_view` (:attr:`ShiftsView.by_group` and
    :attr:`ShiftsView.group_trend`) for ``compare_by``, without the selection's own report: for the auditor, which
    walks every attribute. ``(None, None)`` when one school is chosen or no school carries a published value."""
    settings = settings or Settings()
    restriction = dict(restriction or {})
    selected = restrict(frame, restriction, min_n=settings.min_n)
    return _compare_schools(
        selected, codebook, from_wave, to_wave, restriction, compare_by, school_groups, settings.min_n
    )


def shifts_view(
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    from_wave: str,
    to_wave: str,
    restriction: Mapping[str, str | None] | None = None,
    school_groups: Mapping[str, str] | None = None,
    settings: Settings | None = None,
    compare_by: str = SCHOOL_GROUP,
) -> ShiftsView:
    """Changes between two waves for a selection: overall, per school, and schools compared by ``compare_by``.

    ``compare_by`` is :data:`SCHOOL_GROUP` (cohort vs comparison schools; leader identity in each group follows
    the primary-measure rules) or one of :func:`school_comparisons` (``school:title_i``: Title I schools vs
    others; exploratory, so never *clear*). Rows whose value is ``(withheld)`` (a pool of small schools whose
    values differ) or missing are left out of that comparison only.

    Every table comes from :mod:`survey_model.shifts`, which hides any comparison with fewer than
    ``settings.min_n`` respondents in either wave (complementary suppression across schools and groups) and
    corrects each report's comparisons for false discoveries.
    """
    settings = settings or Settings()
    restriction = dict(restriction or {})
    selected = restrict(frame, restriction, min_n=settings.min_n)
    pair = selected[selected[WAVE].isin([from_wave, to_wave])]
    min_n = settings.min_n
    report = _selection_report(
        pair, codebook, from_wave=from_wave, to_wave=to_wave, restriction=restriction, min_n=min_n
    )
    by_school = None
    if not restriction.get("school") and "school" in selected.columns:
        by_school = compare_waves(
            pair[(pair["school"] != WITHHELD).to_numpy(dtype=bool)],  # a pool of small schools is no school
            codebook,
            from_wave=from_wave,
            to_wave=to_wave,
            by=["school"],
            min_n=min_n,
            items=False,
            matched=False,
        )
    by_group, group_trend = _compare_schools(
        selected, codebook, from_wave, to_wave, restriction, compare_by, school_groups, min_n
    )
    return ShiftsView(
        from_wave=from_wave,
        to_wave=to_wave,
        report=report,
        trend=trend(selected, codebook, min_n=min_n),
        by_school=by_school,
        by_group=by_group,
        group_trend=group_trend,
        compare_by=compare_by,
    )


__all__ = [
    "SCHOOL_GROUP",
    "Overview",
    "ShiftsView",
    "filter_options",
    "overview",
    "school_comparison",
    "school_comparisons",
    "shifts_report",
    "shifts_view",
    "with_school_groups",
]

"""The facilitator's slide deck, as plain data built from the results: no Streamlit, no file format.

:func:`build_deck` turns an organization's responses (or one school's) into a :class:`Deck` of :class:`Slide`
objects: a title, the leader-identity headline and its shift, the conditions snapshot, the biggest gains, where
to focus, a breakdown by school (or by role inside one school), a data-dialogue protocol and a note on how the
numbers are made. The Workshop page steps through it; :mod:`survey_model.reports` writes it to PowerPoint.

The rules every slide follows:

* **Privacy.** Every figure comes from a table passed through :func:`survey_model.privacy.suppress` (or from
  :mod:`survey_model.shifts`, which applies the same rule). A hidden group never appears on a slide, in a chart
  table or in the facilitator notes, not even by name; slides only say how many groups are not shown.
* **Change claims come from the shifts module.** A change is called a gain only when its verdict is *clear
  increase*, and every change sentence is :func:`~survey_model.shifts.impact_statement`, so a relative change
  ("32% more educators") always comes with its interval and the n of both waves. All comparisons between the two
  waves form one false-discovery-rate family, as on the Shifts page.
* **Where to focus** is the lowest percent favorable in the latest wave (conditions and items), with n.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from survey_model.codebook import Codebook
from survey_model.dashboard import SCHOOL_GROUP, with_school_groups
from survey_model.privacy import SUPPRESSED, hidden_message, restrict, suppress
from survey_model.responses import WAVE
from survey_model.roster import ResponseRate, rate_text, response_rates
from survey_model.scoring import condition_summary, index_summary, item_summary, leader_identity
from survey_model.settings import Settings
from survey_model.shifts import (
    CLEAR_DECREASE,
    CLEAR_INCREASE,
    CONDITIONS,
    LIKELY_HIGHER,
    LIKELY_LOWER,
    TOO_FEW,
    Shift,
    ShiftReport,
    compare_waves,
    displayed_shift,
    impact_statement,
    round_half_away,
    trend,
)
from survey_model.shifts.display import measure_statements

__all__ = [
    "LOWEST_CONDITIONS",
    "LOWEST_ITEMS",
    "MAX_GROUPS",
    "PROTOCOL",
    "WHOLE_ORGANIZATION",
    "Deck",
    "Figure",
    "FigureKind",
    "Slide",
    "build_deck",
]

FigureKind = Literal["leader_trend", "conditions", "changes", "lowest_items", "breakdown", "drivers"]

#: A common data-dialogue protocol (notice → wonder → explain → act), one question per step.
PROTOCOL: tuple[tuple[str, str], ...] = (
    ("Notice", "What do you notice?"),
    ("Wonder", "What do you wonder?"),
    ("Explain", "What might explain this?"),
    ("Act", "What will we try next?"),
)
WHOLE_ORGANIZATION = "Whole organization"
LOWEST_CONDITIONS = 3
LOWEST_ITEMS = 5
MAX_GROUPS = 12


@dataclass(frozen=True, eq=False)
class Figure:
    """A chart as data: what to draw (``kind``) and the rows privacy rules allow to be shown.

    The chart builders in ``survey_model/charts/deck.py`` turn it into an Altair chart; ``table`` never holds a
    hidden group.
    """

    kind: FigureKind
    """``"leader_trend"``: ``wave``, ``share_yes``, ``share_unsure`` (0–1), ``n``, ``n_yes``, ``ci_low``,
    ``ci_high``. ``"conditions"``: ``condition_name``, ``group_name``, ``pct_favorable``, ``pct_neutral``,
    ``pct_unfavorable`` (0–100), ``n``, ``n_responses``, ``stage``. ``"changes"``: ``label``, ``estimate1``,
    ``estimate2`` (0–100) and ``diff`` (percentage points) rounded as the statements show them, so ``diff`` is
    ``estimate2 − estimate1``; ``diff_lo``, ``diff_hi`` (the unrounded interval), ``n1``, ``n2``.
    ``"lowest_items"``: ``label``, ``item``, ``pct_favorable``, ``pct_neutral``, ``pct_unfavorable``, ``n``.
    ``"breakdown"``: ``group``, ``group_label``, ``condition_name``, ``pct_favorable``, ``n``, ``stage``.
    ``"drivers"``: the rows of :func:`survey_model.analytics.focus.focus_slide` with ``n`` (respondents)."""
    table: pd.DataFrame
    title: str
    subtitle: str = ""
    description: str = ""
    """Text alternative: what the chart shows, in words, for screen readers and slide alt text."""
    edges: tuple[float, ...] = ()
    """Reference values drawn as dashed lines, e.g. the stage band edges (50, 70, 85) on percent favorable."""


@dataclass(frozen=True, eq=False)
class Slide:
    """One slide: big title, a headline sentence, a few points, a chart, a discussion prompt and speaker notes."""

    key: str
    """Stable id: ``title``, ``leader``, ``conditions``, ``gains``, ``focus``, ``breakdown``, ``dialogue``,
    ``about`` or ``too_few``."""
    title: str
    headline: str = ""
    points: tuple[str, ...] = ()
    figure: Figure | None = None
    prompt: str = ""
    """The data-dialogue question for this slide (see :data:`PROTOCOL`)."""
    notes: str = ""
    """Facilitator notes (speaker notes in PowerPoint): how to read the slide, full statements, cautions."""

    def text(self) -> str:
        """Everything written on the slide and in its notes, one block (for search and privacy checks)."""
        parts = [self.title, self.headline, *self.points, self.prompt, self.notes]
        if self.figure is not None:
            parts += [self.figure.title, self.figure.subtitle, self.figure.description]
        return "\n".join(part for part in parts if part)


@dataclass(frozen=True, eq=False)
class Deck:
    """A workshop deck for one organization (or one school) and one or two waves."""

    org_name: str
    scope: str
    """:data:`WHOLE_ORGANIZATION` or the school's name."""
    waves: tuple[str, ...]
    """Waves covered, oldest first; changes are between the first and the last."""
    min_n: int
    slides: tuple[Slide, ...] = field(default=())

    @property
    def title(self) -> str:
        """The deck's title, e.g. for a file name or the first slide."""
        return self.slides[0].title if self.slides else self.org_name

    def slide_keys(self) -> list[str]:
        """Slide keys in order."""
        return [slide.key for slide in self.slides]

    def slide(self, key: str) -> Slide:
        """The slide with this key."""
        for slide in self.slides:
            if slide.key == key:
                return slide
        raise KeyError(f"the deck has no {key!r} slide (slides: {self.slide_keys()})")


# --------------------------------------------------------------------------------------------------------------
# numbers in words


def _whole(value: float) -> int:
    """Round half away from zero, as the impact statements do (so 40.5% reads 41% everywhere)."""
    return round_half_away(value)


def _pct(value: float) -> str:
    """A 0–100 figure as '41%'."""
    return f"{_whole(value)}%"


def _share(value: float) -> str:
    """A 0–1 share as '41%'."""
    return _pct(100 * value)


def _count(n: object) -> str:
    return f"{int(n):,}"


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


# --------------------------------------------------------------------------------------------------------------
# the deck


@dataclass(frozen=True)
class _Context:
    """What every slide builder needs."""

    codebook: Codebook
    org_name: str
    scope: str
    waves: tuple[str, ...]
    selected: pd.DataFrame
    """The scope's responses in the chosen waves."""
    latest: pd.DataFrame
    """The scope's responses in the latest chosen wave."""
    settings: Settings
    report: ShiftReport | None
    """The :class:`~survey_model.shifts.ShiftReport` from the first to the last wave, or ``None``."""
    by_group: ShiftReport | None
    """The same by school group (cohort and comparison schools), or ``None`` when none are marked or one school."""
    since_previous: ShiftReport | None
    """From the wave before the latest to the latest, when the deck's changes start earlier (else ``None``)."""
    counts: dict[str, int]
    """Respondents per chosen wave in the scope."""
    rates: Mapping[str, ResponseRate | None] = field(default_factory=dict)
    """The scope's response rate per chosen wave (:mod:`survey_model.roster`), ``None`` where it has none."""

    @property
    def min_n(self) -> int:
        return self.settings.min_n

    @property
    def last(self) -> str:
        return self.waves[-1]

    @property
    def first(self) -> str | None:
        return self.waves[0] if len(self.waves) > 1 else None

    def shifts(self, measure: str) -> list[Shift]:
        if self.report is None:
            return []
        return [shift for shift in self.report.shifts if shift.measure == measure]


def build_deck(
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    org_name: str,
    waves: Sequence[str],
    school: str | None = None,
    school_groups: Mapping[str, str] | None = None,
    settings: Settings | None = None,
    rosters: Mapping[str, Mapping[str, int]] | None = None,
) -> Deck:
    """The workshop deck for one organization (or one of its schools) and one or two waves.

    Parameters
    ----------
    frame : DataFrame
        The organization's responses, all waves (``wave`` column; see :mod:`survey_model.responses`).
    codebook : Codebook
        The instrument.
    org_name : str
        Shown on the title slide.
    waves : sequence of str
        One or more wave labels; they are put in the frame's wave order, and changes are reported from the
        earliest to the latest chosen wave (a single wave gives a snapshot without change slides).
    school : str, optional
        Limit the deck to one school (the breakdown slide is then by role); ``None`` for the whole organization
        (breakdown by school).
    school_groups : mapping of str to str, optional
        School name → ``cohort`` or ``comparison`` (:meth:`survey_model.store.Store.school_groups`): the leader
        slide of a whole-organization deck then says how leader identity changed in each group.
    settings : Settings, optional
        Minimum n and stage bands; defaults to ``Settings()``.
    rosters : mapping, optional
        Wave label → school → educators (:meth:`survey_model.store.Store.rosters`): the title slide then gives
        each wave's response rate where it may be shown (:func:`survey_model.roster.response_rates`), flagged
        when low.

    Returns
    -------
    Deck
        Slides whose figures, words and notes respect the minimum-n rule.
    """
    settings = settings or Settings()
    chosen = _wave_order(frame, waves)
    scoped = restrict(frame, {"school": school}, min_n=settings.min_n) if school else frame
    selected = scoped[scoped[WAVE].isin(chosen)]
    counts = {wave: int((selected[WAVE] == wave).sum()) for wave in chosen}
    latest = selected[selected[WAVE] == chosen[-1]]
    report = None
    if len(chosen) > 1 and min(counts[chosen[0]], counts[chosen[-1]]) >= settings.min_n:
        report = compare_waves(
            selected, codebook, from_wave=chosen[0], to_wave=chosen[-1], min_n=settings.min_n, matched=False
        )
    by_group = None
    marked = {name: group for name, group in (school_groups or {}).items() if group}
    if report is not None and marked and not school:
        grouped = with_school_groups(selected[selected[WAVE].isin([chosen[0], chosen[-1]])], marked)
        grouped = grouped[grouped[SCHOOL_GROUP].notna().to_numpy(dtype=bool)]
        if not grouped.empty:
            by_group = compare_waves(
                grouped,
                codebook,
                from_wave=chosen[0],
                to_wave=chosen[-1],
                by=[SCHOOL_GROUP],
                primary_groups=True,
                min_n=settings.min_n,
                items=False,
                matched=False,
            )
    since_previous = None
    every_wave = _wave_order(frame, frame[WAVE].dropna().astype(str).unique().tolist())
    position = every_wave.index(chosen[-1])
    if report is not None and position > 0 and every_wave[position - 1] != chosen[0]:
        pair = scoped[scoped[WAVE].isin([every_wave[position - 1], chosen[-1]])]
        since_previous = compare_waves(
            pair,
            codebook,
            from_wave=every_wave[position - 1],
            to_wave=chosen[-1],
            min_n=settings.min_n,
            items=False,
            matched=False,
        )
    context = _Context(
        codebook=codebook,
        org_name=org_name,
        scope=school or WHOLE_ORGANIZATION,
        waves=tuple(chosen),
        selected=selected,
        latest=latest,
        settings=settings,
        report=report,
        by_group=by_group,
        since_previous=since_previous,
        counts=counts,
        rates={wave: response_rates(frame, (rosters or {}).get(wave, {}), wave=wave).of(school) for wave in chosen},
    )
    slides: list[Slide | None] = [_title_slide(context)]
    if counts[chosen[-1]] < settings.min_n:
        slides.append(_too_few_slide(context))
    else:
        slides += [
            _leader_slide(context),
            _conditions_slide(context),
            _gains_slide(context),
            _focus_slide(context),
            _drivers_slide(context),
            _breakdown_slide(context, by="role" if school else "school"),
            _dialogue_slide(context),
        ]
    slides.append(_about_slide(context))
    return Deck(
        org_name=org_name,
        scope=context.scope,
        waves=context.waves,
        min_n=settings.min_n,
        slides=tuple(slide for slide in slides if slide is not None),
    )


def _drivers_slide(context: _Context) -> Slide | None:
    """Where to focus: which conditions go with seeing oneself as a leader (:mod:`survey_model.analytics`).

    The analysis says in its own words when the latest wave cannot carry it (too few answers of either kind).
    """
    if context.codebook.leader is None:
        return None
    from survey_model.analytics.drivers import drivers
    from survey_model.analytics.focus import focus_slide
    from survey_model.analytics.release import released_rows

    wave = context.waves[-1]
    rows = released_rows(context.selected, {}, wave=wave, min_n=context.settings.min_n)
    content = focus_slide(drivers(rows, context.codebook), wave=wave)
    figure = None
    if not content.table.empty:
        figure = Figure(
            kind="drivers",
            table=content.table.assign(n=content.n),
            title=content.chart_title,
            subtitle=content.chart_subtitle,
            description=content.description,
        )
    return Slide(
        key=content.key,
        title=content.title,
        headline=content.headline,
        points=content.points,
        prompt=content.prompt,
        notes=content.notes,
        figure=figure,
    )


def _wave_order(frame: pd.DataFrame, waves: Sequence[str]) -> list[str]:
    if WAVE not in frame.columns:
        raise ValueError("the responses frame has no 'wave' column")
    if isinstance(waves, str):
        raise ValueError("waves must be a sequence of wave labels, e.g. ['2024 Spring', '2026 Spring']")
    if not waves:
        raise ValueError("choose at least one wave")
    column = frame[WAVE]
    order = [str(w) for w in column.cat.categories] if isinstance(column.dtype, pd.CategoricalDtype) else []
    present = set(column.dropna().astype(str))
    order = [w for w in order if w in present] + sorted(present - set(order))
    unknown = [w for w in waves if w not in present]
    if unknown:
        raise ValueError(f"wave(s) {unknown} are not in the responses (waves: {order})")
    return [w for w in order if w in set(waves)]


def _scope_words(context: _Context) -> str:
    return context.org_name if context.scope == WHOLE_ORGANIZATION else f"{context.scope}, {context.org_name}"


def _waves_words(context: _Context) -> str:
    return f"{context.first} and {context.last}" if context.first else context.last


# --------------------------------------------------------------------------------------------------------------
# slides


def _title_slide(context: _Context) -> Slide:
    respondents = []
    for wave, n in context.counts.items():
        shown = _count(n) if n >= context.min_n else f"fewer than {context.min_n}"
        rate = context.rates.get(wave)
        if rate is not None and n >= context.min_n:
            shown += f" respondents, {rate_text(rate, threshold=context.settings.low_response_rate)}"
        else:
            shown += " respondents"
        respondents.append(f"{wave}: {shown}")
    notes = (
        f"This deck shows results of the {context.codebook.name} survey for {_scope_words(context)} "
        f"({_waves_words(context)}). Start by agreeing on norms: the data describe conditions in our schools, "
        "not individual people, and every number is a starting point for questions, not a verdict. "
        f"No figure describes fewer than {context.min_n} respondents: smaller groups are left out of every slide. "
        "Plan about five minutes per results slide and fifteen for the dialogue at the end."
    )
    return Slide(
        key="title",
        title=context.org_name if context.scope == WHOLE_ORGANIZATION else context.scope,
        headline=f"{context.codebook.name}: {_waves_words(context)}",
        points=(
            f"Scope: {context.scope if context.scope == WHOLE_ORGANIZATION else context.scope + ' (one school)'}",
            *respondents,
        ),
        prompt="What do we hope to learn today?",
        notes=notes,
    )


def _too_few_slide(context: _Context) -> Slide:
    return Slide(
        key="too_few",
        title="Too few responses to show",
        headline=f"In {context.last}, {_scope_words(context)} has {hidden_message(context.min_n)}.",
        points=("Choose the whole organization or another wave.",),
        notes="No figure is shown for this selection, to protect the confidentiality of the few who answered.",
    )


def _leader_table(context: _Context) -> pd.DataFrame:
    """Leader identity per chosen wave, suppressed, with the Wilson interval from :func:`trend`."""
    shares = suppress(leader_identity(context.selected, context.codebook, by=[WAVE]), keys=[WAVE], min_n=context.min_n)
    shares[WAVE] = shares[WAVE].astype("string")
    shares = shares[shares[WAVE].isin(context.waves)]
    intervals = trend(context.selected, context.codebook, waves=list(context.waves), min_n=context.min_n)
    intervals = intervals[(intervals["measure"] == "leader_identity") & (intervals[SUPPRESSED] == "")]
    merged = shares.merge(
        intervals[["wave", "ci_lo", "ci_hi"]].rename(columns={"ci_lo": "ci_low", "ci_hi": "ci_high"}),
        on=WAVE,
        how="left",
    )
    order = {wave: i for i, wave in enumerate(context.waves)}
    return merged.sort_values(WAVE, key=lambda s: s.map(order)).reset_index(drop=True)


def _leader_slide(context: _Context) -> Slide | None:
    leader = context.codebook.leader
    if leader is None or leader.item not in context.selected.columns:
        return None
    table = _leader_table(context)
    shown = table[table[SUPPRESSED] == ""]
    now = shown[shown[WAVE] == context.last]
    if now.empty:
        headline = f"Leader identity in {context.last}: {hidden_message(context.min_n)}."
        points: list[str] = []
    else:
        row = now.iloc[0]
        headline = (
            f"{_share(row['share_yes'])} of educators consider themselves leaders in {context.last} "
            f"(n = {_count(row['n'])})."
        )
        points = [f"Not sure: {_share(row['share_unsure'])}."]
        if leader.formal_role_item and leader.formal_role_item in context.selected.columns:
            points.append(
                f"Leaders without a formal leadership role (informal leaders): {_share(row['share_informal'])}."
            )
    change = ""
    shifts = context.shifts("leader_identity")
    if shifts:
        change = impact_statement(shifts[0], unit="educators")
        points.insert(0, change)
    elif context.first:
        change = f"The change since {context.first} cannot be shown: too few responses in a wave."
        points.insert(0, change)
    if context.by_group is not None:
        points[1:1] = measure_statements(context.by_group.to_frame(), measure="leader_identity")
    if context.since_previous is not None:
        previous = [shift for shift in context.since_previous.shifts if shift.measure == "leader_identity"]
        if previous:
            points.append(
                f"Since the previous wave, {context.since_previous.from_wave}: "
                + impact_statement(previous[0], unit="educators")
            )
    hidden_waves = [wave for wave in table.loc[table[SUPPRESSED] != "", WAVE]]
    figure = None
    if not shown.empty:
        figure = Figure(
            kind="leader_trend",
            table=shown.drop(columns=[SUPPRESSED]).reset_index(drop=True),
            title="Educators who consider themselves leaders",
            subtitle="% answering Yes among valid answers; bars show the likely range (95% interval)",
            description="; ".join(
                f"{r[WAVE]}: {_share(r['share_yes'])} Yes (n = {_count(r['n'])})" for _, r in shown.iterrows()
            ),
        )
    notes = [
        "The headline item asks: “Do you consider yourself a leader in your school?”. The share counts Yes among "
        "everyone who gave a valid answer; Not sure is a valid answer that is not Yes, shown separately. "
        "Prefer-not-to-answer is left out.",
    ]
    if change:
        notes.append(f"In full: {change}")
        notes.append(
            "Leader identity is the deck's primary measure: a change is called clear only when its likely range "
            "(95% interval) excludes zero; otherwise say “no clear change”, however the bars look."
        )
    if hidden_waves:
        notes.append(f"Not shown for {', '.join(hidden_waves)}: {hidden_message(context.min_n)}.")
    return Slide(
        key="leader",
        title="Do educators see themselves as leaders?",
        headline=headline,
        points=tuple(points),
        figure=figure,
        prompt="What do you notice about who sees themselves as a leader, and who does not yet?",
        notes=" ".join(notes),
    )


def _with_names(table: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    names = {c.id: c.name for c in codebook.conditions}
    groups = {c.id: codebook.groups.get(c.group, c.group) for c in codebook.conditions}
    return table.assign(
        condition_name=table["condition"].map(names), group_name=table["condition"].map(groups).fillna("")
    )


def _conditions(context: _Context) -> pd.DataFrame:
    """The latest wave's condition summary, suppressed, with names."""
    table = condition_summary(context.latest, context.codebook, bands=context.settings.stage_bands)
    return _with_names(suppress(table, keys=["condition"], min_n=context.min_n), context.codebook)


def _conditions_slide(context: _Context) -> Slide:
    table = _conditions(context)
    shown = table[table[SUPPRESSED] == ""].reset_index(drop=True)
    index = suppress(index_summary(context.latest, context.codebook), keys=[], min_n=context.min_n)
    headline = f"Percent favorable by condition, {context.last}."
    points: list[str] = []
    if not index.empty and index[SUPPRESSED].iloc[0] == "":
        row = index.iloc[0]
        headline = (
            f"Collective Leadership Index: {_whole(row['index'])} out of 100 in {context.last} "
            f"(n = {_count(row['n'])})."
        )
        groups = [
            f"{name.replace(' conditions', '')} {_whole(row[f'index_{gid}'])}"
            for gid, name in context.codebook.groups.items()
            if not pd.isna(row.get(f"index_{gid}"))
        ]
        if groups:
            points.append("By group of conditions: " + " · ".join(groups) + ".")
    if not shown.empty:
        ranked = shown.sort_values("pct_favorable", ascending=False)
        top, bottom = ranked.iloc[0], ranked.iloc[-1]
        points.append(
            f"Highest: {top['condition_name']}, {_pct(top['pct_favorable'])} favorable ({top['stage']}, "
            f"n = {_count(top['n'])})."
        )
        if len(ranked) > 1:
            points.append(
                f"Lowest: {bottom['condition_name']}, {_pct(bottom['pct_favorable'])} favorable ({bottom['stage']}, "
                f"n = {_count(bottom['n'])})."
            )
    bands = context.settings.stage_bands
    band_words = ", ".join(
        f"{band.name} from {band.lower:g}" if i else f"{band.name} below {bands[1].lower:g}"
        for i, band in enumerate(bands)
    )
    figure = None
    if not shown.empty:
        figure = Figure(
            kind="conditions",
            table=shown[
                [
                    "condition",
                    "condition_name",
                    "group_name",
                    "pct_favorable",
                    "pct_neutral",
                    "pct_unfavorable",
                    "n",
                    "n_responses",
                    "stage",
                ]
            ],
            title="Percent favorable by condition",
            subtitle=f"{context.last}. Dashed lines: stage band edges (project defaults)",
            edges=tuple(band.lower for band in bands[1:]),
            description="; ".join(
                f"{r['condition_name']}: {_pct(r['pct_favorable'])} favorable, {r['stage']} (n = {_count(r['n'])})"
                for _, r in shown.iterrows()
            ),
        )
    notes = (
        "Percent favorable is the share of valid answers that are Agree or Strongly agree, after negatively "
        "worded items are reversed; Don't know and N/A are left out. The index is the plain mean of the "
        "conditions' percent favorable. The first four conditions are described as foundational (typically "
        "necessary for the last three, the cultural conditions). "
        f"Stage bands are project defaults, not a published rubric: {band_words}. "
        "Invite the group to look at the pattern before any single number."
    )
    return Slide(
        key="conditions",
        title="Conditions for collective leadership",
        headline=headline,
        points=tuple(points),
        figure=figure,
        prompt="What do you notice? Which conditions look stronger or weaker than you expected?",
        notes=notes,
    )


def _short_label(shift: Shift, codebook: Codebook) -> tuple[str, str]:
    """(short label for a chart, subject for a statement) of a condition or item comparison."""
    if shift.measure == "item_favorable":
        item = codebook.item(shift.target)
        text = item.text.rstrip(".")
        if item.reverse:  # a gain here means fewer agree: say so, or the slide reads backwards
            return f"{item.id} (reversed) {text}", f"“{text}” ({item.id}, reversed: favorable means disagreeing)"
        return f"{item.id} {text}", f"“{text}” ({item.id})"
    name = codebook.condition(shift.target).name
    return f"{name} (condition)", f"{name}, percent favorable"


def _changes_table(shifts: Sequence[Shift], codebook: Codebook) -> pd.DataFrame:
    """The gains chart's rows: levels and change as the statements show them (so a label reads "+11" beside
    "32% → 43%"), the interval as computed."""
    rows = []
    for shift in shifts:
        label, _ = _short_label(shift, codebook)
        shown = displayed_shift(shift)
        rows.append(
            {
                "label": label,
                "diff": shown.change,
                "diff_lo": 100 * shift.diff_ci[0],
                "diff_hi": 100 * shift.diff_ci[1],
                "estimate1": shown.before,
                "estimate2": shown.after,
                "n1": shift.n1,
                "n2": shift.n2,
            }
        )
    return pd.DataFrame(
        rows, columns=["label", "diff", "diff_lo", "diff_hi", "estimate1", "estimate2", "n1", "n2"]
    ).astype({"n1": "Int64", "n2": "Int64"})


def _percent_changes(context: _Context) -> list[Shift]:
    """Comparisons of percent favorable (conditions and items) that carry figures."""
    shifts = context.shifts("condition_favorable") + context.shifts("item_favorable")
    return [shift for shift in shifts if shift.verdict != TOO_FEW]


def _gains_slide(context: _Context) -> Slide | None:
    """The conditions that clearly gained: the same list in the headline's count, the chart and the points.

    Only the family of condition comparisons can show a *clear* gain (the analysis plan); items are exploratory
    and are mentioned in the notes as such, never counted as gains.
    """
    if context.first is None:
        return None
    title = f"Biggest gains since {context.first}"
    if context.report is None:
        return Slide(
            key="gains",
            title=title,
            headline=f"Changes cannot be shown: {hidden_message(context.min_n)} in one of the waves.",
            notes="No change is reported for a selection this small.",
        )
    conditions = [s for s in context.shifts("condition_favorable") if s.verdict != TOO_FEW]
    family = next((s.family_size for s in context.report.shifts if s.role == CONDITIONS), 0)
    gains = sorted(  # biggest first as shown, so the slide's order matches the figures on it
        (s for s in conditions if s.verdict == CLEAR_INCREASE),
        key=lambda s: (displayed_shift(s).change, s.diff),
        reverse=True,
    )
    statements = [impact_statement(s, subject=_short_label(s, context.codebook)[1]) for s in gains]
    caution = (
        "A condition counts as a gain only when its likely range stays above zero; the ranges of the "
        f"{family} condition comparisons are widened together, so that all of them hold at once."
    )
    items = sorted(
        (s for s in context.shifts("item_favorable") if s.verdict == LIKELY_HIGHER),
        key=lambda s: (displayed_shift(s).change, s.diff),
        reverse=True,
    )
    exploratory = ""
    if items:
        exploratory = (
            f"Exploratory, not counted as gains ({_plural(len(items), 'item')} likely higher on its own range; "
            "with 28 items, one or two can look higher by chance): "
            + " ".join(impact_statement(s, subject=_short_label(s, context.codebook)[1]) for s in items)
        )
    if not gains:
        largest = sorted(conditions, key=lambda s: (abs(displayed_shift(s).change), abs(s.diff)), reverse=True)[:3]
        seen = [impact_statement(s, subject=_short_label(s, context.codebook)[1]) for s in largest]
        notes = (
            f"No condition changed clearly between {context.first} and {context.last}. {caution} "
            "Differences this small can come from who happened to answer each time; say so plainly. "
            + (" The largest differences seen: " + " ".join(seen) if seen else "")
            + (f" {exploratory}" if exploratory else "")
        )
        return Slide(
            key="gains",
            title=title,
            headline=f"No condition clearly gained between {context.first} and {context.last}.",
            points=(
                "No condition shows a change larger than the noise from who happened to answer.",
                "Stability can be a finding too: what has held steady, and why?",
            ),
            prompt="What do you wonder? What would we need to see to call something a gain?",
            notes=notes,
        )
    figure = Figure(
        kind="changes",
        table=_changes_table(gains, context.codebook),
        title=f"Conditions that clearly gained, percent favorable, {context.first} → {context.last}",
        subtitle="Change in percentage points; lines show the likely range",
        description="; ".join(
            f"{_short_label(s, context.codebook)[0]}: {displayed_shift(s).points_text} (n = {s.n1} and {s.n2})"
            for s in gains
        ),
    )
    notes = [caution, "In full:", *statements]
    if exploratory:
        notes.append(exploratory)
    notes.append("Avoid causal claims: the survey shows that something changed, not why.")
    return Slide(
        key="gains",
        title=title,
        headline=f"{_plural(len(gains), 'condition')} clearly gained in percent favorable since {context.first}.",
        points=tuple(statements),
        figure=figure,
        prompt="What might explain these gains? What did we do that could have contributed?",
        notes=" ".join(notes),
    )


def _item_label(codebook: Codebook, item_id: str) -> str:
    item = codebook.item(item_id)
    return f"{item_id}{' (reversed)' if item.reverse else ''} {item.text.rstrip('.')}"


def _lowest_items(context: _Context) -> pd.DataFrame:
    ids = [item.id for item in context.codebook.condition_items if item.id in context.latest.columns]
    if not ids:
        return pd.DataFrame()
    table = item_summary(context.latest, context.codebook, items=ids)
    table = suppress(
        table[["item", "condition", "n", "pct_favorable", "pct_neutral", "pct_unfavorable"]],
        keys=["item", "condition"],
        min_n=context.min_n,
    )
    shown = table[(table[SUPPRESSED] == "") & table["pct_favorable"].notna()]
    lowest = shown.sort_values(["pct_favorable", "item"]).head(LOWEST_ITEMS).reset_index(drop=True)
    return lowest.assign(label=[_item_label(context.codebook, item) for item in lowest["item"]])


def _focus_slide(context: _Context) -> Slide:
    conditions = _conditions(context)
    shown = conditions[conditions[SUPPRESSED] == ""].sort_values(["pct_favorable", "condition"])
    lowest = shown.head(LOWEST_CONDITIONS)
    points = [
        f"{r['condition_name']}: {_pct(r['pct_favorable'])} favorable ({r['stage']}, n = {_count(r['n'])})."
        for _, r in lowest.iterrows()
    ]
    items = _lowest_items(context)
    item_words = []
    for _, r in items.iterrows():
        item = context.codebook.item(r["item"])
        reversed_note = " Negatively worded: favorable means disagreeing." if item.reverse else ""
        item_words.append(
            f"“{item.text.rstrip('.')}” ({item.id}): {_pct(r['pct_favorable'])} favorable, "
            f"{_pct(r['pct_unfavorable'])} unfavorable (n = {_count(r['n'])}).{reversed_note}"
        )
    decreases = [
        s for s in _percent_changes(context) if s.verdict == CLEAR_DECREASE and s.measure == "condition_favorable"
    ]
    if context.report is not None:
        decreases += [s for s in context.shifts("leader_identity") if s.verdict == CLEAR_DECREASE]
    decrease_words = [
        impact_statement(s, subject=None if s.measure == "leader_identity" else _short_label(s, context.codebook)[1])
        for s in decreases
    ]
    lower_items = [s for s in _percent_changes(context) if s.verdict == LIKELY_LOWER]
    lower_words = [impact_statement(s, subject=_short_label(s, context.codebook)[1]) for s in lower_items]
    figure = None
    if not items.empty:
        figure = Figure(
            kind="lowest_items",
            table=items[["label", "item", "pct_favorable", "pct_neutral", "pct_unfavorable", "n"]],
            title=f"Items with the lowest percent favorable, {context.last}",
            subtitle="Share of valid answers: favorable, neutral, unfavorable (reversed items scored accordingly)",
            description="; ".join(
                f"{r['label']}: {_pct(r['pct_favorable'])} favorable (n = {_count(r['n'])})"
                for _, r in items.iterrows()
            ),
        )
    if decrease_words:
        points.append(f"Clear decrease since {context.first}: {decrease_words[0]}")
    notes = [
        "Lowest percent favorable in the latest wave: the conditions first, then single items, which are often "
        "easier to act on. Low is not the same as failing: read it with the stage bands and the trend.",
        "Lowest items in full: " + " ".join(item_words) if item_words else "",
        ("Clear decreases (likely range below zero): " + " ".join(decrease_words))
        if decrease_words
        else (f"No clear decrease since {context.first}." if context.report is not None else ""),
        ("Exploratory, items likely lower on their own range (not a verdict): " + " ".join(lower_words))
        if lower_words
        else "",
        "Pick one or two to explore rather than all of them.",
    ]
    return Slide(
        key="focus",
        title="Where to focus",
        headline=f"Lowest percent favorable in {context.last}.",
        points=tuple(points),
        figure=figure,
        prompt="What will we try next? Which one of these could we influence this year?",
        notes=" ".join(note for note in notes if note),
    )


def _breakdown_slide(context: _Context, *, by: str) -> Slide | None:
    if by not in context.latest.columns or by not in context.codebook.attribute_ids:
        return None
    attribute = context.codebook.attribute(by)
    min_n = context.settings.min_n_sensitive if attribute.sensitive else context.min_n
    noun = attribute.label.lower() if attribute.label else by
    table = condition_summary(context.latest, context.codebook, by=[by], bands=context.settings.stage_bands)
    table = suppress(table, keys=[by, "condition"], min_n=min_n, breakdown=by)
    # A group is shown only when every one of its cells is shown: a row with gaps would still name a group
    # that the rules hide for some conditions.
    hidden_groups = set(table.loc[table[SUPPRESSED] != "", by])
    groups = [g for g in dict.fromkeys(table[by]) if g not in hidden_groups]
    shown = _with_names(table[table[by].isin(groups)], context.codebook)
    title = f"By {noun}"
    # Not even the number of hidden groups is given: it would tell the room that, say, one administrator answered.
    hidden_words = (
        f"Some {noun} groups are not shown: fewer than {min_n} respondents, or hidden so that a smaller one cannot "
        "be worked out from the others."
        if hidden_groups
        else ""
    )
    if len(groups) < 2:
        return Slide(
            key="breakdown",
            title=title,
            headline=f"Too few {noun} groups are large enough to compare in {context.last}.",
            points=(hidden_words,) if hidden_words else (),
            notes=f"A {noun} group is shown only with at least {min_n} respondents.",
        )
    sizes = shown.groupby(by, sort=False)["n"].max()
    trimmed = ""
    if len(groups) > MAX_GROUPS:
        # A slide cannot show forty rows legibly: the largest groups, and the full list in the workbook.
        largest = set(sizes.sort_values(ascending=False, kind="stable").index[:MAX_GROUPS])
        trimmed = f"Showing the {MAX_GROUPS} largest of {len(groups)} {noun}s; the workbook lists them all."
        groups = [g for g in groups if g in largest]
        shown = shown[shown[by].isin(groups)]
    names = shown[by].astype(str)  # plain text: a categorical column would map its unused categories too
    shown = shown.assign(group=names, group_label=names.map(lambda g: f"{g} (n = {_count(sizes[g])})"))
    spread = shown.groupby("condition_name", sort=False)["pct_favorable"].agg(["min", "max"])
    widest = (spread["max"] - spread["min"]).idxmax()
    low, high = spread.loc[widest, "min"], spread.loc[widest, "max"]
    points = [text for text in (trimmed, hidden_words) if text]
    figure = Figure(
        kind="breakdown",
        table=shown[["group", "group_label", "condition_name", "pct_favorable", "n", "stage"]].reset_index(drop=True),
        title=f"Percent favorable by {noun} and condition, {context.last}",
        subtitle=f"Only {noun}s with at least {min_n} respondents",
        description=f"{_plural(len(groups), noun)} × {shown['condition_name'].nunique()} conditions: "
        + ", ".join(f"{g} (n = {_count(sizes[g])})" for g in groups)
        + f". Widest range: {widest}, {_pct(low)} to {_pct(high)}.",
    )
    notes = (
        f"Each row is a {noun}, each column a condition; the number is percent favorable in {context.last}. "
        f"Groups with fewer than {min_n} respondents are left out entirely, and when one is left out, the next "
        "smallest goes too, so that nobody's answers can be worked out by subtraction. "
        "Compare patterns rather than ranking groups; small groups move more from year to year."
    )
    return Slide(
        key="breakdown",
        title=title,
        headline=f"Widest range: {widest}, from {_pct(low)} to {_pct(high)} favorable across "
        f"{_plural(len(groups), noun)}.",
        points=tuple(points),
        figure=figure,
        prompt=f"What do you wonder about the differences between {noun} groups? What might explain them?",
        notes=notes,
    )


def _dialogue_slide(context: _Context) -> Slide:
    return Slide(
        key="dialogue",
        title="Data dialogue",
        headline="Four questions, in order. Stay with each one before moving on.",
        points=tuple(f"{step}: {question}" for step, question in PROTOCOL),
        notes=(
            "Protocol: about three minutes of quiet writing, then share in pairs, then the whole group. "
            "1. Notice: only what the data show, no explanations yet (“I notice that…”). "
            "2. Wonder: questions the data raise (“I wonder whether…”). "
            "3. Explain: possible reasons, several for each observation; name what would confirm or rule them out. "
            "4. Act: one or two things to try before the next survey, who leads them, and how we will know. "
            "Record the answers; they belong to the group, not to the facilitator."
        ),
    )


def _about_slide(context: _Context) -> Slide:
    return Slide(
        key="about",
        title="About these numbers",
        points=(
            "Percent favorable: share of valid answers that are Agree or Strongly agree (negatively worded items "
            "reversed first). Don't know and N/A are not counted as answers.",
            "Leader identity: share answering Yes to “Do you consider yourself a leader in your school?” among "
            "valid answers.",
            "Leader identity is the main measure: its change is clear when its likely range stays on one side of "
            "zero. The seven conditions are judged together, their ranges widened so that all hold at once. "
            "Items, schools and groups are for exploring: shown with their range and n, never called clear.",
            f"Confidentiality: no figure describes fewer than {context.min_n} respondents.",
        ),
        notes=(
            "Changes compare two independent samples (everyone who answered in each wave). Intervals: Newcombe "
            "for differences of shares, a log-ratio interval for relative changes, a t interval on respondents for "
            "a condition's percent favorable. Stage bands are project defaults."
        ),
    )

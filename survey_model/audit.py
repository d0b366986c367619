"""A differencing auditor: can any combination of what the dashboard publishes isolate fewer than ``min_n`` people?

It plays the outsider who holds every page under every filter, and asks linear algebra what follows.

1. :func:`published_groups` runs the builders every page, export and command is made of (the Overview, Conditions,
   Schools, Subgroups, Leader identity and Shifts views of :mod:`survey_model.dashboard` and
   :mod:`survey_model.explore`) under **every combination of the sidebar's filters** and every comparison wave,
   and records each shown figure's group: the wave, the filters, the breakdown group, and the count shown with it.
   (The workbook, the deck and the commands are assembled from these same builders on the same released frame.)
2. :func:`audit` turns each group into the set of respondents it covers — read from the frame the builders were
   given, so a view that bypassed the release decision shows up as a count that does not match its group — and
   checks, wave by wave:

   * **counts**: no shown group has 1 to ``below - 1`` respondents, and no group shown inside another differs
     from it by 1 to ``below - 1`` respondents;
   * **linear combinations**: every figure is a sum over its set (a share times its n, a mean times its n), so an
     outsider can combine them with any weights. A set ``T`` of respondents is *isolated* when its indicator
     lies in the span of the published sets. The auditor computes the null space ``N`` of the published sets
     (respondents sharing every membership form one atom), and searches every set of up to four atoms with fewer
     than ``below`` respondents for rows of ``N`` adding to zero: exact for the default ``below = 5``.

Every finding names the combination that isolates the set (published groups and their weights), so it reads
as an attack an outsider could carry out.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.linalg import null_space

from survey_model.codebook import Codebook
from survey_model.release import SCHOOL_GROUP, WITHHELD
from survey_model.responses import RESPONDENT_KEY, WAVE
from survey_model.scoring import IDENTITY, identity_groups
from survey_model.settings import Settings


@dataclass(frozen=True)
class Published:
    """One shown figure's group: which respondents of which wave it describes."""

    source: str
    """Where it is shown, e.g. ``"Schools (level=Middle)"``."""
    wave: str
    equals: tuple[tuple[str, str], ...]
    """The filters and the breakdown group, as (column, value) pairs."""
    n: int | None = None
    """Respondents shown with it, when the figure shows a respondent count (checked against the set)."""
    linked_to: str | None = None
    """For a matched analysis: only respondents also in this wave's same selection."""
    unless: tuple[tuple[str, str], ...] = ()
    """(column, value) pairs the group leaves out, e.g. the pool of small schools an analysis skips."""

    def describe(self) -> str:
        where = ", ".join(f"{column}={value}" for column, value in self.equals) or "everyone"
        where += "".join(f", {column}≠{value}" for column, value in self.unless)
        linked = f", same educators as in {self.linked_to}" if self.linked_to else ""
        return f"{self.source}: {self.wave}, {where}{linked}"


@dataclass(frozen=True)
class Finding:
    """A set of fewer than ``below`` respondents that the published figures determine."""

    wave: str
    kind: str
    """``"count"`` (a shown count), ``"difference"`` (of two nested counts), ``"combination"`` (linear algebra)
    or ``"mismatch"`` (a shown count that is not the size of its group)."""
    respondents: int
    how: tuple[str, ...] = field(default_factory=tuple)
    """The published groups (with weights) that isolate the set."""

    def describe(self) -> str:
        return f"[{self.kind}] {self.wave}: {self.respondents} respondent(s) isolated by " + " ; ".join(self.how)


# ----------------------------------------------------------------------------------------------------------------
# Collecting what is published


def filter_combinations(frame: pd.DataFrame, codebook: Codebook) -> list[dict[str, str | None]]:
    """Every combination of the sidebar's school, level and role filters that leaves someone selected."""
    from survey_model.dashboard import filter_options

    options = filter_options(frame, codebook)
    combos = []
    for school in [None, *options["school"]]:
        for level in [None, *options["school_level"]]:
            for role in [None, *options["role"]]:
                restriction = {"school": school, "school_level": level, "role": role}
                active = {k: v for k, v in restriction.items() if v is not None}
                if not active or _mask(frame, active).any():
                    combos.append(restriction)
    return combos


def published_groups(
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    settings: Settings | None = None,
    waves: Sequence[str] | None = None,
    school_groups: Mapping[str, str] | None = None,
    tallies: object | None = None,
    shifts: bool = True,
) -> list[Published]:
    """Every group a figure is shown for, under every filter combination, in ``waves`` (default: all)."""
    from survey_model import dashboard, explore

    settings = settings or Settings()
    labels = [str(w) for w in pd.unique(frame[WAVE].astype(str))] if waves is None else list(waves)
    order = [str(w) for w in frame[WAVE].cat.categories] if hasattr(frame[WAVE], "cat") else sorted(labels)
    out: list[Published] = []
    for restriction in filter_combinations(frame, codebook):
        base = tuple((k, v) for k, v in restriction.items() if v is not None)
        where = ", ".join(f"{k}={v}" for k, v in base) or "all"
        for wave in labels:
            view = dashboard.overview(
                frame, codebook, wave=wave, restriction=restriction, settings=settings, tallies=tallies
            )
            if view.hidden:
                continue
            out.append(Published(f"Overview ({where})", wave, base, n=view.respondents))
            for w in _shown(view.index)[WAVE].astype(str):
                out.append(Published(f"Overview index by wave ({where})", w, base))
            if restriction["school"] is None:
                schools = explore.schools_view(
                    frame, codebook, wave=wave, restriction=restriction, settings=settings, tallies=tallies
                )
                if not schools.hidden:
                    for _, row in _shown(schools.schools).iterrows():
                        equals = (*base, ("school", str(row["school"])))
                        out.append(Published(f"Schools ({where})", wave, equals, n=int(row["n"])))
            for attribute in explore.subgroup_attributes(frame, codebook, restriction=restriction):
                sub = explore.subgroup_view(
                    frame, codebook, attribute=attribute, wave=wave, restriction=restriction, settings=settings
                )
                if sub.hidden:
                    continue
                for _, row in _shown(sub.groups).iterrows():
                    equals = (*base, (attribute, str(row["group"])))
                    out.append(Published(f"Subgroups by {attribute} ({where})", wave, equals, n=int(row["n"])))
            if codebook.leader is not None:
                leader = explore.leader_view(
                    frame, codebook, wave=wave, restriction=restriction, settings=settings, tallies=tallies
                )
                if not leader.hidden:
                    for w in _shown(leader.by_wave)[WAVE].astype(str):
                        out.append(Published(f"Leader identity by wave ({where})", w, base))
                    if not leader.by_role.empty:
                        for role in _shown(leader.by_role)["role"].astype(str):
                            out.append(Published(f"Leader identity by role ({where})", wave, (*base, ("role", role))))
                    if not leader.by_identity.empty:
                        for group in set(_shown(leader.by_identity)[IDENTITY].astype(str)):
                            equals = (*base, (IDENTITY, group))
                            out.append(Published(f"Leader identity and conditions ({where})", wave, equals))
            # What matters: the analyses use the selection less the pool of small schools (survey_model.analytics).
            out.append(Published(f"What matters ({where})", wave, base, unless=(("school", WITHHELD),)))
            if shifts:
                out.extend(
                    _shift_groups(frame, codebook, wave, order, restriction, base, where, settings, school_groups)
                )
    return out


def _shift_groups(frame, codebook, wave, order, restriction, base, where, settings, school_groups) -> list[Published]:
    from survey_model import dashboard

    out: list[Published] = []
    earlier = order[: order.index(wave)] if wave in order else []
    for compare in dict.fromkeys([*earlier[:1], *earlier[-1:]]):
        view = dashboard.shifts_view(
            frame,
            codebook,
            from_wave=compare,
            to_wave=wave,
            restriction=restriction,
            school_groups=school_groups,
            settings=settings,
        )
        source = f"Shifts {compare} → {wave} ({where})"
        if any(s.suppressed == "" for s in view.report.shifts):
            out += [Published(source, compare, base), Published(source, wave, base)]
        if any(s.suppressed == "" for s in view.report.matched):
            out += [Published(source + " matched", compare, base, linked_to=wave)]
            out += [Published(source + " matched", wave, base, linked_to=compare)]
        comparisons = [(view.by_school, None, "school"), (view.by_group, view.group_trend, SCHOOL_GROUP)]
        for column in dashboard.school_comparisons(frame, restriction):  # "Compare schools by" a listed attribute
            by_value, value_trend = dashboard.school_comparison(
                frame, codebook, from_wave=compare, to_wave=wave, compare_by=column, restriction=restriction,
                settings=settings,
            )  # fmt: skip
            comparisons.append((by_value, value_trend, column))
        for report, lines, column in comparisons:
            if report is None:
                continue
            shown = {str(dict(s.group)[column]) for s in report.shifts if s.suppressed == "" and s.group}
            for value in shown:
                equals = (*base, (column, value))
                out += [Published(source + f" by {column}", compare, equals), Published(source, wave, equals)]
            for _, row in _shown(lines).iterrows():  # the trend lines beside the comparison, every wave
                equals = (*base, (column, str(row[column])))
                out.append(Published(source + f" trend by {column}", str(row[WAVE]), equals))
    return out


def published_in_exports(
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    selections: Sequence[Mapping[str, str | None]],
    wave: str,
    compare: str,
    settings: Settings | None = None,
    org_name: str = "Organization",
) -> list[Published]:
    """Every group the results workbook and the workshop deck show for each selection, read from what they contain.

    The workbook for ``wave`` against ``compare`` and the deck of the two waves are built for each selection (a
    sidebar restriction; the deck takes its school), and each row or chart row that carries a figure becomes a
    group: the Schools, Subgroups and Leader identity sheets' rows, the deck's breakdown chart, and the selection
    itself for the other sheets and slides.
    """
    from survey_model import dashboard, explore
    from survey_model.deck import build_deck
    from survey_model.workbook import results_workbook

    settings = settings or Settings()
    labels = {a.label: a.id for a in codebook.attributes}
    labels |= {explore.attribute_info(codebook, c).label: c for c in dashboard.school_comparisons(frame)}
    out: list[Published] = []
    for restriction in selections:
        base = tuple((k, v) for k, v in restriction.items() if v is not None)
        where = ", ".join(f"{k}={v}" for k, v in base) or "all"
        book = results_workbook(
            frame, codebook, org_name=org_name, wave=wave, compare=compare, restriction=dict(restriction),
            settings=settings,
        )  # fmt: skip
        for sheet in book.sheets:
            out += _sheet_groups(sheet, base, f"Workbook {sheet.name} ({where})", labels, (wave, compare))
        if restriction.get("school_level") or restriction.get("role"):
            continue  # the deck is made for the organization or one school
        school = restriction.get("school")
        deck = build_deck(frame, codebook, org_name=org_name, waves=[compare, wave], school=school, settings=settings)
        for slide in deck.slides:
            if slide.figure is None:
                continue
            source = f"Deck {slide.key} ({where})"
            if slide.figure.kind == "breakdown":
                by = "role" if school else "school"
                for group in set(slide.figure.table["group"].astype(str)):
                    out.append(Published(source, wave, (*base, (by, group))))
            elif slide.figure.kind == "drivers":
                out.append(Published(source, wave, base, unless=(("school", WITHHELD),)))
            else:
                out += [Published(source, w, base) for w in (wave, compare)]
    return out


def _sheet_groups(sheet, base, source: str, labels: Mapping[str, str], waves: Sequence[str]) -> list[Published]:
    """The groups one workbook sheet shows a figure for."""
    table = sheet.table
    if sheet.name == "What goes with leader identity":
        return [Published(source, waves[0], base, unless=(("school", WITHHELD),))] if len(table) else []
    if "Wave" not in table.columns:
        return [Published(source, w, base) for w in waves]
    figures = [c for c in table.columns if c not in ("Wave", "Note", "School", "Attribute", "Group", "Breakdown")]
    out = []
    for record in table[table[figures].notna().any(axis=1)].to_dict(orient="records"):
        extra: tuple[tuple[str, str], ...] = ()
        if sheet.name == "Schools":
            extra = (("school", str(record["School"])),)
        elif sheet.name == "Subgroups":
            extra = ((labels.get(str(record["Attribute"]), str(record["Attribute"])), str(record["Group"])),)
        elif sheet.name == "Leader identity" and record.get("Breakdown") != "Whole selection":
            extra = ((labels.get(str(record["Breakdown"]), str(record["Breakdown"])), str(record["Group"])),)
        out.append(Published(source, str(record["Wave"]), (*base, *extra)))
    return out


def _shown(table: pd.DataFrame) -> pd.DataFrame:
    if table is None or table.empty:
        return pd.DataFrame(columns=[WAVE, "school", "group", "role", IDENTITY, "n"])
    return table[table["suppressed"] == ""] if "suppressed" in table.columns else table


def _mask(frame: pd.DataFrame, equals: Mapping[str, str]) -> np.ndarray:
    mask = np.ones(len(frame), dtype=bool)
    for column, value in equals.items():
        mask &= (frame[column].astype("string") == value).to_numpy(dtype=bool, na_value=False)
    return mask


# ----------------------------------------------------------------------------------------------------------------
# The audit


def audit(
    frame: pd.DataFrame,
    published: Sequence[Published],
    *,
    codebook: Codebook | None = None,
    school_groups: Mapping[str, str] | None = None,
    below: int = 5,
) -> list[Finding]:
    """Every set of 1 to ``below - 1`` respondents the published groups isolate, wave by wave (empty: none).

    ``frame`` is the frame the builders were given. ``codebook`` and ``school_groups`` are needed only for a frame
    without the leader-identity group or the school-group column (a frame that did not go through the release).
    """
    frame = _with_derived_columns(frame, codebook, school_groups)
    findings: list[Finding] = []
    waves = frame[WAVE].astype(str).to_numpy()
    keys = frame[RESPONDENT_KEY].astype("string").fillna("").to_numpy() if RESPONDENT_KEY in frame else None
    text: dict[str, np.ndarray] = {}  # each column as text, once

    def mask_of(equals: tuple[tuple[str, str], ...], rows: np.ndarray) -> np.ndarray:
        mask = np.ones(len(rows), dtype=bool)
        for column, value in equals:
            if column not in text:
                text[column] = frame[column].astype("string").fillna("\x00").to_numpy(dtype=object)
            mask &= text[column][rows] == value
        return mask

    for wave in sorted(set(p.wave for p in published)):
        rows = np.flatnonzero(waves == wave)
        sets: dict[bytes, tuple[np.ndarray, list[Published]]] = {}
        for group in (p for p in published if p.wave == wave):
            mask = mask_of(group.equals, rows)
            for column, value in group.unless:
                mask &= ~mask_of(((column, value),), rows)
            if group.linked_to is not None and keys is not None:
                others = np.flatnonzero(waves == group.linked_to)
                partners = set(keys[others][mask_of(group.equals, others)]) - {""}
                mask &= pd.Series(keys[rows]).isin(partners).to_numpy(dtype=bool)
            if group.n is not None and group.n != int(mask.sum()):
                said = f"{group.describe()} shows n = {group.n} but the group holds {int(mask.sum())}"
                findings.append(Finding(wave, "mismatch", abs(group.n - int(mask.sum())), (said,)))
            sets.setdefault(mask.tobytes(), (mask, []))[1].append(group)
        findings.extend(_audit_wave(wave, list(sets.values()), below=below))
    return findings


def _with_derived_columns(
    frame: pd.DataFrame, codebook: Codebook | None, school_groups: Mapping[str, str] | None
) -> pd.DataFrame:
    extra = {}
    leader = codebook.leader if codebook is not None else None
    if IDENTITY not in frame.columns and leader is not None and leader.item in frame.columns:
        extra[IDENTITY] = identity_groups(frame, codebook)
    if SCHOOL_GROUP not in frame.columns and school_groups and "school" in frame.columns:
        extra[SCHOOL_GROUP] = frame["school"].astype("string").map(dict(school_groups))
    return frame.assign(**extra) if extra else frame


def _audit_wave(wave: str, sets: list[tuple[np.ndarray, list[Published]]], *, below: int) -> list[Finding]:
    findings: list[Finding] = []
    masks = np.array([mask for mask, _ in sets if mask.any()])
    groups = [groups for mask, groups in sets if mask.any()]
    if len(masks) == 0:
        return findings
    sizes = masks.sum(axis=1)
    for size, group in zip(sizes, groups, strict=True):
        if size < below:
            findings.append(Finding(wave, "count", int(size), (group[0].describe(),)))
    overlap = masks.astype(np.int32) @ masks.T.astype(np.int32)
    inside = (overlap == sizes[:, None]) & (sizes[:, None] < sizes[None, :])  # row set inside column set
    for a, b in zip(*np.nonzero(inside & ((sizes[None, :] - sizes[:, None]) < below)), strict=True):
        how = (groups[b][0].describe(), "minus " + groups[a][0].describe())
        findings.append(Finding(wave, "difference", int(sizes[b] - sizes[a]), how))
    # Atoms: respondents who belong to exactly the same published sets.
    patterns, atom_sizes = np.unique(masks.T, axis=0, return_counts=True)
    matrix = patterns.T.astype(np.float64)  # sets × atoms
    null = null_space(matrix)
    small = np.flatnonzero(atom_sizes < below)
    if len(small) == 0:
        return findings
    if null.shape[1] == 0:
        isolated = [(int(a),) for a in small]
    else:
        isolated = _zero_sums(null[small], atom_sizes[small], below=below)
        isolated = [tuple(int(small[i]) for i in combo) for combo in isolated]
    seen: set[tuple[int, ...]] = set()
    for atoms in isolated[:50]:  # one is enough to fail; a few name the attacks
        if atoms in seen:
            continue
        seen.add(atoms)
        target = np.isin(np.arange(len(atom_sizes)), atoms).astype(np.float64)
        weights, *_ = np.linalg.lstsq(matrix.T, target, rcond=None)
        used = np.flatnonzero(np.abs(weights) > 1e-6)
        how = tuple(f"{weights[i]:+.2g} × [{groups[i][0].describe()}]" for i in used[:6])
        findings.append(Finding(wave, "combination", int(atom_sizes[list(atoms)].sum()), how))
    return findings


def _zero_sums(rows: np.ndarray, sizes: np.ndarray, *, below: int, limit: int = 200) -> list[tuple[int, ...]]:
    """Sets of up to four rows (sizes adding to less than ``below``) whose vectors add up to zero (at most about
    ``limit`` of them: one is enough to fail an audit)."""
    scale = max(1.0, float(np.abs(rows).max()))
    tolerance = 1e-8 * scale

    def zero(vector: np.ndarray) -> bool:
        return bool(np.abs(vector).max() < tolerance)

    found = [(i,) for i in range(len(rows)) if zero(rows[i])]
    # An isolated atom makes every set holding it isolated too: search the rest only, and stop at ``limit`` sets.
    rest = [i for i in range(len(rows)) if (i,) not in set(found)]
    projection = rows @ np.random.default_rng(12345).standard_normal(rows.shape[1])
    pairs = [(i, j) for i, j in itertools.combinations(rest, 2) if sizes[i] + sizes[j] < below]
    found += [(i, j) for i, j in pairs if zero(rows[i] + rows[j])]
    # Hash single and pair sums on a rounded random projection, then confirm on the full vectors.
    by_value: dict[int, list[tuple[int, ...]]] = {}
    for combo in [*((i,) for i in rest), *pairs]:
        by_value.setdefault(round(float(projection[list(combo)].sum()) / tolerance / 1e3), []).append(combo)
    for pair in pairs:
        if len(found) >= limit:
            break
        key = round(-float(projection[list(pair)].sum()) / tolerance / 1e3)
        for near in (key - 1, key, key + 1):
            for other in by_value.get(near, []):
                combo = tuple(sorted(set(pair) | set(other)))
                if len(combo) != len(pair) + len(other) or len(combo) < 3:
                    continue
                if sizes[list(combo)].sum() < below and zero(rows[list(combo)].sum(axis=0)):
                    found.append(combo)
    return sorted(set(found))


__all__ = ["Finding", "Published", "audit", "filter_combinations", "published_groups", "published_in_exports"]

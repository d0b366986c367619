"""The release decision: which groups of respondents any page, export or command may publish, decided once per wave.

Why one decision
----------------
Hiding each small group where it is shown is not enough: a figure for a school minus the same school without its
teachers, or a role over every level minus the same role level by level, isolates the few people in between. This
module decides, for one organization and every wave, a set of *released groups* so that **every figure the app can
publish is a sum over released groups**, and proves that no combination of released groups isolates fewer than
``min_n`` respondents. Everything that publishes reads the released frame (:attr:`Release.frame`) instead of the
stored answers, so no view decides privacy on its own.

The method
----------
1. **Cells.** Within a wave, every school with at least ``min_n`` respondents is a cell. Smaller schools are
   pooled: with the small schools of the same level and group (cohort / comparison), then of the same level, then
   of the organization; a pool still below ``min_n`` takes in the smallest school of the organization. A pool is
   counted in the totals its schools share (the organization; its level and group when all its schools share them)
   and never shown as a school. A wave too small to reach ``min_n`` at all is not published. School level and
   group come from the organization's school list, never from respondents' answers.
2. **Breakdowns inside a cell.** Each attribute a page can filter or break down by (role, the leader-identity
   answer, the Subgroups attributes, and whether a respondent is linked to another wave) partitions the cell.
   Parts below the threshold (``min_n``; ``min_n_sensitive`` for sensitive attributes) are withheld together with
   the next smallest until the withheld parts hold at least the threshold: they count in the cell's totals but
   never as a group of that attribute (:data:`WITHHELD`).
3. **Combinations inside a cell.** Two attributes can each be safe and still isolate people together (everyone
   with 20 years of service minus every administrator, when all administrators have 20 years). So the parts of
   every attribute admitted in a cell are checked together with linear algebra (:func:`smallest_isolated`): no
   combination of their sums may equal the sum over a set of 1 to ``min_n - 1`` respondents. An attribute that
   would break this is withheld in that cell, attributes being admitted in a fixed order (role first).
4. **Why that is enough.** Every published figure is a sum over parts of *one* attribute in each cell, added over
   cells (a selection is a union of cells, a role filter takes that role's part of each cell, a breakdown takes
   each group's parts). Cells share no respondent, so any combination of published figures splits into one
   combination per cell, each of which isolates nobody below ``min_n``. Breakdowns of a role-filtered selection by
   a second attribute would cross two attributes, so the pages do not offer them.

What it costs is measured by ``bench/bench_release.py`` and reported in the README ("Confidentiality").
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from survey_model.codebook import Codebook
from survey_model.responses import NOT_ANSWERED, RESPONDENT_KEY, WAVE
from survey_model.scoring import IDENTITY, identity_groups

WITHHELD = "(withheld)"
"""Released value of an attribute that may not be published for this respondent (counted in totals only)."""
SCHOOL_GROUP = "school_group"
"""Column of each respondent's school group (cohort / comparison) from the school list."""
SCHOOL_ATTRIBUTES = ("school", "school_level", SCHOOL_GROUP)
"""Attributes of the school, taken from the school list (level, group) or the cell (school)."""
LISTED_PREFIX = "school:"
"""Column prefix of the school list's further attributes in the released frame (``school:title_i``)."""


@dataclass(frozen=True)
class SchoolInfo:
    """What the school list says about one school."""

    level: str = ""
    """School level (Elementary, Middle, …); ``""`` when the list does not say."""
    group: str = ""
    """Comparison group (cohort, comparison); ``""`` when the school is in none."""
    attributes: Mapping[str, str] = field(default_factory=dict)
    """Further attributes from the school list (Title I, locale, ...): name → value."""


@dataclass(frozen=True)
class Release:
    """The released frame and what the decision withheld."""

    frame: pd.DataFrame
    """Respondents of published cells, with school, level, group, role, the leader-identity group and every
    breakdown attribute replaced by their released values (:data:`WITHHELD` where withheld); respondent keys are
    blank where the linked / not linked split is withheld."""
    attributes: tuple[str, ...]
    """The released breakdown attributes (role first), each a column of :attr:`frame`."""
    loss: pd.DataFrame
    """Per wave and attribute: respondents, respondents in a published group, groups published and withheld."""
    notes: tuple[str, ...] = field(default_factory=tuple)
    """Plain-language problems found in the school list (a school missing from it, a school without a level)."""
    schools: tuple[str, ...] = ()
    """Every school the stored waves name, sorted (for the staff's school list; not for publishing)."""
    withheld: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """For school and role: the values the stored answers hold that are never a published group in any wave (so a
    link naming one can say why it shows everyone instead)."""
    listed: tuple[str, ...] = ()
    """Columns of the school list's further attributes (``school:<name>``), each constant within a cell: a pool
    of schools whose values differ publishes :data:`WITHHELD` for its respondents, like level and group."""


# ----------------------------------------------------------------------------------------------------------------
# The linear-algebra check


def smallest_isolated(parts: np.ndarray, sizes: np.ndarray, *, below: int) -> tuple[int, ...] | None:
    """A set of atoms with fewer than ``below`` respondents whose sum the published parts determine, if any.

    Parameters
    ----------
    parts : ndarray of bool, shape (n_parts, n_atoms)
        Each published part as the atoms it holds. An *atom* is a set of respondents that every part either holds
        whole or not at all (respondents with the same answers to every attribute).
    sizes : ndarray of int, shape (n_atoms,)
        Respondents per atom (all positive).
    below : int
        Sets of fewer respondents than this must not be isolated (``min_n``).

    Returns
    -------
    tuple of int or None
        The atoms of one isolated set, or ``None`` when there is none.

    Notes
    -----
    A set ``T`` is isolated when its indicator lies in the row space of ``parts``: then some combination of the
    published sums equals the sum over ``T``. With ``P`` the projection on the row space, ``T`` is isolated
    exactly when the residuals ``e_i - P e_i`` of its atoms add up to zero. Only atoms smaller than ``below`` can
    be in such a set; sets of up to four atoms are searched exhaustively (pairs are matched by sorting, so the
    search is quadratic in the number of small atoms), which is exact for ``below <= 5``. The search compares
    the residuals along two random directions and confirms every candidate exactly.

    Examples
    --------
    Teachers (6) and everyone (8) are published: the other 2 are isolated.

    >>> parts = np.array([[True, True], [True, False]])
    >>> smallest_isolated(parts, np.array([6, 2]), below=5)
    (1,)
    """
    parts = np.asarray(parts, dtype=np.float64)
    sizes = np.asarray(sizes, dtype=np.int64)
    small = np.flatnonzero(sizes < below)
    if len(small) == 0:
        return None
    row_space = _row_space(parts)  # orthonormal rows; a set is isolated when its indicator has no residual
    if row_space.shape[0] == parts.shape[1]:  # full rank: every atom is determined
        return (int(small[0]),)
    rng = np.random.default_rng(0)
    directions = rng.standard_normal((parts.shape[1], 2))
    # Each small atom's residual (e_i minus its projection on the row space), seen along two random directions.
    signature = directions[small] - row_space[:, small].T @ (row_space @ directions)
    scale = max(1.0, float(np.abs(signature).max()))
    tolerance = 1e-7 * scale

    def confirmed(atoms: Sequence[int]) -> bool:
        indicator = np.zeros(parts.shape[1])
        indicator[list(atoms)] = 1.0
        residual = indicator - row_space.T @ (row_space @ indicator)
        return bool(np.abs(residual).max() < 1e-7)

    small_sizes = sizes[small]
    for i in np.flatnonzero(np.abs(signature).max(axis=1) < tolerance):
        if confirmed([small[i]]):
            return (int(small[i]),)
    # Pairs (i < j) whose sizes together stay below the threshold, with their summed signatures.
    first, second = np.triu_indices(len(small), k=1)
    keep = small_sizes[first] + small_sizes[second] < below
    first, second = first[keep], second[keep]
    pair_sig = signature[first] + signature[second]
    pair_size = small_sizes[first] + small_sizes[second]
    for p in np.flatnonzero(np.abs(pair_sig).max(axis=1) < tolerance):
        atoms = (small[first[p]], small[second[p]])
        if confirmed(atoms):
            return tuple(int(a) for a in atoms)
    if len(first) == 0:
        return None
    order = np.argsort(pair_sig[:, 0])
    sorted_sig = pair_sig[order, 0]
    # Triples: a pair plus one more atom; quadruples: two pairs. Found by looking up the negated signature.
    candidates: list[tuple[int, ...]] = []
    starts = np.searchsorted(sorted_sig, -signature[:, 0] - tolerance, side="left")
    stops = np.searchsorted(sorted_sig, -signature[:, 0] + tolerance, side="right")
    for i in np.flatnonzero(stops > starts):
        for p in order[starts[i] : stops[i]]:
            atoms = {first[p], second[p], i}
            if len(atoms) == 3 and pair_size[p] + small_sizes[i] < below:
                candidates.append(tuple(sorted(atoms)))
    lo = np.searchsorted(sorted_sig, -sorted_sig - tolerance, side="left")
    hi = np.searchsorted(sorted_sig, -sorted_sig + tolerance, side="right")
    for position in np.flatnonzero(hi > lo):
        p = order[position]
        for q in order[lo[position] : hi[position]]:
            atoms = {first[p], second[p], first[q], second[q]}
            if len(atoms) == 4 and pair_size[p] + pair_size[q] < below:
                candidates.append(tuple(sorted(atoms)))
    for candidate in candidates:
        if np.abs(signature[list(candidate)].sum(axis=0)).max() < tolerance:
            atoms = tuple(int(small[a]) for a in candidate)
            if confirmed(atoms):
                return atoms
    return None


def _row_space(matrix: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the row space of ``matrix`` (as rows), by a thin singular value decomposition."""
    if matrix.shape[0] == 0:
        return np.zeros((0, matrix.shape[1]))
    _, singular, vt = np.linalg.svd(matrix, full_matrices=False)
    tolerance = max(matrix.shape) * np.finfo(np.float64).eps * (singular[0] if len(singular) else 0.0)
    return vt[singular > tolerance]


# ----------------------------------------------------------------------------------------------------------------
# Cells: schools, and pools of small schools


def _cells(counts: pd.Series, info: Mapping[str, SchoolInfo], *, min_n: int) -> dict[str, list[str]]:
    """Cells of one wave: cell name → schools. Schools in no cell (a wave below ``min_n``) are left out.

    ``counts`` is respondents per school. Small schools pool by level and group, then by level, then across the
    organization; a pool still too small takes in the smallest school (ties broken by name).
    """

    def level(school: str) -> str:
        return info.get(school, SchoolInfo()).level or WITHHELD

    def group(school: str) -> str:
        return info.get(school, SchoolInfo()).group or WITHHELD

    sizes = {str(school): int(n) for school, n in counts.items() if n > 0}
    cells = {school: [school] for school, n in sizes.items() if n >= min_n}
    pending = sorted(school for school, n in sizes.items() if n < min_n)
    for key in (lambda s: (level(s), group(s)), lambda s: (level(s),), lambda s: ()):
        still: list[str] = []
        for _, members in itertools.groupby(sorted(pending, key=lambda s: (key(s), s)), key=key):
            members = list(members)
            if sum(sizes[s] for s in members) >= min_n:
                cells["pool:" + "|".join(members)] = members
            else:
                still.extend(members)
        pending = still
    if pending:
        spare = sorted((n, s) for s, n in sizes.items() if s in cells and cells[s] == [s])
        while sum(sizes[s] for s in pending) < min_n and spare:
            _, school = spare.pop(0)
            del cells[school]
            pending.append(school)
        if sum(sizes[s] for s in pending) >= min_n:
            cells["pool:" + "|".join(sorted(pending))] = sorted(pending)
    return cells


# ----------------------------------------------------------------------------------------------------------------
# Breakdowns inside a cell


def _coarsened(codes: np.ndarray, *, threshold: int, names: np.ndarray | None = None) -> np.ndarray:
    """One attribute's codes (0 or more) in a cell with the small parts withheld as ``-1`` (module docstring, step 2).

    The next smallest parts join the withheld ones until they hold ``threshold``; ties go by the part's name
    (``names[code]``, or the code itself as text).
    """
    labels, counts = np.unique(codes, return_counts=True)
    small = counts < threshold
    if not small.any():
        return codes
    withheld = list(labels[small])
    rest = sorted(
        (int(n), str(names[c]) if names is not None else str(c), c)
        for c, n, s in zip(labels, counts, small, strict=True)
        if not s
    )
    total = int(counts[small].sum())
    while total < threshold and rest:
        n, _, code = rest.pop(0)
        withheld.append(code)
        total += n
    return np.where(np.isin(codes, withheld), -1, codes)


def _admitted(columns: Sequence[np.ndarray], *, min_n: int) -> list[bool]:
    """Which coarsened attributes of one cell may be published together (step 3), in priority order."""
    if not columns:
        return []
    atoms_of = [np.unique(column, return_inverse=True)[1] for column in columns]

    def safe(chosen: Sequence[int]) -> bool:
        if not chosen:
            return True
        stacked = np.stack([atoms_of[c] for c in chosen], axis=1)
        patterns, _, sizes = np.unique(stacked, axis=0, return_inverse=True, return_counts=True)
        if sizes.min() >= min_n:  # every crossing is itself large enough: nothing small to isolate
            return True
        rows = [np.ones(len(patterns), dtype=bool)]
        for position in range(len(chosen)):
            rows.extend(patterns[:, position] == code for code in np.unique(patterns[:, position]))
        return smallest_isolated(np.array(rows), sizes, below=min_n) is None

    everything = list(range(len(columns)))
    if safe(everything):
        return [True] * len(columns)
    chosen: list[int] = []
    for candidate in everything:
        if safe([*chosen, candidate]):
            chosen.append(candidate)
    return [position in chosen for position in everything]


# ----------------------------------------------------------------------------------------------------------------
# The decision


def crosses_role(attribute: str, restriction: Mapping[str, str | None] | None) -> bool:
    """True when breaking a role-filtered selection down by ``attribute`` would cross two released attributes.

    The release decision (:mod:`survey_model.release`) checks each attribute's groups within every cell, not
    their crossings, so a role filter combines only with the school's own attributes (school, level, group).
    """
    return (restriction or {}).get("role") is not None and attribute not in {"role", *SCHOOL_ATTRIBUTES}


def breakdown_attributes(codebook: Codebook, frame: pd.DataFrame) -> list[str]:
    """Respondent attributes a page can break down by, role first (school attributes come from the school list)."""
    names = [a.id for a in codebook.attributes if a.id not in SCHOOL_ATTRIBUTES and a.id in frame.columns]
    return sorted(names, key=lambda name: name != "role")


def release(
    frame: pd.DataFrame,
    codebook: Codebook,
    *,
    schools: Mapping[str, SchoolInfo] | None = None,
    min_n: int = 5,
    min_n_sensitive: int = 10,
) -> Release:
    """Decide what may be published of every wave of one organization and return the released frame.

    Parameters
    ----------
    frame : DataFrame
        The organization's stored responses, every wave (``wave``, ``school``, attributes, answers,
        ``respondent_key``).
    codebook : Codebook
        Its instrument: attributes (and which are sensitive) and the leader-identity question.
    schools : mapping of str to SchoolInfo, optional
        The school list: level and group per school name. A school missing from it has no level or group.
    min_n, min_n_sensitive : int
        Smallest group published; for attributes the codebook marks sensitive.

    Returns
    -------
    Release
        See :class:`Release`. The frame keeps the input's row order, less left-out respondents.
    """
    if min_n < 1 or min_n_sensitive < min_n:
        raise ValueError(f"need 1 <= min_n <= min_n_sensitive, got {min_n} and {min_n_sensitive}")
    out = frame.copy()
    school = _text(out["school"]) if "school" in out.columns else pd.Series(NOT_ANSWERED, index=out.index)
    listed = set(schools or {})
    info, guessed = _with_levels_from_answers(dict(schools or {}), school, out)
    attributes = breakdown_attributes(codebook, out)
    sensitive = {a.id for a in codebook.attributes if a.sensitive}
    if codebook.leader is not None and codebook.leader.item in out.columns:
        out[IDENTITY] = identity_groups(out, codebook)
        attributes.insert(1 if attributes[:1] == ["role"] else 0, IDENTITY)
    # Each attribute as integer codes (and their names), so the work per cell is on small integer arrays.
    coded = {name: pd.factorize(_text(out[name]).to_numpy(dtype=object)) for name in attributes}
    keys = out[RESPONDENT_KEY].astype("string").fillna("").to_numpy(dtype=object) if RESPONDENT_KEY in out else None
    waves = out[WAVE].astype("string").to_numpy(dtype=object)
    school_values = school.to_numpy(dtype=object)

    cell_of = np.full(len(out), "", dtype=object)
    for wave in pd.unique(waves):
        in_wave = np.flatnonzero(waves == wave)
        cells = _cells(pd.Series(school_values[in_wave]).value_counts(), info, min_n=min_n)
        named = {school: f"{wave}\x1f{name}" for name, members in cells.items() for school in members}
        cell_of[in_wave] = np.array([named.get(school, "") for school in school_values[in_wave]], dtype=object)
    published = cell_of != ""
    if keys is not None:
        keys = np.where(published, keys, "")
        keys = _stayers(keys, waves, cell_of)

    released = {name: np.full(len(out), -1, dtype=np.intp) for name in attributes}
    cells = _cell_rows(cell_of)
    admitted_columns: dict[str, list[np.ndarray]] = {}
    for cell, rows in cells.items():
        columns = [
            _coarsened(
                coded[name][0][rows], threshold=min_n_sensitive if name in sensitive else min_n, names=coded[name][1]
            )
            for name in attributes
        ]
        admitted = _admitted(columns, min_n=min_n)
        admitted_columns[cell] = [column for column, ok in zip(columns, admitted, strict=True) if ok]
        for name, column, ok in zip(attributes, columns, admitted, strict=True):
            if ok:
                released[name][rows] = column
    if keys is not None:
        keys = _linked_keys(keys, waves, cells, admitted_columns, min_n=min_n)

    for name in attributes:
        names = np.append(np.asarray(coded[name][1], dtype=object), WITHHELD)  # code -1 reads as the last name
        out[name] = pd.Series(names[released[name]], index=out.index, dtype="string")
    if keys is not None:
        out[RESPONDENT_KEY] = pd.Series(keys, index=out.index, dtype="string")
    single = np.array([not c.split("\x1f", 1)[-1].startswith("pool:") for c in cell_of])
    out["school"] = pd.Series(np.where(single, school_values, WITHHELD), index=out.index, dtype="string")
    level, group = _school_attributes(school_values, cell_of, info)
    out["school_level"] = pd.Series(level, index=out.index, dtype="string")
    out[SCHOOL_GROUP] = pd.Series(group, index=out.index, dtype="string")
    listed_columns = []
    for name in sorted({name for school in info.values() for name in school.attributes}):
        column = LISTED_PREFIX + name
        out[column] = pd.Series(_listed_attribute(school_values, cell_of, info, name), index=out.index, dtype="string")
        listed_columns.append(column)
    loss_rows: list[dict[str, object]] = []
    as_text = {name: out[name].to_numpy(dtype=object) for name in [*attributes, "school"]}
    for wave in pd.unique(waves):
        in_wave = waves == wave
        for name, column in as_text.items():
            loss_rows.append(
                {
                    WAVE: wave,
                    "attribute": name,
                    "respondents": int(in_wave.sum()),
                    "published": int((in_wave & published).sum()),
                    "in_a_group": int((in_wave & published & (column != WITHHELD)).sum()),
                }
            )
    notes = _school_list_notes(school_values, listed, info, guessed)
    named = tuple(sorted(set(school_values) - {NOT_ANSWERED}))
    withheld = {}
    role = coded.get("role")
    for column, raw in (("school", set(school_values)), ("role", None if role is None else set(role[1]))):
        if raw is not None:
            shown = set(out.loc[published, column].astype(str))
            withheld[column] = tuple(sorted(raw - shown - {NOT_ANSWERED}))
    kept = out[published]
    for name in [*SCHOOL_ATTRIBUTES, *listed_columns, *attributes]:
        kept[name] = kept[name].astype("category")
    return Release(
        frame=kept,
        attributes=tuple(attributes),
        loss=pd.DataFrame(loss_rows),
        notes=notes,
        schools=named,
        withheld=withheld,
        listed=tuple(listed_columns),
    )


def _text(values: pd.Series) -> pd.Series:
    """An attribute as text, blanks and missing as *Not answered* (a group like any other)."""
    text = values.astype("string").str.strip().fillna("")
    return text.mask(text == "", NOT_ANSWERED).astype(object)


def _stayers(keys: np.ndarray, waves: np.ndarray, cell_of: np.ndarray) -> np.ndarray:
    """Blank the keys of respondents who changed cell between waves, so they are linked nowhere.

    A matched analysis of a selection holds the respondents in it in both waves; a mover would make it differ
    from the selection's linked part in a way the cell-by-cell check does not see.
    """
    school_cell = np.array([c.split("\x1f", 1)[-1] for c in cell_of], dtype=object)
    frame = pd.DataFrame({"key": keys, "cell": school_cell})
    linked = frame[frame["key"] != ""]
    movers = linked.groupby("key")["cell"].nunique()
    moved = movers.index[movers > 1]
    if len(moved) == 0:
        return keys
    return np.where(frame["key"].isin(moved).to_numpy(dtype=bool), "", keys).astype(object)


def _cell_rows(cell_of: np.ndarray) -> dict[str, np.ndarray]:
    """Row positions of each published cell (cells named ``""`` are left out)."""
    codes, names = pd.factorize(cell_of)
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.r_[True, codes[order][1:] != codes[order][:-1], True])
    return {
        names[codes[order[start]]]: order[start:stop]
        for start, stop in itertools.pairwise(bounds)
        if names[codes[order[start]]]
    }


def _linked_patterns(keys: np.ndarray, waves: np.ndarray) -> np.ndarray:
    """Each respondent's other waves answered (bits of wave codes); 0 for a blank key."""
    codes, _ = pd.factorize(waves)
    if codes.max(initial=0) > 62:
        raise ValueError("the release decision links at most 63 waves")
    bits = np.left_shift(np.int64(1), codes.astype(np.int64))
    frame = pd.DataFrame({"key": keys, "bit": bits})
    linked = frame[frame["key"] != ""].drop_duplicates()
    mask = linked.groupby("key")["bit"].sum()
    every = frame["key"].map(mask).fillna(0).to_numpy(dtype=np.int64)
    return np.where(keys != "", every & ~bits, 0)


def _linked_keys(
    keys: np.ndarray,
    waves: np.ndarray,
    cells: Mapping[str, np.ndarray],
    admitted: Mapping[str, list[np.ndarray]],
    *,
    min_n: int,
) -> np.ndarray:
    """Respondent keys, blank wherever the split by "which other waves this respondent answered" is withheld.

    In each cell that split is coarsened and checked with the attributes admitted there (like any attribute).
    Withheld respondents lose their key, so they are linked in no wave; that changes their partners' splits in
    other waves, so the check repeats until nothing changes (keys only ever go blank, so it ends).
    """
    keys = keys.copy()
    while True:
        patterns = _linked_patterns(keys, waves)
        blanked = False
        for cell, rows in cells.items():
            pattern = patterns[rows]
            if not pattern.any():
                continue
            column = _coarsened(pattern, threshold=min_n)
            column = np.where(column == -1, 0, column)  # withheld: not linked (0)
            column = _coarsened(column, threshold=min_n)  # "not linked" may now be a small part of its own
            if (column == -1).any() or not _admitted([*admitted[cell], column], min_n=min_n)[-1]:
                drop = rows[(column != 0) & (keys[rows] != "")]
            else:
                drop = rows[(column == 0) & (pattern != 0)]
            if len(drop):
                keys[drop] = ""
                blanked = True
        if not blanked:
            return keys


def _school_attributes(
    schools: np.ndarray, cell_of: np.ndarray, info: Mapping[str, SchoolInfo]
) -> tuple[np.ndarray, np.ndarray]:
    """Level and group of each respondent's cell: the school list's, when every school of the cell shares it."""
    level = np.array([info.get(s, SchoolInfo()).level or WITHHELD for s in schools], dtype=object)
    group = np.array([info.get(s, SchoolInfo()).group or WITHHELD for s in schools], dtype=object)
    frame = pd.DataFrame({"cell": cell_of, "level": level, "group": group})
    for column in ("level", "group"):
        mixed = frame.groupby("cell")[column].transform("nunique") > 1
        frame.loc[mixed, column] = WITHHELD
    return frame["level"].to_numpy(dtype=object), frame["group"].to_numpy(dtype=object)


def _listed_attribute(
    schools: np.ndarray, cell_of: np.ndarray, info: Mapping[str, SchoolInfo], name: str
) -> np.ndarray:
    """One further school attribute of each respondent's cell: the list's value when every school of the cell
    shares it, else :data:`WITHHELD` (as for level and group, so a pool never mixes, say, Title I and other)."""
    value = np.array([info.get(s, SchoolInfo()).attributes.get(name, "") or WITHHELD for s in schools], dtype=object)
    frame = pd.DataFrame({"cell": cell_of, "value": value})
    mixed = frame.groupby("cell")["value"].transform("nunique") > 1
    frame.loc[mixed, "value"] = WITHHELD
    return frame["value"].to_numpy(dtype=object)


def _with_levels_from_answers(
    info: dict[str, SchoolInfo], school: pd.Series, frame: pd.DataFrame
) -> tuple[dict[str, SchoolInfo], list[str]]:
    """The school list, with a level for each school that has none: what most of its respondents answered.

    One level per school, the same for all its respondents and waves, so comparing a school with its level can
    never single anyone out; staff see which levels were filled in this way and can set them on the Manage page.
    """
    if "school_level" not in frame.columns:
        return info, []
    answers = pd.DataFrame({"school": school.to_numpy(), "level": _text(frame["school_level"]).to_numpy()})
    answers = answers[(answers["level"] != NOT_ANSWERED) & (answers["school"] != NOT_ANSWERED)]
    counts = answers.groupby(["school", "level"]).size().reset_index(name="n")
    counts = counts.sort_values(["school", "n", "level"], ascending=[True, False, True])
    guessed = []
    for name, level in counts.drop_duplicates("school")[["school", "level"]].itertuples(index=False):
        if not info.get(name, SchoolInfo()).level:
            known = info.get(name, SchoolInfo())
            info[name] = SchoolInfo(level=level, group=known.group, attributes=known.attributes)
            guessed.append(name)
    return info, guessed


def _school_list_notes(
    schools: np.ndarray, listed: set[str], info: Mapping[str, SchoolInfo], guessed: Sequence[str]
) -> tuple[str, ...]:
    """Plain words for schools the list does not describe (they count in totals, never in a level or group)."""
    named = sorted({s for s in schools if s != NOT_ANSWERED})
    missing = [s for s in named if s not in listed]
    no_level = [s for s in named if s in info and not info[s].level]
    notes = []
    if guessed:
        notes.append(
            f"{len(guessed)} school(s) have no level in the school list ({', '.join(sorted(guessed)[:5])}"
            f"{'…' if len(guessed) > 5 else ''}): their level is what most of their respondents answered. Check it "
            "and save the school list on the Manage data page."
        )
    if missing:
        notes.append(
            f"{len(missing)} school(s) answered in the survey are not in the school list ({', '.join(missing[:5])}"
            f"{'…' if len(missing) > 5 else ''}): they count in no comparison group, and in a level only through "
            "their respondents' answers. Add them on the Manage data page."
        )
    if no_level:
        notes.append(
            f"{len(no_level)} school(s) have no level in the school list ({', '.join(no_level[:5])}"
            f"{'…' if len(no_level) > 5 else ''}): they count in no level's figures until one is given."
        )
    if (schools == NOT_ANSWERED).any():
        notes.append("Some respondents named no school: they count in the organization's totals only.")
    return tuple(notes)


#: Decimals of a figure by its Excel number format (the workbook says how each column is shown).
FORMAT_DECIMALS = {"0": 0, "0%": 2, "0.0": 1, "0.00": 2, "0.000": 3, "#,##0": 0}


def as_displayed(table: pd.DataFrame, *, formats: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``table`` with every figure rounded as it is shown, so nothing leaves the server more precise than the page.

    Rounding is half away from zero, like every shown figure. Decimals per column: from ``formats`` (an Excel number
    format per column, as the workbook declares them); otherwise 0 for percentages on the 0-100 scale (columns
    named ``pct…``) and 2 for everything else (shares in [0, 1] to whole percents, means to two decimals).
    Counts and text are left as they are.

    >>> as_displayed(pd.DataFrame({"pct_favorable": [46.5, 61.24], "share_yes": [0.4736, 0.305], "n": [12, 40]}))
       pct_favorable  share_yes   n
    0           47.0       0.47  12
    1           61.0       0.31  40
    """
    formats = formats or {}
    rounded = {}
    for column in table.columns:
        series = table[column]
        if not pd.api.types.is_float_dtype(series):
            continue
        if column in formats:
            decimals = FORMAT_DECIMALS.get(formats[column], 2)
        else:
            decimals = 0 if str(column).startswith("pct") else 2
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        scale = 10.0**decimals
        shown = np.sign(values) * np.floor(np.abs(np.round(values * scale, 9)) + 0.5) / scale
        rounded[column] = pd.Series(shown, index=series.index).astype(series.dtype)
    return table.assign(**rounded) if rounded else table


def school_info(schools: Sequence[object]) -> dict[str, SchoolInfo]:
    """The school list as the release decision reads it (from :meth:`survey_model.store.Store.schools`)."""
    return {
        s.name: SchoolInfo(
            level=getattr(s, "level", ""), group=getattr(s, "group", ""), attributes=dict(getattr(s, "attributes", ()))
        )
        for s in schools
    }


def released_responses(store: object, org: str, *, min_n: int = 5, min_n_sensitive: int = 10) -> Release:
    """Every wave of ``org`` from ``store``, through :func:`release`: what every publishing path must read.

    The decision always covers every stored wave (a command that needs two waves selects them afterwards), so a
    figure is published or withheld alike wherever it appears.
    """
    frame = store.load_responses(org)
    return release(
        frame,
        store.codebook_for(org),
        schools=school_info(store.schools(org)),
        min_n=min_n,
        min_n_sensitive=min_n_sensitive,
    )


__all__ = [
    "IDENTITY",
    "LISTED_PREFIX",
    "SCHOOL_ATTRIBUTES",
    "SCHOOL_GROUP",
    "WITHHELD",
    "Release",
    "SchoolInfo",
    "as_displayed",
    "breakdown_attributes",
    "crosses_role",
    "release",
    "released_responses",
    "school_info",
    "smallest_isolated",
]

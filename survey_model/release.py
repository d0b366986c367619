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
from threadpoolctl import threadpool_limits

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
    the residuals along two random directions and confirms every candidate exactly. Atoms that the projection
    cannot put in such a set are dropped first (:func:`_may_be_isolated`), which in a large cell is nearly all.

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
    small = small[_may_be_isolated(row_space, small, sizes, below=below)]
    if len(small) == 0:
        return None
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


def _may_be_isolated(row_space: np.ndarray, small: np.ndarray, sizes: np.ndarray, *, below: int) -> np.ndarray:
    """Which of the ``small`` atoms can be in an isolated set of at most four atoms (a mask over ``small``).

    With ``P`` the projection on the row space, a set ``T`` is isolated when ``P 1_T = 1_T``: for each atom ``i``
    of ``T``, ``sum(P[i, j] for j in T) = 1``. So ``i`` can be in one only if ``P[i, i]`` plus its largest
    ``|P[i, j]|`` over as many other small atoms as ``T`` may still hold (each small enough to join ``i`` below
    ``below``) reaches 1. In a large cell the projection spreads thin and most atoms fail this bound, which spares
    the pair search (:func:`smallest_isolated`) almost everywhere; it never drops an atom the search could return.
    """
    others = min(4, below - 1) - 1  # the search looks at sets of at most four atoms, together below ``below``
    basis = row_space[:, small]
    projection = np.abs(basis.T @ basis)
    reach = np.diagonal(projection).copy()
    if others > 0 and len(small) > 1:
        partners = projection.copy()
        np.fill_diagonal(partners, 0.0)
        partners[sizes[small][:, None] + sizes[small][None, :] >= below] = 0.0
        take = min(others, len(small) - 1)
        reach += np.partition(partners, -take, axis=1)[:, -take:].sum(axis=1)
    return reach >= 1.0 - 1e-6


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
    if len(codes) and codes.min() >= 0 and codes.max() < _DENSE:  # small codes: counted without sorting
        counts = np.bincount(codes)
        labels = np.flatnonzero(counts)
        counts = counts[labels]
    else:
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


#: Codes below this are counted and renumbered with lookup tables instead of sorting (the same results).
_DENSE = 4096


def _inverse(column: np.ndarray) -> np.ndarray:
    """``np.unique(column, return_inverse=True)[1]``: each value's rank among the column's distinct values."""
    if len(column) and column.min() >= -1 and column.max() < _DENSE:
        shifted = column + 1
        present = np.bincount(shifted) > 0
        return (np.cumsum(present) - 1)[shifted]
    return np.unique(column, return_inverse=True)[1]


def _admitted(columns: Sequence[np.ndarray], *, min_n: int) -> list[bool]:
    """Which coarsened attributes of one cell may be published together (step 3), in priority order."""
    if not columns:
        return []
    atoms_of = [_inverse(column) for column in columns]

    def safe(chosen: Sequence[int]) -> bool:
        if not chosen:
            return True
        patterns, sizes = _unique_rows([atoms_of[c] for c in chosen])
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


def _unique_rows(columns: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(np.stack(columns, axis=1), axis=0, return_counts=True)`` for columns of codes 0 or more.

    The rows are numbered in mixed radix (one integer per row, in the same lexicographic order), which is several
    times faster than sorting rows; columns too wide to number that way fall back to ``np.unique``.
    """
    widths = [int(column.max(initial=0)) + 1 for column in columns]
    if float(np.prod(np.asarray(widths, dtype=np.float64))) >= 2.0**62:
        return np.unique(np.stack(columns, axis=1), axis=0, return_counts=True)
    number = np.zeros(len(columns[0]), dtype=np.int64)
    for column, width in zip(columns, widths, strict=True):
        number = number * width + column
    distinct, counts = np.unique(number, return_counts=True)
    patterns = np.empty((len(distinct), len(columns)), dtype=np.int64)
    for position in range(len(columns) - 1, -1, -1):
        distinct, patterns[:, position] = np.divmod(distinct, widths[position])
    return patterns, counts


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
    # Every column the decision reads becomes integer codes (first appearance order, as pd.factorize gives) and
    # the names of its codes, so the work over 100,000s of rows is on integer arrays, never on text per row.
    n_rows = len(frame)
    if "school" in frame.columns:
        school_code, school_names = _text_codes(frame["school"])
    else:
        school_code, school_names = np.zeros(n_rows, dtype=np.intp), np.array([NOT_ANSWERED], dtype=object)
    listed = set(schools or {})
    info, guessed = _with_levels_from_answers(dict(schools or {}), school_code, school_names, frame)
    attributes = breakdown_attributes(codebook, frame)
    sensitive = {a.id for a in codebook.attributes if a.sensitive}
    identity = None
    if codebook.leader is not None and codebook.leader.item in frame.columns:
        identity = pd.Series(identity_groups(frame, codebook), index=frame.index)
        attributes.insert(1 if attributes[:1] == ["role"] else 0, IDENTITY)
    coded = {name: _text_codes(identity if name == IDENTITY else frame[name]) for name in attributes}
    wave_code, wave_names = _wave_codes(frame[WAVE])
    if RESPONDENT_KEY in frame.columns:
        key_code, key_names = pd.factorize(frame[RESPONDENT_KEY].astype("string").fillna("").to_numpy(dtype=object))
        key_code = np.where(key_names[key_code] == "", -1, key_code) if len(key_names) else key_code
    else:
        key_code, key_names = None, None

    # Cells of each wave: cell ids over rows (-1 unpublished), each cell's name without its wave, and pools.
    cell_of = np.full(n_rows, -1, dtype=np.intp)
    cell_names: list[str] = []
    for w in range(len(wave_names)):
        in_wave = np.flatnonzero(wave_code == w)
        sizes = np.bincount(school_code[in_wave], minlength=len(school_names))
        present = np.flatnonzero(sizes)
        cells = _cells(pd.Series(sizes[present], index=school_names[present]), info, min_n=min_n)
        lookup = np.full(len(school_names), -1, dtype=np.intp)
        position = {name: code for code, name in enumerate(school_names)}
        for name, members in cells.items():
            lookup[[position[school] for school in members]] = len(cell_names)
            cell_names.append(name)
        cell_of[in_wave] = lookup[school_code[in_wave]]
    published = cell_of >= 0
    pooled = np.array([name.startswith("pool:") for name in cell_names] + [False], dtype=bool)[cell_of]
    if key_code is not None:
        key_code = np.where(published, key_code, -1)
        key_code = _stayers(key_code, cell_of, pd.factorize(np.array([*cell_names, ""], dtype=object))[0])

    released = {name: np.full(n_rows, -1, dtype=np.intp) for name in attributes}
    cells_rows = _cell_rows(cell_of)
    admitted_columns: dict[int, list[np.ndarray]] = {}
    with threadpool_limits(1):  # thousands of small decompositions: BLAS threads only contend on busy cores
        for cell, rows in cells_rows.items():
            columns = [
                _coarsened(
                    coded[name][0][rows],
                    threshold=min_n_sensitive if name in sensitive else min_n,
                    names=coded[name][1],
                )
                for name in attributes
            ]
            admitted = _admitted(columns, min_n=min_n)
            admitted_columns[cell] = [column for column, ok in zip(columns, admitted, strict=True) if ok]
            for name, column, ok in zip(attributes, columns, admitted, strict=True):
                if ok:
                    released[name][rows] = column
        if key_code is not None:
            key_code = _linked_keys(key_code, wave_code, cells_rows, admitted_columns, min_n=min_n)

    # The released frame: the published rows, each released column a category of its released names.
    kept = frame[published]
    if identity is not None:
        kept[IDENTITY] = identity[published]
    withheld_names = {}
    for name in attributes:
        names = np.append(np.asarray(coded[name][1], dtype=object), WITHHELD)  # code -1 reads as the last name
        withheld_names[name] = names == WITHHELD
        kept[name] = _categories(released[name][published], names, index=kept.index)
    if key_code is not None:
        keys = np.append(np.asarray(key_names, dtype=object), "")[key_code[published]]
        kept[RESPONDENT_KEY] = pd.Series(keys, index=kept.index, dtype="string")
    shown_school = np.where(pooled, len(school_names), school_code)
    school_shown_names = np.append(school_names, WITHHELD)
    kept["school"] = _categories(shown_school[published], school_shown_names, index=kept.index)
    level, group = _school_attributes(school_code[published], cell_of[published], school_names, info)
    kept["school_level"] = level.set_axis(kept.index)
    kept[SCHOOL_GROUP] = group.set_axis(kept.index)
    listed_columns = []
    for name in sorted({name for school in info.values() for name in school.attributes}):
        column = LISTED_PREFIX + name
        values = _listed_attribute(school_code[published], cell_of[published], school_names, info, name)
        kept[column] = values.set_axis(kept.index)
        listed_columns.append(column)

    in_group = {name: ~withheld_names[name][released[name]] for name in attributes}
    in_group["school"] = ~(school_shown_names == WITHHELD)[shown_school]
    loss_rows: list[dict[str, object]] = []
    respondents = np.bincount(wave_code, minlength=len(wave_names))
    published_n = np.bincount(wave_code[published], minlength=len(wave_names))
    counted = {name: np.bincount(wave_code[published & ok], minlength=len(wave_names)) for name, ok in in_group.items()}
    for w, wave in enumerate(wave_names):
        for name in [*attributes, "school"]:
            loss_rows.append(
                {
                    WAVE: wave,
                    "attribute": name,
                    "respondents": int(respondents[w]),
                    "published": int(published_n[w]),
                    "in_a_group": int(counted[name][w]),
                }
            )
    present_schools = school_names[np.unique(school_code)]
    notes = _school_list_notes(present_schools, listed, info, guessed)
    named = tuple(sorted(set(present_schools) - {NOT_ANSWERED}))
    withheld = {"school": tuple(sorted(set(present_schools) - _shown(kept["school"]) - {NOT_ANSWERED}))}
    if "role" in coded:
        withheld["role"] = tuple(sorted(set(coded["role"][1]) - _shown(kept["role"]) - {NOT_ANSWERED}))
    return Release(
        frame=kept,
        attributes=tuple(attributes),
        loss=pd.DataFrame(loss_rows),
        notes=notes,
        schools=named,
        withheld=withheld,
        listed=tuple(listed_columns),
    )


def _shown(column: pd.Series) -> set[str]:
    """The values a released category column shows."""
    return {str(value) for value in column.unique()}


def _text(values: pd.Series) -> pd.Series:
    """An attribute as text, blanks and missing as *Not answered* (a group like any other)."""
    text = values.astype("string").str.strip().fillna("")
    return text.mask(text == "", NOT_ANSWERED).astype(object)


def _text_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize`` of :func:`_text` of ``values``: codes in order of first appearance, and their names.

    Categories and string columns are turned into text once per distinct value instead of once per row.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        raw = values.cat.codes.to_numpy()
        distinct = pd.Series(values.cat.categories, dtype=object)
    elif pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        raw, uniques = pd.factorize(values)
        distinct = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
    else:
        codes, names = pd.factorize(_text(values).to_numpy(dtype=object))
        return codes, np.asarray(names, dtype=object)
    text = _text(pd.concat([distinct, pd.Series([None], dtype=object)], ignore_index=True)).to_numpy(dtype=object)
    text_id, text_names = pd.factorize(text)
    per_row = text_id[raw]  # code -1 (missing) reads as the appended None, i.e. Not answered
    codes, first = pd.factorize(per_row)
    return codes, np.asarray(text_names, dtype=object)[first]


def _wave_codes(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Each row's wave as a code in order of first appearance, and the waves' labels as text."""
    if isinstance(values.dtype, pd.CategoricalDtype) and not values.isna().any():
        codes, first = pd.factorize(values.cat.codes.to_numpy())
        return codes, [str(label) for label in np.asarray(values.cat.categories, dtype=object)[first]]
    codes, names = pd.factorize(values.astype("string").to_numpy(dtype=object))
    return codes, list(names)


def _categories(codes: np.ndarray, names: np.ndarray, *, index: pd.Index) -> pd.Series:
    """``names[codes]`` as the category column ``astype("category")`` of its text would give (sorted categories)."""
    used = np.unique(codes)
    labels = pd.Series(names[used], dtype="string")
    dtype = labels.astype("category").dtype
    position = np.full(len(names), -1, dtype=np.intp)
    position[used] = dtype.categories.get_indexer(labels)
    return pd.Series(pd.Categorical.from_codes(position[codes], dtype=dtype), index=index)


def _stayers(keys: np.ndarray, cell_of: np.ndarray, label_of_cell: np.ndarray) -> np.ndarray:
    """Blank (-1) the keys of respondents who changed cell between waves, so they are linked nowhere.

    A matched analysis of a selection holds the respondents in it in both waves; a mover would make it differ
    from the selection's linked part in a way the cell-by-cell check does not see. ``label_of_cell`` names each
    cell without its wave (a school, or a pool), so the same school in two waves is the same cell here.
    """
    linked = keys >= 0
    if not linked.any():
        return keys
    label = label_of_cell[cell_of[linked]].astype(np.int64)
    pairs = np.unique(keys[linked].astype(np.int64) * (int(label_of_cell.max()) + 1) + label)
    cells_per_key = np.bincount(pairs // (int(label_of_cell.max()) + 1), minlength=int(keys.max()) + 1)
    moved = cells_per_key > 1
    if not moved.any():
        return keys
    return np.where(linked & moved[np.maximum(keys, 0)], -1, keys)


def _cell_rows(cell_of: np.ndarray) -> dict[int, np.ndarray]:
    """Row positions of each published cell (rows of cell -1 are left out)."""
    order = np.argsort(cell_of, kind="stable")
    sorted_cells = cell_of[order]
    bounds = np.flatnonzero(np.r_[True, sorted_cells[1:] != sorted_cells[:-1], True])
    return {
        int(sorted_cells[start]): order[start:stop]
        for start, stop in itertools.pairwise(bounds)
        if sorted_cells[start] >= 0
    }


def _linked_patterns(keys: np.ndarray, waves: np.ndarray) -> np.ndarray:
    """Each respondent's other waves answered (bits of wave codes, first appearance order); 0 for no key (-1)."""
    if waves.max(initial=0) > 62:
        raise ValueError("the release decision links at most 63 waves")
    bits = np.left_shift(np.int64(1), waves.astype(np.int64))
    linked = keys >= 0
    mask = np.zeros(int(keys.max(initial=-1)) + 1, dtype=np.int64)
    np.bitwise_or.at(mask, keys[linked], bits[linked])
    every = np.where(linked, mask[np.maximum(keys, 0)] if len(mask) else 0, 0)
    return np.where(linked, every & ~bits, 0)


def _linked_keys(
    keys: np.ndarray,
    waves: np.ndarray,
    cells: Mapping[int, np.ndarray],
    admitted: Mapping[int, list[np.ndarray]],
    *,
    min_n: int,
) -> np.ndarray:
    """Respondent key codes, -1 wherever the split by "which other waves this respondent answered" is withheld.

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
                drop = rows[(column != 0) & (keys[rows] >= 0)]
            else:
                drop = rows[(column == 0) & (pattern != 0)]
            if len(drop):
                keys[drop] = -1
                blanked = True
        if not blanked:
            return keys


def _cell_values(per_school: np.ndarray, school_code: np.ndarray, cell_of: np.ndarray) -> pd.Series:
    """A school-list value of each respondent's cell: the value of its schools when they all share it, else
    :data:`WITHHELD` (so a pool of small schools never mixes, say, two levels, or Title I and other schools).

    ``per_school`` holds each school's value (by school code). Returned as a category column (sorted categories,
    as ``astype("category")`` gives).
    """
    value_code, value_names = pd.factorize(per_school)
    value_names = np.append(np.asarray(value_names, dtype=object), WITHHELD)
    row_value = value_code[school_code]
    if len(cell_of):
        pairs, _ = _unique_rows([cell_of, row_value])
        cells, counts = np.unique(pairs[:, 0], return_counts=True)
        mixed = np.zeros(int(cell_of.max()) + 2, dtype=bool)
        mixed[cells[counts > 1]] = True
        row_value = np.where(mixed[cell_of], len(value_names) - 1, row_value)
    return _categories(row_value, value_names, index=pd.RangeIndex(len(cell_of)))


def _school_attributes(
    school_code: np.ndarray, cell_of: np.ndarray, school_names: np.ndarray, info: Mapping[str, SchoolInfo]
) -> tuple[pd.Series, pd.Series]:
    """Level and group of each respondent's cell (:func:`_cell_values`)."""
    level, group = (
        _cell_values(
            np.array([getattr(info.get(s, SchoolInfo()), field_name) or WITHHELD for s in school_names], dtype=object),
            school_code,
            cell_of,
        )
        for field_name in ("level", "group")
    )
    return level, group


def _listed_attribute(
    school_code: np.ndarray, cell_of: np.ndarray, school_names: np.ndarray, info: Mapping[str, SchoolInfo], name: str
) -> pd.Series:
    """One further school attribute (Title I, locale, ...) of each respondent's cell (:func:`_cell_values`)."""
    per_school = [info.get(s, SchoolInfo()).attributes.get(name, "") or WITHHELD for s in school_names]
    return _cell_values(np.array(per_school, dtype=object), school_code, cell_of)


def _with_levels_from_answers(
    info: dict[str, SchoolInfo], school_code: np.ndarray, school_names: np.ndarray, frame: pd.DataFrame
) -> tuple[dict[str, SchoolInfo], list[str]]:
    """The school list, with a level for each school that has none: what most of its respondents answered.

    One level per school, the same for all its respondents and waves, so comparing a school with its level can
    never single anyone out; staff see which levels were filled in this way and can set them on the Manage page.
    """
    if "school_level" not in frame.columns:
        return info, []
    level_code, level_names = _text_codes(frame["school_level"])
    pairs, n = _unique_rows([school_code, level_code])
    counts = pd.DataFrame({"school": school_names[pairs[:, 0]], "level": level_names[pairs[:, 1]], "n": n})
    counts = counts[(counts["level"] != NOT_ANSWERED) & (counts["school"] != NOT_ANSWERED)]
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
    if (np.asarray(schools, dtype=object) == NOT_ANSWERED).any():
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

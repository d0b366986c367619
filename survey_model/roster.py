"""Rosters and response rates: how many of a school's educators answered a wave.

A *roster* gives, for one wave, the number of educators per school (a small CSV or XLSX file with the columns
``school`` and ``staff``). :func:`read_roster` reads one, :func:`check_roster` checks it against the school list
and the stored answers and collects every problem in one list, and :func:`response_rates` turns the released
answers and a stored roster into rates.

Rates are figures too
---------------------
A rate times the roster gives the number of respondents, so a rate is shown only where that number is itself
published: for the organization, and for a school that the release decision (:mod:`survey_model.release`)
publishes as a school in that wave. A small school pooled with others gets no rate of its own (its rate and its
roster would give its respondent count).

Reading with care
-----------------
Under :data:`LOW_RESPONSE_RATE` (50%, as the UChicago 5Essentials reports use) a rate carries the warning
:data:`LOW_RESPONSE_WARNING`: the people who answered may not speak for the rest.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from survey_model.importers.reading import ExportReadError, read_table
from survey_model.plurals import counted
from survey_model.release import WITHHELD
from survey_model.responses import NOT_ANSWERED, WAVE

__all__ = [
    "LOW_RESPONSE_RATE",
    "LOW_RESPONSE_WARNING",
    "ResponseRate",
    "ResponseRates",
    "RosterCheck",
    "check_roster",
    "check_roster_file",
    "low_response_warning",
    "rate_text",
    "read_roster",
    "response_rates",
]

LOW_RESPONSE_RATE = 0.5
"""Default share of a roster below which a rate is flagged (see :attr:`survey_model.settings.Settings`)."""
LOW_RESPONSE_WARNING = "fewer than half of the educators answered: read with care"
"""What a flagged rate says at the default threshold (:func:`low_response_warning` for another)."""

_SCHOOL_COLUMNS = ("school", "school name", "school_name")
_STAFF_COLUMNS = ("staff", "educators", "staff_count", "roster", "n_staff")


@dataclass(frozen=True)
class RosterCheck:
    """A roster file read and checked: the counts to store, or every problem found."""

    staff: dict[str, int]
    """School name → educators, as it would be stored (empty when nothing could be read)."""
    problems: tuple[str, ...] = field(default_factory=tuple)
    """Each problem in plain words (what is wrong, where, and what to do); nothing is stored while there are any."""
    named: frozenset[str] = frozenset()
    """Every school the file names, with a usable count or not (so a bad line is not also reported missing)."""

    @property
    def ok(self) -> bool:
        """True when the roster can be stored."""
        return not self.problems and bool(self.staff)


def read_roster(data: bytes, filename: str) -> RosterCheck:
    """Read a roster file (CSV, TSV or XLSX with a ``school`` and a ``staff`` column) without checking it further.

    Every line's problems are collected: a missing column, a blank school, a school given twice, a count that is
    not a whole number or is negative. ``staff`` holds the readable lines.

    Examples
    --------
    >>> read_roster(b"school,staff\\nOak,40\\nElm,-3\\n", "roster.csv").problems
    ("Line 3 (Elm): the staff count '-3' is negative. Give the number of educators, 0 or more.",)
    """
    try:
        table = read_table(data, filename)
    except ExportReadError as exc:
        return RosterCheck({}, (f"The roster cannot be read: {exc.message} Save it as CSV or Excel (.xlsx).",))
    cells = table.cells
    if cells.empty:
        return RosterCheck({}, ("The roster is empty. Give one line per school: school, staff.",))
    header = [str(value).strip().lower() for value in cells.iloc[0]]
    school_at = next((i for i, name in enumerate(header) if name in _SCHOOL_COLUMNS), None)
    staff_at = next((i for i, name in enumerate(header) if name in _STAFF_COLUMNS), None)
    if school_at is None or staff_at is None:
        missing = " and ".join(
            name for name, at in (("school", school_at), ("staff", staff_at)) if at is None
        )  # fmt: skip
        return RosterCheck(
            {},
            (
                f"The roster has no {missing} column (its first line reads: {', '.join(header) or 'nothing'}). "
                "Its first line must name the columns school and staff (the number of educators).",
            ),
        )
    staff: dict[str, int] = {}
    problems: list[str] = []
    for position in range(1, len(cells)):
        line = position + 1
        school = str(cells.iat[position, school_at]).strip()
        raw = str(cells.iat[position, staff_at]).strip()
        if not school and not raw:
            continue
        if not school:
            problems.append(f"Line {line}: no school name. Give the school's name as the survey lists it.")
            continue
        where = f"Line {line} ({school})"
        if school in staff:
            problems.append(f"{where}: the school is listed twice. Give each school once.")
            continue
        count = _whole_number(raw)
        if count is None:
            problems.append(f"{where}: the staff count {raw!r} is not a whole number. Give the number of educators.")
        elif count < 0:
            problems.append(f"{where}: the staff count {raw!r} is negative. Give the number of educators, 0 or more.")
        else:
            staff[school] = count
    if not staff and not problems:
        problems.append("The roster lists no school. Give one line per school: school, staff.")
    named = frozenset(str(cells.iat[p, school_at]).strip() for p in range(1, len(cells))) - {""}
    return RosterCheck(staff, tuple(problems), named)


def _whole_number(text: str) -> int | None:
    """``"40"``, ``"40.0"`` or ``"1,200"`` as a whole number; ``None`` for anything else."""
    try:
        value = float(text.replace(",", "").replace("\u00a0", ""))
    except ValueError:
        return None
    if not math.isfinite(value) or value != int(value):
        return None
    return int(value)


def check_roster(
    roster: RosterCheck,
    *,
    wave: str,
    waves: Sequence[str],
    listed: Sequence[str],
    respondents: Mapping[str, int],
) -> RosterCheck:
    """Check a read roster against the stored wave: every problem in one list, nothing stored while there is one.

    Parameters
    ----------
    roster : RosterCheck
        What :func:`read_roster` read (its own problems are kept).
    wave : str
        The wave the roster is for.
    waves : sequence of str
        The organization's stored wave labels.
    listed : sequence of str
        The schools of the organization's school list.
    respondents : mapping of str to int
        Respondents per school in that wave, from the stored answers (a check for staff, never published).

    Returns
    -------
    RosterCheck
        With problems for a missing wave, a school that is neither in the school list nor in the answers, a
        school whose respondents outnumber its staff (a rate over 100% is a data problem), and a school that
        answered but is missing from the roster.
    """
    problems = list(roster.problems)
    if wave not in waves:
        stored = ", ".join(repr(label) for label in waves) or "none"
        problems.insert(
            0, f"There is no stored wave {wave!r} (stored waves: {stored}). Upload the wave first, or pick one stored."
        )
        return RosterCheck(roster.staff, tuple(problems), roster.named)
    answered = {school for school, n in respondents.items() if n > 0 and school not in {"", NOT_ANSWERED}}
    known = set(listed) | answered
    unknown = sorted(set(roster.staff) - known)
    if unknown:
        problems.append(
            f"{counted(len(unknown), 'school')} in the roster {'is' if len(unknown) == 1 else 'are'} neither in the "
            f"school list nor in the answers of {wave}: {', '.join(unknown)}. Check the spelling against the "
            "school list on the Manage data page."
        )
    for school in sorted(set(roster.staff) & answered):
        if roster.staff[school] < respondents[school]:
            problems.append(
                f"{school}: {counted(roster.staff[school], 'educator')} on the roster but "
                f"{counted(respondents[school], 'respondent')} in {wave}, a response rate over 100%. Check the "
                "roster (or the school named in the answers) before storing it."
            )
    missing = sorted(answered - set(roster.staff) - roster.named)
    if missing:
        problems.append(
            f"{counted(len(missing), 'school')} answered in {wave} but {'is' if len(missing) == 1 else 'are'} not "
            f"in the roster: {', '.join(missing)}. Give every school's number of educators."
        )
    return RosterCheck(roster.staff, tuple(problems), roster.named)


def check_roster_file(store: object, org: str, wave: str, data: bytes, filename: str) -> RosterCheck:
    """Read a roster file and check it against ``store``'s school list and the answers of ``org``'s ``wave``.

    The one check the Manage page and the ``roster`` command share; store the result's :attr:`RosterCheck.staff`
    with :meth:`~survey_model.store.Store.set_roster` only when :attr:`RosterCheck.ok`.
    """
    read = read_roster(data, filename)
    waves = [record.label for record in store.waves(org)]
    respondents: dict[str, int] = {}
    if wave in waves:
        # A check for staff before storing, never published: the stored answers' schools, counted.
        answers = store.load_responses(org, waves=[wave])
        if "school" in answers.columns:
            schools = answers["school"].astype("string").fillna("").str.strip()
            respondents = {str(k): int(v) for k, v in schools.value_counts().items()}
    listed = [school.name for school in store.schools(org)]
    return check_roster(read, wave=wave, waves=waves, listed=listed, respondents=respondents)


@dataclass(frozen=True)
class ResponseRate:
    """One published response rate."""

    respondents: int
    """Respondents in the wave (a published count)."""
    staff: int
    """Educators on the roster."""

    @property
    def rate(self) -> float:
        """Share of the roster that answered, in [0, 1]."""
        return self.respondents / self.staff if self.staff else math.nan

    def low(self, threshold: float = LOW_RESPONSE_RATE) -> bool:
        """True when fewer than ``threshold`` (a share) of the educators answered."""
        return self.rate < threshold


@dataclass(frozen=True)
class ResponseRates:
    """The response rates one wave may show."""

    wave: str
    organization: ResponseRate | None
    """The organization's rate; ``None`` without a roster covering every school that answered."""
    schools: dict[str, ResponseRate]
    """Each school published as a school in the wave → its rate (pooled and unrostered schools are absent)."""
    without_rate: int = 0
    """Schools on the roster that get no rate of their own (pooled with other small schools, or no respondents)."""

    def of(self, school: str | None = None) -> ResponseRate | None:
        """The organization's rate (``school`` ``None``) or one school's; ``None`` when it may not be shown."""
        return self.organization if school is None else self.schools.get(school)

    def table(self, *, threshold: float = LOW_RESPONSE_RATE) -> pd.DataFrame:
        """The schools' rates as a table: ``school``, ``respondents``, ``staff``, ``rate`` (share), ``low``."""
        rows = [
            {"school": name, "respondents": r.respondents, "staff": r.staff, "rate": r.rate, "low": r.low(threshold)}
            for name, r in sorted(self.schools.items())
        ]
        columns = ["school", "respondents", "staff", "rate", "low"]
        return pd.DataFrame(rows, columns=columns).astype({"respondents": "int64", "staff": "int64", "rate": float})


def response_rates(released: pd.DataFrame, roster: Mapping[str, int], *, wave: str) -> ResponseRates:
    """Response rates of one wave from the *released* answers and the wave's roster.

    Parameters
    ----------
    released : DataFrame
        The released frame (:attr:`survey_model.release.Release.frame`), every wave; a pooled school's
        respondents carry the school :data:`~survey_model.release.WITHHELD`.
    roster : mapping of str to int
        School name → educators, for ``wave`` (empty when no roster was given).
    wave : str
        The wave.

    Returns
    -------
    ResponseRates
        The organization's rate (its respondents over the whole roster) and each school's that is published as a
        school and on the roster.

    Examples
    --------
    >>> frame = pd.DataFrame({"wave": ["W"] * 9, "school": ["Oak"] * 6 + ["(withheld)"] * 3})
    >>> rates = response_rates(frame, {"Oak": 10, "Elm": 4, "Ash": 6}, wave="W")
    >>> rates.organization.respondents, rates.organization.staff, sorted(rates.schools), rates.without_rate
    (9, 20, ['Oak'], 2)
    """
    in_wave = released[released[WAVE].astype(str) == wave]
    if in_wave.empty or not roster:
        return ResponseRates(wave, None, {})
    schools = in_wave["school"].astype(str).value_counts()
    rates = {
        school: ResponseRate(int(n), int(roster[school]))
        for school, n in schools.items()
        if school not in {WITHHELD, NOT_ANSWERED} and school in roster
    }
    total = int(sum(roster.values()))
    unrostered = set(schools.index) - set(roster) - {WITHHELD, NOT_ANSWERED}
    covered = not unrostered and total > 0 and len(in_wave) <= total
    organization = ResponseRate(len(in_wave), total) if covered else None
    without_rate = sum(1 for school in roster if school not in rates and roster[school] > 0)
    return ResponseRates(wave, organization, rates, without_rate=without_rate)


def rate_text(rate: ResponseRate, *, threshold: float = LOW_RESPONSE_RATE) -> str:
    """A rate in words, e.g. ``"84% response rate (62 of 74 educators)"``, with the warning when it is low.

    >>> rate_text(ResponseRate(12, 80))
    '15% response rate (12 of 80 educators): fewer than half of the educators answered: read with care'
    """
    text = f"{_percent(rate.rate)} response rate ({rate.respondents:,} of {counted(rate.staff, 'educator')})"
    if rate.low(threshold):
        return f"{text}: {low_response_warning(threshold)}"
    return text


def low_response_warning(threshold: float = LOW_RESPONSE_RATE) -> str:
    """The warning a rate under ``threshold`` (a share in (0, 1]) carries.

    >>> low_response_warning(0.6)
    'fewer than 60% of the educators answered: read with care'
    """
    if threshold == LOW_RESPONSE_RATE:
        return LOW_RESPONSE_WARNING
    return f"fewer than {_percent(threshold)} of the educators answered: read with care"


def _percent(share: float) -> str:
    """A share as a whole percent, rounded half away from zero like every shown figure."""
    return f"{math.floor(100 * share + 0.5):.0f}%"

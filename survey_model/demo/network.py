"""The fictional network, its three survey waves and the latent model that answers the survey.

Two partner organizations: *Cedar Valley School District* (ten schools; five are the collective-leadership
**cohort**, five are **comparison** schools) and *Harbor Point Schools* (four schools, no cohort marking).
Every school has a staff roster that turns over between waves; the staff who respond in a wave answer the
codebook's survey from a latent model:

* **Conditions.** Each school has a *climate* on every condition (points on the 1–5 agreement scale):
  ``base[condition] + school offset + school×condition offset + small wave noise``, plus the planted shift
  (:attr:`DemoModel.cohort_shift`) for Shared influence and Relationships in cohort schools. A respondent's
  latent level on a condition is ``climate + role offset + person effect + person×condition effect``; person
  effects persist (AR(1), :attr:`DemoModel.persistence`) for staff who stay. An answer is that level plus the
  item's difficulty plus noise, cut at 1.5, 2.5, 3.5, 4.5 into 1–5. A reverse-worded item is exported as
  ``6 − answer``, so a respondent high on a condition *disagrees* with its reverse item.
* **Leader identity** ("Do you consider yourself a leader?"). A propensity
  ``η = w_t·trait + w_f·formal role + role effect + w_SI·(own SI answers − 3) + w_RN·(own RN answers − 3)``
  decides *who* says Yes; the planted share decides *how many*: in each organization × wave × group exactly
  ``round(p·n)`` of the ``n`` valid answerers say Yes, drawn without replacement with weights ``exp(η)`` (the
  Gumbel top-k trick), then ``round(q·n)`` of the rest say Not sure the same way. The planted shares are
  therefore realised to within ``1/(2n)``, while Yes still goes mostly to formal leaders and to people who see
  shared influence and good relationships. The **drivers** (:attr:`DemoModel.leader_drivers`) act through the
  respondent's own answers on those conditions (the mean of the four answers, before non-response), so given
  them no other condition goes with Yes: the known truth a driver analysis must recover.
* **Real-data mess.** Skipped answers, "Don't know" and "Prefer not to answer", blank attributes, a school of
  eight staff (fewer than five respondents in a wave), rare roles, blank Staff IDs on the platforms where the
  ID is typed in, a Qualtrics preview and two partial responses per Qualtrics file.

Every random draw comes from ``numpy.random.default_rng([seed, stream])`` with one stream per purpose, so the
same seed gives the same network on any machine.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd

from survey_model.codebook import Codebook, load_codebook, normalise_label
from survey_model.responses import ITEM_DTYPE, NONSUBSTANTIVE, RESPONDENT_ID, WAVE

DEFAULT_SEED = 192
"""Seed of the committed ``data_samples/`` files (see :data:`SEED_CHOICE`)."""

SEED_CHOICE = (
    "Seeds 1-240 were generated and scored with survey_model.scoring; the default seed is the one whose realised "
    "wave-to-wave changes in percent favorable (every condition, organization and group) stay closest to their "
    "expected values (largest gap 3.0 points; across seeds the gap has an SD of about 2.3 points), so sampling "
    "noise does not blur the demo's planted story. Leader-identity shares are exact for any seed."
)

NETWORK_SEED_OFFSET = 1000
"""The third and fourth organizations are simulated with seed ``seed + NETWORK_SEED_OFFSET``."""

COHORT = "cohort"
COMPARISON = "comparison"
OTHER = "other"
"""Group of schools with no cohort marking (Harbor Point); ``schools.csv`` leaves their group empty."""

ORGANIZATION = "organization"
"""Column of the demo responses frame holding the organization id."""

DONT_KNOW = "Don't know"
PREFER_NOT = "Prefer not to answer"

SCHOOL_STEM = "How much do you agree or disagree with each statement about your school?"
SELF_STEM = "How much do you agree or disagree with each statement about yourself?"
STAFF_ID_QUESTION = "Staff ID"


@dataclass(frozen=True)
class DemoSchool:
    """One fictional school."""

    name: str
    """School name as respondents pick it."""
    level: str
    """One of the codebook's ``school_level`` options."""
    staff: int
    """Staff positions (the roster size each wave)."""
    group: str = ""
    """``"cohort"``, ``"comparison"`` or ``""`` (no cohort marking)."""
    response_rate: float = 0.83
    """Chance that a rostered staff member answers a wave, in [0, 1]."""
    title_i: bool = False
    """Receives Title I funds (a school attribute in ``schools.csv`` for equity breakdowns; plays no part in the
    simulation)."""


@dataclass(frozen=True)
class DemoOrganization:
    """One partner organization and its schools."""

    id: str
    """Short id used in file names, e.g. ``"cedar-valley"``."""
    name: str
    """Name shown to users."""
    email_domain: str
    """Domain of the fake staff e-mail addresses (``.example``, reserved for examples)."""
    staff_id_prefix: str
    """Prefix of the stable Staff IDs, e.g. ``"CV"`` for ``CV-40213``."""
    latitude: float
    """Rough location of the district office, for Qualtrics' location columns."""
    longitude: float
    schools: tuple[DemoSchool, ...]


@dataclass(frozen=True)
class DemoWave:
    """One survey wave and the platform it was run on."""

    id: str
    """Short id used in file names, e.g. ``"2024-spring"``."""
    label: str
    """Wave label, e.g. ``"2024 Spring"``."""
    opens: date
    """First day of the survey window (the wave's date)."""
    closes: date
    """Last day of the survey window."""
    platform: str
    """``"google-forms"``, ``"surveymonkey"`` or ``"qualtrics"``."""


ORGANIZATIONS: tuple[DemoOrganization, ...] = (
    DemoOrganization(
        id="cedar-valley",
        name="Cedar Valley School District",
        email_domain="cedarvalley.example",
        staff_id_prefix="CV",
        latitude=42.0312,
        longitude=-91.6420,
        schools=(
            DemoSchool("Alder Elementary School", "Elementary", 52, COHORT, 0.84, title_i=True),
            DemoSchool("Birchwood Elementary School", "Elementary", 44, COHORT, 0.86),
            DemoSchool("Cedar Valley Middle School", "Middle", 80, COHORT, 0.82, title_i=True),
            DemoSchool("Riverside K-8 School", "K-8", 74, COHORT, 0.85),
            DemoSchool("Cedar Valley High School", "High", 92, COHORT, 0.78),
            DemoSchool("Dogwood Elementary School", "Elementary", 38, COMPARISON, 0.87),
            DemoSchool("Elm Street Elementary School", "Elementary", 60, COMPARISON, 0.83, title_i=True),
            DemoSchool("Fir Ridge Middle School", "Middle", 66, COMPARISON, 0.81),
            DemoSchool("Valley View High School", "High", 86, COMPARISON, 0.79),
            DemoSchool("Juniper Hollow School", "Elementary", 8, COMPARISON, 0.55, title_i=True),
        ),
    ),
    DemoOrganization(
        id="harbor-point",
        name="Harbor Point Schools",
        email_domain="harborpoint.example",
        staff_id_prefix="HP",
        latitude=44.5133,
        longitude=-88.0158,
        schools=(
            DemoSchool("Harbor Point Elementary School", "Elementary", 96, "", 0.85),
            DemoSchool("Seaside Elementary School", "Elementary", 88, "", 0.84, title_i=True),
            DemoSchool("Harbor Point Middle School", "Middle", 128, "", 0.82, title_i=True),
            DemoSchool("Harbor Point High School", "High", 176, "", 0.80),
        ),
    ),
)

NETWORK_ORGANIZATIONS: tuple[DemoOrganization, ...] = (
    DemoOrganization(
        id="lakeshore",
        name="Lakeshore Unified",
        email_domain="lakeshore.example",
        staff_id_prefix="LU",
        latitude=43.0389,
        longitude=-87.9065,
        schools=(
            DemoSchool("Lakeshore Elementary School", "Elementary", 40, "", 0.84),
            DemoSchool("Marina Elementary School", "Elementary", 34, "", 0.82, title_i=True),
            DemoSchool("Lakeshore Middle School", "Middle", 56, "", 0.25, title_i=True),
            DemoSchool("Lakeshore High School", "High", 58, "", 0.80),
        ),
    ),
    DemoOrganization(
        id="pine-ridge",
        name="Pine Ridge Schools",
        email_domain="pineridge.example",
        staff_id_prefix="PR",
        latitude=45.3211,
        longitude=-92.4120,
        schools=(
            DemoSchool("Pine Ridge Elementary School", "Elementary", 36, "", 0.85, title_i=True),
            DemoSchool("Pine Ridge Middle School", "Middle", 40, "", 0.83),
            DemoSchool("Pine Ridge High School", "High", 50, "", 0.81),
        ),
    ),
)
"""The network's third and fourth organizations, simulated apart from the first two (with their own seed, the
first two's item difficulties) so the first two stay identical, cell for cell. Lakeshore Middle School is the
planted low-response school: about a quarter of its educators answer each wave."""
NETWORK = "Great Lakes Network"
"""The network all four demo organizations belong to (so partners see the pooled network beside them)."""
ALL_ORGANIZATIONS: tuple[DemoOrganization, ...] = ORGANIZATIONS + NETWORK_ORGANIZATIONS

WAVES: tuple[DemoWave, ...] = (
    DemoWave("2024-spring", "2024 Spring", date(2024, 4, 15), date(2024, 5, 3), "google-forms"),
    DemoWave("2025-spring", "2025 Spring", date(2025, 4, 14), date(2025, 5, 2), "surveymonkey"),
    DemoWave("2026-spring", "2026 Spring", date(2026, 4, 13), date(2026, 5, 1), "qualtrics"),
)


@dataclass(frozen=True)
class RoleProfile:
    """How a role is staffed and how it answers."""

    share: float
    """Share of non-administrator positions with this role (administrators are placed per school)."""
    formal_role: float
    """Chance of holding a formal leadership role, in [0, 1]."""
    leader_effect: float
    """Added to the leader-identity propensity (logit scale)."""
    condition_offset: float
    """Added to the latent level on every condition (scale points): administrators see conditions rosier."""


ROLE_PROFILES: Mapping[str, RoleProfile] = {
    "Teacher": RoleProfile(0.70, 0.16, 0.0, 0.0),
    "Administrator": RoleProfile(0.0, 0.97, 1.5, 0.35),
    "Instructional coach or specialist": RoleProfile(0.07, 0.75, 0.8, 0.12),
    "Student support": RoleProfile(0.07, 0.12, -0.1, 0.0),
    "Paraprofessional or support staff": RoleProfile(0.13, 0.03, -0.9, -0.08),
    "Other": RoleProfile(0.03, 0.10, -0.4, 0.0),
}
"""Keyed by the codebook's ``role`` options; the generator refuses a codebook with other role labels."""

ADMINISTRATOR = "Administrator"

GENDER_SHARES: Mapping[str, float] = {"Woman": 0.74, "Man": 0.235, "Non-binary": 0.015, "Self-described": 0.01}
RACE_SHARES: Mapping[str, float] = {
    "White": 0.62,
    "Hispanic or Latino": 0.14,
    "Black or African American": 0.09,
    "Asian": 0.05,
    "Two or more races": 0.06,
    "American Indian or Alaska Native": 0.025,
    "Native Hawaiian or Pacific Islander": 0.015,
}
"""Used when the codebook's ``race_ethnicity`` attribute lists no options (the default codebook's does not)."""


@dataclass(frozen=True)
class DemoModel:
    """Every parameter of the latent model; :func:`generate` records them all in the truth file."""

    base_climate: Mapping[str, float] = field(
        default_factory=lambda: {"VS": 3.45, "SA": 3.55, "CR": 2.95, "WS": 3.15, "RN": 3.40, "SI": 3.05, "OI": 3.50}
    )
    """Network-wide climate per condition id (scale points); unknown conditions use 3.3."""
    school_sd: float = 0.18
    """SD of a school's overall climate offset (scale points)."""
    school_condition_sd: float = 0.12
    """SD of a school's offset on one condition."""
    wave_noise_sd: float = 0.03
    """SD of the wave-to-wave wobble of every school climate ("flat, with small noise")."""
    cohort_shift: Mapping[str, tuple[float, ...]] = field(
        default_factory=lambda: {"SI": (0.0, 0.20, 0.40), "RN": (0.0, 0.16, 0.32)}
    )
    """Planted climate shift per wave in cohort schools, by condition id (scale points)."""
    person_sd: float = 0.42
    """SD of a person's general positivity, shared by all conditions."""
    person_condition_sd: float = 0.32
    """SD of a person's own view of one condition."""
    answer_sd: float = 0.62
    """SD of the noise of one answer."""
    item_difficulty_sd: float = 0.15
    """SD of an item's offset from its condition (after reversal)."""
    persistence: float = 0.85
    """AR(1) coefficient of person effects between waves for staff who stay."""
    retention: float = 0.75
    """Chance that a staff member is still on the roster the next wave."""
    transfer: float = 0.02
    """Chance that a staying staff member moves to another school of the same organization."""
    leader_share: Mapping[str, tuple[float, ...]] = field(
        default_factory=lambda: {COHORT: (0.30, 0.385, 0.47), COMPARISON: (0.31, 0.31, 0.31), OTHER: (0.34, 0.34, 0.34)}
    )
    """Planted share of Yes among valid leader-identity answers, per group and wave (in [0, 1])."""
    unsure_share: Mapping[str, tuple[float, ...]] = field(
        default_factory=lambda: {COHORT: (0.15, 0.14, 0.12), COMPARISON: (0.15, 0.15, 0.15), OTHER: (0.14, 0.14, 0.14)}
    )
    """Planted share of Not sure among valid leader-identity answers, per group and wave."""
    leader_trait_weight: float = 1.0
    """Weight of the person's leader trait (standard normal, persistent) in the propensity."""
    formal_role_weight: float = 1.4
    """Weight of holding a formal leadership role."""
    leader_drivers: Mapping[str, float] = field(default_factory=lambda: {"SI": 1.5, "RN": 1.2})
    """The conditions that drive leader identity, by condition id, and their weight in the propensity (logit
    per scale point of the respondent's own answers: the mean of the condition's items after reversal, before
    non-response, minus 3). Every other condition has weight 0: given these, it does not go with Yes."""
    blank_item: float = 0.012
    """Chance that one agreement item is skipped."""
    dont_know: float = 0.015
    """Chance that one agreement item is answered "Don't know"."""
    prefer_not_item: float = 0.003
    """Chance that one agreement item is answered "Prefer not to answer"."""
    skip_condition: float = 0.008
    """Chance that a respondent skips a whole condition page."""
    leader_blank: float = 0.015
    """Chance that the leader-identity question is skipped."""
    leader_prefer_not: float = 0.025
    """Chance that it is answered "Prefer not to answer"."""
    attribute_blank: float = 0.02
    """Chance that an attribute question (other than school) is skipped."""
    demographic_prefer_not: float = 0.035
    """Chance that a demographic question is answered "Prefer not to answer"."""
    staff_id_blank: float = 0.01
    """Chance that a typed-in Staff ID (Google Forms, SurveyMonkey) is left blank."""


@dataclass(frozen=True)
class SurveyQuestion:
    """One question of the demo survey as the platforms show it."""

    key: str
    """Attribute id, item id (single questions), ``"staff_id"`` or ``"matrix:<name>"``."""
    text: str
    """Question text (the stem for a matrix)."""
    page: int
    """Page of the survey, from 0; partial responses stop at a page boundary."""
    rows: tuple[tuple[str, str], ...] = ()
    """``(item id, item text)`` of each row of a matrix question; empty for a single question."""
    options: tuple[str, ...] = ()
    """Answer labels offered (valid labels, then non-answers), for preview responses."""


@dataclass(frozen=True)
class DemoNetwork:
    """The generated network: schools, waves, what each platform wrote and the canonical responses frame."""

    seed: int
    codebook: Codebook
    model: DemoModel
    organizations: tuple[DemoOrganization, ...]
    waves: tuple[DemoWave, ...]
    questions: tuple[SurveyQuestion, ...]
    """The survey, in the order respondents saw it."""
    answers: pd.DataFrame
    """One row per export data row (preview rows included), in file order: metadata columns (see
    :data:`ANSWER_METADATA`) and the answer text of every attribute and item (``""`` when blank)."""
    responses: pd.DataFrame
    """The responses frame (see :mod:`survey_model.responses`) of every real response (previews left out,
    partials kept), in file order, with ``organization`` and ``wave`` columns; ``respondent_id`` holds the
    Staff ID (``""`` when left blank). The importer gives the same rows, less the partial responses with fewer
    than half their items answered."""
    truth: Mapping[str, object]
    """Every planted parameter (JSON-ready); :func:`survey_model.demo.write_exports` adds the file facts."""

    def schools_frame(self) -> pd.DataFrame:
        """``organization, school, school_level, group`` for every school (group ``""`` when unmarked)."""
        rows = [
            {"organization": org.id, "school": s.name, "school_level": s.level, "group": s.group}
            for org in self.organizations
            for s in org.schools
        ]
        return pd.DataFrame(rows, dtype="string")

    def school_groups(self) -> dict[tuple[str, str], str]:
        """``(organization id, school name)`` → ``"cohort"``, ``"comparison"`` or ``"other"``."""
        return {(org.id, s.name): s.group or OTHER for org in self.organizations for s in org.schools}


ANSWER_METADATA: tuple[str, ...] = (
    ORGANIZATION,
    WAVE,
    "kind",
    "staff_id",
    "first_name",
    "last_name",
    "email",
    "ip_address",
    "latitude",
    "longitude",
    "channel",
    "started_at",
    "submitted_at",
    "recorded_at",
    "progress",
    "response_id",
    "collector_id",
)
"""Metadata columns of :attr:`DemoNetwork.answers`. ``kind`` is ``complete``, ``partial`` or ``preview``."""


# --------------------------------------------------------------------------------------------------------------
# The survey


def questionnaire(codebook: Codebook) -> tuple[SurveyQuestion, ...]:
    """The demo survey: Staff ID and work attributes, one agreement matrix per condition, the leader block,
    then demographics (sensitive attributes) last."""
    questions = [SurveyQuestion("staff_id", STAFF_ID_QUESTION, 0)]
    for attribute in codebook.attributes:
        if not attribute.sensitive:
            questions.append(
                SurveyQuestion(attribute.id, attribute.question or attribute.label, 0, options=attribute.options)
            )
    page = 1
    for condition in codebook.conditions:
        rows = tuple((item.id, item.text) for item in codebook.items_for(condition.id))
        options = _labels(codebook, rows[0][0], DONT_KNOW)
        questions.append(SurveyQuestion(f"matrix:{condition.id}", SCHOOL_STEM, page, rows, options))
        page += 1
    leader = codebook.leader
    if leader is not None:
        questions.append(
            SurveyQuestion(leader.item, codebook.item(leader.item).text, page, (), _labels(codebook, leader.item))
        )
        if leader.scale_items:
            rows = tuple((item_id, codebook.item(item_id).text) for item_id in leader.scale_items)
            questions.append(
                SurveyQuestion("matrix:leader", SELF_STEM, page, rows, _labels(codebook, rows[0][0], DONT_KNOW))
            )
        if leader.formal_role_item:
            item = codebook.item(leader.formal_role_item)
            questions.append(SurveyQuestion(item.id, item.text, page, (), _labels(codebook, item.id)))
        page += 1
    for attribute in codebook.attributes:
        if attribute.sensitive:
            options = attribute.options or tuple(RACE_SHARES)
            questions.append(SurveyQuestion(attribute.id, attribute.question or attribute.label, page, options=options))
    return tuple(questions)


def _labels(codebook: Codebook, item_id: str, *extra: str) -> tuple[str, ...]:
    scale = codebook.scale_of(item_id)
    return (*(option.label for option in scale.options), *extra, PREFER_NOT)


# --------------------------------------------------------------------------------------------------------------
# Generation


def generate(
    *, seed: int = DEFAULT_SEED, codebook: Codebook | None = None, model: DemoModel | None = None
) -> DemoNetwork:
    """Generate the demo network deterministically.

    Parameters
    ----------
    seed : int, default=DEFAULT_SEED
        Seed of every random draw; the same seed gives the same network, cell for cell.
    codebook : Codebook, optional
        Instrument whose item texts, scales and attribute options are used; the default codebook
        ``collective-leadership`` when omitted. It needs the ``school``, ``school_level`` and ``role`` attributes,
        a leader-identity block and the conditions ``SI`` and ``RN``.
    model : DemoModel, optional
        Latent-model parameters; :class:`DemoModel` defaults when omitted.

    Returns
    -------
    DemoNetwork
        The schools, waves, answer texts as exported, the canonical responses frame and the truth.

    Raises
    ------
    ValueError
        When the codebook lacks something the demo needs.
    """
    codebook = codebook if codebook is not None else load_codebook()
    model = model if model is not None else DemoModel()
    _check_codebook(codebook, model)
    questions = questionnaire(codebook)
    simulation = _Simulation(seed, codebook, model)
    rows = simulation.respondents()
    answers, latent = simulation.answer(rows, questions)
    truth = _truth(seed, codebook, model, simulation, answers, latent)
    # The third and fourth organizations: simulated apart (their own seed, the same item difficulties), so adding
    # them leaves every random draw of the first two, and so their exports, unchanged.
    more = _Simulation(seed + NETWORK_SEED_OFFSET, codebook, model, NETWORK_ORGANIZATIONS)
    more.difficulty = simulation.difficulty
    more_answers, more_latent = more.answer(more.respondents(), questions)
    truth = _merged_truth(truth, _truth(seed, codebook, model, more, more_answers, more_latent))
    answers = pd.concat([answers, more_answers], ignore_index=True)
    responses = recode_answers(answers[answers["kind"] != "preview"], codebook)
    return DemoNetwork(
        seed=seed,
        codebook=codebook,
        model=model,
        organizations=ALL_ORGANIZATIONS,
        waves=WAVES,
        questions=questions,
        answers=answers,
        responses=responses,
        truth=truth,
    )


def _check_codebook(codebook: Codebook, model: DemoModel) -> None:
    problems = []
    for attribute_id in ("school", "school_level", "role"):
        if attribute_id not in codebook.attribute_ids:
            problems.append(f"attribute {attribute_id!r} is missing")
    if "role" in codebook.attribute_ids:
        unknown = set(codebook.attribute("role").options) - set(ROLE_PROFILES)
        if unknown or not codebook.attribute("role").options:
            problems.append(f"role options must be among {sorted(ROLE_PROFILES)}")
    if "school_level" in codebook.attribute_ids:
        levels = set(codebook.attribute("school_level").options)
        missing_levels = {s.level for org in ALL_ORGANIZATIONS for s in org.schools} - levels
        if missing_levels:
            problems.append(f"school_level options lack {sorted(missing_levels)}")
    if codebook.leader is None:
        problems.append("there is no leader-identity block")
    elif codebook.leader.unsure is None:
        problems.append("the leader-identity item has no 'Not sure' answer")
    conditions = {c.id for c in codebook.conditions}
    for condition_id in model.cohort_shift:
        if condition_id not in conditions:
            problems.append(f"condition {condition_id!r} (planted shift) is missing")
    for condition_id in model.leader_drivers:
        if condition_id not in conditions:
            problems.append(f"condition {condition_id!r} (leader-identity driver) is missing")
    for item in codebook.condition_items:
        scale = codebook.scale(item.scale)
        if scale.values != (1, 2, 3, 4, 5):
            problems.append(f"item {item.id!r} is not on a 1-5 scale")
    if problems:
        raise ValueError(f"the demo generator cannot use codebook {codebook.id!r}: " + "; ".join(problems))


@dataclass
class _Person:
    """A staff member during the simulation (mutable state, private)."""

    number: int
    staff_id: str
    first_name: str
    last_name: str
    email: str
    school: int
    role: str
    formal_role: bool
    leadership_team: bool
    years_in_education: int
    years_at_school: int
    gender: str
    race: str
    general: float
    condition: np.ndarray
    trait: float
    home_ip: str


@dataclass(frozen=True)
class _Response:
    """One respondent in one wave: the person's true state then (private)."""

    org: DemoOrganization
    wave: int
    school: int
    person: _Person
    staff_id: str
    role: str
    formal_role: bool
    leadership_team: bool
    years_in_education: int
    years_at_school: int
    gender: str
    race: str
    mean: np.ndarray
    """Latent mean per condition: school climate + role offset (scale points)."""
    level: np.ndarray
    """The person's latent level per condition: mean + person effects."""
    trait: float


class _Simulation:
    """Rosters, turnover and answers, drawn from one named random stream per purpose."""

    STREAMS = ("schools", "people", "turnover", "response", "answers", "leader", "missing", "metadata", "partial")

    def __init__(
        self,
        seed: int,
        codebook: Codebook,
        model: DemoModel,
        organizations: tuple[DemoOrganization, ...] = ORGANIZATIONS,
    ) -> None:
        self.seed = seed
        self.organizations = organizations
        self.codebook = codebook
        self.model = model
        self.rng = {name: np.random.default_rng([seed, k]) for k, name in enumerate(self.STREAMS)}
        self.conditions = tuple(c.id for c in codebook.conditions)
        self.condition_items = codebook.condition_items
        self.climate = self._climates()
        self.people: list[_Person] = []
        self.used_ids: set[tuple[str, int]] = set()
        self.used_emails: set[str] = set()
        self.roster_sizes: list[dict[str, object]] = []
        """Educators on each school's roster in each wave (the demo's roster files), filled by respondents()."""
        self.school_ips = {
            (org.id, s): _ips(self.rng["schools"], 2) for org in organizations for s in range(len(org.schools))
        }
        self.difficulty = {
            item.id: round(float(self.rng["schools"].normal(0, model.item_difficulty_sd)), 3) for item in codebook.items
        }

    # -- schools ---------------------------------------------------------------------------------------------

    def _climates(self) -> dict[str, np.ndarray]:
        """Climate per organization: array (school, condition, wave) in scale points."""
        rng, model = self.rng["schools"], self.model
        climates = {}
        for org in self.organizations:
            n_schools, n_conditions, n_waves = len(org.schools), len(self.conditions), len(WAVES)
            base = np.array([model.base_climate.get(c, 3.3) for c in self.conditions])
            school = rng.normal(0, model.school_sd, n_schools)
            school_condition = rng.normal(0, model.school_condition_sd, (n_schools, n_conditions))
            noise = rng.normal(0, model.wave_noise_sd, (n_schools, n_conditions, n_waves))
            climate = base[None, :, None] + school[:, None, None] + school_condition[:, :, None] + noise
            for s, spec in enumerate(org.schools):
                if spec.group == COHORT:
                    for condition, shifts in model.cohort_shift.items():
                        climate[s, self.conditions.index(condition), :] += np.asarray(shifts)
            climates[org.id] = np.round(climate, 4)
        return climates

    # -- people ----------------------------------------------------------------------------------------------

    def _new_person(self, org: DemoOrganization, school: int, role: str, *, first_wave: bool) -> _Person:
        rng, model = self.rng["people"], self.model
        while True:
            number = int(rng.integers(10000, 100000))
            if (org.id, number) not in self.used_ids:
                self.used_ids.add((org.id, number))
                break
        first = str(rng.choice(FIRST_NAMES))
        last = str(rng.choice(LAST_NAMES))
        email = _email(first, last, org.email_domain, self.used_emails)
        profile = ROLE_PROFILES[role]
        formal = bool(rng.random() < profile.formal_role)
        cohort = org.schools[school].group == COHORT
        team = bool(rng.random() < (0.55 if formal else (0.10 if cohort else 0.04)))
        if first_wave:
            years = 1 if rng.random() < 0.06 else int(np.clip(1 + round(rng.gamma(2.2, 6.5)), 1, 42))
            at_school = int(np.clip(round(years * rng.beta(1.3, 1.6)), 1, years))
        else:
            years = 1 if rng.random() < 0.35 else int(np.clip(1 + round(rng.gamma(2.0, 5.0)), 1, 40))
            at_school = 1
        gender_labels = self.codebook.attribute("gender").options if "gender" in self.codebook.attribute_ids else ()
        person = _Person(
            number=number,
            staff_id=f"{org.staff_id_prefix}-{number}",
            first_name=first,
            last_name=last,
            email=email,
            school=school,
            role=role,
            formal_role=formal,
            leadership_team=team,
            years_in_education=years,
            years_at_school=at_school,
            gender=_draw(rng, gender_labels or tuple(GENDER_SHARES), GENDER_SHARES),
            race=_draw(rng, self._race_options(), RACE_SHARES),
            general=float(rng.normal(0, model.person_sd)),
            condition=rng.normal(0, model.person_condition_sd, len(self.conditions)),
            trait=float(rng.normal()),
            home_ip=_ips(rng, 1)[0],
        )
        self.people.append(person)
        return person

    def _race_options(self) -> tuple[str, ...]:
        if "race_ethnicity" in self.codebook.attribute_ids and self.codebook.attribute("race_ethnicity").options:
            return self.codebook.attribute("race_ethnicity").options
        return tuple(RACE_SHARES)

    def _roles(self, school: DemoSchool, n: int) -> list[str]:
        """Roles for ``n`` positions: administrators by school size, the rest by :data:`ROLE_PROFILES` shares."""
        rng = self.rng["people"]
        admins = min(n, 1 + school.staff // 45)
        others = [r for r in self.codebook.attribute("role").options if r != ADMINISTRATOR]
        weights = np.array([ROLE_PROFILES[r].share for r in others])
        drawn = rng.choice(others, size=n - admins, p=weights / weights.sum())
        return [ADMINISTRATOR] * admins + [str(r) for r in drawn]

    def _age(self, person: _Person) -> None:
        """One year on: seniority grows, person effects drift (AR(1) keeps their spread), roles may change."""
        rng, model = self.rng["turnover"], self.model
        rho = model.persistence
        innovation = np.sqrt(1 - rho**2)
        person.years_in_education += 1
        person.years_at_school += 1
        person.general = rho * person.general + innovation * float(rng.normal(0, model.person_sd))
        person.condition = rho * person.condition + innovation * rng.normal(
            0, model.person_condition_sd, len(person.condition)
        )
        person.trait = 0.9 * person.trait + np.sqrt(1 - 0.81) * float(rng.normal())
        if person.role != ADMINISTRATOR:
            if not person.formal_role and rng.random() < 0.06:
                person.formal_role = True
            elif person.formal_role and rng.random() < 0.05:
                person.formal_role = False

    # -- rosters and respondents -----------------------------------------------------------------------------

    def respondents(self) -> list[_Response]:
        """One record per respondent per wave: the person's true state in that wave."""
        records: list[_Response] = []
        for org in self.organizations:
            roster: list[list[_Person]] = []
            for w, _wave in enumerate(WAVES):
                if w == 0:
                    roster = [
                        [self._new_person(org, s, role, first_wave=True) for role in self._roles(school, school.staff)]
                        for s, school in enumerate(org.schools)
                    ]
                else:
                    roster = self._turn_over(org, roster)
                for s, school in enumerate(org.schools):
                    self.roster_sizes.append(
                        {"organization": org.id, "wave": _wave.label, "school": school.name, "staff": len(roster[s])}
                    )
                    for person in roster[s]:
                        if self.rng["response"].random() < school.response_rate:
                            records.append(self._record(org, w, s, person))
        return records

    def _turn_over(self, org: DemoOrganization, roster: list[list[_Person]]) -> list[list[_Person]]:
        rng, model = self.rng["turnover"], self.model
        staying: list[list[_Person]] = [[] for _ in org.schools]
        vacated: list[list[str]] = [[] for _ in org.schools]
        for s, people in enumerate(roster):
            for person in people:
                if rng.random() >= model.retention:
                    vacated[s].append(person.role)
                    continue
                self._age(person)
                target = s
                if person.role != ADMINISTRATOR and rng.random() < model.transfer:
                    target = int(rng.choice([t for t in range(len(org.schools)) if t != s]))
                    vacated[s].append(person.role)
                    person.school, person.years_at_school = target, 1
                staying[target].append(person)
        for s, school in enumerate(org.schools):
            openings = school.staff - len(staying[s])
            roles = (vacated[s] + self._roles(school, school.staff))[: max(openings, 0)]
            staying[s].extend(self._new_person(org, s, role, first_wave=False) for role in roles)
        return staying

    def _record(self, org: DemoOrganization, wave: int, school: int, person: _Person) -> _Response:
        mean = self.climate[org.id][school, :, wave] + ROLE_PROFILES[person.role].condition_offset
        return _Response(
            org=org,
            wave=wave,
            school=school,
            person=person,
            staff_id=person.staff_id,
            role=person.role,
            formal_role=person.formal_role,
            leadership_team=person.leadership_team,
            years_in_education=person.years_in_education,
            years_at_school=person.years_at_school,
            gender=person.gender,
            race=person.race,
            mean=mean,
            level=mean + person.general + person.condition,
            trait=person.trait,
        )

    # -- answers ---------------------------------------------------------------------------------------------

    def answer(
        self, records: list[_Response], questions: Sequence[SurveyQuestion]
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Answer texts and metadata per export row (file order), and the latent means behind real rows."""
        codebook, model = self.codebook, self.model
        n = len(records)
        level = np.array([r.level for r in records])
        mean = np.array([r.mean for r in records])
        orgs = [r.org.id for r in records]
        waves = np.array([r.wave for r in records])
        schools = [r.org.schools[r.school] for r in records]
        groups = [s.group or OTHER for s in schools]

        stops = self._partials(records)
        pages_done = np.full(n, 10**6)
        for index, stop in stops.items():
            pages_done[index] = stop

        text: dict[str, np.ndarray] = {}
        rng, miss = self.rng["answers"], self.rng["missing"]
        page_of = {}
        for question in questions:
            for item_id, _ in question.rows:
                page_of[item_id] = question.page
            page_of[question.key] = question.page

        # Agreement items (conditions): latent level + item difficulty + noise, cut into 1-5.
        own: dict[str, np.ndarray] = {}  # each respondent's mean answer per condition (after reversal)
        for condition_index, condition_id in enumerate(self.conditions):
            items = codebook.items_for(condition_id)
            skipped = miss.random(n) < model.skip_condition
            for item in items:
                z = level[:, condition_index] + self.difficulty[item.id] + rng.normal(0, model.answer_sd, n)
                value = _cut(z)
                own[condition_id] = own.get(condition_id, 0.0) + value / len(items)
                if item.reverse:
                    value = 6 - value
                labels = _agree_labels(codebook, item.id, value, miss, model)
                labels[skipped] = ""
                text[item.id] = labels

        leader = codebook.leader
        if leader is None:
            raise ValueError("the demo needs a codebook with a leader-identity block")
        role_effect = np.array([ROLE_PROFILES[str(r.role)].leader_effect for r in records])
        formal = np.array([bool(r.formal_role) for r in records])
        trait = np.array([float(r.trait) for r in records])
        propensity = (
            model.leader_trait_weight * trait
            + model.formal_role_weight * formal
            + role_effect
            + sum(weight * (own[condition] - 3) for condition, weight in model.leader_drivers.items())
        )
        status = miss.random(n)
        li_valid = status >= model.leader_blank + model.leader_prefer_not
        li_valid &= pages_done > page_of[leader.item]
        li_answer = np.zeros(n, dtype=int)  # 0 = no valid answer
        scale_li = codebook.scale_of(leader.item)
        no_value = next(v for v in scale_li.values if v not in (leader.yes, leader.unsure))
        for key in sorted(set(zip(orgs, waves.tolist(), groups, strict=True))):
            org_id, wave, group = key
            members = np.flatnonzero(
                li_valid & (np.array(orgs) == org_id) & (waves == wave) & (np.array(groups) == group)
            )
            n_valid = len(members)
            n_yes = _round_half_up(model.leader_share[group][wave] * n_valid)
            n_unsure = _round_half_up(model.unsure_share[group][wave] * n_valid)
            leader_rng = self.rng["leader"]
            order = np.argsort(-(propensity[members] + leader_rng.gumbel(size=n_valid)), kind="stable")
            yes = members[order[:n_yes]]
            rest = members[order[n_yes:]]
            order_rest = np.argsort(-(propensity[rest] + leader_rng.gumbel(size=len(rest))), kind="stable")
            unsure = rest[order_rest[:n_unsure]]
            li_answer[members] = no_value
            li_answer[yes] = leader.yes
            li_answer[unsure] = leader.unsure
        li_text = np.array([scale_li.label_of(v) if v else "" for v in li_answer], dtype=object)
        li_text[(status >= model.leader_blank) & (status < model.leader_blank + model.leader_prefer_not)] = PREFER_NOT
        text[leader.item] = li_text

        for item_id in leader.scale_items:
            z = (
                2.75
                + 1.05 * (li_answer == leader.yes)
                + 0.45 * (li_answer == leader.unsure)
                + 0.45 * trait
                + 0.5 * np.array([r.person.general for r in records])
                + self.difficulty[item_id]
                + rng.normal(0, model.answer_sd, n)
            )
            text[item_id] = _agree_labels(codebook, item_id, _cut(z), miss, model)
        if leader.formal_role_item:
            scale = codebook.scale_of(leader.formal_role_item)
            yes_value = leader.formal_role_yes if leader.formal_role_yes is not None else scale.values[0]
            other = next(v for v in scale.values if v != yes_value)
            labels = np.array([scale.label_of(yes_value if f else other) for f in formal], dtype=object)
            draw = miss.random(n)
            labels[draw < model.leader_blank] = ""
            labels[(draw >= model.leader_blank) & (draw < model.leader_blank + 0.005)] = PREFER_NOT
            text[leader.formal_role_item] = labels

        attributes = self._attribute_answers(records, schools, miss)
        text.update(attributes)
        staff_ids = np.array([str(r.staff_id) for r in records], dtype=object)

        # Partial responses stop at a page boundary: everything after it is blank.
        for key, values in text.items():
            blank = pages_done <= page_of.get(key, 0)
            if blank.any():
                values = values.copy()
                values[blank] = ""
                text[key] = values

        metadata = self._metadata(records, stops)
        frame = pd.DataFrame(
            {
                ORGANIZATION: orgs,
                WAVE: [WAVES[w].label for w in waves],
                "kind": ["partial" if i in stops else "complete" for i in range(n)],
                "staff_id": staff_ids,
                **metadata,
            }
        )
        blank_id = (self.rng["missing"].random(n) < model.staff_id_blank) & np.array(
            [WAVES[w].platform != "qualtrics" for w in waves]
        )
        frame.loc[blank_id, "staff_id"] = ""
        for attribute in codebook.attributes:
            frame[attribute.id] = text.get(attribute.id, np.full(n, "", dtype=object))
        for item in codebook.items:
            frame[item.id] = text[item.id]
        latent = pd.DataFrame(mean, columns=[f"mean_{c}" for c in self.conditions])
        latent[ORGANIZATION], latent["wave_index"] = orgs, waves
        latent["group"], latent["school"] = groups, [s.name for s in schools]

        previews = self._previews(questions)
        frame = pd.concat([frame, previews], ignore_index=True)
        latent = pd.concat([latent, pd.DataFrame(index=range(len(previews)))], ignore_index=True)
        order = _file_order(frame)
        frame = frame.iloc[order].reset_index(drop=True)
        latent = latent.iloc[order].reset_index(drop=True)
        frame = self._platform_ids(frame)
        for column in frame.columns:
            if column not in ("started_at", "submitted_at", "recorded_at", "progress", "latitude", "longitude"):
                frame[column] = frame[column].astype("string")
        return frame, latent[frame["kind"].to_numpy() != "preview"].reset_index(drop=True)

    def _partials(self, records: list[_Response]) -> dict[int, int]:
        """Two partial responses per Qualtrics file: record index → number of pages completed.

        One stops after five condition pages (20 of 28 items, at least half), one after two (8 items).
        """
        rng = self.rng["partial"]
        stops: dict[int, int] = {}
        qualtrics = [w for w, wave in enumerate(WAVES) if wave.platform == "qualtrics"]
        for org in self.organizations:
            for w in qualtrics:
                candidates = [i for i, r in enumerate(records) if r.org is org and r.wave == w]
                chosen = rng.choice(candidates, size=2, replace=False)
                stops[int(chosen[0])] = 6
                stops[int(chosen[1])] = 3
        return stops

    def _attribute_answers(
        self, records: list[_Response], schools: list[DemoSchool], miss: np.random.Generator
    ) -> dict[str, np.ndarray]:
        codebook, model = self.codebook, self.model
        n = len(records)
        answers: dict[str, np.ndarray] = {}
        for attribute in codebook.attributes:
            if attribute.id == "school":
                values = [s.name for s in schools]
            elif attribute.id == "school_level":
                values = [s.level for s in schools]
            elif attribute.id == "role":
                values = [str(r.role) for r in records]
            elif attribute.id in ("years_in_education", "years_at_school"):
                values = [_years_band(int(getattr(r, attribute.id)), attribute.options) for r in records]
            elif attribute.id == "leadership_team":
                yes, no = (*attribute.options, "Yes", "No")[:2]
                values = [yes if r.leadership_team else no for r in records]
            elif attribute.id == "gender":
                values = [str(r.gender) for r in records]
            elif attribute.id == "race_ethnicity":
                values = [str(r.race) for r in records]
            else:
                values = [""] * n
            column = np.array(values, dtype=object)
            if attribute.id != "school":  # the school question is required: groups must be identifiable
                draw = miss.random(n)
                blank = model.attribute_blank * (0.5 if attribute.id == "school_level" else 1.0)
                column[draw < blank] = ""
                if attribute.sensitive:
                    column[(draw >= blank) & (draw < blank + model.demographic_prefer_not)] = PREFER_NOT
            answers[attribute.id] = column
        return answers

    def _metadata(self, records: list[_Response], stops: Mapping[int, int]) -> dict[str, list[object]]:
        rng = self.rng["metadata"]
        out: dict[str, list[object]] = {name: [] for name in ANSWER_METADATA[4:]}
        for index, record in enumerate(records):
            org, person, wave = record.org, record.person, WAVES[record.wave]
            started = _start_time(rng, wave)
            partial = index in stops
            duration = int(rng.lognormal(np.log(560 if not partial else 240), 0.45))
            submitted = started + timedelta(seconds=duration)
            recorded = submitted + timedelta(days=7, seconds=int(rng.integers(0, 60))) if partial else submitted
            channel = "email" if rng.random() < 0.78 else "anonymous"
            at_school = rng.random() < 0.72
            ips = self.school_ips[(org.id, record.school)]
            school_ip = ips[int(rng.integers(len(ips)))]
            lat, lon = _location(rng, org, record.school, at_school)
            named = channel == "email"
            out["first_name"].append(person.first_name if named else "")
            out["last_name"].append(person.last_name if named else "")
            out["email"].append(person.email if named or wave.platform == "google-forms" else "")
            out["ip_address"].append(school_ip if at_school else person.home_ip)
            out["latitude"].append(lat)
            out["longitude"].append(lon)
            out["channel"].append(channel)
            out["started_at"].append(started)
            out["submitted_at"].append(submitted)
            out["recorded_at"].append(recorded)
            out["progress"].append(100 if not partial else round(100 * stops[index] / 10))
            out["response_id"].append("")
            out["collector_id"].append("")
        return out

    def _previews(self, questions: Sequence[SurveyQuestion]) -> pd.DataFrame:
        """One "Survey Preview" row per Qualtrics file: a colleague clicking through before launch."""
        rng = self.rng["partial"]
        rows = []
        for org in self.organizations:
            for wave in WAVES:
                if wave.platform != "qualtrics":
                    continue
                opened = datetime.combine(wave.opens - timedelta(days=3), datetime.min.time())
                started = opened + timedelta(hours=15, seconds=int(rng.integers(0, 3600)))
                submitted = started + timedelta(seconds=int(rng.integers(60, 200)))
                row: dict[str, object] = {
                    ORGANIZATION: org.id,
                    WAVE: wave.label,
                    "kind": "preview",
                    "staff_id": "",
                    "first_name": "",
                    "last_name": "",
                    "email": "",
                    "ip_address": "",
                    "latitude": round(org.latitude + float(rng.normal(0, 0.01)), 6),
                    "longitude": round(org.longitude + float(rng.normal(0, 0.01)), 6),
                    "channel": "preview",
                    "started_at": started,
                    "submitted_at": submitted,
                    "recorded_at": submitted,
                    "progress": 100,
                    "response_id": "",
                    "collector_id": "",
                }
                for question in questions:
                    if question.key == "staff_id":
                        continue
                    if question.key == "school":
                        row["school"] = org.schools[int(rng.integers(len(org.schools)))].name
                        continue
                    for key in [item for item, _ in question.rows] or [question.key]:
                        row[key] = str(rng.choice(question.options)) if question.options else ""
                rows.append(row)
        frame = pd.DataFrame(rows)
        for column in frame.columns:
            if frame[column].dtype == object:
                frame[column] = frame[column].fillna("")
        return frame

    def _platform_ids(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Response and collector IDs as each platform makes them, assigned in file order."""
        rng = self.rng["metadata"]
        frame = frame.copy()
        response_ids = np.array(frame["response_id"].tolist(), dtype=object)
        collector_ids = np.array(frame["collector_id"].tolist(), dtype=object)
        for wave in WAVES:
            for org in self.organizations:
                rows = np.flatnonzero(
                    (frame[WAVE] == wave.label).to_numpy() & (frame[ORGANIZATION] == org.id).to_numpy()
                )
                if wave.platform == "surveymonkey":
                    numbers = 400_000_000 + rng.choice(99_000_000, size=2, replace=False)
                    collectors = {"email": str(numbers[0]), "anonymous": str(numbers[1])}
                    start = 114_000_000_000 + int(rng.integers(0, 900_000_000))
                    steps = np.cumsum(rng.integers(1_000, 400_000, size=len(rows)))
                    for row, step in zip(rows, steps, strict=True):
                        response_ids[row] = str(start + int(step))
                        collector_ids[row] = collectors[str(frame.at[row, "channel"])]
                elif wave.platform == "qualtrics":
                    for row in rows:
                        response_ids[row] = "R_" + "".join(rng.choice(list(_ID_ALPHABET), size=15))
        frame["response_id"] = response_ids
        frame["collector_id"] = collector_ids
        return frame


_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _file_order(frame: pd.DataFrame) -> np.ndarray:
    """Organization, wave (oldest first), then the order the platform lists rows: by recorded time."""
    org_rank = frame[ORGANIZATION].map({org.id: k for k, org in enumerate(ALL_ORGANIZATIONS)}).to_numpy()
    wave_rank = frame[WAVE].map({wave.label: k for k, wave in enumerate(WAVES)}).to_numpy()
    recorded = pd.to_datetime(frame["recorded_at"]).to_numpy()
    return np.lexsort((frame["staff_id"].to_numpy(dtype=str), recorded, org_rank, wave_rank))


# --------------------------------------------------------------------------------------------------------------
# Recoding answer texts into the responses frame


def recode_answers(answers: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The responses frame of answer texts: labels → scale values, non-answers → −1, blanks → NaN.

    Attributes keep their text; blanks and explicit non-answers ("Prefer not to answer") become NA.
    ``respondent_id`` is the Staff ID. Raises ``ValueError`` on a label the codebook does not know.
    """
    frame = pd.DataFrame(index=range(len(answers)))
    frame[ORGANIZATION] = answers[ORGANIZATION].to_numpy()
    frame[WAVE] = pd.Categorical(answers[WAVE].to_numpy(), categories=[w.label for w in WAVES], ordered=True)
    frame[RESPONDENT_ID] = answers["staff_id"].to_numpy()
    frame[RESPONDENT_ID] = frame[RESPONDENT_ID].astype("string")
    frame[ORGANIZATION] = frame[ORGANIZATION].astype("string")
    missing = {normalise_label(text) for text in (PREFER_NOT, DONT_KNOW)}
    for attribute in codebook.attributes:
        if attribute.id not in answers.columns:
            continue
        texts = answers[attribute.id].astype("string").to_numpy(dtype=object, na_value="")
        keep = [t if t and normalise_label(t) not in missing else pd.NA for t in texts]
        frame[attribute.id] = pd.array(keep, dtype="string")
    for item in codebook.items:
        scale = codebook.scale(item.scale)
        lookup = scale.label_lookup
        nonsubstantive = scale.missing_lookup
        values = np.full(len(answers), np.nan, dtype=ITEM_DTYPE)
        for row, text in enumerate(answers[item.id].astype("string").to_numpy(dtype=object, na_value="")):
            if not text:
                continue
            key = normalise_label(text)
            if key in lookup:
                values[row] = lookup[key]
            elif key in nonsubstantive:
                values[row] = NONSUBSTANTIVE
            else:
                raise ValueError(f"answer {text!r} to item {item.id!r} is not a label of scale {scale.id!r}")
        frame[item.id] = values
    return frame


# --------------------------------------------------------------------------------------------------------------
# The truth file


def _truth(
    seed: int,
    codebook: Codebook,
    model: DemoModel,
    simulation: _Simulation,
    answers: pd.DataFrame,
    latent: pd.DataFrame,
) -> dict[str, object]:
    """Planted parameters and their expected consequences, JSON-ready (floats rounded to 4 decimals)."""
    from scipy.special import ndtr  # here, not at the top: the command line imports this module on every start

    real = answers[answers["kind"] != "preview"].reset_index(drop=True)
    sigma = float(np.sqrt(model.person_sd**2 + model.person_condition_sd**2 + model.answer_sd**2))
    planted = []
    for org in simulation.organizations:
        groups = sorted({s.group or OTHER for s in org.schools}, key=[COHORT, COMPARISON, OTHER].index)
        for w, wave in enumerate(WAVES):
            for group in groups:
                mask = (latent[ORGANIZATION] == org.id) & (latent["wave_index"] == w) & (latent["group"] == group)
                conditions = {}
                for condition in simulation.conditions:
                    items = codebook.items_for(condition)
                    mu = latent.loc[mask, f"mean_{condition}"].to_numpy()[:, None] + np.array(
                        [simulation.difficulty[item.id] for item in items]
                    )
                    favorable = ndtr((mu - 3.5) / sigma)
                    expected = 1 + sum(ndtr((mu - cut) / sigma) for cut in (1.5, 2.5, 3.5, 4.5))
                    conditions[condition] = {
                        "climate_shift": _r(model.cohort_shift.get(condition, (0.0,) * len(WAVES))[w])
                        if group == COHORT
                        else 0.0,
                        "latent_mean": _r(float(latent.loc[mask, f"mean_{condition}"].mean())),
                        "expected_mean": _r(float(expected.mean())),
                        "expected_pct_favorable": _r(100 * float(favorable.mean())),
                    }
                planted.append(
                    {
                        "organization": org.id,
                        "wave": wave.label,
                        "group": group,
                        "respondents": int(mask.sum()),
                        "leader_identity": {
                            "share_yes": model.leader_share[group][w],
                            "share_unsure": model.unsure_share[group][w],
                        },
                        "conditions": conditions,
                    }
                )
    effects = _effects(planted)
    climate_rows = []
    for org in simulation.organizations:
        for s, school in enumerate(org.schools):
            for w, wave in enumerate(WAVES):
                climate_rows.append(
                    {
                        "organization": org.id,
                        "school": school.name,
                        "wave": wave.label,
                        **{
                            c: _r(float(simulation.climate[org.id][s, k, w]))
                            for k, c in enumerate(simulation.conditions)
                        },
                    }
                )
    counts = real.groupby([ORGANIZATION, WAVE, "school"], sort=False).size().reset_index(name="respondents")
    small = [
        {"organization": r[ORGANIZATION], "wave": r[WAVE], "school": r["school"], "respondents": int(r["respondents"])}
        for _, r in counts.iterrows()
        if r["respondents"] < 5
    ]
    return {
        "description": "Planted parameters of the fictional demo network; every number here is set or derived "
        "by survey_model.demo, never estimated from the exports.",
        "seed": seed,
        "seed_choice": SEED_CHOICE if seed == DEFAULT_SEED else "",
        "command": f"python -m survey_model demo --seed {seed} --out data_samples",
        "codebook": {"id": codebook.id, "version": codebook.version},
        "waves": [
            {
                "id": wave.id,
                "label": wave.label,
                "date": wave.opens.isoformat(),
                "closes": wave.closes.isoformat(),
                "platform": wave.platform,
            }
            for wave in WAVES
        ],
        "organizations": [
            {
                "id": org.id,
                "name": org.name,
                "schools": [
                    {
                        "name": s.name,
                        "level": s.level,
                        "staff": s.staff,
                        "group": s.group,
                        "response_rate": s.response_rate,
                    }
                    for s in org.schools
                ],
            }
            for org in simulation.organizations
        ],
        "model": {
            **_json_ready(asdict(model)),
            "cut_points": [1.5, 2.5, 3.5, 4.5],
            "answer_total_sd": _r(sigma),
            "item_difficulty": {item_id: _r(v) for item_id, v in simulation.difficulty.items()},
            "role_profiles": {role: asdict(profile) for role, profile in ROLE_PROFILES.items()},
            "leader_identity_calibration": (
                "In each organization x wave x group, exactly round(share_yes * n) of the n valid answers to the "
                "leader-identity item are Yes and round(share_unsure * n) Not sure, drawn without replacement with "
                "weights exp(propensity) (Gumbel top-k). Blank and 'Prefer not to answer' are not valid answers."
            ),
            "leader_identity_drivers": {
                "drivers": sorted(model.leader_drivers),
                "not_drivers": [c for c in simulation.conditions if c not in model.leader_drivers],
                "rule": (
                    "The propensity adds weight * (mean of the respondent's own answers on the condition, after "
                    "reversal and before non-response, minus 3) for each driver; every other condition has weight "
                    "0, so given the drivers it does not go with Yes (the formal role, role and a persistent trait "
                    "also enter the propensity). The calibration above keeps the planted shares exact."
                ),
            },
            "expected_values": (
                "expected_mean and expected_pct_favorable integrate the answer model (normal latent cut at 1.5, 2.5, "
                "3.5, 4.5) over the realised respondents' schools and roles; sampling noise is not included."
            ),
        },
        "planted": planted,
        "effects": effects,
        "school_climate": climate_rows,
        "small_groups": small,
        "rosters": simulation.roster_sizes,
        "linked_respondents": _links(real, simulation.organizations),
    }


def _merged_truth(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """The truth of the first two organizations with the third and fourth's per-organization facts appended."""
    merged = dict(first)
    for key in ("organizations", "planted", "school_climate", "small_groups", "rosters", "linked_respondents"):
        merged[key] = [*first[key], *second[key]]
    merged["effects"] = {**first["effects"], **second["effects"]}
    merged["network"] = {
        "name": NETWORK,
        "organizations": [org.id for org in ALL_ORGANIZATIONS],
        "seed_of_the_third_and_fourth": first["seed"] + NETWORK_SEED_OFFSET,
        "low_response_school": {"organization": "lakeshore", "school": "Lakeshore Middle School"},
    }
    return merged


def _effects(planted: list[dict[str, Any]]) -> dict[str, Any]:
    """First-to-last-wave changes per organization and group: the headline numbers the demo should show."""
    effects: dict[str, Any] = {}
    keys = sorted({(p["organization"], p["group"]) for p in planted}, key=str)
    for org_id, group in keys:
        rows = [p for p in planted if p["organization"] == org_id and p["group"] == group]
        first, last = rows[0], rows[-1]
        share_first = first["leader_identity"]["share_yes"]
        share_last = last["leader_identity"]["share_yes"]
        entry: dict[str, object] = {
            "from_wave": first["wave"],
            "to_wave": last["wave"],
            "leader_share_first": share_first,
            "leader_share_last": share_last,
            "leader_share_change_points": _r(100 * (share_last - share_first)),
            "leader_share_relative_change": _r(share_last / share_first - 1),
        }
        for condition in first["conditions"]:
            before = first["conditions"][condition]
            after = last["conditions"][condition]
            entry[f"{condition}_pct_favorable_change"] = _r(
                after["expected_pct_favorable"] - before["expected_pct_favorable"]
            )
            entry[f"{condition}_mean_change"] = _r(after["expected_mean"] - before["expected_mean"])
        effects.setdefault(str(org_id), {})[str(group)] = entry
    return effects


def _links(real: pd.DataFrame, organizations: Sequence[DemoOrganization]) -> list[dict[str, object]]:
    """Share of one wave's Staff IDs that respond again the next wave, per organization."""
    links = []
    for org in organizations:
        for before, after in pairwise(WAVES):
            ids = {
                wave.label: set(real.loc[(real[ORGANIZATION] == org.id) & (real[WAVE] == wave.label), "staff_id"])
                - {""}
                for wave in (before, after)
            }
            both = ids[before.label] & ids[after.label]
            links.append(
                {
                    "organization": org.id,
                    "from_wave": before.label,
                    "to_wave": after.label,
                    "ids_from": len(ids[before.label]),
                    "ids_again": len(both),
                    "share_again": _r(len(both) / len(ids[before.label])),
                }
            )
    return links


# --------------------------------------------------------------------------------------------------------------
# Small pieces


def _r(value: float) -> float:
    return round(float(value), 4)


def _json_ready(value: object) -> object:
    if isinstance(value, Mapping):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if isinstance(value, float):
        return _r(value)
    return value


def _round_half_up(value: float) -> int:
    return int(np.floor(value + 0.5))


def _cut(z: np.ndarray) -> np.ndarray:
    """Latent → 1–5 answer: 1 + the number of cut points (1.5, 2.5, 3.5, 4.5) below ``z``."""
    return 1 + (z[:, None] > np.array([1.5, 2.5, 3.5, 4.5])).sum(axis=1)


def _agree_labels(
    codebook: Codebook, item_id: str, value: np.ndarray, miss: np.random.Generator, model: DemoModel
) -> np.ndarray:
    scale = codebook.scale_of(item_id)
    labels = np.array([scale.label_of(int(v)) for v in value], dtype=object)
    draw = miss.random(len(value))
    labels[draw < model.blank_item] = ""
    dont_know = model.blank_item + model.dont_know
    labels[(draw >= model.blank_item) & (draw < dont_know)] = DONT_KNOW
    labels[(draw >= dont_know) & (draw < dont_know + model.prefer_not_item)] = PREFER_NOT
    return labels


def _draw(rng: np.random.Generator, options: Sequence[str], shares: Mapping[str, float]) -> str:
    weights = np.array([shares.get(option, 0.01) for option in options])
    return str(options[int(rng.choice(len(options), p=weights / weights.sum()))])


def _years_band(years: int, options: Iterable[str]) -> str:
    """The option whose range holds ``years`` ("First year", "2-3 years", "More than 20 years", ...)."""
    for option in options:
        label = option.casefold().replace("–", "-")
        if label.startswith("first") and years == 1:
            return option
        span = re.match(r"(\d+)\s*(?:-|to)\s*(\d+)", label)
        if span and int(span.group(1)) <= years <= int(span.group(2)):
            return option
        more = re.match(r"(?:more than|over)\s*(\d+)", label)
        if more and years > int(more.group(1)):
            return option
    return ""


def _start_time(rng: np.random.Generator, wave: DemoWave) -> datetime:
    """Most staff answer in the first days, on weekdays, in school hours; some in the evening."""
    window = (wave.closes - wave.opens).days
    day = wave.opens + timedelta(days=int(min(window, rng.exponential(4.0))))
    if day.weekday() >= 5 and rng.random() < 0.8:
        day += timedelta(days=7 - day.weekday())
    day = min(day, wave.closes)
    if rng.random() < 0.72:
        seconds = int(rng.integers(7 * 3600 + 600, 16 * 3600 + 1800))
    else:
        seconds = int(rng.integers(18 * 3600, 22 * 3600 + 1800))
    return datetime.combine(day, datetime.min.time()) + timedelta(seconds=seconds)


def _ips(rng: np.random.Generator, n: int) -> list[str]:
    """Addresses from the documentation ranges (RFC 5737), never real hosts."""
    nets = ("192.0.2", "198.51.100", "203.0.113")
    return [f"{nets[int(rng.integers(3))]}.{int(rng.integers(1, 255))}" for _ in range(n)]


def _location(rng: np.random.Generator, org: DemoOrganization, school: int, at_school: bool) -> tuple[float, float]:
    spread = 0.004 if at_school else 0.08
    anchor_lat = org.latitude + 0.02 * ((school * 7) % 5 - 2)
    anchor_lon = org.longitude + 0.03 * ((school * 3) % 5 - 2)
    return (
        round(anchor_lat + float(rng.normal(0, spread)), 6),
        round(anchor_lon + float(rng.normal(0, spread)), 6),
    )


def _email(first: str, last: str, domain: str, used: set[str]) -> str:
    def ascii_only(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z]", "", text.lower())

    stem = f"{ascii_only(first)[:1]}.{ascii_only(last)}"
    candidate, k = f"{stem}@{domain}", 1
    while candidate in used:
        k += 1
        candidate = f"{stem}{k}@{domain}"
    used.add(candidate)
    return candidate


FIRST_NAMES = (
    "Maria", "James", "Aisha", "Tuan", "Emily", "Carlos", "Grace", "Daniel", "Priya", "Kevin", "Sofia", "Marcus",
    "Hannah", "Luis", "Mei", "Jordan", "Olivia", "Andre", "Fatima", "Ryan", "Zoë", "Samuel", "Leah", "Diego",
    "Chloe", "Ahmed", "Rachel", "Tyler", "Ana", "Brandon", "Keisha", "Noah", "Lauren", "Omar", "Megan", "Javier",
    "Hoa", "Ethan", "Nicole", "Isaac", "Renée", "Patrick", "Yesenia", "Caleb", "Amara", "Ben", "Julia", "Thomas",
    "Imani", "Victor", "Claire", "Hiroshi", "Tanya", "Wei", "Rosa", "Derek", "Naomi", "Elijah", "Kim", "Paul",
)  # fmt: skip
LAST_NAMES = (
    "Nguyen", "Smith", "Johnson", "Garcia", "Williams", "Brown", "Martinez", "Lee", "Davis", "Rodriguez", "Miller",
    "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Thompson", "White", "Lopez", "Harris",
    "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Hill", "Flores",
    "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Chen",
    "Patel", "Kim", "Okafor", "Peña", "Haddad", "Yamamoto", "O'Brien", "Schmidt", "Kowalski", "Begay", "Tran",
    "Singh", "Murphy", "Reyes", "Foster",
)  # fmt: skip


__all__ = [
    "ADMINISTRATOR",
    "ALL_ORGANIZATIONS",
    "ANSWER_METADATA",
    "COHORT",
    "COMPARISON",
    "DEFAULT_SEED",
    "DONT_KNOW",
    "FIRST_NAMES",
    "GENDER_SHARES",
    "LAST_NAMES",
    "NETWORK",
    "NETWORK_ORGANIZATIONS",
    "ORGANIZATION",
    "ORGANIZATIONS",
    "OTHER",
    "PREFER_NOT",
    "RACE_SHARES",
    "ROLE_PROFILES",
    "SCHOOL_STEM",
    "SEED_CHOICE",
    "SELF_STEM",
    "STAFF_ID_QUESTION",
    "WAVES",
    "DemoModel",
    "DemoNetwork",
    "DemoOrganization",
    "DemoSchool",
    "DemoWave",
    "RoleProfile",
    "SurveyQuestion",
    "generate",
    "questionnaire",
    "recode_answers",
]

"""Deterministic demo data: a fictional network of schools surveyed in three waves, with planted effects.

``generate(seed=...)`` builds the network in memory (:class:`DemoNetwork`: schools, waves, the answer texts
each platform wrote and the canonical responses frame); ``write_exports(network, out_dir)`` writes it as a
Google Forms CSV, a SurveyMonkey XLSX and a Qualtrics CSV per organization, with ``schools.csv``, ``rosters.csv``, a
machine-readable ``truth.json`` of every planted parameter and a ``README.md``. The committed copy lives in
``data_samples/``; ``python -m survey_model demo`` regenerates it.

>>> network = generate()
>>> sorted(network.responses["organization"].unique().tolist())
['cedar-valley', 'harbor-point', 'lakeshore', 'pine-ridge']
"""

from survey_model.demo.network import (
    ALL_ORGANIZATIONS,
    COHORT,
    COMPARISON,
    DEFAULT_SEED,
    NETWORK,
    NETWORK_ORGANIZATIONS,
    ORGANIZATION,
    ORGANIZATIONS,
    OTHER,
    WAVES,
    DemoModel,
    DemoNetwork,
    DemoOrganization,
    DemoSchool,
    DemoWave,
    SurveyQuestion,
    generate,
    questionnaire,
    recode_answers,
)
from survey_model.demo.platforms import README_FILE, SCHOOLS_FILE, TRUTH_FILE, export_name, write_exports

__all__ = [
    "ALL_ORGANIZATIONS",
    "COHORT",
    "COMPARISON",
    "DEFAULT_SEED",
    "NETWORK",
    "NETWORK_ORGANIZATIONS",
    "ORGANIZATION",
    "ORGANIZATIONS",
    "OTHER",
    "README_FILE",
    "SCHOOLS_FILE",
    "TRUTH_FILE",
    "WAVES",
    "DemoModel",
    "DemoNetwork",
    "DemoOrganization",
    "DemoSchool",
    "DemoWave",
    "SurveyQuestion",
    "export_name",
    "generate",
    "questionnaire",
    "recode_answers",
    "write_exports",
]

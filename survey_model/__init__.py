"""Collective-leadership survey results: codebooks, import, scoring, privacy, shifts and storage.

A plain Python package with no Streamlit import, so every part can be tested and scripted on its own.
The command line is ``python -m survey_model --help``.
"""

from survey_model.codebook import (
    Attribute,
    Codebook,
    Condition,
    Item,
    LeaderIdentity,
    Scale,
    ScaleOption,
    available_codebooks,
    codebook_from_spreadsheet,
    load_codebook,
)
from survey_model.settings import Settings, load_settings
from survey_model.validation import ValidationIssue, ValidationReport

__all__ = [
    "Attribute",
    "Codebook",
    "Condition",
    "Item",
    "LeaderIdentity",
    "Scale",
    "ScaleOption",
    "Settings",
    "ValidationIssue",
    "ValidationReport",
    "available_codebooks",
    "codebook_from_spreadsheet",
    "load_codebook",
    "load_settings",
]

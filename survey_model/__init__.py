"""Collective-leadership survey results: codebooks, import, scoring, privacy, shifts and storage.

A plain Python package with no Streamlit import, so every part can be tested and scripted on its own.
The command line is ``python -m survey_model --help``; the rules behind every figure are in ``docs/rules.md``.

The core API is importable from the package itself, the way pingouin exposes its functions::

    import survey_model as sm

    codebook = sm.load_codebook()
    result = sm.import_export(raw_bytes, "export.csv", codebook)
    table = sm.condition_summary(result.frame, codebook)
    low, high = sm.wilson_interval(30, 100)

The codebook, settings and validation objects are imported with the package. Everything else is imported on
first use (PEP 562 ``__getattr__``): the statistics need scipy, the store SQLAlchemy and the reports openpyxl,
python-pptx and vl-convert, and a command such as ``python -m survey_model list`` should not wait for them.
Loading on first use also means no submodule is imported while the package itself is being imported, so the
package namespace cannot take part in an import cycle.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from survey_model.deck import Deck, build_deck
    from survey_model.demo import generate, write_exports
    from survey_model.exports import csv_bytes, export_table
    from survey_model.importers import ColumnMapping, ExportReadError, ImportResult, import_export, read_export
    from survey_model.intervals import (
        bonett_price_ratio,
        hedges_g,
        mcnemar_test,
        mean_interval,
        newcombe_difference,
        ratio_interval,
        two_proportion_test,
        welch_test,
        wilson_interval,
    )
    from survey_model.organizations import foreign_schools, organization_id
    from survey_model.reliability import condition_reliability, cronbach_alpha, item_reliability
    from survey_model.reports import chart_png, chart_svg, deck_pptx, workbook_xlsx
    from survey_model.scoring import (
        condition_summary,
        index_summary,
        item_summary,
        leader_identity,
        score_respondents,
        stage_of,
    )
    from survey_model.shifts import ShiftReport, compare_waves, impact_statement, trend
    from survey_model.slugs import slug
    from survey_model.store import Store, StoreError
    from survey_model.workbook import ResultsWorkbook, results_workbook

#: Name → the module that defines it, for the names loaded on first use.
_LAZY: dict[str, str] = {
    **dict.fromkeys(["ColumnMapping", "ExportReadError", "ImportResult", "import_export", "read_export"], "importers"),
    **dict.fromkeys(
        ["condition_summary", "index_summary", "item_summary", "leader_identity", "score_respondents", "stage_of"],
        "scoring",
    ),
    **dict.fromkeys(
        [
            "bonett_price_ratio",
            "hedges_g",
            "mcnemar_test",
            "mean_interval",
            "newcombe_difference",
            "ratio_interval",
            "two_proportion_test",
            "welch_test",
            "wilson_interval",
        ],
        "intervals",
    ),
    **dict.fromkeys(["condition_reliability", "cronbach_alpha", "item_reliability"], "reliability"),
    **dict.fromkeys(["ShiftReport", "compare_waves", "impact_statement", "trend"], "shifts"),
    **dict.fromkeys(["Store", "StoreError"], "store"),
    **dict.fromkeys(["foreign_schools", "organization_id"], "organizations"),
    "slug": "slugs",
    **dict.fromkeys(["csv_bytes", "export_table"], "exports"),
    **dict.fromkeys(["ResultsWorkbook", "results_workbook"], "workbook"),
    **dict.fromkeys(["Deck", "build_deck"], "deck"),
    **dict.fromkeys(["chart_png", "chart_svg", "deck_pptx", "workbook_xlsx"], "reports"),
    **dict.fromkeys(["generate", "write_exports"], "demo"),
}

__all__ = [
    "Attribute",
    "Codebook",
    "ColumnMapping",
    "Condition",
    "Deck",
    "ExportReadError",
    "ImportResult",
    "Item",
    "LeaderIdentity",
    "ResultsWorkbook",
    "Scale",
    "ScaleOption",
    "Settings",
    "ShiftReport",
    "Store",
    "StoreError",
    "ValidationIssue",
    "ValidationReport",
    "available_codebooks",
    "bonett_price_ratio",
    "build_deck",
    "chart_png",
    "chart_svg",
    "codebook_from_spreadsheet",
    "compare_waves",
    "condition_reliability",
    "condition_summary",
    "cronbach_alpha",
    "csv_bytes",
    "deck_pptx",
    "export_table",
    "foreign_schools",
    "generate",
    "hedges_g",
    "impact_statement",
    "import_export",
    "index_summary",
    "item_reliability",
    "item_summary",
    "leader_identity",
    "load_codebook",
    "load_settings",
    "mcnemar_test",
    "mean_interval",
    "newcombe_difference",
    "organization_id",
    "ratio_interval",
    "read_export",
    "results_workbook",
    "score_respondents",
    "slug",
    "stage_of",
    "trend",
    "two_proportion_test",
    "welch_test",
    "wilson_interval",
    "workbook_xlsx",
    "write_exports",
]


def __getattr__(name: str) -> Any:
    """Import the module behind a core-API name on first use and keep the name in the package namespace."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'survey_model' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"survey_model.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

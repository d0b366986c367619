"""``python -m survey_model inspect FILE``: what the importer makes of an export, without storing anything.

::

    python -m survey_model inspect FILE [--codebook NAME_OR_PATH] [--mapping FILE.json] [--json]
                                        [--drop-partial] [--include-tests] [--org ORG [--db URL_OR_PATH]]

Prints the detected platform and layout, the encoding, the respondents kept and left out by reason, the question
columns, the personal-data and metadata columns dropped, the mapping to the codebook and every validation issue.
With ``--org`` the report also says when none of the file's schools is one of that stored organization's
(``foreign_schools``, a warning, as ``import`` reports it).
``--json`` prints one JSON object instead, with at least the keys ``platform``, ``respondents`` (number kept),
``excluded`` (reason → count), ``questions``, ``dropped_personal_data`` and ``issues``.

Exit codes, the ones ``import`` gives for the same file: ``0`` the file was read and its report has no errors
(warnings and notes allowed); ``1`` ``import`` would refuse the file: its report has errors (such as no column
matching the codebook: an export of another survey, or the wrong ``--codebook``) or it cannot be read at all
(missing, empty, not a table, damaged, too large); ``2`` wrong arguments (an unknown codebook or an unreadable
mapping file). The report is printed in full either way. With ``--json`` a file that cannot be read prints
``{"error": ..., "action": ...}`` and a report with errors prints ``"ok": false``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from survey_model.codebook import Codebook, codebook_from_spreadsheet, load_codebook
from survey_model.commands.store import add_database_argument
from survey_model.importers import ExportReadError, ImportResult, import_export

__all__ = ["EXIT_OK", "EXIT_REFUSED", "EXIT_USAGE", "describe", "register", "run", "summary"]

EXIT_OK = 0
"""The file was read and its report has no errors."""
EXIT_REFUSED = 1
"""The report has errors or the file cannot be read: ``import`` would store nothing (its code for that, too)."""
EXIT_USAGE = 2
"""Wrong arguments, as argparse gives."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``inspect`` subcommand."""
    parser = subparsers.add_parser(
        "inspect",
        help="show what the importer makes of a survey export (nothing is stored)",
        description=(
            "Read a survey export (Qualtrics, SurveyMonkey, Google Forms, Microsoft Forms or a plain table; CSV, "
            "TSV or XLSX) and show the platform, respondents kept and left out, question columns, personal data "
            "dropped, the mapping to the codebook and the validation report. Exit code 1 when the report has "
            "errors or the file cannot be read (import would refuse it), 0 when it has at most warnings."
        ),
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the export file")
    parser.add_argument(
        "--codebook",
        default="collective-leadership",
        metavar="NAME_OR_PATH",
        help="shipped codebook name, a codebook .toml, or a codebook spreadsheet (.xlsx/.csv); "
        "default collective-leadership",
    )
    parser.add_argument("--mapping", type=Path, metavar="FILE.json", help="a saved mapping (JSON) to apply")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument(
        "--drop-partial",
        action="store_true",
        help="leave out every unfinished response (default: keep those with at least half of the items answered)",
    )
    parser.add_argument("--include-tests", action="store_true", help="keep test, preview and spam responses")
    parser.add_argument(
        "--org", help="a stored organization: warn when none of the file's schools is one of its schools"
    )
    add_database_argument(parser, purpose=" for --org")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Import the file without storing it and print what was found."""
    try:
        codebook = _codebook(args.codebook)
        mapping = json.loads(args.mapping.read_text(encoding="utf-8")) if args.mapping else None
    except (ValueError, OSError) as exc:
        return _fail(args, f"{exc}", "Check the --codebook and --mapping arguments.", code=EXIT_USAGE)
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        return _fail(
            args, f"{args.file} cannot be opened: {exc.strerror or exc}.", "Check the path.", code=EXIT_REFUSED
        )
    try:
        result = import_export(
            data,
            args.file.name,
            codebook,
            mapping=mapping,
            keep_partial=not args.drop_partial,
            exclude_tests=not args.include_tests,
        )
    except ExportReadError as exc:
        return _fail(args, exc.message, exc.action, code=EXIT_REFUSED)
    except ValueError as exc:  # a mapping file of the wrong shape
        return _fail(args, str(exc), "Check the --mapping file.", code=EXIT_USAGE)
    if args.org:
        refused = _check_schools(args, result)
        if refused is not None:
            return refused
    if args.json:
        print(json.dumps(summary(result, codebook, filename=args.file.name), indent=2, ensure_ascii=False))
    else:
        print(describe(result, codebook, filename=args.file.name))
        if not result.report.ok:
            errors = len(result.report.errors)
            _fail(
                args,
                f"{errors} error{'' if errors == 1 else 's'} in the validation report above: import would not "
                "store this file.",
                "Fix the export, choose the right --codebook, or map the columns with --mapping.",
                code=EXIT_REFUSED,
            )
    return EXIT_OK if result.report.ok else EXIT_REFUSED


def summary(result: ImportResult, codebook: Codebook, *, filename: str = "") -> dict[str, Any]:
    """What ``inspect --json`` prints: the import result as JSON-able data (no response-level data)."""
    return {
        "file": filename,
        "platform": result.platform,
        "layout": result.layout,
        "encoding": result.encoding,
        "codebook": {"id": codebook.id, "version": codebook.version, "name": codebook.name},
        "rows_read": result.rows_read,
        "respondents": result.kept,
        "excluded": dict(result.excluded),
        "duplicates": result.duplicates,
        "respondent_id_column": result.respondent_id_column,
        "questions": list(result.questions),
        "dropped_personal_data": list(result.dropped_personal_data),
        "dropped_metadata": list(result.dropped_metadata),
        "mapping": [entry.to_dict() for entry in result.mapping.entries],
        "unmapped_columns": list(result.mapping.unmapped_columns),
        "unmatched_items": list(result.mapping.unmatched_items),
        "unmatched_attributes": list(result.mapping.unmatched_attributes),
        "ok": result.report.ok,
        "counts": dict(result.report.counts),
        "issues": [dataclasses.asdict(issue) for issue in result.report.issues],
    }


def describe(result: ImportResult, codebook: Codebook, *, filename: str = "") -> str:
    """What ``inspect`` prints: the import result as plain text."""
    excluded = ", ".join(f"{reason} {count}" for reason, count in result.excluded.items() if count) or "none"
    lines = [
        f"File: {filename}",
        f"Platform: {result.platform} (layout {result.layout}); encoding: {result.encoding}",
        f"Respondents: {result.kept} kept of {result.rows_read} read; left out: {excluded}",
        f"Respondent ID column: {result.respondent_id_column or '(none)'}"
        + (f"; {result.duplicates} respondent(s) appear more than once" if result.duplicates else ""),
        "",
        f"Question columns ({len(result.questions)}):",
        *[f"  - {label}" for label in result.questions],
        "",
        f"Personal-data columns dropped ({len(result.dropped_personal_data)}): "
        + (", ".join(result.dropped_personal_data) or "none"),
        f"Metadata columns dropped ({len(result.dropped_metadata)}): " + (", ".join(result.dropped_metadata) or "none"),
        "",
        f"Mapping to codebook {codebook.id} {codebook.version}: {len(result.mapping.items)} of {len(codebook.items)} "
        f"items, {len(result.mapping.attributes)} of {len(codebook.attributes)} attributes",
    ]
    for entry in result.mapping.entries:
        target = entry.target or "(left unmapped)"
        how = f"{entry.method}" + (f", similarity {entry.score:.2f}" if entry.method == "fuzzy" else "")
        lines.append(f"  {entry.column} → {target} ({how})")
    if result.mapping.unmatched_items:
        lines.append("  Items with no column: " + ", ".join(result.mapping.unmatched_items))
    if result.mapping.unmapped_columns:
        lines.append(f"  Question columns matching nothing: {len(result.mapping.unmapped_columns)}")
    lines += ["", "Validation: " + result.report.to_text()]
    return "\n".join(lines)


def _check_schools(args: argparse.Namespace, result: ImportResult) -> int | None:
    """Add the foreign-schools warning for ``--org`` to the report; an exit code when the store cannot say."""
    from survey_model.commands.store import foreign_schools_issue, open_store, stored_org
    from survey_model.store import StoreError

    try:
        with open_store(args, create=False) as store:
            issue = foreign_schools_issue(store, stored_org(store, args.org), result.frame)
    except StoreError as exc:
        return _fail(args, exc.message, exc.action or "Check --org and --db.", code=EXIT_USAGE)
    if issue is not None:
        result.report.extend([issue])
    return None


def _codebook(name: str) -> Codebook:
    path = Path(name)
    if path.suffix.casefold() in (".xlsx", ".csv"):
        codebook, report = codebook_from_spreadsheet(path.read_bytes(), filename=path.name)
        if codebook is None:
            raise ValueError(f"codebook {path.name} is not valid:\n{report.to_text()}")
        return codebook
    return load_codebook(name)


def _fail(args: argparse.Namespace, message: str, action: str, *, code: int) -> int:
    if args.json:
        print(json.dumps({"error": message, "action": action}, ensure_ascii=False))
    else:
        print(f"error: {message}", file=sys.stderr)
        if action:
            print(f"       {action}", file=sys.stderr)
    return code

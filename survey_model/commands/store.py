"""``import``, ``list``, ``rename``, ``delete`` and ``export``: put survey waves into the store and manage them.

::

    python -m survey_model import FILE --org ORG --wave LABEL [--org-name NAME] [--date YYYY-MM-DD]
                                       [--codebook NAME_OR_PATH] [--mapping NAME] [--save-mapping NAME]
                                       [--dry-run] [--replace] [--schools-ok]
    python -m survey_model list [--org ORG] [--json]
    python -m survey_model rename --org ORG --name NAME
    python -m survey_model delete --org ORG --wave LABEL --yes
    python -m survey_model export --org ORG [--wave LABEL ...] --out FILE.csv [--values]

Every command takes ``--db URL_OR_PATH`` (default: ``CLD_DATABASE_URL``, else ``instance/survey.db``) and the
changing ones ``--user NAME`` for the audit log (default: the login name). Organization ids and wave labels are
matched ignoring case and surrounding spaces (``"2024 spring"`` is the stored ``"2024 Spring"``; see
:func:`stored_label`, which ``shifts``, ``deck`` and ``workbook`` use too), and an unknown one is answered with
the stored ones; ``import`` stores a wave under the label of a stored one it matches, so it never keeps two labels
that differ only in case. A file none of whose schools is one of the organization's stored schools (another
district's export, say) gets a ``foreign_schools`` warning in its report and is stored only with ``--schools-ok``.

Exit codes: ``0`` done; ``1`` nothing was changed because of the data or the database (validation errors, a file
already stored, a taken label, a missing wave, a busy or damaged database: the message says which and what to do);
``2`` wrong arguments.

``export`` writes the cleaned data of an organization (``wave``, ``respondent_key``, attributes, items as answer
labels, or scale values with ``--values``) and never a raw respondent id. Cells a spreadsheet would read as a
formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) get a leading ``'``; plain numbers
such as ``-1`` (the code for an explicit non-answer) stay numbers, as a spreadsheet cannot run them.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import getpass
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from survey_model.codebook import Codebook, codebook_from_spreadsheet, load_codebook
from survey_model.exports import export_table
from survey_model.importers import ColumnMapping, ExportReadError, import_export
from survey_model.organizations import foreign_schools
from survey_model.plurals import counted
from survey_model.responses import WAVE
from survey_model.settings import load_settings

if TYPE_CHECKING:
    import pandas as pd

    from survey_model.store import Store, WaveRecord
    from survey_model.validation import ValidationIssue

# survey_model.store (SQLAlchemy) is imported inside the commands that use it: every command module is imported
# to build the parser, and a third of a second matters for `--help` and the other commands.

__all__ = [
    "add_database_argument",
    "add_user_argument",
    "fail",
    "foreign_schools_issue",
    "open_store",
    "register",
    "run_delete",
    "run_export",
    "run_import",
    "run_list",
    "run_rename",
    "stored_label",
    "stored_org",
    "stored_wave",
]

"""Label written by ``export`` for an explicit non-answer (value −1)."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``import``, ``list``, ``rename``, ``delete`` and ``export`` subcommands."""
    common = argparse.ArgumentParser(add_help=False)
    add_database_argument(common)
    who = argparse.ArgumentParser(add_help=False)
    add_user_argument(who)

    imp = subparsers.add_parser(
        "import",
        parents=[common, who],
        help="validate a survey export and store it as a wave",
        description="Read an export (CSV/TSV/XLSX from Qualtrics, SurveyMonkey, Google Forms, MS Forms or a plain "
        "table), print the validation report, and store it as one wave if it has no errors.",
    )
    imp.add_argument("file", type=Path, metavar="FILE", help="the export file")
    imp.add_argument("--org", required=True, type=_org_id, help="organization id, e.g. district-7 (created when new)")
    imp.add_argument("--wave", required=True, type=_wave_label, help='wave label, e.g. "Spring 2025"')
    imp.add_argument(
        "--org-name",
        type=_org_name,
        metavar="NAME",
        help='display name of a new organization, e.g. "District 7 Schools" (shown on pages, decks and workbooks; '
        "default: its id); rename a stored one with the rename command",
    )
    imp.add_argument("--date", type=_iso_date, help="when the survey ran, YYYY-MM-DD (orders the waves)")
    imp.add_argument(
        "--codebook",
        metavar="NAME_OR_PATH",
        help="shipped codebook name, a codebook .toml, or a spreadsheet codebook (.xlsx/.csv); default: the "
        "organization's current codebook, else collective-leadership",
    )
    imp.add_argument("--mapping", metavar="NAME", help="use a saved mapping profile")
    imp.add_argument("--save-mapping", metavar="NAME", help="save the column mapping used under this name")
    imp.add_argument("--dry-run", action="store_true", help="validate and report only; write nothing")
    imp.add_argument("--replace", action="store_true", help="replace the organization's wave with this label")
    imp.add_argument(
        "--schools-ok",
        action="store_true",
        help="store the file even though none of its schools is one of the organization's (checked that it "
        "belongs to this organization)",
    )
    imp.set_defaults(func=run_import)

    lst = subparsers.add_parser("list", parents=[common], help="list the stored waves")
    lst.add_argument("--org", help="only this organization")
    lst.add_argument("--json", action="store_true", help="print JSON (for scripts)")
    lst.set_defaults(func=run_list)

    rename = subparsers.add_parser(
        "rename", parents=[common, who], help="set an organization's display name (recorded in the audit log)"
    )
    rename.add_argument("--org", required=True, help="organization id")
    rename.add_argument("--name", required=True, type=_org_name, help='the new display name, e.g. "Cedar Valley"')
    rename.set_defaults(func=run_rename)

    delete = subparsers.add_parser("delete", parents=[common, who], help="delete one stored wave")
    delete.add_argument("--org", required=True, help="organization id")
    delete.add_argument("--wave", required=True, help="wave label")
    delete.add_argument("--yes", action="store_true", help="confirm the deletion (required)")
    delete.set_defaults(func=run_delete)

    export = subparsers.add_parser(
        "export", parents=[common], help="write an organization's cleaned responses to CSV (no raw ids)"
    )
    export.add_argument("--org", required=True, help="organization id")
    export.add_argument("--wave", action="append", metavar="LABEL", help="only this wave (repeat for several)")
    export.add_argument("--out", required=True, type=Path, metavar="FILE.csv", help="CSV file to write")
    export.add_argument("--values", action="store_true", help="write scale values instead of answer labels")
    export.set_defaults(func=run_export)


# --------------------------------------------------------------------------------------------------------------
# import


def run_import(args: argparse.Namespace) -> int:
    """Validate an export, print the report, and save it as a wave when it has no errors."""
    from survey_model.store import StoreError

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        return fail(f"Cannot read {args.file}: {exc.strerror or exc}.", "Check the path.")
    file_sha256 = hashlib.sha256(data).hexdigest()
    try:
        store = open_store(args, create=not args.dry_run)
    except StoreError as exc:
        if not (args.dry_run and "no database" in exc.message.casefold()):
            return fail(exc.message, exc.action)
        store = None  # a dry run against a database that does not exist yet: nothing to compare with
    try:
        if store is not None:
            # "District-7" / "2024 spring" name the stored "district-7" / "2024 Spring", not new ones beside them.
            args.org = stored_label(
                args.org, [org.id for org in store.organizations()], kind="organization", missing_ok=True
            )
            args.wave = stored_label(
                args.wave,
                [record.label for record in store.waves(args.org)],
                kind="wave",
                owner=f"Organization {args.org!r}",
                missing_ok=True,
            )
            holder = store.find_file(file_sha256)
            if holder is not None:
                return fail(f"This file is already stored as {holder.describe()}.", "Nothing was saved.")
            existing = store.organization(args.org)
            if args.org_name and existing is not None and existing.name != args.org_name:
                return fail(
                    f"Organization {args.org!r} is already stored, named {existing.name!r}; --org-name names a new "
                    "one. Nothing was saved.",
                    f"Leave out --org-name, or rename it first: python -m survey_model rename --org {args.org} "
                    f'--name "{args.org_name}".',
                )
        codebook = _codebook(args, store)
        if codebook is None:
            return 1
        mapping = None
        if args.mapping:
            profile = store.mapping_profile(args.mapping) if store is not None else None
            if profile is None:
                names = [p.name for p in store.mapping_profiles()] if store is not None else []
                return fail(
                    f"There is no mapping profile {args.mapping!r}.",
                    f"Saved profiles: {', '.join(repr(name) for name in names) or 'none'}.",
                )
            try:
                mapping = ColumnMapping.from_dict(profile.mapping)
            except ValueError as exc:
                return fail(f"The mapping profile {args.mapping!r} cannot be used: {exc}.", "Save it again.")

        print(f"Reading {args.file.name} …", file=sys.stderr)
        try:
            result = import_export(data, args.file.name, codebook, mapping=mapping)
        except ExportReadError as exc:
            return fail(exc.message, exc.action)
        print(f"Platform: {result.platform} (layout {result.layout}); codebook: {codebook.id} {codebook.version}")
        if result.dropped_personal_data:
            print(f"Dropped personal-data columns (never stored): {', '.join(result.dropped_personal_data)}")
        foreign = foreign_schools_issue(store, args.org, result.frame) if store is not None else None
        if foreign is not None:
            result.report.extend([foreign])
        print(result.report.to_text())
        if not result.report.ok:
            return fail("Not saved: the file has errors (listed above).", "Fix them, or adjust the mapping.")
        if foreign is not None and not args.dry_run and not args.schools_ok:
            return fail(
                f"Not saved: none of the file's schools is one of {args.org!r}'s (see the warning above).",
                "Check the file and --org; add --schools-ok if the file does belong to this organization.",
            )
        n = len(result.frame)
        if args.dry_run:
            print(
                f"Dry run: {counted(n, 'respondent')} would be saved as wave {args.wave!r} of {args.org!r}. "
                "Nothing written."
            )
            return 0
        if args.org_name and store.organization(args.org) is None:
            store.ensure_organization(args.org, args.org_name, user=args.user)  # created with its name (audited)
        with _ProgressBar(sys.stderr) as bar:
            saved = store.save_wave(
                args.org,
                args.wave,
                result.frame,
                codebook=codebook,
                platform=result.platform,
                file_sha256=file_sha256,
                user=args.user,
                date=args.date,
                replace=args.replace,
                counts=result.report.counts,
                on_progress=bar.update,
            )
        if not saved.ok:
            hint = "Add --replace to replace it." if saved.status == "exists" else "Nothing was saved."
            return fail(saved.message, hint)
        print(saved.message)
        if args.save_mapping:
            store.save_mapping_profile(args.save_mapping, result.platform, result.mapping.to_dict(), user=args.user)
            print(f"Saved the column mapping as profile {args.save_mapping!r}.")
        return 0
    except StoreError as exc:
        return fail(exc.message, exc.action)
    finally:
        if store is not None:
            store.close()


def _codebook(args: argparse.Namespace, store: Store | None) -> Codebook | None:
    """The codebook named on the command line, else the organization's current one, else the default."""
    if args.codebook:
        value = args.codebook
        suffix = Path(value).suffix.casefold()
        if suffix in (".xlsx", ".xlsm", ".csv"):
            try:
                content = Path(value).read_bytes()
            except OSError as exc:
                fail(f"Cannot read codebook {value}: {exc.strerror or exc}.", "Check the path.")
                return None
            codebook, report = codebook_from_spreadsheet(content, filename=Path(value).name)
            if codebook is None:
                print(report.to_text())
                fail(f"The codebook {value} has errors (listed above).", "Fix the spreadsheet and try again.")
            return codebook
        try:
            return load_codebook(value)
        except ValueError as exc:
            fail(str(exc), "Use a shipped codebook name, a .toml file, or a spreadsheet codebook.")
            return None
    if store is not None and store.waves(args.org):
        return store.codebook_for(args.org)
    return load_codebook()


class _ProgressBar:
    """A one-line progress bar on a terminal; silent when the output is a file or a pipe."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.active = stream.isatty()
        self.drawn = False

    def update(self, done: int, total: int) -> None:
        if not self.active or total <= 0:
            return
        filled = round(self.width * done / total)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\rSaving [{bar}] {100 * done / total:3.0f}%  {done:,} / {counted(total, 'respondent')}")
        self.stream.flush()
        self.drawn = True

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


# --------------------------------------------------------------------------------------------------------------
# list, delete, export


def run_list(args: argparse.Namespace) -> int:
    """Print the stored waves, as a table or as JSON."""
    from survey_model.store import StoreError

    try:
        with open_store(args, create=False) as store:
            if args.org:
                args.org = stored_org(store, args.org)
            records = store.waves(args.org)
            names = {org.id: org.name for org in store.organizations()}
    except StoreError as exc:
        return fail(exc.message, exc.action)
    if args.json:
        print(json.dumps([_wave_json(r, names.get(r.org_id, r.org_id)) for r in records], indent=2))
        return 0
    if not records:
        print("No waves stored" + (f" for organization {args.org!r}." if args.org else "."))
        return 0
    header = ("organization", "wave", "date", "respondents", "platform", "codebook", "file sha256", "imported")
    rows = [
        (
            r.org_id,
            r.label,
            r.date.isoformat() if r.date else "no date",
            f"{r.n_respondents:,}",
            r.platform,
            f"{r.codebook_id} {r.codebook_version}",
            r.file_sha256[:12],
            f"{r.imported_at:%Y-%m-%d %H:%M} UTC by {r.imported_by}",
        )
        for r in records
    ]
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        cells = [
            str(c).rjust(w) if i == 3 else str(c).ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
    return 0


def _wave_json(record: WaveRecord, org_name: str) -> dict[str, Any]:
    return {
        "organization": record.org_id,
        "organization_name": org_name,
        "label": record.label,
        "date": record.date.isoformat() if record.date else None,
        "respondents": record.n_respondents,
        "file_sha256": record.file_sha256,
        "platform": record.platform,
        "codebook_id": record.codebook_id,
        "codebook_version": record.codebook_version,
        "imported_at": record.imported_at.isoformat(),
        "imported_by": record.imported_by,
    }


def run_rename(args: argparse.Namespace) -> int:
    """Set an organization's display name through the store, which records the change in the audit log."""
    from survey_model.store import StoreError

    try:
        with open_store(args, create=False) as store:
            org = stored_org(store, args.org)
            before = store.organization(org)
            if before is not None and before.name == args.name:
                print(f"Organization {org!r} is already named {args.name!r}. Nothing changed.")
                return 0
            store.ensure_organization(org, args.name, user=args.user)
    except StoreError as exc:
        return fail(exc.message, exc.action)
    old = before.name if before is not None else org
    print(f"Renamed organization {org!r} from {old!r} to {args.name!r}. The audit log records the change.")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    """Delete one wave, only with ``--yes``."""
    from survey_model.store import StoreError

    try:
        with open_store(args, create=False) as store:
            org = stored_org(store, args.org)
            record = store.wave(org, stored_wave(store, org, args.wave))
            if not args.yes:
                return fail(
                    f"Not deleted: this would delete {record.describe()}.",
                    "Run the command again with --yes to confirm.",
                )
            store.delete_wave(org, record.label, user=args.user, confirm=True)
    except StoreError as exc:
        return fail(exc.message, exc.action)
    print(f"Deleted {record.describe()}. The audit log records the deletion.")
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write the organization's cleaned responses to a CSV file that is safe to open in a spreadsheet."""
    from survey_model.store import StoreError

    try:
        with open_store(args, create=False) as store:
            org = stored_org(store, args.org)
            waves = [stored_wave(store, org, label) for label in args.wave] if args.wave else None
            frame = store.load_responses(org, waves=waves)
            books = {label: store.codebook_for(org, wave=label) for label in frame[WAVE].cat.categories}
    except StoreError as exc:
        return fail(exc.message, exc.action)
    if frame.empty:
        return fail(f"Organization {org!r} has no stored responses.", "Nothing was written.")
    table = export_table(frame, books, labels=not args.values)
    try:
        table.to_csv(args.out, index=False, encoding="utf-8-sig")
    except OSError as exc:
        return fail(f"Cannot write {args.out}: {exc.strerror or exc}.", "Check the folder exists and is writable.")
    print(f"Wrote {counted(len(table), 'respondent')} × {counted(table.shape[1], 'column')} to {args.out}.")
    return 0


# --------------------------------------------------------------------------------------------------------------
# shared


def add_database_argument(parser: argparse.ArgumentParser, *, purpose: str = "") -> None:
    """The ``--db URL_OR_PATH`` option every command that reads the store takes (read by :func:`open_store`)."""
    parser.add_argument(
        "--db",
        metavar="URL_OR_PATH",
        help=f"database{purpose}: a SQLite file path or a SQLAlchemy URL (default: CLD_DATABASE_URL, else "
        "instance/survey.db)",
    )


def add_user_argument(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """The ``--user`` option of every command that changes the store: who made the change, for the audit log."""
    parser.add_argument("--user", default=_login_name(), help="who makes the change, for the audit log")


def open_store(args: argparse.Namespace, *, create: bool) -> Store:
    """The store that ``--db`` (or ``CLD_DATABASE_URL``, else the embedded default) points at, for any command."""
    from survey_model.store import Store, StoreError

    try:
        settings = load_settings()
    except ValueError as exc:
        raise StoreError(str(exc), action="Fix the environment variable.") from None
    if args.db:
        settings = dataclasses.replace(settings, database_url=args.db)
    return Store.from_settings(settings, create=create)


def stored_label(wanted: str, stored: Iterable[str], *, kind: str, owner: str = "", missing_ok: bool = False) -> str:
    """The stored label (of a wave, an organization) that ``wanted`` names, as typed on the command line.

    The store's own rule, :func:`survey_model.store.labels.stored_label`: an exact match wins, otherwise case and
    surrounding spaces are ignored; nothing or several case twins matching raise
    :class:`~survey_model.store.StoreError` listing the stored labels. Imported here on first use, like the rest of
    the store (see the note at the top).

    >>> stored_label(" 2024 spring", ["2024 Spring", "2025 Spring"], kind="wave")
    '2024 Spring'
    """
    from survey_model.store.labels import stored_label as store_rule

    return store_rule(wanted, stored, kind=kind, owner=owner, missing_ok=missing_ok)


def stored_org(store: Store, wanted: str) -> str:
    """The id of the stored organization that ``wanted`` names (see :func:`stored_label`)."""
    return stored_label(wanted, [org.id for org in store.organizations()], kind="organization")


def stored_wave(store: Store, org_id: str, wanted: str) -> str:
    """The label of the organization's stored wave that ``wanted`` names (see :func:`stored_label`)."""
    labels = [record.label for record in store.waves(org_id)]
    return stored_label(wanted, labels, kind="wave", owner=f"Organization {org_id!r}")


def foreign_schools_issue(store: Store, org_id: str, frame: pd.DataFrame) -> ValidationIssue | None:
    """The :func:`survey_model.organizations.foreign_schools` warning for a file about to be stored under
    ``org_id``, against the schools its stored waves name (``None`` for an organization not stored yet)."""
    organization = store.organization(org_id)
    if organization is None:
        return None
    return foreign_schools(frame, store.school_names(org_id), org_name=organization.name or org_id)


def fail(message: str, action: str = "") -> int:
    """Print a user-facing error and what to do about it on stderr; return the exit code 1."""
    print(f"error: {message}", file=sys.stderr)
    if action:
        print(f"  → {action}", file=sys.stderr)
    return 1


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return os.environ.get("USER", "") or "unknown"


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-04-30") from None


def _org_id(text: str) -> str:
    from survey_model.organizations import ORG_ID_PATTERN

    if not ORG_ID_PATTERN.match(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an organization id: use 1-64 letters, digits, '_', '.' or '-', e.g. district-7"
        )
    return text


def _org_name(text: str) -> str:
    if not 0 < len(text.strip()) <= 200:
        raise argparse.ArgumentTypeError("an organization name needs 1 to 200 characters")
    return text.strip()


def _wave_label(text: str) -> str:
    if not 0 < len(text.strip()) <= 100:
        raise argparse.ArgumentTypeError("a wave label needs 1 to 100 characters")
    return text.strip()

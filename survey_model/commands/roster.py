"""``roster``: store one wave's roster (educators per school), from which pages show response rates.

::

    python -m survey_model roster --org ORG --wave LABEL FILE [--dry-run]

``FILE`` is a CSV, TSV or XLSX file with the columns ``school`` and ``staff`` (the number of educators). It is
checked against the organization's school list and the wave's answers (:func:`survey_model.roster.check_roster`):
an unknown school, a count that is not a whole number or is negative, a school with more respondents than
educators, a school that answered but is missing, or a wave that is not stored is reported, every problem at
once, and nothing is stored (exit code 1). A stored roster replaces the wave's previous one; the audit log records
both.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from survey_model.commands.store import (
    add_database_argument,
    add_user_argument,
    fail,
    open_store,
    stored_org,
    stored_wave,
)
from survey_model.plurals import counted

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``roster`` subcommand."""
    parser = subparsers.add_parser(
        "roster",
        help="store a wave's roster (educators per school) for response rates",
        description="Check a roster file (columns school and staff) against the school list and the wave's "
        "answers, and store it as the wave's roster when it has no problem.",
    )
    add_database_argument(parser)
    add_user_argument(parser)
    parser.add_argument("file", type=Path, metavar="FILE", help="CSV, TSV or XLSX with columns school, staff")
    parser.add_argument("--org", required=True, help="organization id")
    parser.add_argument("--wave", required=True, help="wave label")
    parser.add_argument("--dry-run", action="store_true", help="check and report only; store nothing")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Read, check and (unless ``--dry-run``) store the roster; print what was stored or every problem."""
    from survey_model.roster import check_roster_file
    from survey_model.store import StoreError

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        return fail(f"Cannot read {args.file}: {exc.strerror or exc}.", "Check the path.")
    try:
        with open_store(args, create=False) as store:
            org = stored_org(store, args.org)
            labels = [record.label for record in store.waves(org)]
            wave = stored_wave(store, org, args.wave) if labels else args.wave
            checked = check_roster_file(store, org, wave, data, args.file.name)
            if not checked.ok:
                print(f"The roster {args.file.name} was not stored ({counted(len(checked.problems), 'problem')}):")
                for problem in checked.problems:
                    print(f"  - {problem}")
                return fail("Nothing was stored.", "Correct the roster file and run the command again.")
            if args.dry_run:
                print(f"The roster for {wave} is fine: {_summary(checked.staff)}. Nothing stored (--dry-run).")
                return 0
            store.set_roster(org, wave, checked.staff, user=args.user)
    except StoreError as exc:
        return fail(exc.message, exc.action)
    print(f"Stored the roster of {org!r} for {wave}: {_summary(checked.staff)}. The audit log records it.")
    return 0


def _summary(staff: dict[str, int]) -> str:
    return f"{counted(len(staff), 'school')}, {counted(sum(staff.values()), 'educator')}"

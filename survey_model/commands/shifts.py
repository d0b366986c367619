"""``shifts``: did it change? The leader-identity share and each condition between two stored waves.

    python -m survey_model shifts --org ORG --from WAVE --to WAVE [--school NAME] [--db URL] [--json]

Prints the leader-identity share in each wave with n, its absolute change (Newcombe interval) and relative change
(log-ratio interval) with p, the same for each condition's percent favorable and mean, and the impact
statements. Shares and means are rounded as in the statements and the change is the difference of the rounded
figures (see :func:`survey_model.shifts.displayed_change`); intervals, p and the JSON figures are unrounded.
Groups below the minimum n (``CLD_MIN_N``, default 5) get "too few responses to say", no figures.
Exit codes: 0 done, 1 nothing to compare (unknown organization or wave, database problem), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

import pandas as pd

from survey_model.commands.store import add_database_argument, fail, open_store, stored_org, stored_wave
from survey_model.plurals import counted
from survey_model.shifts.statements import displayed_change, signed

__all__ = ["MEASURES", "register", "run_shifts"]

MEASURES = ("leader_identity", "condition_favorable", "condition_mean")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``shifts`` subcommand."""
    parser = subparsers.add_parser(
        "shifts",
        help="changes between two stored waves, with intervals and plain-language statements",
        description=__doc__.splitlines()[0],
    )
    parser.add_argument("--org", required=True, help="organization id (see `list`)")
    parser.add_argument("--from", dest="from_wave", required=True, metavar="WAVE", help="the earlier wave's label")
    parser.add_argument("--to", dest="to_wave", required=True, metavar="WAVE", help="the later wave's label")
    parser.add_argument("--school", help="only this school")
    add_database_argument(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.set_defaults(func=run_shifts)


def run_shifts(args: argparse.Namespace) -> int:
    """Compare two waves of one organization and print the result."""
    from survey_model.release import released_responses
    from survey_model.responses import WAVE
    from survey_model.settings import load_settings
    from survey_model.shifts import compare_waves
    from survey_model.store import StoreError

    try:
        with open_store(args, create=False) as store:
            args.org = stored_org(store, args.org)
            args.from_wave = stored_wave(store, args.org, args.from_wave)
            args.to_wave = stored_wave(store, args.org, args.to_wave)
            settings = load_settings()
            # The release decision covers every wave; only then are the two waves taken (survey_model.release).
            frame = released_responses(
                store, args.org, min_n=settings.min_n, min_n_sensitive=settings.min_n_sensitive
            ).frame
            frame = frame[frame[WAVE].isin([args.from_wave, args.to_wave])]
            codebook = store.codebook_for(args.org, wave=args.to_wave)
    except StoreError as exc:
        return fail(exc.message, exc.action)
    if args.school:
        frame = frame[frame["school"] == args.school] if "school" in frame.columns else frame.iloc[0:0]
    report = compare_waves(frame, codebook, from_wave=args.from_wave, to_wave=args.to_wave, min_n=settings.min_n)
    table = report.to_frame()
    table = table[table["measure"].isin(MEASURES)]
    if args.json:
        print(json.dumps(_as_json(report, table, args), indent=2, ensure_ascii=False))
    else:
        print(_as_text(report, table, args))
    return 0


def _as_json(report: Any, table: pd.DataFrame, args: argparse.Namespace) -> dict[str, Any]:
    rows = json.loads(table.to_json(orient="records", force_ascii=False))  # NaN and NA (hidden figures) → null
    return {
        "organization": args.org,
        "school": args.school,
        "from_wave": args.from_wave,
        "to_wave": args.to_wave,
        "linked_respondents": report.n_linked,
        "comparisons": rows,
        "statements": [row["statement"] for row in rows],
    }


def _as_text(report: Any, table: Any, args: argparse.Namespace) -> str:
    scope = f"{args.org}" + (f", {args.school}" if args.school else "")
    lines = [f"Shifts for {scope}: {args.from_wave} → {args.to_wave}", ""]
    header = (
        f"{'measure':50} {'from':>7} {'to':>7} {'n from':>7} {'n to':>7}  "
        f"{'change (95% CI)':32} {'relative (95% CI)':22} p"
    )
    lines += [header, "-" * len(header)]
    for row in table.itertuples():
        if row.suppressed:
            lines.append(f"{row.label[:50]:50} too few responses to say")
            continue
        # Levels as shown and their difference, so each line adds up; the interval is the unrounded one.
        shown = displayed_change(row.estimate1, row.estimate2, row.diff_lo, row.diff_hi, kind=row.kind)
        change = shown.points_text if shown.percent else "no change" if shown.unchanged else shown.change_text
        change = f"{change} ({shown.interval_text})"
        relative = ""
        if shown.percent and not math.isnan(row.ratio):
            low, high = signed(100 * (row.ratio_lo - 1), 0), signed(100 * (row.ratio_hi - 1), 0)
            relative = f"{signed(100 * (row.ratio - 1), 0)}% ({low}% to {high}%)"
        lines.append(
            f"{row.label[:50]:50} {shown.before_text:>7} {shown.after_text:>7} {row.n1:>7} {row.n2:>7}  "
            f"{change:32} {relative:22} {row.p_value:.3g}"
        )
    lines += ["", "Statements:"] + [f"  • {statement}" for statement in table["statement"]]
    if report.n_linked:
        verb = "is" if report.n_linked == 1 else "are"
        lines.append(f"\n{counted(report.n_linked, 'respondent')} {verb} linked across the two waves (hashed IDs).")
    return "\n".join(lines)

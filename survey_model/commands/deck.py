"""``deck`` and ``workbook``: the workshop deck and the results workbook, prepared offline from the store.

::

    python -m survey_model deck --org ORG --waves W1,W2 --out FILE.pptx [--school S] [--charts DIR] [--db URL]
    python -m survey_model workbook --org ORG --out FILE.xlsx [--wave W] [--compare W] [--school S] [--db URL]

``deck`` writes the Workshop page's slides as PowerPoint: charts as images, facilitator notes as speaker notes;
``--charts DIR`` also writes every chart as PNG and SVG. ``workbook`` writes one sheet per view (default: the
latest wave compared with the first, as the deck and the pages do), the filters printed on every sheet. Both
apply the privacy rules (``CLD_MIN_N``); nothing is fetched from the network.

The database is ``--db`` (a SQLite path or a SQLAlchemy URL), else ``CLD_DATABASE_URL``, else
``instance/survey.db``. The organization and the waves are matched ignoring case and surrounding spaces, as in
every command (:func:`survey_model.commands.store.stored_label`). Exit codes: ``0`` written; ``1`` nothing
written (no such organization, wave or school, a database problem, or a file that cannot be written: the message
says which and what to do); ``2`` wrong arguments.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from survey_model.commands.store import add_database_argument, fail, open_store, stored_label, stored_org

__all__ = ["register", "run_deck", "run_workbook"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``deck`` and ``workbook`` subcommands."""
    common = argparse.ArgumentParser(add_help=False)
    add_database_argument(common)
    common.add_argument("--org", required=True, help="organization id, e.g. cedar-valley")
    common.add_argument("--school", help="only this school (default: the whole organization)")

    deck = subparsers.add_parser(
        "deck",
        parents=[common],
        help="write the workshop deck as PowerPoint (.pptx)",
        description="Build the facilitator's deck (leader identity, conditions, clear gains, where to focus, a "
        "breakdown, discussion prompts) and write it as a .pptx with charts as images and notes as speaker notes.",
    )
    deck.add_argument(
        "--waves",
        required=True,
        type=_wave_list,
        metavar="W1,W2",
        help='one wave, or two separated by a comma (changes run from the earlier), e.g. "2024 Spring,2026 Spring"',
    )
    deck.add_argument("--out", required=True, type=_suffix(".pptx"), metavar="FILE.pptx", help="file to write")
    deck.add_argument("--charts", type=Path, metavar="DIR", help="also write every chart as PNG and SVG here")
    deck.set_defaults(func=run_deck)

    workbook = subparsers.add_parser(
        "workbook",
        parents=[common],
        help="write the results workbook (.xlsx), one sheet per view",
        description="Write the results of one selection as an Excel workbook: overview, conditions, items, "
        "schools, subgroups, leader identity, changes and reliability, with the filters on every sheet.",
    )
    workbook.add_argument("--out", required=True, type=_suffix(".xlsx"), metavar="FILE.xlsx", help="file to write")
    workbook.add_argument("--wave", help="the wave to describe (default: the latest)")
    workbook.add_argument("--compare", help="an earlier wave to compare with (default: the first wave)")
    workbook.set_defaults(func=run_workbook)


def _wave_list(text: str) -> list[str]:
    waves = [part.strip() for part in text.split(",") if part.strip()]
    if not waves or len(waves) > 2:
        raise argparse.ArgumentTypeError(f"give one or two wave labels separated by a comma, got {text!r}")
    if len(set(waves)) != len(waves):
        raise argparse.ArgumentTypeError(f"the two waves must differ, got {text!r}")
    return waves


def _suffix(suffix: str):
    def check(text: str) -> Path:
        path = Path(text)
        if path.suffix.lower() != suffix:
            raise argparse.ArgumentTypeError(f"the output file must end in {suffix}, got {text!r}")
        return path

    return check


def _selection(args: argparse.Namespace, waves: list[str | None]):
    """(organization name, responses, codebook, settings, stored labels of ``waves``, school groups) or an exit
    code after a clear message. ``args.org`` becomes the stored organization id; a ``None`` in ``waves`` stays
    ``None``."""
    from survey_model.responses import WAVE
    from survey_model.settings import load_settings
    from survey_model.store import StoreError

    try:
        settings = load_settings()
    except ValueError as exc:
        return fail(str(exc), "Fix the environment variable.")
    try:
        with open_store(args, create=False) as store:
            args.org = stored_org(store, args.org)
            organization = store.organization(args.org)
            groups = store.school_groups(args.org)
            args.rosters = store.rosters(args.org)
            stored = store.load_responses(args.org)
            codebook = store.codebook_for(args.org) if not stored.empty else None
            frame = _released(store, args.org, settings) if not stored.empty else stored
    except StoreError as exc:
        return fail(exc.message, exc.action)
    if frame.empty:
        return fail(f"Organization {args.org!r} has no stored responses.", "Import a wave first.")
    if args.school:
        from survey_model.release import WITHHELD

        schools = sorted(set(frame["school"].dropna().astype(str)) - {WITHHELD}) if "school" in frame.columns else []
        if args.school not in schools:
            known = set(stored["school"].dropna().astype(str)) if "school" in stored.columns else set()
            if args.school in known:
                return fail(
                    f"School {args.school!r} has too few respondents to be shown on its own (it counts in "
                    f"{args.org!r}'s totals).",
                    f"Schools shown on their own: {', '.join(schools)}.",
                )
            return fail(f"There is no school {args.school!r} in {args.org!r}.", f"Schools: {', '.join(schools)}.")
    known = [str(w) for w in frame[WAVE].cat.categories]  # every stored wave of the organization
    owner = f"Organization {args.org!r}"
    try:
        labels = [None if w is None else stored_label(w, known, kind="wave", owner=owner) for w in waves]
    except StoreError as exc:
        return fail(exc.message, exc.action)
    return organization.name, frame, codebook, settings, labels, groups


def _released(store, org: str, settings):
    """The organization's released responses (:mod:`survey_model.release`): what every export may publish."""
    from survey_model.release import released_responses

    return released_responses(store, org, min_n=settings.min_n, min_n_sensitive=settings.min_n_sensitive).frame


def _write(path: Path, data: bytes) -> int | None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        return fail(f"Cannot write {path}: {exc.strerror or exc}.", "Check the folder exists and is writable.")
    return None


def run_deck(args: argparse.Namespace) -> int:
    """Build the deck for the chosen waves and scope and write it as .pptx (and the charts, if asked)."""
    # The chart builders live beside the pages (ui/), which the Workshop page shares; they import no Streamlit.
    from survey_model.charts.deck import deck_images, image_spec
    from survey_model.deck import build_deck
    from survey_model.reports import chart_svg, deck_pptx

    started = time.perf_counter()
    selection = _selection(args, args.waves)
    if isinstance(selection, int):
        return selection
    org_name, frame, codebook, settings, waves, groups = selection
    if len(set(waves)) != len(waves):
        return fail(f"--waves names the wave {waves[0]!r} twice.", "Give two different waves, or one.")
    deck = build_deck(
        frame,
        codebook,
        org_name=org_name,
        waves=waves,
        school=args.school,
        school_groups=groups,
        settings=settings,
        rosters=args.rosters,
    )
    images = deck_images(deck)
    failed = _write(args.out, deck_pptx(deck, images=images))
    if failed is not None:
        return failed
    if args.charts is not None:
        try:
            args.charts.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return fail(f"Cannot create {args.charts}: {exc.strerror or exc}.", "Choose another folder.")
        for number, slide in enumerate(deck.slides, start=1):
            if slide.figure is None:
                continue
            stem = args.charts / f"{number:02d}-{slide.key}"
            failed = _write(stem.with_suffix(".png"), images[slide.key]) or _write(
                stem.with_suffix(".svg"), chart_svg(image_spec(slide.figure)).encode("utf-8")
            )
            if failed is not None:
                return failed
    seconds = time.perf_counter() - started
    print(f"Wrote {len(deck.slides)} slides ({len(images)} charts) to {args.out} in {seconds:.1f} s.")
    return 0


def run_workbook(args: argparse.Namespace) -> int:
    """Write the results workbook of the chosen selection as .xlsx."""
    import datetime as dt

    from survey_model.reports import workbook_xlsx
    from survey_model.workbook import results_workbook

    selection = _selection(args, [args.wave, args.compare])
    if isinstance(selection, int):
        return selection
    org_name, frame, codebook, settings, (wave, compare), _ = selection
    from survey_model.responses import WAVE

    waves = [str(w) for w in frame[WAVE].cat.categories if (frame[WAVE] == w).any()]
    wave = wave or waves[-1]
    if compare is None and waves.index(wave) > 0:
        compare = waves[0]  # first → latest, like the deck and the pages: the change a network reports
    if compare is not None and waves.index(compare) >= waves.index(wave):
        return fail(f"--compare must be a wave before {wave!r}.", f"Waves, oldest first: {', '.join(waves)}.")
    book = results_workbook(
        frame,
        codebook,
        org_name=org_name,
        wave=wave,
        compare=compare,
        restriction={"school": args.school},
        settings=settings,
        created=dt.date.today().isoformat(),
        rosters=args.rosters,
    )
    failed = _write(args.out, workbook_xlsx(book))
    if failed is not None:
        return failed
    print(f"Wrote {len(book.sheets)} sheets ({', '.join(s.name for s in book.sheets)}) to {args.out}.")
    return 0

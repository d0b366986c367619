"""``python -m survey_model demo``: write the fictional demo network's exports, truth file and README."""

from __future__ import annotations

import argparse
from pathlib import Path

from survey_model.demo import DEFAULT_SEED, generate, write_exports

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``demo`` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help="write the demo exports (three waves, three platforms) with their planted effects",
        description=(
            "Generate the fictional four-organization network deterministically and write one export per "
            "organization per wave (Google Forms CSV, SurveyMonkey XLSX, Qualtrics CSV), schools.csv, "
            "truth.json (every planted parameter) and README.md."
        ),
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument(
        "--out", type=Path, default=Path("data_samples"), help="folder to write into (default data_samples)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Generate, write, and list what was written."""
    network = generate(seed=args.seed)
    paths = write_exports(network, args.out)
    total = 0
    for path in paths:
        size = path.stat().st_size
        total += size
        print(f"wrote {path} ({size / 1024:.0f} KB)")
    respondents = len(network.responses)
    print(
        f"{len(paths)} files, {total / 1024 / 1024:.2f} MB: {respondents} responses from "
        f"{len(network.organizations)} organizations over {len(network.waves)} waves (seed {args.seed})"
    )
    return 0

"""Import speed: a 100,000-respondent Qualtrics CSV of the default codebook against a bare pyarrow read.

    python -m bench.bench_import [--respondents 100000] [--repeat 3]

Writes a Qualtrics-layout CSV (three header rows, 17 metadata columns with personal data, 8 attributes, 33 items
as choice-text labels, embedded StaffID; a few previews, partial responses, blanks and "Prefer not to answer")
to a temporary folder, then prints the best-of-N time of the full import (read the file, detect, clean, map,
recode, validate: ``import_export``) beside ``pandas.read_csv(path, dtype=str, engine="pyarrow")`` of the same
file measured in the same run, and the ratio. Goal: within 3x of that floor.

Peak memory is measured in a fresh child process per task (peak resident set size, which counts pyarrow's
buffers too; the libraries alone take about 100 MB), and the Python-heap peak of the import with ``tracemalloc``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from bench.timing import best_of
from survey_model.codebook import load_codebook
from survey_model.importers import import_export

META = [
    ("StartDate", "Start Date"),
    ("EndDate", "End Date"),
    ("Status", "Response Type"),
    ("IPAddress", "IP Address"),
    ("Progress", "Progress"),
    ("Duration (in seconds)", "Duration (in seconds)"),
    ("Finished", "Finished"),
    ("RecordedDate", "Recorded Date"),
    ("ResponseId", "Response ID"),
    ("RecipientLastName", "Recipient Last Name"),
    ("RecipientFirstName", "Recipient First Name"),
    ("RecipientEmail", "Recipient Email"),
    ("ExternalReference", "External Data Reference"),
    ("LocationLatitude", "Location Latitude"),
    ("LocationLongitude", "Location Longitude"),
    ("DistributionChannel", "Distribution Channel"),
    ("UserLanguage", "User Language"),
]
MATRIX = "How much do you agree or disagree with each statement about your school?"


def write_export(path: Path, respondents: int, seed: int = 0) -> None:
    """A Qualtrics v3 choice-text export of the default codebook, built column by column with numpy."""
    codebook = load_codebook()
    rng = np.random.default_rng(seed)
    n = respondents
    columns: dict[str, np.ndarray] = {}
    status = np.where(np.arange(n) < 3, "Survey Preview", "IP Address")
    finished = np.where(rng.random(n) < 0.02, "False", "True")
    meta_values = {
        "StartDate": np.full(n, "2026-04-13 09:00:00"),
        "EndDate": np.full(n, "2026-04-13 09:12:00"),
        "Status": status,
        "IPAddress": np.char.add("192.0.2.", (np.arange(n) % 250).astype(str)),
        "Progress": np.where(finished == "True", "100", "60"),
        "Duration (in seconds)": rng.integers(200, 2000, n).astype(str),
        "Finished": finished,
        "RecordedDate": np.full(n, "2026-04-13 09:12:00"),
        "ResponseId": np.char.add("R_", np.arange(n).astype(str)),
        "RecipientLastName": np.full(n, "Doe"),
        "RecipientFirstName": np.full(n, "Jo"),
        "RecipientEmail": np.char.add(np.char.add("person", np.arange(n).astype(str)), "@example.org"),
        "ExternalReference": np.full(n, ""),
        "LocationLatitude": np.full(n, "41.88"),
        "LocationLongitude": np.full(n, "-87.63"),
        "DistributionChannel": np.where(status == "Survey Preview", "preview", "anonymous"),
        "UserLanguage": np.full(n, "EN"),
    }
    tags = [tag for tag, _ in META]
    labels = [label for _, label in META]
    columns.update(meta_values)
    for number, attribute in enumerate(codebook.attributes, start=1):
        options = np.array(attribute.options or [f"School {k}" for k in range(60)])
        tags.append(f"Q{number}")
        labels.append(attribute.question)
        columns[f"Q{number}"] = options[rng.integers(0, len(options), n)]
    for number, item in enumerate(codebook.items, start=1):
        scale = codebook.scale(item.scale)
        choices = np.array([option.label for option in scale.options] + ["Prefer not to answer", ""])
        weights = np.array([1.0] * len(scale.options) + [0.03 * len(scale.options), 0.05 * len(scale.options)])
        answers = choices[rng.choice(len(choices), size=n, p=weights / weights.sum())]
        answers[(finished == "False") & (np.arange(n) % 3 == 0) & (number > 10)] = ""
        tag = f"Q20_{number}"
        tags.append(tag)
        labels.append(f"{MATRIX} - {item.text}" if scale.ordinal else item.text)
        columns[tag] = answers
    tags.append("StaffID")
    labels.append("StaffID")
    columns["StaffID"] = np.char.add("S-", np.arange(n).astype(str))
    frame = pd.DataFrame({tag: columns[tag] for tag in tags})
    header = pd.DataFrame(
        [labels, [json.dumps({"ImportId": tag}, separators=(",", ":")) for tag in tags]], columns=tags
    )
    pd.concat([header, frame], ignore_index=True).to_csv(path, index=False, lineterminator="\r\n")


def floor(path: Path) -> pd.DataFrame:
    """The bare read every import must do at least."""
    return pd.read_csv(path, dtype=str, engine="pyarrow")


def full_import(path: Path):
    """Read the file and import it with the default codebook (what the upload page and the CLI do)."""
    return import_export(path.read_bytes(), path.name, load_codebook())


def child(task: str, path: Path) -> None:
    """Run one task in this (fresh) process and print its peak resident memory in MB as JSON."""
    (floor if task == "floor" else full_import)(path)
    print(json.dumps({"max_rss_mb": peak_rss_mb()}))


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB.

    Linux's ``VmHWM`` starts afresh at ``exec``; ``ru_maxrss`` keeps the parent's peak from before the fork, so it
    is only the fallback.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_memory(task: str, path: Path) -> float:
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_import", "--child", task, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(json.loads(out.stdout.strip().splitlines()[-1])["max_rss_mb"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("TASK", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "statewide_qualtrics.csv"
        write_export(path, args.respondents)
        result = full_import(path)  # warm-up, and the figures below
        floor_time = best_of(args.repeat, lambda: floor(path))
        import_time = best_of(args.repeat, lambda: full_import(path))
        tracemalloc.start()
        full_import(path)
        _, heap_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        floor_rss, import_rss = child_memory("floor", path), child_memory("import", path)
        size = path.stat().st_size
    print(f"file                                 : {size / 1e6:.1f} MB, {args.respondents:,} respondents")
    print(
        f"import result                        : {result.kept:,} kept, excluded {result.excluded}, "
        f"{len(result.mapping.items)} items + {len(result.mapping.attributes)} attributes mapped, "
        f"{result.report.summary()}"
    )
    print(f"pd.read_csv(dtype=str, pyarrow) floor: {floor_time:.3f} s")
    ratio = import_time / floor_time
    print(f"import_export (full pipeline)        : {import_time:.3f} s   ratio {ratio:.2f}x  (goal <= 3x)")
    print(f"peak RSS, fresh process              : floor {floor_rss:.0f} MB, import {import_rss:.0f} MB")
    print(f"import Python-heap peak (tracemalloc): {heap_peak / 1e6:.0f} MB")


if __name__ == "__main__":
    main()

"""Store speed: load 5 waves x 100,000 respondents back into the dashboard's frame, against a Parquet file.

    python -m bench.bench_store [--waves 5] [--respondents 100000] [--repeat 3] [--keep DIR] [--db URL]

Builds ``--waves`` responses frames of the default codebook (33 items, 8 attributes, raw respondent ids), saves
each through :meth:`Store.save_wave` into a fresh SQLite file, then times :meth:`Store.load_responses` for the
whole organization on a **new** ``Store`` object each time (no Python-level cache; the operating system's file
cache is warm, as it is for a running app). Beside it, the same loaded frame is written to one Parquet file
in the same run and read back with ``pandas.read_parquet``. Prints the best of ``--repeat`` runs of each, their
ratio, the save time per wave and the database size. Goal: the store load within 3x of the Parquet read.
With ``--db URL`` (e.g. a PostgreSQL server) the waves go to that database under a fresh organization id and are
deleted again at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import pandas as pd

from bench.timing import best_of
from survey_model.codebook import load_codebook
from survey_model.store import Store


def wave_frame(n: int, wave: int) -> pd.DataFrame:
    """One wave as the importer hands it over: ids, the eight attributes, every item with blanks and N/A."""
    codebook = load_codebook()
    rng = np.random.default_rng(wave)
    data: dict[str, object] = {"respondent_id": [f"R_{i:07d}" for i in range(wave * n // 2, wave * n // 2 + n)]}
    for attribute in codebook.attributes:
        options = list(attribute.options) or [f"School {k:03d}" for k in range(200)]
        data[attribute.id] = pd.array(rng.choice(options, n), dtype="str")
    for item in codebook.items:
        values = np.array([*codebook.scale_of(item.id).values, np.nan, -1.0], dtype=np.float32)
        weights = np.r_[np.full(len(values) - 2, 0.9 / (len(values) - 2)), 0.07, 0.03]
        data[item.id] = rng.choice(values, n, p=weights)
    return pd.DataFrame(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waves", type=int, default=5)
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="folder to keep the database and Parquet file in")
    parser.add_argument("--db", help="SQLAlchemy URL of another database to measure (default: a new SQLite file)")
    args = parser.parse_args()
    codebook = load_codebook()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench_store_"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "bench.db"
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        stale.unlink(missing_ok=True)
    url = args.db or str(db)
    org = f"bench-{uuid.uuid4().hex[:8]}"
    print(f"{args.waves} waves x {args.respondents:,} respondents, {len(codebook.items)} items, "
          f"{len(codebook.attributes)} attributes; files in {folder}")  # fmt: skip

    store = Store(url, secret_path=folder / "bench.secret")
    save_times = []
    for wave in range(args.waves):
        frame = wave_frame(args.respondents, wave)
        start = time.perf_counter()
        result = store.save_wave(
            org, f"Wave {wave + 1}", frame, codebook=codebook, platform="generic",
            file_sha256=hashlib.sha256(f"bench {wave} {time.time_ns()}".encode()).hexdigest(), user="bench",
        )  # fmt: skip
        save_times.append(time.perf_counter() - start)
        if not result.ok:
            raise SystemExit(result.message)
    store.close()  # checkpoints the WAL, so the size below is the whole database

    def load_from_store() -> pd.DataFrame:
        fresh = Store(url, secret_path=folder / "bench.secret")
        try:
            return fresh.load_responses(org)
        finally:
            fresh.close()

    loaded = load_from_store()
    parquet = folder / "bench.parquet"
    loaded.to_parquet(parquet, index=False)
    from_parquet = pd.read_parquet(parquet)
    pd.testing.assert_frame_equal(from_parquet, loaded)  # the two timings read the same data

    store_seconds = best_of(args.repeat, load_from_store)
    parquet_seconds = best_of(args.repeat, lambda: pd.read_parquet(parquet))
    megabytes = loaded.memory_usage(deep=True).sum() / 1e6
    print(f"frame: {loaded.shape[0]:,} rows x {loaded.shape[1]} columns, {megabytes:.0f} MB in memory")
    print(f"save_wave:             {np.mean(save_times):6.2f} s per wave of {args.respondents:,} (mean)")
    print(f"store load (cold obj): {store_seconds:6.3f} s")
    print(f"Parquet file read:     {parquet_seconds:6.3f} s")
    print(f"ratio:                 {store_seconds / parquet_seconds:6.2f}x (goal: within 3x)")
    if args.db:
        with Store(url, secret_path=folder / "bench.secret") as cleanup:
            for record in cleanup.waves(org):
                cleanup.delete_wave(org, record.label, user="bench", confirm=True)
        print(f"Parquet file size:     {parquet.stat().st_size / 1e6:6.1f} MB (waves deleted from {cleanup.location})")
        return
    sizes = db.stat().st_size / 1e6, parquet.stat().st_size / 1e6
    print(f"database size:         {sizes[0]:6.1f} MB  (Parquet file {sizes[1]:.1f} MB)")


if __name__ == "__main__":
    main()

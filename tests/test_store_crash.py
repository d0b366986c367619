"""A process killed (SIGKILL) in the middle of saving a large wave leaves the whole wave or none of it."""

import hashlib
import os
import runpy
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from survey_model.codebook import load_codebook
from survey_model.store import CHUNK_ROWS, Store

CODEBOOK = load_codebook()

ROOT = Path(__file__).resolve().parents[1]
ROWS = 200_000

CHILD = textwrap.dedent(
    '''
    """Save a 200,000-row wave; after the first chunk is written, leave a marker (and, in "hold" mode, wait)."""
    import hashlib
    import sys
    import time
    from pathlib import Path

    import numpy as np
    import pandas as pd

    from survey_model.codebook import load_codebook
    from survey_model.store import Store

    CODEBOOK = load_codebook()


    def big_frame(n):
        rng = np.random.default_rng(42)
        data = {
            "respondent_id": [f"R_{i}" for i in range(n)],
            "school": pd.array(rng.choice(["Oak Elementary", "Elm Middle", "Pine High"], n), dtype="str"),
        }
        for item in CODEBOOK.items:
            values = np.array([*CODEBOOK.scale_of(item.id).values, np.nan, -1.0], dtype=np.float32)
            data[item.id] = rng.choice(values, n)
        return pd.DataFrame(data)


    def main(db, secret, marker, mode, rows):
        frame = big_frame(rows)
        store = Store(db, secret_path=Path(secret))

        def progress(done, total):
            if done > 0 and not Path(marker).exists():
                Path(marker).write_text(f"{done}/{total}")
                if mode == "hold":
                    time.sleep(120)  # the parent kills us here, mid-transaction

        store.save_wave(
            "district-7", "Big wave", frame, codebook=CODEBOOK, platform="qualtrics",
            file_sha256=hashlib.sha256(b"big export").hexdigest(), user="importer", on_progress=progress,
        )
        Path(marker + ".done").write_text("committed")


    if __name__ == "__main__":
        main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    '''
)


def child_script(tmp_path: Path) -> Path:
    script = tmp_path / "child_import.py"
    if not script.exists():
        script.write_text(CHILD)
    return script


def start_killable_import(tmp_path: Path, mode: str) -> tuple[subprocess.Popen, Path]:
    script = child_script(tmp_path)
    marker = tmp_path / f"first-chunk-{mode}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [str(tmp_path / "survey.db"), str(tmp_path / "key.secret"), str(marker), mode, str(ROWS)]
    child = subprocess.Popen([sys.executable, str(script), *args], cwd=ROOT, env=env)
    deadline = time.monotonic() + 120
    while not marker.exists():
        if child.poll() is not None:
            pytest.fail(f"the import ended (exit {child.returncode}) before writing its first chunk")
        if time.monotonic() > deadline:
            child.kill()
            pytest.fail("the import did not reach its first chunk within 120 s")
        time.sleep(0.002)
    return child, marker


def earlier_wave(tmp_path: Path) -> tuple[Store, pd.DataFrame]:
    """A store holding one small earlier wave, saved before the crash, and that wave as loaded."""
    frame = runpy.run_path(str(child_script(tmp_path)))["big_frame"](2_000)
    store = Store(str(tmp_path / "survey.db"), secret_path=tmp_path / "key.secret")
    store.save_wave(
        "district-7", "Earlier wave", frame, codebook=CODEBOOK, platform="surveymonkey",
        file_sha256=hashlib.sha256(b"earlier export").hexdigest(), user="ana",
    )  # fmt: skip
    return store, store.load_responses("district-7")


def assert_consistent(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        per_wave = conn.execute(
            "SELECT w.label, w.n_respondents, COALESCE(SUM(r.n_rows), 0) "
            "FROM waves w LEFT JOIN responses r ON r.wave_id = w.id GROUP BY w.id"
        ).fetchall()
        orphans = conn.execute("SELECT count(*) FROM responses WHERE wave_id NOT IN (SELECT id FROM waves)")
        assert orphans.fetchone()[0] == 0
    for label, declared, stored in per_wave:
        assert declared == stored, f"wave {label!r}: {stored} rows stored, {declared} declared"


@pytest.mark.slow
def test_killed_mid_transaction_the_wave_is_absent_and_earlier_waves_unchanged(tmp_path):
    """SIGKILL while the first 50,000 of 200,000 rows are written but not committed: no trace of the wave."""
    store, before = earlier_wave(tmp_path)
    records_before = store.waves()
    store.close()
    wal = Path(f"{tmp_path / 'survey.db'}-wal")
    assert not wal.exists()  # closing the last connection checkpointed the earlier wave into the main file
    child, marker = start_killable_import(tmp_path, "hold")
    assert marker.read_text() == f"{CHUNK_ROWS}/{ROWS}"
    assert wal.stat().st_size > 100_000  # the uncommitted transaction had already spilled pages to disk
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    after = Store(str(tmp_path / "survey.db"), secret_path=tmp_path / "key.secret")
    assert after.waves() == records_before
    pd.testing.assert_frame_equal(after.load_responses("district-7"), before)
    assert after.audit_log()["action"].tolist() == ["create_organization", "save_wave"]
    assert_consistent(tmp_path / "survey.db")


@pytest.mark.slow
def test_killed_at_any_moment_the_store_holds_the_whole_wave_or_none(tmp_path):
    """SIGKILL right after the first chunk, without waiting: afterwards the wave is complete or absent."""
    store, before = earlier_wave(tmp_path)
    store.close()
    child, _ = start_killable_import(tmp_path, "race")
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    after = Store(str(tmp_path / "survey.db"), secret_path=tmp_path / "key.secret")
    labels = [w.label for w in after.waves()]
    print(f"killed {'after' if 'Big wave' in labels else 'before'} the commit")
    assert labels in (["Earlier wave"], ["Earlier wave", "Big wave"])
    pd.testing.assert_frame_equal(after.load_responses("district-7", waves=["Earlier wave"]), before)
    if "Big wave" in labels:
        big = after.load_responses("district-7", waves=["Big wave"])
        expected = runpy.run_path(str(child_script(tmp_path)))["big_frame"](ROWS).drop(columns="respondent_id")
        pd.testing.assert_frame_equal(big[expected.columns], expected)
        assert after.wave("district-7", "Big wave").n_respondents == ROWS
    assert_consistent(tmp_path / "survey.db")

"""The store on a PostgreSQL server, as a deployment with several app instances uses it.

Runs when ``CLD_TEST_POSTGRES_URL`` names a reachable server (e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/test``) and the driver (``psycopg``) is installed; the session works
in a database of its own, each test in a schema of its own (``tests/postgres_server.py``). Skipped otherwise, with
the reason. Two app instances are two processes here, each with its own ``Store`` on the one database.
"""

import datetime as dt
import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from postgres_server import fresh_database, new_schema, skip_reason

from survey_model.codebook import load_codebook
from survey_model.responses import RESPONDENT_KEY, WAVE
from survey_model.store import SCHEMA_VERSION, School, Store, StoreError

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = load_codebook()


def make_frame(n: int, *, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data: dict[str, object] = {
        "respondent_id": [f"R_{seed}_{i}" for i in range(n)],
        "school": pd.array(rng.choice(["Oak Elementary", "Elm Middle", None], n), dtype="str"),
    }
    for item in CODEBOOK.items:
        values = np.array([*CODEBOOK.scale_of(item.id).values, np.nan, -1.0], dtype=np.float32)
        data[item.id] = rng.choice(values, n)
    return pd.DataFrame(data)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_an_unreachable_server_gives_a_store_error_without_the_password():
    """A server that does not answer (or a missing driver) is a StoreError whose message hides the password."""
    url = "postgresql+psycopg://survey:s3cret-pw@127.0.0.1:1/survey"
    with pytest.raises(StoreError) as caught:
        Store(url, secret_path=Path("unused.secret"), busy_timeout=1)
    assert "s3cret-pw" not in str(caught.value)
    assert "Cannot reach the database server" in caught.value.message or "not installed" in caught.value.message


@pytest.fixture(scope="session")
def postgres_database():
    """A database of this session's own on the server (see ``tests/postgres_server.py``)."""
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    with fresh_database() as url:
        yield url


@pytest.fixture
def pg_url(postgres_database):
    """A URL whose connections work in a fresh schema of the session's database."""
    return new_schema(postgres_database)


def test_postgres_round_trip_duplicates_replace_and_delete(pg_url, tmp_path):
    """On PostgreSQL a wave loads back, a duplicate file is refused, replace and delete are audited."""
    store = Store(pg_url, secret_path=tmp_path / "key.secret")
    assert store.schema_version == SCHEMA_VERSION and store.is_empty()
    first = make_frame(2_000, seed=1)
    assert store.save_wave(
        "district-7", "Fall 2024", first, codebook=CODEBOOK, platform="qualtrics", file_sha256=sha("a"),
        user="ana", date=dt.date(2024, 10, 1),
    ).status == "saved"  # fmt: skip
    loaded = store.load_responses("district-7")
    expected = first.drop(columns="respondent_id")
    expected["school"] = expected["school"].astype("category")  # attributes load as categoricals, as on SQLite
    pd.testing.assert_frame_equal(loaded[expected.columns], expected)
    assert loaded[RESPONDENT_KEY].str.len().eq(64).all()

    again = store.save_wave(
        "other-org", "W", first, codebook=CODEBOOK, platform="qualtrics", file_sha256=sha("a"), user="ana"
    )
    assert again.status == "duplicate" and "Fall 2024" in again.message

    replaced = store.save_wave(
        "district-7", "Fall 2024", make_frame(300, seed=2), codebook=CODEBOOK, platform="qualtrics",
        file_sha256=sha("b"), user="ben", replace=True,
    )  # fmt: skip
    assert replaced.status == "replaced" and len(store.load_responses("district-7")) == 300
    store.delete_wave("district-7", "Fall 2024", user="cy", confirm=True)
    log = store.audit_log("district-7")
    assert log["action"].tolist() == ["create_organization", "save_wave", "replace_wave", "delete_wave"]
    assert log.iloc[2]["details"]["replaced"]["file_sha256"] == sha("a")
    assert store.waves() == [] and store.load_responses("district-7")[WAVE].size == 0


def test_postgres_version_1_schema_is_upgraded(pg_url, tmp_path):
    """A PostgreSQL store at schema version 1 upgrades on open (mapping profiles, school levels) and keeps its
    waves."""
    store = Store(pg_url, secret_path=tmp_path / "key.secret")
    store.save_wave(
        "district-7", "W1", make_frame(50), codebook=CODEBOOK, platform="q", file_sha256=sha("w1"), user="ana"
    )
    before = store.load_responses("district-7")
    store.close()
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE access_grants"))
        conn.execute(sa.text("DROP TABLE rosters"))
        conn.execute(sa.text("DROP TABLE network_members"))
        conn.execute(sa.text("DROP TABLE mapping_profiles"))
        conn.execute(sa.text("DROP INDEX ix_audit_log_org_id_id"))
        conn.execute(sa.text("ALTER TABLE schools DROP COLUMN attributes"))
        conn.execute(sa.text("ALTER TABLE schools DROP COLUMN level"))
        conn.execute(sa.text("DELETE FROM schema_version WHERE version > 1"))
    engine.dispose()
    upgraded = Store(pg_url, secret_path=tmp_path / "key.secret")
    assert upgraded.schema_version == SCHEMA_VERSION == 5
    upgraded.set_schools("district-7", [School("Oak", "cohort", "Middle")], user="ana")
    assert upgraded.schools("district-7") == [School("Oak", "cohort", "Middle")]
    pd.testing.assert_frame_equal(upgraded.load_responses("district-7"), before)
    upgraded.save_mapping_profile("p", "qualtrics", {"x": [1, 2]}, user="ana")
    assert upgraded.mapping_profile("p").mapping == {"x": [1, 2]}


def test_postgres_version_3_schema_gets_the_access_grants_table(pg_url, tmp_path):
    """A PostgreSQL store from before sign-in (schema 3) upgrades on open: waves kept, grants work, and the last
    staff grant is protected there too."""
    store = Store(pg_url, secret_path=tmp_path / "key.secret")
    store.save_wave(
        "district-7", "W1", make_frame(40), codebook=CODEBOOK, platform="q", file_sha256=sha("w3"), user="ana"
    )
    before = store.load_responses("district-7")
    store.close()
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE access_grants"))
        conn.execute(sa.text("DROP TABLE rosters"))
        conn.execute(sa.text("DROP TABLE network_members"))
        conn.execute(sa.text("ALTER TABLE schools DROP COLUMN attributes"))
        conn.execute(sa.text("DELETE FROM schema_version WHERE version > 3"))
    engine.dispose()
    upgraded = Store(pg_url, secret_path=tmp_path / "key.secret")
    assert upgraded.schema_version == SCHEMA_VERSION == 5 and upgraded.grants() == []
    upgraded.grant(email="Ana@Network.example", role="staff", org="*", user="setup")
    upgraded.grant(domain="d7.example", role="partner", org="district-7", user="ana@network.example")
    assert [(g.subject, g.role, g.org) for g in upgraded.grants()] == [
        ("@d7.example", "partner", "district-7"),
        ("ana@network.example", "staff", "*"),
    ]
    with pytest.raises(StoreError, match="last staff grant"):
        upgraded.revoke(email="ana@network.example", org="*", user="ana@network.example")
    pd.testing.assert_frame_equal(upgraded.load_responses("district-7"), before)


CONCURRENT_SAVE = textwrap.dedent(
    """
    import hashlib, sys
    from pathlib import Path
    import numpy as np, pandas as pd
    from survey_model.codebook import load_codebook
    from survey_model.store import Store

    codebook = load_codebook()
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"respondent_id": [f"R_{i}" for i in range(60_000)]})
    for item in codebook.items:
        frame[item.id] = rng.choice(np.array(codebook.scale_of(item.id).values, dtype=np.float32), len(frame))
    store = Store(sys.argv[1], secret_path=Path(sys.argv[2]))
    result = store.save_wave("district-7", sys.argv[3], frame, codebook=codebook, platform="q",
                             file_sha256=hashlib.sha256(b"one file").hexdigest(), user=sys.argv[3])
    print(result.status)
    """
)


def test_two_instances_saving_the_same_file_store_it_once(pg_url, tmp_path):
    """Two app instances importing the same file at the same moment: one saves it, the other gets duplicate."""
    Store(pg_url, secret_path=tmp_path / "key.secret").close()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    script = tmp_path / "save.py"
    script.write_text(CONCURRENT_SAVE)
    children = [
        subprocess.Popen(
            [sys.executable, str(script), pg_url, str(tmp_path / "key.secret"), label],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for label in ("instance A", "instance B")
    ]
    outputs = [child.communicate(timeout=120) for child in children]
    assert [child.returncode for child in children] == [0, 0], [err for _, err in outputs]
    assert sorted(out.strip() for out, _ in outputs) == ["duplicate", "saved"]
    store = Store(pg_url, secret_path=tmp_path / "key.secret")
    assert len(store.waves()) == 1 and store.waves()[0].n_respondents == 60_000


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


SAVE_ONE_WAVE = textwrap.dedent(
    """
    import hashlib, sys, time
    from pathlib import Path
    import numpy as np, pandas as pd
    from survey_model.codebook import load_codebook
    from survey_model.store import Store

    url, secret, label, n, pause = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
    codebook = load_codebook()
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"respondent_id": [f"R_{i}" for i in range(n)]})
    for item in codebook.items:
        frame[item.id] = rng.choice(np.array(codebook.scale_of(item.id).values, dtype=np.float32), n)

    def progress(done, total):
        print(f"progress {done} {total}", flush=True)
        time.sleep(pause)  # hold the transaction open: the parent kills this process here

    store = Store(url, secret_path=Path(secret))
    result = store.save_wave("district-7", label, frame, codebook=codebook, platform="q", on_progress=progress,
                             file_sha256=hashlib.sha256(label.encode()).hexdigest(), user="instance A")
    print(result.status, flush=True)
    """
)


def save_in_another_process(pg_url, tmp_path, label, n, pause=0.0):
    script = tmp_path / "save_one.py"
    script.write_text(SAVE_ONE_WAVE)
    command = [sys.executable, str(script), pg_url, str(tmp_path / "key.secret"), label, str(n), str(pause)]
    return subprocess.Popen(command, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_wave_saved_by_one_instance_is_seen_by_the_other_on_its_next_read(pg_url, tmp_path):
    """Instance B has read the organization; instance A (another process) saves a wave; B's next read has it."""
    reader = Store(pg_url, secret_path=tmp_path / "key.secret")
    reader.save_wave(
        "district-7", "W1", make_frame(40), codebook=CODEBOOK, platform="q", file_sha256=sha("w1"), user="B"
    )
    version = reader.data_version("district-7")
    assert [w.label for w in reader.waves("district-7")] == ["W1"]
    child = save_in_another_process(pg_url, tmp_path, "W2", 700)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0 and out.strip().endswith("saved"), err
    assert reader.data_version("district-7") != version  # what the app's caches are keyed by
    assert sorted(w.label for w in reader.waves("district-7")) == ["W1", "W2"]
    assert (reader.load_responses("district-7")[WAVE] == "W2").sum() == 700


def test_killing_an_instance_in_the_middle_of_a_save_leaves_the_wave_absent(pg_url, tmp_path):
    """SIGKILL while the save's transaction is open (after its first chunk): the other instance sees no trace."""
    store = Store(pg_url, secret_path=tmp_path / "key.secret")
    store.save_wave(
        "district-7", "W1", make_frame(40), codebook=CODEBOOK, platform="q", file_sha256=sha("w1"), user="B"
    )
    child = save_in_another_process(pg_url, tmp_path, "Killed", 60_000, pause=30.0)
    first = child.stdout.readline()
    assert first.startswith("progress"), child.stderr.read()
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    deadline = time.monotonic() + 30  # the server notices the closed connection and rolls back
    while time.monotonic() < deadline:
        engine = sa.create_engine(pg_url)
        with engine.connect() as conn:
            open_transactions = conn.execute(
                sa.text("SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'")
            ).scalar()
        engine.dispose()
        if not open_transactions:
            break
        time.sleep(0.2)
    assert [w.label for w in store.waves("district-7")] == ["W1"]
    assert set(store.load_responses("district-7")[WAVE].astype(str)) == {"W1"}
    again = save_in_another_process(pg_url, tmp_path, "Killed", 500)
    out, err = again.communicate(timeout=120)
    assert out.strip().endswith("saved"), err  # nothing half-stored blocks the same wave later

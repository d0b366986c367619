"""The store keeps waves safely: all or nothing, one copy per file, keyed respondent ids, an audit trail."""

import datetime as dt
import hashlib
import hmac
import io
import random
import sqlite3
import stat
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from survey_model.codebook import codebook_from_dict, codebook_from_spreadsheet, load_codebook, spreadsheet_template
from survey_model.responses import RESPONDENT_KEY, WAVE
from survey_model.store import (
    SCHEMA_VERSION,
    School,
    Store,
    StoreError,
    codebook_sha256,
    codebook_to_dict,
)

CODEBOOK = load_codebook()


def make_frame(n: int, *, seed: int = 0, ids: list[str] | None = None) -> pd.DataFrame:
    """A responses frame as the importer hands it over: raw ``respondent_id``, two attributes, every item."""
    rng = np.random.default_rng(seed)
    role = rng.choice(np.array(["Teacher", "Administrator", None], dtype=object), n)
    data: dict[str, object] = {
        "respondent_id": ids if ids is not None else [f"R_{seed}_{i}" for i in range(n)],
        "school": pd.array(rng.choice(["Oak Elementary", "Elm Middle"], n), dtype="str"),
        "role": pd.array(role, dtype="str"),
    }
    for item in CODEBOOK.items:
        values = np.array([*CODEBOOK.scale_of(item.id).values, np.nan, -1.0], dtype=np.float32)
        data[item.id] = rng.choice(values, n)
    return pd.DataFrame(data)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def open_store(folder: Path, name: str = "survey.db", **kwargs: object) -> Store:
    return Store(str(folder / name), secret_path=folder / f"{name}.secret", **kwargs)


def save(store: Store, label: str, frame: pd.DataFrame, *, org: str = "district-7", file: str | None = None, **kw):
    kw.setdefault("user", "ana")
    kw.setdefault("platform", "qualtrics")
    return store.save_wave(org, label, frame, codebook=CODEBOOK, file_sha256=sha(file or label), **kw)


def database_bytes(path: Path) -> bytes:
    """The database file with its -wal and -shm companions, as stored on disk."""
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists())


def stored_cells(path: Path) -> set[str]:
    """Every text cell of every Parquet blob in the responses table, decoded independently of the store."""
    with sqlite3.connect(path) as conn:
        blobs = [row[0] for row in conn.execute("SELECT data FROM responses")]
    cells: set[str] = set()
    for blob in blobs:
        table = pq.read_table(io.BytesIO(blob))
        for name in table.column_names:
            cells.add(name)
            cells.update(str(v) for v in table.column(name).to_pylist() if v is not None)
    return cells


# ----------------------------------------------------------------------------------------------------------------
# Saving and loading


def test_saved_wave_loads_back_with_keys_instead_of_ids(tmp_path):
    """What goes in comes back: same attributes and item values, respondent_key = HMAC-SHA256(secret, id)."""
    store = open_store(tmp_path)
    frame = make_frame(1_200)
    result = save(store, "Spring 2025", frame, date=dt.date(2025, 4, 1))
    assert result.status == "saved" and result.ok and result.wave.n_respondents == 1_200

    loaded = store.load_responses("district-7")
    assert "respondent_id" not in loaded.columns
    assert list(loaded.columns[:4]) == [WAVE, RESPONDENT_KEY, "school", "role"]
    expected = frame.drop(columns="respondent_id")
    assert all(isinstance(loaded[a].dtype, pd.CategoricalDtype) for a in ("school", "role"))  # compact in memory
    pd.testing.assert_frame_equal(loaded[expected.columns].astype({"school": "str", "role": "str"}), expected)
    secret = bytes.fromhex((tmp_path / "survey.db.secret").read_text().strip())
    # The brief's formula, computed here independently of the store's implementation.
    keys = [hmac.new(secret, rid.encode(), hashlib.sha256).hexdigest() for rid in frame["respondent_id"]]
    assert loaded[RESPONDENT_KEY].tolist() == keys
    assert loaded[WAVE].tolist() == ["Spring 2025"] * 1_200


def test_secret_is_created_on_first_save_readable_only_by_the_owner(tmp_path):
    """The hashing secret appears at secret_path with mode 0600 on the first save, and not in the database."""
    store = open_store(tmp_path)
    secret_file = tmp_path / "survey.db.secret"
    assert not secret_file.exists()
    save(store, "W1", make_frame(10))
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    secret_hex = secret_file.read_text().strip()
    assert len(bytes.fromhex(secret_hex)) == 32
    assert secret_hex.encode() not in database_bytes(tmp_path / "survey.db")
    assert bytes.fromhex(secret_hex) not in database_bytes(tmp_path / "survey.db")


def test_waves_are_ordered_by_date_and_load_as_an_ordered_categorical(tmp_path):
    """A wave saved later but dated earlier comes first; undated waves come last."""
    store = open_store(tmp_path)
    save(store, "Undated", make_frame(5, seed=3))
    save(store, "Spring 2025", make_frame(7, seed=1), date=dt.date(2025, 4, 1))
    save(store, "Fall 2024", make_frame(6, seed=2), date=dt.date(2024, 10, 1))
    assert [w.label for w in store.waves("district-7")] == ["Fall 2024", "Spring 2025", "Undated"]
    loaded = store.load_responses("district-7")
    assert loaded[WAVE].cat.ordered
    assert list(loaded[WAVE].cat.categories) == ["Fall 2024", "Spring 2025", "Undated"]
    assert loaded[WAVE].value_counts(sort=False).tolist() == [6, 7, 5]
    assert loaded[WAVE].is_monotonic_increasing

    two = store.load_responses("district-7", waves=["Spring 2025", "Fall 2024"])
    assert list(two[WAVE].cat.categories) == ["Fall 2024", "Spring 2025"] and len(two) == 13


def test_loading_an_unknown_wave_names_the_stored_ones(tmp_path):
    """Asking for a wave that does not exist gives a StoreError listing the waves there are."""
    store = open_store(tmp_path)
    save(store, "Fall 2024", make_frame(5))
    with pytest.raises(StoreError, match=r"no wave 'Spring' .*'Fall 2024'"):
        store.load_responses("district-7", waves=["Spring"])


def test_a_column_missing_in_one_wave_is_na_for_that_wave(tmp_path):
    """Waves with different attribute columns load into one frame; the missing attribute is NA."""
    store = open_store(tmp_path)
    save(store, "W1", make_frame(4, seed=1).drop(columns=["role", "VS1"]), date=dt.date(2024, 1, 1))
    save(store, "W2", make_frame(3, seed=2), date=dt.date(2025, 1, 1))
    loaded = store.load_responses("district-7")
    assert loaded.loc[loaded[WAVE] == "W1", "role"].isna().all()
    assert loaded.loc[loaded[WAVE] == "W1", "VS1"].isna().all()
    assert loaded.loc[loaded[WAVE] == "W2", "VS1"].notna().any()
    assert loaded["VS1"].dtype == np.float32


def test_only_codebook_columns_and_the_key_are_stored(tmp_path):
    """Columns outside the codebook (an email the importer missed, a comment) never reach the database."""
    store = open_store(tmp_path)
    frame = make_frame(20).assign(email="teacher.one@school.example.org", comment="call me on 555-0100")
    save(store, "W1", frame)
    loaded = store.load_responses("district-7")
    assert "email" not in loaded.columns and "comment" not in loaded.columns
    assert b"teacher.one@school.example.org" not in database_bytes(tmp_path / "survey.db")
    cells = stored_cells(tmp_path / "survey.db")
    assert "Oak Elementary" in cells  # the decoder sees stored text, so the next line can fail
    assert not any("school.example.org" in cell or "555-0100" in cell for cell in cells)


def test_organization_is_created_on_first_save(tmp_path):
    """Saving into a new organization creates it; its name can be set later."""
    store = open_store(tmp_path)
    assert store.organizations() == []
    save(store, "W1", make_frame(5), org="north-network")
    assert [o.id for o in store.organizations()] == ["north-network"]
    store.ensure_organization("north-network", "North Network", user="ana")
    assert store.organization("north-network").name == "North Network"
    with pytest.raises(ValueError, match="organization id"):
        store.ensure_organization("no spaces please", "x")


def test_schools_keep_their_comparison_group(tmp_path):
    """set_schools stores each school's group and replaces the previous list."""
    store = open_store(tmp_path)
    store.ensure_organization("district-7", "District 7")
    schools = [School("Oak Elementary", "cohort"), School("Elm Middle", "comparison")]
    store.set_schools("district-7", schools, user="ana")
    assert store.schools("district-7") == [School("Elm Middle", "comparison"), School("Oak Elementary", "cohort")]
    store.set_schools("district-7", [School("Oak Elementary", "comparison")], user="ana")
    assert store.schools("district-7") == [School("Oak Elementary", "comparison")]
    with pytest.raises(StoreError, match="no organization 'nobody'"):
        store.set_schools("nobody", [School("A")], user="ana")


def test_is_empty_until_the_first_wave(tmp_path):
    """A new database is empty (the app then loads the demo data); an organization alone does not count."""
    store = open_store(tmp_path)
    assert store.is_empty()
    store.ensure_organization("district-7", "District 7")
    assert store.is_empty()
    save(store, "W1", make_frame(5))
    assert not store.is_empty()


def test_programmer_errors_raise_value_error(tmp_path):
    """A frame without respondent_id, or one that already carries keys, is refused before touching the data."""
    store = open_store(tmp_path)
    with pytest.raises(ValueError, match="respondent_id"):
        save(store, "W1", make_frame(5).drop(columns="respondent_id"))
    with pytest.raises(ValueError, match="respondent_key"):
        save(store, "W1", make_frame(5).assign(respondent_key="abc"))
    with pytest.raises(ValueError, match="SHA-256"):
        store.save_wave("d", "W1", make_frame(5), codebook=CODEBOOK, platform="q", file_sha256="abc", user="ana")
    bad = make_frame(5)
    bad.loc[0, "VS1"] = 9.0
    with pytest.raises(ValueError, match="outside scale"):
        save(store, "W1", bad)
    assert store.is_empty()


# ----------------------------------------------------------------------------------------------------------------
# Safety: atomic saves, duplicates, replace, delete


def test_a_failure_half_way_through_a_save_leaves_nothing_behind(tmp_path):
    """An error after the first chunk is written rolls the whole wave back; the earlier wave is untouched."""
    store = open_store(tmp_path)
    save(store, "W1", make_frame(50, seed=1))
    before = store.load_responses("district-7")
    audit_before = len(store.audit_log())

    def fail_after_first_chunk(done: int, total: int) -> None:
        if done > 0:
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError, match="power cut"):
        save(store, "W2", make_frame(120_000, seed=2), on_progress=fail_after_first_chunk)
    assert [w.label for w in store.waves()] == ["W1"]
    pd.testing.assert_frame_equal(store.load_responses("district-7"), before)
    assert len(store.audit_log()) == audit_before
    with sqlite3.connect(tmp_path / "survey.db") as conn:
        assert conn.execute("SELECT count(*) FROM responses").fetchone()[0] == 1


def test_the_same_file_twice_is_recognised_and_not_stored_again(tmp_path):
    """A second upload of the same file (same SHA-256) is refused with a status naming the wave that holds it."""
    store = open_store(tmp_path)
    first = save(store, "Fall 2024", make_frame(30), file="export.csv")
    version = store.data_version("district-7")
    again = save(store, "Spring 2025", make_frame(30), file="export.csv")
    assert again.status == "duplicate" and not again.ok
    assert again.wave == first.wave
    assert "already stored as wave 'Fall 2024' of organization 'district-7'" in again.message
    other_org = save(store, "Fall 2024", make_frame(30), file="export.csv", org="another-district")
    assert other_org.status == "duplicate"
    assert [w.label for w in store.waves()] == ["Fall 2024"]
    assert store.data_version("district-7") == version


def test_a_taken_label_is_not_overwritten_without_replace(tmp_path):
    """Saving another file under an existing label changes nothing and says how to replace it."""
    store = open_store(tmp_path)
    save(store, "Fall 2024", make_frame(30, seed=1), file="a.csv")
    result = save(store, "Fall 2024", make_frame(40, seed=2), file="b.csv")
    assert result.status == "exists" and "replace" in result.message
    assert store.wave("district-7", "Fall 2024").n_respondents == 30


def test_attributes_load_as_categoricals_with_blanks_as_missing(tmp_path):
    """In memory an attribute is a categorical of its values; a blank answer is missing, like no answer at all."""
    store = open_store(tmp_path)
    frame = make_frame(20)
    frame["role"] = pd.array(["Teacher", "", None, "Administrator"] * 5, dtype="str")
    save(store, "Spring 2025", frame)
    role = store.load_responses("district-7")["role"]
    assert isinstance(role.dtype, pd.CategoricalDtype)
    assert sorted(role.cat.categories) == ["Administrator", "Teacher"]
    assert role.isna().tolist() == [False, True, True, False] * 5


def test_replacing_a_wave_keeps_its_history_in_the_audit_log(tmp_path):
    """After a replace the new data is loaded, and the audit log holds both the original save and the replace."""
    store = open_store(tmp_path)
    save(store, "Fall 2024", make_frame(30, seed=1), file="first.csv", user="ana")
    new = make_frame(40, seed=2)
    result = save(store, "Fall 2024", new, file="second.csv", user="ben", replace=True, counts={"rows_read": 41})
    assert result.status == "replaced"
    assert result.replaced.file_sha256 == sha("first.csv") and result.replaced.n_respondents == 30
    loaded = store.load_responses("district-7")
    assert len(loaded) == 40
    pd.testing.assert_frame_equal(loaded[["school", "VS1"]].astype({"school": "str"}), new[["school", "VS1"]])

    log = store.audit_log("district-7")
    waves_log = log[log["action"].isin(["save_wave", "replace_wave"])]
    assert waves_log["action"].tolist() == ["save_wave", "replace_wave"]
    assert waves_log["user"].tolist() == ["ana", "ben"]
    assert waves_log["file_sha256"].tolist() == [sha("first.csv"), sha("second.csv")]
    replaced = waves_log.iloc[1]["details"]["replaced"]
    assert replaced["file_sha256"] == sha("first.csv") and replaced["imported_by"] == "ana"
    assert waves_log.iloc[1]["counts"] == {"rows_read": 41}


# ----------------------------------------------------------------------------------------------------------------
# Wave labels that differ only in case


@pytest.mark.parametrize("typed", ["fall 2024", "FALL 2024", "  Fall 2024 ", "fALL 2024\t"])
def test_a_label_differing_only_in_case_is_the_stored_wave_and_is_refused(tmp_path, typed):
    """Saving "fall 2024" beside the stored "Fall 2024" changes nothing and names the stored wave."""
    store = open_store(tmp_path)
    save(store, "Fall 2024", make_frame(30, seed=1), file="a.csv")
    version = store.data_version("district-7")
    result = save(store, typed, make_frame(40, seed=2), file="b.csv")
    assert result.status == "exists" and not result.ok
    assert result.wave.label == "Fall 2024" and result.wave.file_sha256 == sha("a.csv")
    assert "'Fall 2024'" in result.message and "replace" in result.message
    assert [(w.label, w.n_respondents) for w in store.waves()] == [("Fall 2024", 30)]
    assert store.data_version("district-7") == version  # not even an audit-log entry


@pytest.mark.parametrize("typed", ["Fall  2024", "Fall 2024 b", "Fal 2024"])
def test_a_label_differing_in_anything_but_case_is_a_new_wave(tmp_path, typed):
    """Inner spaces and other characters are part of the label: those save a second wave."""
    store = open_store(tmp_path)
    save(store, "Fall 2024", make_frame(30, seed=1), file="a.csv")
    assert save(store, typed, make_frame(40, seed=2), file="b.csv").status == "saved"
    assert sorted(w.label for w in store.waves()) == sorted(["Fall 2024", typed])


def test_surrounding_spaces_of_a_new_label_are_not_stored(tmp_path):
    """A label typed with spaces around it is stored without them."""
    store = open_store(tmp_path)
    result = save(store, "  Spring 2025\t", make_frame(5))
    assert result.wave.label == "Spring 2025"
    assert [w.label for w in store.waves()] == ["Spring 2025"]
    assert store.load_responses("district-7")[WAVE].cat.categories.tolist() == ["Spring 2025"]


def test_replacing_under_a_label_differing_in_case_keeps_one_wave_with_the_stored_label(tmp_path):
    """With replace, "fall 2024" replaces "Fall 2024", which keeps its label; the audit log keeps what was typed."""
    store = open_store(tmp_path)
    save(store, "Fall 2024", make_frame(30, seed=1), file="first.csv", user="ana")
    save(store, "Spring 2025", make_frame(20, seed=3), file="other.csv", user="ana")
    result = save(store, " fall 2024", make_frame(40, seed=2), file="second.csv", user="ben", replace=True)
    assert result.status == "replaced" and result.ok
    assert result.wave.label == "Fall 2024" and result.replaced.file_sha256 == sha("first.csv")
    assert "'Fall 2024'" in result.message
    assert sorted((w.label, w.n_respondents) for w in store.waves()) == [("Fall 2024", 40), ("Spring 2025", 20)]
    loaded = store.load_responses("district-7")
    assert loaded[WAVE].value_counts().to_dict() == {"Fall 2024": 40, "Spring 2025": 20}

    entry = store.audit_log("district-7").iloc[-1]
    assert (entry["action"], entry["user"], entry["wave"]) == ("replace_wave", "ben", "Fall 2024")
    assert entry["file_sha256"] == sha("second.csv")
    assert entry["details"]["label_as_given"] == "fall 2024"
    assert entry["details"]["replaced"]["label"] == "Fall 2024"
    assert entry["details"]["replaced"]["file_sha256"] == sha("first.csv")


def test_an_exact_replace_does_not_record_a_label_as_given(tmp_path):
    """The audit log notes the typed label only when it differs from the stored one."""
    store = open_store(tmp_path)
    save(store, "Fall 2024", make_frame(30, seed=1), file="first.csv")
    save(store, "Fall 2024", make_frame(40, seed=2), file="second.csv", replace=True)
    assert "label_as_given" not in store.audit_log("district-7").iloc[-1]["details"]


def test_labels_differing_in_case_in_other_organizations_do_not_collide(tmp_path):
    """The rule is per organization: "fall 2024" of another organization is its own wave."""
    store = open_store(tmp_path)
    save(store, "Fall 2024", make_frame(30, seed=1), file="a.csv")
    assert save(store, "fall 2024", make_frame(40, seed=2), file="b.csv", org="north-network").status == "saved"
    assert sorted((w.org_id, w.label) for w in store.waves()) == [
        ("district-7", "Fall 2024"),
        ("north-network", "fall 2024"),
    ]


def case_twin_store(folder: Path) -> Store:
    """A store holding "Spring 2025" and "SPRING 2025" of district-7, as a database from before the rule could.

    The second wave is saved under another label and renamed in the file, as the store now refuses to write it.
    """
    store = open_store(folder)
    save(store, "Fall 2024", make_frame(10, seed=1), file="fall.csv", date=dt.date(2024, 10, 1))
    save(store, "Spring 2025", make_frame(20, seed=2), file="spring.csv", date=dt.date(2025, 4, 1))
    save(store, "Later", make_frame(30, seed=3), file="twin.csv", date=dt.date(2025, 5, 1))
    store.close()
    with sqlite3.connect(folder / "survey.db") as conn:
        conn.execute("UPDATE waves SET label = 'SPRING 2025' WHERE label = 'Later'")
    return open_store(folder)


def test_a_database_holding_case_twins_still_loads_both(tmp_path):
    """Both twins are listed and load as two waves, each with its own respondents."""
    store = case_twin_store(tmp_path)
    assert [(w.label, w.n_respondents) for w in store.waves("district-7")] == [
        ("Fall 2024", 10),
        ("Spring 2025", 20),
        ("SPRING 2025", 30),
    ]
    loaded = store.load_responses("district-7")
    assert loaded[WAVE].cat.categories.tolist() == ["Fall 2024", "Spring 2025", "SPRING 2025"]
    assert loaded[WAVE].value_counts(sort=False).tolist() == [10, 20, 30]
    only = store.load_responses("district-7", waves=["SPRING 2025"])
    assert len(only) == 30 and store.wave("district-7", "SPRING 2025").file_sha256 == sha("twin.csv")


def test_each_case_twin_is_deleted_exactly_by_its_label(tmp_path):
    """Deleting "SPRING 2025" leaves "Spring 2025", and the other way round; each logs its own label."""
    store = case_twin_store(tmp_path)
    deleted = store.delete_wave("district-7", "SPRING 2025", user="ana", confirm=True)
    assert deleted.file_sha256 == sha("twin.csv")
    assert [w.label for w in store.waves("district-7")] == ["Fall 2024", "Spring 2025"]
    assert len(store.load_responses("district-7", waves=["Spring 2025"])) == 20
    deleted = store.delete_wave("district-7", "Spring 2025", user="ana", confirm=True)
    assert deleted.file_sha256 == sha("spring.csv")
    assert [w.label for w in store.waves("district-7")] == ["Fall 2024"]
    deletions = store.audit_log("district-7").query("action == 'delete_wave'")
    assert deletions["wave"].tolist() == ["SPRING 2025", "Spring 2025"]


@pytest.mark.parametrize("replace", [False, True])
def test_a_label_that_could_be_either_case_twin_names_neither(tmp_path, replace):
    """With both twins stored, "spring 2025" is refused, even with replace, and the message lists both."""
    store = case_twin_store(tmp_path)
    version = store.data_version("district-7")
    result = save(store, "spring 2025", make_frame(40, seed=4), file="new.csv", replace=replace)
    assert result.status == "exists" and not result.ok
    assert "'Spring 2025', 'SPRING 2025'" in result.message
    assert [w.n_respondents for w in store.waves("district-7")] == [10, 20, 30]
    assert store.data_version("district-7") == version


def test_a_case_twin_named_exactly_is_the_one_replaced(tmp_path):
    """An exact label wins over its twin: replacing "SPRING 2025" leaves "Spring 2025" as it was."""
    store = case_twin_store(tmp_path)
    result = save(store, "SPRING 2025", make_frame(40, seed=4), file="new.csv", replace=True)
    assert result.status == "replaced" and result.replaced.file_sha256 == sha("twin.csv")
    assert [(w.label, w.n_respondents) for w in store.waves("district-7")] == [
        ("Fall 2024", 10),
        ("Spring 2025", 20),
        ("SPRING 2025", 40),
    ]


def test_delete_needs_confirmation_and_is_recorded(tmp_path):
    """delete_wave without confirm=True refuses; with it the wave and its responses go and the log says so."""
    store = open_store(tmp_path)
    save(store, "Fall 2024", make_frame(30, seed=1), file="first.csv")
    save(store, "Spring 2025", make_frame(20, seed=2), file="second.csv")
    with pytest.raises(ValueError, match="confirm"):
        store.delete_wave("district-7", "Fall 2024", user="ana", confirm=False)
    assert len(store.waves()) == 2

    deleted = store.delete_wave("district-7", "Fall 2024", user="ben", confirm=True)
    assert deleted.n_respondents == 30
    assert [w.label for w in store.waves()] == ["Spring 2025"]
    assert len(store.load_responses("district-7")) == 20
    entry = store.audit_log("district-7").iloc[-1]
    assert (entry["action"], entry["user"], entry["wave"]) == ("delete_wave", "ben", "Fall 2024")
    assert entry["details"]["deleted"]["file_sha256"] == sha("first.csv")
    with sqlite3.connect(tmp_path / "survey.db") as conn:
        assert conn.execute("SELECT count(*) FROM responses").fetchone()[0] == 1
    with pytest.raises(StoreError, match="no wave 'Fall 2024'"):
        store.delete_wave("district-7", "Fall 2024", user="ben", confirm=True)


def test_data_version_changes_with_every_change_to_the_organization(tmp_path):
    """The cache key moves on save, replace, delete and school changes, and differs between databases."""
    store = open_store(tmp_path)
    seen = [store.data_version("district-7")]
    save(store, "W1", make_frame(5), file="a")
    seen.append(store.data_version("district-7"))
    save(store, "W1", make_frame(6), file="b", replace=True)
    seen.append(store.data_version("district-7"))
    store.set_schools("district-7", [School("Oak Elementary", "cohort")], user="ana")
    seen.append(store.data_version("district-7"))
    save(store, "W2", make_frame(5), file="c", org="other-org")
    assert store.data_version("district-7") == seen[-1]
    store.delete_wave("district-7", "W1", user="ana", confirm=True)
    seen.append(store.data_version("district-7"))
    assert len(set(seen)) == len(seen)
    assert open_store(tmp_path, "other.db").data_version("district-7") != seen[0]


# ----------------------------------------------------------------------------------------------------------------
# Respondent keys


def test_respondent_keys_link_waves_and_depend_on_the_secret(tmp_path):
    """The same raw id gets the same key in every wave; another store (another secret) gets other keys."""
    store = open_store(tmp_path)
    save(store, "W1", make_frame(3, ids=["R_anna", "R_bo", ""]), date=dt.date(2024, 1, 1))
    save(store, "W2", make_frame(3, ids=["R_bo", "R_cy", "R_anna"]), date=dt.date(2025, 1, 1))
    loaded = store.load_responses("district-7")
    w1 = loaded.loc[loaded[WAVE] == "W1", RESPONDENT_KEY].tolist()
    w2 = loaded.loc[loaded[WAVE] == "W2", RESPONDENT_KEY].tolist()
    assert w1[0] == w2[2] and w1[1] == w2[0]
    assert w1[2] == ""  # no id, no key: an empty id must not link every anonymous respondent together
    assert len({w1[0], w1[1], w2[1]}) == 3

    other = open_store(tmp_path, "other.db")
    save(other, "W1", make_frame(3, ids=["R_anna", "R_bo", ""]), file="other W1")
    other_keys = other.load_responses("district-7")[RESPONDENT_KEY].tolist()
    assert other_keys[0] != w1[0] and other_keys[1] != w1[1]


def test_raw_respondent_ids_are_nowhere_in_the_database(tmp_path):
    """Neither the database file, its WAL, nor any decoded blob holds a raw respondent id."""
    store = open_store(tmp_path)
    ids = [f"R_3xYzRawId{i:04d}" for i in range(300)]
    save(store, "W1", make_frame(300, ids=ids))
    path = tmp_path / "survey.db"
    assert Path(f"{path}-wal").exists()  # the check covers the write-ahead log while it holds the data
    raw = database_bytes(path)
    assert b"district-7" in raw  # the scan sees plain text the store keeps
    assert not any(rid.encode() in raw for rid in ids) and b"3xYzRawId" not in raw
    cells = stored_cells(path)
    assert store.load_responses("district-7")[RESPONDENT_KEY].iloc[0] in cells
    assert not any("3xYzRawId" in cell for cell in cells)


def test_a_lost_or_different_secret_is_refused_instead_of_silently_breaking_links(tmp_path):
    """Once waves are keyed, saving with a missing or different secret file raises StoreError."""
    store = open_store(tmp_path)
    save(store, "W1", make_frame(5))
    secret_file = tmp_path / "survey.db.secret"
    original = secret_file.read_text()
    secret_file.unlink()
    with pytest.raises(StoreError, match=r"secret .* is missing"):
        save(open_store(tmp_path), "W2", make_frame(5))
    secret_file.write_text("ab" * 32)
    with pytest.raises(StoreError, match="is not the one"):
        save(open_store(tmp_path), "W2", make_frame(5))
    secret_file.write_text(original)
    assert save(open_store(tmp_path), "W2", make_frame(5)).status == "saved"


# ----------------------------------------------------------------------------------------------------------------
# Codebooks


@pytest.mark.parametrize("name", ["collective-leadership", "school-improvement"])
def test_codebook_round_trips_through_its_dict(name):
    """codebook_to_dict is the inverse of codebook_from_dict for the shipped codebooks."""
    codebook = load_codebook(name)
    assert codebook_from_dict(codebook_to_dict(codebook)) == codebook


def test_a_spreadsheet_codebook_round_trips_too():
    """A partner's spreadsheet codebook (no leader unsure value, no groups text) survives serialisation."""
    data = spreadsheet_template().to_csv(index=False).encode()
    codebook, report = codebook_from_spreadsheet(data, filename="partner.csv")
    assert report.ok
    assert codebook_from_dict(codebook_to_dict(codebook)) == codebook


def test_each_wave_keeps_the_codebook_version_it_was_imported_with(tmp_path):
    """After a codebook changes, old waves still return their own version; the org's codebook is the newest."""
    store = open_store(tmp_path)
    save(store, "W1", make_frame(5), date=dt.date(2024, 1, 1))
    changed_item = replace(CODEBOOK.items[0], text="A reworded first item.")
    v2 = replace(CODEBOOK, version="2.0", items=(changed_item, *CODEBOOK.items[1:]))
    store.save_wave(
        "district-7", "W2", make_frame(5), codebook=v2, platform="q", file_sha256=sha("W2"), user="ana",
        date=dt.date(2025, 1, 1),
    )  # fmt: skip
    assert store.codebook_for("district-7") == v2
    assert store.codebook_for("district-7", wave="W1") == CODEBOOK
    assert store.wave("district-7", "W1").codebook_sha256 == codebook_sha256(CODEBOOK)
    assert (store.wave("district-7", "W2").codebook_id, store.wave("district-7", "W2").codebook_version) == (
        "collective-leadership",
        "2.0",
    )
    with pytest.raises(StoreError, match="no waves yet"):
        store.codebook_for("empty-org")


# ----------------------------------------------------------------------------------------------------------------
# Mapping profiles


def test_mapping_profiles_are_saved_overwritten_and_listed(tmp_path):
    """A named mapping is stored as JSON, overwritten by name, listed by platform and audited."""
    store = open_store(tmp_path)
    store.save_mapping_profile("d7 qualtrics", "qualtrics", {"columns": {"Q1_1": "VS1"}}, user="ana")
    store.save_mapping_profile("d7 monkey", "surveymonkey", {"columns": {"Col 3": "VS2"}}, user="ana")
    store.save_mapping_profile("d7 qualtrics", "qualtrics", {"columns": {"Q1_2": "VS1"}}, user="ben")
    profile = store.mapping_profile("d7 qualtrics")
    assert profile.mapping == {"columns": {"Q1_2": "VS1"}} and profile.updated_by == "ben"
    assert [p.name for p in store.mapping_profiles()] == ["d7 monkey", "d7 qualtrics"]
    assert [p.name for p in store.mapping_profiles(platform="surveymonkey")] == ["d7 monkey"]
    assert store.mapping_profile("missing") is None
    assert (store.audit_log()["action"] == "save_mapping_profile").sum() == 3


# ----------------------------------------------------------------------------------------------------------------
# Broken, busy and foreign databases


def test_a_file_of_random_bytes_gives_a_clear_store_error(tmp_path):
    """Opening a file that is not a database says so and what to do, without a driver traceback."""
    path = tmp_path / "survey.db"
    path.write_bytes(random.Random(0).randbytes(8192))
    with pytest.raises(StoreError) as caught:
        open_store(tmp_path)
    assert "damaged or is not a database" in caught.value.message
    assert "backup" in caught.value.action


def test_a_damaged_database_gives_a_clear_store_error(tmp_path):
    """A store whose pages were overwritten fails with StoreError when it is opened or read, never another error."""
    store = open_store(tmp_path)
    save(store, "W1", make_frame(2_000))
    store.close()  # the last connection checkpoints the WAL into the file
    path = tmp_path / "survey.db"
    data = bytearray(path.read_bytes())
    data[4096:] = random.Random(1).randbytes(len(data) - 4096)
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged"):
        damaged = open_store(tmp_path)
        damaged.waves()
        damaged.load_responses("district-7")


def test_a_damaged_response_blob_gives_a_clear_store_error(tmp_path):
    """When a stored Parquet blob no longer decodes, loading says which organization is affected."""
    store = open_store(tmp_path)
    save(store, "W1", make_frame(50))
    with sqlite3.connect(tmp_path / "survey.db") as conn:
        conn.execute("UPDATE responses SET data = ?", (random.Random(2).randbytes(500),))
    with pytest.raises(StoreError, match=r"responses of organization 'district-7' .* are damaged"):
        store.load_responses("district-7")


def test_a_missing_folder_gives_a_clear_store_error(tmp_path):
    """A database path in a folder that does not exist is refused with a message naming the folder."""
    with pytest.raises(StoreError, match=r"folder .*nowhere.* does not exist"):
        Store(str(tmp_path / "nowhere" / "survey.db"), secret_path=tmp_path / "k")


def test_a_missing_database_is_not_created_when_only_reading(tmp_path):
    """create=False (list, export, delete) reports a missing database instead of making an empty one."""
    with pytest.raises(StoreError, match="no database at"):
        Store(str(tmp_path / "typo.db"), secret_path=tmp_path / "k", create=False)
    assert not (tmp_path / "typo.db").exists()


def test_a_locked_database_gives_a_clear_store_error(tmp_path):
    """While another process holds the write lock, a save waits busy_timeout, then says the database is busy."""
    store = open_store(tmp_path, busy_timeout=0.2)
    save(store, "W1", make_frame(5))
    other = sqlite3.connect(tmp_path / "survey.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError) as caught:
            save(store, "W2", make_frame(5))
        assert "busy" in caught.value.message and "try again" in caught.value.action
        assert [w.label for w in store.waves()] == ["W1"]  # readers still work during the lock (WAL)
    finally:
        other.rollback()
        other.close()
    assert save(store, "W2", make_frame(5)).status == "saved"


def test_another_programs_database_is_not_taken_over(tmp_path):
    """A SQLite file with tables of its own but no store schema is refused, not modified."""
    path = tmp_path / "survey.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StoreError, match="another program"):
        open_store(tmp_path)
    with sqlite3.connect(path) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["invoices"]


# ----------------------------------------------------------------------------------------------------------------
# Schema versions


def test_a_version_1_database_is_upgraded_in_place(tmp_path):
    """A store with the version-1 schema (no mapping profiles, no school levels) upgrades on open and keeps its
    data and its school list."""
    store = open_store(tmp_path)
    save(store, "W1", make_frame(40))
    store.set_schools("district-7", [School("Oak", "cohort")], user="ana")
    before = store.load_responses("district-7")
    audit_before = store.audit_log()
    store.close()
    path = tmp_path / "survey.db"
    with sqlite3.connect(path) as conn:  # what a version-1 database looks like: migrations 2 to 5 not yet applied
        conn.execute("DROP TABLE access_grants")
        conn.execute("DROP TABLE rosters")
        conn.execute("DROP TABLE network_members")
        conn.execute("DROP TABLE mapping_profiles")
        conn.execute("DROP INDEX ix_audit_log_org_id_id")
        conn.execute("ALTER TABLE schools DROP COLUMN attributes")
        conn.execute("ALTER TABLE schools DROP COLUMN level")
        conn.execute("DELETE FROM schema_version WHERE version > 1")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {
        "schema_version", "store_info", "organizations", "schools", "codebooks", "waves", "responses", "audit_log",
    }  # fmt: skip

    upgraded = open_store(tmp_path)
    assert upgraded.schema_version == SCHEMA_VERSION == 5
    with sqlite3.connect(path) as conn:
        assert [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY version")] == [1, 2, 3, 4, 5]
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "ix_audit_log_org_id_id" in indexes
    pd.testing.assert_frame_equal(upgraded.load_responses("district-7"), before)
    pd.testing.assert_frame_equal(upgraded.audit_log(), audit_before)
    upgraded.save_mapping_profile("after upgrade", "qualtrics", {"a": 1}, user="ana")
    assert upgraded.mapping_profile("after upgrade").mapping == {"a": 1}
    assert upgraded.schools("district-7") == [School("Oak", "cohort", "")]  # no level until staff give one
    upgraded.set_schools("district-7", [School("Oak", "cohort", "Middle")], user="ana")
    assert upgraded.schools("district-7") == [School("Oak", "cohort", "Middle")]
    upgraded.set_roster("district-7", "W1", {"Oak": 60}, user="ana")
    assert upgraded.roster("district-7", "W1") == {"Oak": 60}


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    """A schema newer than this code says to upgrade the dashboard rather than guessing."""
    open_store(tmp_path).close()
    with sqlite3.connect(tmp_path / "survey.db") as conn:
        conn.execute("INSERT INTO schema_version VALUES (?, '2030-01-01 00:00:00')", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match="newer version"):
        open_store(tmp_path)


# ----------------------------------------------------------------------------------------------------------------
# Access grants (migration 4)


def test_a_version_3_database_gets_the_access_grants_table(tmp_path):
    """A store from before sign-in (schema 3) upgrades on open: its waves stay, grants can be made."""
    store = open_store(tmp_path)
    save(store, "W1", make_frame(30))
    before = store.load_responses("district-7")
    store.close()
    with sqlite3.connect(tmp_path / "survey.db") as conn:  # what a version-3 database looks like
        conn.execute("DROP TABLE access_grants")
        conn.execute("DROP TABLE rosters")
        conn.execute("DROP TABLE network_members")
        conn.execute("ALTER TABLE schools DROP COLUMN attributes")
        conn.execute("DELETE FROM schema_version WHERE version > 3")
    upgraded = open_store(tmp_path)
    assert upgraded.schema_version == SCHEMA_VERSION == 5
    assert upgraded.grants() == []
    upgraded.grant(email="ana@network.example", role="staff", org="*", user="setup")
    assert [(g.subject, g.role, g.org) for g in upgraded.grants()] == [("ana@network.example", "staff", "*")]
    pd.testing.assert_frame_equal(upgraded.load_responses("district-7"), before)


def _store_with_org(folder: Path) -> Store:
    store = open_store(folder)
    store.ensure_organization("district-7", "District 7", user="setup")
    return store


def test_grants_are_kept_and_every_change_is_in_the_audit_log_with_who_made_it(tmp_path):
    """Grant, re-grant with another role, revoke: the grants follow, and each change names who made it."""
    store = _store_with_org(tmp_path)
    store.grant(email="ana@network.example", role="staff", org="*", user="setup")
    store.grant(domain="d7.example", role="partner", org="district-7", user="ana@network.example")
    store.grant(domain="@D7.example", role="facilitator", org="District-7", user="ana@network.example")
    assert [(g.subject, g.role, g.org, g.granted_by) for g in store.grants()] == [
        ("@d7.example", "facilitator", "district-7", "ana@network.example"),
        ("ana@network.example", "staff", "*", "setup"),
    ]
    assert [g.subject for g in store.grants(email="Kim@D7.example")] == ["@d7.example"]  # only what can match
    assert [g.subject for g in store.grants(email="kim@sub.d7.example")] == []
    removed = store.revoke(domain="d7.example", org="district-7", user="ben@network.example")
    assert removed.role == "facilitator"
    assert [g.subject for g in store.grants()] == ["ana@network.example"]
    log = store.audit_log()
    changes = log[log["action"].isin(["grant_access", "revoke_access"])]
    assert changes["user"].tolist() == ["setup", "ana@network.example", "ana@network.example", "ben@network.example"]
    assert changes["details"].iloc[2] == {
        "subject": "@d7.example", "role": "facilitator", "organization": "district-7", "before": "partner"
    }  # fmt: skip


def test_a_grant_does_not_change_the_organizations_data_version(tmp_path):
    """Grants and downloads change no survey data: the cached results stay valid."""
    store = _store_with_org(tmp_path)
    version = store.data_version("district-7")
    store.grant(email="ana@network.example", role="staff", org="district-7", user="setup")
    store.record_download("district-7", "deck.pptx", user="ana@network.example")
    assert store.data_version("district-7") == version
    last = store.audit_log().iloc[-1]
    assert (last["action"], last["user"], last["details"]) == (
        "download", "ana@network.example", {"organization": "district-7", "file": "deck.pptx"}
    )  # fmt: skip


def test_the_last_staff_grant_cannot_be_removed_or_demoted(tmp_path):
    """Nobody could grant access any more: refused, and the grant stays; with a second staff grant it goes."""
    store = _store_with_org(tmp_path)
    store.grant(email="ana@network.example", role="staff", org="*", user="setup")
    with pytest.raises(StoreError, match="last staff grant"):
        store.revoke(email="ana@network.example", org="*", user="ana@network.example")
    with pytest.raises(StoreError, match="last staff grant"):
        store.grant(email="ana@network.example", role="partner", org="*", user="ana@network.example")
    assert [(g.subject, g.role) for g in store.grants()] == [("ana@network.example", "staff")]
    store.grant(email="ben@network.example", role="staff", org="district-7", user="ana@network.example")
    store.revoke(email="ana@network.example", org="*", user="ben@network.example")
    assert [g.subject for g in store.grants()] == ["ben@network.example"]


def test_a_malformed_grant_changes_nothing(tmp_path):
    """Bad address, unknown organization, unknown role: GrantError naming each, no grant, no audit entry."""
    from survey_model.access import GrantError

    store = _store_with_org(tmp_path)
    entries = len(store.audit_log())
    with pytest.raises(GrantError) as caught:
        store.grant(email="ana at network", role="owner", org="district-9", user="setup")
    assert len(caught.value.problems) == 3
    assert store.grants() == [] and len(store.audit_log()) == entries


def test_revoking_a_grant_that_does_not_exist_says_what_is_there(tmp_path):
    """A revoke naming the wrong organization lists the organizations the address holds grants on."""
    store = _store_with_org(tmp_path)
    store.grant(email="ana@network.example", role="staff", org="*", user="setup")
    store.grant(email="kim@d7.example", role="partner", org="district-7", user="setup")
    with pytest.raises(StoreError, match=r"holds no grant on 'harbor-point' \(it holds: district-7\)"):
        store.revoke(email="kim@d7.example", org="harbor-point", user="setup")

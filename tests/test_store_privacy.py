"""No email address, name, IP address, location or respondent ID from an uploaded export reaches the database."""

import csv
import hashlib
import hmac
import io
import json
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq

from survey_model.codebook import load_codebook
from survey_model.demo.platforms import QUALTRICS_METADATA  # the export layout the demo writer uses
from survey_model.importers import import_export
from survey_model.store import Store

CODEBOOK = load_codebook()
ROWS = 25


def personal(row: int) -> dict[str, str]:
    """Distinctive personal data of one respondent, easy to search for in bytes."""
    return {
        "ip": f"203.0.113.{40 + row}",
        "response_id": f"R_7qZxPersonalId{row:03d}",
        "last": f"Okonkwo-Lindqvist{row}",
        "first": f"Marguerite{row}",
        "email": f"m.okonkwo{row}@district7.example.org",
        "external": f"EXTREF-771{row:03d}",
        "latitude": f"40.71{row:03d}",
        "longitude": f"-74.00{row:03d}",
    }


def qualtrics_export() -> bytes:
    """A Qualtrics CSV export (three header rows) with personal data, two attributes, every item, a comment."""
    questions = [
        ("Q1", CODEBOOK.attribute("school").question, "QID1"),
        ("Q2", CODEBOOK.attribute("role").question, "QID2"),
        *((f"Q5_{i}", item.text, f"QID5_{i}") for i, item in enumerate(CODEBOOK.items, start=1)),
        ("Q9", "Anything else you would like to tell us?", "QID9_TEXT"),
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([tag for tag, _, _ in QUALTRICS_METADATA] + [tag for tag, _, _ in questions])
    writer.writerow([label for _, label, _ in QUALTRICS_METADATA] + [label for _, label, _ in questions])
    import_ids = [*(i for _, _, i in QUALTRICS_METADATA), *(i for _, _, i in questions)]
    writer.writerow([json.dumps({"ImportId": i}) for i in import_ids])
    for row in range(ROWS):
        p = personal(row)
        metadata = [
            "2025-04-01 09:00:00", "2025-04-01 09:12:00", "IP Address", p["ip"], "100", "720", "True",
            "2025-04-01 09:12:00", p["response_id"], p["last"], p["first"], p["email"], p["external"],
            p["latitude"], p["longitude"], "email", "EN",
        ]  # fmt: skip
        answers = ["Oak Elementary" if row % 2 else "Elm Middle", "Teacher"]
        for item in CODEBOOK.items:
            options = CODEBOOK.scale_of(item.id).options
            answers.append(options[(row + len(answers)) % len(options)].label)
        answers.append(f"Please write to me at {p['email']} ({p['first']} {p['last']})")
        writer.writerow(metadata + answers)
    return buffer.getvalue().encode()


def files_of(path: Path) -> list[Path]:
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def decoded_cells(path: Path) -> set[str]:
    """Every text value the database holds: each table's cells, and each response blob decoded from Parquet."""
    cells: set[str] = set()
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    if isinstance(value, bytes):
                        decoded = pq.read_table(io.BytesIO(value))
                        for name in decoded.column_names:
                            cells.add(name)
                            cells.update(str(v) for v in decoded.column(name).to_pylist() if v is not None)
                    elif value is not None:
                        cells.add(str(value))
    return cells


def test_personal_data_of_an_uploaded_export_is_nowhere_in_the_database(tmp_path):
    """Emails, names, IPs, locations, external references and response ids: not in the file, WAL or any cell."""
    export = qualtrics_export()
    result = import_export(export, "district7-spring.csv", CODEBOOK)
    assert result.platform == "qualtrics" and result.report.ok, result.report.to_text()
    assert len(result.frame) == ROWS

    path = tmp_path / "survey.db"
    store = Store(str(path), secret_path=tmp_path / "key.secret")
    saved = store.save_wave(
        "district-7", "Spring 2025", result.frame, codebook=CODEBOOK, platform=result.platform,
        file_sha256=hashlib.sha256(export).hexdigest(), user="ana", counts=result.report.counts,
    )  # fmt: skip
    assert saved.ok
    assert any(p.name.endswith("-wal") for p in files_of(path))  # the write-ahead log is checked while it exists

    raw = b"".join(p.read_bytes() for p in files_of(path))
    cells = decoded_cells(path)
    # The two searches can see what is stored: the organization in the raw bytes, a school inside the blobs.
    assert b"district-7" in raw and "Oak Elementary" in cells and "Elm Middle" in cells
    needles = [value for row in range(ROWS) for value in personal(row).values()]
    needles += ["okonkwo", "Okonkwo", "Marguerite", "district7.example.org", "203.0.113.", "7qZxPersonalId"]
    for needle in needles:
        assert needle.encode() not in raw, f"{needle!r} is in the database file"
        assert needle.encode("utf-16-le") not in raw, f"{needle!r} is in the database file (UTF-16)"
        assert not any(needle in cell for cell in cells), f"{needle!r} is in a stored value"

    store.close()  # after the checkpoint the main file alone holds everything: check it again
    raw = path.read_bytes()
    assert not any(needle.encode() in raw for needle in needles)


def test_stored_respondents_link_by_key_without_their_response_ids(tmp_path):
    """The keys the store kept are the HMAC of the export's response ids, so waves link without the ids."""
    export = qualtrics_export()
    result = import_export(export, "district7-spring.csv", CODEBOOK)
    store = Store(str(tmp_path / "survey.db"), secret_path=tmp_path / "key.secret")
    store.save_wave(
        "district-7", "Spring 2025", result.frame, codebook=CODEBOOK, platform=result.platform,
        file_sha256=hashlib.sha256(export).hexdigest(), user="ana",
    )  # fmt: skip
    secret = bytes.fromhex((tmp_path / "key.secret").read_text().strip())
    expected = [hmac.new(secret, personal(r)["response_id"].encode(), "sha256").hexdigest() for r in range(ROWS)]
    assert store.load_responses("district-7")["respondent_key"].tolist() == expected

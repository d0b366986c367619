"""The store's own test suite (``tests/test_store.py``), run again with every store on a PostgreSQL server.

Each test of ``test_store.py`` is collected here a second time with ``open_store`` swapped for one that opens a
fresh schema of a per-session PostgreSQL database (see ``tests/postgres_server.py``); the same folder and name
reopen the same schema, so the reopen-and-upgrade tests work as on SQLite. Tests that look inside the SQLite file
itself (``sqlite3``, raw file bytes, a ``Store`` built from a path, a file overwritten with junk) are about SQLite
and are not repeated; the helper that plants two labels differing only in case is redone in SQL on the schema.
Skipped with the reason when ``CLD_TEST_POSTGRES_URL`` is not set or the driver is missing.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import test_store as sqlite_suite
from postgres_server import fresh_database, new_schema, skip_reason

from survey_model.store import Store

SQLITE_ONLY = ("sqlite3", "database_bytes", "stored_cells", "Store(", ".write_bytes(")


def _about_sqlite(test: object) -> bool:
    return any(marker in inspect.getsource(test) for marker in SQLITE_ONLY)


REPEATED = {
    name: test
    for name, test in vars(sqlite_suite).items()
    if name.startswith("test_") and inspect.isfunction(test) and not _about_sqlite(test)
}
globals().update(REPEATED)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    with fresh_database() as url:
        yield url


@pytest.fixture(autouse=True)
def stores_on_postgres(postgres_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ``open_store(folder, name)`` of the SQLite suite opens a PostgreSQL schema instead of a file."""
    schemas: dict[tuple[str, str], str] = {}

    def open_store(folder: Path, name: str = "survey.db", **kwargs: object) -> Store:
        key = (str(folder), name)
        if key not in schemas:
            schemas[key] = new_schema(postgres_database)
        return Store(schemas[key], secret_path=folder / f"{name}.secret", **kwargs)

    def case_twin_store(folder: Path) -> Store:
        """As ``test_store.case_twin_store``, with the rename done on the PostgreSQL schema."""
        store = open_store(folder)
        save, frame = sqlite_suite.save, sqlite_suite.make_frame
        save(store, "Fall 2024", frame(10, seed=1), file="fall.csv", date=dt.date(2024, 10, 1))
        save(store, "Spring 2025", frame(20, seed=2), file="spring.csv", date=dt.date(2025, 4, 1))
        save(store, "Later", frame(30, seed=3), file="twin.csv", date=dt.date(2025, 5, 1))
        store.close()
        engine = sa.create_engine(schemas[(str(folder), "survey.db")])
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE waves SET label = 'SPRING 2025' WHERE label = 'Later'"))
        engine.dispose()
        return open_store(folder)

    monkeypatch.setattr(sqlite_suite, "open_store", open_store)
    monkeypatch.setattr(sqlite_suite, "case_twin_store", case_twin_store)


def test_most_of_the_store_suite_is_repeated_on_postgres():
    """Guard against the filter above silently dropping the suite: at least 25 store tests run on PostgreSQL."""
    assert len(REPEATED) >= 25, sorted(REPEATED)

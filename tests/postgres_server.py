"""A PostgreSQL server for the store's tests: a fresh database per test session, a fresh schema per test.

``CLD_TEST_POSTGRES_URL`` names the server (e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/test``; ``.ci/run``
sets it). Without it, or without the ``psycopg`` driver, or when the server does not answer, the tests that need
it skip with the reason. Each session creates ``cld_test_<random>`` on the server and drops it at the end, so two
runs on one server (two developers, CI beside a developer) never see each other's tables.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

SERVER = os.environ.get("CLD_TEST_POSTGRES_URL", "")


def skip_reason() -> str | None:
    """Why the PostgreSQL tests cannot run here, or ``None`` when they can."""
    if not SERVER:
        return "set CLD_TEST_POSTGRES_URL to a PostgreSQL server to run the store's tests on PostgreSQL"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "the PostgreSQL driver psycopg is not installed (pip install -r requirements-dev.txt)"
    return None


@contextmanager
def fresh_database() -> Iterator[str]:
    """Create a database of its own on the server; yield its URL; drop it (and its connections) afterwards."""
    name = f"cld_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(SERVER, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        pytest.skip(f"CLD_TEST_POSTGRES_URL is not reachable: {str(exc.orig).splitlines()[0]}")
    try:
        yield sa.make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def new_schema(database_url: str) -> str:
    """Create a schema with a random name in the database; a URL whose connections work inside it."""
    schema = f"s_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    url = sa.make_url(database_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)

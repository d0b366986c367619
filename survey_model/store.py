"""The durable store: organizations, their schools, codebooks, survey waves, mapping profiles and an audit log.

One :class:`Store` object wraps one database. By default that is an embedded **SQLite** file
(``instance/survey.db``, see :mod:`survey_model.settings`) in WAL mode, so the dashboard keeps reading while an
import writes. Deployments with several app instances point every instance at one server database instead:

* **PostgreSQL**: ``CLD_DATABASE_URL=postgresql+psycopg://user:password@host:5432/survey`` (install the driver
  with ``pip install "psycopg[binary]"``). The tables are created on first connection; the database user needs
  ``CREATE`` on its schema for that first run and for upgrades. Writes that change waves take a transaction-level
  advisory lock, so two instances importing at once are serialised instead of racing. Every instance must read
  the *same* respondent-key secret file (:attr:`Settings.secret_path <survey_model.settings.Settings.secret_path>`,
  e.g. a mounted secret), or keys made by one instance will not link to waves saved by another; the store
  refuses to save with a secret that does not match the one its waves were keyed with.
* Any other SQLAlchemy URL should work the same way but is not tested.

Tables (schema version :data:`SCHEMA_VERSION`, upgraded in place by the ordered :data:`MIGRATIONS`)
----------------------------------------------------------------------------------------------------
=================  ===============================================================================================
``schema_version`` one row per applied migration (``version``, ``applied_at``)
``store_info``     key/value facts: the store's random ``instance_id``, a check value of the hashing secret
``organizations``  ``id`` (short text id such as ``district-7``), ``name``
``schools``        per organization: school ``name`` and ``school_group`` (e.g. ``cohort`` or ``comparison``)
``codebooks``      the full content (JSON) of every codebook version a wave was imported with, keyed by the
                   SHA-256 of that content, so a wave stays scorable with its own version
``waves``          organization, label, date, codebook id/version/hash, source platform, file SHA-256 (unique:
                   one file is stored once), respondent count, import counts, who imported it and when
``responses``      the wave's responses frame in chunks of :data:`CHUNK_ROWS` rows, each a Parquet blob
``mapping_profiles`` saved column mappings: ``name``, ``platform``, the mapping as JSON
``audit_log``      every change: when (UTC), who, action, organization, wave, file hash, counts, details
=================  ===============================================================================================

Why Parquet blobs
-----------------
The dashboard loads *all* waves of an organization into one frame. Measured on this machine for one wave of
100,000 respondents × 33 items + 8 attributes + respondent key: a long table (one row per answer, 3.3 million
rows) took 16 s to insert and 8.6 s to read back and pivot (54 MB); one Parquet blob (zstd) took 0.13 s to write
and 0.04 s to read (5.2 MB); Arrow IPC read slightly faster (0.03 s) but was 45 % larger (7.5 MB with zstd).
``bench/bench_store.py`` compares a full load with reading the same frame from a Parquet file.

Safety
------
* Saving a wave is **one transaction**: a crash leaves either the whole wave or none of it.
* A file already stored (same SHA-256) is not stored again: :meth:`Store.save_wave` returns a
  :class:`SaveResult` with status ``"duplicate"`` naming the wave that holds it.
* Replacing or deleting a wave needs an explicit argument and is written to the audit log with what it replaced.
* **Respondent IDs are never stored.** :meth:`Store.save_wave` turns the frame's ``respondent_id`` into
  ``respondent_key`` = HMAC-SHA256(secret, id) (hex; ``""`` when there is no id), so the same person links across
  waves while the id itself is not kept. The secret is 32 random bytes created on the first save at
  ``secret_path`` (file mode 0600), outside the database. Only the codebook's attribute and item columns and the
  key are stored; anything else in the frame (names, emails, IP addresses the importer should already have
  dropped) never reaches the database.
* Database problems (locked, damaged, missing, unreachable, newer schema) raise :class:`StoreError` with a
  message for the user and what to do; no driver traceback reaches the user.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import hmac
import io
import json
import os
import re
import secrets
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from survey_model.codebook import Codebook, codebook_from_dict
from survey_model.responses import RESPONDENT_ID, RESPONDENT_KEY, WAVE, check_responses
from survey_model.settings import Settings

CHUNK_ROWS = 50_000
"""Rows per stored Parquet blob: bounds the memory of one write and paces progress reports."""

PARQUET_COMPRESSION = "zstd"

ORG_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
"""Organization ids are short, URL- and command-line-friendly: letters, digits, ``_``, ``.``, ``-``."""

SaveStatus = Literal["saved", "replaced", "duplicate", "exists"]


# --------------------------------------------------------------------------------------------------------------
# Domain objects


class StoreError(Exception):
    """A database problem the user can act on: the message says what happened, ``action`` what to do."""

    def __init__(self, message: str, *, action: str = "") -> None:
        super().__init__(message)
        self.message = message
        """What went wrong, in plain words."""
        self.action = action
        """What the user can do about it (may be empty)."""

    def __str__(self) -> str:
        return f"{self.message} {self.action}".strip()


@dataclass(frozen=True)
class Organization:
    """A partner whose results are kept apart from every other partner's."""

    id: str
    """Short id used on the command line and in URLs, e.g. ``"district-7"``."""
    name: str
    """Name shown to users."""


@dataclass(frozen=True)
class School:
    """A school of an organization and the group it belongs to in comparisons."""

    name: str
    """School name as it appears in the ``school`` attribute of the responses."""
    group: str = ""
    """Comparison group, e.g. ``"cohort"`` or ``"comparison"``; empty when the organization uses none."""


@dataclass(frozen=True)
class WaveRecord:
    """What the store knows about one stored wave (not its responses: see :meth:`Store.load_responses`)."""

    org_id: str
    """Organization the wave belongs to."""
    label: str
    """Wave label, unique within the organization, e.g. ``"Spring 2025"``."""
    date: dt.date | None
    """When the survey ran (``None`` when not given). Waves are ordered by it, undated ones last."""
    codebook_id: str
    """Id of the codebook the wave was imported with."""
    codebook_version: str
    """Version of that codebook."""
    codebook_sha256: str
    """SHA-256 of the stored codebook content (see :func:`codebook_sha256`)."""
    platform: str
    """Survey platform the export came from, e.g. ``"qualtrics"``."""
    file_sha256: str
    """SHA-256 (hex) of the uploaded file's bytes."""
    n_respondents: int
    """Rows stored."""
    counts: Mapping[str, int]
    """Import counts (rows read, excluded by reason, ...) as the validation report gave them."""
    imported_at: dt.datetime
    """When the wave was saved (UTC)."""
    imported_by: str
    """Who saved it."""

    def describe(self) -> str:
        """One line for messages: ``wave 'Spring 2025' of organization 'district-7' (1,234 respondents, ...)``."""
        when = self.imported_at.strftime("%Y-%m-%d %H:%M UTC")
        return (
            f"wave {self.label!r} of organization {self.org_id!r} "
            f"({self.n_respondents:,} respondents, imported {when} by {self.imported_by})"
        )


@dataclass(frozen=True)
class SaveResult:
    """What :meth:`Store.save_wave` did."""

    status: SaveStatus
    """``"saved"`` (new wave), ``"replaced"`` (an existing wave was replaced), ``"duplicate"`` (this file is already
    stored; nothing changed) or ``"exists"`` (the label is taken and ``replace`` was not given; nothing changed)."""
    wave: WaveRecord
    """The wave now stored under the label (saved/replaced), or the one that blocked the save."""
    message: str
    """One or two sentences for the user."""
    replaced: WaveRecord | None = None
    """The wave that was replaced, when ``status == "replaced"``."""

    @property
    def ok(self) -> bool:
        """True when the data was written."""
        return self.status in ("saved", "replaced")


@dataclass(frozen=True)
class MappingProfile:
    """A saved column mapping, reusable for the next export from the same survey."""

    name: str
    """Unique name, e.g. ``"district-7 qualtrics 2025"``."""
    platform: str
    """Platform the mapping was made for."""
    mapping: Mapping[str, Any] = field(default_factory=dict)
    """The mapping as JSON-able data (``ColumnMapping.to_dict()`` of the importer)."""
    updated_at: dt.datetime | None = None
    """Last saved (UTC)."""
    updated_by: str = ""
    """Who saved it last."""


# --------------------------------------------------------------------------------------------------------------
# Codebook serialisation and respondent keys


def codebook_to_dict(codebook: Codebook) -> dict[str, Any]:
    """The codebook as the TOML-shaped dict :func:`survey_model.codebook.codebook_from_dict` reads back.

    Optional fields that are empty or ``None`` are left out, as a TOML file would.

    >>> from survey_model.codebook import load_codebook
    >>> cb = load_codebook()
    >>> codebook_from_dict(codebook_to_dict(cb)) == cb
    True
    """

    def compact(data: Mapping[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in data.items() if value not in (None, "", (), [], {})}

    scales = []
    for scale in codebook.scales:
        options = [compact({"value": o.value, "label": o.label, "aliases": list(o.aliases)}) for o in scale.options]
        scales.append(
            compact(
                {
                    "id": scale.id,
                    "ordinal": scale.ordinal,
                    "favorable_min": scale.favorable_min,
                    "unfavorable_max": scale.unfavorable_max,
                    "missing": list(scale.missing),
                    "options": options,
                }
            )
        )
    data: dict[str, Any] = {
        "id": codebook.id,
        "name": codebook.name,
        "version": codebook.version,
        "description": codebook.description,
        "groups": dict(codebook.groups),
        "scales": scales,
        "conditions": [
            compact({"id": c.id, "name": c.name, "group": c.group, "description": c.description})
            for c in codebook.conditions
        ],
        "items": [
            compact({"id": i.id, "text": i.text, "scale": i.scale, "condition": i.condition, "reverse": i.reverse})
            for i in codebook.items
        ],
        "attributes": [
            compact(
                {
                    "id": a.id,
                    "label": a.label,
                    "question": a.question,
                    "options": list(a.options),
                    "sensitive": a.sensitive,
                }
            )
            for a in codebook.attributes
        ],
    }
    if codebook.leader is not None:
        leader = codebook.leader
        data["leader_identity"] = compact(
            {
                "item": leader.item,
                "yes": leader.yes,
                "unsure": leader.unsure,
                "formal_role_item": leader.formal_role_item,
                "formal_role_yes": leader.formal_role_yes,
                "scale_items": list(leader.scale_items),
            }
        )
    for key in ("description", "groups"):
        if not data[key]:
            del data[key]
    return data


def codebook_sha256(codebook: Codebook) -> str:
    """SHA-256 (hex) of the codebook's canonical JSON: equal content, equal hash, whatever the version string."""
    return hashlib.sha256(_canonical_json(codebook_to_dict(codebook)).encode()).hexdigest()


def respondent_keys(ids: pd.Series | Sequence[str], secret: bytes) -> np.ndarray:
    """Keyed hashes of respondent IDs: ``HMAC-SHA256(secret, id)`` as 64 hex characters, ``""`` for no id.

    Surrounding spaces are ignored, so ``"R_1 "`` and ``"R_1"`` link. Each distinct id is hashed once.

    >>> respondent_keys(["R_1", "", "R_1"], b"k" * 32).tolist()[1]
    ''
    """
    values = pd.Series(ids, dtype="str").fillna("").str.strip()
    codes, uniques = pd.factorize(values, sort=False)
    keyed = hmac.new(secret, digestmod=hashlib.sha256)  # copying a keyed state skips the key set-up per id

    def key_of(text: str) -> str:
        state = keyed.copy()
        state.update(text.encode())
        return state.hexdigest()

    digests = np.array(["" if text == "" else key_of(text) for text in uniques.tolist()], dtype=object)
    if len(digests) == 0:
        return np.array([], dtype=object)
    return digests[codes]


def _canonical_json(data: object) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _utcnow() -> dt.datetime:
    # Stored naive (SQLite has no time zones); every timestamp in the store is UTC.
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.replace(tzinfo=dt.UTC)


# --------------------------------------------------------------------------------------------------------------
# Schema and migrations

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

schema_version_table = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_at", sa.DateTime, nullable=False),
)
store_info_table = sa.Table(
    "store_info",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
organizations_table = sa.Table(
    "organizations",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)
schools_table = sa.Table(
    "schools",
    metadata,
    sa.Column("org_id", sa.String(64), sa.ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("school_group", sa.Text, nullable=False, default=""),
)
codebooks_table = sa.Table(
    "codebooks",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("codebook_id", sa.Text, nullable=False),
    sa.Column("version", sa.Text, nullable=False),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)
waves_table = sa.Table(
    "waves",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("org_id", sa.String(64), sa.ForeignKey("organizations.id"), nullable=False),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("survey_date", sa.Date, nullable=True),
    sa.Column("codebook_id", sa.Text, nullable=False),
    sa.Column("codebook_version", sa.Text, nullable=False),
    sa.Column("codebook_sha256", sa.String(64), sa.ForeignKey("codebooks.sha256"), nullable=False),
    sa.Column("platform", sa.Text, nullable=False),
    sa.Column("file_sha256", sa.String(64), nullable=False),
    sa.Column("n_respondents", sa.Integer, nullable=False),
    sa.Column("counts", sa.JSON, nullable=False),
    sa.Column("imported_at", sa.DateTime, nullable=False),
    sa.Column("imported_by", sa.Text, nullable=False),
    sa.UniqueConstraint("org_id", "label"),
    sa.UniqueConstraint("file_sha256"),
)
responses_table = sa.Table(
    "responses",
    metadata,
    sa.Column("wave_id", sa.Integer, sa.ForeignKey("waves.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("chunk", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("n_rows", sa.Integer, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)
mapping_profiles_table = sa.Table(
    "mapping_profiles",
    metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("platform", sa.Text, nullable=False),
    sa.Column("mapping", sa.JSON, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.Text, nullable=False),
)
audit_log_table = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("user_name", sa.Text, nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("org_id", sa.String(64), nullable=True),
    sa.Column("wave", sa.Text, nullable=True),
    sa.Column("file_sha256", sa.String(64), nullable=True),
    sa.Column("counts", sa.JSON, nullable=True),
    sa.Column("details", sa.JSON, nullable=True),
)


def _migration_1_initial(conn: sa.Connection) -> None:
    """Organizations, schools, codebooks, waves, responses, the audit log and store facts."""
    # These Table objects are the current definitions. When a later migration alters one of them, copy the
    # version-1 definition in here first, so an empty database still passes through every historical shape.
    for table in (
        store_info_table,
        organizations_table,
        schools_table,
        codebooks_table,
        waves_table,
        responses_table,
        audit_log_table,
    ):
        table.create(conn)
    conn.execute(store_info_table.insert().values(key="instance_id", value=uuid.uuid4().hex))


def _migration_2_mapping_profiles(conn: sa.Connection) -> None:
    """Saved column mappings, and an index so :meth:`Store.data_version` stays one index look-up."""
    mapping_profiles_table.create(conn)
    conn.exec_driver_sql("CREATE INDEX ix_audit_log_org_id_id ON audit_log (org_id, id)")


MIGRATIONS: tuple[Callable[[sa.Connection], None], ...] = (
    _migration_1_initial,
    _migration_2_mapping_profiles,
)
"""Migration ``i`` (0-based) brings a database from schema version ``i`` to ``i + 1``. Append only."""

SCHEMA_VERSION = len(MIGRATIONS)

_PG_LOCK_KEY = 0x5C1D_57_0E  # any constant: serialises schema upgrades and wave writes across app instances
_SECRET_CHECK_MESSAGE = b"survey_model respondent-key secret check"


# --------------------------------------------------------------------------------------------------------------
# Error translation

_T = TypeVar("_T")


def _translating_errors(method: Callable[..., _T]) -> Callable[..., _T]:
    """Turn driver errors raised inside a public method into :class:`StoreError`."""

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> _T:
        try:
            return method(self, *args, **kwargs)
        except sa_exc.SQLAlchemyError as exc:
            raise self._store_error(exc) from exc

    return wrapper


# --------------------------------------------------------------------------------------------------------------
# The store


class Store:
    """Durable storage for survey waves, their codebooks, mapping profiles and the audit log.

    Parameters
    ----------
    url : str
        SQLAlchemy database URL (``sqlite:////path/survey.db``, ``postgresql+psycopg://...``) or a plain path to a
        SQLite file.
    secret_path : Path
        File holding the respondent-key secret (created, mode 0600, on the first save). Never inside the database.
    create : bool, default True
        Create the SQLite file when it does not exist. With ``False`` a missing file raises :class:`StoreError`
        (for commands that only read or delete).
    busy_timeout : float, default 10
        Seconds to wait for another writer to finish before giving up with a "database is busy" error.

    Raises
    ------
    StoreError
        The folder is missing, the file is damaged, locked or not a store, the server is unreachable, or the
        schema is newer than this code.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> store = Store(str(folder / "survey.db"), secret_path=folder / "key.secret")
    >>> store.is_empty()
    True
    >>> store.close()
    """

    def __init__(self, url: str, *, secret_path: Path, create: bool = True, busy_timeout: float = 10.0) -> None:
        if "://" not in url:
            url = f"sqlite:///{Path(url).expanduser().resolve()}"
        try:
            self._url = sa.make_url(url)
        except sa_exc.ArgumentError:
            raise StoreError(
                "The database address is not a valid database URL.",
                action="Use a file path, sqlite:////path/to/survey.db or postgresql+psycopg://user@host/db.",
            ) from None
        self._secret_path = Path(secret_path)
        self._secret: bytes | None = None
        self._is_sqlite = self._url.get_backend_name() == "sqlite"
        self._is_postgres = self._url.get_backend_name() == "postgresql"
        self._path: Path | None = None
        if self._is_sqlite:
            if not self._url.database or self._url.database == ":memory:":
                raise ValueError("the store needs a SQLite file, not an in-memory database")
            self._path = Path(self._url.database)
            if not self._path.parent.is_dir():
                raise StoreError(
                    f"The folder {self._path.parent} for the database does not exist.",
                    action="Create the folder, or point --db / CLD_DATABASE_URL at a file in an existing folder.",
                )
            if not create and not self._path.exists():
                raise StoreError(
                    f"There is no database at {self._path}.",
                    action="Check --db / CLD_DATABASE_URL, or import a wave first to create the database.",
                )
        self._engine = self._create_engine(busy_timeout)
        try:
            self._migrate()
        except BaseException:
            self._engine.dispose()
            raise

    @classmethod
    def from_settings(cls, settings: Settings, *, create: bool = True) -> Store:
        """The store the settings point at; creates the default data folder (``instance/``) when needed."""
        uses_data_dir = not settings.database_url
        if create and uses_data_dir:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        return cls(settings.db_url, secret_path=settings.secret_path, create=create)

    # -- connection handling -------------------------------------------------------------------------------

    def _create_engine(self, busy_timeout: float) -> sa.Engine:
        try:
            if self._is_sqlite:
                engine = sa.create_engine(self._url, connect_args={"timeout": busy_timeout})

                @sa.event.listens_for(engine, "connect")
                def _on_connect(dbapi_connection: Any, _record: Any) -> None:
                    # Let SQLAlchemy emit BEGIN itself (see _on_begin): the sqlite3 module's own transaction
                    # handling would run DDL outside the transaction and cannot take the write lock up front.
                    dbapi_connection.isolation_level = None
                    cursor = dbapi_connection.cursor()
                    cursor.execute("PRAGMA journal_mode=WAL")
                    cursor.execute("PRAGMA foreign_keys=ON")
                    cursor.close()

                @sa.event.listens_for(engine, "begin")
                def _on_begin(conn: sa.Connection) -> None:
                    # IMMEDIATE takes the write lock at the start, so a writer waits its turn (busy_timeout)
                    # instead of failing when it upgrades from reading to writing half-way.
                    mode = "IMMEDIATE" if conn.get_execution_options().get("cld_write") else "DEFERRED"
                    conn.exec_driver_sql(f"BEGIN {mode}")

                return engine
            connect_args = {"connect_timeout": max(1, round(busy_timeout))} if self._is_postgres else {}
            return sa.create_engine(self._url, connect_args=connect_args, pool_pre_ping=True)
        except (ModuleNotFoundError, sa_exc.NoSuchModuleError) as exc:
            raise StoreError(
                f"The database driver for {self._url.drivername!r} is not installed ({exc}).",
                action='For PostgreSQL install it with: pip install "psycopg[binary]".',
            ) from None

    @contextlib.contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        with self._engine.connect() as conn, conn.begin():
            yield conn

    @contextlib.contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        """One all-or-nothing write transaction, serialised against other writers."""
        with self._engine.connect() as conn:
            conn.execution_options(cld_write=True)
            with conn.begin():
                if self._is_postgres:
                    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK_KEY)))
                yield conn

    @property
    def location(self) -> str:
        """Where the data lives, safe to show (a server password is hidden)."""
        if self._path is not None:
            return str(self._path)
        return self._url.render_as_string(hide_password=True)

    def close(self) -> None:
        """Close every pooled connection (the object can still be used; it reconnects)."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _store_error(self, exc: sa_exc.SQLAlchemyError) -> StoreError:
        text = str(getattr(exc, "orig", None) or exc).casefold()
        where = self.location
        if "locked" in text or "busy" in text:
            return StoreError(
                f"The database {where} is busy: another import or app instance is writing to it.",
                action="Wait a moment and try again. If it stays busy, check that no other program holds the file "
                "open for writing.",
            )
        if "not a database" in text or "malformed" in text or "disk image" in text or "encrypted" in text:
            return StoreError(
                f"The database file {where} is damaged or is not a database.",
                action="Restore it from a backup, or move it aside (and point --db / CLD_DATABASE_URL at a new "
                "file) to start an empty store.",
            )
        if "readonly" in text or "read-only" in text or "permission denied" in text:
            return StoreError(
                f"The database {where} cannot be written: permission denied.",
                action="Give the app's user write access to the database file and its folder.",
            )
        if "unable to open" in text:
            return StoreError(
                f"The database file {where} cannot be opened.",
                action="Check that the path exists and the app's user may read and write it.",
            )
        if isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError) and not self._is_sqlite:
            return StoreError(
                f"Cannot reach the database server at {where}.",
                action="Check that the server is running and that CLD_DATABASE_URL (host, port, user, password) "
                "is right.",
            )
        first_line = str(getattr(exc, "orig", None) or exc).splitlines()[0][:200]
        return StoreError(
            f"The database {where} reported an error: {first_line}",
            action="If this repeats, keep the message and ask your administrator.",
        )

    # -- schema ----------------------------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        """Schema version of the database (equal to :data:`SCHEMA_VERSION` once opened)."""
        with self._read() as conn:
            return self._version(conn)

    @staticmethod
    def _version(conn: sa.Connection) -> int:
        if not sa.inspect(conn).has_table("schema_version"):
            return 0
        return int(conn.execute(sa.select(sa.func.max(schema_version_table.c.version))).scalar_one() or 0)

    def _migrate(self) -> None:
        try:
            with self._read() as conn:
                version = self._version(conn)
            if version == SCHEMA_VERSION:
                return
            with self._write() as conn:
                version = self._version(conn)  # another instance may have upgraded meanwhile
                if version > SCHEMA_VERSION:
                    raise StoreError(
                        f"The database {self.location} was written by a newer version of the dashboard "
                        f"(schema {version}; this version knows up to {SCHEMA_VERSION}).",
                        action="Upgrade the dashboard to the version that wrote it.",
                    )
                if version == 0:
                    foreign = [name for name in sa.inspect(conn).get_table_names() if name != "schema_version"]
                    if foreign:
                        raise StoreError(
                            f"The database {self.location} belongs to another program (tables: "
                            f"{', '.join(sorted(foreign)[:5])}).",
                            action="Point --db / CLD_DATABASE_URL at a new file or an empty database.",
                        )
                    schema_version_table.create(conn)
                for index in range(version, SCHEMA_VERSION):
                    MIGRATIONS[index](conn)
                    conn.execute(schema_version_table.insert().values(version=index + 1, applied_at=_utcnow()))
        except sa_exc.SQLAlchemyError as exc:
            raise self._store_error(exc) from exc

    # -- organizations and schools ---------------------------------------------------------------------------

    @_translating_errors
    def is_empty(self) -> bool:
        """True when no wave is stored yet (the app then loads its demo data through :meth:`save_wave`)."""
        with self._read() as conn:
            return conn.execute(sa.select(waves_table.c.id).limit(1)).first() is None

    @_translating_errors
    def organizations(self) -> list[Organization]:
        """Every organization, by id."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(organizations_table.c.id, organizations_table.c.name).order_by(organizations_table.c.id)
            )
            return [Organization(row.id, row.name) for row in rows]

    @_translating_errors
    def organization(self, org_id: str) -> Organization | None:
        """The organization with this id, or ``None``."""
        with self._read() as conn:
            row = conn.execute(
                sa.select(organizations_table.c.id, organizations_table.c.name).where(
                    organizations_table.c.id == org_id
                )
            ).first()
        return None if row is None else Organization(row.id, row.name)

    @_translating_errors
    def ensure_organization(self, org_id: str, name: str = "", *, user: str = "system") -> Organization:
        """Create the organization if it does not exist; rename it when ``name`` is given and differs.

        Raises ``ValueError`` for an id that is not 1-64 letters, digits, ``_``, ``.`` or ``-``.
        """
        _check_org_id(org_id)
        _check_user(user)
        with self._write() as conn:
            return self._ensure_organization(conn, org_id, name.strip(), user)

    def _ensure_organization(self, conn: sa.Connection, org_id: str, name: str, user: str) -> Organization:
        current = conn.execute(sa.select(organizations_table.c.name).where(organizations_table.c.id == org_id)).scalar()
        if current is None:
            conn.execute(organizations_table.insert().values(id=org_id, name=name or org_id, created_at=_utcnow()))
            self._audit(conn, "create_organization", user=user, org_id=org_id, details={"name": name or org_id})
            return Organization(org_id, name or org_id)
        if name and name != current:
            conn.execute(organizations_table.update().where(organizations_table.c.id == org_id).values(name=name))
            self._audit(conn, "rename_organization", user=user, org_id=org_id, details={"from": current, "to": name})
            return Organization(org_id, name)
        return Organization(org_id, current)

    @_translating_errors
    def set_schools(self, org_id: str, schools: Iterable[School], *, user: str) -> None:
        """Replace the organization's school list (names and comparison groups); recorded in the audit log."""
        _check_user(user)
        new = {school.name.strip(): school.group.strip() for school in schools}
        if "" in new:
            raise ValueError("a school needs a name")
        with self._write() as conn:
            self._require_org(conn, org_id)
            old = {
                row.name: row.school_group
                for row in conn.execute(
                    sa.select(schools_table.c.name, schools_table.c.school_group).where(
                        schools_table.c.org_id == org_id
                    )
                )
            }
            conn.execute(schools_table.delete().where(schools_table.c.org_id == org_id))
            if new:
                conn.execute(
                    schools_table.insert(), [{"org_id": org_id, "name": n, "school_group": g} for n, g in new.items()]
                )
            self._audit(conn, "set_schools", user=user, org_id=org_id, details={"before": old, "after": new})

    @_translating_errors
    def schools(self, org_id: str) -> list[School]:
        """The organization's schools, by name."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(schools_table.c.name, schools_table.c.school_group)
                .where(schools_table.c.org_id == org_id)
                .order_by(schools_table.c.name)
            )
            return [School(row.name, row.school_group) for row in rows]

    # -- waves -----------------------------------------------------------------------------------------------

    @_translating_errors
    def save_wave(
        self,
        org_id: str,
        label: str,
        frame: pd.DataFrame,
        *,
        codebook: Codebook,
        platform: str,
        file_sha256: str,
        user: str,
        date: dt.date | None = None,
        replace: bool = False,
        counts: Mapping[str, int] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> SaveResult:
        """Store one wave in a single transaction: all of it, or (after any failure or crash) none of it.

        Parameters
        ----------
        org_id, label : str
            Organization (created when new) and the wave's label, unique within the organization.
        frame : DataFrame
            The responses frame fresh from the importer, with ``respondent_id`` (text, ``""`` for none). Only
            ``respondent_key`` (keyed hash of the id), the codebook's attribute columns and its item columns are
            stored; every other column is dropped.
        codebook : Codebook
            The codebook the frame was mapped with; its content is stored so the wave stays scorable with it.
        platform : str
            Source platform (``"qualtrics"``, ``"surveymonkey"``, ...).
        file_sha256 : str
            SHA-256 (hex) of the uploaded file's bytes. A file already stored is not stored again.
        user : str
            Who is saving, for the audit log.
        date : date, optional
            When the survey ran; orders the waves.
        replace : bool, default False
            Replace the organization's wave with the same label (the audit log keeps what was replaced).
        counts : mapping, optional
            Import counts to keep with the wave (e.g. ``report.counts``).
        on_progress : callable, optional
            Called as ``on_progress(rows_written, total_rows)`` at the start and after each chunk of
            :data:`CHUNK_ROWS` rows, inside the transaction.

        Returns
        -------
        SaveResult
            ``status`` ``"saved"`` or ``"replaced"`` when written; ``"duplicate"`` (the file is already stored, in
            ``result.wave``) or ``"exists"`` (the label is taken and ``replace`` is False) when nothing changed.

        Raises
        ------
        ValueError
            A malformed frame or argument (a programmer error).
        StoreError
            A database problem, or a hashing secret that does not match the one the stored waves used.
        """
        label = label.strip()
        _check_org_id(org_id)
        _check_user(user)
        if not label or len(label) > 100:
            raise ValueError("a wave label needs 1 to 100 characters")
        file_sha256 = file_sha256.strip().lower()
        if not re.fullmatch(r"[0-9a-f]{64}", file_sha256):
            raise ValueError("file_sha256 must be the 64-character hex SHA-256 of the uploaded file")
        if date is not None and not isinstance(date, dt.date):
            raise ValueError(f"date must be a datetime.date, got {type(date).__name__}")
        if RESPONDENT_ID not in frame.columns:
            raise ValueError(f'the frame needs a {RESPONDENT_ID!r} column ("" where the export has none)')
        if RESPONDENT_KEY in frame.columns:
            raise ValueError(f"the frame must not carry {RESPONDENT_KEY!r}: save_wave hashes {RESPONDENT_ID!r} itself")
        if len(frame) == 0:
            raise ValueError("the frame has no respondents")
        check_responses(frame, codebook)
        stored = _stored_table(frame, codebook, self._load_secret())
        counts_data = {str(k): int(v) for k, v in (counts or {}).items()}
        content = _canonical_json(codebook_to_dict(codebook))
        book_sha = hashlib.sha256(content.encode()).hexdigest()
        total = stored.num_rows

        with self._write() as conn:
            self._check_secret(conn)
            holder = self._wave_by_file(conn, file_sha256)
            if holder is not None:
                return SaveResult(
                    "duplicate",
                    holder,
                    f"This file is already stored as {holder.describe()}. Nothing was saved.",
                )
            existing = self._wave_by_label(conn, org_id, label)
            if existing is not None and not replace:
                return SaveResult(
                    "exists",
                    existing,
                    f"Organization {org_id!r} already has {existing.describe()}. Nothing was saved; choose "
                    "another label, or replace that wave.",
                )
            self._ensure_organization(conn, org_id, "", user)
            if existing is not None:
                self._delete_wave_rows(conn, org_id, label)
            if (
                conn.execute(sa.select(codebooks_table.c.sha256).where(codebooks_table.c.sha256 == book_sha)).first()
                is None
            ):
                conn.execute(
                    codebooks_table.insert().values(
                        sha256=book_sha,
                        codebook_id=codebook.id,
                        version=codebook.version,
                        content=content,
                        created_at=_utcnow(),
                    )
                )
            now = _utcnow()
            wave_id = conn.execute(
                waves_table.insert().values(
                    org_id=org_id,
                    label=label,
                    survey_date=date,
                    codebook_id=codebook.id,
                    codebook_version=codebook.version,
                    codebook_sha256=book_sha,
                    platform=platform,
                    file_sha256=file_sha256,
                    n_respondents=total,
                    counts=counts_data,
                    imported_at=now,
                    imported_by=user,
                )
            ).inserted_primary_key[0]
            if on_progress is not None:
                on_progress(0, total)
            for chunk, start in enumerate(range(0, total, CHUNK_ROWS)):
                part = stored.slice(start, CHUNK_ROWS)
                conn.execute(
                    responses_table.insert().values(
                        wave_id=wave_id, chunk=chunk, n_rows=part.num_rows, data=_parquet_bytes(part)
                    )
                )
                if on_progress is not None:
                    on_progress(start + part.num_rows, total)
            record = WaveRecord(
                org_id, label, date, codebook.id, codebook.version, book_sha, platform, file_sha256, total,
                counts_data, _aware(now), user,
            )  # fmt: skip
            details: dict[str, Any] = {
                "date": date.isoformat() if date else None,
                "platform": platform,
                "codebook": f"{codebook.id} {codebook.version}",
                "n_respondents": total,
            }
            if existing is not None:
                details["replaced"] = _wave_summary(existing)
            self._audit(
                conn,
                "replace_wave" if existing is not None else "save_wave",
                user=user,
                org_id=org_id,
                wave=label,
                file_sha256=file_sha256,
                counts=counts_data,
                details=details,
            )
        if existing is not None:
            return SaveResult(
                "replaced",
                record,
                f"Replaced {existing.describe()} with {total:,} respondents from the new file.",
                replaced=existing,
            )
        return SaveResult("saved", record, f"Saved {record.describe()}.")

    @_translating_errors
    def waves(self, org_id: str | None = None) -> list[WaveRecord]:
        """Stored waves (of one organization, or all), oldest first: by date, undated ones last by import time."""
        with self._read() as conn:
            query = sa.select(waves_table)
            if org_id is not None:
                query = query.where(waves_table.c.org_id == org_id)
            records = [_wave_record(row) for row in conn.execute(query.order_by(waves_table.c.id))]
        return sorted(records, key=_wave_order)

    @_translating_errors
    def wave(self, org_id: str, label: str) -> WaveRecord:
        """One wave's record; :class:`StoreError` naming the stored waves when there is no such wave."""
        with self._read() as conn:
            record = self._wave_by_label(conn, org_id, label.strip())
        if record is None:
            raise self._no_such_wave(org_id, label)
        return record

    @_translating_errors
    def find_file(self, file_sha256: str) -> WaveRecord | None:
        """The wave holding the file with this SHA-256, if any (to warn before a long validation)."""
        with self._read() as conn:
            return self._wave_by_file(conn, file_sha256.strip().lower())

    @_translating_errors
    def load_responses(self, org_id: str, *, waves: Sequence[str] | None = None) -> pd.DataFrame:
        """The organization's responses frame: chosen waves (default all), one row per respondent.

        Columns: ``wave`` (ordered categorical of the chosen labels, oldest first), ``respondent_key``, the
        attribute columns (text, missing as NA) and the item columns (``float32``; see
        :mod:`survey_model.responses`), attributes and items in the order of the latest wave's codebook. A column
        one wave lacks is NA in that wave's rows. Never holds a respondent ID.
        """
        records = self.waves(org_id)
        if waves is not None:
            by_label = {record.label: record for record in records}
            unknown = [label for label in waves if label not in by_label]
            if unknown:
                raise self._no_such_wave(org_id, unknown[0])
            chosen = [record for record in records if record.label in set(waves)]
        else:
            chosen = records
        labels = [record.label for record in chosen]
        if not chosen:
            return pd.DataFrame(
                {WAVE: pd.Categorical([], categories=labels, ordered=True), RESPONDENT_KEY: pd.Series([], dtype="str")}
            )
        with self._read() as conn:
            ids = {
                row.label: row.id
                for row in conn.execute(
                    sa.select(waves_table.c.id, waves_table.c.label).where(
                        waves_table.c.org_id == org_id, waves_table.c.label.in_(labels)
                    )
                )
            }
            order = {ids[label]: position for position, label in enumerate(labels)}
            rows = conn.execute(
                sa.select(responses_table.c.wave_id, responses_table.c.data)
                .where(responses_table.c.wave_id.in_(list(order)))
                .order_by(responses_table.c.wave_id, responses_table.c.chunk)
            ).all()
            books = {record.codebook_sha256: self._codebook(conn, record.codebook_sha256) for record in chosen}
        rows.sort(key=lambda row: order[row.wave_id])  # stable: chunks stay in order within a wave
        try:
            tables = [pq.read_table(pa.BufferReader(row.data)) for row in rows]
        except (pa.ArrowException, OSError):
            raise StoreError(
                f"The stored responses of organization {org_id!r} in {self.location} are damaged.",
                action="Restore the database from a backup, or delete and re-import the affected waves.",
            ) from None
        codes = np.concatenate(
            [
                np.full(table.num_rows, order[row.wave_id], dtype=np.int16)
                for row, table in zip(rows, tables, strict=True)
            ]
        )
        combined = pa.concat_tables(tables, promote_options="default")
        latest = books[chosen[-1].codebook_sha256]
        combined = combined.select(_column_order(combined.column_names, latest, books.values()))
        frame = combined.to_pandas()
        frame.insert(0, WAVE, pd.Categorical.from_codes(codes, categories=labels, ordered=True))
        return frame

    @_translating_errors
    def codebook_for(self, org_id: str, *, wave: str | None = None) -> Codebook:
        """The codebook (exact stored version) of the organization's latest wave, or of the named wave."""
        record = self.wave(org_id, wave) if wave is not None else (self.waves(org_id) or [None])[-1]
        if record is None:
            raise StoreError(
                f"Organization {org_id!r} has no waves yet, so it has no codebook.",
                action="Import a wave first.",
            )
        with self._read() as conn:
            return self._codebook(conn, record.codebook_sha256)

    @_translating_errors
    def delete_wave(self, org_id: str, label: str, *, user: str, confirm: bool) -> WaveRecord:
        """Delete one wave and its responses; recorded in the audit log. Returns what was deleted.

        ``confirm`` must be ``True``: it is the caller's proof that the user confirmed. Raises ``ValueError``
        otherwise, and :class:`StoreError` when there is no such wave.
        """
        if confirm is not True:
            raise ValueError("delete_wave needs confirm=True: ask the user to confirm the deletion first")
        _check_user(user)
        with self._write() as conn:
            record = self._wave_by_label(conn, org_id, label.strip())
            if record is None:
                raise self._no_such_wave(org_id, label)
            self._delete_wave_rows(conn, org_id, record.label)
            self._audit(
                conn,
                "delete_wave",
                user=user,
                org_id=org_id,
                wave=record.label,
                file_sha256=record.file_sha256,
                counts=dict(record.counts),
                details={"deleted": _wave_summary(record)},
            )
        return record

    # -- mapping profiles ------------------------------------------------------------------------------------

    @_translating_errors
    def save_mapping_profile(
        self, name: str, platform: str, mapping: Mapping[str, Any], *, user: str
    ) -> MappingProfile:
        """Save (or overwrite) a named column mapping; recorded in the audit log."""
        name = name.strip()
        if not name or len(name) > 200:
            raise ValueError("a mapping profile name needs 1 to 200 characters")
        _check_user(user)
        data = json.loads(_canonical_json(mapping))  # proves it is JSON-able before touching the database
        now = _utcnow()
        with self._write() as conn:
            exists = conn.execute(
                sa.select(mapping_profiles_table.c.name).where(mapping_profiles_table.c.name == name)
            ).first()
            values = {"platform": platform, "mapping": data, "updated_at": now, "updated_by": user}
            if exists:
                conn.execute(
                    mapping_profiles_table.update().where(mapping_profiles_table.c.name == name).values(**values)
                )
            else:
                conn.execute(mapping_profiles_table.insert().values(name=name, **values))
            self._audit(conn, "save_mapping_profile", user=user, details={"name": name, "platform": platform})
        return MappingProfile(name, platform, data, _aware(now), user)

    @_translating_errors
    def mapping_profile(self, name: str) -> MappingProfile | None:
        """The mapping profile with this name, or ``None``."""
        with self._read() as conn:
            row = conn.execute(
                sa.select(mapping_profiles_table).where(mapping_profiles_table.c.name == name.strip())
            ).first()
        return None if row is None else _mapping_profile(row)

    @_translating_errors
    def mapping_profiles(self, *, platform: str | None = None) -> list[MappingProfile]:
        """Saved mapping profiles (of one platform, or all), by name."""
        query = sa.select(mapping_profiles_table).order_by(mapping_profiles_table.c.name)
        if platform is not None:
            query = query.where(mapping_profiles_table.c.platform == platform)
        with self._read() as conn:
            return [_mapping_profile(row) for row in conn.execute(query)]

    # -- audit and cache keys --------------------------------------------------------------------------------

    @_translating_errors
    def audit_log(self, org_id: str | None = None) -> pd.DataFrame:
        """Every recorded change (of one organization, or all), oldest first.

        Columns: ``at`` (UTC timestamp), ``user``, ``action`` (``create_organization``, ``save_wave``,
        ``replace_wave``, ``delete_wave``, ``set_schools``, ``save_mapping_profile``, ...), ``organization``,
        ``wave``, ``file_sha256``, ``counts`` and ``details`` (dicts; a replace or delete keeps the old wave's
        summary under ``details["replaced"]`` / ``details["deleted"]``).
        """
        query = sa.select(audit_log_table).order_by(audit_log_table.c.id)
        if org_id is not None:
            query = query.where(audit_log_table.c.org_id == org_id)
        with self._read() as conn:
            rows = conn.execute(query).all()
        frame = pd.DataFrame(
            {
                "at": pd.to_datetime([row.at for row in rows]).tz_localize("UTC"),
                "user": pd.Series([row.user_name for row in rows], dtype="str"),
                "action": pd.Series([row.action for row in rows], dtype="str"),
                "organization": pd.Series([row.org_id for row in rows], dtype="str"),
                "wave": pd.Series([row.wave for row in rows], dtype="str"),
                "file_sha256": pd.Series([row.file_sha256 for row in rows], dtype="str"),
                "counts": pd.Series([row.counts or {} for row in rows], dtype=object),
                "details": pd.Series([row.details or {} for row in rows], dtype=object),
            }
        )
        return frame

    @_translating_errors
    def data_version(self, org_id: str) -> str:
        """A token that changes whenever the organization's stored data changes: key the app's caches on it.

        It combines this database's random instance id with the organization's latest audit-log entry (every
        change writes one, in the same transaction), so two databases never share a token.
        """
        with self._read() as conn:
            instance = conn.execute(
                sa.select(store_info_table.c.value).where(store_info_table.c.key == "instance_id")
            ).scalar()
            latest = conn.execute(
                sa.select(sa.func.max(audit_log_table.c.id)).where(audit_log_table.c.org_id == org_id)
            ).scalar()
        return f"{instance}:{org_id}:{latest or 0}"

    # -- internals -------------------------------------------------------------------------------------------

    def _audit(
        self,
        conn: sa.Connection,
        action: str,
        *,
        user: str,
        org_id: str | None = None,
        wave: str | None = None,
        file_sha256: str | None = None,
        counts: Mapping[str, int] | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        conn.execute(
            audit_log_table.insert().values(
                at=_utcnow(),
                user_name=user,
                action=action,
                org_id=org_id,
                wave=wave,
                file_sha256=file_sha256,
                counts=dict(counts) if counts is not None else None,
                details=dict(details) if details is not None else None,
            )
        )

    def _require_org(self, conn: sa.Connection, org_id: str) -> None:
        if conn.execute(sa.select(organizations_table.c.id).where(organizations_table.c.id == org_id)).first() is None:
            raise StoreError(
                f"There is no organization {org_id!r}.",
                action="Check the id (python -m survey_model list shows them) or import a wave for it first.",
            )

    def _no_such_wave(self, org_id: str, label: str) -> StoreError:
        known = [record.label for record in self.waves(org_id)]
        listing = ", ".join(repr(k) for k in known) if known else "none"
        return StoreError(
            f"Organization {org_id!r} has no wave {label!r} (stored waves: {listing}).",
            action="Check the organization id and the wave label.",
        )

    @staticmethod
    def _wave_by_label(conn: sa.Connection, org_id: str, label: str) -> WaveRecord | None:
        row = conn.execute(
            sa.select(waves_table).where(waves_table.c.org_id == org_id, waves_table.c.label == label)
        ).first()
        return None if row is None else _wave_record(row)

    @staticmethod
    def _wave_by_file(conn: sa.Connection, file_sha256: str) -> WaveRecord | None:
        row = conn.execute(sa.select(waves_table).where(waves_table.c.file_sha256 == file_sha256)).first()
        return None if row is None else _wave_record(row)

    @staticmethod
    def _delete_wave_rows(conn: sa.Connection, org_id: str, label: str) -> None:
        wave_ids = (
            sa.select(waves_table.c.id)
            .where(waves_table.c.org_id == org_id, waves_table.c.label == label)
            .scalar_subquery()
        )
        conn.execute(responses_table.delete().where(responses_table.c.wave_id == wave_ids))
        conn.execute(waves_table.delete().where(waves_table.c.org_id == org_id, waves_table.c.label == label))

    @staticmethod
    def _codebook(conn: sa.Connection, sha: str) -> Codebook:
        content = conn.execute(sa.select(codebooks_table.c.content).where(codebooks_table.c.sha256 == sha)).scalar_one()
        return codebook_from_dict(json.loads(content))

    def _load_secret(self) -> bytes:
        """The hashing secret, created (mode 0600) when neither the file nor the database knows one yet."""
        if self._secret is not None:
            return self._secret
        path = self._secret_path
        if not path.exists():
            with self._read() as conn:
                recorded = conn.execute(
                    sa.select(store_info_table.c.value).where(store_info_table.c.key == "secret_check")
                ).scalar()
            if recorded is not None:
                raise StoreError(
                    f"The respondent-key secret {path} is missing, but the stored waves were keyed with one.",
                    action="Restore the secret file from your backup (with a new secret, respondents would no "
                    "longer link to earlier waves). In a multi-instance deployment every instance needs the same "
                    "file.",
                )
            path.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileExistsError):  # another process created it first: use theirs
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "w") as handle:
                    handle.write(secrets.token_hex(32) + "\n")
        try:
            secret = bytes.fromhex(path.read_text().strip())
        except (OSError, ValueError):
            raise StoreError(
                f"The respondent-key secret {path} cannot be read or is not 64 hex characters.",
                action="Restore the secret file from your backup, and let only the app's user read it.",
            ) from None
        if len(secret) < 16:
            raise StoreError(f"The respondent-key secret {path} is too short.", action="Restore it from backup.")
        self._secret = secret
        return secret

    def _check_secret(self, conn: sa.Connection) -> None:
        """Refuse to key a wave with another secret than the stored waves used (they would silently not link)."""
        check = hmac.new(self._load_secret(), _SECRET_CHECK_MESSAGE, hashlib.sha256).hexdigest()
        recorded = conn.execute(
            sa.select(store_info_table.c.value).where(store_info_table.c.key == "secret_check")
        ).scalar()
        if recorded is None:
            conn.execute(store_info_table.insert().values(key="secret_check", value=check))
        elif not hmac.compare_digest(recorded, check):
            raise StoreError(
                f"The respondent-key secret {self._secret_path} is not the one this database's waves were keyed with.",
                action="Restore the original secret file. In a multi-instance deployment every instance needs "
                "the same file.",
            )


def _check_org_id(org_id: str) -> None:
    if not isinstance(org_id, str) or not ORG_ID_PATTERN.match(org_id):
        raise ValueError(
            f"organization id {org_id!r} must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit"
        )


def _check_user(user: str) -> None:
    if not isinstance(user, str) or not user.strip():
        raise ValueError("say who makes the change (user), for the audit log")


def _wave_record(row: sa.Row) -> WaveRecord:
    return WaveRecord(
        org_id=row.org_id,
        label=row.label,
        date=row.survey_date,
        codebook_id=row.codebook_id,
        codebook_version=row.codebook_version,
        codebook_sha256=row.codebook_sha256,
        platform=row.platform,
        file_sha256=row.file_sha256,
        n_respondents=row.n_respondents,
        counts=dict(row.counts or {}),
        imported_at=_aware(row.imported_at),  # type: ignore[arg-type]
        imported_by=row.imported_by,
    )


def _wave_order(record: WaveRecord) -> tuple[bool, dt.date, dt.datetime]:
    return (record.date is None, record.date or dt.date.min, record.imported_at)


def _wave_summary(record: WaveRecord) -> dict[str, Any]:
    return {
        "label": record.label,
        "date": record.date.isoformat() if record.date else None,
        "platform": record.platform,
        "codebook": f"{record.codebook_id} {record.codebook_version}",
        "file_sha256": record.file_sha256,
        "n_respondents": record.n_respondents,
        "counts": dict(record.counts),
        "imported_at": record.imported_at.isoformat(),
        "imported_by": record.imported_by,
    }


def _mapping_profile(row: sa.Row) -> MappingProfile:
    return MappingProfile(row.name, row.platform, row.mapping, _aware(row.updated_at), row.updated_by)


def _stored_table(frame: pd.DataFrame, codebook: Codebook, secret: bytes) -> pa.Table:
    """The columns the store keeps: respondent key, codebook attributes (text), codebook items (float32)."""
    columns: dict[str, pa.Array] = {
        RESPONDENT_KEY: pa.array(respondent_keys(frame[RESPONDENT_ID], secret), type=pa.string()),
    }
    for attribute_id in codebook.attribute_ids:
        if attribute_id in frame.columns:
            text = frame[attribute_id].astype("str")
            columns[attribute_id] = pa.array(text, type=pa.string(), from_pandas=True)
    for item_id in codebook.item_ids:
        if item_id in frame.columns:
            values = frame[item_id].to_numpy(dtype=np.float32, na_value=np.nan)
            columns[item_id] = pa.array(values, type=pa.float32())
    return pa.table(columns)


def _parquet_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, compression=PARQUET_COMPRESSION)
    return sink.getvalue()


def _column_order(present: Sequence[str], latest: Codebook, books: Iterable[Codebook]) -> list[str]:
    """Respondent key, then attributes, then items: in the latest codebook's order, others after."""
    attributes: dict[str, None] = dict.fromkeys(latest.attribute_ids)
    items: dict[str, None] = dict.fromkeys(latest.item_ids)
    for book in books:
        attributes.update(dict.fromkeys(book.attribute_ids))
        items.update(dict.fromkeys(book.item_ids))
    available = set(present)
    return [RESPONDENT_KEY] + [c for c in (*attributes, *items) if c in available and c != RESPONDENT_KEY]

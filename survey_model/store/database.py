"""The :class:`Store`: one database (SQLite file or server) holding every organization's waves."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from survey_model.access import EVERY, STAFF, Grant, leaves_no_staff, make_grant, normalise_email
from survey_model.codebook import Codebook, codebook_from_dict
from survey_model.organizations import ORG_ID_PATTERN
from survey_model.plurals import counted
from survey_model.responses import RESPONDENT_ID, RESPONDENT_KEY, WAVE, check_responses
from survey_model.settings import Settings
from survey_model.store.labels import listing, matching_labels
from survey_model.store.records import (
    MappingProfile,
    Organization,
    SaveResult,
    School,
    StoreError,
    WaveRecord,
)
from survey_model.store.schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    access_grants_table,
    as_utc,
    audit_log_table,
    codebooks_table,
    mapping_profiles_table,
    network_members_table,
    organizations_table,
    responses_table,
    rosters_table,
    schema_version_table,
    schools_table,
    store_info_table,
    utcnow,
    waves_table,
)
from survey_model.store.serialisation import (
    CHUNK_ROWS,
    canonical_json,
    codebook_to_dict,
    column_order,
    parquet_bytes,
    stored_table,
)

__all__ = ["Store"]

_PG_LOCK_KEY = 0x5C1D_57_0E  # any constant: serialises schema upgrades and wave writes across app instances
_SECRET_CHECK_MESSAGE = b"survey_model respondent-key secret check"


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
                    conn.execute(schema_version_table.insert().values(version=index + 1, applied_at=utcnow()))
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
            conn.execute(organizations_table.insert().values(id=org_id, name=name or org_id, created_at=utcnow()))
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
        new = {
            school.name.strip(): (school.group.strip(), school.level.strip(), _attributes_json(school.attributes))
            for school in schools
        }
        if "" in new:
            raise ValueError("a school needs a name")
        with self._write() as conn:
            self._require_org(conn, org_id)
            old = {
                row.name: [
                    row.school_group,
                    row.level,
                    *([json.loads(row.attributes)] if row.attributes != "{}" else []),
                ]
                for row in conn.execute(
                    sa.select(
                        schools_table.c.name,
                        schools_table.c.school_group,
                        schools_table.c.level,
                        schools_table.c.attributes,
                    ).where(schools_table.c.org_id == org_id)
                )
            }
            conn.execute(schools_table.delete().where(schools_table.c.org_id == org_id))
            if new:
                conn.execute(
                    schools_table.insert(),
                    [
                        {"org_id": org_id, "name": n, "school_group": g, "level": lv, "attributes": a}
                        for n, (g, lv, a) in new.items()
                    ],
                )
            new = {name: [g, lv, *([json.loads(a)] if a != "{}" else [])] for name, (g, lv, a) in new.items()}
            self._audit(conn, "set_schools", user=user, org_id=org_id, details={"before": old, "after": new})

    @_translating_errors
    def schools(self, org_id: str) -> list[School]:
        """The organization's schools, by name."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(
                    schools_table.c.name,
                    schools_table.c.school_group,
                    schools_table.c.level,
                    schools_table.c.attributes,
                )
                .where(schools_table.c.org_id == org_id)
                .order_by(schools_table.c.name)
            )
            return [
                School(row.name, row.school_group, row.level, tuple(sorted(json.loads(row.attributes or "{}").items())))
                for row in rows
            ]

    def school_names(self, org_id: str) -> list[str]:
        """The schools the organization's stored waves name, sorted; none for an organization without waves."""
        if not self.waves(org_id):
            return []
        frame = self.load_responses(org_id)
        if "school" not in frame.columns:
            return []
        return sorted({str(value) for value in frame["school"].dropna().unique()} - {""})

    def school_groups(self, org_id: str) -> dict[str, str]:
        """School name → its comparison group (``"cohort"``, ``"comparison"`` or ``""``), as the shifts views take."""
        return {school.name: school.group for school in self.schools(org_id)}

    # -- networks --------------------------------------------------------------------------------------------

    @_translating_errors
    def set_network(self, org_id: str, network: str, *, user: str) -> None:
        """Put the organization in the network named ``network`` (``""`` takes it out); recorded in the audit log."""
        _check_user(user)
        network = network.strip()
        if len(network) > 200:
            raise ValueError("a network name needs at most 200 characters")
        with self._write() as conn:
            self._require_org(conn, org_id)
            where = network_members_table.c.org_id == org_id
            before = conn.execute(sa.select(network_members_table.c.network).where(where)).scalar() or ""
            if before == network:
                return
            conn.execute(network_members_table.delete().where(where))
            if network:
                conn.execute(network_members_table.insert().values(org_id=org_id, network=network))
            self._audit(conn, "set_network", user=user, org_id=org_id, details={"from": before, "to": network})

    @_translating_errors
    def network_of(self, org_id: str) -> str:
        """The name of the organization's network, ``""`` when it belongs to none."""
        with self._read() as conn:
            found = conn.execute(
                sa.select(network_members_table.c.network).where(network_members_table.c.org_id == org_id)
            ).scalar()
        return found or ""

    @_translating_errors
    def network_members(self, network: str) -> list[str]:
        """The ids of the organizations in ``network``, sorted."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(network_members_table.c.org_id)
                .where(network_members_table.c.network == network)
                .order_by(network_members_table.c.org_id)
            )
            return [row.org_id for row in rows]

    # -- rosters ---------------------------------------------------------------------------------------------

    @_translating_errors
    def set_roster(self, org_id: str, wave: str, staff: Mapping[str, int], *, user: str) -> None:
        """Replace one wave's roster (educators per school); recorded in the audit log.

        The store checks only what it must to stay consistent (the wave exists, counts are whole numbers ≥ 0);
        :func:`survey_model.roster.check_roster` checks a roster against the school list and the answers first.
        Raises :class:`StoreError` for a missing wave and ``ValueError`` for a bad count.
        """
        _check_user(user)
        counts = {str(school).strip(): value for school, value in staff.items()}
        for school, value in counts.items():
            if not school:
                raise ValueError("a roster line needs a school name")
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
                raise ValueError(f"the roster count of {school!r} must be a whole number 0 or more, got {value!r}")
        with self._write() as conn:
            self._require_org(conn, org_id)
            record = self._wave_by_label(conn, org_id, wave.strip())
            if record is None:
                raise self._no_such_wave(org_id, wave)
            where = (rosters_table.c.org_id == org_id) & (rosters_table.c.wave == record.label)
            old = {row.school: row.staff for row in conn.execute(sa.select(rosters_table).where(where))}
            conn.execute(rosters_table.delete().where(where))
            if counts:
                conn.execute(
                    rosters_table.insert(),
                    [{"org_id": org_id, "wave": record.label, "school": k, "staff": int(v)} for k, v in counts.items()],
                )
            after = {k: int(v) for k, v in counts.items()}
            self._audit(
                conn, "set_roster", user=user, org_id=org_id, wave=record.label, details={"before": old, "after": after}
            )

    @_translating_errors
    def roster(self, org_id: str, wave: str) -> dict[str, int]:
        """One wave's roster: school name → educators; empty when none was given."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(rosters_table.c.school, rosters_table.c.staff)
                .where(rosters_table.c.org_id == org_id, rosters_table.c.wave == wave)
                .order_by(rosters_table.c.school)
            )
            return {row.school: int(row.staff) for row in rows}

    @_translating_errors
    def rosters(self, org_id: str) -> dict[str, dict[str, int]]:
        """Every roster of the organization: wave label → school name → educators."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(rosters_table)
                .where(rosters_table.c.org_id == org_id)
                .order_by(rosters_table.c.wave, rosters_table.c.school)
            )
            found: dict[str, dict[str, int]] = {}
            for row in rows:
                found.setdefault(row.wave, {})[row.school] = int(row.staff)
            return found

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
            Organization (created when new) and the wave's label, unique within the organization ignoring case and
            surrounding whitespace (:func:`~survey_model.store.labels.matching_labels`): ``"2026 spring "`` is the
            stored ``"2026 Spring"``, not a new wave. Surrounding whitespace is stripped before storing.
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
            Replace the organization's wave with the same label (the audit log keeps what was replaced). The wave
            keeps its stored label even when ``label`` differs from it in case (the audit log then keeps the label
            as given under ``details["label_as_given"]``), so the filters and shared links that name it still work.
        counts : mapping, optional
            Import counts to keep with the wave (e.g. ``report.counts``).
        on_progress : callable, optional
            Called as ``on_progress(rows_written, total_rows)`` at the start and after each chunk of
            :data:`CHUNK_ROWS` rows, inside the transaction.

        Returns
        -------
        SaveResult
            ``status`` ``"saved"`` or ``"replaced"`` when written; ``"duplicate"`` (the file is already stored, in
            ``result.wave``) or ``"exists"`` (the label, or one differing from it only in case, is taken and
            ``replace`` is False, or several stored waves differ from it only in case, so it names none of them;
            the first of them is ``result.wave``) when nothing changed.

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
        stored = stored_table(frame, codebook, self._load_secret())
        counts_data = {str(k): int(v) for k, v in (counts or {}).items()}
        content = canonical_json(codebook_to_dict(codebook))
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
            # The write lock makes this check and the insert below one step: no other writer can add a case twin
            # in between. (The table's unique constraint stays exact: older databases may hold case twins.)
            twins = self._waves_matching(conn, org_id, label)
            existing = twins[0] if len(twins) == 1 else None
            if len(twins) > 1:
                return SaveResult(
                    "exists",
                    twins[0],
                    f"Organization {org_id!r} already has {len(twins)} waves whose labels differ from {label!r} only "
                    f"in case: {listing(t.label for t in twins)}. Nothing was saved; give the label of one of them "
                    "exactly to replace it, or choose another label.",
                )
            as_given = label
            if existing is not None and not replace:
                same = "" if existing.label == label else f" ({label!r} differs from its label only in case or spaces)"
                return SaveResult(
                    "exists",
                    existing,
                    f"Organization {org_id!r} already has {existing.describe()}{same}. Nothing was saved; choose "
                    "another label, or replace that wave.",
                )
            self._ensure_organization(conn, org_id, "", user)
            if existing is not None:
                label = existing.label  # a replaced wave keeps its stored label: filters and shared links use it
                self._delete_wave_rows(conn, org_id, label)
            self._ensure_codebook(conn, codebook, book_sha, content)
            now = utcnow()
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
                        wave_id=wave_id, chunk=chunk, n_rows=part.num_rows, data=parquet_bytes(part)
                    )
                )
                if on_progress is not None:
                    on_progress(start + part.num_rows, total)
            record = WaveRecord(
                org_id, label, date, codebook.id, codebook.version, book_sha, platform, file_sha256, total,
                counts_data, as_utc(now), user,
            )  # fmt: skip
            details: dict[str, Any] = {
                "date": date.isoformat() if date else None,
                "platform": platform,
                "codebook": f"{codebook.id} {codebook.version}",
                "n_respondents": total,
            }
            if existing is not None:
                details["replaced"] = _wave_summary(existing)
            if as_given != label:
                details["label_as_given"] = as_given
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
                f"Replaced {existing.describe()} with {counted(total, 'respondent')} from the new file.",
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
        attribute columns (text as categoricals, missing as NA; see :func:`survey_model.responses.compact`) and
        the item columns (``float32``; see :mod:`survey_model.responses`), attributes and items in the order of the
        latest wave's codebook. A column one wave lacks is NA in that wave's rows. Never holds a respondent ID.
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
            # Attributes read as dictionaries: a few hundred school names over 500,000 rows stay codes all the way to
            # pandas categoricals, on which every filter, group-by and privacy count works.
            attributes = sorted({a for book in books.values() for a in book.attribute_ids})
            tables = [pq.read_table(pa.BufferReader(row.data), read_dictionary=attributes) for row in rows]
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
        combined = combined.select(column_order(combined.column_names, latest, books.values()))
        frame = combined.to_pandas()
        for attribute_id in (a for a in attributes if a in frame.columns):
            column = frame[attribute_id]
            if not isinstance(column.dtype, pd.CategoricalDtype):  # e.g. a column of blanks only, read as nulls
                column = column.astype("str").astype("category")
            if "" in column.cat.categories:
                column = column.cat.remove_categories([""])  # a blank answer is no answer
            frame[attribute_id] = column
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
    def save_codebook(self, codebook: Codebook, *, user: str) -> Codebook:
        """Keep a partner's codebook (e.g. read from a spreadsheet) so uploads can use it; recorded in the audit log.

        Storing the same content twice changes nothing. A different content under an id and version already
        stored gets the next free version (``"1"`` → ``"2"``), so a wave's codebook version always means one
        content.
        """
        _check_user(user)
        with self._write() as conn:
            taken = {
                row.version: row.sha256
                for row in conn.execute(
                    sa.select(codebooks_table.c.version, codebooks_table.c.sha256).where(
                        codebooks_table.c.codebook_id == codebook.id
                    )
                )
            }
            content = canonical_json(codebook_to_dict(codebook))
            sha = hashlib.sha256(content.encode()).hexdigest()
            if sha in taken.values():
                return codebook
            if codebook.version in taken:
                numbers = [int(v) for v in taken if v.isdigit()]
                codebook = dataclasses.replace(codebook, version=str(max(numbers, default=0) + 1))
                content = canonical_json(codebook_to_dict(codebook))
                sha = hashlib.sha256(content.encode()).hexdigest()
            self._ensure_codebook(conn, codebook, sha, content)
            self._audit(
                conn, "save_codebook", user=user, details={"codebook": codebook.id, "version": codebook.version}
            )
        return codebook

    @_translating_errors
    def codebooks(self) -> list[Codebook]:
        """Every stored codebook version (those uploaded and those waves were imported with), by id and version."""
        with self._read() as conn:
            rows = conn.execute(sa.select(codebooks_table.c.sha256).order_by(codebooks_table.c.created_at)).all()
            return [self._codebook(conn, row.sha256) for row in rows]

    @_translating_errors
    def codebook(self, codebook_id: str, version: str) -> Codebook:
        """One stored codebook version."""
        with self._read() as conn:
            sha = conn.execute(
                sa.select(codebooks_table.c.sha256).where(
                    codebooks_table.c.codebook_id == codebook_id, codebooks_table.c.version == version
                )
            ).scalar()
            if sha is None:
                raise StoreError(
                    f"No codebook {codebook_id!r} version {version!r} is stored.",
                    action="Upload it on the Manage data page.",
                )
            return self._codebook(conn, sha)

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
            conn.execute(  # a roster belongs to its wave: a new wave with the same label needs its own
                rosters_table.delete().where(rosters_table.c.org_id == org_id, rosters_table.c.wave == record.label)
            )
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
        data = json.loads(canonical_json(mapping))  # proves it is JSON-able before touching the database
        now = utcnow()
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
        return MappingProfile(name, platform, data, as_utc(now), user)

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

    # -- access grants ---------------------------------------------------------------------------------------

    @_translating_errors
    def grants(self, *, email: str | None = None) -> list[Grant]:
        """Every access grant (:mod:`survey_model.access`), by subject then organization; with ``email``, only
        those that can match it (its own and its domain's: one indexed look-up, made on every click of the app)."""
        with self._read() as conn:
            return self._grants(conn, email)

    @staticmethod
    def _grants(conn: sa.Connection, email: str | None = None) -> list[Grant]:
        table = access_grants_table
        query = sa.select(table).order_by(table.c.subject, table.c.org_id)
        if email is not None:
            address = normalise_email(email)
            query = query.where(table.c.subject.in_([address, "@" + address.rpartition("@")[2]]))
        rows = conn.execute(query)
        return [Grant(row.subject, row.role, row.org_id, row.granted_by, as_utc(row.granted_at)) for row in rows]

    @_translating_errors
    def grant(self, *, email: str | None = None, domain: str | None = None, role: str, org: str, user: str) -> Grant:
        """Give ``role`` on ``org`` (an id, or ``"*"`` for every organization) to an e-mail address or a domain.

        A grant for the same address (or domain) and organization is replaced. Recorded in the audit log with
        ``user``. Raises :class:`survey_model.access.GrantError` (a ``ValueError``) listing every problem with
        the input (bad address, unknown organization or role), and :class:`StoreError` when the change would
        leave no staff grant at all; nothing changes in either case.
        """
        _check_user(user)
        with self._write() as conn:
            known = [row.id for row in conn.execute(sa.select(organizations_table.c.id))]
            wanted = make_grant(email=email, domain=domain, role=role, org=org, organizations=known)
            current = self._grants(conn)
            before = next((g for g in current if (g.subject, g.org) == (wanted.subject, wanted.org)), None)
            if before is not None and before.role == wanted.role:
                return before
            if before is not None and leaves_no_staff(current, without=before, replaced_by=wanted):
                raise self._last_staff(before)
            now = utcnow()
            table = access_grants_table
            if before is None:
                conn.execute(
                    table.insert().values(
                        subject=wanted.subject, role=wanted.role, org_id=wanted.org, granted_at=now, granted_by=user
                    )
                )
            else:
                conn.execute(
                    table.update()
                    .where(table.c.subject == wanted.subject, table.c.org_id == wanted.org)
                    .values(role=wanted.role, granted_at=now, granted_by=user)
                )
            details = {"subject": wanted.subject, "role": wanted.role, "organization": wanted.org}
            if before is not None:
                details["before"] = before.role
            # Not filed under the organization (org_id stays empty): a grant must not change the data version the
            # app's caches of that organization's results are keyed on.
            self._audit(conn, "grant_access", user=user, details=details)
        return Grant(wanted.subject, wanted.role, wanted.org, user, as_utc(now))

    @_translating_errors
    def revoke(self, *, email: str | None = None, domain: str | None = None, org: str, user: str) -> Grant:
        """Remove the grant of an address (or domain) on ``org`` (or ``"*"``); recorded in the audit log.

        Raises :class:`StoreError` when there is no such grant, or when it is the last staff grant (nobody
        could grant access any more); nothing changes then.
        """
        _check_user(user)
        subject = normalise_email(email) if email else "@" + normalise_email(domain or "").removeprefix("@")
        with self._write() as conn:
            current = self._grants(conn)
            wanted = org.strip()
            found = next(
                (g for g in current if g.subject == subject and (g.org == wanted or g.org.lower() == wanted.lower())),
                None,
            )
            if found is None:
                held = [g.org for g in current if g.subject == subject]
                raise StoreError(
                    f"{subject} holds no grant on {'every organization' if wanted == EVERY else repr(wanted)}"
                    + (f" (it holds: {', '.join(held)})." if held else " (it holds none)."),
                    action="Check the address or domain and the organization: `access list` shows every grant.",
                )
            if leaves_no_staff(current, without=found):
                raise self._last_staff(found)
            table = access_grants_table
            conn.execute(table.delete().where(table.c.subject == found.subject, table.c.org_id == found.org))
            details = {"subject": found.subject, "role": found.role, "organization": found.org}
            self._audit(conn, "revoke_access", user=user, details=details)
        return found

    @_translating_errors
    def record_download(self, org_id: str, what: str, *, user: str) -> None:
        """Write to the audit log that ``user`` downloaded ``what`` (a deck, a workbook, a chart, the cleaned data)
        of the organization.

        Filed without the organization's id (which goes into the details): a download changes no data, so it
        must not change the data version the app's caches are keyed on.
        """
        _check_user(user)
        with self._write() as conn:
            self._audit(conn, "download", user=user, details={"organization": org_id, "file": what})

    @staticmethod
    def _last_staff(grant: Grant) -> StoreError:
        return StoreError(
            f"Refused: {grant.describe()} is the last {STAFF} grant; without it nobody could grant access any more.",
            action="Grant staff to someone else first, then change or remove this one.",
        )

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
                at=utcnow(),
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
    def _waves_matching(conn: sa.Connection, org_id: str, label: str) -> list[WaveRecord]:
        """The organization's waves that ``label`` names by :func:`~survey_model.store.labels.matching_labels`."""
        records = {
            row.label: _wave_record(row)
            for row in conn.execute(
                sa.select(waves_table).where(waves_table.c.org_id == org_id).order_by(waves_table.c.id)
            )
        }
        return [records[name] for name in matching_labels(label, records)]

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
    def _ensure_codebook(conn: sa.Connection, codebook: Codebook, sha: str, content: str) -> bool:
        """Insert a codebook's content unless that exact content is stored; True when it was new."""
        if conn.execute(sa.select(codebooks_table.c.sha256).where(codebooks_table.c.sha256 == sha)).first():
            return False
        conn.execute(
            codebooks_table.insert().values(
                sha256=sha, codebook_id=codebook.id, version=codebook.version, content=content, created_at=utcnow()
            )
        )
        return True

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


def _attributes_json(attributes: Iterable[tuple[str, str]]) -> str:
    """A school's further attributes as stored: a JSON object of non-empty text values, keys sorted."""
    cleaned = {str(name).strip(): str(value).strip() for name, value in attributes}
    if "" in cleaned:
        raise ValueError("a school attribute needs a name")
    return json.dumps({k: v for k, v in sorted(cleaned.items()) if v}, ensure_ascii=False)


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
        imported_at=as_utc(row.imported_at),  # type: ignore[arg-type]
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
    return MappingProfile(row.name, row.platform, row.mapping, as_utc(row.updated_at), row.updated_by)

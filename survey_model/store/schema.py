"""The store's tables and the ordered migrations that create and upgrade them."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

import sqlalchemy as sa

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "access_grants_table",
    "as_utc",
    "audit_log_table",
    "codebooks_table",
    "mapping_profiles_table",
    "metadata",
    "network_members_table",
    "organizations_table",
    "responses_table",
    "rosters_table",
    "schema_version_table",
    "schools_table",
    "store_info_table",
    "utcnow",
    "waves_table",
]


def utcnow() -> dt.datetime:
    """Now in UTC, to the second, without a time zone: SQLite stores none, so every stored time is UTC."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """A stored (naive UTC) time as an aware datetime."""
    return None if value is None else value.replace(tzinfo=dt.UTC)


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
    sa.Column("level", sa.Text, nullable=False, default="", server_default=""),
    sa.Column("attributes", sa.Text, nullable=False, default="{}", server_default="{}"),
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
rosters_table = sa.Table(
    "rosters",
    metadata,
    sa.Column("org_id", sa.String(64), sa.ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("wave", sa.Text, primary_key=True),
    sa.Column("school", sa.Text, primary_key=True),
    sa.Column("staff", sa.Integer, nullable=False),
)
"""Educators per school per wave (the roster), for response rates; the wave is its label within the organization."""
network_members_table = sa.Table(
    "network_members",
    metadata,
    sa.Column("org_id", sa.String(64), sa.ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("network", sa.Text, nullable=False),
)
"""The network (by name) each organization belongs to, if any: partners see the pooled network beside them."""

access_grants_table = sa.Table(
    "access_grants",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # A lower-case e-mail address, or a domain with a leading "@" (survey_model.access.Grant.subject).
    sa.Column("subject", sa.String(320), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    # An organization id, or "*" for every organization (no foreign key: "*" is none).
    sa.Column("org_id", sa.String(64), nullable=False),
    sa.Column("granted_at", sa.DateTime, nullable=False),
    sa.Column("granted_by", sa.Text, nullable=False),
    sa.UniqueConstraint("subject", "org_id"),
)


_schools_v1 = sa.Table(
    "schools",
    sa.MetaData(),
    sa.Column("org_id", sa.String(64), sa.ForeignKey(organizations_table.c.id, ondelete="CASCADE"), primary_key=True),
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("school_group", sa.Text, nullable=False, default=""),
)


def _migration_1_initial(conn: sa.Connection) -> None:
    """Organizations, schools, codebooks, waves, responses, the audit log and store facts."""
    # These Table objects are the current definitions. When a later migration alters one of them, copy the
    # version-1 definition in here first, so an empty database still passes through every historical shape.
    for table in (
        store_info_table,
        organizations_table,
        _schools_v1,
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


def _migration_3_school_levels(conn: sa.Connection) -> None:
    """Each school's level, from the school list: the release decision never takes it from respondents' answers."""
    conn.exec_driver_sql("ALTER TABLE schools ADD COLUMN level TEXT NOT NULL DEFAULT ''")


def _migration_4_access_grants(conn: sa.Connection) -> None:
    """Who may see which organization: roles granted to e-mail addresses and domains (survey_model.access)."""
    access_grants_table.create(conn)


def _migration_5_rosters_and_networks(conn: sa.Connection) -> None:
    """Each wave's roster (educators per school, for response rates), each organization's network, and further
    school attributes (Title I, locale, ...) for equity breakdowns.
    """
    rosters_table.create(conn)
    network_members_table.create(conn)
    # Further school attributes (Title I, locale, ...) as a JSON object of text values.
    conn.exec_driver_sql("ALTER TABLE schools ADD COLUMN attributes TEXT NOT NULL DEFAULT '{}'")


MIGRATIONS: tuple[Callable[[sa.Connection], None], ...] = (
    _migration_1_initial,
    _migration_2_mapping_profiles,
    _migration_3_school_levels,
    _migration_4_access_grants,
    _migration_5_rosters_and_networks,
)
"""Migration ``i`` (0-based) brings a database from schema version ``i`` to ``i + 1``. Append only."""

SCHEMA_VERSION = len(MIGRATIONS)

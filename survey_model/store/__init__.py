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
``schools``        per organization: school ``name``, ``school_group`` (e.g. ``cohort`` or ``comparison``),
                   ``level`` and further ``attributes`` (JSON text: Title I, locale, ...)
``codebooks``      the full content (JSON) of every codebook version a wave was imported with, keyed by the
                   SHA-256 of that content, so a wave stays scorable with its own version
``waves``          organization, label, date, codebook id/version/hash, source platform, file SHA-256 (unique:
                   one file is stored once), respondent count, import counts, who imported it and when
``responses``      the wave's responses frame in chunks of :data:`CHUNK_ROWS` rows, each a Parquet blob
``mapping_profiles`` saved column mappings: ``name``, ``platform``, the mapping as JSON
``rosters``        per organization, wave label and school: ``staff``, the educators on the roster (for response
                   rates, :mod:`survey_model.roster`)
``network_members`` per organization: the ``network`` (a name) it belongs to, for the network figures
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
* An organization never gets two waves whose labels differ only in case or surrounding whitespace
  (:mod:`survey_model.store.labels`): saving ``"2026 spring"`` beside the stored ``"2026 Spring"`` returns status
  ``"exists"``, and replacing it keeps the stored label. Databases from before this rule may hold such case twins;
  they load, and each is still named (deleted, replaced) exactly by its own label.
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

from survey_model.store.database import Store
from survey_model.store.records import MappingProfile, Organization, SaveResult, School, StoreError, WaveRecord
from survey_model.store.schema import MIGRATIONS, SCHEMA_VERSION
from survey_model.store.serialisation import CHUNK_ROWS, codebook_sha256, codebook_to_dict, respondent_keys

__all__ = [
    "CHUNK_ROWS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "MappingProfile",
    "Organization",
    "SaveResult",
    "School",
    "Store",
    "StoreError",
    "WaveRecord",
    "codebook_sha256",
    "codebook_to_dict",
    "respondent_keys",
]

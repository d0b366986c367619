"""One place for every threshold, path and secret the dashboard uses.

Defaults are the project's documented conventions (see ``docs/rules.md``). Each can be overridden by an
environment variable, read once by :func:`load_settings`:

===========================  ==========================================================  ============
variable                     meaning                                                     default
===========================  ==========================================================  ============
``CLD_DATABASE_URL``         SQLAlchemy URL of the store, or a path to a SQLite file     ``instance/survey.db``
``CLD_DATA_DIR``             folder for the embedded database and the hashing secret     ``instance/`` beside ``app.py``
``CLD_MIN_N``                smallest group whose aggregates are shown (at least 3)      ``5``
``CLD_MIN_N_SENSITIVE``      smallest group for breakdowns by a sensitive attribute      ``10``
``CLD_STAGE_BANDS``          lower edges of Developing, Established, Sustaining (in %)   ``50,70,85``
``CLD_LOW_RESPONSE_RATE``    response rate (in %) under which a figure says "read with   ``50``
                             care"
===========================  ==========================================================  ============
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["DEFAULT_STAGE_BANDS", "PROJECT_ROOT", "Settings", "StageBand", "database_url_from", "load_settings"]

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class StageBand:
    """A named band of percent favorable, e.g. *Established* from 70 up to 85."""

    name: str
    """Label shown next to the number."""
    lower: float
    """Inclusive lower edge, in percent (0–100)."""


DEFAULT_STAGE_BANDS: tuple[StageBand, ...] = (
    StageBand("Emerging", 0.0),
    StageBand("Developing", 50.0),
    StageBand("Established", 70.0),
    StageBand("Sustaining", 85.0),
)


@dataclass(frozen=True)
class Settings:
    """Thresholds, paths and secrets, declared once with documented defaults."""

    min_n: int = 5
    """Smallest number of respondents behind any aggregate that may be shown."""
    min_n_sensitive: int = 10
    """Smallest group for breakdowns by a sensitive attribute (demographics) and open-text comments."""
    stage_bands: tuple[StageBand, ...] = DEFAULT_STAGE_BANDS
    """Project-default stage bands on percent favorable, lowest first. Not a published rubric."""
    low_response_rate: float = 0.5
    """Share of a school's or organization's educators (in (0, 1]) under which its figures are flagged "read with
    care" (the UChicago 5Essentials reports use one half)."""
    data_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "instance")
    """Folder holding the embedded SQLite database and the respondent-hashing secret."""
    database_url: str = ""
    """SQLAlchemy URL; empty means ``sqlite:///<data_dir>/survey.db``."""

    def __post_init__(self) -> None:
        if self.min_n < 3:
            raise ValueError(f"min_n must be at least 3 to protect confidentiality, got {self.min_n}")
        if self.min_n_sensitive < self.min_n:
            raise ValueError("min_n_sensitive cannot be lower than min_n")
        if not 0 < self.low_response_rate <= 1:
            raise ValueError(f"low_response_rate must be a share in (0, 1], got {self.low_response_rate}")
        lowers = [band.lower for band in self.stage_bands]
        if not lowers or lowers[0] != 0 or lowers != sorted(lowers) or len(set(lowers)) != len(lowers):
            raise ValueError("stage_bands must start at 0 and rise strictly, e.g. 0, 50, 70, 85")

    @property
    def db_url(self) -> str:
        """The database URL actually used."""
        if self.database_url:
            return database_url_from(self.database_url)
        return f"sqlite:///{self.data_dir / 'survey.db'}"

    @property
    def secret_path(self) -> Path:
        """File holding the key for respondent-ID hashing; never stored in the database."""
        return self.data_dir / "respondent_key.secret"


def database_url_from(value: str) -> str:
    """Turn a plain file path into a SQLite URL; pass SQLAlchemy URLs through unchanged."""
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build :class:`Settings` from environment variables (see the module docstring).

    Raises ``ValueError`` with the variable's name when a value cannot be used.
    """
    env = os.environ if environ is None else environ
    kwargs: dict[str, object] = {}
    if env.get("CLD_DATA_DIR"):
        kwargs["data_dir"] = Path(env["CLD_DATA_DIR"]).expanduser()
    if env.get("CLD_DATABASE_URL"):
        kwargs["database_url"] = env["CLD_DATABASE_URL"]
    for name, key in (("CLD_MIN_N", "min_n"), ("CLD_MIN_N_SENSITIVE", "min_n_sensitive")):
        if env.get(name):
            try:
                kwargs[key] = int(env[name])
            except ValueError:
                raise ValueError(f"{name} must be a whole number, got {env[name]!r}") from None
    if env.get("CLD_STAGE_BANDS"):
        try:
            edges = [float(part) for part in env["CLD_STAGE_BANDS"].split(",")]
        except ValueError:
            raise ValueError(
                f"CLD_STAGE_BANDS must be three numbers like 50,70,85, got {env['CLD_STAGE_BANDS']!r}"
            ) from None
        if len(edges) != 3:
            raise ValueError("CLD_STAGE_BANDS needs exactly three edges, e.g. 50,70,85")
        names = [band.name for band in DEFAULT_STAGE_BANDS]
        kwargs["stage_bands"] = tuple(StageBand(n, e) for n, e in zip(names, [0.0, *edges], strict=True))
    if env.get("CLD_LOW_RESPONSE_RATE"):
        try:
            kwargs["low_response_rate"] = float(env["CLD_LOW_RESPONSE_RATE"]) / 100
        except ValueError:
            raise ValueError(
                f"CLD_LOW_RESPONSE_RATE must be a percent like 50, got {env['CLD_LOW_RESPONSE_RATE']!r}"
            ) from None
    if "min_n" in kwargs and "min_n_sensitive" not in kwargs:
        kwargs["min_n_sensitive"] = max(10, int(kwargs["min_n"]))  # type: ignore[arg-type]
    return Settings(**kwargs)  # type: ignore[arg-type]

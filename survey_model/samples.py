"""The demo exports in ``data_samples/``, loaded into a store through the same path a staff upload takes.

Each export is read by :func:`survey_model.importers.import_export` and saved by
:meth:`survey_model.store.Store.save_wave`, exactly as the upload page does; the school groups (cohort or
comparison) come from ``data_samples/schools.csv``, each wave's roster (educators per school, for response rates)
from ``data_samples/rosters.csv``. The list of files, their organizations, wave labels and dates
comes from the generator's manifest, ``data_samples/truth.json``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from survey_model.codebook import load_codebook
from survey_model.importers import import_export
from survey_model.plurals import counted
from survey_model.settings import PROJECT_ROOT
from survey_model.store import SaveResult, School, Store

__all__ = ["SAMPLES_DIR", "SampleFile", "load_samples", "sample_files"]

SAMPLES_DIR = PROJECT_ROOT / "data_samples"
_SCHOOL_COLUMNS = {"organization", "school", "school_level", "group"}
"""Columns of ``schools.csv`` that are not further school attributes (every other column is one, e.g. title_i)."""


@dataclass(frozen=True)
class SampleFile:
    """One demo export and where it belongs."""

    path: Path
    org_id: str
    org_name: str
    wave: str
    date: dt.date


def sample_files(folder: Path = SAMPLES_DIR) -> list[SampleFile]:
    """The demo exports listed in the generator's manifest, oldest wave first."""
    manifest = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    dates = {wave["label"]: dt.date.fromisoformat(wave["date"]) for wave in manifest["waves"]}
    names = {org["id"]: org["name"] for org in manifest["organizations"]}
    files = [
        SampleFile(
            folder / entry["path"],
            entry["organization"],
            names[entry["organization"]],
            entry["wave"],
            dates[entry["wave"]],
        )
        for entry in manifest["files"]
    ]
    return sorted(files, key=lambda sample: (sample.date, sample.org_id))


@dataclass(frozen=True)
class LoadStep:
    """Where loading the demo data has got to, for a progress bar: one report before and one after each file."""

    sample: SampleFile
    """The export being imported (or just stored)."""
    number: int
    """Its place in the list, from 1."""
    total: int
    """Demo exports to load."""
    respondents: int | None = None
    """Respondents stored from it; ``None`` while it is still being imported."""

    @property
    def fraction(self) -> float:
        """Share of the files done, in [0, 1] (a file counts once it is stored)."""
        return (self.number - (self.respondents is None)) / self.total

    @property
    def message(self) -> str:
        """The step in words, e.g. 'Demo data, file 2 of 6: harbor-point_2024-spring_google-forms.csv, 412
        respondents stored'."""
        head = f"Demo data, file {self.number} of {self.total}: {self.sample.path.name}"
        if self.respondents is None:
            return f"{head} ({self.sample.org_name}, {self.sample.wave}), importing…"
        return f"{head}, {counted(self.respondents, 'respondent')} stored"


LOADED_MESSAGE = (
    "The demo data are loaded: a fictional network of four organizations over three waves. To use your own "
    "results, upload a wave on the **Upload a wave** page and delete the demo waves on **Manage data**."
)
"""What to say once the demo data are in, and how to replace them."""


def load_samples(
    store: Store,
    *,
    user: str,
    folder: Path = SAMPLES_DIR,
    progress: Callable[[LoadStep], None] | None = None,
) -> list[SaveResult]:
    """Import every demo export into ``store`` and mark cohort and comparison schools.

    ``progress`` is called before each file is imported and again once it is stored (with its count of
    respondents), so a first start can say what it is doing. Raises ``ValueError`` when a demo export does not
    import cleanly: the shipped demo data must always work.
    """
    codebook = load_codebook()
    results = []
    samples = sample_files(folder)
    for number, sample in enumerate(samples, start=1):
        if progress is not None:
            progress(LoadStep(sample, number, len(samples)))
        data = sample.path.read_bytes()
        imported = import_export(data, sample.path.name, codebook)
        if not imported.report.ok:
            raise ValueError(f"demo export {sample.path.name} does not import cleanly:\n{imported.report.to_text()}")
        store.ensure_organization(sample.org_id, sample.org_name, user=user)
        saved = store.save_wave(
            sample.org_id,
            sample.wave,
            imported.frame,
            codebook=codebook,
            platform=imported.platform,
            file_sha256=hashlib.sha256(data).hexdigest(),
            user=user,
            date=sample.date,
            counts=imported.report.counts,
        )
        results.append(saved)
        if progress is not None:
            progress(LoadStep(sample, number, len(samples), respondents=saved.wave.n_respondents))
    with (folder / "schools.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for org_id in {row["organization"] for row in rows}:
        schools = [
            School(
                row["school"],
                row["group"],
                row.get("school_level", ""),
                tuple(sorted((k, v) for k, v in row.items() if k not in _SCHOOL_COLUMNS and v)),
            )
            for row in rows
            if row["organization"] == org_id
        ]
        store.set_schools(org_id, schools, user=user)
    rosters = folder / "rosters.csv"
    if rosters.exists():
        with rosters.open(encoding="utf-8", newline="") as handle:
            roster_rows = list(csv.DictReader(handle))
        for org_id, wave in dict.fromkeys((row["organization"], row["wave"]) for row in roster_rows):
            staff = {
                row["school"]: int(row["staff"])
                for row in roster_rows
                if (row["organization"], row["wave"]) == (org_id, wave)
            }
            store.set_roster(org_id, wave, staff, user=user)
    network = json.loads((folder / "truth.json").read_text(encoding="utf-8")).get("network")
    if network:
        for org_id in network["organizations"]:
            store.set_network(org_id, network["name"], user=user)
    return results

"""The first start says what it is doing: each demo export, before and after, with its count of respondents."""

from __future__ import annotations

from pathlib import Path

from survey_model.samples import LoadStep, load_samples
from survey_model.settings import Settings
from survey_model.store import Store

# From data_samples/truth.json: each file's respondents, less the partial responses that answered fewer than half
# of the 28 condition items (CV-32686 and HP-76609 answered 8 each), which the import leaves out.
STORED = [
    ("cedar-valley_2024-spring_google-forms.csv", 493),
    ("harbor-point_2024-spring_google-forms.csv", 412),
    ("cedar-valley_2025-spring_surveymonkey.xlsx", 495),
    ("harbor-point_2025-spring_surveymonkey.xlsx", 418),
    ("cedar-valley_2026-spring_qualtrics.csv", 487 - 1),
    ("harbor-point_2026-spring_qualtrics.csv", 381 - 1),
]


def test_first_start_reports_each_file_before_and_after_with_its_respondents(tmp_path: Path) -> None:
    """Twelve reports for six files: 'importing' then the respondents stored, and the bar reaches 1 at the end."""
    steps: list[LoadStep] = []
    store = Store.from_settings(Settings(data_dir=tmp_path))
    load_samples(store, user="test", progress=steps.append)
    store.close()
    assert [(step.sample.path.name, step.respondents) for step in steps[1::2]] == STORED
    assert all(step.respondents is None for step in steps[::2])
    assert [step.number for step in steps] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]
    assert [round(step.fraction, 3) for step in steps[:3]] == [0.0, round(1 / 6, 3), round(1 / 6, 3)]
    assert steps[-1].fraction == 1.0
    assert steps[1].message == (
        "Demo data, file 1 of 6: cedar-valley_2024-spring_google-forms.csv, 493 respondents stored"
    )
    assert steps[0].message.endswith("(Cedar Valley School District, 2024 Spring), importing…")

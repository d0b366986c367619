"""The first start says what it is doing: each demo export, before and after, with its count of respondents."""

from __future__ import annotations

from pathlib import Path

from survey_model.samples import LoadStep, load_samples
from survey_model.settings import Settings
from survey_model.store import Store

# From data_samples/truth.json: each file's respondents, less the partial responses that answered fewer than half
# of the 28 condition items (CV-32686, HP-76609, LU-65436 and PR-79663 answered 8 each), which the import leaves out.
STORED = [
    ("cedar-valley_2024-spring_google-forms.csv", 493),
    ("harbor-point_2024-spring_google-forms.csv", 412),
    ("lakeshore_2024-spring_google-forms.csv", 126),
    ("pine-ridge_2024-spring_google-forms.csv", 112),
    ("cedar-valley_2025-spring_surveymonkey.xlsx", 495),
    ("harbor-point_2025-spring_surveymonkey.xlsx", 418),
    ("lakeshore_2025-spring_surveymonkey.xlsx", 121),
    ("pine-ridge_2025-spring_surveymonkey.xlsx", 109),
    ("cedar-valley_2026-spring_qualtrics.csv", 487 - 1),
    ("harbor-point_2026-spring_qualtrics.csv", 381 - 1),
    ("lakeshore_2026-spring_qualtrics.csv", 109 - 1),
    ("pine-ridge_2026-spring_qualtrics.csv", 109 - 1),
]


def test_first_start_reports_each_file_before_and_after_with_its_respondents(tmp_path: Path) -> None:
    """Two reports for each of the twelve files: 'importing' then the respondents stored; the bar reaches 1."""
    steps: list[LoadStep] = []
    store = Store.from_settings(Settings(data_dir=tmp_path))
    load_samples(store, user="test", progress=steps.append)
    store.close()
    assert [(step.sample.path.name, step.respondents) for step in steps[1::2]] == STORED
    assert all(step.respondents is None for step in steps[::2])
    assert [step.number for step in steps] == [n for n in range(1, 13) for _ in range(2)]
    assert [round(step.fraction, 3) for step in steps[:3]] == [0.0, round(1 / 12, 3), round(1 / 12, 3)]
    assert steps[-1].fraction == 1.0
    assert steps[1].message == (
        "Demo data, file 1 of 12: cedar-valley_2024-spring_google-forms.csv, 493 respondents stored"
    )
    assert steps[0].message.endswith("(Cedar Valley School District, 2024 Spring), importing…")

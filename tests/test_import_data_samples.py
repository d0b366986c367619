"""The demo exports in data_samples/ import with zero errors and map every item and attribute automatically.

Expected counts come from ``data_samples/truth.json``, written by the demo generator when it wrote the files
(independently of the importer). The values are compared with the generator's own responses frame, built before
any export text existed.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from survey_model.codebook import load_codebook
from survey_model.importers import import_export

SAMPLES = Path(__file__).resolve().parents[1] / "data_samples"
TRUTH = SAMPLES / "truth.json"
FILES = json.loads(TRUTH.read_text(encoding="utf-8"))["files"] if TRUTH.exists() else []
CODEBOOK = load_codebook()

pytestmark = pytest.mark.skipif(not FILES, reason="data_samples/truth.json is not there yet")


@pytest.fixture(scope="module")
def imported() -> dict[str, object]:
    return {
        facts["path"]: import_export((SAMPLES / facts["path"]).read_bytes(), facts["path"], CODEBOOK) for facts in FILES
    }


def _dropped_partials(facts: dict) -> list[str]:
    """Staff IDs of the partial responses the half-of-the-items rule leaves out.

    truth.json gives the condition items answered (of 28); with the 5 leader-block items at most, a response with
    fewer than 33 / 2 − 5 = 11.5 condition answers cannot reach half of the 33 mapped items, and one with at least
    16.5 does. The demo's partials answer 8 and about 20 condition items, so the rule is decided by this count.
    """
    dropped = []
    for partial in facts["partial"]:
        answered = partial["condition_items_answered"]
        assert answered < 11.5 or answered >= 16.5, "the rule cannot be decided from truth.json"
        if answered < 11.5:
            dropped.append(partial["staff_id"])
    return dropped


@pytest.mark.parametrize("facts", FILES, ids=[facts["path"] for facts in FILES])
def test_demo_export_imports_without_errors_and_maps_everything(imported, facts: dict) -> None:
    """Each demo export: zero errors, every item and attribute mapped by id or text, no manual step."""
    result = imported[facts["path"]]
    assert result.report.errors == []
    assert set(result.mapping.items) == set(CODEBOOK.item_ids)
    assert set(result.mapping.attributes) == set(CODEBOOK.attribute_ids)
    assert {entry.method for entry in result.mapping.mapped} <= {"id", "text"}
    assert result.respondent_id_column in ("Staff ID", "StaffID")


@pytest.mark.parametrize("facts", FILES, ids=[facts["path"] for facts in FILES])
def test_demo_export_counts_match_the_truth_file(imported, facts: dict) -> None:
    """Rows read, previews left out and partials kept or left out match truth.json."""
    result = imported[facts["path"]]
    dropped = _dropped_partials(facts)
    assert result.rows_read == facts["data_rows"]
    assert result.excluded["preview"] == len(facts["preview"])
    assert result.excluded["partial"] == len(dropped)
    assert result.kept == facts["data_rows"] - len(facts["preview"]) - len(dropped)
    assert result.kept == facts["respondents"] - len(dropped)


def test_demo_exports_give_the_generators_responses(imported) -> None:
    """Every value of every kept response equals the demo generator's responses frame (made before the files)."""
    demo = pytest.importorskip("survey_model.demo")
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    network = demo.generate(seed=truth["seed"])
    responses = network.responses
    for facts in FILES:
        result = imported[facts["path"]]
        expected = responses[
            (responses["organization"] == facts["organization"]).to_numpy()
            & (responses["wave"] == facts["wave"]).to_numpy()
        ]
        expected = expected[~expected["respondent_id"].isin(_dropped_partials(facts))].reset_index(drop=True)
        frame = result.frame
        assert len(frame) == len(expected), facts["path"]
        assert frame["respondent_id"].tolist() == expected["respondent_id"].tolist()
        for item_id in CODEBOOK.item_ids:
            np.testing.assert_array_equal(
                frame[item_id].to_numpy(dtype=float), expected[item_id].to_numpy(dtype=float), err_msg=item_id
            )
        for attribute_id in CODEBOOK.attribute_ids:
            got = frame[attribute_id].astype(object).where(frame[attribute_id].notna(), None).tolist()
            want = expected[attribute_id].astype(object).where(expected[attribute_id].notna(), None).tolist()
            assert got == want, (facts["path"], attribute_id)

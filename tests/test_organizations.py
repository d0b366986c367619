"""Staff name a new organization, pick a codebook and a wave label; a file from another organization is flagged."""

from pathlib import Path

import pandas as pd
import pytest

from survey_model.cli import main
from survey_model.codebook import Codebook, load_codebook
from survey_model.organizations import ORG_ID_PATTERN, foreign_schools, organization_id
from survey_model.store import Store
from survey_model.store.codebooks import codebook_choices, codebook_from_key
from survey_model.store.labels import label_match

ROOT = Path(__file__).resolve().parents[1]
HARBOR = ROOT / "data_samples" / "harbor-point_2025-spring_surveymonkey.xlsx"
CEDAR = ROOT / "data_samples" / "cedar-valley_2024-spring_google-forms.csv"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Lakeside Schools", "lakeside-schools"),
        ("École Saint-Jean", "ecole-saint-jean"),
        ("  Größe Schule  ", "grosse-schule"),
        ("Ñandú District #7", "nandu-district-7"),
        ("A.B. Smith / K–8", "a-b-smith-k-8"),
    ],
)
def test_organization_id_keeps_accented_letters_as_their_base_letter(name, expected):
    """The id a name gets: accents folded to the base letter, everything else one hyphen."""
    assert organization_id(name) == expected
    assert ORG_ID_PATTERN.match(organization_id(name))


def test_a_seventy_character_name_gives_a_valid_id_of_at_most_64_characters():
    """A long name is cut to the store's 64 characters, never ending in a hyphen."""
    name = "The Consolidated Independent School District of Lakeside County Areas."
    assert len(name) == 70
    made = organization_id(name)
    assert made == "the-consolidated-independent-school-district-of-lakeside-county"  # 63: cut, trailing "-" dropped
    assert ORG_ID_PATTERN.match(made)
    assert len(organization_id("x" * 70)) == 64


@pytest.mark.parametrize("name", ["東京都立学校", "!!!", "—", "Ω", "école" * 20, "a" + "-" * 80 + "b"])
def test_every_name_gives_an_id_the_store_accepts(name):
    """Names with no ASCII letter still get a stable id that the store's pattern accepts."""
    made = organization_id(name)
    assert ORG_ID_PATTERN.match(made), made
    assert organization_id(name) == made


def test_a_blank_name_gives_no_id():
    with pytest.raises(ValueError, match="needs a name"):
        organization_id("   ")


def test_the_store_accepts_the_id_of_a_long_accented_name(tmp_path):
    """The store's own check agrees with the id rule (no ValueError from ensure_organization)."""
    name = "Académie régionale des écoles publiques du Grand Saint-Laurent-du-Nord"
    store = Store(str(tmp_path / "s.db"), secret_path=tmp_path / "secret")
    organization = store.ensure_organization(organization_id(name), name, user="test")
    assert organization.id.startswith("academie-regionale-des-ecoles")


def test_a_file_naming_none_of_the_organizations_schools_is_flagged():
    """Four schools, none known: a warning naming three of them and what to do."""
    frame = pd.DataFrame({"school": ["Bay", "Cove", "Dune", "Reef", "Bay", None, ""]})
    issue = foreign_schools(frame, ["Oak", "Pine"], org_name="Cedar Valley")
    assert issue is not None and issue.severity == "warning" and issue.code == "foreign_schools"
    assert issue.message == (
        "None of the 4 schools in this file (Bay, Cove, Dune and 1 more) is a school of Cedar Valley, whose stored "
        "waves name 2 others."
    )
    assert issue.action == "Check that this file belongs to Cedar Valley before storing it."


@pytest.mark.parametrize(
    ("schools", "known"),
    [(["Oak", "Bay"], ["Oak", "Pine"]), (["Bay"], []), ([None, ""], ["Oak"])],
    ids=["one school known", "new organization", "no school answers"],
)
def test_a_file_sharing_a_school_or_with_nothing_to_compare_is_not_flagged(schools, known):
    assert foreign_schools(pd.DataFrame({"school": schools}), known, org_name="X") is None


def test_a_file_without_a_school_column_is_not_flagged():
    assert foreign_schools(pd.DataFrame({"role": ["Teacher"]}), ["Oak"], org_name="X") is None


@pytest.mark.parametrize(
    ("typed", "stored", "label", "replaceable", "ambiguous"),
    [
        (" 2026 spring ", ["2025 Spring", "2026 Spring"], "2026 Spring", True, False),
        ("2027 Spring", ["2026 Spring"], "2027 Spring", False, False),
        ("2026 spring", ["2026 Spring", "2026 SPRING"], "2026 spring", False, True),
        ("2026 SPRING", ["2026 Spring", "2026 SPRING"], "2026 SPRING", True, False),
        ("   ", ["2026 Spring"], "", False, False),
    ],
)
def test_a_typed_wave_label_names_the_stored_wave_it_matches(typed, stored, label, replaceable, ambiguous):
    """Case and surrounding spaces do not count; an exact match wins; case twins make it ambiguous."""
    match = label_match(typed, stored)
    assert (match.label, match.replaceable, match.ambiguous) == (label, replaceable, ambiguous)


def test_every_codebook_choice_key_gives_back_its_codebook(tmp_path):
    """org:, stored: and shipped: keys turn back into the codebook they were offered for."""
    store = Store(str(tmp_path / "s.db"), secret_path=tmp_path / "secret")
    partner = Codebook(**{**load_codebook().__dict__, "id": "partner:one", "name": "Partner", "version": "3"})
    store.save_codebook(partner, user="test")
    store.ensure_organization("d7", "District 7", user="test")
    frame = pd.DataFrame({"respondent_id": [""], "school": ["Oak"], "VS1": [4.0]})
    store.save_wave("d7", "W1", frame, codebook=load_codebook(), platform="generic", file_sha256="a" * 64, user="t")
    choices = codebook_choices(store, "d7")
    assert list(choices)[:2] == ["org:d7", "stored:partner:one:3"]
    assert "shipped:collective-leadership" in choices and "shipped:school-improvement" in choices
    assert codebook_from_key(store, "org:d7").id == "collective-leadership"
    assert codebook_from_key(store, "stored:partner:one:3").name == "Partner"
    assert codebook_from_key(store, "shipped:school-improvement").id == "school-improvement"
    assert "org:d7" not in codebook_choices(store, None)
    with pytest.raises(ValueError, match="not a codebook key"):
        codebook_from_key(store, "collective-leadership")


def test_the_store_lists_the_schools_its_waves_name_and_their_groups(tmp_path):
    store = Store(str(tmp_path / "s.db"), secret_path=tmp_path / "secret")
    store.ensure_organization("d7", "District 7", user="test")
    frame = pd.DataFrame(
        {"respondent_id": [""] * 4, "school": ["Oak", "Pine", "Oak", None], "VS1": [4.0, 3.0, 5.0, 2.0]}
    )
    store.save_wave("d7", "W1", frame, codebook=load_codebook(), platform="generic", file_sha256="b" * 64, user="t")
    from survey_model.store import School

    store.set_schools("d7", [School("Oak", "cohort"), School("Elm", "comparison")], user="test")
    assert store.school_names("d7") == ["Oak", "Pine"]
    assert store.school_groups("d7") == {"Elm": "comparison", "Oak": "cohort"}
    assert store.school_names("nobody") == []


@pytest.fixture
def cedar_store(tmp_path, monkeypatch):
    """A store holding Cedar Valley's 2024 wave, where the command line looks for it."""
    monkeypatch.setenv("CLD_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CLD_DATABASE_URL", raising=False)
    db = str(tmp_path / "survey.db")
    assert main(["import", str(CEDAR), "--org", "cedar-valley", "--wave", "2024 Spring", "--db", db]) == 0
    return db


def test_the_import_command_refuses_another_organizations_file_until_told_it_belongs(cedar_store, capsys):
    """Harbor Point's export imported as Cedar Valley: warned and refused; --schools-ok stores it."""
    capsys.readouterr()
    args = ["import", str(HARBOR), "--org", "cedar-valley", "--wave", "2025 Spring", "--db", cedar_store]
    assert main(args) == 1
    out, err = capsys.readouterr()
    assert "None of the 4 schools in this file" in out and "foreign_schools" not in err
    assert "--schools-ok" in err
    assert main([*args, "--schools-ok"]) == 0


def test_the_inspect_command_reports_another_organizations_file_with_org(cedar_store, capsys):
    """inspect --org names the mismatch as a warning; the exit code stays 0 (warnings do not refuse)."""
    capsys.readouterr()
    assert main(["inspect", str(HARBOR), "--org", "Cedar-Valley", "--db", cedar_store]) == 0
    assert "WARNING None of the 4 schools in this file" in capsys.readouterr().out
    assert main(["inspect", str(CEDAR), "--org", "cedar-valley", "--db", cedar_store, "--json"]) in (0, 1)
    assert "foreign_schools" not in capsys.readouterr().out

"""One figure, one verdict: the Shifts page, the Workshop deck, the workbook and the `shifts` command never call
the same figure both "clear" and "no clear", and they all give it the same verdict (the analysis plan, issue 14).

A figure is named by its subject and its shown levels ("Shared influence, percent favorable", "32% → 43%");
every worded verdict is read out of the text each output carries (statements, slide headlines, points and notes,
table rows), so a sentence that said "clear increase" while the line below said "no clear change once the 46
comparisons shown are taken into account" about the same levels would fail here.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

import pytest

from survey_model import dashboard
from survey_model.cli import main
from survey_model.deck import build_deck
from survey_model.scoring import with_condition_parts
from survey_model.settings import Settings
from survey_model.shifts.display import shifts_page
from survey_model.store import Store
from survey_model.workbook import results_workbook

ORG, FIRST, LATEST = "cedar-valley", "2024 Spring", "2026 Spring"
VERDICTS = (
    "clear increase",
    "clear decrease",
    "no clear change",
    "likely higher",
    "likely lower",
    "could be no change",
)
#: "Subject: verdict, 30% → 47%" as every statement words it (means: "3.35 → 3.56").
STATEMENT = re.compile(
    r"(?P<subject>[^:•\n]+?)(?:, same \w+ in both waves)?: (?P<verdict>" + "|".join(VERDICTS) + r")"
    r"(?: once the \d+ comparisons shown are taken into account)?, (?P<levels>[\d.]+%? → [\d.]+%?)"
)


def verdicts_in(texts: list[str]) -> dict[tuple[str, str], set[str]]:
    """Every (subject, shown levels) → the verdicts said of it in ``texts``."""
    said: dict[tuple[str, str], set[str]] = defaultdict(set)
    for text in texts:
        for match in STATEMENT.finditer(text):
            subject = match["subject"].strip().removeprefix("Since the previous wave, ")
            said[(subject.split(": ")[-1], match["levels"])].add(match["verdict"])
    return said


def table_verdicts(table, *, label: str, before: str, after: str, verdict: str) -> dict[tuple[str, str], set[str]]:
    """(label, 'before → after') → verdict of each row of a display table that shows figures."""
    said: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in table.to_dict(orient="records"):
        if row[verdict] in VERDICTS and str(row[before]) not in ("", "<NA>", "nan"):
            said[(row[label], f"{row[before]} → {row[after]}")].add(row[verdict])
    return said


@pytest.fixture(scope="module")
def outputs(demo_data_dir, tmp_path_factory) -> dict[str, dict[tuple[str, str], set[str]]]:
    """What each output says about each figure of Cedar Valley, first wave → latest (the defaults)."""
    store = Store.from_settings(Settings(data_dir=demo_data_dir), create=False)
    codebook = store.codebook_for(ORG)
    frame = with_condition_parts(store.load_responses(ORG), codebook)
    groups = store.school_groups(ORG)
    store.close()
    view = dashboard.shifts_view(frame, codebook, from_wave=FIRST, to_wave=LATEST, school_groups=groups)
    page = shifts_page(view)
    page_texts = [page.headline or "", page.matched_headline or "", *(page.group_statements or []), *page.statements]
    page_said = verdicts_in(page_texts)
    for table in (page.main_table, page.item_table):
        for key, said in table_verdicts(
            table, label="Measure", before="Earlier", after="Later", verdict="Verdict"
        ).items():
            page_said[key] |= said

    deck = build_deck(frame, codebook, org_name="Cedar Valley", waves=[FIRST, LATEST], school_groups=groups)
    deck_texts = [text for slide in deck.slides for text in (slide.headline, *slide.points, slide.notes)]

    book = results_workbook(frame, codebook, org_name="Cedar Valley", wave=LATEST, compare=FIRST)
    changes = book.sheet("Changes").table
    sheet_said = verdicts_in(changes["Statement"].astype(str).tolist())
    for row in changes.to_dict(orient="records"):
        if row["Verdict"] in VERDICTS:  # the statement's own verdict must be the row's
            assert f": {row['Verdict']}, " in row["Statement"], row

    return {"page": page_said, "deck": verdicts_in(deck_texts), "workbook": sheet_said}


@pytest.fixture(scope="module")
def command_said(demo_data_dir) -> dict[tuple[str, str], set[str]]:
    """What `python -m survey_model shifts --json` says, first wave → latest."""
    import contextlib
    import io
    import os

    out = io.StringIO()
    previous = os.environ.get("CLD_DATA_DIR")
    os.environ["CLD_DATA_DIR"] = str(demo_data_dir)
    try:
        with contextlib.redirect_stdout(out):
            assert main(["shifts", "--org", ORG, "--from", FIRST, "--to", LATEST, "--json"]) == 0
    finally:
        if previous is None:
            del os.environ["CLD_DATA_DIR"]
        else:
            os.environ["CLD_DATA_DIR"] = previous
    result = json.loads(out.getvalue())
    said = verdicts_in(result["statements"])
    for row, statement in zip(result["comparisons"], result["statements"], strict=True):
        assert row["verdict"] == "too few" or f": {row['verdict']}" in statement, (row["verdict"], statement)
    return said


@pytest.mark.parametrize("name", ["page", "deck", "workbook"])
def test_no_output_calls_one_figure_both_clear_and_not_clear(outputs, name):
    """Within the Shifts page, the deck and the workbook, each figure carries one verdict."""
    said = outputs[name]
    assert said, f"no worded verdict found in the {name}"
    mixed = {key: verdicts for key, verdicts in said.items() if len(verdicts) > 1}
    assert not mixed, mixed


def test_command_output_carries_one_verdict_per_figure(command_said):
    """The shifts command's statements name each figure with one verdict, the one in its JSON row."""
    assert command_said and not {key: v for key, v in command_said.items() if len(v) > 1}


def test_every_output_gives_a_figure_the_same_verdict(outputs, command_said):
    """A figure shown by several outputs (leader identity, cohort, the conditions) has the same verdict in each."""
    everywhere: dict[tuple[str, str], set[str]] = defaultdict(set)
    for said in (*outputs.values(), command_said):
        for key, verdicts in said.items():
            everywhere[key] |= verdicts
    shared = [key for key in everywhere if sum(key in said for said in (*outputs.values(), command_said)) > 1]
    assert ("Educators who consider themselves leaders", "30% → 40%") in shared
    assert any(subject.startswith("cohort") for subject, _ in shared)
    assert not {key: everywhere[key] for key in shared if len(everywhere[key]) > 1}


def test_exploratory_figures_are_never_called_clear(outputs, command_said):
    """Items and figures within school groups are exploratory: no output words them 'clear' or 'no clear'."""
    for said in (*outputs.values(), command_said):
        for (subject, _), verdicts in said.items():
            exploratory = "“" in subject or (
                subject.startswith(("cohort — ", "comparison — ")) and "leaders" not in subject
            )
            if exploratory:
                assert verdicts <= {"likely higher", "likely lower", "could be no change"}, (subject, verdicts)

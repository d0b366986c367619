"""The workshop deck as data: the slides a facilitator needs, honest change claims, and no small group anywhere."""

import re

import numpy as np
import pandas as pd
import pytest

from survey_model.codebook import load_codebook
from survey_model.deck import PROTOCOL, build_deck
from survey_model.settings import Settings
from survey_model.store import Store

CODEBOOK = load_codebook()
CONDITION_ITEMS = [item.id for item in CODEBOOK.condition_items]
WAVES = ("2024 Spring", "2026 Spring")


def survey(
    schools: dict[str, int],
    *,
    waves: tuple[str, ...] = WAVES,
    seed: int = 7,
    gain: float = 0.0,
    low: str = "WS",
    roles: tuple[str, ...] = ("Teacher", "Instructional coach or specialist"),
) -> pd.DataFrame:
    """A responses frame (see survey_model.responses) with ``schools`` → respondents per wave.

    Answers are random on 1–5; condition ``low`` leans unfavorable; in the last wave the Shared influence items
    and the leader item move up by ``gain`` (a planted change). Reverse-worded items are stored as answered.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for w, wave in enumerate(waves):
        for school, n in schools.items():
            for _ in range(n):
                row = {"wave": wave, "respondent_key": "", "school": school, "school_level": "Elementary"}
                row["role"] = roles[int(rng.integers(len(roles)))]
                for item in CONDITION_ITEMS:
                    centre = 3.2 + (gain if w == len(waves) - 1 and item.startswith("SI") else 0.0)
                    centre -= 1.0 if item.startswith(low) else 0.0
                    value = float(np.clip(np.rint(rng.normal(centre, 1.0)), 1, 5))
                    if CODEBOOK.item(item).reverse:
                        value = 6 - value  # stored as answered: the scorer reverses it back
                    row[item] = value
                yes = 0.3 + (gain / 4 if w == len(waves) - 1 else 0.0)
                row["LI1"] = float(rng.choice([1, 2, 3], p=[yes, 0.85 - yes, 0.15]))
                row["FLR"] = float(rng.choice([1, 2], p=[0.3, 0.7]))
                for item in ("LI2", "LI3", "LI4"):
                    row[item] = float(rng.integers(1, 6))
                rows.append(row)
    frame = pd.DataFrame(rows)
    frame["wave"] = pd.Categorical(frame["wave"], categories=list(waves), ordered=True)
    for column in ("respondent_key", "school", "school_level", "role"):
        frame[column] = frame[column].astype("string")
    for item in [*CONDITION_ITEMS, "LI1", "FLR", "LI2", "LI3", "LI4"]:
        frame[item] = frame[item].astype("float32")
    return frame


def percent_favorable_by_hand(frame: pd.DataFrame, condition: str) -> tuple[float, int]:
    """(% of valid item answers that are 4 or 5 after reversing 6 − x, respondents with a score) — docs/rules.md."""
    items = [item for item in CODEBOOK.items_for(condition)]
    values = np.column_stack([frame[item.id].to_numpy(dtype=float) for item in items])
    values[values < 0] = np.nan
    for j, item in enumerate(items):
        if item.reverse:
            values[:, j] = 6 - values[:, j]
    answered = ~np.isnan(values)
    scored = answered.sum(axis=1) >= len(items) / 2
    return 100 * np.nansum(values >= 4) / answered.sum(), int(scored.sum())


def deck_text(deck) -> str:
    """Every word of every slide, its notes and its chart table."""
    parts = [slide.text() for slide in deck.slides]
    parts += [slide.figure.table.to_csv() for slide in deck.slides if slide.figure is not None]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def demo(demo_data_dir):
    """The demo organization Cedar Valley (three waves) as the store returns it."""
    store = Store.from_settings(Settings(data_dir=demo_data_dir))
    frame, codebook = store.load_responses("cedar-valley"), store.codebook_for("cedar-valley")
    store.close()
    return frame, codebook


def test_deck_walks_from_title_to_dialogue(demo):
    """Two waves of a whole organization: title, leader identity, conditions, gains, focus, schools, dialogue."""
    frame, codebook = demo
    deck = build_deck(frame, codebook, org_name="Cedar Valley School District", waves=["2026 Spring", "2024 Spring"])
    assert deck.slide_keys() == [
        "title", "leader", "conditions", "gains", "focus", "drivers", "breakdown", "dialogue", "about",
    ]  # fmt: skip
    assert deck.waves == ("2024 Spring", "2026 Spring")  # put in the store's wave order
    assert deck.slide("breakdown").title == "By school"
    assert all(slide.notes for slide in deck.slides)
    assert [point.split(":")[0] for point in deck.slide("dialogue").points] == [step for step, _ in PROTOCOL]


def test_a_reverse_worded_item_says_it_is_reversed(demo):
    """Cedar Valley 2024 -> 2026: SI4 ("decisions are made by administrators", reverse-worded) is likely higher:
    fewer agree. Items are exploratory, so it is not a gain on the chart; the notes list it, marked "reversed"."""
    frame, codebook = demo
    slide = build_deck(frame, codebook, org_name="Cedar Valley", waves=["2024 Spring", "2026 Spring"]).slide("gains")
    reversed_ids = {item.id for item in codebook.items if item.reverse}
    labels = slide.figure.table["label"].tolist()
    assert not [label for label in labels if label.split(" ")[0] in reversed_ids], labels  # conditions only
    assert "Exploratory, not counted as gains" in slide.notes
    assert "SI4, reversed: favorable means disagreeing" in slide.notes


def test_leader_headline_and_relative_change_carry_interval_and_n(demo):
    """The leader share is Yes among valid answers (counted here by hand); '% more' comes with its CI and both n."""
    frame, codebook = demo
    deck = build_deck(frame, codebook, org_name="Cedar Valley", waves=list(WAVES))
    answers = {wave: frame.loc[frame["wave"] == wave, "LI1"].to_numpy(dtype=float) for wave in WAVES}
    valid = {wave: a[np.isin(a, [1, 2, 3])] for wave, a in answers.items()}  # −1 (prefer not to say) left out
    share = 100 * (valid["2026 Spring"] == 1).mean()
    slide = deck.slide("leader")
    assert slide.headline == (
        f"{int(np.floor(share + 0.5))}% of educators consider themselves leaders in 2026 Spring "
        f"(n = {len(valid['2026 Spring'])})."
    )
    change = slide.points[0]
    assert "clear increase" in change
    relative = re.search(r"(\d+)% more educators, likely between (\d+)% and (\d+)% more", change)
    assert relative is not None, change
    assert f"n = {len(valid['2024 Spring'])} and {len(valid['2026 Spring'])}." in change


def test_gains_are_clear_increases_biggest_first():
    """A planted rise in Shared influence is a gain; every gain's interval is above zero; sorted by size."""
    frame = survey({"Oak": 150, "Elm": 150}, gain=1.0)
    deck = build_deck(frame, CODEBOOK, org_name="Test district", waves=list(WAVES))
    slide = deck.slide("gains")
    table = slide.figure.table
    assert "Shared influence (condition)" in set(table["label"])
    assert (table["diff_lo"] > 0).all()
    assert table["diff"].is_monotonic_decreasing
    assert all("clear increase" in point for point in slide.points)
    assert all(re.search(r"likely between \+\d+ and \+\d+\)\. n = \d+ and \d+\.", point) for point in slide.points)


def test_gains_add_up_on_the_slide_and_in_its_chart():
    """Each gain's sentence, chart label and chart row agree: later − earlier as shown is the change shown."""
    frame = survey({"Oak": 150, "Elm": 150}, gain=1.0)
    slide = build_deck(frame, CODEBOOK, org_name="Test district", waves=list(WAVES)).slide("gains")
    table = slide.figure.table
    assert (table["estimate2"] - table["estimate1"] == table["diff"]).all()
    assert table["diff"].is_monotonic_decreasing  # biggest first as shown, not as unrounded
    assert ((table["diff_lo"] <= table["diff"]) & (table["diff"] <= table["diff_hi"])).all()
    for point in slide.points:
        before, after, points = re.search(r"(\d+)% → (\d+)% \(\+(\d+) points?,", point).groups()
        assert int(after) - int(before) == int(points), point
    for (_, row), words in zip(table.iterrows(), slide.figure.description.split("; "), strict=True):
        assert f": +{row['diff']:.0f} point" in words, words


def test_no_clear_gain_is_said_plainly():
    """Two waves with identical answers: the gains slide says there is no clear gain and draws nothing."""
    first = survey({"Oak": 60, "Elm": 60}, waves=("2024 Spring",))
    second = first.assign(wave="2026 Spring")
    frame = pd.concat([first, second], ignore_index=True)
    frame["wave"] = pd.Categorical(frame["wave"].astype(str), categories=list(WAVES), ordered=True)
    deck = build_deck(frame, CODEBOOK, org_name="Test district", waves=list(WAVES))
    slide = deck.slide("gains")
    assert slide.headline == "No condition clearly gained between 2024 Spring and 2026 Spring."
    assert slide.figure is None
    assert "clear increase" not in " ".join([slide.headline, *slide.points])


def test_where_to_focus_lists_the_lowest_conditions_with_n():
    """The three lowest percent favorable conditions of the latest wave (computed here by hand), with n."""
    frame = survey({"Oak": 80, "Elm": 70}, low="CR")
    deck = build_deck(frame, CODEBOOK, org_name="Test district", waves=list(WAVES))
    latest = frame[frame["wave"] == "2026 Spring"]
    by_hand = {c.id: percent_favorable_by_hand(latest, c.id) for c in CODEBOOK.conditions}
    lowest = sorted(by_hand, key=lambda c: by_hand[c][0])[:3]
    expected = [f"{CODEBOOK.condition(c).name}: {int(np.floor(by_hand[c][0] + 0.5))}% favorable" for c in lowest]
    points = deck.slide("focus").points
    assert [point.split(" (")[0] for point in points[:3]] == expected
    assert f"n = {by_hand['CR'][1]})" in points[0]
    assert deck.slide("focus").figure.table["pct_favorable"].is_monotonic_increasing


def test_small_school_is_on_no_slide_note_or_chart():
    """A school of 3 and the next smallest (hidden so it cannot be recovered) appear nowhere in the deck."""
    frame = survey({"Oak School": 40, "Elm School": 30, "Ash School": 12, "Tiny School": 3})
    deck = build_deck(frame, CODEBOOK, org_name="Test district", waves=list(WAVES))
    text = deck_text(deck)
    assert "Tiny School" not in text
    assert "Ash School" not in text  # complementary: with Tiny alone hidden, Tiny = total − the others
    assert "Oak School" in text and "Elm School" in text
    assert "Some school groups are not shown" in " ".join(deck.slide("breakdown").points)


def test_deck_of_a_school_below_the_minimum_shows_no_figure():
    """One school with 3 respondents: a title, a 'too few' slide and the method note; no number about them."""
    frame = survey({"Oak School": 40, "Tiny School": 3})
    deck = build_deck(frame, CODEBOOK, org_name="Test district", waves=list(WAVES), school="Tiny School")
    assert deck.slide_keys() == ["title", "too_few", "about"]
    assert all(slide.figure is None for slide in deck.slides)
    assert "2026 Spring: fewer than 5 respondents" in deck.slide("title").points
    assert not re.search(r"\b3\b", deck_text(deck).replace("2024", "").replace("2026", ""))


def test_school_deck_breaks_down_by_role_and_hides_small_roles():
    """Inside one school the breakdown is by role; a role of 3, and the next smallest with it, are not shown."""
    frame = survey({"Oak School": 60}, roles=("Teacher",))
    latest = frame.index[frame["wave"] == "2026 Spring"]
    frame.loc[latest[:3], "role"] = "Paraprofessional or support staff"
    frame.loc[latest[3:12], "role"] = "Student support"
    frame.loc[latest[12:24], "role"] = "Instructional coach or specialist"
    deck = build_deck(frame, CODEBOOK, org_name="Test district", waves=list(WAVES), school="Oak School")
    slide = deck.slide("breakdown")
    assert slide.title == "By role"
    assert set(slide.figure.table["group"]) == {"Teacher", "Instructional coach or specialist"}
    assert "Paraprofessional" not in deck_text(deck)
    assert "Student support" not in deck_text(deck)


def test_one_wave_gives_a_snapshot_without_change_claims():
    """A single wave: no gains slide, no change sentence, and the focus slide claims no decrease."""
    frame = survey({"Oak": 40, "Elm": 40})
    deck = build_deck(frame, CODEBOOK, org_name="Test district", waves=["2026 Spring"])
    assert "gains" not in deck.slide_keys()
    assert not re.search(r"clear (increase|decrease)|no clear change|more educators", deck_text(deck))


def test_unknown_wave_or_bare_string_is_a_value_error():
    """Asking for a wave that is not stored, or passing one label as a string, is a programmer error."""
    frame = survey({"Oak": 10})
    with pytest.raises(ValueError, match="not in the responses"):
        build_deck(frame, CODEBOOK, org_name="x", waves=["2030 Fall"])
    with pytest.raises(ValueError, match="sequence of wave labels"):
        build_deck(frame, CODEBOOK, org_name="x", waves="2026 Spring")


def test_the_gains_slide_counts_the_same_gains_in_its_headline_chart_and_points(demo):
    """Cedar Valley 2024 -> 2026: the headline's count, the chart's rows and the points name the same conditions
    (shared influence and relationships, the planted ones), each 'clear increase'; items are not counted."""
    frame, codebook = demo
    slide = build_deck(frame, codebook, org_name="Cedar Valley", waves=["2024 Spring", "2026 Spring"]).slide("gains")
    count = int(re.match(r"(\d+) conditions? clearly gained", slide.headline).group(1))
    charted = [label.removesuffix(" (condition)") for label in slide.figure.table["label"]]
    pointed = [point.split(", percent favorable:")[0] for point in slide.points]
    assert count == len(charted) == len(pointed)
    assert set(charted) == set(pointed) >= {"Shared influence", "Relationships and social norms"}
    assert all(": clear increase," in point for point in slide.points)

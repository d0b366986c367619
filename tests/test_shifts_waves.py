"""Shifts and trends over whole responses frames agree with the scoring tables and respect the privacy rules."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from survey_model.codebook import load_codebook
from survey_model.intervals import mean_interval, wilson_interval
from survey_model.responses import NONSUBSTANTIVE, RESPONDENT_KEY, WAVE
from survey_model.scoring import condition_summary, item_summary, leader_identity, score_respondents
from survey_model.shifts import CONDITIONS, EXPLORATORY, PRIMARY, TOO_FEW, compare_waves, trend

CB = load_codebook()
CONDITION_ITEMS = [item.id for item in CB.condition_items]


def survey_frame(
    seed: int,
    schools: dict[str, int],
    *,
    waves: tuple[str, ...] = ("2024 Spring", "2025 Spring"),
    leader_share: tuple[float, ...] = (0.3, 0.3),
    condition_shift: tuple[float, ...] = (0.0, 0.0),
) -> pd.DataFrame:
    """A responses frame as the store hands it over: float32 items (reverse items as exported), waves, schools."""
    rng = np.random.default_rng(seed)
    parts = []
    for w, wave in enumerate(waves):
        for school, n in schools.items():
            person = rng.normal(0, 0.6, (n, 1))
            latent = 3.0 + condition_shift[w] + person + rng.normal(0, 0.4, (n, 7)).repeat(4, axis=1)
            answers = np.clip(np.rint(latent + rng.normal(0, 0.8, (n, 28))), 1, 5)
            for j, item_id in enumerate(CONDITION_ITEMS):
                if CB.item(item_id).reverse:
                    answers[:, j] = 6 - answers[:, j]
            answers[rng.random((n, 28)) < 0.04] = np.nan
            answers[rng.random((n, 28)) < 0.02] = NONSUBSTANTIVE
            part = pd.DataFrame(answers, columns=CONDITION_ITEMS)
            yes = rng.random(n) < leader_share[w]
            part["LI1"] = np.where(yes, 1.0, rng.choice([2.0, 3.0], n))
            part.loc[rng.random(n) < 0.03, "LI1"] = NONSUBSTANTIVE
            part["FLR"] = rng.choice([1.0, 2.0], n)
            part["school"] = school
            part[WAVE] = wave
            part[RESPONDENT_KEY] = ""
            parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    items = [*CONDITION_ITEMS, "LI1", "FLR"]
    frame[items] = frame[items].astype("float32")
    frame[WAVE] = pd.Categorical(frame[WAVE], categories=list(waves), ordered=True)
    frame["school"] = frame["school"].astype("string")
    frame[RESPONDENT_KEY] = frame[RESPONDENT_KEY].astype("string")
    return frame


@pytest.fixture(scope="module")
def network() -> pd.DataFrame:
    """Two schools big enough to show, and one of four respondents."""
    return survey_frame(1, {"Oak": 120, "Elm": 60, "Ash": 4}, leader_share=(0.3, 0.45))


@pytest.fixture(scope="module")
def by_school(network):
    """The comparison of the two waves by school."""
    return compare_waves(network, CB, from_wave="2024 Spring", to_wave="2025 Spring", by=["school"])


def _wave(frame: pd.DataFrame, wave: str) -> pd.DataFrame:
    return frame[frame[WAVE] == wave]


def test_leader_share_shift_uses_the_scoring_counts(network):
    """Counts behind the leader-identity shift equal scoring.leader_identity in each wave."""
    report = compare_waves(network, CB, from_wave="2024 Spring", to_wave="2025 Spring")
    shift = report.shifts[0]
    assert shift.measure == "leader_identity" and shift.target == "LI1"
    first = leader_identity(_wave(network, "2024 Spring"), CB).iloc[0]
    second = leader_identity(_wave(network, "2025 Spring"), CB).iloc[0]
    assert (shift.n1, shift.k1, shift.n2, shift.k2) == (first.n, first.n_yes, second.n, second.n_yes)
    assert shift.p1 == pytest.approx(first.share_yes)


def test_condition_shifts_use_the_scoring_figures(by_school, network):
    """Means, n and pooled percent favorable of a shown school equal scoring.condition_summary in each wave."""
    table = by_school.to_frame().set_index(["school", "measure", "target"])
    for wave, estimate, n in (("2024 Spring", "estimate1", "n1"), ("2025 Spring", "estimate2", "n2")):
        summary = condition_summary(_wave(network, wave), CB, by=["school"])
        for row in summary[summary["school"] == "Oak"].itertuples():  # Ash and Elm are hidden
            mean = table.loc[(row.school, "condition_mean", row.condition)]
            favorable = table.loc[(row.school, "condition_favorable", row.condition)]
            assert mean[estimate] == pytest.approx(row.mean) and mean[n] == row.n
            assert favorable[estimate] == pytest.approx(row.pct_favorable / 100)


def test_item_shifts_use_the_scoring_figures(by_school, network):
    """Each item's favorable share and n equal scoring.item_summary."""
    table = by_school.to_frame().set_index(["school", "measure", "target"])
    summary = item_summary(_wave(network, "2025 Spring"), CB, by=["school"])
    for row in summary[(summary["school"] == "Oak") & summary["pct_favorable"].notna()].itertuples():
        shift = table.loc[("Oak", "item_favorable", row.item)]
        assert shift["estimate2"] == pytest.approx(row.pct_favorable / 100) and shift["n2"] == row.n


def test_school_below_minimum_n_and_its_complement_show_nothing(by_school):
    """Ash (4 staff) is too few; Elm, the next smallest, is hidden so Ash cannot be recovered from a total."""
    table = by_school.to_frame()
    ash, elm, oak = (table[table["school"] == name] for name in ("Ash", "Elm", "Oak"))
    assert set(ash["suppressed"]) == {"small_group"} and set(elm["suppressed"]) == {"complementary"}
    assert set(oak["suppressed"]) == {""}
    hidden = pd.concat([ash, elm])
    assert set(hidden["verdict"]) == {TOO_FEW}
    assert hidden[["n1", "n2", "estimate1", "estimate2", "diff", "p_value"]].isna().all().all()
    statements = dict(zip(table["school"] + table["target"], table["statement"], strict=True))
    assert statements["AshLI1"] == (
        "Ash — Educators who consider themselves leaders: too few responses to say (fewer than 5 in a wave)."
    )
    assert "not shown, so that a smaller group's figures cannot be worked out" in statements["ElmLI1"]


def test_a_breakdown_by_school_is_exploratory_and_never_clear(by_school):
    """By school every comparison is exploratory: worded from its own 95% interval, never 'clear', no family."""
    tested = [s for s in by_school.shifts if s.verdict != TOO_FEW]
    assert tested and {s.role for s in tested} == {EXPLORATORY}
    for s in tested:
        lo, hi = s.diff_ci
        expected = "likely higher" if lo > 0 else "likely lower" if hi < 0 else "could be no change"
        assert s.verdict == expected and s.family_size == 1 and math.isnan(s.p_adjusted)
    verdicts = ("clear increase", "clear decrease", "no clear change")
    assert not any(v in text for text in by_school.statements() for v in verdicts)


def test_the_conditions_are_one_family_widened_together(network):
    """Whole selection: leader identity on its own 95% interval; the 14 condition comparisons Bonferroni-widened."""
    report = compare_waves(network, CB, from_wave="2024 Spring", to_wave="2025 Spring", items=False)
    assert [s.measure for s in report.shifts][:3] == ["leader_identity", "condition_mean", "condition_favorable"]
    leader, *conditions = report.shifts
    assert leader.role == PRIMARY and leader.family_size == 1 and leader.confidence == 0.95
    assert len(conditions) == 14 and {s.role for s in conditions} == {CONDITIONS}
    assert {s.family_size for s in conditions} == {14}
    expected = multipletests([s.p_value for s in conditions], method="bonferroni")[1]
    assert [s.p_adjusted for s in conditions] == pytest.approx(expected)
    # An independent check of one widened interval: Welch's t interval at 1 - 0.05/14 from scipy.
    si = next(s for s in conditions if s.measure == "condition_mean" and s.target == "SI")
    scores = score_respondents(network, CB)["SI"]
    before = scores[(network[WAVE] == "2024 Spring").to_numpy()].dropna()
    after = scores[(network[WAVE] == "2025 Spring").to_numpy()].dropna()
    ci = stats.ttest_ind(after, before, equal_var=False).confidence_interval(confidence_level=1 - 0.05 / 14)
    assert si.diff_ci == pytest.approx((ci.low, ci.high))
    for s in conditions:
        lo, hi = s.diff_ci
        assert s.verdict == ("clear increase" if lo > 0 else "clear decrease" if hi < 0 else "no clear change")


def test_statements_follow_report_order_and_name_the_leader_unit(by_school):
    """One statement per shift; the leader-identity one can say 'x% more educators'."""
    statements = by_school.statements()
    assert len(statements) == len(by_school.shifts)
    first_oak = next(s for s in statements if s.startswith("Oak — Educators who consider themselves leaders"))
    assert "n = " in first_oak


def linked_frame() -> pd.DataFrame:
    """Twelve staff answering both waves (linked), plus unlinkable and duplicate keys, and one school changer."""
    rows = []
    # key, school, wave-1 LI1, wave-2 LI1 (1 yes, 2 no, 3 not sure); SI items 2 -> 4 for the first eight
    staff = [(f"k{i}", "Oak", 2.0, 1.0) for i in range(6)]  # six no -> yes
    staff += [(f"k{i}", "Oak", 1.0, 1.0) for i in range(6, 9)]  # three stay yes
    staff += [(f"k{i}", "Oak", 1.0, 2.0) for i in range(9, 10)]  # one yes -> no
    staff += [("k10", "Oak", 3.0, 3.0), ("k11", "Oak", 2.0, 2.0)]  # two stay not yes
    for key, school, li1, li2 in staff:
        rows.append({RESPONDENT_KEY: key, "school": school, WAVE: "W1", "LI1": li1, "SI": 2.0})
        rows.append({RESPONDENT_KEY: key, "school": school, WAVE: "W2", "LI1": li2, "SI": 4.0})
    rows.append({RESPONDENT_KEY: "", "school": "Oak", WAVE: "W1", "LI1": 1.0, "SI": 3.0})  # not linkable
    rows.append({RESPONDENT_KEY: "", "school": "Oak", WAVE: "W2", "LI1": 1.0, "SI": 3.0})
    rows.append({RESPONDENT_KEY: "dup", "school": "Oak", WAVE: "W1", "LI1": 2.0, "SI": 3.0})
    rows.append({RESPONDENT_KEY: "dup", "school": "Oak", WAVE: "W2", "LI1": 1.0, "SI": 3.0})
    rows.append({RESPONDENT_KEY: "dup", "school": "Oak", WAVE: "W2", "LI1": 2.0, "SI": 3.0})  # key twice: dropped
    rows.append({RESPONDENT_KEY: "mover", "school": "Oak", WAVE: "W1", "LI1": 2.0, "SI": 3.0})
    rows.append({RESPONDENT_KEY: "mover", "school": "Elm", WAVE: "W2", "LI1": 1.0, "SI": 3.0})
    frame = pd.DataFrame(rows)
    for item in ("SI1", "SI2", "SI3"):
        frame[item] = frame["SI"]
    frame["SI4"] = 6 - frame["SI"]  # reverse-worded item, exported as answered
    frame = frame.drop(columns="SI")
    items = ["LI1", "SI1", "SI2", "SI3", "SI4"]
    frame[items] = frame[items].astype("float32")
    frame[WAVE] = pd.Categorical(frame[WAVE], categories=["W1", "W2"], ordered=True)
    frame[RESPONDENT_KEY] = frame[RESPONDENT_KEY].astype("string")
    return frame


def test_matched_analysis_links_respondents_by_key():
    """13 keys in both waves once ('' never links, a key twice in a wave is dropped); McNemar on 6 vs 1."""
    report = compare_waves(linked_frame(), CB, from_wave="W1", to_wave="W2")
    assert report.n_linked == 13  # k0..k11 and the mover
    leader = report.matched[0]
    assert leader.measure == "leader_identity" and leader.matched
    # yes before: k6..k9 = 4 of 13; yes after: k0..k8 + mover = 10 of 13; discordant yes->no 1, no->yes 7
    assert (leader.n1, leader.k1, leader.k2, leader.discordant) == (13, 4, 10, (1, 7))
    expected_midp = 2 * (stats.binom.cdf(1, 8, 0.5) - stats.binom.pmf(1, 8, 0.5) / 2)
    assert leader.p_value == pytest.approx(expected_midp)


def test_school_changer_is_left_out_of_the_grouped_matched_analysis():
    """By school, the respondent who moved from Oak to Elm is in neither school's linked pairs."""
    report = compare_waves(linked_frame(), CB, from_wave="W1", to_wave="W2", by=["school"])
    oak = next(s for s in report.matched if s.group == (("school", "Oak"),) and s.measure == "leader_identity")
    assert oak.n1 == 12 and oak.discordant == (1, 6)


def test_matched_condition_shifts_are_paired_tests_on_respondents():
    """Shared influence among linked pairs: paired t on respondent scores, as scipy ttest_rel."""
    frame = linked_frame()
    frame.loc[frame[RESPONDENT_KEY] == "k3", "SI1"] = 5.0  # some spread in the differences
    frame.loc[frame[RESPONDENT_KEY] == "k5", "SI2"] = 1.0
    report = compare_waves(frame, CB, from_wave="W1", to_wave="W2")
    shift = next(s for s in report.matched if s.measure == "condition_mean")
    scores = score_respondents(frame, CB)["SI"]
    keys = [f"k{i}" for i in range(12)] + ["mover"]
    pick = {
        wave: scores[(frame[WAVE] == wave) & frame[RESPONDENT_KEY].isin(keys)].set_axis(
            frame.loc[(frame[WAVE] == wave) & frame[RESPONDENT_KEY].isin(keys), RESPONDENT_KEY]
        )
        for wave in ("W1", "W2")
    }
    before, after = pick["W1"].loc[keys], pick["W2"].loc[keys]
    result = stats.ttest_rel(after, before)
    # The matched condition comparisons are a family of their own, widened together (Bonferroni).
    ci = result.confidence_interval(confidence_level=1 - 0.05 / shift.family_size)
    assert shift.n1 == 13
    assert (shift.diff, *shift.diff_ci, shift.p_value) == pytest.approx(
        ((after - before).mean(), ci.low, ci.high, result.pvalue)
    )
    favorable = next(s for s in report.matched if s.measure == "condition_favorable")
    assert favorable.kind == "proportion" and favorable.p2 > favorable.p1


def test_frame_without_respondent_keys_has_no_matched_analysis(network):
    """Blank keys everywhere: nothing is linked and the matched family is empty."""
    report = compare_waves(network, CB, from_wave="2024 Spring", to_wave="2025 Spring")
    assert report.n_linked == 0 and report.matched == () and report.to_frame(matched=True).empty


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"from_wave": "2023 Spring", "to_wave": "2025 Spring"}, "not in the responses frame"),
        ({"from_wave": "2024 Spring", "to_wave": "2024 Spring"}, "two different waves"),
        ({"from_wave": "2024 Spring", "to_wave": "2025 Spring", "by": ["district"]}, "cannot break down"),
    ],
)
def test_impossible_comparisons_raise_value_error(network, kwargs, message):
    """An unknown wave, the same wave twice or an unknown breakdown column is a programmer error."""
    with pytest.raises(ValueError, match=message):
        compare_waves(network, CB, **kwargs)


def test_frame_without_waves_cannot_be_compared(network):
    """A single-wave frame has no 'wave' column to compare on."""
    with pytest.raises(ValueError, match="no 'wave' column"):
        compare_waves(network.drop(columns=WAVE), CB, from_wave="a", to_wave="b")


@pytest.fixture(scope="module")
def three_waves() -> pd.DataFrame:
    """Three waves whose display order is not alphabetical."""
    return survey_frame(
        5,
        {"Oak": 80, "Elm": 40, "Ash": 3},
        waves=("Spring 2024", "Fall 2024", "Spring 2025"),
        leader_share=(0.3, 0.35, 0.45),
        condition_shift=(0.0, 0.1, 0.3),
    )


def test_trend_gives_each_wave_its_estimate_and_interval(three_waves):
    """Leader share with Wilson limits and condition means with t limits, per wave, in wave order."""
    table = trend(three_waves, CB)
    leader = table[table["measure"] == "leader_identity"]
    assert leader["wave"].tolist() == ["Spring 2024", "Fall 2024", "Spring 2025"]
    for row in leader.itertuples():
        counts = leader_identity(_wave(three_waves, row.wave), CB).iloc[0]
        assert row.n == counts.n and row.estimate == pytest.approx(counts.share_yes)
        assert (row.ci_lo, row.ci_hi) == pytest.approx(wilson_interval(counts.n_yes, counts.n))
    means = table[(table["measure"] == "condition_mean") & (table["target"] == "SI")]
    for row in means.itertuples():
        summary = condition_summary(_wave(three_waves, row.wave), CB).set_index("condition").loc["SI"]
        assert (row.ci_lo, row.ci_hi) == pytest.approx(mean_interval(summary["mean"], summary["sd"], summary["n"]))


def test_trend_hides_small_groups_and_their_complement(three_waves):
    """By school, Ash (3 staff) is hidden in every wave and Elm with it; Oak is shown."""
    table = trend(three_waves, CB, by=["school"])
    reasons = table.groupby("school")["suppressed"].agg(set).to_dict()
    assert reasons == {"Ash": {"small_group"}, "Elm": {"complementary"}, "Oak": {""}}
    assert table.loc[table["school"] != "Oak", ["n", "estimate", "ci_lo", "ci_hi"]].isna().all().all()


def test_trend_can_be_limited_to_chosen_waves(three_waves):
    """Only the waves asked for, in the order asked."""
    table = trend(three_waves, CB, waves=["Spring 2025", "Spring 2024"])
    assert table["wave"].unique().tolist() == ["Spring 2025", "Spring 2024"]


def test_instrument_without_leader_block_compares_its_conditions():
    """The school-improvement codebook has no leader item: the report holds its 7 components and 21 items."""
    cb = load_codebook("school-improvement")
    ids = [item.id for item in cb.condition_items]
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.integers(1, 6, (100, len(ids))), columns=ids).astype("float32")
    frame[WAVE] = pd.Categorical(["Fall"] * 50 + ["Spring"] * 50, categories=["Fall", "Spring"], ordered=True)
    report = compare_waves(frame, cb, from_wave="Fall", to_wave="Spring")
    measures = [s.measure for s in report.shifts]
    assert "leader_identity" not in measures and len(measures) == 7 * 2 + len(ids)
    assert report.to_frame().columns[:4].tolist() == ["measure", "target", "label", "kind"]

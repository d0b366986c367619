"""The network beside each partner: pooled from released frames, shown only with enough organizations, unnamed."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from survey_model.cli import main
from survey_model.codebook import load_codebook
from survey_model.network import MIN_ORGANIZATIONS, network_figures
from survey_model.release import released_responses
from survey_model.store import Store

CODEBOOK = load_codebook()
ORGS = {  # organization → (respondents per school, shift of every answer's chance of agreeing)
    "alder-district": ({"Alder A": 30, "Alder B": 12, "Alder C": 3}, 0.10),
    "birch-schools": ({"Birch A": 40, "Birch B": 25}, -0.05),
    "cedar-network": ({"Cedar A": 18, "Cedar B": 20}, 0.0),
    "dune-unified": ({"Dune A": 50}, 0.20),
    "elm-county": ({"Elm A": 22, "Elm B": 4, "Elm C": 9}, -0.15),
}


def planted_frame(sizes: dict[str, int], shift: float, *, seed: int) -> pd.DataFrame:
    """Respondents per school with answers 1-5 (some missing) and a leader-identity answer (1 Yes, 2 No, 3 Not sure)."""
    rng = np.random.default_rng(seed)
    schools = [school for school, n in sizes.items() for _ in range(n)]
    n = len(schools)
    frame = pd.DataFrame(
        {
            "respondent_id": [f"R{seed}-{i}" for i in range(n)],
            "school": pd.array(schools, dtype="str"),
            "role": pd.array(rng.choice(["Teacher", "Administrator"], n, p=[0.85, 0.15]), dtype="str"),
        }
    )
    p = np.clip(np.array([0.1, 0.15, 0.25, 0.3, 0.2]) + shift * np.array([-0.5, -0.5, 0, 0.5, 0.5]), 0.01, None)
    for item in CODEBOOK.condition_items:
        values = rng.choice([1.0, 2.0, 3.0, 4.0, 5.0], n, p=p / p.sum())
        values[rng.random(n) < 0.05] = np.nan
        frame[item.id] = values
    frame[CODEBOOK.leader.item] = rng.choice([1.0, 2.0, 3.0], n, p=[0.35 + shift, 0.45 - shift, 0.2])
    return frame


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """Five organizations, one wave each ("Spring 2026"), all in the network "Lakes"."""
    opened = Store(str(tmp_path / "survey.db"), secret_path=tmp_path / "respondent_key.secret")
    for seed, (org, (sizes, shift)) in enumerate(ORGS.items()):
        opened.save_wave(
            org,
            "Spring 2026",
            planted_frame(sizes, shift, seed=seed),
            codebook=CODEBOOK,
            platform="plain",
            file_sha256=hashlib.sha256(org.encode()).hexdigest(),
            user="ana",
            date=dt.date(2026, 4, 1),
        )
        opened.set_network(org, "Lakes", user="ana")
    yield opened
    opened.close()


def released(store: Store, orgs) -> dict[str, pd.DataFrame]:
    return {org: released_responses(store, org).frame for org in orgs}


def independent_pool(frames: dict[str, pd.DataFrame]) -> tuple[dict[str, float], float, float]:
    """Percent favorable per condition, the index and the Yes share, recomputed from the pooled answers by hand:
    reversed items are 6 - x, favorable is 4 or 5 among answered items, the index the mean over conditions."""
    pooled = pd.concat(frames.values(), ignore_index=True)
    favorable = {}
    for condition in CODEBOOK.conditions:
        answers = []
        for item in CODEBOOK.items_for(condition.id):
            values = pooled[item.id].to_numpy(dtype=float)
            values = values[~np.isnan(values) & (values > 0)]
            answers.append(6 - values if item.reverse else values)
        stacked = np.concatenate(answers)
        favorable[condition.id] = 100 * float(np.mean(stacked >= 4))
    leader = pooled[CODEBOOK.leader.item].to_numpy(dtype=float)
    valid = leader[np.isin(leader, [1, 2, 3])]
    return favorable, float(np.mean(list(favorable.values()))), float(np.mean(valid == 1))


def test_the_network_figure_equals_an_independent_pooled_computation(store):
    """Index, every condition's percent favorable and the Yes share match a by-hand pool of the released frames."""
    frames = released(store, ORGS)
    figures = network_figures(frames, CODEBOOK, network="Lakes", wave="Spring 2026", partner="alder-district")
    favorable, index, share_yes = independent_pool(frames)
    assert figures.organizations == 5
    assert figures.respondents == sum(sum(sizes.values()) for sizes, _ in ORGS.values())
    assert figures.index == pytest.approx(index)
    assert figures.share_yes == pytest.approx(share_yes)
    assert dict(zip(figures.conditions["condition"], figures.conditions["pct_favorable"], strict=True)) == (
        pytest.approx(favorable)
    )


def test_the_partners_position_is_its_rank_among_every_organization(store):
    """With five organizations the position is shown: the rank from the highest, counted independently."""
    frames = released(store, ORGS)
    indexes = {org: independent_pool({org: frame})[1] for org, frame in frames.items()}
    for org in ORGS:
        figures = network_figures(frames, CODEBOOK, network="Lakes", wave="Spring 2026", partner=org)
        expected = 1 + sum(value > indexes[org] for value in indexes.values())
        assert figures.position["index"] == (expected, 5)
    four = {org: frames[org] for org in list(ORGS)[:4]}
    assert network_figures(four, CODEBOOK, network="Lakes", wave="Spring 2026", partner="alder-district").position == {}


def test_no_network_figure_with_fewer_than_three_organizations_of_min_n(store):
    """Two organizations, or a third below min_n in the wave, or another wave: no network figure."""
    frames = released(store, ORGS)
    two = {org: frames[org] for org in list(ORGS)[:2]}
    assert network_figures(two, CODEBOOK, network="Lakes", wave="Spring 2026") is None
    tiny = frames["cedar-network"].head(4)  # fewer than min_n respondents: it does not count
    assert network_figures({**two, "cedar-network": tiny}, CODEBOOK, network="Lakes", wave="Spring 2026") is None
    assert network_figures(frames, CODEBOOK, network="Lakes", wave="Fall 2030") is None
    assert MIN_ORGANIZATIONS == 3


def test_network_membership_is_stored_audited_and_left(store):
    """set_network puts an organization in a network, records it, and an empty name takes it out."""
    assert store.network_of("alder-district") == "Lakes"
    assert store.network_members("Lakes") == sorted(ORGS)
    store.set_network("alder-district", "", user="ben")
    assert store.network_of("alder-district") == ""
    assert "alder-district" not in store.network_members("Lakes")
    last = store.audit_log("alder-district").iloc[-1]
    assert last["action"] == "set_network" and last["details"] == {"from": "Lakes", "to": ""}


def test_the_network_command_sets_and_lists(store, tmp_path, monkeypatch, capsys):
    """``network --org ORG --name NAME`` sets the membership; ``network`` alone lists every organization's."""
    monkeypatch.setenv("CLD_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CLD_DATABASE_URL", raising=False)
    db = ["--db", str(tmp_path / "survey.db")]
    assert main(["network", "--org", "dune-unified", "--name", "Coast", "--user", "ana", *db]) == 0
    assert store.network_of("dune-unified") == "Coast"
    assert main(["network", *db]) == 0
    out = capsys.readouterr().out
    assert "dune-unified" in out and "Coast" in out
    assert main(["network", "--org", "nowhere", "--name", "Coast", *db]) == 1
    assert "no organization" in capsys.readouterr().err.lower()


# ----------------------------------------------------------------------------------------------------------------
# Pages


NAMES = {org: org.replace("-", " ").title() for org in ORGS}  # e.g. "Alder District"


@pytest.fixture
def network_app(store, tmp_path, monkeypatch):
    """The app on the five-organization store (organizations named), each wave with a roster."""
    from streamlit.testing.v1 import AppTest

    for org, name in NAMES.items():
        store.ensure_organization(org, name, user="ana")
    monkeypatch.setenv("CLD_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CLD_DATABASE_URL", raising=False)
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()

    def build(**query: str) -> AppTest:
        at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        return at

    return build


def test_partner_pages_show_the_network_beside_theirs_and_name_no_other_organization(network_app, store):
    """Overview, Leader identity and Conditions show the pooled network figure to every partner; the main part of
    each page never names another organization (the sidebar's organization list is the sign-in work's concern)."""
    from tests.page_text import texts

    frames = released(store, ORGS)
    _, index, share_yes = independent_pool(frames)
    for org in ORGS:
        for page in ("views/overview.py", "views/leader_identity.py", "views/conditions.py"):
            at = network_app(org=org).run()
            if page != "views/overview.py":
                at.switch_page(page).run()
            assert not at.exception, at.exception
            shown = "\n".join(str(text) for text in texts(at.main))
            others = [name for other, name in NAMES.items() if other != org]
            assert not [name for name in others if name in shown], (org, page)
            assert not [other for other in ORGS if other != org and other in shown], (org, page)
            assert "Network *Lakes* in Spring 2026: 5 organizations" in shown, (org, page)
        overview = network_app(org=org).run()
        metrics = {metric.label: metric.value for metric in overview.metric}
        assert metrics["Network: Collective Leadership Index"] == f"{index:.0f}"
        assert metrics["Network: see themselves as leaders"] == f"{100 * share_yes:.0f}%"


def test_the_network_is_not_beside_a_filtered_selection(network_app):
    """With a school chosen, the partner's figures describe one school: no network figure beside them."""
    at = network_app(org="birch-schools", school="Birch A").run()
    assert not at.exception, at.exception
    assert not [metric for metric in at.metric if metric.label.startswith("Network")]


def test_staff_see_organizations_side_by_side_on_manage(network_app, store):
    """Manage data lists every organization with its network and figures (staff only)."""
    at = network_app(org="alder-district").run()
    at.switch_page("views/manage.py").run()
    assert not at.exception, at.exception
    tables = [frame.value for frame in at.dataframe if "Network" in frame.value.columns]
    assert len(tables) == 1
    table = tables[0].set_index("Organization")
    assert sorted(table.index) == sorted(NAMES.values())
    assert (table["Network"] == "Lakes").all()
    assert table.loc["Dune Unified", "Respondents"] == 50


def test_the_demo_partners_see_the_great_lakes_network_and_no_other_name(app):
    """Demo: the four organizations form the Great Lakes Network; each Overview shows the pooled figure (four
    organizations: no position, which needs five) and names no other organization."""
    from survey_model.demo import ALL_ORGANIZATIONS
    from tests.page_text import texts

    for org in ALL_ORGANIZATIONS:
        at = app(org=org.id, wave="2026 Spring").run()
        assert not at.exception, at.exception
        shown = "\n".join(str(text) for text in texts(at.main))
        assert "Network *Great Lakes Network* in 2026 Spring: 4 organizations" in shown
        assert "Your position" not in shown
        for other in ALL_ORGANIZATIONS:
            if other.id != org.id:
                assert other.name not in shown and other.id not in shown, (org.id, other.id)
                assert not [s.name for s in other.schools if s.name in shown], (org.id, other.id)

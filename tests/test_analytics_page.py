"""The What matters page through app.py on the stored demo data: n, intervals, plain words, privacy."""

from __future__ import annotations

import re

from page_text import texts

PAGE = "views/what_matters.py"
ORG, WAVE = "cedar-valley", "2026 Spring"


def open_page(app, **query: str):
    at = app(org=ORG, wave=WAVE, **query).run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def page_text(at) -> str:
    parts = [e.value for e in (*at.title, *at.markdown, *at.caption, *at.info, *at.warning)]
    parts += [f"{m.label}: {m.value}" for m in at.metric]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    return "\n".join(parts)


def test_partner_sees_what_goes_with_leader_identity_with_n_and_intervals(app):
    """Demo (truth.json: SI and RN drive Yes): both named as going with Yes, n shown, intervals in the table."""
    at = open_page(app)
    text = page_text(at)
    drivers_table = at.dataframe[0].value
    flagged = set(drivers_table.loc[drivers_table["flagged"], "name"])
    assert flagged == {"Shared influence", "Relationships and social norms"}
    assert {"low", "high"} <= set(drivers_table.columns)
    assert (drivers_table["low"] <= drivers_table["odds_ratio"]).all()
    assert re.search(r"Educators in the analysis: [\d,]+", text)
    assert "AUC" in text and "interval" in text
    assert len(at.get("vega_lite_chart")) >= 2


def test_the_page_says_goes_with_and_never_causes(app):
    """Plain words: associations are "goes with"; "cause" appears only to say the page does not claim one."""
    text = "\n".join(texts(open_page(app).main))
    assert "go with" in text
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if re.search(r"\bcaus", sentence, re.IGNORECASE):
            assert re.search(r"\b(not|never)\b", sentence), sentence


def test_a_small_selection_shows_messages_and_no_figures(app):
    """Juniper Hollow (4 respondents in 2026): plain messages, no metric, and the school is in no table or chart."""
    at = open_page(app, school="Juniper Hollow School")
    assert not at.metric
    # drivers, item check and profiles (Cedar Valley shows 8 of its 10 schools, and 10 are needed)
    assert sum("Not shown" in info.value for info in at.info) == 3
    assert all("Juniper" not in frame.value.to_csv() for frame in at.dataframe)
    for chart in at.get("vega_lite_chart"):
        assert b"Juniper" not in chart.proto.SerializeToString()

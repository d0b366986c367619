"""Workshop: a step-through deck of the key findings with discussion prompts, for a facilitator and a room."""

import streamlit as st

from ui import data, state, workshop

filters = state.current()
present = st.session_state.get(workshop.PRESENT, False)
if present:
    workshop.present_mode()
else:
    st.title("Workshop")
if filters is None:
    st.info("No survey waves are stored yet. Staff can add one on the **Upload a wave** page.")
    st.stop()

org = data.org_data(filters.org)
if not present:
    st.caption(
        "Pick the waves and the scope, then step through the slides with **Previous** / **Next** (or the ← → keys). "
        "**Present** hides the sidebar and controls and uses large type. Every slide follows the confidentiality "
        f"rule: no group of fewer than {data.settings().min_n} respondents appears, not even in the notes."
    )
choice = workshop.choose(org, filters, show=not present)
st.toggle(
    "Present",
    key=workshop.PRESENT,
    help="Full-width slides in large type, with the sidebar and the controls out of the way.",
)

deck = workshop.deck(filters.org, choice)
number = workshop.slide_number(deck, choice)
slide = deck.slides[number]
workshop.draw_slide(slide, present=present)
workshop.navigation(deck, number, present=present)
if present:
    workshop.notes(slide, present=True)

if not present:
    st.subheader("Take it with you")
    workshop.downloads(deck, slide, filters, org)
    st.caption(
        "Charts are drawn on this server; nothing is fetched from the internet. The workbook follows the sidebar's "
        "filters and prints them on every sheet."
    )

"""The floor for the browser benchmarks: two empty Streamlit pages under ``st.navigation``, nothing computed."""

import streamlit as st


def first() -> None:
    st.title("Empty page")


def second() -> None:
    st.title("Another empty page")


st.navigation([st.Page(first, title="First", default=True), st.Page(second, title="Second")]).run()

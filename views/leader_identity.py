"""Leader identity: who sees themselves as a leader, by wave and by role, informal leaders, and the conditions."""

import streamlit as st

from survey_model import privacy
from survey_model.charts import explore as explore_charts
from survey_model.explore import CROSSED_MESSAGE, identity_answers, identity_table, leader_table
from survey_model.privacy import hidden_message, selection_hidden_message
from ui import data, display, explore_data, network, rates, state

filters = state.current()
st.title("Leader identity")
if filters is None:
    st.info("No survey waves are stored yet. Staff can add one on the **Upload a wave** page.")
    st.stop()

codebook = explore_data.codebook(filters.org)
min_n = data.settings().min_n
st.caption(f"{codebook.name} · {filters.describe()}")
if codebook.leader is None:
    st.info(f"The instrument *{codebook.name}* has no leader-identity question, so there is nothing to show here.")
    st.stop()
question = codebook.item(codebook.leader.item).text

view = explore_data.leader_view(filters)
if view.hidden:
    st.warning(selection_hidden_message(min_n))
    st.stop()
rates.show_selection_rate(filters)

st.markdown(f"*{question}*")
by_wave = view.by_wave
now = privacy.shown(by_wave, wave=filters.wave)
if now.empty:
    st.warning(f"Answers to this question in {filters.wave}: {hidden_message(min_n)}.")
else:
    row = now.iloc[0]
    columns = st.columns(4)
    columns[0].metric("Yes", f"{100 * row['share_yes']:.0f}%", help="Share of valid answers (Yes, No, Not sure).")
    columns[1].metric("Not sure", f"{100 * row['share_unsure']:.0f}%")
    columns[2].metric(
        "Informal leaders",
        f"{100 * row['share_informal']:.0f}%",
        help="Answered Yes and hold no formal leadership role, as a share of all valid answers.",
    )
    columns[3].metric("Valid answers", f"{row['n']:,}")
    if row["n_yes"] > 0:
        st.caption(
            f"{100 * row['share_informal_of_yes']:.0f}% of those who see themselves as leaders hold no formal "
            "leadership role."
        )
    network.show_leader_share(filters)

shown_waves = privacy.shown(by_wave)
if not shown_waves.empty:
    display.chart(
        explore_charts.identity_bars(
            identity_answers(by_wave, group="wave"),
            group_title="Survey wave",
            groups=shown_waves["wave"].tolist(),
            title="Do educators consider themselves leaders? By wave",
            subtitle="Share of valid answers in each wave, for the filters chosen in the sidebar.",
        ),
    )
with st.expander("Table view: by wave"):
    st.dataframe(leader_table(by_wave, group="wave", title="Wave", min_n=min_n), hide_index=True, width="stretch")

st.subheader("By role")
if view.by_role.empty:
    st.caption("The Role filter is set in the sidebar (or the responses have no role), so there is no breakdown.")
else:
    roles = privacy.shown(view.by_role)
    if not roles.empty:
        display.chart(
            explore_charts.identity_bars(
                identity_answers(view.by_role, group="role"),
                group_title="Role",
                groups=roles["role"].tolist(),
                title=f"Do educators consider themselves leaders? By role, {filters.wave}",
            ),
        )
    st.dataframe(leader_table(view.by_role, group="role", title="Role", min_n=min_n), hide_index=True, width="stretch")

st.subheader("Leader identity and the conditions")
st.markdown(
    "Percent favorable on each condition among those who answer **Yes** and among those who answer **No** or "
    "**Not sure**. A difference shows how the two groups experience the school; it does not say which causes which."
)
if view.by_identity.empty and filters.role:
    st.info(CROSSED_MESSAGE)
elif view.identity_gap.empty:
    st.caption(f"One of the two groups has {hidden_message(min_n)}, so they are not compared.")
else:
    display.chart(
        explore_charts.identity_gap_dots(
            view.identity_gap,
            title="Percent favorable by leader identity",
            subtitle=f"{filters.wave}. Purple circle: Yes; grey diamond: No or not sure.",
        ),
    )
st.dataframe(identity_table(view, min_n=min_n), hide_index=True, width="stretch")

with st.expander("How these numbers are calculated"):
    st.markdown(
        "- **Yes / Not sure / No**: shares of valid answers to the headline question; *Prefer not to answer* "
        "and blanks are left out.\n"
        "- **Informal leaders**: respondents who answer Yes and also say they hold no formal leadership role.\n"
        f"- **Confidentiality**: no figure describes fewer than {min_n} respondents; in the role and identity "
        "breakdowns, when one group is hidden the next smallest is hidden too."
    )

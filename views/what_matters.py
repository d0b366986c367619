"""What matters: which conditions go with educators seeing themselves as leaders, school profiles, item check."""

import streamlit as st

from survey_model.analytics.drivers import EVENTS_PER_CONDITION
from survey_model.analytics.instrument import PER_ITEM, WEAK_LOADING
from survey_model.analytics.profiles import MIN_SCHOOLS, STABLE_ARI, STRUCTURE_SILHOUETTE
from survey_model.charts import analytics as charts
from survey_model.release import as_displayed
from ui import analytics, data, display, rates, state

filters = state.current()
st.title("What matters")
if filters is None:
    st.info("No survey waves are stored yet. Staff can add one on the **Upload a wave** page.")
    st.stop()

min_n = data.settings().min_n
names = analytics.condition_names(filters)
st.caption(f"{filters.describe()}")
rates.show_selection_rate(filters)
st.markdown(
    "Which conditions **go with** educators seeing themselves as leaders, and which schools look alike. These are "
    "associations among the educators who answered, at one point in time: they show where a conversation could "
    "start, not what causes what."
)

tab_drivers, tab_profiles, tab_items = st.tabs(["What goes with leader identity", "School profiles", "Item check"])

with tab_drivers:
    result = analytics.leader_drivers(filters)
    if not result.shown:
        st.info(result.message)
    else:
        st.markdown(result.message)
        columns = st.columns(3)
        columns[0].metric("Educators in the analysis", f"{result.n:,}")
        columns[1].metric("Answer Yes", f"{result.n_yes:,}")
        columns[2].metric(
            "Cross-validated AUC",
            f"{result.auc:.2f}",
            help="Cross-validated area under the ROC curve: 0.5 is chance, 1 is perfect.",
        )
        st.caption(
            f"AUC {result.auc:.2f}, {100 * result.confidence:.0f}% interval {result.auc_low:.2f} to "
            f"{result.auc_high:.2f}: how well the conditions together tell apart those who answer Yes from the others."
        )
        display.chart(
            charts.focus_quadrant(
                result.table,
                n=result.n,
                confidence=result.confidence,
                title=f"Where to focus, {filters.wave}",
                subtitle=f"n = {result.n:,}. Up: goes more strongly with Yes. Left: less often favorable.",
            ),
            key="focus_quadrant",
        )
        st.caption(
            "Orange: goes with Yes (interval above 1) and below the median % favorable of the conditions — where to "
            "focus. Grey: no clear association; hover for the name, or see the table below."
        )
        display.chart(
            charts.driver_forest(
                result.table,
                n=result.n,
                confidence=result.confidence,
                title=f"What goes with seeing oneself as a leader, {filters.wave}",
                subtitle=(
                    f"n = {result.n:,} educators. Odds ratio per SD, the other conditions held equal; "
                    "1 = no association."
                ),
            ),
            key="driver_forest",
        )
        st.dataframe(
            as_displayed(result.table, formats={"importance": "0.000"})[
                ["rank", "name", "odds_ratio", "low", "high", "flagged", "importance", "pct_favorable", "focus"]
            ],
            # Nothing cut at 1280 px with the sidebar open: short headers, their full meaning as help.
            column_config={
                "rank": st.column_config.NumberColumn("Rank", width=50),
                "name": st.column_config.TextColumn("Condition", width=210),
                "odds_ratio": st.column_config.NumberColumn(
                    "Odds ratio", format="%.2f", width=80, help="Odds ratio per standard deviation (1 = no association)"
                ),
                "low": st.column_config.NumberColumn(
                    "From", format="%.2f", width=55, help="Interval from (95%, all conditions together)"
                ),
                "high": st.column_config.NumberColumn(
                    "To", format="%.2f", width=55, help="Interval to (95%, all conditions together)"
                ),
                "flagged": st.column_config.CheckboxColumn("Excl. 1", width=60, help="Interval excludes 1"),
                "importance": st.column_config.NumberColumn(
                    "AUC drop",
                    format="%.3f",
                    width=75,
                    help="Drop in cross-validated AUC when this condition is shuffled",
                ),
                "pct_favorable": st.column_config.NumberColumn("% fav.", format="%.0f", width=60, help="% favorable"),
                "focus": st.column_config.CheckboxColumn(
                    "Focus", width=55, help="Where to focus: goes with Yes and below the median % favorable"
                ),
            },
            hide_index=True,
            width="stretch",
        )
    with st.expander("How this is calculated"):
        st.markdown(
            "- **Model**: a regularised logistic regression of answering *Yes* to the leader-identity question "
            "(against *No* or *Not sure*) on the standardised condition scores, for educators with a score on every "
            "condition.\n"
            "- **Odds ratio per SD**: how much the odds of *Yes* differ between two educators one standard "
            "deviation apart on that condition and alike on the others. Above 1 goes with more *Yes*.\n"
            f"- **Intervals**: from {result.n_boot or 200} bootstrap resamples, widened so that all conditions' "
            "intervals hold together (Bonferroni); a condition whose interval includes 1 shows no clear association.\n"
            "- **AUC**: cross-validated (5 folds), with a bootstrap interval. **Drop in AUC when shuffled**: "
            "permutation importance.\n"
            "- **Where to focus**: goes with *Yes* (interval above 1) and below the median % favorable of the "
            "conditions.\n"
            f"- **When it is shown**: at least {EVENTS_PER_CONDITION} educators answering *Yes* and as many answering "
            "*No* or *Not sure* per condition in the model, counting only schools with at least "
            f"{min_n} respondents, and only when the selection itself may be shown."
        )

with tab_profiles:
    found = analytics.profiles(filters)
    st.caption("Schools of the organization in this wave (the School filter does not apply here).")
    if not found.shown:
        st.info(found.message)
    elif not found.stable:
        st.warning(found.message)
    else:
        st.markdown(found.message)
        display.chart(
            charts.profile_heatmap(
                found.profiles,
                names,
                title=f"School profiles, {filters.wave}",
                subtitle=(
                    f"{found.n_schools} schools, n = {found.n_respondents:,}. Mean standardised condition score of "
                    f"each profile's schools. Stability (adjusted Rand index) {found.stability:.2f}, 90% of "
                    f"resamples {found.stability_low:.2f} to {found.stability_high:.2f}."
                ),
            ),
            key="profiles",
        )
        st.dataframe(
            found.schools[["school", "profile"]],
            column_config={"school": "School", "profile": "Profile"},
            hide_index=True,
            width="stretch",
        )
    with st.expander("How this is calculated"):
        st.markdown(
            f"- Only schools with at least {min_n} respondents in the wave take part; at least {MIN_SCHOOLS} are "
            "needed.\n"
            "- Each school's mean condition scores are standardised across schools, and grouped with k-means into 2 "
            "to 6 profiles; the number with the best silhouette is kept.\n"
            "- **Stability**: the schools are resampled 50 times and grouped again. Profiles are drawn only when the "
            f"median agreement (adjusted Rand index) is at least {STABLE_ARI:.2f} and the silhouette at least "
            f"{STRUCTURE_SILHOUETTE:.2f}; otherwise the page says there are no stable groups.\n"
            "- Each profile is named by its strongest and weakest condition compared with the other schools."
        )

with tab_items:
    check = analytics.instrument(filters)
    st.caption("For staff and analysts: does each item go with its own condition in this wave?")
    if not check.shown:
        st.info(check.message)
    else:
        st.markdown(check.message)
        flagged = check.items[check.items["flag"] != ""]
        for _, row in flagged.iterrows():
            st.warning(f"**{row['item']}** “{row['text']}” — {row['note']}")
        display.chart(
            charts.alpha_intervals(
                check.conditions,
                title=f"Internal consistency of each condition, {filters.wave}",
                subtitle="Cronbach's alpha with its 95% interval; n = complete answer sets, in the tooltip.",
            ),
            key="alpha",
        )
        st.dataframe(
            as_displayed(check.items)[
                ["item", "condition_name", "item_rest", "own_loading", "other_loading", "other_condition", "flag"]
            ],
            column_config={
                "item": "Item",
                "condition_name": "Condition",
                "item_rest": st.column_config.NumberColumn("Item–rest correlation", format="%.2f"),
                "own_loading": st.column_config.NumberColumn("Loading on own condition", format="%.2f"),
                "other_loading": st.column_config.NumberColumn("Largest loading elsewhere", format="%.2f"),
                "other_condition": "Elsewhere: condition",
                "flag": "Flag",
            },
            hide_index=True,
            width="stretch",
        )
    with st.expander("How this is calculated"):
        st.markdown(
            "- A factor analysis with one factor per condition (varimax rotation) on the item answers; each factor "
            "is matched to the condition whose items load on it most.\n"
            "- An item **sits better elsewhere** when it loads more on another condition's factor than on its own, "
            f"and **loads weakly** when its own loading is below {WEAK_LOADING:.2f}.\n"
            f"- Shown with at least {PER_ITEM} respondents per item who have a score on every condition; a skipped "
            "item takes the respondent's mean on the same condition."
        )

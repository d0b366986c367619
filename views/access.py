"""Staff: People and access — who may see which organization, granting and revoking, and the audit trail."""

import streamlit as st

from survey_model.access import EVERY, ROLES, GrantError
from survey_model.store import StoreError
from ui import auth, data, staff

st.title("People and access")
if notice := st.session_state.pop("access_notice", None):
    st.success(notice)
store = data.store()
person = auth.access()
if person.demo:
    st.info(
        "Sign-in is off (demo mode), so these grants take effect only once sign-in is set up (README, *Sign-in and "
        "roles*). Until then whoever opens the dashboard has staff rights."
    )
st.caption(
    "*Partner*: the results pages of the organization. *Facilitator*: also the Workshop and its downloads. "
    "*Staff*: also uploading, managing data and this page. A domain grant (@district.example) covers every "
    "address in that domain; the highest of a person's grants counts."
)
organizations = {org.id: org.name for org in store.organizations()}
mine = [org for org in organizations if person.may_grant(org)]
everywhere = person.may_grant(EVERY)
targets = [*([EVERY] if everywhere else []), *mine]
grants = [g for g in store.grants() if g.org in targets]

st.subheader("Who has access")
st.dataframe(staff.grants_table(grants, organizations), hide_index=True, width="stretch")

left, right = st.columns(2)
with left, st.container(border=True):
    st.markdown("**Grant access**")
    kind = st.radio("To", ["One person (e-mail)", "Everyone in an e-mail domain"], horizontal=True, key="grant_kind")
    by_domain = kind.startswith("Everyone")
    subject = st.text_input(
        "E-mail domain" if by_domain else "E-mail address",
        key="grant_subject",
        placeholder="@district.example" if by_domain else "name@district.example",
    )
    role = st.selectbox("Role", ROLES, key="grant_role")
    org = st.selectbox(
        "Organization",
        targets,
        key="grant_org",
        format_func=lambda o: "Every organization" if o == EVERY else organizations.get(o, o),
    )
    if st.button("Grant", key="grant_button", type="primary", disabled=not targets):
        try:
            if not person.may_grant(org):
                auth.refuse()
            made = store.grant(
                email=None if by_domain else subject,
                domain=subject if by_domain else None,
                role=role,
                org=org,
                user=auth.user_name(),
            )
            st.session_state["access_notice"] = f"Granted {made.describe(organizations)}. The audit log records it."
            st.rerun()
        except GrantError as error:
            st.error("Nothing granted: " + " ".join(error.problems))
        except StoreError as error:
            st.error(str(error))

with right, st.container(border=True):
    st.markdown("**Revoke access**")
    if grants:
        chosen = st.selectbox(
            "Grant to remove", range(len(grants)), format_func=lambda i: grants[i].describe(organizations),
            key="revoke_choice",
        )  # fmt: skip
        if st.button("Revoke", key="revoke_button"):
            target = grants[chosen]
            try:
                if not person.may_grant(target.org):
                    auth.refuse()
                removed = store.revoke(
                    email=None if target.is_domain else target.subject,
                    domain=target.subject if target.is_domain else None,
                    org=target.org,
                    user=auth.user_name(),
                )
                st.session_state["access_notice"] = (
                    f"Revoked {removed.describe(organizations)}. It takes effect on their next click."
                )
                st.rerun()
            except StoreError as error:
                st.error(str(error))
    else:
        st.caption("No grants to remove.")

st.subheader("Audit trail")
st.caption("Grants, revocations and downloads of decks, workbooks, charts and cleaned data, newest first.")
st.dataframe(staff.access_audit(store.audit_log(), mine, everywhere=everywhere), hide_index=True, width="stretch")

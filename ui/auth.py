"""The one gate: who is signed in, what they may see, and the pages that say so when they may not.

Sign-in is Streamlit's own (``st.login`` / ``st.user``, OpenID Connect), configured in the ``[auth]`` section of
``.streamlit/secrets.toml`` (see ``.streamlit/secrets.example.toml`` and the README, *Sign-in and roles*). Without
that section the app is in **demo mode**: one person on one computer with staff rights on every organization, a
banner on every page saying so, and the server listening on localhost only (``.streamlit/config.toml``).

:func:`resolve` runs on every rerun in ``app.py`` and reads the person's grants from the store (one small query),
so a revoked grant takes effect on the next interaction. Every data function of ``ui/`` calls :func:`require`
with the organization before any cached function runs: a cache shared between sessions is only ever reached by
someone allowed to see what it holds. The rules themselves are in :mod:`survey_model.access`.
"""

from __future__ import annotations

import contextlib
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import streamlit as st

from survey_model.access import EVERY, PARTNER, STAFF, Access, access_for, rank
from survey_model.store import Organization, Store, StoreError

__all__ = [
    "ACCESS_KEY",
    "DEMO_BANNER",
    "NO_ACCESS",
    "access",
    "audited",
    "configured",
    "email",
    "gate",
    "organizations",
    "providers",
    "refuse",
    "require",
    "resolve",
    "sidebar",
    "user_name",
]

ACCESS_KEY = "_access"
"""Session-state key of this rerun's :class:`~survey_model.access.Access`."""
_SIGNED_IN_AS = "_signed_in_as"
DEMO_BANNER = (
    "**Sign-in is off** (demo mode): whoever opens this dashboard has staff rights on every organization. "
    "It listens on this computer only. To share it, set up sign-in (README, *Sign-in and roles*)."
)
NO_ACCESS = "You do not have access to this page or organization."
ASK = "Ask your network's staff to grant you access"


def configured() -> bool:
    """Whether an identity provider is configured (an ``[auth]`` section in ``.streamlit/secrets.toml``)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file, or one that cannot be parsed: Streamlit raises several kinds
        return False


def providers() -> dict[str, str]:
    """Provider key for ``st.login`` → name on its button: ``"default"`` for a provider given directly in
    ``[auth]``, else one per ``[auth.NAME]`` section."""
    section = _auth_section()
    named = {key: _provider_title(key) for key, value in section.items() if isinstance(value, Mapping)}
    if "client_id" in section or not named:
        return {"default": "your organization's account", **named}
    return named


def _auth_section() -> Mapping[str, Any]:
    try:
        return st.secrets.get("auth", {}) or {}
    except Exception:
        return {}


def _provider_title(key: str) -> str:
    known = {"google": "Google", "microsoft": "Microsoft", "entra": "Microsoft", "okta": "Okta", "auth0": "Auth0"}
    return known.get(key.lower(), key.replace("-", " ").title())


def email() -> str | None:
    """The signed-in person's verified e-mail address (lower case), or ``None``."""
    try:
        if not st.user.get("is_logged_in"):
            return None
        if st.user.get("email_verified") is False:  # the provider says so: an address anyone could have typed
            return None
        address = st.user.get("email")
    except (AttributeError, KeyError, RuntimeError, st.errors.StreamlitAPIException):
        return None
    return str(address).strip().lower() if address else None


def resolve(store: Store) -> Access:
    """This rerun's :class:`Access`, read from the store's grants (kept in the session for :func:`access`)."""
    if not configured():
        person = Access(email=None, everywhere=STAFF, demo=True)
    else:
        address = email()
        try:
            person = access_for(address, store.grants(email=address)) if address else Access(email=None)
        except StoreError as error:
            st.error(f"The survey database cannot be opened: {error}")
            st.stop()
    st.session_state[ACCESS_KEY] = person
    return person


def access() -> Access:
    """The signed-in person's access for this rerun (:func:`resolve`; nobody's, when it has not run)."""
    person = st.session_state.get(ACCESS_KEY)
    if isinstance(person, Access):
        return person
    return resolve(_store())


def _store() -> Store:
    from ui import data  # ui.data imports this module

    return data.store()


def refuse(message: str = NO_ACCESS) -> None:
    """Say the person may not see this, and stop the page: nothing after it is drawn."""
    st.error(f"{message} {ASK} if you need it.", icon=":material/lock:")
    st.stop()


def require(org: str, role: str = PARTNER) -> None:
    """Stop with "you do not have access" unless the person holds at least ``role`` on ``org``."""
    if not access().allows(org, role):
        refuse()


def organizations(known: Iterable[Organization], role: str = PARTNER) -> list[Organization]:
    """The organizations in ``known`` on which the person holds at least ``role``."""
    person = access()
    return [org for org in known if person.allows(org.id, role)]


def user_name() -> str:
    """Who is acting, for the audit log: the signed-in address, or the demo-mode user."""
    person = access()
    if person.email:
        return person.email
    import getpass

    try:
        return f"{getpass.getuser()} (demo mode, sign-in off)"
    except (KeyError, OSError):
        return "demo mode (sign-in off)"


def audited(make: Callable[[], bytes], *, org: str, what: str, role: str = PARTNER) -> Callable[[], bytes]:
    """``make`` for a download button's ``data``, writing who downloaded what to the audit log when the file is
    made (a click), before it is handed over.

    The gate is asked now, while the page is drawn (``role`` on ``org``): Streamlit runs ``make`` later, in
    another thread without the session.
    """
    require(org, role)
    store, user = _store(), user_name()

    def produce() -> bytes:
        store.record_download(org, what, user=user)
        return make()

    return produce


# ---------------------------------------------------------------------------------------------------------------
# The pages of the gate


def sidebar(person: Access) -> None:
    """Demo banner, or who is signed in with a *Sign out* button (on every page)."""
    if person.demo:
        st.sidebar.info(DEMO_BANNER, icon=":material/lock_open:")
        return
    if person.email:
        st.sidebar.caption(f"Signed in as {person.email} ({person.highest or 'no access yet'})")
        st.sidebar.button("Sign out", on_click=st.logout, key="sign_out", icon=":material/logout:")


def gate(person: Access, role: str) -> None:
    """Draw the sign-in page, the no-access page or the refusal, and stop, unless the person may open a page
    that needs ``role`` somewhere."""
    if person.demo:
        return
    if person.email is None:
        _sign_in_page()
        st.stop()
    st.session_state[_SIGNED_IN_AS] = person.email
    if person.highest is None:
        _no_grant_page(person)
        st.stop()
    if rank(person.highest) < rank(role):
        refuse()


def _sign_in_page() -> None:
    st.title("Sign in")
    if st.session_state.pop(_SIGNED_IN_AS, None):
        # The person was signed in earlier in this session: they signed out elsewhere or the session expired.
        for key in list(st.session_state):
            if key != "_store_checked":
                del st.session_state[key]
        st.warning("Your sign-in has ended (it expired or you signed out). Sign in again to continue.")
    try:
        if st.user.get("is_logged_in") and not email():
            st.error(
                "Your sign-in did not give a verified e-mail address, which this dashboard needs to know what you "
                "may see. Sign in with your work account, or ask your network's staff."
            )
    except Exception:
        pass
    st.write(
        "These survey results are shared with the people of each organization only. Sign in with your work "
        "account to see your organization's results."
    )
    for key, title in providers().items():
        st.button(
            f"Sign in with {title}", key=f"sign_in_{key}", on_click=_sign_in, args=(key,), icon=":material/login:"
        )
    if st.session_state.get("_sign_in_problem"):
        st.error(st.session_state.pop("_sign_in_problem"))


def _sign_in(provider: str) -> None:
    """Check the provider answers, then hand over to ``st.login``; a problem becomes a message, not a traceback."""
    section = _auth_section()
    settings = section.get(provider, section) if provider != "default" else section
    url = settings.get("server_metadata_url") if isinstance(settings, Mapping) else None
    problem = None
    if not url:
        problem = "Sign-in is not set up completely (no server_metadata_url for this provider)."
    else:
        try:
            with urllib.request.urlopen(str(url), timeout=5) as answer:
                answer.read(1)
        except (urllib.error.URLError, OSError, ValueError) as error:
            problem = f"The sign-in service does not answer ({getattr(error, 'reason', error)})."
    if problem is None:
        try:
            st.login(provider)
            return
        except st.errors.StreamlitAuthError as error:
            problem = f"Sign-in is not set up correctly: {' '.join(str(error).split())}"
    st.session_state["_sign_in_problem"] = (
        f"{problem} Try again in a few minutes; if it keeps happening, tell your network's staff (the deployment's "
        "[auth] settings may be wrong)."
    )


def _no_grant_page(person: Access) -> None:
    st.title("No access yet")
    st.write(f"You are signed in as **{person.email}**, but no organization has been shared with this address yet.")
    contact = ""
    with contextlib.suppress(Exception):
        contact = str(st.secrets.get("access", {}).get("contact", "") or "")
    st.info(
        f"{ASK}"
        + (f": **{contact}**" if contact else "")
        + ". They can give your address (or your district's e-mail domain) a role on the **People and access** page."
    )
    try:
        if not _store().grants():
            st.caption(
                "No one has been granted access yet: whoever runs this dashboard makes the first staff grant with "
                f"`python -m survey_model access grant --email ADDRESS --role staff --org '{EVERY}'`."
            )
    except StoreError:
        pass

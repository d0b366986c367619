"""Who may see what: roles bound to organizations, granted by e-mail address or e-mail domain.

Three roles, each including the one below it:

=============  ===========================================================================================
role           may
=============  ===========================================================================================
``partner``    open the results pages (*Explore results*) of the organizations granted
``facilitator`` that, and the Workshop with its downloads (deck, workbook, charts)
``staff``      that, and upload, manage data and grant access for the organizations granted
=============  ===========================================================================================

A :class:`Grant` gives one role on one organization, or on every organization (:data:`EVERY`), to one exact
e-mail address (``principal@cedarvalley.k12.example``) or to everyone whose address is in one domain
(``@cedarvalley.k12.example``; the domain must match exactly, sub-domains are not included). E-mail addresses
and domains are compared ignoring case. :func:`access_for` turns the grants matching one person into their
:class:`Access`: for each organization the highest role of every grant that matches them.

Pure Python (no Streamlit): the store keeps the grants (:meth:`survey_model.store.Store.grant`), the app's
one gate (``ui/auth.py``) asks :class:`Access` before anything of an organization is read.

>>> grants = [Grant("@cedarvalley.k12.example", PARTNER, "cedar-valley"),
...           Grant("lee@cedarvalley.k12.example", FACILITATOR, "cedar-valley")]
>>> access_for("Lee@CedarValley.k12.example", grants).role("cedar-valley")
'facilitator'
>>> access_for("kim@cedarvalley.k12.example", grants).allows("harbor-point")
False
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = [
    "EVERY",
    "FACILITATOR",
    "PARTNER",
    "ROLES",
    "STAFF",
    "Access",
    "Grant",
    "GrantError",
    "access_for",
    "leaves_no_staff",
    "make_grant",
    "normalise_email",
    "rank",
]

PARTNER = "partner"
FACILITATOR = "facilitator"
STAFF = "staff"
ROLES: tuple[str, ...] = (PARTNER, FACILITATOR, STAFF)
"""The roles, lowest first: each may do everything the ones before it may."""
EVERY = "*"
"""The organization of a grant on every organization, present and future."""

_DOMAIN = re.compile(r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_LOCAL = re.compile(r"^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$")


class GrantError(ValueError):
    """A grant that cannot be made: ``problems`` lists every reason, each saying what to do."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        """Each problem in plain words."""
        super().__init__(" ".join(self.problems))


@dataclass(frozen=True)
class Grant:
    """One role on one organization (or :data:`EVERY` one) for an e-mail address or an e-mail domain."""

    subject: str
    """A lower-case e-mail address (``lee@district.example``) or a domain with a leading ``@``
    (``@district.example``)."""
    role: str
    """One of :data:`ROLES`."""
    org: str
    """Organization id, or :data:`EVERY`."""
    granted_by: str = ""
    """Who made the grant (as in the audit log); empty for a grant not stored yet."""
    granted_at: dt.datetime | None = field(default=None, compare=False)
    """When (UTC); ``None`` for a grant not stored yet."""

    @property
    def is_domain(self) -> bool:
        """True for a grant to every address of a domain."""
        return self.subject.startswith("@")

    def matches(self, email: str) -> bool:
        """Whether this grant applies to ``email`` (already normalised with :func:`normalise_email`)."""
        if self.is_domain:
            return email.rpartition("@")[2] == self.subject[1:]
        return email == self.subject

    def describe(self, names: Mapping[str, str] | None = None) -> str:
        """In words, e.g. ``"partner of Cedar Valley for everyone at @cedarvalley.k12.example"``."""
        org = "every organization" if self.org == EVERY else (names or {}).get(self.org, self.org)
        who = f"everyone at {self.subject}" if self.is_domain else self.subject
        return f"{self.role} of {org} for {who}"


def rank(role: str | None) -> int:
    """0 for no role, then 1 (partner), 2 (facilitator), 3 (staff)."""
    return ROLES.index(role) + 1 if role in ROLES else 0


def normalise_email(email: str) -> str:
    """An address as grants compare it: surrounding spaces dropped, lower case."""
    return email.strip().lower()


def _email_problem(email: str) -> str | None:
    local, at, domain = normalise_email(email).partition("@")
    if not at or not _LOCAL.match(local) or not _DOMAIN.match(domain):
        return (
            f"“{email}” is not an e-mail address: write it as name@district.example (no spaces, one @, "
            "a domain with a dot)."
        )
    return None


def make_grant(
    *,
    email: str | None = None,
    domain: str | None = None,
    role: str,
    org: str,
    organizations: Iterable[str],
) -> Grant:
    """Check a grant as typed by staff (page or command line) and return it normalised.

    Exactly one of ``email`` and ``domain`` is given; a domain may be written ``@district.example`` or
    ``district.example``. ``org`` is a stored organization id (compared ignoring case) or :data:`EVERY`.
    Raises :class:`GrantError` listing every problem at once.

    >>> make_grant(domain="CedarValley.k12.example", role="partner", org="cedar-valley",
    ...            organizations=["cedar-valley"]).subject
    '@cedarvalley.k12.example'
    """
    problems: list[str] = []
    email = (email or "").strip()
    domain = (domain or "").strip()
    subject = ""
    if bool(email) == bool(domain):
        problems.append("Give either one e-mail address or one e-mail domain (e.g. @district.example), not both.")
    elif email:
        problem = _email_problem(email)
        if problem:
            problems.append(problem)
        subject = normalise_email(email)
    else:
        bare = domain.lower().removeprefix("@")
        if "@" in bare or not _DOMAIN.match(bare):
            problems.append(
                f"“{domain}” is not an e-mail domain: write it as @district.example or district.example "
                "(the part after the @ of the addresses, with a dot)."
            )
        subject = "@" + bare
    role = (role or "").strip().lower()
    if role not in ROLES:
        problems.append(f"“{role}” is not a role: choose {', '.join(ROLES)}.")
    known = {name.lower(): name for name in organizations}
    wanted = (org or "").strip()
    if wanted != EVERY:
        if wanted.lower() not in known:
            listing = ", ".join(sorted(known.values())) or "none yet"
            problems.append(
                f"There is no organization “{wanted}” (stored: {listing}); use {EVERY} for every organization."
            )
        else:
            wanted = known[wanted.lower()]
    if problems:
        raise GrantError(problems)
    return Grant(subject, role, wanted)


def leaves_no_staff(grants: Iterable[Grant], *, without: Grant | None = None, replaced_by: Grant | None = None) -> bool:
    """Whether the grants, after removing ``without`` (and adding ``replaced_by``), hold no staff grant at all.

    The store refuses such a change: nobody could grant access any more.
    """
    kept = [g for g in grants if without is None or (g.subject, g.org) != (without.subject, without.org)]
    if replaced_by is not None:
        kept.append(replaced_by)
    return not any(g.role == STAFF for g in kept)


@dataclass(frozen=True)
class Access:
    """What one person may see and do: their role per organization."""

    email: str | None
    """The signed-in address (lower case); ``None`` in demo mode."""
    roles: Mapping[str, str] = field(default_factory=dict)
    """Organization id → role, from grants on that organization."""
    everywhere: str | None = None
    """The role granted on every organization, if any."""
    demo: bool = False
    """True when sign-in is off (one person on one computer, with staff rights everywhere)."""

    def role(self, org: str) -> str | None:
        """The person's role on ``org``: the higher of its own grants and those on every organization."""
        own = self.roles.get(org)
        return own if rank(own) >= rank(self.everywhere) else self.everywhere

    def allows(self, org: str, role: str = PARTNER) -> bool:
        """Whether the person holds at least ``role`` on ``org``."""
        return rank(self.role(org)) >= rank(role) > 0

    def organizations(self, known: Iterable[str], *, role: str = PARTNER) -> list[str]:
        """The ids in ``known`` on which the person holds at least ``role``, in the given order."""
        return [org for org in known if self.allows(org, role)]

    @property
    def highest(self) -> str | None:
        """The person's highest role on any organization (``None``: no grant at all)."""
        best = max([*self.roles.values(), self.everywhere], key=rank)
        return best if rank(best) else None

    def may_grant(self, org: str) -> bool:
        """Whether the person may grant or revoke access on ``org`` (staff there; :data:`EVERY`: staff
        everywhere)."""
        if org == EVERY:
            return self.everywhere == STAFF
        return self.allows(org, STAFF)


def access_for(email: str | None, grants: Iterable[Grant]) -> Access:
    """The access of the person signed in with ``email``: for each organization the highest matching grant."""
    if not email:
        return Access(email=None)
    address = normalise_email(email)
    roles: dict[str, str] = {}
    everywhere: str | None = None
    for grant in grants:
        if not grant.matches(address):
            continue
        if grant.org == EVERY:
            everywhere = grant.role if rank(grant.role) > rank(everywhere) else everywhere
        elif rank(grant.role) > rank(roles.get(grant.org)):
            roles[grant.org] = grant.role
    return Access(email=address, roles=roles, everywhere=everywhere)

"""Access rules: grants by address or domain, the highest role wins, every problem with a grant said at once."""

from __future__ import annotations

import pytest

from survey_model.access import (
    EVERY,
    FACILITATOR,
    PARTNER,
    STAFF,
    Access,
    Grant,
    GrantError,
    access_for,
    leaves_no_staff,
    make_grant,
)

ORGS = ["cedar-valley", "harbor-point"]


@pytest.mark.parametrize(
    ("email", "org", "expected"),
    [
        # (person, organization, role) — worked out by hand from GRANTS below.
        ("kim@cedarvalley.k12.example", "cedar-valley", PARTNER),  # the domain grant
        ("KIM@CedarValley.K12.example ", "cedar-valley", PARTNER),  # case and spaces ignored
        ("lee@cedarvalley.k12.example", "cedar-valley", FACILITATOR),  # own grant above the domain's
        ("kim@cedarvalley.k12.example", "harbor-point", None),
        ("kim@sub.cedarvalley.k12.example", "cedar-valley", None),  # sub-domains are not the domain
        ("kim@evilcedarvalley.k12.example", "cedar-valley", None),  # nor a domain that merely ends the same
        ("ana@network.example", "harbor-point", STAFF),  # every organization
        ("ana@network.example", "some-future-org", STAFF),
        ("lee@harborpoint.example", "cedar-valley", STAFF),  # own grant above the every-organization one
        ("lee@harborpoint.example", "harbor-point", PARTNER),
        ("nobody@else.example", "cedar-valley", None),
    ],
)
def test_the_highest_matching_grant_is_the_persons_role(email, org, expected):
    """Exact address, domain, every organization: the person gets the highest role any of them gives."""
    grants = [
        Grant("@cedarvalley.k12.example", PARTNER, "cedar-valley"),
        Grant("lee@cedarvalley.k12.example", FACILITATOR, "cedar-valley"),
        Grant("ana@network.example", STAFF, EVERY),
        Grant("lee@harborpoint.example", PARTNER, EVERY),
        Grant("lee@harborpoint.example", STAFF, "cedar-valley"),
        Grant("@harborpoint.example", PARTNER, "cedar-valley"),  # lower, and later: Lee stays staff
    ]
    assert access_for(email, grants).role(org) == expected


def test_roles_include_the_ones_below():
    """A facilitator may do what a partner may, not what staff may."""
    person = Access("f@x.example", roles={"cedar-valley": FACILITATOR})
    assert person.allows("cedar-valley", PARTNER) and person.allows("cedar-valley", FACILITATOR)
    assert not person.allows("cedar-valley", STAFF) and not person.allows("harbor-point", PARTNER)
    assert person.organizations(ORGS) == ["cedar-valley"]
    assert person.highest == FACILITATOR


def test_nobody_signed_in_has_no_access():
    """No address: no role anywhere, even with a domain grant that an empty address might seem to match."""
    person = access_for(None, [Grant("@x.example", STAFF, EVERY)])
    assert person.highest is None and not person.allows("cedar-valley")


def test_only_staff_on_every_organization_may_grant_every_organization():
    """Staff of one district grant on that district only."""
    one = Access("s@x.example", roles={"cedar-valley": STAFF})
    assert one.may_grant("cedar-valley") and not one.may_grant("harbor-point") and not one.may_grant(EVERY)
    everywhere = Access("a@x.example", everywhere=STAFF)
    assert everywhere.may_grant(EVERY) and everywhere.may_grant("harbor-point")


@pytest.mark.parametrize(
    ("kwargs", "subject", "org"),
    [
        ({"email": " Lee@CedarValley.k12.example "}, "lee@cedarvalley.k12.example", "cedar-valley"),
        ({"domain": "@CedarValley.k12.example"}, "@cedarvalley.k12.example", "cedar-valley"),
        ({"domain": "cedarvalley.k12.example"}, "@cedarvalley.k12.example", "cedar-valley"),
    ],
)
def test_a_grant_is_normalised(kwargs, subject, org):
    """Addresses and domains are kept in lower case; a domain with or without its @; the organization as stored."""
    made = make_grant(**kwargs, role=" Partner ", org="Cedar-Valley", organizations=ORGS)
    assert (made.subject, made.role, made.org) == (subject, PARTNER, org)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"email": "lee", "role": PARTNER, "org": "cedar-valley"}, "is not an e-mail address"),
        ({"email": "lee@@x.example", "role": PARTNER, "org": "cedar-valley"}, "is not an e-mail address"),
        ({"email": "lee smith@x.example", "role": PARTNER, "org": "cedar-valley"}, "is not an e-mail address"),
        ({"email": "lee@localhost", "role": PARTNER, "org": "cedar-valley"}, "is not an e-mail address"),
        ({"domain": "x", "role": PARTNER, "org": "cedar-valley"}, "is not an e-mail domain"),
        ({"domain": "@lee@x.example", "role": PARTNER, "org": "cedar-valley"}, "is not an e-mail domain"),
        ({"email": "a@x.example", "domain": "x.example", "role": PARTNER, "org": "cedar-valley"}, "not both"),
        ({"role": PARTNER, "org": "cedar-valley"}, "Give either one e-mail address"),
        ({"email": "a@x.example", "role": "admin", "org": "cedar-valley"}, "“admin” is not a role"),
        ({"email": "a@x.example", "role": PARTNER, "org": "lakeside"}, "There is no organization “lakeside”"),
    ],
)
def test_a_malformed_grant_is_refused_with_what_to_do(kwargs, message):
    """Bad address, bad domain, both or neither, unknown role, unknown organization: a message, no grant."""
    with pytest.raises(GrantError, match=message):
        make_grant(**kwargs, organizations=ORGS)


def test_every_problem_with_a_grant_is_said_at_once():
    """Three mistakes, three problems in one error."""
    with pytest.raises(GrantError) as caught:
        make_grant(email="nope", role="boss", org="lakeside", organizations=ORGS)
    assert len(caught.value.problems) == 3


def test_the_last_staff_grant_is_recognised():
    """Removing or demoting the only staff grant leaves no staff; with a second one it does not."""
    only = Grant("a@x.example", STAFF, EVERY)
    other = Grant("@x.example", PARTNER, "cedar-valley")
    assert leaves_no_staff([only, other], without=only)
    assert leaves_no_staff([only, other], without=only, replaced_by=Grant("a@x.example", PARTNER, EVERY))
    assert not leaves_no_staff([only, Grant("b@x.example", STAFF, "cedar-valley")], without=only)

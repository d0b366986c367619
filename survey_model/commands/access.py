"""``access grant``, ``access revoke`` and ``access list``: who may see which organization once sign-in is on.

::

    python -m survey_model access grant (--email ADDRESS | --domain DOMAIN) --role ROLE --org ORG
    python -m survey_model access revoke (--email ADDRESS | --domain DOMAIN) --org ORG
    python -m survey_model access list [--json]

``ROLE`` is ``partner``, ``facilitator`` or ``staff`` (:mod:`survey_model.access`); ``ORG`` a stored organization
id, or ``'*'`` for every organization (quote it in a shell). The first staff grant is made here, before anyone
can sign in. Every change is written to the audit log with ``--user`` (default: the login name). Exit codes as
for the other commands: ``0`` done, ``1`` nothing changed (the message says why), ``2`` wrong arguments.
"""

from __future__ import annotations

import argparse
import json

from survey_model.access import EVERY, ROLES, GrantError
from survey_model.commands.store import add_database_argument, add_user_argument, fail, open_store

__all__ = ["register", "run_grant", "run_list", "run_revoke"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``access`` subcommand with its ``grant``, ``revoke`` and ``list`` actions."""
    common = argparse.ArgumentParser(add_help=False)
    add_database_argument(common)
    who = argparse.ArgumentParser(add_help=False)
    add_user_argument(who)
    subject = argparse.ArgumentParser(add_help=False)
    one = subject.add_mutually_exclusive_group(required=True)
    one.add_argument("--email", metavar="ADDRESS", help="one person's e-mail address")
    one.add_argument("--domain", metavar="DOMAIN", help="everyone whose address ends in @DOMAIN")
    subject.add_argument(
        "--org", required=True, help=f"organization id, or '{EVERY}' for every organization (quote it in a shell)"
    )

    access = subparsers.add_parser(
        "access",
        help="grant, revoke and list who may see which organization (when sign-in is on)",
        description="Roles bound to organizations, by e-mail address or e-mail domain: partner (results pages), "
        "facilitator (and the Workshop), staff (and upload, manage data, access).",
    )
    actions = access.add_subparsers(dest="action", metavar="ACTION", required=True)
    grant = actions.add_parser("grant", parents=[common, who, subject], help="give a role on an organization")
    grant.add_argument("--role", required=True, help=f"one of {', '.join(ROLES)}")
    grant.set_defaults(func=run_grant)
    revoke = actions.add_parser("revoke", parents=[common, who, subject], help="remove a grant")
    revoke.set_defaults(func=run_revoke)
    lst = actions.add_parser("list", parents=[common], help="list every grant")
    lst.add_argument("--json", action="store_true", help="print JSON (for scripts)")
    lst.set_defaults(func=run_list)


def run_grant(args: argparse.Namespace) -> int:
    """Store one grant (replacing the same subject's grant on the same organization)."""
    from survey_model.store import StoreError

    try:
        with open_store(args, create=True) as store:
            made = store.grant(email=args.email, domain=args.domain, role=args.role, org=args.org, user=args.user)
            names = {org.id: org.name for org in store.organizations()}
    except GrantError as exc:
        return fail("Nothing granted: " + " ".join(exc.problems))
    except StoreError as exc:
        return fail(exc.message, exc.action)
    print(f"Granted {made.describe(names)}. The audit log records the change.")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    """Remove one grant; the last staff grant is refused."""
    from survey_model.store import StoreError

    try:
        with open_store(args, create=False) as store:
            removed = store.revoke(email=args.email, domain=args.domain, org=args.org, user=args.user)
            names = {org.id: org.name for org in store.organizations()}
    except StoreError as exc:
        return fail(exc.message, exc.action)
    print(f"Revoked {removed.describe(names)}. The audit log records the change.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Print every grant, as a table or as JSON."""
    from survey_model.store import StoreError

    try:
        with open_store(args, create=False) as store:
            grants = store.grants()
            names = {org.id: org.name for org in store.organizations()}
    except StoreError as exc:
        return fail(exc.message, exc.action)
    if args.json:
        rows = [
            {
                "subject": g.subject,
                "kind": "domain" if g.is_domain else "email",
                "role": g.role,
                "organization": g.org,
                "granted_by": g.granted_by,
                "granted_at": g.granted_at.isoformat() if g.granted_at else None,
            }
            for g in grants
        ]
        print(json.dumps(rows, indent=2))
        return 0
    if not grants:
        print(f"No grants yet. Make the first staff grant: access grant --email YOU --role staff --org '{EVERY}'")
        return 0
    for g in grants:
        org = "every organization" if g.org == EVERY else f"{names.get(g.org, g.org)} ({g.org})"
        print(f"{g.subject:<40} {g.role:<12} {org}  — granted by {g.granted_by}")
    return 0

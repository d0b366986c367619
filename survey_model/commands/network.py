"""``network``: put an organization in a network (its pages then show the network's pooled figures), or list them.

::

    python -m survey_model network --org ORG --name NETWORK    # join (or move to) a network
    python -m survey_model network --org ORG --name ""         # leave it
    python -m survey_model network                             # every organization and its network

A partner's pages show the network's pooled figure only when at least three organizations of the network each
have at least the minimum number of respondents in the wave (:mod:`survey_model.network`).
"""

from __future__ import annotations

import argparse

from survey_model.commands.store import add_database_argument, add_user_argument, fail, open_store, stored_org

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``network`` subcommand."""
    parser = subparsers.add_parser(
        "network",
        help="put an organization in a network (pooled figures beside each partner), or list the networks",
        description="With --org and --name, set the organization's network (an empty name takes it out); "
        "without, list every organization and its network.",
    )
    add_database_argument(parser)
    add_user_argument(parser)
    parser.add_argument("--org", help="organization id")
    parser.add_argument("--name", help='network name, e.g. "Great Lakes Network" ("" to leave it)')
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Set one organization's network, or list every organization's."""
    from survey_model.store import StoreError

    if (args.org is None) != (args.name is None):
        return fail("Give both --org and --name to set a network, or neither to list them.")
    try:
        with open_store(args, create=False) as store:
            if args.org is None:
                for organization in store.organizations():
                    network = store.network_of(organization.id) or "(no network)"
                    print(f"{organization.id:<24} {network:<30} {organization.name}")
                return 0
            org = stored_org(store, args.org)
            store.set_network(org, args.name, user=args.user)
    except StoreError as exc:
        return fail(exc.message, exc.action)
    except ValueError as exc:
        return fail(str(exc))
    if args.name.strip():
        print(f"Organization {org!r} is in the network {args.name.strip()!r}. The audit log records it.")
    else:
        print(f"Organization {org!r} is in no network. The audit log records it.")
    return 0

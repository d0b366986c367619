"""Subcommands of ``python -m survey_model``: one module per command family.

Each module exposes ``register(subparsers)`` that adds its subcommand(s) and sets ``func`` on the parser
to a function ``(args: argparse.Namespace) -> int`` (the exit code). ``survey_model.cli`` collects them.
"""

__all__: list[str] = []  # the command modules are found by name, see survey_model.cli

"""`mgames`: the one command line of the platform (local stack, tokens, campaign config).

Every command says what it does and shows an example (`mgames COMMAND --help`); a failure
is one line on stderr and exit status 2 (the input) or 1 (refused or failed): see
infra/failures.py.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from infra.arguments import LOCAL_ENDPOINT, Parser, examples, store_options
from infra.deploy.cli import add_commands as add_deploy_commands
from infra.failures import guarded
from infra.report import add_report_command
from infra.simulate import add_commands as add_simulate_commands
from infra.stack_commands import add_commands as add_stack_commands
from infra.store_commands import add_commands as add_store_commands
from infra.validate import DRAWS, cmd_validate, draw_count
from infra.webhook_commands import add_commands as add_webhook_commands
from plugins.registry import contribution, games

__all__ = ["main", "parser", "store_options"]

PROBE = ("mgames#reachable", "-")
"""A key no item has: reading it proves the endpoint answers, the credentials hold and the
table exists, before a command does any work."""


def _bind_store(endpoint: str | None, table: str) -> None:
    """Point the store at `endpoint` (a local stack) with dummy credentials if none are set,
    and read one item to fail early, with the reason, if the table cannot be used."""
    if endpoint:
        os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = endpoint
        os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    from plugins.store import ConfigItem, bind_table

    bind_table(table)
    with contextlib.suppress(ConfigItem.DoesNotExist):
        ConfigItem.get(*PROBE)


def parser() -> argparse.ArgumentParser:
    """Every command: the platform's, then each installed game's (`GamePlugin.commands`)."""
    root: argparse.ArgumentParser = Parser(
        prog="mgames", description=__doc__,
        epilog=examples("mgames local", f"mgames apply examples/demo.yaml --endpoint {LOCAL_ENDPOINT}",
                        "mgames partner upload --help"))
    sub = root.add_subparsers(dest="command", required=True, metavar="COMMAND",
                              help="what to do (each has --help, with an example)")
    add_stack_commands(sub)
    validate = sub.add_parser("validate", help="check campaign files, naming field and reason",
                              epilog=examples("mgames validate examples/demo.yaml",
                                              "mgames validate campaigns/*.yaml --draws 30"))
    validate.add_argument("files", nargs="+", type=Path, help="campaign YAML files")
    validate.add_argument("--draws", type=draw_count, default=DRAWS,
                          help=f"show odds after per-member caps over this many draws of a member "
                               f"(default {DRAWS})")
    validate.set_defaults(run=cmd_validate)
    add_store_commands(sub)
    add_report_command(sub, store_options)
    add_webhook_commands(sub)
    add_deploy_commands(sub)
    add_simulate_commands(sub)
    for plugin in games().values():
        add_commands = contribution(plugin, "commands")
        if add_commands is not None:
            add_commands(sub, store_options)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = argparse.Namespace()

    def run() -> int:
        try:
            vars(args).update(vars(parser().parse_args(argv)))
        except SystemExit as done:  # --help (0), or a usage error already said (2)
            return done.code if isinstance(done.code, int) else 2
        if getattr(args, "uses_store", False):
            _bind_store(args.endpoint, args.table)
        return int(args.run(args))

    return guarded(run, args)


if __name__ == "__main__":
    sys.exit(main())

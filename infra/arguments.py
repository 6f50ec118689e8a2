"""How every `mgames` command declares itself: help on each argument, an example after it.

`Parser` is the class of the root parser and, through argparse's `parser_class`, of every
subcommand, the games' too: the help keeps the examples' lines as written
(`RawDescriptionHelpFormatter`), and a usage error is one line on stderr, exit status 2.
`examples(...)` formats a command's `epilog`; `tests/console/test_cli_help.py` walks the
whole tree and fails on a command without one or an argument without help.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, NoReturn

__all__ = ["EXAMPLES", "LOCAL_ENDPOINT", "Parser", "examples", "say", "store_options"]

EXAMPLES = "examples:"
LOCAL_ENDPOINT = "http://127.0.0.1:8001"
"""The DynamoDB of `mgames local` (its `--dynamodb-port`)."""


class Parser(argparse.ArgumentParser):
    """argparse's parser with examples kept as written and one-line usage errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def examples(*lines: str) -> str:
    """A command's `epilog`: its example command lines, each on its own line."""
    return "\n".join([EXAMPLES, *(f"  {line}" for line in lines)])


def store_options(command: argparse.ArgumentParser) -> None:
    """`--endpoint` and `--table` for a command that uses the table: the CLI binds it first."""
    command.add_argument("--endpoint", default=os.environ.get("AWS_ENDPOINT_URL_DYNAMODB"),
                         help=f"DynamoDB endpoint, e.g. {LOCAL_ENDPOINT} for mgames local "
                              "(default: $AWS_ENDPOINT_URL_DYNAMODB, else AWS)")
    command.add_argument("--table", default=os.environ.get("MGAMES_TABLE", "mgames-local"),
                         help="the games table (default: $MGAMES_TABLE, else mgames-local)")
    command.set_defaults(uses_store=True)


def say(line: str) -> None:
    """One line for the operator on stderr (progress and failures; stdout is the result)."""
    print(line, file=sys.stderr, flush=True)

"""What `mgames` says when a command cannot do its work: one line on stderr, and its status.

The one place where a command's failures become exit statuses; never a traceback for these:
- **2**, the input is wrong: a usage error; a file missing, unreadable or of the wrong format;
  no `--endpoint` and no AWS credentials; a table that does not exist; a request refused
  as malformed (a `GameError` of status 400, 413, 415 or 422: `CONFIG_INVALID`,
  `CODES_INVALID`, `IDEMPOTENCY_KEY_REUSED`, ...);
- **1**, the operation was refused (any other `GameError`: not found, a conflict, forbidden)
  or failed (the store cannot be reached or is busy: `SERVICE_UNAVAILABLE`; any other store
  error);
- **130**, interrupted (Ctrl-C).

A failure that has to do with the table names the table and the endpoint, and how to reach
the local stack's. Anything else is a bug, and keeps its traceback.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from botocore.exceptions import BotoCoreError, NoCredentialsError, NoRegionError, PartialCredentialsError
from pynamodb.exceptions import PynamoDBException

from infra.arguments import LOCAL_ENDPOINT, say
from plugins.errors import GameError, ServiceUnavailableError
from plugins.registry import PluginError

__all__ = ["INPUT_STATUSES", "UsageError", "failure", "guarded", "one_line"]

INPUT_STATUSES = frozenset({400, 413, 415, 422})
"""A GameError of these statuses refuses what was asked (the input), not the operation."""
USAGE, FAILED, INTERRUPTED = 2, 1, 130


class UsageError(Exception):
    """The command line asks for something that cannot be done as asked (exit status 2)."""


def one_line(text: str) -> str:
    """`text` on one line: a message that spans lines (a YAML error) is joined."""
    return " ".join(text.split())


def _where(args: argparse.Namespace) -> str:
    return (f"the table {args.table!r} at {args.endpoint or 'AWS'}; for the local stack run "
            f"`mgames local`, then pass --endpoint {LOCAL_ENDPOINT}")


def failure(exc: BaseException, args: argparse.Namespace) -> tuple[int, str] | None:
    """(exit status, the one line to print) for a failure `mgames` explains; None for a bug."""
    store = getattr(args, "uses_store", False)
    where = f" ({_where(args)})" if store else ""
    if isinstance(exc, UsageError):
        return USAGE, f"error: {exc}"
    if isinstance(exc, KeyboardInterrupt):
        return INTERRUPTED, "error: interrupted; the same command run again resumes or replays it"
    if isinstance(exc, GameError):
        status = USAGE if exc.status in INPUT_STATUSES else FAILED
        detail = where if isinstance(exc, ServiceUnavailableError) else ""
        return status, f"error {exc.code}: {exc.message}{detail}"
    if isinstance(exc, PluginError):
        return FAILED, f"error: {exc}"
    if isinstance(exc, OSError):
        named = f"{exc.filename}: " if exc.filename is not None else ""
        return USAGE, f"error: {named}{exc.strerror or exc}"
    if isinstance(exc, PynamoDBException | BotoCoreError):
        cause = getattr(exc, "cause", None) or exc
        if isinstance(cause, NoCredentialsError | PartialCredentialsError | NoRegionError):
            return USAGE, f"error: {cause}{where}"
        if isinstance(exc, PynamoDBException) and exc.cause_response_code == "ResourceNotFoundException":
            return USAGE, f"error: no such table{where}"
        return FAILED, f"error: {' '.join(str(cause).split())}{where}"
    return None


def guarded(run: Callable[[], int], args: argparse.Namespace) -> int:
    """Run a command; a failure it can explain is one line on stderr and its exit status."""
    try:
        return run()
    except (Exception, KeyboardInterrupt) as exc:
        explained = failure(exc, args)
        if explained is None:
            raise
        status, line = explained
        say(one_line(line))
        return status

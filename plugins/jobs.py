"""Scheduled work of every game, run by the worker function (and by `mgames local`).

A game lists its sweeps in `GamePlugin.jobs` (the platform's own, the webhooks' delivery,
runs first); each takes the current time and a deadline and
returns how many items it handled. Sweeps must be idempotent and safe to run concurrently
with players and with each other: the worker may run late, twice, or overlap.

A run has a time budget below the function's timeout, and each job gets a fair share of what
is left when its turn comes (what one job leaves unused goes to the ones after it), so a
slow job (a hanging partner) cannot starve the others. A job whose share runs out stops
and leaves the rest, its cursor where it stopped, for the next run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from aws_lambda_powertools import Logger

from plugins.registry import games
from plugins.timebox import Deadline
from plugins.webhooks import deliver_webhooks

__all__ = ["DEFAULT_BUDGET_SECONDS", "PLATFORM_JOBS", "RUN_SHARE", "run_deadline", "run_jobs"]

logger = Logger(child=True)
DEFAULT_BUDGET_SECONDS = 45.0
"""A run's budget without a Lambda context (`mgames jobs`, the local stack)."""
RUN_SHARE = 0.75
"""The part of the function's remaining time a run may use: the rest covers a job's last
call in flight (a DynamoDB call's retries take up to 9 s) and the metrics' flush."""
PLATFORM_JOBS: dict[str, Callable[[datetime, Deadline], int]] = {
    "platform:deliver_webhooks": deliver_webhooks}
"""The platform's own jobs, run before the games' ones."""


def run_deadline(context: Any = None) -> Deadline:
    """The run's deadline: `RUN_SHARE` of the Lambda context's remaining time if there is one."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    seconds = remaining() / 1000 * RUN_SHARE if callable(remaining) else DEFAULT_BUDGET_SECONDS
    return Deadline.within(seconds)


def run_jobs(now: datetime, deadline: Deadline | None = None) -> dict[str, int]:
    """Run every game's jobs once, each within its share of `deadline` (default: the
    default budget); a failing job is logged and the others still run."""
    run = deadline or run_deadline()
    planned = [*PLATFORM_JOBS.items()]
    planned += [(f"{name}:{job.__name__}", job)
                for name, plugin in sorted(games().items()) for job in plugin.jobs]
    handled: dict[str, int] = {}
    for turn, (label, job) in enumerate(planned):
        share = run.share(len(planned) - turn)
        try:
            handled[label] = job(now, share)
        except Exception:  # one game's bug must not stop the others' sweeps
            logger.exception("job failed", extra={"job": label})
            handled[label] = -1
        if share.passed():
            logger.warning("job ran out of time: the next run resumes it", extra={"job": label})
    return handled

"""Scheduled work of every game, run by the worker function (and by `mgames local`).

A game lists its sweeps in `GamePlugin.jobs`; each takes the current time and returns how
many items it handled. Sweeps must be idempotent and safe to run concurrently with players
and with each other: the worker may run late, twice, or overlap.
"""

from __future__ import annotations

from datetime import datetime

from aws_lambda_powertools import Logger

from plugins.registry import games

logger = Logger(child=True)


def run_jobs(now: datetime) -> dict[str, int]:
    """Run every game's jobs once; a failing job is logged and the others still run."""
    handled: dict[str, int] = {}
    for name, plugin in sorted(games().items()):
        for job in plugin.jobs:
            label = f"{name}:{job.__name__}"
            try:
                handled[label] = job(now)
            except Exception:  # one game's bug must not stop the others' sweeps
                logger.exception("job failed", extra={"job": label})
                handled[label] = -1
    return handled

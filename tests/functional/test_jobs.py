"""The worker runs every game's scheduled jobs within its budget; one failing or slow job does
not stop the others."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import pytest

import plugins.jobs as jobs
from functions.worker import handler
from infra.local.events import LambdaContext
from plugins.contracts import GamePlugin
from plugins.timebox import Deadline
from tests.conftest import NOW


def fake_games(*job_lists: tuple[Any, ...]) -> dict[str, GamePlugin]:
    from games.lucky_wheel import plugin

    return {f"g{i}": GamePlugin(name=f"g{i}", title="t", config_model=plugin.config_model,
                                router=plugin.router, jobs=tuple(js))
            for i, js in enumerate(job_lists)}


@pytest.fixture(autouse=True)
def games_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The platform's own jobs (the webhooks' delivery: tests/functional/test_webhooks.py) left out."""
    assert "platform:deliver_webhooks" in jobs.PLATFORM_JOBS
    monkeypatch.setattr(jobs, "PLATFORM_JOBS", {})


def test_every_job_runs_and_failures_are_isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[datetime] = []

    def sweep(now: datetime, deadline: Deadline) -> int:
        seen.append(now)
        return 3

    def broken(now: datetime, deadline: Deadline) -> int:
        raise RuntimeError("bug in one game")

    monkeypatch.setattr(jobs, "games", lambda: fake_games((broken,), (sweep,)))
    assert jobs.run_jobs(NOW) == {"g0:broken": -1, "g1:sweep": 3}
    assert seen == [NOW]


def test_the_worker_handler_runs_the_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    def sweep(now: datetime, deadline: Deadline) -> int:
        return 2

    monkeypatch.setattr(jobs, "games", lambda: fake_games((sweep,)))
    assert handler({}, LambdaContext("worker")) == {"handled": {"g0:sweep": 2}}


def test_a_slow_job_gets_its_share_of_the_run_and_no_more(monkeypatch: pytest.MonkeyPatch) -> None:
    given: dict[str, float] = {}

    def job(label: str, slow: bool) -> Any:
        def run(now: datetime, deadline: Deadline) -> int:
            given[label] = deadline.remaining()
            while slow and not deadline.passed():  # e.g. partner calls timing out one by one
                time.sleep(0.01)
            return 1

        run.__name__ = label
        return run

    monkeypatch.setattr(jobs, "games", lambda: fake_games((job("slow", True),), (job("quick", False),),
                                                          (job("last", False),)))
    started = time.monotonic()
    handled = jobs.run_jobs(NOW, Deadline.within(0.9))
    assert time.monotonic() - started < 1.0
    assert handled == {"g0:slow": 1, "g1:quick": 1, "g2:last": 1}
    # a third each; what the quick one leaves goes to the last one
    assert 0.25 < given["slow"] <= 0.3 and 0.25 < given["quick"] <= 0.3 < given["last"] <= 0.6


def test_the_runs_budget_is_below_the_functions_remaining_time() -> None:
    class Context:
        def get_remaining_time_in_millis(self) -> int:
            return 60_000

    assert 44.5 < jobs.run_deadline(Context()).remaining() <= 60 * jobs.RUN_SHARE == 45
    assert jobs.run_deadline(None).remaining() <= jobs.DEFAULT_BUDGET_SECONDS

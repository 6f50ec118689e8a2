"""The worker runs every game's scheduled jobs; one failing job does not stop the others."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

import plugins.jobs as jobs
from functions.worker import handler
from infra.local.events import LambdaContext
from plugins.contracts import GamePlugin
from tests.conftest import NOW


def fake_games(*job_lists: tuple[Any, ...]) -> dict[str, GamePlugin]:
    from games.lucky_wheel import plugin

    return {f"g{i}": GamePlugin(name=f"g{i}", title="t", config_model=plugin.config_model,
                                router=plugin.router, jobs=tuple(js))
            for i, js in enumerate(job_lists)}


def test_every_job_runs_and_failures_are_isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[datetime] = []

    def sweep(now: datetime) -> int:
        seen.append(now)
        return 3

    def broken(now: datetime) -> int:
        raise RuntimeError("bug in one game")

    monkeypatch.setattr(jobs, "games", lambda: fake_games((broken,), (sweep,)))
    assert jobs.run_jobs(NOW) == {"g0:broken": -1, "g1:sweep": 3}
    assert seen == [NOW]


def test_the_worker_handler_runs_the_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    def sweep(now: datetime) -> int:
        return 2

    monkeypatch.setattr(jobs, "games", lambda: fake_games((sweep,)))
    assert handler({}, LambdaContext("worker")) == {"handled": {"g0:sweep": 2}}

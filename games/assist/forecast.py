"""Assist in a forecast (docs/simulate.md): each active member tries to open as many tasks a
day as the traffic profile's plays, within `max_open_tasks`; each task gets a Poisson number
of friends (`helpers`), arriving at random within its lifetime, who help once each within
their daily helps. A help completes a task by the game's own rule (`progress.completes`,
cards drawn by `AssistConfig.draw_card`), and completion draws the initiator's prize."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from games.assist.config import POOL_ID, AssistConfig
from games.assist.helps import HELPS_QUOTA
from games.assist.progress import completes, helped
from games.assist.views import GAME
from plugins.actions import Quota
from plugins.forecast import World

__all__ = ["AssistForecast"]

@dataclass
class Task:
    initiator: int
    left: int | None
    missing: frozenset[str] | None
    release: int
    """The day index from which the task, if still open, is expired and releases its place."""
    helpers: set[int] = field(default_factory=set)
    open: bool = True


class AssistForecast:
    order: ClassVar[int] = 20

    def __init__(self, section: AssistConfig, world: World) -> None:
        self.section = section
        self.quota = Quota(HELPS_QUOTA, section.helps_per_day, None)
        self.open: dict[int, list[Task]] = {}
        self.helps: dict[int, list[tuple[float, Task]]] = {}

    def day(self, world: World, active: Sequence[int]) -> None:
        for member in active:
            for _ in range(world.attempts(GAME)):
                if not self._open(world, member):
                    break
        for _, task in sorted(self.helps.pop(world.index, []), key=lambda arrival: arrival[0]):
            self._help(world, task)

    def _open(self, world: World, member: int) -> bool:
        section, index = self.section, world.index
        tasks = [t for t in self.open.get(member, []) if t.open and t.release > index]
        if len(tasks) >= section.max_open_tasks:
            self.open[member] = tasks
            return False
        hours = section.task_hours
        cards = frozenset(c.id for c in section.cards) if section.mode == "cards" else None
        release = index + math.ceil(hours / 24)  # the first noon at or past the deadline
        task = Task(member, None if cards else section.need, cards, release)
        self.open[member] = [*tasks, task]
        for day, hour in world.arrivals(world.traffic.helpers, hours):
            self.helps.setdefault(day, []).append((hour, task))
        return True

    def _help(self, world: World, task: Task) -> None:
        helper = world.other(task.initiator)
        if not task.open or helper < 0 or helper in task.helpers:
            return
        if not world.use(helper, self.quota):
            return
        section = self.section
        card = section.draw_card(world.rng).id if section.mode == "cards" else None
        task.helpers.add(helper)
        done = completes(section.mode, task.left, task.missing, card)
        task.left, task.missing = helped(section.mode, task.left, task.missing, card)
        world.issue(section.helper_reward, helper)
        if done:
            task.open = False
            world.award(GAME, POOL_ID, section, task.initiator, world.traffic.tier_of(task.initiator))

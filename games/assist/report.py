"""The assist game's figures for the campaign report (docs/console.md, "The report").

One `Scan` of the table, filtered to this campaign's task items (`C#<campaign>#AST#…`,
`TASK`): the metrics the tasks keep for reports (docs/games/assist.md).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from games.assist.items import TASK_SK, TaskItem
from games.assist.views import effective_state
from plugins.contracts import Campaign
from plugins.store import keys

__all__ = ["report"]


def report(campaign: Campaign, now: datetime) -> dict[str, Any]:
    """Tasks opened, completed and expired, the completion rate, helps, and the K factor:
    helps by new users per initiator (Σ `new_helpers` / distinct initiators)."""
    tasks = TaskItem.scan(TaskItem.pk.startswith(f"{keys.campaign(campaign.id)}#AST#")
                          & (TaskItem.sk == TASK_SK))
    states: Counter[str] = Counter()
    initiators: set[str] = set()
    helps = new_helps = 0
    for task in tasks:
        states[effective_state(task, now)] += 1
        initiators.add(str(task.initiator))
        helps += int(task.helps)
        new_helps += int(task.new_helpers)
    opened = sum(states.values())
    return {
        "tasks_opened": opened,
        "tasks_completed": states["completed"],
        "tasks_expired": states["expired"],
        "completion_rate": round(states["completed"] / opened, 4) if opened else 0.0,
        "initiators": len(initiators),
        "helps": helps,
        "new_user_helps": new_helps,
        "k_factor": round(new_helps / len(initiators), 4) if initiators else 0.0,
    }

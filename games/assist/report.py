"""The assist game's section of the campaign report (docs/console.md, "The report"), from
what its actions tallied: tasks opened and completed (each also under the hour of its
deadline, so the expired ones are known without a sweep), helps, initiators and helpers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from plugins.contracts import Campaign
from plugins.store import due_by

__all__ = ["report"]


def report(campaign: Campaign, figures: Mapping[str, int], now: datetime) -> dict[str, Any]:
    """Tasks opened, completed and expired, the completion rate, helps, and the K factor:
    helps by new users per initiator."""
    opened, completed = figures.get("tasks_opened", 0), figures.get("tasks_completed", 0)
    initiators, new_helps = figures.get("initiators", 0), figures.get("new_user_helps", 0)
    return {
        "tasks_opened": opened,
        "tasks_completed": completed,
        "tasks_expired": due_by(figures, "tasks_due", now) - due_by(figures, "completed_due", now),
        "completion_rate": round(completed / opened, 4) if opened else 0.0,
        "initiators": initiators,
        "helpers": figures.get("helpers", 0),
        "helps": figures.get("helps", 0),
        "new_user_helps": new_helps,
        "k_factor": round(new_helps / initiators, 4) if initiators else 0.0,
    }

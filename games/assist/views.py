"""What pages see: the campaign's rules, and a task as its share page or its initiator sees it.

Views never carry weights, stock, costs, the initiator's member id, device or IP. A task's
state is computed here lazily: an open task whose deadline passed reads `expired`, whether
or not anything was written at the deadline.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from games.assist.config import AssistConfig
from games.assist.items import TaskItem
from plugins.clock import stamp
from plugins.contracts import Campaign
from plugins.registry import get_issuer
from plugins.types import cents, yuan
from plugins.web.routing import heading

__all__ = ["GAME", "assist_of", "effective_state", "rules_view",
           "task_view"]

GAME = "assist"


def assist_of(campaign: Campaign) -> AssistConfig:
    return campaign.section(GAME, AssistConfig)


def effective_state(task: TaskItem, now: datetime) -> str:
    """open, completed or expired; expiry is read from the deadline, not waited for."""
    if task.state == "open" and task.deadline <= int(now.timestamp()):
        return "expired"
    return str(task.state)


def task_view(task: TaskItem, section: AssistConfig, campaign: Campaign, now: datetime, *,
              viewer: str | None = None, private: bool = False) -> dict[str, Any]:
    """The task for its share page; `private` adds what only the initiator sees (his reward)."""
    zone = campaign.config.zone
    view: dict[str, Any] = {
        "task_id": task.task_id, "mode": task.mode, "state": effective_state(task, now),
        "opened_at": stamp(task.opened_at, zone), "deadline": stamp(int(task.deadline), zone),
        "need": int(task.need), "helps": int(task.helps),
        "left": 0, "cut": None, "cards": None,
    }
    if task.mode == "cards":
        held = set(task.held or ())
        view["left"] = len(task.missing or ())
        view["cards"] = [{"id": c.id, "name": c.name, "image": c.image, "held": c.id in held}
                         for c in section.cards]
    else:
        view["left"] = int(task.left or 0)
    if task.mode == "cut":
        price, floor, to_cut = int(task.price), int(task.floor), int(task.to_cut)
        view["cut"] = {"price": yuan(price), "floor": yuan(floor), "price_now": yuan(floor + to_cut),
                       "cut_so_far": yuan(price - floor - to_cut)}
    if viewer is not None:
        view["mine"] = viewer == task.initiator
    if private:
        view["reward"] = task.reward
        done = task.completed_at
        view["completed_at"] = stamp(done, zone) if done else None
    return view


def rules_view(campaign: Campaign, now: datetime) -> dict[str, Any]:
    """The campaign's assist rules for the page (no reads)."""
    section = assist_of(campaign)
    cut = section.cut
    reward = section.helper_reward
    return {
        **heading(campaign, now),
        "mode": section.mode, "need": section.need, "task_hours": section.task_hours,
        "max_open_tasks": section.max_open_tasks, "helps_per_day": section.helps_per_day,
        "new_users_only": section.new_users_only,
        "new_user_days": section.new_user_days if section.new_users_only else None,
        "cut": None if cut is None else {"price": yuan(cents(cut.price)),
                                         "floor": yuan(cents(cut.floor)),
                                         "min_cut": yuan(cents(cut.min_cut))},
        "cards": [{"id": c.id, "name": c.name, "image": c.image} for c in section.cards] or None,
        "prizes": [p.public(campaign.config.zone) for p in section.prizes
                   if p.weight > 0 or p.id == section.fallback],
        "helper_reward": None if reward is None else get_issuer(reward.type).offer(
            reward, campaign.config.zone),
    }

"""What the assist routes answer, as models: the function's OpenAPI document types each
answer with them, and the conformance check holds every answer to their fields."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from plugins.types import MoneyText
from plugins.web import kit

__all__ = ["CardView", "CutView", "HelpView", "RulesView", "TaskList", "TaskView"]


class CutView(BaseModel):
    price: MoneyText
    floor: MoneyText
    price_now: MoneyText
    cut_so_far: MoneyText


class CardView(BaseModel):
    id: str
    name: str
    image: str | None = None
    held: bool | None = None


class TaskView(BaseModel):
    task_id: str
    mode: str
    state: str = Field(description="open, completed or expired")
    opened_at: str
    deadline: str
    need: int = Field(description="helps (helpers, cut) or distinct cards (cards) to complete")
    helps: int
    left: int = Field(description="helps still needed, or cards still missing")
    cut: CutView | None
    cards: list[CardView] | None
    mine: bool | None = Field(default=None, description="with a token: whether it is the caller's")
    reward: dict[str, Any] | None = Field(default=None, description="initiator only: his prize "
                                                                    "(`prize`, `reward`, `fallback`, and "
                                                                    "`draw_id`, its verifiable draw)")
    completed_at: str | None = None


class TaskList(kit.Paged):
    tasks: list[TaskView]


class HelpView(BaseModel):
    help_id: str
    task_id: str
    helped_at: str
    completed: bool = Field(description="this help completed the task")
    new_user: bool
    helper_reward: kit.IssuedReward | None
    cut: dict[str, str] | None = Field(description="cut mode: amount cut and the price now")
    card: CardView | None


class RulesView(kit.CampaignHeading):
    mode: str
    need: int
    task_hours: int
    max_open_tasks: int
    helps_per_day: int | None
    new_users_only: bool
    new_user_days: int | None
    cut: dict[str, str] | None
    cards: list[CardView] | None
    prizes: list[dict[str, Any]]
    helper_reward: kit.RewardOffer | None

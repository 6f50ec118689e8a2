"""The assist section of a campaign file: the target, the task lifetime and limits, the
completion prize pool, the helper's reward, and the cut or card-collection variant."""

from __future__ import annotations

import bisect
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from random import Random
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from plugins.contracts import GameConfig
from plugins.prize_pool import PrizePoolConfig
from plugins.prize_pool.model import Reward
from plugins.types import Money, Slug, cents

__all__ = ["POOL_ID", "AssistConfig", "Card", "CutConfig"]

POOL_ID = "assist"
Mode = Literal["helpers", "cut", "cards"]


class CutConfig(BaseModel):
    """The cut [砍价] variant: helpers bring the price from `price` down to `floor`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    price: Money = Field(description="the price before any cut (yuan)")
    floor: Money = Field(description="the price the last required helper lands on exactly")
    min_cut: Money = Field(default=Decimal("0.01"), gt=0,
                           description="the least one helper cuts (yuan)")

    @model_validator(mode="after")
    def _ordered(self) -> CutConfig:
        if self.floor >= self.price:
            raise ValueError("floor must be below price")
        return self


class Card(BaseModel):
    """One card of the collection variant; a help draws one card by weight."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug
    name: str = Field(min_length=1, max_length=60)
    weight: int = Field(default=1, ge=1, description="relative odds; never sent to the page")
    image: str | None = None


class AssistConfig(GameConfig, PrizePoolConfig):
    """`prizes` and `fallback` are the pool the initiator's completion reward is drawn from."""

    mode: Mode = Field(default="helpers", description="helpers: N friends help; cut: N friends "
                       "cut the price to the floor; cards: collect every card from friends")
    helpers_needed: int = Field(default=3, ge=1, le=100,
                                description="helps that complete a task (helpers and cut modes)")
    task_hours: int = Field(default=24, ge=1, le=720,
                            description="a task's lifetime; capped by the campaign's end")
    max_open_tasks: int = Field(default=1, ge=1, le=20, description="open tasks per initiator")
    helps_per_day: int | None = Field(default=5, ge=1, le=1000,
                                      description="helps per helper per local day (None: no limit)")
    new_users_only: bool = Field(default=False, description="only new users may help")
    new_user_days: int | None = Field(
        default=7, ge=1, le=365,
        description="registered this many days before the help counts as new (besides "
                    "registering after the campaign start); None: only the latter")
    block_same_device: bool = Field(default=True,
                                    description="block helpers on the initiator's device")
    block_same_ip: bool = Field(default=True, description="block helpers from the initiator's IP")
    helper_reward: Reward = Field(default=None, description="what each helper gets, once per help")
    cut: CutConfig | None = Field(default=None, description="required in cut mode")
    cards: list[Card] = Field(default_factory=list, max_length=20,
                              description="the collection, required in cards mode")

    @model_validator(mode="after")
    def _variant(self) -> AssistConfig:
        if (self.mode == "cut") != (self.cut is not None):
            raise ValueError("give `cut` exactly when mode is cut")
        if (self.mode == "cards") != bool(self.cards):
            raise ValueError("give `cards` exactly when mode is cards")
        if self.mode == "cards":
            ids = [c.id for c in self.cards]
            if len(ids) < 2 or len(set(ids)) != len(ids):
                raise ValueError("cards mode needs at least two cards with distinct ids")
        if self.cut is not None:
            room = cents(self.cut.price) - cents(self.cut.floor)
            if room < cents(self.cut.min_cut) * self.helpers_needed:
                raise ValueError(f"price - floor cannot give {self.helpers_needed} helpers "
                                 f"at least {self.cut.min_cut} each")
        return self

    def prize_pools(self) -> dict[str, PrizePoolConfig]:
        return {POOL_ID: self}

    @property
    def need(self) -> int:
        """What completes a task: helps (helpers, cut) or distinct cards (cards)."""
        return len(self.cards) if self.mode == "cards" else self.helpers_needed

    def draw_card(self, rng: Random) -> Card:
        """One card with probability weight / total weight."""
        bounds = list(accumulate(c.weight for c in self.cards))
        return self.cards[bisect.bisect_right(bounds, rng.randrange(bounds[-1]))]

    def is_new_user(self, registered_at: datetime | None, now: datetime,
                    campaign_start: datetime) -> bool:
        """New: registered after the campaign start, or within `new_user_days` before `now`.

        A token without a registration time (`reg`) is never new: the page cannot vouch.
        """
        if registered_at is None:
            return False
        if registered_at >= campaign_start:
            return True
        days = self.new_user_days
        return days is not None and registered_at >= now - timedelta(days=days)

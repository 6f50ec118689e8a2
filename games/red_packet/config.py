"""The red packets' section of a campaign file: triggers, the split, diminishing grabs, the
sharer's bonus and the coupon handed out with each grab.

Amounts are yuan in config (`Money`) and whole cents everywhere else.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from plugins.contracts import GameConfig
from plugins.issuance.cash import CashSpec
from plugins.prize_pool.model import Reward
from plugins.types import Money, PositiveInt, cents

__all__ = ["ActionTrigger", "Diminishing", "OrderTrigger", "RedPacketConfig", "SharerBonus"]

GAME = "red-packet"
Factor = Annotated[Decimal, Field(gt=0, le=1, decimal_places=2)]


class Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OrderTrigger(Section):
    """A packet per qualifying order, reported by the brand's order system (server to server)."""

    enabled: bool = True
    min_amount: Money = Field(default=Decimal(0), description="orders below this get no packet")
    fixed: Money | None = Field(default=None, gt=0, description="packet total for every order")
    percent: Decimal | None = Field(default=None, gt=0, le=100, decimal_places=2,
                                    description="packet total as a percentage of the order")
    cap: Money | None = Field(default=None, gt=0, description="most a percentage packet holds")

    @model_validator(mode="after")
    def _one_rule(self) -> OrderTrigger:
        if (self.fixed is None) == (self.percent is None):
            raise ValueError("give either fixed or percent (with cap)")
        if (self.percent is None) != (self.cap is None):
            raise ValueError("cap goes with percent, and percent needs a cap")
        return self

    def total_for(self, amount: int) -> int:
        """The packet total (cents) for an order of `amount` cents."""
        if self.fixed is not None:
            return cents(self.fixed)
        share = (Decimal(amount) * self.percent / 100).to_integral_value(ROUND_FLOOR)  # type: ignore[operator]
        return min(int(share), cents(self.cap))  # type: ignore[arg-type]


class ActionTrigger(Section):
    """A packet for the player's own campaign action (POST .../packets), within quotas."""

    enabled: bool = True
    amount: Money = Field(gt=0, description="packet total")
    per_day: PositiveInt | None = Field(default=1, le=100, description="packets per member per day")
    total: PositiveInt | None = Field(default=None, le=10_000, description="per member in the campaign")


class Diminishing(Section):
    """Repeat grabbers get less: the n-th grab in the window gets part x factors[n-1], never
    below `floor`; every grab after the factors gets exactly `floor` (or the part if smaller)."""

    window: Literal["day", "week"] = "day"
    factors: tuple[Factor, ...] = Field(default=(Decimal(1), Decimal("0.5")), min_length=1,
                                        max_length=10)
    floor: Money = Field(default=Decimal("0.10"), gt=0)

    @model_validator(mode="after")
    def _falling(self) -> Diminishing:
        if list(self.factors) != sorted(self.factors, reverse=True):
            raise ValueError("factors must not grow from one grab to the next")
        return self


class SharerBonus(Section):
    """What the sharer gets, once, when the `after_grabs`-th friend grabs his packet."""

    after_grabs: PositiveInt
    reward: Reward = Field(description="cash, points, or another reward that cannot be refused")

    @model_validator(mode="after")
    def _sure(self) -> SharerBonus:
        if self.reward is None or not self.reward.never_fails:
            raise ValueError("the sharer's reward must be one that cannot be refused (cash, points)")
        return self

    @property
    def reserved(self) -> int:
        """Cents each packet sets aside for this bonus (cash only; points cost no budget)."""
        return cents(self.reward.amount) if isinstance(self.reward, CashSpec) else 0


class RedPacketConfig(GameConfig):
    order: OrderTrigger | None = Field(default=None, description="packets for reported orders")
    action: ActionTrigger | None = Field(default=None, description="packets for a player action")
    parts: int = Field(default=5, ge=1, le=100, description="friends who can grab one packet")
    split: Literal["random", "equal"] = "random"
    min_part: Money = Field(default=Decimal("0.01"), gt=0, description="least one part holds")
    lifetime_hours: int = Field(default=24, ge=1, le=720, description="then unclaimed parts return")
    diminishing: Diminishing | None = Field(default=Diminishing(),
                                            description="null: every grab gets its whole part")
    grabs_per_day: PositiveInt | None = Field(default=None, le=1000,
                                              description="grabs per member per day; null: no limit")
    sharer_bonus: SharerBonus | None = None
    coupon: Reward = Field(default=None, description="e.g. a partner's coupon, with every grab")
    packets_budget: Money | None = Field(
        default=None, gt=0, description="most the packets may ever pay out, counted by the game; "
        "null: packets are paid from the campaign budget, which is then counted")

    @model_validator(mode="after")
    def _coherent(self) -> RedPacketConfig:
        least = self.parts * cents(self.min_part)
        smallest = {"action.amount": self.action and cents(self.action.amount),
                    "order.fixed": self.order and self.order.fixed and cents(self.order.fixed),
                    "order.cap": self.order and self.order.cap and cents(self.order.cap)}
        if self.order is not None and self.order.percent is not None:
            smallest["order.percent of min_amount"] = self.order.total_for(cents(self.order.min_amount))
        for where, total in smallest.items():
            if isinstance(total, int) and total < least:
                raise ValueError(f"{where} gives {total} cents, fewer than parts x min_part "
                                 f"({least} cents)")
        if self.sharer_bonus is not None and self.sharer_bonus.after_grabs > self.parts:
            raise ValueError("sharer_bonus.after_grabs cannot exceed parts")
        if isinstance(self.coupon, CashSpec):
            raise ValueError("coupon: cash is not handed out beside a packet; put it in the packet")
        return self

    @property
    def triggers(self) -> list[str]:
        """The triggers that make packets."""
        return [name for name, trigger in (("order", self.order), ("action", self.action))
                if trigger is not None and trigger.enabled]

    def spent_outside_pools(self, campaign_id: str) -> int:
        from games.red_packet.fund import packets_spent  # a store read, only on apply

        return packets_spent(campaign_id) if self.packets_budget is not None else 0

    def max_cost(self) -> Decimal | None:
        """The packets' own budget bounds what they can cost; without one nothing bounds how
        many packets are made, so the campaign budget must be counted."""
        if not (self.enabled and self.triggers):
            return Decimal(0)
        return self.packets_budget

"""The event gifts' section of a campaign file: rules that reward members for what the brand's
systems report (a registration, an order, a birthday...), and the event as reported."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from plugins.contracts import CampaignConfig
from plugins.prize_pool import Prize
from plugins.prize_pool.model import ListedPrizes
from plugins.types import Frozen, Money, PositiveInt

GAME = "event-gifts"
POOL_ID = "gifts"
EventKind = Literal["registration", "first_order", "order", "birthday", "profile_completed",
                    "share_opened"]
Period = Literal["event", "day", "week", "month", "campaign"]


class MemberEvent(Frozen):
    """What the brand's system reports: one event of one member, under its own id."""

    event_id: str = Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$", description="idempotent: rewarded once")
    kind: EventKind
    member_id: str = Field(pattern=r"^[^#\s]{1,64}$")
    at: datetime | None = Field(default=None, description="when it happened (default: now); with an offset")
    amount: Decimal | None = Field(default=None, gt=0, le=10_000_000, decimal_places=2,
                                   description="an order's amount, yuan")
    items: tuple[str, ...] = Field(default=(), max_length=100, description="an order's SKUs")
    birthday: date | None = Field(default=None, description="the member's birthday (birthday events)")
    inviter: str | None = Field(default=None, pattern=r"^[^#\s]{1,64}$",
                                description="who invited the member (registration, first order)")
    invited_at: datetime | None = Field(default=None, description="when the invitation was accepted")
    opened_by: str | None = Field(default=None, pattern=r"^[^#\s]{1,64}$",
                                  description="share_opened: the friend who opened the member's link")


class GiftRule(Prize):
    """One rule: the event it answers, what the event must show, how often a member may get
    it, and its reward. A rule is a prize of the shared pool, given instead of drawn: its
    stock (the first N members), cost (counted against the budget), per-member cap
    (`per_user_cap`, in the whole campaign) and reward go through the same reservation."""

    weight: int = Field(default=0, ge=0, description="unused: a rule is matched, not drawn")
    event: EventKind = Field(description="the kind of event the rule answers")
    once_per: Period = Field(default="campaign", description="a member gets it at most once per "
                             "event (every matching event), day, week, month or campaign")
    per_member_per_day: PositiveInt | None = Field(default=None, description="at most this many a day")
    min_amount: Money | None = Field(default=None, description="orders: at least this amount")
    items: tuple[str, ...] = Field(default=(), description="orders: holding any of these SKUs")
    hours: tuple[int, int] | None = Field(default=None, description="orders: [from, to) local hours")
    window: Literal["day", "week", "month"] = Field(default="day", description="birthday: the event "
                                                    "must fall on the day, in the week or in the month")
    invited_within_days: PositiveInt | None = Field(
        default=None, description="invitations: the inviter is rewarded when the invited member "
        "registers or first orders within this many days of the invitation")

    @model_validator(mode="after")
    def _fits_its_event(self) -> GiftRule:
        ordered = self.event in ("first_order", "order")
        if not ordered and (self.min_amount is not None or self.items or self.hours is not None):
            raise ValueError("min_amount, items and hours apply to order rules only")
        if self.invited_within_days is not None and self.event not in ("registration", "first_order"):
            raise ValueError("invited_within_days applies to registration and first_order rules")
        if self.hours is not None and not 0 <= self.hours[0] < self.hours[1] <= 24:
            raise ValueError("hours must be [from, to) with 0 <= from < to <= 24")
        return self

    def matches(self, event: MemberEvent, config: CampaignConfig, at: datetime) -> bool:
        """Whether `event`, happening `at`, earns this rule's reward."""
        if event.kind != self.event:
            return False
        if self.invited_within_days is not None:
            invited = event.invited_at
            return (event.inviter is not None and event.inviter != event.member_id and invited is not None
                    and timedelta(0) <= at - invited <= timedelta(days=self.invited_within_days))
        if self.event == "share_opened":
            return event.opened_by is not None and event.opened_by != event.member_id
        local = at.astimezone(config.zone)
        if self.min_amount is not None and (event.amount or 0) < self.min_amount:
            return False
        if self.items and not set(self.items) & set(event.items):
            return False
        if self.hours is not None and not self.hours[0] <= local.hour < self.hours[1]:
            return False
        if self.event == "birthday":
            return event.birthday is not None and self._near(event.birthday, local.date())
        return True

    def _near(self, birthday: date, day: date) -> bool:
        """Whether `day` falls on the birthday, in its week (Monday to Sunday) or its month."""
        if (birthday.month, birthday.day) == (2, 29) and not _leap(day.year):
            birthday = birthday.replace(day=28)
        this_year = birthday.replace(year=day.year)
        if self.window == "day":
            return day == this_year
        if self.window == "week":
            return day.isocalendar()[:2] == this_year.isocalendar()[:2]
        return day.month == this_year.month

    def recipient(self, event: MemberEvent) -> str:
        """Who gets the reward: the inviter for an invitation rule, else the member."""
        return event.inviter if self.invited_within_days is not None and event.inviter else event.member_id


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


class GiftsConfig(ListedPrizes):
    pool_id = POOL_ID
    rules: list[GiftRule] = Field(min_length=1, max_length=40)

    def listed(self) -> list[GiftRule]:
        return self.rules

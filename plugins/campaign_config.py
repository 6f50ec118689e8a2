"""The campaign file's campaign-wide fields, as every game and issuer receives them
(`Campaign.config`): its window and time zone, budget, channel, anti-fraud and anti-harassment
settings and stores. Part of the plug-in contract (`plugins.contracts` re-exports it)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationInfo, field_validator

from plugins.audience import Audience
from plugins.types import Frozen, Money, PositiveInt, Slug, Store, ordered_window
from plugins.webhook_endpoints import WebhookEndpoint

__all__ = ["CampaignConfig", "Disclosure", "HarassmentConfig", "VelocityConfig"]


class VelocityConfig(Frozen):
    """Successful actions allowed per device and per IP within a sliding window bucket."""

    window_seconds: PositiveInt = 60
    per_device: PositiveInt | None = 30
    per_ip: PositiveInt | None = 300


class HarassmentConfig(Frozen):
    """Anti-harassment: caps on coupons the campaign pushes to a member."""

    max_open_coupons: PositiveInt = 10
    same_type_per: Literal["day", "week", "month"] = "day"


class Disclosure(Frozen):
    """What the public disclosure publishes besides the prizes (docs/compliance.md): who runs
    the promotion, how prizes are redeemed, and whether a started campaign may add stock."""

    organiser: str = Field(min_length=1, max_length=200, description="the legal organiser")
    redemption_terms: str = Field(min_length=1, max_length=2000,
                                  description="how and until when prizes are redeemed")
    stock_may_extend: bool = Field(default=False, description="a started campaign may add stock")
    contact: str | None = Field(default=None, max_length=200, description="where to ask or complain")


class CampaignConfig(Frozen):
    id: Slug
    name: str = Field(min_length=1, max_length=100)
    enabled: bool = Field(default=True, description="the campaign-wide switch: off, every game "
                          "refuses players (403 CAMPAIGN_NOT_OPEN) until it is on again")
    timezone: str = "Asia/Shanghai"
    starts_at: datetime
    ends_at: datetime
    budget: Money
    budget_shards: int = Field(default=4, ge=1, le=20)
    channel: str = Field(default="h5", min_length=1, max_length=40)
    velocity: VelocityConfig = VelocityConfig()
    anti_harassment: HarassmentConfig = HarassmentConfig()
    games: dict[str, dict[str, Any]] = Field(min_length=1)
    audience: Audience | None = Field(default=None, description="who may play the campaign's games")
    stores: tuple[Store, ...] = Field(default=(), description="the brand's stores and their "
                                      "cities, which a coupon limited to cities is checked against")
    disclosure: Disclosure | None = Field(default=None, description="required to apply; optional "
                                          "here so versions stored before it was still load")
    webhooks: tuple[WebhookEndpoint, ...] = Field(
        default=(), max_length=10, description="the brand's endpoints that hear of its events")

    @field_validator("stores", "webhooks")
    @classmethod
    def _distinct_ids(cls, value: tuple[Any, ...], info: ValidationInfo) -> tuple[Any, ...]:
        if len({entry.id for entry in value}) < len(value):
            raise ValueError(f"{info.field_name} ids must be distinct")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("ends_at")
    @classmethod
    def _after_start(cls, value: datetime, info: ValidationInfo) -> datetime:
        ordered_window(info.data.get("starts_at"), value, "starts_at", "ends_at")
        return value

    def city_of(self, store_id: str) -> str | None:
        """The city of store `store_id` as the campaign lists it; None if unlisted."""
        return next((store.city for store in self.stores if store.id == store_id), None)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def aware(self, moment: datetime) -> datetime:
        """A naive datetime from the file is wall time in the campaign's zone."""
        return moment if moment.tzinfo else moment.replace(tzinfo=self.zone)

    def has_started(self, now: datetime) -> bool:
        """Its period's start has passed: its prizes and odds are published and locked."""
        return self.aware(self.starts_at) <= now

    def is_open(self, now: datetime) -> bool:
        """Switched on and within its period."""
        return self.enabled and self.aware(self.starts_at) <= now < self.aware(self.ends_at)

    def local_day(self, now: datetime) -> date:
        return now.astimezone(self.zone).date()

    def end_of_local_day(self, now: datetime) -> datetime:
        day = self.local_day(now)
        return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=self.zone)

    def day_expiry(self, now: datetime) -> int:
        """TTL (epoch seconds) for a per-day counter: two days after the campaign's local day."""
        return int(self.end_of_local_day(now).timestamp()) + 2 * 86400

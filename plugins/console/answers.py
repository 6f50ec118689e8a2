"""What the platform's console routes answer, as models: the console's OpenAPI document types
each success body with them (`documented(..., answer=...)`), so the conformance check holds
every answer to its fields. A game's console routes declare theirs beside them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from plugins.draws.answers import Disclosure
from plugins.store.pages import Paged
from plugins.types import MoneyText

__all__ = ["Applied", "CouponRedeemed", "Disclosure", "OperationsLog", "Report", "Switched", "VersionList"]


class Applied(BaseModel):
    campaign_id: str
    version: int = Field(description="the version this write stored")
    games: list[str] = Field(description="the games it runs (switched on)")
    budget_counted: bool = Field(description="whether the budget is counted in shards")


class Switched(Applied):
    game: str | None = Field(description="the game switched; none: the whole campaign")
    enabled: bool
    effective_within_seconds: float = Field(description="when every function has picked it up")


class Version(BaseModel):
    version: int
    applied_at: str = Field(description="in the time zone of that version")
    applied_by: str | None
    budget_counted: bool
    enabled: bool = Field(description="the campaign-wide switch of that version")
    games: dict[str, bool] = Field(description="each game of that version: on or off")


class CampaignPage(Paged):
    """A page of one of a campaign's lists, newest first."""

    campaign_id: str


class VersionList(CampaignPage):
    versions: list[Version]


class Operation(BaseModel):
    at: str
    by: str = Field(description="the credential that wrote: an operator's name, `partner:<id>`")
    kind: str = Field(description="what was written: `campaigns/apply`, `coupons/verify`, ...")
    result: dict[str, Any] = Field(description="the answer the write got")


class OperationsLog(CampaignPage):
    operations: list[Operation]


class Funnel(BaseModel):
    visitors: int = Field(description="members who opened a page (once a day counts)")
    players: int
    winners: int
    coupons_issued: int
    coupons_redeemed: int


class Cost(BaseModel):
    total: MoneyText
    brand: MoneyText
    partner: MoneyText = Field(description="the partners' part of partner coupons' cost")
    budget: MoneyText | None
    budget_used_rate: float
    by_game: dict[str, MoneyText]
    by_kind: dict[str, MoneyText] = Field(description="prizes, red_packet_cash, partner_coupons")


class ChannelFigures(BaseModel):
    plays: int
    cost: MoneyText


class Day(BaseModel):
    day: str = Field(description="a local day of the campaign's zone")
    visitors: int
    players: int
    plays: int
    winners: int
    cost: MoneyText
    coupons_redeemed: int
    sales_driven: MoneyText
    fraud_blocks: int


class Report(BaseModel):
    """The campaign's figures, from the aggregates (docs/report.md)."""

    campaign_id: str
    config_version: int
    as_of: str
    zone: str
    funnel: Funnel
    new_members: int
    plays: dict[str, int] = Field(description="per game")
    prizes_awarded: dict[str, dict[str, int]] = Field(description="per game and prize id")
    cost: Cost
    sales_driven: MoneyText = Field(description="order amounts of redeemed coupons")
    channels: dict[str, ChannelFigures]
    k_factor: dict[str, float] = Field(description="per game that has one")
    fraud_blocks: dict[str, int] = Field(description="per rule")
    days: list[Day]
    games: dict[str, dict[str, Any]] = Field(description="each game's own figures (docs/console.md)")
    items_read: int = Field(description="the figures items the report read")


class CouponRedeemed(BaseModel):
    coupon_id: str
    member_id: str
    campaign_id: str
    title: str | None
    state: Literal["redeemed"]
    redeemed_at: str
    store_id: str
    order_amount: MoneyText | None
    verified_by: str

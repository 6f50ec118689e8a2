"""What the platform's console routes answer, as models: the console's OpenAPI document types
each success body with them (`documented(..., answer=...)`), so the conformance check holds
every answer to its fields. A game's console routes declare theirs beside them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from plugins.store.pages import Paged
from plugins.types import MoneyText

__all__ = ["Applied", "CouponRedeemed", "OperationsLog", "Report", "Switched", "VersionList"]


class Applied(BaseModel):
    campaign_id: str
    version: int = Field(description="the version this write stored")
    games: list[str] = Field(description="the games it runs (switched on)")
    budget_counted: bool = Field(description="whether the budget is counted in shards")


class Switched(Applied):
    game: str
    enabled: bool
    effective_within_seconds: float = Field(description="when every function has picked it up")


class Version(BaseModel):
    version: int
    applied_at: str = Field(description="in the time zone of that version")
    applied_by: str | None
    budget_counted: bool
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


class Budget(BaseModel):
    total: MoneyText
    used: MoneyText
    source: Literal["budget shards", "awarded prize costs"]


class CouponFigures(BaseModel):
    issued: int
    redeemed: int
    redemption_rate: float


class Report(BaseModel):
    campaign_id: str
    config_version: int
    as_of: str
    participants: int
    plays: dict[str, int] = Field(description="per game")
    prizes_awarded: dict[str, dict[str, int]] = Field(description="per game and prize id")
    budget: Budget
    coupons: CouponFigures
    fraud_blocks: dict[str, int] = Field(description="per rule")
    games: dict[str, dict[str, Any]] = Field(description="each game's own figures (docs/console.md)")


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

"""The wallet's routes: reads of the player's own items, each one DynamoDB request."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from plugins.contracts import Campaign
from plugins.issuance import wallet
from plugins.web import kit

router = kit.LambdaFunctionUrlRouter()


class Points(kit.CampaignHeading):
    points: int = Field(description="the member's points balance, shared by every campaign of the brand")


class Ledger(kit.Paged):
    lines: list[wallet.LedgerLine]


class Coupons(kit.Paged):
    coupons: list[wallet.WalletCoupon]


@router.get("/campaigns/<campaign_id>/points", summary="The player's points balance",
            responses=kit.answers(Points, "the balance"), security=kit.PLAYER,
            openapi_extensions=kit.raises())
def get_points(campaign_id: kit.CampaignId, authorization: kit.Authorization = None) -> kit.Response[str]:
    player = kit.current_player()
    campaign, now = kit.runtime.configs.get(campaign_id), kit.runtime.clock()
    return kit.json_response(200, {**kit.heading(campaign, now), "points": wallet.balance(player.member_id)})


def _ledger(campaign: Campaign, member_id: str, now: datetime, cursor: str | None,
            limit: int) -> tuple[list[dict[str, Any]], str | None]:
    return wallet.ledger(member_id, campaign.config.zone, cursor, limit)


def _coupons(campaign: Campaign, member_id: str, now: datetime, cursor: str | None,
             limit: int) -> tuple[list[dict[str, Any]], str | None]:
    return wallet.coupons(campaign.id, member_id, campaign.config.zone, now, cursor, limit)


kit.paged_route(router, "/campaigns/<campaign_id>/points/ledger", "The player's points ledger",
                Ledger, "a page of it, newest first", "lines", _ledger, ())
kit.paged_route(router, "/campaigns/<campaign_id>/coupons", "The player's coupons of the campaign",
                Coupons, "a page of them, newest first, whatever game issued them", "coupons", _coupons, ())

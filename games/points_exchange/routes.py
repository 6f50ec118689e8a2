"""The exchange's routes on its function URL (all JSON; errors use the shared envelope)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from games.points_exchange.config import GAME
from games.points_exchange.service import EXCHANGE_ERRORS, exchange, exchange_of, member_view, sold_out
from plugins.types import Slug
from plugins.web import kit

router = kit.LambdaFunctionUrlRouter()


class ItemView(kit.PrizeView):
    price_points: int
    per_member_per_day: int | None
    per_member_total: int | None
    starts_at: str | None = Field(description="on sale from; null = from the campaign's start")
    ends_at: str | None = Field(description="on sale until; null = to the campaign's end")


class CatalogueItem(ItemView):
    on_sale: bool = Field(description="within its sale window now")
    sold_out: bool = Field(description="as this function instance last saw it (no read)")
    left: int | None = Field(default=None, description="with a token: how many more the player may "
                             "exchange now, the smaller of today's and the campaign's limit "
                             "(null = unlimited)")


class CampaignView(kit.CampaignHeading):
    items: list[CatalogueItem]
    points: int | None = Field(default=None, description="with a token: the player's points balance")


class ExchangeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item: Slug = Field(description="the catalogue item's id")
    channel: str | None = Field(default=None, max_length=40, description="where the page runs")


class ExchangeView(BaseModel):
    exchange_id: str
    exchanged_at: str
    item: ItemView
    points_spent: int
    reward: kit.IssuedReward | None


class ExchangeList(kit.Paged):
    exchanges: list[ExchangeView]


EXCHANGED = kit.Counted("Exchanges", "exchange", awarded=lambda r: True,
                        fields=lambda r: {"exchange_id": r["exchange_id"], "item": r["item"]["id"]})


@router.get("/campaigns/<campaign_id>", summary="The catalogue",
            responses=kit.answers(CampaignView, "the campaign and its items"),
            openapi_extensions=kit.raises())
def get_campaign(campaign_id: kit.CampaignId, authorization: kit.Authorization = None) -> kit.Response[str]:
    campaign, now = kit.runtime.configs.get(campaign_id), kit.runtime.clock()
    config, zone = campaign.config, campaign.config.zone
    player = kit.optional_player()
    mine = member_view(campaign, player.member_id, now) if player is not None else None
    items = [item.listing(config, zone) | {"on_sale": item.on_sale(config, now),
                                           "sold_out": sold_out(campaign, item)}
             | ({"left": mine["left"][item.id]} if mine else {})
             for item in exchange_of(campaign).items]
    view = {**kit.heading(campaign, now), "items": items} | ({"points": mine["points"]} if mine else {})
    return kit.json_response(200, view)


@kit.action(router, "/campaigns/<campaign_id>/exchanges", "Exchange points for an item", ExchangeView,
            "the exchange and its reward (a replay returns the first answer)", EXCHANGED,
            EXCHANGE_ERRORS)
def post_exchange(a: kit.Action, body: Annotated[ExchangeRequest, kit.Body()]) -> kit.ActionResult:
    return exchange(a.campaign, a.player, a.key, body.model_dump(exclude_none=True), a.now,
                    kit.runtime.rng)


kit.history_route(router, "/campaigns/<campaign_id>/exchanges", "The player's own exchanges",
                  ExchangeList, "exchanges", GAME, exchange_of)

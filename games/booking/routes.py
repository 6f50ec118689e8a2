"""The booking's routes on its function URL (all JSON; errors use the shared envelope)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.router import LambdaFunctionUrlRouter
from aws_lambda_powertools.metrics import MetricUnit
from pydantic import BaseModel, ConfigDict, Field

from games.booking.bookings import book, cancel
from games.booking.config import GAME
from games.booking.items import BookingItem, bookings_prefix
from games.booking.rules import booking_of, booking_view, public_rules
from games.booking.stock import sold_out
from games.booking.verify import verify
from plugins.actions import ActionRequest
from plugins.errors import MalformedRequestError
from plugins.runtime import runtime
from plugins.store import keys
from plugins.web import current_player, idempotency_key, logger, metrics
from plugins.web.routing import (
    Authorization,
    CampaignHeading,
    CampaignId,
    IdempotencyKey,
    action_response,
    heading,
    json_response,
)

router = LambdaFunctionUrlRouter()
BookingId = Annotated[str, Path(pattern=r"^[0-9a-f]{16}$", description="booking id")]


class CampaignView(CampaignHeading):
    item: dict[str, Any]
    price: str
    day_quantity: int
    limit_per: str
    booking: dict[str, Any]
    pickup: dict[str, Any]
    fulfilment: dict[str, Any]
    today: str
    sold_out_today: bool = Field(description="as this function instance last saw it (no read)")


class BookRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: date = Field(description="the day booked (yyyy-mm-dd, campaign time zone)")
    store_id: str | None = Field(default=None, max_length=63, description="pick-up store")


class VerifyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=16, description="the pick-up code")


class BookingView(BaseModel):
    booking_id: str
    day: str
    state: str
    code: str
    store_id: str | None
    price: str
    pickup_from: str
    pickup_until: str
    booked_at: str


class BookingList(BaseModel):
    bookings: list[BookingView]


class VerifiedView(BaseModel):
    booking_id: str
    code: str
    state: str
    day: str
    store_id: str | None
    member_id: str
    verified_by: str
    verified_at: str


def _json(model: type[BaseModel], what: str) -> Any:
    return {200: {"description": what, "content": {"application/json": {"model": model}}}}


@router.get("/campaigns/<campaign_id>", summary="The item, its price and windows",
            responses=_json(CampaignView, "the campaign"))
def get_campaign(campaign_id: CampaignId) -> Response[str]:
    campaign = runtime.configs.get(campaign_id)
    section = booking_of(campaign)
    now = runtime.clock()
    today = campaign.config.local_day(now).isoformat()
    view = {**heading(campaign, now), **public_rules(section), "today": today,
            "sold_out_today": sold_out(campaign, section, today)}
    return json_response(200, view)


@router.post("/campaigns/<campaign_id>/bookings", summary="Book one unit for a day",
             responses={201: {"description": "the booking and its pick-up code (a replay "
                                             "returns the first answer)",
                              "content": {"application/json": {"model": BookingView}}}})
def post_booking(
    campaign_id: CampaignId,
    body: Annotated[BookRequest, Body()],
    idempotency: IdempotencyKey = None,
    authorization: Authorization = None,
) -> Response[str]:
    player = current_player()
    key = idempotency_key(idempotency)
    campaign = runtime.configs.get(campaign_id)
    request = ActionRequest(campaign=campaign, game=GAME, player=player, key=key,
                            body=body.model_dump(mode="json"), now=runtime.clock())
    outcome = book(request, body.day, body.store_id, runtime.rng)
    if not outcome.replayed:
        metrics.add_metric(name="Bookings", unit=MetricUnit.Count, value=1)
        logger.info("booked", extra={"booking_id": outcome.result["booking_id"],
                                     "day": outcome.result["day"], "member_id": player.member_id})
    return action_response(outcome)


@router.get("/campaigns/<campaign_id>/bookings", summary="The player's own bookings",
            responses=_json(BookingList, "newest first, states as of now"))
def list_bookings(campaign_id: CampaignId, authorization: Authorization = None) -> Response[str]:
    player = current_player()
    booking_of(runtime.configs.get(campaign_id))
    now = runtime.clock()
    found = BookingItem.query(keys.member(player.member_id),
                              BookingItem.sk.startswith(bookings_prefix(campaign_id)))
    ordered = sorted(found, key=lambda b: b.booked_at, reverse=True)
    return json_response(200, {"bookings": [booking_view(b, now) for b in ordered]})


@router.post("/campaigns/<campaign_id>/bookings/<booking_id>/cancel", summary="Cancel a booking",
             responses={201: {"description": "the booking, cancelled",
                              "content": {"application/json": {"model": BookingView}}}})
def post_cancel(
    campaign_id: CampaignId,
    booking_id: BookingId,
    idempotency: IdempotencyKey = None,
    authorization: Authorization = None,
) -> Response[str]:
    player = current_player()
    key = idempotency_key(idempotency)
    campaign = runtime.configs.get(campaign_id)
    request = ActionRequest(campaign=campaign, game=GAME, player=player, key=key,
                            body={"cancel": booking_id}, now=runtime.clock())
    outcome = cancel(request, booking_id)
    if not outcome.replayed:
        metrics.add_metric(name="Cancellations", unit=MetricUnit.Count, value=1)
    return action_response(outcome)


@router.post("/campaigns/<campaign_id>/verifications", summary="Staff verify a pick-up code",
             responses={200: {"description": "the booking, picked up",
                              "content": {"application/json": {"model": VerifiedView}}}})
def post_verification(
    campaign_id: CampaignId,
    body: Annotated[VerifyRequest, Body()],
    authorization: Authorization = None,
) -> Response[str]:
    staff = current_player()
    campaign = runtime.configs.get(campaign_id)
    if not body.code.strip():
        raise MalformedRequestError("code must not be blank")
    result = verify(campaign, body.code, staff, runtime.clock())
    metrics.add_metric(name="PickUps", unit=MetricUnit.Count, value=1)
    logger.info("picked up", extra={"booking_id": result["booking_id"], "staff": staff.member_id})
    return json_response(200, result)

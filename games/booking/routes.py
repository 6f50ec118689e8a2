"""The booking's routes on its function URL (all JSON; errors use the shared envelope)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from games.booking.bookings import BOOK_ERRORS, CANCEL_ERRORS, book, cancel
from games.booking.config import GAME
from games.booking.items import BookingItem, bookings_prefix
from games.booking.rules import booking_of, booking_view, public_rules
from games.booking.stock import sold_out
from games.booking.verify import VERIFY_ERRORS, VerifiedView, verify
from plugins.contracts import Campaign
from plugins.errors import MalformedRequestError
from plugins.http import idempotency_key
from plugins.identity.callers import STAFF
from plugins.store import keys
from plugins.store.pages import page
from plugins.types import MoneyText
from plugins.web import kit

router = kit.LambdaFunctionUrlRouter()
BookingId = Annotated[str, kit.Path(pattern=r"^[0-9a-f]{16}$", description="booking id")]


class CampaignView(kit.CampaignHeading):
    item: dict[str, Any]
    price: MoneyText
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
    price: MoneyText
    pickup_from: str
    pickup_until: str
    booked_at: str


class BookingList(kit.Paged):
    bookings: list[BookingView]


BOOKED = kit.Counted("Bookings", "booked", fields=lambda r: {"booking_id": r["booking_id"], "day": r["day"]})
CANCELLED = kit.Counted("Cancellations", "booking cancelled")
PICKED_UP = kit.Counted("PickUps", "picked up", fields=lambda r: {"booking_id": r["booking_id"]})


@router.get("/campaigns/<campaign_id>", summary="The item, its price and windows",
            responses=kit.answers(CampaignView, "the campaign"), openapi_extensions=kit.raises())
def get_campaign(campaign_id: kit.CampaignId) -> kit.Response[str]:
    campaign = kit.runtime.configs.get(campaign_id)
    section = booking_of(campaign)
    now = kit.runtime.clock()
    today = campaign.config.local_day(now).isoformat()
    view = {**kit.heading(campaign, now), **public_rules(section), "today": today,
            "sold_out_today": sold_out(campaign, section, today)}
    return kit.json_response(200, view)


@kit.action(router, "/campaigns/<campaign_id>/bookings", "Book one unit for a day", BookingView,
            "the booking and its pick-up code (a replay returns the first answer)", BOOKED, BOOK_ERRORS)
def post_booking(a: kit.Action, body: Annotated[BookRequest, kit.Body()]) -> kit.ActionResult:
    return book(a.request(GAME, body.model_dump(mode="json")), body.day, body.store_id, kit.runtime.rng)


def own_bookings(campaign: Campaign, member_id: str, now: datetime, cursor: str | None,
                 limit: int) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the member's bookings (in the order of their random ids; the page itself
    newest first) and the next page's cursor: one Query."""
    booking_of(campaign)
    found = page(BookingItem, keys.member(member_id), bookings_prefix(campaign.id), cursor, limit)
    ordered = sorted(found.items, key=lambda b: b.booked_at, reverse=True)
    return [booking_view(b, now, campaign.config.zone) for b in ordered], found.next_cursor


kit.paged_route(router, "/campaigns/<campaign_id>/bookings", "The player's own bookings",
                BookingList, "a page of them, states as of now", "bookings", own_bookings, ())


@kit.action(router, "/campaigns/<campaign_id>/bookings/<booking_id>/cancel", "Cancel a booking",
            BookingView, "the booking, cancelled", CANCELLED, CANCEL_ERRORS)
def post_cancel(a: kit.Action, booking_id: BookingId) -> kit.ActionResult:
    return cancel(a.request(GAME, {"cancel": booking_id}), booking_id)


@router.post("/campaigns/<campaign_id>/verifications", summary="Staff verify a pick-up code",
             responses=kit.answers(VerifiedView, "the booking, picked up"), security=kit.OPERATOR,
             openapi_extensions=kit.raises(*VERIFY_ERRORS))
def post_verification(
    campaign_id: kit.CampaignId,
    body: Annotated[VerifyRequest, kit.Body()],
    idempotency: kit.IdempotencyKey = None,
    authorization: kit.Authorization = None,
) -> kit.Response[str]:
    staff = kit.current_operator(STAFF, campaign_id)
    campaign = kit.runtime.configs.get(campaign_id)
    if not body.code.strip():
        raise MalformedRequestError("code must not be blank")
    outcome = verify(campaign, body.code, staff, kit.runtime.clock(), idempotency_key(idempotency))
    if not outcome.replayed:
        kit.count(PICKED_UP, outcome.result, staff=staff.name)
    return kit.json_response(200, outcome.result, **{"Idempotent-Replayed": str(outcome.replayed).lower()})

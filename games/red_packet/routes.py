"""The red packets' routes on their function URL (all JSON; errors use the shared envelope).

Players act with their own token; the brand's order system reports orders with a token
carrying `role: brand` (a player's token is FORBIDDEN there, and a brand token cannot act
as a player).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from games.red_packet.config import GAME
from games.red_packet.errors import PacketNotFoundError
from games.red_packet.grabs import GRAB_ERRORS, grab
from games.red_packet.items import PacketItem, PacketRefItem, packet_key, refs_prefix
from games.red_packet.packets import REPORT_ERRORS, SHARE_ERRORS, OrderReport, report_order, share
from games.red_packet.views import packet_view, player_status, red_packet_of, ref_view, rules_view
from plugins.contracts import Campaign
from plugins.identity.callers import BRAND
from plugins.ids import TIME_ORDERED
from plugins.store import keys
from plugins.store.pages import page
from plugins.types import MoneyText, cents
from plugins.web import kit

router = kit.LambdaFunctionUrlRouter()
PacketId = Annotated[str, kit.Path(pattern=TIME_ORDERED, description="packet id")]


class OrderBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    order_id: str = Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$", description="idempotent: one packet")
    member_id: str = Field(pattern=r"^[^#\s]{1,64}$", description="who gets the packet")
    amount: Decimal = Field(gt=0, le=10_000_000, decimal_places=2, description="order amount, yuan")


class PacketCreated(BaseModel):
    packet_id: str
    campaign_id: str
    source: str
    total: str
    parts: int
    split: str
    created_at: str
    expires_at: str
    share_path: str


class GrabView(BaseModel):
    grab_id: str
    packet_id: str
    part: str
    amount: MoneyText
    withheld: str
    grab_in_window: int
    reward: kit.IssuedReward
    coupon: dict[str, Any] | None
    coupon_refused: bool
    grabbed_at: str


class GrabLine(BaseModel):
    member: str
    amount: MoneyText
    at: str


class PacketView(BaseModel):
    packet_id: str
    campaign_id: str
    sharer: str
    total: str
    parts: int
    parts_left: int
    split: str
    state: str = Field(description="open, empty or expired")
    created_at: str
    expires_at: str
    grabs: list[GrabLine]
    mine: bool
    my_grab: str | None
    handed_out: str | None = None
    withheld: str | None = None
    sharer_bonus_paid: bool | None = None
    returned: str | None = None


class CampaignView(kit.CampaignHeading):
    rules: dict[str, Any]
    me: dict[str, Any] | None


class OwnRef(BaseModel):
    """A packet in its owner's list (`amount` its total, `at` when it was made) or a grabber's
    (`amount` what the grab paid, `at` when)."""

    packet_id: str
    amount: MoneyText
    at: str
    expires_at: str
    share_path: str


class OwnPacket(OwnRef):
    source: str = Field(description="action or order")


class OwnGrab(OwnRef):
    part: MoneyText = Field(description="the part grabbed, before any diminishing")


class PacketList(kit.Paged):
    packets: list[OwnPacket]


class GrabList(kit.Paged):
    grabs: list[OwnGrab]


SHARED = kit.Counted("Packets", "packet", fields=lambda r: {"packet_id": r["packet_id"], "source": "action"})
REPORTED = kit.Counted("Packets", "packet", fields=lambda r: {"packet_id": r["packet_id"], "source": "order"})
GRABBED = kit.Counted("Grabs", "grab", fields=lambda r: {"packet_id": r["packet_id"], "amount": r["amount"]})


@router.get("/campaigns/<campaign_id>", summary="What the page shows",
            responses=kit.answers(CampaignView, "the rules, and with a token the player's balance"),
            openapi_extensions=kit.raises())
def get_campaign(campaign_id: kit.CampaignId, authorization: kit.Authorization = None) -> kit.Response[str]:
    campaign = kit.runtime.configs.get(campaign_id)
    section = red_packet_of(campaign)
    now, player = kit.runtime.clock(), kit.optional_player()
    me = player_status(campaign, section, player.member_id, now) if player is not None else None
    rules = rules_view(section, campaign.config.zone)
    return kit.json_response(200, {**kit.heading(campaign, now), "rules": rules, "me": me})


@router.post("/campaigns/<campaign_id>/orders", summary="Report an order (brand system only)",
             responses=kit.answers(PacketCreated, "the order's packet (a repeat returns it again)", 201),
             security=kit.OPERATOR, openapi_extensions=kit.raises(*REPORT_ERRORS))
def post_order(campaign_id: kit.CampaignId, body: Annotated[OrderBody, kit.Body()],
               authorization: kit.Authorization = None) -> kit.Response[str]:
    caller = kit.current_operator(BRAND, campaign_id)
    campaign = kit.runtime.configs.get(campaign_id)
    order = OrderReport(order_id=body.order_id, member_id=body.member_id, amount=cents(body.amount))
    outcome = report_order(campaign, caller, order, kit.runtime.clock(), kit.runtime.rng)
    if not outcome.replayed:
        kit.count(REPORTED, outcome.result, order_id=order.order_id, member_id=order.member_id)
    return kit.action_response(outcome)


kit.action_route(router, "/campaigns/<campaign_id>/packets", "Get a packet for a campaign action",
                 PacketCreated, "the packet (a retry returns it again)",
                 lambda a, body: share(a.campaign, a.player, a.key, body, a.now, kit.runtime.rng), SHARED,
                 SHARE_ERRORS)


@router.get("/campaigns/<campaign_id>/packets/<packet_id>", summary="The share page",
            responses=kit.answers(PacketView, "parts left, grabs (members masked), state"),
            openapi_extensions=kit.raises(PacketNotFoundError))
def get_packet(campaign_id: kit.CampaignId, packet_id: PacketId,
               authorization: kit.Authorization = None) -> kit.Response[str]:
    campaign = kit.runtime.configs.get(campaign_id)
    red_packet_of(campaign)
    player = kit.optional_player()
    try:
        packet = PacketItem.get(*packet_key(campaign_id, packet_id))
    except PacketItem.DoesNotExist:
        raise PacketNotFoundError(f"no packet {packet_id} in this campaign") from None
    viewer = player.member_id if player is not None else None
    return kit.json_response(200, packet_view(packet, kit.runtime.clock(), campaign.config.zone, viewer))


@kit.action(router, "/campaigns/<campaign_id>/packets/<packet_id>/grabs", "Grab one part",
            GrabView, "the part and what was issued (a retry returns it again)", GRABBED, GRAB_ERRORS)
def post_grab(a: kit.Action, packet_id: PacketId, body: kit.OptionalBody = None) -> kit.ActionResult:
    return grab(a.campaign, a.request(GAME, kit.body_of(body) | {"packet_id": packet_id}), packet_id,
                kit.runtime.rng)


def own(kind: str) -> kit.Read:
    """A page of the member's own packets (`O`) or grabs (`G`), newest first across pages
    (packet ids sort by time): one Query."""

    def read(campaign: Campaign, member_id: str, now: datetime, cursor: str | None,
             limit: int) -> tuple[list[dict[str, Any]], str | None]:
        red_packet_of(campaign)
        found = page(PacketRefItem, keys.member(member_id), refs_prefix(campaign.id, kind), cursor, limit,
                     scan_index_forward=False)
        return [ref_view(ref, campaign) for ref in found.items], found.next_cursor

    return read


kit.paged_route(router, "/campaigns/<campaign_id>/packets", "The player's own packets",
                PacketList, "a page of them, newest first", "packets", own("O"), ())
kit.paged_route(router, "/campaigns/<campaign_id>/grabs", "The player's own grabs",
                GrabList, "a page of them, newest first", "grabs", own("G"), ())

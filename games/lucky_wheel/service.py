"""The draw: pick on the server, reserve in one transaction, fall back when refused."""

from __future__ import annotations

from datetime import datetime
from random import Random
from typing import Any

from games.lucky_wheel.config import POOL_ID, WheelConfig
from plugins.actions import ActionRequest, ActionResult, Quota, perform
from plugins.antifraud import Player, plays
from plugins.clock import stamp
from plugins.contracts import Campaign, IssueContext
from plugins.errors import CampaignNotOpenError, NoChancesLeftError
from plugins.ids import keyed_id
from plugins.prize_pool import DrawSeal, PrizeReservation
from plugins.store import Transaction, TransactionCancelledError

GAME = "lucky-wheel"
DRAW_ERRORS = (CampaignNotOpenError, NoChancesLeftError)
"""What a draw refuses with of its own (for the route's document)."""


def wheel_of(campaign: Campaign) -> WheelConfig:
    return campaign.section(GAME, WheelConfig)


def chances(wheel: WheelConfig, player: Player) -> Quota:
    """The member's draws: per local day and in the campaign, his tier's (check-in, tasks
    and the exchange may grant more)."""
    return Quota(plays(GAME), *wheel.chances_of(player.tier))


def draw(
    campaign: Campaign, player: Player, key: str, body: Any, now: datetime, rng: Random,
) -> ActionResult:
    """One draw for `player`, exactly once per idempotency `key`."""
    wheel = wheel_of(campaign)
    campaign.require_open(now)
    draw_id = keyed_id(now, campaign.id, player.member_id, key)
    seal = DrawSeal(GAME, player.member_id, key, draw_id, now)
    reservation = PrizeReservation.draw(campaign, POOL_ID, wheel, player.tier, seal, rng)
    ctx = IssueContext(campaign=campaign, member_id=player.member_id, reference=draw_id, now=now,
                       channel=body.get("channel") if isinstance(body, dict) else None)

    def plan(tx: Transaction) -> tuple[dict[str, Any], dict[str, Any]]:
        award = reservation.plan(tx, ctx)
        result = {"draw_id": draw_id, "drawn_at": stamp(now, campaign.config.zone),
                  "prize": award.prize.public(campaign.config.zone), "reward": award.reward,
                  "fallback": award.prize.id == wheel.fallback}
        return result, {"drawn": reservation.drawn.id, "config_version": campaign.version}

    def recover(cancelled: TransactionCancelledError) -> bool:
        return reservation.recover(cancelled, ctx)

    request = ActionRequest(campaign=campaign, game=GAME, player=player, key=key, body=body,
                            now=now)
    return perform(request, plan, recover, chances(wheel, player))

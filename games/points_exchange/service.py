"""An exchange: points for an item, in the action's one transaction.

The transaction holds the spend (the balance must cover it: the condition keeps it from ever
going negative, whatever runs at once), the item's stock shard, per-member cap and budget
(the prize pool's reservation), its reward, and the daily limit (the action's quota). A
refusal is an error, never a fallback: the player chose the item.
"""

from __future__ import annotations

from datetime import datetime
from random import Random
from typing import Any

from games.points_exchange.config import GAME, POOL_ID, ExchangeConfig, ExchangeItem
from games.points_exchange.errors import (
    ExchangeLimitError,
    ItemNotFoundError,
    ItemNotOnSaleError,
    RewardUnavailableError,
)
from plugins.actions import ActionRequest, ActionResult, Quota, perform, replay_or
from plugins.antifraud import Player, chances_left
from plugins.clock import stamp
from plugins.contracts import Campaign, IssueContext
from plugins.errors import (
    BudgetExhaustedError,
    CampaignNotOpenError,
    GameError,
    NoChancesLeftError,
    PointsInsufficientError,
    SoldOutError,
)
from plugins.ids import time_ordered_id
from plugins.issuance.points import spend_points
from plugins.prize_pool import PrizeRefused, PrizeReservation
from plugins.prize_pool.limits import BUDGET, CAP, STOCK
from plugins.prize_pool.reservation import cap_key
from plugins.store import (
    BaseItem,
    CounterItem,
    PointsItem,
    Transaction,
    TransactionCancelledError,
    get_many,
    keys,
)

EXCHANGE_ERRORS = (CampaignNotOpenError, ItemNotFoundError, ItemNotOnSaleError, SoldOutError,
                   BudgetExhaustedError, ExchangeLimitError, PointsInsufficientError,
                   RewardUnavailableError)
"""What an exchange refuses with of its own (for the route's document)."""


def exchange_of(campaign: Campaign) -> ExchangeConfig:
    return campaign.section(GAME, ExchangeConfig)


def daily_quota(item: ExchangeItem) -> str:
    """The quota a member's exchanges of `item` count under, per day."""
    return f"{GAME}:{item.id}"


def member_view(campaign: Campaign, member_id: str, now: datetime) -> dict[str, Any]:
    """The member's points balance and, per item, how many more he may exchange now (the
    smaller of what today's and the campaign's limits leave; None = unlimited): one read."""
    cid, member = campaign.id, keys.member(member_id)
    day = campaign.config.local_day(now).isoformat()
    items = exchange_of(campaign).items
    wanted: list[tuple[type[BaseItem], str, str]] = [(PointsItem, member, keys.POINTS_BALANCE)]
    for item in items:
        wanted += [(CounterItem, member, keys.quota(cid, daily_quota(item), day)),
                   (CounterItem, member, cap_key(cid, POOL_ID, item.id))]
    found = get_many(wanted)
    balance = found[0]
    counts = [int(c.n) if isinstance(c, CounterItem) else 0 for c in found[1:]]
    left = {item.id: chances_left(item.per_member_per_day, item.per_user_cap,
                                  counts[2 * i], counts[2 * i + 1])["left"]
            for i, item in enumerate(items)}
    return {"points": int(balance.points) if isinstance(balance, PointsItem) else 0, "left": left}


def refusal(limit: str, item: ExchangeItem) -> GameError:
    """The error a player gets when the prize pool refused `item` on `limit`."""
    if limit == STOCK:
        return SoldOutError(f"{item.id} is sold out")
    if limit == BUDGET:
        return BudgetExhaustedError("the campaign budget cannot pay for another")
    if limit == CAP:
        return ExchangeLimitError(f"{item.id} can be exchanged {item.per_user_cap} times in the campaign")
    return RewardUnavailableError(f"the reward of {item.id} cannot be issued to this member now")


def chosen(section: ExchangeConfig, item_id: str, campaign: Campaign, now: datetime) -> ExchangeItem:
    """The catalogue's item `item_id`, on sale now."""
    item = section.item(item_id)
    if item is None:
        raise ItemNotFoundError(f"no item {item_id!r} in this exchange")
    if not item.on_sale(campaign.config, now):
        raise ItemNotOnSaleError(f"{item_id} is not on sale now")
    return item


def exchange(
    campaign: Campaign, player: Player, key: str, body: dict[str, Any], now: datetime, rng: Random,
) -> ActionResult:
    """Points for the item `body["item"]`, exactly once per idempotency `key`."""
    section = exchange_of(campaign)
    campaign.require_open(now)
    item = chosen(section, body["item"], campaign, now)
    exchange_id = time_ordered_id(now)
    zone = campaign.config.zone
    ctx = IssueContext(campaign=campaign, member_id=player.member_id, reference=exchange_id,
                       now=now, origin="claim", channel=body.get("channel"))
    request = ActionRequest(campaign=campaign, game=GAME, player=player, key=key, body=body, now=now)
    try:
        reservation = PrizeReservation(campaign, POOL_ID, section.pool, item, rng)
    except PrizeRefused as refused:  # known refused: no write, but a retry still gets its answer
        return replay_or(request, refusal(refused.limit, item))

    def plan(tx: Transaction) -> tuple[dict[str, Any], dict[str, Any]]:
        spend_points(tx, player.member_id, item.price_points, exchange_id, now,
                     reason=f"{campaign.id}:exchange:{item.id}")
        award = reservation.plan(tx, ctx)
        tx.tally.count("points_spent", item.price_points)
        result = {"exchange_id": exchange_id, "exchanged_at": stamp(now, zone),
                  "item": item.listing(campaign.config, zone), "points_spent": item.price_points,
                  "reward": award.reward}
        return result, {"config_version": campaign.version}

    def recover(cancelled: TransactionCancelledError) -> bool:
        if "points:spend" in cancelled.failed:
            raise PointsInsufficientError(f"{item.id} costs {item.price_points} points; "
                                          "the balance is lower")
        return reservation.recover(cancelled, ctx)

    daily = Quota(daily_quota(item), item.per_member_per_day, None)
    try:
        return perform(request, plan, recover, daily if item.per_member_per_day else None)
    except PrizeRefused as refused:  # the reward cannot be issued now (before any write)
        return replay_or(request, refusal(refused.limit, item))
    except NoChancesLeftError:
        times = item.per_member_per_day
        raise ExchangeLimitError(f"{item.id} can be exchanged {times} times a day") from None


def sold_out(campaign: Campaign, item: ExchangeItem) -> bool:
    """Whether this function instance knows `item` refused by its stock or the budget (no read)."""
    try:
        PrizeReservation(campaign, POOL_ID, exchange_of(campaign).pool, item)
    except PrizeRefused:
        return True
    return False

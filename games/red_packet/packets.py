"""Making packets: for an order the brand's system reports, or for a player's own action.

A packet is split when it is made and paid for then: its total (plus the sharer's cash bonus,
if config has one) is debited, in the same transaction that writes the packet, its owner's
list entry and its expiry index entry, from the campaign budget when that is counted and
from the packets' own budget when config sets one. Neither is ever exceeded, and what the
packet does not hand out goes back to where it came from when the packet expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random
from typing import Any

from games.red_packet.config import GAME, RedPacketConfig
from games.red_packet.errors import (
    OrderNotEligibleError,
    TriggerNotEnabledError,
)
from games.red_packet.fund import TAG as FUND_TAG
from games.red_packet.fund import fund_debit
from games.red_packet.items import (
    EXPIRY,
    PacketItem,
    PacketRefItem,
    order_key,
    packet_key,
    ref_key,
)
from games.red_packet.rules import PACKETS_QUOTA
from games.red_packet.split import split
from games.red_packet.views import red_packet_of, share_path
from plugins.actions import ActionRequest, ActionResult, Quota, perform
from plugins.antifraud import Player
from plugins.clock import stamp
from plugins.contracts import Campaign
from plugins.errors import (
    BudgetExhaustedError,
    CampaignNotOpenError,
    ConflictError,
    FraudBlockedError,
    IdempotencyKeyReusedError,
    NoChancesLeftError,
)
from plugins.identity.callers import Operator
from plugins.ids import time_ordered_id
from plugins.prize_pool.budget import TAG as BUDGET_TAG
from plugins.prize_pool.budget import budget_debit
from plugins.store import Transaction, TransactionCancelledError
from plugins.types import cents, yuan

__all__ = ["REPORT_ERRORS", "SHARE_ERRORS", "NewPacket", "OrderReport", "report_order", "share"]

MAKING = (TriggerNotEnabledError, CampaignNotOpenError, BudgetExhaustedError)
SHARE_ERRORS = (*MAKING, NoChancesLeftError)
"""What a packet for a player's action refuses with of its own (for the route's document)."""
REPORT_ERRORS = (*MAKING, OrderNotEligibleError, IdempotencyKeyReusedError, ConflictError, FraudBlockedError)
"""What a brand's order report answers beyond its caller's errors: the order's packet refused,
the order id reused for another order, contention, a blacklisted member."""


class NewPacket:
    """One packet being made, across the attempts of one action or order report."""

    def __init__(self, campaign: Campaign, section: RedPacketConfig, owner: str, source: str,
                 ref: str, total: int, now: datetime, rng: Random) -> None:
        self.campaign, self.owner, self.source, self.ref, self.now = campaign, owner, source, ref, now
        self.packet_id = time_ordered_id(now)
        self.total, self.split = total, section.split
        self.parts = split(section.split, total, section.parts, cents(section.min_part), rng)
        bonus = section.sharer_bonus
        self.bonus = None if bonus is None or bonus.reward is None else {
            "after": bonus.after_grabs, "reward": bonus.reward.model_dump(mode="json")}
        self.reserved = bonus.reserved if bonus is not None else 0
        ends = campaign.config.aware(campaign.config.ends_at)
        self.expires = int(min(now + timedelta(hours=section.lifetime_hours), ends).timestamp())
        cost = total + self.reserved
        self.debit = budget_debit(campaign, cost, rng) if campaign.budget_counted and cost else None
        fund = section.packets_budget
        self.fund = None if fund is None or not cost else fund_debit(campaign, cents(fund), cost, rng)

    @property
    def result(self) -> dict[str, Any]:
        """What the owner is answered (and what a retry gets back)."""
        return {"packet_id": self.packet_id, "campaign_id": self.campaign.id, "source": self.source,
                "total": yuan(self.total), "parts": len(self.parts), "split": self.split,
                "created_at": stamp(self.now, self.campaign.config.zone),
                "expires_at": stamp(self.expires, self.campaign.config.zone),
                "share_path": share_path(self.campaign.id, self.packet_id)}

    def plan(self, tx: Transaction) -> dict[str, Any]:
        """The packet, its owner's entry, its expiry entry and the budget debit."""
        debits = self.debit.plan(tx) if self.debit is not None else {}
        taken = self.fund.plan(tx) if self.fund is not None else {}
        cid, pid = self.campaign.id, self.packet_id
        packet = PacketItem(
            *packet_key(cid, pid), campaign_id=cid, packet_id=pid, owner=self.owner,
            source=self.source, ref=self.ref, total=self.total, parts=self.parts, split=self.split,
            created_at=self.now, expires=self.expires, bonus=self.bonus,
            bonus_reserved=self.reserved,
            debits={"budget": {str(s): c for s, c in debits.items()},
                    "fund": {str(s): c for s, c in taken.items()}},
            config_version=self.campaign.version,
        )
        tx.put("packet", packet, PacketItem.pk.does_not_exist())
        tx.tally.count("packets")
        tx.tally.count("parts", len(self.parts))
        tx.tally.once("sharers", self.owner)
        tx.tally.by_hour("packets_due", self.expires)
        tx.put("packet:owner", PacketRefItem(*ref_key(self.owner, cid, "O", pid), packet_id=pid,
                                             kind="O", amount=self.total, at=self.now,
                                             expires=self.expires, source=self.source),
               PacketRefItem.pk.does_not_exist())
        EXPIRY.add(tx, "packet:expiry", cid, pid, self.expires)
        return self.result

    def recover(self, cancelled: TransactionCancelledError) -> bool:
        """A refused debit (campaign budget or packets' budget): another shard or a spread
        debit, else BUDGET_EXHAUSTED."""
        retry = False
        if cancelled.any(FUND_TAG) and self.fund is not None:
            if not self.fund.recover(cancelled):
                raise BudgetExhaustedError("the packets' budget cannot pay for another packet")
            retry = True
        if cancelled.any(BUDGET_TAG) and self.debit is not None:
            if not self.debit.recover(cancelled):
                raise BudgetExhaustedError("the campaign budget cannot pay for another packet")
            retry = True
        return retry


def share(campaign: Campaign, player: Player, key: str, body: Any, now: datetime,
          rng: Random) -> ActionResult:
    """A packet for the player's own campaign action, exactly once per idempotency `key`,
    within the action trigger's quotas: one transaction."""
    section = red_packet_of(campaign)
    trigger = section.action
    if trigger is None or not trigger.enabled:
        raise TriggerNotEnabledError("this campaign gives no packets for this action")
    campaign.require_open(now)
    packet = NewPacket(campaign, section, player.member_id, "action", key, cents(trigger.amount),
                       now, rng)

    def plan(tx: Transaction) -> tuple[dict[str, Any], dict[str, Any]]:
        return packet.plan(tx), {"config_version": campaign.version, "parts": packet.parts}

    request = ActionRequest(campaign=campaign, game=GAME, player=player, key=key, body=body, now=now)
    return perform(request, plan, packet.recover,
                   Quota(PACKETS_QUOTA, trigger.per_day, trigger.total))


@dataclass(frozen=True)
class OrderReport:
    """An order as the brand's system reports it (amount in cents)."""

    order_id: str
    member_id: str
    amount: int


def report_order(campaign: Campaign, caller: Operator, order: OrderReport, now: datetime,
                 rng: Random) -> ActionResult:
    """One packet per order id: the action's record is keyed by the order id within the
    campaign (not the member), so a repeated report gets the first answer back and the same
    order reported for another member or amount is IDEMPOTENCY_KEY_REUSED."""
    section = red_packet_of(campaign)
    trigger = section.order
    if trigger is None or not trigger.enabled:
        raise TriggerNotEnabledError("this campaign gives no packets for orders")
    campaign.require_open(now)
    if order.amount < cents(trigger.min_amount):
        raise OrderNotEligibleError(f"orders below {trigger.min_amount:.2f} get no packet")
    packet = NewPacket(campaign, section, order.member_id, "order", order.order_id,
                       trigger.total_for(order.amount), now, rng)
    request = ActionRequest(campaign=campaign, game=GAME, player=Player(member_id=order.member_id),
                            key=order.order_id, now=now, record=order_key(campaign.id, order.order_id),
                            body={"member_id": order.member_id, "amount": order.amount}, audience=False)

    def plan(tx: Transaction) -> tuple[dict[str, Any], dict[str, Any]]:
        return packet.plan(tx), {"reported_by": caller.name, "config_version": campaign.version}

    return perform(request, plan, packet.recover)

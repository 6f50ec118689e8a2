"""Grabbing a part of a friend's packet: one read, then one transaction.

The read is unavoidable: what a grabber gets depends on the packet's stored parts (split at
creation), on how many times he already grabbed in the diminishing window, and for the
sharer's bonus on how many friends grabbed before him. One consistent `BatchGetItem` reads
the packet, his window counter and his action record together; the transaction is then
conditional on each staying as read, so a race costs a re-read and a retry, never money:

- the packet: open, not expired, the chosen part not taken (`NOT contains(taken, k)`), and
  for the bonus its grab count in the band read (below N-1, exactly N-1, or past it);
- the grab marker `M#<grabber> / RP#<campaign>#G#<packet>`: attribute_not_exists (once each);
- the window counter: exactly the count read, so the diminishing factor applied is right.

The cash goes through the cash issuer, the optional coupon through its own issuer, and the
sharer's bonus through its issuer, all inside the same transaction, so each is issued exactly
once. What diminishing holds back stays with the packet (`withheld`) and returns to the budget
with the unclaimed parts when the packet expires.
"""

from __future__ import annotations

from decimal import Decimal
from random import Random
from typing import Any

from games.red_packet.config import GAME, RedPacketConfig
from games.red_packet.errors import (
    AlreadyGrabbedError,
    OwnPacketError,
    PacketEmptyError,
    PacketExpiredError,
    PacketNotFoundError,
)
from games.red_packet.items import PacketItem, PacketRefItem, packet_key, ref_key
from games.red_packet.rules import GRABS_QUOTA, WINDOW_COUNTER, diminished, window_period
from games.red_packet.views import packet_state, red_packet_of
from plugins.actions import ActionRequest, ActionResult, Quota, perform, replay
from plugins.clock import stamp
from plugins.contracts import Campaign, IssueContext, RewardSpec
from plugins.errors import CampaignNotOpenError, NoChancesLeftError
from plugins.issuance.cash import CashIssuer, CashSpec
from plugins.registry import get_issuer
from plugins.store import ActionItem, CounterItem, Transaction, TransactionCancelledError, get_many, keys
from plugins.types import cents, yuan

__all__ = ["GRAB_ERRORS", "Grab", "grab"]

CASH = CashIssuer()
SURE_TAGS = ("reward:cash", "reward:points")
GRAB_ERRORS = (CampaignNotOpenError, PacketNotFoundError, OwnPacketError, AlreadyGrabbedError,
               PacketExpiredError, PacketEmptyError, NoChancesLeftError)
"""What a grab refuses with of its own (for the route's document)."""


class Grab:
    """One player's grab of one packet, across the attempts of one action."""

    def __init__(self, request: ActionRequest, section: RedPacketConfig, packet_id: str,
                 rng: Random) -> None:
        self.request, self.section, self.packet_id, self._rng = request, section, packet_id, rng
        self.member = request.player.member_id
        self.coupon: RewardSpec | None = section.coupon
        self.coupon_refused = False
        self.window = None if section.diminishing is None else window_period(
            section.diminishing.window, request.campaign, request.now)
        self.packet: PacketItem | None = None
        self.earlier, self._counted = 0, False
        self._ctx: IssueContext | None = None

    def read(self) -> bool:
        """The one read (see the module); True when this idempotency key was already used."""
        cid, member = self.request.campaign.id, keys.member(self.member)
        wanted: list[tuple[type[Any], str, str]] = [
            (PacketItem, *packet_key(cid, self.packet_id)),
            (ActionItem, member, keys.action(cid, GAME, self.request.key))]
        if self.window is not None:
            wanted.append((CounterItem, member, keys.quota(cid, WINDOW_COUNTER, self.window[0])))
        packet, action, *counter = get_many(wanted, consistent_read=True)
        self.packet = packet if isinstance(packet, PacketItem) else None
        found = counter[0] if counter else None
        self._counted = isinstance(found, CounterItem)
        self.earlier = int(found.n) if isinstance(found, CounterItem) else 0
        return action is not None

    def refuse(self) -> None:
        """Raise what stops this grab, as the packet was read (nothing is written)."""
        packet = self.packet
        if packet is None:
            raise PacketNotFoundError(f"no packet {self.packet_id} in this campaign")
        if packet.owner == self.member:
            raise OwnPacketError("the sharer cannot grab his own packet")
        if any(g["m"] == self.member for g in packet.grabs or ()):
            raise AlreadyGrabbedError("you already grabbed a part of this packet")
        state = packet_state(packet, self.request.now)
        if state == "expired":
            raise PacketExpiredError("this packet has expired")
        if state == "empty":
            raise PacketEmptyError("every part of this packet has been grabbed")

    def plan(self, tx: Transaction) -> tuple[dict[str, Any], dict[str, Any]]:
        packet, now, campaign = self.packet, self.request.now, self.request.campaign
        assert packet is not None  # refuse() ran on this read
        free = sorted(set(range(len(packet.parts))) - set(packet.taken or ()))
        index = self._rng.choice(free)
        part = int(packet.parts[index])
        got = diminished(part, self.earlier, self.section.diminishing)
        grab_id = f"{packet.packet_id}-{index:03d}"
        entry = {"k": index, "m": self.member, "a": got, "at": now.isoformat()}
        actions = [PacketItem.taken.add({index}), PacketItem.grabbed.add(1),
                   PacketItem.handed_out.add(got), PacketItem.withheld.add(part - got),
                   PacketItem.grabs.set((PacketItem.grabs | []).append([entry]))]
        condition = ((PacketItem.state == "open") & (PacketItem.expires > int(now.timestamp()))
                     & ~PacketItem.taken.contains(index))
        bonus, grabbed, pays_bonus = packet.bonus, packet.grabbed, False
        if bonus:
            after = int(bonus["after"])
            if grabbed + 1 < after:
                condition &= PacketItem.grabbed < after - 1
            elif grabbed + 1 == after:
                condition &= PacketItem.grabbed == after - 1
                pays_bonus = True
                actions += [PacketItem.bonus_paid.set(int(packet.bonus_reserved)),
                            PacketItem.bonus_issued_at.set(now)]
        tx.update("packet", PacketItem(*packet_key(campaign.id, packet.packet_id)), actions,
                  condition)
        tx.put("grab:once", PacketRefItem(*ref_key(self.member, campaign.id, "G", packet.packet_id),
                                          packet_id=packet.packet_id, kind="G", amount=got,
                                          part=part, at=now, expires=int(packet.expires)),
               PacketRefItem.pk.does_not_exist())
        if self.window is not None:
            counter = CounterItem(keys.member(self.member),
                                  keys.quota(campaign.id, WINDOW_COUNTER, self.window[0]))
            tx.update("grab:window", counter,
                      [CounterItem.n.add(1), CounterItem.ttl.set(self.window[1])],
                      CounterItem.n == self.earlier if self._counted else CounterItem.n.does_not_exist())
        channel = self.request.body.get("channel") if isinstance(self.request.body, dict) else None
        self._ctx = ctx = IssueContext(campaign=campaign, member_id=self.member,
                                       reference=f"RP-{grab_id}", now=now, channel=channel)
        reward = CASH.plan(tx, CashSpec(amount=Decimal(got) / 100), ctx)
        tally = tx.tally
        tally.count("cost:red_packet_cash", got)
        tally.count("handed_out", got)
        tally.count("grabs")
        tally.once("grabbers", self.member)
        if packet.grabbed + 1 == len(packet.parts):
            tally.count("packets_emptied")
            tally.by_hour("emptied_due", int(packet.expires))
        if pays_bonus:
            tally.count("bonus_paid", int(packet.bonus_reserved))
        coupon = None
        if self.coupon is not None:
            issuer = get_issuer(self.coupon.type)
            if issuer.available(self.coupon, ctx):
                coupon = issuer.plan(tx, self.coupon, ctx)
            else:
                self.coupon, self.coupon_refused = None, True
        if pays_bonus and bonus:
            spec = get_issuer(bonus["reward"]["type"]).spec_model.model_validate(bonus["reward"])
            if isinstance(spec, CashSpec):
                tx.tally.count("cost:red_packet_cash", cents(spec.amount))
            get_issuer(spec.type).plan(tx.scoped("bonus:"), spec, IssueContext(
                campaign=campaign, member_id=packet.owner, reference=f"RP-{packet.packet_id}-bonus",
                now=now))
        result = {"grab_id": grab_id, "packet_id": packet.packet_id, "part": yuan(part),
                  "amount": yuan(got), "withheld": yuan(part - got),
                  "grab_in_window": self.earlier + 1, "reward": reward, "coupon": coupon,
                  "coupon_refused": self.coupon_refused, "grabbed_at": stamp(now, campaign.config.zone)}
        audit = {"part_index": index, "config_version": campaign.version,
                 "sharer_bonus": pays_bonus}
        return result, audit

    def recover(self, cancelled: TransactionCancelledError) -> bool:
        """After a refused transaction: a second grab is refused, a refused coupon is dropped
        (the grab goes on without it), a moved packet or counter is read again."""
        failed = set(cancelled.failed)
        if "grab:once" in failed:
            raise AlreadyGrabbedError("you already grabbed a part of this packet")
        coupon_tags = {t for t in failed if t.startswith("reward:") and not t.startswith(SURE_TAGS)}
        coupon, ctx = self.coupon, self._ctx
        if (coupon_tags and coupon is not None and ctx is not None
                and not get_issuer(coupon.type).recover(coupon_tags, coupon, ctx)):
            self.coupon, self.coupon_refused = None, True
        moved = bool(failed & {"packet", "grab:window"})
        if moved:
            self.read()
            self.refuse()
        return moved or bool(coupon_tags)


def grab(campaign: Campaign, request: ActionRequest, packet_id: str, rng: Random) -> ActionResult:
    """Grab one part of packet `packet_id`, exactly once per idempotency key and at most once
    per packet: one read and one transaction on the happy path."""
    section = red_packet_of(campaign)
    campaign.require_open(request.now)
    attempt = Grab(request, section, packet_id, rng)
    if attempt.read():
        return replay(request)
    attempt.refuse()
    return perform(request, attempt.plan, attempt.recover,
                   Quota(GRABS_QUOTA, section.grabs_per_day, None))

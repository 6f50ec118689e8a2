"""An event reported: each rule it matches rewards its member (or inviter) once, in a
transaction of its own.

Each matched rule is one action (`plugins.actions.perform`) whose record is keyed by the
event's id and the rule (`C#<campaign>#EVT#<event id>`, `R#<rule>`), so a repeated report
replays what each rule gave, and a rule's writes never meet another's on one item. The
transaction holds the record, the member's once-per-period marker (and, for a share opened
on a phone the token names, that phone's marker: once per device and sharer), the daily limit (the
action's quota), the rule's stock, cap and budget (the prize pool's reservation), the reward
(issuance, with its anti-harassment caps: these are pushed coupons), and the guards.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from random import Random
from typing import Any

from games.event_gifts.config import GAME, POOL_ID, GiftRule, GiftsConfig, MemberEvent
from plugins.actions import ActionRequest, ActionResult, Quota, perform
from plugins.antifraud import Player
from plugins.contracts import Campaign, IssueContext
from plugins.errors import (
    CampaignNotOpenError,
    ConflictError,
    FraudBlockedError,
    IdempotencyKeyReusedError,
    MalformedRequestError,
    NoChancesLeftError,
)
from plugins.issuance.coupon import period_key
from plugins.prize_pool import PrizeRefused, PrizeReservation
from plugins.store import MarkerItem, Transaction, TransactionCancelledError, keys

RECEIVE_ERRORS = (CampaignNotOpenError, IdempotencyKeyReusedError, ConflictError, FraudBlockedError)
"""What a report answers beyond its caller's errors: the campaign closed, the event id reused
for another event, contention, a blacklisted member (for the route's document)."""
ONCE = "gift:once"
ONCE_A_DEVICE = "gift:device"
REFUSALS = {"stock": "no gift left", "budget": "the budget is spent", "cap": "the member's cap is reached",
            "reward": "the reward cannot be issued to the member now"}


def gifts_of(campaign: Campaign) -> GiftsConfig:
    return campaign.section(GAME, GiftsConfig)


def event_record(campaign_id: str, event_id: str, rule_id: str) -> tuple[str, str]:
    """Where a rule's answer to an event is kept: under the event, not a member."""
    return f"C#{campaign_id}#EVT#{event_id}", f"R#{rule_id}"


def share_event(sharer: str, friend: str) -> MemberEvent:
    """A friend's opening of a member's share link, as an event: its id is the pair's, so a
    friend counts once per sharer however often he opens the link."""
    pair = hashlib.sha256(f"{sharer}\0{friend}".encode()).hexdigest()[:32]
    return MemberEvent(event_id=f"share-{pair}", kind="share_opened", member_id=sharer, opened_by=friend)


def member_once_key(campaign: Campaign, rule: GiftRule, at: datetime) -> str | None:
    """The member's marker of the rule's period that holds `at` (the campaign, or its day,
    week or month); None when the rule is once per event, per invited member or per friend."""
    if rule.invited_within_days is not None or rule.event == "share_opened" or rule.once_per == "event":
        return None
    period = "ALL" if rule.once_per == "campaign" else period_key(at.astimezone(campaign.config.zone),
                                                                   rule.once_per)[0]
    return f"EVG#{campaign.id}#{rule.id}#{period}"


def once_key(campaign: Campaign, rule: GiftRule, event: MemberEvent, at: datetime) -> str | None:
    """The recipient's marker that makes the rule once per period (per invited member for an
    invitation rule, per friend for a share); None when every matching event is rewarded."""
    if rule.invited_within_days is not None:
        return f"EVG#{campaign.id}#{rule.id}#invitee:{event.member_id}"
    if rule.event == "share_opened":
        return f"EVG#{campaign.id}#{rule.id}#friend:{event.opened_by}"
    return member_once_key(campaign, rule, at)


def daily_limit(rule: GiftRule) -> Quota:
    """The rule's most a day, as the recipient's quota (None: no limit)."""
    return Quota(f"{GAME}:{rule.id}", rule.per_member_per_day, None)


class Refused(Exception):
    """A matched rule that gives nothing for this event; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def receive(campaign: Campaign, event: MemberEvent, now: datetime,
            rng: Random, device: str | None = None) -> tuple[dict[str, Any], bool]:
    """Every rule `event` matches, each applied once: the answer, and whether all of it was
    replayed (the same event reported before). `device`: the friend's, for a share opened."""
    section = gifts_of(campaign)
    campaign.require_open(now)
    at = event.at or now
    if at.tzinfo is None:
        raise MalformedRequestError("at must carry a UTC offset")
    body = event.model_dump(mode="json", exclude_none=True)
    gifts, skipped, replayed = [], [], True
    for rule in (r for r in section.rules if r.matches(event, campaign.config, at)):
        try:
            outcome = _apply(campaign, section, rule, event, body, now, at, rng, device)
        except Refused as refused:
            skipped.append({"rule": rule.id, "reason": refused.reason})
            continue
        gifts.append(outcome.result)
        replayed = replayed and outcome.replayed
    answer = {"event_id": event.event_id, "kind": event.kind, "member_id": event.member_id,
              "gifts": gifts, "skipped": skipped}
    return answer, replayed and bool(gifts)


def device_key(campaign: Campaign, rule: GiftRule, device: str) -> str:
    """The sharer's marker that a friend's device counted for the rule: another member signed
    in on the same phone is not another friend."""
    return f"EVG#{campaign.id}#{rule.id}#device:{hashlib.sha256(device.encode()).hexdigest()[:32]}"


def _apply(campaign: Campaign, section: GiftsConfig, rule: GiftRule, event: MemberEvent,
           body: dict[str, Any], now: datetime, at: datetime, rng: Random,
           device: str | None) -> ActionResult:
    """One rule's gift for one event, exactly once."""
    member = rule.recipient(event)
    request = ActionRequest(campaign=campaign, game=GAME, player=Player(member_id=member), key=event.event_id,
                            body=body, now=now, record=event_record(campaign.id, event.event_id, rule.id),
                            audience=False)
    ctx = IssueContext(campaign=campaign, member_id=member, reference=f"{event.event_id}.{rule.id}", now=now)
    marker = once_key(campaign, rule, event, at)
    by_device = device_key(campaign, rule, device) if device and rule.event == "share_opened" else None
    try:
        reservation = PrizeReservation(campaign, POOL_ID, section.pool, rule, rng)
    except PrizeRefused as refused:
        raise Refused(REFUSALS[refused.limit]) from None

    def plan(tx: Transaction) -> tuple[dict[str, Any], dict[str, Any]]:
        if marker is not None:
            tx.put(ONCE, MarkerItem(keys.member(member), marker), MarkerItem.pk.does_not_exist())
        if by_device is not None:
            tx.put(ONCE_A_DEVICE, MarkerItem(keys.member(member), by_device), MarkerItem.pk.does_not_exist())
        award = reservation.plan(tx, ctx)
        return ({"rule": rule.id, "member_id": member, "reward": award.reward},
                {"config_version": campaign.version})

    def recover(cancelled: TransactionCancelledError) -> bool:
        if ONCE in cancelled.failed:
            raise Refused("already given for this invited member" if rule.invited_within_days
                          else "already given for this friend" if rule.event == "share_opened"
                          else f"already given this {rule.once_per}")
        if ONCE_A_DEVICE in cancelled.failed:
            raise Refused("already given for a friend on this device")
        return reservation.recover(cancelled, ctx)

    daily = daily_limit(rule) if rule.per_member_per_day else None
    try:
        return perform(request, plan, recover, daily)
    except PrizeRefused as refused:
        raise Refused(REFUSALS[refused.limit]) from None
    except NoChancesLeftError:
        raise Refused("the member's daily limit is reached") from None

"""Quota, velocity and blacklist rules, as conditions inside the action's own transaction.

No rule reads before the write: a quota is a counter whose update is conditional on staying
under its limit; a velocity limit is the same per device or IP and time bucket; the
blacklist is a condition check that the member's, device's and IP's entries do not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from plugins.antifraud.blocks import record_block
from plugins.errors import FraudBlockedError, NoChancesLeftError, RateLimitedError
from plugins.identity.callers import Player
from plugins.store import BlacklistItem, CounterItem, Transaction, TransactionCancelledError, keys

if TYPE_CHECKING:
    from plugins.contracts import Campaign

BLACKLIST_KINDS = ("member", "device", "ip")
FRAUD_RULES: dict[str, str] = {}


def fraud_rule(rule: str, reason: str) -> str:
    """Declare a game's own fraud rule; returns the tag its condition goes under.

    A write tagged `fraud:<rule>` that fails blocks the action: the block is recorded with
    `reason` and the player gets FRAUD_BLOCKED, exactly like the built-in rules.
    """
    FRAUD_RULES[rule] = reason
    return f"fraud:{rule}"


def _bounded(tx: Transaction, tag: str, item: CounterItem, limit: int) -> None:
    tx.update(tag, item, [CounterItem.n.add(1)],
              CounterItem.n.does_not_exist() | (CounterItem.n < limit))


def add_quota(
    tx: Transaction, campaign: Campaign, player: Player, name: str, now: datetime,
    per_day: int | None, total: int | None,
) -> None:
    """Count one use of quota `name` against the player's daily and campaign limits."""
    member = keys.member(player.member_id)
    if per_day:
        day = campaign.config.local_day(now).isoformat()
        expires = campaign.config.day_expiry(now)
        item = CounterItem(member, keys.quota(campaign.id, name, day), ttl=expires)
        tx.update("quota:day", item, [CounterItem.n.add(1), CounterItem.ttl.set(expires)],
                  CounterItem.n.does_not_exist() | (CounterItem.n < per_day))
    if total:
        _bounded(tx, "quota:total", CounterItem(member, keys.quota(campaign.id, name, "ALL")), total)


def plays(game: str) -> str:
    """The quota a game's plays count under: what its chances limit and grants add to."""
    return f"{game}:plays"


def grant_chances(
    tx: Transaction, campaign: Campaign, member_id: str, name: str, count: int, now: datetime,
) -> None:
    """Give a member `count` more uses of quota `name` today and in the campaign.

    Used counters simply go down (even below zero), so the limits stay single conditions.
    """
    member = keys.member(member_id)
    day = keys.quota(campaign.id, name, campaign.config.local_day(now).isoformat())
    tx.update(f"grant:{name}:day", CounterItem(member, day),
              [CounterItem.n.add(-count), CounterItem.ttl.set(campaign.config.day_expiry(now))])
    tx.update(f"grant:{name}:total", CounterItem(member, keys.quota(campaign.id, name, "ALL")),
              [CounterItem.n.add(-count)])


def add_guards(tx: Transaction, campaign: Campaign, player: Player, now: datetime) -> None:
    """Blacklist checks and velocity limits for every action of every game."""
    subjects = {"member": player.member_id, "device": player.device_id, "ip": player.ip}
    for kind, value in subjects.items():
        if value:
            tx.check(f"fraud:blacklist-{kind}", BlacklistItem, keys.blacklist(kind, value),
                     keys.BLACKLIST_SK, BlacklistItem.pk.does_not_exist())
    rules = campaign.config.velocity
    bucket = int(now.timestamp()) // rules.window_seconds * rules.window_seconds
    expires = bucket + rules.window_seconds + 3600
    for kind, value, limit in (("device", player.device_id, rules.per_device),
                               ("ip", player.ip, rules.per_ip)):
        if value and limit:
            item = CounterItem(keys.velocity(campaign.id, kind, value), f"W#{bucket}")
            tx.update(f"fraud:velocity-{kind}", item,
                      [CounterItem.n.add(1), CounterItem.ttl.set(expires)],
                      CounterItem.n.does_not_exist() | (CounterItem.n < limit))


def raise_for_block(
    cancelled: TransactionCancelledError, campaign: Campaign, game: str, player: Player,
    now: datetime,
) -> None:
    """Turn a failed fraud or quota condition into its error, recording fraud blocks."""
    for tag in sorted(cancelled.failed):
        if tag.startswith("fraud:blacklist-"):
            kind = tag.removeprefix("fraud:blacklist-")
            rule, reason = "blacklist", f"the {kind} is blacklisted"
            record_block(campaign, game, player, rule, reason, now)
            raise FraudBlockedError("this action is not allowed for this player", rule=rule)
    for tag in sorted(cancelled.failed):
        if tag.startswith("fraud:velocity-"):
            kind = tag.removeprefix("fraud:velocity-")
            rule = f"velocity_{kind}"
            limit = getattr(campaign.config.velocity, f"per_{kind}")
            window = campaign.config.velocity.window_seconds
            reason = f"more than {limit} actions per {kind} in {window}s"
            record_block(campaign, game, player, rule, reason, now)
            left = window - int(now.timestamp()) % window
            raise RateLimitedError(f"too many actions, try again in {left} s", rule=rule, retry_after=left)
    for tag in sorted(cancelled.failed):
        if tag.startswith("fraud:"):
            rule = tag.removeprefix("fraud:")
            record_block(campaign, game, player, rule, FRAUD_RULES.get(rule, rule), now)
            raise FraudBlockedError("this action is not allowed for this player", rule=rule)
    if "quota:day" in cancelled.failed:
        raise NoChancesLeftError("no chances left today")
    if "quota:total" in cancelled.failed:
        raise NoChancesLeftError("no chances left in this campaign")


def blacklist(kind: str, value: str, *, reason: str | None, now: datetime, add: bool = True) -> None:
    """Add a member, device or IP to the blacklist, or remove it."""
    if kind not in BLACKLIST_KINDS:
        raise ValueError(f"kind must be one of {BLACKLIST_KINDS}")
    item = BlacklistItem(keys.blacklist(kind, value), keys.BLACKLIST_SK, reason=reason, added_at=now)
    if add:
        item.save()
    else:
        item.delete()


def quota_left(
    campaign: Campaign, player: Player, name: str, now: datetime,
    per_day: int | None, total: int | None,
) -> dict[str, int | str | None]:
    """What a player can still play of quota `name`, from one batch read of his two counters.

    `left_today` and `left_total` are the daily and the campaign allowances left, each alone
    (None = unlimited); granted chances (`grant_chances`) are in both, as they lower both used
    counters. `left` is what he can really play now, the smaller of the two, and `binding`
    the limit that gives it: "day" (more tomorrow), "campaign" (no more, also on a tie) or
    None (unlimited).
    """
    member = keys.member(player.member_id)
    day_sk = keys.quota(campaign.id, name, campaign.config.local_day(now).isoformat())
    total_sk = keys.quota(campaign.id, name, "ALL")
    used = {item.sk: int(item.n) for item in CounterItem.batch_get([(member, day_sk),
                                                                    (member, total_sk)])}
    return chances_left(per_day, total, used.get(day_sk, 0), used.get(total_sk, 0))


def chances_left(per_day: int | None, total: int | None, used_today: int,
                 used_total: int) -> dict[str, int | str | None]:
    """`quota_left`'s answer from the quota's counters (granted chances count as negative
    uses): `add_quota`'s conditions pass while both allowances are above 0."""
    left_total = None if total is None else max(total - used_total, 0)
    left_today = None if per_day is None else max(per_day - used_today, 0)
    left, binding = left_today, "day" if left_today is not None else None
    if left_total is not None and (left_today is None or left_total <= left_today):
        left, binding = left_total, "campaign"
    return {"left_today": left_today, "left_total": left_total, "left": left, "binding": binding}

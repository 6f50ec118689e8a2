"""What the table's changes mean to the brand's systems: the webhook events of a stream record.

Each event comes from the item its action wrote, in the same transaction (so it exists if
and only if the action happened), and its id is fixed by that item, so a stream record
handed over twice gives the same event twice, which the outbox records once:

- `reward.issued`: a coupon issued (INSERT of `CPN#…`), points or cash (a red packet's part,
  a bonus) awarded (a ledger line);
- `coupon.redeemed`: a coupon turning `redeemed`;
- `booking.verified`: staff's `bookings/verify` in the campaign's operations log;
- `campaign.switched`, `game.switched`: the current config's campaign-wide switch, or one of
  its games, turned on or off;
- `stock.exhausted`, `budget.80`, `budget.100`: a shard of a prize's stock or of the budget
  going down, after which all its shards together (one read, only when an endpoint of the
  campaign listens) are empty, or have spent 80 % / 100 % of what they were allotted.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from plugins.aggregates import Change
from plugins.store import keys

__all__ = ["Shards", "WebhookEvent", "events_of"]

Shards = Callable[[str, str], list[tuple[int, int]]]
"""(allotted, remaining) of each shard of a campaign's allowance (`BUDGET`, `P#pool#prize`)."""
Wanted = Callable[[str, str], bool]
"""Whether an endpoint of the campaign listens to the event type."""


@dataclass(frozen=True)
class WebhookEvent:
    campaign_id: str
    type: str
    id: str
    data: dict[str, Any]


def _reward(change: Change) -> list[WebhookEvent]:
    new = change.new
    if change.name != "INSERT" or not change.pk.startswith("M#"):
        return []
    member = change.pk.removeprefix("M#")
    if change.sk.startswith(keys.COUPON_PREFIX) and "campaign_id" in new:
        data = {"kind": "coupon", "member_id": member, "coupon_id": new.get("coupon_id"),
                "type_id": new.get("type_id"), "valid_until": new.get("valid_until")}
        return [WebhookEvent(str(new["campaign_id"]), "reward.issued", f"{change.pk}:{change.sk}", data)]
    reason = str(new.get("reason") or "")
    if ":" not in reason:
        return []
    if change.sk.startswith(keys.POINTS_LEDGER) and int(new.get("points") or 0) > 0:
        data = {"kind": "points", "member_id": member, "points": int(new["points"]), "reason": reason}
    elif change.sk.startswith(keys.cash_ledger("")) and int(new.get("cents") or 0) > 0:
        data = {"kind": "cash", "member_id": member, "amount_cents": int(new["cents"]), "reason": reason}
    else:
        return []
    return [WebhookEvent(reason.split(":", 1)[0], "reward.issued", f"{change.pk}:{change.sk}", data)]


def _redeemed(change: Change) -> list[WebhookEvent]:
    old, new = change.old, change.new
    if (not change.sk.startswith(keys.COUPON_PREFIX) or new.get("state") != "redeemed"
            or old.get("state") == "redeemed" or "campaign_id" not in new):
        return []
    data = {"member_id": change.pk.removeprefix("M#"), "coupon_id": new.get("coupon_id"),
            "type_id": new.get("type_id"), "redeemed_at": new.get("redeemed_at"),
            "store_id": new.get("redeemed_store"), "order_amount_cents": new.get("order_amount")}
    event_id = f"{change.pk}:{change.sk}:redeemed"
    return [WebhookEvent(str(new["campaign_id"]), "coupon.redeemed", event_id, data)]


def _verified(change: Change) -> list[WebhookEvent]:
    new = change.new
    if change.name != "INSERT" or not change.pk.endswith("#LOG") or new.get("kind") != "bookings/verify":
        return []
    result = json.loads(new["result"]) if isinstance(new.get("result"), str) else new.get("result") or {}
    campaign_id = change.pk.removeprefix("C#").removesuffix("#LOG")
    return [WebhookEvent(campaign_id, "booking.verified", f"{change.pk}:{change.sk}", dict(result))]


def _switches(image: dict[str, Any]) -> dict[str | None, bool]:
    """A config image's switches: the campaign's (key None) and each game's."""
    doc = image.get("doc")
    doc = json.loads(doc) if isinstance(doc, str) else doc or {}
    return {None: bool(doc.get("enabled", True)),
            **{name: bool(section.get("enabled", True)) for name, section in (doc.get("games") or {}).items()
               if isinstance(section, dict)}}


def _switched(change: Change) -> list[WebhookEvent]:
    if change.sk != keys.CONFIG_CURRENT or change.name != "MODIFY":
        return []
    before, after, version = _switches(change.old), _switches(change.new), change.new.get("version")
    campaign_id = change.pk.removeprefix("C#")
    return [WebhookEvent(campaign_id, "campaign.switched", f"{change.pk}:v{version}", {
                "enabled": enabled, "version": version}) if game is None else
            WebhookEvent(campaign_id, "game.switched", f"{change.pk}:v{version}:{game}",
                         {"game": game, "enabled": enabled, "version": version})
            for game, enabled in after.items() if before.get(game, enabled) != enabled]


def _allowance(change: Change, wanted: Wanted, shards: Shards) -> list[WebhookEvent]:
    if "#A#" not in change.pk or change.sk != keys.ALLOWANCE_SK or change.name != "MODIFY":
        return []
    if int(change.new.get("remaining", 0)) >= int(change.old.get("remaining", 0)):
        return []
    campaign_id, rest = change.pk.removeprefix("C#").split("#A#", 1)
    name = rest.rsplit("#", 1)[0]
    types = ("budget.80", "budget.100") if name == "BUDGET" else ("stock.exhausted",)
    listened = [t for t in types if wanted(campaign_id, t)]
    if not listened:
        return []
    found = shards(campaign_id, name)
    allotted, remaining = sum(a for a, _ in found), sum(r for _, r in found)
    spent = allotted - remaining
    reached = {"budget.80": 5 * spent >= 4 * allotted, "budget.100": remaining <= 0,
               "stock.exhausted": remaining <= 0}
    data: dict[str, Any] = ({"allotted_cents": allotted, "spent_cents": spent} if name == "BUDGET"
                            else {"stock": name.removeprefix("P#"), "allotted": allotted})
    # one event per threshold and allotment: a version that adds stock or budget may reach it again
    return [WebhookEvent(campaign_id, t, f"C#{campaign_id}:{name}:{t}:{allotted}", data)
            for t in listened if allotted > 0 and reached[t]]


def events_of(change: Change, wanted: Wanted, shards: Shards) -> list[WebhookEvent]:
    """The events of `change` some endpoint of their campaign listens to."""
    if change.name == "REMOVE":
        return []
    found = [*_reward(change), *_redeemed(change), *_verified(change), *_switched(change)]
    return [e for e in found if wanted(e.campaign_id, e.type)] + _allowance(change, wanted, shards)

"""What each change of the table adds to the campaign's figures.

- an action record (INSERT of `ActionItem`): the tally its transaction kept
  (`plugins.store.tally`); a player's action (`M#…`/`ACT#…`) also counts one play, the
  player once, and its plays and costs under its channel;
- a coupon turning `redeemed`: one redemption and the order's amount (sales driven);
- a fraud-audit counter (`C#…#BLOCKS#…`/`N#…`): the blocks it gained, per rule;
- a member's first visit of a day (`M#…`/`VIS#…`, `plugins.web.visits`): a visitor;
- whatever a game maps from its own items (`GamePlugin.facts`: what its sweeps change).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from pynamodb.attributes import UTCDateTimeAttribute

from plugins.aggregates.changes import ALL_GAMES, Change, Fact
from plugins.store import Tally, keys

__all__ = ["BRAND", "COST", "facts_of", "moment"]

COST = "cost:"
"""Money a figure costs the campaign (cents), by kind: `cost:prizes`, `cost:red_packet_cash`…"""
BRAND = "brand:"
"""The brand's part of a cost shared with partners (`brand:partner_coupons`)."""
_DATES = UTCDateTimeAttribute()


def moment(value: Any) -> datetime:
    """A stored `UTCDateTimeAttribute` as a datetime."""
    return _DATES.deserialize(str(value))


def _action(change: Change) -> list[Fact]:
    new = change.new
    if change.name != "INSERT" or "request_hash" not in new or "campaign_id" not in new:
        return []
    result = json.loads(new["result"]) if isinstance(new.get("result"), str) else {}
    tally = Tally.from_json((result.get("audit") or {}).get("tally"))
    fact = Fact(str(new["campaign_id"]), tally.game or str(new["game"]), moment(new["created_at"]),
                tally.figures, tally.distinct)
    if change.pk.startswith("M#") and change.sk.startswith("ACT#"):
        fact.figures["plays"] += 1
        fact.distinct.add(("players", change.pk.removeprefix("M#")))
        if tally.channel:
            fact.figures[f"channel:{tally.channel}:plays"] += 1
            cost = sum(n for figure, n in tally.figures.items() if figure.startswith(COST))
            if cost:
                fact.figures[f"channel:{tally.channel}:cost"] += cost
    return [fact] if fact.figures or fact.distinct else []


def _redemption(change: Change) -> list[Fact]:
    old, new = change.old, change.new
    if (not change.sk.startswith(keys.COUPON_PREFIX) or new.get("state") != "redeemed"
            or old.get("state") == "redeemed" or "campaign_id" not in new):
        return []
    at = moment(new["redeemed_at"]) if new.get("redeemed_at") else change.at
    figures = Counter({"coupons_redeemed": 1, "sales": int(new.get("order_amount") or 0)})
    return [Fact(str(new["campaign_id"]), ALL_GAMES, at, +figures)]


def _blocks(change: Change) -> list[Fact]:
    if "#BLOCKS#" not in change.pk or not change.sk.startswith(keys.BLOCK_COUNT_PREFIX):
        return []
    gained = int(change.new.get("n") or 0) - int(change.old.get("n") or 0)
    if gained <= 0:
        return []
    campaign_id = change.pk.removeprefix("C#").rsplit("#BLOCKS#", 1)[0]
    hour = change.sk.removeprefix(keys.BLOCK_COUNT_PREFIX).split("#", 1)[0]
    at = datetime.strptime(hour, "%Y-%m-%dT%H").replace(tzinfo=UTC)
    return [Fact(campaign_id, ALL_GAMES, at, Counter({f"blocks:{keys.block_count_rule(change.sk)}": gained}))]


def _visit(change: Change) -> list[Fact]:
    if change.name != "INSERT" or not change.sk.startswith(keys.VISIT_PREFIX):
        return []
    campaign_id, day = change.sk.removeprefix(keys.VISIT_PREFIX).rsplit("#", 1)
    return [Fact(campaign_id, ALL_GAMES, change.at, distinct={("visitors", change.pk.removeprefix("M#"))},
                 day=day)]


PLATFORM: tuple[Callable[[Change], list[Fact]], ...] = (_action, _redemption, _blocks, _visit)


def facts_of(change: Change, games: Iterable[Callable[[Change], list[Fact]]] = ()) -> list[Fact]:
    """Everything `change` adds up to (most changes: nothing); REMOVEs (TTL) add nothing."""
    if change.name == "REMOVE" or change.pk.startswith("AGG#") or change.sk.startswith("AGG#"):
        return []
    return [fact for mapper in (*PLATFORM, *games) for fact in mapper(change)]

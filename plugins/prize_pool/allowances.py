"""Seeding and adjusting sharded allowances (prize stock, campaign budget) when a campaign
is applied.

`allotted` is what config gives a shard, `remaining` what is left of it. A new version
moves a total by the difference and never takes back what was already used: a rise is
spread evenly, a cut is taken from the shards with the most left, and every shard's write
is conditional on its allotment being the one read, so a concurrent apply cannot
double-count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from plugins.prize_pool.budget import BUDGET
from plugins.prize_pool.model import pools_of
from plugins.store import AllowanceItem, Transaction, keys

if TYPE_CHECKING:
    from plugins.contracts import Campaign

MAX_SHARDS = 20


@dataclass(frozen=True)
class Shard:
    allotted: int
    remaining: int


@dataclass(frozen=True)
class Wanted:
    """An allowance as config wants it: a total over a number of shards."""

    name: str
    label: str
    total: int
    shards: int


def split(total: int, shards: int) -> list[int]:
    """Spread `total` over `shards` as evenly as whole units allow."""
    return [total // shards + (1 if i < total % shards else 0) for i in range(shards)]


def stock_name(pool_id: str, prize_id: str) -> str:
    return f"P#{pool_id}#{prize_id}"


def wanted(campaign: Campaign, budget: int) -> list[Wanted]:
    """Every allowance the campaign needs: stock per prize, and the budget if counted."""
    found = [
        Wanted(stock_name(pool_id, prize.id), f"{game}: prize {prize.id} stock", prize.stock,
               prize.shards)
        for game, section in campaign.games.items()
        for pool_id, pool in pools_of(section).items()
        for prize in pool.prizes
        if prize.stock is not None
    ]
    if campaign.budget_counted:
        found.append(Wanted(BUDGET, "budget (cents)", budget, campaign.config.budget_shards))
    return found


def read_shards(campaign_id: str, names: list[str]) -> dict[str, list[Shard]]:
    """The stored shards of each named allowance, in shard order (empty: never seeded)."""
    keys_wanted = [(keys.allowance(campaign_id, name, shard), keys.ALLOWANCE_SK)
                   for name in names for shard in range(MAX_SHARDS)]
    stored = {item.pk: item for item in AllowanceItem.batch_get(keys_wanted, consistent_read=True)}
    found: dict[str, list[Shard]] = {}
    for name in names:
        shards = []
        for shard in range(MAX_SHARDS):
            item = stored.get(keys.allowance(campaign_id, name, shard))
            if item is None:
                break
            shards.append(Shard(int(item.allotted), int(item.remaining)))
        found[name] = shards
    return found


def _deltas(old: list[Shard], change: int) -> list[int] | None:
    """Per-shard changes adding up to `change`; None when a cut exceeds what is left."""
    if change >= 0:
        return split(change, len(old))
    if sum(s.remaining for s in old) < -change:
        return None
    deltas, due = [0] * len(old), -change
    for index in sorted(range(len(old)), key=lambda i: -old[i].remaining):
        take = min(old[index].remaining, due)
        deltas[index], due = -take, due - take
    return deltas


def seed(tx: Transaction, campaign_id: str, want: Wanted, old: list[Shard], used: int = 0) -> str | None:
    """Add the writes that bring one allowance to `want`; return a problem instead if it can't.

    `used` (new allowances only) is what was already spent before the allowance existed.
    """
    item_key = lambda shard: AllowanceItem(keys.allowance(campaign_id, want.name, shard),  # noqa: E731
                                           keys.ALLOWANCE_SK)
    if not old:
        for shard, (amount, spent) in enumerate(zip(split(want.total, want.shards),
                                                    split(used, want.shards), strict=True)):
            item = item_key(shard)
            item.allotted, item.remaining = amount, amount - spent
            tx.put(f"seed:{want.name}:{shard}", item, AllowanceItem.pk.does_not_exist())
        return None
    if len(old) != want.shards:
        return f"{want.label}: shard count cannot change once applied ({len(old)} -> {want.shards})"
    deltas = _deltas(old, want.total - sum(s.allotted for s in old))
    if deltas is None:
        used_so_far = sum(s.allotted - s.remaining for s in old)
        return f"{want.label}: cannot go below the {used_so_far} already used"
    for shard, (before, delta) in enumerate(zip(old, deltas, strict=True)):
        if delta:
            tx.update(f"seed:{want.name}:{shard}", item_key(shard),
                      [AllowanceItem.allotted.set(before.allotted + delta),
                       AllowanceItem.remaining.add(delta)],
                      (AllowanceItem.allotted == before.allotted)
                      & (AllowanceItem.remaining >= -delta))
    return None

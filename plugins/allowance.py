"""One sharded allowance: the rules of spending and refunding a total split over N items.

A total every action touches would cap a campaign at one item's write rate, so it is split
over shards, one partition each. The rules, the same for the campaign budget, prize stock,
the red packets' own budget and booking stock:

- a debit first tries one shard, chosen at random among those not known short, with no
  read: the condition on the write is the check, so the budget or stock is never exceeded;
- a shard found short (its condition failed, not a mere conflict) is remembered per loaded
  config (`Campaign.memo`) with the smallest amount it could not pay: its room only falls;
- when no shard is known able to pay, one consistent read finds one that can (chosen at
  random among those that can, so that a rush does not herd onto one shard), or else the
  shards that together can, and the debit spreads over them (sharding never strands money);
  when even they cannot, the whole allowance is remembered as unable to pay that much;
- a refund goes back to the shards that paid, each no more than it paid.

The rules speak of one thing, a shard's *room* (what it can still pay). Two thin storage
adapters map it onto the two stored formats in use, both kept as they are:
`Remaining` (`AllowanceItem.remaining`, seeded when a campaign is applied: prize stock and
the campaign budget, whose seeding also moves totals between versions; booking stock,
seeded per day) and `Taken` (`CounterItem.n` against limits config gives: the red packets'
budget, which needs no seeding and whose limit a new version moves without a write).
Converting either to the other would change stored data and the apply path for no gain.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from random import Random
from typing import Any

from plugins.store import AllowanceItem, CounterItem, Transaction, TransactionCancelledError

__all__ = ["MAX_SHARDS", "Allowance", "Debit", "Remaining", "Shards", "Taken"]

MAX_SHARDS = 64
"""The most shards config may ask for: a spread debit reads them all in one BatchGetItem
(100 keys at most), and 64 items take about 32,000 transactional writes a second."""

Key = Callable[[int], tuple[str, str]]
SHORT = "ConditionalCheckFailed"


class Shards(ABC):
    """Where an allowance's shards live and how a shard pays or is paid back: I/O only.

    `tag` prefixes the debit's transaction tags (`<tag><shard>`); `key(shard)` is an item's
    key; a debit chooses among `count` shards. A handle without a count can still refund.
    """

    def __init__(self, tag: str, key: Key, count: int = 0) -> None:
        self.tag, self.key, self.count = tag, key, count

    @abstractmethod
    def take(self, tx: Transaction, shard: int, amount: int) -> None:
        """Debit `amount` from `shard`, conditional on its room covering it."""

    @abstractmethod
    def give(self, tx: Transaction, tag: str, shard: int, amount: int) -> None:
        """Credit `amount` back to `shard`."""

    @abstractmethod
    def deny(self, tx: Transaction) -> None:
        """A write bound to fail: nothing can pay, yet the action's own record is still checked."""

    @abstractmethod
    def rooms(self) -> dict[int, int]:
        """Each shard's room, read consistently (one BatchGetItem)."""

    def ceiling(self, shard: int) -> int | None:
        """The most `shard` can ever pay, known without reading; None when unknown."""
        return None

    def refund(self, tx: Transaction, tag: str, amounts: dict[int, int]) -> None:
        """Give back what a debit took, per shard as its plan returned it (tags `<tag><shard>`)."""
        for shard, amount in sorted(amounts.items()):
            if amount > 0:
                self.give(tx, f"{tag}{shard}", shard, amount)

    def _shard_of(self) -> dict[str, int]:
        return {self.key(shard)[0]: shard for shard in range(self.count)}


class Remaining(Shards):
    """Shards holding what is left (`AllowanceItem.remaining`), seeded ahead; a missing shard
    has no room."""

    def take(self, tx: Transaction, shard: int, amount: int) -> None:
        tx.update(f"{self.tag}{shard}", AllowanceItem(*self.key(shard)),
                  [AllowanceItem.remaining.add(-amount)], AllowanceItem.remaining >= amount)

    def give(self, tx: Transaction, tag: str, shard: int, amount: int) -> None:
        tx.update(tag, AllowanceItem(*self.key(shard)), [AllowanceItem.remaining.add(amount)],
                  AllowanceItem.pk.exists())

    def deny(self, tx: Transaction) -> None:
        tx.check(f"{self.tag}0", AllowanceItem, *self.key(0), AllowanceItem.remaining < 0)

    def rooms(self) -> dict[int, int]:
        shard = self._shard_of()
        items = AllowanceItem.batch_get([self.key(s) for s in range(self.count)], consistent_read=True)
        return {shard[item.pk]: int(item.remaining) for item in items}


class Taken(Shards):
    """Shards counting what was taken (`CounterItem.n`, absent = 0) against `limits`: no
    seeding, and a new config version moves the limits without a write."""

    def __init__(self, tag: str, key: Key, limits: Sequence[int] = ()) -> None:
        super().__init__(tag, key, len(limits))
        self.limits = list(limits)

    def take(self, tx: Transaction, shard: int, amount: int) -> None:
        room = CounterItem.n <= self.limits[shard] - amount
        tx.update(f"{self.tag}{shard}", CounterItem(*self.key(shard)), [CounterItem.n.add(amount)],
                  room | CounterItem.n.does_not_exist() if amount <= self.limits[shard] else room)

    def give(self, tx: Transaction, tag: str, shard: int, amount: int) -> None:
        tx.update(tag, CounterItem(*self.key(shard)), [CounterItem.n.add(-amount)],
                  CounterItem.n >= amount)

    def deny(self, tx: Transaction) -> None:
        tx.check(f"{self.tag}0", CounterItem, *self.key(0), CounterItem.n < 0)

    def ceiling(self, shard: int) -> int | None:
        return self.limits[shard]

    def taken(self) -> dict[int, int]:
        """What each shard has taken (one consistent BatchGetItem)."""
        shard = self._shard_of()
        items = CounterItem.batch_get([self.key(s) for s in range(self.count)], consistent_read=True)
        return {shard[item.pk]: int(item.n) for item in items}

    def rooms(self) -> dict[int, int]:
        taken = self.taken()
        return {s: limit - taken.get(s, 0) for s, limit in enumerate(self.limits)}


@dataclass
class Known:
    """What this process learnt of one allowance under one loaded config."""

    short: dict[int, int] = field(default_factory=dict)
    """shard -> the smallest amount it was found unable to pay"""
    floor: int | None = None
    """the smallest amount the whole allowance was found unable to pay"""


class Allowance:
    """One allowance as a loaded config sees it: its shards and what is known of them."""

    def __init__(self, shards: Shards, known: Known) -> None:
        self.shards, self.known = shards, known

    @classmethod
    def of(cls, memo: dict[Any, Any], shards: Shards) -> Allowance:
        """The allowance whose shard 0 is at `shards.key(0)`, remembering in a loaded
        config's `memo` (`Campaign.memo`)."""
        known: Known = memo.setdefault(("allowance", *shards.key(0)), Known())
        return cls(shards, known)

    def _bound(self, shard: int) -> float:
        """The most `shard` may still pay, as far as known without reading."""
        short = self.known.short.get(shard)
        ceiling = self.shards.ceiling(shard)
        bounds = [b for b in (None if short is None else short - 1, ceiling) if b is not None]
        return min(bounds, default=float("inf"))

    def alone(self, amount: int) -> list[int]:
        """The shards not known unable to pay `amount` by themselves."""
        return [s for s in range(self.shards.count) if self._bound(s) >= amount]

    def ruled_out(self, amount: int) -> bool:
        """Whether what is known of the shards alone rules out paying `amount`, spread or not."""
        return sum(self._bound(s) for s in range(self.shards.count)) < amount

    def exhausted(self, amount: int) -> bool:
        """Whether paying `amount` is ruled out, or a read found the whole allowance unable
        to (a caller may then skip the debit; a debit itself reads again, since refunds may
        have made room)."""
        floor = self.known.floor
        return self.ruled_out(amount) or (floor is not None and amount >= floor)

    def learn_short(self, shard: int, amount: int) -> None:
        self.known.short[shard] = min(self.known.short.get(shard, amount), amount)

    def forget(self, shards: Sequence[int]) -> None:
        """Units came back to `shards` (a committed refund): they may pay again."""
        for shard in shards:
            self.known.short.pop(shard, None)
        self.known.floor = None

    def debit(self, amount: int, rng: Random) -> Debit:
        return Debit(self, amount, rng)


class Debit:
    """Paying `amount` from an allowance, across the attempts of one action."""

    def __init__(self, allowance: Allowance, amount: int, rng: Random) -> None:
        self.allowance, self.amount, self._rng = allowance, amount, rng
        self._spread: dict[int, int] | None = None
        self.planned: dict[int, int] = {}

    @property
    def exhausted(self) -> bool:
        return self.allowance.exhausted(self.amount)

    def plan(self, tx: Transaction) -> dict[int, int]:
        """Add the debit to `tx`; return the amount taken per shard (where a refund goes)."""
        amounts = self._spread
        if amounts is None:
            alone = self.allowance.alone(self.amount)
            amounts = {self._rng.choice(alone): self.amount} if alone else self._read()
        self.planned = amounts
        shards = self.allowance.shards
        if not amounts:
            shards.deny(tx)
        for shard, amount in amounts.items():
            shards.take(tx, shard, amount)
        return dict(amounts)

    def recover(self, cancelled: TransactionCancelledError) -> bool:
        """After a refused debit: another single shard, a spread debit, or False (cannot pay)."""
        if self._spread == {}:  # the plan already knew nothing could pay
            return False
        tag = self.allowance.shards.tag
        if self._spread is None and len(self.planned) == 1:
            shard = next(iter(self.planned))
            if cancelled.failed.get(f"{tag}{shard}") == SHORT:
                self.allowance.learn_short(shard, self.amount)
            if self.allowance.alone(self.amount):
                return True
        self._read()
        return bool(self._spread)

    def _read(self) -> dict[int, int]:
        """Amounts per shard that together pay, read consistently; {} when none can."""
        amounts: dict[int, int] = {}
        if not self.allowance.ruled_out(self.amount):
            due = self.amount
            rooms = self.allowance.shards.rooms()
            able = sorted(shard for shard, room in rooms.items() if room >= due)
            if able:  # any one that pays alone, at random: a rush must not herd onto one shard
                self._spread = {self._rng.choice(able): due}
                return self._spread
            for shard, room in sorted(rooms.items(), key=lambda kv: (-kv[1], kv[0])):
                take = min(room, due)
                if take > 0:
                    amounts[shard], due = take, due - take
            if due > 0:
                known = self.allowance.known
                known.floor, amounts = min(known.floor or self.amount, self.amount), {}
        self._spread = amounts
        return amounts

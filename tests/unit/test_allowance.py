"""The sharded allowance (`plugins.allowance`) on the local DynamoDB: one shard without a
read, shards found short remembered, a spread after one read, refunds to the payers, both
stored formats, and never more paid than there is under a rush."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from random import Random
from typing import Any

import pytest

from infra.local.dynamodb import LocalDynamoDB
from infra.local.faults import Faults
from plugins.allowance import Allowance, Debit, Remaining, Shards, Taken
from plugins.store import (
    AllowanceItem,
    Transaction,
    TransactionCancelledError,
    TransactionConflictError,
)
from tests.conftest import rush

pytestmark = pytest.mark.usefixtures("table")
Memo = dict[Any, Any]
"""A loaded config's memo (`Campaign.memo`)."""


class First(Random):
    """Picks the first candidate shard, so a test knows which one a debit tries."""

    def choice(self, seq: Any) -> Any:
        return seq[0]


def key(name: str, shard: int) -> tuple[str, str]:
    return f"C#t#A#{name}#{shard}", "A"


def remaining(amounts: list[int], name: str = "R") -> Remaining:
    """Seeded `Remaining` shards holding `amounts`."""
    for shard, amount in enumerate(amounts):
        AllowanceItem(*key(name, shard), allotted=amount, remaining=amount).save()
    return Remaining(f"{name}:", partial(key, name), len(amounts))


def taken(limits: list[int], name: str = "T") -> Taken:
    return Taken(f"{name}:", partial(key, name), limits)


def pay(debit: Debit, attempts: int = 64) -> dict[int, int] | None:
    """Run a debit alone as `plugins.actions.perform` would, and as a player would after a
    409 CONFLICT (with more attempts, so a rush shows what is left rather than who gave up):
    the amounts it took, or None."""
    for _ in range(attempts):
        tx = Transaction()
        amounts = debit.plan(tx)
        try:
            tx.commit()
            return amounts
        except TransactionConflictError:
            continue
        except TransactionCancelledError as cancelled:
            if not debit.recover(cancelled):
                return None
    return None


def rooms(shards: Shards) -> list[int]:
    found = shards.rooms()
    return [found.get(s, 0) for s in range(shards.count)]


def test_a_debit_one_shard_can_pay_is_one_write_and_no_read(dynamodb_calls: list[str]) -> None:
    shards = remaining([5, 5, 5])
    dynamodb_calls.clear()
    assert pay(Allowance.of({}, shards).debit(4, First())) == {0: 4}
    assert dynamodb_calls == ["TransactWriteItems"]
    assert rooms(shards) == [1, 5, 5]


def test_a_shard_found_short_is_remembered_for_the_loaded_config(dynamodb_calls: list[str]) -> None:
    # GIVEN shard 0 cannot pay 3 and shard 1 can
    shards, memo = remaining([2, 9]), Memo()
    dynamodb_calls.clear()
    # WHEN a debit tries shard 0 first, THEN it moves on to shard 1 without reading
    assert pay(Allowance.of(memo, shards).debit(3, First())) == {1: 3}
    assert dynamodb_calls == ["TransactWriteItems", "TransactWriteItems"]
    # AND the next debit of as much (same memo) skips shard 0 at once; a smaller one may try it
    dynamodb_calls.clear()
    assert pay(Allowance.of(memo, shards).debit(3, First())) == {1: 3}
    assert pay(Allowance.of(memo, shards).debit(2, First())) == {0: 2}
    assert dynamodb_calls == ["TransactWriteItems", "TransactWriteItems"]
    assert Allowance.of(memo, shards).known.short == {0: 3}


def test_a_conflict_is_not_taken_for_a_short_shard() -> None:
    allowance = Allowance.of({}, remaining([5, 5]))
    debit = allowance.debit(1, First())
    debit.plan(Transaction())
    assert debit.recover(TransactionCancelledError({"R:0": "TransactionConflict"}))
    assert allowance.known.short == {}


def test_no_single_shard_can_pay_so_one_read_spreads_it(dynamodb_calls: list[str]) -> None:
    # GIVEN three shards of 3 and a cost of 4: each shard is tried alone and found short
    shards, memo = remaining([3, 3, 3]), Memo()
    dynamodb_calls.clear()
    assert pay(Allowance.of(memo, shards).debit(4, First())) == {0: 3, 1: 1}
    assert dynamodb_calls == ["TransactWriteItems"] * 3 + ["BatchGetItem", "TransactWriteItems"]
    # WHEN the next debit that no shard alone can pay comes, THEN it reads at once
    dynamodb_calls.clear()
    assert pay(Allowance.of(memo, shards).debit(4, First())) == {2: 3, 1: 1}
    assert dynamodb_calls == ["BatchGetItem", "TransactWriteItems"]
    assert rooms(shards) == [0, 1, 0]


def test_a_read_after_every_shard_was_found_short_picks_at_random_among_those_that_can_pay(
        dynamodb_calls: list[str]) -> None:
    # GIVEN a loaded config that found every shard short of 2 (refunds made room since)
    shards = remaining([4, 9, 4, 4])
    picked = set()
    for seed in range(12):
        allowance = Allowance.of(Memo(), shards)
        for shard in range(4):
            allowance.learn_short(shard, 2)
        # WHEN a debit of 2 reads the shards, THEN it takes one able shard, not always the fullest
        dynamodb_calls.clear()
        debit = allowance.debit(2, Random(seed))
        [(shard, amount)] = debit.plan(Transaction()).items()
        assert dynamodb_calls == ["BatchGetItem"] and amount == 2
        picked.add(shard)
    assert picked == {0, 1, 2, 3}  # a rush of such debits does not herd onto shard 1


def test_what_cannot_be_paid_is_refused_and_then_known() -> None:
    shards, memo = remaining([2, 2]), Memo()
    assert pay(Allowance.of(memo, shards).debit(5, First())) is None
    assert rooms(shards) == [2, 2]
    assert Allowance.of(memo, shards).exhausted(5) and not Allowance.of(memo, shards).exhausted(4)


def test_a_unit_allowance_with_every_shard_empty_is_sold_out_without_a_read(
        dynamodb_calls: list[str]) -> None:
    shards, memo = remaining([1, 0]), Memo()
    assert pay(Allowance.of(memo, shards).debit(1, First())) == {0: 1}
    dynamodb_calls.clear()
    assert pay(Allowance.of(memo, shards).debit(1, First())) is None
    assert dynamodb_calls == ["TransactWriteItems", "TransactWriteItems"]  # each shard found empty once
    dynamodb_calls.clear()
    assert Allowance.of(memo, shards).exhausted(1)
    assert pay(Allowance.of(memo, shards).debit(1, First())) is None
    assert dynamodb_calls == ["TransactWriteItems"]  # refused by a write bound to fail, no read


def test_a_refund_goes_back_to_the_shards_that_paid() -> None:
    shards, memo = remaining([3, 3, 3]), Memo()
    paid = pay(Allowance.of(memo, shards).debit(7, Random(1)))
    assert paid is not None and sum(paid.values()) == 7 and rooms(shards) != [3, 3, 3]
    tx = Transaction()
    shards.refund(tx, "refund:R:", paid)
    tx.commit()
    assert rooms(shards) == [3, 3, 3]
    assert Allowance.of(memo, shards).alone(7) == []
    Allowance.of(memo, shards).forget(list(paid))  # once the refund committed
    assert Allowance.of(memo, shards).alone(7) == [0, 1, 2]


def test_taken_against_limits_needs_no_seeding_and_spreads_beyond_a_limit(
        dynamodb_calls: list[str]) -> None:
    # GIVEN limits of 4 each and nothing stored: an amount above every limit reads at once
    shards = taken([4, 4, 4])
    dynamodb_calls.clear()
    paid = pay(Allowance.of({}, shards).debit(6, First()))
    assert paid == {0: 4, 1: 2} and dynamodb_calls == ["BatchGetItem", "TransactWriteItems"]
    assert rooms(shards) == [0, 2, 4]
    # AND a refund lowers what was taken; nothing goes below zero or past a limit
    tx = Transaction()
    shards.refund(tx, "refund:T:", paid)
    tx.commit()
    assert shards.taken() == {0: 0, 1: 0}
    assert pay(Allowance.of({}, shards).debit(13, First())) is None
    assert pay(Allowance.of({}, shards).debit(12, First())) == {0: 4, 1: 4, 2: 4}


RUSH = 16
"""Debits at once in the atomic mode: enough to race over 4 shards. A retried transaction
is applied twice there (moto ignores `ClientRequestToken`), so a call pushed past the
client's read timeout would pay twice: the realistic mode honours the token, and its rush
loses answers on purpose."""
STOCK = partial(remaining, [5, 5, 5, 5]), partial(taken, [5, 5, 5, 5])


@pytest.mark.slow
@pytest.mark.usefixtures("tight_switching")
@pytest.mark.parametrize("make", STOCK, ids=["remaining", "taken"])
def test_never_more_paid_than_there_is_under_a_rush(make: Any) -> None:
    assert_rush_pays_what_it_takes(make(), RUSH)


@pytest.mark.slow
@pytest.mark.parametrize("make", STOCK, ids=["remaining", "taken"])
def test_never_more_paid_than_there_is_when_answers_are_lost(
        make: Any, faulty: Callable[[Faults], LocalDynamoDB]) -> None:
    # GIVEN the realistic mode losing about one write answer in 33 (applied, connection closed)
    shards: Shards = make()
    ddb = faulty(Faults(seed=9, lost_rate=0.03))
    # WHEN 64 debits rush, botocore retrying each lost answer with the same request token
    assert_rush_pays_what_it_takes(shards, 64)
    # THEN (asserted above) the shards lost exactly what was paid, while answers were lost
    # and transactions conflicted (whether a lost answer was a success, answered again from
    # its token, depends on timing: tests/infra/test_realistic_dynamodb.py proves that part)
    assert ddb.stats["lost"] > 0 and ddb.stats["conflicts"] > 0


def assert_rush_pays_what_it_takes(shards: Shards, debits_at_once: int) -> None:
    # GIVEN 20 units over 4 shards and debits of 1 to 3 at once, sharing one memo
    memo = Memo()
    costs = [1 + i % 3 for i in range(debits_at_once)]
    debits = [Allowance.of(memo, shards).debit(cost, Random(i)) for i, cost in enumerate(costs)]
    # WHEN they all pay
    paid = rush([partial(pay, debit) for debit in debits])
    # THEN each paid exactly its cost, the shards lost exactly what was paid, none below zero
    # (or, counting what was taken, above its limit), and what is left is less than a cost
    assert all(p is None or sum(p.values()) == cost for p, cost in zip(paid, costs, strict=True))
    total = sum(sum(p.values()) for p in paid if p is not None)
    assert total == 20 - sum(rooms(shards)) and min(rooms(shards)) >= 0
    assert sum(rooms(shards)) < 3

"""One TransactWriteItems built from tagged conditional writes, with named failures.

Each layer (quota, anti-fraud, prize pool, issuer) adds its writes under a tag; when
DynamoDB cancels the transaction, `TransactionCancelledError.failed` names the tags whose
condition failed, so the caller can tell "no stock" from "no chances" from "already done".

A `TransactionConflict` (another transaction held one of the items) is not a failed condition:
nothing was decided, so `commit` sends the same transaction again, a bounded number of times
with jittered backoff, and when the conflicts outlast that raises `TransactionConflictError`
(409 `CONFLICT` with `Retry-After`): never a refusal a caller could take for "sold out".
"""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from plugins.errors import ConflictError
from plugins.store.models import BaseItem
from plugins.store.tally import Tally

CONFLICT = "TransactionConflict"
CONFLICT_RETRIES = 6
BACKOFF_BASE, BACKOFF_CAP = 0.005, 0.1


class TransactionCancelledError(Exception):
    """DynamoDB cancelled the transaction; `failed` maps each tag whose condition failed (or
    whose write was invalid) to its reason code; `conflicts` are the tags another transaction
    held at the time, which say nothing about their conditions."""

    def __init__(self, failed: dict[str, str], conflicts: frozenset[str] = frozenset()) -> None:
        super().__init__(f"transaction cancelled: {failed or ''}{sorted(conflicts) or ''}")
        self.failed = failed
        self.conflicts = conflicts

    def any(self, *prefixes: str) -> bool:
        """Whether a tag starting with one of `prefixes` failed its condition."""
        return any(tag.startswith(prefixes) for tag in self.failed)

    def within(self, prefix: str) -> TransactionCancelledError:
        """The failures of the writes a `Transaction.scoped(prefix)` view added, unprefixed."""
        return TransactionCancelledError(
            {tag.removeprefix(prefix): code for tag, code in self.failed.items()
             if tag.startswith(prefix)},
            frozenset(tag.removeprefix(prefix) for tag in self.conflicts if tag.startswith(prefix)),
        )


class TransactionConflictError(ConflictError):
    """Other transactions held an item of this one through every retry; nothing was written,
    and the same request may be sent again."""


@dataclass
class _Bump:
    """The merged ADDs to one number of one item, and the bounds they must respect."""

    item: BaseItem
    attribute: Any
    amount: int = 0
    at_most: int | None = None
    needs: int = 0
    tags: list[str] = field(default_factory=list)
    bounded: list[str] = field(default_factory=list)

    def condition(self) -> Condition | None:
        """The value before the update keeps the value after within `at_most` and covers `needs`."""
        parts: list[Condition] = []
        if self.at_most is not None:
            room = self.attribute <= self.at_most - self.amount
            parts.append(room | self.attribute.does_not_exist() if self.amount <= self.at_most else room)
        if self.needs > 0:
            parts.append(self.attribute >= self.needs)
        return None if not parts else parts[0] if len(parts) == 1 else parts[0] & parts[1]


class Transaction:
    """Collects writes in order; `commit` sends them as one all-or-nothing round trip.
    `tally` collects what the writes add to the campaign's figures (shared by scoped views)."""

    def __init__(self) -> None:
        self._prefix = ""
        self.tally = Tally()
        self._checks: list[tuple[str, type[BaseItem], str, str, Condition]] = []
        self._puts: list[tuple[str, BaseItem, Condition | None]] = []
        self._updates: list[tuple[str, BaseItem, list[Action], Condition | None]] = []
        self._deletes: list[tuple[str, BaseItem, Condition | None]] = []
        self._bumps: dict[tuple[str, str], _Bump] = {}

    def __len__(self) -> int:
        return (len(self._checks) + len(self._puts) + len(self._updates) + len(self._deletes)
                + len(self._bumps))

    @property
    def tags(self) -> list[str]:
        """Tags in the order PynamoDB sends the items: checks, deletes, puts, then updates
        (the bumps merged into one update show their tags joined by '+')."""
        return ["+".join(tags) for tags in self._item_tags()]

    def _item_tags(self) -> list[tuple[str, ...]]:
        """Per item sent, the tags its failed condition is reported under."""
        return (
            [(c[0],) for c in self._checks] + [(d[0],) for d in self._deletes]
            + [(p[0],) for p in self._puts] + [(u[0],) for u in self._updates]
            + [tuple(b.bounded or b.tags) for b in self._bumps.values()]
        )

    def scoped(self, prefix: str) -> Transaction:
        """A view adding its writes to this same transaction, each tag under `prefix`.

        Lets one action hold two layers that use the same tags (two rewards for two members);
        `TransactionCancelledError.within(prefix)` gives that view's failures back. Commit the
        transaction itself, not the view.
        """
        view = copy.copy(self)  # shares the write lists
        view._prefix = self._prefix + prefix
        return view

    def check(
        self, tag: str, model: type[BaseItem], pk: str, sk: str, condition: Condition
    ) -> None:
        """Require `condition` on an item without writing it."""
        self._checks.append((self._prefix + tag, model, pk, sk, condition))

    def put(self, tag: str, item: BaseItem, condition: Condition | None = None) -> None:
        """Write a whole item, if `condition` holds."""
        self._puts.append((self._prefix + tag, item, condition))

    def update(
        self, tag: str, item: BaseItem, actions: Iterable[Action], condition: Condition | None = None
    ) -> None:
        """Apply update actions to an item (created if absent), if `condition` holds."""
        self._updates.append((self._prefix + tag, item, list(actions), condition))

    def delete(self, tag: str, item: BaseItem, condition: Condition | None = None) -> None:
        """Remove an item (its keys are enough), if `condition` holds."""
        self._deletes.append((self._prefix + tag, item, condition))

    def bump(
        self, tag: str, item: BaseItem, attribute: Any, amount: int, *,
        at_most: int | None = None, needs: int = 0,
    ) -> None:
        """ADD `amount` to the number `attribute` of `item` (absent counts as 0), within bounds.

        DynamoDB touches an item once per transaction, so bumps of one item merge into one
        update: the amounts add up, `at_most` bounds the value after all of them (a counter
        stays within its limit), and the `needs` add up into a condition that the value
        before covers them all (a balance pays every spend). A failed condition is reported
        under the tag of every bump that set a bound. So several rewards or spends of one
        action can share a balance or a counter.
        """
        key = (item.pk, item.sk)
        merged = self._bumps.setdefault(key, _Bump(item, attribute))
        if merged.attribute is not attribute:
            raise ValueError(f"bumps of {key} must all add to the same attribute")
        merged.amount += amount
        merged.needs += needs
        if at_most is not None:
            merged.at_most = at_most if merged.at_most is None else min(merged.at_most, at_most)
        merged.tags.append(self._prefix + tag)
        if at_most is not None or needs > 0:
            merged.bounded.append(self._prefix + tag)

    def commit(self) -> None:
        """Send the transaction; a cancellation by conflicts alone is sent again (full jitter,
        capped exponential backoff), up to `CONFLICT_RETRIES` times, then `TransactionConflictError`."""
        for attempt in range(CONFLICT_RETRIES + 1):
            try:
                self._send()
                return
            except TransactionCancelledError as exc:
                if exc.failed or not exc.conflicts:
                    raise
                if attempt == CONFLICT_RETRIES:
                    raise TransactionConflictError(
                        "other requests are changing the same data; retry with the same key") from None
                time.sleep(random.uniform(0, min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt)))

    def _send(self) -> None:
        connection = BaseItem._get_connection()
        try:
            with TransactWrite(connection=connection.connection) as tx:
                for _, model, pk, sk, check in self._checks:
                    tx.condition_check(model, pk, sk, condition=check)
                for _, item, condition in self._puts:
                    tx.save(item, condition=condition)
                for _, item, actions, condition in self._updates:
                    tx.update(item, actions, condition=condition)
                for _, item, condition in self._deletes:
                    tx.delete(item, condition=condition)
                for bump in self._bumps.values():
                    tx.update(bump.item, [bump.attribute.add(bump.amount)], condition=bump.condition())
        except TransactWriteError as exc:
            if exc.cause_response_code != "TransactionCanceledException":
                raise
            raise _cancelled(self._item_tags(), exc) from exc


def _cancelled(tags: list[tuple[str, ...]], exc: TransactWriteError) -> TransactionCancelledError:
    """The cancellation reasons, per tag: the failed ones, and the ones in conflict."""
    reasons: list[Any] = exc.cancellation_reasons
    coded = [(item_tags, reason.code) for item_tags, reason in zip(tags, reasons, strict=False)
             if reason is not None and reason.code not in (None, "None")]
    return TransactionCancelledError(
        {tag: code for item_tags, code in coded if code != CONFLICT for tag in item_tags},
        frozenset(tag for item_tags, code in coded if code == CONFLICT for tag in item_tags),
    )

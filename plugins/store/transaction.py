"""One TransactWriteItems built from tagged conditional writes, with named failures.

Each layer (quota, anti-fraud, prize pool, issuer) adds its writes under a tag; when
DynamoDB cancels the transaction, `TransactionCancelledError.failed` names the tags whose
condition failed, so the caller can tell "no stock" from "no chances" from "already done".
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from typing import Any

from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from plugins.store.models import BaseItem

CONFLICT_RETRIES = 4


class TransactionCancelledError(Exception):
    """DynamoDB cancelled the transaction; `failed` maps each failing tag to its reason code."""

    def __init__(self, failed: dict[str, str]) -> None:
        super().__init__(f"transaction cancelled: {failed}")
        self.failed = failed

    def any(self, *prefixes: str) -> bool:
        """Whether a tag starting with one of `prefixes` failed its condition."""
        return any(tag.startswith(prefixes) for tag in self.failed)


class Transaction:
    """Collects writes in order; `commit` sends them as one all-or-nothing round trip."""

    def __init__(self) -> None:
        self._checks: list[tuple[str, type[BaseItem], str, str, Condition]] = []
        self._puts: list[tuple[str, BaseItem, Condition | None]] = []
        self._updates: list[tuple[str, BaseItem, list[Action], Condition | None]] = []

    def __len__(self) -> int:
        return len(self._checks) + len(self._puts) + len(self._updates)

    @property
    def tags(self) -> list[str]:
        """Tags in the order PynamoDB sends the items: checks, puts, then updates."""
        return (
            [c[0] for c in self._checks] + [p[0] for p in self._puts] + [u[0] for u in self._updates]
        )

    def check(
        self, tag: str, model: type[BaseItem], pk: str, sk: str, condition: Condition
    ) -> None:
        """Require `condition` on an item without writing it."""
        self._checks.append((tag, model, pk, sk, condition))

    def put(self, tag: str, item: BaseItem, condition: Condition | None = None) -> None:
        """Write a whole item, if `condition` holds."""
        self._puts.append((tag, item, condition))

    def update(
        self, tag: str, item: BaseItem, actions: Iterable[Action], condition: Condition | None = None
    ) -> None:
        """Apply update actions to an item (created if absent), if `condition` holds."""
        self._updates.append((tag, item, list(actions), condition))

    def commit(self) -> None:
        """Send the transaction, retrying only DynamoDB's transient conflicts."""
        for attempt in range(CONFLICT_RETRIES + 1):
            try:
                self._send()
                return
            except TransactionCancelledError as exc:
                conflict_only = set(exc.failed.values()) == {"TransactionConflict"}
                if not conflict_only or attempt == CONFLICT_RETRIES:
                    raise
                time.sleep(random.uniform(0, 0.01 * 2**attempt))

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
        except TransactWriteError as exc:
            if exc.cause_response_code != "TransactionCanceledException":
                raise
            raise TransactionCancelledError(_failed_tags(self.tags, exc)) from exc


def _failed_tags(tags: list[str], exc: TransactWriteError) -> dict[str, str]:
    reasons: list[Any] = exc.cancellation_reasons
    return {
        tag: reason.code
        for tag, reason in zip(tags, reasons, strict=False)
        if reason is not None and reason.code not in (None, "None")
    }

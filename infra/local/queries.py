"""moto's Query reads one partition, as DynamoDB's does.

Upstream `Table.query` lists every item of the table (`Table.all_items`, which also sorts
them) and keeps those of the asked partition: each Query costs O(n log n) in the table's
size, where DynamoDB's costs what the partition holds. A report that reads 150 items of one
campaign took half a second beside 3,000 actions and about 4 s beside 10^4
(`benchmarks/report.py`). For a Query of the table itself (not an index) the patch lets
`query` see only the asked partition's items; what it does with them (key conditions,
filters, order, pages) stays upstream's.
"""

from __future__ import annotations

import threading
from typing import Any

from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table

__all__ = ["patch_moto_queries", "unpatch_moto_queries"]

_UPSTREAM_QUERY = Table.query
_UPSTREAM_ALL_ITEMS = Table.all_items
_asked = threading.local()
"""The table and partition the Query running on this thread asked for."""


def _all_items(self: Table) -> list[Item]:
    asked = getattr(_asked, "partition", None)
    if asked is None or asked[0] is not self:
        return _UPSTREAM_ALL_ITEMS(self)
    items = self.items.get(asked[1])
    return sorted(items.values(), key=lambda item: item.range_key) if isinstance(items, dict) else []  # type: ignore[arg-type, return-value]


def _query(self: Table, hash_key: DynamoType | None, *args: Any, **kwargs: Any) -> Any:
    index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
    if index_name is not None or hash_key is None or self.range_key_attr is None:
        return _UPSTREAM_QUERY(self, hash_key, *args, **kwargs)
    _asked.partition = (self, hash_key)
    try:
        return _UPSTREAM_QUERY(self, hash_key, *args, **kwargs)
    finally:
        _asked.partition = None


def patch_moto_queries() -> None:
    """Make moto's Query of a table read one partition (idempotent)."""
    Table.query = _query  # type: ignore[method-assign]
    Table.all_items = _all_items  # type: ignore[method-assign]


def unpatch_moto_queries() -> None:
    """Restore moto's own Query (for differential tests)."""
    Table.query = _UPSTREAM_QUERY  # type: ignore[method-assign]
    Table.all_items = _UPSTREAM_ALL_ITEMS  # type: ignore[method-assign]

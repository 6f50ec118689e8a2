"""Reads of items of different kinds in one round trip.

`Model.batch_get` reads one model; a rule that must look at, say, a game item and a player's
counter before its write would pay one round trip per model. `get_many` reads them all in
one `BatchGetItem` and hands each back as the model it was asked as.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from plugins.store.models import BaseItem

MAX_KEYS = 100


def get_many(
    wanted: Sequence[tuple[type[BaseItem], str, str]], *, consistent_read: bool = False
) -> list[BaseItem | None]:
    """The items (model, pk, sk) in the order asked, None where absent; one BatchGetItem
    (more only for DynamoDB's unprocessed keys)."""
    if len(wanted) > MAX_KEYS:
        raise ValueError(f"at most {MAX_KEYS} keys per read")
    pending: list[dict[str, Any]] = [{"pk": pk, "sk": sk}
                                     for pk, sk in dict.fromkeys((pk, sk) for _, pk, sk in wanted)]
    found: dict[tuple[str, str], dict[str, Any]] = {}
    while pending:
        page, unprocessed = BaseItem._batch_get_page(pending, consistent_read=consistent_read,
                                                     attributes_to_get=None)
        for data in page:
            found[(data["pk"]["S"], data["sk"]["S"])] = data
        pending = unprocessed or []
    return [model.from_raw_data(found[(pk, sk)]) if (pk, sk) in found else None
            for model, pk, sk in wanted]

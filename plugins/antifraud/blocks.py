"""The fraud audit: blocks counted per rule and hour, with a bounded sample of who and why.

A refusal must stay cheap and its answer must not depend on the audit: a bot farm hitting a
velocity limit makes thousands of refusals a second. So a block is one atomic ADD on the
counter of its campaign, rule and UTC hour, in one of `SHARDS` partitions picked with
`runtime.rng` (never one hot key), and only the first `SAMPLE_PER_SHARD` blocks of a shard,
rule and hour also keep their details (a put conditional on its slot being free): at most
`SHARDS * SAMPLE_PER_SHARD` detail items per rule and hour, however many refusals. A failed
audit write (throttled, unavailable) is logged and dropped: the refusal answers as it would.
Everything expires after `RETENTION`.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from aws_lambda_powertools import Logger
from pynamodb.exceptions import PynamoDBException

from plugins.errors import ServiceUnavailableError
from plugins.runtime import runtime
from plugins.store import BlockItem, CounterItem, keys

if TYPE_CHECKING:
    from plugins.contracts import Campaign
    from plugins.identity.callers import Player

__all__ = ["RETENTION", "SAMPLE_PER_SHARD", "SHARDS", "block_counts", "block_samples", "record_block"]

RETENTION = timedelta(days=180)
SHARDS = 8
SAMPLE_PER_SHARD = 2
logger = Logger(child=True)


def record_block(
    campaign: Campaign, game: str, player: Player, rule: str, reason: str, now: datetime
) -> None:
    """Count the block and, while its shard's sample has room, keep its details; best effort."""
    logger.warning("fraud block", extra={"rule": rule, "reason": reason, "game": game,
                                         "member_id": player.member_id})
    pk = keys.blocks(campaign.id, runtime.rng.randrange(SHARDS))
    hour = now.astimezone(UTC).strftime("%Y-%m-%dT%H")
    ttl = int((now + RETENTION).timestamp())
    try:
        counter = CounterItem(pk, keys.block_count(hour, rule))
        counter.update([CounterItem.n.add(1), CounterItem.ttl.set(ttl)])  # atomic: no condition to keep
        slot = int(counter.n)
        if slot <= SAMPLE_PER_SHARD:
            BlockItem(pk, keys.block_sample(hour, rule, slot), rule=rule, reason=reason, game=game,
                      member_id=player.member_id, device_id=player.device_id, ip=player.ip,
                      at=now, ttl=ttl).save(BlockItem.pk.does_not_exist())
    except (PynamoDBException, ServiceUnavailableError) as exc:  # throttled, out of time, down
        logger.warning("fraud audit not written", extra={
            "rule": rule, "error": type(exc).__name__,
            "cause": getattr(exc, "cause_response_code", None)})


def block_counts(campaign_id: str) -> Counter[str]:
    """Blocks per rule over the campaign's whole audit: one Query per shard."""
    counts: Counter[str] = Counter()
    for shard in range(SHARDS):
        for item in CounterItem.query(keys.blocks(campaign_id, shard),
                                      CounterItem.sk.startswith(keys.BLOCK_COUNT_PREFIX)):
            counts[keys.block_count_rule(item.sk)] += int(item.n)
    return counts


def block_samples(campaign_id: str) -> list[BlockItem]:
    """The kept details of the campaign's blocks, oldest first: one Query per shard."""
    samples = [item for shard in range(SHARDS)
               for item in BlockItem.query(keys.blocks(campaign_id, shard),
                                           BlockItem.sk.startswith(keys.BLOCK_SAMPLE_PREFIX))]
    return sorted(samples, key=lambda item: item.at)

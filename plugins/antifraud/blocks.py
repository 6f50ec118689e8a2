"""The fraud audit: every block is written with its rule and reason, logged and counted."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from aws_lambda_powertools import Logger

from plugins.ids import random_hex
from plugins.store import BlockItem, keys

if TYPE_CHECKING:
    from plugins.contracts import Campaign
    from plugins.identity.callers import Player

RETENTION = timedelta(days=180)
logger = Logger(child=True)


def record_block(
    campaign: Campaign, game: str, player: Player, rule: str, reason: str, now: datetime
) -> None:
    """Write the block to the campaign's audit partition of the day (kept 180 days)."""
    day = campaign.config.local_day(now).isoformat()
    BlockItem(
        keys.blocks(campaign.id, day), f"{now.isoformat()}#{random_hex(8)}",
        rule=rule, reason=reason, game=game, member_id=player.member_id,
        device_id=player.device_id, ip=player.ip, at=now,
        ttl=int((now + RETENTION).timestamp()),
    ).save()
    logger.warning("fraud block", extra={"rule": rule, "reason": reason, "game": game,
                                         "member_id": player.member_id})


def list_blocks(campaign_id: str, day: str) -> list[BlockItem]:
    """The blocks of one campaign day (local date, ISO), oldest first."""
    return list(BlockItem.query(keys.blocks(campaign_id, day)))

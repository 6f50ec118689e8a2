"""Campaign versions in the store, and the warm in-memory cache the functions read them from.

`apply_campaign` writes version N+1 and moves the `CFG#CURRENT` pointer in one transaction
that also seeds or adjusts stock and budget shards. Functions keep each campaign for
`MGAMES_CONFIG_TTL_SECONDS` (5 s by default), so an apply reaches them within seconds and a
warm request costs no read.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime
from typing import Any

from plugins.campaigns.model import Campaign, parse_campaign
from plugins.errors import CampaignNotFoundError, ConfigInvalidError, ConflictError
from plugins.prize_pool.reservation import allowances, seed_allowances
from plugins.store import (
    AllowanceItem,
    ConfigItem,
    Transaction,
    TransactionCancelledError,
    keys,
)


def load_current(campaign_id: str) -> Campaign:
    """The current version of a campaign, validated, or CampaignNotFoundError."""
    try:
        item = ConfigItem.get(keys.campaign(campaign_id), keys.CONFIG_CURRENT)
    except ConfigItem.DoesNotExist:
        raise CampaignNotFoundError(f"no campaign {campaign_id!r}") from None
    return parse_campaign(item.doc, version=int(item.version))


def _current_version(campaign_id: str) -> int:
    try:
        item = ConfigItem.get(keys.campaign(campaign_id), keys.CONFIG_CURRENT, consistent_read=True)
    except ConfigItem.DoesNotExist:
        return 0
    return int(item.version)


def _existing_allotments(campaign: Campaign) -> dict[str, int]:
    wanted = [
        (keys.allowance(campaign.id, name, shard), keys.ALLOWANCE_SK)
        for name, amounts in allowances(campaign).items()
        for shard in range(max(len(amounts), 20))
    ]
    return {item.pk: int(item.allotted) for item in AllowanceItem.batch_get(wanted)}


def apply_campaign(doc: Any, *, now: datetime, applied_by: str | None = None) -> Campaign:
    """Validate and store a new version of the campaign; return it with its version number."""
    campaign = parse_campaign(doc)
    version = _current_version(campaign.id) + 1
    tx = Transaction()
    problems = seed_allowances(tx, campaign, _existing_allotments(campaign))
    if problems:
        raise ConfigInvalidError("; ".join(problems), errors=problems)
    pk = keys.campaign(campaign.id)
    fields = {"version": version, "doc": doc, "applied_at": now, "applied_by": applied_by}
    tx.put("version", ConfigItem(pk, keys.config_version(version), **fields),
           ConfigItem.pk.does_not_exist())
    previous = ConfigItem.version == version - 1
    tx.put("current", ConfigItem(pk, keys.CONFIG_CURRENT, **fields),
           ConfigItem.pk.does_not_exist() if version == 1 else previous)
    if len(tx) > 100:
        raise ConfigInvalidError(f"{len(tx)} writes exceed one transaction: use fewer shards")
    try:
        tx.commit()
    except TransactionCancelledError as exc:
        raise ConflictError(f"another apply of {campaign.id} ran at the same time") from exc
    return parse_campaign(doc, version=version)


def list_versions(campaign_id: str) -> list[ConfigItem]:
    """Every stored version of a campaign, oldest first."""
    return list(ConfigItem.query(keys.campaign(campaign_id), ConfigItem.sk.startswith("CFG#v")))


class ConfigCache:
    """Campaigns by id, each kept `ttl` seconds; one instance per process."""

    def __init__(self, ttl: float | None = None) -> None:
        self.ttl = ttl if ttl is not None else float(os.environ.get("MGAMES_CONFIG_TTL_SECONDS", 5))
        self._entries: dict[str, tuple[float, Campaign | CampaignNotFoundError]] = {}
        self._lock = threading.Lock()

    def get(self, campaign_id: str) -> Campaign:
        """The campaign, or CampaignNotFoundError; both answers are kept `ttl` seconds, so
        requests for made-up ids cannot turn every call into a read."""
        entry = self._entries.get(campaign_id)
        if entry is None or time.monotonic() - entry[0] >= self.ttl:
            try:
                found: Campaign | CampaignNotFoundError = load_current(campaign_id)
            except CampaignNotFoundError as missing:
                found = missing
            entry = (time.monotonic(), found)
            with self._lock:
                self._entries[campaign_id] = entry
        if isinstance(entry[1], CampaignNotFoundError):
            raise CampaignNotFoundError(entry[1].message)
        return entry[1]

    def clear(self) -> None:
        self._entries.clear()

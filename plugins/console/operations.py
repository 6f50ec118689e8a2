"""Marketer operations on a campaign's config: the kill switch of one game or of the campaign.

A switch is a new config version written by `apply_campaign` (same validation, same
transaction as `mgames apply`) with `enabled` toggled in the game's section, or at the top
for the whole campaign; the functions pick it up within their config TTL
(`MGAMES_CONFIG_TTL_SECONDS`, 5 s by default).
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from plugins.campaigns.repository import apply_campaign
from plugins.contracts import Campaign
from plugins.errors import CampaignNotFoundError, GameNotEnabledError
from plugins.store import ConfigItem, keys

__all__ = ["set_game_enabled", "switched"]


def set_game_enabled(campaign_id: str, game: str | None, enabled: bool, *, now: datetime,
                     by: str | None = None) -> Campaign:
    """Store a new version of the campaign with `game` (None: the campaign) switched on or off."""
    return apply_campaign(switched(campaign_id, game, enabled), now=now, applied_by=by)


def switched(campaign_id: str, game: str | None, enabled: bool) -> dict[str, Any]:
    """The current config of the campaign with `game` (None: the whole campaign) switched on
    or off (not stored yet)."""
    try:
        current = ConfigItem.get(keys.campaign(campaign_id), keys.CONFIG_CURRENT,
                                 consistent_read=True)
    except ConfigItem.DoesNotExist:
        raise CampaignNotFoundError(f"no campaign {campaign_id!r}") from None
    doc = copy.deepcopy(current.doc)
    if game is None:
        doc["enabled"] = enabled
        return doc
    section = doc.get("games", {}).get(game)
    if not isinstance(section, dict):
        raise GameNotEnabledError(f"campaign {campaign_id} has no {game!r} section")
    section["enabled"] = enabled
    return doc

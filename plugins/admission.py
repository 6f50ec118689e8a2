"""Admission: the campaign's and the game's audiences (`plugins.audience`) applied to one
player action, inside its transaction."""

from __future__ import annotations

from pynamodb.expressions.condition import Condition

from plugins.audience import SEGMENT_TAG
from plugins.contracts import Campaign
from plugins.errors import AudienceExcludedError
from plugins.identity.callers import Player
from plugins.store import SegmentsItem, Transaction, keys

__all__ = ["admit"]


def admit(tx: Transaction, campaign: Campaign, game: str, player: Player) -> None:
    """AudienceExcludedError (403) unless `player` is in the campaign's and the game's
    audiences; their segments become a condition of `tx`."""
    config, section = campaign.config, campaign.game(game)
    segments: set[str] = set()
    for audience in (config.audience, section.audience if section is not None else None):
        if audience is None:
            continue
        reason = audience.refusal(player, config.zone, config.aware(config.starts_at))
        if reason is not None:
            what = "campaign" if audience is config.audience else "game"
            raise AudienceExcludedError(f"this {what} is {reason}")
        if audience.segments:
            first, *others = (SegmentsItem.segments.contains(s) for s in audience.segments)
            condition: Condition = first
            for found in others:
                condition = condition | found
            tx.check(f"{SEGMENT_TAG}:{len(segments)}", SegmentsItem, keys.member(player.member_id),
                     keys.segments(campaign.id), condition)
            segments.update(audience.segments)

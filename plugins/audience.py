"""Audiences: who may play a campaign or one of its games.

By the claims the player token carries (tier, tags, region, registration time, new member),
checked in memory before anything is written, and by member lists a marketer uploads
(segments), checked as one `ConditionCheck` inside the action's own transaction
(`plugins.admission`): a member's segments of a campaign are one item under him
(`M#<member>` / `SEG#<campaign>`), so a list of any size costs no read per request.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from pydantic import Field

from plugins.errors import AudienceExcludedError
from plugins.types import Frozen, Slug

if TYPE_CHECKING:
    from plugins.identity.callers import Player

SEGMENT_TAG = "audience:segment"


class Audience(Frozen):
    """Who may play; every criterion given must hold, each list is any-of (`exclude_tags`:
    none-of); empty: anyone."""

    tiers: tuple[str, ...] = Field(default=(), description="the token's `tier` is one of these")
    tags: tuple[str, ...] = Field(default=(), description="the token's `tags` hold one of these")
    exclude_tags: tuple[str, ...] = Field(default=(), description="the token's `tags` hold none of "
                                          "these (e.g. the brand's staff)")
    regions: tuple[str, ...] = Field(default=(), description="the token's `region` is one of these")
    registered_after: datetime | None = Field(default=None, description="registered at or after")
    registered_before: datetime | None = Field(default=None, description="registered before")
    new_members: bool = Field(default=False, description="registered since the campaign started")
    segments: tuple[Slug, ...] = Field(default=(), description="in one of these uploaded member lists")

    def refusal(self, player: Player, zone: tzinfo, starts_at: datetime) -> str | None:
        """Why the token's claims keep `player` out of a campaign in `zone` that starts at
        `starts_at`; None when they let him in (segments are the transaction's to check)."""
        def aware(moment: datetime) -> datetime:  # a naive time from the file is the campaign's
            return moment if moment.tzinfo else moment.replace(tzinfo=zone)

        if self.tiers and player.tier not in self.tiers:
            return f"for {', '.join(self.tiers)} members"
        if self.tags and not set(self.tags) & player.tags:
            return f"for members tagged {', '.join(self.tags)}"
        if set(self.exclude_tags) & player.tags:
            return f"not for members tagged {', '.join(sorted(set(self.exclude_tags) & player.tags))}"
        if self.regions and player.region not in self.regions:
            return f"for members in {', '.join(self.regions)}"
        registered = player.registered_at
        starts = starts_at if self.new_members else None
        for bound, who in ((self.registered_after, "members registered from"),
                           (starts, "new members, registered from"),
                           (self.registered_before, "members registered before")):
            if bound is None:
                continue
            moment = aware(bound)
            before = who.endswith("before")
            if registered is None or (registered >= moment if before else registered < moment):
                return f"for {who} {moment.isoformat()}"
        return None


def excluded(failed: Iterable[str]) -> AudienceExcludedError | None:
    """The refusal of a transaction whose segment check failed, else None."""
    if any(tag.startswith(SEGMENT_TAG) for tag in failed):
        return AudienceExcludedError("this campaign is for members of a chosen list")
    return None


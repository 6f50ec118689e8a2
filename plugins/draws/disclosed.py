"""A campaign's public disclosure as published (docs/compliance.md): the same answer on the
console and on every game function, whose pages cannot read the console's origin."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from plugins.campaigns.disclosure import disclosure
from plugins.contracts import Campaign
from plugins.draws.verify import commitments

__all__ = ["published"]


def published(campaign: Campaign, now: datetime) -> dict[str, Any]:
    """`campaign`'s disclosure, rendered once per config version (it spans every game, so the
    first one parses every game's section), with each day's commitment as of `now`: a day's
    seed joins it as soon as the day is over."""
    rendered = campaign.memoized("disclosure", lambda: disclosure(campaign))
    return rendered | {"commitments": commitments(campaign.id, now, campaign=campaign)}

"""Reading what a verification needs: the draw's record (`keys.draw`), the config version it
names, the day's seed once revealed. Off the play path: a verification costs two reads (the
record, the version); a campaign's commitments cost none beyond the cached config."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from plugins.campaigns.model import stored_campaign
from plugins.campaigns.repository import load_current, stored_version
from plugins.clock import stamp
from plugins.contracts import Campaign
from plugins.errors import DrawNotFoundError, SeedNotRevealedError
from plugins.prize_pool.model import PrizePoolConfig, pools_of
from plugins.prize_pool.seeds import commitment, day_seed, revealed
from plugins.prize_pool.verification import check
from plugins.store import DrawItem, keys

__all__ = ["MAX_DAYS", "commitments", "shown_to", "verify_draw"]

MAX_DAYS = 731
"""The most days a campaign's list of commitments holds: two years, from the campaign's first
day or `PAST_DAYS` before today, whichever is later (a longer campaign's later days are
listed as today moves on, still a year or more ahead)."""
PAST_DAYS = 366


def commitments(campaign_id: str, now: datetime, *, campaign: Campaign | None = None,
                ) -> list[dict[str, Any]]:
    """Each local day of the campaign (its current version, or `campaign` if given), at most
    `MAX_DAYS` of them: the commitment (SHA-256 of the seed, published before the day starts), and the
    seed once the day is over (else None)."""
    campaign = campaign or load_current(campaign_id)
    config, zone = campaign.config, campaign.config.zone
    first = config.local_day(config.aware(config.starts_at))
    last = config.local_day(config.aware(config.ends_at) - timedelta(microseconds=1))
    first = max(first, config.local_day(now) - timedelta(days=PAST_DAYS))
    days = [first + timedelta(days=n) for n in range(max(0, min((last - first).days + 1, MAX_DAYS)))]
    listed = []
    for day in days:
        seed = day_seed(campaign.id, day)
        listed.append({"day": day.isoformat(), "commitment": commitment(seed),
                       "seed": seed.hex() if revealed(day, now, zone) else None})
    return listed


def verify_draw(campaign_id: str, draw_id: str, now: datetime, *, campaign: Campaign | None = None,
                ) -> dict[str, Any]:
    """Draw `draw_id` of the campaign (its current version, or `campaign`) re-derived: its
    record, the seed and commitment of its day, whether it matches and why not.
    DrawNotFoundError, or SeedNotRevealedError before the draw's day is over (the seed is
    never shown before)."""
    campaign = campaign or load_current(campaign_id)
    try:
        record: dict[str, Any] = DrawItem.get(keys.draw(campaign.id, draw_id), keys.DRAW_SK).proof
    except DrawItem.DoesNotExist:
        raise DrawNotFoundError(f"campaign {campaign.id!r} has no verifiable draw {draw_id!r}") from None
    zone = campaign.config.zone
    day = date.fromisoformat(record["day"])
    if not revealed(day, now, zone):
        raise SeedNotRevealedError(f"the seed of {day} is revealed once that day is over in "
                                   f"{campaign.config.timezone}; verify the draw then",
                                   day=day.isoformat(), revealed_at=stamp(
                                       datetime.combine(day + timedelta(days=1), time(), zone), zone))
    seed = day_seed(campaign.id, day)
    published = commitment(seed)
    reasons = check(record, campaign.id, _pool(campaign.id, record), zone, seed, published)
    return {"draw": record, "seed": seed.hex(), "commitment": published,
            "matches": not reasons, "reasons": reasons}


def _pool(campaign_id: str, record: dict[str, Any]) -> PrizePoolConfig | None:
    """The recorded config version's pool, with the recorded tier's odds; None if it has none."""
    item = stored_version(campaign_id, int(record["config_version"]))
    version = stored_campaign(item.doc, int(item.version), counted=bool(item.budget_counted))
    section = version.games.get(str(record["game"]))
    pool = None if section is None else pools_of(section).get(str(record["pool_id"]))
    if not isinstance(pool, PrizePoolConfig):
        return None
    return pool.for_tier(record.get("tier"))


def shown_to(verification: dict[str, Any], member_id: str | None) -> dict[str, Any]:
    """A verification as the public route answers it to `member_id` (None: no token): the
    draw's own member sees it whole; anyone else sees the member id masked and no idempotency
    key (a member id may be a phone number), with the same verdict, seed and number."""
    record = verification["draw"]
    if member_id is not None and member_id == record["member_id"]:
        return {**verification, "identity_shown": True}
    member = str(record["member_id"])
    masked = member[:2] + "*" * (len(member) - 4) + member[-2:] if len(member) > 6 else "*" * len(member)
    return {**verification, "draw": {**record, "member_id": masked, "key": None}, "identity_shown": False}

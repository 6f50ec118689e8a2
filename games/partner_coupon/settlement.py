"""Per-partner settlement [结算]: what was issued, redeemed and expired, and who pays.

Reads only the partner's ledger (one Query per ledger shard) and the coupons it names (one
BatchGetItem per 100): an operator's report, never on a player's path. Cost is counted per
coupon issued (the partner's budget bounds it) and per coupon redeemed; each is split into
the brand's part (`brand_share`, rounded half up to the cent) and the partner's (the rest).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from games.partner_coupon.config import partner_coupon_of
from games.partner_coupon.errors import PartnerNotFoundError
from games.partner_coupon.items import LEDGER_SHARDS, LedgerItem, TallyItem, ledger_pk, tally_key
from plugins.clock import stamp
from plugins.contracts import Campaign
from plugins.issuance.coupon import coupon_state
from plugins.store import CouponItem, get_many, keys
from plugins.types import money, yuan

__all__ = ["brand_part", "settlement", "split"]


def brand_part(total: int, brand_share: Decimal) -> int:
    """The brand's cents of `total`: its share, rounded half up to the cent."""
    return int((Decimal(total) * brand_share).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def split(total: int, brand_share: Decimal) -> dict[str, str]:
    """`total` cents as yuan: the brand's share and the partner's rest."""
    brand = brand_part(total, brand_share)
    return {"total": yuan(total), "brand": yuan(brand), "partner": yuan(total - brand)}


def settlement(campaign: Campaign, partner_id: str, now: datetime) -> dict[str, Any]:
    """The partner's coupons by state and type, and the cost split brand vs partner."""
    partner = partner_coupon_of(campaign).partner(partner_id)
    if partner is None:
        raise PartnerNotFoundError(f"campaign {campaign.id!r} has no partner {partner_id!r}")
    lines = [line for shard in range(LEDGER_SHARDS)
             for line in LedgerItem.query(ledger_pk(campaign.id, partner_id, shard),
                                          consistent_read=True)]
    states: Counter[str] = Counter()
    by_type: dict[str, Counter[str]] = {}
    cost = Counter[str]()
    places: Counter[str] = Counter()  # where redeemed: the partner itself, or a brand's store
    for start in range(0, len(lines), 100):
        batch = lines[start:start + 100]
        found = get_many([(CouponItem, keys.member(str(line.member_id)), keys.coupon(str(line.sk)))
                          for line in batch], consistent_read=True)
        for line, coupon in zip(batch, found, strict=True):
            state = coupon_state(coupon, now) if isinstance(coupon, CouponItem) else "missing"
            states[state] += 1
            by_type.setdefault(str(line.type_id), Counter())[state] += 1
            cost["issued"] += int(line.cost)
            if state == "redeemed":
                cost["redeemed"] += int(line.cost)
                assert isinstance(coupon, CouponItem)
                places[coupon.redeemed_store or ("partner" if str(coupon.redeemed_by or "")
                                                 .startswith("partner:") else "unrecorded")] += 1
    try:
        tally = TallyItem.get(*tally_key(campaign.id, partner_id), consistent_read=True)
        counted = {"issued": int(tally.issued), "cost": yuan(int(tally.cost))}
    except TallyItem.DoesNotExist:
        counted = {"issued": 0, "cost": yuan(0)}
    return {
        "campaign_id": campaign.id, "partner": partner.id, "name": partner.name,
        "as_of": stamp(now, campaign.config.zone), "brand_share": money(partner.brand_share),
        "quota": partner.quota, "budget": money(partner.budget),
        "issued": len(lines), "redeemed": states["redeemed"], "expired": states["expired"],
        "open": states["issued"], "redeemed_at": dict(sorted(places.items())),
        "by_type": {t: {"issued": sum(c.values()), "redeemed": c["redeemed"],
                        "expired": c["expired"]} for t, c in sorted(by_type.items())},
        "cost_issued": split(cost["issued"], partner.brand_share),
        "cost_redeemed": split(cost["redeemed"], partner.brand_share),
        "tally": counted,
    }

"""The coupon center [领券中心]: what a member can claim, his claims, and his coupons.

A claim is a player action (`plugins.actions.perform`, Idempotency-Key): the
`partner-coupon` issuer's writes with origin `claim` (per-member limits apply; the
anti-harassment cap on open coupons does not: the member asked for it). Round trips on the
happy path: the issuer's two reads (pool heads, the code at the head) and one transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from games.partner_coupon.config import GAME, PartnerCouponConfig, partner_coupon_of
from games.partner_coupon.errors import (
    ClaimLimitError,
    CouponTypeNotFoundError,
    PartnerExhaustedError,
    PoolEmptyError,
)
from games.partner_coupon.issuer import POOL_TAGS, TALLY_TAG, PartnerCouponIssuer, PartnerCouponSpec, left
from games.partner_coupon.items import BUCKETS, PoolHeadItem, TallyItem, head_key, tally_key
from plugins.actions import ActionRequest, ActionResult, perform
from plugins.antifraud import Player
from plugins.clock import stamp
from plugins.contracts import Campaign, IssueContext
from plugins.errors import CampaignNotOpenError
from plugins.ids import time_ordered_id
from plugins.issuance.coupon import coupon_state
from plugins.store import BaseItem, CouponItem, Transaction, TransactionCancelledError, get_many, keys
from plugins.store.pages import DEFAULT_LIMIT, page, page_list
from plugins.types import cents, money

__all__ = ["CLAIM_ERRORS", "center", "claim", "my_coupons"]

ISSUER = PartnerCouponIssuer()
CLAIM_ERRORS = (CampaignNotOpenError, CouponTypeNotFoundError, ClaimLimitError, PoolEmptyError,
                PartnerExhaustedError)
"""What a claim refuses with of its own (for the route's document)."""


def claim(campaign: Campaign, player: Player, key: str, type_id: str, body: dict[str, Any],
          now: datetime) -> ActionResult:
    """Claim one coupon of `type_id` for `player`, exactly once per idempotency key."""
    section = partner_coupon_of(campaign)
    found = section.find(type_id)
    if found is None or not found[1].claimable:
        raise CouponTypeNotFoundError(f"the coupon center has no coupon {type_id!r}")
    campaign.require_open(now)
    partner, _ = found
    spec = PartnerCouponSpec(partner=partner.id, type_id=type_id)
    claim_id = time_ordered_id(now)
    ctx = IssueContext(campaign=campaign, member_id=player.member_id, reference=f"PC-{claim_id}",
                       now=now, origin="claim", channel=body.get("channel"))

    def plan(tx: Transaction) -> tuple[dict[str, Any], dict[str, Any]]:
        coupon = ISSUER.plan(tx, spec, ctx)
        return ({"claim_id": claim_id, "claimed_at": stamp(now, campaign.config.zone), "coupon": coupon},
                {"bucket": coupon.get("pool"), "config_version": campaign.version})

    def recover(cancelled: TransactionCancelledError) -> bool:
        failed = set(cancelled.failed)
        if TALLY_TAG in failed:
            raise PartnerExhaustedError(f"partner {partner.name} has no coupons left to give")
        if failed & {"reward:limit-day", "reward:limit-campaign", "reward:harass-type"}:
            raise ClaimLimitError(f"you already claimed coupon {type_id!r} as often as allowed")
        if failed <= POOL_TAGS and not ISSUER.recover(failed, spec, ctx):
            raise PoolEmptyError(f"coupon {type_id!r} is all claimed")
        return failed <= POOL_TAGS

    request = ActionRequest(campaign=campaign, game=GAME, player=player, key=key,
                            body=body | {"type_id": type_id}, now=now)
    return perform(request, plan, recover)


def center(campaign: Campaign, now: datetime, cursor: str | None = None,
           limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    """A page of the claimable coupons, in the config's order, with what is left: one
    BatchGetItem per 100 keys (the page's heads, its partners' tallies). A cursor names the
    campaign's config version: once the config changes, an old cursor is refused."""
    section: PartnerCouponConfig = partner_coupon_of(campaign)
    cid = campaign.id
    every = [(p, c) for p in section.partners for c in p.coupons if c.claimable]
    listed, next_cursor = page_list(every, f"C#{cid}#CENTER#v{campaign.version}", cursor, limit)
    partners = list(dict.fromkeys(p.id for p, _ in listed))
    wanted: list[tuple[type[BaseItem], str, str]] = [(TallyItem, *tally_key(cid, p)) for p in partners]
    wanted += [(PoolHeadItem, *head_key(cid, p.id, c.type_id, b)) for p, c in listed
               for b in range(BUCKETS)]
    found: list[BaseItem | None] = []
    for start in range(0, len(wanted), 100):
        found += get_many(wanted[start:start + 100])
    tallies = dict(zip(partners, found, strict=False))
    heads = found[len(partners):]
    coupons = []
    for i, (partner, coupon) in enumerate(listed):
        mine = [h if isinstance(h, PoolHeadItem) else None for h in heads[i * BUCKETS:(i + 1) * BUCKETS]]
        tally = tallies.get(partner.id)
        issued = int(tally.issued) if isinstance(tally, TallyItem) else 0
        spent = int(tally.cost) if isinstance(tally, TallyItem) else 0
        codes = sum(int(h.loaded) - int(h.taken) for h in mine if h is not None)
        room = min(partner.quota - issued, (cents(partner.budget) - spent) // max(cents(coupon.cost), 1))
        coupons.append({
            "type_id": coupon.type_id, "partner": partner.id, "partner_name": partner.name,
            "title": coupon.title, "kind": coupon.kind, "face_value": money(coupon.face_value),
            "valid_days": coupon.valid_days, "per_user_per_day": coupon.per_user_per_day,
            "per_user_per_campaign": coupon.per_user_per_campaign,
            "left": max(0, min(codes, room)), "available": bool(left(mine)) and room > 0})
    return {"title": section.center_title, "open": campaign.config.is_open(now), "coupons": coupons,
            "next_cursor": next_cursor}


def my_coupons(campaign: Campaign, member_id: str, now: datetime, cursor: str | None,
               limit: int) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the member's partner coupons of this campaign, with their codes, and the next
    page's cursor: one Query over his coupons, newest day first (coupon ids start with their
    issue day; each page newest first), kept to this campaign by the Query's filter and to
    partners' coupons after it, so a page may hold fewer than `limit`."""
    partner_coupon_of(campaign)
    found = page(CouponItem, keys.member(member_id), keys.COUPON_PREFIX, cursor, limit,
                 scan_index_forward=False, filter_condition=CouponItem.campaign_id == campaign.id)
    ordered = sorted(found.items, key=lambda c: c.issued_at, reverse=True)
    return [{"coupon_id": c.coupon_id, "type_id": c.terms.get("partner_type"),
             "partner": c.terms.get("partner"), "title": c.terms.get("title"),
             "code": c.terms.get("code"), "code_state": c.terms.get("code_state"),
             "face_value": c.terms.get("face_value"),
             "origin": c.origin, "state": coupon_state(c, now),
             "issued_at": stamp(c.issued_at, campaign.config.zone),
             "valid_until": stamp(c.valid_until, campaign.config.zone)}
            for c in ordered if "partner" in (c.terms or {})], found.next_cursor

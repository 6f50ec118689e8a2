"""A member's wallet as his pages show it: his points balance, its ledger, and his coupons of a
campaign whatever game issued them; each list one Query a page (`plugins.store.pages`)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from pydantic import BaseModel, Field

from plugins.clock import stamp
from plugins.issuance.coupon import CouponKind, coupon_state
from plugins.store import CouponItem, PointsItem, keys
from plugins.store.pages import page
from plugins.types import MoneyText

__all__ = ["LedgerLine", "WalletCoupon", "balance", "coupon_view", "coupons", "ledger"]


class LedgerLine(BaseModel):
    points: int = Field(description="added (positive) or spent (negative)")
    reason: str | None = Field(description="`<campaign>:<what>`: award, make-up, exchange…")
    at: str | None


class WalletCoupon(BaseModel):
    """A coupon in the member's wallet: what it offers, where it may be used, its state."""

    coupon_id: str
    type_id: str
    title: str | None
    kind: CouponKind | None
    threshold: MoneyText | None = None
    discount: MoneyText | None = None
    max_discount: MoneyText | None = None
    percent_off: int | None = None
    item: str | None = None
    usage: dict[str, list[str]] | None = Field(
        default=None, description="categories, items, stores, cities: empty lists mean anywhere")
    partner: str | None = Field(default=None, description="a co-branded coupon's partner")
    code: str | None = Field(default=None, description="a partner coupon's code (null while pending)")
    origin: str = Field(description="award (a game's prize or exchange) or claim (the coupon center)")
    channel: str | None
    state: str = Field(description="issued, redeemed or expired")
    issued_at: str
    valid_from: str
    valid_until: str
    redeemed_at: str | None


def balance(member_id: str) -> int:
    """The member's points balance: one read."""
    try:
        return int(PointsItem.get(keys.member(member_id), keys.POINTS_BALANCE).points)
    except PointsItem.DoesNotExist:
        return 0


def ledger(member_id: str, zone: tzinfo, cursor: str | None,
           limit: int) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the member's ledger, newest first, times in `zone`."""
    found = page(PointsItem, keys.member(member_id), keys.POINTS_LEDGER, cursor, limit,
                 scan_index_forward=False)
    return [{"points": int(line.points), "reason": line.reason,
             "at": stamp(line.at, zone) if line.at else None} for line in found.items], found.next_cursor


def coupon_view(coupon: CouponItem, now: datetime, zone: tzinfo) -> dict[str, Any]:
    """`coupon` as the wallet shows it (`WalletCoupon`), times in `zone`."""
    terms = coupon.terms or {}
    return {"coupon_id": coupon.coupon_id, "type_id": terms.get("partner_type", coupon.type_id),
            "title": terms.get("title"), "kind": terms.get("kind"),
            **{name: terms.get(name) for name in ("threshold", "discount", "max_discount",
                                                  "percent_off", "item", "usage", "partner", "code")},
            "origin": coupon.origin, "channel": coupon.channel, "state": coupon_state(coupon, now),
            "issued_at": stamp(coupon.issued_at, zone), "valid_from": stamp(coupon.valid_from, zone),
            "valid_until": stamp(coupon.valid_until, zone),
            "redeemed_at": stamp(coupon.redeemed_at, zone) if coupon.redeemed_at else None}


def coupons(campaign_id: str, member_id: str, zone: tzinfo, now: datetime, cursor: str | None,
            limit: int) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the member's coupons of one campaign, any game's, newest day first (coupon ids
    start with their issue day; each page newest first); the Query's filter keeps it to the
    campaign, so a page may hold fewer than `limit`."""
    found = page(CouponItem, keys.member(member_id), keys.COUPON_PREFIX, cursor, limit,
                 scan_index_forward=False, filter_condition=CouponItem.campaign_id == campaign_id)
    ordered = sorted(found.items, key=lambda c: c.issued_at, reverse=True)
    return [coupon_view(c, now, zone) for c in ordered], found.next_cursor

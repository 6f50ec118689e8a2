"""The `partner-coupon` reward issuer: a co-branded coupon with a code from the partner's
pool, usable as a prize in any game's prize pool and by the coupon center's claims.

`plan` adds to the action's transaction, besides the core coupon writes (the coupon item,
per-member limits, anti-harassment for pushed coupons):

- `reward:partner-head`: the chosen bucket's head, `taken += 1` if `taken == t` and
  `loaded > t` (t as read);
- `reward:partner-code`: the code at position t, `state` available → claimed;
- realtime supply instead: no pool writes, but `reward:partner-outbox` (the code to fetch,
  see realtime.py) and its queue entry, so the award and the fetch commit together;
- `reward:partner-ledger`: a line per coupon under the partner, which settlement reads;
- `reward:partner-tally`: the partner's tally, `issued += 1` and `cost += c` if
  `issued < quota` and `cost <= budget - c`: quota and budget are never exceeded.

Picking a code needs two reads: the bucket heads (one BatchGetItem; a transaction cannot
learn a counter's value and use it as a key) and the code at the chosen position (GetItem,
so the coupon and the answer carry the code). They are repeated only when a concurrent
claim moved the head first (`recover`). An empty pool or an exhausted partner refuses the
reward (a prize pool then falls back; the coupon center answers POOL_EMPTY / PARTNER_EXHAUSTED).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from games.partner_coupon.config import GAME, Partner, PartnerCouponConfig, PartnerCouponType
from games.partner_coupon.items import (
    CodeItem,
    LedgerItem,
    PoolHeadItem,
    TallyItem,
    code_key,
    head_key,
    ledger_key,
    tally_key,
)
from games.partner_coupon.pool import pool_heads
from games.partner_coupon.realtime import plan_fetch
from games.partner_coupon.settlement import brand_part
from plugins.contracts import IssueContext, Issuer, RewardSpec
from plugins.issuance.coupon import CouponIssuer, CouponReward
from plugins.runtime import runtime
from plugins.store import Transaction
from plugins.types import MoneyText, Slug, cents, money

__all__ = ["POOL_TAGS", "TALLY_TAG", "PartnerCouponIssuer", "PartnerCouponSpec"]

POOL_TAGS = {"reward:partner-head", "reward:partner-code"}
TALLY_TAG = "reward:partner-tally"
COUPONS = CouponIssuer()


class PartnerCouponSpec(RewardSpec):
    type: Literal["partner-coupon"] = "partner-coupon"
    partner: Slug = Field(description="a partner of the campaign's partner-coupon section")
    type_id: Slug = Field(description="one of that partner's coupon types")


def _terms(ctx: IssueContext, spec: PartnerCouponSpec) -> tuple[Partner, PartnerCouponType] | None:
    section = ctx.campaign.game(GAME)
    partner = section.partner(spec.partner) if isinstance(section, PartnerCouponConfig) else None
    coupon = partner.coupon(spec.type_id) if partner is not None else None
    return None if partner is None or coupon is None else (partner, coupon)


def left(heads: list[PoolHeadItem | None]) -> list[tuple[int, int]]:
    """(bucket, next position) of every bucket that still holds a code."""
    return [(b, int(h.taken)) for b, h in enumerate(heads)
            if h is not None and int(h.taken) < int(h.loaded)]


def _code_at(cid: str, partner: str, type_id: str, bucket: int, position: int) -> str:
    """The code at a position (written before its head counted it, so it is there)."""
    try:
        return str(CodeItem.get(*code_key(cid, partner, type_id, bucket, position),
                                consistent_read=True).code)
    except CodeItem.DoesNotExist:
        return ""  # cannot happen for a counted position; the code's condition refuses it


class PartnerCouponReward(CouponReward):
    """A partner's co-branded coupon: a coupon with the partner's code (`pending` until a
    real-time partner answers)."""

    type: Literal["partner-coupon"]  # type: ignore[assignment]
    partner: str
    partner_name: str
    type_id: str
    code: str | None
    code_state: Literal["pending", "ready"]
    face_value: MoneyText


class PartnerCouponIssuer(Issuer):
    name = "partner-coupon"
    spec_model = PartnerCouponSpec
    issued_model = PartnerCouponReward

    def available(self, spec: PartnerCouponSpec, ctx: IssueContext) -> bool:
        """Only while the campaign runs that partner's coupon type."""
        return _terms(ctx, spec) is not None

    def plan(self, tx: Transaction, spec: PartnerCouponSpec, ctx: IssueContext) -> dict[str, Any]:
        found = _terms(ctx, spec)
        if found is None:
            raise ValueError(f"partner coupon {spec.partner}/{spec.type_id} is not configured")
        partner, coupon = found
        cid = ctx.campaign.id
        terms = {"partner": partner.id, "partner_type": coupon.type_id,
                 "face_value": money(coupon.face_value), "cost": cents(coupon.cost),
                 "brand_share": money(partner.brand_share)}
        if coupon.supply == "realtime":
            issued = COUPONS.plan(tx, coupon.coupon_spec(partner.id), ctx,
                                  extra=terms | {"code": None, "code_state": "pending"})
            code: str | None = None
            plan_fetch(tx, ctx, partner.id, coupon, issued["coupon_id"])
        else:
            choices = left(pool_heads(cid, partner.id, coupon.type_id))
            bucket, position = runtime.rng.choice(choices) if choices else (0, 0)
            as_read = PoolHeadItem.taken == position
            if position == 0:
                as_read = as_read | PoolHeadItem.taken.does_not_exist()
            tx.update("reward:partner-head",
                      PoolHeadItem(*head_key(cid, partner.id, coupon.type_id, bucket)),
                      [PoolHeadItem.taken.add(1)], as_read & (PoolHeadItem.loaded > position))
            code = _code_at(cid, partner.id, coupon.type_id, bucket, position) if choices else ""
            issued = COUPONS.plan(tx, coupon.coupon_spec(partner.id), ctx, extra=terms | {
                "code": code, "code_state": "ready", "pool": bucket, "position": position})
            tx.update("reward:partner-code",
                      CodeItem(*code_key(cid, partner.id, coupon.type_id, bucket, position)),
                      [CodeItem.state.set("claimed"), CodeItem.member_id.set(ctx.member_id),
                       CodeItem.coupon_id.set(issued["coupon_id"]),
                       CodeItem.claimed_at.set(ctx.now)],
                      CodeItem.state == "available")
        cost = cents(coupon.cost)
        tx.put("reward:partner-ledger",
               LedgerItem(*ledger_key(cid, partner.id, issued["coupon_id"]), member_id=ctx.member_id,
                          type_id=coupon.type_id, cost=cost), LedgerItem.pk.does_not_exist())
        tally = TallyItem(*tally_key(cid, partner.id))
        room = cents(partner.budget) - cost
        within = (TallyItem.issued < partner.quota) & (TallyItem.cost <= room)
        if room >= 0:  # a first coupon fits the budget
            within = within | TallyItem.issued.does_not_exist()
        tx.update(TALLY_TAG, tally, [TallyItem.issued.add(1), TallyItem.cost.add(cost)], within)
        tx.tally.count("cost:partner_coupons", cost)
        tx.tally.count("brand:partner_coupons", brand_part(cost, partner.brand_share))
        return issued | {"type": self.name, "partner": partner.id, "partner_name": partner.name,
                         "type_id": coupon.type_id, "code": code,
                         "code_state": "pending" if code is None else "ready",
                         "face_value": money(coupon.face_value)}

    def recover(self, failed: set[str], spec: PartnerCouponSpec, ctx: IssueContext) -> bool:
        """A lost race on a pool head is retried (plan reads the heads again) while codes
        are left; an exhausted partner or pool, or a member's limit, is final. The open-coupon
        cap defers to the core coupon's lazy recount."""
        if failed == {"reward:harass-open"}:
            found = _terms(ctx, spec)
            return found is not None and COUPONS.recover(failed, found[1].coupon_spec(spec.partner), ctx)
        if not failed <= POOL_TAGS:
            return False
        found = _terms(ctx, spec)
        return found is not None and bool(left(pool_heads(ctx.campaign.id, spec.partner, spec.type_id)))

    def describe(self, spec: PartnerCouponSpec) -> dict[str, Any]:
        return {"type": self.name, "partner": spec.partner, "type_id": spec.type_id}


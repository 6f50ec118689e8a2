"""Coupons: the kinds retail runs, validity windows, collection limits and anti-harassment.

Every limit is a counter or marker item written in the action's transaction:
collection limits per member per day and per campaign (`Q#…#coupon:<type>#…`), and, for
coupons a campaign pushes (origin `award`, not those a member claims himself), the cap on
valid unused coupons (`HRS#OPEN`) and one coupon of a type per period (`HRS#<type>#<period>`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pynamodb.expressions.update import Action

from plugins.clock import stamp
from plugins.contracts import CampaignConfig, IssueContext, Issuer, RewardSpec
from plugins.errors import CouponNotFoundError, CouponNotRedeemableError
from plugins.idempotency import ActionResult, Operation, commit_once
from plugins.ids import random_hex
from plugins.store import (
    LOST_RACE,
    CounterItem,
    CouponItem,
    MarkerItem,
    Transaction,
    TransactionCancelledError,
    keys,
)
from plugins.types import Money, PositiveInt, Slug, cents, ordered_window

CouponKind = Literal["full_reduction", "cash_voucher", "percentage", "free_item", "exchange"]

REQUIRED: dict[str, tuple[str, ...]] = {
    "full_reduction": ("threshold", "discount"),
    "cash_voucher": ("discount",),
    "percentage": ("percent_off",),
    "free_item": ("item",),
    "exchange": ("item",),
}


class CouponUsage(BaseModel):
    """Where the coupon may be used; empty lists mean anywhere."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    categories: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    stores: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()


class CouponFace(BaseModel):
    """What a coupon offers, as the player reads it: the same for a brand's coupon and a
    partner's co-branded one (`kind` says which of the others it needs)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = Field(min_length=1, max_length=60)
    kind: CouponKind
    threshold: Money | None = None
    discount: Money | None = None
    percent_off: int | None = Field(default=None, ge=1, le=99)
    item: str | None = None


class CouponSpec(CouponFace, RewardSpec):
    type: Literal["coupon"] = "coupon"
    type_id: Slug = Field(description="the coupon template; limits count per type")
    max_discount: Money | None = None
    usage: CouponUsage = CouponUsage()
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    valid_days: PositiveInt | None = Field(default=None, description="relative validity")
    per_user_per_day: PositiveInt | None = None
    per_user_per_campaign: PositiveInt | None = None
    channel: str | None = None

    @model_validator(mode="after")
    def _coherent(self) -> CouponSpec:
        missing = [f for f in REQUIRED[self.kind] if getattr(self, f) is None]
        if missing:
            raise ValueError(f"a {self.kind} coupon needs {', '.join(missing)}")
        if self.kind == "full_reduction" and self.discount >= self.threshold:  # type: ignore[operator]
            raise ValueError("discount must be below threshold")
        bounds = [self.valid_from is not None, self.valid_until is not None]
        if bounds not in ([True, True], [False, False]) or all(bounds) == (
            self.valid_days is not None
        ):
            raise ValueError("give either valid_from and valid_until, or valid_days")
        if all(bounds):
            ordered_window(self.valid_from, self.valid_until, "valid_from", "valid_until")
        return self


def period_key(moment: datetime, unit: str) -> tuple[str, datetime]:
    """The local period containing `moment` and when it ends (for the marker's TTL)."""
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "day":
        return day.strftime("%Y-%m-%d"), day + timedelta(days=1)
    if unit == "week":
        year, week, weekday = moment.isocalendar()
        return f"{year}-W{week:02d}", day + timedelta(days=8 - weekday)
    first = day.replace(day=1)
    return first.strftime("%Y-%m"), (first + timedelta(days=32)).replace(day=1)


LIMIT_DAY, LIMIT_CAMPAIGN = "reward:limit-day", "reward:limit-campaign"
HARASS_OPEN, HARASS_TYPE = "reward:harass-open", "reward:harass-type"


@dataclass(frozen=True)
class IssueLimit:
    """One limit an issue counts against: a member's count under `tag` in `period` (ending
    at `ends`) must stay within `most`; the open-coupon cap counts valid unused coupons."""

    tag: str
    period: str
    most: int
    ends: datetime | None = None


def issue_limits(spec: CouponSpec, config: CampaignConfig, origin: str, local: datetime) -> list[IssueLimit]:
    """Every limit an issue of `spec` to a member at `local` (campaign wall time) counts one
    more against: collection limits per day and per campaign, and for a pushed coupon (origin
    `award`) anti-harassment's cap on open coupons and one coupon of a type per period.
    `plan` makes each a condition of the issue's write; a forecast counts them in memory."""
    found = [IssueLimit(tag, period, most) for tag, period, most in (
        (LIMIT_DAY, local.date().isoformat(), spec.per_user_per_day),
        (LIMIT_CAMPAIGN, "ALL", spec.per_user_per_campaign)) if most]
    if origin == "award":
        rules = config.anti_harassment
        period, ends = period_key(local, rules.same_type_per)
        found += [IssueLimit(HARASS_OPEN, "OPEN", rules.max_open_coupons),
                  IssueLimit(HARASS_TYPE, period, 1, ends)]
    return found


class CouponReward(BaseModel):
    """A coupon in the member's wallet, with its validity window."""

    type: Literal["coupon"]
    coupon_id: str
    title: str
    kind: CouponKind
    valid_from: str
    valid_until: str
    channel: str | None = None


class CouponIssuer(Issuer):
    name = "coupon"
    spec_model = CouponSpec
    issued_model = CouponReward

    @staticmethod
    def validity(spec: CouponSpec, ctx: IssueContext) -> tuple[datetime, datetime]:
        """When a coupon issued now is valid: relative to issue, or the fixed window."""
        if spec.valid_days is not None:
            return ctx.now, ctx.now + timedelta(days=spec.valid_days)
        config = ctx.campaign.config
        return config.aware(spec.valid_from), config.aware(spec.valid_until)  # type: ignore[arg-type]

    def available(self, spec: CouponSpec, ctx: IssueContext) -> bool:
        """A coupon whose fixed window has already ended is never issued."""
        return self.validity(spec, ctx)[1] > ctx.now

    def plan(self, tx: Transaction, spec: CouponSpec, ctx: IssueContext, *,
             extra: dict[str, Any] | None = None) -> dict[str, Any]:
        """`extra` terms are kept on the coupon too (e.g. a partner's code and cost terms)."""
        config, member = ctx.campaign.config, keys.member(ctx.member_id)
        local = ctx.now.astimezone(config.zone)
        valid_from, valid_until = self.validity(spec, ctx)
        coupon_id = local.strftime("%Y%m%d") + random_hex(12)
        terms = spec.model_dump(mode="json", include=set(REQUIRED[spec.kind]) | {"max_discount"})
        coupon = CouponItem(
            member, keys.coupon(coupon_id), coupon_id=coupon_id, member_id=ctx.member_id,
            campaign_id=config.id, type_id=spec.type_id, origin=ctx.origin,
            channel=spec.channel or ctx.channel or config.channel, issued_at=ctx.now,
            valid_from=valid_from, valid_until=valid_until,
            terms=terms | {"kind": spec.kind, "title": spec.title, "timezone": config.timezone,
                           "usage": spec.usage.model_dump(mode="json")} | (extra or {}),
        )
        tx.put("reward:coupon", coupon, CouponItem.pk.does_not_exist())
        tx.tally.count("coupons_issued")
        for limit in issue_limits(spec, config, ctx.origin, local):
            if limit.tag == HARASS_OPEN:
                tx.bump(HARASS_OPEN, CounterItem(member, keys.HARASS_OPEN), CounterItem.n, 1,
                        at_most=limit.most)
            elif limit.tag == HARASS_TYPE:
                marker = MarkerItem(member, keys.harass_type(spec.type_id, limit.period),
                                    ttl=int((limit.ends or local).timestamp()) + 86400)
                tx.put(HARASS_TYPE, marker, MarkerItem.pk.does_not_exist())
            else:
                counter = CounterItem(member, keys.quota(config.id, f"coupon:{spec.type_id}",
                                                         limit.period))
                actions: list[Action] = [CounterItem.n.add(1)]
                if limit.tag == LIMIT_DAY:
                    actions.append(CounterItem.ttl.set(config.day_expiry(ctx.now)))
                tx.update(limit.tag, counter, actions,
                          CounterItem.n.does_not_exist() | (CounterItem.n < limit.most))
        return {"type": self.name, "coupon_id": coupon_id, "title": spec.title,
                "kind": spec.kind, "valid_from": stamp(valid_from, config.zone),
                "valid_until": stamp(valid_until, config.zone), "channel": coupon.channel}

    def recover(self, failed: set[str], spec: CouponSpec, ctx: IssueContext) -> bool:
        """Expired coupons free their place lazily: recount the open ones when the cap bites."""
        if failed != {HARASS_OPEN}:
            return False
        member = keys.member(ctx.member_id)
        coupons = CouponItem.query(member, CouponItem.sk.startswith(keys.COUPON_PREFIX),
                                   consistent_read=True)
        open_now = sum(
            1 for c in coupons
            if c.origin == "award" and c.state == "issued" and c.valid_until > ctx.now
        )
        try:
            counter = CounterItem.get(member, keys.HARASS_OPEN, consistent_read=True)
        except CounterItem.DoesNotExist:
            return False  # nothing counted yet: the action's own coupons exceed the cap
        if open_now >= counter.n:
            return False
        try:
            counter.update([CounterItem.n.set(open_now)], CounterItem.n == counter.n)
        except LOST_RACE:
            return True  # another action moved the count meanwhile: its answer decides
        return open_now < ctx.campaign.config.anti_harassment.max_open_coupons


def coupon_state(coupon: CouponItem, now: datetime) -> str:
    """issued, redeemed, or expired (an issued coupon past its window)."""
    if coupon.state == "issued" and coupon.valid_until <= now:
        return "expired"
    return str(coupon.state)


def member_coupons(member_id: str) -> list[CouponItem]:
    """A member's coupons, newest first (ids start with the issue date)."""
    items = CouponItem.query(keys.member(member_id), CouponItem.sk.startswith(keys.COUPON_PREFIX))
    return sorted(items, key=lambda c: c.issued_at, reverse=True)


def zone_of(coupon: CouponItem) -> tzinfo | None:
    """The time zone of the campaign that issued `coupon`, kept with it so that its times are
    answered in it without reading the campaign (None for a coupon issued before it was)."""
    named = (coupon.terms or {}).get("timezone")
    return ZoneInfo(named) if named else None


def find_coupon(member_id: str, coupon_id: str) -> CouponItem:
    """The member's coupon, read consistently, or CouponNotFoundError."""
    try:
        return CouponItem.get(keys.member(member_id), keys.coupon(coupon_id), consistent_read=True)
    except CouponItem.DoesNotExist:
        raise CouponNotFoundError(f"no coupon {coupon_id!r} for this member") from None


def redeem_coupon(member_id: str, coupon_id: str, now: datetime) -> CouponItem:
    """Redeem the member's coupon (no key: the CLI's, the tests'); the coupon as stored after."""
    redeem(find_coupon(member_id, coupon_id), now, {}, by="cli")
    return find_coupon(member_id, coupon_id)


def redeem(coupon: CouponItem, now: datetime, answer: dict[str, Any],
           once: Operation | None = None, *, by: str | None = None, store: str | None = None,
           order_amount: Decimal | None = None) -> ActionResult:
    """Mark a valid issued coupon (as `find_coupon` read it) redeemed, once, answered `answer`,
    recording who redeemed it and at which store; a pushed one frees its anti-harassment
    place. With `once`, the retry of a redemption whose answer was lost gets `answer` back
    (replayed), not COUPON_NOT_REDEEMABLE."""
    state = coupon_state(coupon, now)
    if state != "issued" or coupon.valid_from > now:
        first = once.recorded() if once is not None else None
        if first is not None:
            return first
        raise CouponNotRedeemableError(f"coupon {coupon.coupon_id} is {state}, not redeemable now")
    tx = Transaction()
    tx.update("coupon", coupon, [CouponItem.state.set("redeemed"), CouponItem.redeemed_at.set(now),
                                 *([CouponItem.redeemed_by.set(by)] if by else []),
                                 *([CouponItem.redeemed_store.set(store)] if store else []),
                                 *([CouponItem.order_amount.set(cents(order_amount))]
                                   if order_amount is not None else [])],
              (CouponItem.state == "issued") & (CouponItem.valid_until > now))
    if coupon.origin == "award":
        tx.update("open", CounterItem(str(coupon.pk), keys.HARASS_OPEN), [CounterItem.n.add(-1)],
                  CounterItem.n > 0)
    try:
        return commit_once(tx, answer, once)
    except TransactionCancelledError as exc:
        if "coupon" in exc.failed:
            raise CouponNotRedeemableError(f"coupon {coupon.coupon_id} was redeemed meanwhile") from None
        raise

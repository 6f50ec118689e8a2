"""The partner coupons' section of a campaign file: the partners, their quotas and budgets,
and the coupon types each supplies (docs/games/partner-coupon.md).

A partner's `budget` caps the total `cost` of its coupons issued (counted in cents on the
partner's tally item); the brand pays `brand_share` of that cost, the partner the rest, so
the campaign's worst case (`max_cost`) is the brand's share of what each partner can cost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Literal

from pydantic import Field, HttpUrl, field_validator, model_validator

from plugins.contracts import Campaign, GameConfig
from plugins.issuance.coupon import CouponFace, CouponSpec
from plugins.outbound import check_url
from plugins.types import Frozen, Money, PositiveInt, Slug
from plugins.webhook_endpoints import OwnEndpoint, WebhookEndpoint

__all__ = ["GAME", "PARTNER_EVENTS", "Partner", "PartnerCouponConfig", "PartnerCouponType",
           "partner_coupon_of", "partner_events_only"]

GAME = "partner-coupon"
PARTNER_EVENTS = ("reward.issued", "coupon.redeemed")


def partner_events_only(hooks: Iterable[OwnEndpoint]) -> None:
    """ValueError unless every endpoint hears only of a partner's coupons."""
    told = {event for hook in hooks for event in hook.events} - set(PARTNER_EVENTS)
    if told:
        raise ValueError(f"a partner hears of its coupons only, not {', '.join(sorted(told))}")


class PartnerCouponType(CouponFace, Frozen):
    """One co-branded coupon a partner supplies; its codes come from the partner's pool."""

    type_id: Slug = Field(description="unique within the partner")
    face_value: Money = Field(description="what the coupon is worth to the player, yuan")
    cost: Money = Field(description="what one issued coupon costs, yuan (shared brand/partner)")
    valid_days: PositiveInt = Field(default=30, description="validity from issue, days")
    per_user_per_day: PositiveInt | None = Field(default=1, description="claims per member a day")
    per_user_per_campaign: PositiveInt | None = Field(default=1, description="claims per member")
    claimable: bool = Field(default=True, description="listed in the coupon center")
    supply: Literal["pool", "realtime"] = Field(
        default="pool", description="pool: codes the partner uploads; realtime: fetched per coupon")
    endpoint: HttpUrl | None = Field(default=None, description="realtime: the partner's URL")
    timeout_seconds: float = Field(default=3, gt=0, le=30, description="realtime: per call")
    max_attempts: int = Field(default=6, ge=1, le=20, description="realtime: then dead letter")

    @model_validator(mode="after")
    def _supplied(self) -> PartnerCouponType:
        if (self.supply == "realtime") != (self.endpoint is not None):
            raise ValueError("a realtime coupon needs an endpoint, a pool coupon none")
        if self.endpoint is not None:
            check_url(str(self.endpoint))  # https, a public host (plugins/outbound.py)
        return self

    def coupon_spec(self, partner: str) -> CouponSpec:
        """The core coupon this type issues (limits and anti-harassment come with it)."""
        face = {name: getattr(self, name) for name in CouponFace.model_fields}
        return CouponSpec(
            type_id=f"{partner}-{self.type_id}"[:63], **face, valid_days=self.valid_days,
            per_user_per_day=self.per_user_per_day, per_user_per_campaign=self.per_user_per_campaign)


class Partner(Frozen):
    """A partner brand [异业合作方]: how many coupons and how much cost it accepts."""

    id: Slug
    name: str = Field(min_length=1, max_length=60)
    quota: PositiveInt = Field(description="most coupons ever issued for this partner")
    budget: Money = Field(description="most total cost of its coupons, yuan")
    brand_share: Decimal = Field(ge=0, le=1, decimal_places=2,
                                 description="part of each coupon's cost the brand pays")
    coupons: tuple[PartnerCouponType, ...] = Field(min_length=1)
    webhooks: tuple[WebhookEndpoint, ...] = Field(
        default=(), max_length=5, description="the partner's own endpoints: its coupons' "
        "reward.issued and coupon.redeemed only (their ids become `<partner>-<id>`)")

    @model_validator(mode="after")
    def _coherent(self) -> Partner:
        ids = [c.type_id for c in self.coupons]
        if len(set(ids)) != len(ids):
            raise ValueError("coupon type_ids must be unique within a partner")
        for coupon in self.coupons:
            coupon.coupon_spec(self.id)  # the core coupon rules (threshold > discount, ...)
        return self

    @field_validator("webhooks")
    @classmethod
    def _its_coupons_only(cls, value: tuple[WebhookEndpoint, ...]) -> tuple[WebhookEndpoint, ...]:
        partner_events_only(value)
        return value

    def endpoints(self, own: tuple[WebhookEndpoint, ...] = ()) -> tuple[WebhookEndpoint, ...]:
        """Its webhook endpoints (the file's, then `own`, those it manages itself), scoped to
        its coupons' types and their events, their ids under its own."""
        types = tuple(c.coupon_spec(self.id).type_id for c in self.coupons)
        return tuple(hook.model_copy(update={"id": self.endpoint_id(hook.id), "coupon_types": types,
                                             "events": tuple(e for e in hook.events if e in PARTNER_EVENTS)})
                     for hook in (*self.webhooks, *own))  # validated as the partner wrote them

    def endpoint_id(self, hook_id: str) -> str:
        """What the campaign calls the partner's endpoint `hook_id`."""
        return f"{self.id}-{hook_id}"[:63]

    def coupon(self, type_id: str) -> PartnerCouponType | None:
        return next((c for c in self.coupons if c.type_id == type_id), None)

    def worst_cost(self) -> Decimal:
        """The most this partner's coupons can cost in all: quota or budget, whichever bites."""
        return min(self.budget, max(c.cost for c in self.coupons) * self.quota)


class PartnerCouponConfig(GameConfig):
    partners: tuple[Partner, ...] = Field(min_length=1, description="the partner brands")
    center_title: str = Field(default="领券中心", max_length=40, description="coupon center title")

    @model_validator(mode="after")
    def _unique(self) -> PartnerCouponConfig:
        ids = [p.id for p in self.partners]
        if len(set(ids)) != len(ids):
            raise ValueError("partner ids must be unique")
        types = [c.type_id for p in self.partners for c in p.coupons]
        if len(set(types)) != len(types):
            raise ValueError("coupon type_ids must be unique across partners (the center's URLs name them)")
        return self

    def find(self, type_id: str) -> tuple[Partner, PartnerCouponType] | None:
        """The partner supplying coupon type `type_id`, and the type."""
        for partner in self.partners:
            coupon = partner.coupon(type_id)
            if coupon is not None:
                return partner, coupon
        return None

    def webhooks(self, managed: Mapping[str, tuple[WebhookEndpoint, ...]] | None = None
                 ) -> tuple[WebhookEndpoint, ...]:
        """Every partner's own webhook endpoints, in the file or its own (docs/webhooks.md)."""
        return tuple(hook for partner in self.partners
                     for hook in partner.endpoints((managed or {}).get(partner.id, ())))

    def parties(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.partners)

    def partner(self, partner_id: str) -> Partner | None:
        return next((p for p in self.partners if p.id == partner_id), None)

    def max_cost(self) -> Decimal:
        """The brand's share of every partner's worst case (the partner pays the rest)."""
        return sum((p.brand_share * p.worst_cost() for p in self.partners), Decimal(0))


def partner_coupon_of(campaign: Campaign) -> PartnerCouponConfig:
    return campaign.section(GAME, PartnerCouponConfig)

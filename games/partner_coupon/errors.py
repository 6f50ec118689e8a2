"""The partner coupons' own refusals; like every GameError they answer with the shared envelope."""

from __future__ import annotations

from plugins.errors import GameError


class PartnerNotFoundError(GameError, code="PARTNER_NOT_FOUND", status=404):
    """The campaign has no partner with this id."""


class CouponTypeNotFoundError(GameError, code="COUPON_TYPE_NOT_FOUND", status=404):
    """The partner supplies no coupon type with this id (or it is not claimable)."""


class CodesInvalidError(GameError, code="CODES_INVALID", status=422):
    """An upload is empty, unreadable, or holds a malformed code (lines named)."""


class DuplicateCodesError(GameError, code="DUPLICATE_CODES", status=409):
    """An upload repeats a code, or holds one the pool already has (lines named)."""


class PoolEmptyError(GameError, code="POOL_EMPTY", status=409):
    """Every code of this coupon type's pool was handed out."""


class PartnerExhaustedError(GameError, code="PARTNER_EXHAUSTED", status=409):
    """The partner's quota of coupons or its budget is used up."""


class ClaimLimitError(GameError, code="CLAIM_LIMIT_REACHED", status=409):
    """The member already claimed as many of this coupon as allowed (today or in all), or the
    anti-harassment rules refuse it."""


class WebhooksInvalidError(GameError, code="WEBHOOKS_INVALID", status=422):
    """A partner's own endpoints hear of more than its coupons, repeat an id, or take one the
    campaign's endpoints already use."""

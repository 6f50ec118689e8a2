"""The partner coupons' own refusals; like every GameError they answer with the shared envelope."""

from __future__ import annotations

from plugins.errors import GameError

__all__ = [
    "ClaimLimitError",
    "CodesInvalidError",
    "CouponTypeNotFoundError",
    "DuplicateCodesError",
    "PartnerExhaustedError",
    "PartnerNotFoundError",
    "PoolEmptyError",
]


class PartnerNotFoundError(GameError):
    """The campaign has no partner with this id."""

    code = "PARTNER_NOT_FOUND"
    status = 404


class CouponTypeNotFoundError(GameError):
    """The partner supplies no coupon type with this id (or it is not claimable)."""

    code = "COUPON_TYPE_NOT_FOUND"
    status = 404


class CodesInvalidError(GameError):
    """An upload is empty, unreadable, or holds a malformed code (lines named)."""

    code = "CODES_INVALID"
    status = 422


class DuplicateCodesError(GameError):
    """An upload repeats a code, or holds one the pool already has (lines named)."""

    code = "DUPLICATE_CODES"
    status = 409


class PoolEmptyError(GameError):
    """Every code of this coupon type's pool was handed out."""

    code = "POOL_EMPTY"
    status = 409


class PartnerExhaustedError(GameError):
    """The partner's quota of coupons or its budget is used up."""

    code = "PARTNER_EXHAUSTED"
    status = 409


class ClaimLimitError(GameError):
    """The member already claimed as many of this coupon as allowed (today or in all), or the
    anti-harassment rules refuse it."""

    code = "CLAIM_LIMIT_REACHED"
    status = 409

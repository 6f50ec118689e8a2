"""Domain errors: each carries a stable code and an HTTP status, mapped to one envelope.

Raise these anywhere below a route; `plugins.web.envelope` turns them into
`{"error": {"code": ..., "message": ...}}` with the status. Never match on message text.
"""

from __future__ import annotations

from typing import Any, ClassVar


class GameError(Exception):
    """Base of every error a player or operator may see; subclasses fix code and status."""

    code: ClassVar[str] = "BAD_REQUEST"
    status: ClassVar[int] = 400
    retry_after: int | None = None
    """Seconds after which the same request may succeed: answered as `Retry-After`."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class MalformedRequestError(GameError):
    """The body, a header or a path parameter does not match the contract."""

    code = "MALFORMED_REQUEST"


class UnsupportedMediaTypeError(GameError):
    """A body that is not `application/json` in UTF-8."""

    code = "UNSUPPORTED_MEDIA_TYPE"
    status = 415


class PayloadTooLargeError(GameError):
    """A body larger than any route takes."""

    code = "PAYLOAD_TOO_LARGE"
    status = 413


class IdempotencyKeyMissingError(GameError):
    """A state-changing call came without an `Idempotency-Key` header."""

    code = "IDEMPOTENCY_KEY_MISSING"


class IdempotencyKeyReusedError(GameError):
    """The key was used before for a different request body."""

    code = "IDEMPOTENCY_KEY_REUSED"
    status = 422


class TokenMissingError(GameError):
    """No bearer token on a call that needs a player."""

    code = "TOKEN_MISSING"
    status = 401


class TokenInvalidError(GameError):
    """The bearer token is malformed, badly signed or expired."""

    code = "TOKEN_INVALID"
    status = 401


class CampaignNotFoundError(GameError):
    """No campaign with this id has been applied."""

    code = "CAMPAIGN_NOT_FOUND"
    status = 404


class GameNotEnabledError(GameError):
    """The campaign exists but does not run this game."""

    code = "GAME_NOT_ENABLED"
    status = 404


class CampaignNotOpenError(GameError):
    """The campaign has not started yet or has ended."""

    code = "CAMPAIGN_NOT_OPEN"
    status = 403


class NoChancesLeftError(GameError):
    """The player used every chance for today or for the campaign."""

    code = "NO_CHANCES_LEFT"
    status = 403


class FraudBlockedError(GameError):
    """An anti-fraud rule stopped the action; the rule is recorded with the block."""

    code = "FRAUD_BLOCKED"
    status = 403

    def __init__(self, message: str, rule: str) -> None:
        super().__init__(message, rule=rule)
        self.rule = rule


class RateLimitedError(FraudBlockedError):
    """A velocity limit (per device or per IP) stopped the action."""

    code = "RATE_LIMITED"
    status = 429

    def __init__(self, message: str, rule: str, retry_after: int) -> None:
        super().__init__(message, rule=rule)
        self.retry_after = retry_after


class CouponNotFoundError(GameError):
    """The member holds no coupon with this id."""

    code = "COUPON_NOT_FOUND"
    status = 404


class CouponNotRedeemableError(GameError):
    """The coupon is redeemed, expired or not yet valid."""

    code = "COUPON_NOT_REDEEMABLE"
    status = 409


class ConfigInvalidError(GameError):
    """A campaign config failed validation; the message names the field and the reason."""

    code = "CONFIG_INVALID"
    status = 422


class ConflictError(GameError):
    """A concurrent change won the race; retrying the same request is safe."""

    code = "CONFLICT"
    status = 409
    retry_after = 1


class ForbiddenError(GameError):
    """The caller is who he says, but this call is not his to make (e.g. a player's token on
    a brand-only route)."""

    code = "FORBIDDEN"
    status = 403


class AssistTaskNotFoundError(GameError):
    """No assist task with this id in this campaign."""

    code = "TASK_NOT_FOUND"
    status = 404


class AssistTaskCompletedError(GameError):
    """The assist task already reached its target; no more helps are taken."""

    code = "TASK_COMPLETED"
    status = 409


class AssistTaskExpiredError(GameError):
    """The assist task's deadline passed before it reached its target."""

    code = "TASK_EXPIRED"
    status = 409


class AssistSelfHelpError(GameError):
    """The initiator of an assist task tried to help it himself."""

    code = "SELF_HELP"
    status = 403


class AssistAlreadyHelpedError(GameError):
    """This member already helped this assist task (once per helper and task)."""

    code = "ALREADY_HELPED"
    status = 409


class AssistNewUsersOnlyError(GameError):
    """The campaign takes helps from new users only, and this member is not one."""

    code = "NEW_USERS_ONLY"
    status = 403


class AssistOpenTasksLimitError(GameError):
    """The member already has as many open assist tasks as the campaign allows."""

    code = "OPEN_TASK_LIMIT"
    status = 403


class AlreadyCheckedInError(GameError):
    """The member already checked in on this day (today, or the day a make-up names)."""

    code = "ALREADY_CHECKED_IN"
    status = 409


class MakeUpNotAllowedError(GameError):
    """A make-up check-in names a day it may not fill: today, the future, outside the cycle."""

    code = "MAKE_UP_NOT_ALLOWED"
    status = 422


class PointsInsufficientError(GameError):
    """The member's points balance does not cover what the action costs."""

    code = "POINTS_INSUFFICIENT"
    status = 403


class SecretUnavailableError(GameError):
    """A secret the call needs (the token key, the partners' keys) cannot be read right now:
    missing, empty, access denied or Secrets Manager unreachable. The caller may retry later."""

    code = "SECRET_UNAVAILABLE"
    status = 503
    retry_after = 30

"""Domain errors: each carries a stable code and an HTTP status, mapped to one envelope.

Raise these anywhere below a route; `plugins.web.envelope` turns them into
`{"error": {"code": ..., "message": ...}}` with the status. Never match on message text.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar


class GameError(Exception):
    """Base of every error a player or operator may see; a subclass fixes its code and status
    in its header: `class SoldOutError(GameError, code="SOLD_OUT", status=409)`."""

    code: ClassVar[str] = "BAD_REQUEST"
    status: ClassVar[int] = 400
    retry_after: int | None = None
    """Seconds after which the same request may succeed: answered as `Retry-After`."""
    fields: ClassVar[dict[str, Any]] = {}
    """The JSON schemas of what `envelope()` adds to the envelope's `error` (its document)."""

    def __init_subclass__(cls, code: str | None = None, status: int | None = None,
                          **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if code is not None:
            cls.code = code
        if status is not None:
            cls.status = status

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def envelope(self) -> dict[str, Any]:
        """What the envelope's `error` carries beyond code, message and request id (`fields`)."""
        return {}


class MalformedRequestError(GameError, code="MALFORMED_REQUEST"):
    """The body, a header or a path parameter does not match the contract."""


class UnsupportedMediaTypeError(GameError, code="UNSUPPORTED_MEDIA_TYPE", status=415):
    """A body that is not `application/json` in UTF-8."""


class PayloadTooLargeError(GameError, code="PAYLOAD_TOO_LARGE", status=413):
    """A body larger than any route takes."""


class IdempotencyKeyMissingError(GameError, code="IDEMPOTENCY_KEY_MISSING"):
    """A state-changing call came without an `Idempotency-Key` header."""


class IdempotencyKeyReusedError(GameError, code="IDEMPOTENCY_KEY_REUSED", status=422):
    """The key was used before for a different request body."""


class TokenMissingError(GameError, code="TOKEN_MISSING", status=401):
    """No bearer token on a call that needs a player."""


class TokenInvalidError(GameError, code="TOKEN_INVALID", status=401):
    """The bearer token is malformed, badly signed or expired."""


class CampaignNotFoundError(GameError, code="CAMPAIGN_NOT_FOUND", status=404):
    """No campaign with this id has been applied."""


class VersionNotFoundError(GameError, code="VERSION_NOT_FOUND", status=404):
    """The campaign has no config version with this number."""


class GameNotEnabledError(GameError, code="GAME_NOT_ENABLED", status=404):
    """The campaign exists but does not run this game."""


class CampaignNotOpenError(GameError, code="CAMPAIGN_NOT_OPEN", status=403):
    """The campaign has not started yet or has ended."""


class NoChancesLeftError(GameError, code="NO_CHANCES_LEFT", status=403):
    """The player used every chance for today or for the campaign."""


class AudienceExcludedError(GameError, code="AUDIENCE_EXCLUDED", status=403):
    """The campaign or game is for other members (a tier, tags, a region, new members, a list)."""


class FraudBlockedError(GameError, code="FRAUD_BLOCKED", status=403):
    """An anti-fraud rule stopped the action; the rule is recorded with the block."""

    def __init__(self, message: str, rule: str) -> None:
        super().__init__(message, rule=rule)
        self.rule = rule


class RateLimitedError(FraudBlockedError, code="RATE_LIMITED", status=429):
    """A velocity limit (per device or per IP) stopped the action."""

    def __init__(self, message: str, rule: str, retry_after: int) -> None:
        super().__init__(message, rule=rule)
        self.retry_after = retry_after


class CouponNotFoundError(GameError, code="COUPON_NOT_FOUND", status=404):
    """The member holds no coupon with this id."""


class CouponNotRedeemableError(GameError, code="COUPON_NOT_REDEEMABLE", status=409):
    """The coupon is redeemed, expired or not yet valid."""


class CouponNotUsableHereError(GameError, code="COUPON_NOT_USABLE_HERE", status=403):
    """The coupon's usage scope leaves out the store where it is presented."""


FIELD_PATH = re.compile(r"^([a-z_][a-z0-9_]*(?:\.[A-Za-z0-9_-]+)*): (.+)$", re.S)
"""`field.path: reason`, the path starting at a config key (`games.lucky-wheel.prizes.0.cost`)."""


def problem(text: str) -> dict[str, str]:
    """One config problem as `{"field", "message"}`; `field` is "" when the problem names no
    field of the document (a state conflict, a whole-document rule)."""
    found = FIELD_PATH.match(text)
    return {"field": found.group(1), "message": found.group(2)} if found else {"field": "", "message": text}


class ConfigInvalidError(GameError, code="CONFIG_INVALID", status=422):
    """A campaign config failed validation; the message names the field and the reason."""

    fields: ClassVar[dict[str, Any]] = {"problems": {
        "type": "array", "description": "every problem, each at its field's dotted path in the "
                                        "config (`\"\"` when it names no field)",
        "items": {"type": "object", "required": ["field", "message"],
                  "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}}

    def envelope(self) -> dict[str, Any]:
        """Every problem with its field, so an editor shows each next to its field."""
        return {"problems": [problem(str(p)) for p in self.details.get("errors") or [self.message]]}


class ForecastInvalidError(GameError, code="FORECAST_INVALID"):
    """A forecast's campaign or traffic profile cannot be played; each problem is named."""


class ConflictError(GameError, code="CONFLICT", status=409):
    """A concurrent change won the race; retrying the same request is safe."""

    retry_after = 1


class ForbiddenError(GameError, code="FORBIDDEN", status=403):
    """The caller is who he says, but this call is not his to make (e.g. a player's token on
    a brand-only route)."""


class AssistTaskNotFoundError(GameError, code="TASK_NOT_FOUND", status=404):
    """No assist task with this id in this campaign."""


class AssistTaskCompletedError(GameError, code="TASK_COMPLETED", status=409):
    """The assist task already reached its target; no more helps are taken."""


class AssistTaskExpiredError(GameError, code="TASK_EXPIRED", status=409):
    """The assist task's deadline passed before it reached its target."""


class AssistSelfHelpError(GameError, code="SELF_HELP", status=403):
    """The initiator of an assist task tried to help it himself."""


class AssistAlreadyHelpedError(GameError, code="ALREADY_HELPED", status=409):
    """This member already helped this assist task (once per helper and task)."""


class AssistNewUsersOnlyError(GameError, code="NEW_USERS_ONLY", status=403):
    """The campaign takes helps from new users only, and this member is not one."""


class AssistOpenTasksLimitError(GameError, code="OPEN_TASK_LIMIT", status=403):
    """The member already has as many open assist tasks as the campaign allows."""


class AlreadyCheckedInError(GameError, code="ALREADY_CHECKED_IN", status=409):
    """The member already checked in on this day (today, or the day a make-up names)."""


class MakeUpNotAllowedError(GameError, code="MAKE_UP_NOT_ALLOWED", status=422):
    """A make-up check-in names a day it may not fill: today, the future, outside the cycle."""


class SoldOutError(GameError, code="SOLD_OUT", status=409):
    """No unit is left: of a day's or a campaign's booking stock, of an exchange item."""


class BudgetExhaustedError(GameError, code="BUDGET_EXHAUSTED", status=409):
    """The campaign budget (or the red packets' own) cannot pay for another."""


class PointsInsufficientError(GameError, code="POINTS_INSUFFICIENT", status=403):
    """The member's points balance does not cover what the action costs."""


class DrawNotFoundError(GameError, code="DRAW_NOT_FOUND", status=404):
    """No draw of this id in this campaign (or one drawn before draws were verifiable)."""


class SeedNotRevealedError(GameError, code="SEED_NOT_REVEALED", status=409):
    """The draw's day (the campaign's local day) is not over: its seed stays secret until then."""

    fields: ClassVar[dict[str, Any]] = {
        "day": {"type": "string", "description": "the draw's day, the campaign's local YYYY-MM-DD"},
        "revealed_at": {"type": "string", "description": "when the day's seed is revealed: the "
                                                          "day's end, with the campaign zone's offset"}}

    def envelope(self) -> dict[str, Any]:
        """When to come back: a page tells the player the time."""
        return {name: self.details[name] for name in ("day", "revealed_at") if name in self.details}


class WebhookSecretNotFoundError(GameError, code="WEBHOOK_SECRET_NOT_FOUND", status=404):
    """A party's webhook secret does not exist yet: its first endpoints create it."""


class SecretUnavailableError(GameError, code="SECRET_UNAVAILABLE", status=503):
    """A secret the call needs (the token key, the partners' keys) cannot be read right now:
    missing, empty, access denied or Secrets Manager unreachable. The caller may retry later."""

    retry_after = 30


class ServiceUnavailableError(GameError, code="SERVICE_UNAVAILABLE", status=503):
    """DynamoDB throttled the call, failed, could not be reached in time, or the request ran
    out of its deadline. Nothing may be assumed done: retry the same request (with the same
    Idempotency-Key) after `Retry-After`."""

    retry_after = 1

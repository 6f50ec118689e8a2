"""The signed player identity: an HS256 JWT minted by the brand's member system.

Claims: `sub` (member id), `dev` (device id, optional), `reg` (when the member registered,
epoch seconds, optional: games with new-user rules need it), `role` (optional: absent for a
player; e.g. `brand` for the brand's own system calling server to server), `exp`. The
functions verify it with the shared secret from `MGAMES_TOKEN_SECRET` (local runs, tests), or
from the Secrets Manager secret the stack creates, named by `MGAMES_TOKEN_SECRET_ARN` (kept
five minutes), never trusting the page.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from plugins.errors import SecretUnavailableError, TokenInvalidError

ALGORITHM = "HS256"
CLOCK_SKEW_SECONDS = 60
# Times are checked against the injectable clock below, not PyJWT's own.
DECODE_OPTIONS: Any = {
    "require": ["sub", "exp"], "verify_exp": False, "verify_iat": False, "verify_nbf": False,
}
LOCAL_SECRET = "local-dev-secret-0123456789abcdef-not-for-production"


@dataclass(frozen=True)
class Player:
    """Who acts: the member and device from the token, the IP from the request."""

    member_id: str
    device_id: str | None = None
    ip: str | None = None
    registered_at: datetime | None = None
    role: str | None = None


def token_secret() -> str:
    """The HMAC secret, from the environment or from Secrets Manager; SecretUnavailableError
    (503, never a 500) when neither is configured or the secret cannot be read."""
    secret = os.environ.get("MGAMES_TOKEN_SECRET")
    if secret:
        return secret
    secret_id = os.environ.get("MGAMES_TOKEN_SECRET_ARN")
    if not secret_id:
        raise SecretUnavailableError("no token key is configured: set MGAMES_TOKEN_SECRET or "
                                     "MGAMES_TOKEN_SECRET_ARN")
    from plugins.secret_store import read_secret  # boto3 only when a token is verified

    return read_secret(secret_id)


def mint_token(
    member_id: str, secret: str, device_id: str | None = None, *, now: datetime,
    ttl: timedelta = timedelta(hours=2), registered_at: datetime | None = None,
    role: str | None = None,
) -> str:
    """A token for `member_id`, as the member system would issue it (`role`: a non-player caller)."""
    claims: dict[str, object] = {"sub": member_id, "iat": now, "exp": now + ttl}
    if device_id:
        claims["dev"] = device_id
    if registered_at is not None:
        claims["reg"] = int(registered_at.timestamp())
    if role is not None:
        claims["role"] = role
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify_token(token: str, secret: str, *, now: datetime, ip: str | None = None) -> Player:
    """The player a token names, or TokenInvalidError for a bad, forged or expired one."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options=DECODE_OPTIONS)
    except jwt.PyJWTError as exc:
        raise TokenInvalidError(f"the token is not valid: {exc}") from None
    if not isinstance(claims["exp"], int | float) or claims["exp"] <= now.timestamp():
        raise TokenInvalidError("the token has expired")
    if claims.get("iat", 0) > now.timestamp() + CLOCK_SKEW_SECONDS:
        raise TokenInvalidError("the token was issued in the future")
    member, device = claims["sub"], claims.get("dev")
    if not isinstance(member, str) or not member or len(member) > 64 or "#" in member:
        raise TokenInvalidError("the token's member id is not valid")
    if device is not None and (not isinstance(device, str) or len(device) > 128):
        raise TokenInvalidError("the token's device id is not valid")
    registered = claims.get("reg")
    if registered is not None and not isinstance(registered, int):
        raise TokenInvalidError("the token's registration time is not valid")
    joined = None if registered is None else datetime.fromtimestamp(registered, UTC)
    role = claims.get("role")
    if role is not None and (not isinstance(role, str) or not 0 < len(role) <= 32):
        raise TokenInvalidError("the token's role is not valid")
    return Player(member_id=member, device_id=device, ip=ip, registered_at=joined, role=role)

"""Partners call the console server to server with an API key and an HMAC signature.

Headers: `X-Api-Key` (the key id), `X-Timestamp` (epoch seconds), `X-Nonce` (8-64 of
`A-Z a-z 0-9 _ -`, unique per request) and `X-Signature`: hex HMAC-SHA256, keyed by the
key's secret, over

    METHOD \\n PATH \\n TIMESTAMP \\n NONCE \\n hex SHA-256 of the body

A request is refused if a header is missing, the key is unknown, the timestamp is more
than five minutes off, the signature does not match, or the nonce was seen before. The
nonce is remembered (an item written with `attribute_not_exists`, expiring by TTL after
the timestamp window) only once the signature holds, so forged requests cannot burn
nonces; a replay inside the window fails the condition, one outside fails the timestamp.
Key secrets come from `MGAMES_PARTNER_KEYS` (JSON `{"key id": "secret"}`; local runs, tests),
else from the Secrets Manager secret the stack creates, named by `MGAMES_PARTNER_KEYS_ARN`
(same JSON, kept five minutes), or any lookup passed in. Keys that cannot be read answer 503
SECRET_UNAVAILABLE, never 500.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from pynamodb.exceptions import PutError

from plugins.errors import GameError, SecretUnavailableError
from plugins.store import MarkerItem

__all__ = [
    "MAX_SKEW",
    "NonceReusedError",
    "Partner",
    "PartnerAuthMissingError",
    "RequestExpiredError",
    "SignatureInvalidError",
    "env_keys",
    "sign",
    "verify_partner_request",
]

MAX_SKEW = timedelta(minutes=5)
NONCE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
NONCE_SK = "NONCE"
HEADERS = ("x-api-key", "x-timestamp", "x-nonce", "x-signature")


class PartnerAuthMissingError(GameError, code="PARTNER_AUTH_MISSING", status=401):
    """A partner call lacks one of the signature headers."""


class SignatureInvalidError(GameError, code="SIGNATURE_INVALID", status=401):
    """Unknown API key, or the signature does not match the request."""


class RequestExpiredError(GameError, code="REQUEST_EXPIRED", status=401):
    """The request's timestamp is more than five minutes from now."""


class NonceReusedError(GameError, code="NONCE_REUSED", status=401):
    """The nonce was used before with this key: a replay."""


@dataclass(frozen=True)
class Partner:
    """Who called: the API key id that signed the request."""

    key_id: str


def nonce_key(key_id: str, nonce: str) -> tuple[str, str]:
    """Partition of a seen nonce: one per key and nonce, so checks never contend."""
    return f"PN#{key_id}#{nonce}", NONCE_SK


def env_keys(key_id: str) -> str | None:
    """A key's secret from `MGAMES_PARTNER_KEYS` or the secret `MGAMES_PARTNER_KEYS_ARN` names;
    no partner at all when neither is set."""
    raw = os.environ.get("MGAMES_PARTNER_KEYS")
    if raw is None and os.environ.get("MGAMES_PARTNER_KEYS_ARN"):
        from plugins.secret_store import read_secret  # boto3 only when a partner calls

        raw = read_secret(os.environ["MGAMES_PARTNER_KEYS_ARN"])
    try:
        keys = json.loads(raw or "{}")
    except ValueError:
        keys = None
    if not isinstance(keys, dict):
        raise SecretUnavailableError("the partners' keys are not a JSON object; retry later")
    found = keys.get(key_id)
    return found if isinstance(found, str) else None


def sign(secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    """The signature a partner sends (also what partners' SDKs and the tests compute)."""
    message = "\n".join([method.upper(), path, timestamp, nonce,
                         hashlib.sha256(body).hexdigest()])
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def verify_partner_request(
    method: str, path: str, headers: Mapping[str, str], body: bytes | None, *, now: datetime,
    secret_of: Callable[[str], str | None] = env_keys,
) -> Partner:
    """The partner that signed this request, or a 401 GameError saying why not."""
    lower = {k.lower(): v for k, v in headers.items()}
    missing = [h for h in HEADERS if not lower.get(h)]
    if missing:
        raise PartnerAuthMissingError(f"missing header(s): {', '.join(missing)}")
    key_id, stamp, nonce, signature = (lower[h] for h in HEADERS)
    if not NONCE_PATTERN.match(nonce):
        raise PartnerAuthMissingError("X-Nonce must be 8-64 of A-Z a-z 0-9 _ -")
    secret = secret_of(key_id)
    if not secret:
        raise SignatureInvalidError("unknown API key")
    try:
        moment = int(stamp)
    except ValueError:
        raise RequestExpiredError("X-Timestamp must be epoch seconds") from None
    if abs(now.timestamp() - moment) > MAX_SKEW.total_seconds():
        raise RequestExpiredError("the request timestamp is more than 5 minutes from now")
    expected = sign(secret, method, path, stamp, nonce, body or b"")
    if not hmac.compare_digest(expected, signature.lower()):
        raise SignatureInvalidError("the signature does not match the request")
    seen = MarkerItem(*nonce_key(key_id, nonce),
                      ttl=moment + int(2 * MAX_SKEW.total_seconds()))
    try:
        seen.save(condition=MarkerItem.pk.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise NonceReusedError("this nonce was already used") from None
        raise
    return Partner(key_id=key_id)

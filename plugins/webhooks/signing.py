"""Standard Webhooks signatures (https://www.standardwebhooks.com): each delivery carries
`webhook-id`, `webhook-timestamp` (epoch seconds) and `webhook-signature`, a space-separated
list of `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per secret of the endpoint.

An endpoint's secrets are `whsec_<base64 key>` strings separated by spaces: during a rotation
the secret holds the new and the old one, both sign, and the receiver accepts either. A party's
secret rotated through its API (`plugins.webhooks.party_secrets`) is JSON instead: its
`current` one, and its `previous` one until `previous_until` (epoch seconds). They are read
from Secrets Manager by `secret_ref` (`plugins.secret_store`, lazily: only the worker signs);
`MGAMES_WEBHOOK_SECRETS` (JSON: ref -> secrets), set by the local stack and the tests, stands
in for Secrets Manager.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from typing import Any

from plugins.errors import SecretUnavailableError

__all__ = ["LOCAL_ISSUED", "PREFIX", "endpoint_secrets", "parse_secrets", "rotated_value", "secret_keys",
           "sign", "signed_headers"]

PREFIX = "whsec_"
MIN_KEY_BYTES = 24
LOCAL_ISSUED: dict[str, str] = {}
"""Beside `MGAMES_WEBHOOK_SECRETS`: the secrets the platform created locally for parties
(`plugins.webhooks.managed`); the local stack runs its console and worker in one process."""


def parse_secrets(text: str) -> list[bytes]:
    """The keys of a space-separated list of `whsec_` secrets, or ValueError."""
    keys = []
    for secret in text.split():
        if not secret.startswith(PREFIX):
            raise ValueError("a webhook secret starts with whsec_")
        try:
            key = base64.b64decode(secret.removeprefix(PREFIX), validate=True)
        except binascii.Error:
            raise ValueError("a webhook secret is whsec_ and base64") from None
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"a webhook secret's key has at least {MIN_KEY_BYTES} bytes")
        keys.append(key)
    if not keys:
        raise ValueError("no webhook secret")
    return keys


def rotated_value(text: str) -> dict[str, Any] | None:
    """A rotated secret's JSON value, None for a plain list of secrets."""
    if not text.lstrip().startswith("{"):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        raise ValueError("a rotated webhook secret is JSON") from None
    if not isinstance(value, dict) or not isinstance(value.get("current"), str):
        raise ValueError("a rotated webhook secret names its current secret")
    return value


def secret_keys(text: str, now: int) -> list[bytes]:
    """The keys that sign at `now` (epoch seconds): a rotated value's current one, and its
    previous one until `previous_until`; every one of a plain list. ValueError if malformed."""
    value = rotated_value(text)
    if value is None:
        return parse_secrets(text)
    signing = [value["current"]]
    if value.get("previous") and now < int(value.get("previous_until") or 0):
        signing.append(str(value["previous"]))
    return parse_secrets(" ".join(signing))


def endpoint_secrets(secret_ref: str, now: int) -> list[bytes]:
    """The keys `secret_ref` names that sign at `now` (epoch seconds), or SecretUnavailableError
    (missing, unreadable, malformed)."""
    local = os.environ.get("MGAMES_WEBHOOK_SECRETS")
    if local is not None:
        text = json.loads(local).get(secret_ref) or LOCAL_ISSUED.get(secret_ref)
    else:
        from plugins.secret_store import read_secret  # boto3 only where deliveries are signed

        text = read_secret(secret_ref)
    try:
        return secret_keys(text or "", now)
    except ValueError as exc:
        raise SecretUnavailableError(f"webhook secret {secret_ref}: {exc}") from None


def sign(keys: list[bytes], message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header: one `v1,<signature>` per key."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    return " ".join("v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
                    for key in keys)


def signed_headers(keys: list[bytes], message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """Every header of a delivery."""
    return {"content-type": "application/json", "webhook-id": message_id,
            "webhook-timestamp": str(timestamp), "webhook-signature": sign(keys, message_id, timestamp, body)}

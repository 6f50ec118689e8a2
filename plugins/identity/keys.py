"""Key rings: the HMAC keys of one trust domain, by key id, and the one new tokens are signed
with.

A ring is written `{"current": "<kid>", "<kid>": "<secret>", ...}` (the shape the stack's
Secrets Manager secret generates); a rotation adds a key, makes it current, and drops the old
one once every token it signed has expired: until then both verify. A bare string is a ring
of one key, `local`. The ring comes from the domain's variable (local runs, tests) or from
the Secrets Manager secret its `_ARN` variable names (deployed, kept five minutes).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from plugins.errors import SecretUnavailableError

MIN_SECRET_LENGTH = 32


@dataclass(frozen=True)
class KeyRing:
    """The keys a domain verifies with, and the id of the one it signs with."""

    keys: Mapping[str, str]
    current: str

    @classmethod
    @lru_cache(maxsize=8)  # the same text for five minutes, read on every verification
    def parse(cls, text: str) -> KeyRing:
        """A ring from its text; SecretUnavailableError (503) for one that cannot serve."""
        text = text.strip()
        if not text.startswith("{"):
            return cls._checked({"local": text}, "local")
        try:
            document = json.loads(text)
        except ValueError:
            raise SecretUnavailableError("a key ring is not valid JSON") from None
        if not isinstance(document, dict) or not isinstance(document.get("current"), str):
            raise SecretUnavailableError("a key ring names no current key")
        current = document.pop("current")
        return cls._checked(document, current)

    @classmethod
    def _checked(cls, keys: dict[str, object], current: str) -> KeyRing:
        if current not in keys:
            raise SecretUnavailableError(f"a key ring's current key {current!r} is missing")
        for kid, secret in keys.items():
            if not isinstance(secret, str) or len(secret) < MIN_SECRET_LENGTH:
                raise SecretUnavailableError(f"key {kid!r} is not a secret of at least "
                                             f"{MIN_SECRET_LENGTH} characters")
        return cls(keys={kid: str(secret) for kid, secret in keys.items()}, current=current)

    def secret(self, kid: str) -> str | None:
        return self.keys.get(kid)


def key_ring(variable: str) -> KeyRing:
    """The ring in `variable`, or in the secret `variable + "_ARN"` names; 503 without one."""
    text = os.environ.get(variable)
    if text:
        return KeyRing.parse(text)
    secret_id = os.environ.get(variable + "_ARN")
    if not secret_id:
        raise SecretUnavailableError(f"no key is configured: set {variable} or {variable}_ARN")
    from plugins.secret_store import read_secret  # boto3 only when a token is verified

    return KeyRing.parse(read_secret(secret_id))

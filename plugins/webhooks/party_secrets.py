"""The `whsec_` secret a party (a partner) signs its own endpoints with, one per campaign and
party in Secrets Manager (`mgames/webhooks/parties/<party>/<campaign>`): created by its first
write of endpoints, rotated through its API with a grace period (docs/webhooks.md).

A rotated secret's value is JSON, `{"current": new, "previous": old, "previous_until": epoch
seconds, "request": ...}`: the worker reads it in its one cached GetSecretValue as before and
signs with both until `previous_until`, then with the new one alone (`signing.secret_keys`).
A rotation puts the new value with `ClientRequestToken` derived from the version it replaces:
two rotations built on the same version ask for the same version id, so Secrets Manager takes
one and refuses the other (409 CONFLICT), and a secret answered to the party is never
overwritten unseen. `request` names the Idempotency-Key that made it, so a retry (even one
racing its first attempt) answers the same secret rather than a third.

The rules live here once; `AwsVault` and `LocalVault` (the local stack and the tests, with
`MGAMES_WEBHOOK_SECRETS` set; the worker reads its values from `LOCAL_ISSUED`) only store.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from plugins.errors import ConflictError, SecretUnavailableError, WebhookSecretNotFoundError
from plugins.webhooks.signing import LOCAL_ISSUED, PREFIX, rotated_value

__all__ = ["AwsVault", "LocalVault", "Rotated", "Vault", "party_secret", "rotate", "rotated_secret",
           "secret_ref", "vault"]
KEY_BYTES = 32


def secret_ref(campaign_id: str, party: str) -> str:
    return f"mgames/webhooks/parties/{party}/{campaign_id}"


class Vault(Protocol):
    """Where party secrets are kept: I/O only, every rule is above."""

    def create(self, ref: str, text: str) -> str:
        """Create the secret with `text`; the value it holds (the first one, if it existed)."""

    def current(self, ref: str) -> tuple[str, str] | None:
        """The current version's id and value, read now (never cached); None: no secret."""

    def version(self, ref: str, version_id: str) -> str | None:
        """The value of one version, None when there is none."""

    def put(self, ref: str, version_id: str, text: str) -> str:
        """Make `text` current as version `version_id`, unless that version exists: the value
        the version holds (`text`, or the other one that took the id first)."""


def _fresh() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def _request(ref: str, key: str) -> str:
    return hashlib.sha256(f"{ref}|{key}".encode()).hexdigest()[:32]


def _successor(version_id: str) -> str:
    """The id of the version that replaces `version_id`: the same for every rotation of it."""
    return str(uuid.UUID(bytes=hashlib.sha256(f"rotation|{version_id}".encode()).digest()[:16]))


def party_secret(campaign_id: str, party: str) -> str:
    """The party's current secret in the campaign, created on first use."""
    return str(_value(vault().create(secret_ref(campaign_id, party), _fresh()))["current"])


@dataclass(frozen=True)
class Rotated:
    """A rotation done: the new secret, the version holding it, until when the old one signs."""

    secret: str
    version_id: str
    previous_until: int


def rotate(ref: str, key: str, now: datetime, grace: timedelta) -> Rotated:
    """Make a fresh secret current, the previous one signing too until `now + grace`. The same
    `key` answers the same secret while it is current; WebhookSecretNotFoundError before the
    first endpoints; ConflictError when another rotation replaced the version read meanwhile."""
    store, request = vault(), _request(ref, key)
    found = store.current(ref)
    if found is None:
        raise WebhookSecretNotFoundError("no webhook secret yet: write your endpoints first "
                                         "(POST .../webhooks answers it)")
    version_id, text = found
    value = _value(text)
    if value.get("request") == request:  # this key's rotation is current already
        return Rotated(value["current"], version_id, int(value["previous_until"]))
    ours = json.dumps({"current": _fresh(), "previous": value["current"],
                       "previous_until": int((now + grace).timestamp()), "request": request})
    successor = _successor(version_id)
    stored = _value(store.put(ref, successor, ours))
    if stored.get("request") != request:
        raise ConflictError("another rotation replaced the webhook secret meanwhile; this one "
                            "changed nothing (sent again, it rotates on top of that one)")
    return Rotated(stored["current"], successor, int(stored["previous_until"]))


def rotated_secret(ref: str, version_id: str) -> str:
    """The new secret of a recorded rotation (for its retries), or SecretUnavailableError."""
    text = vault().version(ref, version_id)
    if text is None:
        raise SecretUnavailableError("this rotation's secret cannot be read; retry later")
    return str(_value(text)["current"])


def _value(text: str) -> dict[str, Any]:
    """A secret's value as JSON; a first secret (plain `whsec_`) has only a current one."""
    try:
        return rotated_value(text) or {"current": text.strip()}
    except ValueError as exc:
        raise SecretUnavailableError(f"the webhook secret is malformed: {exc}") from None


@dataclass
class LocalVault:
    """The secrets kept in this process (the local stack runs console and worker in one)."""

    versions: dict[tuple[str, str], str] = field(default_factory=dict)
    current_ids: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def create(self, ref: str, text: str) -> str:
        with self.lock:
            if ref not in self.current_ids:
                self._make_current(ref, str(uuid.uuid4()), text)
            return LOCAL_ISSUED[ref]

    def current(self, ref: str) -> tuple[str, str] | None:
        with self.lock:
            found = self.current_ids.get(ref)
            return None if found is None else (found, self.versions[ref, found])

    def version(self, ref: str, version_id: str) -> str | None:
        return self.versions.get((ref, version_id))

    def put(self, ref: str, version_id: str, text: str) -> str:
        with self.lock:
            if (ref, version_id) not in self.versions:
                self._make_current(ref, version_id, text)
            return self.versions[ref, version_id]

    def _make_current(self, ref: str, version_id: str, text: str) -> None:
        self.versions[ref, version_id], self.current_ids[ref], LOCAL_ISSUED[ref] = text, version_id, text

    def clear(self) -> None:
        with self.lock:
            self.versions.clear()
            self.current_ids.clear()
            LOCAL_ISSUED.clear()


LOCAL = LocalVault()


class AwsVault:
    """Secrets Manager, through the process's one client (`plugins.secret_store`)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def create(self, ref: str, text: str) -> str:
        try:
            self.client.create_secret(Name=ref, SecretString=text)
        except self.client.exceptions.ResourceExistsException:  # read now: it may have rotated
            found = self.current(ref)
            if found is None:
                raise SecretUnavailableError("the webhook secret exists but cannot be read") from None
            return found[1]
        except Exception as exc:  # throttled, denied, unreachable: the partner retries later
            raise _unavailable(exc) from None
        return text

    def current(self, ref: str) -> tuple[str, str] | None:
        try:
            found = self.client.get_secret_value(SecretId=ref)
        except self.client.exceptions.ResourceNotFoundException:
            return None
        except Exception as exc:
            raise _unavailable(exc) from None
        return str(found["VersionId"]), str(found["SecretString"])

    def version(self, ref: str, version_id: str) -> str | None:
        try:
            return str(self.client.get_secret_value(SecretId=ref, VersionId=version_id)["SecretString"])
        except self.client.exceptions.ResourceNotFoundException:
            return None
        except Exception as exc:
            raise _unavailable(exc) from None

    def put(self, ref: str, version_id: str, text: str) -> str:
        try:
            self.client.put_secret_value(SecretId=ref, ClientRequestToken=version_id, SecretString=text)
        except self.client.exceptions.ResourceExistsException:  # the id is taken: by whom?
            return self.version(ref, version_id) or ""
        except Exception as exc:
            raise _unavailable(exc) from None
        return text


def _unavailable(exc: Exception) -> SecretUnavailableError:
    return SecretUnavailableError(f"the webhook secret cannot be kept: {type(exc).__name__}")


def vault() -> Vault:
    """The process's vault: local with `MGAMES_WEBHOOK_SECRETS` set, else Secrets Manager."""
    if os.environ.get("MGAMES_WEBHOOK_SECRETS") is not None:  # the local stack, the tests
        return LOCAL
    from plugins.secret_store import provider  # boto3 only where a party writes

    return AwsVault(provider().client)

"""Partner signatures: HMAC over method, path, timestamp, nonce and body hash; stale
timestamps and replayed nonces refused."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from plugins.console.partner_auth import (
    NonceReusedError,
    PartnerAuthMissingError,
    RequestExpiredError,
    SignatureInvalidError,
    sign,
    verify_partner_request,
)
from tests.conftest import NOW

SECRET = "partner-secret-0123456789"
BODY = b'{"coupon_type": "spa-100"}'


def secret_of(key_id: str) -> str | None:
    return SECRET if key_id == "pk-acme" else None


def headers(nonce: str = "nonce-0001", at: Any = NOW, body: bytes = BODY,
            path: str = "/partners/coupons", key: str = "pk-acme") -> dict[str, str]:
    stamp = str(int(at.timestamp()))
    return {"X-Api-Key": key, "X-Timestamp": stamp, "X-Nonce": nonce,
            "X-Signature": sign(SECRET, "POST", path, stamp, nonce, body)}


def check(sent: dict[str, str], body: bytes = BODY, path: str = "/partners/coupons",
          now: Any = NOW) -> Any:
    return verify_partner_request("POST", path, sent, body, now=now, secret_of=secret_of)


def test_a_signed_request_passes_once(table: str, scan: Any) -> None:
    sent = headers()
    assert check(sent).key_id == "pk-acme"
    stored = [item for (pk, _), item in scan().items() if pk == "PN#pk-acme#nonce-0001"]
    assert len(stored) == 1 and int(stored[0]["ttl"]["N"]) > NOW.timestamp()
    with pytest.raises(NonceReusedError):
        check(sent)
    assert check(headers(nonce="nonce-0002")).key_id == "pk-acme"


@pytest.mark.parametrize(("change", "error"), [
    ({"X-Signature": "00" * 32}, SignatureInvalidError),
    ({"X-Api-Key": "pk-unknown"}, SignatureInvalidError),
    ({"X-Nonce": "nonce-other"}, SignatureInvalidError),
    ({"X-Nonce": "bad nonce!"}, PartnerAuthMissingError),
    ({"X-Timestamp": "yesterday"}, RequestExpiredError),
])
def test_tampered_requests_are_refused_and_burn_no_nonce(table: str, scan: Any, change: Any,
                                                         error: type[Exception]) -> None:
    with pytest.raises(error):
        check(headers() | change)
    assert not [pk for pk, _ in scan() if pk.startswith("PN#")]


def test_a_changed_body_or_path_breaks_the_signature(table: str) -> None:
    with pytest.raises(SignatureInvalidError):
        check(headers(), body=b'{"coupon_type": "spa-999"}')
    with pytest.raises(SignatureInvalidError):
        check(headers(), path="/partners/other")


def test_a_missing_header_is_named(table: str) -> None:
    sent = headers()
    del sent["X-Signature"]
    with pytest.raises(PartnerAuthMissingError, match="x-signature"):
        check(sent)


@pytest.mark.parametrize("age", [timedelta(minutes=5, seconds=1), -timedelta(minutes=6)])
def test_stale_or_future_timestamps_are_refused(table: str, age: timedelta) -> None:
    with pytest.raises(RequestExpiredError) as refused:
        check(headers(at=NOW - age))
    assert refused.value.status == 401
    assert check(headers(at=NOW - timedelta(minutes=4), nonce="nonce-fresh")).key_id == "pk-acme"


def test_keys_come_from_the_environment(table: str, monkeypatch: Any) -> None:
    monkeypatch.setenv("MGAMES_PARTNER_KEYS", json.dumps({"pk-acme": SECRET}))
    assert verify_partner_request("POST", "/partners/coupons", headers(), BODY,
                                  now=NOW).key_id == "pk-acme"

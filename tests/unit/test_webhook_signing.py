"""Webhook signatures in the Standard Webhooks style, checked by an independent verifier
written here from the specification (https://www.standardwebhooks.com), not by the
platform's code; endpoints follow the outbound rules of partner endpoints."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random

import pytest
from pydantic import ValidationError

from plugins.errors import SecretUnavailableError
from plugins.webhook_endpoints import WebhookEndpoint
from plugins.webhooks.delivery import BASE_DELAY, MAX_ATTEMPTS, MAX_DELAY, delay
from plugins.webhooks.signing import endpoint_secrets, parse_secrets, signed_headers

NEW = "whsec_" + base64.b64encode(b"n" * 32).decode()
OLD = "whsec_" + base64.b64encode(b"o" * 32).decode()


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The receiver's check, from the spec: any v1 signature of id.timestamp.body matches."""
    key = base64.b64decode(secret.split("_", 1)[1])
    content = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    return any(part.split(",", 1) == ["v1", expected] and hmac.compare_digest(part[3:], expected)
               for part in headers["webhook-signature"].split(" "))


def test_a_delivery_verifies_with_every_secret_of_a_rotation_and_no_other() -> None:
    body = b'{"type":"reward.issued"}'
    headers = signed_headers(parse_secrets(f"{NEW} {OLD}"), "msg_1", 1_700_000_000, body)
    assert headers["webhook-id"] == "msg_1" and headers["webhook-timestamp"] == "1700000000"
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert verify(NEW, headers, body) and verify(OLD, headers, body)
    other = "whsec_" + base64.b64encode(b"x" * 32).decode()
    assert not verify(other, headers, body)
    assert not verify(NEW, headers, body + b" ")
    assert not verify(NEW, headers | {"webhook-timestamp": "1700000001"}, body)


@pytest.mark.parametrize("text", ["", "secret", "whsec_!!!", "whsec_" + base64.b64encode(b"short").decode()])
def test_a_malformed_secret_is_unavailable_not_a_crash(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MGAMES_WEBHOOK_SECRETS", f'{{"crm": "{text}"}}')
    with pytest.raises(SecretUnavailableError):
        endpoint_secrets("crm", 0)


@pytest.mark.parametrize("text", ['{"current": 1}', '{"current": "whsec_!!!"}', "{not json", json.dumps(
    {"current": NEW, "previous": "secret", "previous_until": 2_000_000_000})])
def test_a_malformed_rotated_secret_is_unavailable_not_a_crash(text: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MGAMES_WEBHOOK_SECRETS", json.dumps({"crm": text}))
    with pytest.raises(SecretUnavailableError):
        endpoint_secrets("crm", 1_900_000_000)


def test_a_rotated_secret_signs_with_the_previous_one_until_its_time_only(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rotated = {"current": NEW, "previous": OLD, "previous_until": 1_900_000_000}
    monkeypatch.setenv("MGAMES_WEBHOOK_SECRETS", json.dumps({"crm": json.dumps(rotated)}))
    assert endpoint_secrets("crm", 1_899_999_999) == parse_secrets(f"{NEW} {OLD}")
    assert endpoint_secrets("crm", 1_900_000_000) == parse_secrets(NEW)


@pytest.mark.parametrize("url", ["http://crm.example.com/hook", "https://10.0.0.8/hook",
                                 "https://169.254.169.254/latest", "https://localhost/hook"])
def test_an_endpoint_follows_the_outbound_rules(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MGAMES_OUTBOUND_LOCAL", raising=False)
    with pytest.raises(ValidationError):
        WebhookEndpoint.model_validate({"id": "crm", "url": url, "events": ["reward.issued"],
                                        "secret_ref": "mgames/webhooks/crm"})
    WebhookEndpoint.model_validate({"id": "crm", "url": "https://crm.example.com/hook",
                                    "events": ["reward.issued"], "secret_ref": "mgames/webhooks/crm"})


def test_retries_back_off_over_about_a_day_with_jitter() -> None:
    nominal = [min(BASE_DELAY * 2 ** (n - 1), MAX_DELAY) for n in range(1, MAX_ATTEMPTS)]
    assert 18 * 3600 < sum(nominal) < 24 * 3600
    rng = random.Random(7)
    spread = {delay(3, rng) for _ in range(50)}
    assert len(spread) > 10 and min(spread) >= 180 and max(spread) <= 300

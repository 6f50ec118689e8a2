"""The stack's secrets and clients as deployed: an unreadable secret answers 503
SECRET_UNAVAILABLE on the game functions and on the console (never 500), and every AWS client
has bounded timeouts and standard retries, so no call outlives the function."""

from __future__ import annotations

import json
import runpy
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from plugins.clock import utc_now
from plugins.errors import SecretUnavailableError
from plugins.identity.keys import KeyRing
from plugins.identity.tokens import mint_operator, mint_player
from tests.deploy.conftest import load_event

MISSING_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:mgames-missing-AbCdEf"
TIMEOUT_SECONDS = 10  # Globals.Function.Timeout of template.yaml

SOME_RING = KeyRing.parse("a-key-this-stack-cannot-check-0123456789")
"""Signs a well-formed token whose check needs the (unreadable) ring."""


@pytest.fixture
def secrets_only(offline_aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """As deployed: no secret in the environment, only the ARNs; Secrets Manager mocked."""
    from plugins import secret_store

    for name in ("MGAMES_PLAYER_KEYS", "MGAMES_CONSOLE_KEYS", "MGAMES_PARTNER_KEYS"):
        monkeypatch.delenv(name, raising=False)
    secret_store.provider.cache_clear()
    with mock_aws():
        yield boto3.client("secretsmanager")
    secret_store.provider.cache_clear()


def _error(response: dict[str, Any]) -> tuple[int, str]:
    """Status and code; a 503 must say when to come back."""
    if response["statusCode"] == 503:
        headers = response.get("headers") or {}
        assert (headers.get("Retry-After") or headers.get("retry-after")) == "30", headers
    return response["statusCode"], json.loads(response["body"])["error"]["code"]


# --- reading a secret ---------------------------------------------------------------------


def test_a_secret_is_read_once_and_kept(secrets_only: Any) -> None:
    from plugins.secret_store import read_secret

    arn = secrets_only.create_secret(Name="token", SecretString="k" * 64)["ARN"]
    assert read_secret(arn) == "k" * 64
    secrets_only.put_secret_value(SecretId=arn, SecretString="rotated")
    assert read_secret(arn) == "k" * 64  # kept five minutes: one call per warm function


@pytest.mark.parametrize("case", ["missing", "blank"])
def test_a_missing_or_blank_secret_is_unavailable(secrets_only: Any, case: str) -> None:
    from plugins.secret_store import read_secret

    arn = MISSING_ARN if case == "missing" else secrets_only.create_secret(
        Name="blank", SecretString="  ")["ARN"]
    with pytest.raises(SecretUnavailableError) as caught:
        read_secret(arn)
    assert (caught.value.status, caught.value.code) == (503, "SECRET_UNAVAILABLE")


def test_an_unreachable_secrets_manager_is_unavailable(
    offline_aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    from plugins import secret_store

    monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:9")  # nothing there
    secret_store.provider.cache_clear()
    try:
        with pytest.raises(SecretUnavailableError):
            secret_store.read_secret(MISSING_ARN)
    finally:
        secret_store.provider.cache_clear()


# --- the two surfaces ---------------------------------------------------------------------


def test_a_game_function_answers_503_when_the_token_key_is_unreadable(
    secrets_only: Any, monkeypatch: pytest.MonkeyPatch, function_url_get_event: dict[str, Any],
    lambda_context: Any,
) -> None:
    from plugins.store import bind_table

    monkeypatch.setenv("MGAMES_GAME", "lucky-wheel")
    monkeypatch.setenv("MGAMES_PLAYER_KEYS_ARN", MISSING_ARN)
    event = function_url_get_event
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/campaigns/demo/draws"
    event["headers"]["authorization"] = "Bearer " + mint_player("alice", now=utc_now(), ring=SOME_RING)
    try:
        handler = runpy.run_module("functions.game")["handler"]
        response = handler(event, lambda_context)
    finally:
        bind_table()  # drop the client made under the mock
    assert _error(response) == (503, "SECRET_UNAVAILABLE")


def test_the_console_answers_503_when_the_token_key_is_unreadable(
    secrets_only: Any, monkeypatch: pytest.MonkeyPatch, lambda_context: Any,
) -> None:
    from functions.console.app import app

    monkeypatch.setenv("MGAMES_CONSOLE_KEYS_ARN", MISSING_ARN)
    event = load_event("api_gateway_report")
    credential = "Bearer " + mint_operator("mia", "marketer", now=utc_now(), ring=SOME_RING)
    event["headers"]["Authorization"] = credential
    event["multiValueHeaders"]["Authorization"] = [credential]
    assert _error(app(event, lambda_context)) == (503, "SECRET_UNAVAILABLE")


def _partner_call(nonce: str) -> dict[str, Any]:
    event = load_event("api_gateway_report")
    path = "/partners/acme/campaigns/demo/settlement"
    event.update(resource="/partners/{partner_id}/campaigns/{campaign_id}/settlement", path=path,
                 pathParameters={"partner_id": "acme", "campaign_id": "demo"})
    event["requestContext"].update(resourcePath=event["resource"], path=f"/prod{path}")
    signed = {"X-Api-Key": "pk-acme", "X-Timestamp": "1700000000", "X-Nonce": nonce,
              "X-Signature": "00"}
    event["headers"].update(signed)
    event["multiValueHeaders"].update({k: [v] for k, v in signed.items()})
    return event


@pytest.mark.parametrize(("stored", "expected"), [
    (None, (503, "SECRET_UNAVAILABLE")),           # the secret is gone
    ("[1, 2]", (503, "SECRET_UNAVAILABLE")),       # not the JSON object operators must put
    ("{}", (401, "SIGNATURE_INVALID")),            # the stack's initial value: no partner yet
], ids=["missing", "not-an-object", "empty-object"])
def test_the_console_answers_503_when_the_partner_keys_are_unreadable(
    secrets_only: Any, monkeypatch: pytest.MonkeyPatch, lambda_context: Any,
    stored: str | None, expected: tuple[int, str],
) -> None:
    from functions.console.app import app

    arn = MISSING_ARN if stored is None else secrets_only.create_secret(
        Name="partner-keys", SecretString=stored)["ARN"]
    monkeypatch.setenv("MGAMES_PARTNER_KEYS_ARN", arn)
    assert _error(app(_partner_call("nonce-0001"), lambda_context)) == expected


# --- bounded clients ----------------------------------------------------------------------


def _worst_case_seconds(config: Any) -> float:
    """Attempts x (connect + read) + standard-mode backoff (under 2**i s before retry i+1)."""
    attempts = config.retries["total_max_attempts"]
    backoff = sum(2**i for i in range(attempts - 1))
    return float(attempts * (config.connect_timeout + config.read_timeout) + backoff)


def test_the_dynamodb_client_cannot_outlive_the_function(offline_aws_env: dict[str, str]) -> None:
    from plugins.store import bind_table, dynamodb_client

    bind_table()
    config = dynamodb_client().meta.config
    assert config.retries["mode"] == "standard"
    assert (config.connect_timeout, config.read_timeout) == (1, 1)
    assert config.retries["total_max_attempts"] == 3
    assert _worst_case_seconds(config) < TIMEOUT_SECONDS


def test_every_request_gives_up_on_dynamodb_before_the_function_times_out(
        offline_aws_env: dict[str, str]) -> None:
    # no attempt starts after the deadline; the one under way ends within its timeouts, and
    # a backoff botocore chose before it (standard mode: under 2**(attempt-1) s) may overrun it
    from plugins.store import client_settings

    settings = client_settings(None)
    backoff = 2 ** (settings.max_attempts - 2)
    overrun = settings.connect_timeout + settings.read_timeout + backoff
    assert settings.deadline + overrun < TIMEOUT_SECONDS


def test_a_local_endpoint_gets_a_patient_client(offline_aws_env: dict[str, str]) -> None:
    # moto applies one request at a time: behind a rush, a call waits seconds without hanging
    from plugins.store import bind_table, dynamodb_client

    try:
        bind_table(host="http://127.0.0.1:8001")
        assert dynamodb_client().meta.config.read_timeout >= 30
    finally:
        bind_table()
    assert dynamodb_client().meta.config.read_timeout == 1


def test_the_secrets_manager_client_cannot_outlive_the_function(secrets_only: Any) -> None:
    from plugins.secret_store import provider

    config: Any = provider().client.meta.config  # botocore sets options the stubs do not declare
    assert config.retries["mode"] == "standard"
    assert (config.connect_timeout, config.read_timeout) == (1, 1)
    assert config.retries["total_max_attempts"] == 3
    assert _worst_case_seconds(config) < TIMEOUT_SECONDS


def test_a_partners_webhook_secret_is_created_once_and_the_worker_reads_it(
        secrets_only: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from plugins.webhooks.party_secrets import party_secret
    from plugins.webhooks.signing import endpoint_secrets, parse_secrets

    monkeypatch.delenv("MGAMES_WEBHOOK_SECRETS", raising=False)
    first = party_secret("demo", "cafe")
    assert first.startswith("whsec_") and party_secret("demo", "cafe") == first  # not replaced
    ref = "mgames/webhooks/parties/cafe/demo"
    assert secrets_only.get_secret_value(SecretId=ref)["SecretString"] == first
    assert endpoint_secrets(ref, 0) == parse_secrets(first)
    assert party_secret("demo", "gym") != first

"""Rotating a party's webhook secret, against Secrets Manager's mock (as deployed) and against the
local vault (the local stack, the functional tests) alike: the previous secret signs until the
grace ends; rotations racing on one version leave exactly one winner and every secret answered
in the chain (none overwritten unseen); a retried key answers the same secret; the worker still
reads the secret once per five minutes, whatever it holds."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import partial
from typing import Any

import boto3
import pytest
from moto import mock_aws

from plugins.clock import utc_now
from plugins.errors import ConflictError, WebhookSecretNotFoundError
from plugins.webhooks.party_secrets import LOCAL, Rotated, party_secret, rotate, secret_ref, vault
from plugins.webhooks.signing import endpoint_secrets, parse_secrets

REF = secret_ref("demo", "cafe")
HOUR = timedelta(hours=1)


@pytest.fixture(params=["secrets-manager", "local"])
def store(request: pytest.FixtureRequest, offline_aws_env: dict[str, str],
          monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from plugins import secret_store

    secret_store.provider.cache_clear()
    LOCAL.clear()
    if request.param == "local":
        monkeypatch.setenv("MGAMES_WEBHOOK_SECRETS", "{}")
        yield request.param
    else:
        monkeypatch.delenv("MGAMES_WEBHOOK_SECRETS", raising=False)
        with mock_aws():
            yield request.param
    secret_store.provider.cache_clear()
    LOCAL.clear()


def keys_at(offset: timedelta) -> list[bytes]:
    return endpoint_secrets(REF, int((utc_now() + offset).timestamp()))


def test_the_previous_secret_signs_until_the_grace_ends(store: str) -> None:
    from plugins import secret_store

    with pytest.raises(WebhookSecretNotFoundError):
        rotate(REF, "rotate-0001", utc_now(), HOUR)
    old = party_secret("demo", "cafe")
    assert party_secret("demo", "cafe") == old and keys_at(timedelta(0)) == parse_secrets(old)  # read, kept
    rotated = rotate(REF, "rotate-0001", utc_now(), HOUR)
    assert party_secret("demo", "cafe") == rotated.secret  # an endpoints write answers the new one
    secret_store.provider.cache_clear()  # the worker's five minutes are over
    both = parse_secrets(f"{rotated.secret} {old}")
    assert keys_at(timedelta(0)) == both and keys_at(HOUR - timedelta(seconds=5)) == both
    assert keys_at(HOUR + timedelta(seconds=5)) == parse_secrets(rotated.secret)


def test_a_retried_key_answers_the_same_secret(store: str) -> None:
    party_secret("demo", "cafe")
    first = rotate(REF, "rotate-0001", utc_now(), HOUR)
    assert rotate(REF, "rotate-0001", utc_now(), HOUR) == first
    assert rotate(REF, "rotate-0002", utc_now(), HOUR).secret != first.secret


def race(calls: list[Callable[[], Rotated]], meet: int) -> list[Rotated | Exception]:
    """Run `calls` at once, each reading the current version before any of them writes."""
    barrier, current = threading.Barrier(meet), type(vault()).current

    def read_then_wait(self: Any, ref: str) -> Any:
        found = current(self, ref)
        barrier.wait(timeout=10)
        return found

    def outcome(call: Callable[[], Rotated]) -> Rotated | Exception:
        try:
            return call()
        except ConflictError as exc:
            return exc

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(vault()), "current", read_then_wait)
        with ThreadPoolExecutor(len(calls)) as pool:
            return list(pool.map(outcome, calls))


def test_rotations_racing_on_one_version_leave_one_winner_and_lose_no_answered_secret(store: str) -> None:
    old = party_secret("demo", "cafe")
    outcomes = race([partial(rotate, REF, f"rotate-{i:04d}", utc_now(), HOUR) for i in range(4)], 4)
    won = [o for o in outcomes if isinstance(o, Rotated)]
    assert len(won) == 1 and sum(isinstance(o, ConflictError) for o in outcomes) == 3
    assert keys_at(timedelta(0)) == parse_secrets(f"{won[0].secret} {old}")  # both answered ones sign


def test_a_key_racing_its_own_retry_answers_one_secret(store: str) -> None:
    party_secret("demo", "cafe")
    same = race([partial(rotate, REF, "rotate-0001", utc_now(), HOUR)] * 2, 2)
    assert all(isinstance(o, Rotated) for o in same) and same[0] == same[1]
    assert keys_at(timedelta(0))[0] == parse_secrets(same[0].secret)[0]  # type: ignore[union-attr]


def test_the_worker_reads_a_rotated_secret_once_per_five_minutes(
        offline_aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    from plugins import secret_store

    monkeypatch.delenv("MGAMES_WEBHOOK_SECRETS", raising=False)
    secret_store.provider.cache_clear()
    with mock_aws():
        party_secret("demo", "cafe")
        rotate(REF, "rotate-0001", utc_now(), HOUR)
        client, calls = secret_store.provider().client, []
        client.meta.events.register("before-call.secrets-manager.GetSecretValue",
                                    lambda **_: calls.append(1))
        for _ in range(50):
            assert len(keys_at(timedelta(0))) == 2
        assert len(calls) == 1
        stored = boto3.client("secretsmanager").get_secret_value(SecretId=REF)["SecretString"]
        assert set(json.loads(stored)) == {"current", "previous", "previous_until", "request"}
    secret_store.provider.cache_clear()


def test_a_rotation_costs_two_secrets_manager_calls_and_its_retry_one(
        offline_aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    from plugins import secret_store

    monkeypatch.delenv("MGAMES_WEBHOOK_SECRETS", raising=False)
    secret_store.provider.cache_clear()
    with mock_aws():
        calls: list[str] = []
        secret_store.provider().client.meta.events.register(
            "before-call.secrets-manager.*", lambda model, **_: calls.append(model.name))
        party_secret("demo", "cafe")
        assert calls == ["CreateSecret"]
        for expected in (["GetSecretValue", "PutSecretValue"], ["GetSecretValue"]):  # then a retry
            calls.clear()
            rotate(REF, "rotate-0001", utc_now(), HOUR)
            assert calls == expected
    secret_store.provider.cache_clear()

"""The signed player identity: HS256 tokens, and where the secret comes from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from plugins.antifraud import Player, mint_token, token_secret, verify_token
from plugins.errors import SecretUnavailableError, TokenInvalidError

SECRET = "unit-secret-0123456789abcdef0123456789"
NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)


def encode(claims: dict[str, Any], secret: str = SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, secret, algorithm=algorithm)


def invalid(token: str, match: str | None = None, *, now: datetime = NOW) -> None:
    with pytest.raises(TokenInvalidError, match=match) as caught:
        verify_token(token, SECRET, now=now)
    assert caught.value.code == "TOKEN_INVALID"
    assert caught.value.status == 401


def test_mint_then_verify_gives_back_member_and_device() -> None:
    token = mint_token("alice", SECRET, "phone-1", now=NOW)
    assert verify_token(token, SECRET, now=NOW, ip="10.1.2.3") == Player("alice", "phone-1", "10.1.2.3")


def test_a_token_without_device_names_no_device() -> None:
    token = mint_token("bob", SECRET, now=NOW)
    assert verify_token(token, SECRET, now=NOW) == Player("bob", None, None)
    assert "dev" not in jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_exp": False})


def test_minted_tokens_are_hs256_with_expiry() -> None:
    token = mint_token("alice", SECRET, now=NOW, ttl=timedelta(minutes=5))
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_exp": False})
    assert claims["exp"] == int((NOW + timedelta(minutes=5)).timestamp())
    assert claims["sub"] == "alice"


def test_an_expired_token_is_rejected() -> None:
    token = mint_token("alice", SECRET, now=NOW, ttl=timedelta(hours=2))
    last_second = NOW + timedelta(hours=2) - timedelta(seconds=1)
    assert verify_token(token, SECRET, now=last_second).member_id == "alice"
    invalid(token, "expired", now=NOW + timedelta(hours=2))
    invalid(token, "expired", now=NOW + timedelta(days=1))


def test_expiry_is_judged_by_the_injected_clock_not_the_wall_clock() -> None:
    """A token minted long ago still passes at a `now` before its expiry (tests move the clock)."""
    old = datetime(2020, 1, 1, tzinfo=UTC)
    token = mint_token("alice", SECRET, now=old)
    assert verify_token(token, SECRET, now=old + timedelta(minutes=1)).member_id == "alice"
    invalid(token, "expired", now=NOW)


def test_a_token_signed_with_another_secret_is_rejected() -> None:
    forged = mint_token("alice", "another-secret-0123456789abcdef012345", now=NOW)
    invalid(forged, "not valid")


def test_a_tampered_payload_is_rejected() -> None:
    header, _, signature = mint_token("alice", SECRET, now=NOW).split(".")
    _, payload, _ = encode({"sub": "mallory", "exp": NOW + timedelta(hours=1)}).split(".")
    invalid(f"{header}.{payload}.{signature}", "not valid")


def test_an_unsigned_alg_none_token_is_rejected() -> None:
    # alg "none" takes no key: None, which PyJWT's annotation of `key` does not allow
    unsigned = jwt.encode({"sub": "alice", "exp": NOW + timedelta(hours=1)}, None,  # type: ignore[arg-type]
                          algorithm="none")
    assert unsigned.endswith(".")
    invalid(unsigned, "not valid")


def test_another_algorithm_with_the_right_secret_is_rejected() -> None:
    claims = {"sub": "alice", "exp": NOW + timedelta(hours=1)}
    long_secret = SECRET * 2
    with pytest.raises(TokenInvalidError, match="not valid"):
        verify_token(encode(claims, long_secret, algorithm="HS512"), long_secret, now=NOW)


def test_a_token_without_sub_is_rejected() -> None:
    invalid(encode({"exp": NOW + timedelta(hours=1), "dev": "phone"}), "sub")


def test_a_token_without_exp_is_rejected() -> None:
    invalid(encode({"sub": "alice"}), "exp")


@pytest.mark.parametrize("member", ["al#ice", "#", "", "x" * 65], ids=["hash", "only-hash", "empty", "long"])
def test_a_member_id_unfit_for_a_key_is_rejected(member: str) -> None:
    invalid(encode({"sub": member, "exp": NOW + timedelta(hours=1)}))


def test_a_non_string_member_id_is_rejected() -> None:
    token = jwt.api_jws.encode(
        b'{"sub": 42, "exp": %d}' % int((NOW + timedelta(hours=1)).timestamp()), SECRET, algorithm="HS256"
    )
    invalid(token)


def test_a_device_id_too_long_is_rejected() -> None:
    invalid(encode({"sub": "alice", "dev": "d" * 129, "exp": NOW + timedelta(hours=1)}), "device")


@pytest.mark.parametrize("garbage", ["", "not-a-token", "a.b.c", "Bearer x.y.z"])
def test_garbage_is_rejected(garbage: str) -> None:
    invalid(garbage)


# --- the secret ---------------------------------------------------------------------------------


def test_the_secret_comes_from_the_environment_first(monkeypatch: pytest.MonkeyPatch) -> None:
    import plugins.secret_store as secret_store

    def never(*_: Any, **__: Any) -> str:
        raise AssertionError("Secrets Manager must not be asked when MGAMES_TOKEN_SECRET is set")

    monkeypatch.setattr(secret_store, "read_secret", never)
    monkeypatch.setenv("MGAMES_TOKEN_SECRET", "from-env")
    monkeypatch.setenv("MGAMES_TOKEN_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:1:secret:t")
    assert token_secret() == "from-env"


def test_the_secret_falls_back_to_the_stacks_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    import plugins.secret_store as secret_store

    asked: list[str] = []

    def fake(secret_id: str) -> str:
        asked.append(secret_id)
        return "from-secrets-manager"

    monkeypatch.setattr(secret_store, "read_secret", fake)
    monkeypatch.delenv("MGAMES_TOKEN_SECRET", raising=False)
    monkeypatch.setenv("MGAMES_TOKEN_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:1:secret:t")
    assert token_secret() == "from-secrets-manager"
    assert asked == ["arn:aws:secretsmanager:us-east-1:1:secret:t"]


@pytest.mark.parametrize("empty", [None, ""], ids=["unset", "empty"])
def test_without_any_secret_the_error_says_what_to_set(
    monkeypatch: pytest.MonkeyPatch, empty: str | None
) -> None:
    for name in ("MGAMES_TOKEN_SECRET", "MGAMES_TOKEN_SECRET_ARN"):
        if empty is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, empty)
    with pytest.raises(SecretUnavailableError, match="set MGAMES_TOKEN_SECRET or MGAMES_TOKEN_SECRET_ARN"):
        token_secret()

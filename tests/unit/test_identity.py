"""Signed identities in two trust domains: PyJWT's own checks, key rings and rotation, roles.

Times are PyJWT's: it reads the real clock, which these tests freeze (time-machine) rather than
re-implement the checks."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
import time_machine

from infra.cli import main
from plugins.errors import ForbiddenError, SecretUnavailableError, TokenInvalidError
from plugins.identity.callers import Operator, Player
from plugins.identity.keys import KeyRing, key_ring
from plugins.identity.tokens import (
    OPERATORS,
    PLAYERS,
    decode,
    identify,
    identify_operator,
    mint,
    mint_operator,
    mint_player,
)

NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
OLD, NEW = "old-key-0123456789abcdef0123456789", "new-key-0123456789abcdef0123456789"
RING = KeyRing.parse(json.dumps({"current": "k2", "k1": OLD, "k2": NEW}))
CONSOLE = KeyRing.parse("console-key-0123456789abcdef012345")


@pytest.fixture(autouse=True)
def rings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MGAMES_PLAYER_KEYS", json.dumps({"current": "k2", "k1": OLD, "k2": NEW}))
    monkeypatch.setenv("MGAMES_CONSOLE_KEYS", "console-key-0123456789abcdef012345")


def player_claims(**changes: Any) -> dict[str, Any]:
    claims = {"sub": "alice", "iss": PLAYERS.issuer, "aud": PLAYERS.audience,
              "iat": int(NOW.timestamp()), "exp": int((NOW + timedelta(hours=1)).timestamp())}
    return {k: v for k, v in (claims | changes).items() if v is not None}


def signed(claims: dict[str, Any] | bytes, secret: str = NEW, kid: str | None = "k2",
           algorithm: str = "HS256") -> str:
    headers = {"kid": kid} if kid else None
    if isinstance(claims, bytes):  # claims JSON cannot express (NaN, Infinity): raw JWS
        return jwt.api_jws.encode(claims, secret, algorithm=algorithm, headers=headers)
    return jwt.encode(claims, secret, algorithm=algorithm, headers=headers)


def invalid(token: str, match: str | None = None) -> None:
    with pytest.raises(TokenInvalidError, match=match) as caught:
        identify(token)
    assert (caught.value.status, caught.value.code) == (401, "TOKEN_INVALID")


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_a_player_token_round_trips_with_its_domain_and_key_id() -> None:
    token = mint_player("alice", now=NOW, device_id="phone-1", registered_at=NOW - timedelta(days=3))
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "kid": "k2", "typ": "JWT"}
    claims = decode(PLAYERS, token)
    assert (claims["iss"], claims["aud"]) == ("mgames:brand-login", "mgames:player")
    assert identify(token, ip="10.1.2.3") == Player("alice", "phone-1", "10.1.2.3",
                                                     NOW - timedelta(days=3))
    assert "dev" not in decode(PLAYERS, mint_player("bob", now=NOW))


def test_expiry_and_not_before_are_pyjwts_with_a_minute_of_leeway(frozen: Any) -> None:
    token = mint_player("alice", now=NOW, ttl=timedelta(hours=2))
    frozen.move_to(NOW + timedelta(hours=2, seconds=59))
    assert identify(token) == Player("alice")
    frozen.move_to(NOW + timedelta(hours=2, seconds=61))
    invalid(token, "expired")
    frozen.move_to(NOW)
    later = signed(player_claims(nbf=int((NOW + timedelta(minutes=5)).timestamp())))
    invalid(later, "not yet valid")
    frozen.move_to(NOW + timedelta(minutes=5))
    assert identify(later) == Player("alice")


def test_a_token_issued_in_the_future_is_refused() -> None:
    invalid(signed(player_claims(iat=int((NOW + timedelta(minutes=5)).timestamp()))), "not yet valid")


@pytest.mark.parametrize("raw", [
    b'{"sub":"alice","iss":"mgames:brand-login","aud":"mgames:player","iat":1,"exp":NaN}',
    b'{"sub":"alice","iss":"mgames:brand-login","aud":"mgames:player","iat":1,"exp":Infinity}',
    b'{"sub":"alice","iss":"mgames:brand-login","aud":"mgames:player","iat":"abc","exp":9999999999}',
    b'{"sub":"alice","iss":"mgames:brand-login","aud":"mgames:player","iat":[1],"exp":9999999999}',
    b'{"sub":"alice","iss":"mgames:brand-login","aud":"mgames:player","iat":1,"exp":9999999999,'
    b'"nbf":"soon"}',
    b'{"sub":42,"iss":"mgames:brand-login","aud":"mgames:player","iat":1,"exp":9999999999}',
    b'{"sub":"alice","iss":"mgames:brand-login","aud":"mgames:player","iat":1,"exp":9999999999,'
    b'"reg":"yesterday"}',
], ids=["exp-nan", "exp-infinity", "iat-text", "iat-list", "nbf-text", "sub-number", "reg-text"])
def test_malformed_claims_are_401_never_500(raw: bytes) -> None:
    invalid(signed(raw))


@pytest.mark.parametrize("missing", ["sub", "iss", "aud", "iat", "exp"])
def test_every_registered_claim_is_required(missing: str) -> None:
    invalid(signed(player_claims(**{missing: None})), missing)


@pytest.mark.parametrize(("changes", "match"), [
    ({"iss": "someone-else"}, "issuer"),
    ({"aud": "mgames:other"}, "Audience"),
    ({"aud": ["mgames:player", "mgames:console"]}, "claim format"),
])
def test_another_issuer_or_audience_is_refused(changes: dict[str, Any], match: str) -> None:
    invalid(signed(player_claims(**changes)), match)


@pytest.mark.parametrize("member", ["al#ice", "", "x" * 65], ids=["hash", "empty", "long"])
def test_a_member_id_unfit_for_a_key_is_refused(member: str) -> None:
    invalid(signed(player_claims(sub=member)), "sub")


def test_forged_tampered_unsigned_and_other_algorithms_are_refused() -> None:
    invalid(signed(player_claims(), secret="forged-0123456789abcdef0123456789"), "Signature")
    header, _, signature = mint_player("alice", now=NOW).split(".")
    _, payload, _ = signed(player_claims(sub="mallory")).split(".")
    invalid(f"{header}.{payload}.{signature}", "Signature")
    unsigned = jwt.encode(player_claims(), None, algorithm="none",  # type: ignore[arg-type]
                          headers={"kid": "k2"})
    invalid(unsigned)
    invalid(signed(player_claims(), secret=NEW * 2, algorithm="HS512"), "alg value")


@pytest.mark.parametrize("garbage", ["", "not-a-token", "a.b.c", "Bearer x.y.z"])
def test_garbage_is_refused(garbage: str) -> None:
    invalid(garbage)


def test_during_a_rotation_old_and_new_keys_verify_and_then_only_the_new(
        monkeypatch: pytest.MonkeyPatch) -> None:
    by_old = signed(player_claims(), secret=OLD, kid="k1")
    by_new = mint_player("alice", now=NOW)
    assert identify(by_old) == identify(by_new) == Player("alice")
    monkeypatch.setenv("MGAMES_PLAYER_KEYS", json.dumps({"current": "k2", "k2": NEW}))
    assert identify(by_new) == Player("alice")
    invalid(by_old, "key")
    invalid(signed(player_claims(), kid=None), "key")
    invalid(signed(player_claims(), secret=OLD, kid="k2"), "Signature")


def test_an_operator_credential_is_verified_with_the_console_ring_only() -> None:
    credential = mint_operator("sam", "staff", now=NOW, stores=("S1",), campaigns=("demo",))
    assert identify(credential) == Operator("sam", "staff", frozenset({"S1"}), frozenset({"demo"}))
    assert identify_operator(credential).role == "staff"
    with pytest.raises(TokenInvalidError):  # the player ring's signature on a console claim set
        identify(mint(OPERATORS, RING, {"sub": "sam", "role": "admin"}, now=NOW,
                      ttl=timedelta(hours=1)))
    with pytest.raises(TokenInvalidError):  # the console ring's signature on a player claim set
        identify(mint(PLAYERS, CONSOLE, {"sub": "alice"}, now=NOW, ttl=timedelta(hours=1)))


def test_the_console_refuses_a_player_token_with_403() -> None:
    with pytest.raises(ForbiddenError):
        identify_operator(mint_player("alice", now=NOW))
    with pytest.raises(TokenInvalidError):
        identify_operator("not-a-token")


@pytest.mark.parametrize("claims", [{"role": "root"}, {"role": 7}, {"stores": "S1"},
                                    {"campaigns": [1]}, {"stores": ["s"] * 101}])
def test_an_operator_with_an_unknown_role_or_bad_bindings_is_refused(claims: dict[str, Any]) -> None:
    token = mint(OPERATORS, CONSOLE, {"sub": "sam", "role": "staff"} | claims, now=NOW,
                 ttl=timedelta(hours=1))
    invalid(token)


# --- key rings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "match"), [
    ('{"k1": "' + OLD + '"}', "current"),
    ('{"current": "k9", "k1": "' + OLD + '"}', "missing"),
    ('{"current": "k1", "k1": "short"}', "32 characters"),
    ("{not json", "JSON"),
    ("short", "32 characters"),
])
def test_a_ring_that_cannot_serve_is_503(text: str, match: str) -> None:
    with pytest.raises(SecretUnavailableError, match=match):
        KeyRing.parse(text)


def test_the_ring_comes_from_the_variable_first_then_secrets_manager(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import plugins.secret_store as secret_store

    asked: list[str] = []

    def fake(secret_id: str) -> str:
        asked.append(secret_id)
        return json.dumps({"current": "k7", "k7": NEW})

    monkeypatch.setattr(secret_store, "read_secret", fake)
    monkeypatch.setenv("MGAMES_PLAYER_KEYS_ARN", "arn:aws:secretsmanager:us-east-1:1:secret:p")
    assert key_ring("MGAMES_PLAYER_KEYS").current == "k2" and asked == []
    monkeypatch.delenv("MGAMES_PLAYER_KEYS")
    assert key_ring("MGAMES_PLAYER_KEYS") == KeyRing({"k7": NEW}, "k7")
    assert asked == ["arn:aws:secretsmanager:us-east-1:1:secret:p"]
    monkeypatch.delenv("MGAMES_PLAYER_KEYS_ARN")
    with pytest.raises(SecretUnavailableError, match="set MGAMES_PLAYER_KEYS or MGAMES_PLAYER_KEYS_ARN"):
        key_ring("MGAMES_PLAYER_KEYS")


# --- mgames token ---------------------------------------------------------------------------------


def test_mgames_token_mints_players_and_bound_operators(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token", "alice", "--device", "phone-1"]) == 0
    assert identify(capsys.readouterr().out.strip()) == Player("alice", "phone-1")
    assert main(["token", "sam", "--role", "staff", "--store", "S1", "--store", "S2",
                 "--campaign", "demo"]) == 0
    assert identify(capsys.readouterr().out.strip()) == Operator(
        "sam", "staff", frozenset({"S1", "S2"}), frozenset({"demo"}))
    # a usage error: one line on stderr, exit status 2, no token
    assert main(["token", "sam", "--store", "S1"]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", "error: --store and --campaign bind an operator: add --role\n")

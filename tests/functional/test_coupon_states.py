"""Coupon states: issued, redeemed once (even under a rush), expired; redeeming a pushed
coupon frees its anti-harassment place."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import pytest

from infra.cli import main as mgames
from infra.local.dynamodb import LocalDynamoDB
from plugins.errors import CouponNotFoundError, CouponNotRedeemableError
from plugins.issuance.coupon import coupon_state, member_coupons, redeem_coupon
from plugins.store import CounterItem, keys
from tests.conftest import NOW, Apply, won_coupon


@pytest.fixture
def coupon(apply: Apply, clock: list[datetime]) -> dict[str, Any]:
    """alice wins the demo's 50-off coupon (valid 30 days)."""
    return won_coupon(apply, "coupon-50")


def test_a_won_coupon_is_issued_then_redeemed_once(coupon: dict[str, Any], clock: list[datetime]) -> None:
    [held] = member_coupons("alice")
    assert held.coupon_id == coupon["coupon_id"]
    assert coupon_state(held, clock[0]) == "issued"
    opened = CounterItem.get(keys.member("alice"), keys.HARASS_OPEN)
    assert opened.n == 1
    redeemed = redeem_coupon("alice", coupon["coupon_id"], clock[0])
    assert coupon_state(redeemed, clock[0]) == "redeemed"
    assert redeemed.redeemed_at == clock[0]
    assert CounterItem.get(keys.member("alice"), keys.HARASS_OPEN).n == 0
    with pytest.raises(CouponNotRedeemableError):
        redeem_coupon("alice", coupon["coupon_id"], clock[0])


def test_an_expired_coupon_cannot_be_redeemed(coupon: dict[str, Any], clock: list[datetime]) -> None:
    later = clock[0] + timedelta(days=31)
    [held] = member_coupons("alice")
    assert coupon_state(held, later) == "expired"
    with pytest.raises(CouponNotRedeemableError, match="expired"):
        redeem_coupon("alice", coupon["coupon_id"], later)


def test_unknown_coupon(table: str) -> None:
    with pytest.raises(CouponNotFoundError):
        redeem_coupon("alice", "nope", NOW)


def test_a_rush_of_redeems_redeems_once(coupon: dict[str, Any], clock: list[datetime]) -> None:
    saved = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)

    def attempt(_: int) -> str:
        try:
            redeem_coupon("alice", coupon["coupon_id"], clock[0])
            return "ok"
        except CouponNotRedeemableError:
            return "refused"

    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            outcomes = list(pool.map(attempt, range(16)))
    finally:
        sys.setswitchinterval(saved)
    assert outcomes.count("ok") == 1
    assert CounterItem.get(keys.member("alice"), keys.HARASS_OPEN).n == 0


def test_the_cli_lists_and_redeems(
    coupon: dict[str, Any], local_dynamodb: LocalDynamoDB, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MGAMES_TABLE", "mgames-test")
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", local_dynamodb.endpoint_url)  # restored after
    options = ["--endpoint", local_dynamodb.endpoint_url, "--table", "mgames-test"]
    assert mgames(["coupons", "alice", *options]) == 0
    listing = capsys.readouterr().out
    assert coupon["coupon_id"] in listing and "issued" in listing
    assert mgames(["coupons", "alice", "--redeem", coupon["coupon_id"], *options]) == 0
    assert "redeemed" in capsys.readouterr().out
    assert mgames(["coupons", "alice", "--redeem", coupon["coupon_id"], *options]) == 1
    assert "COUPON_NOT_REDEEMABLE" in capsys.readouterr().err

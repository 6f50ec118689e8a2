"""The wallet: the player's points balance, his ledger newest first a page at a time, and his
coupons of the campaign whatever game issued them; his own only, with a player token."""

from __future__ import annotations

from datetime import datetime, timedelta

from plugins.store import CouponItem, keys
from tests.conftest import NOW, Apply, GameClient, bearer, operator_token
from tests.functional.test_points_exchange import exchange_doc, give_points, swap


def pages(wallet: GameClient, path: str, field: str, member: str, limit: int) -> list[list[dict]]:
    """Every page of a list, following `next_cursor`."""
    found, cursor = [], None
    while True:
        query = f"?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        reply = wallet.call("GET", path + query, member=member)
        assert reply.status == 200, reply
        found.append(reply.body[field])
        cursor = reply.body["next_cursor"]
        if cursor is None:
            return found


def test_balance_ledger_and_coupons_of_every_game(apply: Apply, clock: list[datetime]) -> None:
    apply(exchange_doc())
    shop, wheel, wallet = (GameClient(g) for g in ("points-exchange", "lucky-wheel", "wallet"))
    give_points("amy", 1000)
    assert swap(shop, "amy", key="swap-amy-day0").status == 201
    clock[0] = NOW + timedelta(days=1)
    drawn = wheel.call("POST", "/campaigns/demo/draws", member="amy", key="draw-amy-0001")
    assert drawn.status == 201, drawn
    clock[0] = NOW + timedelta(days=2)
    assert swap(shop, "amy", key="swap-amy-day2").status == 201

    points = wallet.call("GET", "/campaigns/demo/points", member="amy")
    assert points.status == 200 and points.body["campaign_id"] == "demo"
    won = drawn.body["reward"] or {}
    assert points.body["points"] == 1000 - 600 + (won.get("points") or 0)

    lines = [line for page in pages(wallet, "/campaigns/demo/points/ledger", "lines", "amy", 1)
             for line in page]
    assert [line["points"] for line in lines][:1] == [-300] and lines[-1]["points"] == -300
    assert [line["at"] for line in lines] == sorted((line["at"] for line in lines), reverse=True)
    assert lines[0]["at"] == "2026-11-25T12:00:00+08:00" and lines[0]["reason"] == "demo:exchange:voucher-10"

    listed = pages(wallet, "/campaigns/demo/coupons", "coupons", "amy", 1)
    held = [coupon for page in listed for coupon in page]
    stored = CouponItem.query(keys.member("amy"), CouponItem.sk.startswith(keys.COUPON_PREFIX))
    assert sorted(c["coupon_id"] for c in held) == sorted(c.coupon_id for c in stored)
    assert [c["issued_at"] for c in held] == sorted((c["issued_at"] for c in held), reverse=True)
    voucher = held[0]
    assert (voucher["type_id"], voucher["kind"], voucher["discount"], voucher["state"]) == (
        "cash-10", "cash_voucher", "10.00", "issued")
    assert voucher["valid_until"] == "2026-12-25T12:00:00+08:00" and voucher["origin"] == "claim"


def test_the_wallet_is_the_callers_own_and_needs_a_player_token(apply: Apply) -> None:
    apply(exchange_doc())
    wallet = GameClient("wallet")
    give_points("bob", 40)
    assert wallet.call("GET", "/campaigns/demo/points", member="eve").body["points"] == 0
    anonymous = wallet.call("GET", "/campaigns/demo/points")
    assert (anonymous.status, anonymous.code) == (401, "TOKEN_MISSING")
    staff = wallet.call("GET", "/campaigns/demo/coupons",
                        headers=bearer(operator_token("sam", "staff")))
    assert (staff.status, staff.code) == (403, "FORBIDDEN")
    missing = wallet.call("GET", "/campaigns/nope/points", member="bob")
    assert (missing.status, missing.code) == (404, "CAMPAIGN_NOT_FOUND")
    forged = wallet.call("GET", "/campaigns/demo/points/ledger?cursor=bm9wZQ", member="bob")
    assert (forged.status, forged.code) == (400, "MALFORMED_REQUEST")

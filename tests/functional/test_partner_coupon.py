"""Partner coupons: the coupon center's claims (one code each, limits, quota and budget), the
issuer as a lucky-wheel prize, and error envelopes that write nothing (uploads:
test_partner_uploads.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from random import Random
from typing import Any

import pytest

from games.partner_coupon import upload_pool
from games.partner_coupon.errors import (
    PartnerNotFoundError,
)
from games.partner_coupon.items import CodeItem, TallyItem, tally_key
from games.partner_coupon.settlement import settlement, split
from plugins.campaigns.model import parse_campaign
from plugins.issuance.coupon import redeem_coupon
from plugins.runtime import runtime
from tests.conftest import NOW, Apply, GameClient, Scan, demo_doc, wheel_doc

COFFEE = {"type_id": "coffee-10", "title": "10 off coffee", "kind": "cash_voucher",
          "discount": "10.00", "face_value": "10.00", "cost": "4.00", "per_user_per_day": 1,
          "per_user_per_campaign": 2}
PARTNERS = [{"id": "cafe", "name": "Cafe Partner", "quota": 50, "budget": "100.00",
             "brand_share": "0.25", "coupons": [COFFEE]}]


def pc_doc(partners: list[dict[str, Any]] | None = None, **section: Any) -> dict[str, Any]:
    doc = demo_doc()
    doc["games"] = {"partner-coupon": {"partners": partners or PARTNERS, **section}}
    return doc


def codes(n: int, prefix: str = "CAFE") -> list[str]:
    return [f"{prefix}{i:05d}" for i in range(n)]


def load(n: int, upload: str = "up-1", type_id: str = "coffee-10") -> dict[str, Any]:
    campaign = runtime.configs.get("demo")
    return upload_pool(campaign, "cafe", type_id, upload, codes(n), NOW)


def claimed() -> list[CodeItem]:
    """The pool codes handed out (a filtered scan: the table holds every kind of item)."""
    return [c for c in CodeItem.scan(CodeItem.sk.startswith("CODE#"), consistent_read=True)
            if c.state == "claimed"]


def claim(client: GameClient, member: str, key: str | None = None,
          type_id: str = "coffee-10") -> Any:
    return client.call("POST", f"/campaigns/demo/coupons/{type_id}/claims", member=member,
                       key=key or f"claim-{member}-{type_id}")


@pytest.fixture
def pc(apply: Apply) -> GameClient:
    apply(pc_doc())
    return GameClient("partner-coupon")


def test_claim_gets_a_code_once_and_lists_it(pc: GameClient, dynamodb_calls: list[str]) -> None:
    load(10)
    dynamodb_calls.clear()
    first = claim(pc, "alice")
    assert first.status == 201, first.body
    # two reads (pool heads, the code at the head) and one transaction
    assert dynamodb_calls == ["BatchGetItem", "GetItem", "TransactWriteItems"]
    coupon = first.body["coupon"]
    assert coupon["code"].startswith("CAFE") and coupon["partner"] == "cafe"
    retry = claim(pc, "alice")
    assert retry.body == first.body and retry.headers["Idempotent-Replayed"] == "true"
    mine = pc.call("GET", "/campaigns/demo/coupons/mine", member="alice").body["coupons"]
    assert [(c["code"], c["state"], c["origin"]) for c in mine] == [(coupon["code"], "issued", "claim")]
    listed = pc.call("GET", "/campaigns/demo/coupons").body["coupons"]
    assert [(c["type_id"], c["left"], c["available"]) for c in listed] == [("coffee-10", 9, True)]
    stored = claimed()
    assert [(c.code, c.member_id) for c in stored] == [(coupon["code"], "alice")]


def test_per_user_limit_and_empty_pool(pc: GameClient, scan: Scan) -> None:
    load(2)
    assert claim(pc, "bob").status == 201
    before = scan()
    again = claim(pc, "bob", key="claim-bob-second")
    assert (again.status, again.code) == (409, "CLAIM_LIMIT_REACHED")
    assert scan() == before  # a refused claim writes nothing
    assert claim(pc, "carol").status == 201
    before = scan()
    empty = claim(pc, "dave")
    assert (empty.status, empty.code) == (409, "POOL_EMPTY")
    assert scan() == before


def test_partner_quota_and_budget_are_never_exceeded(apply: Apply, scan: Scan) -> None:
    partners = [PARTNERS[0] | {"quota": 3, "budget": "10.00"}]  # budget: 2 coupons of 4.00
    apply(pc_doc(partners))
    client = GameClient("partner-coupon")
    load(10)
    assert [claim(client, f"m{i}").status for i in range(2)] == [201, 201]
    refused = claim(client, "m2")
    assert (refused.status, refused.code) == (409, "PARTNER_EXHAUSTED")
    tally = TallyItem.get(*tally_key("demo", "cafe"))
    assert (int(tally.issued), int(tally.cost)) == (2, 800)
    assert len(claimed()) == 2


def test_errors_use_the_envelope_and_write_nothing(pc: GameClient, scan: Scan) -> None:
    load(3)
    before = scan()
    cases = [
        (claim(pc, "eve", type_id="no-such"), 404, "COUPON_TYPE_NOT_FOUND"),
        (pc.call("POST", "/campaigns/demo/coupons/coffee-10/claims", member="eve"), 400,
         "IDEMPOTENCY_KEY_MISSING"),
        (pc.call("POST", "/campaigns/demo/coupons/coffee-10/claims", key="k-0000001"), 401,
         "TOKEN_MISSING"),
        (pc.call("POST", "/campaigns/demo/coupons/coffee-10/claims", member="eve",
                 key="k-0000002", body={"nope": 1}), 400, "MALFORMED_REQUEST"),
        (pc.call("GET", "/campaigns/nowhere/coupons"), 404, "CAMPAIGN_NOT_FOUND"),
    ]
    for reply, status, code in cases:
        assert (reply.status, reply.code) == (status, code), reply.body
        assert set(reply.body) == {"error"}
    assert scan() == before


def test_game_not_enabled_is_404(apply: Apply) -> None:
    apply(wheel_doc())  # a campaign without a partner-coupon section
    reply = GameClient("partner-coupon").call("GET", "/campaigns/demo/coupons")
    assert (reply.status, reply.code) == (404, "GAME_NOT_ENABLED")


def test_partner_coupon_as_a_lucky_wheel_prize(apply: Apply, monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a wheel whose likeliest prize is a partner coupon, and a pool of 2 codes
    doc = pc_doc()
    wheel = demo_doc()["games"]["lucky-wheel"]
    del wheel["odds_by_tier"]
    wheel["prizes"] = [{"id": "partner", "name": "Cafe coupon", "weight": 1000, "stock": 5,
                        "value": "10.00", "cost": "1.00",
                        "reward": {"type": "partner-coupon", "partner": "cafe",
                                   "type_id": "coffee-10"}},
                       {"id": "thanks", "name": "Thanks", "weight": 1, "value": "0.00"}]
    doc["games"]["lucky-wheel"] = wheel
    apply(doc)
    load(2)
    client = GameClient("lucky-wheel")
    monkeypatch.setattr(runtime, "rng", Random(7))
    # WHEN 4 members spin
    replies = [client.call("POST", "/campaigns/demo/draws", member=f"w{i}", key=f"draw-{i:04d}")
               for i in range(4)]
    # THEN the pool's 2 codes are won once each and the later spins fall back
    assert [r.status for r in replies] == [201] * 4
    won = [r.body["reward"]["code"] for r in replies if r.body["prize"]["id"] == "partner"]
    assert sorted(won) == ["CAFE00000", "CAFE00001"]
    assert sum(r.body["fallback"] for r in replies) == 2
    taken = sorted((c.code, c.member_id) for c in claimed())
    assert [code for code, _ in taken] == sorted(won) and len({m for _, m in taken}) == 2
    mine = GameClient("partner-coupon").call("GET", "/campaigns/demo/coupons/mine", member="w0")
    assert [c["origin"] for c in mine.body["coupons"]] == ["award"]


def test_settlement_counts_states_and_splits_cost(pc: GameClient, clock: list[datetime]) -> None:
    load(10)
    coupons = [claim(pc, f"s{i}").body["coupon"]["coupon_id"] for i in range(3)]
    redeem_coupon("s0", coupons[0], clock[0])
    clock[0] = clock[0] + timedelta(days=31)  # valid_days 30: the others expire
    report = settlement(runtime.configs.get("demo"), "cafe", clock[0])
    assert (report["issued"], report["redeemed"], report["expired"], report["open"]) == (3, 1, 2, 0)
    assert report["by_type"] == {"coffee-10": {"issued": 3, "redeemed": 1, "expired": 2}}
    # 3 x 4.00 issued, brand_share 0.25
    assert report["cost_issued"] == {"total": "12.00", "brand": "3.00", "partner": "9.00"}
    assert report["cost_redeemed"] == {"total": "4.00", "brand": "1.00", "partner": "3.00"}
    assert report["tally"] == {"issued": 3, "cost": "12.00"}
    with pytest.raises(PartnerNotFoundError):
        settlement(runtime.configs.get("demo"), "nobody", clock[0])


def test_split_rounds_half_up_and_adds_up() -> None:
    assert split(333, Decimal("0.5")) == {"total": "3.33", "brand": "1.67", "partner": "1.66"}
    assert split(100, Decimal("0")) == {"total": "1.00", "brand": "0.00", "partner": "1.00"}


DEMO_SECTION = {
    "center_title": "领券中心",
    "partners": [
        {
            "id": "cafe",
            "name": "Corner Cafe",
            "quota": 500,
            "budget": 1000.0,
            "brand_share": 0.3,
            "coupons": [
                {
                    "type_id": "cafe-latte",
                    "title": "10 off any latte",
                    "kind": "cash_voucher",
                    "discount": 10.0,
                    "face_value": 10.0,
                    "cost": 2.0,
                    "valid_days": 30,
                    "per_user_per_day": 1,
                    "per_user_per_campaign": 2,
                    "supply": "pool"
                }
            ]
        },
        {
            "id": "cinema",
            "name": "Star Cinema",
            "quota": 200,
            "budget": 1200.0,
            "brand_share": 0.5,
            "coupons": [
                {
                    "type_id": "cinema-ticket",
                    "title": "20 off a ticket over 60",
                    "kind": "full_reduction",
                    "threshold": 60.0,
                    "discount": 20.0,
                    "face_value": 20.0,
                    "cost": 6.0,
                    "valid_days": 14,
                    "per_user_per_day": 1,
                    "per_user_per_campaign": 1
                }
            ]
        }
    ],
}


def test_the_demo_section_validates_and_keeps_the_budget_proven(apply: Apply) -> None:
    doc = demo_doc()
    doc["games"]["partner-coupon"] = DEMO_SECTION
    campaign = parse_campaign(doc)
    assert not campaign.budget_counted  # worst case within 8,000.00: no budget counter
    assert campaign.games["partner-coupon"].max_cost() == Decimal("900.00")
    apply(doc)
    listed = GameClient("partner-coupon").call("GET", "/campaigns/demo/coupons").body
    assert [(c["type_id"], c["available"]) for c in listed["coupons"]] == [
        ("cafe-latte", False), ("cinema-ticket", False)]  # no codes uploaded yet


def test_a_partner_coupon_comes_with_each_red_packet_grab(apply: Apply) -> None:
    from tests.functional.test_red_packet import SECTION, grab, order

    # GIVEN red packets that hand out the cafe's coupon with every grab, and 2 pool codes
    doc = pc_doc()
    doc["games"]["red-packet"] = SECTION | {"coupon": {"type": "partner-coupon", "partner": "cafe",
                                                      "type_id": "coffee-10"}}
    apply(doc)
    load(2)
    packet = order(GameClient("red-packet"), "ord-pc-1", "sharer", "300.00").body["packet_id"]
    # WHEN three friends grab
    replies = [grab(GameClient("red-packet"), packet, f"friend-{i}") for i in range(3)]
    # THEN each grab succeeds; the first two come with one pool code each, the third none
    assert [r.status for r in replies] == [201] * 3
    codes_won = sorted(c.code for c in claimed())
    assert codes_won == ["CAFE00000", "CAFE00001"]
    holders = sorted(c.member_id for c in claimed())
    assert holders == ["friend-0", "friend-1"]

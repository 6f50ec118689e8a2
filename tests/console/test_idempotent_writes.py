"""Staff verification, coupon and partner redemptions and marketer writes are idempotent per
`Idempotency-Key`: the retry of a write whose answer was lost gets the first success (same
status and body, `Idempotent-Replayed: true`) and writes nothing more; the same key with
another body is refused; the record costs no extra round trip."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from plugins.errors import ServiceUnavailableError
from plugins.store import dynamodb_client
from tests.conftest import Apply, GameClient, Scan, demo_doc, won_coupon
from tests.console import test_partners
from tests.console.conftest import Console, auth, code_of
from tests.console.test_partners import BASE, Partners, claim, csv
from tests.functional.test_booking import SECTION

partners = test_partners.partners


def staff(key: str) -> dict[str, str]:
    return auth("staff", "sam") | {"idempotency-key": key}


def marketer(key: str) -> dict[str, str]:
    return auth("marketer") | {"idempotency-key": key}


def assert_replayed(first: Any, again: Any) -> None:
    assert first.status_code in (200, 201), first.data
    assert first.headers["Idempotent-Replayed"] == "false"
    assert (again.status_code, again.data) == (first.status_code, first.data)
    assert again.headers["Idempotent-Replayed"] == "true"


@contextmanager
def answer_lost_once() -> Iterator[list[str]]:
    """The next transaction is applied by DynamoDB, and its answer lost on the way back."""
    lost: list[str] = []

    def drop(model: Any, **_: Any) -> None:
        if not lost:
            lost.append(model.name)
            raise ServiceUnavailableError("the answer was lost")

    events = dynamodb_client().meta.events
    events.register_first("after-call.dynamodb.TransactWriteItems", drop)
    try:
        yield lost
    finally:
        events.unregister("after-call.dynamodb.TransactWriteItems", drop)


def booked_code(apply: Apply | None, member: str = "ann") -> str:
    if apply is not None:
        apply(demo_doc(games={"booking": SECTION}))
    booked = GameClient("booking").call("POST", "/campaigns/demo/bookings", member=member,
                                        body={"day": "2026-11-23"}, key=f"bk-{member}-01")
    assert booked.status == 201, booked.body
    return str(booked.body["code"])


def test_a_lost_pick_up_answer_is_answered_again(console: Console, apply: Apply, scan: Scan,
                                                 dynamodb_calls: list[str]) -> None:
    # GIVEN staff verified a pick-up and the answer never reached the till
    body = {"campaign_id": "demo", "code": booked_code(apply)}
    dynamodb_calls.clear()
    first = console.call("POST", "/bookings/verify", body=body, headers=staff("pickup-0001"))
    # the record is part of the verify's own transaction: one read, one write
    assert dynamodb_calls == ["GetItem", "TransactWriteItems"]
    items = scan()
    # WHEN the till retries with the same key
    again = console.call("POST", "/bookings/verify", body=body, headers=staff("pickup-0001"))
    # THEN it gets the first success, not ALREADY_PICKED_UP, and nothing more is written
    assert_replayed(first, again)
    assert scan() == items
    # a new key is a new verify: the booking is picked up already
    other = console.call("POST", "/bookings/verify", body=body, headers=staff("pickup-0002"))
    assert (other.status_code, code_of(other)) == (409, "ALREADY_PICKED_UP")
    # the same key for another booking's code is refused, and that booking left as it was
    bob = {"campaign_id": "demo", "code": booked_code(None, "bob")}
    reused = console.call("POST", "/bookings/verify", body=bob, headers=staff("pickup-0001"))
    assert (reused.status_code, code_of(reused)) == (422, "IDEMPOTENCY_KEY_REUSED")
    assert console.call("POST", "/bookings/verify", body=bob, role="staff").status_code == 200


def test_a_pick_up_whose_dynamodb_answer_was_lost_is_retried_safely(apply: Apply) -> None:
    # GIVEN the verify's transaction committed but its answer was lost: 503 to staff
    code = booked_code(apply)
    bk = GameClient("booking")
    sam = {"authorization": auth("staff", "sam")["authorization"], "idempotency-key": "pickup-0003"}
    with answer_lost_once() as lost:
        first = bk.call("POST", "/campaigns/demo/verifications", body={"code": code}, headers=sam)
    assert lost and first.status == 503 and first.headers["Retry-After"] == "1"
    # WHEN staff retry as told, THEN the pick-up is theirs, replayed
    again = bk.call("POST", "/campaigns/demo/verifications", body={"code": code}, headers=sam)
    assert again.status == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert (again.body["state"], again.body["verified_by"]) == ("picked_up", "sam")
    reused = bk.call("POST", "/campaigns/demo/verifications", body={"code": booked_code(None, "bob")},
                     headers=sam)
    assert (reused.status, reused.code) == (422, "IDEMPOTENCY_KEY_REUSED")


def test_a_lost_coupon_redemption_answer_is_answered_again(console: Console, apply: Apply,
                                                           dynamodb_calls: list[str]) -> None:
    coupon_id = won_coupon(apply)["coupon_id"]
    body = {"member_id": "alice", "coupon_id": coupon_id, "store_id": "sh-01"}
    dynamodb_calls.clear()
    first = console.call("POST", "/coupons/verify", body=body, headers=staff("redeem-0001"))
    assert dynamodb_calls == ["GetItem", "TransactWriteItems"]
    again = console.call("POST", "/coupons/verify", body=body, headers=staff("redeem-0001"))
    assert_replayed(first, again)
    assert first.data["state"] == "redeemed" and first.data["verified_by"] == "sam"
    other = console.call("POST", "/coupons/verify", body=body, headers=staff("redeem-0002"))
    assert (other.status_code, code_of(other)) == (409, "COUPON_NOT_REDEEMABLE")
    bad = console.call("POST", "/coupons/verify", body=body, headers=staff("short"))
    assert (bad.status_code, code_of(bad)) == (400, "MALFORMED_REQUEST")


def test_a_redemption_key_is_bound_to_its_body(console: Console, apply: Apply) -> None:
    coupon_id = won_coupon(apply)["coupon_id"]
    done = console.call("POST", "/coupons/verify", headers=staff("redeem-0003"),
                        body={"member_id": "alice", "coupon_id": coupon_id, "store_id": "sh-01"})
    assert done.status_code == 200
    # the coupon read for the other body is the same coupon, now redeemed: its key is refused
    reused = console.call("POST", "/coupons/verify", headers=staff("redeem-0003"),
                          body={"member_id": "alice", "coupon_id": coupon_id, "store_id": "sh-01",
                                "extra": 1})
    assert (reused.status_code, code_of(reused)) == (400, "MALFORMED_REQUEST")
    wheel = GameClient("lucky-wheel")
    second = wheel.call("POST", "/campaigns/demo/draws", member="bob", key="coupon-0002")
    other_id = second.body["reward"]["coupon_id"]
    other = console.call("POST", "/coupons/verify", headers=staff("redeem-0003"),
                         body={"member_id": "bob", "coupon_id": other_id, "store_id": "sh-01"})
    assert (other.status_code, code_of(other)) == (422, "IDEMPOTENCY_KEY_REUSED")
    # bob's coupon was left as it was: redeemable under a key of its own
    assert console.call("POST", "/coupons/verify", headers=staff("redeem-0004"),
                        body={"member_id": "bob", "coupon_id": other_id,
                              "store_id": "sh-01"}).status_code == 200


def test_a_lost_partner_redemption_answer_is_answered_again(partners: Partners,
                                                            dynamodb_calls: list[str]) -> None:
    partners.upload("cafe", "coffee-10", csv("CAFE", 3))
    mine = claim("alice", "coffee-10")
    path = f"{BASE.format(partner='cafe')}/redemptions"
    body = {"member_id": "alice", "coupon_id": mine}

    def signed(key: str) -> Any:  # every call signs anew (a replayed nonce is refused)
        headers = partners.headers("POST", path, json.dumps(body).encode(), "cafe")
        return partners.call("POST", path, "cafe", body, headers | {"idempotency-key": key})

    dynamodb_calls.clear()
    first = signed("partner-redeem-1")
    # the signature's nonce, the coupon, and the redemption with its record: nothing more
    assert dynamodb_calls == ["PutItem", "GetItem", "TransactWriteItems"]
    again = signed("partner-redeem-1")
    assert_replayed(first, again)
    assert first.data["state"] == "redeemed" and first.data["code"].startswith("CAFE")
    other = signed("partner-redeem-2")
    assert (other.status_code, code_of(other)) == (409, "COUPON_NOT_REDEEMABLE")


def test_a_lost_apply_or_switch_answer_is_answered_again(console: Console, apply: Apply,
                                                         scan: Scan) -> None:
    apply()
    doc = demo_doc(name="Demo, second edition")
    first = console.call("POST", "/campaigns", body=doc, headers=marketer("apply-0001"))
    items = scan()
    again = console.call("POST", "/campaigns", body=doc, headers=marketer("apply-0001"))
    assert_replayed(first, again)
    assert first.data["version"] == 2 and scan() == items  # no third version
    reused = console.call("POST", "/campaigns", body=demo_doc(name="Another"),
                          headers=marketer("apply-0001"))
    assert (reused.status_code, code_of(reused)) == (422, "IDEMPOTENCY_KEY_REUSED")

    off = "/campaigns/demo/games/lucky-wheel/disable"
    with answer_lost_once():
        lost = console.call("POST", off, headers=marketer("switch-0001"))
    assert lost.status_code == 503 and lost.headers["Retry-After"] == "1"
    done = console.call("POST", off, headers=marketer("switch-0001"))
    assert done.status_code == 200 and done.headers["Idempotent-Replayed"] == "true"
    assert (done.data["version"], done.data["enabled"]) == (3, False)
    assert "lucky-wheel" not in done.data["games"]
    on = console.call("POST", "/campaigns/demo/games/lucky-wheel/enable",
                      headers=marketer("switch-0001"))
    assert (on.status_code, code_of(on)) == (422, "IDEMPOTENCY_KEY_REUSED")



def test_every_write_without_a_key_is_refused_and_writes_nothing(console: Console, apply: Apply,
                                                                  scan: Scan) -> None:
    # GIVEN a campaign with a booking and a won coupon
    doc = demo_doc()
    doc["games"]["booking"] = SECTION
    coupon_id = won_coupon(apply, doc=doc)["coupon_id"]
    code = booked_code(None)
    writes = [
        ("/campaigns", demo_doc(name="Keyless"), auth("marketer")),
        ("/campaigns/demo/games/lucky-wheel/disable", None, auth("marketer")),
        ("/campaigns/demo/games/lucky-wheel/enable", None, auth("admin")),
        ("/bookings/verify", {"campaign_id": "demo", "code": code}, auth("staff", "sam")),
        ("/coupons/verify", {"member_id": "alice", "coupon_id": coupon_id, "store_id": "sh-01"},
         auth("staff", "sam")),
    ]
    before = scan()
    # WHEN each write comes without an Idempotency-Key, THEN 400, and nothing is written
    for path, body, headers in writes:
        reply = console.call("POST", path, body=body, headers=headers, key=None)
        assert (reply.status_code, code_of(reply)) == (400, "IDEMPOTENCY_KEY_MISSING"), path
    assert scan() == before


def test_a_partner_redemption_without_a_key_is_refused(partners: Partners, scan: Scan) -> None:
    partners.upload("cafe", "coffee-10", csv("CAFE", 2))
    body = {"member_id": "alice", "coupon_id": claim("alice", "coffee-10")}
    path = f"{BASE.format(partner='cafe')}/redemptions"
    signed = partners.headers("POST", path, json.dumps(body).encode(), "cafe")
    before = scan()
    reply = partners.console.call("POST", path, body=json.dumps(body),
                                  headers=signed | {"content-type": "application/json"}, key=None)
    assert (reply.status_code, code_of(reply)) == (400, "IDEMPOTENCY_KEY_MISSING")
    # only the signature's nonce is kept (a replay of the signature is refused): no redemption
    assert [i for i in scan() if i not in before] == [(f"PN#cafe#{signed['x-nonce']}", "NONCE")]

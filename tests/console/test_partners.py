"""Partner routes: signed calls upload pools, read settlement and redeem co-branded coupons;
each partner sees and acts on its own data only; bad or replayed signatures are refused."""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta
from typing import Any

import pytest

from games.partner_coupon.settlement import settlement
from plugins.console.partner_auth import sign
from plugins.runtime import runtime
from plugins.store import CouponItem, keys
from tests.conftest import GameClient, demo_doc, operator_token
from tests.console.conftest import Console, code_of

KEYS = {"cafe": "cafe-secret-0123456789", "gym:2026": "gym-secret-0123456789"}
COFFEE = {"type_id": "coffee-10", "title": "10 off coffee", "kind": "cash_voucher",
          "discount": "10.00", "face_value": "10.00", "cost": "4.00"}
SPIN = {"type_id": "spin-20", "title": "20 off a spin class", "kind": "cash_voucher",
        "discount": "20.00", "face_value": "20.00", "cost": "6.00"}
PARTNERS = [
    {"id": "cafe", "name": "Cafe", "quota": 50, "budget": "100.00", "brand_share": "0.25",
     "coupons": [COFFEE]},
    {"id": "gym", "name": "Gym", "quota": 50, "budget": "100.00", "brand_share": "0.50",
     "coupons": [SPIN]},
]
BASE = "/partners/{partner}/campaigns/demo"


class Partners:
    """Signed partner calls through the console app."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.sent: list[dict[str, str]] = []

    def headers(self, method: str, path: str, raw: bytes, key: str,
                nonce: str | None = None) -> dict[str, str]:
        stamp = str(int(runtime.clock().timestamp()))
        nonce = nonce or secrets.token_hex(8)
        return {"x-api-key": key, "x-timestamp": stamp, "x-nonce": nonce,
                "x-signature": sign(KEYS[key], method, path, stamp, nonce, raw)}

    def call(self, method: str, path: str, key: str, body: Any = None,
             headers: dict[str, str] | None = None) -> Any:
        raw = b"" if body is None else json.dumps(body).encode()
        sent = headers or self.headers(method, path, raw, key)
        self.sent.append(sent)
        if body is not None:
            sent = sent | {"content-type": "application/json"}
        return self.console.call(method, path, body=raw.decode() if body is not None else None,
                                 headers=sent)

    def upload(self, partner: str, type_id: str, codes: str, upload_id: str = "up-1",
               key: str | None = None, fmt: str = "csv") -> Any:
        return self.call("POST", f"{BASE.format(partner=partner)}/pools/{type_id}",
                         key or partner, {"upload_id": upload_id, "format": fmt, "codes": codes})

    def settlement(self, partner: str, key: str | None = None) -> Any:
        return self.call("GET", f"{BASE.format(partner=partner)}/settlement", key or partner)

    def redeem(self, partner: str, member: str, coupon_id: str, key: str | None = None) -> Any:
        return self.call("POST", f"{BASE.format(partner=partner)}/redemptions", key or partner,
                         {"member_id": member, "coupon_id": coupon_id})


@pytest.fixture
def partners(console: Console, apply: Any, monkeypatch: Any) -> Partners:
    monkeypatch.setenv("MGAMES_PARTNER_KEYS", json.dumps(KEYS))
    doc = demo_doc()
    doc["games"] = {"partner-coupon": {"partners": PARTNERS}}
    apply(doc)
    return Partners(console)


def csv(prefix: str, n: int) -> str:
    return "code\n" + "".join(f"{prefix}{i:04d}\n" for i in range(n))


def claim(member: str, type_id: str) -> str:
    reply = GameClient("partner-coupon").call(
        "POST", f"/campaigns/demo/coupons/{type_id}/claims", member=member,
        key=f"claim-{member}-{type_id}")
    assert reply.status == 201, reply.body
    return str(reply.body["coupon"]["coupon_id"])


def partner_items(scan: Any) -> set[tuple[str, str]]:
    return {k for k in scan() if not k[0].startswith("PN#")}


def test_upload_is_idempotent_and_answers_201_then_the_first_result(partners: Partners) -> None:
    first = partners.upload("cafe", "coffee-10", csv("CAFE", 5))
    assert first.status_code == 201, first.data
    assert (first.data["accepted"], first.data["pool_size"], first.data["replayed"]) == (5, 5, False)
    uploaded = datetime.fromisoformat(first.data["uploaded_at"])  # the campaign's local time
    assert (uploaded, uploaded.utcoffset()) == (runtime.clock(), timedelta(hours=8))
    again = partners.upload("cafe", "coffee-10", csv("CAFE", 5))
    assert again.status_code == 200 and again.data["replayed"] is True
    assert again.data["pool_size"] == 5 and again.data["uploaded_at"] == first.data["uploaded_at"]
    # the same upload id with other codes is refused, not answered as if they were loaded
    reused = partners.upload("cafe", "coffee-10", csv("OTHER", 3))
    assert (reused.status_code, code_of(reused)) == (422, "IDEMPOTENCY_KEY_REUSED")
    json_upload = partners.upload("cafe", "coffee-10", json.dumps(["J1", "J2"]), "up-2", fmt="json")
    assert (json_upload.status_code, json_upload.data["pool_size"]) == (201, 7)
    log = partners.console.call("GET", "/campaigns/demo/operations", role="admin").data
    uploads = [(e["by"], e["kind"], e["result"]["upload_id"]) for e in log["operations"]]
    assert sorted(uploads) == [("partner:cafe", "partners/uploads", "up-1"),  # the replay: no entry
                               ("partner:cafe", "partners/uploads", "up-2")]


def test_duplicate_codes_are_refused_with_their_lines_and_write_nothing(
        partners: Partners, scan: Any) -> None:
    before = partner_items(scan)
    inside = partners.upload("cafe", "coffee-10", "code\nA1\nB2\nA1\n")
    assert (inside.status_code, code_of(inside)) == (409, "DUPLICATE_CODES")
    assert "A1 on lines 2, 4" in inside.data["error"]["message"]
    assert partner_items(scan) == before
    assert partners.upload("cafe", "coffee-10", "C1\nC2\n").status_code == 201
    stored = partners.upload("cafe", "coffee-10", "C9\nC2\n", "up-2")
    assert (stored.status_code, code_of(stored)) == (409, "DUPLICATE_CODES")
    assert "C2 on lines 2" in stored.data["error"]["message"]
    bad = partners.upload("cafe", "coffee-10", "ok1\nbad code#\n", "up-3")
    assert (bad.status_code, code_of(bad)) == (422, "CODES_INVALID")
    unknown = partners.upload("cafe", "spin-20", "Z1\n", "up-4")
    assert (unknown.status_code, code_of(unknown)) == (404, "COUPON_TYPE_NOT_FOUND")


def test_a_partner_cannot_touch_another_partners_data(partners: Partners, scan: Any) -> None:
    before = partner_items(scan)
    for reply in (partners.upload("gym", "spin-20", "G1\n", key="cafe"),
                  partners.settlement("gym", key="cafe"),
                  partners.redeem("gym", "alice", "x", key="cafe"),
                  partners.settlement("cafe", key="gym:2026")):
        assert (reply.status_code, code_of(reply)) == (403, "FORBIDDEN")
        assert set(reply.data["error"]) == {"code", "message", "request_id"}
    assert partner_items(scan) == before
    assert partners.settlement("gym", key="gym:2026").status_code == 200


def test_a_partner_redeems_only_its_own_coupon_once(partners: Partners) -> None:
    partners.upload("cafe", "coffee-10", csv("CAFE", 3))
    partners.upload("gym", "spin-20", csv("GYM", 3), key="gym:2026")
    mine, theirs = claim("alice", "coffee-10"), claim("alice", "spin-20")
    other = partners.redeem("cafe", "alice", theirs)
    assert (other.status_code, code_of(other)) == (404, "COUPON_NOT_FOUND")
    brand = CouponItem.get(keys.member("alice"), keys.coupon(theirs))
    brand_id = "20261123brand0001"
    CouponItem(keys.member("alice"), keys.coupon(brand_id), coupon_id=brand_id,
               member_id="alice", campaign_id="demo", type_id="brand-5", origin="award",
               channel=brand.channel, issued_at=brand.issued_at, valid_from=brand.valid_from,
               valid_until=brand.valid_until, terms={"kind": "cash_voucher"}).save()
    assert code_of(partners.redeem("cafe", "alice", brand_id)) == "COUPON_NOT_FOUND"
    assert code_of(partners.redeem("cafe", "bob", mine)) == "COUPON_NOT_FOUND"
    done = partners.redeem("cafe", "alice", mine)
    assert done.status_code == 200 and done.data["state"] == "redeemed"
    assert done.data["code"].startswith("CAFE") and done.data["partner"] == "cafe"
    twice = partners.redeem("cafe", "alice", mine)
    assert (twice.status_code, code_of(twice)) == (409, "COUPON_NOT_REDEEMABLE")
    assert CouponItem.get(keys.member("alice"), keys.coupon(theirs)).state == "issued"
    assert partners.redeem("gym", "alice", theirs, key="gym:2026").data["state"] == "redeemed"


def test_settlement_equals_the_store_after_claims_and_a_redemption(partners: Partners) -> None:
    partners.upload("cafe", "coffee-10", csv("CAFE", 5))
    partners.upload("gym", "spin-20", csv("GYM", 5), key="gym:2026")
    cafe = [claim(m, "coffee-10") for m in ("alice", "bob", "carol")]
    claim("dave", "spin-20")
    assert partners.redeem("cafe", "bob", cafe[1]).status_code == 200
    reply = partners.settlement("cafe")
    assert reply.status_code == 200
    assert reply.data == json.loads(json.dumps(
        settlement(runtime.configs.get("demo"), "cafe", runtime.clock()), default=str))
    stored = [c for c in CouponItem.scan(consistent_read=True)
              if (c.terms or {}).get("partner") == "cafe"]
    assert reply.data["issued"] == len(stored) == 3
    assert reply.data["redeemed"] == sum(c.state == "redeemed" for c in stored) == 1
    assert reply.data["open"] == 2 and reply.data["by_type"] == {
        "coffee-10": {"issued": 3, "redeemed": 1, "expired": 0}}
    assert reply.data["cost_issued"] == {"total": "12.00", "brand": "3.00", "partner": "9.00"}
    assert reply.data["cost_redeemed"] == {"total": "4.00", "brand": "1.00", "partner": "3.00"}
    assert reply.data["tally"] == {"issued": 3, "cost": "12.00"}
    gym = partners.settlement("gym", key="gym:2026").data
    assert (gym["issued"], gym["redeemed"]) == (1, 0)


def test_a_replay_is_refused(partners: Partners, scan: Any) -> None:
    first = partners.upload("cafe", "coffee-10", "R1\n")
    assert first.status_code == 201
    body = {"upload_id": "up-1", "format": "csv", "codes": "R1\n"}
    replay = partners.call("POST", f"{BASE.format(partner='cafe')}/pools/coffee-10", "cafe",
                           body, headers=partners.sent[-1])
    assert (replay.status_code, code_of(replay)) == (401, "NONCE_REUSED")
    read = partners.settlement("cafe")
    again = partners.call("GET", f"{BASE.format(partner='cafe')}/settlement", "cafe",
                          headers=partners.sent[-1])
    assert read.status_code == 200 and code_of(again) == "NONCE_REUSED"


@pytest.mark.parametrize(("change", "code"), [
    ({"x-signature": "00" * 32}, "SIGNATURE_INVALID"),
    ({"x-api-key": "nobody"}, "SIGNATURE_INVALID"),
    ({"x-timestamp": "1000000000"}, "REQUEST_EXPIRED"),
    ({"x-nonce": "bad nonce!"}, "PARTNER_AUTH_MISSING"),
    (None, "PARTNER_AUTH_MISSING"),
])
def test_bad_credentials_are_401_and_write_nothing(partners: Partners, scan: Any,
                                                   change: dict[str, str] | None,
                                                   code: str) -> None:
    path = f"{BASE.format(partner='cafe')}/pools/coffee-10"
    body = {"upload_id": "up-1", "format": "csv", "codes": "Q1\n"}
    sent = partners.headers("POST", path, json.dumps(body).encode(), "cafe")
    sent = sent | change if change is not None else {}
    before = scan()
    reply = partners.call("POST", path, "cafe", body, headers=sent or {"x-api-key": "cafe"})
    assert (reply.status_code, code_of(reply)) == (401, code)
    assert set(reply.data["error"]) == {"code", "message", "request_id"}
    assert scan() == before


def test_a_signature_over_another_body_or_path_is_refused(partners: Partners) -> None:
    path = f"{BASE.format(partner='cafe')}/pools/coffee-10"
    body = {"upload_id": "up-1", "format": "csv", "codes": "Q1\n"}
    signed = partners.headers("POST", path, b'{"other": 1}', "cafe")
    assert code_of(partners.call("POST", path, "cafe", body, headers=signed)) == \
        "SIGNATURE_INVALID"
    signed = partners.headers("GET", f"{BASE.format(partner='cafe')}/pools/x", b"", "cafe")
    assert code_of(partners.call("GET", f"{BASE.format(partner='cafe')}/settlement", "cafe",
                                 headers=signed)) == "SIGNATURE_INVALID"


def test_staff_redeem_a_co_branded_coupon_at_a_store_once_and_the_settlement_says_where(
        partners: Partners) -> None:
    partners.upload("cafe", "coffee-10", csv("CAFE", 3))
    at_store, by_partner = claim("alice", "coffee-10"), claim("bob", "coffee-10")
    staff = {"authorization": "Bearer " + operator_token("sam", "staff", stores=("sh-jingan",))}
    done = partners.console.call("POST", "/coupons/verify", headers=staff,
                                 body={"member_id": "alice", "coupon_id": at_store})
    assert (done.status_code, done.data["store_id"]) == (200, "sh-jingan")
    # never twice: the partner's own redemption of the same coupon is refused, and not silently
    twice = partners.redeem("cafe", "alice", at_store)
    assert (twice.status_code, code_of(twice)) == (409, "COUPON_NOT_REDEEMABLE")
    assert partners.redeem("cafe", "bob", by_partner).status_code == 200
    settled = partners.settlement("cafe").data
    assert settled["redeemed"] == 2 and settled["redeemed_at"] == {"partner": 1, "sh-jingan": 1}


def test_a_single_write_racing_a_transaction_answers_409_conflict(partners: Partners) -> None:
    from tests.console.test_faults import answered, error

    with answered("PutItem", error("TransactionConflictException")) as seen:
        raced = partners.settlement("cafe")  # the signature's nonce is the single write
    assert seen == ["PutItem"]
    assert (raced.status_code, code_of(raced)) == (409, "CONFLICT")
    assert raced.headers["Retry-After"] == "1"
    assert partners.settlement("cafe").status_code == 200  # sent again: it passes

"""Every red-packet refusal answers with the shared envelope and a 4xx, and writes nothing
(a fraud block writes only its audit record). Brand-only order reports: a player's token is
403, a bad token 401."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from plugins.antifraud import blacklist, block_samples
from plugins.clock import utc_now
from plugins.identity.keys import KeyRing
from plugins.identity.tokens import OPERATORS, PLAYERS, mint, mint_operator
from tests.conftest import NOW, Apply, GameClient, Scan, bearer, operator_token
from tests.functional.test_errors import assert_rejected, unchanged_except_blocks
from tests.functional.test_red_packet import ORDERS, PACKETS, brand, grab, order, rp_doc

GOOD_ORDER = {"order_id": "ord-0001", "member_id": "alice", "amount": "150.00"}


@pytest.fixture
def rp(apply: Apply) -> GameClient:
    apply(rp_doc())
    return GameClient("red-packet")


ORDER_CASES: list[tuple[str, dict[str, Any], int, str]] = [
    ("no token", {}, 401, "TOKEN_MISSING"),
    ("garbage token", {"headers": bearer("abc.def")}, 401, "TOKEN_INVALID"),
    ("forged brand token", {"headers": bearer(mint_operator(
        "crm", "brand", now=utc_now(), ttl=timedelta(hours=2), ring=KeyRing.parse("x" * 40)))},
     401, "TOKEN_INVALID"),
    ("expired brand token", {"headers": bearer(mint_operator(
        "crm", "brand", now=utc_now() - timedelta(hours=3), ttl=timedelta(hours=2)))}, 401,
     "TOKEN_INVALID"),
    ("a brand token signed with the player ring", {"headers": bearer(mint(
        OPERATORS, PLAYERS.ring(), {"sub": "crm", "role": "brand"}, now=utc_now(),
        ttl=timedelta(hours=2)))}, 401, "TOKEN_INVALID"),
    ("a player's token", {"member": "alice"}, 403, "FORBIDDEN"),
    ("another campaign's brand system", {"headers": bearer(operator_token(
        "crm", "brand", campaigns=("autumn",)))}, 403, "FORBIDDEN"),
    ("another role", {"headers": bearer(operator_token("crm", "staff"))}, 403,
     "FORBIDDEN"),
    ("no body", {"brand": True, "body": None}, 400, "MALFORMED_REQUEST"),
    ("invalid JSON", {"brand": True, "body": "{nope"}, 400, "MALFORMED_REQUEST"),
    ("missing amount", {"brand": True, "body": {"order_id": "o-1", "member_id": "alice"}}, 400,
     "MALFORMED_REQUEST"),
    ("negative amount", {"brand": True, "body": GOOD_ORDER | {"amount": "-1.00"}}, 400,
     "MALFORMED_REQUEST"),
    ("three decimals", {"brand": True, "body": GOOD_ORDER | {"amount": "1.005"}}, 400,
     "MALFORMED_REQUEST"),
    ("bad order id", {"brand": True, "body": GOOD_ORDER | {"order_id": "a#b"}}, 400,
     "MALFORMED_REQUEST"),
    ("bad member id", {"brand": True, "body": GOOD_ORDER | {"member_id": "M#x"}}, 400,
     "MALFORMED_REQUEST"),
    ("unknown field", {"brand": True, "body": GOOD_ORDER | {"packet": 1}}, 400, "MALFORMED_REQUEST"),
    ("below the minimum", {"brand": True, "body": GOOD_ORDER | {"amount": "98.99"}}, 422,
     "ORDER_NOT_ELIGIBLE"),
]


@pytest.mark.parametrize(("label", "kwargs", "status", "code"), ORDER_CASES,
                         ids=[c[0] for c in ORDER_CASES])
def test_bad_order_reports(rp: GameClient, scan: Scan, label: str, kwargs: dict[str, Any],
                           status: int, code: str) -> None:
    kwargs = dict(kwargs)
    if kwargs.pop("brand", False):
        kwargs["headers"] = brand()
    kwargs.setdefault("body", GOOD_ORDER)
    before = scan()
    assert_rejected(rp.call("POST", ORDERS, **kwargs), status, code)
    assert unchanged_except_blocks(before, scan()) == []


def test_an_order_id_reported_with_another_amount(rp: GameClient, scan: Scan) -> None:
    assert order(rp, "ord-0001", "alice").status == 201
    before = scan()
    assert_rejected(order(rp, "ord-0001", "alice", "151.00"), 422, "IDEMPOTENCY_KEY_REUSED")
    assert_rejected(order(rp, "ord-0001", "bob"), 422, "IDEMPOTENCY_KEY_REUSED")
    assert unchanged_except_blocks(before, scan()) == []


def test_a_blacklisted_member_gets_no_packet(rp: GameClient, scan: Scan) -> None:
    blacklist("member", "alice", reason="refund fraud", now=NOW)
    before = scan()
    assert_rejected(order(rp, "ord-0001", "alice"), 403, "FRAUD_BLOCKED")
    assert unchanged_except_blocks(before, scan()) == []
    assert [(b.rule, b.member_id) for b in block_samples("demo")] == [
        ("blacklist", "alice")]


@pytest.mark.parametrize(("changes", "call", "status", "code"), [
    ({"order": None}, "order", 404, "TRIGGER_NOT_ENABLED"),
    ({"order": {"enabled": False, "fixed": "5.00"}}, "order", 404, "TRIGGER_NOT_ENABLED"),
    ({"action": None}, "action", 404, "TRIGGER_NOT_ENABLED"),
    ({"enabled": False}, "order", 404, "GAME_NOT_ENABLED"),
    ({"enabled": False}, "action", 404, "GAME_NOT_ENABLED"),
])
def test_triggers_and_game_switched_off(apply: Apply, scan: Scan, changes: dict[str, Any], call: str,
                                        status: int, code: str) -> None:
    apply(rp_doc(**changes))
    rp = GameClient("red-packet")
    before = scan()
    reply = (order(rp, "ord-0001", "alice") if call == "order"
             else rp.call("POST", PACKETS, member="alice", key="share-0001"))
    assert_rejected(reply, status, code)
    assert unchanged_except_blocks(before, scan()) == []


@pytest.mark.parametrize("moment", [NOW.replace(year=2025), NOW.replace(year=2031)])
def test_campaign_not_open(rp: GameClient, scan: Scan, clock: list[datetime], moment: datetime) -> None:
    pid = order(rp, "ord-0001", "alice").body["packet_id"]
    clock[0] = moment
    before = scan()
    assert_rejected(order(rp, "ord-0002", "alice"), 403, "CAMPAIGN_NOT_OPEN")
    assert_rejected(rp.call("POST", PACKETS, member="bob", key="share-0001"), 403,
                    "CAMPAIGN_NOT_OPEN")
    assert_rejected(grab(rp, pid, "bob"), 403, "CAMPAIGN_NOT_OPEN")
    assert unchanged_except_blocks(before, scan()) == []


def test_the_budget_exhausted(apply: Apply, scan: Scan) -> None:
    doc = rp_doc(order={"min_amount": "1.00", "fixed": "1.00"})
    doc.update(budget="1.50", budget_shards=2, games={"red-packet": doc["games"]["red-packet"]})
    apply(doc)
    rp = GameClient("red-packet")
    assert order(rp, "ord-0001", "alice").status == 201
    before = scan()
    assert_rejected(order(rp, "ord-0002", "alice"), 409, "BUDGET_EXHAUSTED")
    assert unchanged_except_blocks(before, scan()) == []
    # a repeat of the first order still gets its packet back
    assert order(rp, "ord-0001", "alice").headers["Idempotent-Replayed"] == "true"


PLAYER_CASES: list[tuple[str, dict[str, Any], int, str]] = [
    ("no token", {"key": "k-00000001"}, 401, "TOKEN_MISSING"),
    ("a brand token", {"key": "k-00000001", "brand": True}, 403, "FORBIDDEN"),
    ("no idempotency key", {"member": "bob"}, 400, "IDEMPOTENCY_KEY_MISSING"),
    ("short idempotency key", {"member": "bob", "key": "short"}, 400, "MALFORMED_REQUEST"),
    ("unknown field", {"member": "bob", "key": "k-00000001", "body": {"amount": 5}}, 400,
     "MALFORMED_REQUEST"),
]


@pytest.mark.parametrize("target", ["packets", "grabs"])
@pytest.mark.parametrize(("label", "kwargs", "status", "code"), PLAYER_CASES,
                         ids=[c[0] for c in PLAYER_CASES])
def test_bad_player_requests(rp: GameClient, scan: Scan, target: str, label: str,
                             kwargs: dict[str, Any], status: int, code: str) -> None:
    pid = order(rp, "ord-0001", "alice").body["packet_id"]
    path = PACKETS if target == "packets" else f"{PACKETS}/{pid}/grabs"
    kwargs = dict(kwargs)
    if kwargs.pop("brand", False):
        kwargs["headers"] = brand()
    before = scan()
    assert_rejected(rp.call("POST", path, **kwargs), status, code)
    assert unchanged_except_blocks(before, scan()) == []


def test_refused_grabs(rp: GameClient, scan: Scan, clock: list[datetime]) -> None:
    pid = order(rp, "ord-0001", "alice").body["packet_id"]
    other = order(rp, "ord-0002", "zoe").body["packet_id"]
    assert grab(rp, pid, "bob").status == 201
    before = scan()
    # the sharer cannot grab his own packet
    assert_rejected(grab(rp, pid, "alice"), 403, "OWN_PACKET")
    # one grab per member per packet, whatever the key
    assert_rejected(grab(rp, pid, "bob", key="another-key-1"), 409, "ALREADY_GRABBED")
    # the same key on another packet is a different request
    assert_rejected(grab(rp, other, "bob", key=f"grab-bob-{pid[-6:]}"), 422,
                    "IDEMPOTENCY_KEY_REUSED")
    # no such packet (here, or in another campaign's namespace); a malformed id
    assert_rejected(grab(rp, "20261123000000abcdefabcdef", "bob"), 404, "PACKET_NOT_FOUND")
    assert_rejected(rp.call("GET", f"{PACKETS}/20261123000000abcdefabcdef"), 404,
                    "PACKET_NOT_FOUND")
    assert_rejected(grab(rp, "not-a-packet", "bob"), 400, "MALFORMED_REQUEST")
    # after its lifetime the packet is expired, even before the sweep
    clock[0] = NOW + timedelta(hours=25)
    assert_rejected(grab(rp, pid, "carl"), 410, "PACKET_EXPIRED")
    assert rp.call("GET", f"{PACKETS}/{pid}").body["state"] == "expired"
    assert unchanged_except_blocks(before, scan()) == []


def test_an_empty_packet_and_the_grab_quota(apply: Apply, scan: Scan) -> None:
    apply(rp_doc(parts=1, grabs_per_day=1))
    rp = GameClient("red-packet")
    first = order(rp, "ord-0001", "alice").body["packet_id"]
    second = order(rp, "ord-0002", "alice").body["packet_id"]
    assert grab(rp, first, "bob").status == 201
    before = scan()
    assert_rejected(grab(rp, first, "carl"), 409, "PACKET_EMPTY")
    assert_rejected(grab(rp, second, "bob"), 403, "NO_CHANCES_LEFT")
    assert unchanged_except_blocks(before, scan()) == []


def test_a_blacklisted_grabber_is_blocked_and_recorded(rp: GameClient, scan: Scan) -> None:
    pid = order(rp, "ord-0001", "alice").body["packet_id"]
    blacklist("device", "farm-1", reason="device farm", now=NOW)
    before = scan()
    reply = rp.call("POST", f"{PACKETS}/{pid}/grabs", member="mallory", device="farm-1",
                    key="k-00000001")
    assert_rejected(reply, 403, "FRAUD_BLOCKED")
    assert unchanged_except_blocks(before, scan()) == []
    assert [b.rule for b in block_samples("demo")] == ["blacklist"]


def test_reads_refuse_cleanly(rp: GameClient) -> None:
    assert_rejected(rp.call("GET", "/campaigns/nope"), 404, "CAMPAIGN_NOT_FOUND")
    assert_rejected(rp.call("GET", PACKETS), 401, "TOKEN_MISSING")
    assert_rejected(rp.call("GET", PACKETS, headers=brand()), 403, "FORBIDDEN")
    assert_rejected(rp.call("DELETE", PACKETS, member="bob"), 404, "ROUTE_NOT_FOUND")

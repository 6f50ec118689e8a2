"""A partner manages its own webhook endpoints through its signed API
(`/partners/{partner}/campaigns/{campaign}/webhooks`): it hears, signed with the secret the
POST answered, of its own coupons issued and redeemed, never of another partner's; it can
neither read nor change another partner's endpoints; bad URLs and events are refused with a
stable code; a retried Idempotency-Key answers the first result and writes nothing again."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from chalice.test import Client

from infra.local.streams import BATCH
from plugins.webhooks import operate
from plugins.webhooks.managed import ManagedHooksItem, managed_endpoints
from tests.conftest import Apply, GameClient
from tests.console.conftest import Console, code_of
from tests.console.test_partners import KEYS, Partners
from tests.functional import test_webhooks
from tests.functional.test_partner_coupon import COFFEE, PARTNERS, claim, load, pc_doc
from tests.functional.test_partner_webhooks import issue_and_redeem
from tests.functional.test_webhooks import Receiver, deliveries
from tests.unit.test_webhook_signing import verify

receiver = test_webhooks.receiver
PATH = "/partners/{partner}/campaigns/demo/webhooks"


@pytest.fixture
def partners(table: str, clock: Any, aggregate: Callable[[], int], apply: Apply,
             monkeypatch: pytest.MonkeyPatch, receiver: Receiver) -> Iterator[Partners]:
    from functions.console.app import app

    monkeypatch.setenv("MGAMES_PARTNER_KEYS", json.dumps(KEYS | {"teahouse": "tea-secret-0123456789"}))
    KEYS["teahouse"] = "tea-secret-0123456789"
    apply(pc_doc([*PARTNERS, {**PARTNERS[0], "id": "teahouse", "name": "Tea House",
                              "coupons": [{**COFFEE, "type_id": "tea-5"}]}]))
    with Client(app) as client:
        yield Partners(Console(client, aggregate))
    KEYS.pop("teahouse")


def post(partners: Partners, partner: str, endpoints: list[dict[str, Any]], key: str | None = None,
        idempotency: str = "fresh") -> Any:
    path, raw = PATH.format(partner=partner), json.dumps({"endpoints": endpoints}).encode()
    return partners.console.call("POST", path, body=raw.decode(), key=idempotency,
                                 headers=partners.headers("POST", path, raw, key or partner))


def hook(receiver: Receiver, **fields: Any) -> dict[str, Any]:
    return {"id": "crm", "url": receiver.url, "events": ["reward.issued", "coupon.redeemed"],
            "timeout_seconds": 0.5} | fields


def test_a_partner_hears_signed_of_its_own_coupons_only(
        partners: Partners, clock: list[datetime], receiver: Receiver) -> None:
    answer = post(partners, "cafe", [hook(receiver)])
    assert answer.status_code == 200, answer.data
    secret = answer.data["secret"]
    assert secret.startswith("whsec_") and answer.data["version"] == 1
    read = partners.call("GET", PATH.format(partner="cafe"), "cafe")
    assert read.status_code == 200 and "secret" not in json.dumps(read.data)
    assert [h["url"] for h in read.data["endpoints"]] == [receiver.url]
    issue_and_redeem(partners.console.aggregate, clock)
    told = sorted((sent["type"], sent["data"]["member_id"])
                  for sent in (json.loads(body) for _, body in receiver.raw))
    assert told == [("coupon.redeemed", "alice"), ("reward.issued", "alice")]  # never bob's tea
    assert all(verify(secret, headers, body) for headers, body in receiver.raw)


def test_a_partner_can_neither_read_nor_change_another_partners_endpoints(
        partners: Partners, receiver: Receiver) -> None:
    assert post(partners, "teahouse", [hook(receiver)]).status_code == 200
    other = post(partners, "teahouse", [], key="cafe")  # the cafe's key on the tea house's path
    assert (other.status_code, code_of(other)) == (403, "FORBIDDEN")
    peek = partners.call("GET", PATH.format(partner="teahouse"), "cafe")
    assert (peek.status_code, code_of(peek)) == (403, "FORBIDDEN")
    forged = partners.headers("GET", PATH.format(partner="cafe"), b"", "cafe")
    forged["x-signature"] = "0" * 64
    assert partners.call("GET", PATH.format(partner="cafe"), "cafe", headers=forged).status_code == 401
    cafe = partners.call("GET", PATH.format(partner="cafe"), "cafe")
    assert cafe.data["endpoints"] == [] and cafe.data["version"] == 0
    assert len(partners.call("GET", PATH.format(partner="teahouse"), "teahouse").data["endpoints"]) == 1


def test_bad_urls_events_and_ids_are_refused_with_a_stable_code(
        partners: Partners, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    budget = post(partners, "cafe", [hook(receiver, events=["budget.80"])])
    assert (budget.status_code, code_of(budget)) == (422, "WEBHOOKS_INVALID")
    twice = post(partners, "cafe", [hook(receiver), hook(receiver)])
    assert (twice.status_code, code_of(twice)) == (422, "WEBHOOKS_INVALID")
    monkeypatch.delenv("MGAMES_OUTBOUND_LOCAL", raising=False)
    for url in ("http://example.com/hook", "https://127.0.0.1/hook", "https://metadata.internal/x"):
        bad = post(partners, "cafe", [hook(receiver, url=url)])
        assert (bad.status_code, code_of(bad)) == (400, "MALFORMED_REQUEST"), url
    assert partners.call("GET", PATH.format(partner="cafe"), "cafe").data["version"] == 0


def test_a_retried_key_answers_the_first_result_and_writes_nothing_again(
        partners: Partners, receiver: Receiver) -> None:
    first = post(partners, "cafe", [hook(receiver)], idempotency="hooks-0001-first")
    again = post(partners, "cafe", [hook(receiver)], idempotency="hooks-0001-first")
    assert (first.status_code, again.status_code) == (200, 200) and again.data == first.data
    assert again.headers["Idempotent-Replayed"] == "true"
    assert ManagedHooksItem.get("C#demo#WHP", "cafe").version == 1
    reused = post(partners, "cafe", [hook(receiver, id="other")], idempotency="hooks-0001-first")
    assert (reused.status_code, code_of(reused)) == (422, "IDEMPOTENCY_KEY_REUSED")
    second = post(partners, "cafe", [], idempotency="hooks-0002-second")
    assert second.data["version"] == 2 and second.data["secret"] == first.data["secret"]



def test_the_aggregator_reads_the_partners_endpoints_once_a_batch(
        partners: Partners, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    assert post(partners, "cafe", [hook(receiver)]).status_code == 200
    load(5)
    partners.console.aggregate()
    reads: list[str] = []

    def counted(campaign_id: str, parties: Any) -> Any:
        reads.append(campaign_id)
        return managed_endpoints(campaign_id, parties)

    monkeypatch.setattr(operate, "managed_endpoints", counted)
    client = GameClient("partner-coupon")
    assert all(claim(client, member).status == 201 for member in ("alice", "bob", "carol"))
    records = partners.console.aggregate()
    assert records > 3 and len(reads) == -(-records // BATCH) == 1  # 3 coupons, one read
    assert len(deliveries("pending")) == 3


def test_the_file_keeps_its_partner_endpoints_and_wins_a_clash(
        partners: Partners, apply: Apply, receiver: Receiver) -> None:
    assert post(partners, "cafe", [hook(receiver)]).status_code == 200
    filed = {**hook(receiver, url="http://127.0.0.1:9/file"), "secret_ref": "mgames/webhooks/crm"}
    apply(pc_doc([{**PARTNERS[0], "webhooks": [filed]}]))  # marketers file the same id later
    found = operate._hooks("demo")
    assert [(h.id, str(h.url)) for h in found] == [("cafe-crm", "http://127.0.0.1:9/file")]
    clash = post(partners, "cafe", [hook(receiver)])
    assert (clash.status_code, code_of(clash)) == (422, "WEBHOOKS_INVALID")
    assert post(partners, "cafe", [hook(receiver, id="own")]).status_code == 200
    assert [h.id for h in operate._hooks("demo")] == ["cafe-crm", "cafe-own"]  # both delivered to


def test_marketers_see_every_endpoint_partners_own_included(partners: Partners, receiver: Receiver) -> None:
    assert post(partners, "cafe", [hook(receiver)]).status_code == 200
    listed = partners.console.call("GET", "/campaigns/demo/webhooks/endpoints")
    assert listed.status_code == 200 and "whsec_" not in json.dumps(listed.data)
    shown = [(e["id"], e["url"], e["events"], e["coupon_types"], e["secret_ref"])
             for e in listed.data["endpoints"]]
    assert shown == [("cafe-crm", receiver.url, ["reward.issued", "coupon.redeemed"],
                      [f"cafe-{COFFEE['type_id']}"],  # scoped to the partner's own coupons
                      "mgames/webhooks/parties/cafe/demo")]
    staff = partners.console.call("GET", "/campaigns/demo/webhooks/endpoints", role="staff")
    assert code_of(staff) == "FORBIDDEN"
    missing = partners.console.call("GET", "/campaigns/nope/webhooks/endpoints", role="admin")
    assert code_of(missing) == "CAMPAIGN_NOT_FOUND"

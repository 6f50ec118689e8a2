"""A partner rotates the secret signing its own endpoints through its signed API
(`POST /partners/{partner}/campaigns/{campaign}/webhooks/secret/rotate`): the answer carries
the new secret once; during the grace period every delivery carries a v1 signature by the new
and by the previous secret (checked by the independent verifier), then by the new one alone; a
retried Idempotency-Key answers the same secret; another partner's key is refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from plugins.webhooks.party_secrets import LOCAL, LocalVault, secret_ref
from tests.conftest import GameClient
from tests.console.conftest import code_of
from tests.console.test_partners import Partners
from tests.functional import test_partner_own_webhooks as own
from tests.functional.test_partner_coupon import claim
from tests.functional.test_partner_webhooks import issue_and_redeem
from tests.functional.test_webhooks import Receiver, drain_until_done
from tests.unit.test_webhook_signing import verify

receiver, partners = own.receiver, own.partners
ROTATE = "/partners/{partner}/campaigns/demo/webhooks/secret/rotate"


@pytest.fixture(autouse=True)
def fresh_secrets() -> Iterator[None]:
    """Every test starts with no party secret (the local vault lives as long as the process)."""
    LOCAL.clear()
    yield
    LOCAL.clear()


def rotate(partners: Partners, partner: str, body: dict[str, Any] | None = None, key: str | None = None,
           idempotency: str | None = "fresh") -> Any:
    path = ROTATE.format(partner=partner)
    raw = b"" if body is None else json.dumps(body).encode()
    return partners.console.call("POST", path, body=raw.decode() if body is not None else None,
                                 key=idempotency, headers=partners.headers("POST", path, raw, key or partner))


def signatures(receiver: Receiver) -> list[int]:
    return [len(headers["webhook-signature"].split(" ")) for headers, _ in receiver.raw]


def test_deliveries_carry_both_signatures_during_the_grace_then_the_new_ones_alone(
        partners: Partners, clock: list[datetime], receiver: Receiver) -> None:
    old = own.post(partners, "cafe", [own.hook(receiver)]).data["secret"]
    rotated = rotate(partners, "cafe", {"grace_hours": 1})
    assert rotated.status_code == 200, rotated.data
    new = rotated.data["secret"]
    assert new.startswith("whsec_") and new != old
    assert datetime.fromisoformat(rotated.data["previous_until"]) == clock[0] + timedelta(hours=1)
    assert "secret" not in json.dumps(partners.call("GET", own.PATH.format(partner="cafe"), "cafe").data)
    issue_and_redeem(partners.console.aggregate, clock)  # delivered at once, within the hour
    assert len(receiver.raw) == 2 and signatures(receiver) == [2, 2]
    assert all(verify(new, h, b) and verify(old, h, b) for h, b in receiver.raw)
    receiver.raw.clear()
    clock[0] += timedelta(hours=1)  # the grace is over: the new secret alone
    assert claim(GameClient("partner-coupon"), "carol").status == 201
    partners.console.aggregate()
    drain_until_done(clock)
    assert len(receiver.raw) == 1 and signatures(receiver) == [1]
    assert all(verify(new, h, b) and not verify(old, h, b) for h, b in receiver.raw)


def test_a_rotation_during_a_grace_drops_the_oldest_secret_at_once(
        partners: Partners, clock: list[datetime], receiver: Receiver) -> None:
    first = own.post(partners, "cafe", [own.hook(receiver)]).data["secret"]
    second = rotate(partners, "cafe").data["secret"]
    third = rotate(partners, "cafe", {"grace_hours": 0}).data["secret"]  # as after a leak
    assert len({first, second, third}) == 3
    issue_and_redeem(partners.console.aggregate, clock)
    assert receiver.raw and set(signatures(receiver)) == {1}
    assert all(verify(third, h, b) and not verify(second, h, b) and not verify(first, h, b)
               for h, b in receiver.raw)


def test_a_retried_key_answers_the_same_secret_not_a_third_one(
        partners: Partners, receiver: Receiver, dynamodb_calls: list[str]) -> None:
    old = own.post(partners, "cafe", [own.hook(receiver)]).data["secret"]
    dynamodb_calls.clear()
    first = rotate(partners, "cafe", idempotency="rotate-0001-first")
    assert dynamodb_calls == ["PutItem", "GetItem", "TransactWriteItems"]  # nonce, key's record, write
    dynamodb_calls.clear()
    again = rotate(partners, "cafe", idempotency="rotate-0001-first")
    assert dynamodb_calls == ["PutItem", "GetItem"]
    assert (first.status_code, again.status_code) == (200, 200) and again.data == first.data
    assert (first.headers["Idempotent-Replayed"], again.headers["Idempotent-Replayed"]) == ("false", "true")
    later = rotate(partners, "cafe", idempotency="rotate-0002-later")
    assert later.data["secret"] not in (old, first.data["secret"])
    late_retry = rotate(partners, "cafe", idempotency="rotate-0001-first")  # after another rotation
    assert late_retry.data == first.data
    value = json.loads(LOCAL.current(secret_ref("demo", "cafe"))[1])  # type: ignore[index]
    assert (value["current"], value["previous"]) == (later.data["secret"], first.data["secret"])
    reused = rotate(partners, "cafe", {"grace_hours": 1}, idempotency="rotate-0001-first")
    assert (reused.status_code, code_of(reused)) == (422, "IDEMPOTENCY_KEY_REUSED")


def test_of_two_rotations_at_once_one_wins_and_the_other_changes_nothing(
        partners: Partners, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    old = own.post(partners, "cafe", [own.hook(receiver)]).data["secret"]
    meanwhile: list[Any] = []
    read = LocalVault.current

    def read_then_let_another_rotate(self: LocalVault, ref: str) -> Any:
        found = read(self, ref)
        if not meanwhile:  # the first rotation has read; a second one runs to its end
            meanwhile.append(None)
            meanwhile.append(rotate(partners, "cafe", idempotency="rotate-meanwhile"))
        return found

    monkeypatch.setattr(LocalVault, "current", read_then_let_another_rotate)
    first = rotate(partners, "cafe", idempotency="rotate-first")
    won = meanwhile[1]
    assert won.status_code == 200 and (first.status_code, code_of(first)) == (409, "CONFLICT")
    value = json.loads(LOCAL.current(secret_ref("demo", "cafe"))[1])  # type: ignore[index]
    assert (value["current"], value["previous"]) == (won.data["secret"], old)  # nothing answered is lost
    again = rotate(partners, "cafe", idempotency="rotate-first")  # its retry now rotates on top
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "false"
    value = json.loads(LOCAL.current(secret_ref("demo", "cafe"))[1])  # type: ignore[index]
    assert (value["current"], value["previous"]) == (again.data["secret"], won.data["secret"])


def test_a_partner_rotates_only_its_own_secret_in_its_own_campaigns(
        partners: Partners, receiver: Receiver) -> None:
    tea = own.post(partners, "teahouse", [own.hook(receiver)]).data["secret"]
    other = rotate(partners, "teahouse", key="cafe")  # the cafe's key on the tea house's path
    assert (other.status_code, code_of(other)) == (403, "FORBIDDEN")
    outsider = rotate(partners, "gym", key="gym:2026")  # a partner, but not in this campaign
    assert (outsider.status_code, code_of(outsider)) == (404, "PARTNER_NOT_FOUND")
    assert LOCAL.current(secret_ref("demo", "teahouse"))[1] == tea  # type: ignore[index]


def test_bad_requests_are_refused_with_a_stable_code_and_change_nothing(
        partners: Partners, receiver: Receiver) -> None:
    none_yet = rotate(partners, "cafe")
    assert (none_yet.status_code, code_of(none_yet)) == (404, "WEBHOOK_SECRET_NOT_FOUND")
    secret = own.post(partners, "cafe", [own.hook(receiver)]).data["secret"]
    for body in ({"grace_hours": -1}, {"grace_hours": 169}, {"grace_hours": "soon"}, {"other": 1}):
        bad = rotate(partners, "cafe", body)
        assert (bad.status_code, code_of(bad)) == (400, "MALFORMED_REQUEST"), body
    unkeyed = rotate(partners, "cafe", idempotency=None)
    assert (unkeyed.status_code, code_of(unkeyed)) == (400, "IDEMPOTENCY_KEY_MISSING")
    assert LOCAL.current(secret_ref("demo", "cafe"))[1] == secret  # type: ignore[index]

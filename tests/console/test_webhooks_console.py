"""The console's side of webhooks (marketers): the deliveries of a redeemed coupon and a
switched game, listed and replayed; staff and other campaigns' marketers are refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from plugins.issuance.coupon import redeem_coupon
from plugins.webhooks.delivery import MAX_ATTEMPTS
from tests.conftest import Apply, operator_token
from tests.console.conftest import Console, auth, code_of
from tests.functional import test_webhooks
from tests.functional.test_webhooks import Receiver, drain_until_done, draw, hooked

receiver = test_webhooks.receiver
EVENTS = ("reward.issued", "coupon.redeemed", "game.switched")


def test_marketers_list_and_replay_dead_deliveries(
        apply: Apply, console: Console, aggregate: Callable[[], int], clock: list[datetime],
        receiver: Receiver) -> None:
    apply(hooked(receiver, EVENTS))
    won = draw("alice")
    assert won.status == 201
    redeem_coupon("alice", won.body["reward"]["coupon_id"], clock[0])
    assert console.call("POST", "/campaigns/demo/games/lucky-wheel/disable").status_code == 200
    aggregate()
    listed = console.call("GET", "/campaigns/demo/webhooks").data["deliveries"]
    assert sorted(d["event"] for d in listed) == sorted(EVENTS)
    receiver.script = ["fail"] * (3 * MAX_ATTEMPTS)
    drain_until_done(clock)
    dead = console.call("GET", "/campaigns/demo/webhooks?state=dead").data["deliveries"]
    assert len(dead) == 3
    first = console.call("GET", "/campaigns/demo/webhooks?state=dead&limit=2").data
    after = f"/campaigns/demo/webhooks?state=dead&limit=2&cursor={first['next_cursor']}"
    rest = console.call("GET", after).data
    assert first["deliveries"] + rest["deliveries"] == dead and rest["next_cursor"] is None
    replayed = console.call("POST", "/campaigns/demo/webhooks/replay", key=None)
    assert replayed.status_code == 200 and sorted(replayed.data["queued"]) == sorted(d["id"] for d in dead)
    assert console.call("POST", "/campaigns/demo/webhooks/replay", key=None).data["queued"] == []
    drain_until_done(clock)
    delivered = console.call("GET", "/campaigns/demo/webhooks?state=delivered").data["deliveries"]
    assert len(delivered) == 3
    switched = next(body for _, _, body in receiver.seen if body["type"] == "game.switched")
    assert switched["data"] == {"game": "lucky-wheel", "enabled": False, "version": 2}


def test_the_routes_are_the_campaigns_marketers_only(apply: Apply, console: Console) -> None:
    apply()
    assert code_of(console.call("GET", "/campaigns/demo/webhooks", role="staff")) == "FORBIDDEN"
    other = {"authorization": f"Bearer {operator_token('mia', 'marketer', campaigns=('autumn',))}"}
    assert code_of(console.call("POST", "/campaigns/demo/webhooks/replay", headers=other)) == "FORBIDDEN"
    bad = console.call("POST", "/campaigns/demo/webhooks/replay", body={"ids": "x"})
    lost = console.call("GET", "/campaigns/demo/webhooks?state=lost")
    assert code_of(bad) == code_of(lost) == "MALFORMED_REQUEST"
    missing = console.call("GET", "/campaigns/nope/webhooks", headers=auth("admin"))
    assert code_of(missing) == "CAMPAIGN_NOT_FOUND"


def test_the_campaign_switch_is_told_once_per_version(
        apply: Apply, console: Console, aggregate: Callable[[], int], clock: list[datetime],
        receiver: Receiver) -> None:
    apply(hooked(receiver, ("campaign.switched",)))
    assert console.call("POST", "/campaigns/demo/games/lucky-wheel/disable").status_code == 200
    assert console.call("POST", "/campaigns/demo/disable").status_code == 200
    assert console.call("POST", "/campaigns/demo/enable").status_code == 200
    aggregate()
    aggregate()  # the stream handed over again: the same events, recorded once
    drain_until_done(clock)
    told = sorted((body["data"]["version"], body["type"], body["data"]["enabled"], webhook_id, signed)
                  for webhook_id, signed, body in receiver.seen)
    assert [entry[:3] for entry in told] == [(3, "campaign.switched", False), (4, "campaign.switched", True)]
    assert len({entry[3] for entry in told}) == 2 and all(entry[4] for entry in told)

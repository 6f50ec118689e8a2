"""A marketer's member list through the console: added as a set (again changes nothing), then
the audience lets those members play; bad names, bad ids and too big a body are 400s."""

from __future__ import annotations

from plugins.console.segments import MAX_MEMBERS
from tests.conftest import Apply, GameClient, Scan
from tests.console.conftest import Console, code_of
from tests.functional.test_audiences import audience_doc, draw


def test_a_list_sent_through_the_console_lets_its_members_play(apply: Apply, console: Console,
                                                               scan: Scan) -> None:
    apply(audience_doc({"segments": ["vip"]}))
    members = [f"m-{i:04d}" for i in range(250)]
    path = "/campaigns/demo/segments/vip/members"
    sent = console.call("POST", path, body={"members": [*members, "m-0000"]}, key=None)
    assert (sent.status_code, sent.data) == (200, {"campaign_id": "demo", "segment": "vip", "added": 250})
    before = scan()
    again = console.call("POST", path, body={"members": members}, key=None)
    assert again.data["added"] == 250 and scan() == before  # a set add: nothing changes
    wheel = GameClient("lucky-wheel")
    assert draw(wheel, "m-0249", "draw-m249-0001").status == 201
    assert draw(wheel, "m-0250", "draw-m250-0001").code == "AUDIENCE_EXCLUDED"


def test_bad_lists_are_refused_and_write_nothing(apply: Apply, console: Console, scan: Scan) -> None:
    apply(audience_doc({"segments": ["vip"]}))
    before = scan()
    path = "/campaigns/demo/segments/vip/members"
    refused = [console.call("POST", "/campaigns/demo/segments/VIP%20list/members", body={"members": ["ann"]}),
               console.call("POST", path, body={"members": []}),
               console.call("POST", path, body={"members": ["ann", "a b"]}),
               console.call("POST", path, body={"members": ["ann", "M#ann"]}),
               console.call("POST", path, body={"members": [f"m{i}" for i in range(MAX_MEMBERS + 1)]}),
               console.call("POST", path, body=["ann"])]
    assert [(r.status_code, code_of(r)) for r in refused] == [(400, "MALFORMED_REQUEST")] * len(refused)
    assert "'a b' is not a member id" in refused[2].data["error"]["message"]
    missing = console.call("POST", "/campaigns/nope/segments/vip/members", body={"members": ["ann"]},
                           role="admin")
    assert code_of(missing) == "CAMPAIGN_NOT_FOUND"
    assert code_of(console.call("POST", path, body={"members": ["ann"]}, role="staff")) == "FORBIDDEN"
    assert scan() == before

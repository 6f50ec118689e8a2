"""Audiences: a campaign or one game limited by the claims of the player token (tier, tags,
region, registration) and by uploaded member lists; a tier's own chances; a refused player
gets AUDIENCE_EXCLUDED and nothing is written."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from infra.cli import main
from plugins.clock import utc_now
from plugins.identity.tokens import mint_player
from plugins.segments import add_members
from plugins.store import ActionItem, keys
from tests.conftest import NOW, Apply, GameClient, Reply, bearer, wheel_doc

DRAW = "/campaigns/demo/draws"


def draw(wheel: GameClient, member: str, key: str, **claims: Any) -> Reply:
    player = mint_player(member, now=utc_now(), device_id=f"{member}-phone", **claims)
    return wheel.call("POST", DRAW, key=key, headers=bearer(player))


def audience_doc(audience: dict[str, Any], where: str = "campaign", **wheel: Any) -> dict[str, Any]:
    doc = wheel_doc()
    doc["games"]["lucky-wheel"].update(wheel)
    if where == "campaign":
        doc["audience"] = audience
    else:
        doc["games"]["lucky-wheel"]["audience"] = audience
    return doc


def recorded(member: str) -> int:
    return len(list(ActionItem.query(keys.member(member), ActionItem.sk.startswith("ACT#"))))


@pytest.mark.parametrize("where", ["campaign", "game"])
def test_tiers_tags_and_regions_from_the_token(apply: Apply, where: str) -> None:
    apply(audience_doc({"tiers": ["gold", "platinum"], "tags": ["coffee-lover"],
                        "regions": ["shanghai"]}, where))
    wheel = GameClient("lucky-wheel")
    member = {"tier": "gold", "tags": ["coffee-lover", "mum"], "region": "shanghai"}
    assert draw(wheel, "amy", "draw-amy-0001", **member).status == 201
    for name, claims in {"bob": member | {"tier": "silver"}, "cat": member | {"tags": ["tea"]},
                         "dan": member | {"region": "beijing"}, "eve": {}}.items():
        refused = draw(wheel, name, f"draw-{name}-0001", **claims)
        assert (refused.status, refused.code) == (403, "AUDIENCE_EXCLUDED"), refused
        assert f"this {where} is for" in refused.body["error"]["message"] and recorded(name) == 0
    assert wheel.call("GET", "/campaigns/demo").status == 200  # the page itself is for anyone


def test_new_members_and_registration_windows(apply: Apply) -> None:
    apply(audience_doc({"new_members": True}))
    wheel = GameClient("lucky-wheel")
    joined = wheel_doc()["starts_at"]
    assert draw(wheel, "fay", "draw-fay-0001", registered_at=NOW - timedelta(days=1)).status == 201
    old = draw(wheel, "gus", "draw-gus-0001", registered_at=NOW.replace(year=2020))
    assert old.code == "AUDIENCE_EXCLUDED" and "new members" in old.body["error"]["message"], joined
    assert draw(wheel, "hal", "draw-hal-0001").code == "AUDIENCE_EXCLUDED"  # no registration claim


def test_an_uploaded_list_is_checked_in_the_actions_own_transaction(
    apply: Apply, dynamodb_calls: list[str],
) -> None:
    apply(audience_doc({"segments": ["vip", "staff-friends"]}))
    assert add_members("demo", "vip", ["ann", "ben", "ann"]) == 2  # a member twice counts once
    add_members("demo", "staff-friends", ["cid"])
    wheel = GameClient("lucky-wheel")
    wheel.call("GET", "/campaigns/demo")  # the config, loaded
    dynamodb_calls.clear()
    assert draw(wheel, "ann", "draw-ann-0001").status == 201
    assert dynamodb_calls == ["TransactWriteItems"]  # no read for the list
    assert draw(wheel, "cid", "draw-cid-0001").status == 201
    out = draw(wheel, "dot", "draw-dot-0001")
    assert (out.status, out.code) == (403, "AUDIENCE_EXCLUDED") and recorded("dot") == 0


def test_mgames_segment_uploads_a_file(apply: Apply, cli_store: str, table: str, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    apply(audience_doc({"segments": ["vip"]}))
    members = tmp_path / "vip.csv"
    members.write_text("member_id,name\n" + "".join(f"m-{i:04d},x\n" for i in range(250)))
    assert main(["segment", "demo", "vip", str(members), "--endpoint", cli_store, "--table", table]) == 0
    assert "250 members in segment vip of demo" in capsys.readouterr().out
    wheel = GameClient("lucky-wheel")
    assert draw(wheel, "m-0249", "draw-m249-0001").status == 201
    assert draw(wheel, "m-0250", "draw-m250-0001").code == "AUDIENCE_EXCLUDED"


def test_a_tier_has_its_own_chances(apply: Apply) -> None:
    apply(audience_doc({}, chances_per_day=1, chances_by_tier={"gold": {"chances_per_day": 3}}))
    wheel = GameClient("lucky-wheel")
    gold = [draw(wheel, "ivy", f"draw-ivy-{i:04d}", tier="gold").status for i in range(4)]
    plain = [draw(wheel, "joe", f"draw-joe-{i:04d}").status for i in range(2)]
    assert gold == [201, 201, 201, 403] and plain == [201, 403]
    page = wheel.call("GET", "/campaigns/demo",
                      headers=bearer(mint_player("ivy", now=utc_now(), tier="gold")))
    assert page.body["chances"]["per_day"] == 3 and page.body["chances"]["left"] == 0


def test_a_tier_has_its_own_odds_and_caps_on_the_shared_stock(apply: Apply) -> None:
    """Gold members draw the grand prize (others never do) and may win it twice; its stock of
    3 is one for every tier, so the third gold win falls back."""
    doc = audience_doc({}, chances_per_day=None, odds_by_tier={
        "gold": {"weights": {"grand": 1, "coupon-50": 0, "coffee": 0, "points-100": 0, "thanks": 0},
                 "per_user_caps": {"grand": 2}}})
    for prize in doc["games"]["lucky-wheel"]["prizes"]:
        prize["weight"] = 1 if prize["id"] == "thanks" else 0
    apply(doc)
    wheel = GameClient("lucky-wheel")

    def prizes(member: str, draws: int, **claims: Any) -> list[str]:
        return [draw(wheel, member, f"draw-{member}-{i:04d}", **claims).body["prize"]["id"]
                for i in range(draws)]

    assert prizes("joe", 5) == ["thanks"] * 5
    assert prizes("ivy", 3, tier="gold") == ["grand", "grand", "thanks"]  # her cap of 2
    assert prizes("kim", 2, tier="gold") == ["grand", "thanks"]  # the last of the stock of 3


def test_the_demo_keeps_the_brands_staff_out_and_lets_everyone_else_in(apply: Apply) -> None:
    apply()  # the demo: `audience: {exclude_tags: [staff]}`
    wheel = GameClient("lucky-wheel")
    assert draw(wheel, "pat", "draw-pat-0001").status == 201
    assert draw(wheel, "ron", "draw-ron-0001", tags=["coffee-lover"]).status == 201
    staff = draw(wheel, "sam", "draw-sam-0001", tags=["coffee-lover", "staff"])
    assert (staff.status, staff.code) == (403, "AUDIENCE_EXCLUDED") and recorded("sam") == 0
    assert staff.body["error"]["message"] == "this campaign is not for members tagged staff"

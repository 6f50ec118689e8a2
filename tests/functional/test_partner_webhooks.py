"""A partner's own webhook endpoints (in its section of the partner-coupon game): it hears of
its coupons issued and redeemed, and of nothing else; the campaign's endpoints hear of all."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest

from games.partner_coupon import upload_pool
from plugins.campaigns.model import parse_campaign
from plugins.errors import ConfigInvalidError
from plugins.issuance.coupon import redeem_coupon
from plugins.runtime import runtime
from tests.conftest import NOW, Apply, GameClient
from tests.functional import test_webhooks
from tests.functional.test_partner_coupon import COFFEE, PARTNERS, claim, codes, load, pc_doc
from tests.functional.test_webhooks import Receiver, drain_until_done, hooked

receiver = test_webhooks.receiver
TEA = {**COFFEE, "type_id": "tea-5"}


@pytest.fixture
def cafe() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.server.shutdown()
    found.server.server_close()


def partners_doc(receiver: Receiver, cafe: Receiver,
                 events: tuple[str, ...] = ("reward.issued", "coupon.redeemed")) -> dict[str, Any]:
    hook = {**hooked(cafe)["webhooks"][0], "id": "crm", "events": list(events)}
    partners = [{**PARTNERS[0], "webhooks": [hook]},
                {**PARTNERS[0], "id": "teahouse", "name": "Tea House", "coupons": [TEA]}]
    return pc_doc(partners) | {"webhooks": hooked(receiver, ("reward.issued",))["webhooks"]}


def issue_and_redeem(aggregate: Callable[[], int], clock: list[datetime]) -> None:
    """Alice claims the cafe's coupon and redeems it, bob claims the tea house's; all delivered."""
    load(5)
    upload_pool(runtime.configs.get("demo"), "teahouse", "tea-5", "up-tea", codes(5, "TEA"), NOW)
    client = GameClient("partner-coupon")
    mine = claim(client, "alice")
    assert mine.status == 201 and claim(client, "bob", type_id="tea-5").status == 201
    redeem_coupon("alice", mine.body["coupon"]["coupon_id"], clock[0])
    aggregate()
    drain_until_done(clock)


def test_a_partner_hears_of_its_own_coupons_only(
        apply: Apply, aggregate: Callable[[], int], clock: list[datetime], receiver: Receiver,
        cafe: Receiver) -> None:
    apply(partners_doc(receiver, cafe))
    issue_and_redeem(aggregate, clock)
    told = sorted((body["type"], body["data"]["member_id"]) for _, _, body in cafe.seen)
    assert told == [("coupon.redeemed", "alice"), ("reward.issued", "alice")]
    assert all(signed for _, signed, _ in cafe.seen)
    everyone = sorted(body["data"]["member_id"] for _, _, body in receiver.seen)
    assert everyone == ["alice", "bob"]  # the campaign's endpoint: every reward, no redemption


def test_a_partner_endpoint_is_refused_events_not_its_own_and_ids_that_clash(
        receiver: Receiver, cafe: Receiver) -> None:
    with pytest.raises(ConfigInvalidError, match=r"budget\.80"):
        parse_campaign(partners_doc(receiver, cafe, ("reward.issued", "budget.80")))
    doc = partners_doc(receiver, cafe)
    doc["webhooks"][0]["id"] = "cafe-crm"  # what the cafe's own endpoint is called
    with pytest.raises(ConfigInvalidError, match="cafe-crm"):
        parse_campaign(doc)

"""The fraud audit stays bounded under a flood of refusals and never changes their answer:
blocks are counted exactly per rule and hour, with a bounded sample of details, and a
throttled audit write still answers the refusal's 4xx."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders

from plugins.antifraud import blacklist, block_counts, block_samples
from plugins.antifraud.blocks import SAMPLE_PER_SHARD, SHARDS
from plugins.console.report import campaign_report
from plugins.store import dynamodb_client
from tests.conftest import NOW, Apply, GameClient, Scan, demo_doc, rush
from tests.functional.test_errors import assert_rejected

DRAW = "/campaigns/demo/draws"


def audit_items(scan: Scan) -> dict[str, list[tuple[str, str]]]:
    """The audit's items by kind: counters (`N#…`) and detail samples (`S#…`)."""
    kinds: dict[str, list[tuple[str, str]]] = {"N": [], "S": []}
    for pk, sk in scan():
        if pk.startswith("C#demo#BLOCKS#"):
            kinds[sk[0]].append((pk, sk))
    return kinds


def per_rule_hour(keys: list[tuple[str, str]]) -> Counter[str]:
    return Counter("#".join(sk.split("#")[1:3]) for _, sk in keys)


def test_a_flood_of_refusals_is_counted_exactly_in_bounded_items(
        apply: Apply, scan: Scan, clock: list[datetime], aggregate: Any) -> None:
    # GIVEN a blacklisted member and a device limited to one action per hour
    apply(demo_doc(velocity={"window_seconds": 3600, "per_device": 1, "per_ip": 10**6}))
    blacklist("member", "eve", reason="chargeback ring", now=NOW)
    wheel = GameClient("lucky-wheel")
    assert wheel.call("POST", DRAW, member="m-first", device="farm", key="vel-00000").status == 201

    # WHEN each floods the wheel, in two hours
    def flood(hour: int, blacklisted: int, farmed: int) -> list[Any]:
        clock[0] = NOW + timedelta(hours=hour, minutes=5)
        calls = [lambda i=i: wheel.call("POST", DRAW, member="eve", key=f"bl-{hour}-{i:05d}")
                 for i in range(blacklisted)]
        calls += [lambda i=i: wheel.call("POST", DRAW, member=f"m-{i}", device="farm",
                                         key=f"vel-{hour}-{i:05d}") for i in range(farmed)]
        return rush(calls)

    first = flood(0, 40, 24)
    second = flood(1, 10, 0)

    # THEN every refusal got its answer ...
    assert Counter(r.code for r in first) == {"FRAUD_BLOCKED": 40, "RATE_LIMITED": 24}
    assert Counter(r.code for r in second) == {"FRAUD_BLOCKED": 10}
    # ... every block is counted, exactly ...
    assert block_counts("demo") == {"blacklist": 50, "velocity_device": 24}
    aggregate()
    assert campaign_report("demo", clock[0])["fraud_blocks"] == {"blacklist": 50, "velocity_device": 24}
    # ... in at most one counter per shard, rule and hour, with a bounded sample of details
    items = audit_items(scan)
    hours = {"2026-11-23T04#blacklist", "2026-11-23T04#velocity_device", "2026-11-23T05#blacklist"}
    assert set(per_rule_hour(items["N"])) == set(per_rule_hour(items["S"])) == hours
    assert max(per_rule_hour(items["N"]).values()) <= SHARDS
    assert max(per_rule_hour(items["S"]).values()) <= SHARDS * SAMPLE_PER_SHARD
    assert len(items["N"]) + len(items["S"]) < 50 + 24
    samples = block_samples("demo")
    assert {(s.rule, s.member_id) for s in samples if s.rule == "blacklist"} == {("blacklist", "eve")}
    assert all(s.device_id == "farm" for s in samples if s.rule == "velocity_device")


@pytest.fixture
def throttled_audit() -> Iterator[list[str]]:
    """Every DynamoDB write to the fraud audit answers ProvisionedThroughputExceeded, as a
    hot partition would; yields the operations it refused."""
    refused: list[str] = []

    def throttle(model: Any, params: dict[str, Any], **_: Any) -> Any:
        if model.name not in ("UpdateItem", "PutItem") or "#BLOCKS#" not in str(params["body"]):
            return None
        refused.append(model.name)
        error = {"Code": "ProvisionedThroughputExceededException", "Message": "throttled"}
        return AWSResponse("https://dynamodb", 400, HTTPHeaders(), None), {"Error": error}

    events = dynamodb_client().meta.events
    events.register_first("before-call.dynamodb", throttle)
    yield refused
    events.unregister("before-call.dynamodb", throttle)


def test_a_failed_audit_write_keeps_the_refusals_answer(
        apply: Apply, scan: Scan, clock: list[datetime], throttled_audit: list[str]) -> None:
    apply(demo_doc(velocity={"window_seconds": 60, "per_device": 1, "per_ip": 100}))
    clock[0] = NOW + timedelta(seconds=15)
    blacklist("member", "eve", reason="chargeback ring", now=NOW)
    wheel = GameClient("lucky-wheel")

    assert_rejected(wheel.call("POST", DRAW, member="eve", key="k-00000001"), 403, "FRAUD_BLOCKED")
    assert wheel.call("POST", DRAW, member="v1", device="farm", key="k-00000002").status == 201
    limited = wheel.call("POST", DRAW, member="v2", device="farm", key="k-00000003")
    assert_rejected(limited, 429, "RATE_LIMITED")
    assert limited.headers["Retry-After"] == "45"

    assert throttled_audit == ["UpdateItem", "UpdateItem"]  # both audits tried, both refused
    assert audit_items(scan) == {"N": [], "S": []} and block_counts("demo") == {}

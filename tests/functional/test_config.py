"""Campaign config: `mgames validate` names field and reason, `apply` versions the campaign
and adjusts stock, running functions pick a new version up, and `mgames apply` works against
a DynamoDB endpoint."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from random import Random
from typing import Any

import pytest
import yaml

from infra.cli import main
from plugins.campaigns import repository
from plugins.campaigns.model import Campaign
from plugins.campaigns.repository import ConfigCache, apply_campaign, list_versions, load_current
from plugins.errors import CampaignNotFoundError, ConfigInvalidError
from plugins.prize_pool import proof
from plugins.prize_pool.allowances import stock_name
from plugins.prize_pool.budget import BUDGET
from plugins.runtime import runtime
from plugins.store import AllowanceItem, bind_table, keys
from tests.conftest import ROOT, Apply, GameClient, Scan, demo_doc, wheel_doc

DEMO = ROOT / "examples" / "demo.yaml"


def prize(doc: dict[str, Any], prize_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(p for p in doc["games"]["lucky-wheel"]["prizes"] if p["id"] == prize_id)
    return found


def with_prize(prize_id: str, **changes: Any) -> dict[str, Any]:
    doc = wheel_doc()
    prize(doc, prize_id).update(changes)
    return doc


def stock(prize_id: str, shard: int = 0) -> AllowanceItem | None:
    name = stock_name("wheel", prize_id)
    try:
        return AllowanceItem.get(keys.allowance("demo", name, shard), keys.ALLOWANCE_SK,
                                 consistent_read=True)
    except AllowanceItem.DoesNotExist:
        return None


def budget_left() -> int:
    """Cents left across every budget shard (0 when the budget is not counted at all)."""
    wanted = [(keys.allowance("demo", BUDGET, s), keys.ALLOWANCE_SK) for s in range(20)]
    return sum(int(item.remaining) for item in AllowanceItem.batch_get(wanted, consistent_read=True))


class AlwaysFirst(Random):
    """Picks the first free shard."""

    def randrange(self, *args: Any, **kwargs: Any) -> int:
        return 0

    def choice(self, seq: Any) -> Any:
        return seq[0]


@pytest.fixture
def grand_prize_wheel(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every draw's ticket is 0, the first prize of the wheel (the grand prize), on the first
    free shard."""
    monkeypatch.setattr(runtime, "rng", AlwaysFirst())
    monkeypatch.setattr(proof, "ticket", lambda number, total_weight: 0)
    yield


def win_grand(wheel: GameClient, member: str) -> None:
    reply = wheel.call("POST", "/campaigns/demo/draws", member=member, key=f"grand-{member}-0001")
    assert reply.status == 201, reply
    assert (reply.body["prize"]["id"], reply.body["fallback"]) == ("grand", False)


# --- mgames validate ---------------------------------------------------------------------------


def validate(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, str]:
    code = main(["validate", *map(str, paths)])
    out, err = capsys.readouterr()
    return code, out + err


def write(tmp_path: Path, doc: Any, name: str = "campaign.yaml") -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else yaml.safe_dump(doc, sort_keys=False))
    return path


def test_the_demo_file_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = validate(capsys, DEMO)
    assert code == 0, out
    assert "ok (campaign demo, games lucky-wheel" in out
    # Every prize has stock, so config proves the budget: no hot budget counter.
    assert "budget proven by config" in out
    # and the odds each pool's weights give, prize by prize, the fallback marked, then what
    # per-member caps make of them over a member's first 10 draws: the grand prize (1 %,
    # one per member) is won in 1 - 0.99^10 of ten draws, the rest falls back
    lines = [line.split() for line in out.splitlines()]
    assert ["grand", "1.00", "%", "->", "0.96", "%", "stock", "3,", "cost", "899.00"] in lines
    assert ["thanks", "0.00", "%", "->", "0.04", "%", "unlimited,", "cost", "0.00,", "the",
            "fallback"] in lines
    assert ["tote", "5.00", "%", "->", "5.00", "%", "stock", "50,", "cost", "12.00"] in lines
    assert "over a member's first 10 draws" in out
    # gold members' own odds (weights 2 and 30 instead of 1 and 20, out of 111): 2/111 = 1.80 %
    gold = out.split("lucky-wheel (pool wheel), tier gold:")[1].splitlines()
    assert gold[1].split()[:6] == ["grand", "1.80", "%", "->", "1.66", "%"]
    assert gold[2].split()[:3] == ["coupon-50", "27.03", "%"]


def test_validate_shows_the_odds_after_caps_over_the_draws_asked(
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", str(DEMO), "--draws", "1"])
    lines = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert code == 0
    # one draw never reaches a cap of one: the configured odds
    assert ["grand", "1.00", "%", "->", "1.00", "%", "stock", "3,", "cost", "899.00"] in lines
    code = main(["validate", str(DEMO), "--draws", "100"])
    lines = [line.split() for line in capsys.readouterr().out.splitlines()]
    # 1 - 0.99^100 = 0.634 grand prizes in 100 draws: 0.63 % a draw
    assert ["grand", "1.00", "%", "->", "0.63", "%", "stock", "3,", "cost", "899.00"] in lines
    assert ["thanks", "0.00", "%", "->", "0.37", "%", "unlimited,", "cost", "0.00,", "the",
            "fallback"] in lines
    assert main(["validate", str(DEMO), "--draws", "0"]) == 2  # a usage error: one line
    err = capsys.readouterr().err
    assert "not a number of draws" in err and err.count("\n") == 1


def _wheel(doc: dict[str, Any]) -> dict[str, Any]:
    wheel: dict[str, Any] = doc["games"]["lucky-wheel"]
    return wheel


def _bad(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    doc = wheel_doc()
    change(doc)
    return doc


# (label, document, field path the problem line starts with, words of the reason)
BAD_FILES: list[tuple[str, dict[str, Any], str, str]] = [
    ("negative weight", _bad(lambda d: prize(d, "grand").update(weight=-1)),
     "games.lucky-wheel.prizes.0.weight", "greater than or equal to 0"),
    ("unknown time zone", wheel_doc(timezone="Mars/Olympus_Mons"),
     "timezone", "unknown time zone 'Mars/Olympus_Mons'"),
    ("fallback not a prize", _bad(lambda d: _wheel(d).update(fallback="jackpot")),
     "games.lucky-wheel", "fallback 'jackpot' is not one of the prizes"),
    ("fallback with stock", _bad(lambda d: prize(d, "thanks").update(stock=5)),
     "games.lucky-wheel", "fallback prize must be unlimited"),
    ("tier odds on an unknown prize",
     _bad(lambda d: _wheel(d).update(odds_by_tier={"gold": {"weights": {"jackpot": 5}}})),
     "games.lucky-wheel", "odds_by_tier.gold: prizes ['jackpot'] are not in the pool"),
    ("a tier capping the fallback",
     _bad(lambda d: _wheel(d).update(odds_by_tier={"gold": {"per_user_caps": {"thanks": 1}}})),
     "games.lucky-wheel", "odds_by_tier.gold: the fallback prize must be unlimited"),
    ("unknown reward type",
     _bad(lambda d: prize(d, "points-100").update(reward={"type": "gift-card"})),
     "games.lucky-wheel.prizes.3.reward", "unknown reward type 'gift-card'"),
    ("discount not below threshold",
     _bad(lambda d: prize(d, "coupon-50")["reward"].update(discount="299.00")),
     "games.lucky-wheel.prizes.1.reward", "discount must be below threshold"),
    ("valid_days and a fixed window", _bad(lambda d: prize(d, "coffee")["reward"].update(valid_days=7)),
     "games.lucky-wheel.prizes.2.reward", "either valid_from and valid_until, or valid_days"),
    ("ends before it starts", wheel_doc(ends_at="2025-12-31T00:00:00"),
     "ends_at", "ends_at must be after starts_at"),
    ("unknown game", _bad(lambda d: d["games"].update({"smash-egg": {}})),
     "games.smash-egg", "unknown game 'smash-egg'"),
    ("prize dearer than the budget", _bad(lambda d: prize(d, "grand").update(cost="5000.01")),
     "games.lucky-wheel.prizes.0.cost", "more than the budget"),
    ("unknown field", _bad(lambda d: prize(d, "grand").update(odds=3)),
     "games.lucky-wheel.prizes.0.odds", "Extra inputs are not permitted"),
    ("no games", wheel_doc(games={}), "games", "at least 1 item"),
]


@pytest.mark.parametrize(("label", "doc", "path", "reason"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_bad_file_names_field_and_reason(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                           label: str, doc: dict[str, Any], path: str, reason: str) -> None:
    code, out = validate(capsys, write(tmp_path, doc))

    assert code == 1, out
    assert "invalid" in out
    problems = [line.strip() for line in out.splitlines() if line.startswith("  ")]
    assert any(p.startswith(f"{path}:") and reason in p for p in problems), (path, reason, out)
    assert "Traceback" not in out


def test_validate_checks_every_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = write(tmp_path, wheel_doc(timezone="Nowhere/Town"))

    code, out = validate(capsys, DEMO, bad, DEMO)

    assert code == 1
    assert out.count(f"{DEMO}: ok") == 2
    assert f"{bad}: invalid" in out
    assert "timezone: unknown time zone 'Nowhere/Town'" in out


def test_validate_lists_every_problem_of_a_file(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    # GIVEN a file wrong both in a campaign field and inside the wheel's section
    doc = wheel_doc(timezone="Nowhere/Town")
    prize(doc, "grand")["weight"] = -1

    code, out = validate(capsys, write(tmp_path, doc))

    # THEN one run reports both (parse_campaign promises "listing every problem")
    assert code == 1
    assert "timezone:" in out
    assert "games.lucky-wheel.prizes.0.weight:" in out


UNREADABLE: list[tuple[str, str | bytes | None, str]] = [
    ("not YAML", "id: [unclosed\nname: x\n", "not valid YAML"),
    ("a list", "- id: demo\n", "a campaign file is a mapping of fields"),
    ("empty", "", "a campaign file is a mapping of fields"),
    ("missing", None, "No such file or directory"),
    ("not UTF-8", b"\xff\xfe\x00id: demo\n", "campaign.yaml"),
    ("binary YAML value", "id: demo\nname: !!binary aGVsbG8=\n", "campaign.yaml"),
]


@pytest.mark.parametrize(("label", "content", "reason"), UNREADABLE, ids=[c[0] for c in UNREADABLE])
def test_an_unreadable_file_is_one_line_and_exit_2_not_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, label: str, content: str | bytes | None,
    reason: str,
) -> None:
    path = tmp_path / "campaign.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)

    code = main(["validate", str(path)])
    out, err = capsys.readouterr()

    # one line on stderr, the input's exit status (infra/failures.py), not a list of problems
    assert code == 2, out + err
    assert err.splitlines() == [err.rstrip("\n")] and err.startswith(f"error CONFIG_INVALID: {path}: ")
    assert reason in err and out == ""


# --- versions and the config cache -------------------------------------------------------------


def test_apply_writes_numbered_versions(apply: Apply, clock: list[datetime]) -> None:
    first = apply()
    second = apply(demo_doc(name="Double 12 member week"))

    assert (first.version, second.version) == (1, 2)
    versions = list_versions("demo")
    assert [int(v.version) for v in versions] == [1, 2]
    assert [v.doc["name"] for v in versions] == ["Double 11 member week", "Double 12 member week"]
    assert all(v.applied_at == clock[0] for v in versions)


def test_running_functions_pick_up_a_new_version(wheel: GameClient, clock: list[datetime]) -> None:
    assert wheel.call("GET", "/campaigns/demo").body["name"] == "Double 11 member week"

    # WHEN a new version is applied behind the functions' back
    apply_campaign(demo_doc(name="Double 12 member week"), now=clock[0])

    # THEN a warm function keeps the cached version until its TTL ...
    assert wheel.call("GET", "/campaigns/demo").body["name"] == "Double 11 member week"
    # ... and serves the new one once the cache lets go of it
    runtime.configs.clear()
    assert wheel.call("GET", "/campaigns/demo").body["name"] == "Double 12 member week"
    draw = wheel.call("POST", "/campaigns/demo/draws", member="alice", key="after-apply-01")
    assert draw.status == 201


def test_config_cache_ttl(apply: Apply, clock: list[datetime], dynamodb_calls: list[str]) -> None:
    apply()
    fresh, warm = ConfigCache(ttl=0), ConfigCache(ttl=60)
    assert fresh.get("demo").version == warm.get("demo").version == 1

    apply_campaign(demo_doc(name="v2"), now=clock[0])
    dynamodb_calls.clear()

    assert fresh.get("demo").version == 2
    assert fresh.get("demo").config.name == "v2"
    assert dynamodb_calls == ["GetItem", "GetItem"]
    dynamodb_calls.clear()
    assert warm.get("demo").version == 1
    assert dynamodb_calls == []  # a warm request costs no read
    warm.clear()
    assert warm.get("demo").version == 2


def test_a_reload_of_the_same_version_keeps_what_the_process_learnt(
    apply: Apply, clock: list[datetime],
) -> None:
    # GIVEN a function that learnt something about version 1 (e.g. a stock shard is empty)
    apply()
    cache = ConfigCache(ttl=0)
    first = cache.get("demo")
    first.memo["learnt"] = True
    # WHEN its TTL makes it read the campaign again, THEN the same version keeps the memo
    assert cache.get("demo") is first and cache.get("demo").memo == {"learnt": True}
    # ... and a new version starts afresh
    apply_campaign(demo_doc(name="v2"), now=clock[0])
    assert cache.get("demo").version == 2 and "learnt" not in cache.get("demo").memo


def test_a_rush_that_loads_the_campaign_at_once_shares_one_object(
    apply: Apply, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What one request learns (a stock sold out) must reach the others: requests of a cold
    function that load the same version at the same moment get the one object kept."""
    apply()
    cache, loading = ConfigCache(ttl=60), threading.Barrier(8)

    def load_together(campaign_id: str) -> Campaign:
        found = load_current(campaign_id)
        loading.wait(timeout=10)
        return found

    monkeypatch.setattr(repository, "load_current", load_together)
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(cache.get, ["demo"] * 8))
    assert len({id(campaign) for campaign in got}) == 1 and cache.get("demo") is got[0]


def test_missing_campaigns_are_remembered_within_bounds(
    apply: Apply, dynamodb_calls: list[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GIVEN a warm cache that remembers at most 3 missing ids
    apply()
    cache = ConfigCache(ttl=60)
    monkeypatch.setattr(ConfigCache, "MAX_MISSES", 3)
    cache.get("demo")
    dynamodb_calls.clear()
    # WHEN a made-up id is asked twice, THEN only the first costs a read
    for _ in range(2):
        with pytest.raises(CampaignNotFoundError):
            cache.get("made-up-0")
    assert dynamodb_calls == ["GetItem"]
    # WHEN three more made-up ids come, THEN the oldest is forgotten (and costs a read again),
    # the real campaign still none
    for n in (1, 2, 3, 0):
        with pytest.raises(CampaignNotFoundError):
            cache.get(f"made-up-{n}")
    cache.get("demo")
    assert dynamodb_calls == ["GetItem"] * 5


def test_config_cache_ttl_defaults_to_five_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MGAMES_CONFIG_TTL_SECONDS", raising=False)
    assert ConfigCache().ttl == 5
    monkeypatch.setenv("MGAMES_CONFIG_TTL_SECONDS", "0.5")
    assert ConfigCache().ttl == 0.5


# --- stock on re-apply -------------------------------------------------------------------------


def test_more_stock_raises_what_is_left_by_the_difference(
    apply: Apply, wheel: GameClient, grand_prize_wheel: None,
) -> None:
    # GIVEN two of the three grand prizes won
    win_grand(wheel, "alice")
    win_grand(wheel, "bob")
    before = stock("grand")
    assert before is not None
    assert (int(before.allotted), int(before.remaining)) == (3, 1)

    # WHEN the marketer adds five
    campaign = apply(with_prize("grand", stock=8))

    # THEN six are left, and the other prizes' stock is untouched
    after = stock("grand")
    assert after is not None
    assert campaign.version == 2
    assert (int(after.allotted), int(after.remaining)) == (8, 6)
    coupons = stock("coupon-50")
    assert coupons is not None
    assert (int(coupons.allotted), int(coupons.remaining)) == (200, 200)


def test_less_stock_is_allowed_down_to_what_was_won(
    apply: Apply, wheel: GameClient, grand_prize_wheel: None,
) -> None:
    win_grand(wheel, "alice")
    win_grand(wheel, "bob")

    apply(with_prize("grand", stock=2))

    after = stock("grand")
    assert after is not None
    assert (int(after.allotted), int(after.remaining)) == (2, 0)
    late = wheel.call("POST", "/campaigns/demo/draws", member="carol", key="grand-carol-0001")
    assert late.status == 201
    assert late.body["fallback"] is True  # sold out: the fallback, never a third grand prize


def test_less_stock_than_was_won_is_refused_and_changes_nothing(
    apply: Apply, wheel: GameClient, grand_prize_wheel: None, scan: Scan,
) -> None:
    win_grand(wheel, "alice")
    win_grand(wheel, "bob")
    before = scan()

    with pytest.raises(ConfigInvalidError, match="prize grand stock: cannot go below the 2 already"):
        apply(with_prize("grand", stock=1))

    assert scan() == before
    assert [int(v.version) for v in list_versions("demo")] == [1]


def test_changing_shards_after_the_first_apply_is_refused(apply: Apply, scan: Scan) -> None:
    apply()
    before = scan()

    with pytest.raises(ConfigInvalidError) as raised:
        apply(with_prize("coupon-50", shards=4))

    message = raised.value.message
    assert "coupon-50" in message
    assert "shard count cannot change" in message
    assert scan() == before


def test_sharded_stock_is_seeded_evenly(apply: Apply) -> None:
    apply(with_prize("coupon-50", shards=3))

    shards = [stock("coupon-50", s) for s in range(4)]
    assert [int(s.remaining) for s in shards[:3] if s is not None] == [67, 67, 66]
    assert shards[3] is None


def test_a_budget_counted_from_a_later_version_keeps_what_was_already_spent(
    apply: Apply, wheel: GameClient, grand_prize_wheel: None,
) -> None:
    # GIVEN version 1 proves its budget by config (stock x cost <= 5000), so nothing counts it,
    # and two grand prizes (899.00 each) are won under it
    win_grand(wheel, "alice")
    win_grand(wheel, "bob")
    assert budget_left() == 0

    # WHEN version 2 adds stock so the budget must now be counted
    campaign = apply(with_prize("coupon-50", stock=400))
    assert campaign.budget_counted

    # THEN the counted budget is what is left of 5000.00, not the whole of it again
    assert budget_left() <= 500000 - 2 * 89900


# --- mgames apply ------------------------------------------------------------------------------


def test_mgames_apply_against_an_endpoint(cli_store: str, table: str,
                                          capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    args = ["--endpoint", cli_store, "--table", table, "--by", "marketer-1"]

    assert main(["apply", str(DEMO), *args]) == 0
    assert "applied demo version 1" in capsys.readouterr().out
    assert main(["apply", str(write(tmp_path, demo_doc(name="Renamed"))), *args]) == 0
    assert "applied demo version 2" in capsys.readouterr().out

    bind_table(table, host=cli_store)
    versions = list_versions("demo")
    assert [(int(v.version), v.doc["name"], v.applied_by) for v in versions] == [
        (1, "Double 11 member week", "marketer-1"), (2, "Renamed", "marketer-1")]
    assert stock("grand") is not None


def test_mgames_apply_refuses_a_bad_file(cli_store: str, table: str,
                                         capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    doc = with_prize("grand", weight=-1)

    # a wrong file is the input's fault: exit status 2 (infra/failures.py), one line
    assert main(["apply", str(write(tmp_path, doc)), "--endpoint", cli_store, "--table", table]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "error CONFIG_INVALID" in err
    assert "games.lucky-wheel.prizes.0.weight" in err
    bind_table(table, host=cli_store)
    assert list_versions("demo") == []

"""Prize-promotion compliance (docs/compliance.md): the disclosure is required, a drawn prize
stays within the legal limit, and a started campaign keeps its published prizes, quantities
and odds, through `parse_campaign`, `apply_campaign`, `mgames validate` and `mgames apply`
(the console's route and refusal: tests/console/test_disclosure.py)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from infra.cli import main
from plugins.campaigns.model import parse_campaign
from plugins.campaigns.repository import apply_campaign, load_current
from plugins.errors import ConfigInvalidError
from tests.conftest import demo_doc

START = datetime.fromisoformat("2026-01-01T00:00:00+08:00")  # the demo's start, Shanghai time


def problems_of(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigInvalidError) as refused:
        parse_campaign(doc)
    return list(refused.value.details["errors"])


def grand_worth(value: str, cost: str = "899.00") -> dict[str, Any]:
    doc = demo_doc(budget="100000.00")
    doc["games"]["lucky-wheel"]["prizes"][0].update(value=value, cost=cost)
    return doc


# --- the legal limit and the disclosure fields --------------------------------------------------


def test_a_drawn_prize_over_the_legal_limit_is_refused_at_its_field() -> None:
    assert problems_of(grand_worth("50000.01")) == [
        "games.lucky-wheel.prizes.0.value: 50000.01 is more than the legal limit 50000.00 for a "
        "drawn prize (MGAMES_PRIZE_VALUE_LIMIT)"]


def test_a_drawn_prize_at_the_limit_is_accepted() -> None:
    assert parse_campaign(grand_worth("50000.00")).id == "demo"


def test_a_prize_is_worth_at_least_what_it_costs() -> None:
    assert problems_of(grand_worth("10.00", cost="50001.00"))[0].startswith(
        "games.lucky-wheel.prizes.0.value: 50001.00 is more than")


def test_the_limit_is_the_deployment_s_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MGAMES_PRIZE_VALUE_LIMIT", "1000")
    assert [p.split(":")[0] for p in problems_of(demo_doc())] == ["games.lucky-wheel.prizes.0.value"]


def test_a_listed_prize_is_not_a_lottery_and_may_exceed_it() -> None:
    doc = demo_doc(budget="100000.00")
    doc["games"]["points-exchange"]["items"][0]["value"] = "60000.00"
    assert parse_campaign(doc).id == "demo"


def test_a_campaign_without_its_disclosure_is_refused() -> None:
    doc = demo_doc()
    del doc["disclosure"]
    assert [p.split(":")[0] for p in problems_of(doc)] == ["disclosure"]
    doc["disclosure"] = {"organiser": "Demo Retail"}
    assert [p.split(":")[0] for p in problems_of(doc)] == ["disclosure.redemption_terms"]


def test_mgames_validate_names_the_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "over.yaml"
    file.write_text(json.dumps(grand_worth("80000.00")))
    assert main(["validate", str(file)]) == 1
    err = capsys.readouterr().err
    assert "games.lucky-wheel.prizes.0.value: 80000.00 is more than the legal limit" in err


# --- a started campaign keeps what it published ----------------------------------------------------


def started(clock: list[datetime], doc: dict[str, Any] | None = None) -> dict[str, Any]:
    """The demo applied once it has started (the test clock is in November 2026)."""
    assert clock[0] > START
    apply_campaign(doc or demo_doc(), now=clock[0])
    return demo_doc() if doc is None else json.loads(json.dumps(doc))


def refusal(doc: dict[str, Any], now: datetime) -> list[str]:
    with pytest.raises(ConfigInvalidError) as refused:
        apply_campaign(doc, now=now)
    return [p.split(":")[0] for p in refused.value.details["errors"]]


@pytest.mark.parametrize(("field", "value"), [
    ("weight", 25), ("stock", 90), ("value", "30.00"), ("name", "Two coffees"), ("per_user_cap", 2)])
def test_a_started_campaign_refuses_a_change_to_a_prize(
        table: str, clock: list[datetime], field: str, value: Any) -> None:
    doc = started(clock)
    doc["games"]["lucky-wheel"]["prizes"][2][field] = value
    assert refusal(doc, clock[0]) == [f"games.lucky-wheel.prizes.2.{field}"]
    assert load_current("demo").version == 1


def test_a_started_campaign_refuses_new_prizes_tier_odds_and_a_new_start(
        table: str, clock: list[datetime]) -> None:
    doc = started(clock)
    doc["games"]["check-in"]["blind_box"]["prizes"].pop(0)
    doc["games"]["lucky-wheel"]["odds_by_tier"]["gold"]["weights"]["grand"] = 5
    doc["starts_at"] = "2027-01-01T00:00:00"
    assert refusal(doc, clock[0]) == ["starts_at", "games.lucky-wheel.odds_by_tier",
                                      "games.check-in.blind_box.prizes"]


def test_a_started_campaign_may_stop_a_game_and_extend_stock_as_disclosed(
        table: str, clock: list[datetime]) -> None:
    doc = started(clock)
    doc["games"]["assist"]["enabled"] = False
    doc["games"]["lucky-wheel"]["prizes"][0]["stock"] = 5
    doc["ends_at"] = "2026-12-31T23:59:59"  # stopping the campaign earlier
    campaign = apply_campaign(doc, now=clock[0])
    assert campaign.version == 2 and not campaign.games["assist"].enabled


def test_stock_extends_only_if_the_disclosure_said_so(table: str, clock: list[datetime]) -> None:
    base = demo_doc()
    base["disclosure"]["stock_may_extend"] = False
    doc = started(clock, base)
    doc["games"]["lucky-wheel"]["prizes"][0]["stock"] = 5
    assert refusal(doc, clock[0]) == ["games.lucky-wheel.prizes.0.stock"]


def test_an_unstarted_campaign_accepts_any_change(table: str, clock: list[datetime]) -> None:
    before = START - timedelta(hours=1)
    apply_campaign(demo_doc(), now=before)
    doc = demo_doc()
    doc["games"]["lucky-wheel"]["prizes"][2].update(weight=25, stock=90)
    doc["games"]["check-in"]["blind_box"]["prizes"].pop(0)
    doc["games"]["check-in"]["blind_box"]["fallback"] = "sticker"
    assert apply_campaign(doc, now=before).version == 2


def test_mgames_apply_refuses_a_locked_change_with_its_field(
        cli_store: str, table: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    options = ["--endpoint", cli_store, "--table", table]
    file = tmp_path / "demo.yaml"
    file.write_text(json.dumps(demo_doc()))
    assert main(["apply", str(file), *options]) == 0  # the real clock: the demo started in 2026
    doc = demo_doc()
    doc["games"]["lucky-wheel"]["prizes"][2]["weight"] = 25
    file.write_text(json.dumps(doc))
    capsys.readouterr()

    assert main(["apply", str(file), *options]) == 2
    err = capsys.readouterr().err
    assert "error CONFIG_INVALID: games.lucky-wheel.prizes.2.weight: published as 30" in err

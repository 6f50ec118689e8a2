"""The forecast (plugins/forecast) on small campaigns whose outcome is known exactly: the day a
stock or a budget runs out, the cost of each day, what caps do to odds, the chances check-in
grants the wheel, assist completions and red-packet payouts."""

from __future__ import annotations

from typing import Any

import pytest

from plugins.campaigns.model import parse_campaign
from plugins.forecast import ForecastInvalidError, Traffic, forecast
from plugins.prize_pool import PrizePoolConfig
from plugins.prize_pool.limits import capped_odds

THANKS = {"id": "thanks", "name": "Thanks", "weight": 0, "reward": {"type": "points", "points": 1}}


def campaign(games: dict[str, Any], budget: str = "100.00", **fields: Any) -> dict[str, Any]:
    """A campaign from Monday 2026-11-02 for a month, running `games`."""
    return {"id": "small", "name": "Small", "starts_at": "2026-11-02T00:00:00",
            "ends_at": "2026-12-01T00:00:00", "budget": budget, "games": games,
            "disclosure": {"organiser": "Small Co.", "redemption_terms": "In store."}, **fields}


def wheel(*prizes: dict[str, Any], per_day: int | None = 1) -> dict[str, Any]:
    return {"lucky-wheel": {"chances_per_day": per_day, "fallback": "thanks",
                            "prizes": [*prizes, THANKS]}}


def gift(**fields: Any) -> dict[str, Any]:
    return {"id": "gift", "name": "Gift", "weight": 1, "cost": "1.00"} | fields


def run(doc: dict[str, Any], **traffic: Any) -> dict[str, Any]:
    profile = {"players": 4, "days": 5, "runs": 3, "active": 1.0, "plays": 1} | traffic
    return forecast(parse_campaign(doc), Traffic.parse(profile))


def costs(result: dict[str, Any]) -> list[str]:
    """Each day's cost; asserting every run spent the same (the interval is a point)."""
    for day in result["days"]:
        assert day["cost"]["low"] == day["cost"]["mean"] == day["cost"]["high"], day
    return [day["cost"]["mean"] for day in result["days"]]


def out(result: dict[str, Any], what: str) -> dict[str, Any]:
    found: dict[str, Any] = next(o for o in result["run_out"] if o["what"] == what)
    return found


def test_a_stock_runs_out_on_the_day_its_last_unit_goes() -> None:
    # GIVEN 10 gifts, and 4 members who each spin once a day, every spin drawing the gift
    result = run(campaign(wheel(gift(stock=10))))
    # THEN 4 go on day 1, 4 on day 2, the last 2 on day 3 (the other spins fall back)
    assert costs(result) == ["4.00", "4.00", "2.00", "0.00", "0.00"]
    stock = out(result, "lucky-wheel (pool wheel): prize gift")
    assert stock | {"within_days": 5} == {
        "what": "lucky-wheel (pool wheel): prize gift", "kind": "stock", "total": 10, "day": 3,
        "date": "2026-11-04", "share_of_runs": 1.0, "earliest": 3, "latest": 3, "within_days": 5}
    odds = result["odds"][0]
    assert odds["plays_per_run"] == 20
    assert [(p["id"], p["configured"], p["effective"]) for p in odds["prizes"]] == [
        ("gift", "100.00", "50.00"), ("thanks", "0.00", "50.00")]
    assert result["awards"]["per_player"] == {"mean": 2.5, "low": 2.5, "high": 2.5}
    assert result["campaign"]["budget_counted"] is False


def test_a_stock_that_lasts_is_not_within_the_days() -> None:
    result = run(campaign(wheel(gift(stock=21))))
    stock = out(result, "lucky-wheel (pool wheel): prize gift")
    assert (stock["day"], stock["share_of_runs"], stock["earliest"]) == (None, 0.0, None)
    assert costs(result) == ["4.00"] * 5


def test_a_counted_budget_runs_out_on_the_day_it_cannot_pay() -> None:
    # GIVEN unlimited gifts at 2.50 (so the budget of 10.00 must be counted), 3 members
    result = run(campaign(wheel(gift(cost="2.50")), budget="10.00"), players=3)
    assert result["campaign"]["budget_counted"] is True
    # THEN day 1 pays 3 gifts, day 2 the 4th, which empties it; nothing after
    assert costs(result) == ["7.50", "2.50", "0.00", "0.00", "0.00"]
    budget = out(result, "budget")
    assert (budget["kind"], budget["total"], budget["day"], budget["date"]) == (
        "budget", "10.00", 2, "2026-11-03")
    # WHEN the budget leaves change that no gift can take, it runs out on the refusal
    result = run(campaign(wheel(gift(cost="2.50")), budget="11.00"), players=3)
    assert costs(result) == ["7.50", "2.50", "0.00", "0.00", "0.00"]
    assert out(result, "budget")["day"] == 2
    result = run(campaign(wheel(gift(cost="2.50")), budget="18.00"), players=3)
    assert costs(result) == ["7.50", "7.50", "2.50", "0.00", "0.00"]
    assert out(result, "budget")["day"] == 3


def test_caps_send_draws_beyond_them_to_the_fallback() -> None:
    result = run(campaign(wheel(gift(per_user_cap=2), per_day=None)), plays=3, days=2)
    # each member wins two gifts, on day 1; his four other spins fall back
    assert costs(result) == ["8.00", "0.00"]
    assert [p["effective"] for p in result["odds"][0]["prizes"]] == ["33.33", "66.67"]


def test_capped_odds_are_the_expected_share_of_a_members_draws() -> None:
    pool = PrizePoolConfig.model_validate({"fallback": "thanks", "prizes": [
        gift(weight=1, per_user_cap=1), {**THANKS, "weight": 1}]})
    # E[min(X, 1)] for X ~ Binomial(2, 1/2) is 3/4: 37.5 % of two draws
    assert capped_odds(pool, 2) == {"gift": pytest.approx(37.5), "thanks": pytest.approx(62.5)}
    assert capped_odds(pool, 1) == {"gift": 50, "thanks": 50}
    with pytest.raises(ValueError):
        capped_odds(pool, 0)


def test_check_in_milestones_grant_wheel_draws_through_the_cycle() -> None:
    # GIVEN a weekly check-in whose 3-day streak grants one more spin, and one spin a day
    check_in = {"cycle": "week", "milestones": [{"streak": 3, "wheel_chances": 1}]}
    doc = campaign({**wheel(gift()), "check-in": check_in})
    # WHEN one member checks in every day of two weeks and tries five spins a day
    result = run(doc, players=1, days=14, plays=5)
    # THEN he spins once a day, and once more on each Wednesday (day 3 of each week)
    assert result["odds"][0]["plays_per_run"] == 16
    assert costs(result)[:3] == ["1.00", "1.00", "2.00"]


def test_an_assist_task_with_enough_friends_completes() -> None:
    assist = {"helpers_needed": 3, "max_open_tasks": 1, "fallback": "thanks",
              "prizes": [gift(), THANKS]}
    result = run(campaign({"assist": assist}), players=10, days=2, helpers=60)
    # one task a day each, every task completed: ten prizes a day
    assert costs(result) == ["10.00", "10.00"]
    assert result["odds"][0]["plays_per_run"] == 20
    # without friends, nothing completes
    result = run(campaign({"assist": assist}), players=10, days=2, helpers=0)
    assert result["odds"][0]["plays_per_run"] == 0 and costs(result) == ["0.00", "0.00"]


def test_red_packets_pay_out_their_parts_within_their_own_budget() -> None:
    packets = {"action": {"amount": "1.00", "per_day": 1}, "parts": 2, "split": "equal",
               "diminishing": None, "packets_budget": "15.00"}
    result = run(campaign({"red-packet": packets}), players=10, days=3, grabs=60)
    # ten packets of 1.00 on day 1, all grabbed; five more fit the budget on day 2
    assert costs(result) == ["10.00", "5.00", "0.00"]
    fund = out(result, "red-packet: packets budget")
    assert (fund["total"], fund["day"]) == ("15.00", 2)


def test_partner_coupon_claims_stop_at_the_partners_quota() -> None:
    coupon = {"type_id": "latte", "title": "10 off a latte", "kind": "cash_voucher",
              "discount": "10.00", "face_value": "10.00", "cost": "2.00",
              "per_user_per_day": 1, "per_user_per_campaign": None}
    partner = {"id": "cafe", "name": "Cafe", "quota": 5, "budget": "100.00", "brand_share": "0.25",
               "coupons": [coupon]}
    result = run(campaign({"partner-coupon": {"partners": [partner]}}), days=3, plays=2)
    # one claim a member a day (its collection limit), until the quota's 5th: the brand pays
    # a quarter of each 2.00
    assert costs(result) == ["2.00", "0.50", "0.00"]
    quota = out(result, "partner-coupon: cafe quota")
    assert (quota["kind"], quota["total"], quota["day"]) == ("quota", 5, 2)
    assert out(result, "partner-coupon: cafe budget")["day"] is None


def test_points_earned_in_check_ins_are_spent_in_the_exchange() -> None:
    # GIVEN 100 points a check-in, and an item of 200 points with a stock of 3 costing 1.00
    check_in = {"cycle": "week", "daily_reward": {"type": "points", "points": 100}}
    item = {"id": "mug", "name": "Mug", "price_points": 200, "stock": 3, "cost": "1.00"}
    doc = campaign({"check-in": check_in, "points-exchange": {"items": [item]}})
    result = run(doc, days=4)
    # THEN nobody can pay on day 1; 3 of the 4 members get one on day 2 (the stock), and the
    # fourth, who kept his points, finds it sold out from then on
    assert costs(result) == ["0.00", "3.00", "0.00", "0.00"]
    assert out(result, "points-exchange (pool exchange): prize mug")["day"] == 2


def test_a_daily_item_limit_and_a_chance_bought_for_the_wheel() -> None:
    # GIVEN 500 points a day, spins sold at 100 points (two a day at most), no spin otherwise
    check_in = {"cycle": "week", "daily_reward": {"type": "points", "points": 500}}
    spin = {"id": "spin", "name": "Spin", "price_points": 100, "per_member_per_day": 2,
            "reward": {"type": "chances", "game": "lucky-wheel", "chances": 1}}
    spins = wheel(gift(), per_day=None)
    spins["lucky-wheel"]["chances_total"] = 1
    doc = campaign({"check-in": check_in, "points-exchange": {"items": [spin]}, **spins})
    # WHEN one member tries 5 exchanges and 5 spins a day for 3 days
    result = run(doc, players=1, days=3, plays=5)
    # THEN his one spin of the campaign plus the two he buys each day: 7 gifts of 1.00
    assert costs(result) == ["3.00", "2.00", "2.00"]


def test_orders_earn_their_gifts_once_per_period() -> None:
    # GIVEN a first-order gift, and an order gift of 1.00 for orders of 100 or more, once a day
    rules = [{"id": "first", "name": "First", "event": "first_order", "cost": "5.00", "stock": 2},
             {"id": "big", "name": "Big order", "event": "order", "min_amount": "100.00",
              "once_per": "day", "cost": "1.00", "stock": 100}]
    doc = campaign({"event-gifts": {"rules": rules}})
    # WHEN 4 members order twice a day (199.00 each)
    result = run(doc, days=3, orders=2)
    # THEN day 1: two first-order gifts (their stock) and 4 order gifts (the second orders);
    # then 4 order gifts a day, once each
    assert costs(result) == ["14.00", "4.00", "4.00"]
    assert run(doc, days=3, orders=2, order_amount="99.00")["days"][1]["cost"]["mean"] == "0.00"


def test_registrations_and_share_opens_earn_their_gifts() -> None:
    # GIVEN a welcome gift of 3.00 (once in the campaign) and 1.00 per friend opening a
    # member's share link, at most 2 a day
    rules = [{"id": "welcome", "name": "Welcome", "event": "registration", "cost": "3.00", "stock": 100},
             {"id": "share", "name": "Share", "event": "share_opened", "per_member_per_day": 2,
              "cost": "1.00", "stock": 100}]
    doc = campaign({"event-gifts": {"rules": rules}})
    # WHEN all 4 members register on their first day THEN 4 welcome gifts, on day 1 only
    assert costs(run(doc, days=2, registrations=1.0)) == ["12.00", "0.00"]
    assert costs(run(doc, days=2)) == ["0.00", "0.00"]  # nobody registers
    # WHEN 3 new friends a day open each member's link THEN the daily limit gives 2 each
    assert costs(run(doc, days=2, share_opens=3)) == ["8.00", "8.00"]
    # WHEN half of 100 members register THEN about 50 welcome gifts beside the 100 shares' gifts
    many = campaign({"event-gifts": {"rules": rules}}, budget="1000.00")
    result = run(many, days=1, registrations=0.5, share_opens=1, runs=40, players=100)
    assert 3 * 40 < float(result["days"][0]["cost"]["mean"]) - 100 < 3 * 60


def test_a_tier_plays_with_its_own_chances_and_odds_on_the_shared_stock() -> None:
    # GIVEN a wheel of one spin a day whose gift a gold member never draws but by his own odds
    # (always, twice a day), 10 gifts in stock, and no gift for the fallback's share
    doc = campaign({"lucky-wheel": {**wheel(gift(weight=0), {"id": "nothing", "name": "None", "weight": 1})[
        "lucky-wheel"], "chances_by_tier": {"gold": {"chances_per_day": 2}},
        "odds_by_tier": {"gold": {"weights": {"gift": 1, "nothing": 0}}}}})
    doc["games"]["lucky-wheel"]["prizes"][0]["stock"] = 10
    # WHEN no member is gold THEN the gift is never drawn
    assert costs(run(doc)) == ["0.00"] * 5
    # WHEN one of the four is gold THEN he wins two gifts a day till the five days are over
    one = run(doc, tiers={"gold": 0.25}, plays=3)
    assert costs(one) == ["2.00"] * 5 and one["traffic"]["tiers"] == {"gold": 0.25}
    # WHEN all four are THEN the shared 10 go in two days (eight, then two)
    assert costs(run(doc, tiers={"gold": 1.0}, plays=3)) == ["8.00", "2.00", "0.00", "0.00", "0.00"]


def test_the_same_seed_gives_the_same_forecast() -> None:
    from pathlib import Path

    from plugins.campaigns.files import read_campaign_file

    demo = parse_campaign(read_campaign_file(Path(__file__).parents[2] / "examples" / "demo.yaml"))
    profile = {"players": 40, "days": 3, "runs": 5, "seed": 7}
    first = forecast(demo, Traffic.parse(profile))
    assert forecast(demo, Traffic.parse(profile)) == first
    assert forecast(demo, Traffic.parse(profile | {"seed": 8})) != first
    assert first["games"] == {"modelled": ["assist", "check-in", "event-gifts", "lucky-wheel",
                                           "partner-coupon", "points-exchange", "red-packet"],
                              "not_modelled": ["booking"]}


@pytest.mark.parametrize(("profile", "problem"), [
    ({"players": 0, "days": 1}, "players: Input should be greater than or equal to 1"),
    ({"players": 1, "days": 1, "active": 1.5}, "active: Input should be less than or equal to 1"),
    ({"players": 1, "days": 1, "surprise": 1}, "surprise: Extra inputs are not permitted"),
    ({"players": 1_000_000, "days": 366, "runs": 1000}, "more than 20,000,000"),
    ({"players": 1, "days": 1, "game_plays": {"x": -1}}, "plays of x must be between 0 and 100"),
    ({"players": 1, "days": 1, "tiers": {"gold": 0.6, "silver": 0.5}},
     "tiers: the tiers' shares add up to more"),
    ({"players": 1, "days": 1, "tiers": {"gold": 0}}, "each tier's share must be more than 0"),
])
def test_a_bad_profile_is_named(profile: dict[str, Any], problem: str) -> None:
    with pytest.raises(ForecastInvalidError) as refused:
        Traffic.parse(profile)
    assert problem in refused.value.message


def test_a_profile_the_campaign_cannot_play_is_named() -> None:
    doc = parse_campaign(campaign(wheel(gift())))
    with pytest.raises(ForecastInvalidError, match="not open on any day from 2027-01-01"):
        forecast(doc, Traffic.parse({"players": 1, "days": 2, "start": "2027-01-01"}))
    with pytest.raises(ForecastInvalidError, match=r"games the campaign does not run: \['assist'\]"):
        forecast(doc, Traffic.parse({"players": 1, "days": 2, "game_plays": {"assist": 1}}))

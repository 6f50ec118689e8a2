"""The forecast: a campaign played `runs` times by a seeded crowd through the real rules,
summed up as a marketer reads it (cost per day with an interval, the day each stock and
budget runs out, the odds a play really has, awards per player).

Each run has its own `random.Random`, seeded from the forecast's seed and the run's number:
the same seed gives the same forecast, whatever runs before it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from random import Random
from typing import Any

from plugins.contracts import Campaign, GameConfig
from plugins.forecast.outcome import RunOutcome, pool_label, stock_label
from plugins.forecast.summary import summarize
from plugins.forecast.traffic import ForecastInvalidError, Traffic
from plugins.forecast.world import GameModel, World
from plugins.prize_pool.model import PrizePoolConfig, pools_of
from plugins.registry import contribution, get_game

__all__ = ["forecast", "play"]

Model = Callable[[GameConfig, World], GameModel]


def _models(campaign: Campaign) -> tuple[dict[str, tuple[Model, GameConfig]], list[str]]:
    """The enabled games with a forecast model, and the enabled games without one."""
    found, missing = {}, []
    for name, section in campaign.games.items():
        if not section.enabled:
            continue
        model = contribution(get_game(name), "forecast")
        if model is None:
            missing.append(name)
        else:
            found[name] = (model, section)
    return found, missing


def _days(campaign: Campaign, traffic: Traffic) -> list[tuple[date, bool]]:
    """Each simulated day and whether the campaign is open on it (its plays happen at noon,
    campaign time)."""
    config = campaign.config
    start = traffic.start or config.local_day(config.aware(config.starts_at))
    days = [start + timedelta(days=i) for i in range(traffic.days)]
    flags = [(day, config.is_open(datetime.combine(day, time(12), tzinfo=config.zone))) for day in days]
    if not any(is_open for _, is_open in flags):
        raise ForecastInvalidError(
            f"the campaign is not open on any day from {days[0]} to {days[-1]} (it runs "
            f"{config.starts_at:%Y-%m-%d} to {config.ends_at:%Y-%m-%d}): set start within it")
    return flags


def play(campaign: Campaign, traffic: Traffic, run: int,
         models: dict[str, tuple[Model, GameConfig]], days: list[tuple[date, bool]]) -> RunOutcome:
    """One run: every simulated day, the members active on it play every modelled game."""
    rng = Random(f"{traffic.seed}:{run}")
    world = World(campaign, traffic, rng)
    for game, (_, section) in models.items():
        for pool_id, pool in pools_of(section).items():
            for prize in pool.prizes:
                if prize.stock is not None:
                    world.pot(stock_label(game, pool_id, prize.id), "stock", prize.stock)
    played = sorted((model(section, world) for model, section in models.values()),
                    key=lambda m: m.order)
    players, share = traffic.players, traffic.active
    for index, (day, is_open) in enumerate(days):
        if not is_open:
            continue
        world.begin(index, day)
        active = [m for m in range(players) if rng.random() < share]
        for game_model in played:
            game_model.day(world, active)
    return RunOutcome(cost=world.cost, pots=world.pots,
                      tallies=world.tallies, awards=sum(world.awards.values()),
                      awarded=len(world.awards))


def forecast(campaign: Campaign, traffic: Traffic,
             advance: Callable[[int], None] | None = None) -> dict[str, Any]:
    """The forecast of `campaign` under `traffic` (JSON-able); `advance(1)` after each run."""
    models, missing = _models(campaign)
    unknown = sorted(set(traffic.game_plays) - set(models) - set(missing))
    if unknown:
        raise ForecastInvalidError(f"plays name games the campaign does not run: {unknown}")
    if not models:
        raise ForecastInvalidError(f"no game of the campaign can be forecast ({missing})")
    days = _days(campaign, traffic)
    outcomes = []
    for run in range(traffic.runs):
        outcomes.append(play(campaign, traffic, run, models, days))
        if advance is not None:
            advance(1)
    pools = {pool_label(game, pool_id): pool for game, (_, section) in models.items()
             for pool_id, pool in pools_of(section).items() if isinstance(pool, PrizePoolConfig)}
    return summarize(campaign, traffic, days, outcomes, pools, sorted(models), missing)

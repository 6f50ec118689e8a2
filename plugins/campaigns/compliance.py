"""Prize-promotion compliance rules a campaign version must pass (docs/compliance.md).

`launch_problems` is part of validating any version: the disclosure is there, and no drawn
(lottery-type) prize is worth more than the legal limit. `locked_problems` compares a new
version with the current one once that has started: its prizes, their quantities and odds are
published and may not change (a game or the campaign may still stop; stock may grow if the
disclosure said so). Each problem is `field.path: reason`, like every config error.
"""

from __future__ import annotations

import os
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel

from plugins.contracts import Campaign, CampaignConfig, GameConfig
from plugins.prize_pool.model import Prize, PrizePoolConfig, PrizeSet, pools_of, prizes_path

__all__ = ["LIMIT_SETTING", "launch_problems", "locked_problems", "prize_value_limit"]

LIMIT_SETTING = "MGAMES_PRIZE_VALUE_LIMIT"
"""The deployment's legal limit on a lottery-type prize's value, in yuan (50,000 by default:
China's Anti-Unfair Competition Law); a deployment setting, so a campaign cannot raise it."""
LOCKED_FIELDS = ("name", "weight", "value", "cost", "per_user_cap", "reward")
"""A published prize's fields a started campaign keeps (its `stock` may only grow, and only
if the disclosure said so; its picture may change)."""


def prize_value_limit() -> Decimal:
    raw = os.environ.get(LIMIT_SETTING, "50000")
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"{LIMIT_SETTING} is not an amount in yuan: {raw!r}") from None


def prize_worth(prize: Prize) -> Decimal:
    """A prize's market value for the limit: its `value`, and never less than its `cost`."""
    return max(prize.value, prize.cost)


def _drawn_pools(games: dict[str, GameConfig]) -> list[tuple[str, PrizePoolConfig]]:
    """Every lottery-type pool (drawn, with a fallback) with where its prizes sit."""
    return [(prizes_path(name, section, pool), pool) for name, section in games.items()
            for pool in pools_of(section).values() if isinstance(pool, PrizePoolConfig)]


def launch_problems(config: CampaignConfig, games: dict[str, GameConfig]) -> list[str]:
    """The disclosure must be given; no drawn prize may be worth more than the limit."""
    problems = [] if config.disclosure is not None else [
        "disclosure: required: the organiser and redemption terms the public disclosure publishes"]
    limit = prize_value_limit()
    for where, pool in _drawn_pools(games):
        problems += [f"{where}.{i}.value: {prize_worth(p):.2f} is more than the legal limit "
                     f"{limit:.2f} for a drawn prize ({LIMIT_SETTING})"
                     for i, p in enumerate(pool.prizes) if prize_worth(p) > limit]
    return problems


def _shown(value: Any) -> str:
    """A published field's value in a refusal: amounts in yuan, a reward by its type."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, BaseModel):
        return f"a {getattr(value, 'type', 'reward')} reward"
    return repr(value)


def _prize_changes(where: str, was: Prize, now: Prize, extend: bool) -> list[str]:
    found = [f"{where}.{name}: published as {_shown(getattr(was, name))}, a started campaign "
             "cannot change it" for name in LOCKED_FIELDS if getattr(was, name) != getattr(now, name)]
    if was.stock != now.stock:
        grows = extend and was.stock is not None and (now.stock is None or now.stock > was.stock)
        if not grows:
            rule = "only grow (the disclosure allows it)" if extend else "not change (the disclosure " \
                   "does not allow extending stock)"
            found.append(f"{where}.stock: published as {was.stock}; in a started campaign it may {rule}")
    return found


def _pool_changes(where: str, was: PrizeSet, now: PrizeSet, extend: bool) -> list[str]:
    before, after = [p.id for p in was.prizes], [p.id for p in now.prizes]
    if before != after:
        return [f"{where}: published as {before}; a started campaign cannot add, remove or "
                f"reorder prizes (now {after})"]
    found = [problem for i, (old, new) in enumerate(zip(was.prizes, now.prizes, strict=True))
             for problem in _prize_changes(f"{where}.{i}", old, new, extend)]
    if isinstance(was, PrizePoolConfig) and isinstance(now, PrizePoolConfig):
        base = where.removesuffix(".prizes")
        found += [f"{base}.{name}: a started campaign cannot change the published odds"
                  for name in ("fallback", "odds_by_tier") if getattr(was, name) != getattr(now, name)]
    return found


def _published(config: CampaignConfig) -> dict[str, Any]:
    disclosure = config.disclosure
    return {} if disclosure is None else disclosure.model_dump(exclude={"contact"})


def locked_problems(current: Campaign, new: Campaign, now: datetime) -> list[str]:
    """What `new` changes of `current`'s published prizes, odds and terms, once `current` has
    started (its own start, so a version cannot move it away to unlock the next)."""
    if not current.config.has_started(now):
        return []
    found = []
    if current.config.aware(current.config.starts_at) != new.config.aware(new.config.starts_at):
        found.append("starts_at: a started campaign cannot move its start")
    if current.config.disclosure is not None and _published(current.config) != _published(new.config):
        found.append("disclosure: a started campaign cannot change its published terms")
    extend = current.config.disclosure is not None and current.config.disclosure.stock_may_extend
    new_games = new.games
    for name, section in current.games.items():
        pools, now_pools = pools_of(section), pools_of(new_games[name]) if name in new_games else {}
        for pool_id, pool in pools.items():
            where = prizes_path(name, section, pool)
            if pool_id not in now_pools:
                found.append(f"games.{name}: a started campaign keeps its prizes; stop the game "
                             "with `enabled: false` instead of removing them")
                continue
            found += _pool_changes(where, pool, now_pools[pool_id], extend)
    return found

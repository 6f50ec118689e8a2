"""Validating a campaign document: each game's section against that game's own model.

`parse_campaign` validates the whole document, each game's section against its game's model
(found through the registry), and the budget against the prize pools, and reports every
problem as `field.path: reason`: what applying or validating a campaign needs.
`stored_campaign` is what the functions need of a version that passed it: the campaign-wide
fields only, each game's section validated on first use, so a game function imports its own
game, not every game a campaign names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from plugins.campaigns.compliance import launch_problems
from plugins.contracts import Campaign, CampaignConfig, GameConfig
from plugins.errors import ConfigInvalidError
from plugins.prize_pool.model import pools_of, prizes_path
from plugins.registry import PluginError, get_game
from plugins.types import cents


def _errors(exc: ValidationError, prefix: tuple[str | int, ...] = ()) -> list[str]:
    """Each error as `field.path: reason` (pydantic's "Value error, " prefixes dropped)."""
    found = []
    for err in exc.errors():
        where = ".".join(str(part) for part in (*prefix, *err["loc"]))
        reason = err["msg"].replace("Value error, ", "")
        found.append(f"{where}: {reason}" if where else reason)
    return found


def max_award_cost(games: dict[str, GameConfig]) -> Decimal | None:
    """The most the prize pools and the games' own spending can ever cost, or None when
    something is unbounded."""
    total = Decimal(0)
    for section in games.values():
        own = section.max_cost()
        if own is None:
            return None
        total += own
        for pool in pools_of(section).values():
            for prize in pool.prizes:
                if prize.cost and prize.stock is None:
                    return None
                total += prize.cost * (prize.stock or 0)
    return total


def _section(name: str, raw: dict[str, Any] | None) -> GameConfig:
    """Game `name`'s section validated by that game's own model, found through the registry."""
    try:
        return get_game(name).config_model.model_validate(raw or {})
    except PluginError as exc:
        problems = [f"games.{name}: {exc}"]
    except ValidationError as exc:
        problems = _errors(exc, ("games", name))
    raise ConfigInvalidError("; ".join(problems), errors=problems)


def _game_sections(doc: Any, problems: list[str]) -> dict[str, GameConfig]:
    """Every game's section, each problem added to `problems`."""
    sections = doc.get("games") if isinstance(doc, dict) else None
    games: dict[str, GameConfig] = {}
    for name, section in (sections or {}).items() if isinstance(sections, dict) else ():
        try:
            games[name] = _section(name, section)
        except ConfigInvalidError as exc:
            problems.extend(exc.details["errors"])
    return games


def _dear_prizes(games: dict[str, GameConfig], budget: Decimal) -> list[str]:
    problems = []
    for name, section in games.items():
        for pool in pools_of(section).values():
            where = prizes_path(name, section, pool)
            problems += [f"{where}.{i}.cost: {p.cost:.2f} is more than the budget {budget:.2f}"
                         for i, p in enumerate(pool.prizes) if p.cost > budget]
    return problems


def _cities(value: Any, where: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Every coupon usage limited to cities in a parsed section: (its path, the cities)."""
    if isinstance(value, BaseModel):
        cities = getattr(getattr(value, "usage", None), "cities", ())
        if cities:
            yield f"{where}.usage.cities", tuple(cities)
        for name in type(value).model_fields:
            yield from _cities(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _cities(item, f"{where}.{i}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _cities(item, f"{where}.{key}")


def _cities_without_stores(games: dict[str, GameConfig], config: CampaignConfig) -> list[str]:
    """A coupon limited to cities is redeemable only at the campaign's stores of those cities:
    each city must have one (a misspelt city would make the coupon unusable anywhere)."""
    served = {store.city for store in config.stores}
    return [f"{where}: no store in `stores` is in {city!r}"
            for name, section in games.items() for where, cities in _cities(section, f"games.{name}")
            for city in cities if city not in served]


def _webhook_clashes(games: dict[str, GameConfig], config: CampaignConfig) -> list[str]:
    """An endpoint id names one endpoint of the campaign, its games' (a partner's) included."""
    ids = Counter([hook.id for hook in config.webhooks]
                  + [hook.id for section in games.values() for hook in section.webhooks()])
    return [f"webhooks: endpoint id {name!r} is used {n} times" for name, n in sorted(ids.items()) if n > 1]


def parse_campaign(doc: Any, version: int = 0, *, counted: bool = False) -> Campaign:
    """Validate a whole campaign document or raise ConfigInvalidError listing every problem,
    the compliance rules' included (`plugins.campaigns.compliance.launch_problems`).

    The budget is counted at run time unless config proves it cannot be exceeded, or
    `counted` says it already is (a campaign once counted stays counted).
    """
    problems: list[str] = []
    try:
        config: CampaignConfig | None = CampaignConfig.model_validate(doc)
    except ValidationError as exc:
        config = None
        problems += _errors(exc)
    games = _game_sections(doc, problems)
    if config is not None:
        problems += (_dear_prizes(games, config.budget) + _cities_without_stores(games, config)
                     + _webhook_clashes(games, config))
        problems += launch_problems(config, games)
    if problems or config is None:
        raise ConfigInvalidError("; ".join(problems), errors=problems)
    ceiling = max_award_cost(games)
    counted = counted or ceiling is None or cents(ceiling) > cents(config.budget)
    return Campaign(config=config, sections=_section, version=version, budget_counted=counted,
                    parsed=games)


def stored_campaign(doc: Any, version: int, *, counted: bool) -> Campaign:
    """A stored version, for the functions: `parse_campaign` passed it when it was applied,
    and its stored `counted` flag is the budget proof, so only the campaign-wide fields are
    checked here; each section is validated when first used."""
    try:
        config = CampaignConfig.model_validate(doc)
    except ValidationError as exc:
        problems = _errors(exc)
        raise ConfigInvalidError("; ".join(problems), errors=problems) from None
    return Campaign(config=config, sections=_section, version=version, budget_counted=counted)

"""Plug-in discovery through Python entry points, for games and for reward issuers.

Built-in games and issuers register in this project's `pyproject.toml` exactly as a
third-party package would in its own; nothing here names a built-in. A bad plug-in fails
at discovery with the entry point it came from; `MGAMES_DISABLED_PLUGINS` (comma-separated
names) switches plug-ins off without uninstalling them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.api_gateway import Router

    from plugins.campaigns import Campaign
    from plugins.campaigns.model import GameConfig
    from plugins.issuance.base import Issuer

GAMES_GROUP = "marketing_games.games"
ISSUERS_GROUP = "marketing_games.issuers"

T = TypeVar("T")
Job = Callable[[datetime], int]
"""A scheduled sweep of a game (e.g. expiring what is due): given now, returns items handled."""
ReportFigures = Callable[["Campaign", datetime], dict[str, Any]]
"""A game's own figures for the campaign report: given the campaign and now, a JSON-able dict.
It reads the game's own items itself (the report cannot know their keys)."""


class PluginError(Exception):
    """A plug-in could not be loaded or does not honour its contract."""


@dataclass(frozen=True)
class GamePlugin:
    """What a game gives the host: its name (URL path and config section), config, routes,
    scheduled jobs, and optionally its own figures for the campaign report."""

    name: str
    title: str
    config_model: type[GameConfig]
    router: Router
    description: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    jobs: tuple[Job, ...] = ()
    report: ReportFigures | None = None


def _disabled() -> set[str]:
    raw = os.environ.get("MGAMES_DISABLED_PLUGINS", "")
    return {name.strip() for name in raw.split(",") if name.strip()}


def load_group(group: str, check: Callable[[str, Any], T]) -> dict[str, T]:
    """Load every entry point of `group`; `check` validates each object or raises."""
    found: dict[str, T] = {}
    disabled = _disabled()
    for ep in entry_points(group=group):
        if ep.name in disabled:
            continue
        if ep.name in found:
            raise PluginError(f"{group}: two plug-ins are named {ep.name!r}")
        try:
            obj = ep.load()
        except Exception as exc:  # a broken plug-in must name itself
            raise PluginError(f"{group}: {ep.name} = {ep.value} failed to load: {exc}") from exc
        found[ep.name] = check(ep.name, obj)
    return found


def _check_game(name: str, obj: Any) -> GamePlugin:
    if not isinstance(obj, GamePlugin):
        raise PluginError(f"{GAMES_GROUP}: {name} is a {type(obj).__name__}, not a GamePlugin")
    if obj.name != name:
        raise PluginError(f"{GAMES_GROUP}: entry point {name} exports game {obj.name!r}")
    return obj


@cache
def games() -> dict[str, GamePlugin]:
    """Every enabled game, by name (discovered once per process)."""
    return load_group(GAMES_GROUP, _check_game)


def get_game(name: str) -> GamePlugin:
    try:
        return games()[name]
    except KeyError:
        raise PluginError(f"unknown game {name!r}; installed: {', '.join(sorted(games()))}") from None


def _check_issuer(name: str, obj: Any) -> Issuer:
    from plugins.issuance.base import Issuer

    instance = obj() if isinstance(obj, type) else obj
    if not isinstance(instance, Issuer):
        raise PluginError(f"{ISSUERS_GROUP}: {name} is not an Issuer")
    if instance.name != name:
        raise PluginError(f"{ISSUERS_GROUP}: entry point {name} exports issuer {instance.name!r}")
    return instance


@cache
def issuers() -> dict[str, Issuer]:
    """Every enabled reward issuer, by name (the `type` of a prize's reward)."""
    return load_group(ISSUERS_GROUP, _check_issuer)


def get_issuer(name: str) -> Issuer:
    try:
        return issuers()[name]
    except KeyError:
        known = ", ".join(sorted(issuers()))
        raise PluginError(f"unknown reward type {name!r}; installed: {known}") from None


def reset() -> None:
    """Forget discovered plug-ins (tests that add entry points call this)."""
    games.cache_clear()
    issuers.cache_clear()

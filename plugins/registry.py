"""Plug-in discovery through Python entry points, for games and for reward issuers.

Built-in games and issuers register in this project's `pyproject.toml` exactly as a
third-party package would in its own; nothing here names a built-in. A plug-in is imported
only when asked for by name (`get_game`, `get_issuer`), so a game function loads its own game
and the issuers its prizes name, not every installed game: what spans all games asks for
them all (`games()`, `issuers()`). A bad plug-in fails when loaded with the entry point it
came from; `MGAMES_DISABLED_PLUGINS` (comma-separated names) switches plug-ins off without
uninstalling them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from importlib.metadata import EntryPoint, EntryPoints, entry_points
from typing import Any, Generic, TypeVar

from plugins.contracts import GamePlugin, Issuer

GAMES_GROUP = "marketing_games.games"
ISSUERS_GROUP = "marketing_games.issuers"

PLATFORM_TABLE_ACTIONS = frozenset({
    "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query",  # config, quotas, histories
    "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem",  # the transactions
})
"""What every game function may do to the table: the shared layers' reads and the parts of a
player action's transaction (IAM has no TransactWriteItems action)."""
VIEW_TABLE_ACTIONS = frozenset({"dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"})
"""What a plug-in that only shows the player his own items (`GamePlugin.views_only`, the
wallet) may do: read, and put the visit's mark."""


def table_actions(plugin: GamePlugin) -> frozenset[str]:
    """The DynamoDB actions `plugin`'s function is granted, and no more."""
    if plugin.views_only:
        return VIEW_TABLE_ACTIONS | plugin.table_actions
    return PLATFORM_TABLE_ACTIONS | plugin.table_actions

T = TypeVar("T")


class PluginError(Exception):
    """A plug-in could not be loaded or does not honour its contract."""


def contribution(plugin: GamePlugin, kind: str) -> Any:
    """The game's `console` blueprint, `commands` function or `forecast` model, loaded; None
    if it has none."""
    reference = getattr(plugin, kind)
    if reference is None:
        return None
    try:
        return EntryPoint(name=f"{plugin.name}.{kind}", value=reference, group=GAMES_GROUP).load()
    except Exception as exc:  # a broken contribution must name itself
        raise PluginError(f"{GAMES_GROUP}: {plugin.name}'s {kind} = {reference} failed to load: "
                          f"{exc}") from exc


def _disabled() -> set[str]:
    raw = os.environ.get("MGAMES_DISABLED_PLUGINS", "")
    return {name.strip() for name in raw.split(",") if name.strip()}


@cache
def _declared(group: str) -> EntryPoints:
    """The entry points of `group`, read once per process: each reading scans the metadata of
    every distribution on the path."""
    return entry_points(group=group)


def installed(group: str) -> list[str]:
    """The enabled plug-in names of `group`, sorted, read from metadata without importing any."""
    return sorted({ep.name for ep in _declared(group)} - _disabled())


def sources(group: str) -> dict[str, str]:
    """Each enabled plug-in's module by name, read from metadata without importing any."""
    return {ep.name: ep.module for ep in _declared(group) if ep.name not in _disabled()}


def _load(group: str, name: str, check: Callable[[str, Any], T]) -> T | None:
    """Load only the entry point `name` of `group` (None if absent or disabled), so a function
    imports the plug-ins it uses and not every installed one; `check` validates it or raises."""
    if name in _disabled():
        return None
    found = _declared(group).select(name=name)
    if len(found) > 1:
        raise PluginError(f"{group}: two plug-ins are named {name!r}")
    for ep in found:
        try:
            obj = ep.load()
        except Exception as exc:  # a broken plug-in must name itself
            raise PluginError(f"{group}: {ep.name} = {ep.value} failed to load: {exc}") from exc
        return check(name, obj)
    return None


class _Plugins(Generic[T]):
    """The plug-ins of one entry-point group, each loaded once per process when first asked
    for; `label` names the kind in errors (an unknown one lists what is installed)."""

    def __init__(self, group: str, label: str, check: Callable[[str, Any], T]) -> None:
        self.group, self.label, self.check = group, label, check
        self._loaded: dict[str, T] = {}

    def get(self, name: str) -> T:
        """Plug-in `name`, importing only its own entry point."""
        if name not in self._loaded:
            found = _load(self.group, name, self.check)
            if found is None:
                raise PluginError(f"unknown {self.label} {name!r}; "
                                  f"installed: {', '.join(installed(self.group))}")
            self._loaded[name] = found
        return self._loaded[name]

    def every(self) -> dict[str, T]:
        """Every enabled plug-in, by name: for what spans them all."""
        return {name: self.get(name) for name in installed(self.group)}

    def forget(self) -> None:
        self._loaded.clear()


def _check_game(name: str, obj: Any) -> GamePlugin:
    if not isinstance(obj, GamePlugin):
        raise PluginError(f"{GAMES_GROUP}: {name} is a {type(obj).__name__}, not a GamePlugin")
    if obj.name != name:
        raise PluginError(f"{GAMES_GROUP}: entry point {name} exports game {obj.name!r}")
    return obj


def _check_issuer(name: str, obj: Any) -> Issuer:
    instance = obj() if isinstance(obj, type) else obj
    if not isinstance(instance, Issuer):
        raise PluginError(f"{ISSUERS_GROUP}: {name} is not an Issuer")
    if instance.name != name:
        raise PluginError(f"{ISSUERS_GROUP}: entry point {name} exports issuer {instance.name!r}")
    return instance


_GAMES = _Plugins(GAMES_GROUP, "game", _check_game)
_ISSUERS = _Plugins(ISSUERS_GROUP, "reward type", _check_issuer)
get_game = _GAMES.get
"""Game `name` (a game function loads its own game only)."""
games = _GAMES.every
"""Every enabled game, by name (worker, console, CLI, local stack)."""
get_issuer = _ISSUERS.get
"""Reward issuer `name` (a prize's reward `type`)."""
issuers = _ISSUERS.every
"""Every enabled reward issuer, by name."""


def reset() -> None:
    """Forget discovered plug-ins (tests that add entry points call this)."""
    _declared.cache_clear()
    _GAMES.forget()
    _ISSUERS.forget()

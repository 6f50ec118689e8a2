"""The Lambda entry point of every game function; `MGAMES_GAME` names the game it serves.

One module for all games, so adding a game to a deployment is configuration, not code. A
missing or unknown game fails the import: Lambda reports an init error naming the variable,
instead of a function that answers every request with a 500. The DynamoDB client is made
here too, in the init phase, rather than by the first player's request.
"""

import os

from plugins.registry import GAMES_GROUP, PluginError, installed
from plugins.store import dynamodb_client
from plugins.web import build_handler

GAME_VARIABLE = "MGAMES_GAME"


def _served_game() -> str:
    name = os.environ.get(GAME_VARIABLE, "").strip()
    if not name:
        raise PluginError(f"{GAME_VARIABLE} is not set: name the game this function serves "
                          f"(installed: {', '.join(installed(GAMES_GROUP))})")
    return name


GAME = _served_game()
try:
    handler = build_handler(GAME)
except PluginError as exc:
    raise PluginError(f"{GAME_VARIABLE}={GAME!r}: {exc}") from exc
dynamodb_client()

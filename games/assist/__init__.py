"""Referral assist [助力 / 邀友助力 / 砍价]: an initiator opens a task, friends help it once each
until it reaches its target before its deadline, and the initiator gets a prize.

Three variants of one mechanic: N friends must help (`helpers`), N friends cut a price down
to a floor (`cut`), or friends' helps draw cards until every card is collected (`cards`).
"""

from games.assist.config import AssistConfig
from games.assist.report import report
from games.assist.routes import router
from plugins.contracts import GamePlugin

plugin = GamePlugin(
    "assist", "Referral assist", AssistConfig, router, description=__doc__,
    report=report, forecast="games.assist.forecast:AssistForecast",
)

__all__ = ["AssistConfig", "plugin"]

"""Points exchange [积分兑换]: a catalogue of items priced in points (coupons, chances of a game,
partner coupons, more points), each with stock, per-member limits and a sale window.

An item is a prize of the shared pool, chosen instead of drawn: its stock, cap, budget and
reward go through the same reservation as the wheel's, and the points spent are a condition
of the same transaction, so the balance can never go negative.
"""

from games.points_exchange.config import ExchangeConfig
from games.points_exchange.routes import router
from plugins.contracts import GamePlugin

plugin = GamePlugin("points-exchange", "Points exchange", ExchangeConfig, router, description=__doc__,
                    forecast="games.points_exchange.forecast:ExchangeForecast")

__all__ = ["ExchangeConfig", "plugin"]

"""Event gifts [会员事件礼]: the brand's systems report member events (a registration, a first
order, an order matching amount, item and time rules, a birthday, a completed profile, an
invited friend joining) under their own ids; each matching rule rewards its member once per
period, through the same issuance, anti-harassment and budget layers as every game.

Rewarding with `chances` makes a rule a task of another game: an order (a purchase task) or
an invited friend's registration (an invite task) grants spins of the wheel.
"""

from games.event_gifts.config import GiftsConfig
from games.event_gifts.routes import router
from plugins.contracts import GamePlugin

plugin = GamePlugin("event-gifts", "Event gifts", GiftsConfig, router, description=__doc__,
                    forecast="games.event_gifts.forecast:GiftsForecast")

__all__ = ["GiftsConfig", "plugin"]

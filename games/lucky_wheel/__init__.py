"""Lucky wheel [大转盘]: one server-side draw per chance from a shared prize pool.

Other skins of the same mechanic (smash the golden egg, scratch card, blind box) are the
same plug-in with another page.
"""

from games.lucky_wheel.config import WheelConfig
from games.lucky_wheel.routes import router
from plugins.contracts import GamePlugin

plugin = GamePlugin("lucky-wheel", "Lucky wheel", WheelConfig, router, description=__doc__,
                    forecast="games.lucky_wheel.forecast:WheelForecast")

__all__ = ["WheelConfig", "plugin"]

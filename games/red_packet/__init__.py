"""Share red packets [分享红包]: a packet for an order or a campaign action, split into parts
that friends grab once each; repeat grabbers get less, the sharer may get a bonus, unclaimed
money returns to the budget when the packet expires.

`expire_due(now)` is the sweep the scheduled worker runs (the plug-in's job; see
docs/games/red-packet.md).
"""

from games.red_packet.config import RedPacketConfig
from games.red_packet.expiry import expire_due
from games.red_packet.report import report
from games.red_packet.routes import router
from plugins.contracts import GamePlugin

plugin = GamePlugin(
    "red-packet", "Share red packets", RedPacketConfig, router, description=__doc__,
    jobs=(expire_due,),
    report=report, forecast="games.red_packet.forecast:RedPacketForecast",
)

__all__ = ["RedPacketConfig", "expire_due", "plugin"]

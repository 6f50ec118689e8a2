"""Hot-item booking [火爆商品预约]: a limited daily stock of one item, booked one per player and
day (or campaign), picked up with an unguessable code that store staff verify once; cancels
give the unit back once, unpicked bookings expire (and may be resold).

`expire_due(now)` is the sweep the scheduled worker runs (the plug-in's job); `verify(campaign,
code, staff, now)` is the pick-up service the console calls too (docs/games/booking.md).
"""

from games.booking.config import BookingConfig
from games.booking.expiry import expire_due
from games.booking.report import report
from games.booking.routes import router
from games.booking.verify import verify
from plugins.contracts import GamePlugin

plugin = GamePlugin(
    "booking", "Hot-item booking", BookingConfig, router, description=__doc__,
    jobs=(expire_due,),
    report=report,
    console="games.booking.console:console",
    table_actions=frozenset({"dynamodb:DeleteItem"}),  # cancel and pick-up drop the expiry entry
)

__all__ = ["BookingConfig", "expire_due", "plugin", "verify"]

"""Check-in streaks [签到]: one check-in per player per local day inside weekly, monthly or
N-day cycles; day and milestone rewards, make-ups [补签], and an optional draw.
"""

from games.check_in.config import CheckInConfig
from games.check_in.report import report
from games.check_in.routes import router
from plugins.contracts import GamePlugin

plugin = GamePlugin(
    "check-in", "Check-in streaks", CheckInConfig, router, description=__doc__,
    report=report, forecast="games.check_in.forecast:CheckInForecast",
)

__all__ = ["CheckInConfig", "plugin"]

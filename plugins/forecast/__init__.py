"""Forecasts before launch: a campaign played by a seeded crowd through the real rules
(docs/simulate.md)."""

from plugins.forecast.engine import forecast
from plugins.forecast.traffic import ForecastInvalidError, Traffic, parse_plays
from plugins.forecast.world import GameModel, World

__all__ = ["ForecastInvalidError", "GameModel", "Traffic", "World", "forecast", "parse_plays"]

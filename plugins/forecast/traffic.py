"""The traffic profile a forecast plays: how many members, how often they come, what they
try. Every figure is an assumption the marketer states (the forecast prints it back), with
defaults for a typical H5 campaign; docs/simulate.md says what each one drives."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from random import Random
from typing import Any

from pydantic import Field, ValidationError, field_validator

from plugins.errors import ForecastInvalidError
from plugins.types import Frozen, Money

__all__ = ["MAX_WORK", "ForecastInvalidError", "Traffic", "invalid", "parse_plays"]

MAX_WORK = 20_000_000
"""The most member-days (players x days x runs) one forecast plays: about a minute here."""


class Traffic(Frozen):
    """Members, days and runs, and what members do on a day they are active."""

    players: int = Field(ge=1, le=1_000_000, description="members who may play")
    days: int = Field(ge=1, le=366, description="days simulated, from `start`")
    runs: int = Field(default=200, ge=1, le=10_000, description="Monte Carlo runs")
    seed: int = Field(default=0, ge=0, le=2**63, description="the same seed, the same forecast")
    start: date | None = Field(default=None, description="the first day simulated; default: "
                               "the campaign's first day")
    active: float = Field(default=0.3, gt=0, le=1,
                          description="share of the members active on any one day")
    plays: float = Field(default=2, ge=0, le=100,
                         description="plays attempted per active member per day in each game")
    game_plays: dict[str, float] = Field(default_factory=dict,
                                         description="`plays` for one game (name: plays)")
    helpers: float = Field(default=2, ge=0, le=100,
                           description="friends who help an assist task (mean, Poisson)")
    grabs: float = Field(default=3, ge=0, le=100,
                         description="friends who try to grab a red packet (mean, Poisson)")
    orders: float = Field(default=0, ge=0, le=100,
                          description="orders the brand reports per active member per day")
    order_amount: Money = Field(default=Decimal("199.00"), description="each order's amount")
    registrations: float = Field(default=0, ge=0, le=1, description="the share of the members who "
                                 "register on their first active day (the registration rules)")
    share_opens: float = Field(default=0, ge=0, le=100, description="friends who open an active "
                               "member's share link per day, each a new friend (the share task)")
    tiers: dict[str, float] = Field(default_factory=dict, description="the share of the members in "
                                    "each tier (the token's `tier`), who play with its own chances "
                                    "and odds; the rest have none")

    @field_validator("game_plays")
    @classmethod
    def _plays_in_range(cls, value: dict[str, float]) -> dict[str, float]:
        for game, plays in value.items():
            if not 0 <= plays <= 100:
                raise ValueError(f"plays of {game} must be between 0 and 100")
        return value

    @field_validator("tiers")
    @classmethod
    def _shares(cls, value: dict[str, float]) -> dict[str, float]:
        if any(not 0 < share <= 1 for share in value.values()):
            raise ValueError("each tier's share must be more than 0 and at most 1")
        if sum(value.values()) > 1 + 1e-9:
            raise ValueError("the tiers' shares add up to more than 1")
        return value

    @classmethod
    def parse(cls, raw: Any, most: int = MAX_WORK) -> Traffic:
        """The profile from a mapping, or ForecastInvalidError naming every problem; at most
        `most` member-days (players x days x runs)."""
        try:
            traffic = cls.model_validate(raw)
        except ValidationError as exc:
            raise invalid(exc) from None
        work = traffic.players * traffic.days * traffic.runs
        if work > most:
            raise ForecastInvalidError(
                f"players x days x runs is {work:,}, more than {most:,}: fewer runs or players")
        return traffic

    def plays_of(self, game: str) -> float:
        return self.game_plays.get(game, self.plays)

    def tier_of(self, member: int) -> str | None:
        """Member `member`'s tier: the first members are the first tier's share, and so on."""
        bound = 0.0
        for tier, share in self.tiers.items():
            bound += share * self.players
            if member < bound:
                return tier
        return None

    def described(self) -> dict[str, Any]:
        """The profile as the forecast states it (JSON)."""
        return self.model_dump(mode="json")


def invalid(exc: ValidationError, prefix: str = "") -> ForecastInvalidError:
    """Every problem of a forecast's input as `field.path: reason`."""
    problems = [prefix + ".".join(map(str, e["loc"])) + ": " + e["msg"].replace("Value error, ", "")
                if e["loc"] else e["msg"] for e in exc.errors()]
    return ForecastInvalidError("; ".join(problems), errors=problems)


def parse_plays(text: str, unit: str = "number of plays", named: str = "GAME=PLAYS",
                ) -> tuple[float | None, dict[str, float]]:
    """`--plays`: `2`, or per game `lucky-wheel=3,assist=1`, or both (`2,assist=1`); with
    another `unit` and `named` form, the same for other numbers by name (`--tiers gold=0.1`)."""
    default, games = None, {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.rpartition("=")
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"{part!r} is not a {unit} or {named}") from None
        if not math.isfinite(number):
            raise ValueError(f"{part!r} is not a {unit}")
        if sep:
            games[name.strip()] = number
        else:
            default = number
    return default, games


def times(mean: float, rng: Random) -> int:
    """A count with this mean: its whole part, plus one with the chance of its fraction."""
    whole = int(mean)
    return whole + (1 if rng.random() < mean - whole else 0)


def poisson(mean: float, rng: Random) -> int:
    """A Poisson count (friends arriving independently): Knuth's method, fine for small means."""
    if mean <= 0:
        return 0
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k

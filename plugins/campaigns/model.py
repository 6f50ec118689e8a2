"""The campaign config a marketer writes: window, time zone, budget, rules, one section per game.

`parse_campaign` validates the whole document, each game's section against that game's own
model (found through the registry), and the budget against the prize pools, and reports
every problem as `field.path: reason`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from plugins.errors import ConfigInvalidError
from plugins.prize_pool.model import PrizePoolConfig
from plugins.registry import PluginError, get_game
from plugins.types import Money, PositiveInt, Slug, cents, ordered_window


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GameConfig(Frozen):
    """Base of every game's section; `enabled: false` switches the game off."""

    enabled: bool = True

    def prize_pools(self) -> dict[str, PrizePoolConfig]:
        """The game's prize pools by pool id, for stock seeding and the budget check."""
        return {}


class VelocityConfig(Frozen):
    """Successful actions allowed per device and per IP within a sliding window bucket."""

    window_seconds: PositiveInt = 60
    per_device: PositiveInt | None = 30
    per_ip: PositiveInt | None = 300


class HarassmentConfig(Frozen):
    """Anti-harassment: caps on coupons the campaign pushes to a member."""

    max_open_coupons: PositiveInt = 10
    same_type_per: Literal["day", "week", "month"] = "day"


class CampaignConfig(Frozen):
    id: Slug
    name: str = Field(min_length=1, max_length=100)
    timezone: str = "Asia/Shanghai"
    starts_at: datetime
    ends_at: datetime
    budget: Money
    budget_shards: int = Field(default=4, ge=1, le=20)
    channel: str = Field(default="h5", min_length=1, max_length=40)
    velocity: VelocityConfig = VelocityConfig()
    anti_harassment: HarassmentConfig = HarassmentConfig()
    games: dict[str, dict[str, Any]] = Field(min_length=1)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @model_validator(mode="after")
    def _window(self) -> CampaignConfig:
        ordered_window(self.starts_at, self.ends_at, "starts_at", "ends_at")
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def aware(self, moment: datetime) -> datetime:
        """A naive datetime from the file is wall time in the campaign's zone."""
        return moment if moment.tzinfo else moment.replace(tzinfo=self.zone)

    def is_open(self, now: datetime) -> bool:
        return self.aware(self.starts_at) <= now < self.aware(self.ends_at)

    def local_day(self, now: datetime) -> date:
        return now.astimezone(self.zone).date()

    def end_of_local_day(self, now: datetime) -> datetime:
        day = self.local_day(now)
        return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=self.zone)


@dataclass(frozen=True)
class Campaign:
    """A validated campaign: its config, each enabled game's parsed section, its version."""

    config: CampaignConfig
    games: dict[str, GameConfig]
    version: int = 0
    budget_counted: bool = True
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.config.id

    def game(self, name: str) -> GameConfig | None:
        section = self.games.get(name)
        return section if section is not None and section.enabled else None


def _errors(exc: ValidationError, prefix: tuple[str | int, ...] = ()) -> list[str]:
    return [
        ".".join(str(part) for part in (*prefix, *err["loc"])) + f": {err['msg']}"
        if (prefix or err["loc"])
        else err["msg"]
        for err in exc.errors()
    ]


def max_award_cost(games: dict[str, GameConfig]) -> Decimal | None:
    """The most the prize pools can ever cost, or None when some prize is unbounded."""
    total = Decimal(0)
    for section in games.values():
        for pool in section.prize_pools().values():
            for prize in pool.prizes:
                if prize.cost and prize.stock is None:
                    return None
                total += prize.cost * (prize.stock or 0)
    return total


def parse_campaign(doc: Any, version: int = 0) -> Campaign:
    """Validate a whole campaign document or raise ConfigInvalidError listing every problem."""
    try:
        config = CampaignConfig.model_validate(doc)
    except ValidationError as exc:
        raise ConfigInvalidError("; ".join(_errors(exc)), errors=_errors(exc)) from None
    problems: list[str] = []
    games: dict[str, GameConfig] = {}
    for name, section in config.games.items():
        try:
            games[name] = get_game(name).config_model.model_validate(section or {})
        except PluginError as exc:
            problems.append(f"games.{name}: {exc}")
        except ValidationError as exc:
            problems.extend(_errors(exc, ("games", name)))
    for name, game in games.items():
        for pool_id, pool in game.prize_pools().items():
            dear = [p.id for p in pool.prizes if p.cost > config.budget]
            if dear:
                problems.append(f"games.{name}.{pool_id}: prizes {dear} cost more than the budget")
    if problems:
        raise ConfigInvalidError("; ".join(problems), errors=problems)
    ceiling = max_award_cost(games)
    counted = ceiling is None or cents(ceiling) > cents(config.budget)
    return Campaign(config=config, games=games, version=version, budget_counted=counted)

"""The campaign config a marketer writes: window, time zone, budget, rules, one section per game.

`parse_campaign` validates the whole document, each game's section against that game's own
model (found through the registry), and the budget against the prize pools, and reports
every problem as `field.path: reason`: what applying or validating a campaign needs.
`stored_campaign` is what the functions need of a version that passed it: the campaign-wide
fields only, each game's section validated on first use, so a game function imports its own
game, not every game a campaign names.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from plugins.errors import CampaignNotOpenError, ConfigInvalidError, GameNotEnabledError
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

    def max_cost(self) -> Decimal | None:
        """The most the game can spend outside its prize pools (money it hands out itself,
        e.g. red packets); None = unbounded, so the campaign budget must be counted."""
        return Decimal(0)

    def spent_outside_pools(self, campaign_id: str) -> int:
        """Cents the game spent itself while config proved the budget (read when the budget
        starts being counted, so the new budget shards take it off)."""
        return 0


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

    @field_validator("ends_at")
    @classmethod
    def _after_start(cls, value: datetime, info: ValidationInfo) -> datetime:
        ordered_window(info.data.get("starts_at"), value, "starts_at", "ends_at")
        return value

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


G = TypeVar("G", bound=GameConfig)
T = TypeVar("T")


@dataclass(frozen=True)
class Campaign:
    """A campaign: its config, each game's section, its version.

    A section is validated by its game's model when first used and kept in `parsed`, where
    the first writer wins (`dict.setdefault` is atomic): threads racing on a first use all
    get the same object, as they would from a campaign parsed whole.
    """

    config: CampaignConfig
    version: int = 0
    budget_counted: bool = True
    parsed: dict[str, GameConfig] = field(default_factory=dict, compare=False, repr=False)
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.config.id

    @property
    def games(self) -> dict[str, GameConfig]:
        """Every game's section in the file's order: what spans all games (reports, apply)."""
        return {name: self._parsed(name) for name in self.config.games}

    def _parsed(self, name: str) -> GameConfig:
        found = self.parsed.get(name)
        if found is None:
            found = self.parsed.setdefault(name, _section(name, self.config.games[name]))
        return found

    def game(self, name: str) -> GameConfig | None:
        """Game `name`'s section if the campaign runs it, validated if not yet."""
        if name not in self.config.games:
            return None
        section = self._parsed(name)
        return section if section.enabled else None

    def section(self, name: str, model: type[G]) -> G:
        """Game `name`'s enabled section, or GameNotEnabledError (a 404 to the player)."""
        found = self.game(name)
        if not isinstance(found, model):
            raise GameNotEnabledError(f"campaign {self.id!r} does not run {name}")
        return found

    def require_open(self, now: datetime) -> None:
        """CampaignNotOpenError (a 403 to the player) before it starts or once it has ended."""
        if not self.config.is_open(now):
            raise CampaignNotOpenError(f"campaign {self.id!r} is not open now")

    def memoized(self, key: Hashable, build: Callable[[], T]) -> T:
        """What `build` makes for `key`, made once for this version of the campaign (a new
        version, and so a new config, starts afresh)."""
        found: T | None = self.memo.get(key)
        if found is None:
            found = self.memo.setdefault(key, build())
        return found


def _errors(exc: ValidationError, prefix: tuple[str | int, ...] = ()) -> list[str]:
    """Each error as `field.path: reason` (pydantic's "Value error, " prefixes dropped)."""
    found = []
    for err in exc.errors():
        where = ".".join(str(part) for part in (*prefix, *err["loc"]))
        reason = err["msg"].replace("Value error, ", "")
        found.append(f"{where}: {reason}" if where else reason)
    return found


def max_award_cost(games: dict[str, GameConfig]) -> Decimal | None:
    """The most the prize pools and the games' own spending can ever cost, or None when
    something is unbounded."""
    total = Decimal(0)
    for section in games.values():
        own = section.max_cost()
        if own is None:
            return None
        total += own
        for pool in section.prize_pools().values():
            for prize in pool.prizes:
                if prize.cost and prize.stock is None:
                    return None
                total += prize.cost * (prize.stock or 0)
    return total


def _section(name: str, raw: dict[str, Any] | None) -> GameConfig:
    """Game `name`'s section validated by that game's own model, found through the registry."""
    try:
        return get_game(name).config_model.model_validate(raw or {})
    except PluginError as exc:
        problems = [f"games.{name}: {exc}"]
    except ValidationError as exc:
        problems = _errors(exc, ("games", name))
    raise ConfigInvalidError("; ".join(problems), errors=problems)


def _game_sections(doc: Any, problems: list[str]) -> dict[str, GameConfig]:
    """Every game's section, each problem added to `problems`."""
    sections = doc.get("games") if isinstance(doc, dict) else None
    games: dict[str, GameConfig] = {}
    for name, section in (sections or {}).items() if isinstance(sections, dict) else ():
        try:
            games[name] = _section(name, section)
        except ConfigInvalidError as exc:
            problems.extend(exc.details["errors"])
    return games


def _dear_prizes(games: dict[str, GameConfig], budget: Decimal) -> list[str]:
    problems = []
    for name, section in games.items():
        for pool_id, pool in section.prize_pools().items():
            where = f"games.{name}" if pool is section else f"games.{name} (pool {pool_id})"
            problems += [f"{where}.prizes.{i}.cost: {p.cost:.2f} is more than the budget {budget:.2f}"
                         for i, p in enumerate(pool.prizes) if p.cost > budget]
    return problems


def parse_campaign(doc: Any, version: int = 0, *, counted: bool = False) -> Campaign:
    """Validate a whole campaign document or raise ConfigInvalidError listing every problem.

    The budget is counted at run time unless config proves it cannot be exceeded, or
    `counted` says it already is (a campaign once counted stays counted).
    """
    problems: list[str] = []
    try:
        config: CampaignConfig | None = CampaignConfig.model_validate(doc)
    except ValidationError as exc:
        config = None
        problems += _errors(exc)
    games = _game_sections(doc, problems)
    if config is not None:
        problems += _dear_prizes(games, config.budget)
    if problems or config is None:
        raise ConfigInvalidError("; ".join(problems), errors=problems)
    ceiling = max_award_cost(games)
    counted = counted or ceiling is None or cents(ceiling) > cents(config.budget)
    return Campaign(config=config, version=version, budget_counted=counted, parsed=games)


def stored_campaign(doc: Any, version: int, *, counted: bool) -> Campaign:
    """A stored version, for the functions: `parse_campaign` passed it when it was applied,
    and its stored `counted` flag is the budget proof, so only the campaign-wide fields are
    checked here; each section is validated when first used."""
    try:
        config = CampaignConfig.model_validate(doc)
    except ValidationError as exc:
        problems = _errors(exc)
        raise ConfigInvalidError("; ".join(problems), errors=problems) from None
    return Campaign(config=config, version=version, budget_counted=counted)

"""The plug-in contract: what a game or a reward issuer implements, and what the host hands it.

A game exports a `GamePlugin` (entry-point group `marketing_games.games`) whose config model
subclasses `GameConfig`; an issuer subclasses `Issuer` (group `marketing_games.issuers`) with a
`RewardSpec` model. Both receive the `Campaign` (its file's campaign-wide fields are
`CampaignConfig`). This module depends on no other plug-in
layer, and the registry, the campaigns, the prize pool and issuance depend on it, so the
contract is read in one place and no layer imports another in a circle. See docs/plugins.md.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, Field

from plugins.audience import Audience
from plugins.campaign_config import CampaignConfig
from plugins.clock import stamp
from plugins.errors import CampaignNotOpenError, GameNotEnabledError
from plugins.timebox import Deadline
from plugins.types import Frozen
from plugins.webhook_endpoints import WebhookEndpoint

if TYPE_CHECKING:
    import argparse

    from aws_lambda_powertools.event_handler.api_gateway import Router

    from plugins.store import Transaction


class GameConfig(Frozen):
    """Base of every game's config section; `enabled: false` switches the game off.

    A game with prize pools also defines `prize_pools()` (see `plugins.prize_pool.PooledGame`).
    """

    enabled: bool = True
    audience: Audience | None = Field(default=None, description="who may play this game")

    def max_cost(self) -> Decimal | None:
        """The most the game can spend outside its prize pools (money it hands out itself,
        e.g. red packets); None = unbounded, so the campaign budget must be counted."""
        return Decimal(0)

    def spent_outside_pools(self, campaign_id: str) -> int:
        """Cents the game spent itself while config proved the budget (read when the budget
        starts being counted, so the new budget shards take it off)."""
        return 0

    def webhooks(self, managed: Mapping[str, tuple[WebhookEndpoint, ...]] | None = None
                 ) -> tuple[WebhookEndpoint, ...]:
        """Webhook endpoints the game's own parties configure (a partner's), in the file or
        themselves (`managed`: party id -> its own endpoints, `plugins.webhooks.managed`),
        each scoped to what concerns them (`coupon_types`); their ids must not clash with
        the campaign's."""
        return ()

    def parties(self) -> tuple[str, ...]:
        """The ids of the game's parties that may manage their own webhook endpoints."""
        return ()


G = TypeVar("G", bound=GameConfig)
T = TypeVar("T")
Sections = Callable[[str, "dict[str, Any] | None"], GameConfig]
"""Validates game `name`'s raw section with that game's model (the registry finds it)."""


@dataclass(frozen=True)
class Campaign:
    """A campaign as the host hands it to a game: its config, each game's section, its version.

    A section is validated by `sections` when first used and kept in `parsed`, where the first
    writer wins (`dict.setdefault` is atomic): threads racing on a first use all get the same
    object, as they would from a campaign parsed whole.
    """

    config: CampaignConfig
    sections: Sections = field(compare=False, repr=False)
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
            found = self.parsed.setdefault(name, self.sections(name, self.config.games[name]))
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


class RewardSpec(Frozen):
    """Base of an issuer's config; `type` names the issuer."""

    never_fails: ClassVar[bool] = False

    type: str


@dataclass(frozen=True)
class IssueContext:
    """Who gets the reward, for which action, when, and how it reached them."""

    campaign: Campaign
    member_id: str
    reference: str
    now: datetime
    origin: Literal["award", "claim"] = "award"
    channel: str | None = None


class Issuer(ABC):
    """Turns a reward spec into conditional writes inside the action's transaction, so a
    reward is issued exactly once: it commits with the action record that makes retries
    replay, or not at all. Its transaction tags start with `reward:`."""

    name: ClassVar[str]
    spec_model: ClassVar[type[RewardSpec]]
    issued_model: ClassVar[type[BaseModel] | None] = None
    """What `plan` returns, as a model whose `type` is the issuer's name: the API documents
    the rewards a player gets as the union of these (`plugins.openapi.rewards`)."""

    @abstractmethod
    def plan(self, tx: Transaction, spec: Any, ctx: IssueContext) -> dict[str, Any]:
        """Add the issue's writes to `tx`; return the reward as the player will see it."""

    def available(self, spec: Any, ctx: IssueContext) -> bool:
        """Whether the reward can be issued at all now (not a limit: a coupon past its window)."""
        return True

    def recover(self, failed: set[str], spec: Any, ctx: IssueContext) -> bool:
        """After a cancellation on `failed` tags: repair what is stale and say if a retry may pass."""
        return False

    def describe(self, spec: Any) -> dict[str, Any]:
        """The reward as a campaign page shows it before it is won."""
        return spec.model_dump(mode="json", exclude_none=True, exclude_defaults=True) | {"type": self.name}

    def offer(self, spec: Any, zone: tzinfo) -> dict[str, Any]:
        """`describe`d, its times (config's wall time: a coupon's fixed window) with the campaign's
        offset, `zone`: what every page shows of a reward it offers."""
        offered = self.describe(spec)
        return offered | {name: stamp(value if value.tzinfo else value.replace(tzinfo=zone), zone)
                          for name, value in spec if isinstance(value, datetime) and name in offered}


Job = Callable[[datetime, Deadline], int]
"""A game's scheduled sweep (e.g. expiring what is due): given now and the deadline of its share
of the worker's run, returns items handled. Past the deadline it stops (an outside call waits
no longer than what remains), leaving the rest, its cursor where it stopped, to the next run."""
ReportFigures = Callable[[Campaign, Mapping[str, int], datetime], dict[str, Any]]
"""A game's own section of the campaign report: given the campaign, the game's aggregated
figures (what its actions tallied, `plugins.store.tally`) and now, a JSON-able dict."""
StoreOptions = Callable[["argparse.ArgumentParser"], None]
Commands = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]", StoreOptions], None]
"""A game's `mgames` commands (docs/plugins.md): each with help, examples and a `run` returning
the exit status; `StoreOptions` called on those that use the table, which the CLI binds."""


@dataclass(frozen=True)
class GamePlugin:
    """What a game gives the host: its name (URL path and config section), config, player
    routes (its function URL), and optionally scheduled jobs, its own figures for the campaign
    report, console routes and `mgames` commands.

    `console`, `commands` and `forecast` name what only the console, the CLI and a forecast
    load (`"module:name"`, as an entry point does), so a game function never imports them: a
    Chalice blueprint with the routes of the game's marketers, staff or partners, a `Commands`
    function, and a `plugins.forecast.GameModel` class (docs/simulate.md).

    `table_actions` are the DynamoDB actions its routes need beyond the platform's own
    (`plugins.registry.PLATFORM_TABLE_ACTIONS`), e.g. `dynamodb:DeleteItem`: its function is
    granted no more. A plug-in whose routes only read the player's own items (`views_only`,
    the wallet) is granted reads and the visit's put only.
    """

    name: str
    title: str
    config_model: type[GameConfig]
    router: Router
    description: str | None = None
    """What the game is, in prose: a game package passes its docstring (`__doc__`)."""
    tags: tuple[str, ...] = field(default_factory=tuple)
    jobs: tuple[Job, ...] = ()
    report: ReportFigures | None = None
    console: str | None = None
    commands: str | None = None
    forecast: str | None = None
    table_actions: frozenset[str] = frozenset()
    views_only: bool = False

    @property
    def summary(self) -> str:
        """The description's first paragraph on one line (API documents, function descriptions)."""
        return " ".join((self.description or "").strip().split("\n\n")[0].split())

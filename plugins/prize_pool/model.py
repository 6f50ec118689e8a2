"""Prize-pool config: prizes with weight, stock, value, cost, per-user cap and reward."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping, Sequence
from datetime import tzinfo
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Protocol, runtime_checkable

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)

from plugins.allowance import MAX_SHARDS
from plugins.contracts import GameConfig, RewardSpec
from plugins.registry import PluginError, get_issuer
from plugins.types import Money, PositiveInt, Slug, money


def _reward(value: Any) -> Any:
    """Parse a reward with the spec model of the issuer its `type` names (issuers are plug-ins)."""
    if value is None or isinstance(value, RewardSpec):
        return value
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        raise ValueError("a reward is a mapping with a 'type' naming its issuer")
    try:
        return get_issuer(value["type"]).spec_model.model_validate(value)
    except PluginError as exc:
        raise ValueError(str(exc)) from None
    except ValidationError as exc:
        reasons = "; ".join(
            ".".join(map(str, e["loc"])) + f": {e['msg']}" if e["loc"] else e["msg"]
            for e in exc.errors()
        ).replace("Value error, ", "")
        raise ValueError(reasons) from None


Reward = Annotated[RewardSpec | None, BeforeValidator(_reward)]


class Prize(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug
    name: str = Field(min_length=1, max_length=60)
    weight: int = Field(ge=0, description="relative odds; never sent to the page")
    stock: int | None = Field(default=None, ge=0, description="None = unlimited")
    shards: int = Field(default=1, ge=1, le=MAX_SHARDS, description="stock items a rush spreads over")
    value: Money = Field(default=Decimal(0), description="what the player is told it is worth")
    cost: Money = Field(default=Decimal(0), description="what it costs the brand; counts to the budget")
    per_user_cap: PositiveInt | None = Field(default=None, description="most one member may win")
    reward: Reward = None
    image: str | None = None

    def public(self, zone: tzinfo) -> dict[str, Any]:
        """The prize as a page may show it: never its weight, stock or cost; the reward's times
        (a coupon's fixed window, wall time in config) with the campaign's offset, `zone`."""
        reward = None if self.reward is None else get_issuer(self.reward.type).offer(self.reward, zone)
        return {"id": self.id, "name": self.name, "value": money(self.value), "image": self.image,
                "reward": reward}

    @model_validator(mode="after")
    def _shards_fit(self) -> Prize:
        if self.stock is None and self.shards != 1:
            raise ValueError("shards apply only to a prize with stock")
        return self


class PrizeSet(BaseModel):
    """Prizes reserved by `PrizeReservation` (stock, cost, per-member cap, reward), either drawn
    with odds and a fallback (`PrizePoolConfig`), or chosen by the player and refused when
    they cannot be awarded (a points exchange's items): a set without a fallback."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    prizes: list[Prize] = Field(min_length=1, max_length=50)

    @model_validator(mode="after")
    def _distinct(self) -> PrizeSet:
        ids = [p.id for p in self.prizes]
        if len(ids) != len(set(ids)):
            raise ValueError(f"prize ids repeat: {sorted({i for i in ids if ids.count(i) > 1})}")
        return self

    @property
    def by_id(self) -> dict[str, Prize]:
        return {p.id: p for p in self.prizes}

    def fallback_prize(self) -> Prize | None:
        """What a refused prize becomes: nothing, in a set the player chooses from."""
        return None


class TierOdds(BaseModel):
    """A member tier's own odds and caps on a drawn pool's prizes (the token's `tier` claim);
    stock, cost and rewards stay the pool's, shared by every tier."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    weights: dict[Slug, Annotated[int, Field(ge=0)]] = Field(
        default_factory=dict, description="prize id: its weight for the tier instead of the pool's")
    per_user_caps: dict[Slug, PositiveInt] = Field(
        default_factory=dict, description="prize id: the most a member of the tier may win")

    def applied(self, prizes: Sequence[Prize]) -> list[Prize]:
        """`prizes` with the tier's weights and caps; ValueError naming an unknown prize id."""
        ids = {p.id for p in prizes}
        unknown = sorted((set(self.weights) | set(self.per_user_caps)) - ids)
        if unknown:
            raise ValueError(f"prizes {unknown} are not in the pool {sorted(ids)}")
        return [p.model_copy(update={"weight": self.weights.get(p.id, p.weight),
                                     "per_user_cap": self.per_user_caps.get(p.id, p.per_user_cap)})
                for p in prizes]


class PrizePoolConfig(PrizeSet):
    """Prizes and the fallback the player gets when the drawn prize cannot be awarded."""

    fallback: Slug
    odds_by_tier: dict[str, TierOdds] = Field(
        default_factory=dict, description="a member tier's own weights and caps")
    _tiers: dict[str, PrizePoolConfig] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _coherent(self) -> PrizePoolConfig:
        ids = [p.id for p in self.prizes]
        if sum(p.weight for p in self.prizes) <= 0:
            raise ValueError("at least one prize needs a positive weight")
        fallback = self.by_id.get(self.fallback)
        if fallback is None:
            raise ValueError(f"fallback {self.fallback!r} is not one of the prizes {ids}")
        if fallback.stock is not None or fallback.per_user_cap or fallback.cost:
            raise ValueError("the fallback prize must be unlimited, uncapped and cost nothing")
        if fallback.reward is not None and not fallback.reward.never_fails:
            raise ValueError(f"the fallback's reward type {fallback.reward.type!r} can be refused")
        for tier, odds in self.odds_by_tier.items():
            try:
                self._tiers[tier] = PrizePoolConfig(prizes=odds.applied(self.prizes), fallback=self.fallback)
            except ValidationError as exc:
                reason = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
                raise ValueError(f"odds_by_tier.{tier}: {reason}") from None
            except ValueError as exc:
                raise ValueError(f"odds_by_tier.{tier}: {exc}") from None
        return self

    def for_tier(self, tier: str | None) -> PrizePoolConfig:
        """The pool as a member of `tier` draws from it: his tier's odds and caps, if it has
        its own, on the same prizes (stock and budget shared)."""
        return self._tiers.get(tier or "", self)

    def fallback_prize(self) -> Prize:
        return self.by_id[self.fallback]

    def odds(self) -> dict[str, Decimal]:
        """Each prize's chance of being drawn, in percent to two decimals (before stock and
        caps send a draw to the fallback)."""
        total = sum(p.weight for p in self.prizes)
        return {p.id: (Decimal(100 * p.weight) / total).quantize(Decimal("0.01")) for p in self.prizes}


class ListedPrizes(GameConfig):
    """A game section whose prizes are listed for the player to choose or earn, not drawn
    (the exchange's items, the event gifts' rules): one set without a fallback under
    `pool_id`, built once per parsed section."""

    pool_id: ClassVar[str]
    _pool: PrizeSet = PrivateAttr()

    @abstractmethod
    def listed(self) -> Sequence[Prize]:
        """The section's prizes, in its own field."""

    def model_post_init(self, context: Any) -> None:
        self._pool = PrizeSet(prizes=list(self.listed()))

    def prize_pools(self) -> dict[str, PrizeSet]:
        return {self.pool_id: self._pool}

    @property
    def pool(self) -> PrizeSet:
        return self._pool


@runtime_checkable
class PooledGame(Protocol):
    """A game config with prize pools (the wheel, check-in's blind box, assist)."""

    def prize_pools(self) -> Mapping[str, PrizeSet]:
        """The game's prize pools by pool id, for stock seeding and the budget check."""
        ...


def pools_of(section: GameConfig) -> Mapping[str, PrizeSet]:
    """A game section's prize pools by pool id; none for a game without."""
    return section.prize_pools() if isinstance(section, PooledGame) else {}


def prizes_path(game: str, section: GameConfig, pool: PrizeSet) -> str:
    """Where `pool`'s prizes sit in the campaign document: the section's `prizes` (the wheel),
    a field's (check-in's `blind_box.prizes`), or the section's own list of them (the points
    exchange's `items`)."""
    if pool is section:
        return f"games.{game}.prizes"
    for name in type(section).model_fields:
        value = getattr(section, name)
        if value is pool:
            return f"games.{game}.{name}.prizes"
        if isinstance(value, list) and value == pool.prizes:
            return f"games.{game}.{name}"
    return f"games.{game}.prizes"

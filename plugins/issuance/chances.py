"""Chances: more plays of a game with a prize pool (the wheel's draws), granted today and in
the campaign, as a check-in's milestone grants them; bought with points in the exchange,
earned by tasks. The game's own chance counters simply go down (`grant_chances`)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field

from plugins.antifraud import grant_chances, plays
from plugins.contracts import IssueContext, Issuer, RewardSpec
from plugins.store import Transaction
from plugins.types import Slug


class ChancesSpec(RewardSpec):
    never_fails: ClassVar[bool] = True

    type: Literal["chances"] = "chances"
    game: Slug = Field(default="lucky-wheel", description="the game whose plays are granted")
    chances: int = Field(default=1, ge=1, le=100)


class ChancesReward(BaseModel):
    """More plays of a game, today and in the campaign."""

    type: Literal["chances"]
    game: str
    chances: int


class ChancesIssuer(Issuer):
    name = "chances"
    spec_model = ChancesSpec
    issued_model = ChancesReward

    def available(self, spec: ChancesSpec, ctx: IssueContext) -> bool:
        """Only when the campaign runs that game: chances of a game it lacks are worth nothing."""
        return ctx.campaign.game(spec.game) is not None

    def plan(self, tx: Transaction, spec: ChancesSpec, ctx: IssueContext) -> dict[str, Any]:
        grant_chances(tx, ctx.campaign, ctx.member_id, plays(spec.game), spec.chances, ctx.now)
        tx.tally.count("chances_granted", spec.chances)
        return {"type": self.name, "game": spec.game, "chances": spec.chances}

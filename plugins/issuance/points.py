"""Points: a balance per member and a ledger line per movement; awards are never refused,
spends are refused (tag `points:spend`) when the balance does not cover them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field

from plugins.contracts import IssueContext, Issuer, RewardSpec
from plugins.store import PointsItem, Transaction, keys


class PointsSpec(RewardSpec):
    never_fails: ClassVar[bool] = True

    type: Literal["points"] = "points"
    points: int = Field(ge=1, le=1_000_000)


class PointsReward(BaseModel):
    """Points added to the member's balance."""

    type: Literal["points"]
    points: int


class PointsIssuer(Issuer):
    name = "points"
    spec_model = PointsSpec
    issued_model = PointsReward

    def plan(self, tx: Transaction, spec: PointsSpec, ctx: IssueContext) -> dict[str, Any]:
        member = keys.member(ctx.member_id)
        balance = PointsItem(member, keys.POINTS_BALANCE)
        tx.bump("reward:points", balance, PointsItem.points, spec.points)
        line = PointsItem(member, keys.points_ledger(ctx.now, ctx.reference), points=spec.points,
                          reason=f"{ctx.campaign.id}:{ctx.origin}", at=ctx.now)
        tx.put("reward:points-ledger", line, PointsItem.pk.does_not_exist())
        return {"type": self.name, "points": spec.points}


def spend_points(
    tx: Transaction, member_id: str, points: int, reference: str, now: datetime,
    reason: str = "spend",
) -> None:
    """Deduct `points` from the member's balance inside the action's transaction.

    The balance must cover the spend (with every other spend of the transaction) before it:
    if not, the transaction is cancelled under the tag `points:spend`. The ledger line
    `PTS#<time>#<reference>` records the spend as a negative amount. Points awarded in the same
    transaction merge into the same balance update (`Transaction.bump`) but never pay for it.
    """
    member = keys.member(member_id)
    tx.bump("points:spend", PointsItem(member, keys.POINTS_BALANCE), PointsItem.points, -points,
            needs=points)
    line = PointsItem(member, keys.points_ledger(now, reference), points=-points, reason=reason,
                      at=now)
    tx.put("points:spend-ledger", line, PointsItem.pk.does_not_exist())

"""Points: a balance per member and a ledger line per action; never refused."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from plugins.issuance.base import IssueContext, Issuer, RewardSpec
from plugins.store import PointsItem, Transaction, keys


class PointsSpec(RewardSpec):
    never_fails: ClassVar[bool] = True

    type: Literal["points"] = "points"
    points: int = Field(ge=1, le=1_000_000)


class PointsIssuer(Issuer):
    name = "points"
    spec_model = PointsSpec

    def plan(self, tx: Transaction, spec: PointsSpec, ctx: IssueContext) -> dict[str, Any]:
        member = keys.member(ctx.member_id)
        balance = PointsItem(member, keys.POINTS_BALANCE)
        tx.update("reward:points", balance, [PointsItem.points.add(spec.points)])
        line = PointsItem(member, keys.points_ledger(ctx.reference), points=spec.points,
                          reason=f"{ctx.campaign.id}:{ctx.origin}")
        tx.put("reward:points-ledger", line, PointsItem.pk.does_not_exist())
        return {"type": self.name, "points": spec.points}

"""Cash red packets: a cash balance per member in cents and a ledger line per payment.

Exactly like points, in cents: the balance is `ADD`ed (never refused; merged with other
payments to the same member in the transaction), and the ledger line, keyed by the payment's
reference, is written with `attribute_not_exists`, so one reference never pays twice.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field

from plugins.contracts import IssueContext, Issuer, RewardSpec
from plugins.store import CashItem, Transaction, keys
from plugins.types import Money, MoneyText, cents, yuan

__all__ = ["CashIssuer", "CashSpec", "cash_balance"]


class CashSpec(RewardSpec):
    never_fails: ClassVar[bool] = True

    type: Literal["cash"] = "cash"
    amount: Money = Field(gt=0, le=100_000, description="yuan credited to the member's balance")


class CashReward(BaseModel):
    """Cash credited to the member's balance."""

    type: Literal["cash"]
    amount: MoneyText


class CashIssuer(Issuer):
    name = "cash"
    spec_model = CashSpec
    issued_model = CashReward

    def plan(self, tx: Transaction, spec: CashSpec, ctx: IssueContext) -> dict[str, Any]:
        amount, member = cents(spec.amount), keys.member(ctx.member_id)
        tx.bump("reward:cash", CashItem(member, keys.CASH_BALANCE), CashItem.cents, amount)
        line = CashItem(member, keys.cash_ledger(ctx.reference), cents=amount,
                        reason=f"{ctx.campaign.id}:{ctx.origin}")
        tx.put("reward:cash-ledger", line, CashItem.pk.does_not_exist())
        return {"type": self.name, "amount": yuan(amount)}


def cash_balance(member_id: str) -> int:
    """A member's cash balance in cents (0 before the first payment)."""
    try:
        return int(CashItem.get(keys.member(member_id), keys.CASH_BALANCE).cents)
    except CashItem.DoesNotExist:
        return 0

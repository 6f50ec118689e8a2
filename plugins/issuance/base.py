"""The issuer contract. An issuer adds its writes to the action's transaction, so a reward is
issued exactly once: it commits with the action record that makes retries replay, or not at all.

Issuers are plug-ins (entry-point group `marketing_games.issuers`); the entry point's name
is the `type` a prize's reward names in config.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from plugins.campaigns.model import Campaign
    from plugins.store import Transaction


class RewardSpec(BaseModel):
    """Base of an issuer's config; `type` names the issuer."""

    model_config = ConfigDict(frozen=True, extra="forbid")
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


def day_expiry(campaign: Campaign, now: datetime) -> int:
    """TTL (epoch seconds) for a per-day counter: two days after the campaign's local day."""
    return int(campaign.config.end_of_local_day(now).timestamp()) + 2 * 86400


class Issuer(ABC):
    """Turns a reward spec into conditional writes; tags start with `reward:`."""

    name: ClassVar[str]
    spec_model: ClassVar[type[RewardSpec]]

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

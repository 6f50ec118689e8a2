"""The shapes of what is published about a campaign's draws, as the game functions and the
console answer them: a day's commitment, and the public disclosure that lists them."""

from __future__ import annotations

from pydantic import BaseModel, Field

from plugins.types import MoneyText

__all__ = ["DayCommitment", "Disclosure"]


class DayCommitment(BaseModel):
    day: str = Field(description="the campaign's local day, YYYY-MM-DD")
    commitment: str = Field(description="SHA-256 of the day's seed, hex: published before the day")
    seed: str | None = Field(description="the seed, hex, once the day is over; null until then")


class DisclosedPrize(BaseModel):
    id: str
    name: str
    value: MoneyText = Field(description="its market value: the higher of its value and cost")
    quantity: int | None = Field(description="units in total; null = unlimited")
    per_member_cap: int | None = Field(description="most one member may win; null = no cap")
    odds_percent: str | None = Field(description="chance per draw, percent; null when not drawn")
    fallback: bool = Field(description="given when the drawn prize cannot be")


class DisclosedPool(BaseModel):
    game: str
    enabled: bool
    pool: str
    how: str = Field(description="how its prizes are won: drawn with the odds, or given while they last")
    prizes: list[DisclosedPrize]
    odds_percent_by_tier: dict[str, dict[str, str]] = Field(description="a member tier's own odds")


class DisclosedPeriod(BaseModel):
    starts_at: str
    ends_at: str
    timezone: str


class Disclosure(BaseModel):
    """The public disclosure of a campaign (docs/compliance.md)."""

    campaign_id: str
    name: str
    version: int = Field(description="the config version it is generated from")
    organiser: str | None
    contact: str | None
    period: DisclosedPeriod
    redemption_terms: str | None
    stock_may_extend: bool = Field(description="a started campaign may still add stock")
    prize_value_limit: MoneyText = Field(description="the legal limit on a drawn prize's value")
    prize_pools: list[DisclosedPool]
    commitments: list[DayCommitment] = Field(
        description="each local day's draw-seed commitment, and its seed once the day is over "
                    "(docs/verifiable-draws.md)")

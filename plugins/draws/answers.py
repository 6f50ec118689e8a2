"""The shape of a published commitment, as the game functions' commitments route and the
console's disclosure answer it."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["DayCommitment"]


class DayCommitment(BaseModel):
    day: str = Field(description="the campaign's local day, YYYY-MM-DD")
    commitment: str = Field(description="SHA-256 of the day's seed, hex: published before the day")
    seed: str | None = Field(description="the seed, hex, once the day is over; null until then")

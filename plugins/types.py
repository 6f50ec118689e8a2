"""Small value types shared by every config model."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

SLUG = r"^[a-z0-9][a-z0-9-]{0,62}$"
"""A lower-case id (campaign, partner, coupon type): config fields and URL paths alike."""
Slug = Annotated[str, Field(pattern=SLUG, description="lower-case id")]
def money(amount: Decimal) -> str:
    """An amount as every response shows money: yuan with two decimals (`MoneyText`)."""
    return f"{amount:.2f}"


def yuan(amount_cents: int) -> str:
    """Whole cents (as amounts are stored and counted) as money in a response: 250 is "2.50"."""
    return money(Decimal(amount_cents) / 100)


Money = Annotated[
    Decimal,
    Field(ge=0, max_digits=12, decimal_places=2, description="an amount in yuan"),
    PlainSerializer(money, return_type=str, when_used="json"),
]
MoneyText = Annotated[
    str, Field(pattern=r"^\d+\.\d{2}$", description="an amount in yuan", examples=["2.00"])
]
"""An amount in a response: yuan with two decimals, as `Money` serializes."""
PositiveInt = Annotated[int, Field(ge=1)]


class Frozen(BaseModel):
    """Base of config models: immutable, and unknown fields are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Store(Frozen):
    """A store of the brand: where staff serve, bookings are picked up and coupons redeemed;
    its city is what a coupon limited to cities is checked against."""

    id: Slug
    name: str = Field(min_length=1, max_length=100)
    city: str | None = Field(default=None, min_length=1, max_length=40)
    address: str | None = Field(default=None, max_length=200)


def ordered_window(start: datetime | None, end: datetime | None, first: str, second: str) -> None:
    """Raise ValueError unless `end` follows `start`, both zoned or both wall time."""
    if start is None or end is None:
        return
    if (start.tzinfo is None) != (end.tzinfo is None):
        raise ValueError(f"{first} and {second} must both carry a UTC offset, or neither")
    if end <= start:
        raise ValueError(f"{second} must be after {first}")


def cents(amount: Decimal) -> int:
    """Amounts are stored and compared as whole cents, never as floats."""
    return int(amount * 100)

"""Small value types shared by every config model."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$", description="lower-case id")]
Money = Annotated[
    Decimal, Field(ge=0, max_digits=12, decimal_places=2, description="an amount in yuan")
]
PositiveInt = Annotated[int, Field(ge=1)]


def cents(amount: Decimal) -> int:
    """Amounts are stored and compared as whole cents, never as floats."""
    return int(amount * 100)

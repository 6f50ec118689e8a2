"""The booking section's validation and its pick-up window arithmetic."""

from __future__ import annotations

import random
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from games.booking.bookings import CODE_ALPHABET, new_code
from games.booking.config import BookingConfig
from plugins.runtime import Runtime
from tests.functional.test_booking import SECTION


def test_pickup_window_spans_days_in_local_time() -> None:
    section = BookingConfig.model_validate(SECTION | {"pickup": {"days": 3, "from_hour": 10,
                                                                  "until_hour": 18}})
    start, end = section.pickup_window(date(2026, 11, 23), ZoneInfo("Asia/Shanghai"))
    assert (start.isoformat(), end.isoformat()) == ("2026-11-23T10:00:00+08:00",
                                                    "2026-11-25T18:00:00+08:00")


@pytest.mark.parametrize("change", [
    {"shards": 30}, {"day_quantity": 2, "shards": 3}, {"booking": {"from_hour": 9, "until_hour": 9}},
    {"fulfilment": {"method": "store", "stores": []}}, {"fulfilment": {"method": "drone"}},
    {"limit_per": "week"}, {"price": "-1"}, {"surprise": 1},
])
def test_bad_sections_are_refused(change: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        BookingConfig.model_validate(SECTION | change)


def test_codes_are_8_unambiguous_characters(seeded_rng: random.Random) -> None:
    codes = {new_code(seeded_rng) for _ in range(1000)}
    assert len(codes) == 1000 and all(len(c) == 8 and set(c) <= set(CODE_ALPHABET) for c in codes)


def test_codes_repeat_under_one_seed_and_come_from_a_csprng_in_production() -> None:
    assert new_code(random.Random(7)) == new_code(random.Random(7))
    assert isinstance(Runtime().rng, random.SystemRandom)

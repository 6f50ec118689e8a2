"""Coupon specs per kind, their validity rules, and the periods anti-harassment counts in."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from plugins.issuance.coupon import CouponSpec, period_key

SHANGHAI = ZoneInfo("Asia/Shanghai")
BASE = {"type_id": "spring-sale", "title": "Spring sale", "valid_days": 7}


def spec(**fields: Any) -> CouponSpec:
    return CouponSpec.model_validate(BASE | fields)


def refused(match: str, **fields: Any) -> None:
    with pytest.raises(ValidationError, match=match):
        spec(**fields)


# --- kinds ---------------------------------------------------------------------------------------


def test_full_reduction_needs_threshold_and_discount() -> None:
    coupon = spec(kind="full_reduction", threshold="299.00", discount="50.00")
    assert (coupon.threshold, coupon.discount) == (Decimal("299.00"), Decimal("50.00"))
    assert coupon.type == "coupon"
    refused("a full_reduction coupon needs threshold", kind="full_reduction", discount="50")
    refused("a full_reduction coupon needs discount", kind="full_reduction", threshold="299")
    refused("a full_reduction coupon needs threshold, discount", kind="full_reduction")


@pytest.mark.parametrize("discount", ["299.00", "300.00"])
def test_full_reduction_discount_must_be_below_threshold(discount: str) -> None:
    refused("discount must be below threshold", kind="full_reduction", threshold="299.00",
            discount=discount)


def test_full_reduction_just_below_threshold_is_fine() -> None:
    assert spec(kind="full_reduction", threshold="299.00", discount="298.99").discount == Decimal("298.99")


def test_cash_voucher_needs_a_discount() -> None:
    assert spec(kind="cash_voucher", discount="20").discount == Decimal("20")
    refused("a cash_voucher coupon needs discount", kind="cash_voucher")


@pytest.mark.parametrize("percent", [1, 15, 99])
def test_percentage_takes_1_to_99_percent_off(percent: int) -> None:
    coupon = spec(kind="percentage", percent_off=percent, max_discount="30.00")
    assert coupon.percent_off == percent
    assert coupon.max_discount == Decimal("30.00")


@pytest.mark.parametrize("percent", [0, 100, -5])
def test_percentage_outside_1_to_99_is_rejected(percent: int) -> None:
    refused("percent_off", kind="percentage", percent_off=percent)


def test_percentage_needs_percent_off() -> None:
    refused("a percentage coupon needs percent_off", kind="percentage")


@pytest.mark.parametrize("kind", ["free_item", "exchange"])
def test_free_item_and_exchange_need_an_item(kind: str) -> None:
    assert spec(kind=kind, item="SKU-COFFEE-1").item == "SKU-COFFEE-1"
    refused(f"a {kind} coupon needs item", kind=kind)


def test_unknown_kinds_fields_and_amounts_are_rejected() -> None:
    refused("kind", kind="buy_one_get_one", item="x")
    refused("Extra inputs are not permitted", kind="cash_voucher", discount="5", colour="red")
    refused("discount", kind="cash_voucher", discount="-1.00")
    refused("discount", kind="cash_voucher", discount="1.001")
    refused("type_id", kind="cash_voucher", discount="5", type_id="Not A Slug")


def test_usage_limits_are_kept() -> None:
    coupon = spec(kind="cash_voucher", discount="5", usage={"categories": ["home"], "cities": ["sh"]})
    assert coupon.usage.categories == ("home",)
    assert coupon.usage.cities == ("sh",)
    assert coupon.usage.stores == ()


# --- validity ------------------------------------------------------------------------------------

WINDOW = {"valid_from": "2026-11-01T00:00:00", "valid_until": "2026-11-30T23:59:59"}


def window_spec(**fields: Any) -> CouponSpec:
    return CouponSpec.model_validate(
        {"type_id": "w", "title": "Window", "kind": "cash_voucher", "discount": "5"} | fields
    )


def test_validity_as_a_fixed_window() -> None:
    coupon = window_spec(**WINDOW)
    assert coupon.valid_from == datetime(2026, 11, 1)
    assert coupon.valid_days is None


def test_validity_relative_in_days() -> None:
    assert window_spec(valid_days=30).valid_days == 30
    with pytest.raises(ValidationError):
        window_spec(valid_days=0)


@pytest.mark.parametrize(
    "validity",
    [
        {},
        WINDOW | {"valid_days": 7},
        {"valid_from": WINDOW["valid_from"]},
        {"valid_until": WINDOW["valid_until"]},
    ],
    ids=["none", "both", "only-from", "only-until"],
)
def test_validity_needs_exactly_one_form(validity: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="give either valid_from and valid_until, or valid_days"):
        window_spec(**validity)


@pytest.mark.parametrize("half", ["valid_from", "valid_until"])
def test_half_a_window_with_valid_days_is_rejected(half: str) -> None:
    """A stray window bound next to valid_days would be silently ignored at issue time."""
    with pytest.raises(ValidationError, match="give either valid_from and valid_until, or valid_days"):
        window_spec(**{half: WINDOW[half]}, valid_days=7)


@pytest.mark.parametrize("until", ["2026-11-01T00:00:00", "2026-10-31T23:59:59"])
def test_valid_until_must_be_after_valid_from(until: str) -> None:
    with pytest.raises(ValidationError, match="valid_until must be after valid_from"):
        window_spec(valid_from="2026-11-01T00:00:00", valid_until=until)


def test_a_window_mixing_zoned_and_wall_times_is_a_validation_error() -> None:
    """A naive bound is wall time in the campaign's zone, which the spec alone cannot compare with
    an offset: it must be refused with a clear message, not crash with a TypeError."""
    with pytest.raises(ValidationError):
        window_spec(valid_from="2026-11-01T00:00:00+08:00", valid_until="2026-11-30T23:59:59")


def test_a_window_with_offsets_on_both_bounds_is_fine() -> None:
    coupon = window_spec(valid_from="2026-11-01T00:00:00+08:00", valid_until="2026-11-01T00:00:01Z")
    assert coupon.valid_until is not None and coupon.valid_from is not None
    assert coupon.valid_until > coupon.valid_from  # 16:00:01 UTC is after 16:00 UTC the day before
    with pytest.raises(ValidationError, match="valid_until must be after valid_from"):
        window_spec(valid_from="2026-11-01T08:00:00+08:00", valid_until="2026-11-01T00:00:00Z")


# --- periods -------------------------------------------------------------------------------------


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


def test_day_period() -> None:
    assert period_key(local(2026, 11, 23, 12, 30, 5), "day") == ("2026-11-23", local(2026, 11, 24))
    assert period_key(local(2026, 11, 23, 0, 0), "day") == ("2026-11-23", local(2026, 11, 24))
    assert period_key(local(2026, 11, 23, 23, 59, 59), "day") == ("2026-11-23", local(2026, 11, 24))
    assert period_key(local(2026, 12, 31, 8), "day") == ("2026-12-31", local(2027, 1, 1))


def test_week_period_runs_monday_to_sunday() -> None:
    monday, sunday = local(2026, 11, 23, 0, 0), local(2026, 11, 29, 23, 59)
    assert period_key(monday, "week") == ("2026-W48", local(2026, 11, 30))
    assert period_key(sunday, "week") == ("2026-W48", local(2026, 11, 30))
    assert period_key(local(2026, 11, 30, 0, 0), "week") == ("2026-W49", local(2026, 12, 7))


def test_week_period_across_a_year_boundary_uses_the_iso_year() -> None:
    # 2024-12-30 is the Monday of ISO week 1 of 2025; 2021-01-03 is the Sunday of 2020-W53
    assert period_key(local(2024, 12, 30, 9), "week") == ("2025-W01", local(2025, 1, 6))
    assert period_key(local(2025, 1, 5, 23), "week") == ("2025-W01", local(2025, 1, 6))
    assert period_key(local(2021, 1, 3, 10), "week") == ("2020-W53", local(2021, 1, 4))
    assert period_key(local(2026, 12, 31, 10), "week") == ("2026-W53", local(2027, 1, 4))


@pytest.mark.parametrize(
    ("moment", "key", "ends"),
    [
        (local(2026, 1, 31, 23, 59), "2026-01", local(2026, 2, 1)),
        (local(2026, 2, 28, 12), "2026-02", local(2026, 3, 1)),
        (local(2028, 2, 29, 12), "2028-02", local(2028, 3, 1)),
        (local(2026, 4, 30, 23), "2026-04", local(2026, 5, 1)),
        (local(2026, 12, 31, 23, 59, 59), "2026-12", local(2027, 1, 1)),
        (local(2026, 12, 1, 0, 0), "2026-12", local(2027, 1, 1)),
    ],
)
def test_month_period(moment: datetime, key: str, ends: datetime) -> None:
    assert period_key(moment, "month") == (key, ends)


def test_periods_end_at_local_midnight() -> None:
    _, ends = period_key(local(2026, 11, 23, 12), "week")
    assert ends.tzinfo is SHANGHAI
    assert ends.astimezone(UTC) == datetime(2026, 11, 29, 16, 0, tzinfo=UTC)


# --- offers --------------------------------------------------------------------------------------


def test_an_offer_shows_a_fixed_window_with_the_campaigns_offset() -> None:
    from plugins.issuance.coupon import CouponIssuer

    window = spec(kind="cash_voucher", discount="5.00", valid_days=None,
                  valid_from="2026-12-01T00:00:00", valid_until="2026-12-31T23:59:59")
    offered = CouponIssuer().offer(window, SHANGHAI)
    assert (offered["valid_from"], offered["valid_until"]) == (
        "2026-12-01T00:00:00+08:00", "2026-12-31T23:59:59+08:00")  # config's wall time, local
    assert "valid_from" not in CouponIssuer().offer(spec(kind="cash_voucher", discount="5.00"), SHANGHAI)

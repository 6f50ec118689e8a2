"""The partner coupons' config: coherent partners and coupon types, and the brand's worst
case that keeps the campaign budget proven."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from games.partner_coupon.config import PartnerCouponConfig

COUPON = {"type_id": "c1", "title": "5 off", "kind": "cash_voucher", "discount": "5.00",
          "face_value": "5.00", "cost": "2.00"}


def section(**partner: Any) -> dict[str, Any]:
    return {"partners": [{"id": "p1", "name": "P1", "quota": 100, "budget": "150.00",
                          "brand_share": "0.40", "coupons": [COUPON]} | partner]}


def test_worst_case_is_the_brand_share_of_quota_or_budget() -> None:
    # quota 100 x 2.00 = 200.00 but budget 150.00 bites: the brand pays 40% of it
    assert PartnerCouponConfig.model_validate(section()).max_cost() == Decimal("60.00")
    assert PartnerCouponConfig.model_validate(section(quota=10)).max_cost() == Decimal("8.00")


@pytest.mark.parametrize(("change", "reason"), [
    ({"coupons": [COUPON | {"supply": "realtime"}]}, "needs an endpoint"),
    ({"coupons": [COUPON | {"endpoint": "https://p.example/codes"}]}, "needs an endpoint"),
    ({"coupons": [COUPON, COUPON]}, "unique within a partner"),
    ({"coupons": [COUPON | {"kind": "full_reduction", "threshold": "5.00"}]}, "below threshold"),
    ({"brand_share": "1.5"}, "less than or equal to 1"),
    ({"coupons": []}, "at least 1"),
])
def test_incoherent_sections_are_refused(change: dict[str, Any], reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        PartnerCouponConfig.model_validate(section(**change))


def test_type_ids_are_unique_across_partners() -> None:
    doc = section()
    doc["partners"].append(doc["partners"][0] | {"id": "p2"})
    with pytest.raises(ValidationError, match="unique across partners"):
        PartnerCouponConfig.model_validate(doc)

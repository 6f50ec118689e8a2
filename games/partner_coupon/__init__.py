"""Cross-industry partner coupons [异业券]: co-branded coupons whose codes partners supply.

Partners upload code pools (`upload_pool`), players claim coupons in the campaign's coupon
center, and any game's prize pool can award one through the `partner-coupon` issuer; each
partner's quota and budget bound what is issued (docs/games/partner-coupon.md).
"""

from games.partner_coupon.config import PartnerCouponConfig
from games.partner_coupon.issuer import PartnerCouponIssuer, PartnerCouponSpec
from games.partner_coupon.pool import parse_codes, upload_pool
from games.partner_coupon.realtime import fetch_codes
from games.partner_coupon.routes import router
from games.partner_coupon.settlement import settlement
from plugins.contracts import GamePlugin

plugin = GamePlugin(
    "partner-coupon", "Partner coupons", PartnerCouponConfig, router, description=__doc__,
    jobs=(fetch_codes,),
    console="games.partner_coupon.console:console",
    commands="games.partner_coupon.cli:add_commands",
    forecast="games.partner_coupon.forecast:PartnerCouponForecast",
)

__all__ = ["PartnerCouponConfig", "PartnerCouponIssuer", "PartnerCouponSpec", "fetch_codes",
           "parse_codes",
           "plugin", "settlement", "upload_pool"]

"""Lambda entry point of the partner coupons (coupon center), behind its own function URL."""

from plugins.web import build_handler

handler = build_handler("partner-coupon")

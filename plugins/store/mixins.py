"""Attributes that many item types carry, declared once: mix them into a `BaseItem` subclass
(`class BookingItem(OfCampaign, OfMember, BaseItem)`). PynamoDB collects a model's attributes
through its whole MRO, so a mixin's attribute is the model's own."""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute

__all__ = ["OfCampaign", "OfMember"]


class OfCampaign:
    """The campaign the item belongs to, readable without parsing its keys (reports, sweeps)."""

    campaign_id = UnicodeAttribute()


class OfMember:
    """The member the item belongs to or names (whose coupon, booking, help)."""

    member_id = UnicodeAttribute()

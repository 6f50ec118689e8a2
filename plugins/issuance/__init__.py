"""Reward issuance: pluggable issuers (coupon, points, ...) that write inside the action's transaction."""

from plugins.issuance.base import IssueContext, Issuer, RewardSpec

__all__ = ["IssueContext", "Issuer", "RewardSpec"]

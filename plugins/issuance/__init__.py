"""Reward issuance: pluggable issuers (coupon, points, cash) that write inside the action's
transaction; the contract they implement is in `plugins.contracts`."""

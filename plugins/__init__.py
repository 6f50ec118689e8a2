"""Shared layers every game plugs into: registry, store, prize pool, issuance, anti-fraud, web."""

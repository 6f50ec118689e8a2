"""Draws anyone can re-verify: the published commitments of a campaign's days and the
re-derivation of a recorded draw (docs/verifiable-draws.md)."""

from plugins.draws.disclosed import published
from plugins.draws.verify import MAX_DAYS, commitments, shown_to, verify_draw

__all__ = ["MAX_DAYS", "commitments", "published", "shown_to", "verify_draw"]

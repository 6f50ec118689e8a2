"""The red packets' section of the campaign report (docs/console.md, "The report"), from
what their actions tallied: packets shared (each also under the hour it expires) and
emptied, parts, grabs, sharers and grabbers, and the money handed out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from plugins.contracts import Campaign
from plugins.store import due_by
from plugins.types import yuan

__all__ = ["report"]


def report(campaign: Campaign, figures: Mapping[str, int], now: datetime) -> dict[str, Any]:
    """Packets (and how many are empty or expired), parts, grabs, the grab rate (grabbed
    parts / parts), the money handed out in grabs and in sharers' bonuses (yuan), and the
    K factor: friends who grabbed per sharer."""
    parts, grabs = figures.get("parts", 0), figures.get("grabs", 0)
    sharers = figures.get("sharers", 0)
    return {
        "packets": figures.get("packets", 0),
        "empty": figures.get("packets_emptied", 0),
        "expired": due_by(figures, "packets_due", now) - due_by(figures, "emptied_due", now),
        "parts": parts,
        "grabs": grabs,
        "grab_rate": round(grabs / parts, 4) if parts else 0.0,
        "handed_out": yuan(figures.get("handed_out", 0)),
        "bonus_paid": yuan(figures.get("bonus_paid", 0)),
        "sharers": sharers,
        "grabbers": figures.get("grabbers", 0),
        "k_factor": round(figures.get("grabbers", 0) / sharers, 4) if sharers else 0.0,
    }

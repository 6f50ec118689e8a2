"""The red packets' figures for the campaign report (docs/console.md, "The report").

One `Scan` of the table, filtered to this campaign's packet items (`C#<campaign>#RP#…`, `RP`).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from games.red_packet.items import PacketItem
from games.red_packet.views import packet_state
from plugins.contracts import Campaign
from plugins.types import yuan

__all__ = ["report"]


def report(campaign: Campaign, now: datetime) -> dict[str, Any]:
    """Packets (and how many are empty or expired, as a reader sees them), parts, grabs,
    the grab rate (grabbed parts / parts), and the money handed out in grabs and in sharers'
    bonuses (yuan)."""
    packets = list(PacketItem.scan(PacketItem.pk.startswith(f"C#{campaign.id}#RP#")
                                   & (PacketItem.sk == "RP")))
    parts = sum(len(p.parts) for p in packets)
    states = Counter(packet_state(p, now) for p in packets)
    grabs = sum(int(p.grabbed) for p in packets)
    return {
        "packets": len(packets),
        "empty": states["empty"],
        "expired": states["expired"],
        "parts": parts,
        "grabs": grabs,
        "grab_rate": round(grabs / parts, 4) if parts else 0.0,
        "handed_out": yuan(sum(int(p.handed_out) for p in packets)),
        "bonus_paid": yuan(sum(int(p.bonus_paid) for p in packets)),
    }

"""A draw's identity and the record that lets anyone re-derive it (docs/verifiable-draws.md).

The record is one more item of the draw's own transaction (no round trip of its own), in a
partition of its own (`keys.draw`), so a draw id alone finds it. It keeps everything the
verifier needs: the identity hashed into the number, the day whose seed drew, the config
version and tier whose weights picked, the number, the prize it selected before stock and
caps, what was awarded and, when it fell back, which limit refused the drawn prize.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from plugins.prize_pool.draw import DrawTable
from plugins.prize_pool.seeds import day_seed, derive_number, ticket
from plugins.store import DrawItem, Transaction, keys

if TYPE_CHECKING:
    from plugins.contracts import Campaign

__all__ = ["DrawSeal", "SealedDraw"]


@dataclass(frozen=True)
class DrawSeal:
    """Who draws and under which ids: all fixed before the day's seed is revealed (the
    idempotency key is the client's, chosen before; the draw id is the server's)."""

    game: str
    member_id: str
    key: str
    draw_id: str
    now: datetime


@dataclass(frozen=True)
class SealedDraw:
    """A draw's number and ticket on a table, and its record once the award is known."""

    campaign: Campaign
    pool_id: str
    tier: str | None
    seal: DrawSeal
    number: str
    ticket: int

    @classmethod
    def of(cls, campaign: Campaign, pool_id: str, tier: str | None, seal: DrawSeal,
           table: DrawTable) -> SealedDraw:
        """The draw of `seal` on `table` (the weights of `tier`, None for the pool's own)."""
        seed = day_seed(campaign.id, campaign.config.local_day(seal.now))
        number = derive_number(seed, campaign.id, seal.member_id, seal.key, seal.draw_id)
        return cls(campaign, pool_id, tier, seal, number, ticket(number, table.total_weight))

    def record(self, drawn: str, awarded: str, refused_by: str | None) -> dict[str, Any]:
        seal = self.seal
        return {"draw_id": seal.draw_id, "game": seal.game, "pool_id": self.pool_id,
                "member_id": seal.member_id, "key": seal.key,
                "day": self.campaign.config.local_day(seal.now).isoformat(),
                "config_version": self.campaign.version, "tier": self.tier,
                "number": self.number, "ticket": self.ticket, "drawn": drawn,
                "awarded": awarded, "fallback_reason": refused_by}

    def plan(self, tx: Transaction, drawn: str, awarded: str, refused_by: str | None) -> None:
        """Add the record to `tx`: written once, with the draw."""
        item = DrawItem(keys.draw(self.campaign.id, self.seal.draw_id), keys.DRAW_SK,
                        campaign_id=self.campaign.id, proof=self.record(drawn, awarded, refused_by))
        tx.put("draw", item, DrawItem.pk.does_not_exist())

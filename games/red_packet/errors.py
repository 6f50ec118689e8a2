"""The red packets' own refusals; like every GameError they answer with the shared envelope."""

from __future__ import annotations

from plugins.errors import GameError


class TriggerNotEnabledError(GameError, code="TRIGGER_NOT_ENABLED", status=404):
    """The campaign does not make packets this way (order or action trigger off)."""


class OrderNotEligibleError(GameError, code="ORDER_NOT_ELIGIBLE", status=422):
    """The reported order is below the campaign's minimum amount."""


class PacketNotFoundError(GameError, code="PACKET_NOT_FOUND", status=404):
    """No packet with this id in this campaign."""


class PacketExpiredError(GameError, code="PACKET_EXPIRED", status=410):
    """The packet's lifetime is over; its unclaimed parts go back to the budget."""


class PacketEmptyError(GameError, code="PACKET_EMPTY", status=409):
    """Every part of the packet has been grabbed."""


class AlreadyGrabbedError(GameError, code="ALREADY_GRABBED", status=409):
    """The player already grabbed a part of this packet."""


class OwnPacketError(GameError, code="OWN_PACKET", status=403):
    """The sharer cannot grab his own packet."""

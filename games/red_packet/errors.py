"""The red packets' own refusals; like every GameError they answer with the shared envelope."""

from __future__ import annotations

from plugins.errors import GameError

__all__ = [
    "AlreadyGrabbedError",
    "BudgetExhaustedError",
    "OrderNotEligibleError",
    "OwnPacketError",
    "PacketEmptyError",
    "PacketExpiredError",
    "PacketNotFoundError",
    "TriggerNotEnabledError",
]


class TriggerNotEnabledError(GameError):
    """The campaign does not make packets this way (order or action trigger off)."""

    code = "TRIGGER_NOT_ENABLED"
    status = 404


class OrderNotEligibleError(GameError):
    """The reported order is below the campaign's minimum amount."""

    code = "ORDER_NOT_ELIGIBLE"
    status = 422


class BudgetExhaustedError(GameError):
    """The campaign budget cannot pay for another packet."""

    code = "BUDGET_EXHAUSTED"
    status = 409


class PacketNotFoundError(GameError):
    """No packet with this id in this campaign."""

    code = "PACKET_NOT_FOUND"
    status = 404


class PacketExpiredError(GameError):
    """The packet's lifetime is over; its unclaimed parts go back to the budget."""

    code = "PACKET_EXPIRED"
    status = 410


class PacketEmptyError(GameError):
    """Every part of the packet has been grabbed."""

    code = "PACKET_EMPTY"
    status = 409


class AlreadyGrabbedError(GameError):
    """The player already grabbed a part of this packet."""

    code = "ALREADY_GRABBED"
    status = 409


class OwnPacketError(GameError):
    """The sharer cannot grab his own packet."""

    code = "OWN_PACKET"
    status = 403

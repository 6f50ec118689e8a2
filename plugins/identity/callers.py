"""The two kinds of caller a verified token names: a player, or an operator of the console."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from plugins.errors import ForbiddenError, MalformedRequestError, TokenInvalidError

MARKETER, ADMIN, STAFF, BRAND = "marketer", "admin", "staff", "brand"
ROLES = frozenset({MARKETER, ADMIN, STAFF, BRAND})
"""Operators: a marketer runs campaigns, an admin all of them, staff serve in stores, a brand
system reports orders server to server."""


@dataclass(frozen=True)
class Player:
    """Who plays: the member and device from the token, the IP from the request."""

    member_id: str
    device_id: str | None = None
    ip: str | None = None
    registered_at: datetime | None = None
    tier: str | None = None
    tags: frozenset[str] = frozenset()
    region: str | None = None


@dataclass(frozen=True)
class Operator:
    """Who operates: a name, a role, and the stores and campaigns the credential is bound to
    (empty: not bound)."""

    name: str
    role: str
    stores: frozenset[str] = frozenset()
    campaigns: frozenset[str] = frozenset()

    def require_campaign(self, campaign_id: str) -> None:
        """403 unless the credential covers the campaign: an admin's every one; a marketer's
        only those it is bound to; staff's and a brand system's those it is bound to, or every
        one when it is bound to none."""
        if self.role == ADMIN or campaign_id in self.campaigns or (
                not self.campaigns and self.role != MARKETER):
            return
        raise ForbiddenError(f"{self.name}'s credential does not cover campaign {campaign_id!r}")

    def store_for(self, named: str | None) -> str:
        """Where the operator acts: the store named, which must be his, else his only one (a
        credential of several stores must name one: 400)."""
        if named is None and len(self.stores) > 1:
            raise MalformedRequestError("store_id: this credential serves several stores; name one")
        if named is not None or len(self.stores) != 1:
            self.require_store(named)
            return str(named)
        return next(iter(self.stores))

    def require_store(self, store_id: str | None) -> None:
        """403 unless staff are bound to the store where this happens."""
        if store_id is None or store_id not in self.stores:
            raise ForbiddenError(f"{self.name}'s credential does not cover store {store_id!r}")


def _text(claims: dict[str, Any], name: str, limit: int, required: bool = False) -> str | None:
    value = claims.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= limit or "#" in value:
        raise TokenInvalidError(f"the token's {name!r} is not valid")
    return value


def _names(claims: dict[str, Any], name: str) -> frozenset[str]:
    value = claims.get(name, [])
    if not isinstance(value, list) or len(value) > 100 or not all(
            isinstance(item, str) and 0 < len(item) <= 64 for item in value):
        raise TokenInvalidError(f"the token's {name!r} is not a list of ids")
    return frozenset(value)


def player_from(claims: dict[str, Any], ip: str | None = None) -> Player:
    """The player of verified player claims; malformed claims are TokenInvalidError (401)."""
    registered = claims.get("reg")
    if registered is not None and (not isinstance(registered, int) or isinstance(registered, bool)
                                   or registered < 0):
        raise TokenInvalidError("the token's 'reg' is not valid")
    return Player(member_id=str(_text(claims, "sub", 64, required=True)),
                  device_id=_text(claims, "dev", 128), ip=ip,
                  registered_at=None if registered is None else datetime.fromtimestamp(registered, UTC),
                  tier=_text(claims, "tier", 32), tags=_names(claims, "tags"),
                  region=_text(claims, "region", 64))


def operator_from(claims: dict[str, Any]) -> Operator:
    """The operator of verified console claims; an unknown role is TokenInvalidError (401)."""
    role = claims.get("role")
    if role not in ROLES:
        raise TokenInvalidError("the token's 'role' is not valid")
    return Operator(name=str(_text(claims, "sub", 64, required=True)), role=str(role),
                    stores=_names(claims, "stores"), campaigns=_names(claims, "campaigns"))

"""Signed tokens (HS256 JWTs) of the two trust domains, checked by PyJWT itself.

A player token is minted by the brand's login server with the player ring: `sub` (member
id), `dev` (device id), `reg` (registration time, epoch seconds) and the standard `iss`,
`aud`, `iat`, `exp` and, if it likes, `nbf`. An operator token is minted by the console's
issuer (`mgames token --role ...`) with the console ring, which the brand's login server never
holds: `sub` (who), `role`, and the stores and campaigns the operator is bound to. Each
domain has its own issuer and audience, so a token of one is never taken for the other; the
header's `kid` picks the key of the ring (old and new keys verify during a rotation).
PyJWT checks the signature, `exp`, `nbf`, `iat`, `iss`, `aud` and the required claims against
the real clock with `LEEWAY_SECONDS`; tests freeze that clock rather than re-implement it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt

from plugins.errors import ForbiddenError, TokenInvalidError
from plugins.identity.callers import Operator, Player, operator_from, player_from
from plugins.identity.keys import KeyRing, key_ring

ALGORITHM = "HS256"
LEEWAY_SECONDS = 60


@dataclass(frozen=True)
class Domain:
    """A trust domain: who mints its tokens (issuer), who takes them (audience), its keys."""

    name: str
    issuer: str
    audience: str
    variable: str
    required: tuple[str, ...]

    def ring(self) -> KeyRing:
        return key_ring(self.variable)


PLAYERS = Domain("player", "mgames:brand-login", "mgames:player", "MGAMES_PLAYER_KEYS",
                 ("sub", "iss", "aud", "iat", "exp"))
OPERATORS = Domain("operator", "mgames:console", "mgames:console", "MGAMES_CONSOLE_KEYS",
                   ("sub", "iss", "aud", "iat", "exp", "role"))


def mint(domain: Domain, ring: KeyRing, claims: dict[str, Any], *, now: datetime,
         ttl: timedelta) -> str:
    """A token of `domain` carrying `claims`, signed with the ring's current key."""
    registered = {"iss": domain.issuer, "aud": domain.audience, "iat": now, "exp": now + ttl}
    return jwt.encode(claims | registered, ring.keys[ring.current], algorithm=ALGORITHM,
                      headers={"kid": ring.current})


def _is_operators(token: str) -> bool:
    """Whether a token claims the console's audience (unverified: it only picks the ring that
    verifies it); not a JWT at all is TokenInvalidError (401)."""
    try:
        return jwt.decode(token, options={"verify_signature": False}).get("aud") == OPERATORS.audience
    except jwt.PyJWTError as exc:
        raise TokenInvalidError(f"the token is not valid: {exc}") from None


def decode(domain: Domain, token: str, ring: KeyRing | None = None) -> dict[str, Any]:
    """The verified claims of a token of `domain`; TokenInvalidError (401) for anything else:
    forged, expired, not yet valid, another domain's, an unknown key or malformed claims."""
    ring = ring or domain.ring()
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        secret = ring.secret(kid) if isinstance(kid, str) else None
        if secret is None:
            raise TokenInvalidError("the token is signed with a key this service does not know")
        claims: dict[str, Any] = jwt.decode(
            token, secret, algorithms=[ALGORITHM], audience=domain.audience, issuer=domain.issuer,
            leeway=LEEWAY_SECONDS, options={"require": list(domain.required), "strict_aud": True})
    except (jwt.PyJWTError, TypeError, ValueError, OverflowError) as exc:
        raise TokenInvalidError(f"the {domain.name} token is not valid: {exc}") from None
    return claims


def identify(token: str, ip: str | None = None) -> Player | Operator:
    """The caller a token names, verified in the domain its audience claims: an operator's
    token with the console ring, anything else as a player's with the player ring."""
    if _is_operators(token):
        return operator_from(decode(OPERATORS, token))
    return player_from(decode(PLAYERS, token), ip)


def identify_operator(token: str) -> Operator:
    """The operator a console credential names; any other token is 403 (the console holds no
    player ring: a player token is not verified there, only refused)."""
    if not _is_operators(token):
        raise ForbiddenError("the console takes operators' credentials, not player tokens")
    return operator_from(decode(OPERATORS, token))


def mint_player(member_id: str, *, now: datetime, ttl: timedelta = timedelta(hours=2),
                device_id: str | None = None, registered_at: datetime | None = None,
                ring: KeyRing | None = None, **audience: Any) -> str:
    """A player token, as the brand's login server issues it (tests, `mgames token`);
    `audience` claims: `tier`, `tags` (a list) and `region` (docs/identity.md)."""
    claims: dict[str, Any] = {"sub": member_id}
    if device_id:
        claims["dev"] = device_id
    if registered_at is not None:
        claims["reg"] = int(registered_at.timestamp())
    claims |= {name: list(value) if name == "tags" else value
               for name, value in audience.items() if value}
    return mint(PLAYERS, ring or PLAYERS.ring(), claims, now=now, ttl=ttl)


def mint_operator(name: str, role: str, *, now: datetime, ttl: timedelta = timedelta(hours=8),
                  stores: tuple[str, ...] = (), campaigns: tuple[str, ...] = (),
                  ring: KeyRing | None = None) -> str:
    """An operator's console credential (`mgames token NAME --role ...`)."""
    claims: dict[str, Any] = {"sub": name, "role": role}
    if stores:
        claims["stores"] = list(stores)
    if campaigns:
        claims["campaigns"] = list(campaigns)
    return mint(OPERATORS, ring or OPERATORS.ring(), claims, now=now, ttl=ttl)

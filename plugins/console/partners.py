"""What partner routes (under `/partners/{partner_id}`) share: `partner_view` checks the
request's signature (`verify_partner_request`: API key, HMAC,
timestamp, nonce), then that the key belongs to the `{partner_id}` of the path: a key id is
the partner id itself or `<partner id>:<label>` (several keys per partner, for rotation).
A valid key on another partner's path is 403 FORBIDDEN. Refusals write nothing, except the
nonce record, which is stored once the signature holds (so a replay is refused). The routes
themselves belong to the game that deals with partners (partner coupons' console blueprint).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from chalice import Blueprint, Response

from plugins.console.partner_auth import verify_partner_request
from plugins.console.web import Call, console_view
from plugins.errors import ForbiddenError
from plugins.runtime import runtime

__all__ = ["partner_of_key", "partner_view"]

KEY_SEPARATOR = ":"


def partner_of_key(key_id: str) -> str:
    """The partner an API key belongs to: `cafe` and `cafe:2026-11` both belong to `cafe`."""
    return key_id.split(KEY_SEPARATOR, 1)[0]


def request_path(call: Call) -> str:
    """The path the partner called and signed, without the API stage or a query string:
    API Gateway's event `path` (the stage is only in `requestContext.path` there); chalice's
    local server and test client carry it in `requestContext.path` alone, without a stage."""
    event = call.request.to_original_event()
    found = event.get("path") or event.get("requestContext", {}).get("path") or call.request.path
    return str(found).split("?", 1)[0]


def partner_view(bp: Blueprint) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`console_view` (the envelope) around a signature check bound to `{partner_id}`."""
    return lambda view: console_view(bp, None)(_signed(view))


def _signed(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def checked(call: Call, partner_id: str, **params: Any) -> Response:
        request = call.request
        raw = request.raw_body
        signer = verify_partner_request(request.method, request_path(call),
                                        dict(request.headers or {}),
                                        raw.encode() if isinstance(raw, str) else raw,
                                        now=runtime.clock())
        if partner_of_key(signer.key_id) != partner_id:
            raise ForbiddenError("this API key belongs to another partner")
        return view(call, partner_id=partner_id, **params)

    return checked

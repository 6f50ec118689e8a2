"""Partner routes, under `/partners/{partner_id}`: upload code pools, read settlement, redeem
a co-branded coupon at the partner's counter.

Every route first checks the request's signature (`verify_partner_request`: API key, HMAC,
timestamp, nonce), then that the key belongs to the `{partner_id}` of the path: a key id is
the partner id itself or `<partner id>:<label>` (several keys per partner, for rotation).
A valid key on another partner's path is 403 FORBIDDEN. Refusals write nothing, except the
nonce record, which is stored once the signature holds (so a replay is refused).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Literal

from chalice import Blueprint, Response
from pydantic import BaseModel, ConfigDict, Field

from plugins.console.partner_auth import verify_partner_request
from plugins.console.web import Call, console_view, json_response
from plugins.errors import CouponNotFoundError, ForbiddenError
from plugins.runtime import runtime

__all__ = ["partner_of_key", "partners"]

partners = Blueprint(__name__)
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


def partner_view(view: Callable[..., Any]) -> Callable[..., Any]:
    """`console_view` (the envelope) around a signature check bound to `{partner_id}`."""

    @console_view(partners, None)
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


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PoolUpload(Body):
    upload_id: str = Field(min_length=1, max_length=64)
    format: Literal["csv", "json"] = "csv"
    codes: str = Field(min_length=1, max_length=2_000_000)


class Redemption(Body):
    member_id: str = Field(min_length=1, max_length=64, pattern=r"^[^#]+$")
    coupon_id: str = Field(min_length=1, max_length=128, pattern=r"^[^#]+$")


@partners.route("/partners/{partner_id}/campaigns/{campaign_id}/pools/{type_id}",
                methods=["POST"])
@partner_view
def upload(call: Call, partner_id: str, campaign_id: str, type_id: str) -> Response:
    """Add codes to a coupon type's pool; a repeated upload_id answers the first result."""
    from games.partner_coupon import parse_codes, upload_pool

    body = call.body(PoolUpload)
    campaign = runtime.configs.get(campaign_id)
    codes = parse_codes(body.codes, body.format)
    result = upload_pool(campaign, partner_id, type_id, body.upload_id, codes, runtime.clock())
    return json_response(result, 200 if result.get("replayed") else 201)


@partners.route("/partners/{partner_id}/campaigns/{campaign_id}/settlement", methods=["GET"])
@partner_view
def settlement(call: Call, partner_id: str, campaign_id: str) -> Response:
    from games.partner_coupon import settlement as settle

    campaign = runtime.configs.get(campaign_id)
    return json_response(settle(campaign, partner_id, runtime.clock()))


@partners.route("/partners/{partner_id}/campaigns/{campaign_id}/redemptions", methods=["POST"])
@partner_view
def redeem(call: Call, partner_id: str, campaign_id: str) -> Response:
    """Redeem, once, a co-branded coupon of this partner in this campaign (any other: 404)."""
    from games.partner_coupon.config import partner_coupon_of
    from games.partner_coupon.errors import PartnerNotFoundError
    from plugins.issuance.coupon import redeem_coupon
    from plugins.store import CouponItem, keys

    body = call.body(Redemption)
    campaign = runtime.configs.get(campaign_id)
    if partner_coupon_of(campaign).partner(partner_id) is None:
        raise PartnerNotFoundError(f"campaign {campaign_id!r} has no partner {partner_id!r}")
    try:
        coupon = CouponItem.get(keys.member(body.member_id), keys.coupon(body.coupon_id),
                                consistent_read=True)
    except CouponItem.DoesNotExist:
        coupon = None
    if (coupon is None or coupon.campaign_id != campaign_id
            or (coupon.terms or {}).get("partner") != partner_id):
        raise CouponNotFoundError(f"no coupon {body.coupon_id!r} of partner {partner_id!r} "
                                  "for this member in this campaign")
    done = redeem_coupon(body.member_id, body.coupon_id, runtime.clock())
    terms = done.terms or {}
    return json_response({
        "coupon_id": done.coupon_id, "member_id": done.member_id,
        "campaign_id": done.campaign_id, "partner": partner_id,
        "type_id": terms.get("partner_type"), "title": terms.get("title"),
        "code": terms.get("code"), "state": done.state,
        "redeemed_at": done.redeemed_at.isoformat() if done.redeemed_at else None})

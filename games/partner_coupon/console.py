"""The partners' console routes, under `/partners/{partner_id}` (signed, see
`plugins.console.partners`): upload code pools, read the settlement, redeem a co-branded
coupon at the partner's counter, manage its own webhook endpoints and rotate their secret
(docs/webhooks.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from chalice import Blueprint, Response
from pydantic import BaseModel, ConfigDict, Field

from games.partner_coupon.config import Partner, partner_coupon_of, partner_events_only
from games.partner_coupon.errors import (
    CodesInvalidError,
    CouponTypeNotFoundError,
    DuplicateCodesError,
    PartnerNotFoundError,
    WebhooksInvalidError,
)
from games.partner_coupon.pool import parse_codes, upload_pool
from games.partner_coupon.settlement import settlement as settle
from plugins.clock import stamp
from plugins.console.contract import documented
from plugins.console.partners import partner_view
from plugins.console.web import Call, json_response, outcome_response
from plugins.contracts import Campaign
from plugins.errors import (
    CampaignNotFoundError,
    ConflictError,
    CouponNotFoundError,
    CouponNotRedeemableError,
    FraudBlockedError,
    GameNotEnabledError,
    IdempotencyKeyReusedError,
    SecretUnavailableError,
    WebhookSecretNotFoundError,
)
from plugins.idempotency import commit_once, operation
from plugins.issuance.coupon import find_coupon, redeem
from plugins.issuance.redemption import ORDER_ERRORS, Order, check_redeemable
from plugins.runtime import runtime
from plugins.store import Transaction
from plugins.types import MoneyText, money
from plugins.webhook_endpoints import OwnEndpoint
from plugins.webhooks.managed import read_own, replace_own
from plugins.webhooks.party_secrets import party_secret, rotate, rotated_secret, secret_ref

console = Blueprint(__name__)
PARTNER_ERRORS = (CampaignNotFoundError, PartnerNotFoundError, GameNotEnabledError)
"""What every partner route may answer of the campaign it names."""
SECRET_WRITE_ERRORS = (ConflictError, IdempotencyKeyReusedError, SecretUnavailableError)
"""What a keyed write that answers the partner's webhook secret may answer besides."""


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PoolUpload(Body):
    upload_id: str = Field(min_length=1, max_length=64)
    format: Literal["csv", "json"] = "csv"
    codes: str = Field(min_length=1, max_length=2_000_000)


class PoolUploaded(BaseModel):
    upload_id: str
    partner: str
    type_id: str
    accepted: int = Field(description="codes in this upload")
    pool_size: int = Field(description="codes ever loaded into the type's pool")
    uploaded_at: str
    replayed: bool = Field(description="true: this upload id was done before, this is its answer")


class CostSplit(BaseModel):
    total: MoneyText
    brand: MoneyText
    partner: MoneyText


class TypeFigures(BaseModel):
    issued: int
    redeemed: int
    expired: int


class Tally(BaseModel):
    issued: int
    cost: MoneyText


class Settlement(BaseModel):
    campaign_id: str
    partner: str
    name: str
    as_of: str
    brand_share: str
    quota: int
    budget: MoneyText
    issued: int
    redeemed: int
    expired: int
    open: int
    redeemed_at: dict[str, int] = Field(description="redemptions per place: `partner` (its own "
                                        "counter) or the brand's store id")
    by_type: dict[str, TypeFigures]
    cost_issued: CostSplit
    cost_redeemed: CostSplit
    tally: Tally = Field(description="the partner's running counters, as issuance checks them")


class PartnerRedeemed(BaseModel):
    coupon_id: str
    member_id: str
    campaign_id: str
    partner: str
    type_id: str | None
    title: str | None
    code: str | None
    state: Literal["redeemed"]
    redeemed_at: str
    order_amount: MoneyText | None


class Redemption(Body):
    member_id: str = Field(min_length=1, max_length=64, pattern=r"^[^#]+$")
    coupon_id: str = Field(min_length=1, max_length=128, pattern=r"^[^#]+$")
    order: Order | None = Field(default=None, description="the order it is presented with: needed "
                                "for a threshold or an item scope; its amount is recorded")


def _partner_campaign(partner_id: str, campaign_id: str) -> tuple[Campaign, Partner]:
    """The campaign, and the partner in it (404 PARTNER_NOT_FOUND when it has none so named)."""
    campaign = runtime.configs.get(campaign_id)
    partner = partner_coupon_of(campaign).partner(partner_id)
    if partner is None:
        raise PartnerNotFoundError(f"campaign {campaign_id!r} has no partner {partner_id!r}")
    return campaign, partner


@console.route("/partners/{partner_id}/campaigns/{campaign_id}/pools/{type_id}", methods=["POST"])
@documented("partner", "Upload codes to a coupon type's pool (a repeated upload_id: the first result)",
            body=PoolUpload, answer=PoolUploaded, statuses=(200, 201), keyed=False,
            raises=(*PARTNER_ERRORS, CouponTypeNotFoundError, CodesInvalidError, DuplicateCodesError,
                    IdempotencyKeyReusedError, FraudBlockedError))
@partner_view(console)
def upload(call: Call, partner_id: str, campaign_id: str, type_id: str) -> Response:
    """Add codes to a coupon type's pool; a repeated upload_id answers the first result."""
    body = call.body(PoolUpload)
    campaign = runtime.configs.get(campaign_id)
    codes = parse_codes(body.codes, body.format)
    result = upload_pool(campaign, partner_id, type_id, body.upload_id, codes, runtime.clock())
    return json_response(200 if result.get("replayed") else 201, result)


@console.route("/partners/{partner_id}/campaigns/{campaign_id}/settlement", methods=["GET"])
@documented("partner", "The partner's settlement in the campaign", answer=Settlement,
            raises=PARTNER_ERRORS)
@partner_view(console)
def settlement(call: Call, partner_id: str, campaign_id: str) -> Response:
    campaign = runtime.configs.get(campaign_id)
    return json_response(200, settle(campaign, partner_id, runtime.clock()))


@console.route("/partners/{partner_id}/campaigns/{campaign_id}/redemptions", methods=["POST"])
@documented("partner", "Redeem a co-branded coupon at the partner's counter", body=Redemption,
            answer=PartnerRedeemed,
            raises=(*PARTNER_ERRORS, CouponNotFoundError, CouponNotRedeemableError, *ORDER_ERRORS))
@partner_view(console)
def redemption(call: Call, partner_id: str, campaign_id: str) -> Response:
    """Redeem, once, a co-branded coupon of this partner in this campaign (any other: 404); a
    retry with the same `Idempotency-Key` (signed anew) answers the first success."""
    body = call.body(Redemption)
    campaign, _ = _partner_campaign(partner_id, campaign_id)
    try:
        coupon = find_coupon(body.member_id, body.coupon_id)
    except CouponNotFoundError:
        coupon = None
    if (coupon is None or coupon.campaign_id != campaign_id
            or (coupon.terms or {}).get("partner") != partner_id):
        raise CouponNotFoundError(f"no coupon {body.coupon_id!r} of partner {partner_id!r} "
                                  "for this member in this campaign")
    check_redeemable(coupon, body.order)
    now, terms = runtime.clock(), coupon.terms or {}
    once = operation(f"partner:{partner_id}", "partners/redemptions", call.key,
                     body.model_dump(mode="json") | {"campaign_id": campaign_id}, now, campaign_id,
                     campaign.version, campaign.config.zone)
    amount = body.order.amount if body.order else None
    return outcome_response(200, redeem(coupon, now, {
        "coupon_id": coupon.coupon_id, "member_id": coupon.member_id,
        "campaign_id": coupon.campaign_id, "partner": partner_id,
        "type_id": terms.get("partner_type"), "title": terms.get("title"),
        "code": terms.get("code"), "state": "redeemed",
        "redeemed_at": stamp(now, campaign.config.zone),
        "order_amount": None if amount is None else money(amount)}, once,
        by=f"partner:{partner_id}", order_amount=amount))


class OwnWebhooks(Body):
    endpoints: tuple[OwnEndpoint, ...] = Field(max_length=5, description="the whole new list (none: "
                                               "remove them); events: reward.issued, coupon.redeemed")


class OwnWebhooksAnswer(BaseModel):
    campaign_id: str
    partner: str
    endpoints: list[OwnEndpoint] = Field(description="as written; deliveries name them `<partner>-<id>`")
    version: int = Field(description="0: none written yet; each replacement adds one")
    secret: str | None = Field(default=None, description="the write's only: the whsec_ secret signing every "
                               "delivery to these endpoints (kept by the platform, never in a GET)")


@console.route("/partners/{partner_id}/campaigns/{campaign_id}/webhooks", methods=["GET"])
@documented("partner", "The partner's own webhook endpoints in the campaign (never the secret)",
            answer=OwnWebhooksAnswer, raises=PARTNER_ERRORS)
@partner_view(console)
def own_webhooks(call: Call, partner_id: str, campaign_id: str) -> Response:
    _partner_campaign(partner_id, campaign_id)
    return json_response(200, {"campaign_id": campaign_id, "partner": partner_id,
                               **read_own(campaign_id, partner_id)})


@console.route("/partners/{partner_id}/campaigns/{campaign_id}/webhooks", methods=["POST"])
@documented("partner", "Replace the partner's own webhook endpoints; answers their signing secret",
            body=OwnWebhooks, answer=OwnWebhooksAnswer,
            raises=(*PARTNER_ERRORS, WebhooksInvalidError, *SECRET_WRITE_ERRORS))
@partner_view(console)
def replace_webhooks(call: Call, partner_id: str, campaign_id: str) -> Response:
    """Replace the list, once per `Idempotency-Key`; the answer carries the partner's secret
    for the campaign (created on its first write, then the current one: see the rotation)."""
    body = call.body(OwnWebhooks)
    campaign, partner = _partner_campaign(partner_id, campaign_id)
    ids = [partner.endpoint_id(hook.id) for hook in body.endpoints]
    taken = {hook.id for hook in campaign.config.webhooks} | {
        hook.id for game in campaign.games.values() for hook in game.webhooks()}
    try:
        partner_events_only(body.endpoints)
        if len(set(ids)) != len(ids) or taken & set(ids):
            raise ValueError(f"endpoint ids must be unique and free: {sorted(taken & set(ids)) or ids}")
    except ValueError as exc:
        raise WebhooksInvalidError(str(exc)) from None
    secret, now = party_secret(campaign_id, partner_id), runtime.clock()
    once = operation(f"partner:{partner_id}", "partners/webhooks", call.key,
                     body.model_dump(mode="json") | {"campaign_id": campaign_id}, now, campaign_id,
                     campaign.version, campaign.config.zone)
    return outcome_response(200, replace_own(campaign_id, partner_id, body.endpoints, now, once),
                            secret=secret)


class SecretRotation(Body):
    grace_hours: int = Field(default=24, ge=0, le=168, description="how long the previous secret "
                             "still signs beside the new one (0: no longer, as after a leak)")


class SecretRotated(BaseModel):
    campaign_id: str
    partner: str
    secret: str = Field(description="the new whsec_ secret, answered to this rotation (and its retries) only")
    secret_version: str = Field(description="the version holding it in the platform's secret store")
    previous_until: str = Field(description="until when deliveries carry the previous secret's signature too")


@console.route("/partners/{partner_id}/campaigns/{campaign_id}/webhooks/secret/rotate", methods=["POST"])
@documented("partner", "Rotate the secret signing the partner's own endpoints; answers the new one",
            body=SecretRotation, answer=SecretRotated,
            raises=(*PARTNER_ERRORS, WebhookSecretNotFoundError, *SECRET_WRITE_ERRORS))
@partner_view(console)
def rotate_webhook_secret(call: Call, partner_id: str, campaign_id: str) -> Response:
    """A new secret, once per `Idempotency-Key` (a retry answers the same one); the previous
    one signs too for `grace_hours` (docs/webhooks.md#rotating-a-partners-secret)."""
    body = SecretRotation.model_validate(call.json() or {})
    campaign, _ = _partner_campaign(partner_id, campaign_id)
    now, ref = runtime.clock(), secret_ref(campaign_id, partner_id)
    once = operation(f"partner:{partner_id}", "partners/webhooks/secret", call.key,
                     body.model_dump(mode="json") | {"campaign_id": campaign_id}, now, campaign_id,
                     campaign.version, campaign.config.zone)
    if (recorded := once.recorded()) is not None:
        return outcome_response(200, recorded, secret=rotated_secret(ref, recorded.result["secret_version"]))
    rotated = rotate(ref, call.key, now, timedelta(hours=body.grace_hours))
    result = {"campaign_id": campaign_id, "partner": partner_id, "secret_version": rotated.version_id,
              "previous_until": stamp(rotated.previous_until, campaign.config.zone)}
    return outcome_response(200, commit_once(Transaction(), result, once), secret=rotated.secret)

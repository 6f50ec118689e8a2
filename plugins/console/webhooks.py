"""The campaign's webhooks for marketers (role `marketer`), registered under `/campaigns`:
where its events go (every endpoint, partners' included), the deliveries (pending,
delivered, dead) and the replay of dead-lettered ones, the console's side of
`mgames webhooks list|replay` (docs/webhooks.md).

A replay needs no `Idempotency-Key`: a delivery moves back to the queue once, so a replay
sent twice queues nothing the second time.
"""

from __future__ import annotations

from typing import Literal

from chalice import Blueprint, Response
from chalice.app import MultiDict
from pydantic import BaseModel, Field, ValidationError

from plugins.campaigns.repository import load_current
from plugins.console.contract import PAGED, documented
from plugins.console.web import MARKETER, Call, console_view, json_response
from plugins.errors import CampaignNotFoundError, MalformedRequestError
from plugins.runtime import runtime
from plugins.store.pages import Paged, page_limit
from plugins.webhook_endpoints import Event
from plugins.webhooks import endpoints_of, list_deliveries, replay

__all__ = ["ReplayRequest", "webhooks"]

webhooks = Blueprint(__name__)
STATES = ("pending", "delivered", "dead")


class Endpoint(BaseModel):
    id: str = Field(description="a party's own endpoints: `<party>-<id>`")
    url: str
    events: list[Event]
    timeout_seconds: float
    secret_ref: str = Field(description="the name of the Secrets Manager secret that signs "
                                        "(never the secret)")
    coupon_types: list[str] = Field(description="only these coupons' events; none: every event")


class Endpoints(BaseModel):
    campaign_id: str
    endpoints: list[Endpoint] = Field(description="the campaign file's, then its parties' (in the "
                                      "file or managed through the partner API)")


class Delivery(BaseModel):
    id: str = Field(description="the `webhook-id` the receiver deduplicates on")
    endpoint: str
    event: str
    state: Literal["pending", "delivered", "dead"]
    attempts: int
    next_attempt_at: int | None = Field(description="pending: when it is next tried (epoch seconds)")
    created_at: str
    finished_at: str | None
    last_error: str | None


class Deliveries(Paged):
    campaign_id: str
    deliveries: list[Delivery] = Field(description="the first page: the oldest pending ones, "
                                       "then finished ones (delivered, dead) in id order")


class ReplayRequest(BaseModel):
    ids: list[str] = Field(default=[], max_length=100, description="deliveries to send again, "
                           "delivered or dead (default: every dead one)")


class Replayed(BaseModel):
    campaign_id: str
    queued: list[str] = Field(description="the deliveries queued again, from a first attempt (at "
                              "most 100: send again for more)")


@webhooks.route("/{campaign_id}/webhooks/endpoints", methods=["GET"])
@documented("marketer", "Where the campaign's events go: every endpoint, partners' included",
            answer=Endpoints, raises=(CampaignNotFoundError,))
@console_view(webhooks, MARKETER)
def endpoints(call: Call, campaign_id: str) -> Response:
    load_current(campaign_id)
    return json_response(200, {"campaign_id": campaign_id, "endpoints": endpoints_of(campaign_id)})


@webhooks.route("/{campaign_id}/webhooks", methods=["GET"])
@documented("marketer", "The campaign's webhook deliveries: pending, delivered and dead",
            answer=Deliveries, query=(("state", "only this state: pending, delivered or dead"), *PAGED),
            raises=(CampaignNotFoundError,))
@console_view(webhooks, MARKETER)
def deliveries(call: Call, campaign_id: str) -> Response:
    params = call.request.query_params or MultiDict({})
    state = params.get("state")
    if state is not None and state not in STATES:
        raise MalformedRequestError("state: pending, delivered or dead")
    load_current(campaign_id)
    found = list_deliveries(campaign_id, state, params.get("cursor"), page_limit(params.get("limit")))
    return json_response(200, {"campaign_id": campaign_id, **found})


@webhooks.route("/{campaign_id}/webhooks/replay", methods=["POST"])
@documented("marketer", "Send dead-lettered webhook deliveries (or those named) again",
            body=ReplayRequest, answer=Replayed, keyed=False, raises=(CampaignNotFoundError,))
@console_view(webhooks, MARKETER)
def replay_deliveries(call: Call, campaign_id: str) -> Response:
    body = call.json() if call.request.raw_body else {}
    try:
        request = ReplayRequest.model_validate(body)
    except ValidationError:
        raise MalformedRequestError("the body: {\"ids\": [delivery ids]} or nothing") from None
    load_current(campaign_id)
    queued = replay(campaign_id, request.ids, runtime.clock())
    return json_response(200, {"campaign_id": campaign_id, "queued": queued})

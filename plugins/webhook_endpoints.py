"""A campaign's webhook endpoints (`webhooks:` in the campaign file): where the brand's systems
hear of what happens, under the same outbound rules as a partner's endpoint (https, a public
host; checked here and again at each call, `plugins.outbound`). Their signing secrets are
never in the file: `secret_ref` names where they are kept (`plugins.webhooks.signing`)."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import Field, HttpUrl, field_validator

from plugins.outbound import check_url
from plugins.types import Frozen, Slug

__all__ = ["EVENTS", "Event", "OwnEndpoint", "WebhookEndpoint"]

Event = Literal["reward.issued", "coupon.redeemed", "booking.verified", "stock.exhausted",
                "budget.80", "budget.100", "campaign.switched", "game.switched"]
EVENTS: tuple[str, ...] = get_args(Event)


class OwnEndpoint(Frozen):
    """Where and what a receiver hears, as a party managing its own endpoints sends it (the
    platform keeps its secret, `plugins.webhooks.managed`)."""

    id: Slug = Field(description="unique within the campaign; part of every delivery's id")
    url: HttpUrl = Field(description="https, a public host (http and loopback only locally)")
    events: tuple[Event, ...] = Field(min_length=1, description="the events it receives")
    timeout_seconds: float = Field(default=5, gt=0, le=10, description="per delivery attempt")

    @field_validator("url")
    @classmethod
    def _public(cls, value: HttpUrl) -> HttpUrl:
        check_url(str(value))  # https, a public host (plugins/outbound.py)
        return value


class WebhookEndpoint(OwnEndpoint):
    """One receiver of the campaign's events, each delivery signed with its secrets."""

    secret_ref: str = Field(max_length=256, pattern=r"^mgames/webhooks/[A-Za-z0-9/_+=.@-]+$",
                            description="the Secrets Manager secret (under mgames/webhooks/, all "
                                        "the worker may read) holding its whsec_ secrets")
    coupon_types: tuple[str, ...] = Field(default=(), max_length=100, description="only the "
                                          "events of coupons of these types; none: every event")

    def receives(self, event_type: str, data: dict[str, Any]) -> bool:
        """Whether this endpoint listens to an event of `event_type` about `data`."""
        return event_type in self.events and (not self.coupon_types
                                              or data.get("type_id") in self.coupon_types)

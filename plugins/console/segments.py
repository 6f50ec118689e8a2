"""Member lists for marketers (role `marketer`), registered under `/campaigns`: the console's
side of `mgames segment` (docs/audiences.md), for the web console's upload.

A set add, so the same members sent again change nothing: no `Idempotency-Key` needed.
"""

from __future__ import annotations

import re

from chalice import Blueprint, Response
from pydantic import BaseModel, Field, ValidationError

from plugins.campaigns.repository import load_current
from plugins.console.contract import documented
from plugins.console.web import MARKETER, Call, console_view, json_response
from plugins.errors import CampaignNotFoundError, MalformedRequestError
from plugins.segments import add_members, not_a_member_id
from plugins.types import SLUG

__all__ = ["MAX_MEMBERS", "segments"]

segments = Blueprint(__name__)
MAX_MEMBERS = 1000
"""Members one request adds (ten transactions): a bigger list is sent in parts."""


class Members(BaseModel):
    members: list[str] = Field(min_length=1, max_length=MAX_MEMBERS,
                               description=f"member ids, at most {MAX_MEMBERS} a request")


class Added(BaseModel):
    campaign_id: str
    segment: str
    added: int = Field(description="distinct members sent (those already listed included)")


@segments.route("/{campaign_id}/segments/{segment}/members", methods=["POST"])
@documented("marketer", "Add members to one of the campaign's member lists (a set add)",
            body=Members, answer=Added, keyed=False, raises=(CampaignNotFoundError,))
@console_view(segments, MARKETER)
def add(call: Call, campaign_id: str, segment: str) -> Response:
    if not re.fullmatch(SLUG, segment):
        raise MalformedRequestError("segment: lower-case letters, digits and '-', as the audience names it")
    try:
        members = Members.model_validate(call.json()).members
    except ValidationError:
        raise MalformedRequestError(f'the body: {{"members": [1 to {MAX_MEMBERS} member ids]}}') from None
    bad = not_a_member_id(members)
    if bad is not None:
        raise MalformedRequestError(f"{bad[:70]!r} is not a member id")
    load_current(campaign_id)
    added = add_members(campaign_id, segment, dict.fromkeys(members))
    return json_response(200, {"campaign_id": campaign_id, "segment": segment, "added": added})

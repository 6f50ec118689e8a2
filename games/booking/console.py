"""The booking's console route for store staff (role `staff`): verify a pick-up code, once per
`Idempotency-Key` (a retry after a lost answer gets the first success, replayed)."""

from __future__ import annotations

from chalice import Blueprint, Response
from pydantic import BaseModel, ConfigDict, Field

from games.booking.verify import VERIFY_ERRORS, VerifiedView, verify
from plugins.console.contract import documented
from plugins.console.web import STAFF, Call, console_view, outcome_response
from plugins.errors import CampaignNotFoundError, GameNotEnabledError
from plugins.runtime import runtime

console = Blueprint(__name__)


class BookingVerify(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    campaign_id: str = Field(min_length=1, max_length=64, pattern=r"^[^#]+$")
    code: str = Field(min_length=1, max_length=32)


@console.route("/bookings/verify", methods=["POST"])
@documented("staff", "Verify a booking's pick-up code", body=BookingVerify, answer=VerifiedView,
            raises=(*VERIFY_ERRORS, CampaignNotFoundError, GameNotEnabledError))
@console_view(console, STAFF)
def verify_booking(call: Call) -> Response:
    body = call.body(BookingVerify)
    assert call.caller is not None
    campaign = runtime.configs.get(body.campaign_id)
    return outcome_response(200, verify(campaign, body.code, call.caller, runtime.clock(), call.key))

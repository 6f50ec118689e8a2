"""`POST /campaigns/{campaign_id}/visits` on every game function: the page tells that a member
opened it, once per load (the SDK's page kit does), and the report counts him a visitor.

One conditional put of the member's mark for the campaign's local day: the first visit of
the day writes it (and the table's stream counts it), the others find it and write nothing.
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import LambdaFunctionUrlRouter
from pynamodb.exceptions import PutError

from plugins.openapi.games import PLAYER, raises
from plugins.runtime import runtime
from plugins.store import MarkerItem, keys
from plugins.web.request import current_player
from plugins.web.routing import Authorization, CampaignId

__all__ = ["router"]

router = LambdaFunctionUrlRouter()


@router.post("/campaigns/<campaign_id>/visits", summary="The player opened the page",
             description="Counts the member among the campaign's visitors, once per local day. "
                         "Idempotent: no key needed, a repeat answers the same.",
             responses={204: {"description": "counted"}}, security=PLAYER,
             openapi_extensions=raises())
def visit(campaign_id: CampaignId, authorization: Authorization = None) -> Response[str]:
    player = current_player()
    campaign = runtime.configs.get(campaign_id)
    now = runtime.clock()
    day = campaign.config.local_day(now).isoformat()
    mark = MarkerItem(keys.member(player.member_id), keys.visit(campaign_id, day),
                      ttl=campaign.config.day_expiry(now))
    try:
        mark.save(MarkerItem.pk.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise
    return Response(status_code=204, content_type="application/json", body="")

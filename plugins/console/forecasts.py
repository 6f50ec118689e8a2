"""The forecast for marketers (role `marketer`): `POST /campaigns/forecast` plays a campaign
config document, or an applied campaign's current version, with a traffic profile, and
answers the forecast `mgames simulate --json` prints (plugins/forecast, docs/simulate.md).

It reads at most the named campaign and writes nothing, so it needs no `Idempotency-Key`.
Its work is bounded (`MOST` member-days) to answer well within the console's 29 s on its
512 MB function; without `runs` it plays as many runs as that allows, up to 200.
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response
from pydantic import Field, ValidationError, model_validator

from plugins.campaigns.model import parse_campaign
from plugins.campaigns.repository import load_current
from plugins.console.contract import documented
from plugins.console.web import MARKETER, Call, console_view, json_response
from plugins.errors import CampaignNotFoundError, ConfigInvalidError
from plugins.forecast import ForecastInvalidError, Traffic, forecast
from plugins.forecast.traffic import invalid
from plugins.types import Slug

__all__ = ["MOST", "ForecastRequest", "forecasts"]

forecasts = Blueprint(__name__)
MOST = 200_000
"""The most member-days (players x days x runs) one console forecast plays."""
RUNS = 200


class ForecastRequest(Traffic):
    """A campaign (`config` or `campaign_id`) and the traffic profile to play it with."""

    config: dict[str, Any] | None = Field(
        default=None, description="a campaign config document (the JSON form of its YAML file)")
    campaign_id: Slug | None = Field(default=None, description="or an applied campaign: its "
                                     "current version")
    runs: int | None = Field(default=None, ge=1, le=10_000,  # type: ignore[assignment]
                             description=f"Monte Carlo runs (default: up to {RUNS}, as many as "
                                         f"{MOST:,} member-days allow)")

    @model_validator(mode="after")
    def _one_campaign(self) -> ForecastRequest:
        if (self.config is None) == (self.campaign_id is None):
            raise ValueError("give either config (a campaign document) or campaign_id")
        return self


def _request(call: Call) -> tuple[ForecastRequest, Traffic]:
    body = call.json()
    if not isinstance(body, dict):
        raise ForecastInvalidError("the body must be a JSON object: config or campaign_id, and "
                                   "the traffic profile (players, days, ...)")
    try:
        request = ForecastRequest.model_validate(body)
    except ValidationError as exc:
        raise invalid(exc) from None
    profile = request.model_dump(exclude={"config", "campaign_id"}, exclude_none=True)
    profile.setdefault("runs", max(1, min(RUNS, MOST // (request.players * request.days))))
    return request, Traffic.parse(profile, MOST)


@forecasts.route("/forecast", methods=["POST"])
@documented("marketer", "Forecast a campaign before launch: cost per day, run-out days, effective "
            "odds, awards per player", body=ForecastRequest, keyed=False,
            raises=(ForecastInvalidError, CampaignNotFoundError))
@console_view(forecasts, MARKETER)
def forecast_campaign(call: Call) -> Response:
    """A seeded Monte Carlo forecast through the real rules; 400 FORECAST_INVALID names every
    problem of the profile or of the config document."""
    request, traffic = _request(call)
    assert call.caller is not None
    call.caller.require_campaign(request.campaign_id or str((request.config or {}).get("id")))
    if request.campaign_id is not None:
        campaign = load_current(request.campaign_id)
    else:
        try:
            campaign = parse_campaign(request.config)
        except ConfigInvalidError as exc:
            problems = [f"config.{p}" for p in exc.details.get("errors") or [exc.message]]
            raise ForecastInvalidError("; ".join(problems), errors=problems) from None
    return json_response(200, forecast(campaign, traffic))

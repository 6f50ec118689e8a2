"""Marketer routes (role `marketer`), registered under `/campaigns`."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from plugins.campaigns.repository import apply_campaign, list_versions, load_current
from plugins.console.operations import set_game_enabled
from plugins.console.report import campaign_report
from plugins.console.web import MARKETER, Call, console_view, json_response
from plugins.errors import CampaignNotFoundError, MalformedRequestError
from plugins.runtime import runtime

__all__ = ["campaigns"]

campaigns = Blueprint(__name__)


def _summary(campaign: Any) -> dict[str, Any]:
    return {"campaign_id": campaign.id, "version": campaign.version,
            "games": sorted(n for n, s in campaign.games.items() if s.enabled),
            "budget_counted": campaign.budget_counted}


def _by(call: Call) -> str | None:
    return call.caller.name if call.caller else None


@campaigns.route("", methods=["POST"])
@console_view(campaigns, MARKETER)
def apply(call: Call) -> Response:
    """Apply a campaign config (the JSON form of the YAML file); 422 lists every problem."""
    doc = call.json()
    if not isinstance(doc, dict):
        raise MalformedRequestError("the body must be a campaign config object")
    if call.caller is not None:
        call.caller.require_campaign(str(doc.get("id")))
    campaign = apply_campaign(doc, now=runtime.clock(), applied_by=_by(call))
    return json_response(201, _summary(campaign))


@campaigns.route("/{campaign_id}/versions", methods=["GET"])
@console_view(campaigns, MARKETER)
def versions(call: Call, campaign_id: str) -> Response:
    found = list_versions(campaign_id)
    if not found:
        raise CampaignNotFoundError(f"no campaign {campaign_id!r}")
    return json_response(200, {"campaign_id": campaign_id, "versions": [
        {"version": int(v.version), "applied_at": v.applied_at.isoformat(),
         "applied_by": v.applied_by, "budget_counted": bool(v.budget_counted),
         "games": {name: bool(section.get("enabled", True))
                   for name, section in (v.doc.get("games") or {}).items()}}
        for v in found]})


def _switch(call: Call, campaign_id: str, game: str, enabled: bool) -> Response:
    campaign = set_game_enabled(campaign_id, game, enabled, now=runtime.clock(), by=_by(call))
    return json_response(200, _summary(campaign) | {"game": game, "enabled": enabled,
                                               "effective_within_seconds": runtime.configs.ttl})


@campaigns.route("/{campaign_id}/games/{game}/enable", methods=["POST"])
@console_view(campaigns, MARKETER)
def enable(call: Call, campaign_id: str, game: str) -> Response:
    return _switch(call, campaign_id, game, True)


@campaigns.route("/{campaign_id}/games/{game}/disable", methods=["POST"])
@console_view(campaigns, MARKETER)
def disable(call: Call, campaign_id: str, game: str) -> Response:
    """The kill switch: a new version with the game's `enabled: false`."""
    return _switch(call, campaign_id, game, False)


@campaigns.route("/{campaign_id}/report", methods=["GET"])
@console_view(campaigns, MARKETER)
def report(call: Call, campaign_id: str) -> Response:
    load_current(campaign_id)
    return json_response(200, campaign_report(campaign_id, runtime.clock()))

"""Marketer routes (role `marketer`), registered under `/campaigns`."""

from __future__ import annotations

from chalice import Blueprint, Response
from chalice.app import MultiDict

from plugins.campaigns.repository import applied, load_current, versions_page
from plugins.console.answers import Applied, OperationsLog, Report, Switched, VersionList
from plugins.console.contract import PAGED, documented
from plugins.console.operations import switched
from plugins.console.report import campaign_report
from plugins.console.web import MARKETER, Call, console_view, json_response, outcome_response
from plugins.errors import (
    CampaignNotFoundError,
    ConfigInvalidError,
    GameNotEnabledError,
    MalformedRequestError,
)
from plugins.idempotency import operation, operations_log
from plugins.identity.callers import ADMIN
from plugins.runtime import runtime
from plugins.store.pages import page_limit

__all__ = ["campaigns"]

campaigns = Blueprint(__name__)
SWITCH_ERRORS = (CampaignNotFoundError, GameNotEnabledError, ConfigInvalidError)


def _by(call: Call) -> str:
    assert call.caller is not None
    return call.caller.name


@campaigns.route("", methods=["POST"])
@documented("marketer", "Apply a campaign config (a new version)", statuses=(201,), answer=Applied,
            body={"type": "object", "description": "the campaign config: the JSON form of its YAML file"},
            raises=(ConfigInvalidError,))
@console_view(campaigns, MARKETER)
def apply(call: Call) -> Response:
    """Apply a campaign config (the JSON form of the YAML file); 422 lists every problem; once
    per `Idempotency-Key` (a retry: the first answer, no second version)."""
    doc = call.json()
    if not isinstance(doc, dict):
        raise MalformedRequestError("the body must be a campaign config object")
    if call.caller is not None:
        call.caller.require_campaign(str(doc.get("id")))
    now = runtime.clock()
    once = operation(_by(call), "campaigns/apply", call.key, doc, now, str(doc.get("id", "-")))
    return outcome_response(201, applied(doc, now=now, applied_by=_by(call), once=once))


def _page(call: Call) -> tuple[str | None, int]:
    """The `cursor` and `limit` of a paged list (`plugins.store.pages`)."""
    params = call.request.query_params or MultiDict({})
    return params.get("cursor"), page_limit(params.get("limit"))


@campaigns.route("/{campaign_id}/versions", methods=["GET"])
@documented("marketer", "The campaign's config versions, newest first, a page at a time",
            answer=VersionList, query=PAGED, raises=(CampaignNotFoundError,))
@console_view(campaigns, MARKETER)
def versions(call: Call, campaign_id: str) -> Response:
    return json_response(200, versions_page(campaign_id, *_page(call)))


def _switch(call: Call, campaign_id: str, game: str, enabled: bool) -> Response:
    """A new version with the game on or off; once per `Idempotency-Key`."""
    now = runtime.clock()
    once = operation(_by(call), "campaigns/switch", call.key,
                     {"campaign_id": campaign_id, "game": game, "enabled": enabled}, now, campaign_id)
    done = applied(switched(campaign_id, game, enabled), now=now, applied_by=_by(call), once=once)
    return outcome_response(200, done, game=game, enabled=enabled,
                            effective_within_seconds=runtime.configs.ttl)


@campaigns.route("/{campaign_id}/games/{game}/enable", methods=["POST"])
@documented("marketer", "Switch a game on (a new version)", answer=Switched, raises=SWITCH_ERRORS)
@console_view(campaigns, MARKETER)
def enable(call: Call, campaign_id: str, game: str) -> Response:
    return _switch(call, campaign_id, game, True)


@campaigns.route("/{campaign_id}/games/{game}/disable", methods=["POST"])
@documented("marketer", "The kill switch: a game off (a new version)", answer=Switched,
            raises=SWITCH_ERRORS)
@console_view(campaigns, MARKETER)
def disable(call: Call, campaign_id: str, game: str) -> Response:
    """The kill switch: a new version with the game's `enabled: false`."""
    return _switch(call, campaign_id, game, False)


@campaigns.route("/{campaign_id}/report", methods=["GET"])
@documented("marketer", "The campaign report", answer=Report, raises=(CampaignNotFoundError,))
@console_view(campaigns, MARKETER)
def report(call: Call, campaign_id: str) -> Response:
    load_current(campaign_id)
    return json_response(200, campaign_report(campaign_id, runtime.clock()))


@campaigns.route("/{campaign_id}/operations", methods=["GET"])
@documented("admin", "Who did what: operator writes, newest first, a page at a time",
            answer=OperationsLog, query=PAGED)
@console_view(campaigns, ADMIN)
def operations(call: Call, campaign_id: str) -> Response:
    """Who did what (admins only): the campaign's operator writes, newest first, a page at a
    time (`limit`, `cursor`), their times in the zone each entry kept (the campaign's config,
    through the warm cache, only for an entry written before entries kept it)."""
    log = operations_log(campaign_id, lambda: runtime.configs.get(campaign_id).config.zone, *_page(call))
    return json_response(200, {"campaign_id": campaign_id} | log)

"""Marketer routes (role `marketer`), registered under `/campaigns`."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response
from chalice.app import MultiDict

from plugins.campaigns.model import parse_campaign
from plugins.campaigns.repository import (
    applied,
    campaign_view,
    current_configs,
    load_current,
    stored_version,
    summary,
    version_view,
    versions_page,
)
from plugins.console.answers import Applied, Disclosure, OperationsLog, Report, Switched, VersionList
from plugins.console.contract import PAGED, documented
from plugins.console.operations import switched
from plugins.console.report import campaign_report
from plugins.console.report_csv import report_csv
from plugins.console.report_html import render_report_html
from plugins.console.web import MARKETER, Call, console_view, json_response, outcome_response
from plugins.draws import published
from plugins.errors import (
    CampaignNotFoundError,
    ConfigInvalidError,
    GameNotEnabledError,
    MalformedRequestError,
    VersionNotFoundError,
)
from plugins.idempotency import operation, operations_log
from plugins.identity.callers import ADMIN
from plugins.runtime import runtime
from plugins.store.pages import page_limit

__all__ = ["campaigns"]

campaigns = Blueprint(__name__)
SWITCH_ERRORS = (CampaignNotFoundError, GameNotEnabledError, ConfigInvalidError)
CONFIG = {"type": "object", "description": "the campaign config: the JSON form of its YAML file"}


def _by(call: Call) -> str:
    assert call.caller is not None
    return call.caller.name


def _config(call: Call) -> dict[str, Any]:
    """The campaign config of the body, of a campaign the caller's credential covers."""
    doc = call.json()
    if not isinstance(doc, dict):
        raise MalformedRequestError("the body must be a campaign config object")
    if call.caller is not None:
        call.caller.require_campaign(str(doc.get("id")))
    return doc


def _page(call: Call) -> tuple[str | None, int]:
    """The `cursor` and `limit` of a paged list (`plugins.store.pages`)."""
    params = call.request.query_params or MultiDict({})
    return params.get("cursor"), page_limit(params.get("limit"))


@campaigns.route("", methods=["GET"])
@documented("marketer", "The campaigns the credential covers, each at its current version")
@console_view(campaigns, MARKETER)
def campaign_list(call: Call) -> Response:
    """A marketer's campaigns (those its credential is bound to), an admin's every one."""
    assert call.caller is not None
    covered = None if call.caller.role == ADMIN else call.caller.campaigns
    return json_response(200, {"campaigns": [campaign_view(item) for item in current_configs(covered)]})


@campaigns.route("/validate", methods=["POST"])
@documented("marketer", "Check a campaign config without applying it", body=CONFIG,
            raises=(ConfigInvalidError,), keyed=False)
@console_view(campaigns, MARKETER)
def validate(call: Call) -> Response:
    """What `mgames validate` checks, nothing written: 200 with what an apply would store, or
    422 CONFIG_INVALID with every problem at its field (`error.problems`)."""
    campaign = parse_campaign(_config(call))
    done = summary(campaign)
    del done["version"]
    return json_response(200, {"valid": True, **done})


@campaigns.route("", methods=["POST"])
@documented("marketer", "Apply a campaign config (a new version)", statuses=(201,), answer=Applied,
            body=CONFIG, raises=(ConfigInvalidError,))
@console_view(campaigns, MARKETER)
def apply(call: Call) -> Response:
    """Apply a campaign config (the JSON form of the YAML file); 422 lists every problem, each
    at its field (`error.problems`); once per `Idempotency-Key` (a retry: the first answer, no
    second version)."""
    doc = _config(call)
    now = runtime.clock()
    once = operation(_by(call), "campaigns/apply", call.key, doc, now, str(doc.get("id", "-")))
    return outcome_response(201, applied(doc, now=now, applied_by=_by(call), once=once))


@campaigns.route("/{campaign_id}/versions", methods=["GET"])
@documented("marketer", "The campaign's config versions, newest first, a page at a time",
            answer=VersionList, query=PAGED, raises=(CampaignNotFoundError,))
@console_view(campaigns, MARKETER)
def versions(call: Call, campaign_id: str) -> Response:
    return json_response(200, versions_page(campaign_id, *_page(call)))


@campaigns.route("/{campaign_id}/versions/{version}", methods=["GET"])
@documented("marketer", "One config version as applied: its config",
            raises=(CampaignNotFoundError, VersionNotFoundError))
@console_view(campaigns, MARKETER)
def config_version(call: Call, campaign_id: str, version: str) -> Response:
    """The config of version `version` (the JSON form of its YAML), to edit or to compare."""
    if not version.isdigit() or len(version) > 9:
        raise MalformedRequestError("version: a version number")
    load_current(campaign_id)
    item = stored_version(campaign_id, int(version))
    return json_response(200, {"campaign_id": campaign_id, **version_view(item), "config": item.doc})


def _switch(call: Call, campaign_id: str, game: str | None, enabled: bool) -> Response:
    """A new version with the game (None: the campaign) on or off; once per `Idempotency-Key`."""
    now = runtime.clock()
    once = operation(_by(call), "campaigns/switch", call.key,
                     {"campaign_id": campaign_id, "game": game, "enabled": enabled}, now, campaign_id)
    done = applied(switched(campaign_id, game, enabled), now=now, applied_by=_by(call), once=once)
    return outcome_response(200, done, game=game, enabled=enabled,
                            effective_within_seconds=runtime.configs.ttl)


@campaigns.route("/{campaign_id}/enable", methods=["POST"])
@documented("marketer", "Switch the whole campaign on (a new version)", answer=Switched,
            raises=SWITCH_ERRORS)
@console_view(campaigns, MARKETER)
def enable_campaign(call: Call, campaign_id: str) -> Response:
    return _switch(call, campaign_id, None, True)


@campaigns.route("/{campaign_id}/disable", methods=["POST"])
@documented("marketer", "The campaign's kill switch: every game refuses players (a new version)",
            answer=Switched, raises=SWITCH_ERRORS)
@console_view(campaigns, MARKETER)
def disable_campaign(call: Call, campaign_id: str) -> Response:
    return _switch(call, campaign_id, None, False)


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
    return json_response(200, campaign_report(campaign_id, runtime.clock()))


@campaigns.route("/{campaign_id}/report.csv", methods=["GET"])
@documented("marketer", "The campaign report as CSV: one row per day and the total",
            media="text/csv", raises=(CampaignNotFoundError,))
@console_view(campaigns, MARKETER)
def report_table(call: Call, campaign_id: str) -> Response:
    return Response(body=report_csv(campaign_report(campaign_id, runtime.clock())), status_code=200,
                    headers={"Content-Type": "text/csv; charset=utf-8",
                             "Content-Disposition": f'attachment; filename="{campaign_id}-report.csv"'})


@campaigns.route("/{campaign_id}/report.html", methods=["GET"])
@documented("marketer", "The campaign report as one self-contained HTML page with charts",
            media="text/html", raises=(CampaignNotFoundError,))
@console_view(campaigns, MARKETER)
def report_page(call: Call, campaign_id: str) -> Response:
    """The report rendered (`render_report_html`): inline style, chart script and data, so it
    can be saved and opened anywhere; the web console shows it in a frame."""
    return Response(body=render_report_html(campaign_report(campaign_id, runtime.clock())),
                    status_code=200, headers={"Content-Type": "text/html; charset=utf-8",
                                              "Cache-Control": "no-store"})


@campaigns.route("/{campaign_id}/disclosure", methods=["GET"])
@documented("public", "The campaign's public disclosure: organiser, period, prizes, odds, terms",
            answer=Disclosure, raises=(CampaignNotFoundError,))
@console_view(campaigns, None)
def public_disclosure(call: Call, campaign_id: str) -> Response:
    """What the promotion rules ask to publish (docs/compliance.md), from the current version
    in the warm config cache: no token, and no DynamoDB call while the cache holds it. Every
    game function answers the same (`plugins.draws.published`), for the players' pages."""
    return json_response(200, published(runtime.configs.get(campaign_id), runtime.clock()))


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

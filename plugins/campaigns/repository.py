"""Campaign versions in the store, and the warm in-memory cache the functions read them from.

`apply_campaign` writes version N+1 and moves the `CFG#CURRENT` pointer in one transaction
that also seeds or adjusts stock and budget shards. Functions keep each campaign for
`MGAMES_CONFIG_TTL_SECONDS` (5 s by default), so an apply reaches them within seconds and a
warm request costs no read.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Collection
from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from plugins.campaigns.compliance import locked_problems
from plugins.campaigns.model import parse_campaign, stored_campaign
from plugins.clock import stamp
from plugins.contracts import Campaign, CampaignConfig
from plugins.errors import CampaignNotFoundError, ConfigInvalidError, ConflictError, VersionNotFoundError
from plugins.idempotency import ActionResult, Operation, commit_once
from plugins.prize_pool.allowances import Shard, read_shards, seed, stock_name, wanted
from plugins.prize_pool.budget import BUDGET
from plugins.prize_pool.model import pools_of
from plugins.store import (
    ConfigItem,
    Transaction,
    TransactionCancelledError,
    get_many,
    keys,
)
from plugins.store.pages import page
from plugins.store.reads import MAX_KEYS
from plugins.types import cents


def load_current(campaign_id: str) -> Campaign:
    """The current version of a campaign, or CampaignNotFoundError; its game sections are
    validated on first use (see `stored_campaign`)."""
    try:
        item = ConfigItem.get(keys.campaign(campaign_id), keys.CONFIG_CURRENT)
    except ConfigItem.DoesNotExist:
        raise CampaignNotFoundError(f"no campaign {campaign_id!r}") from None
    return stored_campaign(item.doc, int(item.version), counted=bool(item.budget_counted))


def _current(campaign_id: str) -> ConfigItem | None:
    try:
        return ConfigItem.get(keys.campaign(campaign_id), keys.CONFIG_CURRENT, consistent_read=True)
    except ConfigItem.DoesNotExist:
        return None


def _spent_uncounted(previous: Campaign, campaign: Campaign, shards: dict[str, list[Shard]]) -> int:
    """What prizes and games' own payouts cost while the budget was proven by config and
    nobody counted it.

    Proven configs have stock on every costly prize, so spending is units awarded times cost;
    where a cost changed between the versions, the higher one is taken.
    """
    costs: dict[str, int] = {}
    for source in (previous, campaign):
        for section in source.games.values():
            for pool_id, pool in pools_of(section).items():
                for prize in pool.prizes:
                    name = stock_name(pool_id, prize.id)
                    costs[name] = max(costs.get(name, 0), cents(prize.cost))
    prizes = sum(
        costs.get(name, 0) * sum(s.allotted - s.remaining for s in found)
        for name, found in shards.items()
    )
    return prizes + sum(section.spent_outside_pools(campaign.id)
                        for section in previous.games.values())


def summary(campaign: Campaign) -> dict[str, Any]:
    """What an apply answers: the campaign, its new version, the games it runs."""
    return {"campaign_id": campaign.id, "version": campaign.version,
            "games": sorted(n for n, s in campaign.games.items() if s.enabled),
            "budget_counted": campaign.budget_counted}


def apply_campaign(doc: Any, *, now: datetime, applied_by: str | None = None) -> Campaign:
    """Validate and store a new version of the campaign; return it with its version number."""
    done = applied(doc, now=now, applied_by=applied_by).result
    return parse_campaign(doc, version=done["version"], counted=done["budget_counted"])


def applied(doc: Any, *, now: datetime, applied_by: str | None = None,
            once: Operation | None = None) -> ActionResult:
    """Validate and store a new version of the campaign, answered with its `summary`; with
    `once` (a console call's key), the retry of an apply whose answer was lost gets that
    answer back instead of storing yet another version.

    Once a campaign's budget has been counted it stays counted (what was spent while counted
    lives only in the budget shards); when it starts being counted, what was already spent
    is taken off the new shards. Once the current version has started, the new one keeps its
    published prizes and odds (`locked_problems`), checked before anything is read.
    """
    current = _current(parse_campaign(doc).id)
    counted_before = bool(current is not None and current.budget_counted)
    campaign = parse_campaign(doc, counted=counted_before)
    previous = None if current is None else stored_campaign(current.doc, int(current.version),
                                                            counted=counted_before)
    if previous is not None and (locked := locked_problems(previous, campaign, now)):
        raise ConfigInvalidError("; ".join(locked), errors=locked)
    version = 1 if current is None else int(current.version) + 1
    budget = cents(campaign.config.budget)
    wants = wanted(campaign, budget)
    stock_names = [w.name for w in wanted(campaign, budget) if w.name != BUDGET]
    shards = read_shards(campaign.id, [w.name for w in wants])
    tx, problems = Transaction(), []
    for want in wants:
        used = 0
        if want.name == BUDGET and previous is not None and not counted_before:
            used = _spent_uncounted(previous, campaign, {n: shards[n] for n in stock_names})
            if used > budget:
                problems.append(f"budget: {used} cents were already awarded, more than {budget}")
                continue
        problem = seed(tx, campaign.id, want, shards[want.name], used)
        if problem:
            problems.append(problem)
    if problems:
        raise ConfigInvalidError("; ".join(problems), errors=problems)
    pk = keys.campaign(campaign.id)
    fields = {"version": version, "doc": doc, "applied_at": now, "applied_by": applied_by,
              "budget_counted": campaign.budget_counted}
    tx.put("version", ConfigItem(pk, keys.config_version(version), **fields),
           ConfigItem.pk.does_not_exist())
    tx.put("current", ConfigItem(pk, keys.CONFIG_CURRENT, **fields),
           ConfigItem.pk.does_not_exist() if current is None else ConfigItem.version == version - 1)
    if len(tx) >= 99:  # the 99th and 100th places: the operator's log entry and key record
        raise ConfigInvalidError(f"{len(tx)} writes exceed one transaction: use fewer shards")
    done = parse_campaign(doc, version=version, counted=campaign.budget_counted)
    try:
        logged = None if once is None else replace(once, zone=campaign.config.timezone)  # its time, local
        return commit_once(tx, summary(done), logged)
    except TransactionCancelledError as exc:
        raise ConflictError(f"another apply of {campaign.id} ran at the same time; "
                            "apply again") from exc


def list_versions(campaign_id: str) -> list[ConfigItem]:
    """Every stored version of a campaign, oldest first."""
    return list(ConfigItem.query(keys.campaign(campaign_id), ConfigItem.sk.startswith(keys.CONFIG_VERSION)))


def versions_page(campaign_id: str, cursor: str | None, limit: int) -> dict[str, Any]:
    """A page of the campaign's versions, newest first: when (in the zone that version ran
    in), by whom, which games it switched on; one Query. No version at all: 404."""
    found = page(ConfigItem, keys.campaign(campaign_id), keys.CONFIG_VERSION, cursor, limit,
                 scan_index_forward=False)
    if not found.items and cursor is None:
        raise CampaignNotFoundError(f"no campaign {campaign_id!r}")
    return {"campaign_id": campaign_id, "next_cursor": found.next_cursor,
            "versions": [version_view(v) for v in found.items]}


def campaign_view(item: ConfigItem) -> dict[str, Any]:
    """A campaign's current version as the campaigns list shows it: its id, name and times
    (with its zone's offset), and the version's `version_view`."""
    doc, zone = item.doc, _zone(item)

    def aware(value: Any) -> str:  # the file's zone-less times are wall times in its zone
        moment = datetime.fromisoformat(str(value))
        return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).isoformat()

    return {"campaign_id": doc.get("id"), "name": doc.get("name"), "timezone": str(zone),
            "starts_at": aware(doc["starts_at"]), "ends_at": aware(doc["ends_at"]), **version_view(item)}


def _zone(item: ConfigItem) -> ZoneInfo:
    return ZoneInfo(str(item.doc.get("timezone") or CampaignConfig.model_fields["timezone"].default))


def version_view(item: ConfigItem) -> dict[str, Any]:
    """A stored version as lists show it: when (in the zone that version ran in), by whom,
    whether it switched the campaign on, which games it switched on."""
    return {"version": int(item.version), "applied_at": stamp(item.applied_at, _zone(item)),
            "applied_by": item.applied_by, "budget_counted": bool(item.budget_counted),
            "enabled": bool(item.doc.get("enabled", True)),
            "games": {name: bool((section or {}).get("enabled", True))
                      for name, section in (item.doc.get("games") or {}).items()}}


def stored_version(campaign_id: str, version: int) -> ConfigItem:
    """Version `version` of a campaign as applied, or VersionNotFoundError."""
    try:
        return ConfigItem.get(keys.campaign(campaign_id), keys.config_version(version))
    except ConfigItem.DoesNotExist:
        raise VersionNotFoundError(f"campaign {campaign_id!r} has no version {version}") from None


def current_configs(campaign_ids: Collection[str] | None) -> list[ConfigItem]:
    """The current version of each named campaign that exists, by id: one BatchGetItem per
    100 ids. None names every campaign: a Scan of the whole table (an admin's operator call)."""
    if campaign_ids is None:
        found = list(ConfigItem.scan(ConfigItem.sk == keys.CONFIG_CURRENT))
    else:
        ids = sorted(campaign_ids)
        found = [item for start in range(0, len(ids), MAX_KEYS)
                 for item in get_many([(ConfigItem, keys.campaign(i), keys.CONFIG_CURRENT)
                                       for i in ids[start:start + MAX_KEYS]])
                 if isinstance(item, ConfigItem)]
    return sorted(found, key=lambda item: str(item.pk))


class ConfigCache:
    """Campaigns by id, each kept `ttl` seconds; one instance per process.

    A reload that finds the same version keeps the campaign object it had, and with it what
    requests learnt in its memo (e.g. which stock shards are empty) and its parsed sections;
    requests that load it at the same moment (a cold function's rush) share the first one kept.
    Ids found missing are remembered as long, so made-up ids cannot turn every call into a
    read: only their time (no exception, no traceback), and at most `MAX_MISSES` of them.
    """

    MAX_MISSES = 1024

    def __init__(self, ttl: float | None = None) -> None:
        self.ttl = ttl if ttl is not None else float(os.environ.get("MGAMES_CONFIG_TTL_SECONDS", 5))
        self._entries: dict[str, tuple[float, Campaign]] = {}
        self._missing: dict[str, float] = {}
        self._lock = threading.Lock()

    def get(self, campaign_id: str) -> Campaign:
        """The campaign, or CampaignNotFoundError."""
        now = time.monotonic()
        entry = self._entries.get(campaign_id)
        if entry is not None and now - entry[0] < self.ttl:
            return entry[1]
        missed = self._missing.get(campaign_id)
        if missed is not None and now - missed < self.ttl:
            raise CampaignNotFoundError(f"no campaign {campaign_id!r}")
        try:
            found = load_current(campaign_id)
        except CampaignNotFoundError:
            with self._lock:
                self._entries.pop(campaign_id, None)
                self._missing.pop(campaign_id, None)
                while len(self._missing) >= self.MAX_MISSES:  # forget the oldest first
                    del self._missing[next(iter(self._missing))]
                self._missing[campaign_id] = time.monotonic()
            raise
        with self._lock:
            kept = self._entries.get(campaign_id)  # now: requests may have loaded it meanwhile
            if kept is not None and found.version == kept[1].version:
                found = kept[1]  # unchanged: keep what this process learnt (parsed sections, memo)
            self._missing.pop(campaign_id, None)
            self._entries[campaign_id] = (time.monotonic(), found)
        return found

    def clear(self) -> None:
        self._entries.clear()
        self._missing.clear()

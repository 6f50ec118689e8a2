"""The initiator's side: opening a task (at most K open), his tasks, and lazy expiry.

Opening is one transaction: the idempotency record, the guards, the task, its fingerprints
(the initiator's device and IP, for the helps' fraud checks), the reference in his
partition, and his open-task counter `+1` on condition it stays within `max_open_tasks`.
The counter goes down exactly once per task, in the same transaction that closes it: the
completing help (state open → completed) or the release of an expired task (state open →
expired). Both are conditional on the task still being open, so they exclude each other.

Expiry is lazy: nothing is written at the deadline. A help after it is refused and a read
shows `expired` (views.effective_state). The counter therefore still counts an expired task
until it is released, and that happens exactly when it matters: an open refused by the
limit reads the initiator's unclosed references past their deadline (one Query, one
BatchGetItem), releases each such task in its own conditional transaction, and retries.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from games.assist.items import (
    TASK_SK,
    FingerprintItem,
    TaskItem,
    TaskRefItem,
    fingerprint_sk,
    open_counter,
    ref_prefix,
    ref_sk,
    task_pk,
)
from games.assist.views import GAME, assist_of, task_view
from plugins.actions import ActionRequest, ActionResult, perform
from plugins.antifraud import Player
from plugins.contracts import Campaign
from plugins.errors import AssistOpenTasksLimitError, AssistTaskNotFoundError, CampaignNotOpenError
from plugins.ids import time_ordered_id
from plugins.store import CounterItem, Transaction, TransactionCancelledError, keys
from plugins.store.pages import page
from plugins.types import cents

__all__ = ["OPEN_ERRORS", "load_task", "open_task", "own_tasks", "release_expired"]

FINGERPRINT_GRACE = 86400
OPEN_ERRORS = (CampaignNotOpenError, AssistOpenTasksLimitError)
"""What opening a task refuses with of its own (for the route's document)."""


def open_task(campaign: Campaign, player: Player, key: str, body: dict[str, Any],
              now: datetime) -> ActionResult:
    """Open a task for `player`, exactly once per idempotency `key`."""
    section = assist_of(campaign)
    campaign.require_open(now)
    task_id = time_ordered_id(now)
    deadline = min(now + timedelta(hours=section.task_hours),
                   campaign.config.aware(campaign.config.ends_at))
    due = int(deadline.timestamp())
    pk = task_pk(campaign.id, task_id)
    task = TaskItem(pk, TASK_SK, task_id=task_id, campaign_id=campaign.id,
                    initiator=player.member_id, initiator_tier=player.tier, mode=section.mode,
                    state="open", opened_at=now,
                    deadline=due, need=section.need, helps=0, new_helpers=0,
                    channel=body.get("channel"), config_version=campaign.version)
    if section.mode == "cards":
        task.missing = {c.id for c in section.cards}
    else:
        task.left = section.need
    if section.cut is not None:
        task.price, task.floor = cents(section.cut.price), cents(section.cut.floor)
        task.to_cut = task.price - task.floor
    fingerprints = [
        (kind, FingerprintItem(pk, fingerprint_sk(kind, value), member_id=player.member_id,
                               ttl=due + FINGERPRINT_GRACE))
        for kind, value in (("device", player.device_id), ("ip", player.ip)) if value
    ]
    ref = TaskRefItem(keys.member(player.member_id), ref_sk(campaign.id, task_id),
                      task_id=task_id, deadline=due, opened_at=now)
    counter = open_counter(campaign.id, player.member_id)

    def plan(tx: Transaction) -> tuple[dict[str, Any], dict[str, Any]]:
        tx.put("assist:task", task, TaskItem.pk.does_not_exist())
        tx.put("assist:ref", ref, TaskRefItem.pk.does_not_exist())
        for kind, fingerprint in fingerprints:
            tx.put(f"assist:fp-{kind}", fingerprint)
        tx.update("assist:open-limit", counter, [CounterItem.n.add(1)],
                  CounterItem.n.does_not_exist() | (CounterItem.n < section.max_open_tasks))
        tx.tally.count("tasks_opened")
        tx.tally.once("initiators", player.member_id)
        tx.tally.by_hour("tasks_due", due)
        view = task_view(task, section, campaign, now, viewer=player.member_id, private=True)
        return view, {"config_version": campaign.version}

    def recover(cancelled: TransactionCancelledError) -> bool:
        if "assist:open-limit" not in cancelled.failed:
            return False
        if release_expired(campaign, player.member_id, now):
            return True
        raise AssistOpenTasksLimitError(
            f"you already have {section.max_open_tasks} open task(s); finish one or let it expire")

    request = ActionRequest(campaign=campaign, game=GAME, player=player, key=key, body=body,
                            now=now)
    return perform(request, plan, recover)


def release_expired(campaign: Campaign, member_id: str, now: datetime) -> int:
    """Close the member's tasks that expired unreleased; how many this call released."""
    stamp = int(now.timestamp())
    refs = TaskRefItem.query(keys.member(member_id), TaskRefItem.sk.startswith(ref_prefix(campaign.id)),
                             consistent_read=True)
    due = [ref for ref in refs if ref.closed is None and ref.deadline <= stamp]
    if not due:
        return 0
    wanted = [(task_pk(campaign.id, ref.task_id), TASK_SK) for ref in due]
    released = 0
    for task in TaskItem.batch_get(wanted, consistent_read=True):
        if task.state != "open":
            continue
        tx = Transaction()
        tx.update("assist:expire", TaskItem(task.pk, TASK_SK), [TaskItem.state.set("expired")],
                  (TaskItem.state == "open") & (TaskItem.deadline <= stamp))
        tx.update("assist:open-release", open_counter(campaign.id, member_id), [CounterItem.n.add(-1)])
        tx.update("assist:ref", TaskRefItem(keys.member(member_id), ref_sk(campaign.id, task.task_id)),
                  [TaskRefItem.closed.set("expired")])
        try:
            tx.commit()
        except TransactionCancelledError:
            continue  # completed or released meanwhile: that transaction moved the counter
        released += 1
    return released


def load_task(campaign: Campaign, task_id: str, *, consistent: bool = False) -> TaskItem:
    try:
        return TaskItem.get(task_pk(campaign.id, task_id), TASK_SK, consistent_read=consistent)
    except TaskItem.DoesNotExist:
        raise AssistTaskNotFoundError(f"no task {task_id!r} in campaign {campaign.id!r}") from None


def own_tasks(campaign: Campaign, member_id: str, now: datetime, cursor: str | None,
              limit: int) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the member's tasks, newest first (their ids sort by time), as he sees them
    (with his rewards), and the next page's cursor: one Query, one BatchGet."""
    section = assist_of(campaign)
    refs = page(TaskRefItem, keys.member(member_id), ref_prefix(campaign.id), cursor, limit,
                scan_index_forward=False)
    if not refs.items:
        return [], None
    found = {t.task_id: t for t in TaskItem.batch_get([(task_pk(campaign.id, r.task_id), TASK_SK)
                                                      for r in refs.items])}
    return [task_view(found[r.task_id], section, campaign, now, viewer=member_id, private=True)
            for r in refs.items if r.task_id in found], refs.next_cursor

"""The assist game's own items in the games table, and their keys (docs/games/assist.md).

A task owns one partition, `C#<campaign>#AST#<task id>`, so its share page is one GetItem
and a rush on one task touches no other task: the task item (`TASK`), one marker per helper
(`HELP#<member>`) and the initiator's fingerprints (`FP#device#<id>`, `FP#ip#<ip>`), which a
help checks in its own transaction. The initiator's partition `M#<member>` gets a reference
per task (`AST#<campaign>#<task id>`) for "my tasks", and his open-task counter.
"""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)

from plugins.store import BaseItem, CounterItem, OfCampaign, OfMember, keys, register_model

__all__ = [
    "FingerprintItem",
    "HelpItem",
    "TaskItem",
    "TaskRefItem",
    "fingerprint_sk",
    "help_sk",
    "open_counter",
    "ref_prefix",
    "ref_sk",
    "task_pk",
]

TASK_SK = "TASK"
OPEN_QUOTA = "assist:open"


def task_pk(campaign_id: str, task_id: str) -> str:
    return f"{keys.campaign(campaign_id)}#AST#{task_id}"


def help_sk(member_id: str) -> str:
    return f"HELP#{member_id}"


def fingerprint_sk(kind: str, value: str) -> str:
    return f"FP#{kind}#{value}"


def ref_prefix(campaign_id: str) -> str:
    return f"AST#{campaign_id}#"


def ref_sk(campaign_id: str, task_id: str) -> str:
    return ref_prefix(campaign_id) + task_id


def open_counter(campaign_id: str, member_id: str) -> CounterItem:
    """The initiator's count of open tasks (an ordinary quota counter, never by day)."""
    return CounterItem(keys.member(member_id), keys.quota(campaign_id, OPEN_QUOTA, "ALL"))


class TaskItem(OfCampaign, BaseItem):
    """An assist task: its rules as opened, its progress, and the metrics reports need.

    `left` counts helps still needed (helpers, cut); `missing`/`held` are card ids (cards).
    `state` is stored open, completed or expired; an open task past `deadline` reads expired.
    """

    task_id = UnicodeAttribute()
    initiator = UnicodeAttribute()
    initiator_tier = UnicodeAttribute(null=True)  # his token's tier: the odds his prize is drawn with
    mode = UnicodeAttribute()
    state = UnicodeAttribute(default="open")
    opened_at = UTCDateTimeAttribute()
    deadline = NumberAttribute()  # epoch seconds, for conditions
    need = NumberAttribute()
    left = NumberAttribute(null=True)
    helps = NumberAttribute(default=0)
    new_helpers = NumberAttribute(default=0)
    price = NumberAttribute(null=True)
    floor = NumberAttribute(null=True)
    to_cut = NumberAttribute(null=True)
    missing = UnicodeSetAttribute(null=True)
    held = UnicodeSetAttribute(null=True)
    channel = UnicodeAttribute(null=True)
    config_version = NumberAttribute()
    completed_at = UTCDateTimeAttribute(null=True)
    completed_by = UnicodeAttribute(null=True)
    reward = JSONAttribute(null=True)


class HelpItem(OfMember, BaseItem):
    """One helper's help of one task; its existence is the once-per-helper rule."""

    help_id = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    new_user = BooleanAttribute(default=False)
    cut = NumberAttribute(null=True)
    card = UnicodeAttribute(null=True)


class FingerprintItem(OfMember, BaseItem):
    """The initiator's device or IP on his task: a help from it by someone else is fraud."""


class TaskRefItem(BaseItem):
    """A task in its initiator's partition; `closed` once it completed or was expired."""

    task_id = UnicodeAttribute()
    deadline = NumberAttribute()
    opened_at = UTCDateTimeAttribute()
    closed = UnicodeAttribute(null=True)


for _model in (TaskItem, HelpItem, FingerprintItem, TaskRefItem):
    register_model(_model)

"""The helper's side: one help of one task, exactly once, in one transaction.

The help's transaction holds the idempotency record and guards (plugins.actions.perform),
the helper's daily quota, the once-per-helper marker, the fraud checks on the initiator's
fingerprints, the conditional progress of the task, the helper's own reward and, when this
help completes the task, the flip to completed, the initiator's prize and the release of his
open-task counter. Everything the help depends on is a condition of that transaction, so
concurrent helps can neither count twice, overshoot the target nor award twice.

Helpers and cards modes read nothing first: the help is planned as one that does not
complete the task (`left > 1`, or its card is held or not the last one missing). If that
condition fails, the task is read once (consistently) and the help is either refused
(completed, expired, not found, self-help) or re-planned, e.g. as the completing help
(`left == 1`): so the help that completes a task costs TransactWriteItems, GetItem,
TransactWriteItems. Cut mode must read first, to draw a cut from what is left: GetItem,
then a transaction conditioned on the read (`left` and `to_cut` unchanged).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from random import Random
from typing import Any

from pynamodb.expressions.condition import Condition, size
from pynamodb.expressions.update import Action

from games.assist.config import POOL_ID
from games.assist.cuts import next_cut
from games.assist.items import (
    TASK_SK,
    FingerprintItem,
    HelpItem,
    TaskItem,
    TaskRefItem,
    fingerprint_sk,
    help_sk,
    open_counter,
    ref_sk,
    task_pk,
)
from games.assist.progress import completes
from games.assist.tasks import load_task
from games.assist.views import GAME, assist_of, effective_state
from plugins.actions import ActionRequest, ActionResult, Quota, perform, replay
from plugins.antifraud import Player, fraud_rule
from plugins.clock import stamp
from plugins.contracts import Campaign, IssueContext
from plugins.errors import (
    AssistAlreadyHelpedError,
    AssistNewUsersOnlyError,
    AssistSelfHelpError,
    AssistTaskCompletedError,
    AssistTaskExpiredError,
    AssistTaskNotFoundError,
    CampaignNotOpenError,
    GameError,
    NoChancesLeftError,
)
from plugins.ids import time_ordered_id
from plugins.prize_pool import DrawSeal, PrizeReservation
from plugins.registry import get_issuer
from plugins.store import ActionItem, CounterItem, Transaction, TransactionCancelledError, keys
from plugins.types import cents, yuan

__all__ = ["HELPS_QUOTA", "HELP_ERRORS", "SAME_DEVICE", "SAME_IP", "Help", "help_task"]

HELPS_QUOTA = "assist:helps"
HELP_ERRORS = (CampaignNotOpenError, AssistNewUsersOnlyError, AssistSelfHelpError, AssistTaskNotFoundError,
               AssistTaskCompletedError, AssistTaskExpiredError, AssistAlreadyHelpedError, NoChancesLeftError)
"""What a help refuses with of its own (for the route's document)."""
SAME_DEVICE = fraud_rule("assist_same_device", "the helper uses the initiator's device")
SAME_IP = fraud_rule("assist_same_ip", "the helper shares the initiator's IP during the task")
HELPER = "helper/"
MARKER_RETENTION = timedelta(days=180)


class Help:
    """One member's help of one task, across the attempts of one action."""

    def __init__(self, campaign: Campaign, task_id: str, player: Player, now: datetime,
                 rng: Random, channel: str | None) -> None:
        self.campaign, self.section = campaign, assist_of(campaign)
        self.task_id, self.player, self.now, self.rng = task_id, player, now, rng
        self.pk = task_pk(campaign.id, task_id)
        self.stamp = int(now.timestamp())
        self.help_id = time_ordered_id(now)
        start = campaign.config.aware(campaign.config.starts_at)
        self.new_user = self.section.is_new_user(player.registered_at, now, start)
        self.card = self.section.draw_card(rng) if self.section.mode == "cards" else None
        self.reward_spec = self.section.helper_reward
        self.helper_ctx = IssueContext(campaign=campaign, member_id=player.member_id,
                                       reference=self.help_id, now=now, channel=channel)
        self.task: TaskItem | None = None
        self.cut: int | None = None
        self.reservation: PrizeReservation | None = None
        self.award_ctx: IssueContext | None = None

    # reading: only in cut mode up front, otherwise after a refused progress condition

    def load(self) -> GameError | None:
        """Read the task; raise if it never takes this help, return the error if it is closed."""
        task = load_task(self.campaign, self.task_id, consistent=True)
        if task.initiator == self.player.member_id:
            raise AssistSelfHelpError("you cannot help your own task; share it with friends")
        state = effective_state(task, self.now)
        if state == "completed":
            return AssistTaskCompletedError("this task already reached its target")
        if state == "expired":
            return AssistTaskExpiredError("this task's deadline has passed")
        if task.mode != self.section.mode:
            return AssistTaskExpiredError("the campaign's rules changed since this task was opened")
        self.task = task
        if task.mode == "cut":
            left, to_cut = int(task.left), int(task.to_cut)
            unit = min(cents(self.section.cut.min_cut), to_cut // left)  # type: ignore[union-attr]
            self.cut = next_cut(to_cut, left, unit, self.rng)
        if not self.completes:
            self.reservation = None
        elif self.reservation is None:
            # the task's prize: drawn for its initiator (his tier's odds, as he opened it),
            # keyed by the task, under the help's id
            seal = DrawSeal(GAME, task.initiator, f"assist-{self.task_id}", self.help_id, self.now)
            self.reservation = PrizeReservation.draw(self.campaign, POOL_ID, self.section,
                                                     task.initiator_tier, seal, self.rng)
            self.award_ctx = IssueContext(campaign=self.campaign, member_id=task.initiator,
                                          reference=f"assist-{self.task_id}", now=self.now,
                                          channel=task.channel)
        return None

    @property
    def completes(self) -> bool:
        """Whether this help completes the task, as far as the last read knows (no read: no)."""
        task = self.task
        if task is None:
            return False
        return completes(task.mode, None if task.left is None else int(task.left), task.missing,
                         None if self.card is None else self.card.id)

    # writing

    def plan(self, tx: Transaction) -> tuple[dict[str, Any], dict[str, Any]]:
        helper = self.player.member_id
        marker = HelpItem(self.pk, help_sk(helper), member_id=helper, help_id=self.help_id,
                          at=self.now, new_user=self.new_user, cut=self.cut,
                          card=self.card.id if self.card else None,
                          ttl=self.stamp + self.section.task_hours * 3600
                          + int(MARKER_RETENTION.total_seconds()))
        tx.put("assist:helped", marker, HelpItem.pk.does_not_exist())
        self._fraud_checks(tx)
        actions, condition = self._progress()
        award = self._award(tx, actions) if self.completes else None
        self._tally(tx)
        tx.update("assist:task", TaskItem(self.pk, TASK_SK), actions, condition)
        reward = self._helper_reward(tx.scoped(HELPER))
        result: dict[str, Any] = {
            "help_id": self.help_id, "task_id": self.task_id,
            "helped_at": stamp(self.now, self.campaign.config.zone),
            "completed": award is not None, "new_user": self.new_user, "helper_reward": reward,
            "cut": None, "card": None,
        }
        if self.cut is not None and self.task is not None:
            price_now = int(self.task.floor) + int(self.task.to_cut) - self.cut
            result["cut"] = {"amount": yuan(self.cut), "price_now": yuan(price_now)}
        if self.card is not None:
            result["card"] = {"id": self.card.id, "name": self.card.name, "image": self.card.image}
        audit = {"config_version": self.campaign.version, "initiator_award": award}
        return result, audit

    def _tally(self, tx: Transaction) -> None:
        """A help, its helper, a new member brought in; a task completed, by its deadline."""
        tally, helper = tx.tally, self.player.member_id
        tally.count("helps")
        tally.once("helpers", helper)
        if self.new_user:
            tally.count("new_user_helps")
            tally.once("new_members", helper)
        if self.completes and self.task is not None:
            tally.count("tasks_completed")
            tally.by_hour("completed_due", int(self.task.deadline))

    def _fraud_checks(self, tx: Transaction) -> None:
        """Someone else on the initiator's device or IP fails the check (the initiator
        himself passes it, and is refused as a self-help instead, without a block)."""
        helper = self.player.member_id
        for kind, value, tag, on in (
            ("device", self.player.device_id, SAME_DEVICE, self.section.block_same_device),
            ("ip", self.player.ip, SAME_IP, self.section.block_same_ip),
        ):
            if on and value:
                tx.check(tag, FingerprintItem, self.pk, fingerprint_sk(kind, value),
                         FingerprintItem.pk.does_not_exist() | (FingerprintItem.member_id == helper))

    def _progress(self) -> tuple[list[Action], Condition]:
        """The task's update for this help and the condition that makes it the right one."""
        section, task, completes = self.section, self.task, self.completes
        condition = ((TaskItem.state == "open") & (TaskItem.deadline > self.stamp)
                     & (TaskItem.initiator != self.player.member_id)
                     & (TaskItem.mode == section.mode))
        actions: list[Action] = [TaskItem.helps.add(1)]
        if self.new_user:
            actions.append(TaskItem.new_helpers.add(1))
        if section.mode == "cards":
            card = self.card.id  # type: ignore[union-attr]
            actions += [TaskItem.missing.delete({card}), TaskItem.held.add({card})]
            if completes:
                condition &= TaskItem.missing.contains(card) & (size(TaskItem.missing) == 1)
            else:
                condition &= ~TaskItem.missing.contains(card) | (size(TaskItem.missing) > 1)
        elif section.mode == "cut":
            assert task is not None and self.cut is not None  # cut mode always reads first
            actions += [TaskItem.left.add(-1), TaskItem.to_cut.add(-self.cut)]
            condition &= (TaskItem.left == int(task.left)) & (TaskItem.to_cut == int(task.to_cut))
        else:
            actions.append(TaskItem.left.add(-1))
            condition &= (TaskItem.left == 1) if completes else (TaskItem.left > 1)
        return actions, condition

    def _award(self, tx: Transaction, actions: list[Action]) -> dict[str, Any]:
        """The completing help: the initiator's prize, the flip to completed, the counter."""
        assert self.task is not None and self.reservation is not None and self.award_ctx
        initiator = self.task.initiator
        award = self.reservation.plan(tx, self.award_ctx)
        won = {"prize": award.prize.public(self.campaign.config.zone), "reward": award.reward,
               "fallback": award.fell_back, "draw_id": self.help_id}  # its verifiable draw's id
        actions += [TaskItem.state.set("completed"), TaskItem.completed_at.set(self.now),
                    TaskItem.completed_by.set(self.player.member_id), TaskItem.reward.set(won)]
        tx.update("assist:open-release", open_counter(self.campaign.id, initiator),
                  [CounterItem.n.add(-1)])
        tx.update("assist:ref", TaskRefItem(keys.member(initiator), ref_sk(self.campaign.id, self.task_id)),
                  [TaskRefItem.closed.set("completed")])
        return won

    def _helper_reward(self, tx: Transaction) -> dict[str, Any] | None:
        spec = self.reward_spec
        if spec is None or not get_issuer(spec.type).available(spec, self.helper_ctx):
            return None
        return get_issuer(spec.type).plan(tx, spec, self.helper_ctx)

    def recover(self, cancelled: TransactionCancelledError) -> bool:
        """Refuse, or re-plan after reading the task; a refused helper reward is dropped."""
        if "assist:helped" in cancelled.failed:
            raise AssistAlreadyHelpedError("you already helped this task")
        if "assist:task" in cancelled.failed:
            closed = self.load()
            if closed is not None:
                raise closed
            return True
        retry = False
        own = cancelled.within(HELPER)
        if own.failed and self.reward_spec is not None:
            issuer = get_issuer(self.reward_spec.type)
            if not issuer.recover(set(own.failed), self.reward_spec, self.helper_ctx):
                self.reward_spec = None  # the help still counts, without the helper's reward
            retry = True
        if self.reservation is not None and self.award_ctx and cancelled.any("prize:", "reward:"):
            if not self.reservation.recover(cancelled, self.award_ctx):
                return False
            retry = True
        return retry


def help_task(campaign: Campaign, player: Player, task_id: str, key: str, body: dict[str, Any],
              now: datetime, rng: Random) -> ActionResult:
    """`player` helps task `task_id`, exactly once per idempotency `key` and once per task."""
    section = assist_of(campaign)
    campaign.require_open(now)
    attempt = Help(campaign, task_id, player, now, rng, body.get("channel"))
    if section.new_users_only and not attempt.new_user:
        raise AssistNewUsersOnlyError("only new users can help in this campaign")
    request = ActionRequest(campaign=campaign, game=GAME, player=player, key=key,
                            body={"task_id": task_id, **body}, now=now)
    if section.mode == "cut":
        closed = attempt.load()
        if closed is not None:  # maybe a retry of a help that was taken: answer it again
            try:
                return replay(request)
            except ActionItem.DoesNotExist:
                raise closed from None
    return perform(request, attempt.plan, attempt.recover,
                   Quota(HELPS_QUOTA, section.helps_per_day, None))

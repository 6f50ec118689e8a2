"""One check-in or make-up as a single transaction, planned from one read of the progress.

The streak depends on the days before, which a condition cannot compute, so an action reads
the member's progress once (`CheckInState`, one GetItem) and then writes everything in one
`TransactWriteItems` that holds what makes the read safe to act on:

- `checkin:day`: the day's marker, only if absent (one check-in per member per local day);
- `checkin:state`: the new progress, only if its version is still the one read, so a
  concurrent check-in or make-up cannot be overwritten or counted twice: it cancels this
  transaction, which re-reads and plans again;
- `checkin:milestone:<n>`: one marker per milestone reached, only if absent (exactly once);
- `checkin:make-ups`: the cycle's make-up counter, only while under the limit;
- `points:spend`: the make-up's price, only if the balance covers it;
- the rewards, each through its issuer under its own scope (`day/`, `m<n>/`, `box/`), so a
  refused coupon is told apart from the others and skipped without losing the check-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from random import Random
from typing import Any

from games.check_in.config import POOL_ID, CheckInConfig
from games.check_in.cycles import (
    CHECKED,
    MADE_UP,
    Cycle,
    Progress,
    advance,
    check,
    scope_id,
    wheel_chances,
)
from games.check_in.items import (
    CheckInDay,
    CheckInState,
    day_key,
    load_progress,
    make_ups_key,
    milestone_key,
    state_item,
)
from plugins.antifraud import Player, grant_chances, plays
from plugins.clock import stamp
from plugins.contracts import Campaign, IssueContext, RewardSpec
from plugins.errors import AlreadyCheckedInError, NoChancesLeftError, PointsInsufficientError
from plugins.ids import keyed_id
from plugins.issuance.points import spend_points
from plugins.prize_pool import DrawSeal, PrizeReservation
from plugins.registry import get_issuer
from plugins.store import CounterItem, MarkerItem, Transaction, TransactionCancelledError, keys

WHEEL = "lucky-wheel"
WHEEL_QUOTA = plays(WHEEL)


@dataclass(frozen=True)
class Target:
    """What the action checks: today (a check-in) or a past day (a make-up)."""

    kind: str
    day: date
    cycle: Cycle


class CheckInAttempt:
    """One action across perform's attempts: the progress read, the plan, the recoveries."""

    def __init__(
        self, campaign: Campaign, rules: CheckInConfig, player: Player, target: Target,
        now: datetime, rng: Random, seal: tuple[str, str], channel: str | None = None,
    ) -> None:
        """`seal` is (game, idempotency key): with the member and the action id, what the
        blind box's draw is derived from."""
        self.campaign, self.rules, self.member_id, self.target = campaign, rules, player.member_id, target
        self.now, self.channel = now, channel
        game, key = seal
        self.action_id = keyed_id(now, campaign.id, self.member_id, key)
        self.progress = self.read()
        self.refused: set[str] = set()
        self.reached_before: set[int] = set()
        self.specs: dict[str, RewardSpec] = {}
        self.box: PrizeReservation | None = None
        if target.kind == CHECKED and rules.blind_box is not None:
            self.box = PrizeReservation.draw(campaign, POOL_ID, rules.blind_box, player.tier,
                                             DrawSeal(game, self.member_id, key, self.action_id, now), rng)

    def read(self) -> Progress:
        """The member's progress as of the target's cycle (the action's one read)."""
        stored = load_progress(self.campaign.id, self.member_id, self.target.cycle.id)
        return advance(self.rules, stored, self.target.cycle)

    def refuse_early(self) -> None:
        """Refuse what the read already shows cannot pass (nothing written)."""
        if self.progress.checked(self.target.day):
            which = "today" if self.target.kind == CHECKED else f"on {self.target.day}"
            raise AlreadyCheckedInError(f"already checked in {which}")
        if self.target.kind == MADE_UP and self.progress.make_ups >= self.rules.make_ups.per_cycle:
            raise NoChancesLeftError("no make-ups left in this cycle")

    def context(self, label: str) -> IssueContext:
        return IssueContext(campaign=self.campaign, member_id=self.member_id, now=self.now,
                            reference=f"{self.action_id}.{label}", channel=self.channel)

    def issue(self, tx: Transaction, label: str, spec: RewardSpec) -> dict[str, Any]:
        """One reward through its issuer, under its own tag scope; skipped once refused."""
        self.specs[label] = spec
        issuer, ctx = get_issuer(spec.type), self.context(label)
        if label in self.refused or not issuer.available(spec, ctx):
            return {"reward": None, "refused": True}
        return {"reward": issuer.plan(tx.scoped(f"{label}/"), spec, ctx)}

    def plan(self, tx: Transaction) -> tuple[dict[str, Any], dict[str, Any]]:
        self.refuse_early()
        rules, target, before = self.rules, self.target, self.progress
        member, cid = keys.member(self.member_id), self.campaign.id
        after, streak, new = check(rules, before, target.day, target.kind,
                                   frozenset(self.reached_before))

        tx.put("checkin:day", CheckInDay(member, day_key(cid, target.day), kind=target.kind,
                                         at=self.now, action_id=self.action_id),
               CheckInDay.pk.does_not_exist())
        tx.put("checkin:state", state_item(cid, self.member_id, after),
               CheckInState.version == before.version if before.version
               else CheckInState.pk.does_not_exist())
        tx.tally.count("check_ins" if target.kind == CHECKED else "make_ups")
        tx.tally.count(f"streak:{streak}")
        tx.tally.once("members", self.member_id)
        cost = 0
        if target.kind == MADE_UP:
            tx.bump("checkin:make-ups", CounterItem(member, make_ups_key(cid, target.cycle.id)),
                    CounterItem.n, 1, at_most=rules.make_ups.per_cycle)
            cost = rules.make_ups.cost_points
            if cost:
                spend_points(tx, self.member_id, cost, f"{self.action_id}.spend", self.now,
                             reason=f"{cid}:make-up:{target.day.isoformat()}")

        rewards: list[dict[str, Any]] = []
        day_of_cycle = target.cycle.day_of(target.day)
        day_spec = rules.day_reward(day_of_cycle)
        if day_spec is not None and (target.kind == CHECKED or rules.make_ups.day_reward):
            rewards.append({"for": "day", "day": day_of_cycle} | self.issue(tx, "day", day_spec))
        chances = wheel_chances(rules, target.kind, new)
        scope = scope_id(rules, target.cycle)
        for milestone in new:
            tx.put(f"checkin:milestone:{milestone.streak}",
                   MarkerItem(member, milestone_key(cid, scope, milestone.streak)),
                   MarkerItem.pk.does_not_exist())
            entry: dict[str, Any] = {"for": "milestone", "streak": milestone.streak, "reward": None}
            if milestone.reward is not None:
                entry |= self.issue(tx, f"m{milestone.streak}", milestone.reward)
            if milestone.wheel_chances:
                entry["wheel_chances"] = milestone.wheel_chances
            rewards.append(entry)
        if chances and self.campaign.game(WHEEL) is None:
            chances = 0  # no wheel in this campaign to spend them on
        if chances:
            grant_chances(tx, self.campaign, self.member_id, WHEEL_QUOTA, chances, self.now)

        box = None
        if self.box is not None:
            award = self.box.plan(tx.scoped("box/"), self.context("box"))
            box = {"prize": award.prize.public(self.campaign.config.zone), "reward": award.reward,
                   "fallback": award.prize is self.box.pool.fallback_prize()}
        result = {"check_in_id": self.action_id, "kind": target.kind,
                  "day": target.day.isoformat(), "cycle_day": day_of_cycle,
                  "at": stamp(self.now, self.campaign.config.zone), "streak": streak,
                  "milestones": [m.streak for m in new], "rewards": rewards,
                  "wheel_chances": chances, "blind_box": box, "cost_points": cost}
        audit = {"version": after.version, "config_version": self.campaign.version,
                 "box_drawn": self.box.drawn.id if self.box else None}
        return result, audit

    def recover(self, cancelled: TransactionCancelledError) -> bool:
        """After a cancellation: a refusal to answer, or what to change before trying again."""
        failed = cancelled.failed
        if "checkin:day" in failed:
            which = "today" if self.target.kind == CHECKED else f"on {self.target.day}"
            raise AlreadyCheckedInError(f"already checked in {which}")
        if "checkin:make-ups" in failed:
            raise NoChancesLeftError("no make-ups left in this cycle")
        if "checkin:state" in failed:
            self.progress = self.read()  # someone else moved the progress: plan from the new one
            return True
        markers = [t for t in failed if t.startswith("checkin:milestone:")]
        if markers:
            self.reached_before |= {int(t.rsplit(":", 1)[1]) for t in markers}
            return True
        if "points:spend" in failed:
            cost = self.rules.make_ups.cost_points
            raise PointsInsufficientError(f"a make-up costs {cost} points; the balance is lower")
        if self.box is not None and (box := cancelled.within("box/")).failed:
            return self.box.recover(box, self.context("box"))
        for label, spec in self.specs.items():
            scoped = cancelled.within(f"{label}/")
            if scoped.failed and label not in self.refused:
                if not get_issuer(spec.type).recover(set(scoped.failed), spec, self.context(label)):
                    self.refused.add(label)
                return True
        return False

"""The worker's run keeps within its time budget: a partner endpoint on 127.0.0.1 that hangs
costs each call its timeout and the job its share of the run, never the jobs after it; what
a job could not do, the next run does, from where it stopped."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from functions.worker import handler
from games.partner_coupon.realtime import BASE_DELAY
from games.red_packet.expiry import expire_packet
from games.red_packet.items import EXPIRY
from infra.local.events import LambdaContext
from plugins.expiry import DueCursorItem
from plugins.jobs import RUN_SHARE, run_jobs
from plugins.timebox import UNBOUNDED, Deadline
from tests.conftest import NOW, Apply, GameClient
from tests.functional.test_partner_coupon import claim
from tests.functional.test_partner_coupon_realtime import FakePartner, mine, rt_doc
from tests.functional.test_red_packet import order, rp_doc


@dataclass
class ShortLambda(LambdaContext):
    """A Lambda context with little time left: the run's budget comes from it."""

    remaining_ms: int = 4000

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def test_a_hanging_partner_costs_its_share_of_the_run_not_the_jobs_after_it(
        apply: Apply, clock: list[datetime], partner: Callable[[list[str]], FakePartner]) -> None:
    # GIVEN sweeps that have been running, six real-time coupons waiting for a partner that
    # hangs, and a red packet due
    hanging = partner(["hang"] * 6)
    doc = rp_doc()
    doc["games"]["partner-coupon"] = rt_doc(hanging.url)["games"]["partner-coupon"]  # 0.5 s calls
    apply(doc)
    assert set(run_jobs(NOW).values()) == {0}
    coupons = GameClient("partner-coupon")
    for i in range(6):
        assert claim(coupons, f"m{i}", type_id="gym-pass").status == 201
    assert order(GameClient("red-packet"), "ord-1", "owner").status == 201
    clock[0] = NOW + timedelta(hours=25)

    # WHEN the worker runs with 4 s left in its Lambda context (a budget of 3 s)
    started = time.monotonic()
    handled = handler({}, ShortLambda("worker"))["handled"]
    took = time.monotonic() - started

    # THEN the run kept within its budget, the partner job stopped when its share ran out,
    # and the job after it still ran
    assert took < 4.0 * RUN_SHARE + 0.5, took
    assert handled["partner-coupon:fetch_codes"] == 0 and 1 <= sum(hanging.calls.values()) <= 3
    assert handled["red-packet:expire_due"] == 1
    assert handled["booking:expire_due"] == 0

    # WHEN the partner recovers, the next run (a full one: six fetches on a loaded machine may
    # not fit 4 s, and time is not what this part is about) fetches every code, the timed-out
    # ones included
    hanging.released.set()
    clock[0] += timedelta(seconds=BASE_DELAY)
    recovered = handler({}, ShortLambda("worker", remaining_ms=60_000))["handled"]
    assert recovered["partner-coupon:fetch_codes"] == 6
    assert all(c["code_state"] == "ready" for i in range(6) for c in mine(coupons, f"m{i}"))


def test_an_interrupted_sweep_resumes_from_the_day_where_it_stopped(
        apply: Apply, clock: list[datetime]) -> None:
    # GIVEN two packets due on the 24th and one on the 25th, swept on the 26th
    apply(rp_doc())
    packets = GameClient("red-packet")
    for n, day in enumerate((0, 0, 1)):
        clock[0] = NOW + timedelta(days=day)
        assert order(packets, f"ord-{n}", f"owner-{n}").status == 201
    assert EXPIRY.sweep(NOW, expire_packet) == 0  # the sweep has been running since the 23rd
    sweep_at = NOW + timedelta(days=3)
    deadline = Deadline.within(1.0)

    def slow(campaign_id: str, ref: str, now: datetime) -> bool | None:
        done = expire_packet(campaign_id, ref, now)
        time.sleep(deadline.remaining() + 0.01)  # this one settlement uses the whole budget
        return done

    # WHEN a sweep runs out of time after one packet
    assert EXPIRY.sweep(sweep_at, slow, deadline=deadline) == 1
    # THEN its cursor stays on the day it stopped in, and the next run settles the rest
    assert DueCursorItem.get(*EXPIRY.cursor_key, consistent_read=True).day == "2026-11-24"
    assert EXPIRY.sweep(sweep_at, expire_packet, deadline=UNBOUNDED) == 2
    assert DueCursorItem.get(*EXPIRY.cursor_key, consistent_read=True).day == "2026-11-26"

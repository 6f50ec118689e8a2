"""The forecast against the real thing: a crowd scripted with the forecast's own traffic
profile plays the demo campaign through the real handlers on the local DynamoDB for a few
days, and what it actually cost and awarded falls within the forecast's interval."""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from itertools import count
from typing import Any

from games.assist.items import TaskItem
from games.red_packet.items import PacketItem
from plugins.campaigns.model import parse_campaign
from plugins.forecast import Traffic, forecast
from plugins.forecast.traffic import poisson, times
from plugins.prize_pool import pools_of
from plugins.types import cents
from tests.conftest import Apply, GameClient, Reply, demo_doc

PLAYERS, DAYS, ACTIVE, PLAYS, HELPERS, GRABS = 10, 3, 0.5, 1.0, 2.0, 2.0
PROFILE = {"players": PLAYERS, "days": DAYS, "runs": 200, "seed": 3, "start": "2026-11-23",
           "active": ACTIVE, "plays": PLAYS, "helpers": HELPERS, "grabs": GRABS,
           "game_plays": {"partner-coupon": 0}}  # the crowd claims no partner coupon


class Crowd:
    """The profile played for real: who is active each day, what each tries, which friends
    answer a share and when; every action at its own time on the handlers' clock."""

    def __init__(self, clock: list[datetime], rng: random.Random) -> None:
        self.clock, self.rng = clock, rng
        self.clients = {game: GameClient(game)
                        for game in ("check-in", "lucky-wheel", "assist", "red-packet")}
        self.members = [f"m{i:02d}" for i in range(PLAYERS)]
        self.events: list[tuple[datetime, int, Callable[[], object]]] = []
        self.order = count()
        self.replies: list[tuple[str, Reply]] = []

    def call(self, game: str, path: str, member: str) -> Reply:
        key = f"{game}-{member}-{next(self.order):05d}"
        reply = self.clients[game].call("POST", f"/campaigns/demo{path}", member=member, key=key,
                                        ip=f"10.0.{self.members.index(member)}.1")
        assert reply.status in (201, 403, 409), reply  # played, or refused by a rule
        self.replies.append((game, reply))
        return reply

    def at(self, when: datetime, action: Callable[[], object]) -> None:
        heapq.heappush(self.events, (when, next(self.order), action))

    def friends(self, owner: str, mean: float, path: str, game: str) -> None:
        """A Poisson number of other members answer within the next 24 hours."""
        for _ in range(poisson(mean, self.rng)):
            friend = self.rng.choice([m for m in self.members if m != owner])
            when = self.clock[0] + timedelta(hours=self.rng.uniform(0, 24))
            self.at(when, partial(self.call, game, path, friend))

    def noon(self, member: str) -> None:
        if times(PLAYS, self.rng):
            self.call("check-in", "/check-ins", member)
        for _ in range(times(PLAYS, self.rng)):
            if self.call("lucky-wheel", "/draws", member).status != 201:
                break
        for _ in range(times(PLAYS, self.rng)):
            task = self.call("assist", "/tasks", member)
            if task.status != 201:
                break
            self.friends(member, HELPERS, f"/tasks/{task.body['task_id']}/helps", "assist")
        for _ in range(times(PLAYS, self.rng)):
            packet = self.call("red-packet", "/packets", member)
            if packet.status != 201:
                break
            self.friends(member, GRABS, f"/packets/{packet.body['packet_id']}/grabs", "red-packet")

    def play(self, first_noon: datetime) -> None:
        for day in range(DAYS):
            noon = first_noon + timedelta(days=day)
            while self.events and self.events[0][0] < noon:
                self.clock[0], _, action = heapq.heappop(self.events)
                action()
            self.clock[0] = noon
            for member in self.members:
                if self.rng.random() < ACTIVE:
                    self.noon(member)
        end = first_noon + timedelta(days=DAYS, hours=-12)  # the last simulated day's midnight
        while self.events and self.events[0][0] < end:
            self.clock[0], _, action = heapq.heappop(self.events)
            action()


def test_what_a_scripted_crowd_costs_and_wins_is_within_the_forecast(
        apply: Apply, clock: list[datetime]) -> None:
    # GIVEN the demo, and its forecast for 10 members over 3 days from Monday 2026-11-23
    doc = demo_doc()
    campaign = apply(doc)
    predicted = forecast(parse_campaign(doc), Traffic.parse(PROFILE))
    # WHEN a crowd with that profile plays it for real, from noon (Shanghai) on that Monday
    assert clock[0].isoformat() == "2026-11-23T04:00:00+00:00"
    crowd = Crowd(clock, random.Random(11))
    crowd.play(clock[0])
    # THEN what the prize pools awarded and what the red packets paid out ...
    costs = {(game, prize.id): cents(prize.cost) for game in ("lucky-wheel", "check-in", "assist")
             for pool in pools_of(campaign.games[game]).values()
             for prize in pool.prizes}
    won: list[tuple[str, str]] = []
    for game, reply in crowd.replies:
        body: Any = reply.body
        if game == "lucky-wheel" and reply.status == 201 and not body["fallback"]:
            won.append((game, body["prize"]["id"]))
        box = body.get("blind_box") if game == "check-in" and reply.status == 201 else None
        if box and not box["fallback"]:
            won.append((game, box["prize"]["id"]))
    won += [("assist", task.reward["prize"]["id"]) for task in TaskItem.scan()
            if task.state == "completed" and not task.reward["fallback"]]
    paid = sum(int(p.handed_out) + int(p.bonus_paid) for p in PacketItem.scan())
    actual = sum(costs[award] for award in won) + paid
    # ... fall within the forecast's 5th-95th percentile interval
    total, awards = predicted["cost"]["total"], predicted["awards"]["total"]
    assert cents_of(total["low"]) <= actual <= cents_of(total["high"]), (actual, total)
    assert awards["low"] <= len(won) <= awards["high"], (len(won), awards)
    # and the run was no empty one: prizes were won and packets grabbed
    assert len(won) >= 3 and paid > 0
    plays = {game for game, reply in crowd.replies if reply.status == 201}
    assert plays == {"check-in", "lucky-wheel", "assist", "red-packet"}


def cents_of(text: str) -> int:
    return round(float(text) * 100)

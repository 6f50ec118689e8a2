"""A forecast's runs summed up (JSON-able): means with their 5th-95th percentile interval,
run-out days with the share of runs where they happen, effective against configured odds."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from plugins.contracts import Campaign
from plugins.forecast.outcome import RunOutcome
from plugins.forecast.traffic import Traffic
from plugins.prize_pool.model import PrizePoolConfig
from plugins.types import money, yuan

__all__ = ["HIGH", "LOW", "percentile", "summarize"]

LOW, HIGH = 0.05, 0.95


def percentile(values: Sequence[float], q: float) -> float:
    """The `q` quantile of `values`, interpolated between the nearest ranks."""
    ordered = sorted(values)
    at = (len(ordered) - 1) * q
    low, high = math.floor(at), math.ceil(at)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def interval(values: Sequence[float], as_money: bool = False) -> dict[str, Any]:
    """Mean, 5th and 95th percentile: yuan strings from cents, else numbers to 3 decimals."""
    figures = {"mean": sum(values) / len(values), "low": percentile(values, LOW),
               "high": percentile(values, HIGH)}
    if as_money:
        return {name: yuan(round(value)) for name, value in figures.items()}
    return {name: round(value, 3) for name, value in figures.items()}


def _run_outs(outcomes: Sequence[RunOutcome], first: date, days: int) -> list[dict[str, Any]]:
    labels = dict.fromkeys(label for o in outcomes for label in o.pots)
    found = []
    for label in labels:
        pot = next(o.pots[label] for o in outcomes if label in o.pots)
        outs = [o.pots[label].out if label in o.pots else None for o in outcomes]
        happened = sorted(day for day in outs if day is not None)
        ranked = sorted(math.inf if day is None else day for day in outs)
        median = ranked[(len(ranked) - 1) // 2]
        day = None if median == math.inf else int(median)
        found.append({
            "what": label, "kind": pot.kind,
            "total": yuan(pot.total) if pot.kind == "budget" else pot.total,
            "day": None if day is None else day + 1,
            "date": None if day is None else (first + timedelta(days=day)).isoformat(),
            "share_of_runs": round(len(happened) / len(outs), 3),
            "earliest": happened[0] + 1 if happened else None,
            "latest": happened[-1] + 1 if happened else None,
            "within_days": days,
        })
    return found


def _odds(outcomes: Sequence[RunOutcome], pools: dict[str, PrizePoolConfig]) -> list[dict[str, Any]]:
    found = []
    for label, pool in pools.items():
        plays = sum(o.tallies[label].plays for o in outcomes if label in o.tallies)
        won = {p.id: sum(o.tallies[label].won.get(p.id, 0) for o in outcomes if label in o.tallies)
               for p in pool.prizes}
        configured = pool.odds()
        found.append({
            "pool": label, "plays_per_run": round(plays / len(outcomes), 1),
            "prizes": [{"id": p.id, "fallback": p.id == pool.fallback,
                        "configured": money(configured[p.id]),
                        "effective": None if not plays else money(
                            (Decimal(100 * won[p.id]) / plays).quantize(Decimal("0.01")))}
                       for p in pool.prizes],
        })
    return found


def summarize(campaign: Campaign, traffic: Traffic, days: Sequence[tuple[date, bool]],
              outcomes: Sequence[RunOutcome], pools: dict[str, PrizePoolConfig],
              modelled: list[str], missing: list[str]) -> dict[str, Any]:
    """The forecast's answer (docs/simulate.md#output)."""
    open_days = sum(1 for _, is_open in days if is_open)
    totals = [sum(o.cost) for o in outcomes]
    players = traffic.players
    return {
        "campaign": {"id": campaign.id, "version": campaign.version,
                     "budget": money(campaign.config.budget),
                     "budget_counted": campaign.budget_counted},
        "traffic": traffic.described() | {"start": days[0][0].isoformat()},
        "games": {"modelled": modelled, "not_modelled": missing},
        "open_days": open_days,
        "cost": {"total": interval(totals, as_money=True),
                 "per_day": interval([t / open_days for t in totals], as_money=True)},
        "days": [{"day": i + 1, "date": day.isoformat(), "open": is_open,
                  "cost": interval([o.cost[i] for o in outcomes], as_money=True)}
                 for i, (day, is_open) in enumerate(days)],
        "run_out": _run_outs(outcomes, days[0][0], len(days)),
        "odds": _odds(outcomes, pools),
        "awards": {"total": interval([o.awards for o in outcomes]),
                   "per_player": interval([o.awards / players for o in outcomes]),
                   "players_awarded": interval([o.awarded / players for o in outcomes])},
    }

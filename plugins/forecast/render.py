"""A forecast (`summary.summarize`'s JSON) as the table `mgames simulate` prints."""

from __future__ import annotations

from typing import Any

__all__ = ["render", "traffic_line"]


def _span(figures: dict[str, Any], unit: str = "") -> str:
    return f"{figures['mean']}{unit}  ({figures['low']}{unit} - {figures['high']}{unit})"


def traffic_line(traffic: dict[str, Any], open_days: int) -> list[str]:
    """The traffic profile in words: what the forecast assumed."""
    plays = ", ".join(f"{game} {n:g}" for game, n in sorted(traffic["game_plays"].items()))
    return [
        f"Traffic: {traffic['players']:,} players for {traffic['days']} days from {traffic['start']} "
        f"({open_days} open); each day {traffic['active'] * 100:g} % of them active",
        f"  each active player per day and game: {traffic['plays']:g} plays"
        + (f" ({plays})" if plays else "")
        + f", {traffic['orders']:g} orders of {traffic['order_amount']}"
        + (f", {traffic['share_opens']:g} friends opening his share link" if traffic["share_opens"] else ""),
        f"  friends: {traffic['helpers']:g} helpers per assist task, {traffic['grabs']:g} grabs "
        "per red packet (Poisson means)",
        *([f"  {traffic['registrations'] * 100:g} % of the players register on their first active day"]
          if traffic["registrations"] else []),
        *([f"  tiers: {', '.join(f'{t} {s * 100:g} %' for t, s in traffic['tiers'].items())} of the players"]
          if traffic["tiers"] else []),
    ]


def _run_outs(forecast: dict[str, Any]) -> list[str]:
    lines = ["", "Runs out (median day over runs; earliest - latest where it does)"]
    campaign = forecast["campaign"]
    width = max([30, *(len(o["what"]) + len(str(o["total"])) + 3 for o in forecast["run_out"])])
    if not campaign["budget_counted"]:
        lines.append(f"  {'budget (' + campaign['budget'] + ')':<{width}} never: config proves it "
                     "(the prizes can never cost more)")
    for out in forecast["run_out"]:
        what = f"{out['what']} ({out['total']})"
        share = f"{out['share_of_runs'] * 100:.0f} % of runs"
        if out["day"] is None:
            when = f"not within {out['within_days']} days"
            lines.append(f"  {what:<{width}} {when}  (runs out in {share})")
        else:
            lines.append(f"  {what:<{width}} day {out['day']} ({out['date']})  {share}, "
                         f"day {out['earliest']} - {out['latest']}")
    return lines


def _odds(forecast: dict[str, Any]) -> list[str]:
    lines = ["", "Odds per play: configured -> effective (after caps, stock, budget, coupon limits)"]
    for pool in forecast["odds"]:
        lines.append(f"  {pool['pool']}: {pool['plays_per_run']:,} plays a run")
        for prize in pool["prizes"]:
            effective = "-" if prize["effective"] is None else f"{prize['effective']} %"
            mark = "  (fallback)" if prize["fallback"] else ""
            lines.append(f"    {prize['id']:<16} {prize['configured']:>6} % -> {effective:>8}{mark}")
    return lines


def render(forecast: dict[str, Any]) -> str:
    """The forecast as text: the profile, the cost, run-out days, odds and awards."""
    campaign, traffic = forecast["campaign"], forecast["traffic"]
    games = forecast["games"]
    lines = [f"Forecast of campaign {campaign['id']} (budget {campaign['budget']}): "
             f"{traffic['runs']} runs, seed {traffic['seed']}",
             *traffic_line(traffic, forecast["open_days"]),
             "Games modelled: " + ", ".join(games["modelled"])
             + ("; not modelled: " + ", ".join(games["not_modelled"]) if games["not_modelled"] else ""),
             "", "Cost (yuan): mean  (5th - 95th percentile)",
             f"  per day      {_span(forecast['cost']['per_day'])}",
             f"  {traffic['days']} days total {_span(forecast['cost']['total'])}"]
    for day in forecast["days"]:
        shown = _span(day["cost"]) if day["open"] else "campaign closed"
        lines.append(f"  day {day['day']:<3} {day['date']}  {shown}")
    lines += _run_outs(forecast) + _odds(forecast)
    awards = forecast["awards"]
    lines += ["", f"Awards (prizes other than a fallback) per player: {_span(awards['per_player'])}",
              f"  players with at least one, share: {_span(awards['players_awarded'])}"]
    return "\n".join(lines)

# ruff: noqa: RUF001  (Chinese labels: their full-width punctuation is meant)
"""A campaign report as ONE self-contained HTML page: inline style, the chart script (Chart.js
bundled by esbuild, `bundles.bundle("report.js")`) and the data inline, so the page can be
saved, mailed and opened offline. Served by the console (`GET /campaigns/{id}/report.html`,
shown in the web console) and written by `mgames report CAMPAIGN --html FILE`.

The page is decided here, drawn there: each chart is a small spec (labels, series, which axis
counts money) that `sdk/src/console/charts.ts` turns into a Chart.js chart. A figure or chart
whose field the report lacks shows "—" instead (the report's shape is growing: every field
is optional here). Money arrives in yuan strings ("12.50") and is shown as ¥12.50.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from html import escape
from typing import Any

from plugins.console.bundles import bundle, inline_script, script_json

__all__ = ["chart_specs", "render_report_html"]

NONE = "—"
KINDS = {"prizes": "奖品", "red_packet_cash": "现金红包", "partner_coupons": "异业券"}
FUNNEL = (("visitors", "访客"), ("players", "参与人数"), ("winners", "中奖人数"),
          ("coupons_issued", "发券"), ("coupons_redeemed", "核销"))
DAY_COLUMNS = (("day", "日期", "text"), ("visitors", "访客", "count"), ("players", "参与人数", "count"),
               ("plays", "参与次数", "count"), ("winners", "中奖人数", "count"),
               ("cost", "成本", "money"), ("coupons_redeemed", "核销", "count"),
               ("sales_driven", "带动销售", "money"), ("fraud_blocks", "风控拦截", "count"))
Spec = dict[str, Any]


def _yuan(value: Any) -> Decimal | None:
    try:
        return None if value is None or isinstance(value, bool) else Decimal(str(value))
    except InvalidOperation:
        return None


def money(value: Any) -> str:
    """A yuan amount as shown: ¥12.50, or "—"."""
    amount = _yuan(value)
    return NONE if amount is None or not amount.is_finite() else f"¥{amount:,.2f}"


def count(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else NONE


def rate(value: Any) -> str:
    """A share (0.42) as a percentage: 42.0%."""
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return f"{value * 100:.1f}%" if ok else NONE


def _number(value: Any, kind: str) -> float | None:
    if kind == "money":
        amount = _yuan(value)
        return float(amount) if amount is not None and amount.is_finite() else None
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if ok else None


def _mapping(report: dict[str, Any], *path: str) -> dict[str, Any]:
    """The object at `path`, or {} where the report lacks it."""
    found: Any = report
    for key in path:
        found = found.get(key) if isinstance(found, dict) else None
    return found if isinstance(found, dict) else {}


def _series(name: str, values: Iterable[Any], kind: str = "count", style: str = "bar") -> dict[str, Any]:
    return {"name": name, "values": [_number(v, kind) for v in values], "axis": kind, "style": style}


def _spec(labels: list[str], *series: dict[str, Any], **shape: Any) -> Spec | None:
    """A chart, or None when it would have no data point."""
    if not labels or not any(v is not None for s in series for v in s["values"]):
        return None
    return {"labels": labels, "series": list(series), **shape}


def _days(report: dict[str, Any]) -> Spec | None:
    days = [d for d in report.get("days") or [] if isinstance(d, dict)]
    labels = [str(d.get("day", "")) for d in days]
    return _spec(labels, _series("参与次数", (d.get("plays") for d in days)),
                 _series("参与人数", (d.get("players") for d in days), style="line"),
                 _series("成本（元）", (d.get("cost") for d in days), "money", "line"))


def _funnel(report: dict[str, Any]) -> Spec | None:
    funnel = _mapping(report, "funnel")
    steps = [(label, funnel[key]) for key, label in FUNNEL if key in funnel]
    return _spec([label for label, _ in steps], _series("人数", (v for _, v in steps)),
                 horizontal=True)


def _prizes(report: dict[str, Any]) -> Spec | None:
    won = [(f"{game} · {prize}", n) for game, prizes in sorted(_mapping(report, "prizes_awarded").items())
           if isinstance(prizes, dict) for prize, n in sorted(prizes.items())]
    return _spec([label for label, _ in won], _series("发放数量", (n for _, n in won)))


def _by_key(values: dict[str, Any], name: str, kind: str = "count", **shape: Any) -> Spec | None:
    ordered = sorted(values.items())
    return _spec([str(k) for k, _ in ordered], _series(name, (v for _, v in ordered), kind), **shape)


def _channels(report: dict[str, Any]) -> Spec | None:
    channels = sorted((k, v) for k, v in _mapping(report, "channels").items() if isinstance(v, dict))
    return _spec([k for k, _ in channels], _series("参与次数", (v.get("plays") for _, v in channels)),
                 _series("成本（元）", (v.get("cost") for _, v in channels), "money", "line"))


def _cost_kinds(report: dict[str, Any]) -> Spec | None:
    kinds = _mapping(report, "cost", "by_kind")
    return _spec([KINDS.get(k, k) for k in kinds],
                 _series("成本（元）", kinds.values(), "money"), doughnut=True)


CHARTS: dict[str, tuple[str, Callable[[dict[str, Any]], Spec | None]]] = {
    "days": ("每日参与与成本", _days),
    "funnel": ("转化漏斗", _funnel),
    "prizes": ("奖品发放", _prizes),
    "fraud": ("风控拦截（按规则）",
              lambda r: _by_key(_mapping(r, "fraud_blocks"), "拦截次数", horizontal=True)),
    "plays": ("各玩法参与次数", lambda r: _by_key(_mapping(r, "plays"), "参与次数")),
    "cost_games": ("各玩法成本", lambda r: _by_key(_mapping(r, "cost", "by_game"), "成本（元）", "money")),
    "cost_kinds": ("成本构成", _cost_kinds),
    "channels": ("渠道", _channels),
}
"""Every chart by id: its title and what makes its spec from a report."""


def chart_specs(report: dict[str, Any]) -> dict[str, Spec | None]:
    """Every chart's spec by id; None for a chart whose data the report lacks."""
    return {name: make(report) for name, (_, make) in CHARTS.items()}


def _cards(report: dict[str, Any]) -> str:
    funnel, cost = _mapping(report, "funnel"), _mapping(report, "cost")
    plays = _mapping(report, "plays")
    budget = NONE if "budget" not in cost else "不限" if cost["budget"] is None else money(cost["budget"])
    figures = [("参与次数", count(sum(plays.values())) if plays and all(
                   isinstance(v, int) for v in plays.values()) else NONE),
               *((label, count(funnel.get(key))) for key, label in FUNNEL),
               ("新会员", count(report.get("new_members"))), ("总成本", money(cost.get("total"))),
               ("品牌承担", money(cost.get("brand"))), ("异业承担", money(cost.get("partner"))),
               ("预算", budget), ("预算使用率", rate(cost.get("budget_used_rate"))),
               ("带动销售", money(report.get("sales_driven")))]
    return "".join(f'<div class="card"><span>{escape(label)}</span><b>{escape(value)}</b></div>'
                   for label, value in figures)


def _table(title: str, head: list[str], rows: list[list[str]], css: str = "") -> str:
    cells = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    body = (f"<table class='{css}'><thead><tr>{''.join(f'<th>{escape(h)}</th>' for h in head)}</tr>"
            f"</thead><tbody>{cells}</tbody></table>") if rows else f'<p class="none">{NONE}</p>'
    return f"<section><h2>{escape(title)}</h2>{body}</section>"


def _cell(value: Any, kind: str) -> str:
    if kind == "money":
        return money(value)
    return count(value) if kind == "count" else (NONE if value is None else str(value))


def _tables(report: dict[str, Any]) -> str:
    days = [d for d in report.get("days") or [] if isinstance(d, dict)]
    channels = sorted((k, v) for k, v in _mapping(report, "channels").items() if isinstance(v, dict))
    k_factor = sorted(_mapping(report, "k_factor").items())
    parts = [_table("每日明细", [h for _, h, _ in DAY_COLUMNS],
                    [[_cell(d.get(key), kind) for key, _, kind in DAY_COLUMNS] for d in days], "days"),
             _table("渠道", ["渠道", "参与次数", "成本"],
                    [[k, count(v.get("plays")), money(v.get("cost"))] for k, v in channels]),
             _table("裂变系数 K", ["玩法", "K"], [[g, f"{k:.2f}" if isinstance(k, int | float) else NONE]
                                              for g, k in k_factor])]
    for game, figures in sorted(_mapping(report, "games").items()):
        if isinstance(figures, dict):
            parts.append(_table(f"{game} 玩法指标", ["指标", "数值"], [
                [str(k), json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else str(v)]
                for k, v in figures.items()]))
    return "".join(parts)


def _figure(name: str, spec: Spec | None) -> str:
    title = escape(CHARTS[name][0])
    if spec is None:
        return f'<figure class="chart empty" data-missing="{name}"><figcaption>{title}</figcaption>' \
               f'<p class="none">{NONE}</p></figure>'
    return f'<figure class="chart"><figcaption>{title}</figcaption>' \
           f'<div class="plot"><canvas id="chart-{name}" data-chart="{name}"></canvas></div></figure>'


def render_report_html(report: dict[str, Any], *, script: str | None = None) -> str:
    """The report as one self-contained page; `script` replaces the built chart bundle."""
    specs = chart_specs(report)
    meta = [("配置版本", f"v{report['config_version']}" if "config_version" in report else NONE),
            ("截至", str(report.get("as_of") or NONE)), ("时区", str(report.get("zone") or NONE)),
            ("统计至", str(report.get("counted_until") or NONE))]
    campaign = escape(str(report.get("campaign_id") or NONE))
    data = json.dumps({k: v for k, v in specs.items() if v is not None}, ensure_ascii=False)
    return f"""<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>活动报表 · {campaign}</title><style>{STYLE}</style></head>
<body>
<header><h1>活动报表 · {campaign}</h1><p class="meta">{"".join(
        f"<span>{escape(k)} <b>{escape(v)}</b></span>" for k, v in meta)}</p></header>
<section class="cards">{_cards(report)}</section>
<section class="charts">{"".join(_figure(name, spec) for name, spec in specs.items())}</section>
{_tables(report)}
{script_json("report-charts", data)}
{inline_script(bundle("report.js") if script is None else script)}
</body>
</html>
"""


STYLE = """
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 24px; color: #1f2933; background: #f5f7fa;
  font: 14px/1.5 -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
header h1 { margin: 0 0 4px; font-size: 22px; }
.meta span { margin-right: 16px; color: #52606d; }
section { background: #fff; border-radius: 8px; padding: 16px; margin: 16px 0; box-shadow: 0 1px 3px #0001; }
h2 { font-size: 16px; margin: 0 0 8px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 12px; }
.card { border: 1px solid #e4e7eb; border-radius: 6px; padding: 8px 12px; }
.card span { display: block; color: #7b8794; font-size: 12px; }
.card b { font-size: 20px; }
.charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; align-items: start; }
.chart { margin: 0; border: 1px solid #e4e7eb; border-radius: 6px; padding: 8px; }
.chart figcaption { font-weight: bold; margin-bottom: 4px; }
.plot { position: relative; height: 260px; }
.none { color: #9aa5b1; font-size: 20px; margin: 8px 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: right; padding: 4px 8px; border-bottom: 1px solid #e4e7eb; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
th { color: #52606d; font-weight: normal; background: #f5f7fa; }
"""

// The campaign's rules and public disclosure [活动规则与公示] (docs/compliance.md): organiser,
// period, every prize with its value, quantity and odds (a tier's own odds too), the
// redemption terms, the contact and each day's seed commitment (a past day's seed too),
// as any game function answers them.
import type { components, paths } from "../api/lucky-wheel.js";
import { Game } from "../game.js";
import { h, show, start, when } from "../page/index.js";

type Pool = components["schemas"]["DisclosedPool"];

const page = start("活动规则与公示");
// every game function answers the same disclosure: ask the one whose page linked here
const api = new Game<paths>(page.client, page.params.get("game") ?? "lucky-wheel");
const GAMES: Record<string, string> = {
  "lucky-wheel": "幸运大转盘", "check-in": "每日签到盲盒", assist: "好友助力", "points-exchange": "积分兑换",
  "event-gifts": "活动礼品", "red-packet": "分享红包", booking: "预约", "partner-coupon": "异业券",
};
const TIERS: Record<string, string> = { gold: "金卡会员", silver: "银卡会员", platinum: "白金会员" };

async function load(): Promise<void> {
  const d = await api.get("/campaigns/{campaign_id}/disclosure", { campaign_id: page.campaign });
  const zone = d.period.timezone;
  show("name", d.name);
  show("organiser", d.organiser ?? "未公布");
  show("period", `${d.period.starts_at.slice(0, 10)} ${when(d.period.starts_at, zone).slice(6)} 至 `
    + `${d.period.ends_at.slice(0, 10)} ${when(d.period.ends_at, zone).slice(6)}（${zone}）`);
  show("version", `依据活动配置第 ${d.version} 版生成；单个抽奖奖品价值不超过 ¥${d.prize_value_limit}`);
  show("pools", ...d.prize_pools.map(pool));
  show("terms", d.redemption_terms ?? "未公布");
  show("extend", d.stock_may_extend ? "活动开始后奖品数量可能增加，但不会减少，中奖概率不变。" : "活动开始后奖品、数量和概率均不再更改。");
  show("contact", d.contact ?? "未公布");
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(new Date());
  show("commitments", ...d.commitments.map((c) => h("tr", { "data-day": c.day, class: c.day === today ? "today" : "" },
    h("td", {}, c.day === today ? `${c.day}（今天）` : c.day),
    h("td", {}, h("div", { class: "hash", "data-commitment": c.day }, `承诺 ${c.commitment}`),
      c.seed ? h("div", { class: "hash", "data-seed": c.day }, `种子 ${c.seed}`)
        : h("div", { class: "muted" }, "当日结束后公布种子")))));
  const row = document.querySelector(`tr[data-day="${today}"]`);
  const box = document.getElementById("commitments-box") as HTMLElement;
  if (row instanceof HTMLElement) box.scrollTop = row.offsetTop - 40;
}

function pool(p: Pool): HTMLElement {
  const drawn = p.prizes.some((prize) => prize.odds_percent !== null);
  const tiers = Object.entries(p.odds_percent_by_tier);
  return h("section", { class: "pool", "data-game": p.game, "data-pool": p.pool },
    h("h2", {}, `${GAMES[p.game] ?? p.game}${p.enabled ? "" : "（已暂停）"}`),
    h("p", { class: "muted" }, drawn ? "抽奖：每次按下表概率抽取一个奖品；奖品已发完、超过每人上限或预算用尽时，改发兜底奖品。"
      : "非抽奖：满足条件即可获得，送完即止。"),
    h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "奖品"), h("th", {}, "价值"), h("th", {}, "数量"),
      h("th", {}, "每人上限"), drawn ? h("th", {}, "中奖概率") : null,
      ...tiers.map(([tier]) => h("th", {}, `${TIERS[tier] ?? tier}概率`)))),
    h("tbody", {}, ...p.prizes.map((prize) => h("tr", { "data-prize": prize.id },
      h("td", {}, prize.name, prize.fallback ? h("span", { class: "muted" }, "（兜底）") : null),
      h("td", { "data-value": "" }, `¥${prize.value}`),
      h("td", { "data-quantity": "" }, prize.quantity === null ? "不限" : String(prize.quantity)),
      h("td", {}, prize.per_member_cap === null ? "不限" : String(prize.per_member_cap)),
      drawn ? h("td", { "data-odds": "" }, `${prize.odds_percent}%`) : null,
      ...tiers.map(([tier, odds]) => h("td", { "data-tier-odds": tier }, `${odds[prize.id]}%`)))))));
}

void page.attempt(load);

// The "公示" tab: the campaign's public disclosure (GET /campaigns/{id}/disclosure, public, no
// credential needed), as a player or an auditor reads it: organiser, period, each prize pool
// with values, quantities and odds (a member tier's own odds beside them), the redemption
// terms, and each day's draw-seed commitment with its seed once revealed (docs/compliance.md).
import { h, show } from "../page/dom.js";
import { commitmentSummary, type DisclosedPool, type Disclosure, drawn, prizeRows } from "./labels.js";
import { at, type Campaign, client, get, time } from "./session.js";

export async function disclosureTab(campaign: Campaign, pane: string): Promise<void> {
  const found = await get<Disclosure>(at(campaign, "/disclosure"));
  const link = client.url("", at(campaign, "/disclosure"));
  const item = (label: string, value: string | null, id: string) =>
    [h("dt", {}, label), h("dd", { "data-field": id }, value ?? "未填写")];
  const { period } = found;
  show(pane, h("div", { class: "bar" },
    h("a", { id: "disclosure-link", href: link, target: "_blank", rel: "noopener" }, "公开的公示 JSON"),
    h("span", { class: "muted" }, `由配置版本 v${found.version} 生成，无需登录即可访问：${link}`)),
  h("section", { id: "disclosure-terms" }, h("h3", {}, "活动信息"), h("dl", { class: "facts" },
    ...item("活动", `${found.name}（${found.campaign_id}）`, "name"),
    ...item("主办方", found.organiser, "organiser"),
    ...item("活动时间", `${time(period.starts_at, period.timezone)} 至 ${time(period.ends_at, period.timezone)}`
      + `（${period.timezone}）`, "period"),
    ...item("兑奖规则", found.redemption_terms, "redemption_terms"),
    ...item("联系方式", found.contact, "contact"),
    ...item("库存", found.stock_may_extend ? "开始后可追加（已公示）" : "开始后不可更改", "stock_may_extend"),
    ...item("抽奖奖品价值上限", `¥${found.prize_value_limit}`, "prize_value_limit"))),
  ...found.prize_pools.map(pool),
  h("section", { id: "commitments" }, h("h3", {}, "每日抽奖种子承诺"),
    h("p", { class: "muted" }, "每天开始前公布当日种子的 SHA-256 承诺，当天结束后公布种子：任何人都可据此复核当天的每一次抽奖（mgames verify-draw）"),
    h("p", { id: "commitments-summary" }, commitmentSummary(found.commitments)),
    found.commitments.length ? h("div", { id: "commitments-days", class: "scroll" }, h("table", { class: "versions" },
      h("tr", {}, ...["日期", "承诺（SHA-256）", "种子"].map((t) => h("th", {}, t))),
      ...found.commitments.map((c) => h("tr", { "data-day": c.day, class: c.seed ? "" : "muted" }, h("td", { class: "day" }, c.day),
        h("td", { class: "mono" }, c.commitment), h("td", { class: "mono" }, c.seed ?? "当天结束后公布"))))) : null));
  // Show the days around today: the last revealed ones, then the ones still to come.
  const box = document.getElementById("commitments-days");
  const next = box?.querySelector<HTMLElement>("tr.muted");
  if (box && next) box.scrollTop = Math.max(0, next.offsetTop - 120);
}

function pool(found: DisclosedPool): HTMLElement {
  const { header, rows } = prizeRows(found);
  return h("section", { class: "pool", "data-game": found.game, "data-pool": found.pool },
    h("h3", {}, `${found.game} · 奖池 ${found.pool}`, " ", h("span", { class: found.enabled ? "state" : "state off" },
      found.enabled ? "已开启" : "已关闭")),
    h("p", { class: "muted", title: found.how }, drawn(found)
      ? "抽奖：每次按下列概率抽中一个奖品；抽中的奖品无库存、超出每人上限或预算时，改发兜底奖品"
      : "非抽奖：满足条件的会员均可获得，数量发完即止"),
    h("table", { class: "versions prizes" }, h("tr", {}, ...header.map((t) => h("th", {}, t))),
      ...rows.map((cells, i) => h("tr", { "data-prize": found.prizes[i].id }, ...cells.map((c) => h("td", {}, c))))));
}

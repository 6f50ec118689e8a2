// The "Webhook 投递" tab: the campaign's webhook deliveries (GET /campaigns/{id}/webhooks, a page
// at a time, optionally of one state), each finished one sent again from its row, every dead
// one at once (POST /campaigns/{id}/webhooks/replay): what `mgames webhooks list|replay` does.
// Above them, every endpoint the campaign's events go to, partners' included
// (GET /campaigns/{id}/webhooks/endpoints; docs/webhooks.md).
import type { components } from "../api/console.js";
import { h, show, toast } from "../page/dom.js";
import { deliveryWhen, type Delivery, queuedMessage, replayable, STATES } from "./labels.js";
import { at, attempt, byId, type Campaign, client, get, time } from "./session.js";

type Deliveries = components["schemas"]["Deliveries"];
type Endpoints = components["schemas"]["Endpoints"];
type Replayed = components["schemas"]["Replayed"];

export async function webhooksTab(campaign: Campaign, pane: string): Promise<void> {
  const found = await get<Endpoints>(at(campaign, "/webhooks/endpoints"));
  const filter = h("select", { id: "webhook-state", "aria-label": "投递状态", onchange: () => attempt(() => list(campaign)) },
    h("option", { value: "" }, "全部状态"), ...Object.entries(STATES).map(([state, label]) => h("option", { value: state }, label)));
  show(pane, endpoints(found.endpoints),
    h("div", { class: "bar" }, filter,
      h("button", { id: "refresh-webhooks", class: "small", onclick: () => attempt(() => list(campaign)) }, "刷新"),
      h("button", { id: "replay-dead", class: "small", onclick: () => attempt(() => replay(campaign, [])) }, "全部死信重投"),
      h("span", { class: "muted" }, "重投的投递回到队列，由投递任务（部署时每 5 分钟，本地每 30 秒）从第 1 次尝试重新发送，投递 ID 不变")),
    h("table", { class: "versions deliveries" }, h("thead", {}, h("tr", {},
      ...["投递 ID", "端点", "事件", "状态", "尝试次数", "下次尝试 / 完成时间", "最后错误", ""].map((t) => h("th", {}, t)))),
    h("tbody", { id: "deliveries" })),
    h("div", { id: "deliveries-more", class: "bar" }));
  await list(campaign);
}

/** Every endpoint the campaign's events go to: the file's, then its partners' (`<partner>-<id>`). */
function endpoints(found: Endpoints["endpoints"]): HTMLElement {
  return h("section", { id: "endpoints" }, h("h3", {}, "投递端点"),
    found.length ? h("table", { class: "versions" }, h("tr", {}, ...["端点", "URL", "事件", "超时", "密钥引用"].map((t) => h("th", {}, t))),
      ...found.map((e) => h("tr", { "data-endpoint": e.id }, h("td", {}, e.id), h("td", {}, e.url),
        h("td", {}, e.events.join("、") + (e.coupon_types.length ? `（券：${e.coupon_types.join("、")}）` : "")),
        h("td", {}, `${e.timeout_seconds} 秒`), h("td", {}, e.secret_ref))))
      : h("p", { class: "muted" }, "活动没有 webhooks 端点"),
    h("p", { class: "muted" }, "活动配置的端点，以及合作方的端点（配置中的，或合作方通过合作方 API 自行管理的，端点 ID 为 合作方-端点，"
      + "只收到本方券的事件）；密钥只显示其在 Secrets Manager 中的名称"));
}

let listing = 0;

/** The first page of deliveries in the chosen state (a list asked for later wins over this one). */
async function list(campaign: Campaign): Promise<void> {
  const mine = ++listing;
  show("deliveries", h("tr", {}, h("td", { colspan: 8, class: "muted" }, "加载中…")));
  await more(campaign, mine, null);
}

/** The page of deliveries from `cursor` added to the list `mine`, unless another replaced it;
 * a "加载更多" button below when more follow. */
async function more(campaign: Campaign, mine: number, cursor: string | null): Promise<void> {
  const state = byId<HTMLSelectElement>("webhook-state").value as Delivery["state"] | "";
  const found = await client.request<Deliveries>("GET", "", at(campaign, "/webhooks"),
    { query: { state: state || undefined, cursor: cursor ?? undefined } });
  if (mine !== listing) return;
  const rows = found.deliveries.map((d) => row(campaign, d));
  if (cursor) byId("deliveries").append(...rows);
  else show("deliveries", ...(rows.length ? rows
    : [h("tr", {}, h("td", { colspan: 8, class: "muted" }, state ? `没有${STATES[state]}的投递` : "还没有投递"))]));
  show("deliveries-more", found.next_cursor ? h("button", { id: "more-deliveries", class: "small ghost",
    onclick: () => attempt(() => more(campaign, mine, found.next_cursor)) }, "加载更多") : null);
}

function row(campaign: Campaign, d: Delivery): HTMLElement {
  return h("tr", { "data-delivery": d.id, "data-state": d.state }, h("td", { class: "mono" }, d.id),
    h("td", {}, d.endpoint), h("td", {}, d.event), h("td", {}, h("span", { class: `delivery ${d.state}` }, STATES[d.state])),
    h("td", {}, d.attempts), h("td", {}, deliveryWhen(d, time)), h("td", { class: "error" }, d.last_error ?? ""),
    h("td", {}, replayable(d) ? h("button", { class: "small replay", onclick: () => attempt(() => replay(campaign, [d.id])) },
      "重新投递") : null));
}

/** Queue `ids` again (none: every dead delivery), say how many, and list again. */
async function replay(campaign: Campaign, ids: string[]): Promise<void> {
  const done = await client.request<Replayed>("POST", "", at(campaign, "/webhooks/replay"), ids.length ? { body: { ids } } : {});
  toast(queuedMessage(done.queued.length));
  await list(campaign);
}

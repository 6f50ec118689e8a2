// Points exchange [积分兑换]: the balance, the catalogue with prices and limits, exchange, my exchanges.
import type { components } from "../../../sdk/src/api/points-exchange.js";
import { boot, h, show, when } from "../../../sdk/src/page/index.js";

type Item = components["schemas"]["CatalogueItem"];

const page = boot("积分兑换", "pointsExchange");
const at = { campaign_id: page.campaign };
const REFUSED = { POINTS_INSUFFICIENT: "积分不足，去玩游戏赚积分吧", EXCHANGE_LIMIT_REACHED: "已达兑换上限",
                  SOLD_OUT: "已兑完", ITEM_NOT_ON_SALE: "未到兑换时间或已结束" };
let zone = "Asia/Shanghai";
let points: number | null = null;

async function load(): Promise<void> {
  const view = await page.api.pointsExchange.get("/campaigns/{campaign_id}", at);
  zone = view.timezone;
  show("name", view.name);
  (document.getElementById("wallet") as HTMLAnchorElement).search = `?campaign=${page.campaign}`;
  points = view.points ?? null;
  show("balance", points === null ? "登录后查看积分" : `我的积分 ${points}`);
  show("items", ...view.items.map(item));
  await mine();
}

/** One catalogue line: what it is, its price and limits, and the button while it can be had. */
function item(i: Item): HTMLElement {
  const limits = [i.per_member_per_day ? `每天限 ${i.per_member_per_day} 次` : "",
                  i.per_member_total ? `每人限 ${i.per_member_total} 次` : ""].filter(Boolean).join("，");
  const used = i.left === 0;
  const blocked = !page.member || !i.on_sale || i.sold_out || used || (points !== null && points < i.price_points);
  const label = i.sold_out ? "已兑完" : !i.on_sale ? "未开放" : used ? "已达上限" : "兑换";
  return h("li", { "data-item": i.id },
    h("div", {}, h("div", {}, i.name), h("div", { class: "muted" }, `${i.price_points} 积分${limits ? "，" + limits : ""}`)),
    h("button", { class: "small", disabled: blocked, onclick: () => void swap(i.id) }, label));
}

async function mine(): Promise<void> {
  if (!page.member) return;
  const { exchanges } = await page.api.pointsExchange.get("/campaigns/{campaign_id}/exchanges", at);
  show("mine", ...(exchanges.length ? exchanges.map((e) => h("li", {}, h("span", {}, e.item.name),
    h("span", { class: "muted" }, `-${e.points_spent} 积分 · ${when(e.exchanged_at, zone)}`)))
    : [h("li", { class: "muted" }, "还没有兑换")]));
}

async function swap(itemId: string): Promise<void> {
  show("result", "");
  await page.attempt(async () => {
    const done = await page.api.pointsExchange.act("/campaigns/{campaign_id}/exchanges", at,
                                                   { item: itemId, channel: "h5" });
    show("result", `兑换成功：${done.item.name}`);
  }, REFUSED);
  await page.attempt(load);
}

void page.attempt(load);

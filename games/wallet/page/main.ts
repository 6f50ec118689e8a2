// My wallet [我的]: the points balance, my coupons of every game of the campaign, the points ledger.
import type { components } from "../../../sdk/src/api/wallet.js";
import { boot, h, show, when, yuan } from "../../../sdk/src/page/index.js";

type Coupon = components["schemas"]["WalletCoupon"];
type Line = components["schemas"]["LedgerLine"];

const page = boot("我的", "wallet");
const at = { campaign_id: page.campaign };
const STATE: Record<string, string> = { issued: "可使用", redeemed: "已使用", expired: "已过期" };
/** A ledger line's reason, `<campaign>:<what>[:<detail>]`, as the member reads it. */
const WHY: Record<string, string> = { exchange: "积分兑换", "make-up": "补签", award: "活动奖励", claim: "领取奖励" };
const why = (reason: string | null | undefined): string => WHY[(reason ?? "").split(":")[1] ?? ""] ?? "积分变动";
let zone = "Asia/Shanghai";

/** What a coupon offers, in a few words. */
function offer(c: Coupon): string {
  if (c.kind === "full_reduction") return `满${yuan(c.threshold ?? "")}减${yuan(c.discount ?? "")}`;
  if (c.kind === "cash_voucher") return `${yuan(c.discount ?? "")} 代金券`;
  if (c.kind === "percentage") return `立减 ${c.percent_off ?? 0}%`;
  return "兑换券";
}

/** A list read a page at a time: each page appended, the button reading on while there is more. */
function paged<T>(list: string, button: string, read: (cursor: string | null) => Promise<[T[], string | null]>,
                  line: (item: T) => HTMLElement, none: string): () => Promise<void> {
  let cursor: string | null = null;
  const more = document.getElementById(button) as HTMLButtonElement;
  const next = async (): Promise<void> => {
    const [items, after] = await read(cursor);
    const box = document.getElementById(list) as HTMLElement;
    if (cursor === null && items.length === 0) box.replaceChildren(h("li", { class: "muted" }, none));
    box.append(...items.map(line));
    cursor = after;
    more.hidden = after === null;
  };
  more.addEventListener("click", () => void page.attempt(next));
  return next;
}

const coupons = paged<Coupon>("coupons", "more-coupons", async (cursor) => {
  const found = await page.api.wallet.page("/campaigns/{campaign_id}/coupons", at, "coupons", { cursor, limit: 10 });
  return [found.items, found.nextCursor];
}, (c) => h("li", { "data-state": c.state }, h("div", {}, h("div", {}, c.title ?? c.type_id),
  h("div", { class: "muted" }, `${offer(c)} · ${STATE[c.state] ?? c.state}，${when(c.valid_until, zone)} 前有效`)),
  h("strong", { class: "coupon-code" }, c.code ?? "")), "还没有优惠券");

const ledger = paged<Line>("ledger", "more-lines", async (cursor) => {
  const found = await page.api.wallet.page("/campaigns/{campaign_id}/points/ledger", at, "lines", { cursor, limit: 20 });
  return [found.items, found.nextCursor];
}, (l) => h("li", {}, h("span", {}, `${why(l.reason)} ${l.points > 0 ? "+" : ""}${l.points}`),
  h("span", { class: "muted" }, l.at ? when(l.at, zone) : "")), "还没有积分记录");

async function load(): Promise<void> {
  if (!page.member) {
    show("balance", "登录后查看积分与优惠券");
    return;
  }
  const balance = await page.api.wallet.get("/campaigns/{campaign_id}/points", at);
  zone = balance.timezone;
  show("name", balance.name);
  show("balance", `我的积分 ${balance.points}`);
  await coupons();
  await ledger();
}

void page.attempt(load);

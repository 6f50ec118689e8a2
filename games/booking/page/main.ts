// Hot-item booking [火爆商品预约]: book a day and a store, see the pick-up code, cancel.
import { boot, h, show, when, yuan } from "../../../sdk/src/page/index.js";

const page = boot("爆品预约", "booking");
const at = { campaign_id: page.campaign };
let zone = "Asia/Shanghai";
const STATE: Record<string, string> = { booked: "待取货", picked_up: "已取货", cancelled: "已取消", expired: "已过期" };

/** `today` and the next `ahead` days, as YYYY-MM-DD. */
function days(today: string, ahead: number): string[] {
  const start = new Date(`${today}T00:00:00Z`);
  return Array.from({ length: ahead + 1 }, (_, i) => new Date(start.getTime() + i * 86_400_000).toISOString().slice(0, 10));
}

async function load(): Promise<void> {
  const view = await page.api.booking.get("/campaigns/{campaign_id}", at);
  zone = view.timezone;
  const rules = view.booking as { days_ahead: number; from_hour: number; until_hour: number };
  const stores = (view.fulfilment as { stores?: { id: string; name: string }[] }).stores ?? [];
  show("item", (view.item as { name: string }).name);
  show("price", yuan(view.price));
  show("rules", `每日限量 ${view.day_quantity} 件，每天 ${rules.from_hour}:00–${rules.until_hour}:00 可约`
    + (view.sold_out_today ? "，今日已约满" : ""));
  show("day", ...days(view.today, rules.days_ahead).map((d) => h("option", { value: d }, d)));
  show("store", ...stores.map((s) => h("option", { value: s.id }, s.name)));
  (document.getElementById("book") as HTMLButtonElement).disabled = !page.member;
  await mine();
}

async function mine(): Promise<void> {
  if (!page.member) return;
  const { bookings } = await page.api.booking.get("/campaigns/{campaign_id}/bookings", at);
  show("mine", ...(bookings.length ? bookings.map((b) => h("li", { "data-booking": b.booking_id },
    h("div", {}, h("div", { class: "code" }, b.code),
      h("div", { class: "muted" }, `${b.day} · ${STATE[b.state] ?? b.state} · 取货 ${when(b.pickup_from, zone)}–${when(b.pickup_until, zone)}`)),
    b.state === "booked" ? h("button", { class: "small ghost", onclick: () => void cancel(b.booking_id) }, "取消") : null))
    : [h("li", { class: "muted" }, "还没有预约")]));
}

async function book(): Promise<void> {
  const value = (id: string) => (document.getElementById(id) as HTMLSelectElement).value;
  await page.attempt(() => page.api.booking.act("/campaigns/{campaign_id}/bookings", at,
    { day: value("day"), store_id: value("store") || null }));
  await page.attempt(mine);
}

async function cancel(bookingId: string): Promise<void> {
  await page.attempt(() => page.api.booking.act("/campaigns/{campaign_id}/bookings/{booking_id}/cancel",
    { ...at, booking_id: bookingId }));
  await page.attempt(mine);
}

document.getElementById("book")?.addEventListener("click", () => void book());
void page.attempt(load);

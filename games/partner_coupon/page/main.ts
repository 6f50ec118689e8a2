// Partner coupons [异业券]: the coupon center, claim a partner's coupon, "my coupons" with codes.
import { boot, h, show, when, yuan } from "../../../sdk/src/page/index.js";

const page = boot("领券中心", "partnerCoupon");
const at = { campaign_id: page.campaign };
const STATE: Record<string, string> = { issued: "可使用", redeemed: "已使用", expired: "已过期" };
let zone = "Asia/Shanghai";

async function load(): Promise<void> {
  const center = await page.api.partnerCoupon.get("/campaigns/{campaign_id}/coupons", at);
  zone = center.timezone;
  show("title", center.title);
  show("name", center.name);
  show("center", ...center.coupons.map((c) => h("li", { "data-type": c.type_id },
    h("div", {}, h("div", {}, `${c.partner_name} · ${c.title}`),
      h("div", { class: "muted" }, `面值 ${yuan(c.face_value)}，剩 ${c.left} 张`)),
    h("button", { class: "small", disabled: !page.member || !c.available, onclick: () => void claim(c.type_id) },
      c.available ? "领取" : "已领完"))));
  await mine();
}

async function mine(): Promise<void> {
  if (!page.member) return;
  const { coupons } = await page.api.partnerCoupon.get("/campaigns/{campaign_id}/coupons/mine", at);
  show("mine", ...(coupons.length ? coupons.map((c) => {
    const coupon = c as { title: string; code?: string; state: string; valid_until: string };
    return h("li", {}, h("div", {}, h("div", {}, coupon.title),
      h("div", { class: "muted" }, `${STATE[coupon.state] ?? coupon.state}，${when(coupon.valid_until, zone)} 前有效`)),
      h("strong", { class: "coupon-code" }, coupon.code ?? ""));
  }) : [h("li", { class: "muted" }, "还没有券")]));
}

async function claim(typeId: string): Promise<void> {
  await page.attempt(() => page.api.partnerCoupon.act("/campaigns/{campaign_id}/coupons/{type_id}/claims",
    { ...at, type_id: typeId }, { channel: "h5" }));
  await page.attempt(load);
}

void page.attempt(load);

// The lucky wheel [大转盘]: spin, see the prize, the chances left and my prizes.
import type { components } from "../../../sdk/src/api/lucky-wheel.js";
import { boot, h, show, trustLink, when } from "../../../sdk/src/page/index.js";

type Chances = components["schemas"]["Chances"];

const page = boot("幸运大转盘", "luckyWheel");
const at = { campaign_id: page.campaign };
/** The link to re-check draw `id` once its day's seed is revealed. */
const verify = (id: string, text = "验证这次抽奖"): HTMLElement =>
  h("a", { class: "verify", href: trustLink("verify", page.campaign, "lucky-wheel", id) }, text);
const COLOURS = ["#ffd6c2", "#ffb199", "#ffe7a8", "#ffc7d9", "#d7f0c8", "#cfe3ff"];
let turned = 0;
let prizeIds: string[] = [];
let zone = "Asia/Shanghai";

async function load(): Promise<void> {
  const view = await page.api.luckyWheel.get("/campaigns/{campaign_id}", at);
  if (prizeIds.length === 0) wheel(view.prizes);
  zone = view.timezone;
  show("name", view.name);
  const left = chances(view.chances);
  (document.getElementById("spin") as HTMLButtonElement).disabled = !page.member || left === 0;
  await mine();
}

/** What the player can really still draw, and which limit says so: the day's or the campaign's. */
function chances(c: Chances): number | null {
  const left = c.left ?? null;
  const box = document.getElementById("chances") as HTMLElement;
  box.dataset.binding = c.binding ?? "none";
  if (!page.member) {
    show("chances", "登录后查看剩余次数");
    show("limit", "");
  } else if (c.binding === "day") {
    show("chances", `今日剩余 ${left} 次`);
    show("limit", `受每日次数限制（每天 ${c.per_day} 次）`
      + (c.left_total !== null && c.left_total !== undefined ? `，活动期间还剩 ${c.left_total} 次` : "")
      + (left === 0 ? "，明天再来" : ""));
  } else if (c.binding === "campaign") {
    show("chances", left === 0 ? "抽奖次数已用完" : `活动剩余 ${left} 次`);
    show("limit", `受活动总次数限制（共 ${c.total} 次）` + (left === 0 ? "，已全部用完" : ""));
  } else {
    show("chances", "不限次数");
    show("limit", "");
  }
  return left;
}

/** Draw the wheel once: one slice per prize, in the campaign's order. */
function wheel(prizes: { id: string; name: string }[]): void {
  prizeIds = prizes.map((p) => p.id);
  const slice = 360 / prizes.length;
  const stops = prizes.map((_, i) => `${COLOURS[i % COLOURS.length]} ${i * slice}deg ${(i + 1) * slice}deg`);
  show("wheel-box", h("div", { id: "wheel", style: `background: conic-gradient(${stops.join(",")})` },
    ...prizes.map((p, i) => h("span", { style: `transform: rotate(${(i + 0.5) * slice}deg)` }, p.name))));
}

async function mine(): Promise<void> {
  if (!page.member) return;
  const { draws } = await page.api.luckyWheel.get("/campaigns/{campaign_id}/draws", at);
  show("mine", ...(draws.length ? draws.map((d) => h("li", {}, h("span", {}, d.prize.name),
    h("span", { class: "muted" }, when(d.drawn_at, zone), " ", verify(d.draw_id, "验证"))))
    : [h("li", { class: "muted" }, "还没有奖品")]));
}

async function spin(): Promise<void> {
  const button = document.getElementById("spin") as HTMLButtonElement;
  button.disabled = true;
  show("result", "");
  show("proof", "");
  const ok = await page.attempt(async () => {
    const draw = await page.api.luckyWheel.act("/campaigns/{campaign_id}/draws", at, { channel: "h5" });
    const slice = 360 / Math.max(prizeIds.length, 1);
    const index = Math.max(prizeIds.indexOf(draw.prize.id), 0);
    turned += 360 * 4 + (360 - ((turned % 360) + (index + 0.5) * slice) % 360);
    const wheel = document.getElementById("wheel") as HTMLElement;
    wheel.style.transform = `rotate(${turned}deg)`;
    await new Promise((resolve) => setTimeout(resolve, 1200));
    show("result", draw.fallback ? `谢谢参与：${draw.prize.name}` : `恭喜获得：${draw.prize.name}`);
    show("proof", `抽奖编号 ${draw.draw_id} `, verify(draw.draw_id));
  });
  await page.attempt(load);
  if (!ok) button.disabled = false;
}

document.head.append(h("style", {}, `
#wheel { position: relative; width: 280px; height: 280px; margin: 8px auto; border-radius: 50%;
  border: 6px solid #e8432e; transition: transform 1.1s cubic-bezier(.2,.8,.2,1); }
#wheel span { position: absolute; left: 50%; top: 0; height: 50%; transform-origin: bottom center;
  margin-left: -40px; width: 80px; padding-top: 14px; font-size: 12px; text-align: center; }
#wheel-box { position: relative; }
#wheel-box::after { content: "▼"; position: absolute; top: -6px; left: 50%; transform: translateX(-50%);
  color: #e8432e; font-size: 24px; }`));
document.getElementById("spin")?.addEventListener("click", () => void spin());
void page.attempt(load);

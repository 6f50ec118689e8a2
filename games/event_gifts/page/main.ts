// Tasks [任务中心]: what members earn and for what (register, order, birthday, profile, invite,
// share), each with the signed-in member's progress; the share task's link, and a friend
// opening it (the share counts once per friend and per friend's phone).
import type { components } from "../../../sdk/src/api/event-gifts.js";
import { boot, h, show } from "../../../sdk/src/page/index.js";
import { showShareLink } from "../../../sdk/src/page/share.js";

type Rule = components["schemas"]["RuleView"];

const page = boot("任务中心", "eventGifts");
const at = { campaign_id: page.campaign };
const sharer = page.params.get("sharer");
const EVENTS: Record<string, string> = { registration: "注册会员", first_order: "首次下单", order: "下单",
  birthday: "生日", profile_completed: "完善资料", share_opened: "分享给好友，好友打开链接" };
const PERIODS: Record<string, string> = { day: "每天", week: "每周", month: "每月", campaign: "活动期间" };

/** What a rule gives, as the player reads it. */
function reward(r: Rule): string {
  const given = (r.reward ?? {}) as Record<string, unknown>;
  if (given.type === "points") return `${given.points} 积分`;
  // a reward is described without its defaults: the wheel's game, one chance
  if (given.type === "chances") {
    const game = String(given.game ?? "lucky-wheel");
    return `${game === "lucky-wheel" ? "转盘" : game}机会 +${String(given.chances ?? 1)}`;
  }
  return String(given.title ?? r.name);
}

/** How often, and the member's progress where he is signed in. */
function state(r: Rule): string {
  const often = r.invited_within_days ? `每邀请一位好友（${r.invited_within_days} 天内）`
    : r.event === "share_opened" ? "每位好友一次" : r.once_per === "event" ? "每次" : `${PERIODS[r.once_per]}一次`;
  const daily = r.per_member_per_day ? `，每天最多 ${r.per_member_per_day} 次` : "";
  const mine = !r.mine ? "" : r.mine.done ? " · 已完成"
    : r.mine.given_today !== null ? ` · 今日 ${r.mine.given_today}/${r.per_member_per_day}` : "";
  return often + daily + mine;
}

function task(r: Rule): HTMLElement {
  const condition = [r.min_amount ? `满 ¥${r.min_amount}` : "", r.items.length ? `含指定商品` : "",
    r.hours ? `${r.hours[0]}:00–${r.hours[1]}:00` : ""].filter(Boolean).join("，");
  return h("li", { "data-rule": r.id, "data-done": String(Boolean(r.mine?.done)) },
    h("div", {}, h("div", {}, `${r.invited_within_days ? "邀请好友" : ""}${EVENTS[r.event] ?? r.event}`
      + (condition ? `（${condition}）` : "")),
      h("div", { class: "muted" }, state(r))),
    h("b", {}, reward(r)));
}

async function load(): Promise<void> {
  const view = await page.api.eventGifts.get("/campaigns/{campaign_id}", at);
  show("name", view.name);
  show("state", view.open ? (page.member ? "完成任务即得奖励" : "登录后查看任务进度") : "活动未开始或已结束");
  show("tasks", ...view.rules.map(task));
  if (page.member && view.rules.some((r) => r.event === "share_opened")) showShareLink(page.campaign, { sharer: page.member });
}

/** A friend opened the share link: tell the platform once (the key is the pair's), then say so. */
async function opened(): Promise<void> {
  if (!sharer || sharer === page.member) return;
  (document.getElementById("share-box") as HTMLElement).hidden = false;
  show("share-title", `好友 ${sharer} 邀你来看看`);
  if (!page.member) return show("opened", "登录后打开即可为好友完成任务");
  await page.attempt(async () => {
    // any key: the event's id is the pair's, so opening again answers the first time's gift
    await page.api.eventGifts.act("/campaigns/{campaign_id}/shares/{sharer_id}/opens", { ...at, sharer_id: sharer });
    show("opened", "已为好友完成分享任务");
  });
}

void page.attempt(async () => { await opened(); await load(); });

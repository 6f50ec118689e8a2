// Check-in streaks [签到]: the cycle's calendar, today's check-in, milestones and make-ups [补签].
import { boot, h, show, trustLink } from "../../../sdk/src/page/index.js";

const page = boot("每日签到", "checkIn");
const at = { campaign_id: page.campaign };
let makeUpCost = 0;
const STATUS = { checked: "✓", made_up: "补", missed: "漏", today: "今", upcoming: "", closed: "—" } as const;

async function load(): Promise<void> {
  const view = await page.api.checkIn.get("/campaigns/{campaign_id}", at);
  show("name", view.name);
  const calendar = view.calendar;
  const button = document.getElementById("check-in") as HTMLButtonElement;
  if (!calendar) {
    show("streak", "登录后签到");
    return;
  }
  show("streak", `已连续签到 ${calendar.streak} 天`);
  button.disabled = calendar.checked_today;
  button.textContent = calendar.checked_today ? "今日已签到" : "立即签到";
  show("calendar", ...calendar.days.map((d) => h("div", {
    class: `day ${d.status}${d.date === calendar.today ? " today" : ""}`, "data-date": d.date,
  }, h("div", {}, d.date.slice(5)), h("div", {}, STATUS[d.status]),
    d.can_make_up && calendar.make_ups.left > 0
      ? h("button", { class: "small ghost", onclick: () => void makeUp(d.date) }, "补签") : null)));
  const ups = calendar.make_ups;
  makeUpCost = ups.cost_points;
  show("make-ups", ups.per_cycle === 0 ? "本活动不支持补签"
    : ups.left === 0 ? `本期补签次数已用完（每期 ${ups.per_cycle} 次）`
    : `本期可补签 ${ups.left} 次，${ups.cost_points ? `每次消耗 ${ups.cost_points} 积分` : "免费"}`);
  const reached = new Set(calendar.milestones_reached);
  show("milestones", ...view.milestones.map((m) => h("li", {},
    h("span", {}, `连签 ${m.streak} 天`),
    h("span", { class: reached.has(m.streak) ? "" : "muted" },
      [m.wheel_chances ? `转盘 +${m.wheel_chances} 次` : "", m.reward ? rewardName(m.reward) : ""]
        .filter(Boolean).join("，") + (reached.has(m.streak) ? " ✓" : "")))));
}

function rewardName(reward: Record<string, unknown>): string {
  if (reward.type === "points") return `${reward.points} 积分`;
  return String(reward.title ?? reward.type);
}

async function checkIn(): Promise<void> {
  await page.attempt(async () => {
    const done = await page.api.checkIn.act("/campaigns/{campaign_id}/check-ins", at, { channel: "h5" });
    const got = done.rewards.filter((r) => r.reward).map((r) => rewardName(r.reward as Record<string, unknown>));
    const box = done.blind_box as { prize?: { name?: string } } | null;
    if (box?.prize?.name) got.push(`盲盒：${box.prize.name}`);
    show("result", `签到成功！${got.join("，")}`);
    // the blind box is drawn under the check-in's id: its draw id
    show("proof", ...(box ? [`抽奖编号 ${done.check_in_id} `, h("a", { class: "verify",
      href: trustLink("verify", page.campaign, "check-in", done.check_in_id) }, "验证这次抽奖")] : []));
  });
  await page.attempt(load);
}

async function makeUp(day: string): Promise<void> {
  await page.attempt(async () => {
    const done = await page.api.checkIn.act("/campaigns/{campaign_id}/make-ups", at, { day, channel: "h5" });
    show("result", `已补签 ${day}，连签 ${done.streak} 天` + (done.cost_points ? `，消耗 ${done.cost_points} 积分` : ""));
  }, { NO_CHANCES_LEFT: "本期补签次数已用完", POINTS_INSUFFICIENT: `积分不足，补签需 ${makeUpCost} 积分`,
       MAKE_UP_NOT_ALLOWED: "只能补签本期内漏签的日子" });
  await page.attempt(load);
}

document.getElementById("check-in")?.addEventListener("click", () => void checkIn());
void page.attempt(load);

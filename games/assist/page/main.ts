// Referral assist [助力]: open a task, share its link; friends open the link and help; both
// see the progress.
import { boot, createAndShare, h, shareLink, show, trustLink } from "../../../sdk/src/page/index.js";

const page = boot("好友助力", "assist");
const at = { campaign_id: page.campaign };
const taskId = page.params.get("task");
const STATE: Record<string, string> = { open: "进行中", completed: "已完成", expired: "已过期" };

async function load(): Promise<void> {
  const rules = await page.api.assist.get("/campaigns/{campaign_id}", at);
  show("name", rules.name);
  show("rules", `邀请 ${rules.need} 位好友助力即可领奖，${rules.task_hours} 小时内有效`);
  (document.getElementById("open") as HTMLButtonElement).disabled = !page.member;
  if (taskId) await task(taskId);
  if (!page.member) return;
  const { tasks } = await page.api.assist.get("/campaigns/{campaign_id}/tasks", at);
  show("mine", ...(tasks.length ? tasks.map((t) => h("li", {},
    h("a", { href: shareLink(page.campaign, { task: t.task_id }) }, `${t.helps}/${t.need} 人已助力`),
    h("span", { class: "muted" }, STATE[t.state] ?? t.state, prize(t.reward))))
    : [h("li", { class: "muted" }, "还没有发起助力")]));
}

/** A completed task's prize, drawn when the last help came, with the link to verify its draw. */
function prize(reward: Record<string, unknown> | null | undefined): HTMLElement | null {
  const won = reward as { prize?: { name?: string }; draw_id?: string } | null | undefined;
  if (!won?.prize?.name) return null;
  return h("span", { class: "prize" }, ` 奖品：${won.prize.name} `, won.draw_id ? h("a", { class: "verify",
    href: trustLink("verify", page.campaign, "assist", won.draw_id) }, "验证") : null);
}

async function task(id: string): Promise<void> {
  const view = await page.api.assist.get("/campaigns/{campaign_id}/tasks/{task_id}", { ...at, task_id: id });
  document.getElementById("task-box")!.hidden = false;
  show("task-title", view.mine ? "我的助力任务" : "好友邀请你助力");
  show("progress", `${view.helps}/${view.need}`);
  show("task-state", `${STATE[view.state] ?? view.state}，还差 ${view.left} 人`);
  const button = document.getElementById("help") as HTMLButtonElement;
  button.hidden = view.mine === true;
  button.disabled = !page.member || view.mine !== false || view.state !== "open";
}

async function open(): Promise<void> {
  await createAndShare(page, async () => {
    const made = await page.api.assist.act("/campaigns/{campaign_id}/tasks", at, { channel: "h5" });
    return { task: made.task_id };
  }, load);
}

async function help(id: string): Promise<void> {
  const ok = await page.attempt(() => page.api.assist.act("/campaigns/{campaign_id}/tasks/{task_id}/helps",
    { ...at, task_id: id }, { channel: "h5" }));
  if (ok) show("helped", "助力成功！");
  await page.attempt(() => task(id));
  (document.getElementById("help") as HTMLButtonElement).disabled = true;
}

document.getElementById("open")?.addEventListener("click", () => void open());
document.getElementById("help")?.addEventListener("click", () => taskId && void help(taskId));
void page.attempt(load);

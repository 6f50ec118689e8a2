// What the webhook, disclosure and member-list screens say and read, pure (Node's tests run
// it): a delivery's state and its next or last time, which deliveries can be sent again, the
// endpoints a stored config lists, a prize pool's odds table with a column per member tier,
// the member ids of an uploaded file and the segments a config's audiences name.
import type { components } from "../api/console.js";

export type Delivery = components["schemas"]["Delivery"];
export type Disclosure = components["schemas"]["Disclosure"];
export type DisclosedPool = components["schemas"]["DisclosedPool"];
export type DayCommitment = components["schemas"]["DayCommitment"];

export const STATES = { pending: "待投递", delivered: "已送达", dead: "死信" } as const;

/** A delivery's time as the list shows it: when it is next tried, or when it finished. */
export function deliveryWhen(d: Delivery, time: (iso: string) => string): string {
  if (d.state === "pending") return d.next_attempt_at ? `下次尝试 ${time(new Date(d.next_attempt_at * 1000).toISOString())}` : "—";
  return d.finished_at ? `完成于 ${time(d.finished_at)}` : "—";
}

/** A finished delivery (delivered or dead) can be sent again; a pending one is still queued. */
export const replayable = (d: Delivery): boolean => d.state !== "pending";

/** The toast after a replay: how many deliveries were queued again. */
export const queuedMessage = (queued: number): string =>
  queued ? `已重新排队 ${queued} 条投递，将在下次投递任务运行时发送` : "没有需要重新投递的投递";

/** A pool is drawn when its prizes have odds; listed prizes are given while they last. */
export const drawn = (pool: DisclosedPool): boolean => pool.prizes.some((p) => p.odds_percent !== null);

/** A pool's table: a header, then a row per prize: id, name, value, quantity, cap, odds, and
 * the odds of each member tier that has its own (in the header's order). */
export function prizeRows(pool: DisclosedPool): { header: string[]; tiers: string[]; rows: string[][] } {
  const tiers = Object.keys(pool.odds_percent_by_tier).sort();
  const header = ["奖品", "名称", "价值（元）", "数量", "每人上限", ...(drawn(pool)
    ? ["中奖概率", ...tiers.map((t) => `${t} 等级概率`)] : [])];
  const percent = (odds: string | null | undefined): string => (odds === null || odds === undefined ? "—" : `${odds}%`);
  const rows = pool.prizes.map((p) => [p.fallback ? `${p.id}（兜底）` : p.id, p.name, p.value,
    p.quantity === null ? "不限" : String(p.quantity), p.per_member_cap === null ? "不限" : String(p.per_member_cap),
    ...(drawn(pool) ? [percent(p.odds_percent), ...tiers.map((t) => percent(pool.odds_percent_by_tier[t][p.id]))] : [])]);
  return { header, tiers, rows };
}

/** What the list of day commitments holds: how many days, how many with their seed revealed. */
export function commitmentSummary(days: DayCommitment[]): string {
  const revealed = days.filter((d) => d.seed !== null);
  if (!days.length) return "还没有公布的承诺";
  return `共 ${days.length} 天（${days[0].day} 至 ${days[days.length - 1].day}）：已公布种子 ${revealed.length} 天`
    + (revealed.length ? `，最近一天 ${revealed[revealed.length - 1].day}` : "") + "；其余的种子在当天结束后公布";
}

/** The member ids of a file's text, as `mgames segment` reads them. */
export function memberIds(text: string): string[] {
  const ids = text.split(/\r?\n/).map((line) => line.split(",")[0].trim()).filter((id) => id && id !== "member_id");
  return [...new Set(ids)];
}

/** The segments the config's audiences name: the campaign's and each game's. */
export function namedSegments(config: unknown): string[] {
  const doc = (config ?? {}) as { audience?: { segments?: string[] }; games?: Record<string, { audience?: { segments?: string[] } }> };
  const found = [...(doc.audience?.segments ?? []), ...Object.values(doc.games ?? {}).flatMap((g) => g?.audience?.segments ?? [])];
  return [...new Set(found)].sort();
}

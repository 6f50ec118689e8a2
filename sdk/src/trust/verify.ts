// A draw's verification [验证这次抽奖] (docs/verifiable-draws.md): before its day is over, when
// the day's seed will be revealed and its commitment, published already; after, the seed, its
// hash against the published commitment, the number, the ticket, the prize drawn and awarded,
// and the verdict: the server's re-derivation, and the browser's own re-check (recheck.ts).
import type { components, paths } from "../api/lucky-wheel.js";
import { ApiError } from "../errors.js";
import { Game } from "../game.js";
import { h, show, start, trustLink } from "../page/index.js";
import { type DrawRecord, recheck } from "./recheck.js";

type Disclosure = components["schemas"]["Disclosure"];
type Verification = components["schemas"]["Verification"];

const page = start("验证这次抽奖");
const game = page.params.get("game") ?? "lucky-wheel";
const drawId = page.params.get("draw") ?? "";
const api = new Game<paths>(page.client, game);  // any game function verifies any draw of the campaign
const at = { campaign_id: page.campaign };
const REASONS: Record<string, string> = {
  SEED_MISMATCH: "种子与公布的承诺不符", DAY_MISMATCH: "抽奖编号的时间与记录的日期不符",
  NUMBER_MISMATCH: "抽奖数不能由种子和抽奖身份算出", TICKET_MISMATCH: "票号与该配置版本的权重不符",
  PRIZE_MISMATCH: "票号对应的是另一个奖品", AWARD_MISMATCH: "发放的奖品既不是抽中的奖品，也不是有记录原因的兜底",
  CONFIG_MISMATCH: "记录的配置版本没有这个奖池",
};
const FALLBACKS: Record<string, string> = {
  stock: "抽中奖品已发完", budget: "活动预算已用完", cap: "已达该奖品每人上限", reward: "奖品本身的领取限制",
};

const fact = (label: string, value: string | Node, attrs: Record<string, string> = {}): HTMLElement =>
  h("tr", attrs, h("th", {}, label), h("td", {}, value));
const mark = (ok: boolean): HTMLElement => h("span", { class: ok ? "ok" : "bad" }, ok ? " ✓ 一致" : " ✗ 不一致");

async function load(): Promise<void> {
  show("draw-id", drawId);
  (document.getElementById("rules-link") as HTMLAnchorElement).href = trustLink("rules", page.campaign, game);
  const disclosure = await api.get("/campaigns/{campaign_id}/disclosure", at);
  try {
    const verification = await api.get("/campaigns/{campaign_id}/draws/{draw_id}/verification",
                                       { ...at, draw_id: drawId });
    await verified(verification, disclosure);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === "SEED_NOT_REVEALED") notYet(error, disclosure);
    else if (error.code === "DRAW_NOT_FOUND") verdict("找不到这次抽奖", false, "请检查抽奖编号。");
    else throw error;
  }
}

function verdict(text: string, ok: boolean | null, why = ""): void {
  const box = document.getElementById("verdict") as HTMLElement;
  box.textContent = text;
  box.className = `big ${ok === null ? "" : ok ? "ok" : "bad"}`;
  box.dataset.verdict = ok === null ? "pending" : ok ? "pass" : "fail";
  show("why", why);
}

/** Before the draw's day is over: when its seed comes, and its commitment, published already. */
function notYet(error: ApiError, disclosure: Disclosure): void {
  const day = String(error.details.day ?? "");
  const at = String(error.details.revealed_at ?? "").slice(0, 16).replace("T", " ");
  verdict("种子尚未公布", null, `当日种子将于 ${at}（${disclosure.period.timezone}）公布，届时即可验证这次抽奖。`);
  const published = disclosure.commitments.find((c) => c.day === day);
  show("facts", fact("抽奖日期", day),
    fact("当日承诺（已公布）", h("span", { class: "hash", id: "commitment" }, published?.commitment ?? "未找到")));
  (document.getElementById("details") as HTMLElement).hidden = false;
}

async function verified(v: Verification, disclosure: Disclosure): Promise<void> {
  const draw = v.draw as unknown as DrawRecord & Record<string, string | number | null>;
  const day = String(draw.day);
  const published = disclosure.commitments.find((c) => c.day === day)?.commitment ?? null;
  const mine = await recheck(page.campaign, v.seed, v.commitment, published, draw);
  const pool = disclosure.prize_pools.find((p) => p.game === draw.game && p.pool === draw.pool_id);
  const name = (id: unknown): string => pool?.prizes.find((p) => p.id === id)?.name ?? String(id);
  const fallback = draw.fallback_reason ? `（兜底：${FALLBACKS[String(draw.fallback_reason)] ?? draw.fallback_reason}）` : "";
  show("facts",
    fact("抽奖日期", day),
    fact("当日种子", h("span", { class: "hash", id: "seed" }, v.seed)),
    fact("浏览器算出的 SHA-256(种子)", h("span", {}, h("span", { class: "hash", id: "seed-hash" }, mine.seedHash),
      mark(mine.seedMatches && mine.published !== false))),
    fact("当日公布的承诺", h("span", { class: "hash", id: "commitment" }, published ?? "已不在公示列表（只列近一年）")),
    fact("抽奖数（记录）", h("span", { class: "hash", id: "number" }, draw.number)),
    fact("浏览器重算的抽奖数", mine.number === null
      ? h("span", { class: "muted", id: "browser-number" }, "抽奖会员本人登录后可复算（会员号与请求编号只给本人看）")
      : h("span", {}, h("span", { class: "hash", id: "browser-number" }, mine.number), mark(mine.numberMatches === true))),
    fact("票号", String(draw.ticket), { id: "ticket" }),
    fact("抽中的奖品", name(draw.drawn), { id: "drawn" }),
    fact("发放的奖品", `${name(draw.awarded)}${fallback}`, { id: "awarded" }),
    fact("配置版本", `第 ${draw.config_version} 版${draw.tier ? `，${draw.tier} 等级概率` : ""}`));
  (document.getElementById("details") as HTMLElement).hidden = false;
  (document.getElementById("how") as HTMLElement).hidden = false;
  const problems = v.reasons.map((r) => REASONS[r.code] ?? r.code);
  if (!mine.seedMatches) problems.push("浏览器算出的种子哈希与承诺不符");
  if (mine.published === false) problems.push("种子的承诺不是当日公布的承诺");
  if (mine.numberMatches === false) problems.push("浏览器重算的抽奖数与记录不符");
  const ok = v.matches && problems.length === 0;
  verdict(ok ? "验证通过" : "验证失败", ok, ok ? "种子与事先公布的承诺一致，抽奖结果可由种子和抽奖编号重新算出。"
    : problems.join("；"));
}

void page.attempt(load);

import { Client } from "../client.js";
import { games, type Games } from "../games.js";
import { memberOf, playerToken } from "../token.js";
import { h, toast } from "./dom.js";
import { messageOf } from "./messages.js";
import { STYLE } from "./style.js";

/** What a game's page starts from. */
export interface PageContext {
  api: Games;
  client: Client;
  /** `?campaign=`, the demo campaign unless given. */
  campaign: string;
  /** The member the token names, or null when nobody is signed in. */
  member: string | null;
  params: URLSearchParams;
  /** Run `work`, telling the player in Chinese when it fails (`messages` by error code, for
   *  what this action means by it); true when it succeeded. */
  attempt: (work: () => Promise<unknown>, messages?: Record<string, string>) => Promise<boolean>;
}

/** Set up `game`'s page: the style, the client on this origin, the player's token, a link to
 *  the campaign's rules and disclosure, and (for a signed-in member) the visit the campaign's
 *  report counts. */
export function boot(title: string, game: keyof Games): PageContext {
  const page = start(title);
  const name = page.api[game].name;
  document.body.append(h("footer", {}, h("a", { id: "rules-link", href: trustLink("rules", page.campaign, name) },
    "活动规则与公示")));
  if (page.member) void page.api[game].visit(page.campaign).catch(() => undefined);  // a beacon: never in the way
  return page;
}

/** Set up a page of the campaign that is no game's own (its rules, a draw's verification):
 *  the style, the client on this origin, the player's token if any; no visit is counted. */
export function start(title: string): PageContext {
  document.title = title;
  document.head.append(h("style", {}, STYLE));
  const client = new Client({ baseUrl: location.origin, token: () => playerToken(localStorage, location.hash),
                              language: "zh-CN" });
  const params = new URLSearchParams(location.search);
  const member = memberOf(client.token());
  document.body.prepend(h("header", {}, h("a", { href: "/" }, "‹ 活动首页"), h("h1", {}, title),
    h("span", { class: "who" }, member ? `会员 ${member}` : "未登录")));
  const attempt = async (work: () => Promise<unknown>, messages?: Record<string, string>): Promise<boolean> => {
    try {
      await work();
      return true;
    } catch (error) {
      toast(messageOf(error, messages));
      return false;
    }
  };
  const campaign = params.get("campaign") ?? "demo";
  return { api: games(client), client, campaign, member, params, attempt };
}

/** The address of the campaign's rules page or of a draw's verification page, beside the game
 *  pages (each game's page folder holds both: `rules.html`, `verify.html`), asking `game`'s
 *  function (any game function answers both). */
export function trustLink(page: "rules" | "verify", campaign: string, game: string, draw?: string): string {
  const query = new URLSearchParams({ campaign, game, ...(draw ? { draw } : {}) });
  return `${page}.html?${query.toString()}`;
}

/** A money text in yuan ("50.00") as the page shows it. */
export const yuan = (value: string | number): string => `¥${value}`;

/** An instant as the campaign's wall time, "12-05 10:00". */
export function when(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, month: "2-digit", day: "2-digit", hour: "2-digit",
                                                    minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("month")}-${part("day")} ${part("hour")}:${part("minute")}`;
}

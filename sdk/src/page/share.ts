import type { PageContext } from "./boot.js";
import { h } from "./dom.js";

/** Show the share link of `params` in `#link` (`#share-link`, for friends to open). */
export function showShareLink(campaign: string, params: Record<string, string>): void {
  const link = shareLink(campaign, params);
  const target = document.getElementById("link");
  target?.replaceChildren("分享链接：", h("a", { id: "share-link", href: link }, link));
}

/** This page's address with `params` (and the campaign): a link to share with friends. */
export function shareLink(campaign: string, params: Record<string, string>): string {
  const query = new URLSearchParams({ campaign, ...params });
  return `${location.origin}${location.pathname}?${query}`;
}

/**
 * The sharing games' one flow (an assist task, a red packet): `create` makes what the player
 * shares and answers the link's parameters (`{ task: id }`); its link then shows in `#link`,
 * and the page reloads with `reload` whether or not the creation succeeded (a refusal is told
 * by `page.attempt`). Answers whether it was created.
 */
export async function createAndShare(
  page: PageContext, create: () => Promise<Record<string, string>>, reload: () => Promise<void>,
): Promise<boolean> {
  const created = await page.attempt(async () => showShareLink(page.campaign, await create()));
  await page.attempt(reload);
  return created;
}

/** A player's token kept in the page's storage, so every game page of a campaign shares it. */
export const TOKEN_KEY = "mgames.token";

/** What a page keeps the token in (`localStorage` in a browser). */
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The token from the page address (`#token=...`, which never reaches a server log) when there
 * is one, stored for the next pages; else the stored one; else null. */
export function playerToken(storage: TokenStorage, hash: string = ""): string | null {
  const fromHash = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  if (fromHash) storage.setItem(TOKEN_KEY, fromHash);
  return fromHash ?? storage.getItem(TOKEN_KEY);
}

/** Keep `token` for the next pages, or forget it with null. */
export function saveToken(storage: TokenStorage, token: string | null): void {
  if (token === null) storage.removeItem(TOKEN_KEY);
  else storage.setItem(TOKEN_KEY, token);
}

/** The member id a token names (its `sub`), read without checking it: for display only. */
export function memberOf(token: string | null): string | null {
  const part = token?.split(".")[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === "string" ? sub : null;
  } catch {
    return null;
  }
}

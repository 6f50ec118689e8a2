/** A draw re-checked in the player's own browser (docs/verifiable-draws.md), with Web Crypto
 *  only, so the verification page does not merely repeat the server's verdict: the revealed
 *  seed must hash to the day's published commitment, and the draw's number must be
 *  HMAC-SHA256(seed, its identity). The ticket and the prize need the config's weights, which
 *  pages never receive: those the server's verdict (and an auditor with the file) answer. */

/** What a verification answers of the draw's record that the browser re-checks; `key` is
 *  null (and `member_id` masked) unless the draw's own member asked with his token. */
export interface DrawRecord {
  member_id: string;
  key: string | null;
  draw_id: string;
  number: string;
}

/** What the browser found. */
export interface Recheck {
  /** SHA-256 of the seed, hex, as computed here. */
  seedHash: string;
  /** `seedHash` is the commitment the verification answered. */
  seedMatches: boolean;
  /** The commitment the verification answered is the one published for that day; null when
   *  the day is no longer listed (the published list keeps the last year and the days ahead). */
  published: boolean | null;
  /** The number as computed here from the seed and the draw's identity; null when the
   *  identity was not shown (only the draw's member sees his member id and key). */
  number: string | null;
  numberMatches: boolean | null;
}

const hex = (bytes: ArrayBuffer): string =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");

const bytesOf = (text: string): Uint8Array<ArrayBuffer> => {
  const pairs = text.match(/../g) ?? [];
  const bytes = new Uint8Array(new ArrayBuffer(pairs.length));
  pairs.forEach((pair, i) => { bytes[i] = parseInt(pair, 16); });
  return bytes;
};

/** The draw's identity exactly as the server hashes it: Python's `json.dumps([campaign, member,
 *  key, draw id], separators=(",", ":"))`, which also escapes DEL and every non-ASCII UTF-16 unit. */
export function identity(campaign: string, member: string, key: string, drawId: string): string {
  return JSON.stringify([campaign, member, key, drawId])
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** SHA-256 of the bytes `seedHex` spells, hex. */
export async function sha256Hex(seedHex: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", bytesOf(seedHex)));
}

/** HMAC-SHA256 keyed by the bytes `seedHex` spells, of `message` in UTF-8, hex. */
export async function hmacHex(seedHex: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", bytesOf(seedHex), { name: "HMAC", hash: "SHA-256" },
                                            false, ["sign"]);
  return hex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message)));
}

/** Re-check a revealed draw of `campaign`: its `seed`, the `commitment` the verification
 *  answered, the day's commitment as `published` (null when unknown), and its record (the
 *  number only when the record shows its member id and key). */
export async function recheck(campaign: string, seed: string, commitment: string, published: string | null,
                              draw: DrawRecord): Promise<Recheck> {
  const seedHash = await sha256Hex(seed);
  const number = draw.key === null ? null
    : await hmacHex(seed, identity(campaign, draw.member_id, draw.key, draw.draw_id));
  return { seedHash, seedMatches: seedHash === commitment,
           published: published === null ? null : published === commitment,
           number, numberMatches: number === null ? null : number === draw.number };
}

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { allItems, Client, games, memberOf, playerToken, retryAfterSeconds, saveToken } from "../src/index.js";

describe("pagination", () => {
  it("follows next_cursor with ?cursor= and ?limit= until the last page", async () => {
    const urls: string[] = [];
    const pages = [{ draws: [1, 2], next_cursor: "c1" }, { draws: [3], next_cursor: null }];
    const fetcher = (async (input: RequestInfo | URL) => {
      urls.push(String(input));
      return new Response(JSON.stringify(pages.shift()), { status: 200 });
    }) as typeof fetch;
    const wheel = games(new Client({ baseUrl: "http://g", fetch: fetcher })).luckyWheel;
    const seen = [];
    for await (const draw of allItems((options) =>
      wheel.page("/campaigns/{campaign_id}/draws", { campaign_id: "demo" }, "draws", options), 2)) {
      seen.push(draw);
    }
    assert.deepEqual(seen, [1, 2, 3]);
    assert.deepEqual(urls, ["http://g/lucky-wheel/campaigns/demo/draws?limit=2",
                            "http://g/lucky-wheel/campaigns/demo/draws?cursor=c1&limit=2"]);
  });

  it("reads a list without next_cursor (main's lists today) as one page", async () => {
    const fetcher = (async () => new Response(JSON.stringify({ draws: [1] }))) as unknown as typeof fetch;
    const wheel = games(new Client({ baseUrl: "http://g", fetch: fetcher })).luckyWheel;
    const page = await wheel.page("/campaigns/{campaign_id}/draws", { campaign_id: "demo" }, "draws");
    assert.deepEqual(page, { items: [1], nextCursor: null });
  });
});

describe("tokens", () => {
  const storage = () => {
    const kept = new Map<string, string>();
    return { getItem: (k: string) => kept.get(k) ?? null, setItem: (k: string, v: string) => { kept.set(k, v); },
             removeItem: (k: string) => { kept.delete(k); } };
  };

  it("takes a token from #token=, keeps it for the next pages, and forgets it", () => {
    const kept = storage();
    assert.equal(playerToken(kept, ""), null);
    assert.equal(playerToken(kept, "#token=t1&x=1"), "t1");
    assert.equal(playerToken(kept, ""), "t1");
    saveToken(kept, null);
    assert.equal(playerToken(kept), null);
  });

  it("reads the member a token names, for display", () => {
    const payload = Buffer.from(JSON.stringify({ sub: "alice" })).toString("base64url");
    assert.equal(memberOf(`h.${payload}.s`), "alice");
    assert.equal(memberOf("not-a-token"), null);
  });
});

describe("Retry-After", () => {
  it("reads seconds and HTTP dates", () => {
    assert.equal(retryAfterSeconds("3"), 3);
    assert.equal(retryAfterSeconds(new Date(10_000).toUTCString(), 4_000), 6);
    assert.equal(retryAfterSeconds(null), null);
    assert.equal(retryAfterSeconds("soon"), null);
  });
});

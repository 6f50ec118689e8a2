import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { ApiError, Client, games, NETWORK_ERROR } from "../src/index.js";

interface Sent { url: string; method: string; headers: Record<string, string>; body?: string }

/** A fetch answering `answers` in turn and keeping what was sent. */
function fakeFetch(answers: (Response | Error)[]): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const fetcher = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    sent.push({ url: String(input), method: init?.method ?? "GET",
                headers: init?.headers as Record<string, string>, body: init?.body as string });
    const answer = answers.shift();
    if (answer === undefined) throw new Error("no more answers");
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { fetch: fetcher as typeof fetch, sent };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}

const failure = (status: number, code: string, headers: Record<string, string> = {}) =>
  json(status, { error: { code, message: `${code} happened` } }, headers);

function client(answers: (Response | Error)[], waits: number[] = []) {
  const fake = fakeFetch(answers);
  let n = 0;
  const made = new Client({
    baseUrl: "http://games.test/", token: "tok-1", fetch: fake.fetch,
    sleep: async (ms) => { waits.push(ms); }, newKey: () => `key-${++n}`,
  });
  return { client: made, sent: fake.sent };
}

describe("Client", () => {
  it("sends the token and a new idempotency key per action, under one base URL", async () => {
    const { client: c, sent } = client([json(201, { draw_id: "d1" }), json(201, { draw_id: "d2" })]);
    const wheel = games(c).luckyWheel;
    const first = await wheel.act("/campaigns/{campaign_id}/draws", { campaign_id: "demo" });
    await wheel.act("/campaigns/{campaign_id}/draws", { campaign_id: "demo" });
    assert.equal(first.draw_id, "d1");
    assert.equal(sent[0].url, "http://games.test/lucky-wheel/campaigns/demo/draws");
    assert.equal(sent[0].method, "POST");
    assert.equal(sent[0].headers.Authorization, "Bearer tok-1");
    assert.deepEqual([sent[0].headers["Idempotency-Key"], sent[1].headers["Idempotency-Key"]],
                     ["key-1", "key-2"]);
  });

  it("retries with the same key after Retry-After on 409 CONFLICT, 429 and 503", async () => {
    const waits: number[] = [];
    const { client: c, sent } = client([
      failure(409, "CONFLICT", { "Retry-After": "1" }), failure(429, "RATE_LIMITED", { "Retry-After": "2" }),
      failure(503, "SERVICE_UNAVAILABLE"), json(201, { ok: true }),
    ], waits);
    assert.deepEqual(await c.action("check-in", "/campaigns/demo/check-ins"), { ok: true });
    assert.deepEqual(sent.map((s) => s.headers["Idempotency-Key"]), ["key-1", "key-1", "key-1", "key-1"]);
    assert.deepEqual(waits, [1000, 2000, 1200]);
  });

  it("gives up after its attempts with the last typed error", async () => {
    const { client: c, sent } = client(Array.from({ length: 4 }, () => failure(503, "SERVICE_UNAVAILABLE")));
    await assert.rejects(c.action("booking", "/campaigns/demo/bookings", { item_id: "x" }),
      (error: ApiError) => error.code === "SERVICE_UNAVAILABLE" && error.status === 503);
    assert.equal(sent.length, 4);
  });

  it("never retries an error that would answer the same: it throws the stable code at once", async () => {
    const { client: c, sent } = client([failure(409, "SOLD_OUT")]);
    await assert.rejects(c.action("lucky-wheel", "/campaigns/demo/draws"),
      (error: unknown) => error instanceof ApiError && error.code === "SOLD_OUT"
        && error.message === "SOLD_OUT happened" && error.retryAfter === null);
    assert.equal(sent.length, 1);
  });

  it("retries a lost answer, and names a network failure NETWORK_ERROR", async () => {
    const { client: c, sent } = client([new TypeError("fetch failed"), json(201, { ok: 1 })]);
    assert.deepEqual(await c.action("assist", "/campaigns/demo/tasks"), { ok: 1 });
    assert.equal(sent[0].headers["Idempotency-Key"], sent[1].headers["Idempotency-Key"]);
    const { client: down } = client(Array.from({ length: 4 }, () => new TypeError("fetch failed")));
    await assert.rejects(down.request("GET", "assist", "/campaigns/demo"),
      (error: ApiError) => error.code === NETWORK_ERROR && error.status === 0);
  });

  it("does not retry a POST without an idempotency key", async () => {
    const { client: c, sent } = client([failure(503, "SERVICE_UNAVAILABLE")]);
    await assert.rejects(c.request("POST", "red-packet", "/campaigns/demo/orders", { body: {} }));
    assert.equal(sent.length, 1);
  });

  it("sends a JSON body and a token asked for at each request", async () => {
    const fake = fakeFetch([json(201, {}), json(200, {})]);
    let token: string | null = "a";
    const c = new Client({ baseUrl: "http://g", token: () => token, fetch: fake.fetch, newKey: () => "k" });
    await games(c).booking.act("/campaigns/{campaign_id}/bookings", { campaign_id: "demo" },
      { day: "2026-12-04", store_id: "s1" });
    token = null;
    await c.request("GET", "booking", "/campaigns/demo");
    assert.equal(fake.sent[0].body, JSON.stringify({ day: "2026-12-04", store_id: "s1" }));
    assert.equal(fake.sent[0].headers["Content-Type"], "application/json");
    assert.equal(fake.sent[1].headers.Authorization, undefined);
  });

  it("reads an error that is not the envelope as HTTP_<status>", async () => {
    const { client: c } = client([new Response("<html>", { status: 502 })]);
    await assert.rejects(c.request("POST", "booking", "/x"), (error: ApiError) => error.code === "HTTP_502");
  });
});

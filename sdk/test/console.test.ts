import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { chartConfig, points, yuanTick } from "../src/console/charts.js";
import { lineDiff, parseConfig, placeProblems, toYaml } from "../src/console/config.js";
import { commitmentSummary, type Delivery, deliveryWhen, type DisclosedPool, memberIds, namedSegments,
  prizeRows, queuedMessage, replayable } from "../src/console/labels.js";
import { ApiError, Client } from "../src/index.js";

const YAML = `id: demo
timezone: Mars/Olympus
games:
  lucky-wheel:
    prizes:
      - id: grand
        cost: abc
      - id: coffee
        weight: 3
`;

describe("the config editor", () => {
  it("places each problem at the line of its field, or of the deepest part the YAML has", () => {
    const placed = placeProblems(YAML, [
      { field: "timezone", message: "unknown time zone" },
      { field: "games.lucky-wheel.prizes.0.cost", message: "not a number" },
      { field: "games.lucky-wheel.prizes.1.stock", message: "Field required" },
      { field: "budget", message: "Field required" },
      { field: "", message: "shard count cannot change" },
    ]);
    assert.deepEqual(placed.map((p) => p.line), [2, 7, 8, null, null]);
    assert.equal(placed[1].message, "not a number");
  });

  it("turns YAML into the config the console takes, and a syntax error into a problem at its line", () => {
    assert.deepEqual(parseConfig("id: demo\nbudget: 8000.00\n"), { config: { id: "demo", budget: 8000 }, problems: [] });
    const broken = parseConfig("id: demo\ngames: [unclosed\n");
    assert.equal(broken.config, null);
    assert.equal(broken.problems.length > 0 && broken.problems[0].line !== null, true);
    assert.match(broken.problems[0].message, /^YAML：/);
  });

  it("diffs two versions line by line, numbering each side", () => {
    const older = toYaml({ id: "demo", name: "A", budget: 100 });
    const newer = toYaml({ id: "demo", name: "B", budget: 100 });
    assert.deepEqual(lineDiff(older, newer), [
      { kind: "same", text: "id: demo", old: 1, new: 1 },
      { kind: "del", text: "name: A", old: 2, new: null },
      { kind: "add", text: "name: B", old: null, new: 2 },
      { kind: "same", text: "budget: 100", old: 3, new: 3 },
    ]);
  });
});

describe("the report's charts", () => {
  it("puts money on its own axis beside counts", () => {
    const spec = { labels: ["11-23", "11-24"], series: [
      { name: "参与次数", values: [5, 6], axis: "count" as const, style: "bar" as const },
      { name: "成本", values: [2.5, null], axis: "money" as const, style: "line" as const }] };
    const config = chartConfig(spec);
    const datasets = config.data.datasets as { yAxisID: string; type: string; data: unknown[] }[];
    assert.deepEqual(datasets.map((d) => [d.type, d.yAxisID]), [["bar", "y"], ["line", "money"]]);
    assert.ok(config.options?.scales && "money" in config.options.scales);
    assert.equal(points(spec), 3);
    assert.equal(yuanTick(1234.5), "¥1,234.5");
  });

  it("draws a horizontal bar or a doughnut when the spec says so", () => {
    const series = [{ name: "人数", values: [9, 3], axis: "count" as const, style: "bar" as const }];
    assert.equal(chartConfig({ labels: ["a", "b"], series, horizontal: true }).options?.indexAxis, "y");
    assert.equal(chartConfig({ labels: ["a", "b"], series, doughnut: true }).type, "doughnut");
  });
});

describe("the webhook and disclosure screens", () => {
  const delivery = (state: Delivery["state"]): Delivery => ({ id: "msg_1", endpoint: "crm", event: "game.switched",
    state, attempts: 12, next_attempt_at: state === "pending" ? 1_800_000_000 : null,
    created_at: "2026-12-01T00:00:00+00:00", finished_at: state === "pending" ? null : "2026-12-02T00:00:00+00:00",
    last_error: null });

  it("shows a pending delivery's next attempt, a finished one's end, and replays only finished ones", () => {
    assert.equal(deliveryWhen(delivery("pending"), (iso) => iso), "下次尝试 2027-01-15T08:00:00.000Z");
    assert.equal(deliveryWhen(delivery("dead"), (iso) => iso), "完成于 2026-12-02T00:00:00+00:00");
    assert.deepEqual((["pending", "delivered", "dead"] as const).map((s) => replayable(delivery(s))), [false, true, true]);
    assert.match(queuedMessage(3), /已重新排队 3 条投递/);
    assert.equal(queuedMessage(0), "没有需要重新投递的投递");
  });

  it("tables a drawn pool's odds with a column per tier, a listed pool without odds", () => {
    const prize = { value: "899.00", quantity: 1, per_member_cap: 1, fallback: false };
    const wheel: DisclosedPool = { game: "lucky-wheel", enabled: true, pool: "prizes", how: "drawn",
      odds_percent_by_tier: { gold: { grand: "2.00", thanks: "98.00" } }, prizes: [
        { ...prize, id: "grand", name: "Espresso machine", odds_percent: "1.00" },
        { ...prize, id: "thanks", name: "Thanks", quantity: null, per_member_cap: null, odds_percent: "99.00", fallback: true }] };
    const table = prizeRows(wheel);
    assert.deepEqual(table.header.slice(-2), ["中奖概率", "gold 等级概率"]);
    assert.deepEqual(table.rows, [["grand", "Espresso machine", "899.00", "1", "1", "1.00%", "2.00%"],
      ["thanks（兜底）", "Thanks", "899.00", "不限", "不限", "99.00%", "98.00%"]]);
    const listed = prizeRows({ ...wheel, odds_percent_by_tier: {}, prizes: [{ ...wheel.prizes[0], odds_percent: null }] });
    assert.equal(listed.header.length, 5);
    assert.deepEqual(listed.rows, [["grand", "Espresso machine", "899.00", "1", "1"]]);
  });

  it("sums up the day commitments: how many days, how many seeds revealed", () => {
    const day = (d: string, seed: string | null) => ({ day: d, commitment: "c", seed });
    assert.equal(commitmentSummary([day("2026-12-03", "aa"), day("2026-12-04", null)]),
      "共 2 天（2026-12-03 至 2026-12-04）：已公布种子 1 天，最近一天 2026-12-03；其余的种子在当天结束后公布");
    assert.equal(commitmentSummary([]), "还没有公布的承诺");
  });
});

describe("the console's client", () => {
  it("calls paths of the base URL itself, reads an HTML answer and an error's problems", async () => {
    const urls: string[] = [];
    const answers = [new Response("<html></html>", { status: 200 }),
      new Response(JSON.stringify({ error: { code: "CONFIG_INVALID", message: "活动配置无效",
        problems: [{ field: "timezone", message: "unknown" }] } }), { status: 422 })];
    const fetcher = (async (input: RequestInfo | URL) => {
      urls.push(String(input));
      return answers.shift() as Response;
    }) as typeof fetch;
    const client = new Client({ baseUrl: "http://console.test/prod/", fetch: fetcher });
    assert.equal(await client.request("GET", "", "/campaigns/demo/report.html", { answer: "text" }), "<html></html>");
    await assert.rejects(client.request("POST", "", "/campaigns/validate", { body: {} }), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.deepEqual(error.problems, [{ field: "timezone", message: "unknown" }]);
      return true;
    });
    assert.deepEqual(urls, ["http://console.test/prod/campaigns/demo/report.html",
                            "http://console.test/prod/campaigns/validate"]);
  });
});

describe("the member-list upload", () => {
  it("reads a file's member ids as mgames segment does: first column, header and blanks skipped, once each", () => {
    assert.deepEqual(memberIds("member_id,name\r\nann,Ann\n\n ben \nann,again\ncid"), ["ann", "ben", "cid"]);
    assert.deepEqual(memberIds("member_id\n"), []);
  });

  it("names the segments the campaign's and its games' audiences name, once each", () => {
    const config = { audience: { segments: ["vip"] }, games: { "lucky-wheel": { audience: { segments: ["staff", "vip"] } },
      "check-in": {} } };
    assert.deepEqual(namedSegments(config), ["staff", "vip"]);
    assert.deepEqual(namedSegments({ games: {} }), []);
  });
});

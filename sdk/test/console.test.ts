import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { chartConfig, points, yuanTick } from "../src/console/charts.js";
import { lineDiff, parseConfig, placeProblems, toYaml } from "../src/console/config.js";
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

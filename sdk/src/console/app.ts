// The marketers' web console, served by the console itself (GET /, plugins/console/site.py):
// sign in with a marketer's credential, the campaigns, each game's switch, the report, the
// config editor (each problem next to its field), the versions with a diff, the webhook
// deliveries (webhooks.ts) and the public disclosure (disclosure.ts).
import { ApiError } from "../errors.js";
import { h, show, toast } from "../page/dom.js";
import { memberOf } from "../token.js";
import { lineDiff, parseConfig, type Placed, placeProblems, toYaml } from "./config.js";
import { disclosureTab } from "./disclosure.js";
import { at, attempt, byId, type Campaign, client, get, say, type Stored, time, TOKEN, type Version } from "./session.js";
import { LINE, PAD, STYLE } from "./style.js";
import { webhooksTab } from "./webhooks.js";

const TABS = [["report", "报表"], ["config", "配置"], ["versions", "版本"], ["webhooks", "Webhook 投递"],
  ["disclosure", "公示"]] as const;
type Tab = (typeof TABS)[number][0];
const settings = JSON.parse(document.getElementById("console-settings")?.textContent ?? "{}") as
  { localTokenUrl?: string };
let campaigns: Campaign[] = [];
let selected: Campaign | null = null;
let panes = 0;

function signInView(message = ""): void {
  show("app", h("section", { id: "login", class: "login" },
    h("h2", {}, "营销活动控制台 · 登录"),
    h("p", { class: "muted" }, "粘贴营销人员的控制台凭证（Bearer 令牌）。本地签发：mgames token mia --role marketer --campaign demo"),
    h("textarea", { id: "token", rows: 4, placeholder: "凭证" }),
    h("div", {}, h("button", { id: "sign-in", onclick: () => signIn(byId<HTMLTextAreaElement>("token").value) }, "登录")),
    settings.localTokenUrl ? h("div", { id: "local-login" },
      h("input", { id: "local-name", value: "mia", "aria-label": "营销人员" }),
      h("button", { id: "local-token", class: "ghost", onclick: localToken }, "本地签发营销凭证并登录")) : null,
    h("p", { id: "login-error", class: "error" }, message)));
}

async function localToken(): Promise<void> {
  const answer = await fetch(settings.localTokenUrl ?? "", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ operator: byId<HTMLInputElement>("local-name").value, role: "marketer" }) });
  await signIn(((await answer.json()) as { token: string }).token);
}

async function signIn(token: string): Promise<void> {
  localStorage.setItem(TOKEN, token.trim());
  try {
    campaigns = (await get<{ campaigns: Campaign[] }>("/campaigns")).campaigns;
  } catch (error) {
    localStorage.removeItem(TOKEN);
    signInView(say(error));
    return;
  }
  mainView();
}

function mainView(): void {
  document.body.replaceChildren(h("header", {}, h("h1", {}, "营销活动控制台"),
    h("span", { id: "who" }, `${memberOf(localStorage.getItem(TOKEN)) ?? ""}（营销人员）`),
    h("button", { id: "sign-out", class: "ghost small", onclick: () => { localStorage.removeItem(TOKEN); location.reload(); } },
      "退出")),
  h("div", { class: "layout" }, h("aside", {}, h("h2", {}, "活动列表"), h("ul", { id: "campaigns" })),
    h("main", { id: "detail" })));
  const wanted = new URLSearchParams(location.hash.slice(1));
  const first = campaigns.find((c) => c.campaign_id === wanted.get("campaign")) ?? campaigns[0];
  listCampaigns();
  if (first) select(first, (wanted.get("tab") as Tab | null) ?? "report");
  else show("detail", h("p", { class: "muted" }, "这个凭证没有可管理的活动"));
}

function listCampaigns(): void {
  show("campaigns", ...campaigns.map((c) => h("li", { class: c === selected ? "active" : "", "data-campaign": c.campaign_id,
    onclick: () => select(c, "report") }, h("b", {}, c.name),
    h("span", { class: "muted" }, `${c.campaign_id} · v${c.version} · ${Object.values(c.games).filter(Boolean).length}/`
      + `${Object.keys(c.games).length} 个玩法开启`))));
}

function select(campaign: Campaign, tab: Tab): void {
  selected = campaign;
  listCampaigns();
  show("detail", h("h2", {}, campaign.name, " ", h("span", { id: "current", class: "muted" },
    `${campaign.campaign_id} · 当前版本 v${campaign.version}`)),
  h("section", { id: "switches" }, h("h3", {}, "玩法开关"), h("ul", { class: "switches" },
    ...Object.entries(campaign.games).map(([game, on]) => h("li", { "data-game": game }, h("span", {}, game),
      h("label", { class: "switch" }, h("input", { type: "checkbox", role: "switch", checked: on,
        onchange: (event: Event) => flip(campaign, game, event.target as HTMLInputElement) }),
      h("span", { class: on ? "state" : "state off" }, on ? "已开启" : "已关闭")))))),
  h("nav", { class: "tabs" }, ...TABS.map(([key, label]) => h("button", { class: "tab", "data-tab": key,
    onclick: () => open(campaign, key) }, label))),
  h("section", { id: "tab" }));
  void open(campaign, tab);
}

async function flip(campaign: Campaign, game: string, input: HTMLInputElement): Promise<void> {
  const on = input.checked;
  input.disabled = true;
  try {
    const done = await client.action<{ version: number; effective_within_seconds: number }>(
      "", at(campaign, `/games/${encodeURIComponent(game)}/${on ? "enable" : "disable"}`));
    campaign.games[game] = on;
    campaign.version = done.version;
    const state = input.nextElementSibling as HTMLElement;
    state.textContent = on ? "已开启" : "已关闭";
    state.className = on ? "state" : "state off";
    byId("current").textContent = `${campaign.campaign_id} · 当前版本 v${done.version}`;
    listCampaigns();
    toast(`${game} 已${on ? "开启" : "关闭"}：版本 v${done.version}，${done.effective_within_seconds} 秒内生效`);
  } catch (error) {
    input.checked = !on;
    toast(say(error));
  } finally {
    input.disabled = false;
  }
}

async function open(campaign: Campaign, tab: Tab): Promise<void> {
  history.replaceState(null, "", `#campaign=${encodeURIComponent(campaign.campaign_id)}&tab=${tab}`);
  for (const button of document.querySelectorAll<HTMLElement>(".tab")) {
    button.classList.toggle("active", button.dataset.tab === tab);
  }
  // Each opening renders into a pane of its own: a tab left before its answers came (a slow
  // report, say) finds its pane gone and shows nothing, rather than over the tab now open.
  const pane = `pane-${++panes}`;
  show("tab", h("div", { id: pane }, h("p", { class: "muted" }, "加载中…")));
  try {
    await ({ report: reportTab, config: configTab, versions: versionsTab, webhooks: webhooksTab,
      disclosure: disclosureTab })[tab](campaign, pane);
  } catch (error) {
    if (document.getElementById(pane)) toast(say(error));
  }
}

async function reportTab(campaign: Campaign, pane: string): Promise<void> {
  const html = await client.request<string>("GET", "", at(campaign, "/report.html"), { answer: "text" });
  const frame = h("iframe", { id: "report", title: "活动报表" });
  frame.addEventListener("load", () => {
    frame.style.height = `${frame.contentDocument?.documentElement.scrollHeight ?? 800}px`;
  });
  const file = URL.createObjectURL(new Blob([html], { type: "text/html" }));
  show(pane, h("div", { class: "bar" }, h("button", { id: "refresh-report", class: "small", onclick: () => open(campaign, "report") },
    "刷新"), h("a", { href: file, download: `report-${campaign.campaign_id}.html` }, "下载报表（HTML）")), frame);
  frame.srcdoc = html;
}

/** The latest versions (the API's first page, newest first), oldest to newest. */
async function latest(campaign: Campaign): Promise<Version[]> {
  return (await get<{ versions: Version[] }>(at(campaign, "/versions"))).versions.reverse();
}

async function configTab(campaign: Campaign, pane: string): Promise<void> {
  const versions = await latest(campaign);
  const newest = versions[versions.length - 1];
  const stored = await get<Stored>(at(campaign, `/versions/${newest.version}`));
  const area = h("textarea", { id: "yaml", wrap: "off", spellcheck: "false", "aria-label": "活动配置 YAML" });
  show(pane, h("div", { class: "bar" }, h("button", { id: "validate", onclick: () => check(campaign, false) }, "校验"),
    h("button", { id: "apply", onclick: () => check(campaign, true) }, "应用为新版本"),
    h("span", { id: "config-state", class: "muted" }, `编辑自 v${newest.version}（校验在服务端进行）`)),
  h("div", { id: "summary" }),
  h("div", { class: "editor" }, h("pre", { class: "gutter", id: "gutter" }), h("div", { class: "code" },
    h("div", { id: "marks" }), area), h("div", { class: "notes", id: "notes" })));
  area.value = toYaml(stored.config);
  area.addEventListener("input", fit);
  fit();
}

/** The editor as tall as its text (no inner scroll), so a note sits beside its line. */
function fit(): void {
  const area = byId<HTMLTextAreaElement>("yaml");
  const count = area.value.split("\n").length;
  area.style.height = `${count * LINE + 2 * PAD + 18}px`;
  byId("gutter").textContent = Array.from({ length: count }, (_, i) => i + 1).join("\n");
}

async function check(campaign: Campaign, apply: boolean): Promise<void> {
  const text = byId<HTMLTextAreaElement>("yaml").value;
  const parsed = parseConfig(text);
  if (parsed.problems.length) {
    problems(parsed.problems);
    return;
  }
  try {
    if (apply) {
      const done = await client.action<{ version: number }>("", "/campaigns", parsed.config);
      campaigns = (await get<{ campaigns: Campaign[] }>("/campaigns")).campaigns;
      selected = campaigns.find((c) => c.campaign_id === campaign.campaign_id) ?? selected;
      listCampaigns();
      byId("config-state").textContent = `已应用为 v${done.version}`;
      toast(`已应用为新版本 v${done.version}`);
    } else {
      await client.request("POST", "", "/campaigns/validate", { body: parsed.config });
      byId("config-state").textContent = "校验通过";
    }
    problems([]);
  } catch (error) {
    if (!(error instanceof ApiError) || error.problems.length === 0) throw error;
    byId("config-state").textContent = apply ? "未应用：配置有问题" : "校验未通过";
    problems(placeProblems(text, error.problems));
  }
}

/** Each problem beside its field's line (marked), the rest listed above the editor. */
function problems(placed: Placed[]): void {
  const lines = new Map<number, Placed[]>();
  for (const p of placed) if (p.line !== null) lines.set(p.line, [...(lines.get(p.line) ?? []), p]);
  const top = (line: number) => `top: ${1 + PAD + (line - 1) * LINE}px`;
  const label = (p: Placed) => `${p.field.split(".").pop()}：${p.message}`;
  show("marks", ...[...lines.keys()].map((line) => h("div", { class: "mark", style: top(line) })));
  show("notes", ...[...lines].map(([line, found]) => h("div", { class: "problem", "data-line": line,
    "data-field": found.map((p) => p.field).join(" "), style: top(line), title: found.map(label).join("；") },
  found.map(label).join("；"))));
  const loose = placed.filter((p) => p.line === null);
  show("summary", placed.length ? h("div", { class: "problems" }, h("b", {}, `发现 ${placed.length} 个问题，已标在对应字段旁`),
    h("ul", {}, ...loose.map((p) => h("li", { class: "loose", "data-field": p.field },
      p.field ? `${p.field}：${p.message}` : p.message)))) : null);
}

async function versionsTab(campaign: Campaign, pane: string): Promise<void> {
  const versions = await latest(campaign);
  const newest = versions[versions.length - 1].version;
  const choice = (id: string, chosen: number) => h("select", { id }, ...versions.map((v) =>
    h("option", { value: v.version, selected: v.version === chosen }, `v${v.version}`)));
  show(pane, h("table", { class: "versions" }, h("tr", {}, ...["版本", "应用时间", "操作人", "开启的玩法"].map((t) => h("th", {}, t))),
    ...[...versions].reverse().map((v) => h("tr", {}, h("td", {}, `v${v.version}`), h("td", {}, time(v.applied_at)),
      h("td", {}, v.applied_by ?? "—"), h("td", {}, Object.keys(v.games).filter((g) => v.games[g]).join("、") || "—")))),
  h("div", { class: "bar" }, "对比", choice("older", Math.max(1, newest - 1)), "→", choice("newer", newest),
    h("button", { id: "compare", class: "small", onclick: () => attempt(() => compare(campaign)) }, "对比")),
  h("div", { id: "diff" }));
  if (versions.length > 1) await compare(campaign);
}

async function compare(campaign: Campaign): Promise<void> {
  const [older, newer] = ["older", "newer"].map((id) => byId<HTMLSelectElement>(id).value);
  const [a, b] = await Promise.all([older, newer].map((v) => get<Stored>(at(campaign, `/versions/${v}`))));
  const lines = lineDiff(toYaml(a.config), toYaml(b.config));
  const count = (kind: string) => lines.filter((l) => l.kind === kind).length;
  show("diff", h("p", { class: "muted" }, count("add") + count("del")
    ? `v${older} → v${newer}：新增 ${count("add")} 行，删除 ${count("del")} 行` : `v${older} 与 v${newer} 的配置相同`),
  h("table", { class: "diff" }, ...lines.map((l) => h("tr", { class: l.kind }, h("td", { class: "no" }, l.old ?? ""),
    h("td", { class: "no" }, l.new ?? ""), h("td", {}, l.kind === "add" ? "+" : l.kind === "del" ? "-" : " "),
    h("td", {}, l.text)))));
}

document.title = "营销活动控制台";
document.head.append(h("style", {}, STYLE));
const token = localStorage.getItem(TOKEN);
if (token) void signIn(token);
else signInView();

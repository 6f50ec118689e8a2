// The "会员名单" tab: a member list an audience names (docs/audiences.md), uploaded from a file
// (one member id a line, or a CSV whose first column holds them, a `member_id` header skipped)
// 1,000 ids a request (POST /campaigns/{id}/segments/{segment}/members, a set add): what
// `mgames segment` does. Sending a file again, or the rest after a failure, changes nothing.
import type { components } from "../api/console.js";
import { h, show, toast } from "../page/dom.js";
import { memberIds, namedSegments } from "./labels.js";
import { at, attempt, byId, type Campaign, client, get, type Stored } from "./session.js";

type Added = components["schemas"]["Added"];
const PART = 1000;
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export async function segmentsTab(campaign: Campaign, pane: string): Promise<void> {
  const stored = await get<Stored>(at(campaign, `/versions/${campaign.version}`));
  const named = namedSegments(stored.config);
  show(pane, h("p", { class: "muted" }, named.length ? `当前版本的受众引用的名单：${named.join("、")}`
    : "当前版本的受众没有引用名单（audience.segments）；上传的名单在受众引用它之后才生效"),
  h("div", { class: "bar" },
    h("input", { id: "segment-name", value: named[0] ?? "", placeholder: "名单名（小写字母、数字、-）", "aria-label": "名单名" }),
    h("input", { id: "segment-file", type: "file", accept: ".csv,.txt,text/plain,text/csv", "aria-label": "会员 ID 文件" }),
    h("button", { id: "upload-segment", onclick: () => attempt(() => upload(campaign)) }, "上传")),
  h("p", { class: "muted" }, "每行一个会员 ID，或 CSV 的第一列（member_id 表头会跳过）；按每次 1,000 个分批加入，重复上传不会重复加入"),
  h("p", { id: "segment-progress" }));
}

async function upload(campaign: Campaign): Promise<void> {
  const segment = byId<HTMLInputElement>("segment-name").value.trim();
  const file = byId<HTMLInputElement>("segment-file").files?.[0];
  if (!SLUG.test(segment)) return toast("名单名只能是小写字母、数字和 -");
  if (!file) return toast("请选择会员 ID 文件");
  const ids = memberIds(await file.text());
  if (!ids.length) return toast(`${file.name} 中没有会员 ID`);
  const progress = byId("segment-progress");
  let done = 0;
  for (let start = 0; start < ids.length; start += PART) {
    progress.textContent = `上传中：${done} / ${ids.length}`;
    const added = await client.request<Added>("POST", "", at(campaign, `/segments/${segment}/members`),
      { body: { members: ids.slice(start, start + PART) } });
    done += added.added;
  }
  progress.textContent = `已上传：${done} / ${ids.length} 个会员加入名单 ${segment}`;
  toast(`名单 ${segment}：已加入 ${done} 个会员`);
}

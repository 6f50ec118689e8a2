// Share red packets [分享红包]: send one and share its link; friends open the link, grab a part
// and see every part grabbed.
import { boot, createAndShare, h, shareLink, show, yuan } from "../../../sdk/src/page/index.js";

const page = boot("分享红包", "redPacket");
const at = { campaign_id: page.campaign };
const packetId = page.params.get("packet");

async function load(): Promise<void> {
  const view = await page.api.redPacket.get("/campaigns/{campaign_id}", at);
  show("name", view.name);
  (document.getElementById("share") as HTMLButtonElement).disabled = !page.member;
  if (packetId) await packet(packetId);
  if (!page.member) return;
  const { packets } = await page.api.redPacket.get("/campaigns/{campaign_id}/packets", at);
  show("mine", ...(packets.length ? packets.map((p) => {
    const sent = p as { packet_id: string; amount: string };
    return h("li", {}, h("a", { href: shareLink(page.campaign, { packet: sent.packet_id }) }, `红包 ${yuan(sent.amount)}`),
      h("span", { class: "muted" }, "点开查看"));
  }) : [h("li", { class: "muted" }, "还没有发过红包")]));
}

async function packet(id: string): Promise<void> {
  const view = await page.api.redPacket.get("/campaigns/{campaign_id}/packets/{packet_id}", { ...at, packet_id: id });
  document.getElementById("packet-box")!.hidden = false;
  show("packet-title", view.mine ? "我发的红包" : `${view.sharer} 的红包`);
  show("packet-total", yuan(view.total));
  show("packet-left", `共 ${view.parts} 份，剩 ${view.parts_left} 份`);
  const grab = document.getElementById("grab") as HTMLButtonElement;
  grab.hidden = view.mine;
  grab.disabled = !page.member || view.mine || view.my_grab !== null || view.parts_left === 0 || view.state !== "open";
  if (view.my_grab) show("grabbed", `我抢到 ${yuan(view.my_grab)}`);
  show("parts", ...view.grabs.map((g) => {
    const part = g as { member?: string; amount?: string };
    return h("li", {}, h("span", {}, part.member ?? "好友"), h("span", {}, yuan(part.amount ?? "0.00")));
  }));
}

async function share(): Promise<void> {
  await createAndShare(page, async () => {
    const made = await page.api.redPacket.act("/campaigns/{campaign_id}/packets", at, { channel: "h5" });
    return { packet: made.packet_id };
  }, load);
}

async function grab(id: string): Promise<void> {
  await page.attempt(() => page.api.redPacket.act("/campaigns/{campaign_id}/packets/{packet_id}/grabs",
    { ...at, packet_id: id }, { channel: "h5" }));
  await page.attempt(() => packet(id));
}

document.getElementById("share")?.addEventListener("click", () => void share());
document.getElementById("grab")?.addEventListener("click", () => packetId && void grab(packetId));
void page.attempt(load);

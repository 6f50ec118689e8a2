// What every screen of the web console shares: the signed-in client of the console's API (the
// credential kept in localStorage), the selected campaign's shape and a few formatting helpers.
import { Client } from "../client.js";
import { ApiError } from "../errors.js";
import { toast } from "../page/dom.js";

export interface Version { version: number; applied_at: string; applied_by: string | null; games: Record<string, boolean> }
export interface Campaign extends Version { campaign_id: string; name: string }
export interface Stored extends Version { config: unknown }

export const TOKEN = "mgames.console.token";
// The console's API is where this page is (the stage's root on API Gateway).
export const base = location.origin + location.pathname.replace(/\/?$/, "/");
export const client = new Client({ baseUrl: base, token: () => localStorage.getItem(TOKEN), language: "zh-CN" });

export const get = <T>(path: string): Promise<T> => client.request<T>("GET", "", path);
export const at = (campaign: Campaign, path = ""): string =>
  `/campaigns/${encodeURIComponent(campaign.campaign_id)}${path}`;
export const say = (error: unknown): string => (error instanceof ApiError ? `${error.message}（${error.code}）` : "出错了，请重试");
/** A time as the marketer reads it: in the browser's zone, or in `timeZone` (a campaign's). */
export const time = (iso: string, timeZone?: string): string =>
  new Date(iso).toLocaleString("zh-CN", { hour12: false, timeZone });
export const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/** Run `work`; an error becomes a toast. */
export async function attempt(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    toast(say(error));
  }
}

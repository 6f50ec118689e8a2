import type { Client } from "./client.js";
import { type Page, pageOf, type PageOptions, pageQuery } from "./pages.js";

type Json<R> = R extends { content: { "application/json": infer T } } ? T : unknown;
type Answered<Op> = Op extends { responses: infer Rs }
  ? 200 extends keyof Rs ? Json<Rs[200]> : 201 extends keyof Rs ? Json<Rs[201]> : unknown
  : unknown;
type Method = "get" | "post";
type Paths = object;
/** The paths of `P` that answer `M`. */
export type PathsWith<P extends Paths, M extends Method> = {
  [K in keyof P]: P[K] extends Record<M, infer Op> ? ([Op] extends [undefined] ? never : K) : never;
}[keyof P] & string;
/** What `M path` answers, from the OpenAPI document. */
export type Answer<P extends Paths, K extends keyof P, M extends Method> =
  P[K] extends Record<M, infer Op> ? Answered<Op> : never;
/** The body `M path` takes. */
export type BodyOf<P extends Paths, K extends keyof P> = P[K] extends Record<"post", infer Op>
  ? Op extends { requestBody?: { content: { "application/json": infer B } } } ? B : undefined
  : never;

/** Path parameters (`{campaign_id}` and the like), filled in the path. */
export type Params = Record<string, string>;

/** Fill `{name}` in `path` from `params` (URL-encoded). */
export function fill(path: string, params: Params): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} of ${path}`);
    return encodeURIComponent(value);
  });
}

/** One game's API, typed by its generated `paths`: `game.get("/campaigns/{campaign_id}", {...})`. */
export class Game<P extends Paths> {
  constructor(readonly client: Client, readonly name: string) {}

  get<K extends PathsWith<P, "get">>(path: K, params: Params,
                                      query?: Record<string, string>): Promise<Answer<P, K, "get">> {
    return this.client.request("GET", this.name, fill(path, params), { query });
  }

  /** A player's action: a new idempotency key (or `key`), reused on its retries. */
  act<K extends PathsWith<P, "post">>(path: K, params: Params, body?: BodyOf<P, K>,
                                       key?: string): Promise<Answer<P, K, "post">> {
    return this.client.action(this.name, fill(path, params), body, key);
  }

  /** Tell the campaign its page was opened (the report's visitors; once a day counts). */
  visit(campaign: string): Promise<void> {
    return this.client.request("POST", this.name, fill("/campaigns/{campaign_id}/visits",
                                                         { campaign_id: campaign }));
  }

  /** One page of a list answered under `field`, with `?cursor=` and `?limit=`. */
  async page<K extends PathsWith<P, "get">, F extends keyof Answer<P, K, "get"> & string>(
    path: K, params: Params, field: F, options: PageOptions = {},
  ): Promise<Page<ItemOf<Answer<P, K, "get">[F]>>> {
    const body = await this.get(path, params, pageQuery(options));
    return pageOf(body as Record<string, unknown>, field);
  }
}

/** The item type of a list. */
export type ItemOf<L> = L extends (infer T)[] ? T : never;

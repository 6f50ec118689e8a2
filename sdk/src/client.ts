import { ApiError, errorOf, NETWORK_ERROR } from "./errors.js";
import { DEFAULT_RETRY, retryable, type RetryPolicy, waitMs } from "./retry.js";

/** Where the token comes from: a fixed one, or asked for before every request. */
export type TokenSource = string | null | (() => string | null);

export interface ClientOptions {
  /** The one base URL of every game: `<baseUrl>/<game>/...` (locally http://127.0.0.1:8000). */
  baseUrl: string;
  /** The player's token, sent as `Authorization: Bearer <token>`. */
  token?: TokenSource;
  retry?: Partial<RetryPolicy>;
  /** Sent as `Accept-Language` when set. */
  language?: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** A new idempotency key (a random UUID unless replaced, as tests do). */
  newKey?: () => string;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Sent as `Idempotency-Key`; the same on every retry of this request. */
  idempotencyKey?: string;
  /** How the answer is read: its JSON (the default), or its text (an HTML page). */
  answer?: "json" | "text";
}

/** One client for every game behind one base URL; retries what may succeed when sent again. */
export class Client {
  private readonly options: ClientOptions;
  private readonly policy: RetryPolicy;
  private readonly fetcher: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  readonly newKey: () => string;

  constructor(options: ClientOptions) {
    this.options = { ...options, baseUrl: options.baseUrl.replace(/\/+$/, "") };
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    this.fetcher = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.newKey = options.newKey ?? (() => globalThis.crypto.randomUUID());
  }

  /** The player's token now, or null. */
  token(): string | null {
    const source = this.options.token;
    return typeof source === "function" ? source() : (source ?? null);
  }

  /** Set the token sent from now on. */
  setToken(token: TokenSource): void {
    this.options.token = token;
  }

  /** The URL of `path` in `game` (`""`: a path of the base URL itself, as the console's). */
  url(game: string, path: string, query: RequestOptions["query"] = {}): string {
    const url = new URL(`${this.options.baseUrl}${game ? `/${game}` : ""}${path}`);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  /** Send a request and answer its JSON body; an error answer throws an `ApiError`.
   * A GET, or a POST with an idempotency key, is retried on 409 CONFLICT, 429, 503 and network
   * failures, after `Retry-After` when the server sent one. */
  async request<T>(method: "GET" | "POST", game: string, path: string,
                   options: RequestOptions = {}): Promise<T> {
    const url = this.url(game, path, options.query);
    const init = this.init(method, options);
    const safe = method === "GET" || options.idempotencyKey !== undefined;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.once<T>(url, init, options.answer ?? "json");
      } catch (error) {
        if (!(error instanceof ApiError) || !safe || !retryable(error)
            || attempt >= this.policy.attempts) throw error;
        await this.sleep(waitMs(error, attempt, this.policy));
      }
    }
  }

  /** A player's action: POST with a new idempotency key, reused on each of its retries. */
  action<T>(game: string, path: string, body?: unknown, key: string = this.newKey()): Promise<T> {
    return this.request<T>("POST", game, path, { body, idempotencyKey: key });
  }

  private init(method: string, options: RequestOptions): RequestInit {
    const headers: Record<string, string> = { Accept: options.answer === "text" ? "text/html" : "application/json" };
    const token = this.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (options.idempotencyKey !== undefined) headers["Idempotency-Key"] = options.idempotencyKey;
    if (this.options.language) headers["Accept-Language"] = this.options.language;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.body);
    }
    return { method, headers, body };
  }

  private async once<T>(url: string, init: RequestInit, answer: "json" | "text"): Promise<T> {
    let response: Response;
    try {
      response = await this.fetcher(url, init);
    } catch (error) {
      throw new ApiError(0, NETWORK_ERROR, error instanceof Error ? error.message : String(error));
    }
    if (!response.ok) throw await errorOf(response);
    if (response.status === 204) return undefined as T;
    return (answer === "text" ? await response.text() : await response.json()) as T;
  }
}

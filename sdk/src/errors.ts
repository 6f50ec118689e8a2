/** A problem of a config the console refused (`CONFIG_INVALID`): the dotted path of its field
 * in the config (`games.lucky-wheel.prizes.0.cost`; `""` when it names none) and what is wrong. */
export interface Problem {
  field: string;
  message: string;
}

/** An error answered by a game function or the console: the shared envelope
 * `{"error": {"code", "message"}}`. */
export class ApiError extends Error {
  readonly name = "ApiError";
  constructor(
    /** HTTP status, or 0 when the network failed before any answer. */
    readonly status: number,
    /** The stable error code (`SOLD_OUT`, `RATE_LIMITED`, ...): branch on this, never on the message. */
    readonly code: string,
    message: string,
    /** Seconds the server asked to wait (`Retry-After`), when it did. */
    readonly retryAfter: number | null = null,
    /** The request id the server answered with (`X-Request-Id`), when it did. */
    readonly requestId: string | null = null,
    /** Every problem of a refused config, each at its field (`error.problems`); else none. */
    readonly problems: Problem[] = [],
    /** What else the envelope's `error` carries for this code (e.g. `SEED_NOT_REVEALED`'s
     *  `day` and `revealed_at`), as the function's OpenAPI document describes it. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The code of an error that never reached a server. */
export const NETWORK_ERROR = "NETWORK_ERROR";

/** `Retry-After` in seconds (a number of seconds or an HTTP date), or null. */
export function retryAfterSeconds(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, (at - now) / 1000);
}

/** The error an answer carries: its envelope's code and message, or a generic one. */
export async function errorOf(response: Response): Promise<ApiError> {
  let code = `HTTP_${response.status}`;
  let message = response.statusText || code;
  let problems: Problem[] = [];
  let details: Record<string, unknown> = {};
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string; problems?: unknown } };
    code = body.error?.code ?? code;
    message = body.error?.message ?? message;
    if (Array.isArray(body.error?.problems)) problems = body.error.problems as Problem[];
    const { code: _c, message: _m, problems: _p, request_id: _r, ...rest } = (body.error ?? {}) as Record<string, unknown>;
    details = rest;
  } catch {
    // not JSON: keep the generic code
  }
  return new ApiError(response.status, code, message,
    retryAfterSeconds(response.headers.get("Retry-After")), response.headers.get("X-Request-Id"), problems, details);
}

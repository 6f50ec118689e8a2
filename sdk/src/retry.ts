import { ApiError, NETWORK_ERROR } from "./errors.js";

/** How a request is retried: attempts in all, and the wait when the server names none. */
export interface RetryPolicy {
  attempts: number;
  /** Base wait in ms for the n-th retry (doubled each time) when no `Retry-After` came. */
  backoffMs: number;
  /** The longest wait in ms, `Retry-After` included. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, backoffMs: 300, maxWaitMs: 10_000 };

/** Whether an error may succeed when sent again with the same idempotency key. */
export function retryable(error: ApiError): boolean {
  return (error.status === 409 && error.code === "CONFLICT")
    || error.status === 429 || error.status === 503 || error.code === NETWORK_ERROR;
}

/** The wait in ms before retry number `retry` (1 for the first). */
export function waitMs(error: ApiError, retry: number, policy: RetryPolicy): number {
  const ms = error.retryAfter !== null ? error.retryAfter * 1000 : policy.backoffMs * 2 ** (retry - 1);
  return Math.min(ms, policy.maxWaitMs);
}

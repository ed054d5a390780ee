/**
 * How long to wait before trying again. Full jitter (a uniform wait between zero and the
 * exponential bound) spreads retries of many messages that failed together, so that a Bot
 * Connector hiccup is not followed by a synchronised burst from every instance.
 */

/** A source of numbers in [0, 1); `Math.random` in production, scripted in tests. */
export type RandomSource = () => number;

export interface BackoffPolicy {
  /** The bound for the first retry. */
  readonly baseMs: number;
  /**
   * The shortest computed wait. Full jitter alone may draw zero, and a send that may have
   * arrived (500, timeout) must not be repeated at once.
   */
  readonly minMs: number;
  /** No computed wait exceeds this. */
  readonly capMs: number;
  /** Added on top of a Retry-After (at most this much), so instances do not return in step. */
  readonly retryAfterJitterMs: number;
  /** A Retry-After longer than this is shortened to it (a broken header must not stall a message for days). */
  readonly maxRetryAfterMs: number;
}

export const defaultBackoffPolicy: BackoffPolicy = {
  baseMs: 5_000,
  minMs: 1_000,
  capMs: 30 * 60_000,
  retryAfterJitterMs: 1_000,
  maxRetryAfterMs: 60 * 60_000,
};

/**
 * The wait before retry number `attempt` (1 for the first retry): uniform in
 * `[0, min(capMs, baseMs · 2^(attempt-1)))`, raised to `minMs` when it draws less.
 */
export function computeBackoffMs(attempt: number, policy: BackoffPolicy, random: RandomSource): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // 2^exponent overflows to Infinity for large attempts; min() with the cap handles that.
  const bound = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  return Math.max(policy.minMs, Math.floor(clampUnit(random()) * bound));
}

/**
 * The wait before the next try: the server's Retry-After when it gave one (never less, plus a
 * little jitter), otherwise exponential backoff with full jitter.
 */
export function computeRetryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  policy: BackoffPolicy,
  random: RandomSource,
): number {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
    const honoured = Math.min(retryAfterMs, policy.maxRetryAfterMs);
    return Math.ceil(honoured + clampUnit(random()) * policy.retryAfterJitterMs);
  }
  return computeBackoffMs(attempt, policy, random);
}

/**
 * Reads an HTTP Retry-After value: delta-seconds (`"2"`) or an HTTP-date
 * (`"Wed, 21 Oct 2015 07:28:00 GMT"`), relative to `now`. A date in the past means no wait;
 * anything unreadable gives `undefined` (the caller falls back to its own backoff).
 */
export function parseRetryAfterMs(value: string | null | undefined, now: Date): number | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed) * 1000;
  }
  // Only the date form is accepted here; a bare number with a sign or fraction is malformed.
  if (!/[a-z]/i.test(trimmed)) {
    return undefined;
  }
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) {
    return undefined;
  }
  return Math.max(0, at - now.getTime());
}

function clampUnit(value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    return 0;
  }
  // A source that returns exactly 1 must not push a wait past its bound.
  return Math.min(value, 1 - Number.EPSILON);
}

import { describe, expect, it } from 'vitest';
import {
  type BackoffPolicy,
  computeBackoffMs,
  computeRetryDelayMs,
  parseRetryAfterMs,
} from '../../../infra/outbox/backoff.js';

const policy: BackoffPolicy = {
  baseMs: 1_000,
  minMs: 0,
  capMs: 60_000,
  retryAfterJitterMs: 500,
  maxRetryAfterMs: 3_600_000,
};

const now = new Date('2025-02-03T09:00:00Z');

describe('exponential backoff with full jitter', () => {
  it('doubles the upper bound with each attempt, from the base', () => {
    const highest = () => 0.999_999;
    expect(computeBackoffMs(1, policy, highest)).toBe(999);
    expect(computeBackoffMs(2, policy, highest)).toBe(1_999);
    expect(computeBackoffMs(3, policy, highest)).toBe(3_999);
    expect(computeBackoffMs(5, policy, highest)).toBe(15_999);
  });

  it('spreads waits over the whole range down to zero (full jitter)', () => {
    expect(computeBackoffMs(4, policy, () => 0)).toBe(0);
    expect(computeBackoffMs(4, policy, () => 0.5)).toBe(4_000);
  });

  it('never waits less than the floor, so an ambiguous failure is not repeated at once', () => {
    const floored = { ...policy, minMs: 250 };
    expect(computeBackoffMs(1, floored, () => 0)).toBe(250);
    expect(computeBackoffMs(1, floored, () => 0.5)).toBe(500);
  });

  it('never exceeds the cap, also for huge attempt numbers and a source returning 1', () => {
    for (const attempt of [7, 8, 30, 2_000]) {
      const wait = computeBackoffMs(attempt, policy, () => 1);
      expect(wait).toBeLessThan(policy.capMs);
      expect(wait).toBeGreaterThanOrEqual(policy.capMs - 1);
    }
  });

  it('stays within [0, bound) for many random draws', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 16_807) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    for (let attempt = 1; attempt <= 12; attempt += 1) {
      const bound = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
      for (let draw = 0; draw < 50; draw += 1) {
        const wait = computeBackoffMs(attempt, policy, random);
        expect(wait).toBeGreaterThanOrEqual(0);
        expect(wait).toBeLessThan(bound);
      }
    }
  });
});

describe('retry delay', () => {
  it('waits at least the Retry-After, plus a bounded jitter, whatever the attempt', () => {
    expect(computeRetryDelayMs(1, 2_000, policy, () => 0)).toBe(2_000);
    expect(computeRetryDelayMs(6, 2_000, policy, () => 0.5)).toBe(2_250);
    expect(computeRetryDelayMs(1, 2_000, policy, () => 1)).toBeLessThanOrEqual(2_500);
  });

  it('honours a Retry-After longer than the backoff cap, up to the configured maximum', () => {
    expect(computeRetryDelayMs(1, 120_000, policy, () => 0)).toBe(120_000);
    expect(computeRetryDelayMs(1, 90 * 24 * 3_600_000, policy, () => 0)).toBe(policy.maxRetryAfterMs);
  });

  it('falls back to the jittered backoff without a Retry-After', () => {
    expect(computeRetryDelayMs(3, undefined, policy, () => 0.5)).toBe(2_000);
  });
});

describe('Retry-After header', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfterMs('2', now)).toBe(2_000);
    expect(parseRetryAfterMs(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfterMs('0', now)).toBe(0);
  });

  it('reads an HTTP-date relative to now, and a past date as no wait', () => {
    expect(parseRetryAfterMs('Mon, 03 Feb 2025 09:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('Mon, 03 Feb 2025 08:59:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read, so the caller uses its own backoff', () => {
    for (const value of [undefined, null, '', '-5', '1.5', 'soon', 'Mon, 99 Foo 2025']) {
      expect(parseRetryAfterMs(value, now), String(value)).toBeUndefined();
    }
  });
});

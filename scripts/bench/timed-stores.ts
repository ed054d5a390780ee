/**
 * Optional instrumentation for `npm run bench -- --store-timing`: wraps every store method and
 * adds up the time spent in it. The embedded store does its work synchronously inside the call
 * (better-sqlite3), so the synchronous part of the call is the store's cost; awaiting the
 * returned promise would also count time spent in other turns at high concurrency.
 */
import { performance } from 'node:perf_hooks';
import type { Stores } from '../../flows/kernel/ports.js';

export interface StoreTiming {
  readonly calls: number;
  readonly totalMs: number;
}

export interface TimedStores {
  readonly stores: Stores;
  /** Totals per `store.method` since the last reset. */
  snapshot(): ReadonlyMap<string, StoreTiming>;
  reset(): void;
}

export function wrapStoresWithTiming(stores: Stores): TimedStores {
  const totals = new Map<string, { calls: number; totalMs: number }>();
  const wrapped: Record<string, unknown> = {};
  for (const [storeName, store] of Object.entries(stores)) {
    if (typeof store !== 'object' || store === null) {
      wrapped[storeName] = typeof store === 'function' ? store.bind(stores) : store;
      continue;
    }
    wrapped[storeName] = new Proxy(store, {
      get(target, property, receiver) {
        const original: unknown = Reflect.get(target, property, receiver);
        if (typeof original !== 'function' || typeof property !== 'string') return original;
        const key = `${storeName}.${property}`;
        return (...args: unknown[]) => {
          const started = performance.now();
          try {
            return original.apply(target, args);
          } finally {
            const entry = totals.get(key) ?? { calls: 0, totalMs: 0 };
            entry.calls += 1;
            entry.totalMs += performance.now() - started;
            totals.set(key, entry);
          }
        };
      },
    });
  }
  return {
    stores: wrapped as unknown as Stores,
    snapshot: () => new Map(totals),
    reset: () => totals.clear(),
  };
}

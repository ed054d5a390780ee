/**
 * Group commit for the embedded store: the writes that turns and the background work ask for
 * in the same round of the event loop are committed in one SQLite transaction. A commit (the
 * WAL append and, now and then, a checkpoint) was most of what a write cost, and under load
 * dozens of writes arrive at once: a submit alone writes its audit row, its case with the
 * notice and chase, and the outbox claims and deliveries of earlier notices.
 *
 * What a caller sees does not change: its promise settles only after the transaction holding
 * its write has committed, so "written before acting" still holds for every write; each write
 * runs in its own savepoint, so one that throws (a conflict, a duplicate) is rolled back alone
 * and the others commit; and a commit that fails fails every write in it, as each would have
 * failed alone. Writes run in the order they were asked for. Reads are not queued: a read
 * sees what was committed before it, as it would with a write still on its way.
 */
import { setImmediate as runAfterIo } from 'node:timers';
import type { Database as SqliteDatabase } from 'better-sqlite3';

export interface GroupCommit {
  /** Runs `write` in the next group transaction; settles after that transaction commits. */
  run<T>(write: () => T, toError: (error: unknown) => unknown): Promise<T>;
  /** Commits what is queued now (before the database is closed). */
  flush(): void;
}

interface QueuedWrite {
  readonly write: () => unknown;
  readonly toError: (error: unknown) => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { readonly value: unknown } | { readonly error: unknown };

export function createGroupCommit(db: SqliteDatabase): GroupCommit {
  let queued: QueuedWrite[] = [];
  let scheduled = false;
  // Nested inside the group transaction, better-sqlite3 runs this as a savepoint.
  const runInSavepoint = db.transaction((write: () => unknown) => write());
  const runGroup = db.transaction((writes: readonly QueuedWrite[]): Outcome[] =>
    writes.map((item) => {
      try {
        return { value: runInSavepoint(item.write) };
      } catch (error) {
        return { error };
      }
    }),
  );

  function flush(): void {
    scheduled = false;
    const writes = queued;
    queued = [];
    if (writes.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = runGroup(writes);
    } catch (error) {
      for (const item of writes) item.reject(item.toError(error));
      return;
    }
    outcomes.forEach((outcome, index) => {
      const item = writes[index] as QueuedWrite;
      if ('error' in outcome) item.reject(item.toError(outcome.error));
      else item.resolve(outcome.value);
    });
  }

  return {
    run<T>(write: () => T, toError: (error: unknown) => unknown): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queued.push({ write, toError, resolve: resolve as (value: unknown) => void, reject });
        if (!scheduled) {
          scheduled = true;
          // After the I/O callbacks of this round: the writes of every turn that got this far
          // in it join one transaction.
          runAfterIo(flush);
        }
      });
    },
    flush,
  };
}

/**
 * The reminder sweeper against the real embedded store, with a fake clock and handlers that
 * record what they were given.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reminder, Stores } from '../../flows/kernel/ports.js';
import { createLogger } from '../../infra/logger.js';
import {
  createReminderSweeper,
  type ReminderHandler,
  type ReminderSweeper,
  type ReminderSweeperDependencies,
} from '../../infra/reminders/reminder-sweeper.js';
import { openSqliteStores } from '../../infra/store/sqlite-stores.js';
import { buildReminder } from '../contract/contract-data.js';

const start = new Date('2025-02-05T07:00:00.000Z');
const minute = 60_000;

class FakeClock {
  private ms: number;

  constructor(at: Date) {
    this.ms = at.getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}

const root = mkdtempSync(join(tmpdir(), 'backa-reminders-'));
let run = 0;
let path: string;
let stores: Stores;
let clock: FakeClock;
let logLines: string[];
const extraStores: Stores[] = [];

beforeEach(() => {
  run += 1;
  path = join(root, `run-${run}`, 'backa.sqlite');
  stores = openSqliteStores({ path });
  clock = new FakeClock(start);
  logLines = [];
});

afterEach(async () => {
  await stores.close();
  for (const extra of extraStores.splice(0)) {
    await extra.close();
  }
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function createTestSweeper(
  handlers: Record<string, ReminderHandler>,
  overrides: Partial<ReminderSweeperDependencies> = {},
  on: Stores = stores,
): ReminderSweeper {
  return createReminderSweeper({
    reminders: on.reminders,
    clock,
    instanceId: 'instance-a',
    handlers,
    logger: createLogger({
      level: 'debug',
      destination: { write: (line: string) => void logLines.push(line) },
    }),
    ...overrides,
  });
}

/** A handler that records the ids it was given, in order. */
function createRecordingHandler(): ReminderHandler & { seen: string[] } {
  const seen: string[] = [];
  const handler = async (reminder: Reminder) => {
    seen.push(reminder.id);
  };
  return Object.assign(handler, { seen });
}

async function readStored(id: string): Promise<Reminder | undefined> {
  return (await stores.reminders.get(id))?.value;
}

describe('reminder sweeper', () => {
  it('handles a due reminder and marks it done, and leaves one that is not due yet', async () => {
    await stores.reminders.schedule(buildReminder({ id: 'due', dueAt: '2025-02-05T06:59:00Z' }));
    await stores.reminders.schedule(buildReminder({ id: 'later', dueAt: '2025-02-05T08:00:00Z' }));
    const handler = createRecordingHandler();
    const sweeper = createTestSweeper({ jagaBarnkontakt: handler });

    expect(await sweeper.runOnce()).toEqual({ handled: 1, failed: 0, cancelled: 0, deferred: 0, skipped: 0 });
    expect(handler.seen).toEqual(['due']);
    const done = await readStored('due');
    expect(done?.status).toBe('done');
    expect(done?.claimedBy).toBeUndefined();
    expect((await readStored('later'))?.status).toBe('scheduled');

    await sweeper.runOnce();
    expect(handler.seen).toEqual(['due']);
    clock.advance(60 * minute);
    await sweeper.runOnce();
    expect(handler.seen).toEqual(['due', 'later']);
  });

  it('catches up everything that fell due during downtime in one sweep, oldest first', async () => {
    const dueTimes = Array.from({ length: 130 }, (_, index) => start.getTime() - (index + 1) * 17 * minute);
    // Scheduled in a shuffled order: the sweep must order by due time, not by insertion.
    const shuffled = dueTimes
      .map((at, index) => ({ at, index }))
      .sort((a, b) => ((a.index * 37) % 130) - ((b.index * 37) % 130));
    for (const { at, index } of shuffled) {
      await stores.reminders.schedule(
        buildReminder({ id: `r-${String(index).padStart(3, '0')}`, dueAt: new Date(at).toISOString() }),
      );
    }
    await stores.reminders.schedule(buildReminder({ id: 'future', dueAt: '2025-02-06T07:00:00Z' }));
    const handler = createRecordingHandler();
    const sweeper = createTestSweeper({ jagaBarnkontakt: handler }, { options: { batchSize: 25 } });

    expect(await sweeper.runOnce()).toMatchObject({ handled: 130, failed: 0 });

    const expectedOrder = dueTimes
      .map((at, index) => ({ at, id: `r-${String(index).padStart(3, '0')}` }))
      .sort((a, b) => a.at - b.at)
      .map((item) => item.id);
    expect(handler.seen).toEqual(expectedOrder);
    expect(await stores.reminders.listDue(clock.now(), 500)).toEqual([]);
    expect((await readStored('future'))?.status).toBe('scheduled');
  });

  it('handles each reminder exactly once when two instances sweep the same store at the same time', async () => {
    for (let index = 0; index < 60; index += 1) {
      await stores.reminders.schedule(
        buildReminder({
          id: `r-${index}`,
          dueAt: new Date(start.getTime() - (index + 1) * minute).toISOString(),
        }),
      );
    }
    const other = openSqliteStores({ path });
    extraStores.push(other);
    const counts = new Map<string, number>();
    const handler: ReminderHandler = async (reminder) => {
      // Yield as real work would, so that the two sweeps interleave.
      await new Promise((resolve) => setImmediate(resolve));
      counts.set(reminder.id, (counts.get(reminder.id) ?? 0) + 1);
    };
    const a = createTestSweeper(
      { jagaBarnkontakt: handler },
      { instanceId: 'instance-a', options: { batchSize: 20 } },
    );
    const b = createTestSweeper(
      { jagaBarnkontakt: handler },
      { instanceId: 'instance-b', options: { batchSize: 20 } },
      other,
    );

    const [resultA, resultB] = await Promise.all([a.runOnce(), b.runOnce()]);

    expect(counts.size).toBe(60);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    expect(resultA.handled + resultB.handled).toBe(60);
    expect(resultA.handled).toBeGreaterThan(0);
    expect(resultB.handled).toBeGreaterThan(0);
  });

  it('retries a failing handler after the lease, and it succeeds on a later attempt', async () => {
    await stores.reminders.schedule(buildReminder());
    let calls = 0;
    const handler: ReminderHandler = async () => {
      calls += 1;
      if (calls <= 2) throw new Error('utkorgen svarar inte');
    };
    const sweeper = createTestSweeper(
      { jagaBarnkontakt: handler },
      { options: { claimLeaseMs: 5 * minute } },
    );

    expect(await sweeper.runOnce()).toMatchObject({ failed: 1 });
    const failed = await readStored('reminder-1');
    expect(failed?.status).toBe('claimed');
    expect(failed?.data).toMatchObject({ sweepAttempts: 1, sweepError: 'Error', attempt: 1 });

    clock.advance(5 * minute - 1);
    await sweeper.runOnce();
    expect(calls).toBe(1);
    clock.advance(1);
    await sweeper.runOnce();
    expect(calls).toBe(2);
    clock.advance(5 * minute);
    expect(await sweeper.runOnce()).toMatchObject({ handled: 1 });

    expect(calls).toBe(3);
    const done = await readStored('reminder-1');
    expect(done?.status).toBe('done');
    expect(done?.data.sweepAttempts).toBe(3);
  });

  it('gives up after the last attempt: cancelled, logged without the error text, never run again', async () => {
    await stores.reminders.schedule(buildReminder());
    let calls = 0;
    const handler: ReminderHandler = async () => {
      calls += 1;
      throw new TypeError('Åsa Öberg 201503142388 saknas');
    };
    const sweeper = createTestSweeper(
      { jagaBarnkontakt: handler },
      { options: { claimLeaseMs: minute, maxAttempts: 3 } },
    );

    for (let sweep = 0; sweep < 6; sweep += 1) {
      await sweeper.runOnce();
      clock.advance(minute);
    }

    expect(calls).toBe(3);
    const cancelled = await readStored('reminder-1');
    expect(cancelled?.status).toBe('cancelled');
    expect(cancelled?.data).toMatchObject({ sweepAttempts: 3, sweepError: 'TypeError' });
    const logs = logLines.join('\n');
    expect(logs).toContain('Påminnelsen gavs upp');
    expect(logs).not.toContain('Åsa');
    expect(logs).not.toContain('201503142388');
  });

  it('takes over a reminder whose instance died once the claim has run out', async () => {
    await stores.reminders.schedule(
      buildReminder({
        status: 'claimed',
        claimedBy: 'instance-dead',
        claimedUntil: '2025-02-05T07:03:00Z',
        dueAt: '2025-02-05T06:58:00Z',
      }),
    );
    const handler = createRecordingHandler();
    const sweeper = createTestSweeper({ jagaBarnkontakt: handler });

    await sweeper.runOnce();
    expect(handler.seen).toEqual([]);
    clock.advance(3 * minute);
    await sweeper.runOnce();

    expect(handler.seen).toEqual(['reminder-1']);
    expect((await readStored('reminder-1'))?.status).toBe('done');
  });

  it('leaves a reminder of an unknown kind for another instance, and cancels it when long overdue', async () => {
    await stores.reminders.schedule(
      buildReminder({ kind: 'nyTypFranNyareVersion', dueAt: start.toISOString() }),
    );
    const sweeper = createTestSweeper(
      { jagaBarnkontakt: createRecordingHandler() },
      { options: { unknownKindDeferMs: 30 * minute, unknownKindGiveUpMs: 24 * 60 * minute } },
    );

    expect(await sweeper.runOnce()).toMatchObject({ deferred: 1 });
    expect((await readStored('reminder-1'))?.status).toBe('claimed');
    clock.advance(30 * minute);
    // A newer instance that knows the kind can take it once the deferral runs out.
    const newer = createRecordingHandler();
    await createTestSweeper({ nyTypFranNyareVersion: newer }, { instanceId: 'instance-new' }).runOnce();
    expect(newer.seen).toEqual(['reminder-1']);
    expect((await readStored('reminder-1'))?.status).toBe('done');

    await stores.reminders.schedule(
      buildReminder({ id: 'retired', kind: 'borttagenTyp', dueAt: start.toISOString() }),
    );
    clock.advance(25 * 60 * minute);
    expect(await sweeper.runOnce()).toMatchObject({ cancelled: 1 });
    const retired = await readStored('retired');
    expect(retired?.status).toBe('cancelled');
    expect(retired?.data.sweepError).toBe('unknownKind');
  });

  it('does not treat an inherited property name as a handler', async () => {
    await stores.reminders.schedule(buildReminder({ kind: 'constructor' }));
    const sweeper = createTestSweeper({ jagaBarnkontakt: createRecordingHandler() });

    expect(await sweeper.runOnce()).toMatchObject({ deferred: 1, handled: 0 });
  });
});

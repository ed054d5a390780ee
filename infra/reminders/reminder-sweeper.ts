/**
 * Runs due reminders (docs/security.md 14). A plain timer per process would fire once per scaled-out
 * instance, so each reminder is claimed with a conditional write (`claimed`, `claimedBy`,
 * `claimedUntil` = now + lease) before its handler runs: of several instances, exactly one wins
 * each reminder. A sweep lists what is due oldest first and keeps going until nothing due is
 * left, so the first sweep after downtime catches up everything overdue, in due order.
 *
 * Handlers run at least once: an instance that dies after the handler but before recording
 * `done` leaves a claim that runs out, and another instance runs the handler again. Handlers
 * should therefore only enqueue outbox messages under ids derived from the reminder id, which
 * makes a repeat harmless, and finish well inside the lease.
 *
 * Failures: a handler that throws leaves the reminder claimed, so it is retried when the lease
 * runs out. The sweeper counts claims in `data.sweepAttempts` (and the last error code in
 * `data.sweepError`); these two keys are reserved. After `maxAttempts` it gives up: the reminder
 * is `cancelled` and an error is logged for operators.
 *
 * Unknown kinds are not marked done: during a rolling deployment an older instance sees kinds
 * that only the newer version knows, and marking them done would lose them. Such a reminder is
 * deferred (claimed for `unknownKindDeferMs`, no attempt counted) so that another instance can
 * take it, and cancelled with an error log once it is `unknownKindGiveUpMs` overdue.
 */
import { isDomainError } from '../../flows/kernel/errors.js';
import type { Clock, Reminder, ReminderStore, Versioned } from '../../flows/kernel/ports.js';
import { createLogger, type Logger } from '../logger.js';
import { createSweepLoop, type SweepLoop } from '../outbox/sweep-loop.js';

/** Does what a reminder of one kind is for; receives the claimed reminder. */
export type ReminderHandler = (reminder: Reminder) => Promise<void>;

export interface ReminderSweeperOptions {
  /** Pause between the end of one sweep and the start of the next. */
  readonly intervalMs: number;
  /** Reminders listed per round; a sweep runs rounds until nothing due is left. */
  readonly batchSize: number;
  /** Bound on rounds per sweep, so a store that keeps failing cannot hold a sweep forever. */
  readonly maxRoundsPerSweep: number;
  /** How long a claim lasts, and so how long after a failure the next try comes. */
  readonly claimLeaseMs: number;
  /** Claims after which a reminder whose handler keeps failing is cancelled. */
  readonly maxAttempts: number;
  readonly unknownKindDeferMs: number;
  readonly unknownKindGiveUpMs: number;
}

export const defaultReminderSweeperOptions: ReminderSweeperOptions = {
  intervalMs: 30_000,
  batchSize: 50,
  maxRoundsPerSweep: 20,
  claimLeaseMs: 5 * 60_000,
  maxAttempts: 5,
  unknownKindDeferMs: 30 * 60_000,
  unknownKindGiveUpMs: 24 * 60 * 60_000,
};

export interface ReminderSweeperDependencies {
  readonly reminders: ReminderStore;
  readonly clock: Clock;
  /** Names this process in claims, so that a log shows who held a reminder. */
  readonly instanceId: string;
  /** One handler per reminder kind. */
  readonly handlers: Readonly<Record<string, ReminderHandler>>;
  readonly logger?: Logger;
  readonly options?: Partial<ReminderSweeperOptions>;
}

/** What one sweep did; `skipped` counts reminders another instance claimed first. */
export interface ReminderSweepResult {
  handled: number;
  failed: number;
  cancelled: number;
  deferred: number;
  skipped: number;
}

export interface ReminderSweeper extends SweepLoop {
  /** One sweep: handles everything due now, over as many rounds as needed. */
  runOnce(): Promise<ReminderSweepResult>;
}

type SweepOutcome = keyof ReminderSweepResult | 'error';

/** The keys in `Reminder.data` that belong to the sweeper. */
export const sweepAttemptsKey = 'sweepAttempts';
export const sweepErrorKey = 'sweepError';

/** Creates the sweeper; nothing runs until `runOnce` or `start`. */
export function createReminderSweeper(deps: ReminderSweeperDependencies): ReminderSweeper {
  const options: ReminderSweeperOptions = { ...defaultReminderSweeperOptions, ...deps.options };
  const logger = (deps.logger ?? createLogger()).child({
    component: 'reminders',
    instanceId: deps.instanceId,
  });
  const { reminders, clock } = deps;

  async function runOnce(): Promise<ReminderSweepResult> {
    const tally: ReminderSweepResult = { handled: 0, failed: 0, cancelled: 0, deferred: 0, skipped: 0 };
    for (let round = 0; round < options.maxRoundsPerSweep; round += 1) {
      const due = await reminders.listDue(clock.now(), options.batchSize);
      let errors = 0;
      for (const item of due) {
        const outcome = await processDue(item);
        if (outcome === 'error') {
          errors += 1;
        } else {
          tally[outcome] += 1;
        }
      }
      // Everything listed is now claimed by someone or finished, so the next round lists newer
      // work; stop when the list was short or nothing could be done with it.
      if (due.length < options.batchSize || errors === due.length) {
        break;
      }
    }
    return tally;
  }

  async function processDue(item: Versioned<Reminder>): Promise<SweepOutcome> {
    try {
      const handler = Object.hasOwn(deps.handlers, item.value.kind)
        ? deps.handlers[item.value.kind]
        : undefined;
      if (handler === undefined) {
        return await deferUnknownKind(item);
      }
      const attempts = readAttempts(item.value) + 1;
      if (attempts > options.maxAttempts) {
        // Earlier claims ran out without an answer (the handler hung or crashed its instance).
        return await giveUp(item, 'leaseExpired', attempts - 1);
      }
      if (item.value.status === 'claimed' && item.value.data[sweepErrorKey] === undefined) {
        logger.warn(toLogIds(item.value), 'Påminnelse tas över efter utgånget anspråk');
      }
      const claimed = await claim(item, options.claimLeaseMs, { [sweepAttemptsKey]: attempts });
      if (claimed === undefined) {
        return 'skipped';
      }
      return await runHandler(claimed, handler, attempts);
    } catch (error) {
      // Storage trouble for one reminder must not stop the others; it stays due.
      logger.error({ ...toLogIds(item.value), err: error }, 'Påminnelsen kunde inte hanteras');
      return 'error';
    }
  }

  async function runHandler(
    claimed: Versioned<Reminder>,
    handler: ReminderHandler,
    attempts: number,
  ): Promise<SweepOutcome> {
    try {
      await handler(claimed.value);
    } catch (error) {
      const code = toErrorCode(error);
      if (attempts >= options.maxAttempts) {
        return giveUp(claimed, code, attempts);
      }
      // Left claimed: it becomes due again when the lease runs out.
      await replaceIfCurrent(claimed, {
        ...claimed.value,
        data: { ...claimed.value.data, [sweepErrorKey]: code },
      });
      logger.error(
        { ...toLogIds(claimed.value), errorCode: code, retryInMs: options.claimLeaseMs },
        'Påminnelsens hanterare misslyckades; försöker igen senare',
      );
      return 'failed';
    }
    const done = await replaceIfCurrent(claimed, { ...withoutClaim(claimed.value), status: 'done' });
    if (done === undefined) {
      logger.warn(toLogIds(claimed.value), 'Påminnelsen kunde inte markeras klar: anspråket hade gått ut');
    } else {
      logger.info(toLogIds(done.value), 'Påminnelse hanterad');
    }
    return 'handled';
  }

  async function deferUnknownKind(item: Versioned<Reminder>): Promise<SweepOutcome> {
    const overdueMs = clock.now().getTime() - Date.parse(item.value.dueAt);
    if (overdueMs > options.unknownKindGiveUpMs) {
      return giveUp(item, 'unknownKind', readAttempts(item.value));
    }
    const claimed = await claim(item, options.unknownKindDeferMs, {});
    if (claimed === undefined) {
      return 'skipped';
    }
    logger.warn(toLogIds(item.value), 'Okänd påminnelsetyp; lämnas åt en annan instans');
    return 'deferred';
  }

  async function giveUp(item: Versioned<Reminder>, code: string, attempts: number): Promise<SweepOutcome> {
    const cancelled = await replaceIfCurrent(item, {
      ...withoutClaim(item.value),
      status: 'cancelled',
      data: { ...item.value.data, [sweepAttemptsKey]: attempts, [sweepErrorKey]: code },
    });
    if (cancelled === undefined) {
      return 'skipped';
    }
    logger.error({ ...toLogIds(cancelled.value), errorCode: code }, 'Påminnelsen gavs upp');
    return 'cancelled';
  }

  async function claim(
    item: Versioned<Reminder>,
    leaseMs: number,
    data: Reminder['data'],
  ): Promise<Versioned<Reminder> | undefined> {
    const now = clock.now();
    return replaceIfCurrent(item, {
      ...item.value,
      status: 'claimed',
      claimedBy: deps.instanceId,
      claimedUntil: new Date(now.getTime() + leaseMs).toISOString(),
      data: { ...item.value.data, ...data },
    });
  }

  /** Writes `next` if `current` is still the stored version; `undefined` when another instance won. */
  async function replaceIfCurrent(
    current: Versioned<Reminder>,
    next: Reminder,
  ): Promise<Versioned<Reminder> | undefined> {
    try {
      return await reminders.replace(next, current.etag);
    } catch (error) {
      if (isDomainError(error, 'concurrencyConflict') || isDomainError(error, 'notFound')) {
        logger.debug(toLogIds(current.value), 'Påminnelsen hanteras av en annan instans');
        return undefined;
      }
      throw error;
    }
  }

  const loop = createSweepLoop({ intervalMs: options.intervalMs, sweep: runOnce, logger, name: 'reminders' });
  return { runOnce, start: loop.start, stop: loop.stop };
}

function readAttempts(reminder: Reminder): number {
  const value = reminder.data[sweepAttemptsKey];
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

function withoutClaim(reminder: Reminder): Reminder {
  const { claimedBy: _claimedBy, claimedUntil: _claimedUntil, ...rest } = reminder;
  return rest;
}

/** A code for the log and `data.sweepError`: the domain error code or the error's type, never its message. */
function toErrorCode(error: unknown): string {
  if (isDomainError(error)) {
    return error.code;
  }
  return error instanceof Error ? error.name.slice(0, 100) : 'unknown';
}

function toLogIds(reminder: Reminder): Record<string, string> {
  return {
    reminderId: reminder.id,
    kind: reminder.kind,
    ...(reminder.caseId === undefined ? {} : { caseId: reminder.caseId }),
    status: reminder.status,
  };
}

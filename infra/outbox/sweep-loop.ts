/**
 * A timer loop for background sweeps (outbox, reminders). The next sweep is scheduled only
 * after the previous one finished, so a slow sweep never overlaps itself; `stop` waits for a
 * running sweep. Several processes may each run the loop: what makes that safe is that every
 * sweep claims its work with conditional writes, not anything here.
 */
import type { Logger } from '../logger.js';

export interface SweepLoop {
  /** Runs a sweep at once (catching up after downtime), then every `intervalMs` after each ends. */
  start(): void;
  /** Cancels the next sweep and resolves when the running one (if any) has finished. */
  stop(): Promise<void>;
}

export interface SweepLoopOptions {
  readonly intervalMs: number;
  readonly sweep: () => Promise<unknown>;
  readonly logger: Logger;
  /** Names the loop in log lines. */
  readonly name: string;
}

export function createSweepLoop(options: SweepLoopOptions): SweepLoop {
  let running = false;
  let inFlight = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;

  function scheduleNext(delayMs: number): void {
    // A restart while a sweep is still running is picked up when that sweep ends.
    if (timer !== undefined || inFlight) {
      return;
    }
    timer = setTimeout(() => {
      timer = undefined;
      current = runSweep();
    }, delayMs);
    // A background sweep alone must not keep the process alive (tests, scripts, shutdown).
    timer.unref();
  }

  async function runSweep(): Promise<void> {
    inFlight = true;
    try {
      await options.sweep();
    } catch (error) {
      // One failed sweep (storage briefly unavailable) must not end the loop.
      options.logger.error({ err: error, loop: options.name }, 'Bakgrundssvepet misslyckades');
    } finally {
      inFlight = false;
    }
    if (running) {
      scheduleNext(options.intervalMs);
    }
  }

  return {
    start() {
      if (running) {
        return;
      }
      running = true;
      scheduleNext(0);
    },
    async stop() {
      running = false;
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
      await current;
    },
  };
}

/**
 * At most N requests in flight per mailbox. Outlook allows an app 4 concurrent requests per
 * mailbox and answers the fifth with 429 (MailboxConcurrency); queueing here is cheaper than
 * being throttled and waiting out a Retry-After. Per process only: instances share the
 * mailbox's budget, and the retry on 429 covers what this cannot.
 */
import { toMailboxKey } from '../../flows/kernel/calendar.js';

export interface MailboxLimiter {
  /** Runs `task` once the mailbox has a free place. */
  run<T>(mailbox: string, task: () => Promise<T>): Promise<T>;
}

interface MailboxQueue {
  active: number;
  readonly waiting: (() => void)[];
}

export function createMailboxLimiter(maxConcurrent: number): MailboxLimiter {
  const queues = new Map<string, MailboxQueue>();

  async function acquire(key: string): Promise<void> {
    const queue = queues.get(key) ?? { active: 0, waiting: [] };
    queues.set(key, queue);
    if (queue.active < maxConcurrent) {
      queue.active += 1;
      return;
    }
    // The releasing task hands its place over directly, so `active` stays counted.
    await new Promise<void>((resolve) => queue.waiting.push(resolve));
  }

  function release(key: string): void {
    const queue = queues.get(key);
    if (!queue) {
      return;
    }
    const next = queue.waiting.shift();
    if (next) {
      next();
      return;
    }
    queue.active -= 1;
    if (queue.active === 0) {
      queues.delete(key);
    }
  }

  return {
    async run(mailbox, task) {
      const key = toMailboxKey(mailbox);
      await acquire(key);
      try {
        return await task();
      } finally {
        release(key);
      }
    },
  };
}

/**
 * What this process last saved per conversation key, so that an unchanged reference is not
 * written again on every turn (a disk or Cosmos write per message). Keys come from activities,
 * so every distinct user or conversation that writes adds one: the memory holds at most
 * `capacity` keys and forgets the least recently used first. Each entry is two SHA-256 digests,
 * never the reference itself, so an entry has the same small size however long the ids an
 * activity carries. Forgetting costs one write the next time that key is seen.
 */
import { createHash } from 'node:crypto';
import type { StoredConversation } from '../flows/kernel/ports.js';

/**
 * About 1.7 MB of heap when full (measured with scripts/memory-soak.ts). Beyond it the least
 * recently active people and channels are forgotten, which costs each of them one write.
 */
export const savedConversationCapacity = 10_000;

export interface SavedConversationMemory {
  /** Whether `stored` is what this process last saved under its key. */
  isUnchanged(stored: StoredConversation): boolean;
  /** Records that `stored` was saved. */
  remember(stored: StoredConversation): void;
  /** How many keys are remembered; never above the capacity. */
  readonly size: number;
}

export function createSavedConversationMemory(
  capacity: number = savedConversationCapacity,
): SavedConversationMemory {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity: ett positivt heltal');
  // A Map iterates in insertion order, so its first key is the least recently used one.
  const fingerprints = new Map<string, string>();
  return {
    isUnchanged(stored) {
      const key = digest(stored.key);
      const fingerprint = fingerprints.get(key);
      if (fingerprint === undefined || fingerprint !== fingerprintOf(stored)) return false;
      fingerprints.delete(key);
      fingerprints.set(key, fingerprint);
      return true;
    },
    remember(stored) {
      const key = digest(stored.key);
      fingerprints.delete(key);
      fingerprints.set(key, fingerprintOf(stored));
      while (fingerprints.size > capacity) {
        const oldest = fingerprints.keys().next();
        if (oldest.done === true) break;
        fingerprints.delete(oldest.value);
      }
    },
    get size() {
      return fingerprints.size;
    },
  };
}

// What a proactive send uses; `updatedAt` changes on every turn and is left out.
function fingerprintOf(stored: StoredConversation): string {
  return digest(
    JSON.stringify([stored.tenantId, stored.serviceUrl, stored.conversationId, stored.reference]),
  );
}

function digest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url');
}

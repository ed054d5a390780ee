/**
 * A `Stores` fake for bot tests that records every call, so a test can assert that a refused
 * activity touched no state at all. Conversations and handled activity ids are kept in
 * memory; the other stores are not used by the bot edge and fail loudly if they are.
 */
import type { StoredConversation, Stores } from '../../flows/kernel/ports.js';

export interface RecordingStores extends Stores {
  /** `store.method` for every call, in order. */
  readonly calls: string[];
  readonly savedConversations: Map<string, StoredConversation>;
  /** Ledger ids recorded through `activities.record`. */
  readonly handledActivities: Set<string>;
}

export function createRecordingStores(): RecordingStores {
  const calls: string[] = [];
  const savedConversations = new Map<string, StoredConversation>();
  const handledActivities = new Set<string>();
  const unused = (store: string) =>
    new Proxy(
      {},
      {
        get(_target, method) {
          return async () => {
            calls.push(`${store}.${String(method)}`);
            throw new Error(`${store}.${String(method)} används inte av bot-kanten`);
          };
        },
      },
    );
  return {
    calls,
    savedConversations,
    handledActivities,
    conversations: {
      async save(value) {
        calls.push('conversations.save');
        savedConversations.set(value.key, value);
      },
      async get(key) {
        calls.push('conversations.get');
        return savedConversations.get(key);
      },
    },
    cases: unused('cases') as Stores['cases'],
    outbox: unused('outbox') as Stores['outbox'],
    reminders: unused('reminders') as Stores['reminders'],
    audit: unused('audit') as Stores['audit'],
    meetings: unused('meetings') as Stores['meetings'],
    activities: {
      async record(entry) {
        calls.push('activities.record');
        if (handledActivities.has(entry.id)) {
          return false;
        }
        handledActivities.add(entry.id);
        return true;
      },
    },
    async close() {
      calls.push('close');
    },
  };
}

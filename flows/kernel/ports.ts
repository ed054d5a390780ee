/**
 * The ports the support process talks to. `flows/` depends only on these interfaces;
 * `infra/` implements them (Cosmos DB, the embedded SQLite store, Graph, the outbox sender)
 * and `tests/` implements them with small fakes. Nothing here knows Teams or a database.
 */
import { z } from 'zod';
import { type Case, type CaseState, type Instant, ZInstant, ZUserId } from './case.js';
import { ZNoticeKind } from './notice-kinds.js';

/** A document together with the version it was read at (the Cosmos ETag, or its SQLite twin). */
export interface Versioned<T> {
  readonly value: T;
  readonly etag: string;
}

/** Time comes from here so that the domain never reads the machine clock itself. */
export interface Clock {
  now(): Date;
}

/**
 * Cases, each with its chronology and roles. Every write is conditional: `create` fails with
 * `DomainError('alreadyExists')` on a duplicate id, `replace` fails with
 * `DomainError('concurrencyConflict')` when `ifMatch` is no longer the stored version and with
 * `DomainError('notFound')` when the case does not exist.
 *
 * Ids of every stored document must not contain `/ \ ? #` or control characters (Cosmos DB
 * refuses them); the stores reject such ids with `invalidInput` so that what works locally works
 * in Azure too.
 */
/**
 * The messages and reminders a change of a case causes. They are committed with the case, so
 * that no case can exist whose notices or reminders were never enqueued.
 */
export interface CaseEffects {
  readonly outbox: readonly OutboxMessage[];
  readonly reminders: readonly Reminder[];
  /** Anonymous follow-up figure events the change gave (`flows/follow-up-figures/`). */
  readonly figures?: readonly FigureEvent[];
}

/**
 * One anonymous fact counted in the follow-up figures: a term, a metric, an organisation key and,
 * for a lead time, whole working days. The id is a keyed hash, so appending the same fact twice
 * counts once and the event cannot be traced back to its case; it outlives the case's erasure.
 */
export const ZFigureEvent = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{16,100}$/),
    /** `2026vt`, `2026ht`: the partition the term's figures are read from. */
    term: z.string().regex(/^\d{4}(vt|ht)$/),
    metric: z.string().min(1).max(100),
    organisation: z.string().max(100),
    workingDays: z.number().int().min(0).max(100000).optional(),
  })
  .strict();
export type FigureEvent = z.infer<typeof ZFigureEvent>;

/** How many events of a term share metric, organisation and working days. */
export interface FigureCount {
  readonly metric: string;
  readonly organisation: string;
  readonly workingDays?: number;
  readonly count: number;
}

/**
 * The follow-up figures' events and their per-term counts. Reading a term touches only that
 * term's aggregate, never a case, so it works after the cases are erased.
 */
export interface FigureStore {
  /** Appends the events not stored yet (by id); returns how many were new. */
  append(events: readonly FigureEvent[]): Promise<number>;
  /**
   * The counts of one term (`2026vt`), grouped by metric, organisation and working days; only
   * these metrics when given (earlier terms are read for the stock figures alone).
   */
  termCounts(term: string, metrics?: readonly string[]): Promise<FigureCount[]>;
}

/**
 * Which case holds a child's open work with a Barnkontakt, by the keyed identity hash: one per
 * child, so that a second Upptäckarkort about the same child joins that case ("ett barn, en
 * plan") even when both are filed at the same moment.
 */
export const ZOpenCaseClaim = z.object({
  identityKey: z.string().min(16).max(200),
  caseId: z.string().min(1).max(100),
  claimedAt: ZInstant,
});
export type OpenCaseClaim = z.infer<typeof ZOpenCaseClaim>;

export interface CaseStore {
  create(value: Case): Promise<Versioned<Case>>;
  /**
   * Creates the case and its effects together: one transaction where the store has them
   * (SQLite); otherwise the effects are written into the case document with it and then
   * enqueued, and `repairPendingEffects` enqueues whatever a crash left in a document. An
   * effect that already exists (same id) is left as it is. Resolves once the case is stored,
   * even if only the repair will enqueue its effects.
   */
  createWithEffects(value: Case, effects: CaseEffects): Promise<Versioned<Case>>;
  /**
   * Enqueues the effects still recorded in at most `limit` case documents and clears them;
   * returns how many cases it completed. A no-op for stores that commit effects with the case.
   */
  repairPendingEffects(limit: number): Promise<number>;
  get(caseId: string): Promise<Versioned<Case> | undefined>;
  replace(value: Case, ifMatch: string): Promise<Versioned<Case>>;
  /**
   * Replaces the case (conditional on `ifMatch`, as `replace`) together with the messages and
   * reminders the change causes: one transaction where the store has them, otherwise recorded
   * in the case document and enqueued after it, with `repairPendingEffects` as the safety net.
   */
  replaceWithEffects(value: Case, ifMatch: string, effects: CaseEffects): Promise<Versioned<Case>>;
  /** Case ids whose child has this keyed identity hash (never the plain number). */
  findCaseIdsByIdentityKey(identityKey: string): Promise<string[]>;
  /**
   * The case with this reference (`BB-XXXX-XXXX`, canonical form), if any. The id only: the
   * caller reads the case and checks the asker's access before showing anything.
   */
  findCaseIdByReference(reference: string): Promise<string | undefined>;
  /**
   * Create-if-absent: records `claim` as the child's open case unless a claim for the same
   * identity key exists, and returns the claim that is stored (this one or the earlier one).
   * Of concurrent callers exactly one sees its own claim come back.
   */
  claimOpenCase(claim: OpenCaseClaim): Promise<Versioned<OpenCaseClaim>>;
  /**
   * Points the child's claim at another case, conditional on `ifMatch` (the version read):
   * `concurrencyConflict` when someone else moved it first.
   */
  moveOpenCaseClaim(claim: OpenCaseClaim, ifMatch: string): Promise<Versioned<OpenCaseClaim>>;
  /**
   * Ids of at most `limit` cases of this unit in this state, sorted by id. Ids only: the
   * caller reads each case and checks the actor's access, since the state may have moved on.
   */
  listIdsByUnitAndState(unitId: string, state: CaseState, limit: number): Promise<string[]>;
}

/**
 * Where to reach a user or a conversation proactively. The reference itself is the Bot
 * Framework's shape and stays opaque outside `bot/`.
 */
export const ZStoredConversation = z.object({
  /** Entra object id for a personal chat, or `conversation:<id>` for a channel or group chat. */
  key: z.string().min(1).max(400),
  tenantId: z.string().uuid(),
  serviceUrl: z.string().url(),
  conversationId: z.string().min(1),
  updatedAt: ZInstant,
  reference: z.record(z.string(), z.unknown()),
});
export type StoredConversation = z.infer<typeof ZStoredConversation>;

export interface ConversationStore {
  /** Insert or overwrite (the latest reference for a key wins). */
  save(value: StoredConversation): Promise<void>;
  get(key: string): Promise<StoredConversation | undefined>;
}

/** One outgoing message, persisted before it is sent so that nothing is lost on a crash. */
export const ZOutboxMessage = z.object({
  /** Chosen by the producer from what caused the message, so enqueueing twice is harmless. */
  id: z.string().min(1).max(200),
  /** A `ConversationStore` key. */
  recipientKey: z.string().min(1).max(400),
  caseId: z.string().min(1).optional(),
  payload: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('text'), text: z.string().min(1) }),
    z.object({ kind: z.literal('card'), card: z.record(z.string(), z.unknown()), summary: z.string() }),
    /**
     * A notice of the support process (`notices.ts`): ids and a few facts, rendered into a card
     * by the bot at delivery time from the current case, so the outbox holds no child data.
     */
    z.object({
      kind: z.literal('notice'),
      notice: ZNoticeKind,
      caseId: z.string().min(1),
      data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    }),
  ]),
  /** `dropped`: not sent on purpose because it no longer applies (consent withdrawn, case moved on). */
  status: z.enum(['pending', 'sending', 'delivered', 'dropped', 'parked']),
  attempts: z.number().int().nonnegative(),
  /** When the sender may try next (after a back-off or a Retry-After). */
  nextAttemptAt: ZInstant,
  /** While `sending`: which instance holds it, and until when its claim lasts. */
  claimedBy: z.string().optional(),
  claimedUntil: ZInstant.optional(),
  lastError: z.string().max(500).optional(),
  createdAt: ZInstant,
  deliveredAt: ZInstant.optional(),
});
export type OutboxMessage = z.infer<typeof ZOutboxMessage>;

export interface OutboxStore {
  /** Stores the message unless one with the same id exists; returns whether it was new. */
  enqueue(message: OutboxMessage): Promise<boolean>;
  get(id: string): Promise<Versioned<OutboxMessage> | undefined>;
  /**
   * Pending messages (and `sending` ones whose claim ran out) due at `now`, ordered by due time;
   * an expired claim counts as due from the moment it ran out.
   */
  listDue(now: Date, limit: number): Promise<Versioned<OutboxMessage>[]>;
  /** Conditional on `ifMatch`; `concurrencyConflict` tells the caller another instance won. */
  replace(message: OutboxMessage, ifMatch: string): Promise<Versioned<OutboxMessage>>;
}

/** Something the bot must do at a time: chase a card, remind a member, follow up support. */
export const ZReminder = z.object({
  id: z.string().min(1).max(200),
  kind: z.string().min(1).max(100),
  caseId: z.string().min(1).optional(),
  dueAt: ZInstant,
  status: z.enum(['scheduled', 'claimed', 'done', 'cancelled']),
  claimedBy: z.string().optional(),
  claimedUntil: ZInstant.optional(),
  /** Kind-specific data: ids and references only, never a child's details. */
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  createdAt: ZInstant,
});
export type Reminder = z.infer<typeof ZReminder>;

export interface ReminderStore {
  /** Stores the reminder unless one with the same id exists; returns whether it was new. */
  schedule(reminder: Reminder): Promise<boolean>;
  get(id: string): Promise<Versioned<Reminder> | undefined>;
  /**
   * Reminders due at `now` that nobody holds: `scheduled` ones with `dueAt <= now`, and
   * `claimed` ones whose claim expired (the instance holding them died). Oldest first.
   */
  listDue(now: Date, limit: number): Promise<Versioned<Reminder>[]>;
  /** Conditional on `ifMatch`: exactly one of several instances claiming the same version wins. */
  replace(reminder: Reminder, ifMatch: string): Promise<Versioned<Reminder>>;
  listForCase(caseId: string): Promise<Versioned<Reminder>[]>;
}

/** One read or write of a case by a person (or by the bot itself, as `system`). */
export const ZAuditEntry = z.object({
  id: z.string().min(1).max(200),
  at: ZInstant,
  actor: z.union([ZUserId, z.literal('system')]),
  action: z.string().min(1).max(100),
  caseId: z.string().min(1),
  unitId: z.string().optional(),
  /** Whether the action was carried out or refused (a refusal is audited too). */
  outcome: z.enum(['allowed', 'refused']),
  /** Why a share of information met "nödvändig, relevant, proportionerlig", when it is a share. */
  purpose: z.string().max(500).optional(),
});
export type AuditEntry = z.infer<typeof ZAuditEntry>;

/**
 * Append-only, kept apart from case data. If `append` fails the audited action must not happen.
 * Appending the identical entry twice is harmless (a retried turn); a different entry under an
 * existing id fails with `alreadyExists`.
 */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  listForCase(caseId: string): Promise<AuditEntry[]>;
  /**
   * One page of the entries of every case with `from <= at < to`, ordered by time and then id,
   * starting after `after` (the previous page's `next`). `next` is set while more entries follow.
   * Across cases, so for the log review (a person or a weekly job), not for an interactive turn.
   */
  listBetween(window: AuditWindow): Promise<AuditPage>;
}

/** Where a page of the audit log ended: the last entry's time and id. */
export interface AuditPosition {
  readonly at: Instant;
  readonly id: string;
}

export interface AuditWindow {
  readonly from: Instant;
  readonly to: Instant;
  readonly limit: number;
  readonly after?: AuditPosition;
}

export interface AuditPage {
  readonly entries: AuditEntry[];
  readonly next?: AuditPosition;
}

/** One handled Teams activity. The id is chosen by the bot (e.g. a hash of tenant + activity id). */
export const ZActivityRecord = z.object({
  id: z.string().min(1).max(200),
  handledAt: ZInstant,
  /** After this the record may be forgotten (Teams stops redelivering within minutes). */
  expiresAt: ZInstant,
});
export type ActivityRecord = z.infer<typeof ZActivityRecord>;

/**
 * Which Teams activities were handled, so that a redelivered message or a resent invoke is
 * acted on once. Of several instances recording the same id at once, exactly one gets `true`.
 */
export interface ActivityLedger {
  /** Records the activity; `false` when it was recorded before (a redelivery). */
  record(entry: ActivityRecord): Promise<boolean>;
}

/**
 * A Barnteam meeting: several children on one agenda, held in the convener's calendar.
 * The id is chosen by the booking use case so that a repeated booking is idempotent.
 */
export const ZBarnteamMeeting = z.object({
  id: z.string().min(1).max(200),
  /** The Barnteam's unit; the meeting belongs to that team. */
  unitId: z.string().min(1),
  convenerUserId: ZUserId,
  state: z.enum(['proposed', 'booked', 'moved', 'cancelled', 'held']),
  start: ZInstant,
  end: ZInstant,
  calendar: z
    .object({
      organizer: z.string().min(1),
      eventId: z.string().min(1),
      joinUrl: z.string().url().optional(),
      webLink: z.string().url().optional(),
    })
    .optional(),
  /** The children on the agenda: case ids and references only, never names. */
  agenda: z.array(
    z.object({
      caseId: z.string().min(1),
      reference: z.string().min(1),
      initials: z.string().min(1).max(6),
      removedAt: ZInstant.optional(),
    }),
  ),
  members: z.array(
    z.object({
      /** Absent for a member outside Teams: invited by e-mail, sent no cards. */
      userId: ZUserId.optional(),
      /** The directory's contact id; stored meetings from before it have only the userId. */
      contactId: z.string().min(1).optional(),
      /** Absent on stored meetings from before the kinds: `medarbetare`. */
      kind: z.enum(['medarbetare', 'gast', 'utanforTeams']).optional(),
      email: z.string().email(),
      role: z.string().min(1),
      required: z.boolean(),
    }),
  ),
  createdAt: ZInstant,
  updatedAt: ZInstant,
});
export type BarnteamMeeting = z.infer<typeof ZBarnteamMeeting>;

/** Barnteam meetings, replaced whole under an ETag like cases. */
export interface MeetingStore {
  /** Fails with `alreadyExists` when the id is taken. */
  create(value: BarnteamMeeting): Promise<Versioned<BarnteamMeeting>>;
  get(id: string): Promise<Versioned<BarnteamMeeting> | undefined>;
  /** Fails with `concurrencyConflict` on a stale ETag, `notFound` when the meeting is gone. */
  replace(value: BarnteamMeeting, ifMatch: string): Promise<Versioned<BarnteamMeeting>>;
  /**
   * Meetings whose agenda holds the case, in start order. An agenda item that was removed
   * (`removedAt` set) still lists: the meeting stays part of the case's history.
   */
  listForCase(caseId: string): Promise<Versioned<BarnteamMeeting>[]>;
  /** The unit's meetings starting at or after `fromInstant`, in start order. */
  listForUnit(unitId: string, fromInstant: string): Promise<Versioned<BarnteamMeeting>[]>;
}

/**
 * What the retention rules (gallring) erase, kept apart from the ports the process uses so that
 * nothing else can delete. Follow-up figures are never touched: they hold no case.
 */
export interface ErasureStore {
  /**
   * Ids of at most `limit` closed cases (avslutad, avböjd, samtycke återkallat) sorted by id,
   * after `after` when given. Ids only: the sweep reads each case and decides whether it is due.
   */
  listClosedCaseIds(limit: number, after?: string): Promise<string[]>;
  /**
   * Erases the case and everything stored because of it: its document (and with it the
   * reference lookup), its identity index entry and the open-case claim pointing at it, its
   * outbox messages (notices, team-channel posts), its reminders, its team channel's stored
   * conversation and its lines on Barnteam agendas (the meeting stays, without the child).
   * The case document goes last, so an erasure cut short is found and finished by the next
   * sweep. Erasing an erased or unknown case does nothing. Returns whether the case was there.
   */
  eraseCase(caseId: string): Promise<boolean>;
  /**
   * Deletes at most `limit` access-log entries written before `before`, oldest first; returns
   * how many. The only delete the access log has.
   */
  deleteAuditEntriesBefore(before: Instant, limit: number): Promise<number>;
  /**
   * Deletes at most `limit` outbox messages that belong to no case (the weekly log review's card,
   * which lists case references and readers), were delivered or dropped, and were created before
   * `before`; returns how many. A case's messages go with the case; pending, sending and parked
   * ones stay for the dispatcher and the operators.
   */
  deleteSettledCaselessMessagesBefore(before: Instant, limit: number): Promise<number>;
}

/** Everything a running bot stores, as one bundle handed to the use cases. */
export interface Stores {
  readonly cases: CaseStore;
  readonly conversations: ConversationStore;
  readonly outbox: OutboxStore;
  readonly reminders: ReminderStore;
  readonly audit: AuditLog;
  readonly activities: ActivityLedger;
  readonly meetings: MeetingStore;
  /** Follow-up figures; absent in fakes that do not count them. */
  readonly figures?: FigureStore;
  /** The retention sweep's listing and deletes (gallring); absent in fakes that do not erase. */
  readonly erasure?: ErasureStore;
  /** Releases what the stores opened themselves (a Cosmos client passed in stays the caller's). */
  close(): Promise<void>;
}

export { ZUserId };

/**
 * The log review (logguppföljning): for a period, who read or changed which case, when, with
 * which action and purpose, the unusual marked (`unusual-access.ts`). Only the directory's log
 * reviewers may run it. The review is itself an access to the log and is audited first, under
 * the log's own pseudo case `logguppfoljning`, so that a failing audit write stops it and the
 * next review shows who reviewed which period. Cases are named by their reference, never by
 * the child: the rows carry what the card may show and nothing of the case beyond that.
 */

import { isNonCaseAuditKey, nonCaseAuditKeys } from '../kernel/audit-keys.js';
import type { Case, Instant, UserId } from '../kernel/case.js';
import { appendAudit, type FlowDependencies } from '../kernel/case-effects.js';
import type { Directory } from '../kernel/directory.js';
import type { AuditEntry, AuditPosition } from '../kernel/ports.js';
import { type ReviewPeriod, toReviewWindow } from './review-period.js';
import { assessUnusualAccess, isReadAction, type UnusualMark } from './unusual-access.js';

/** The audit log's key for its own reviews, in place of a case id. */
export const logReviewAuditCaseId = nonCaseAuditKeys.logReview;
export const logReviewAction = 'logguppfoljning';

/**
 * Entries read per page, and the most one review reads of its period. The review keeps every
 * entry it reads (and the cases they name) in memory, and a review typed in the chat must
 * answer before Teams resends the message (about 15 s), so it stops at the limit and says so
 * instead of paging through a period of any size.
 */
export interface LogReviewLimits {
  readonly pageSize: number;
  readonly maxEntries: number;
}
export const logReviewLimits: LogReviewLimits = { pageSize: 500, maxEntries: 20_000 };

export const logReviewMessages = {
  notReviewer:
    'Logguppföljning kan bara göras av kommunens loggranskare. Kontakta den som förvaltar katalogen om du ska granska åtkomstloggen.',
} as const;

export interface LogReviewRow {
  readonly id: string;
  readonly at: Instant;
  readonly actor: UserId | 'system';
  /** The directory's or the case's name for the actor; absent when neither knows them. */
  readonly actorName?: string;
  readonly caseId: string;
  /** Absent when the case is gone (erased, or never stored). */
  readonly caseReference?: string;
  readonly action: string;
  readonly outcome: 'allowed' | 'refused';
  readonly purpose?: string;
  readonly marks: readonly UnusualMark[];
  /** For a read in a burst (`mangaArenden`) that began before the period: when it began. */
  readonly burstBeganAt?: Instant;
}

/** A look at the log or the figures in the period: who reviewed which period, or took which term's figures (the purpose line says it). */
export interface LogReviewRecord {
  readonly at: Instant;
  readonly actor: UserId | 'system';
  readonly actorName?: string;
  readonly purpose?: string;
}

export interface LogReview {
  readonly period: ReviewPeriod;
  /** In time order. */
  readonly rows: readonly LogReviewRow[];
  readonly reviews: readonly LogReviewRecord[];
  readonly totals: {
    readonly entries: number;
    readonly reads: number;
    readonly refused: number;
    readonly unusual: number;
    readonly cases: number;
    readonly people: number;
  };
  /**
   * Set when the period holds more entries than one review reads: the rows and totals are of
   * the period's first `entriesRead` entries only, up to and including `lastReadAt`.
   */
  readonly incomplete?: { readonly entriesRead: number; readonly lastReadAt: Instant };
}

export type LogReviewResult =
  | { readonly outcome: 'reviewed'; readonly review: LogReview }
  | { readonly outcome: 'refused'; readonly message: string };

/** Whether the user is one of the directory's log reviewers. */
export function isLogReviewer(directory: Directory, userId: string): boolean {
  return findLogReviewers(directory).some(
    (contact) => contact.aadObjectId.toLowerCase() === userId.toLowerCase(),
  );
}

/** The log reviewers in Teams, in the file's order. */
export function findLogReviewers(directory: Directory): Directory['contacts'] {
  const ids = new Set(directory.logReview.reviewers);
  return directory.contacts.filter((contact) => ids.has(contact.id));
}

/**
 * Runs a review for `actor` (a log reviewer, or `system` for the weekly summary).
 *
 * @throws DomainError from the audit log or the stores; nothing is shown then.
 */
export async function reviewAccessLog(
  deps: FlowDependencies,
  actor: UserId | 'system',
  period: ReviewPeriod,
  options: {
    /** For a run that may repeat (the weekly job): a fixed id and time make the repeat's entry identical. */
    readonly auditId?: string;
    readonly at?: Instant;
    readonly purpose?: string;
    readonly limits?: LogReviewLimits;
  } = {},
): Promise<LogReviewResult> {
  const now = options.at ?? deps.clock.now().toISOString();
  const allowed = actor === 'system' || isLogReviewer(deps.directory, actor);
  const entry = {
    at: now,
    actor,
    action: logReviewAction,
    caseId: logReviewAuditCaseId,
    outcome: allowed ? ('allowed' as const) : ('refused' as const),
    purpose: options.purpose ?? `Logguppföljning av perioden ${period.from}–${period.to}`,
  };
  if (options.auditId === undefined) await appendAudit(deps, entry);
  else await deps.stores.audit.append({ id: options.auditId, ...entry });
  if (!allowed) return { outcome: 'refused', message: logReviewMessages.notReviewer };
  return {
    outcome: 'reviewed',
    review: await buildLogReview(deps, period, options.limits ?? logReviewLimits),
  };
}

/** The entries of a window in time order, at most `maxEntries`; `complete` when that was all. */
async function readAuditWindow(
  deps: FlowDependencies,
  window: { readonly from: Instant; readonly to: Instant },
  limits: LogReviewLimits,
): Promise<{ entries: AuditEntry[]; complete: boolean }> {
  const entries: AuditEntry[] = [];
  let after: AuditPosition | undefined;
  for (;;) {
    const page = await deps.stores.audit.listBetween({
      ...window,
      limit: Math.min(limits.pageSize, limits.maxEntries - entries.length),
      ...(after === undefined ? {} : { after }),
    });
    entries.push(...page.entries);
    after = page.next;
    if (after === undefined) return { entries, complete: true };
    if (entries.length >= limits.maxEntries) return { entries, complete: false };
  }
}

async function buildLogReview(
  deps: FlowDependencies,
  period: ReviewPeriod,
  limits: LogReviewLimits,
): Promise<LogReview> {
  const window = toReviewWindow(period);
  const { entries, complete } = await readAuditWindow(deps, window, limits);
  // The reads just before the period, so that a burst of reads across its start is counted
  // whole. They are not listed: the previous period's review lists them. Nothing after the end
  // is read, so a burst across the end that reaches the threshold only after it is marked by
  // the next period's review alone.
  const manyCases = deps.directory.logReview.manyCases;
  const lookBack = await readAuditWindow(
    deps,
    {
      from: new Date(Date.parse(window.from) - manyCases.withinMinutes * 60_000).toISOString(),
      to: window.from,
    },
    limits,
  );
  const earlierReads = lookBack.entries.filter(
    (entry) => !isNonCaseAuditKey(entry.caseId) && entry.actor !== 'system' && isReadAction(entry.action),
  );

  const caseEntries = entries.filter((entry) => !isNonCaseAuditKey(entry.caseId));
  const cases = new Map<string, Case>();
  for (const caseId of new Set(caseEntries.map((entry) => entry.caseId))) {
    const stored = await deps.stores.cases.get(caseId);
    if (stored !== undefined) cases.set(caseId, stored.value);
  }
  const assessed = assessUnusualAccess(caseEntries, cases, manyCases, earlierReads);
  const nameOf = createNameLookup(deps.directory, cases);
  const rows = caseEntries.map((entry, index): LogReviewRow => {
    const caseValue = cases.get(entry.caseId);
    const actorName = nameOf(entry.actor, caseValue);
    const access = assessed[index];
    return {
      id: entry.id,
      at: entry.at,
      actor: entry.actor,
      ...(actorName === undefined ? {} : { actorName }),
      caseId: entry.caseId,
      ...(caseValue === undefined ? {} : { caseReference: caseValue.reference }),
      action: entry.action,
      outcome: entry.outcome,
      ...(entry.purpose === undefined ? {} : { purpose: entry.purpose }),
      marks: access?.marks ?? [],
      ...(access?.burstBeganAt === undefined ? {} : { burstBeganAt: access.burstBeganAt }),
    };
  });
  const reviews = entries
    .filter((entry) => isNonCaseAuditKey(entry.caseId))
    .map((entry): LogReviewRecord => {
      const actorName = nameOf(entry.actor, undefined);
      return {
        at: entry.at,
        actor: entry.actor,
        ...(actorName === undefined ? {} : { actorName }),
        ...(entry.purpose === undefined ? {} : { purpose: entry.purpose }),
      };
    });
  return {
    period,
    rows,
    reviews,
    totals: {
      entries: rows.length,
      reads: rows.filter((row) => isReadAction(row.action)).length,
      refused: rows.filter((row) => row.outcome === 'refused').length,
      unusual: rows.filter((row) => row.marks.length > 0).length,
      cases: new Set(rows.map((row) => row.caseId)).size,
      people: new Set(rows.filter((row) => row.actor !== 'system').map((row) => row.actor.toLowerCase()))
        .size,
    },
    ...(complete ? {} : { incomplete: { entriesRead: entries.length, lastReadAt: lastAt(entries) } }),
  };
}

function lastAt(entries: readonly AuditEntry[]): Instant {
  const last = entries.at(-1);
  if (last === undefined) throw new Error('An incomplete review has read entries');
  return last.at;
}

/** The directory's name for a person, else the name a case's role gives them. */
function createNameLookup(
  directory: Directory,
  cases: ReadonlyMap<string, Case>,
): (actor: UserId | 'system', caseValue: Case | undefined) => string | undefined {
  const names = new Map<string, string>();
  for (const caseValue of cases.values()) {
    for (const role of caseValue.roles) names.set(role.userId.toLowerCase(), role.displayName);
  }
  for (const contact of directory.contacts) {
    names.set(contact.aadObjectId.toLowerCase(), `${contact.displayName} (${contact.title})`);
  }
  return (actor, caseValue) => {
    if (actor === 'system') return 'Boten (Backa barnet)';
    const own = caseValue?.roles.find((role) => role.userId.toLowerCase() === actor.toLowerCase());
    return names.get(actor.toLowerCase()) ?? own?.displayName;
  };
}

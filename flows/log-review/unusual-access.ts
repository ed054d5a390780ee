/**
 * What the log review marks as unusual in the access log (logguppföljning, HSLF-FS 2016:40):
 * - a read by someone who held no role in the case at the time (and a read of a case that is
 *   gone, which can no longer be checked);
 * - a read of a case that was closed at the time (avböjt, samtycke återkallat, avslutat);
 * - one person reading many different cases in a short time (the directory's `manyCases`);
 * - every refused action.
 * The bot's own reads (`system`, rendering a notice) are the process itself and only a refusal
 * of them is marked. Pure: the caller lists the entries and reads the cases.
 */
import type { Case, CaseState, Instant } from '../kernel/case.js';
import type { LogReviewConfig } from '../kernel/directory.js';
import type { AuditEntry } from '../kernel/ports.js';
import { isClosedState } from '../kernel/transitions.js';

export const unusualMarks = ['nekad', 'utanRoll', 'arendetFinnsInte', 'avslutat', 'mangaArenden'] as const;
export type UnusualMark = (typeof unusualMarks)[number];

/** Reads are the audit actions named `las…` (lasArende, lasPlan, lasSkattningsformular …). */
export function isReadAction(action: string): boolean {
  return /^las[A-ZÅÄÖ]/.test(action);
}

/** Whether `userId` held any role in the case at `at`: a role counts from `since` until `until`. */
export function hadRoleAt(caseValue: Case, userId: string, at: Instant): boolean {
  const moment = Date.parse(at);
  return caseValue.roles.some(
    (role) =>
      role.userId.toLowerCase() === userId.toLowerCase() &&
      Date.parse(role.since) <= moment &&
      (role.until === undefined || moment < Date.parse(role.until)),
  );
}

/**
 * The case's state at `at`, from the chronology's transitions; a case with none recorded before
 * `at` counts as in its current state only if it never moved (a case read as it was filed).
 */
export function stateAt(caseValue: Case, at: Instant): CaseState | undefined {
  const moment = Date.parse(at);
  let state: CaseState | undefined;
  let moved = false;
  for (const entry of caseValue.chronology) {
    if (entry.to === undefined) continue;
    moved = true;
    if (Date.parse(entry.at) <= moment) state = entry.to;
  }
  return state ?? (moved ? undefined : caseValue.state);
}

/**
 * The marks of each entry, in the entries' order. `cases` holds the cases that still exist;
 * an entry's case missing from it is gone. `earlier` are the entries of the `withinMinutes`
 * just before the period: they count towards a burst of reads but are not marked themselves,
 * so that a burst across the period's start is not missed.
 */
export function markUnusualAccess(
  entries: readonly AuditEntry[],
  cases: ReadonlyMap<string, Case>,
  manyCases: LogReviewConfig['manyCases'],
  earlier: readonly AuditEntry[] = [],
): UnusualMark[][] {
  return assessUnusualAccess(entries, cases, manyCases, earlier).map((access) => access.marks);
}

export interface UnusualAccess {
  readonly marks: UnusualMark[];
  /** For a read in a burst that began among the `earlier` entries: when the burst began. */
  readonly burstBeganAt?: Instant;
}

/** As `markUnusualAccess`, with where a burst began when that was before the period. */
export function assessUnusualAccess(
  entries: readonly AuditEntry[],
  cases: ReadonlyMap<string, Case>,
  manyCases: LogReviewConfig['manyCases'],
  earlier: readonly AuditEntry[] = [],
): UnusualAccess[] {
  const combined = [...earlier, ...entries];
  const bursts = findManyCaseReads(combined, manyCases);
  return entries.map((entry, index): UnusualAccess => {
    const marks = markEntry(entry, cases.get(entry.caseId));
    const burstStart = bursts.get(earlier.length + index);
    if (burstStart === undefined) return { marks };
    marks.push('mangaArenden');
    const began = combined[burstStart];
    return burstStart < earlier.length && began !== undefined ? { marks, burstBeganAt: began.at } : { marks };
  });
}

function markEntry(entry: AuditEntry, caseValue: Case | undefined): UnusualMark[] {
  const marks: UnusualMark[] = [];
  if (entry.outcome === 'refused') marks.push('nekad');
  if (entry.actor === 'system' || entry.outcome === 'refused' || !isReadAction(entry.action)) return marks;
  if (caseValue === undefined) {
    marks.push('arendetFinnsInte');
    return marks;
  }
  if (!hadRoleAt(caseValue, entry.actor, entry.at)) marks.push('utanRoll');
  const state = stateAt(caseValue, entry.at);
  if (state !== undefined && isClosedState(state)) marks.push('avslutat');
  return marks;
}

/**
 * The reads (allowed or refused) that lie in a stretch of at most `withinMinutes` in which one
 * person read at least `cases` different cases, each by its index with the index of the first
 * read of the earliest such stretch it lies in. Both ends of the stretch count: reads exactly
 * `withinMinutes` apart are within it.
 */
export function findManyCaseReads(
  entries: readonly AuditEntry[],
  manyCases: LogReviewConfig['manyCases'],
): Map<number, number> {
  const windowMs = manyCases.withinMinutes * 60_000;
  const byActor = new Map<string, { index: number; at: number; caseId: string }[]>();
  entries.forEach((entry, index) => {
    if (entry.actor === 'system' || !isReadAction(entry.action)) return;
    const reads = byActor.get(entry.actor) ?? [];
    reads.push({ index, at: Date.parse(entry.at), caseId: entry.caseId });
    byActor.set(entry.actor, reads);
  });
  const marked = new Map<number, number>();
  for (const reads of byActor.values()) {
    reads.sort((a, b) => a.at - b.at || a.index - b.index);
    const counts = new Map<string, number>();
    let left = 0;
    // Stretches only move forward, so every read from `left` up to the last one marked is marked
    // already: starting after it keeps a long burst linear.
    let markedThrough = -1;
    reads.forEach((read, right) => {
      counts.set(read.caseId, (counts.get(read.caseId) ?? 0) + 1);
      while ((reads[left]?.at ?? read.at) < read.at - windowMs) {
        const leaving = reads[left];
        if (leaving === undefined) break;
        const count = (counts.get(leaving.caseId) ?? 1) - 1;
        if (count === 0) counts.delete(leaving.caseId);
        else counts.set(leaving.caseId, count);
        left += 1;
      }
      const first = reads[left];
      if (counts.size >= manyCases.cases && first !== undefined) {
        // The first stretch to cover a read is the earliest it lies in.
        for (let at = Math.max(left, markedThrough + 1); at <= right; at += 1) {
          const item = reads[at];
          if (item !== undefined) marked.set(item.index, first.index);
        }
        markedThrough = right;
      }
    });
  }
  return marked;
}

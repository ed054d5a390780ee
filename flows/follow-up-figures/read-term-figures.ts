/**
 * The process team reads a term's follow-up figures (the `statistik` card, its CSV file). The
 * figures are aggregates that touch no case, yet who read them is still logged: the audit log
 * is the one place a log review looks, and a refused request may be someone probing. Such an
 * entry carries `followUpFiguresAuditKey` where a case entry carries its case id: no case has
 * that id (case ids are UUIDs), so it never mixes into a case's own log, and the log review
 * finds every figures request under one key.
 *
 * Write order: the audit entry first, then the figures are computed. A failed audit refuses the
 * request (docs/security.md 7); nothing is written besides the audit entry.
 */

import { nonCaseAuditKeys } from '../kernel/audit-keys.js';
import type { UserId } from '../kernel/case.js';
import { appendAudit, type FlowDependencies } from '../kernel/case-effects.js';
import type { Directory } from '../kernel/directory.js';
import type { Term, TermFigures } from './term-figures.js';
import { formatTerm } from './term-request.js';

/** The figures of one term, as the pipeline computes them (flows/follow-up-figures/). */
export type ComputeTermFigures = (term: Term) => Promise<TermFigures>;

/** The audit log's key for figures requests, in place of a case id. */
export const followUpFiguresAuditKey = nonCaseAuditKeys.followUpFigures;

/** Where the figures were asked for: the card in the chat or the CSV download. */
export const figuresAuditActions = { card: 'statistik.visa', csv: 'statistik.csv' } as const;
export type FiguresAuditAction = (typeof figuresAuditActions)[keyof typeof figuresAuditActions];

export const figuresRefusal =
  'Statistiken är bara för processteamet. Be den som förvaltar katalogen att lägga till dig under processTeam om du ska ha den.';

/** The process team's members in Teams, in the file's order. */
export function listProcessTeam(directory: Directory): Directory['contacts'] {
  return directory.processTeam.flatMap((id) => directory.contacts.filter((contact) => contact.id === id));
}

export function isProcessTeamMember(directory: Directory, userId: string): boolean {
  const wanted = userId.toLowerCase();
  return listProcessTeam(directory).some((contact) => contact.aadObjectId.toLowerCase() === wanted);
}

export type ReadTermFiguresResult =
  | { readonly outcome: 'shown'; readonly figures: TermFigures }
  | { readonly outcome: 'refused'; readonly message: string };

/**
 * The figures of `term` for `actorId`, or a refusal for someone outside the process team; both
 * audited. The refusal holds nothing of the figures.
 */
export async function readTermFigures(
  deps: FlowDependencies,
  request: { readonly actorId: UserId; readonly term: Term; readonly action: FiguresAuditAction },
  computeTermFigures: ComputeTermFigures,
): Promise<ReadTermFiguresResult> {
  const allowed = isProcessTeamMember(deps.directory, request.actorId);
  await appendAudit(deps, {
    at: deps.clock.now().toISOString(),
    actor: request.actorId,
    action: request.action,
    caseId: followUpFiguresAuditKey,
    outcome: allowed ? 'allowed' : 'refused',
    purpose: `Uppföljningssiffror för ${formatTerm(request.term)} (sammanräknade, små tal dolda).`,
  });
  if (!allowed) return { outcome: 'refused', message: figuresRefusal };
  return { outcome: 'shown', figures: await computeTermFigures(request.term) };
}

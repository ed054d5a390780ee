/**
 * Access-log entries that touch no case carry one of these keys where a case entry carries its
 * case id: the log review itself, the process team's follow-up figures and the retention sweep.
 * No case has them (case ids are `arende-…`), and the log review lists them apart instead of as
 * reads of a case that is gone.
 */
export const nonCaseAuditKeys = {
  logReview: 'logguppfoljning',
  followUpFigures: 'uppfoljningssiffror',
  /** The daily retention sweep (gallring): each erased case, and each cut of the access log. */
  retention: 'gallring',
} as const;

const keys: readonly string[] = Object.values(nonCaseAuditKeys);

export function isNonCaseAuditKey(caseId: string): boolean {
  return keys.includes(caseId);
}

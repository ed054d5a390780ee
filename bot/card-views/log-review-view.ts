/** The log review as the card's data (cards/logguppfoljning), with the directory's threshold. */
import type { LogguppfoljningData } from '../../cards/logguppfoljning/logguppfoljning.js';
import type { Directory } from '../../flows/kernel/directory.js';
import type { LogReview } from '../../flows/log-review/review-access-log.js';

export function toLogguppfoljningData(review: LogReview, directory: Directory): LogguppfoljningData {
  return {
    periodFrom: review.period.from,
    periodTo: review.period.to,
    manyCases: directory.logReview.manyCases,
    totals: review.totals,
    ...(review.incomplete === undefined ? {} : { incomplete: { ...review.incomplete } }),
    rows: review.rows.map((row) => ({
      at: row.at,
      actor: row.actor,
      ...(row.actorName === undefined ? {} : { actorName: row.actorName }),
      caseId: row.caseId,
      ...(row.caseReference === undefined ? {} : { caseReference: row.caseReference }),
      action: row.action,
      outcome: row.outcome,
      ...(row.purpose === undefined ? {} : { purpose: row.purpose }),
      marks: [...row.marks],
      ...(row.burstBeganAt === undefined ? {} : { burstBeganAt: row.burstBeganAt }),
    })),
    reviews: review.reviews.map((record) => ({
      at: record.at,
      ...(record.actorName === undefined ? {} : { actorName: record.actorName }),
      ...(record.purpose === undefined ? {} : { purpose: record.purpose }),
    })),
  };
}

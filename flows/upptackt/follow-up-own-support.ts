/**
 * Use case: the follow-up date of "stöd i egen verksamhet" has come. Handler
 * of the reminder kind `foljUppEgenVerksamhet`: the Upptäckare is reminded to follow up. Runs at
 * least once; the notice id is derived from the reminder, so a repeat sends nothing new.
 */
import {
  appendAudit,
  enqueueNotice,
  type FlowDependencies,
  findUpptackare,
  nowInstant,
  toNoticeId,
} from '../kernel/case-effects.js';
import type { Reminder } from '../kernel/ports.js';
import { ZCalendarDate } from '../kernel/value-types.js';

/**
 * Reminds the Upptäckare. Nothing when the case is gone or no longer in stöd i egen verksamhet
 * (it went on to the Barnkontakt, was closed, or the consent was withdrawn).
 *
 * @returns whether a reminder was enqueued.
 */
export async function followUpOwnSupport(deps: FlowDependencies, reminder: Reminder): Promise<boolean> {
  const followUpDate = ZCalendarDate.safeParse(reminder.data.followUpDate);
  if (reminder.caseId === undefined || !followUpDate.success) return false;
  const stored = await deps.stores.cases.get(reminder.caseId);
  if (stored === undefined || stored.value.state !== 'stodIEgenVerksamhet') return false;
  const upptackare = findUpptackare(stored.value);
  if (upptackare === undefined) return false;
  const now = nowInstant(deps.clock);
  await appendAudit(deps, {
    at: now,
    actor: 'system',
    action: 'paminnaUppfoljning',
    caseId: stored.value.id,
    unitId: stored.value.unitId,
    outcome: 'allowed',
  });
  await enqueueNotice(deps, {
    id: toNoticeId(stored.value.id, 'uppfoljningEgenVerksamhet', followUpDate.data),
    kind: 'uppfoljningEgenVerksamhet',
    caseId: stored.value.id,
    recipientKey: upptackare.userId,
    data: { followUpDate: followUpDate.data },
    at: now,
  });
  return true;
}

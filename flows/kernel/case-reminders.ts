/**
 * Stopping the timed work of a case that has ended (a withdrawn consent, a closed case): every
 * scheduled reminder filed under it is cancelled. Done after the case's write and again on a
 * repeat, which repairs a crash in between; a reminder that fires meanwhile finds the case ended
 * and its handler sends nothing.
 */
import type { FlowDependencies } from './case-effects.js';
import { isDomainError } from './errors.js';
import { syncTeamChannelMembersReminderKind } from './team-channel.js';

/**
 * Cancels every scheduled reminder of the case, except the channel's member sync: that is what
 * ends the members' access to the team's channel. A reminder another instance holds right now is
 * left to its handler, which finds the case ended.
 *
 * @returns the ids this call cancelled (a repeat finds none left).
 */
export async function cancelCaseReminders(deps: FlowDependencies, caseId: string): Promise<string[]> {
  const cancelled: string[] = [];
  for (const item of await deps.stores.reminders.listForCase(caseId)) {
    if (item.value.status !== 'scheduled' || item.value.kind === syncTeamChannelMembersReminderKind) continue;
    try {
      await deps.stores.reminders.replace({ ...item.value, status: 'cancelled' }, item.etag);
      cancelled.push(item.value.id);
    } catch (error) {
      if (!isDomainError(error, 'concurrencyConflict') && !isDomainError(error, 'notFound')) throw error;
    }
  }
  return cancelled;
}

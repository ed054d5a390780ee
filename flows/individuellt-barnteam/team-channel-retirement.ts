/**
 * The end of an Individuellt barnteam's private channel, in two reminders after the team ends
 * (the case closed, or consent withdrawn):
 *
 * - `arkiveraTeamkanal`, scheduled by the members' sync once it has taken everyone but the owner
 *   out of the channel: waits until the team's last post is delivered (an archived channel
 *   takes no posts), has Teams archive the channel, records `archivedAt`, and schedules the
 *   deletion `retention.teamChannelDays` later. Archived or not, the deletion is scheduled: a
 *   refused archive (the host team archived, the owner gone) must not keep the channel forever.
 * - `raderaTeamkanal`: deletes the channel and records `deletedAt`. The retention sweep schedules
 *   one too, without a case, just before it erases a case whose channel is still there, so that
 *   the erasure never waits for Graph and the channel never outlives the case by more than the
 *   retries; that reminder holds the host team's and channel's ids only.
 *
 * A deleted channel stays restorable by a team owner for 30 days and counts toward the host team's
 * 30 private channels for as long; the provisioning moves on to the next host team when Graph says
 * a team is full. Graph failures are tried again every half hour for two days, then left to the
 * sweeper, which logs them for the operators.
 */
import { nonCaseAuditKeys } from '../kernel/audit-keys.js';
import type { Case, Instant } from '../kernel/case.js';
import { type FlowDependencies, nowInstant, toNoticeId } from '../kernel/case-effects.js';
import { isDomainError } from '../kernel/errors.js';
import type { Reminder } from '../kernel/ports.js';
import type { TeamChannel } from '../kernel/records/individual-team.js';
import {
  archiveTeamChannelReminderKind,
  deleteTeamChannelReminderKind,
  type TeamChannels,
} from '../kernel/team-channel.js';

/** What the channel's end needs: the stores and the channels' port (a part of the provisioning's). */
export interface TeamChannelRetirementDependencies extends FlowDependencies {
  readonly teamChannels: TeamChannels;
}

export type ArchiveChannelOutcome =
  | 'archived'
  | 'refused'
  | 'gone'
  | 'alreadyThere'
  | 'noChannel'
  | 'teamActive'
  | 'waitingForLastPost'
  | 'retryLater';

export type DeleteChannelOutcome = 'deleted' | 'gone' | 'alreadyThere' | 'teamActive' | 'retryLater';

const retryMs = 30 * 60_000;
/** Failed runs, half an hour apart, before the error is left to the sweeper: two days. */
const maxFailures = 96;
/** How long the archive waits for the last post: the outbox's own retries take about a day. */
const lastPostCheckMs = 15 * 60_000;
const maxLastPostChecks = 192;
const caseWriteTries = 3;
const dayMs = 24 * 60 * 60_000;

/** The archive of the case's channel, committed by the members' sync when the team has ended. */
export function buildArchiveChannelReminder(caseId: string, at: Instant): Reminder {
  return {
    id: `${caseId}:teamkanal:arkivera`,
    kind: archiveTeamChannelReminderKind,
    caseId,
    dueAt: at,
    status: 'scheduled',
    data: {},
    createdAt: at,
  };
}

/**
 * The deletion the retention sweep schedules before it erases a case whose channel is still
 * there: no case id (the erasure removes the case's reminders), the channel's ids only.
 */
export function buildChannelDeletionAtErasure(caseValue: Case, at: Instant): Reminder | undefined {
  const channel = caseValue.individuelltBarnteam?.channel;
  if (channel === undefined || channel.deletedAt !== undefined) return undefined;
  return {
    id: `gallring-teamkanal-${caseValue.id}`,
    kind: deleteTeamChannelReminderKind,
    dueAt: at,
    status: 'scheduled',
    data: { hostTeamId: channel.hostTeamId, channelId: channel.channelId },
    createdAt: at,
  };
}

/** The team's last post: the closing's or the withdrawal's, whichever ended it. */
function lastPostIds(caseId: string): string[] {
  return ['arendetAvslutat', 'teametAvslutat'].map((event) => toNoticeId(caseId, 'teamkanalStatus', event));
}

/** The team has ended (consent withdrawn, or the case closed): no new channel, no members. */
export function isTeamOver(caseValue: Case): boolean {
  return caseValue.state === 'samtyckeAterkallat' || caseValue.state === 'avslutad';
}

function failuresOf(reminder: Reminder): number {
  return typeof reminder.data.failures === 'number' ? reminder.data.failures : 0;
}

/** The handler of `arkiveraTeamkanal`. */
export async function archiveTeamChannel(
  deps: TeamChannelRetirementDependencies,
  reminder: Reminder,
): Promise<ArchiveChannelOutcome> {
  const caseId = reminder.caseId;
  if (caseId === undefined) return 'noChannel';
  const stored = await deps.stores.cases.get(caseId);
  const channel = stored?.value.individuelltBarnteam?.channel;
  if (stored === undefined || channel === undefined) return 'noChannel';
  if (channel.archivedAt !== undefined || channel.deletedAt !== undefined) return 'alreadyThere';
  if (!isTeamOver(stored.value)) return 'teamActive';

  const checks = typeof reminder.data.checks === 'number' ? reminder.data.checks : 0;
  if (checks < maxLastPostChecks && (await isLastPostUnderway(deps, caseId))) {
    await scheduleAgain(deps, reminder, `vantar:${checks + 1}`, lastPostCheckMs, { checks: checks + 1 });
    return 'waitingForLastPost';
  }

  await deps.stores.audit.append({
    id: `audit-${deps.newId()}`,
    at: nowInstant(deps.clock),
    actor: 'system',
    action: 'arkiveraTeamkanal',
    caseId,
    unitId: stored.value.unitId,
    outcome: 'allowed',
    purpose:
      'Teamet är avslutat: kanalen arkiveras så att inget mer skrivs där, och tas bort efter kommunens tid för teamkanaler.',
  });
  let archiving: Awaited<ReturnType<typeof deps.teamChannels.archiveChannel>>;
  try {
    archiving = await deps.teamChannels.archiveChannel(channel.hostTeamId, channel.channelId);
  } catch (error) {
    const failures = failuresOf(reminder);
    if (failures >= maxFailures) throw error;
    await scheduleAgain(deps, reminder, `fel:${failures + 1}`, retryMs, { checks, failures: failures + 1 });
    return 'retryLater';
  }
  const at = nowInstant(deps.clock);
  const deleteAt = new Date(deps.clock.now().getTime() + deps.directory.retention.teamChannelDays * dayMs);
  await writeChannel(
    deps,
    caseId,
    (current) =>
      archiving === 'archived' && current.archivedAt === undefined ? { ...current, archivedAt: at } : current,
    [
      {
        id: `${caseId}:teamkanal:radera`,
        kind: deleteTeamChannelReminderKind,
        caseId,
        dueAt: deleteAt.toISOString(),
        status: 'scheduled',
        data: { hostTeamId: channel.hostTeamId, channelId: channel.channelId },
        createdAt: at,
      },
    ],
  );
  return archiving;
}

/** Whether the team's last post is still to be delivered (a parked or dropped one is not waited for). */
export async function isLastPostUnderway(
  deps: TeamChannelRetirementDependencies,
  caseId: string,
): Promise<boolean> {
  for (const id of lastPostIds(caseId)) {
    const post = await deps.stores.outbox.get(id);
    if (post !== undefined && (post.value.status === 'pending' || post.value.status === 'sending'))
      return true;
  }
  return false;
}

/** The handler of `raderaTeamkanal`, the case's own and the retention sweep's. */
export async function deleteTeamChannel(
  deps: TeamChannelRetirementDependencies,
  reminder: Reminder,
): Promise<DeleteChannelOutcome> {
  const hostTeamId = String(reminder.data.hostTeamId ?? '');
  const channelId = String(reminder.data.channelId ?? '');
  if (hostTeamId === '' || channelId === '') throw new Error('teamChannelIdsMissing');
  const caseId = reminder.caseId;
  const stored = caseId === undefined ? undefined : await deps.stores.cases.get(caseId);
  const channel = stored?.value.individuelltBarnteam?.channel;
  if (stored !== undefined) {
    if (channel?.deletedAt !== undefined) return 'alreadyThere';
    if (!isTeamOver(stored.value)) return 'teamActive';
  }
  await deps.stores.audit.append({
    id: `audit-${deps.newId()}`,
    at: nowInstant(deps.clock),
    actor: 'system',
    action: 'raderaTeamkanal',
    // The sweep's deletion follows an erased case: it is logged with the sweep's entries.
    caseId: stored === undefined ? nonCaseAuditKeys.retention : stored.value.id,
    ...(stored === undefined ? {} : { unitId: stored.value.unitId }),
    outcome: 'allowed',
    purpose:
      stored === undefined
        ? `Kanalen i värdteamet tas bort efter gallringen av ärendet (${reminder.id}); den kan återställas av teamets ägare i 30 dagar.`
        : 'Teamet avslutades för kommunens tid för teamkanaler sedan: den arkiverade kanalen tas bort; ärendet behåller Barnets plan.',
  });
  let deleted: 'deleted' | 'gone';
  try {
    deleted = await deps.teamChannels.deleteChannel(hostTeamId, channelId);
  } catch (error) {
    const failures = failuresOf(reminder);
    if (failures >= maxFailures) throw error;
    await scheduleAgain(deps, reminder, `fel:${failures + 1}`, retryMs, {
      hostTeamId,
      channelId,
      failures: failures + 1,
    });
    return 'retryLater';
  }
  if (stored !== undefined && caseId !== undefined) {
    const at = nowInstant(deps.clock);
    await writeChannel(deps, caseId, (current) => ({ ...current, deletedAt: current.deletedAt ?? at }), []);
  }
  return deleted;
}

/** The next try of the same job, under an id of its own so that the done reminder stays done. */
async function scheduleAgain(
  deps: TeamChannelRetirementDependencies,
  reminder: Reminder,
  tag: string,
  afterMs: number,
  data: Reminder['data'],
): Promise<void> {
  const now = deps.clock.now();
  const base = reminder.id.replace(/:(vantar|fel):\d+$/, '');
  const { claimedBy: _claimedBy, claimedUntil: _claimedUntil, ...unclaimed } = reminder;
  await deps.stores.reminders.schedule({
    ...unclaimed,
    id: `${base}:${tag}`,
    dueAt: new Date(now.getTime() + afterMs).toISOString(),
    status: 'scheduled',
    data: { ...reminder.data, ...data },
    createdAt: now.toISOString(),
  });
}

/** Writes the channel's new record into the case, with the reminders it causes; retried on a lost race. */
async function writeChannel(
  deps: TeamChannelRetirementDependencies,
  caseId: string,
  change: (channel: TeamChannel) => TeamChannel,
  reminders: readonly Reminder[],
): Promise<void> {
  for (let attempt = 1; attempt <= caseWriteTries; attempt += 1) {
    const current = await deps.stores.cases.get(caseId);
    const team = current?.value.individuelltBarnteam;
    if (current === undefined || team?.channel === undefined) return;
    const at = nowInstant(deps.clock);
    try {
      await deps.stores.cases.replaceWithEffects(
        { ...current.value, individuelltBarnteam: { ...team, channel: change(team.channel) }, updatedAt: at },
        current.etag,
        { outbox: [], reminders: [...reminders] },
      );
      return;
    } catch (error) {
      if (!isDomainError(error, 'concurrencyConflict') || attempt === caseWriteTries) throw error;
    }
  }
}

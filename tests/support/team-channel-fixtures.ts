/**
 * A case whose Individuellt barnteam has started, as the team's start leaves it for the channel
 * provisioning: Maria Lind (Björkskolan's Barnkontakt) started it and is the channel's owner,
 * Sara Holm and a guest from the region are members, a police officer outside Teams is listed
 * without a Teams identity, and the `skapaTeamkanal` reminder is due. The child is "Testbarn
 * Exempel" (initials T.E.), reference BB-4K7Q-2M9C.
 */
import type { Case } from '../../flows/kernel/case.js';
import type { Reminder } from '../../flows/kernel/ports.js';
import type { IndividuelltBarnteam } from '../../flows/kernel/records/individual-team.js';
import {
  createTeamChannelReminderKind,
  syncTeamChannelMembersReminderKind,
  toCreateTeamChannelReminderId,
} from '../../flows/kernel/team-channel.js';
import { buildCase, buildConsent, buildRole, users } from '../fixtures/case-fixtures.js';

export const channelCaseId = 'arende-kanal-0001';
export const channelCaseReference = 'BB-4K7Q-2M9C';
export const childName = { givenName: 'Testbarn', familyName: 'Exempel' } as const;
/** The default name of the case's channel. */
export const expectedChannelName = 'Barnteam T.E. BB-4K7Q-2M9C';
/** A guest account of the region's BVC nurse in the municipality's tenant. */
export const guestUserId = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e31';
export const teamStartedAt = '2026-03-03T08:30:00.000Z';

export function buildTeam(overrides: Partial<IndividuelltBarnteam> = {}): IndividuelltBarnteam {
  return {
    startedAt: teamStartedAt,
    startedBy: users.barnkontakt,
    via: 'barnteam',
    members: [
      {
        userId: users.barnkontakt,
        displayName: 'Maria Lind',
        role: 'teammedlem',
        organisation: 'kommun',
        since: teamStartedAt,
      },
      {
        userId: users.annanBarnkontakt,
        displayName: 'Sara Holm',
        role: 'teammedlem',
        organisation: 'kommun',
        since: teamStartedAt,
      },
      {
        userId: guestUserId,
        displayName: 'Lisa Berg',
        role: 'teammedlem',
        organisation: 'region',
        since: teamStartedAt,
      },
      { displayName: 'Erik Falk', role: 'teammedlem', organisation: 'polis', since: teamStartedAt },
    ],
    participants: [],
    ...overrides,
  };
}

export function buildCaseWithTeam(overrides: Partial<Case> = {}): Case {
  return buildCase({
    id: channelCaseId,
    reference: channelCaseReference,
    state: 'individuelltBarnteam',
    child: { ...childName, birthDate: '2015-05-20' },
    consents: [buildConsent('muntligt'), buildConsent('skriftligt'), buildConsent('uppdateratSkriftligt')],
    roles: [
      buildRole({ userId: users.upptackare, role: 'upptackare' }),
      buildRole({ userId: users.barnkontakt, role: 'barnkontakt' }),
      buildRole({ userId: users.annanBarnkontakt, role: 'teammedlem' }),
      buildRole({ userId: guestUserId, role: 'teammedlem' }),
    ],
    individuelltBarnteam: buildTeam(),
    ...overrides,
  });
}

export function buildCreateChannelReminder(at = teamStartedAt): Reminder {
  return {
    id: toCreateTeamChannelReminderId(channelCaseId),
    kind: createTeamChannelReminderKind,
    caseId: channelCaseId,
    dueAt: at,
    status: 'scheduled',
    data: {},
    createdAt: at,
  };
}

export function buildSyncMembersReminder(cause: string, at = teamStartedAt): Reminder {
  return {
    id: `${channelCaseId}:teamkanal:medlemmar:${cause}`,
    kind: syncTeamChannelMembersReminderKind,
    caseId: channelCaseId,
    dueAt: at,
    status: 'scheduled',
    data: {},
    createdAt: at,
  };
}

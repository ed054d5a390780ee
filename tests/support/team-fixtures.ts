/**
 * Set-up for the Individuellt barnteam's use-case tests: Exempelby's directory with the team's
 * people (a skolkurator at the school, the socialsekreterare at social services, which has a SIP
 * duty, a police officer outside Teams), a case on a Barnteam's agenda with the updated written
 * consent, the booked meeting, and a helper that starts the team.
 */

import { startIndividuelltBarnteam } from '../../flows/individuellt-barnteam/start-individuellt-barnteam.js';
import type { Case } from '../../flows/kernel/case.js';
import type { Actor } from '../../flows/kernel/case-effects.js';
import type { BarnteamMeeting } from '../../flows/kernel/ports.js';
import { buildCase, buildConsent, buildRole, units } from '../fixtures/case-fixtures.js';
import { buildDirectory, createTestFlow, rektor, type TestFlow, tenantId, users } from './flow-fixtures.js';

export const teamUsers = {
  kurator: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e22',
  socialsekreterare: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e23',
} as const;

export const kurator: Actor = { userId: teamUsers.kurator, displayName: 'Ali Karimi', tenantId };
export const socialsekreterare: Actor = {
  userId: teamUsers.socialsekreterare,
  displayName: 'Nadia Lund',
  tenantId,
};

export const teamCaseId = 'arende-team-0001';
export const teamMeetingId = 'barnteam-bjorkskolan-2025-03-11';
/** Wednesday 12 March 2025, 10:00 in Stockholm. */
export const startedAt = '2025-03-12T09:00:00.000Z';

export function buildTeamDirectory() {
  return buildDirectory((input) => {
    input.contacts.push(
      {
        id: 'skolkurator-bjorkskolan',
        aadObjectId: teamUsers.kurator,
        displayName: 'Ali Karimi',
        email: 'ali.karimi@exempelby.se',
        title: 'Skolkurator',
        absences: [],
        unit: 'bjorkskolan',
      } as (typeof input.contacts)[number],
      {
        id: 'socialsekreterare',
        aadObjectId: teamUsers.socialsekreterare,
        displayName: 'Nadia Lund',
        email: 'nadia.lund@exempelby.se',
        title: 'Socialsekreterare',
        absences: [],
        unit: 'socialtjanstens-mottagning',
      } as (typeof input.contacts)[number],
      {
        id: 'polis-lokalpolisomradet',
        kind: 'utanforTeams',
        displayName: 'Erik Falk',
        email: 'erik.falk@polisen-exempel.se',
        title: 'Polisinspektör',
        organisation: 'polis',
        absences: [],
      } as unknown as (typeof input.contacts)[number],
    );
    (input as Record<string, unknown>).sipDutyUnits = ['socialtjanstens-mottagning'];
  });
}

/** The case on Björkskolan's Barnteam, with written and updated written consent unless told otherwise. */
export function buildCaseOnBarnteam(overrides: Partial<Case> = {}): Case {
  return buildCase({
    id: teamCaseId,
    state: 'barnteam',
    consents: [buildConsent('muntligt'), buildConsent('skriftligt'), buildConsent('uppdateratSkriftligt')],
    chronology: [
      {
        at: '2025-03-04T12:00:00.000Z',
        by: users.barnkontakt,
        event: 'taEmot',
        from: 'vantarPaBarnkontakt',
        to: 'mottagen',
      },
    ],
    ...overrides,
  });
}

export function buildBookedMeeting(): BarnteamMeeting {
  return {
    id: teamMeetingId,
    unitId: units.bjorkskolan,
    convenerUserId: users.barnkontakt,
    state: 'booked',
    start: '2025-03-11T08:00:00.000Z',
    end: '2025-03-11T09:30:00.000Z',
    agenda: [{ caseId: teamCaseId, reference: 'BB-4K7Q-2M9C', initials: 'T.E.' }],
    members: [],
    createdAt: '2025-03-05T08:00:00.000Z',
    updatedAt: '2025-03-05T08:00:00.000Z',
  };
}

export interface TeamFlow extends TestFlow {
  /** The case's current version. */
  etag(): Promise<string>;
}

/** A flow with the team's directory, the case and the booked meeting stored. */
export async function createTeamFlow(overrides: Partial<Case> = {}): Promise<TeamFlow> {
  const flow = createTestFlow({ directory: buildTeamDirectory() });
  flow.setNow(startedAt);
  await flow.stores.cases.create(buildCaseOnBarnteam(overrides));
  await flow.stores.meetings.create(buildBookedMeeting());
  return {
    ...flow,
    async etag() {
      const stored = await flow.stores.cases.get(teamCaseId);
      if (stored === undefined) throw new Error('Ärendet saknas');
      return stored.etag;
    },
  };
}

/** Starts the team from the Barnteam's outcome, as the Barnkontakt, and fails the test otherwise. */
export async function startTeam(flow: TeamFlow): Promise<void> {
  const result = await startIndividuelltBarnteam(flow.deps, {
    caseId: teamCaseId,
    etag: await flow.etag(),
    actor: rektor,
    via: 'barnteam',
    meetingId: teamMeetingId,
    at: startedAt,
  });
  if (result.outcome !== 'applied') throw new Error(`Teamet startade inte: ${JSON.stringify(result)}`);
}

export { buildRole, rektor, users };

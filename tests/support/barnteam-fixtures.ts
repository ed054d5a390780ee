/**
 * Set-up for the Barnteam use-case tests: Björkskolan's Barnteam with eight standing members (the
 * Barnkontakt convenes), the Upptäckare listed in the directory so their mailbox is known, the
 * in-memory stores, a fake calendar, and cases lifted to Barnteam with written consent.
 */
import type { BarnteamDependencies, BookBarnteamInput } from '../../flows/barnteam/book-barnteam.js';
import type { Case } from '../../flows/kernel/case.js';
import type { Actor } from '../../flows/kernel/case-effects.js';
import type { Directory } from '../../flows/kernel/directory.js';
import { buildCase, buildConsent, defaultRoles } from '../fixtures/case-fixtures.js';
import { createFakeCalendar, type FakeCalendar } from './fake-calendar.js';
import {
  buildDirectory,
  createTestFlow,
  rektor,
  type TestFlow,
  tenantId,
  upptackare,
  users,
} from './flow-fixtures.js';

export { rektor, tenantId, upptackare, users };

/** The eight standing members: id, role, whether required. */
export const memberSpecs = [
  { id: 'skolskoterska', role: 'elevhalsa', required: true },
  { id: 'kurator', role: 'elevhalsa', required: true },
  { id: 'skolpsykolog', role: 'elevhalsa', required: false },
  { id: 'socialsekreterare', role: 'socialtjanst', required: true },
  { id: 'familjebehandlare', role: 'socialtjanst', required: false },
  { id: 'vardcentral', role: 'halsoOchSjukvard', required: true },
  { id: 'bup', role: 'barnOchUngdomspsykiatri', required: false },
  { id: 'polis', role: 'polis', required: true },
] as const;

/** Entra object ids of the members: …5e1N. */
export function memberUserId(index: number): string {
  return `0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e${String(10 + index)}`;
}

export function memberEmail(id: string): string {
  return `${id}@exempelby.se`;
}

export const convenerEmail = 'rektor-bjorkskolan@exempelby.se';
export const upptackareEmail = 'larare-alex@exempelby.se';

export function buildBarnteamDirectory(
  change: (input: Record<string, unknown>) => void = () => {},
): Directory {
  return buildDirectory((input) => {
    const contacts = input.contacts as object[];
    contacts.push({
      id: 'larare-alex',
      aadObjectId: users.upptackare,
      displayName: 'Alex Andersson',
      email: upptackareEmail,
      title: 'Lärare',
      absences: [],
    });
    memberSpecs.forEach((spec, index) => {
      contacts.push({
        id: spec.id,
        aadObjectId: memberUserId(index),
        displayName: `Medlem ${spec.id}`,
        email: memberEmail(spec.id),
        title: spec.role,
        absences: [],
      });
    });
    const record = input as Record<string, unknown>;
    record.barnteams = [
      {
        id: 'barnteam-bjorkskolan',
        name: 'Barnteam Björkskolan',
        units: ['bjorkskolan'],
        members: memberSpecs.map((spec) => ({ role: spec.role, contact: spec.id, required: spec.required })),
        meetingMinutes: 60,
        bookingHorizonDays: 14,
      },
    ];
    change(record);
  });
}

/**
 * Björkskolan's Barnteam across organisations: the BUP member a guest from the region (Teams
 * identity, mailbox at home) and the police member outside Teams (an e-mail address only).
 */
export function buildBarnteamDirectoryAcrossOrganisations(): Directory {
  return buildBarnteamDirectory((input) => {
    for (const contact of input.contacts as Record<string, unknown>[]) {
      if (contact.id === 'bup') contact.kind = 'gast';
      if (contact.id === 'polis') {
        contact.kind = 'utanforTeams';
        delete contact.aadObjectId;
      }
    }
  });
}

export interface BarnteamFlow extends TestFlow {
  readonly deps: BarnteamDependencies;
  readonly calendar: FakeCalendar;
  /** Stores a case lifted to Barnteam (written consent by default) and returns it. */
  givenCase(overrides?: Partial<Case>): Promise<Case>;
}

export function createBarnteamFlow(options: { directory?: Directory } = {}): BarnteamFlow {
  const flow = createTestFlow({ directory: options.directory ?? buildBarnteamDirectory() });
  const calendar = createFakeCalendar();
  const stores = flow.stores;
  let cases = 0;
  return {
    ...flow,
    calendar,
    deps: { ...flow.deps, stores, calendar },
    async givenCase(overrides = {}) {
      cases += 1;
      const caseValue = buildCase({
        id: `case-${String(cases).padStart(4, '0')}`,
        reference: `BB-TEST-000${cases}`,
        state: 'barnteam',
        child: { givenName: 'Testbarn', familyName: `Exempelsson${cases}`, identityNumber: '201706122387' },
        roles: defaultRoles(),
        consents: [buildConsent('muntligt'), buildConsent('skriftligt')],
        ...overrides,
      });
      await stores.cases.create(caseValue);
      return caseValue;
    },
  };
}

/** Wednesday 5 March 2025, 08:00 in Stockholm. */
export const proposedAt = '2025-03-05T07:00:00.000Z';

/** Monday 10 March 2025, 09:00–10:00 in Stockholm. */
export const slot = { start: '2025-03-10T08:00:00.000Z', end: '2025-03-10T09:00:00.000Z' };

export const proposalId = '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f';

export function bookingInput(
  caseIds: readonly string[],
  overrides: Partial<BookBarnteamInput> = {},
): BookBarnteamInput {
  return {
    unitId: 'bjorkskolan',
    caseIds,
    slot,
    actor: rektor,
    proposalId,
    at: proposedAt,
    ...overrides,
  };
}

export function memberActor(index: number): Actor {
  return { userId: memberUserId(index), displayName: `Medlem ${memberSpecs[index]?.id ?? index}`, tenantId };
}

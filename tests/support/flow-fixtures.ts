/**
 * Shared set-up for the use-case tests: Exempelby's directory (as in
 * config/directory.sample.yaml, built here so tests do not depend on that file), a settable
 * clock, the in-memory stores and a valid Upptäckarkort submit.
 */
import type { Actor, FlowDependencies } from '../../flows/kernel/case-effects.js';
import { type Directory, ZDirectory } from '../../flows/kernel/directory.js';
import { type DiscoverySubmission, parseDiscoverySubmission } from '../../flows/upptackt/discovery-form.js';
import { tenantId, users } from '../fixtures/case-fixtures.js';
import { createInMemoryStores, type InMemoryStores } from './in-memory-stores.js';

export { tenantId, users };

/** A valid personnummer of a child born 2017-06-12 (in grundskolan in 2025). */
export const childIdentityNumber = '20170612-2387';

function contact(id: string, aadObjectId: string, displayName: string, title: string) {
  return { id, aadObjectId, displayName, email: `${id}@exempelby.se`, title, absences: [] as object[] };
}

export function buildDirectoryInput() {
  return {
    municipality: { name: 'Exempelby kommun', tenantId },
    contacts: [
      contact('rektor-bjorkskolan', users.barnkontakt, 'Maria Lind', 'Rektor'),
      contact('bitr-rektor-bjorkskolan', users.ersattare, 'Johan Ek', 'Bitr. rektor'),
      contact('rektor-larkans-forskola', users.annanBarnkontakt, 'Sara Holm', 'Rektor'),
      contact('bvc-skoterska', users.bvc, 'Eva Nilsson', 'BVC-sköterska'),
      contact('barnmorska', users.barnmorska, 'Lena Björk', 'Barnmorska'),
      contact('samordnare', users.socialtjanst, 'Omar Haddad', 'Samordnare'),
    ],
    units: [
      {
        id: 'bjorkskolan',
        name: 'Björkskolan',
        type: 'grundskola',
        organisation: 'kommun',
        barnkontakt: 'rektor-bjorkskolan',
        deputies: ['bitr-rektor-bjorkskolan'],
      },
      {
        id: 'larkans-forskola',
        name: 'Lärkans förskola',
        type: 'forskola',
        organisation: 'kommun',
        barnkontakt: 'rektor-larkans-forskola',
      },
      {
        id: 'exempelby-bvc',
        name: 'Exempelby BVC',
        type: 'bvc',
        organisation: 'region',
        barnkontakt: 'bvc-skoterska',
      },
      {
        id: 'exempelby-bmm',
        name: 'Exempelby barnmorskemottagning',
        type: 'bmm',
        organisation: 'region',
        barnkontakt: 'barnmorska',
      },
      {
        id: 'socialtjanstens-mottagning',
        name: 'Socialtjänstens mottagning',
        type: 'socialtjanstMottagning',
        organisation: 'kommun',
      },
    ],
    fallback: { unit: 'socialtjanstens-mottagning', contact: 'samordnare' },
    socialServicesIntake: { unit: 'socialtjanstens-mottagning', contacts: ['samordnare'] },
    termDates: [
      { schoolYear: '2024/25', autumnTermStart: '2024-08-19', springTermEnd: '2025-06-13' },
      { schoolYear: '2025/26', autumnTermStart: '2025-08-18', springTermEnd: '2026-06-12' },
    ],
    workingTime: { start: '08:00', end: '16:30', holidays: [] as string[] },
    reminders: { chaseUnansweredCardAfterWorkingDays: 2, repeatChaseEveryWorkingDays: 2 },
  };
}

export function buildDirectory(
  change: (input: ReturnType<typeof buildDirectoryInput>) => void = () => {},
): Directory {
  const input = buildDirectoryInput();
  change(input);
  return ZDirectory.parse(input);
}

/** Tuesday 4 March 2025, 09:00 in Stockholm. */
export const filedAt = '2025-03-04T08:00:00.000Z';

export interface TestFlow {
  readonly deps: FlowDependencies;
  readonly stores: InMemoryStores;
  /** Moves the clock. */
  setNow(instant: string): void;
}

export function createTestFlow(options: { directory?: Directory; maxChases?: number } = {}): TestFlow {
  const stores = createInMemoryStores();
  let now = new Date(filedAt);
  let ids = 0;
  let bytes = 0;
  return {
    stores,
    setNow(instant) {
      now = new Date(instant);
    },
    deps: {
      stores,
      directory: options.directory ?? buildDirectory(),
      clock: { now: () => new Date(now) },
      identityKeySecret: 'test-nyckel-for-identitetsnummer-32-byte-minst',
      newId: () => {
        ids += 1;
        return `id-${ids}`;
      },
      randomBytes: (count) => {
        bytes += 1;
        return Uint8Array.from({ length: count }, (_, index) => (bytes * 31 + index * 7) % 256);
      },
      ...(options.maxChases === undefined ? {} : { maxChases: options.maxChases }),
    },
  };
}

export const upptackare: Actor = { userId: users.upptackare, displayName: 'Alex Andersson', tenantId };
export const rektor: Actor = { userId: users.barnkontakt, displayName: 'Maria Lind', tenantId };
export const bitrRektor: Actor = { userId: users.ersattare, displayName: 'Johan Ek', tenantId };
export const forskolerektor: Actor = { userId: users.annanBarnkontakt, displayName: 'Sara Holm', tenantId };

export const draftId = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';

/** What Teams sends for a filled-in Upptäckarkort, every value a string. */
export function buildRawSubmit(overrides: Record<string, string | undefined> = {}): Record<string, unknown> {
  const raw: Record<string, string | undefined> = {
    draftId,
    childGivenName: 'Testbarn',
    childFamilyName: 'Exempel',
    childIdentityNumber: childIdentityNumber,
    childBirthDate: '',
    childDueDate: '',
    unitId: 'bjorkskolan',
    firstBvcVisitDone: 'vetEj',
    attendsForskola: 'vetEj',
    forskolaStartDate: '',
    schoolStartDate: '',
    reporterOrganisation: 'kommun',
    reporterRole: 'Lärare',
    area_omsorg: 'behoverStarkas',
    areaComment_omsorg: 'Kommer ofta utan frukost.',
    area_trygghet: 'fungerarBra',
    area_maBra: 'behoverStarkas',
    observation: 'Barnet har varit tyst och trött de senaste veckorna.',
    talkedWithGuardian: 'true',
    path: 'aktiveraBarnkontakt',
    verbalConsent: 'true',
    consentGivenBy: 'vardnadshavare',
    followUpDate: '',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined));
}

/** A parsed submission; fails the test if the raw submit is not valid. */
export function buildSubmission(
  overrides: Record<string, string | undefined> = {},
  directory: Directory = buildDirectory(),
): DiscoverySubmission {
  const result = parseDiscoverySubmission(buildRawSubmit(overrides), { today: '2025-03-04', directory });
  if (!result.ok) {
    throw new Error(`Ogiltigt testkort: ${JSON.stringify(result.fieldErrors)}`);
  }
  return result.value;
}

/**
 * The follow-up figures from a small scripted history: a handful of cases written through the
 * figure-recording case store into a real (temporary) SQLite store, and the term's tables
 * counted by hand below. The cases are then erased and the figures must not change.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  computeTermFigures,
  summariseWorkingDays,
} from '../../../flows/follow-up-figures/compute-term-figures.js';
import { workingDaysBetween } from '../../../flows/follow-up-figures/figure-events.js';
import { recordFiguresInStores } from '../../../flows/follow-up-figures/figure-recording-cases.js';
import type { TermFigures } from '../../../flows/follow-up-figures/term-figures.js';
import type { Case } from '../../../flows/kernel/case.js';
import { compassAreaKeys } from '../../../flows/kernel/compass.js';
import { guidingPrincipleKeys } from '../../../flows/kernel/guiding-principles.js';
import type { Stores } from '../../../flows/kernel/ports.js';
import type { Discovery } from '../../../flows/kernel/records/discovery.js';
import type { Samtal } from '../../../flows/kernel/records/samtal.js';
import { createFigureIdHash } from '../../../infra/figure-id-hash.js';
import { openSqliteStores } from '../../../infra/store/sqlite-stores.js';
import { buildCase, users } from '../../fixtures/case-fixtures.js';
import { buildDirectory } from '../../support/flow-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'backa-figures-'));
let opened = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

const directory = buildDirectory();
const clock = { now: () => new Date('2026-07-01T06:00:00.000Z') };
const hash = createFigureIdHash('test-nyckel-for-identitetsnummer-32-byte-minst');

function openStores(): { stores: Stores; path: string } {
  opened += 1;
  const path = join(root, `run-${opened}`, 'backa.sqlite');
  return { stores: recordFiguresInStores(openSqliteStores({ path }), hash), path };
}

const allFaces = compassAreaKeys.map((key) => ({ key, rating: 3 as const }));

function discovery(draftId: string, filedAt: string, overrides: Partial<Discovery> = {}): Discovery {
  return {
    draftId,
    filedBy: users.upptackare,
    filedAt,
    reporter: { organisation: 'kommun', role: 'Lärare' },
    external: false,
    enrolment: {},
    areas: compassAreaKeys.map((key) => ({ key, assessment: 'vetEj' as const })),
    observation: 'Barnet verkar trött på morgnarna.',
    talkedWithGuardian: true,
    path: 'aktiveraBarnkontakt',
    ...overrides,
  };
}

function samtal(id: string, heldOn: string, kind: Samtal['kind'], withChild: boolean): Samtal {
  return {
    id,
    kind,
    heldOn,
    underlag: { version: '6-12', chosenBy: 'alder' },
    perspectives: withChild ? { barnet: allFaces, vardnadshavare: allFaces } : { vardnadshavare: allFaces },
    recordedBy: users.barnkontakt,
    recordedAt: `${heldOn}T14:00:00.000Z`,
  };
}

const taken = (at: string) =>
  ({ at, by: users.barnkontakt, event: 'taEmot', from: 'vantarPaBarnkontakt', to: 'mottagen' }) as const;

/**
 * A: Björkskolan, all the way from a card on 1 April 2026 to a fixed plan, then behov uppfyllt.
 * Easter (Good Friday 3 April, Easter Monday 6 April) and 1 May fall inside its lead times.
 */
function caseA(): Case {
  return buildCase({
    id: 'case-a',
    reference: 'BB-AAAA-AAAA',
    state: 'behovUppfyllt',
    discovery: discovery('draft-a', '2026-04-01T08:00:00.000Z'),
    chronology: [
      {
        at: '2026-04-01T08:00:00.000Z',
        by: users.upptackare,
        event: 'upptackarkortRegistrerat',
        to: 'upptackt',
      },
      taken('2026-04-07T08:00:00.000Z'),
      {
        at: '2026-06-10T08:00:00.000Z',
        by: users.barnkontakt,
        event: 'markeraBehovUppfyllt',
        from: 'planAktiv',
        to: 'behovUppfyllt',
      },
    ],
    samtal: [samtal('samtal-a-1', '2026-04-14', 'barnsamtal', true)],
    beslut: [
      {
        beslutNo: 1,
        decision: 'barnteam',
        principles: guidingPrincipleKeys.map((key) => ({ key, answer: 'ja' as const })),
        decidedBy: users.barnkontakt,
        decidedAt: '2026-04-16T08:00:00.000Z',
      },
    ],
    skattningar: [
      {
        caseId: 'case-a',
        meetingId: 'meeting-1',
        rater: { userId: users.barnkontakt, displayName: 'Maria Lind', role: 'Rektor' },
        answeredAt: '2026-04-27T08:00:00.000Z',
        areas: allFaces,
      },
    ],
    barnteamUtfall: [
      {
        meetingId: 'meeting-1',
        recordedBy: users.barnkontakt,
        at: '2026-04-28T08:00:00.000Z',
        proposedSupport: [],
        startIndividuelltBarnteam: true,
      },
    ],
    individuelltBarnteam: {
      startedAt: '2026-04-29T08:00:00.000Z',
      startedBy: users.barnkontakt,
      via: 'barnteam',
      meetingId: 'meeting-1',
      members: [
        {
          userId: users.barnkontakt,
          displayName: 'Maria Lind',
          role: 'teammedlem',
          organisation: 'kommun',
          unitId: 'bjorkskolan',
          since: '2026-04-29T08:00:00.000Z',
        },
        {
          userId: users.socialtjanst,
          displayName: 'Sam Berg',
          role: 'teammedlem',
          organisation: 'kommun',
          unitId: 'socialtjanstens-mottagning',
          since: '2026-04-30T08:00:00.000Z',
        },
      ],
      participants: [],
    },
    barnetsPlan: {
      goals: [],
      actions: [],
      closeToMe: [],
      compassFollowUps: [
        {
          followUpNo: 1,
          kind: 'uppfoljning',
          recordedBy: users.barnkontakt,
          recordedAt: '2026-06-01T08:00:00.000Z',
          sets: [{ rater: 'teamet', ratings: allFaces }],
        },
      ],
      faststalld: { at: '2026-05-04T08:00:00.000Z', by: users.barnkontakt },
    } as unknown as Case['barnetsPlan'],
  });
}

/** B: a police officer's card about a Björkskolan pupil, made an orosanmälan with the card attached. */
function caseB(): Case {
  return buildCase({
    id: 'case-b',
    reference: 'BB-BBBB-BBBB',
    state: 'orosanmalan',
    discovery: discovery('draft-b', '2026-02-02T08:00:00.000Z', {
      reporter: { organisation: 'polis', role: 'Polis' },
      external: true,
      path: 'orosanmalan',
    }),
    orosanmalan: {
      cardAttached: true,
      intakeUnitId: 'socialtjanstens-mottagning',
      sentAt: '2026-02-02T09:00:00.000Z',
    },
  });
}

/** C: Lärkans förskola, its team and plan from the autumn of 2025, a follow-up talk in March 2026. */
function caseC(): Case {
  return buildCase({
    id: 'case-c',
    reference: 'BB-CCCC-CCCC',
    state: 'planAktiv',
    unitId: 'larkans-forskola',
    discovery: discovery('draft-c', '2025-06-30T08:00:00.000Z'),
    chronology: [
      {
        at: '2025-06-30T08:00:00.000Z',
        by: users.upptackare,
        event: 'upptackarkortRegistrerat',
        to: 'upptackt',
      },
      taken('2025-07-01T08:00:00.000Z'),
    ],
    samtal: [samtal('samtal-c-2', '2026-03-10', 'uppfoljningssamtal', false)],
    individuelltBarnteam: {
      startedAt: '2025-09-01T08:00:00.000Z',
      startedBy: users.annanBarnkontakt,
      via: 'sip',
      members: [
        {
          userId: users.annanBarnkontakt,
          displayName: 'Sara Holm',
          role: 'teammedlem',
          organisation: 'kommun',
          unitId: 'larkans-forskola',
          since: '2025-09-01T08:00:00.000Z',
        },
      ],
      participants: [],
    },
    barnetsPlan: {
      goals: [],
      actions: [],
      closeToMe: [],
      compassFollowUps: [],
      faststalld: { at: '2025-09-15T08:00:00.000Z', by: users.annanBarnkontakt },
    } as unknown as Case['barnetsPlan'],
  });
}

/** F and G: cards taken the same day (Monday 2 March) and over a weekend (Friday 6 → Monday 9 March). */
function caseTaken(id: string, filedAt: string, takenAt: string): Case {
  return buildCase({
    id,
    reference: `BB-${id.slice(-1).toUpperCase().repeat(4)}-0000`,
    state: 'mottagen',
    discovery: discovery(`draft-${id}`, filedAt),
    chronology: [
      { at: filedAt, by: users.upptackare, event: 'upptackarkortRegistrerat', to: 'upptackt' },
      taken(takenAt),
    ],
  });
}

const history = (): Case[] => [
  caseA(),
  caseB(),
  caseC(),
  caseTaken('case-f', '2026-03-02T08:00:00.000Z', '2026-03-02T13:00:00.000Z'),
  caseTaken('case-g', '2026-03-06T08:00:00.000Z', '2026-03-09T08:00:00.000Z'),
];

/** vt 2026, counted by hand from the cases above. */
const expectedVt2026: TermFigures = {
  term: { season: 'vt', year: 2026 },
  computedAt: '2026-07-01T06:00:00.000Z',
  upptackarkort: {
    // A, F, G internal; B the police's card (C's card was filed in vt 2025).
    internt: 3,
    externt: 1,
    perOrganisation: [
      { organisation: 'bjorkskolan', label: 'Björkskolan', count: 4, internt: 3, externt: 1 },
    ],
  },
  barnsamtal: { medBarn: 1, medVardnadshavare: 1, uppfoljningssamtal: 1 },
  barnteam: { hallna: 1, nyupptacktaBarn: 1, gemensamBehovskompass: 1, initieradeIndividuellaBarnteam: 1 },
  individuellaBarnteam: {
    // A's team (started in April, ended in June) and C's from the autumn, still going.
    antal: 2,
    medAktivtBarnetsPlan: 2,
    delaktigaVerksamheter: [
      { organisation: 'bjorkskolan', label: 'Björkskolan', count: 1 },
      { organisation: 'larkans-forskola', label: 'Lärkans förskola', count: 1 },
      { organisation: 'socialtjanstens-mottagning', label: 'Socialtjänstens mottagning', count: 1 },
    ],
  },
  behovUppfyllt: { antalBarn: 1, medBehovskompassUppfoljning: 1 },
  orosanmalningar: [{ organisation: 'polis', label: 'Polis', count: 1, medUpptackarkort: 1 }],
  ledtider: [
    // A 2 (Thu 2 April; Good Friday, the weekend and Easter Monday do not count), F 0, G 1.
    { step: 'kortTillMottagen', count: 3, medianWorkingDays: 1, p90WorkingDays: 2 },
    { step: 'mottagenTillBarnsamtal', count: 1, medianWorkingDays: 5, p90WorkingDays: 5 },
    { step: 'barnsamtalTillBeslut', count: 1, medianWorkingDays: 2, p90WorkingDays: 2 },
    { step: 'beslutTillBarnteam', count: 1, medianWorkingDays: 8, p90WorkingDays: 8 },
    { step: 'barnteamTillIndividuelltBarnteam', count: 1, medianWorkingDays: 1, p90WorkingDays: 1 },
    // 30 April, then 1 May (a holiday) and the weekend, then Monday 4 May.
    { step: 'individuelltBarnteamTillPlan', count: 1, medianWorkingDays: 2, p90WorkingDays: 2 },
  ],
};

async function writeHistory(stores: Stores): Promise<void> {
  for (const value of history()) {
    const created = await stores.cases.create(value);
    // The same case written again (a redelivered turn): nothing new to count.
    await stores.cases.replace(created.value, created.etag);
  }
}

describe('follow-up figures of a term', () => {
  it('counts the scripted history as the hand-made tables say', async () => {
    const { stores } = openStores();
    await writeHistory(stores);
    expect(await computeTermFigures({ stores, directory, clock }, { season: 'vt', year: 2026 })).toEqual(
      expectedVt2026,
    );
    await stores.close();
  });

  it('counts a team and a plan in the term they were active in, and lead times in the later step’s term', async () => {
    const { stores } = openStores();
    await writeHistory(stores);
    const ht2025 = await computeTermFigures({ stores, directory, clock }, { season: 'ht', year: 2025 });
    expect(ht2025.individuellaBarnteam).toEqual({
      antal: 1,
      medAktivtBarnetsPlan: 1,
      delaktigaVerksamheter: [{ organisation: 'larkans-forskola', label: 'Lärkans förskola', count: 1 }],
    });
    expect(ht2025.upptackarkort.internt).toBe(0);
    // C's card was filed on 30 June and taken on 1 July: the lead time is autumn's.
    expect(ht2025.ledtider[0]).toEqual({
      step: 'kortTillMottagen',
      count: 1,
      medianWorkingDays: 1,
      p90WorkingDays: 1,
    });
    const vt2025 = await computeTermFigures({ stores, directory, clock }, { season: 'vt', year: 2025 });
    expect(vt2025.upptackarkort.perOrganisation).toEqual([
      { organisation: 'larkans-forskola', label: 'Lärkans förskola', count: 1, internt: 1, externt: 0 },
    ]);
    await stores.close();
  });

  it('keeps the figures when the case documents are erased', async () => {
    const { stores, path } = openStores();
    await writeHistory(stores);
    const before = await computeTermFigures({ stores, directory, clock }, { season: 'vt', year: 2026 });
    await stores.close();
    const db = new Database(path);
    db.exec('DELETE FROM cases');
    db.close();
    const reopened = recordFiguresInStores(openSqliteStores({ path }), hash);
    expect(await reopened.cases.get('case-a')).toBeUndefined();
    expect(
      await computeTermFigures({ stores: reopened, directory, clock }, { season: 'vt', year: 2026 }),
    ).toEqual(before);
    await reopened.close();
  });

  it('stores no case id, reference or name with the figures', async () => {
    const { stores, path } = openStores();
    await writeHistory(stores);
    await stores.close();
    const db = new Database(path, { readonly: true });
    const stored = JSON.stringify([
      db.prepare('SELECT * FROM figure_events').all(),
      db.prepare('SELECT * FROM figure_counts').all(),
    ]);
    db.close();
    expect(stored).toContain('bjorkskolan');
    for (const secret of ['case-a', 'BB-AAAA', 'Testbarn', 'draft-a', 'samtal-a-1', 'meeting-1']) {
      expect(stored).not.toContain(secret);
    }
  });
});

describe('working days between two steps', () => {
  it('skips weekends and Swedish holidays', () => {
    expect(workingDaysBetween('2026-04-01T08:00:00.000Z', '2026-04-07T08:00:00.000Z')).toBe(2);
    expect(workingDaysBetween('2026-03-06', '2026-03-09')).toBe(1);
    expect(workingDaysBetween('2026-03-02T08:00:00.000Z', '2026-03-02T15:00:00.000Z')).toBe(0);
  });

  it('gives median and nearest-rank 90th percentile from the histogram', () => {
    expect(summariseWorkingDays([])).toEqual({ count: 0 });
    // 1, 2, 2, 3, 4, 5, 6, 7, 8, 20: median (4 + 5) / 2, p90 the 9th value.
    expect(
      summariseWorkingDays([
        { days: 20, count: 1 },
        { days: 2, count: 2 },
        ...[1, 3, 4, 5, 6, 7, 8].map((days) => ({ days, count: 1 })),
      ]),
    ).toEqual({ count: 10, medianWorkingDays: 4.5, p90WorkingDays: 8 });
  });
});

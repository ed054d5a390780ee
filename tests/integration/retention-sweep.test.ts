/**
 * The nightly retention sweep against the real stores (SQLite files shared by two openings, and
 * Cosmos DB on the local server with two clients), run by two reminder sweepers at once as two
 * instances would: the case is erased once, nothing of the child is left in any store, the other
 * children and the follow-up figures stay, and the access log keeps only what is within its period.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CosmosClient } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../flows/kernel/case.js';
import type { FlowDependencies } from '../../flows/kernel/case-effects.js';
import { toTeamkanalKey } from '../../flows/kernel/notices.js';
import type { Reminder, Stores } from '../../flows/kernel/ports.js';
import {
  dailyRetentionReminderKind,
  ensureDailyRetention,
  eraseDueCases,
  retentionAuditKey,
} from '../../flows/retention/erase-due-cases.js';
import { loadDirectoryFile } from '../../infra/directory-file.js';
import { createLogger } from '../../infra/logger.js';
import { createReminderSweeper } from '../../infra/reminders/reminder-sweeper.js';
import { cosmosContainers } from '../../infra/store/cosmos-containers.js';
import { openCosmosStores } from '../../infra/store/cosmos-stores.js';
import { openSqliteStores } from '../../infra/store/sqlite-stores.js';
import {
  buildAuditEntry,
  buildContractCase,
  buildConversation,
  buildOutboxMessage,
  buildReminder,
  rektorId,
} from '../contract/contract-data.js';
import { type LocalCosmosServer, startCosmosServer } from '../support/cosmos-server.js';

const directory = loadDirectoryFile('config/directory.sample.yaml');

/** What must be gone: the erased child's names, identity number, case reference and initials. */
const earlierIdentityKey = 'key-tidigare-5a6b7c8d9e';
const childTraces = [
  'Åsa-Märta',
  'Öberg',
  '201503142388',
  'BB-4K7Q-2M9C',
  'ÅMÖ',
  'key-0123456789abcdef',
  earlierIdentityKey,
];

function closed(caseValue: Case, state: 'avslutad' | 'avbojd', at: string): Case {
  return {
    ...caseValue,
    state,
    updatedAt: at,
    chronology: [
      ...caseValue.chronology,
      { at, by: rektorId, event: state === 'avslutad' ? 'avsluta' : 'avboj', to: state },
    ],
  };
}

/** Closed on 1 October 2024: with 24 months, due from 1 October 2026. */
const erasedCase = closed(buildContractCase({ id: 'arende-1' }), 'avslutad', '2024-10-01T08:00:00Z');
/** Declined on 1 October 2026: with 6 months, due only from 1 April 2027. */
const declinedCase = closed(
  buildContractCase({
    id: 'arende-2',
    reference: 'BB-7H3D-9X2B',
    child: {
      givenName: 'Lo',
      familyName: 'Ek',
      identityNumber: '201706122387',
      identityKey: 'key-fedcba9876543210',
      birthDate: '2017-06-12',
    },
  }),
  'avbojd',
  '2026-10-01T08:00:00Z',
);
/** Open since 2020: never erased however old. */
const openCase = buildContractCase({
  id: 'arende-3',
  reference: 'BB-2P8R-4T6W',
  state: 'mottagen',
  child: { givenName: 'Kim', familyName: 'Berg', identityKey: 'key-00112233445566778899' },
});

const figures = [
  {
    id: 'figure-event-retention-1',
    term: '2024ht',
    metric: 'upptackarkort.internt',
    organisation: 'bjorkskolan',
  },
  { id: 'figure-event-retention-2', term: '2024ht', metric: 'barnsamtal', organisation: 'bjorkskolan' },
];

async function storeCases(stores: Stores): Promise<void> {
  await stores.cases.claimOpenCase({
    identityKey: 'key-0123456789abcdef',
    caseId: 'arende-1',
    claimedAt: '2024-05-01T08:00:00Z',
  });
  // First filed under a mistyped identity number, then corrected: the old key's lookup must go too.
  const filed = await stores.cases.createWithEffects(
    { ...erasedCase, child: { ...erasedCase.child, identityKey: earlierIdentityKey } },
    { outbox: [], reminders: [] },
  );
  const corrected = await stores.cases.replace(erasedCase, filed.etag);
  await stores.cases.replaceWithEffects(erasedCase, corrected.etag, {
    outbox: [
      buildOutboxMessage({
        id: 'notice-arende-1',
        caseId: undefined,
        status: 'delivered',
        deliveredAt: '2024-10-01T08:01:00Z',
        payload: {
          kind: 'notice',
          notice: 'arendeAvslutat',
          caseId: 'arende-1',
          data: { reference: 'BB-4K7Q-2M9C', closedOn: '2024-10-01' },
        },
      }),
      buildOutboxMessage({
        id: 'post-arende-1',
        caseId: undefined,
        recipientKey: toTeamkanalKey('arende-1'),
        payload: { kind: 'text', text: 'Barnteam ÅMÖ BB-4K7Q-2M9C: teamet är avslutat.' },
      }),
    ],
    reminders: [buildReminder({ id: 'chase-arende-1', caseId: 'arende-1', status: 'cancelled' })],
    figures,
  });
  await stores.conversations.save(
    buildConversation({
      key: toTeamkanalKey('arende-1'),
      conversationId: '19:ÅMÖ-BB-4K7Q-2M9C@thread.tacv2',
    }),
  );
  await stores.cases.create(declinedCase);
  await stores.cases.create(openCase);
  await stores.meetings.create({
    id: 'meeting-2024-09',
    unitId: 'bjorkskolan',
    convenerUserId: rektorId,
    state: 'held',
    start: '2024-09-10T12:00:00Z',
    end: '2024-09-10T13:30:00Z',
    agenda: [
      { caseId: 'arende-1', reference: 'BB-4K7Q-2M9C', initials: 'ÅMÖ' },
      { caseId: 'arende-2', reference: 'BB-7H3D-9X2B', initials: 'LE' },
    ],
    members: [{ userId: rektorId, email: 'rektor.bjorkskolan@exempelby.se', role: 'Rektor', required: true }],
    createdAt: '2024-09-01T08:00:00Z',
    updatedAt: '2024-09-01T08:00:00Z',
  });
  // A weekly log review's card, delivered in October: it names the case by reference and no case.
  await stores.outbox.enqueue(
    buildOutboxMessage({
      id: 'logguppfoljning-2026-W41-granskare',
      caseId: undefined,
      status: 'delivered',
      createdAt: '2026-10-12T05:00:00Z',
      deliveredAt: '2026-10-12T05:00:02Z',
      payload: {
        kind: 'card',
        card: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Maria Lind läste BB-4K7Q-2M9C' }] },
        summary: 'Veckans logguppföljning av åtkomstloggen i Backa barnet.',
      },
    }),
  );
  // 60 months of access log: the 2021 entry is due on 3 December 2026, the 2022 one is not.
  await stores.audit.append(
    buildAuditEntry({ id: 'audit-2021', at: '2021-11-30T09:00:00Z', caseId: 'arende-1' }),
  );
  await stores.audit.append(
    buildAuditEntry({ id: 'audit-2022', at: '2022-01-10T09:00:00Z', caseId: 'arende-1' }),
  );
  await stores.audit.append(
    buildAuditEntry({ id: 'audit-2026', at: '2026-11-30T09:00:00Z', caseId: 'arende-2' }),
  );
}

function flowOver(stores: Stores, now: () => Date): FlowDependencies {
  let ids = 0;
  return {
    stores,
    directory,
    clock: { now },
    identityKeySecret: 'test-nyckel-for-identitetsnummer-32-byte-minst',
    newId: () => {
      ids += 1;
      return `id-${ids}`;
    },
    randomBytes: (count) => new Uint8Array(count),
  };
}

interface StoreKind {
  readonly name: string;
  /** Two openings of one store, as two instances of the bot have. */
  open(): Promise<[Stores, Stores]>;
  /** Everything the store holds, as text, after both openings are closed. */
  dump(): Promise<string>;
}

const root = mkdtempSync(join(tmpdir(), 'backa-retention-'));
let server: LocalCosmosServer;
const clients: CosmosClient[] = [];

beforeAll(async () => {
  server = await startCosmosServer();
});

afterAll(async () => {
  for (const client of clients) client.dispose();
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

const sqlitePath = join(root, 'data', 'backa.sqlite');
const cosmosDatabase = 'retention-sweep';

const kinds: StoreKind[] = [
  {
    name: 'SQLite',
    async open() {
      return [openSqliteStores({ path: sqlitePath }), openSqliteStores({ path: sqlitePath })];
    },
    async dump() {
      // The files' bytes, free pages and write-ahead log included: a deleted row must not linger.
      const folder = dirname(sqlitePath);
      return readdirSync(folder)
        .map((file) => readFileSync(join(folder, file)).toString('utf8'))
        .join('\n');
    },
  },
  {
    name: 'Cosmos DB',
    async open() {
      const open = async (createIfMissing: boolean) => {
        const client = server.createClient();
        clients.push(client);
        return openCosmosStores({ client, databaseId: cosmosDatabase, createIfMissing });
      };
      const first = await open(true);
      return [first, await open(false)];
    },
    async dump() {
      const client = server.createClient();
      clients.push(client);
      const database = client.database(cosmosDatabase);
      const documents = await Promise.all(
        Object.values(cosmosContainers).map(
          async (spec) =>
            (await database.container(spec.id).items.query('SELECT * FROM c').fetchAll()).resources,
        ),
      );
      return JSON.stringify(documents);
    },
  },
];

describe.each(kinds)('the nightly retention sweep on $name', (kind) => {
  it('erases the due case once though two instances race, and leaves nothing of the child', async () => {
    const [first, second] = await kind.open();
    let now = new Date('2026-12-02T12:00:00Z');
    const clock = () => new Date(now);
    await storeCases(first);
    const figuresBefore = await first.figures?.termCounts('2024ht');
    expect(figuresBefore).toHaveLength(2);

    // Every instance schedules the night at start; the second finds it there.
    expect(await ensureDailyRetention(flowOver(first, clock))).toBe(true);
    expect(await ensureDailyRetention(flowOver(second, clock))).toBe(false);
    expect((await first.reminders.get('gallring-2026-12-03'))?.value.dueAt).toBe('2026-12-03T01:00:00.000Z');

    now = new Date('2026-12-03T01:30:00Z');
    const runs: string[] = [];
    const sweeperOf = (stores: Stores, instanceId: string) =>
      createReminderSweeper({
        reminders: stores.reminders,
        clock: { now: clock },
        instanceId,
        logger: createLogger({ level: 'silent' }),
        handlers: {
          [dailyRetentionReminderKind]: async (reminder: Reminder) => {
            runs.push(instanceId);
            await eraseDueCases(flowOver(stores, clock), reminder);
          },
        },
      });
    await Promise.all([sweeperOf(first, 'instance-a').runOnce(), sweeperOf(second, 'instance-b').runOnce()]);

    expect(runs).toHaveLength(1);
    expect((await first.reminders.get('gallring-2026-12-03'))?.value.status).toBe('done');
    expect((await first.reminders.get('gallring-2026-12-04'))?.value.status).toBe('scheduled');

    // The erased child is gone from every lookup.
    expect(await first.cases.get('arende-1')).toBeUndefined();
    expect(await first.cases.findCaseIdByReference('BB-4K7Q-2M9C')).toBeUndefined();
    expect(await first.cases.findCaseIdsByIdentityKey('key-0123456789abcdef')).toEqual([]);
    expect(await first.cases.findCaseIdsByIdentityKey(earlierIdentityKey)).toEqual([]);
    expect(await first.meetings.listForCase('arende-1')).toEqual([]);
    expect(await first.reminders.listForCase('arende-1')).toEqual([]);
    expect(await first.outbox.get('logguppfoljning-2026-W41-granskare')).toBeUndefined();
    // The others stay: a declined case not yet due, an open one, the meeting with the other child.
    expect((await first.cases.get('arende-2'))?.value.state).toBe('avbojd');
    expect((await first.cases.get('arende-3'))?.value.state).toBe('mottagen');
    expect((await first.meetings.get('meeting-2024-09'))?.value.agenda).toEqual([
      { caseId: 'arende-2', reference: 'BB-7H3D-9X2B', initials: 'LE' },
    ]);
    expect(await first.figures?.termCounts('2024ht')).toEqual(figuresBefore);

    // The access log: the entry past 60 months is gone, the later ones and the erasure's own stay.
    expect((await first.audit.listForCase('arende-1')).map((entry) => entry.id)).toEqual(['audit-2022']);
    expect((await first.audit.listForCase('arende-2')).map((entry) => entry.id)).toEqual(['audit-2026']);
    const sweepEntries = await first.audit.listForCase(retentionAuditKey);
    expect(sweepEntries.map((entry) => [entry.id, entry.action, entry.actor])).toEqual([
      ['audit-gallring-arende-1', 'gallraArende', 'system'],
      ['audit-gallring-logg-2026-12-03', 'gallraAtkomstlogg', 'system'],
    ]);
    expect(sweepEntries[0]?.purpose).toBe(
      'Ärendet arende-1 (avslutad, stängt 2024-10-01) gallrades efter 24 månader enligt kommunens gallringsregler',
    );

    await first.close();
    await second.close();
    const dump = await kind.dump();
    for (const trace of childTraces) expect(dump, trace).not.toContain(trace);
    // The dump does read the stores: the other child is in it.
    expect(dump).toContain('BB-7H3D-9X2B');
  });
});

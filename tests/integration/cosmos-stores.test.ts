import type { CosmosClient } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../../flows/kernel/errors.js';
import { createCosmosClient } from '../../infra/store/cosmos-client.js';
import { cosmosContainers } from '../../infra/store/cosmos-containers.js';
import { openCosmosStores } from '../../infra/store/cosmos-stores.js';
import {
  buildAuditEntry,
  buildContractCase,
  buildOutboxMessage,
  buildReminder,
} from '../contract/contract-data.js';
import { describeErasureContract } from '../contract/erasure-contract.js';
import { describeFigureContract } from '../contract/figures-contract.js';
import { describeStorageContract } from '../contract/storage-contract.js';
import { type LocalCosmosServer, startCosmosServer } from '../support/cosmos-server.js';

let server: LocalCosmosServer;
const clients: CosmosClient[] = [];
let databases = 0;
let lastDatabaseId = '';

function createClient(): CosmosClient {
  const client = server.createClient();
  clients.push(client);
  return client;
}

async function openFreshStores(options: { auditRetentionDays?: number } = {}) {
  databases += 1;
  lastDatabaseId = `contract-${databases}`;
  const client = createClient();
  const stores = await openCosmosStores({
    client,
    databaseId: lastDatabaseId,
    createIfMissing: true,
    ...options,
  });
  return { client, stores, databaseId: lastDatabaseId };
}

beforeAll(async () => {
  server = await startCosmosServer();
});

afterAll(async () => {
  for (const client of clients) {
    client.dispose();
  }
  await server?.stop();
});

describeStorageContract('Cosmos DB', {
  async open() {
    return (await openFreshStores()).stores;
  },
  async reopen() {
    // A new client and no creation: everything must come back from the server.
    return openCosmosStores({ client: createClient(), databaseId: lastDatabaseId, createIfMissing: false });
  },
});

describeErasureContract('Cosmos DB', {
  async open() {
    return (await openFreshStores()).stores;
  },
});

describeFigureContract('Cosmos DB', {
  async open() {
    return (await openFreshStores()).stores;
  },
  async reopen() {
    return openCosmosStores({ client: createClient(), databaseId: lastDatabaseId, createIfMissing: false });
  },
});

describe('Cosmos DB specifics', () => {
  it('returns no Cosmos system fields and hands out the ETag as the version', async () => {
    const { client, stores, databaseId } = await openFreshStores();
    const created = await stores.cases.create(buildContractCase());

    const raw = await client.database(databaseId).container('cases').item('case-1', 'case-1').read();

    expect(created.etag).toBe(raw.resource?._etag);
    expect(Object.keys(created.value).filter((field) => field.startsWith('_'))).toEqual([]);
    const listed = await stores.outbox.enqueue(buildOutboxMessage());
    expect(listed).toBe(true);
    const [due] = await stores.outbox.listDue(new Date('2025-02-04T00:00:00Z'), 1);
    expect(due?.value).toEqual(buildOutboxMessage());
  });

  it('a replace keeps the effects another writer recorded and has not enqueued yet', async () => {
    const { client, stores, databaseId } = await openFreshStores();
    const effects = { outbox: [buildOutboxMessage({ caseId: 'case-1' })], reminders: [] };
    // A writer that crashed (or is still enqueueing) after its case write.
    await client
      .database(databaseId)
      .container(cosmosContainers.cases.id)
      .items.create({ ...buildContractCase(), pendingEffects: effects });
    const current = await stores.cases.get('case-1');

    await stores.cases.replace(
      { ...(current?.value ?? buildContractCase()), state: 'mottagen' },
      current?.etag ?? '',
    );

    expect(await stores.cases.repairPendingEffects(50)).toBe(1);
    expect((await stores.outbox.get('outbox-1'))?.value.caseId).toBe('case-1');
    expect((await stores.cases.get('case-1'))?.value.state).toBe('mottagen');
  });

  it('completes the effects a crash left in a case document, once, with the repair sweep', async () => {
    const { client, stores, databaseId } = await openFreshStores();
    const effects = {
      outbox: [buildOutboxMessage({ caseId: 'case-1' })],
      reminders: [buildReminder({ caseId: 'case-1' })],
    };
    // What a crash right after the case write leaves: the document with its effects, nothing enqueued.
    await client
      .database(databaseId)
      .container(cosmosContainers.cases.id)
      .items.create({ ...buildContractCase(), pendingEffects: effects });
    expect(await stores.outbox.get('outbox-1')).toBeUndefined();

    expect(await stores.cases.repairPendingEffects(50)).toBe(1);
    expect(await stores.cases.repairPendingEffects(50)).toBe(0);

    expect(await stores.outbox.listDue(new Date('2030-01-01T00:00:00Z'), 10)).toHaveLength(1);
    expect(await stores.reminders.listDue(new Date('2030-01-01T00:00:00Z'), 10)).toHaveLength(1);
    const raw = await client
      .database(databaseId)
      .container(cosmosContainers.cases.id)
      .item('case-1', 'case-1')
      .read();
    expect(raw.resource).not.toHaveProperty('pendingEffects');
    expect((await stores.cases.get('case-1'))?.value.reference).toBe(buildContractCase().reference);
  });

  it('counts the figures a crash left in a case document once, and keeps them when the case is erased', async () => {
    const { client, stores, databaseId } = await openFreshStores();
    const figure = {
      id: 'figure-event-crash-0001',
      term: '2026vt',
      metric: 'upptackarkort.externt',
      organisation: 'bjorkskolan',
    };
    const cases = client.database(databaseId).container(cosmosContainers.cases.id);
    await cases.items.create({
      ...buildContractCase(),
      pendingEffects: { outbox: [], reminders: [], figures: [figure] },
    });
    expect(await stores.figures?.termCounts('2026vt')).toEqual([]);

    expect(await stores.cases.repairPendingEffects(50)).toBe(1);
    expect(await stores.cases.repairPendingEffects(50)).toBe(0);
    const counted = [{ metric: 'upptackarkort.externt', organisation: 'bjorkskolan', count: 1 }];
    expect(await stores.figures?.termCounts('2026vt')).toEqual(counted);

    // The retention sweep deletes the case document; the figures are not in it.
    await cases.item('case-1', 'case-1').delete();
    expect(await stores.cases.get('case-1')).toBeUndefined();
    expect(await stores.figures?.termCounts('2026vt')).toEqual(counted);
  });

  it('ignores an identity index entry whose case does not carry that key', async () => {
    const { client, stores, databaseId } = await openFreshStores();
    await stores.cases.create(buildContractCase({ id: 'case-real' }));
    const index = client.database(databaseId).container(cosmosContainers.identityIndex.id);
    await index.items.create({ id: 'case-real', identityKey: 'key-stale-0000000000' });
    await index.items.create({ id: 'case-gone', identityKey: 'key-0123456789abcdef' });

    expect(await stores.cases.findCaseIdsByIdentityKey('key-stale-0000000000')).toEqual([]);
    expect(await stores.cases.findCaseIdsByIdentityKey('key-0123456789abcdef')).toEqual(['case-real']);
  });

  it('treats a document that fails the schema as an error, without echoing its content', async () => {
    const { client, stores, databaseId } = await openFreshStores();
    await client
      .database(databaseId)
      .container('cases')
      .items.create({ ...buildContractCase(), state: 'okänt' });

    const error = await stores.cases.get('case-1').catch((reason: unknown) => reason);

    expect(isDomainError(error, 'storageUnavailable')).toBe(true);
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toMatch(/Åsa|201503142388|okänt/);
  });

  it('sets the audit retention as ttl on every entry (expiry itself needs a real account)', async () => {
    const { client, stores, databaseId } = await openFreshStores({ auditRetentionDays: 3650 });
    await stores.audit.append(buildAuditEntry());

    const raw = await client.database(databaseId).container('audit').item('audit-1', 'case-1').read();

    expect(raw.resource?.ttl).toBe(3650 * 24 * 60 * 60);
  });

  it('refuses to start on a database that does not exist unless asked to create it', async () => {
    const error = await openCosmosStores({
      client: createClient(),
      databaseId: 'never-created',
      createIfMissing: false,
    }).catch((reason: unknown) => reason);

    expect(isDomainError(error, 'storageUnavailable')).toBe(true);
  });

  it('reports an unreachable account as storageUnavailable within the Teams budget', async () => {
    const client = createCosmosClient({
      endpoint: 'https://127.0.0.1:9',
      key: server.key,
      agent: server.agent,
    });
    clients.push(client);
    const started = Date.now();

    const error = await openCosmosStores({ client, databaseId: 'x', createIfMissing: false }).catch(
      (reason: unknown) => reason,
    );

    expect(isDomainError(error, 'storageUnavailable')).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

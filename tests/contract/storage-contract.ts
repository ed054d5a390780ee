/**
 * The behaviour every implementation of the storage ports must show, run against each store
 * (embedded SQLite and Cosmos DB). It tests what the use cases rely on, not how a store
 * talks to its database.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../../flows/kernel/errors.js';
import type {
  ActivityRecord,
  AuditPosition,
  BarnteamMeeting,
  Stores,
  Versioned,
} from '../../flows/kernel/ports.js';
import { fileDiscovery } from '../../flows/upptackt/file-discovery.js';
import { buildSubmission, createTestFlow, filedAt, tenantId } from '../support/flow-fixtures.js';
import {
  buildAuditEntry,
  buildContractCase,
  buildConversation,
  buildOutboxMessage,
  buildReminder,
  rektorId,
} from './contract-data.js';

export interface StorageContractSetup {
  /** Fresh, empty stores for one test. */
  open(): Promise<Stores>;
  /** Opens again the stores `open` returned last, after they were closed (durability). */
  reopen?(): Promise<Stores>;
}

/** Awaits a promise that must fail with the given domain error code; returns the error. */
async function expectDomainError(promise: Promise<unknown>, code: string): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, `expected DomainError('${code}')`).toBeInstanceOf(Error);
  expect(isDomainError(error) ? error.code : error).toBe(code);
  return error as Error;
}

function settle<T>(promises: Promise<T>[]): Promise<PromiseSettledResult<T>[]> {
  return Promise.allSettled(promises);
}

/** A handled Teams activity, remembered for five minutes. */
function buildActivity(overrides: Partial<ActivityRecord> = {}): ActivityRecord {
  return {
    id: 'activity-1',
    handledAt: '2025-02-03T08:15:00Z',
    expiresAt: '2025-02-03T08:20:00Z',
    ...overrides,
  };
}

/**
 * A booked Barnteam meeting of Björkskolan with two children on the agenda, instants with and
 * without fractional seconds (they must sort as instants, not as text).
 */
function buildMeeting(overrides: Partial<BarnteamMeeting> = {}): BarnteamMeeting {
  return {
    id: 'meeting-1',
    unitId: 'bjorkskolan',
    convenerUserId: rektorId,
    state: 'booked',
    start: '2025-02-10T12:00:00Z',
    end: '2025-02-10T13:00:00.000Z',
    calendar: {
      organizer: 'rektor.bjorkskolan@exempelby.se',
      eventId: 'AAMkAGI2TGuLAAA=',
      joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0',
      webLink: 'https://outlook.office365.com/owa/?itemid=AAMkAGI2TGuLAAA%3D',
    },
    agenda: [
      { caseId: 'case-1', reference: 'BB-4K7Q-2M9C', initials: 'ÅMÖ' },
      { caseId: 'case-2', reference: 'BB-7H3D-9X2B', initials: 'LA' },
    ],
    members: [
      {
        userId: rektorId,
        email: 'rektor.bjorkskolan@exempelby.se',
        role: 'Rektor',
        required: true,
      },
      {
        userId: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e03',
        email: 'bitr.rektor.bjorkskolan@exempelby.se',
        role: 'Biträdande rektor',
        required: false,
      },
    ],
    createdAt: '2025-02-03T08:15:00Z',
    updatedAt: '2025-02-03T08:15:00.250Z',
    ...overrides,
  };
}

function ids<T extends { id: string }>(items: Versioned<T>[]): string[] {
  return items.map((item) => item.value.id);
}

export function describeStorageContract(name: string, setup: StorageContractSetup): void {
  describe(`storage contract: ${name}`, () => {
    let stores: Stores;

    beforeEach(async () => {
      stores = await setup.open();
    });

    afterEach(async () => {
      await stores.close();
    });

    describe('cases', () => {
      it('returns a created case exactly as written, chronology and åäö included', async () => {
        const value = buildContractCase();
        const created = await stores.cases.create(value);

        const read = await stores.cases.get(value.id);

        expect(read?.value).toEqual(value);
        expect(read?.value.child.givenName).toBe('Åsa-Märta');
        expect(read?.value.chronology).toHaveLength(2);
        expect(read?.etag).toBe(created.etag);
        expect(created.value).toEqual(value);
      });

      it('refuses a second case with the same id and keeps the first', async () => {
        await stores.cases.create(buildContractCase());

        await expectDomainError(
          stores.cases.create(buildContractCase({ reference: 'BB-ANNAN-1' })),
          'alreadyExists',
        );
        expect((await stores.cases.get('case-1'))?.value.reference).toBe(buildContractCase().reference);
      });

      it('creates a case with its effects: the notice and the reminder are there with it', async () => {
        const created = await stores.cases.createWithEffects(buildContractCase(), {
          outbox: [buildOutboxMessage({ caseId: 'case-1' })],
          reminders: [buildReminder({ caseId: 'case-1' })],
        });
        await stores.cases.repairPendingEffects(10);

        expect((await stores.cases.get('case-1'))?.value).toEqual(created.value);
        expect((await stores.outbox.get('outbox-1'))?.value.caseId).toBe('case-1');
        expect((await stores.reminders.get('reminder-1'))?.value.caseId).toBe('case-1');
        // Nothing is left for the repair sweep, and a second sweep changes nothing.
        expect(await stores.cases.repairPendingEffects(10)).toBe(0);
        expect(await stores.outbox.listDue(new Date('2030-01-01T00:00:00Z'), 10)).toHaveLength(1);
      });

      it('keeps an effect that already exists, and refuses a second case with the same id', async () => {
        await stores.outbox.enqueue(buildOutboxMessage({ recipientKey: 'conversation:tidigare' }));
        await stores.cases.createWithEffects(buildContractCase(), {
          outbox: [buildOutboxMessage()],
          reminders: [],
        });

        await expectDomainError(
          stores.cases.createWithEffects(buildContractCase({ reference: 'BB-ANNAN-1' }), {
            outbox: [buildOutboxMessage({ id: 'outbox-2' })],
            reminders: [],
          }),
          'alreadyExists',
        );
        expect((await stores.outbox.get('outbox-1'))?.value.recipientKey).toBe('conversation:tidigare');
        expect((await stores.cases.get('case-1'))?.value.reference).toBe(buildContractCase().reference);
      });

      it('replaces a case with its effects, and a lost race writes neither the case nor an effect', async () => {
        const created = await stores.cases.create(buildContractCase());

        const replaced = await stores.cases.replaceWithEffects(
          { ...created.value, state: 'mottagen' },
          created.etag,
          {
            outbox: [buildOutboxMessage({ caseId: 'case-1' })],
            reminders: [buildReminder({ caseId: 'case-1' })],
          },
        );
        await expectDomainError(
          stores.cases.replaceWithEffects({ ...created.value, state: 'avbojd' }, created.etag, {
            outbox: [buildOutboxMessage({ id: 'outbox-2', caseId: 'case-1' })],
            reminders: [],
          }),
          'concurrencyConflict',
        );
        await stores.cases.repairPendingEffects(10);

        const stored = await stores.cases.get('case-1');
        expect(stored?.value.state).toBe('mottagen');
        // The version handed back is the one stored, so the next card action is not "stale".
        expect(stored?.etag).toBe(replaced.etag);
        expect((await stores.outbox.get('outbox-1'))?.value.caseId).toBe('case-1');
        expect((await stores.reminders.get('reminder-1'))?.value.caseId).toBe('case-1');
        expect(await stores.outbox.get('outbox-2')).toBeUndefined();
        expect(await stores.cases.repairPendingEffects(10)).toBe(0);
      });

      it("claims a child's open case once: of ten concurrent claims one is stored and all see it", async () => {
        const claims = Array.from({ length: 10 }, (_, index) => ({
          identityKey: 'key-0123456789abcdef',
          caseId: `case-${index}`,
          claimedAt: '2026-03-02T08:00:00.000Z',
        }));

        const answers = await Promise.all(claims.map((claim) => stores.cases.claimOpenCase(claim)));

        const holders = new Set(answers.map((answer) => answer.value.caseId));
        expect(holders.size).toBe(1);
        const again = await stores.cases.claimOpenCase({ ...claims[0], caseId: 'case-late' } as never);
        expect(again.value.caseId).toBe([...holders][0]);
        expect(again.etag).toBe(answers[0]?.etag);
        // Another child has a claim of its own, and no claim shows up as a case of the child.
        const other = await stores.cases.claimOpenCase({
          ...claims[0],
          identityKey: 'key-fedcba9876543210',
        } as never);
        expect(other.value.caseId).toBe('case-0');
        expect(await stores.cases.findCaseIdsByIdentityKey('key-0123456789abcdef')).toEqual([]);
      });

      it('ten Upptäckarkort about one child filed at once give one case holding all ten, one notice each', async () => {
        const { deps } = createTestFlow();
        const flow = { ...deps, stores };
        const cards = Array.from({ length: 10 }, (_, index) => {
          const suffix = String(index + 1).padStart(12, '0');
          return fileDiscovery(flow, {
            actor: {
              userId: `7d1c0f3a-5b2e-4c8d-9a6f-${suffix}`,
              displayName: `Kollega ${index + 1}`,
              tenantId,
            },
            draftId: `d7a9e2c4-1f3b-4a5d-8e6f-${suffix}`,
            submission: buildSubmission(),
            receivedAt: filedAt,
          });
        });

        const results = await Promise.all(cards);

        expect(results.map((result) => result.outcome).sort()).toEqual([
          'addedToOpenCase',
          'addedToOpenCase',
          'addedToOpenCase',
          'addedToOpenCase',
          'addedToOpenCase',
          'addedToOpenCase',
          'addedToOpenCase',
          'addedToOpenCase',
          'addedToOpenCase',
          'created',
        ]);
        const caseIds = new Set(results.map((result) => result.caseValue.value.id));
        expect(caseIds.size).toBe(1);
        const [caseId] = [...caseIds];
        const stored = await stores.cases.get(caseId ?? '');
        expect(stored?.value.addedDiscoveries).toHaveLength(9);
        await stores.cases.repairPendingEffects(50);
        const due = await stores.outbox.listDue(new Date('2030-01-01T00:00:00Z'), 50);
        const kinds = due.map((message) =>
          message.value.payload.kind === 'notice' ? message.value.payload.notice : message.value.payload.kind,
        );
        expect(kinds.filter((kind) => kind === 'nyttArende')).toHaveLength(1);
        expect(kinds.filter((kind) => kind === 'upptackarkortTillagt')).toHaveLength(9);
        expect(await stores.cases.repairPendingEffects(50)).toBe(0);
      });

      it('finds a case by its reference, and nothing for a reference no case has', async () => {
        await stores.cases.create(buildContractCase());
        await stores.cases.create(buildContractCase({ id: 'case-2', reference: 'BB-ANNAN-1' }));

        expect(await stores.cases.findCaseIdByReference('BB-ANNAN-1')).toBe('case-2');
        expect(await stores.cases.findCaseIdByReference(buildContractCase().reference)).toBe('case-1');
        expect(await stores.cases.findCaseIdByReference('BB-FINNS-INTE')).toBeUndefined();
      });

      it('moves a claim only from the version read: the second of two moves loses', async () => {
        const claim = {
          identityKey: 'key-0123456789abcdef',
          caseId: 'case-closed',
          claimedAt: '2026-03-02T08:00:00.000Z',
        };
        const stored = await stores.cases.claimOpenCase(claim);

        const moved = await stores.cases.moveOpenCaseClaim({ ...claim, caseId: 'case-new' }, stored.etag);
        await expectDomainError(
          stores.cases.moveOpenCaseClaim({ ...claim, caseId: 'case-other' }, stored.etag),
          'concurrencyConflict',
        );

        const now = await stores.cases.claimOpenCase({ ...claim, caseId: 'case-late' });
        expect(now.value.caseId).toBe('case-new');
        expect(now.etag).toBe(moved.etag);
      });

      it('answers undefined for a case that does not exist', async () => {
        expect(await stores.cases.get('no-such-case')).toBeUndefined();
      });

      it('replaces with the current version and hands out a new one', async () => {
        const created = await stores.cases.create(buildContractCase());

        const replaced = await stores.cases.replace({ ...created.value, state: 'mottagen' }, created.etag);

        expect(replaced.etag).not.toBe(created.etag);
        const read = await stores.cases.get('case-1');
        expect(read?.value.state).toBe('mottagen');
        expect(read?.etag).toBe(replaced.etag);
      });

      it('lets exactly one of two replaces from the same version win; the stored case is the winner', async () => {
        const created = await stores.cases.create(buildContractCase());
        const accept = { ...created.value, state: 'mottagen' as const };
        const decline = { ...created.value, state: 'avbojd' as const };

        const results = await settle([
          stores.cases.replace(accept, created.etag),
          stores.cases.replace(decline, created.etag),
        ]);

        const winners = results.filter((result) => result.status === 'fulfilled');
        const losers = results.filter((result) => result.status === 'rejected');
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(1);
        const loserReason = (losers[0] as PromiseRejectedResult).reason;
        expect(isDomainError(loserReason, 'concurrencyConflict')).toBe(true);
        expect((loserReason as Error).message).toMatch(/ändrats av någon annan/);
        const winner = (winners[0] as PromiseFulfilledResult<Versioned<typeof accept>>).value;
        const stored = await stores.cases.get('case-1');
        expect(stored?.value).toEqual(winner.value);
        expect(stored?.etag).toBe(winner.etag);
      });

      it('refuses a replace from a version that has since been replaced', async () => {
        const created = await stores.cases.create(buildContractCase());
        await stores.cases.replace({ ...created.value, state: 'mottagen' }, created.etag);

        await expectDomainError(
          stores.cases.replace({ ...created.value, state: 'avbojd' }, created.etag),
          'concurrencyConflict',
        );
        expect((await stores.cases.get('case-1'))?.value.state).toBe('mottagen');
      });

      it('finds cases by identity key, never by another key or by the plain number', async () => {
        const child = buildContractCase().child;
        await stores.cases.create(buildContractCase({ id: 'case-b' }));
        await stores.cases.create(buildContractCase({ id: 'case-a' }));
        await stores.cases.create(
          buildContractCase({
            id: 'case-other',
            child: { ...child, identityNumber: '201204052397', identityKey: 'key-fedcba9876543210' },
          }),
        );
        await stores.cases.create(
          buildContractCase({ id: 'case-unknown', child: { givenName: 'Okänd', familyName: '' } }),
        );

        expect(await stores.cases.findCaseIdsByIdentityKey('key-0123456789abcdef')).toEqual([
          'case-a',
          'case-b',
        ]);
        expect(await stores.cases.findCaseIdsByIdentityKey('key-fedcba9876543210')).toEqual(['case-other']);
        expect(await stores.cases.findCaseIdsByIdentityKey('key-0000000000000000')).toEqual([]);
        expect(await stores.cases.findCaseIdsByIdentityKey('201503142388')).toEqual([]);
      });

      it("lists only one unit's cases in one state, sorted by id and bounded by the limit", async () => {
        await stores.cases.create(buildContractCase({ id: 'case-c', state: 'barnteam' }));
        await stores.cases.create(buildContractCase({ id: 'case-a', state: 'barnteam' }));
        await stores.cases.create(buildContractCase({ id: 'case-b', state: 'barnteam' }));
        await stores.cases.create(buildContractCase({ id: 'case-waiting', state: 'vantarPaBarnkontakt' }));
        await stores.cases.create(
          buildContractCase({ id: 'case-larkan', state: 'barnteam', unitId: 'larkans-forskola' }),
        );

        expect(await stores.cases.listIdsByUnitAndState('bjorkskolan', 'barnteam', 50)).toEqual([
          'case-a',
          'case-b',
          'case-c',
        ]);
        expect(await stores.cases.listIdsByUnitAndState('bjorkskolan', 'barnteam', 2)).toEqual([
          'case-a',
          'case-b',
        ]);
        expect(await stores.cases.listIdsByUnitAndState('larkans-forskola', 'barnteam', 50)).toEqual([
          'case-larkan',
        ]);
        expect(await stores.cases.listIdsByUnitAndState('bjorkskolan', 'vantarPaBarnkontakt', 50)).toEqual([
          'case-waiting',
        ]);
        expect(await stores.cases.listIdsByUnitAndState('okand-enhet', 'barnteam', 50)).toEqual([]);
      });

      it('follows a case that leaves the state: it is no longer listed', async () => {
        const created = await stores.cases.create(buildContractCase({ state: 'barnteam' }));

        await stores.cases.replace({ ...created.value, state: 'avslutad' }, created.etag);

        expect(await stores.cases.listIdsByUnitAndState('bjorkskolan', 'barnteam', 50)).toEqual([]);
      });

      it('follows a corrected identity key: the old key no longer finds the case', async () => {
        const created = await stores.cases.create(buildContractCase());
        const corrected = { ...created.value.child, identityKey: 'key-corrected-000000' };

        await stores.cases.replace({ ...created.value, child: corrected }, created.etag);

        expect(await stores.cases.findCaseIdsByIdentityKey('key-0123456789abcdef')).toEqual([]);
        expect(await stores.cases.findCaseIdsByIdentityKey('key-corrected-000000')).toEqual(['case-1']);
      });

      it('refuses an invalid case and an id that Cosmos DB could not store', async () => {
        await expectDomainError(
          stores.cases.create({ ...buildContractCase(), tenantId: 'not-a-uuid' }),
          'invalidInput',
        );
        await expectDomainError(stores.cases.create(buildContractCase({ id: 'case/1' })), 'invalidInput');
        expect(await stores.cases.get('case-1')).toBeUndefined();
      });
    });

    describe('conversations', () => {
      it('saves, overwrites and reads a conversation reference by key', async () => {
        const first = buildConversation();
        await stores.conversations.save(first);
        expect(await stores.conversations.get(first.key)).toEqual(first);

        const newer = buildConversation({
          serviceUrl: 'https://smba.trafficmanager.net/se/',
          updatedAt: '2025-03-01T10:00:00Z',
        });
        await stores.conversations.save(newer);

        expect(await stores.conversations.get(first.key)).toEqual(newer);
        expect(await stores.conversations.get('0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e07')).toBeUndefined();
      });

      it('keeps channel keys with characters Teams uses apart', async () => {
        const channel = buildConversation({
          key: 'conversation:19:abc/def?x#y@thread.tacv2;messageid=1',
          conversationId: '19:abc/def?x#y@thread.tacv2;messageid=1',
        });
        await stores.conversations.save(channel);
        await stores.conversations.save(buildConversation());

        expect(await stores.conversations.get(channel.key)).toEqual(channel);
        expect(await stores.conversations.get(rektorId)).toBeUndefined();
      });
    });

    describe('outbox', () => {
      it('enqueues a message once: the second enqueue of the same id changes nothing', async () => {
        const message = buildOutboxMessage();

        expect(await stores.outbox.enqueue(message)).toBe(true);
        expect(
          await stores.outbox.enqueue({
            ...message,
            payload: { kind: 'text', text: 'Ett annat meddelande.' },
          }),
        ).toBe(false);

        expect((await stores.outbox.get('outbox-1'))?.value).toEqual(message);
        expect(ids(await stores.outbox.listDue(new Date('2025-02-04T00:00:00Z'), 10))).toEqual(['outbox-1']);
      });

      it('lists due messages oldest first, honouring next attempts, claims and the limit', async () => {
        const now = new Date('2025-02-03T10:00:00.000Z');
        await stores.outbox.enqueue(
          buildOutboxMessage({ id: 'later', nextAttemptAt: '2025-02-03T10:00:00.001Z' }),
        );
        await stores.outbox.enqueue(
          buildOutboxMessage({ id: 'at-now', nextAttemptAt: '2025-02-03T10:00:00Z' }),
        );
        await stores.outbox.enqueue(
          buildOutboxMessage({ id: 'oldest', nextAttemptAt: '2025-02-03T08:00:00Z' }),
        );
        await stores.outbox.enqueue(
          buildOutboxMessage({ id: 'retry', nextAttemptAt: '2025-02-03T09:30:00.5Z' }),
        );
        await stores.outbox.enqueue(
          buildOutboxMessage({
            id: 'claim-expired',
            status: 'sending',
            claimedBy: 'instance-a',
            claimedUntil: '2025-02-03T09:00:00Z',
            nextAttemptAt: '2025-02-03T08:59:00Z',
          }),
        );
        await stores.outbox.enqueue(
          buildOutboxMessage({
            id: 'claim-live',
            status: 'sending',
            claimedBy: 'instance-b',
            claimedUntil: '2025-02-03T10:00:30Z',
            nextAttemptAt: '2025-02-03T09:59:30Z',
          }),
        );
        await stores.outbox.enqueue(
          buildOutboxMessage({ id: 'delivered', status: 'delivered', deliveredAt: '2025-02-03T08:01:00Z' }),
        );
        await stores.outbox.enqueue(buildOutboxMessage({ id: 'parked', status: 'parked', attempts: 8 }));

        expect(ids(await stores.outbox.listDue(now, 10))).toEqual([
          'oldest',
          'claim-expired',
          'retry',
          'at-now',
        ]);
        expect(ids(await stores.outbox.listDue(now, 2))).toEqual(['oldest', 'claim-expired']);
      });

      it('lets one of two instances claim the same message version', async () => {
        await stores.outbox.enqueue(buildOutboxMessage());
        const [due] = await stores.outbox.listDue(new Date('2025-02-03T09:00:00Z'), 1);
        if (due === undefined) {
          throw new Error('the message should be due');
        }
        const claim = (instance: string) =>
          stores.outbox.replace(
            { ...due.value, status: 'sending', claimedBy: instance, claimedUntil: '2025-02-03T09:01:00Z' },
            due.etag,
          );

        const results = await settle([claim('instance-a'), claim('instance-b')]);

        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.find((result) => result.status === 'rejected');
        expect(isDomainError(rejected?.reason, 'concurrencyConflict')).toBe(true);
        expect(await stores.outbox.listDue(new Date('2025-02-03T09:00:30Z'), 10)).toEqual([]);
        const claimed = await stores.outbox.get('outbox-1');
        expect(claimed?.value.status).toBe('sending');
      });
    });

    describe('reminders', () => {
      it('schedules a reminder once by id', async () => {
        expect(await stores.reminders.schedule(buildReminder())).toBe(true);
        expect(await stores.reminders.schedule(buildReminder({ kind: 'annat' }))).toBe(false);
        expect((await stores.reminders.get('reminder-1'))?.value).toEqual(buildReminder());
        expect(await stores.reminders.get('reminder-missing')).toBeUndefined();
      });

      it('lists due reminders: before and at now, not after; done and cancelled never; expired claims again', async () => {
        const now = new Date('2025-02-05T07:00:00.000Z');
        await stores.reminders.schedule(buildReminder({ id: 'after', dueAt: '2025-02-05T07:00:01Z' }));
        await stores.reminders.schedule(buildReminder({ id: 'at-now', dueAt: '2025-02-05T07:00:00Z' }));
        await stores.reminders.schedule(buildReminder({ id: 'before', dueAt: '2025-02-04T07:00:00Z' }));
        await stores.reminders.schedule(
          buildReminder({ id: 'done', status: 'done', dueAt: '2025-02-01T07:00:00Z' }),
        );
        await stores.reminders.schedule(
          buildReminder({ id: 'cancelled', status: 'cancelled', dueAt: '2025-02-01T07:00:00Z' }),
        );
        await stores.reminders.schedule(
          buildReminder({
            id: 'claim-expired',
            status: 'claimed',
            claimedBy: 'instance-a',
            dueAt: '2025-02-04T06:00:00Z',
            claimedUntil: '2025-02-04T06:05:00Z',
          }),
        );
        await stores.reminders.schedule(
          buildReminder({
            id: 'claim-live',
            status: 'claimed',
            claimedBy: 'instance-b',
            dueAt: '2025-02-05T06:59:00Z',
            claimedUntil: '2025-02-05T07:04:00Z',
          }),
        );

        // A claim that ran out is due from the moment it ran out, so it sorts by that time.
        expect(ids(await stores.reminders.listDue(now, 10))).toEqual(['claim-expired', 'before', 'at-now']);
        expect(ids(await stores.reminders.listDue(now, 1))).toEqual(['claim-expired']);
        expect(ids(await stores.reminders.listDue(new Date('2025-02-05T07:04:00Z'), 10))).toEqual([
          'claim-expired',
          'before',
          'at-now',
          'after',
          'claim-live',
        ]);
      });

      it('lets exactly one of two instances claim the same reminder version', async () => {
        await stores.reminders.schedule(buildReminder());
        const [due] = await stores.reminders.listDue(new Date('2025-02-05T08:00:00Z'), 1);
        if (due === undefined) {
          throw new Error('the reminder should be due');
        }
        const claim = (instance: string) =>
          stores.reminders.replace(
            { ...due.value, status: 'claimed', claimedBy: instance, claimedUntil: '2025-02-05T08:05:00Z' },
            due.etag,
          );

        const results = await settle([claim('instance-a'), claim('instance-b')]);

        const winners = results.filter((result) => result.status === 'fulfilled');
        expect(winners).toHaveLength(1);
        const rejected = results.find((result) => result.status === 'rejected');
        expect(isDomainError(rejected?.reason, 'concurrencyConflict')).toBe(true);
        const stored = await stores.reminders.get('reminder-1');
        const winner = (winners[0] as PromiseFulfilledResult<Versioned<typeof due.value>>).value;
        expect(stored?.value.claimedBy).toBe(winner.value.claimedBy);
        expect(await stores.reminders.listDue(new Date('2025-02-05T08:01:00Z'), 10)).toEqual([]);
      });

      it('lists the reminders of one case only', async () => {
        await stores.reminders.schedule(buildReminder({ id: 'r-2', dueAt: '2025-02-06T07:00:00Z' }));
        await stores.reminders.schedule(
          buildReminder({ id: 'r-1', dueAt: '2025-02-05T07:00:00Z', status: 'done' }),
        );
        await stores.reminders.schedule(buildReminder({ id: 'r-other', caseId: 'case-2' }));
        await stores.reminders.schedule(buildReminder({ id: 'r-none', caseId: undefined }));

        expect(ids(await stores.reminders.listForCase('case-1'))).toEqual(['r-1', 'r-2']);
        expect(await stores.reminders.listForCase('case-3')).toEqual([]);
      });
    });

    describe('audit log', () => {
      it('lists a case’s entries in time order and none of another case', async () => {
        await stores.audit.append(
          buildAuditEntry({ id: 'a-3', at: '2025-02-03T10:00:00Z', action: 'case.read' }),
        );
        await stores.audit.append(buildAuditEntry({ id: 'a-1', at: '2025-02-03T08:15:00Z' }));
        await stores.audit.append(
          buildAuditEntry({
            id: 'a-2',
            at: '2025-02-03T09:00:00.5Z',
            actor: rektorId,
            action: 'case.share',
            purpose: 'Nödvändig, relevant och proportionerlig för barnsamtalet.',
          }),
        );
        await stores.audit.append(buildAuditEntry({ id: 'a-other', caseId: 'case-2', outcome: 'refused' }));

        const entries = await stores.audit.listForCase('case-1');

        expect(entries.map((entry) => entry.id)).toEqual(['a-1', 'a-2', 'a-3']);
        expect(entries[1]?.purpose).toBe('Nödvändig, relevant och proportionerlig för barnsamtalet.');
        expect((await stores.audit.listForCase('case-2')).map((entry) => entry.outcome)).toEqual(['refused']);
      });

      it('stores a retried entry once and refuses a different entry under the same id', async () => {
        const entry = buildAuditEntry();
        await stores.audit.append(entry);
        await stores.audit.append(entry);

        await expectDomainError(stores.audit.append({ ...entry, action: 'case.delete' }), 'alreadyExists');
        expect(await stores.audit.listForCase('case-1')).toEqual([entry]);
      });

      it('lists every case’s entries in a time window, from included and to excluded, in time order', async () => {
        await stores.audit.append(buildAuditEntry({ id: 'w-before', at: '2025-02-02T23:59:59.999Z' }));
        await stores.audit.append(
          buildAuditEntry({ id: 'w-3', at: '2025-02-05T10:00:00Z', caseId: 'case-3' }),
        );
        await stores.audit.append(buildAuditEntry({ id: 'w-1', at: '2025-02-03T00:00:00Z' }));
        await stores.audit.append(
          buildAuditEntry({ id: 'w-2', at: '2025-02-04T09:00:00.5Z', caseId: 'case-2', outcome: 'refused' }),
        );
        await stores.audit.append(buildAuditEntry({ id: 'w-at-end', at: '2025-02-10T00:00:00.000Z' }));

        const page = await stores.audit.listBetween({
          from: '2025-02-03T00:00:00.000Z',
          to: '2025-02-10T00:00:00Z',
          limit: 10,
        });

        expect(page.entries.map((entry) => entry.id)).toEqual(['w-1', 'w-2', 'w-3']);
        expect(page.entries[1]?.outcome).toBe('refused');
        expect(page.next).toBeUndefined();
      });

      it('pages the window by time and id, so entries at the same instant are neither lost nor repeated', async () => {
        const ids = ['p-e', 'p-a', 'p-d', 'p-b', 'p-c'];
        for (const [index, id] of ids.entries()) {
          await stores.audit.append(
            buildAuditEntry({ id, at: '2025-02-03T08:00:00Z', caseId: `case-${index % 3}` }),
          );
        }
        await stores.audit.append(buildAuditEntry({ id: 'p-0-later', at: '2025-02-03T09:00:00Z' }));

        const seen: string[][] = [];
        let after: AuditPosition | undefined;
        do {
          const page = await stores.audit.listBetween({
            from: '2025-02-01T00:00:00Z',
            to: '2025-03-01T00:00:00Z',
            limit: 2,
            ...(after === undefined ? {} : { after }),
          });
          seen.push(page.entries.map((entry) => entry.id));
          after = page.next;
        } while (after !== undefined && seen.length < 10);

        expect(seen).toEqual([
          ['p-a', 'p-b'],
          ['p-c', 'p-d'],
          ['p-e', 'p-0-later'],
        ]);
      });

      it('refuses a page size outside 1–1000', async () => {
        await expectDomainError(
          stores.audit.listBetween({ from: '2025-02-01T00:00:00Z', to: '2025-03-01T00:00:00Z', limit: 0 }),
          'invalidInput',
        );
      });
    });

    describe('activity ledger', () => {
      it('records an activity once: a redelivery of the same id is reported as seen', async () => {
        expect(await stores.activities.record(buildActivity())).toBe(true);

        const redelivery = buildActivity({
          handledAt: '2025-02-03T08:15:16Z',
          expiresAt: '2025-02-03T08:20:16Z',
        });
        expect(await stores.activities.record(redelivery)).toBe(false);
        expect(await stores.activities.record(buildActivity())).toBe(false);
      });

      it('keeps different ids apart, also ids with characters Cosmos DB refuses in a document id', async () => {
        const ledgerIds = ['tenant/19:abc?x#y', 'tenant\\19:abc?x#y', 'tenant/19:abc?x#z', 'activity-2'];

        for (const id of ledgerIds) {
          expect(await stores.activities.record(buildActivity({ id })), id).toBe(true);
        }
        for (const id of ledgerIds) {
          expect(await stores.activities.record(buildActivity({ id })), id).toBe(false);
        }
      });

      it('lets exactly one of several concurrent turns handle the same activity', async () => {
        const results = await Promise.all(
          ['08:15:00', '08:15:00', '08:15:01', '08:15:02'].map((time) =>
            stores.activities.record(buildActivity({ handledAt: `2025-02-03T${time}Z` })),
          ),
        );

        expect(results.filter((handled) => handled)).toHaveLength(1);
      });

      it('still remembers an unexpired activity after later turns forgot expired ones', async () => {
        await stores.activities.record(
          buildActivity({
            id: 'expired',
            handledAt: '2025-02-03T08:00:00Z',
            expiresAt: '2025-02-03T08:05:00Z',
          }),
        );
        await stores.activities.record(
          buildActivity({ id: 'live', handledAt: '2025-02-03T08:04:00Z', expiresAt: '2025-02-03T08:09:00Z' }),
        );

        expect(
          await stores.activities.record(
            buildActivity({
              id: 'later',
              handledAt: '2025-02-03T08:06:00Z',
              expiresAt: '2025-02-03T08:11:00Z',
            }),
          ),
        ).toBe(true);
        expect(
          await stores.activities.record(
            buildActivity({
              id: 'live',
              handledAt: '2025-02-03T08:08:59Z',
              expiresAt: '2025-02-03T08:13:59Z',
            }),
          ),
        ).toBe(false);
      });

      it('refuses an invalid record', async () => {
        await expectDomainError(stores.activities.record(buildActivity({ id: '' })), 'invalidInput');
        await expectDomainError(
          stores.activities.record(buildActivity({ expiresAt: 'in fem minuter' })),
          'invalidInput',
        );
        expect(await stores.activities.record(buildActivity())).toBe(true);
      });
    });

    describe('Barnteam meetings', () => {
      it('returns a created meeting exactly as written, agenda, members and calendar included', async () => {
        const created = await stores.meetings.create(buildMeeting());

        const read = await stores.meetings.get('meeting-1');

        expect(read).toEqual(created);
        expect(read?.value).toEqual(buildMeeting());
        expect(read?.value.agenda.map((item) => item.initials)).toEqual(['ÅMÖ', 'LA']);
        expect(await stores.meetings.get('meeting-2')).toBeUndefined();
      });

      it('refuses a second meeting with the same id and keeps the first', async () => {
        const created = await stores.meetings.create(buildMeeting());

        await expectDomainError(
          stores.meetings.create(buildMeeting({ unitId: 'larkans-forskola', state: 'proposed' })),
          'alreadyExists',
        );

        expect(await stores.meetings.get('meeting-1')).toEqual(created);
        expect(await stores.meetings.listForUnit('larkans-forskola', '2025-01-01T00:00:00Z')).toEqual([]);
      });

      it('replaces with the current version, and refuses a stale version and a meeting that is gone', async () => {
        const created = await stores.meetings.create(buildMeeting());
        const moved = await stores.meetings.replace(
          { ...created.value, state: 'moved', start: '2025-02-11T08:00:00Z', end: '2025-02-11T09:00:00Z' },
          created.etag,
        );

        expect(moved.etag).not.toBe(created.etag);
        const error = await expectDomainError(
          stores.meetings.replace({ ...created.value, state: 'cancelled' }, created.etag),
          'concurrencyConflict',
        );
        expect(error.message).toContain('Mötet har ändrats');
        expect(await stores.meetings.get('meeting-1')).toEqual(moved);
        await expectDomainError(
          stores.meetings.replace(buildMeeting({ id: 'meeting-missing' }), created.etag),
          'notFound',
        );
      });

      it('lets exactly one of two replaces from the same version win', async () => {
        const created = await stores.meetings.create(buildMeeting());

        const results = await settle([
          stores.meetings.replace({ ...created.value, state: 'held' }, created.etag),
          stores.meetings.replace({ ...created.value, state: 'cancelled' }, created.etag),
        ]);

        const winners = results.filter((result) => result.status === 'fulfilled');
        expect(winners).toHaveLength(1);
        expect(await stores.meetings.get('meeting-1')).toEqual(
          (winners[0] as PromiseFulfilledResult<Versioned<BarnteamMeeting>>).value,
        );
      });

      it('lists the meetings a case is on, in start order, and follows agenda changes', async () => {
        await stores.meetings.create(buildMeeting({ id: 'meeting-march', start: '2025-03-03T13:00:00Z' }));
        const february = await stores.meetings.create(buildMeeting({ id: 'meeting-february' }));
        await stores.meetings.create(
          buildMeeting({
            id: 'meeting-other',
            agenda: [{ caseId: 'case-3', reference: 'BB-2P8R-4T6W', initials: 'KB' }],
          }),
        );

        expect(ids(await stores.meetings.listForCase('case-1'))).toEqual([
          'meeting-february',
          'meeting-march',
        ]);
        expect(ids(await stores.meetings.listForCase('case-3'))).toEqual(['meeting-other']);
        expect(await stores.meetings.listForCase('case-9')).toEqual([]);

        // Adding a child to the agenda finds the meeting from that child's case.
        const withCase3 = await stores.meetings.replace(
          {
            ...february.value,
            agenda: [
              ...february.value.agenda,
              { caseId: 'case-3', reference: 'BB-2P8R-4T6W', initials: 'KB' },
            ],
          },
          february.etag,
        );
        expect(ids(await stores.meetings.listForCase('case-3'))).toEqual([
          'meeting-february',
          'meeting-other',
        ]);
        expect((await stores.meetings.listForCase('case-3'))[0]).toEqual(withCase3);

        // An item dropped from the agenda array no longer lists the meeting.
        await stores.meetings.replace(
          { ...withCase3.value, agenda: withCase3.value.agenda.filter((item) => item.caseId !== 'case-2') },
          withCase3.etag,
        );
        expect(ids(await stores.meetings.listForCase('case-2'))).toEqual(['meeting-march']);
      });

      it('still lists a meeting for a case whose agenda item was marked removed: it stays in the case history', async () => {
        const created = await stores.meetings.create(buildMeeting());
        await stores.meetings.replace(
          {
            ...created.value,
            agenda: created.value.agenda.map((item) =>
              item.caseId === 'case-2' ? { ...item, removedAt: '2025-02-05T10:00:00Z' } : item,
            ),
          },
          created.etag,
        );

        const [listed] = await stores.meetings.listForCase('case-2');

        expect(listed?.value.id).toBe('meeting-1');
        expect(listed?.value.agenda.find((item) => item.caseId === 'case-2')?.removedAt).toBe(
          '2025-02-05T10:00:00Z',
        );
      });

      it("lists a unit's meetings from the given instant in start order, compared as instants", async () => {
        // 12:00:00Z and 12:00:00.000Z are the same instant: they tie on start and go by id (as
        // text, '.000Z' would sort first and fall before the from instant).
        await stores.meetings.create(buildMeeting({ id: 'm-later', start: '2025-02-12T08:00:00Z' }));
        await stores.meetings.create(buildMeeting({ id: 'm-past', start: '2025-02-03T08:00:00Z' }));
        await stores.meetings.create(buildMeeting({ id: 'm-b-at-from', start: '2025-02-10T12:00:00.000Z' }));
        await stores.meetings.create(buildMeeting({ id: 'm-a-at-from', start: '2025-02-10T12:00:00Z' }));
        await stores.meetings.create(buildMeeting({ id: 'm-early', start: '2025-02-10T11:59:59.999Z' }));
        await stores.meetings.create(
          buildMeeting({ id: 'm-other-unit', unitId: 'larkans-forskola', start: '2025-02-11T08:00:00Z' }),
        );

        expect(ids(await stores.meetings.listForUnit('bjorkskolan', '2025-02-10T12:00:00Z'))).toEqual([
          'm-a-at-from',
          'm-b-at-from',
          'm-later',
        ]);
        expect(ids(await stores.meetings.listForUnit('larkans-forskola', '2025-02-10T12:00:00Z'))).toEqual([
          'm-other-unit',
        ]);
        expect(await stores.meetings.listForUnit('ekens-skola', '2025-01-01T00:00:00Z')).toEqual([]);
      });

      it('follows a moved meeting in the unit list', async () => {
        const created = await stores.meetings.create(buildMeeting({ start: '2025-02-10T12:00:00Z' }));
        await stores.meetings.create(buildMeeting({ id: 'meeting-2', start: '2025-02-11T12:00:00Z' }));

        await stores.meetings.replace({ ...created.value, start: '2025-02-12T12:00:00Z' }, created.etag);

        expect(ids(await stores.meetings.listForUnit('bjorkskolan', '2025-02-10T12:00:00Z'))).toEqual([
          'meeting-2',
          'meeting-1',
        ]);
        expect(await stores.meetings.listForUnit('bjorkskolan', '2025-02-12T12:00:00.001Z')).toEqual([]);
      });

      it('refuses an invalid meeting, an id Cosmos DB could not store and an invalid start instant', async () => {
        await expectDomainError(
          stores.meetings.create(buildMeeting({ id: 'bjorkskolan/1' })),
          'invalidInput',
        );
        await expectDomainError(
          stores.meetings.create(
            buildMeeting({ agenda: [{ caseId: 'case-1', reference: 'BB-4K7Q-2M9C', initials: 'ÅsaMärta' }] }),
          ),
          'invalidInput',
        );
        await expectDomainError(
          stores.meetings.create(buildMeeting({ start: 'måndag eftermiddag' })),
          'invalidInput',
        );
        await expectDomainError(stores.meetings.listForUnit('bjorkskolan', 'i morgon'), 'invalidInput');
        expect(await stores.meetings.get('meeting-1')).toBeUndefined();
        expect(await stores.meetings.listForCase('case-1')).toEqual([]);
      });
    });

    const reopen = setup.reopen;
    if (reopen !== undefined) {
      it('keeps everything across a restart: cases, conversations, outbox, reminders and audit', async () => {
        const created = await stores.cases.create(buildContractCase());
        const replaced = await stores.cases.replace({ ...created.value, state: 'mottagen' }, created.etag);
        await stores.conversations.save(buildConversation());
        await stores.outbox.enqueue(buildOutboxMessage());
        await stores.reminders.schedule(buildReminder());
        await stores.audit.append(buildAuditEntry());
        await stores.close();

        stores = await reopen();

        expect(await stores.cases.get('case-1')).toEqual(replaced);
        expect(await stores.cases.findCaseIdsByIdentityKey('key-0123456789abcdef')).toEqual(['case-1']);
        expect(await stores.conversations.get(buildConversation().key)).toEqual(buildConversation());
        expect(ids(await stores.outbox.listDue(new Date('2025-02-03T09:00:00Z'), 10))).toEqual(['outbox-1']);
        expect(ids(await stores.reminders.listDue(new Date('2025-02-05T07:00:00Z'), 10))).toEqual([
          'reminder-1',
        ]);
        expect(await stores.audit.listForCase('case-1')).toEqual([buildAuditEntry()]);
        // The version read before the restart still guards the next write.
        await expectDomainError(stores.cases.replace(created.value, created.etag), 'concurrencyConflict');
        await stores.cases.replace({ ...replaced.value, state: 'samtal' }, replaced.etag);
      });

      it('keeps meetings, their versions and their agenda index across a restart', async () => {
        const created = await stores.meetings.create(buildMeeting());
        const held = await stores.meetings.replace({ ...created.value, state: 'held' }, created.etag);
        await stores.close();

        stores = await reopen();

        expect(await stores.meetings.get('meeting-1')).toEqual(held);
        expect(await stores.meetings.listForCase('case-2')).toEqual([held]);
        expect(await stores.meetings.listForUnit('bjorkskolan', '2025-02-10T00:00:00Z')).toEqual([held]);
        await expectDomainError(stores.meetings.replace(created.value, created.etag), 'concurrencyConflict');
        await expectDomainError(stores.meetings.create(buildMeeting()), 'alreadyExists');
      });

      it('remembers handled activities across a restart', async () => {
        await stores.activities.record(buildActivity());
        await stores.close();

        stores = await reopen();

        expect(await stores.activities.record(buildActivity({ handledAt: '2025-02-03T08:16:00Z' }))).toBe(
          false,
        );
        expect(await stores.activities.record(buildActivity({ id: 'activity-2' }))).toBe(true);
      });
    }
  });
}

/**
 * The retention sweep's store writes, run against every store: a closed case erased leaves
 * nothing of the child that any lookup finds, other children and the follow-up figures stay,
 * erasing twice is harmless, and the access log loses only the entries before the cut-off.
 */
import { describe, expect, it } from 'vitest';
import { toTeamkanalKey } from '../../flows/kernel/notices.js';
import type { BarnteamMeeting, ErasureStore, FigureEvent, Stores } from '../../flows/kernel/ports.js';
import {
  buildAuditEntry,
  buildContractCase,
  buildConversation,
  buildOutboxMessage,
  buildReminder,
  rektorId,
} from './contract-data.js';
import type { StorageContractSetup } from './storage-contract.js';

function erasureOf(stores: Stores): ErasureStore {
  if (stores.erasure === undefined) throw new Error('the store has no erasure');
  return stores.erasure;
}

const closedAt = '2025-03-10T09:00:00Z';

function closedCase(id: string, identityKey: string, reference: string) {
  const base = buildContractCase({ id, reference });
  return {
    ...base,
    state: 'avslutad' as const,
    child: { ...base.child, identityKey },
    chronology: [
      ...base.chronology,
      {
        at: closedAt,
        by: rektorId,
        event: 'avsluta',
        from: 'behovUppfyllt' as const,
        to: 'avslutad' as const,
      },
    ],
  };
}

function meeting(): BarnteamMeeting {
  return {
    id: 'meeting-1',
    unitId: 'bjorkskolan',
    convenerUserId: rektorId,
    state: 'held',
    start: '2025-02-10T12:00:00Z',
    end: '2025-02-10T13:00:00Z',
    agenda: [
      { caseId: 'case-1', reference: 'BB-4K7Q-2M9C', initials: 'ÅMÖ' },
      { caseId: 'case-2', reference: 'BB-7H3D-9X2B', initials: 'LA' },
    ],
    members: [{ userId: rektorId, email: 'rektor.bjorkskolan@exempelby.se', role: 'Rektor', required: true }],
    createdAt: '2025-02-03T08:15:00Z',
    updatedAt: '2025-02-03T08:15:00Z',
  };
}

const figure: FigureEvent = {
  id: 'figure-event-erasure-1',
  term: '2025vt',
  metric: 'upptackarkort.internt',
  organisation: 'bjorkskolan',
};

/** Two closed children's cases with everything the process stores around them. */
async function storeTwoChildren(stores: Stores): Promise<void> {
  for (const [index, caseValue] of [
    closedCase('case-1', 'key-0123456789abcdef', 'BB-4K7Q-2M9C'),
    closedCase('case-2', 'key-fedcba9876543210', 'BB-7H3D-9X2B'),
  ].entries()) {
    const caseId = caseValue.id;
    await stores.cases.claimOpenCase({
      identityKey: caseValue.child.identityKey,
      caseId,
      claimedAt: '2025-02-03T08:15:00Z',
    });
    await stores.cases.createWithEffects(caseValue, {
      outbox: [
        buildOutboxMessage({ id: `text-${index}`, caseId }),
        buildOutboxMessage({
          id: `notice-${index}`,
          caseId: undefined,
          status: 'delivered',
          deliveredAt: '2025-02-03T09:00:00Z',
          payload: {
            kind: 'notice',
            notice: 'arendeAvslutat',
            caseId,
            data: { reference: caseValue.reference },
          },
        }),
        buildOutboxMessage({
          id: `channel-${index}`,
          caseId: undefined,
          recipientKey: toTeamkanalKey(caseId),
        }),
      ],
      reminders: [
        buildReminder({ id: `reminder-${index}`, caseId }),
        buildReminder({ id: `done-${index}`, caseId, status: 'done' }),
      ],
      figures: index === 0 ? [figure] : [],
    });
    await stores.conversations.save(buildConversation({ key: toTeamkanalKey(caseId) }));
  }
  await stores.meetings.create(meeting());
  await stores.conversations.save(buildConversation());
}

export function describeErasureContract(name: string, setup: StorageContractSetup): void {
  describe(`${name}: erasure (gallring)`, () => {
    it('lists the closed cases only, by id and in pages', async () => {
      const stores = await setup.open();
      try {
        await stores.cases.create(buildContractCase({ id: 'case-open' }));
        for (const id of ['case-c', 'case-a', 'case-b']) {
          await stores.cases.create({ ...closedCase(id, `key-${id}-0123456789`, `BB-${id}`) });
        }
        await stores.cases.create({ ...buildContractCase({ id: 'case-declined' }), state: 'avbojd' });
        await stores.cases.create({
          ...buildContractCase({ id: 'case-withdrawn' }),
          state: 'samtyckeAterkallat',
        });
        const erasure = erasureOf(stores);
        expect(await erasure.listClosedCaseIds(10)).toEqual([
          'case-a',
          'case-b',
          'case-c',
          'case-declined',
          'case-withdrawn',
        ]);
        expect(await erasure.listClosedCaseIds(2, 'case-b')).toEqual(['case-c', 'case-declined']);
        expect(await erasure.listClosedCaseIds(0)).toEqual([]);
      } finally {
        await stores.close();
      }
    });

    it('erases a case and everything stored because of it, and leaves the other child and the figures', async () => {
      const stores = await setup.open();
      try {
        await storeTwoChildren(stores);
        const figuresBefore = await stores.figures?.termCounts('2025vt');
        const erasure = erasureOf(stores);

        expect(await erasure.eraseCase('case-1')).toBe(true);

        expect(await stores.cases.get('case-1')).toBeUndefined();
        expect(await stores.cases.findCaseIdByReference('BB-4K7Q-2M9C')).toBeUndefined();
        expect(await stores.cases.findCaseIdsByIdentityKey('key-0123456789abcdef')).toEqual([]);
        expect(await stores.reminders.listForCase('case-1')).toEqual([]);
        for (const id of ['text-0', 'notice-0', 'channel-0'])
          expect(await stores.outbox.get(id)).toBeUndefined();
        expect(await stores.conversations.get(toTeamkanalKey('case-1'))).toBeUndefined();
        expect(await stores.meetings.listForCase('case-1')).toEqual([]);
        const kept = await stores.meetings.get('meeting-1');
        expect(kept?.value.agenda).toEqual([{ caseId: 'case-2', reference: 'BB-7H3D-9X2B', initials: 'LA' }]);
        expect(kept?.value.state).toBe('held');
        // The child's claim is gone: a new card about the child starts a new case.
        const claim = await stores.cases.claimOpenCase({
          identityKey: 'key-0123456789abcdef',
          caseId: 'case-new',
          claimedAt: '2027-04-01T08:00:00Z',
        });
        expect(claim.value.caseId).toBe('case-new');

        // The other child is untouched.
        expect((await stores.cases.get('case-2'))?.value.reference).toBe('BB-7H3D-9X2B');
        expect(await stores.cases.findCaseIdsByIdentityKey('key-fedcba9876543210')).toEqual(['case-2']);
        expect((await stores.reminders.listForCase('case-2')).map((item) => item.value.id).sort()).toEqual([
          'done-1',
          'reminder-1',
        ]);
        for (const id of ['text-1', 'notice-1', 'channel-1'])
          expect(await stores.outbox.get(id)).toBeDefined();
        expect(await stores.conversations.get(toTeamkanalKey('case-2'))).toBeDefined();
        expect(await stores.conversations.get(buildConversation().key)).toBeDefined();
        // The in-memory fake counts no figures; the real stores must keep them.
        if (stores.figures !== undefined) {
          expect(await stores.figures.termCounts('2025vt')).toEqual(figuresBefore);
          expect(figuresBefore).toEqual([
            { metric: 'upptackarkort.internt', organisation: 'bjorkskolan', count: 1 },
          ]);
        }
      } finally {
        await stores.close();
      }
    });

    it('erases twice, and an unknown case, without failing or touching anything else', async () => {
      const stores = await setup.open();
      try {
        await storeTwoChildren(stores);
        const erasure = erasureOf(stores);
        expect(await erasure.eraseCase('case-1')).toBe(true);
        expect(await erasure.eraseCase('case-1')).toBe(false);
        expect(await erasure.eraseCase('case-unknown')).toBe(false);
        expect(await erasure.listClosedCaseIds(10)).toEqual(['case-2']);
        expect((await stores.meetings.get('meeting-1'))?.value.agenda.map((item) => item.caseId)).toEqual([
          'case-2',
        ]);
      } finally {
        await stores.close();
      }
    });

    it('keeps the child’s claim when it already names the child’s later case', async () => {
      const stores = await setup.open();
      try {
        const old = closedCase('case-1', 'key-0123456789abcdef', 'BB-4K7Q-2M9C');
        await stores.cases.create(old);
        await stores.cases.create(buildContractCase({ id: 'case-later', reference: 'BB-9Z9Z-9Z9Z' }));
        await stores.cases.claimOpenCase({
          identityKey: 'key-0123456789abcdef',
          caseId: 'case-later',
          claimedAt: '2026-01-01T08:00:00Z',
        });
        await erasureOf(stores).eraseCase('case-1');
        const claim = await stores.cases.claimOpenCase({
          identityKey: 'key-0123456789abcdef',
          caseId: 'case-other',
          claimedAt: '2027-01-01T08:00:00Z',
        });
        expect(claim.value.caseId).toBe('case-later');
        expect(await stores.cases.findCaseIdsByIdentityKey('key-0123456789abcdef')).toEqual(['case-later']);
      } finally {
        await stores.close();
      }
    });

    it('deletes the settled messages that name no case before the cut-off, and no other message', async () => {
      const stores = await setup.open();
      try {
        const caseless = (
          id: string,
          status: 'delivered' | 'dropped' | 'pending' | 'parked',
          createdAt: string,
        ) => {
          const { caseId: _caseId, ...message } = buildOutboxMessage({ id, status, createdAt });
          return {
            ...message,
            payload: {
              kind: 'card' as const,
              card: { type: 'AdaptiveCard', body: [] },
              summary: 'BB-4K7Q-2M9C',
            },
          };
        };
        const messages = [
          caseless('logg-2025-01', 'delivered', '2025-01-06T06:00:00Z'),
          caseless('logg-2025-02', 'dropped', '2025-01-13T06:00:00.500Z'),
          caseless('logg-2025-03', 'delivered', '2025-01-20T06:00:00Z'),
          caseless('logg-vantar', 'pending', '2025-01-06T06:00:00Z'),
          caseless('logg-parkerad', 'parked', '2025-01-06T06:00:00Z'),
          caseless('logg-ny', 'delivered', '2025-03-03T06:00:00Z'),
          buildOutboxMessage({
            id: 'arende-meddelande',
            status: 'delivered',
            createdAt: '2025-01-06T06:00:00Z',
          }),
        ];
        for (const message of messages) await stores.outbox.enqueue(message);
        const erasure = erasureOf(stores);

        expect(await erasure.deleteSettledCaselessMessagesBefore('2025-02-01T00:00:00Z', 2)).toBe(2);
        expect(await erasure.deleteSettledCaselessMessagesBefore('2025-02-01T00:00:00Z', 10)).toBe(1);
        expect(await erasure.deleteSettledCaselessMessagesBefore('2025-02-01T00:00:00Z', 10)).toBe(0);
        const left = [];
        for (const message of messages) {
          if ((await stores.outbox.get(message.id)) !== undefined) left.push(message.id);
        }
        expect(left).toEqual(['logg-vantar', 'logg-parkerad', 'logg-ny', 'arende-meddelande']);
      } finally {
        await stores.close();
      }
    });

    it('deletes the access log’s entries before the cut-off only, oldest first, and keeps the rest', async () => {
      const stores = await setup.open();
      try {
        const entries = [
          buildAuditEntry({ id: 'audit-old-1', at: '2020-01-01T10:00:00Z', caseId: 'case-1' }),
          buildAuditEntry({ id: 'audit-old-2', at: '2020-06-01T10:00:00.500Z', caseId: 'case-2' }),
          buildAuditEntry({ id: 'audit-old-3', at: '2020-12-31T22:59:59.999Z', caseId: 'logguppfoljning' }),
          buildAuditEntry({ id: 'audit-edge', at: '2020-12-31T23:00:00Z', caseId: 'case-1' }),
          buildAuditEntry({ id: 'audit-new', at: '2025-02-03T08:15:00Z', caseId: 'case-1' }),
        ];
        for (const entry of entries) await stores.audit.append(entry);
        const erasure = erasureOf(stores);

        expect(await erasure.deleteAuditEntriesBefore('2020-12-31T23:00:00Z', 2)).toBe(2);
        expect((await stores.audit.listForCase('case-2')).map((entry) => entry.id)).toEqual([]);
        expect(await erasure.deleteAuditEntriesBefore('2020-12-31T23:00:00Z', 10)).toBe(1);
        expect(await erasure.deleteAuditEntriesBefore('2020-12-31T23:00:00Z', 10)).toBe(0);

        expect((await stores.audit.listForCase('case-1')).map((entry) => entry.id)).toEqual([
          'audit-edge',
          'audit-new',
        ]);
        expect(await stores.audit.listForCase('logguppfoljning')).toEqual([]);
        const page = await stores.audit.listBetween({
          from: '2000-01-01T00:00:00Z',
          to: '2030-01-01T00:00:00Z',
          limit: 10,
        });
        expect(page.entries.map((entry) => entry.id)).toEqual(['audit-edge', 'audit-new']);
      } finally {
        await stores.close();
      }
    });
  });
}

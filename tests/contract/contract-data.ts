/** Valid documents for the storage contract. */
import type { Case } from '../../flows/kernel/case.js';
import type { AuditEntry, OutboxMessage, Reminder, StoredConversation } from '../../flows/kernel/ports.js';
import { buildCase, tenantId, users } from '../fixtures/case-fixtures.js';

const alexId = users.upptackare;
export const rektorId = users.barnkontakt;

/**
 * A case from the shared fixture, with what storage must carry faithfully: a child with
 * å, ä and ö and a keyed identity hash, instants with and without fractional seconds, and a
 * note with quotes and a line break.
 */
export function buildContractCase(overrides: Partial<Case> = {}): Case {
  return buildCase({
    id: 'case-1',
    state: 'vantarPaBarnkontakt',
    child: {
      givenName: 'Åsa-Märta',
      familyName: 'Öberg',
      identityNumber: '201503142388',
      identityKey: 'key-0123456789abcdef',
      birthDate: '2015-03-14',
    },
    routing: {
      band: 'grundskola',
      unitId: 'bjorkskolan',
      contactUserId: rektorId,
      viaDeputy: false,
      viaFallback: false,
      reason: 'Barnet går på Björkskolan, så rektor är Barnkontakt.',
      decidedOn: '2025-02-03',
    },
    chronology: [
      { at: '2025-02-03T08:15:00Z', by: alexId, event: 'upptackarkortInlamnat', to: 'upptackt' },
      {
        at: '2025-02-03T08:15:01.250Z',
        by: 'system',
        event: 'barnkontaktAktiverad',
        from: 'upptackt',
        to: 'vantarPaBarnkontakt',
        note: 'Vårdnadshavare har gett muntligt samtycke; "citat" och radbrytning\nfår också plats.',
      },
    ],
    ...overrides,
  });
}

export function buildConversation(overrides: Partial<StoredConversation> = {}): StoredConversation {
  return {
    key: alexId,
    tenantId,
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    conversationId: 'a:1personal-chat',
    updatedAt: '2025-02-03T08:00:00Z',
    reference: { bot: { id: '28:bot' }, conversation: { id: 'a:1personal-chat' }, channelId: 'msteams' },
    ...overrides,
  };
}

export function buildOutboxMessage(overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    id: 'outbox-1',
    recipientKey: rektorId,
    caseId: 'case-1',
    payload: { kind: 'text', text: 'Ett nytt Upptäckarkort väntar på dig.' },
    status: 'pending',
    attempts: 0,
    nextAttemptAt: '2025-02-03T09:00:00Z',
    createdAt: '2025-02-03T08:15:01Z',
    ...overrides,
  };
}

export function buildReminder(overrides: Partial<Reminder> = {}): Reminder {
  return {
    id: 'reminder-1',
    kind: 'jagaBarnkontakt',
    caseId: 'case-1',
    dueAt: '2025-02-05T07:00:00Z',
    status: 'scheduled',
    data: { attempt: 1, notifyUpptackare: true, recipientKey: rektorId },
    createdAt: '2025-02-03T08:15:01Z',
    ...overrides,
  };
}

export function buildAuditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: 'audit-1',
    at: '2025-02-03T08:15:00Z',
    actor: alexId,
    action: 'case.create',
    caseId: 'case-1',
    unitId: 'bjorkskolan',
    outcome: 'allowed',
    ...overrides,
  };
}

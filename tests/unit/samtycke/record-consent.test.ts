import { describe, expect, it } from 'vitest';
import { renderNotice } from '../../../bot/notice-renderer.js';
import { type Case, hasValidConsent } from '../../../flows/kernel/case.js';
import { buildNoticeMessage } from '../../../flows/kernel/notices.js';
import type { BarnteamMeeting, Reminder } from '../../../flows/kernel/ports.js';
import { allowedEvents } from '../../../flows/kernel/transitions.js';
import { decide } from '../../../flows/samtal-och-beslut/decide.js';
import { recordSamtal } from '../../../flows/samtal-och-beslut/record-samtal.js';
import {
  consentMessages,
  type RecordConsentStepInput,
  recordConsentStep,
} from '../../../flows/samtycke/record-consent.js';
import { withdrawConsent, withdrawMessages } from '../../../flows/samtycke/withdraw-consent.js';
import { buildCase, buildConsent, buildRole, defaultRoles } from '../../fixtures/case-fixtures.js';
import { bitrRektor, createTestFlow, rektor, upptackare, users } from '../../support/flow-fixtures.js';

const caseId = 'arende-samtycke-0001';
const at = '2025-03-10T09:00:00.000Z';
const receivedAt = '2025-03-04T12:00:00.000Z';

/** A case the Barnkontakt of Björkskolan has taken, with the verbal consent from the card. */
function buildReceivedCase(overrides: Partial<Case> = {}): Case {
  return buildCase({
    id: caseId,
    state: 'mottagen',
    consents: [buildConsent('muntligt', { recordedBy: users.upptackare })],
    chronology: [
      {
        at: receivedAt,
        by: users.upptackare,
        event: 'aktiveraBarnkontakt',
        from: 'upptackt',
        to: 'vantarPaBarnkontakt',
      },
      { at: receivedAt, by: users.barnkontakt, event: 'taEmot', from: 'vantarPaBarnkontakt', to: 'mottagen' },
    ],
    ...overrides,
  });
}

async function storeCase(overrides: Partial<Case> = {}) {
  const flow = createTestFlow();
  const stored = await flow.stores.cases.create(buildReceivedCase(overrides));
  const record = (input: Partial<RecordConsentStepInput> = {}) =>
    recordConsentStep(flow.deps, {
      caseId,
      etag: stored.etag,
      actor: rektor,
      step: 'skriftligt',
      givenBy: ['vardnadshavare', 'barnet'],
      scope: 'Elevhälsan, socialtjänsten, hälso- och sjukvården och polisen i Barnteam Björkskolan.',
      documentReference: 'W3D3-2025-0042',
      at,
      ...input,
    });
  return { ...flow, stored, record };
}

describe('recordConsentStep', () => {
  it('records the written consent by the Barnkontakt, with the form reference, and audits it', async () => {
    const flow = await storeCase();

    const result = await flow.record();

    expect(result.outcome).toBe('applied');
    if (result.outcome !== 'applied') return;
    const caseValue = result.caseValue.value;
    expect(hasValidConsent(caseValue, 'skriftligt')).toBe(true);
    expect(caseValue.consents?.at(-1)).toMatchObject({
      step: 'skriftligt',
      givenBy: ['vardnadshavare', 'barnet'],
      recordedBy: users.barnkontakt,
      documentReference: 'W3D3-2025-0042',
      at,
    });
    expect(caseValue.chronology.at(-1)).toMatchObject({
      event: 'samtyckeRegistrerat',
      note: 'Skriftligt samtycke inför Barnteam',
    });
    expect(flow.stores.snapshot().audit).toEqual([
      expect.objectContaining({
        actor: users.barnkontakt,
        action: 'registreraSkriftligtSamtycke',
        caseId,
        outcome: 'allowed',
      }),
    ]);
  });

  it('refuses a written consent without a document reference, in Swedish, and stores nothing', async () => {
    const flow = await storeCase();

    const result = await flow.record({ documentReference: '  ' });

    expect(result).toEqual({
      outcome: 'refused',
      cause: 'invalidInput',
      field: 'documentReference',
      message:
        'Ange var den undertecknade samtyckesblanketten finns (dokument-id eller arkivhänvisning): ett skriftligt samtycke kan inte registreras utan den.',
    });
    const stored = await flow.stores.cases.get(caseId);
    expect(stored?.etag).toBe(flow.stored.etag);
    expect(hasValidConsent(stored?.value ?? buildCase(), 'skriftligt')).toBe(false);
    expect(flow.stores.snapshot().audit.map((entry) => entry.outcome)).toEqual(['refused']);
  });

  it('refuses the updated written consent without a document reference too', async () => {
    const flow = await storeCase();

    const result = await flow.record({ step: 'uppdateratSkriftligt', documentReference: undefined });

    expect(result).toMatchObject({ outcome: 'refused', message: consentMessages.documentReferenceMissing });
  });

  it('does not let the Upptäckare record a written consent, and audits the refusal', async () => {
    const flow = await storeCase();

    const result = await flow.record({ actor: upptackare });

    expect(result).toEqual({
      outcome: 'refused',
      cause: 'accessDenied',
      message:
        'Du är Upptäckare i ärendet. Bara Barnkontakten (eller Barnkontaktens ersättare, när Barnkontakten är frånvarande eller ett obesvarat kort har gått vidare till ersättaren) kan registrera skriftligt samtycke.',
    });
    expect(flow.stores.snapshot().audit).toEqual([
      expect.objectContaining({
        actor: users.upptackare,
        action: 'registreraSkriftligtSamtycke',
        outcome: 'refused',
      }),
    ]);
  });

  it('lets the deputy acting for the Barnkontakt record the updated written consent', async () => {
    const deputy = buildRole({
      userId: users.ersattare,
      role: 'ersattare',
      displayName: 'Johan Ek',
      actingFor: users.barnkontakt,
    });
    const flow = await storeCase({ roles: [...defaultRoles(), deputy] });

    const result = await flow.record({ actor: bitrRektor, step: 'uppdateratSkriftligt' });

    expect(result.outcome).toBe('applied');
    if (result.outcome !== 'applied') return;
    expect(hasValidConsent(result.caseValue.value, 'uppdateratSkriftligt')).toBe(true);
    expect(result.caseValue.value.consents?.at(-1)?.recordedBy).toBe(users.ersattare);
  });

  it('answers a card that is no longer current with stale and the current case', async () => {
    const flow = await storeCase();

    const result = await flow.record({ etag: 'an-older-version' });

    expect(result).toMatchObject({
      outcome: 'stale',
      message: 'Kortet var inte längre aktuellt. Här är ärendet som det ser ut nu.',
    });
    expect(result.outcome === 'stale' && result.caseValue.etag).toBe(flow.stored.etag);
    expect(hasValidConsent((await flow.stores.cases.get(caseId))?.value ?? buildCase(), 'skriftligt')).toBe(
      false,
    );
  });

  it('answers a double click with alreadyApplied and keeps one consent', async () => {
    const flow = await storeCase();

    await flow.record();
    const again = await flow.record();

    expect(again).toMatchObject({ outcome: 'alreadyApplied', message: 'Samtycket är redan registrerat.' });
    const stored = await flow.stores.cases.get(caseId);
    expect(stored?.value.consents?.filter((consent) => consent.step === 'skriftligt')).toHaveLength(1);
  });
});

function buildReminder(id: string, kind: string, overrides: Partial<Reminder> = {}): Reminder {
  return {
    id,
    kind,
    caseId,
    dueAt: '2025-03-20T07:00:00.000Z',
    status: 'scheduled',
    data: {},
    createdAt: receivedAt,
    ...overrides,
  };
}

function buildMeeting(id: string, overrides: Partial<BarnteamMeeting> = {}): BarnteamMeeting {
  return {
    id,
    unitId: 'bjorkskolan',
    convenerUserId: users.barnkontakt,
    state: 'booked',
    start: '2025-03-18T12:00:00.000Z',
    end: '2025-03-18T13:30:00.000Z',
    agenda: [
      { caseId, reference: 'BB-4K7Q-2M9C', initials: 'T.E.' },
      { caseId: 'arende-annat-0002', reference: 'BB-7H2K-9QX4', initials: 'A.B.' },
    ],
    members: [
      { userId: users.socialtjanst, email: 'omar.haddad@exempelby.se', role: 'socialtjanst', required: true },
    ],
    createdAt: receivedAt,
    updatedAt: receivedAt,
    ...overrides,
  };
}

async function storeCaseOnBarnteam() {
  const flow = await storeCase({
    state: 'barnteam',
    consents: [buildConsent('muntligt'), buildConsent('skriftligt')],
  });
  const { reminders, meetings } = flow.stores;
  await reminders.schedule(
    buildReminder(`${caseId}:jakt:1:1`, 'chaseBarnkontakt', { data: { routingNo: 1, chaseNo: 1 } }),
  );
  await reminders.schedule(buildReminder(`${caseId}:beslut:1:uppfoljning`, 'foljUppBeslut'));
  await reminders.schedule(buildReminder(`mote-1:paminnelse:${users.upptackare}`, 'barnteamPaminnelse'));
  await reminders.schedule(buildReminder(`${caseId}:gammal`, 'chaseBarnkontakt', { status: 'done' }));
  await reminders.schedule(
    buildReminder('arende-annat-0002:jakt:1:1', 'chaseBarnkontakt', { caseId: 'arende-annat-0002' }),
  );
  await meetings.create(buildMeeting('mote-1'));
  await meetings.create(
    buildMeeting('mote-forra', {
      state: 'held',
      start: '2025-02-18T12:00:00.000Z',
      end: '2025-02-18T13:30:00.000Z',
    }),
  );
  await meetings.create(buildMeeting('mote-installt', { state: 'cancelled' }));
  await meetings.create(
    buildMeeting('mote-redan-borttagen', {
      agenda: [{ caseId, reference: 'BB-4K7Q-2M9C', initials: 'T.E.', removedAt: receivedAt }],
    }),
  );
  return flow;
}

describe('withdrawConsent', () => {
  it('stops the case, withdraws every consent, cancels its reminders and lists its coming agenda items', async () => {
    const flow = await storeCaseOnBarnteam();

    const result = await withdrawConsent(flow.deps, {
      caseId,
      actor: rektor,
      withdrawnBy: 'vardnadshavare',
      at,
      note: 'Mamma ringde och vill inte längre.',
    });

    expect(result.outcome).toBe('applied');
    if (result.outcome !== 'applied') return;
    const caseValue = result.caseValue.value;
    expect(caseValue.state).toBe('samtyckeAterkallat');
    expect(caseValue.consents?.map((consent) => consent.withdrawal)).toEqual([
      { at, by: 'vardnadshavare', recordedBy: users.barnkontakt },
      { at, by: 'vardnadshavare', recordedBy: users.barnkontakt },
    ]);
    expect([...result.cancelledReminderIds].sort()).toEqual([
      `${caseId}:beslut:1:uppfoljning`,
      `${caseId}:jakt:1:1`,
      `mote-1:paminnelse:${users.upptackare}`,
    ]);
    const statuses = Object.fromEntries(
      flow.stores.snapshot().reminders.map((item) => [item.id, item.status]),
    );
    expect(statuses).toEqual({
      [`${caseId}:jakt:1:1`]: 'cancelled',
      [`${caseId}:beslut:1:uppfoljning`]: 'cancelled',
      [`mote-1:paminnelse:${users.upptackare}`]: 'cancelled',
      [`${caseId}:gammal`]: 'done',
      'arende-annat-0002:jakt:1:1': 'scheduled',
    });
    expect(result.agendaItemsToRemove).toEqual([{ meetingId: 'mote-1', caseId }]);
    expect(flow.stores.snapshot().audit).toEqual([
      expect.objectContaining({ actor: users.barnkontakt, action: 'aterkallaSamtycke', outcome: 'allowed' }),
    ]);
  });

  it('applies even when the case changed since the card was shown, and anyone in the case may record it', async () => {
    const flow = await storeCase();
    await flow.record();

    const result = await withdrawConsent(flow.deps, { caseId, actor: upptackare, withdrawnBy: 'barnet', at });

    expect(result.outcome).toBe('applied');
  });

  it('stops every further step: no event is allowed and consent, talks and decisions are refused', async () => {
    const flow = await storeCase();
    const withdrawn = await withdrawConsent(flow.deps, { caseId, actor: rektor, withdrawnBy: 'barnet', at });
    if (withdrawn.outcome !== 'applied') throw new Error('expected the withdrawal to apply');
    const stopped = withdrawn.caseValue;

    expect(allowedEvents(stopped.value)).toEqual([]);
    const consent = await flow.record({ etag: stopped.etag });
    expect(consent).toEqual({
      outcome: 'refused',
      cause: 'accessDenied',
      message:
        'Samtycket återkallat: bara ärendets referens och status finns kvar, så det går inte längre att registrera skriftligt samtycke.',
    });
    const talk = await recordSamtal(flow.deps, {
      caseId,
      etag: stopped.etag,
      actor: rektor,
      samtalId: 'samtal-efter-stopp-01',
      kind: 'barnsamtal',
      heldOn: '2025-03-10',
      perspectives: { barnet: [{ key: 'omsorg', rating: 4 }] },
      at,
    });
    expect(talk.outcome).toBe('refused');
    const decision = await decide(flow.deps, {
      caseId,
      etag: stopped.etag,
      actor: rektor,
      decision: 'behovUppfyllt',
      principles: {
        tidigInsats: { answer: 'ja' },
        barnetsBasta: { answer: 'ja' },
        helaSituationen: { answer: 'ja' },
        gemensamPlan: { answer: 'ja' },
      },
      at,
    });
    expect(decision).toMatchObject({ outcome: 'refused', cause: 'accessDenied' });
    expect((await flow.stores.cases.get(caseId))?.etag).toBe(stopped.etag);
  });

  it('answers a second withdrawal with alreadyApplied and changes nothing', async () => {
    const flow = await storeCase();
    await withdrawConsent(flow.deps, { caseId, actor: rektor, withdrawnBy: 'barnet', at });
    const etag = (await flow.stores.cases.get(caseId))?.etag;

    const again = await withdrawConsent(flow.deps, {
      caseId,
      actor: upptackare,
      withdrawnBy: 'vardnadshavare',
      at: '2025-03-11T09:00:00.000Z',
    });

    expect(again).toMatchObject({ outcome: 'alreadyApplied', message: withdrawMessages.already });
    expect((await flow.stores.cases.get(caseId))?.etag).toBe(etag);
  });

  it('leaves queued notices to be dropped at delivery, where the withdrawn case stops them', async () => {
    const flow = await storeCase();
    await flow.stores.outbox.enqueue(
      buildNoticeMessage({
        id: `${caseId}:notis:mottaget`,
        kind: 'mottaget',
        caseId,
        recipientKey: users.upptackare,
        data: { byUserId: users.barnkontakt, byDisplayName: 'Maria Lind', at: receivedAt },
        at: receivedAt,
      }),
    );
    await withdrawConsent(flow.deps, { caseId, actor: rektor, withdrawnBy: 'vardnadshavare', at });
    const queued = flow.stores.snapshot().outbox[0];
    if (queued === undefined || queued.payload.kind !== 'notice') throw new Error('expected the notice');

    const rendered = await renderNotice(
      { id: queued.id, recipientKey: queued.recipientKey, payload: queued.payload },
      { stores: flow.stores, directory: flow.deps.directory, clock: flow.deps.clock },
    );

    expect(rendered).toEqual({ drop: 'consentWithdrawn' });
  });
});

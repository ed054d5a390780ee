import { describe, expect, it } from 'vitest';
import type { Case } from '../../../flows/kernel/case.js';
import { compassAreaKeys } from '../../../flows/kernel/compass.js';
import { guidingPrinciples, type PrincipleAnswersInput } from '../../../flows/kernel/guiding-principles.js';
import {
  type DecideInput,
  decide,
  decisionFollowUpReminderKind,
  followUpDecision,
  toDecisionFollowUpReminderId,
} from '../../../flows/samtal-och-beslut/decide.js';
import { buildCase, buildConsent } from '../../fixtures/case-fixtures.js';
import { createTestFlow, rektor, upptackare, users } from '../../support/flow-fixtures.js';

const caseId = 'arende-beslut-0001';
const at = '2025-03-12T10:00:00.000Z';

function caseInSamtal(overrides: Partial<Case> = {}): Case {
  return buildCase({
    id: caseId,
    state: 'samtal',
    consents: [buildConsent('muntligt')],
    chronology: [
      {
        at: '2025-03-04T12:00:00.000Z',
        by: users.barnkontakt,
        event: 'taEmot',
        from: 'vantarPaBarnkontakt',
        to: 'mottagen',
      },
      {
        at: '2025-03-10T12:00:00.000Z',
        by: users.barnkontakt,
        event: 'paborjaSamtal',
        from: 'mottagen',
        to: 'samtal',
      },
    ],
    ...overrides,
  });
}

const allAnswered: PrincipleAnswersInput = {
  tidigInsats: { answer: 'ja' },
  barnetsBasta: { answer: 'ja', comment: 'Barnet har själv bett om hjälp.' },
  helaSituationen: { answer: 'delvis', comment: 'Fritiden är inte belyst ännu.' },
  gemensamPlan: { answer: 'nej' },
};

async function storeCase(overrides: Partial<Case> = {}) {
  const flow = createTestFlow();
  const stored = await flow.stores.cases.create(caseInSamtal(overrides));
  const decideNow = (input: Partial<DecideInput> = {}) =>
    decide(flow.deps, {
      caseId,
      etag: stored.etag,
      actor: rektor,
      decision: 'barnteam',
      principles: allAnswered,
      at,
      ...input,
    });
  return { ...flow, stored, decideNow };
}

describe('the guiding principles', () => {
  it('are the four questions of DOMAIN.md, word for word, each with its principle, in the principles’ order', () => {
    expect(guidingPrinciples.map((principle) => [principle.principle, principle.question])).toEqual([
      ['Princip 1: Barnets bästa i fokus', 'Är barnets bästa i fokus?'],
      [
        'Princip 2: Aldrig för tidigt – aldrig för sent',
        'Är detta tidig insats eller kunde vi gjort mer tidigare i barnets liv?',
      ],
      [
        'Princip 3: Allt hänger ihop',
        'Värnar vi nu om hela barnets situation eller bara den del vi är ansvarig för?',
      ],
      ['Princip 4: Ett barn, en plan', 'Har vi en gemensam plan?'],
    ]);
  });
});

describe('decide', () => {
  it('refuses a decision without all four principles answered, naming the unanswered question', async () => {
    const flow = await storeCase({ consents: [buildConsent('muntligt'), buildConsent('skriftligt')] });

    const result = await flow.decideNow({
      principles: {
        ...allAnswered,
        helaSituationen: { comment: 'Vet inte' },
        gemensamPlan: { answer: 'kanske' },
      },
    });

    expect(result).toEqual({
      outcome: 'refused',
      cause: 'invalidInput',
      field: 'principles',
      message:
        'Besvara alla fyra vägledande principer (ja, nej eller delvis) innan beslutet sparas. Obesvarade: ”Värnar vi nu om hela barnets situation eller bara den del vi är ansvarig för?” ”Har vi en gemensam plan?”',
    });
    const stored = await flow.stores.cases.get(caseId);
    expect(stored?.value.state).toBe('samtal');
    expect(stored?.value.beslut).toBeUndefined();
  });

  it("refuses Barnteam without written consent with the transition guard's Swedish reason, and audits it", async () => {
    const flow = await storeCase();

    const result = await flow.decideNow();

    expect(result).toEqual({
      outcome: 'refused',
      cause: 'transitionRefused',
      message:
        'Skriftligt samtycke saknas: registrera det undertecknade skriftliga samtycket innan ärendet lyfts till Barnteam.',
    });
    expect(flow.stores.snapshot().audit).toEqual([
      expect.objectContaining({ action: 'beslutaBarnteam', outcome: 'refused', actor: users.barnkontakt }),
    ]);
    expect(flow.stores.snapshot().outbox).toEqual([]);
  });

  it('with written consent moves the case to barnteam and stores the decision with the principle answers', async () => {
    const flow = await storeCase({ consents: [buildConsent('muntligt'), buildConsent('skriftligt')] });

    const result = await flow.decideNow({ note: 'Tas upp på nästa Barnteam.' });

    expect(result.outcome).toBe('applied');
    if (result.outcome !== 'applied') return;
    const caseValue = result.caseValue.value;
    expect(caseValue.state).toBe('barnteam');
    expect(caseValue.beslut).toEqual([
      {
        beslutNo: 1,
        decision: 'barnteam',
        principles: [
          { key: 'tidigInsats', answer: 'ja' },
          { key: 'barnetsBasta', answer: 'ja', comment: 'Barnet har själv bett om hjälp.' },
          { key: 'helaSituationen', answer: 'delvis', comment: 'Fritiden är inte belyst ännu.' },
          { key: 'gemensamPlan', answer: 'nej' },
        ],
        note: 'Tas upp på nästa Barnteam.',
        decidedBy: users.barnkontakt,
        decidedAt: at,
      },
    ]);
    expect(flow.stores.snapshot().audit).toEqual([
      expect.objectContaining({ action: 'beslutaBarnteam', outcome: 'allowed', caseId }),
    ]);
  });

  it('tells the Upptäckare that a decision was made, and nothing about which', async () => {
    const flow = await storeCase();

    await flow.decideNow({ decision: 'behovUppfyllt' });

    const outbox = flow.stores.snapshot().outbox;
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({
      id: `${caseId}:notis:beslutFattat:1`,
      recipientKey: users.upptackare,
      payload: { kind: 'notice', notice: 'beslutFattat', data: { beslutNo: 1, at } },
    });
  });

  it('commits the decision with its notice: when the notice cannot be written, neither is the decision', async () => {
    const flow = await storeCase();
    flow.stores.failNext('outbox.enqueue');

    await expect(flow.decideNow({ decision: 'behovUppfyllt' })).rejects.toMatchObject({
      code: 'storageUnavailable',
    });

    expect(flow.stores.snapshot().cases[0]?.beslut ?? []).toEqual([]);
    expect(flow.stores.snapshot().cases[0]?.state).toBe('samtal');
    expect(flow.stores.snapshot().outbox).toEqual([]);
    // Trying again works and sends the notice once.
    expect((await flow.decideNow({ decision: 'behovUppfyllt' })).outcome).toBe('applied');
    expect(flow.stores.snapshot().outbox).toHaveLength(1);
  });

  it('answers a card that is no longer current with stale, and a double click with alreadyApplied', async () => {
    const flow = await storeCase();

    const stale = await flow.decideNow({ decision: 'behovUppfyllt', etag: 'an-older-version' });
    await flow.decideNow({ decision: 'behovUppfyllt' });
    const again = await flow.decideNow({ decision: 'behovUppfyllt' });

    expect(stale).toMatchObject({
      outcome: 'stale',
      message: 'Kortet var inte längre aktuellt. Här är ärendet som det ser ut nu.',
    });
    expect(again).toMatchObject({ outcome: 'alreadyApplied', message: 'Beslutet är redan registrerat.' });
    expect((await flow.stores.cases.get(caseId))?.value.beslut).toHaveLength(1);
    expect(flow.stores.snapshot().outbox).toHaveLength(1);
  });

  it('lets only the Barnkontakt decide', async () => {
    const flow = await storeCase();

    const result = await flow.decideNow({ actor: upptackare, decision: 'behovUppfyllt' });

    expect(result).toEqual({
      outcome: 'refused',
      cause: 'accessDenied',
      message:
        'Du är Upptäckare i ärendet. Bara Barnkontakten (eller Barnkontaktens ersättare, när Barnkontakten är frånvarande eller ett obesvarat kort har gått vidare till ersättaren) kan besluta att barnets behov är uppfyllt.',
    });
  });

  it('needs a follow-up date after today for stöd i egen verksamhet', async () => {
    const flow = await storeCase();

    expect(await flow.decideNow({ decision: 'stodIEgenVerksamhet' })).toMatchObject({
      outcome: 'refused',
      field: 'followUpDate',
      message: 'Ange när stödet i egen verksamhet ska följas upp.',
    });
    expect(
      await flow.decideNow({ decision: 'stodIEgenVerksamhet', followUpDate: '2025-03-12' }),
    ).toMatchObject({
      outcome: 'refused',
      message: 'Uppföljningsdatumet måste ligga efter i dag.',
    });
  });

  it('schedules the follow-up for the Barnkontakt and cancels the earlier follow-up of the case', async () => {
    const flow = await storeCase();
    await flow.stores.reminders.schedule({
      id: `${caseId}:uppfoljning`,
      kind: 'foljUppEgenVerksamhet',
      caseId,
      dueAt: '2025-04-01T06:00:00.000Z',
      status: 'scheduled',
      data: { followUpDate: '2025-04-01' },
      createdAt: '2025-02-01T08:00:00.000Z',
    });

    const result = await flow.decideNow({ decision: 'stodIEgenVerksamhet', followUpDate: '2025-05-14' });

    expect(result.outcome === 'applied' && result.caseValue.value.state).toBe('stodIEgenVerksamhet');
    const reminders = flow.stores.snapshot().reminders;
    expect(reminders.find((item) => item.id === `${caseId}:uppfoljning`)?.status).toBe('cancelled');
    const followUp = reminders.find((item) => item.id === toDecisionFollowUpReminderId(caseId, 1));
    // 08:00 in Stockholm (summer time) on the chosen day.
    expect(followUp).toMatchObject({
      kind: decisionFollowUpReminderKind,
      status: 'scheduled',
      dueAt: '2025-05-14T06:00:00.000Z',
      data: { beslutNo: 1, followUpDate: '2025-05-14' },
    });

    if (followUp === undefined) return;
    expect(await followUpDecision(flow.deps, followUp)).toBe(true);
    expect(
      flow.stores.snapshot().outbox.find((item) => item.recipientKey === users.barnkontakt),
    ).toMatchObject({
      id: `${caseId}:notis:uppfoljningBeslut:1`,
      payload: { notice: 'uppfoljningBeslut', data: { beslutNo: 1, followUpDate: '2025-05-14' } },
    });
  });

  it('sends no follow-up reminder once the case has moved on', async () => {
    const flow = await storeCase();
    const result = await flow.decideNow({ decision: 'stodIEgenVerksamhet', followUpDate: '2025-05-14' });
    if (result.outcome !== 'applied') throw new Error('expected the decision to apply');
    await flow.stores.cases.replace({ ...result.caseValue.value, state: 'samtal' }, result.caseValue.etag);
    const followUp = flow.stores
      .snapshot()
      .reminders.find((item) => item.kind === decisionFollowUpReminderKind);
    if (followUp === undefined) throw new Error('expected the follow-up reminder');

    expect(await followUpDecision(flow.deps, followUp)).toBe(false);
  });

  it('sends an orosanmälan to social services with the Upptäckarkort attached', async () => {
    const flow = await storeCase({
      discovery: {
        draftId: '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b',
        filedBy: users.upptackare,
        filedAt: '2025-03-04T08:00:00.000Z',
        reporter: { organisation: 'kommun', role: 'Lärare' },
        external: false,
        enrolment: {},
        areas: compassAreaKeys.map((key) => ({ key, assessment: 'vetEj' as const })),
        observation: 'Barnet har varit tyst och trött.',
        talkedWithGuardian: true,
        path: 'aktiveraBarnkontakt',
      },
    });

    const result = await flow.decideNow({ decision: 'orosanmalan' });

    expect(result.outcome === 'applied' && result.caseValue.value.orosanmalan).toEqual({
      cardAttached: true,
      intakeUnitId: 'socialtjanstens-mottagning',
      sentAt: at,
    });
    expect(
      flow.stores.snapshot().outbox.find((item) => item.recipientKey === users.socialtjanst),
    ).toMatchObject({
      payload: { notice: 'orosanmalan', data: { cardAttached: true } },
    });
    expect(flow.stores.snapshot().audit[0]?.purpose).toContain('Orosanmälan');
  });
});

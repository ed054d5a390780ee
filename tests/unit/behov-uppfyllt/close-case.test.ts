import { describe, expect, it } from 'vitest';
import { renderNotice } from '../../../bot/notice-renderer.js';
import {
  type CloseCaseInput,
  closeCase,
  collectClosingEffects,
} from '../../../flows/behov-uppfyllt/close-case.js';
import { adoptPlan } from '../../../flows/individuellt-barnteam/adopt-plan.js';
import { addAction } from '../../../flows/individuellt-barnteam/plan-actions.js';
import { saveGoal } from '../../../flows/individuellt-barnteam/plan-goals.js';
import { addTeamMember } from '../../../flows/individuellt-barnteam/team-members.js';
import { authorize } from '../../../flows/kernel/access.js';
import type { Case } from '../../../flows/kernel/case.js';
import { viewCaseFor } from '../../../flows/kernel/case-view.js';
import { compassAreaKeys } from '../../../flows/kernel/compass.js';
import type { PrincipleAnswersInput } from '../../../flows/kernel/guiding-principles.js';
import type { Reminder } from '../../../flows/kernel/ports.js';
import { buildCase, buildConsent } from '../../fixtures/case-fixtures.js';
import { createTestFlow, rektor, users } from '../../support/flow-fixtures.js';
import {
  createTeamFlow,
  kurator,
  startedAt,
  startTeam,
  type TeamFlow,
  teamCaseId,
} from '../../support/team-fixtures.js';

const caseId = 'arende-avslut-0001';
const at = '2025-03-12T10:00:00.000Z';

const allAnswered: PrincipleAnswersInput = {
  tidigInsats: { answer: 'ja' },
  barnetsBasta: { answer: 'ja' },
  helaSituationen: { answer: 'delvis', comment: 'Fritiden följs upp av skolan.' },
  gemensamPlan: { answer: 'ja' },
};

const every = (value: string) => Object.fromEntries(compassAreaKeys.map((key) => [key, value]));
const closingRatings: CloseCaseInput['ratings'] = {
  barnet: every('4'),
  vardnadshavare: every('5'),
  teamet: every('4'),
};

function caseInSamtal(): Case {
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
  });
}

function scheduledReminder(id: string, kind: string): Reminder {
  return {
    id,
    kind,
    caseId,
    dueAt: '2025-06-01T07:00:00.000Z',
    status: 'scheduled',
    data: {},
    createdAt: at,
  };
}

async function storeCaseInSamtal() {
  const flow = createTestFlow();
  const stored = await flow.stores.cases.create(caseInSamtal());
  await flow.stores.reminders.schedule(scheduledReminder(`${caseId}:beslut:1:uppfoljning`, 'foljUppBeslut'));
  const close = (input: Partial<CloseCaseInput> = {}) =>
    closeCase(flow.deps, {
      caseId,
      etag: stored.etag,
      actor: rektor,
      principles: allAnswered,
      ratings: closingRatings,
      at,
      ...input,
    });
  return { ...flow, stored, close };
}

describe('closing from the Beslut after the talks', () => {
  it('moves the case through behovUppfyllt to avslutad, with the principles and the closing compass on the Beslut', async () => {
    const { close, stores } = await storeCaseInSamtal();
    const result = await close({ note: 'Barnet har fått hjälp med läxorna.' });
    expect(result.outcome).toBe('applied');
    const closed = stores.snapshot().cases[0] as Case;
    expect(closed.state).toBe('avslutad');
    expect(closed.chronology.slice(-2).map((entry) => [entry.event, entry.from, entry.to])).toEqual([
      ['beslutaBehovUppfyllt', 'samtal', 'behovUppfyllt'],
      ['avsluta', 'behovUppfyllt', 'avslutad'],
    ]);
    const beslut = closed.beslut?.at(-1);
    expect(beslut).toMatchObject({ beslutNo: 1, decision: 'behovUppfyllt', decidedBy: users.barnkontakt });
    expect(beslut?.principles.map((answer) => answer.answer)).toEqual(['ja', 'ja', 'delvis', 'ja']);
    expect(beslut?.closingCompass?.map((set) => set.rater)).toEqual(['barnet', 'vardnadshavare', 'teamet']);
  });

  it('tells the Upptäckare that the case is closed, not why, and cancels the case’s reminders', async () => {
    const { close, stores } = await storeCaseInSamtal();
    const result = await close();
    expect(result).toMatchObject({
      outcome: 'applied',
      cancelledReminderIds: [`${caseId}:beslut:1:uppfoljning`],
    });
    const { outbox, reminders } = stores.snapshot();
    expect(outbox.map((message) => [message.id, message.recipientKey])).toEqual([
      [`${caseId}:notis:arendeAvslutat:${users.upptackare}`, users.upptackare],
    ]);
    expect(outbox[0]?.payload).toMatchObject({ notice: 'arendeAvslutat', data: { at } });
    expect(reminders.map((reminder) => reminder.status)).toEqual(['cancelled']);
  });

  it('closes once on a double click: the second answers that it is already closed and enqueues nothing new', async () => {
    const { close, stores } = await storeCaseInSamtal();
    await close();
    const again = await close();
    expect(again).toMatchObject({
      outcome: 'alreadyApplied',
      message: 'Ärendet är redan avslutat: barnets behov är uppfyllt.',
    });
    expect(stores.snapshot().outbox).toHaveLength(1);
    expect(
      (stores.snapshot().cases[0] as Case).chronology.filter((entry) => entry.event === 'avsluta'),
    ).toHaveLength(1);
  });

  it('refuses without all four principles or without a single rating, and the case stays in the talks', async () => {
    const { close, stores } = await storeCaseInSamtal();
    const unanswered = await close({ principles: { tidigInsats: { answer: 'ja' } } });
    expect(unanswered).toMatchObject({ outcome: 'refused', cause: 'invalidInput', field: 'principles' });
    expect(unanswered.outcome === 'refused' && unanswered.message).toContain(
      'Besvara alla fyra vägledande principer',
    );
    expect(await close({ ratings: {} })).toMatchObject({
      outcome: 'refused',
      field: 'ratings',
      message: 'Fyll i skattningen för minst en av barnet, vårdnadshavare och teamet.',
    });
    expect(await close({ ratings: { barnet: { ...every('3'), fritid: '' } } })).toMatchObject({
      outcome: 'refused',
      field: 'barnet_fritid',
    });
    expect((stores.snapshot().cases[0] as Case).state).toBe('samtal');
    expect(stores.snapshot().outbox).toEqual([]);
  });

  it('is delivered to the Upptäckare as one line with the reference and the date, and to nobody else', async () => {
    const flow = await storeCaseInSamtal();
    await flow.close();
    const queued = flow.stores.snapshot().outbox[0];
    if (queued === undefined || queued.payload.kind !== 'notice') throw new Error('expected the notice');
    const deps = { stores: flow.stores, directory: flow.deps.directory, clock: flow.deps.clock };
    const reference = (flow.stores.snapshot().cases[0] as Case).reference;
    const rendered = await renderNotice(
      { id: queued.id, recipientKey: queued.recipientKey, payload: queued.payload },
      deps,
    );
    expect(rendered).toMatchObject({
      recipientKey: users.upptackare,
      payload: {
        kind: 'text',
        text: `Ärendet för ditt Upptäckarkort ${reference} är avslutat den 12 mars 2025. Tack för att du uppmärksammade barnet.`,
      },
    });
    const toBarnkontakt = await renderNotice(
      { id: queued.id, recipientKey: users.barnkontakt, payload: queued.payload },
      deps,
    );
    expect(toBarnkontakt).toEqual({ drop: 'recipientHasNoAccess' });
  });

  it('lets only the Barnkontakt close after the talks', async () => {
    const { close } = await storeCaseInSamtal();
    expect(await close({ actor: { ...rektor, userId: users.upptackare } })).toMatchObject({
      outcome: 'refused',
      cause: 'accessDenied',
    });
  });

  it('leaves the Upptäckare and the Barnkontakt only the reference, the state and the closing date', async () => {
    const { close, stores } = await storeCaseInSamtal();
    await close();
    const closed = stores.snapshot().cases[0] as Case;
    const receipt = viewCaseFor(closed, users.upptackare);
    expect(receipt).toMatchObject({
      level: 'kvitto',
      reference: closed.reference,
      status: 'avslutat',
      statusLabel: 'Avslutat',
      nextStep: 'Ärendet avslutades den 12 mars 2025. Inget mer görs i det.',
    });
    expect(JSON.stringify(receipt)).not.toContain(closed.child.givenName);
    expect(viewCaseFor(closed, users.barnkontakt)).toMatchObject({ level: 'kvitto', status: 'avslutat' });
    expect(authorize(closed, users.barnkontakt, 'registreraSamtal')).toMatchObject({ allowed: false });
  });
});

async function teamWithAdoptedPlan(): Promise<TeamFlow> {
  const flow = await createTeamFlow();
  await startTeam(flow);
  const base = { caseId: teamCaseId, at: startedAt, actor: rektor };
  await addTeamMember(flow.deps, { ...base, etag: await flow.etag(), contactId: 'skolkurator-bjorkskolan' });
  await saveGoal(flow.deps, {
    ...base,
    etag: await flow.etag(),
    area: 'maBra',
    minMal: 'Jag vill kunna sova hela natten',
    vad: 'Bättre sömn',
    hur: 'Kvällsrutin med stöd från skolsköterskan',
  });
  await addAction(flow.deps, {
    ...base,
    etag: await flow.etag(),
    what: 'Samtal om sömn',
    dueDate: '2025-04-14',
    ownerUserId: kurator.userId,
  });
  const adopted = await adoptPlan(flow.deps, { ...base, etag: await flow.etag() });
  expect(adopted.outcome).toBe('applied');
  return flow;
}

describe('closing from Barnets plan', () => {
  const closedAt = '2025-05-20T09:00:00.000Z';

  async function closeFromPlan(flow: TeamFlow, actor = rektor) {
    return closeCase(flow.deps, {
      caseId: teamCaseId,
      etag: await flow.etag(),
      actor,
      principles: allAnswered,
      ratings: { barnet: every('5'), teamet: every('4') },
      at: closedAt,
    });
  }

  it('records the closing ratings as the plan’s last follow-up and ends open actions by the closing, not as done', async () => {
    const flow = await teamWithAdoptedPlan();
    expect(await closeFromPlan(flow)).toMatchObject({ outcome: 'applied' });
    const closed = flow.stores.snapshot().cases[0] as Case;
    expect(closed.chronology.slice(-2).map((entry) => entry.event)).toEqual([
      'markeraBehovUppfyllt',
      'avsluta',
    ]);
    const followUp = closed.barnetsPlan?.compassFollowUps.at(-1);
    expect(followUp).toMatchObject({ kind: 'start', recordedAt: closedAt, recordedBy: rektor.userId });
    expect(followUp?.sets.map((set) => set.rater)).toEqual(['barnet', 'teamet']);
    expect(closed.beslut?.at(-1)).toMatchObject({ decision: 'behovUppfyllt' });
    expect(closed.beslut?.at(-1)?.closingCompass).toBeUndefined();
    expect(closed.barnetsPlan?.actions.map((action) => [action.status, action.closedWithCaseAt])).toEqual([
      ['installd', closedAt],
    ]);
  });

  it('posts the team’s last status and ends the channel access with the write, and cancels the overdue reminder', async () => {
    const flow = await teamWithAdoptedPlan();
    const result = await closeFromPlan(flow);
    expect(result.outcome === 'applied' && result.cancelledReminderIds).toContain(
      `${teamCaseId}:atgard:atgard-1:2025-04-14`,
    );
    const { outbox, reminders } = flow.stores.snapshot();
    const lastPost = outbox.find(
      (message) => message.id === `${teamCaseId}:notis:teamkanalStatus:arendetAvslutat`,
    );
    expect(lastPost).toMatchObject({ recipientKey: `teamkanal:${teamCaseId}` });
    expect(lastPost?.payload).toMatchObject({
      notice: 'teamkanalStatus',
      data: { event: 'arendetAvslutat' },
    });
    expect(
      reminders.find((reminder) => reminder.id === `${teamCaseId}:teamkanal:medlemmar:avslutat`),
    ).toMatchObject({
      status: 'scheduled',
    });
    expect(
      reminders.filter((reminder) => reminder.kind === 'atgardForsenad').map((reminder) => reminder.status),
    ).toEqual(['cancelled']);
    expect(
      outbox.some((message) => message.id === `${teamCaseId}:notis:arendeAvslutat:${users.upptackare}`),
    ).toBe(true);
  });

  it('derives the same effect ids from the closed case every time', async () => {
    const flow = await teamWithAdoptedPlan();
    await closeFromPlan(flow);
    const closed = flow.stores.snapshot().cases[0] as Case;
    const ids = (effects: ReturnType<typeof collectClosingEffects>) => [
      ...effects.outbox.map((message) => message.id),
      ...effects.reminders.map((reminder) => reminder.id),
    ];
    expect(ids(collectClosingEffects(closed))).toEqual([
      `${teamCaseId}:notis:arendeAvslutat:${users.upptackare}`,
      `${teamCaseId}:notis:teamkanalStatus:arendetAvslutat`,
      `${teamCaseId}:teamkanal:medlemmar:avslutat`,
    ]);
    expect(ids(collectClosingEffects(structuredClone(closed)))).toEqual(ids(collectClosingEffects(closed)));
  });

  it('is not a team member’s to close, and a card older than the case comes back as the case is now', async () => {
    const flow = await teamWithAdoptedPlan();
    expect(await closeFromPlan(flow, kurator)).toMatchObject({ outcome: 'refused', cause: 'accessDenied' });
    const old = await flow.etag();
    await addAction(flow.deps, {
      caseId: teamCaseId,
      etag: old,
      actor: rektor,
      at: startedAt,
      what: 'Uppföljning hemma',
      dueDate: '2025-04-20',
      ownerUserId: kurator.userId,
    });
    const stale = await closeCase(flow.deps, {
      caseId: teamCaseId,
      etag: old,
      actor: rektor,
      principles: allAnswered,
      ratings: { teamet: every('4') },
      at: closedAt,
    });
    expect(stale).toMatchObject({
      outcome: 'stale',
      message: 'Kortet var inte längre aktuellt. Här är ärendet som det ser ut nu.',
    });
    expect((flow.stores.snapshot().cases[0] as Case).state).toBe('planAktiv');
  });
});

import { describe, expect, it } from 'vitest';
import { toCaseId } from '../../../flows/kernel/case-effects.js';
import { viewCaseFor } from '../../../flows/kernel/case-view.js';
import { isDomainError } from '../../../flows/kernel/errors.js';
import {
  type RespondToCaseInput,
  respondMessages,
  respondToCase,
} from '../../../flows/upptackt/respond-to-case.js';
import {
  bitrRektor,
  createTestFlow,
  draftId,
  forskolerektor,
  rektor,
  upptackare,
  users,
} from '../../support/flow-fixtures.js';
import { fileCase } from '../../support/walk-case.js';

const caseId = toCaseId(draftId);
const answeredAt = '2025-03-04T12:30:00.000Z';

async function fileCard() {
  const flow = createTestFlow();
  const caseValue = await fileCase(flow.deps);
  const respond = (overrides: Partial<RespondToCaseInput> = {}) =>
    respondToCase(flow.deps, {
      caseId,
      cardEtag: caseValue.etag,
      actor: rektor,
      action: 'taEmot',
      at: answeredAt,
      ...overrides,
    });
  return { ...flow, filed: caseValue, respond };
}

function noticesTo(flow: Awaited<ReturnType<typeof fileCard>>, recipient: string) {
  return flow.stores
    .snapshot()
    .outbox.filter((message) => message.recipientKey === recipient)
    .map((message) => (message.payload.kind === 'notice' ? message.payload.notice : message.payload.kind));
}

describe('respondToCase: Ta emot', () => {
  it('commits the answer with its notice: when the notice cannot be written, the card still waits', async () => {
    const flow = await fileCard();
    flow.stores.failNext('outbox.enqueue');

    await expect(flow.respond()).rejects.toMatchObject({ code: 'storageUnavailable' });

    expect(flow.stores.snapshot().cases[0]?.state).toBe('vantarPaBarnkontakt');
    expect(noticesTo(flow, users.upptackare)).toEqual([]);
    expect((await flow.respond()).outcome).toBe('applied');
    expect(noticesTo(flow, users.upptackare)).toEqual(['mottaget']);
  });

  it('moves the case to mottagen, tells the Upptäckare who took it, and stops the chase', async () => {
    const flow = await fileCard();

    const result = await flow.respond();

    expect(result.outcome).toBe('applied');
    if (result.outcome !== 'applied') return;
    expect(result.caseValue.value.state).toBe('mottagen');
    const notice = flow.stores.snapshot().outbox.find((message) => message.id === `${caseId}:notis:mottaget`);
    expect(notice).toMatchObject({
      recipientKey: users.upptackare,
      payload: {
        notice: 'mottaget',
        data: { byUserId: users.barnkontakt, byDisplayName: 'Maria Lind', at: answeredAt },
      },
    });
    expect(flow.stores.snapshot().reminders.map((reminder) => reminder.status)).toEqual(['cancelled']);
    const receipt = viewCaseFor(result.caseValue.value, users.upptackare);
    expect(receipt?.level === 'kvitto' && receipt.receivedBy).toEqual({
      displayName: 'Maria Lind',
      at: answeredAt,
    });
  });

  it('answers a double click with alreadyApplied and sends one notice', async () => {
    const flow = await fileCard();

    await flow.respond();
    const again = await flow.respond();

    expect(again.outcome).toBe('alreadyApplied');
    expect(noticesTo(flow, users.upptackare)).toEqual(['mottaget']);
  });

  it('answers a concurrent double click with one applied and one alreadyApplied', async () => {
    const flow = await fileCard();

    const results = await Promise.all([flow.respond(), flow.respond()]);

    expect(results.map((result) => result.outcome).sort()).toEqual(['alreadyApplied', 'applied']);
    expect(noticesTo(flow, users.upptackare)).toEqual(['mottaget']);
  });

  it('refuses the unit’s deputy while they have no role in the case', async () => {
    const flow = await fileCard();
    // Only the routed Barnkontakt, or a deputy given a role (routing or chase), may act.
    const refused = await flow.respond({ actor: bitrRektor });
    expect(refused.outcome).toBe('refused');
    // The deputy is told when they may act, not that a deputy may (which they are refused).
    expect(refused.outcome === 'refused' && refused.message).toBe(
      'Du är ersättare för Barnkontakten Maria Lind, men ärendet ligger hos Maria Lind. Du kan ta emot det när Maria Lind är frånvarande eller om kortet inte besvaras i tid och skickas vidare till dig.',
    );
  });
});

describe('respondToCase: stale cards and races', () => {
  it('answers a card rendered from an older version with the current case', async () => {
    const flow = await fileCard();
    await flow.respond();

    const stale = await flow.respond({ action: 'avboj', reason: 'Fel skola.' });

    expect(stale.outcome).toBe('stale');
    if (stale.outcome !== 'stale') return;
    expect(stale.caseValue.value.state).toBe('mottagen');
    expect(stale.message).toMatch(/inte längre aktuellt/);
    expect(noticesTo(flow, users.upptackare)).toEqual(['mottaget']);
  });

  it('two different answers racing from the same card: one wins, the other sees the current case', async () => {
    const flow = await fileCard();

    const [accept, decline] = await Promise.all([
      flow.respond(),
      flow.respond({ action: 'avboj', reason: 'Barnet går inte här.' }),
    ]);

    const outcomes = [accept?.outcome, decline?.outcome].sort();
    expect(outcomes).toEqual(['applied', 'stale']);
    const stored = await flow.stores.cases.get(caseId);
    expect(['mottagen', 'avbojd']).toContain(stored?.value.state);
    expect(noticesTo(flow, users.upptackare)).toHaveLength(1);
  });
});

describe('respondToCase: who may answer', () => {
  it('refuses and audits a user without a role (a replayed card payload), returning no case data', async () => {
    const flow = await fileCard();

    const result = await flow.respond({ actor: forskolerektor });

    expect(result).toEqual({ outcome: 'refused', message: expect.stringMatching(/ingen roll i ärendet/) });
    const audit = await flow.stores.audit.listForCase(caseId);
    expect(audit.at(-1)).toMatchObject({
      actor: users.annanBarnkontakt,
      action: 'taEmot',
      outcome: 'refused',
    });
    expect((await flow.stores.cases.get(caseId))?.value.state).toBe('vantarPaBarnkontakt');
  });

  it('refuses the Upptäckare answering their own card', async () => {
    const flow = await fileCard();
    const result = await flow.respond({ actor: upptackare });
    expect(result.outcome).toBe('refused');
  });

  it('audits the answer before writing it; a failing audit writes nothing', async () => {
    const flow = await fileCard();
    flow.stores.failNext('audit.append');

    await expect(flow.respond()).rejects.toThrow();

    expect((await flow.stores.cases.get(caseId))?.etag).toBe(flow.filed.etag);
    expect(noticesTo(flow, users.upptackare)).toEqual([]);
  });
});

describe('respondToCase: Skicka vidare and Avböj', () => {
  it('forwards to another unit’s Barnkontakt: old role ended, new one notified, Upptäckare told, new chase', async () => {
    const flow = await fileCard();

    const result = await flow.respond({
      action: 'skickaVidare',
      targetUnitId: 'larkans-forskola',
      reason: 'Barnet går på Lärkans förskola.',
    });

    expect(result.outcome).toBe('applied');
    if (result.outcome !== 'applied') return;
    const forwarded = result.caseValue.value;
    expect(forwarded.state).toBe('vantarPaBarnkontakt');
    expect(forwarded.unitId).toBe('larkans-forskola');
    const old = forwarded.roles.find((role) => role.userId === users.barnkontakt);
    expect(old?.until).toBe(answeredAt);
    expect(forwarded.routing).toMatchObject({
      contactUserId: users.annanBarnkontakt,
      unitId: 'larkans-forskola',
    });
    expect(forwarded.routingHistory?.map((entry) => [entry.routingNo, entry.cause])).toEqual([
      [1, 'upptackarkort'],
      [2, 'skickaVidare'],
    ]);
    expect(noticesTo(flow, users.annanBarnkontakt)).toEqual(['nyttArende']);
    expect(noticesTo(flow, users.upptackare)).toEqual(['vidarebefordrat']);
    const reminders = flow.stores.snapshot().reminders.map((reminder) => [reminder.id, reminder.status]);
    expect(reminders).toEqual([
      [`${caseId}:jakt:1:1`, 'cancelled'],
      [`${caseId}:jakt:2:1`, 'scheduled'],
    ]);
    // The old Barnkontakt no longer sees the case; the new one does and may answer.
    expect(viewCaseFor(forwarded, users.barnkontakt)).toBeUndefined();
    const second = await respondToCase(flow.deps, {
      caseId,
      cardEtag: result.caseValue.etag,
      actor: forskolerektor,
      action: 'taEmot',
      at: answeredAt,
    });
    expect(second.outcome).toBe('applied');

    // The first Barnkontakt's repeated click still reads as done, not as refused.
    const repeat = await flow.respond({
      action: 'skickaVidare',
      targetUnitId: 'larkans-forskola',
      reason: 'x',
    });
    expect(repeat.outcome).toBe('alreadyApplied');
    expect(noticesTo(flow, users.annanBarnkontakt)).toEqual(['nyttArende']);
  });

  it('needs a target unit with a Barnkontakt and a reason to forward', async () => {
    const flow = await fileCard();
    const noTarget = await flow
      .respond({ action: 'skickaVidare', reason: 'Fel enhet.' })
      .catch((error: unknown) => error);
    expect(isDomainError(noTarget, 'invalidInput') && noTarget.details.field).toBe('targetUnitId');
    const noReason = await flow
      .respond({ action: 'skickaVidare', targetUnitId: 'larkans-forskola' })
      .catch((error: unknown) => error);
    expect(isDomainError(noReason) && noReason.message).toBe(respondMessages.reasonMissing);
    const noBarnkontakt = await flow
      .respond({ action: 'skickaVidare', targetUnitId: 'socialtjanstens-mottagning', reason: 'x' })
      .catch((error: unknown) => error);
    expect(isDomainError(noBarnkontakt, 'invalidInput')).toBe(true);
    expect((await flow.stores.cases.get(caseId))?.etag).toBe(flow.filed.etag);
  });

  it('declines only with a reason, and tells the Upptäckare the reason', async () => {
    const flow = await fileCard();

    const withoutReason = await flow
      .respond({ action: 'avboj', reason: '  ' })
      .catch((error: unknown) => error);
    expect(isDomainError(withoutReason, 'invalidInput') && withoutReason.details.field).toBe('reason');
    expect(noticesTo(flow, users.upptackare)).toEqual([]);

    const result = await flow.respond({ action: 'avboj', reason: 'Barnet har redan stöd via elevhälsan.' });

    expect(result.outcome).toBe('applied');
    if (result.outcome !== 'applied') return;
    expect(result.caseValue.value.state).toBe('avbojd');
    expect(noticesTo(flow, users.upptackare)).toEqual(['avbojt']);
    const receipt = viewCaseFor(result.caseValue.value, users.upptackare);
    expect(receipt?.level === 'kvitto' && receipt.declinedReason).toBe(
      'Barnet har redan stöd via elevhälsan.',
    );
    // The case is closed: a repeated click is answered as done.
    const again = await flow.respond({ action: 'avboj', reason: 'igen' });
    expect(again.outcome).toBe('alreadyApplied');
    expect(noticesTo(flow, users.upptackare)).toEqual(['avbojt']);
  });

  it('throws notFound for an unknown case', async () => {
    const flow = await fileCard();
    const error = await flow.respond({ caseId: 'arende-okand' }).catch((reason: unknown) => reason);
    expect(isDomainError(error, 'notFound')).toBe(true);
  });
});

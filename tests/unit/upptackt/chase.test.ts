import { describe, expect, it } from 'vitest';
import { toCaseId } from '../../../flows/kernel/case-effects.js';
import type { Reminder } from '../../../flows/kernel/ports.js';
import { computeChaseDueAt } from '../../../flows/kernel/reminder-times.js';
import { chaseUnansweredCase } from '../../../flows/upptackt/chase-unanswered-case.js';
import { followUpOwnSupport } from '../../../flows/upptackt/follow-up-own-support.js';
import { respondToCase } from '../../../flows/upptackt/respond-to-case.js';
import { bitrRektor, createTestFlow, draftId, rektor, users } from '../../support/flow-fixtures.js';
import { fileCase } from '../../support/walk-case.js';

const caseId = toCaseId(draftId);

async function fileCard(card: Record<string, string> = {}) {
  const flow = createTestFlow();
  return { ...flow, filed: await fileCase(flow.deps, { card }) };
}

async function reminder(flow: Awaited<ReturnType<typeof fileCard>>, id: string): Promise<Reminder> {
  const stored = await flow.stores.reminders.get(id);
  if (stored === undefined) throw new Error(`påminnelsen ${id} saknas`);
  return stored.value;
}

function notices(flow: Awaited<ReturnType<typeof fileCard>>) {
  return flow.stores
    .snapshot()
    .outbox.map((message) => [
      message.recipientKey,
      message.payload.kind === 'notice' ? message.payload.notice : '',
    ]);
}

describe('chaseUnansweredCase', () => {
  it('first chase: the card again to the Barnkontakt, the Upptäckare told, the next chase scheduled', async () => {
    const flow = await fileCard();
    flow.setNow('2025-03-06T08:00:00.000Z');

    const outcome = await chaseUnansweredCase(flow.deps, await reminder(flow, `${caseId}:jakt:1:1`));

    expect(outcome).toEqual({ outcome: 'chased', chasedUserId: users.barnkontakt, asDeputy: false });
    expect(notices(flow)).toEqual([
      [users.barnkontakt, 'nyttArende'],
      [users.barnkontakt, 'paminnelseBarnkontakt'],
      [users.upptackare, 'vantarFortfarande'],
    ]);
    // Thursday 09:00 + 2 working days = Monday 09:00 Stockholm.
    expect((await reminder(flow, `${caseId}:jakt:1:2`)).dueAt).toBe('2025-03-10T08:00:00.000Z');
  });

  it('second chase: to the deputy, who gets the role to answer; then the fallback after the maximum', async () => {
    const flow = await fileCard();
    flow.setNow('2025-03-06T08:00:00.000Z');
    await chaseUnansweredCase(flow.deps, await reminder(flow, `${caseId}:jakt:1:1`));
    flow.setNow('2025-03-10T08:00:00.000Z');

    const second = await chaseUnansweredCase(flow.deps, await reminder(flow, `${caseId}:jakt:1:2`));

    expect(second).toEqual({ outcome: 'chased', chasedUserId: users.ersattare, asDeputy: true });
    const stored = await flow.stores.cases.get(caseId);
    expect(stored?.value.roles.find((role) => role.userId === users.ersattare)).toMatchObject({
      role: 'ersattare',
      actingFor: users.barnkontakt,
    });
    expect(notices(flow).slice(3)).toEqual([
      [users.ersattare, 'paminnelseBarnkontakt'],
      [users.upptackare, 'vantarFortfarande'],
    ]);

    flow.setNow('2025-03-12T08:00:00.000Z');
    const third = await chaseUnansweredCase(flow.deps, await reminder(flow, `${caseId}:jakt:1:3`));

    expect(third).toEqual({ outcome: 'handedToFallback', fallbackUserId: users.socialtjanst });
    expect(notices(flow).slice(5)).toEqual([
      [users.socialtjanst, 'obesvaratTillReserv'],
      [users.upptackare, 'vantarFortfarande'],
    ]);
    expect(await flow.stores.reminders.get(`${caseId}:jakt:1:4`)).toBeUndefined();

    // The deputy given the role by the chase may now answer the card.
    const current = await flow.stores.cases.get(caseId);
    const answer = await respondToCase(flow.deps, {
      caseId,
      cardEtag: current?.etag ?? '',
      actor: bitrRektor,
      action: 'taEmot',
      at: '2025-03-12T09:00:00.000Z',
    });
    expect(answer.outcome).toBe('applied');
  });

  it('does nothing when the card was answered meanwhile', async () => {
    const flow = await fileCard();
    const due = await reminder(flow, `${caseId}:jakt:1:1`);
    await respondToCase(flow.deps, {
      caseId,
      cardEtag: flow.filed.etag,
      actor: rektor,
      action: 'taEmot',
      at: '2025-03-05T08:00:00.000Z',
    });
    const before = flow.stores.snapshot().outbox.length;

    expect(await chaseUnansweredCase(flow.deps, due)).toEqual({ outcome: 'notWaiting' });
    expect(flow.stores.snapshot().outbox).toHaveLength(before);
    expect(await flow.stores.reminders.get(`${caseId}:jakt:1:2`)).toBeUndefined();
  });

  it('does nothing for a chase of a routing the card was forwarded away from', async () => {
    const flow = await fileCard();
    const due = await reminder(flow, `${caseId}:jakt:1:1`);
    await respondToCase(flow.deps, {
      caseId,
      cardEtag: flow.filed.etag,
      actor: rektor,
      action: 'skickaVidare',
      targetUnitId: 'larkans-forskola',
      reason: 'Barnet går i förskolan.',
      at: '2025-03-05T08:00:00.000Z',
    });
    expect(await chaseUnansweredCase(flow.deps, due)).toEqual({ outcome: 'notWaiting' });
  });

  it('run twice (the sweeper retries), it sends nothing twice and adds no second role', async () => {
    const flow = await fileCard();
    flow.setNow('2025-03-06T08:00:00.000Z');
    await chaseUnansweredCase(flow.deps, await reminder(flow, `${caseId}:jakt:1:1`));
    flow.setNow('2025-03-10T08:00:00.000Z');
    const second = await reminder(flow, `${caseId}:jakt:1:2`);

    await chaseUnansweredCase(flow.deps, second);
    const afterFirstRun = flow.stores.snapshot();
    flow.setNow('2025-03-10T08:03:00.000Z');
    await chaseUnansweredCase(flow.deps, second);

    const afterSecondRun = flow.stores.snapshot();
    expect(afterSecondRun.outbox).toEqual(afterFirstRun.outbox);
    expect(afterSecondRun.reminders).toEqual(afterFirstRun.reminders);
    expect(afterSecondRun.cases[0]?.roles).toEqual(afterFirstRun.cases[0]?.roles);
  });
});

describe('followUpOwnSupport', () => {
  it('reminds the Upptäckare on the follow-up date, once', async () => {
    const flow = await fileCard({
      path: 'stodIEgenVerksamhet',
      verbalConsent: 'false',
      followUpDate: '2025-04-01',
    });
    const due = await reminder(flow, `${caseId}:uppfoljning`);
    flow.setNow(due.dueAt);

    expect(await followUpOwnSupport(flow.deps, due)).toBe(true);
    expect(await followUpOwnSupport(flow.deps, due)).toBe(true);

    expect(flow.stores.snapshot().outbox).toEqual([
      expect.objectContaining({
        recipientKey: users.upptackare,
        payload: expect.objectContaining({
          notice: 'uppfoljningEgenVerksamhet',
          data: { followUpDate: '2025-04-01' },
        }),
      }),
    ]);
  });
});

describe('computeChaseDueAt', () => {
  const workingTime = createTestFlow().deps.directory.workingTime;

  it('moves a chase due after working hours to the next working morning, skipping the directory’s holidays', () => {
    // Friday 18:00 + 2 working days = Tuesday 18:00, after 16:30 → Wednesday 08:00 Stockholm.
    expect(computeChaseDueAt('2025-03-07T17:00:00.000Z', 2, workingTime)).toBe('2025-03-12T07:00:00.000Z');
    const withHoliday = { ...workingTime, holidays: ['2025-03-11'] };
    // The Tuesday does not count: Friday 10:00 + 2 working days = Wednesday 10:00.
    expect(computeChaseDueAt('2025-03-07T09:00:00.000Z', 2, withHoliday)).toBe('2025-03-12T09:00:00.000Z');
    // Before the day starts (Monday 06:00) → that day's 08:00.
    expect(computeChaseDueAt('2025-03-06T05:00:00.000Z', 2, workingTime)).toBe('2025-03-10T07:00:00.000Z');
  });
});

import { describe, expect, it } from 'vitest';
import { bookBarnteam } from '../../../flows/barnteam/book-barnteam.js';
import {
  barnteamFollowUpReminderKind,
  handleBarnteamFollowUp,
  recordBarnteamOutcome,
} from '../../../flows/barnteam/record-barnteam-outcome.js';
import { jointCompassFor, recordSkattning } from '../../../flows/barnteam/record-skattning.js';
import type { Case } from '../../../flows/kernel/case.js';
import type { Actor } from '../../../flows/kernel/case-effects.js';
import { compassAreaKeys } from '../../../flows/kernel/compass.js';
import { readBarnteamRecords } from '../../../flows/kernel/records/barnteam-outcome.js';
import type { SkattningAnswer, SkattningValue } from '../../../flows/kernel/skattning.js';
import { guards } from '../../../flows/kernel/transitions.js';
import { buildConsent } from '../../fixtures/case-fixtures.js';
import {
  type BarnteamFlow,
  bookingInput,
  createBarnteamFlow,
  memberActor,
  proposedAt,
  rektor,
  tenantId,
  users,
} from '../../support/barnteam-fixtures.js';

const answeredAt = '2025-03-09T10:00:00.000Z';

async function bookWith(flow: BarnteamFlow, overrides: Partial<Case> = {}) {
  flow.setNow(proposedAt);
  const child = await flow.givenCase(overrides);
  const result = await bookBarnteam(flow.deps, bookingInput([child.id]));
  if (result.outcome !== 'booked') throw new Error(`bokningen misslyckades: ${result.outcome}`);
  return { child, meetingId: result.meeting.value.id };
}

function buildAnswer(
  caseId: string,
  rater: Actor,
  ratings: readonly SkattningValue[],
  at = answeredAt,
  comment?: string,
): SkattningAnswer {
  return {
    caseId,
    rater: { userId: rater.userId, displayName: rater.displayName, role: 'Elevhälsan' },
    answeredAt: at,
    areas: compassAreaKeys.map((key, index) => ({
      key,
      rating: ratings[index] ?? 'vetEj',
      ...(index === 0 && comment !== undefined ? { comment } : {}),
    })),
  };
}

async function loadCase(flow: BarnteamFlow, caseId: string): Promise<Case> {
  const stored = await flow.deps.stores.cases.get(caseId);
  if (stored === undefined) throw new Error('ärendet saknas');
  return stored.value;
}

describe('recordSkattning', () => {
  it('lets only the meeting’s members answer, and audits the refusal', async () => {
    const flow = createBarnteamFlow();
    const { child, meetingId } = await bookWith(flow);
    const outsider: Actor = { userId: users.socialtjanst, displayName: 'Omar Haddad', tenantId };

    const result = await recordSkattning(flow.deps, {
      meetingId,
      caseId: child.id,
      actor: outsider,
      answer: buildAnswer(child.id, outsider, [1, 1, 1, 1, 1, 1, 1, 1]),
      at: answeredAt,
    });

    expect(result).toMatchObject({ outcome: 'refused', cause: 'accessDenied' });
    expect(readBarnteamRecords(await loadCase(flow, child.id)).skattningar).toEqual([]);
    expect(
      flow.stores
        .snapshot()
        .audit.some((entry) => entry.actor === users.socialtjanst && entry.outcome === 'refused'),
    ).toBe(true);
  });

  it('refuses an answer made out in another member’s name', async () => {
    const flow = createBarnteamFlow();
    const { child, meetingId } = await bookWith(flow);

    const result = await recordSkattning(flow.deps, {
      meetingId,
      caseId: child.id,
      actor: memberActor(0),
      answer: buildAnswer(child.id, memberActor(1), [3, 3, 3, 3, 3, 3, 3, 3]),
      at: answeredAt,
    });

    expect(result).toMatchObject({ outcome: 'refused', cause: 'invalidInput' });
  });

  it('builds the joint compass from several members, the latest answer of each counting', async () => {
    const flow = createBarnteamFlow();
    const { child, meetingId } = await bookWith(flow);
    const record = (actor: Actor, ratings: SkattningValue[], at = answeredAt, comment?: string) =>
      recordSkattning(flow.deps, {
        meetingId,
        caseId: child.id,
        actor,
        answer: buildAnswer(child.id, actor, ratings, at, comment),
        at,
      });

    expect((await record(memberActor(0), [5, 5, 5, 5, 5, 5, 5, 5])).outcome).toBe('applied');
    // Member 0 corrects the form: only this one counts.
    expect(
      (await record(memberActor(0), [1, 4, 4, 4, 4, 4, 4, 4], '2025-03-09T11:00:00.000Z', 'Hungrig')).outcome,
    ).toBe('applied');
    // A late redelivery of the first form does not overwrite the correction.
    expect((await record(memberActor(0), [5, 5, 5, 5, 5, 5, 5, 5])).outcome).toBe('alreadyApplied');
    await record(memberActor(3), [2, 4, 4, 4, 4, 4, 4, 'vetEj']);
    await record(rektor, [3, 4, 4, 4, 4, 4, 4, 'vetEj']);

    const compass = jointCompassFor(await loadCase(flow, child.id), meetingId);

    expect(compass.raterCount).toBe(3);
    const omsorg = compass.areas[0];
    expect(omsorg).toMatchObject({ key: 'omsorg', mean: 2, min: 1, max: 3, lag: true, summary: '2,0 (1–3)' });
    expect(omsorg?.comments).toEqual([
      { raterName: 'Medlem skolskoterska', role: 'Elevhälsan', rating: 1, comment: 'Hungrig' },
    ]);
    expect(compass.areas[7]).toMatchObject({ count: 1, vetEj: 2, mean: 4 });
    expect(compass.prioritised).toEqual(['omsorg']);
  });

  it('refuses a child taken off the agenda', async () => {
    const flow = createBarnteamFlow();
    const { child, meetingId } = await bookWith(flow);
    const meeting = await flow.deps.stores.meetings.get(meetingId);
    if (meeting === undefined) throw new Error('mötet saknas');
    await flow.deps.stores.meetings.replace(
      { ...meeting.value, agenda: meeting.value.agenda.map((item) => ({ ...item, removedAt: answeredAt })) },
      meeting.etag,
    );

    const result = await recordSkattning(flow.deps, {
      meetingId,
      caseId: child.id,
      actor: memberActor(0),
      answer: buildAnswer(child.id, memberActor(0), [3, 3, 3, 3, 3, 3, 3, 3]),
      at: answeredAt,
    });

    expect(result).toMatchObject({
      outcome: 'refused',
      message: 'Barnet finns inte (längre) på mötets dagordning.',
    });
  });
});

describe('recordBarnteamOutcome', () => {
  const heldAt = '2025-03-10T09:30:00.000Z';

  it('refuses an Individuellt barnteam without updated written consent, with the reason, and records nothing', async () => {
    const flow = createBarnteamFlow();
    const { child, meetingId } = await bookWith(flow);

    const result = await recordBarnteamOutcome(flow.deps, {
      meetingId,
      caseId: child.id,
      actor: rektor,
      outcome: {
        startIndividuelltBarnteam: true,
        proposedSupport: [{ what: 'SIP', byWhom: 'Socialtjänsten' }],
      },
      at: heldAt,
    });

    expect(result).toEqual({
      outcome: 'refused',
      cause: 'transitionRefused',
      message: guards.uppdateratSkriftligtSamtycke.reason,
    });
    const stored = await loadCase(flow, child.id);
    expect(stored.state).toBe('barnteam');
    expect(readBarnteamRecords(stored).barnteamUtfall).toEqual([]);
  });

  it('starts the Individuellt barnteam when the updated written consent is there', async () => {
    const flow = createBarnteamFlow();
    const { child, meetingId } = await bookWith(flow, {
      consents: [buildConsent('muntligt'), buildConsent('skriftligt'), buildConsent('uppdateratSkriftligt')],
    });

    const result = await recordBarnteamOutcome(flow.deps, {
      meetingId,
      caseId: child.id,
      actor: rektor,
      outcome: { startIndividuelltBarnteam: true },
      at: heldAt,
    });

    expect(result.outcome).toBe('applied');
    const stored = await loadCase(flow, child.id);
    expect(stored.state).toBe('individuelltBarnteam');
    expect(readBarnteamRecords(stored).barnteamUtfall[0]).toMatchObject({
      meetingId,
      startIndividuelltBarnteam: true,
    });
  });

  it('records proposed support and a follow-up date, reminding the Barnkontakt on that morning', async () => {
    const flow = createBarnteamFlow();
    const { child, meetingId } = await bookWith(flow);

    const result = await recordBarnteamOutcome(flow.deps, {
      meetingId,
      caseId: child.id,
      actor: rektor,
      outcome: {
        proposedSupport: [{ what: 'Samtal med kurator varannan vecka', byWhom: 'Elevhälsan' }],
        followUpDate: '2025-04-14',
      },
      at: heldAt,
    });

    expect(result.outcome).toBe('applied');
    const reminder = flow.stores
      .snapshot()
      .reminders.find((item) => item.kind === barnteamFollowUpReminderKind && item.caseId === child.id);
    // 08:00 Stockholm summer time.
    expect(reminder?.dueAt).toBe('2025-04-14T06:00:00.000Z');
    if (reminder === undefined) return;
    expect(await handleBarnteamFollowUp(flow.deps, reminder)).toBe('sent');
    expect(await handleBarnteamFollowUp(flow.deps, reminder)).toBe('sent');
    const notices = flow.stores
      .snapshot()
      .outbox.filter(
        (message) => message.payload.kind === 'notice' && message.payload.notice === 'uppfoljningBarnteam',
      );
    expect(notices).toHaveLength(1);
    expect(notices[0]?.recipientKey).toBe(users.barnkontakt);
  });

  it('lets only the convener record the outcome', async () => {
    const flow = createBarnteamFlow();
    const { child, meetingId } = await bookWith(flow);

    const result = await recordBarnteamOutcome(flow.deps, {
      meetingId,
      caseId: child.id,
      actor: memberActor(0),
      outcome: { followUpDate: '2025-04-14' },
      at: heldAt,
    });

    expect(result).toMatchObject({ outcome: 'refused', cause: 'accessDenied' });
  });
});

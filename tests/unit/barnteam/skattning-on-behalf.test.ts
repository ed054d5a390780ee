/**
 * The convener records a member's Skattningsformulär on their behalf (a police officer outside
 * Teams, a guest without the app), and what then happens to the member's own form.
 */
import { describe, expect, it } from 'vitest';
import { bookBarnteam } from '../../../flows/barnteam/book-barnteam.js';
import {
  describeOnBehalfTooEarly,
  describeOwnAnswerKept,
  jointCompassFor,
  recordSkattning,
  recordSkattningOnBehalf,
  skattningMessages,
} from '../../../flows/barnteam/record-skattning.js';
import type { Case } from '../../../flows/kernel/case.js';
import type { Actor } from '../../../flows/kernel/case-effects.js';
import { compassAreaKeys } from '../../../flows/kernel/compass.js';
import { readBarnteamRecords } from '../../../flows/kernel/records/barnteam-outcome.js';
import type { SkattningAreaAnswer, SkattningRater, SkattningValue } from '../../../flows/kernel/skattning.js';
import {
  type BarnteamFlow,
  bookingInput,
  buildBarnteamDirectory,
  createBarnteamFlow,
  memberActor,
  memberSpecs,
  proposedAt,
  rektor,
} from '../../support/barnteam-fixtures.js';

/** The fixtures book Monday 10 March 2025, 09:00–10:00 in Stockholm; this is after it. */
const afterMeeting = '2025-03-10T09:30:00.000Z';
/** The morning of the meeting's day, before it starts: "at the meeting" counts the day. */
const meetingMorning = '2025-03-10T06:00:00.000Z';
/** The day before the meeting. */
const dayBefore = '2025-03-09T10:00:00.000Z';
const guestIndex = memberSpecs.findIndex((spec) => spec.id === 'vardcentral');

/** The police member is outside Teams (e-mail only), the health care member a guest. */
function buildRegionDirectory() {
  return buildBarnteamDirectory((input) => {
    for (const contact of input.contacts as Record<string, unknown>[]) {
      if (contact.id === 'polis') {
        contact.kind = 'utanforTeams';
        delete contact.aadObjectId;
      }
      if (contact.id === 'vardcentral') contact.kind = 'gast';
    }
  });
}

async function bookWith(flow: BarnteamFlow) {
  flow.setNow(proposedAt);
  const child = await flow.givenCase();
  const result = await bookBarnteam(flow.deps, bookingInput([child.id]));
  if (result.outcome !== 'booked') throw new Error(`bokningen misslyckades: ${result.outcome}`);
  return { child, meeting: result.meeting.value };
}

function buildAreas(ratings: readonly SkattningValue[], comment?: string): SkattningAreaAnswer[] {
  return compassAreaKeys.map((key, index) => ({
    key,
    rating: ratings[index] ?? 'vetEj',
    ...(index === 0 && comment !== undefined ? { comment } : {}),
  }));
}

const police: SkattningRater = { contactId: 'polis', displayName: 'Medlem polis', role: 'Polisen' };
const guest: SkattningRater = {
  userId: memberActor(guestIndex).userId,
  contactId: 'vardcentral',
  displayName: 'Medlem vardcentral',
  role: 'Hälso- och sjukvården',
};

async function loadCase(flow: BarnteamFlow, caseId: string): Promise<Case> {
  const stored = await flow.deps.stores.cases.get(caseId);
  if (stored === undefined) throw new Error('ärendet saknas');
  return stored.value;
}

describe('recordSkattningOnBehalf', () => {
  it('records the police member’s ratings as theirs, registrerad av the convener, audited with a purpose', async () => {
    const flow = createBarnteamFlow({ directory: buildRegionDirectory() });
    const { child, meeting } = await bookWith(flow);
    // The police member is on the meeting by their directory id: they have no Teams identity.
    const onMeeting = meeting.members.find((member) => member.contactId === 'polis');
    expect(onMeeting).toMatchObject({ kind: 'utanforTeams', role: 'polis' });
    expect(onMeeting?.userId).toBeUndefined();

    const result = await recordSkattningOnBehalf(flow.deps, {
      meetingId: meeting.id,
      caseId: child.id,
      actor: rektor,
      member: police,
      recordedByName: 'Maria Lind',
      areas: buildAreas([2, 1, 3, 3, 3, 3, 3, 3], 'Flera larm till hemmet i vår.'),
      at: afterMeeting,
    });

    expect(result.outcome).toBe('applied');
    const stored = readBarnteamRecords(await loadCase(flow, child.id)).skattningar;
    expect(stored).toEqual([
      expect.objectContaining({
        rater: police,
        recordedBy: { userId: rektor.userId, displayName: 'Maria Lind' },
        answeredAt: afterMeeting,
      }),
    ]);
    const audit = flow.stores
      .snapshot()
      .audit.filter((entry) => entry.action === 'registreraSkattningForMedlem');
    expect(audit).toEqual([
      expect.objectContaining({ actor: rektor.userId, caseId: child.id, outcome: 'allowed' }),
    ]);
    expect(audit[0]?.purpose).toContain('för mötets medlem kontakt:polis (Polisen)');
    expect(audit[0]?.purpose).not.toContain('Testbarn');
  });

  it('makes the joint compass count every organisation, the recorded comment saying by whom', async () => {
    const flow = createBarnteamFlow({ directory: buildRegionDirectory() });
    const { child, meeting } = await bookWith(flow);
    const own = (actor: Actor, ratings: SkattningValue[]) =>
      recordSkattning(flow.deps, {
        meetingId: meeting.id,
        caseId: child.id,
        actor,
        answer: {
          caseId: child.id,
          meetingId: meeting.id,
          rater: { userId: actor.userId, displayName: actor.displayName, role: 'Elevhälsan' },
          answeredAt: dayBefore,
          areas: buildAreas(ratings),
        },
        at: dayBefore,
      });
    await own(memberActor(0), [4, 4, 4, 4, 4, 4, 4, 4]);
    await own(rektor, [3, 3, 3, 3, 3, 3, 3, 3]);
    await recordSkattningOnBehalf(flow.deps, {
      meetingId: meeting.id,
      caseId: child.id,
      actor: rektor,
      member: police,
      recordedByName: 'Maria Lind',
      areas: buildAreas([1, 1, 1, 1, 1, 1, 1, 1], 'Flera larm till hemmet i vår.'),
      at: afterMeeting,
    });

    const compass = jointCompassFor(await loadCase(flow, child.id), meeting.id);
    expect(compass.raterCount).toBe(3);
    expect(compass.areas[0]).toMatchObject({ count: 3, mean: 2.7, min: 1, max: 4 });
    expect(compass.areas[0]?.comments).toEqual([
      {
        raterName: 'Medlem polis',
        role: 'Polisen',
        rating: 1,
        comment: 'Flera larm till hemmet i vår.',
        recordedByName: 'Maria Lind',
      },
    ]);
  });

  it('is open from the meeting’s day, not before, and only to the convener for a member', async () => {
    const flow = createBarnteamFlow({ directory: buildRegionDirectory() });
    const { child, meeting } = await bookWith(flow);
    const attempt = (actor: Actor, member: SkattningRater, at: string) =>
      recordSkattningOnBehalf(flow.deps, {
        meetingId: meeting.id,
        caseId: child.id,
        actor,
        member,
        recordedByName: actor.displayName,
        areas: buildAreas([3, 3, 3, 3, 3, 3, 3, 3]),
        at,
      });

    expect(await attempt(rektor, police, dayBefore)).toEqual({
      outcome: 'refused',
      cause: 'transitionRefused',
      message: describeOnBehalfTooEarly('2025-03-10'),
    });
    expect(describeOnBehalfTooEarly('2025-03-10')).toContain('från mötesdagen, 10 mars 2025');
    expect(await attempt(memberActor(0), police, afterMeeting)).toMatchObject({
      outcome: 'refused',
      cause: 'accessDenied',
      message: skattningMessages.onBehalfConvenerOnly,
    });
    const stranger: SkattningRater = {
      contactId: 'skolpsykolog-grannskolan',
      displayName: 'Kim',
      role: 'Psykolog',
    };
    expect(await attempt(rektor, stranger, afterMeeting)).toMatchObject({
      outcome: 'refused',
      message: skattningMessages.onBehalfNotMember,
    });
    const convenerSelf: SkattningRater = { userId: rektor.userId, displayName: 'Maria', role: 'Barnkontakt' };
    expect((await attempt(rektor, convenerSelf, afterMeeting)).outcome).toBe('refused');
    expect(readBarnteamRecords(await loadCase(flow, child.id)).skattningar).toEqual([]);
    const refusals = flow.stores
      .snapshot()
      .audit.filter(
        (entry) => entry.action === 'registreraSkattningForMedlem' && entry.outcome === 'refused',
      );
    expect(refusals).toHaveLength(4);

    expect((await attempt(rektor, police, meetingMorning)).outcome).toBe('applied');
  });

  it('is stored once under a double click or a redelivered save, and a correction replaces it', async () => {
    const flow = createBarnteamFlow({ directory: buildRegionDirectory() });
    const { child, meeting } = await bookWith(flow);
    const save = (ratings: SkattningValue[], at: string) =>
      recordSkattningOnBehalf(flow.deps, {
        meetingId: meeting.id,
        caseId: child.id,
        actor: rektor,
        member: police,
        recordedByName: 'Maria Lind',
        areas: buildAreas(ratings),
        at,
      });

    expect((await save([2, 2, 2, 2, 2, 2, 2, 2], afterMeeting)).outcome).toBe('applied');
    expect(await save([2, 2, 2, 2, 2, 2, 2, 2], '2025-03-10T09:30:01.000Z')).toMatchObject({
      outcome: 'alreadyApplied',
      message: skattningMessages.onBehalfAlready,
    });
    expect((await save([4, 2, 2, 2, 2, 2, 2, 2], '2025-03-10T10:00:00.000Z')).outcome).toBe('applied');
    // A slow first save arriving after the correction does not undo it.
    expect((await save([2, 2, 2, 2, 2, 2, 2, 2], afterMeeting)).outcome).toBe('alreadyApplied');

    const answers = readBarnteamRecords(await loadCase(flow, child.id)).skattningar;
    expect(answers).toHaveLength(1);
    expect(answers[0]?.areas[0]?.rating).toBe(4);
  });

  it('never replaces what the member answered themselves', async () => {
    const flow = createBarnteamFlow({ directory: buildRegionDirectory() });
    const { child, meeting } = await bookWith(flow);
    const guestActor = memberActor(guestIndex);
    await recordSkattning(flow.deps, {
      meetingId: meeting.id,
      caseId: child.id,
      actor: guestActor,
      answer: {
        caseId: child.id,
        meetingId: meeting.id,
        rater: { userId: guestActor.userId, displayName: guest.displayName, role: guest.role },
        answeredAt: dayBefore,
        areas: buildAreas([5, 5, 5, 5, 5, 5, 5, 5]),
      },
      at: dayBefore,
    });

    const result = await recordSkattningOnBehalf(flow.deps, {
      meetingId: meeting.id,
      caseId: child.id,
      actor: rektor,
      member: guest,
      recordedByName: 'Maria Lind',
      areas: buildAreas([1, 1, 1, 1, 1, 1, 1, 1]),
      at: afterMeeting,
    });

    expect(result).toEqual({
      outcome: 'refused',
      cause: 'transitionRefused',
      message: describeOwnAnswerKept('Medlem vardcentral'),
    });
    const answers = readBarnteamRecords(await loadCase(flow, child.id)).skattningar;
    expect(answers.map((answer) => [answer.recordedBy, answer.areas[0]?.rating])).toEqual([[undefined, 5]]);
  });
});

describe('recordSkattning (the member’s own form)', () => {
  it('refuses an own answer that claims to be recorded by someone', async () => {
    const flow = createBarnteamFlow({ directory: buildRegionDirectory() });
    const { child, meeting } = await bookWith(flow);
    const actor = memberActor(0);

    const result = await recordSkattning(flow.deps, {
      meetingId: meeting.id,
      caseId: child.id,
      actor,
      answer: {
        caseId: child.id,
        meetingId: meeting.id,
        rater: { userId: actor.userId, displayName: actor.displayName, role: 'Elevhälsan' },
        recordedBy: { userId: rektor.userId, displayName: 'Maria Lind' },
        answeredAt: afterMeeting,
        areas: buildAreas([3, 3, 3, 3, 3, 3, 3, 3]),
      },
      at: afterMeeting,
    });

    expect(result).toMatchObject({ outcome: 'refused', cause: 'invalidInput' });
    expect(readBarnteamRecords(await loadCase(flow, child.id)).skattningar).toEqual([]);
  });
});

describe('the member’s own form after the convener recorded theirs', () => {
  async function recordedForGuest() {
    const flow = createBarnteamFlow({ directory: buildRegionDirectory() });
    const { child, meeting } = await bookWith(flow);
    await recordSkattningOnBehalf(flow.deps, {
      meetingId: meeting.id,
      caseId: child.id,
      actor: rektor,
      member: guest,
      recordedByName: 'Maria Lind',
      areas: buildAreas([2, 2, 2, 2, 2, 2, 2, 2]),
      at: afterMeeting,
    });
    const guestActor = memberActor(guestIndex);
    const ownAt = '2025-03-10T12:00:00.000Z';
    const saveOwn = (replacesRecordedAt?: string) =>
      recordSkattning(flow.deps, {
        meetingId: meeting.id,
        caseId: child.id,
        actor: guestActor,
        answer: {
          caseId: child.id,
          meetingId: meeting.id,
          rater: { userId: guestActor.userId, displayName: guest.displayName, role: guest.role },
          answeredAt: ownAt,
          areas: buildAreas([3, 3, 3, 3, 3, 3, 3, 3]),
        },
        at: ownAt,
        ...(replacesRecordedAt === undefined ? {} : { replacesRecordedAt }),
      });
    return { flow, child, meeting, saveOwn };
  }

  it('is sent back first with who recorded it and when, and nothing changes', async () => {
    const { flow, child, saveOwn } = await recordedForGuest();

    const result = await saveOwn();

    expect(result).toMatchObject({ outcome: 'refused', cause: 'transitionRefused' });
    expect(result.outcome === 'refused' && result.message).toBe(
      'Maria Lind registrerade en skattning för dig 10 mars 2025; den gäller nu och visas i formuläret. Spara igen om du vill ersätta den med din egen.',
    );
    const answers = readBarnteamRecords(await loadCase(flow, child.id)).skattningar;
    expect(answers.map((answer) => answer.recordedBy?.displayName)).toEqual(['Maria Lind']);
  });

  it('replaces the recorded answer when saved naming it, once, and counts the member once', async () => {
    const { flow, child, meeting, saveOwn } = await recordedForGuest();

    expect((await saveOwn(afterMeeting)).outcome).toBe('applied');
    // The same save again (a double click): nothing more.
    expect((await saveOwn(afterMeeting)).outcome).toBe('alreadyApplied');

    const caseValue = await loadCase(flow, child.id);
    const answers = readBarnteamRecords(caseValue).skattningar;
    expect(answers).toHaveLength(1);
    expect(answers[0]?.recordedBy).toBeUndefined();
    expect(answers[0]?.areas[0]?.rating).toBe(3);
    expect(jointCompassFor(caseValue, meeting.id).raterCount).toBe(1);
  });

  it('does not replace a recorded answer other than the one the form showed', async () => {
    const { flow, child, saveOwn } = await recordedForGuest();

    const result = await saveOwn('2025-03-10T09:00:00.000Z');

    expect(result.outcome).toBe('refused');
    const answers = readBarnteamRecords(await loadCase(flow, child.id)).skattningar;
    expect(answers[0]?.recordedBy?.displayName).toBe('Maria Lind');
  });
});

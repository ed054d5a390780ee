import { describe, expect, it } from 'vitest';
import {
  bookBarnteam,
  handleBookingRepair,
  proposeBarnteamSlots,
  toBookingRepairReminderId,
  toMeetingId,
} from '../../../flows/barnteam/book-barnteam.js';
import { buildInvitationBody, toInitials } from '../../../flows/barnteam/meeting-agenda.js';
import { meetingReminderKind } from '../../../flows/barnteam/meeting-reminders.js';
import { describeCalendarContract } from '../../contract/calendar-contract.js';
import { buildConsent } from '../../fixtures/case-fixtures.js';
import {
  bookingInput,
  buildBarnteamDirectoryAcrossOrganisations,
  convenerEmail,
  createBarnteamFlow,
  memberEmail,
  memberSpecs,
  memberUserId,
  proposalId,
  proposedAt,
  rektor,
  upptackare,
  upptackareEmail,
  users,
} from '../../support/barnteam-fixtures.js';
import { createFakeCalendar } from '../../support/fake-calendar.js';

// The fake keeps the promises the real calendars keep, or the tests below prove nothing.
let contractCalendar = createFakeCalendar();
describeCalendarContract('fake for unit tests', {
  async open() {
    contractCalendar = createFakeCalendar();
    return contractCalendar;
  },
  async givenBusy(mailbox, start, end) {
    contractCalendar.givenBusy(mailbox, start, end);
  },
  async givenAnswer(eventId, mailbox, response) {
    contractCalendar.answerInvitation(eventId, mailbox, response);
  },
});

describe('proposeBarnteamSlots', () => {
  it('reads the convener, all eight members and the Upptäckare in ONE free/busy call and proposes free working-time slots', async () => {
    const flow = createBarnteamFlow();
    flow.setNow(proposedAt);
    const child = await flow.givenCase();
    // The police are busy all Monday morning; the first proposal must avoid it.
    flow.calendar.givenBusy(memberEmail('polis'), '2025-03-05T07:00:00.000Z', '2025-03-05T11:00:00.000Z');

    const result = await proposeBarnteamSlots(flow.deps, {
      unitId: 'bjorkskolan',
      caseIds: [child.id],
      actor: rektor,
      from: proposedAt,
    });

    const scheduleCalls = flow.calendar.calls.filter((call) => call.method === 'getSchedules');
    expect(scheduleCalls).toHaveLength(1);
    const request = scheduleCalls[0]?.method === 'getSchedules' ? scheduleCalls[0].request : undefined;
    expect(request?.mailboxes).toEqual([
      convenerEmail,
      ...memberSpecs.map((spec) => memberEmail(spec.id)),
      upptackareEmail,
    ]);
    expect(request?.organizer).toBe(convenerEmail);
    expect(result.outcome).toBe('proposed');
    if (result.outcome !== 'proposed') return;
    expect(result.slots.length).toBeGreaterThan(0);
    // 12:00 Stockholm is the first time the police are free on Wednesday 5 March.
    expect(result.slots[0]?.start).toBe('2025-03-05T11:00:00.000Z');
    expect(result.agenda).toEqual([{ caseId: child.id, reference: child.reference, initials: 'T.E.' }]);
    expect(result.members.find((member) => member.userId === users.upptackare)).toMatchObject({
      required: false,
    });
  });

  it('refuses a case without written consent with its reference, and proposes for the others', async () => {
    const flow = createBarnteamFlow();
    const ready = await flow.givenCase();
    const noConsent = await flow.givenCase({ consents: [buildConsent('muntligt')] });

    const result = await proposeBarnteamSlots(flow.deps, {
      unitId: 'bjorkskolan',
      caseIds: [ready.id, noConsent.id],
      actor: rektor,
      from: proposedAt,
    });

    expect(result.outcome).toBe('proposed');
    expect(result.refusedCases).toEqual([
      {
        caseId: noConsent.id,
        reference: noConsent.reference,
        message: `${noConsent.reference} saknar skriftligt samtycke och kan inte tas upp i Barnteam.`,
      },
    ]);
    const refusals = flow.stores.snapshot().audit.filter((entry) => entry.outcome === 'refused');
    expect(refusals.map((entry) => entry.caseId)).toEqual([noConsent.id]);
  });

  it('proposes nothing and reads no calendar when no case may go on the agenda', async () => {
    const flow = createBarnteamFlow();
    const noConsent = await flow.givenCase({ consents: [buildConsent('muntligt')] });

    const result = await proposeBarnteamSlots(flow.deps, {
      unitId: 'bjorkskolan',
      caseIds: [noConsent.id],
      actor: rektor,
      from: proposedAt,
    });

    expect(result).toMatchObject({
      outcome: 'refused',
      message: 'Inget av barnen kan tas upp på Barnteam just nu.',
    });
    expect(flow.calendar.calls).toHaveLength(0);
  });

  it('lets only the unit Barnkontakt convene', async () => {
    const flow = createBarnteamFlow();
    const child = await flow.givenCase();

    const result = await proposeBarnteamSlots(flow.deps, {
      unitId: 'bjorkskolan',
      caseIds: [child.id],
      actor: upptackare,
      from: proposedAt,
    });

    expect(result).toMatchObject({
      outcome: 'refused',
      message: 'Bara enhetens Barnkontakt kan boka Barnteam för enheten.',
    });
  });

  it('chooses the slots on the calendars it can read: a guest and a member outside Teams are reported, not blocking', async () => {
    const flow = createBarnteamFlow({ directory: buildBarnteamDirectoryAcrossOrganisations() });
    const child = await flow.givenCase();
    // Graph answers an error for the guest's mailbox at home; the police, outside Teams, are not asked.
    flow.calendar.givenUnreadable(memberEmail('bup'));
    // The school nurse (required, readable) is busy until 12:00: that still decides.
    flow.calendar.givenBusy(
      memberEmail('skolskoterska'),
      '2025-03-05T07:00:00.000Z',
      '2025-03-05T11:00:00.000Z',
    );

    const result = await proposeBarnteamSlots(flow.deps, {
      unitId: 'bjorkskolan',
      caseIds: [child.id],
      actor: rektor,
      from: proposedAt,
    });

    expect(result.outcome).toBe('proposed');
    if (result.outcome !== 'proposed') return;
    expect(result.slots[0]?.start).toBe('2025-03-05T11:00:00.000Z');
    expect(result.noSlotMessage).toBeUndefined();
    expect(result.members.filter((member) => !member.readable)).toEqual([
      {
        userId: memberUserId(6),
        kind: 'gast',
        email: memberEmail('bup'),
        displayName: 'Medlem bup',
        roleLabel: 'Barn- och ungdomspsykiatrin (BUP)',
        required: false,
        readable: false,
      },
      {
        kind: 'utanforTeams',
        email: memberEmail('polis'),
        displayName: 'Medlem polis',
        roleLabel: 'Polisen',
        required: true,
        readable: false,
      },
    ]);
    const lookups = flow.calendar.calls.filter((call) => call.method === 'getSchedules');
    expect(lookups).toHaveLength(1);
    expect(lookups[0]?.method === 'getSchedules' && lookups[0].request.mailboxes).not.toContain(
      memberEmail('polis'),
    );
  });
});

describe('bookBarnteam', () => {
  it('books once on a double click: one meeting, one calendar event, one set of reminders', async () => {
    const flow = createBarnteamFlow();
    flow.setNow(proposedAt);
    const child = await flow.givenCase();

    const [first, second] = await Promise.all([
      bookBarnteam(flow.deps, bookingInput([child.id])),
      bookBarnteam(flow.deps, bookingInput([child.id])),
    ]);
    const third = await bookBarnteam(flow.deps, bookingInput([child.id]));

    expect([first.outcome, second.outcome].sort()).toEqual(['alreadyBooked', 'booked']);
    expect(third.outcome).toBe('alreadyBooked');
    const snapshot = flow.stores.snapshot();
    expect(snapshot.meetings).toHaveLength(1);
    expect(snapshot.meetings[0]).toMatchObject({
      id: toMeetingId(proposalId),
      state: 'booked',
      calendar: { organizer: convenerEmail, eventId: 'event-1' },
    });
    expect(flow.calendar.events).toHaveLength(1);
    const meetingReminders = snapshot.reminders.filter((reminder) => reminder.kind === meetingReminderKind);
    // Convener + 8 members + the Upptäckare, the day before and one hour before.
    expect(meetingReminders).toHaveLength(10 * 2);
    expect(new Set(meetingReminders.map((reminder) => reminder.id)).size).toBe(20);
    const notices = snapshot.outbox.filter((message) => message.recipientKey === users.upptackare);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.payload).toMatchObject({
      kind: 'notice',
      notice: 'barnteamDagordning',
      caseId: child.id,
    });
  });

  it('invites every member and the Upptäckare (optional) with initials and reference only, never the name or identity number', async () => {
    const flow = createBarnteamFlow();
    flow.setNow(proposedAt);
    const child = await flow.givenCase();

    await bookBarnteam(flow.deps, bookingInput([child.id]));

    const event = flow.calendar.events[0];
    expect(event).toBeDefined();
    if (event === undefined) return;
    const { subject, bodyHtml, attendees, transactionId } = event.request;
    expect(subject).toBe('Barnteam Björkskolan 2025-03-10');
    expect(transactionId).toBe(toMeetingId(proposalId));
    expect(bodyHtml).toContain(`T.E. (${child.reference})`);
    expect(bodyHtml).toContain('Dagordning');
    for (const text of [subject, bodyHtml]) {
      expect(text).not.toContain(child.child.givenName);
      expect(text).not.toContain(child.child.familyName);
      expect(text).not.toContain('201706122387');
      expect(text).not.toContain('20170612');
    }
    expect(attendees.map((attendee) => attendee.email)).not.toContain(convenerEmail);
    expect(attendees).toHaveLength(9);
    expect(attendees.find((attendee) => attendee.email === upptackareEmail)?.type).toBe('optional');
    expect(attendees.find((attendee) => attendee.email === memberEmail('polis'))?.type).toBe('required');
    expect(attendees.find((attendee) => attendee.email === memberEmail('bup'))?.type).toBe('optional');
  });

  it('invites a guest and a member outside Teams like everyone, puts the reminder in the event, and reminds in Teams only those in Teams', async () => {
    const flow = createBarnteamFlow({ directory: buildBarnteamDirectoryAcrossOrganisations() });
    flow.setNow(proposedAt);
    const child = await flow.givenCase();

    const result = await bookBarnteam(flow.deps, bookingInput([child.id]));

    expect(result.outcome).toBe('booked');
    const request = flow.calendar.events[0]?.request;
    expect(request?.attendees.find((attendee) => attendee.email === memberEmail('polis'))).toEqual({
      email: memberEmail('polis'),
      name: 'Medlem polis',
      type: 'required',
    });
    expect(request?.attendees.map((attendee) => attendee.email)).toContain(memberEmail('bup'));
    // The day before: the earliest of the team's reminders, so the police hear of it when the others do.
    expect(request?.reminderMinutesBeforeStart).toBe(24 * 60);
    expect(request?.bodyHtml).toContain('Dagordning');
    expect(request?.bodyHtml).toContain(`T.E. (${child.reference})`);
    expect(request?.bodyHtml).not.toContain(child.child.givenName);
    const meeting = flow.stores.snapshot().meetings[0];
    expect(meeting?.members.find((member) => member.email === memberEmail('polis'))).toEqual({
      contactId: 'polis',
      kind: 'utanforTeams',
      email: memberEmail('polis'),
      role: 'polis',
      required: true,
    });
    const reminded = new Set(
      flow.stores
        .snapshot()
        .reminders.filter((reminder) => reminder.kind === meetingReminderKind)
        .map((reminder) => reminder.data.memberUserId),
    );
    // Convener + 7 members in Teams (the guest among them) + the Upptäckare; not the police.
    expect(reminded.size).toBe(9);
    expect(reminded.has(memberUserId(6))).toBe(true);
  });

  it('leaves a proposed meeting and a repair reminder when the calendar fails, and the repair completes it once', async () => {
    const flow = createBarnteamFlow();
    flow.setNow(proposedAt);
    const child = await flow.givenCase();
    flow.calendar.failNext('createMeeting');

    await expect(bookBarnteam(flow.deps, bookingInput([child.id]))).rejects.toThrow('kalendern svarar inte');
    expect(flow.stores.snapshot().meetings[0]?.state).toBe('proposed');
    const repair = flow.stores
      .snapshot()
      .reminders.find((item) => item.id === toBookingRepairReminderId(toMeetingId(proposalId)));
    expect(repair?.status).toBe('scheduled');

    expect(repair && (await handleBookingRepair(flow.deps, repair))).toBe('completed');
    expect(repair && (await handleBookingRepair(flow.deps, repair))).toBe('nothingToDo');
    expect(flow.stores.snapshot().meetings[0]?.state).toBe('booked');
    expect(flow.calendar.events).toHaveLength(1);
  });

  it('refuses a time that has passed', async () => {
    const flow = createBarnteamFlow();
    const child = await flow.givenCase();

    await expect(
      bookBarnteam(flow.deps, bookingInput([child.id], { at: '2025-03-11T08:00:00.000Z' })),
    ).rejects.toThrow('Tiden har redan passerat');
    expect(flow.calendar.events).toHaveLength(0);
    expect(flow.stores.snapshot().meetings).toHaveLength(0);
  });
});

describe('the invitation text', () => {
  it('writes at most three initials and escapes the dagordning', () => {
    expect(toInitials('Anna Maria Karin', 'Svensson')).toBe('A.M.S.');
    expect(toInitials('Åsa', 'Öberg')).toBe('Å.Ö.');
    const body = buildInvitationBody({
      unitName: 'Björkskolan',
      dagordning: ['<script>x</script>'],
      agenda: [{ caseId: 'c', reference: 'BB-1', initials: 'A.B.', removedAt: '2025-03-05T07:00:00.000Z' }],
    });
    expect(body).not.toContain('<script>');
    expect(body).toContain('Inga barn är anmälda');
  });
});

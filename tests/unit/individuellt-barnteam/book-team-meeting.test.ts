import { describe, expect, it } from 'vitest';
import { appointStodsamordnare } from '../../../flows/individuellt-barnteam/appoint-stodsamordnare.js';
import {
  bookTeamMeeting,
  handleTeamMeetingReminder,
  handleTeamMeetingRepair,
  proposeTeamMeeting,
  type TeamMeetingDependencies,
  teamMeetingMessages,
  teamMeetingReminderKinds,
} from '../../../flows/individuellt-barnteam/book-team-meeting.js';
import { addTeamMember } from '../../../flows/individuellt-barnteam/team-members.js';
import type { Case } from '../../../flows/kernel/case.js';
import type { Actor } from '../../../flows/kernel/case-effects.js';
import { withdrawConsent } from '../../../flows/samtycke/withdraw-consent.js';
import { createFakeCalendar, type FakeCalendar } from '../../support/fake-calendar.js';
import {
  createTeamFlow,
  kurator,
  rektor,
  startedAt,
  startTeam,
  type TeamFlow,
  teamCaseId,
  teamUsers,
} from '../../support/team-fixtures.js';

const base = { caseId: teamCaseId, at: startedAt };

interface Booking {
  readonly flow: TeamFlow;
  readonly calendar: FakeCalendar;
  readonly deps: TeamMeetingDependencies;
}

/** A started team with the skolkurator and the police officer outside Teams as members. */
async function teamWithMembers(): Promise<Booking> {
  const flow = await createTeamFlow();
  await startTeam(flow);
  for (const contactId of ['skolkurator-bjorkskolan', 'polis-lokalpolisomradet']) {
    const added = await addTeamMember(flow.deps, {
      ...base,
      etag: await flow.etag(),
      actor: rektor,
      contactId,
    });
    expect(added.outcome, JSON.stringify(added)).toBe('applied');
  }
  const calendar = createFakeCalendar();
  return { flow, calendar, deps: { ...flow.deps, calendar } };
}

async function current(flow: TeamFlow): Promise<Case> {
  const stored = await flow.stores.cases.get(teamCaseId);
  if (stored === undefined) throw new Error('Ärendet saknas');
  return stored.value;
}

async function propose(booking: Booking, actor: Actor = rektor) {
  const proposal = await proposeTeamMeeting(booking.deps, { caseId: teamCaseId, actor, at: startedAt });
  if (proposal.outcome !== 'proposed') throw new Error(`Inget förslag: ${JSON.stringify(proposal)}`);
  return proposal;
}

async function book(booking: Booking, actor: Actor = rektor, pick = 0) {
  const proposal = await propose(booking, actor);
  const slot = proposal.slots[pick];
  if (slot === undefined) throw new Error('Ingen tid');
  const input = {
    ...base,
    etag: await booking.flow.etag(),
    proposalId: proposal.proposalId,
    slot: { start: slot.start, end: slot.end },
    actor,
  };
  return { input, result: await bookTeamMeeting(booking.deps, input) };
}

function count(calendar: FakeCalendar, method: string): number {
  return calendar.calls.filter((call) => call.method === method).length;
}

function channelPosts(flow: TeamFlow) {
  return flow.stores
    .snapshot()
    .outbox.filter(
      (message) =>
        message.recipientKey === `teamkanal:${teamCaseId}` &&
        message.payload.kind === 'notice' &&
        message.payload.data.event === 'motesBokat',
    );
}

describe('booking the team’s next meeting from Barnets plan', () => {
  it('reads every calendar in one call and books one event that names only the case reference', async () => {
    const booking = await teamWithMembers();
    const proposal = await propose(booking);
    expect(proposal.slots.length).toBeGreaterThan(0);
    // The police officer is outside Teams: invited, never looked up, shown as unknown availability.
    expect(proposal.invitees.map((invitee) => [invitee.displayName, invitee.readable])).toEqual([
      ['Maria Lind', true],
      ['Ali Karimi', true],
      ['Erik Falk', false],
    ]);
    const lookups = booking.calendar.calls.filter((call) => call.method === 'getSchedules');
    expect(lookups).toHaveLength(1);
    expect(lookups[0]?.method === 'getSchedules' && lookups[0].request.mailboxes).not.toContain(
      'erik.falk@polisen-exempel.se',
    );

    const slot = proposal.slots[0];
    if (slot === undefined) throw new Error('Ingen tid');
    const result = await bookTeamMeeting(booking.deps, {
      ...base,
      etag: await booking.flow.etag(),
      proposalId: proposal.proposalId,
      slot: { start: slot.start, end: slot.end },
      actor: rektor,
    });
    expect(result.outcome, JSON.stringify(result)).toBe('applied');
    expect(count(booking.calendar, 'getSchedules')).toBe(1);
    expect(count(booking.calendar, 'createMeeting')).toBe(1);
    const event = booking.calendar.events[0];
    const caseValue = await current(booking.flow);
    expect(event?.request.subject).toBe(`Individuellt barnteam ${caseValue.reference}`);
    expect(event?.request.bodyHtml).toBe(`<p>Individuellt barnteam ${caseValue.reference}</p>`);
    for (const text of [event?.request.subject, event?.request.bodyHtml]) {
      expect(text).not.toContain(caseValue.child.givenName);
      expect(text).not.toContain(caseValue.child.familyName);
    }
    expect(event?.request.attendees.map((attendee) => attendee.email)).toEqual([
      'ali.karimi@exempelby.se',
      'erik.falk@polisen-exempel.se',
    ]);
    expect(caseValue.barnetsPlan?.nextMeeting).toEqual(
      expect.objectContaining({ state: 'bokat', start: slot.start, end: slot.end, eventId: event?.eventId }),
    );
  });

  it('commits the channel’s post and the members’ reminders with the case, filed under it', async () => {
    const booking = await teamWithMembers();
    await book(booking);
    expect(channelPosts(booking.flow)).toHaveLength(1);
    const reminders = booking.flow.stores
      .snapshot()
      .reminders.filter((reminder) => reminder.kind === teamMeetingReminderKinds.paminnelse);
    // The Barnkontakt and the skolkurator, the day before and an hour before; not the police officer.
    expect(reminders.map((reminder) => [reminder.data.memberUserId, reminder.data.offset]).sort()).toEqual(
      [
        [rektor.userId, 'P1D'],
        [rektor.userId, 'PT1H'],
        [teamUsers.kurator, 'P1D'],
        [teamUsers.kurator, 'PT1H'],
      ].sort(),
    );
    expect(reminders.every((reminder) => reminder.caseId === teamCaseId)).toBe(true);
  });

  it('books once on a double click: the second click calls no calendar and posts nothing', async () => {
    const booking = await teamWithMembers();
    const { input } = await book(booking);
    const again = await bookTeamMeeting(booking.deps, input);
    expect(again.outcome).toBe('alreadyApplied');
    expect(count(booking.calendar, 'createMeeting')).toBe(1);
    expect(booking.calendar.events).toHaveLength(1);
    expect(channelPosts(booking.flow)).toHaveLength(1);
  });

  it('shows the current plan, and books nothing, when the card was rendered from an older version', async () => {
    const booking = await teamWithMembers();
    const proposal = await propose(booking);
    const slot = proposal.slots[0];
    if (slot === undefined) throw new Error('Ingen tid');
    const result = await bookTeamMeeting(booking.deps, {
      ...base,
      etag: 'ett-gammalt-etag',
      proposalId: proposal.proposalId,
      slot: { start: slot.start, end: slot.end },
      actor: rektor,
    });
    expect(result.outcome).toBe('stale');
    expect(count(booking.calendar, 'createMeeting')).toBe(0);
    expect((await current(booking.flow)).barnetsPlan?.nextMeeting).toBeUndefined();
  });

  it('lets only the plan’s owner book: a member is refused, the Stödsamordnare may once appointed', async () => {
    const booking = await teamWithMembers();
    const refused = await proposeTeamMeeting(booking.deps, {
      caseId: teamCaseId,
      actor: kurator,
      at: startedAt,
    });
    expect(refused).toEqual({ outcome: 'refused', message: teamMeetingMessages.notOwner });
    const direct = await bookTeamMeeting(booking.deps, {
      ...base,
      etag: await booking.flow.etag(),
      proposalId: 'forslag-1',
      slot: { start: '2025-03-18T09:00:00.000Z', end: '2025-03-18T10:00:00.000Z' },
      actor: kurator,
    });
    expect(direct.outcome).toBe('refused');
    expect(count(booking.calendar, 'createMeeting')).toBe(0);

    const appointed = await appointStodsamordnare(booking.flow.deps, {
      ...base,
      etag: await booking.flow.etag(),
      actor: rektor,
      memberKey: 'skolkurator-bjorkskolan',
    });
    expect(appointed.outcome).toBe('applied');
    const { result } = await book(booking, kurator);
    expect(result.outcome, JSON.stringify(result)).toBe('applied');
    expect(booking.calendar.events[0]?.request.organizer).toBe('ali.karimi@exempelby.se');
  });

  it('moves the booked event when the meeting is booked again, and the old reminders stay silent', async () => {
    const booking = await teamWithMembers();
    await book(booking, rektor, 0);
    const first = (await current(booking.flow)).barnetsPlan?.nextMeeting;
    const { result } = await book(booking, rektor, 1);
    expect(result.outcome, JSON.stringify(result)).toBe('applied');
    const moved = (await current(booking.flow)).barnetsPlan?.nextMeeting;
    expect(count(booking.calendar, 'createMeeting')).toBe(1);
    expect(count(booking.calendar, 'moveMeeting')).toBe(1);
    expect(moved?.eventId).toBe(first?.eventId);
    expect(moved?.start).not.toBe(first?.start);
    expect(channelPosts(booking.flow)).toHaveLength(2);
    const oldReminder = booking.flow.stores
      .snapshot()
      .reminders.find(
        (reminder) =>
          reminder.kind === teamMeetingReminderKinds.paminnelse &&
          reminder.data.meetingStart === first?.start,
      );
    if (oldReminder === undefined) throw new Error('Påminnelsen saknas');
    expect(await handleTeamMeetingReminder(booking.deps, oldReminder)).toBe('silent');
  });

  it('keeps the picked time when the calendar fails, and the repair reminder books it once', async () => {
    const booking = await teamWithMembers();
    booking.calendar.failNext('createMeeting', new Error('timeout'));
    const { result } = await book(booking);
    expect(result.outcome).toBe('calendarLater');
    expect((await current(booking.flow)).barnetsPlan?.nextMeeting?.state).toBe('bokas');
    expect(channelPosts(booking.flow)).toHaveLength(0);
    const repair = booking.flow.stores
      .snapshot()
      .reminders.find((reminder) => reminder.kind === teamMeetingReminderKinds.slutfor);
    if (repair === undefined) throw new Error('Reparationen saknas');
    expect(await handleTeamMeetingRepair(booking.deps, repair)).toBe('completed');
    expect(await handleTeamMeetingRepair(booking.deps, repair)).toBe('nothingToDo');
    expect(booking.calendar.events).toHaveLength(1);
    expect((await current(booking.flow)).barnetsPlan?.nextMeeting?.state).toBe('bokat');
    expect(channelPosts(booking.flow)).toHaveLength(1);
  });

  it('completes a booking whose last write failed after the event was made, with the same event', async () => {
    const booking = await teamWithMembers();
    const create = booking.calendar.createMeeting.bind(booking.calendar);
    const deps: TeamMeetingDependencies = {
      ...booking.deps,
      calendar: {
        ...booking.calendar,
        getSchedules: booking.calendar.getSchedules.bind(booking.calendar),
        moveMeeting: booking.calendar.moveMeeting.bind(booking.calendar),
        createMeeting: async (request) => {
          const created = await create(request);
          // The crash point: the event exists, the case write that records it fails.
          booking.flow.stores.failNext('cases.replaceWithEffects');
          return created;
        },
      },
    };
    const proposal = await propose(booking);
    const slot = proposal.slots[0];
    if (slot === undefined) throw new Error('Ingen tid');
    const input = {
      ...base,
      etag: await booking.flow.etag(),
      proposalId: proposal.proposalId,
      slot: { start: slot.start, end: slot.end },
      actor: rektor,
    };
    expect((await bookTeamMeeting(deps, input)).outcome).toBe('calendarLater');
    expect((await current(booking.flow)).barnetsPlan?.nextMeeting?.state).toBe('bokas');
    expect(channelPosts(booking.flow)).toHaveLength(0);

    // Teams resends the invoke: the calendar answers the same transaction with the same event.
    const again = await bookTeamMeeting(booking.deps, input);
    expect(again.outcome).toBe('alreadyApplied');
    expect(booking.calendar.events).toHaveLength(1);
    const meeting = (await current(booking.flow)).barnetsPlan?.nextMeeting;
    expect(meeting).toMatchObject({ state: 'bokat', eventId: booking.calendar.events[0]?.eventId });
    expect(channelPosts(booking.flow)).toHaveLength(1);
  });

  it('reminds a member once, and a withdrawn consent cancels the meeting’s reminders', async () => {
    const booking = await teamWithMembers();
    await book(booking);
    const reminders = () =>
      booking.flow.stores
        .snapshot()
        .reminders.filter((reminder) => reminder.kind === teamMeetingReminderKinds.paminnelse);
    const first = reminders()[0];
    if (first === undefined) throw new Error('Påminnelsen saknas');
    expect(await handleTeamMeetingReminder(booking.deps, first)).toBe('sent');
    await handleTeamMeetingReminder(booking.deps, first);
    const notices = booking.flow.stores
      .snapshot()
      .outbox.filter(
        (message) => message.payload.kind === 'notice' && message.payload.notice === 'teammotePaminnelse',
      );
    expect(notices).toHaveLength(1);

    const withdrawn = await withdrawConsent(booking.flow.deps, {
      caseId: teamCaseId,
      actor: rektor,
      withdrawnBy: 'vardnadshavare',
      at: '2025-03-13T09:00:00.000Z',
    });
    expect(withdrawn.outcome).toBe('applied');
    expect(reminders().every((reminder) => reminder.status === 'cancelled')).toBe(true);
    expect(await handleTeamMeetingReminder(booking.deps, first)).toBe('silent');
  });
});

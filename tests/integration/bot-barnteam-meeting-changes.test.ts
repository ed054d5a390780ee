/**
 * Changes to a booked Barnteam through the bot as Teams talks to it (tests/support/teams-bot.ts),
 * with the embedded calendar: the convener moves or cancels the meeting, records its outcome for
 * the child, and a withdrawn consent takes the child off the agenda.
 */
import { describe, expect, it } from 'vitest';
import type { BusyBlock } from '../../flows/kernel/calendar.js';
import type { BarnteamMeeting, Reminder } from '../../flows/kernel/ports.js';
import { people } from '../support/bot-activities.js';
import { findAction, listChoices } from '../support/card-actions.js';
import { useTeamsBot } from '../support/teams-bot.js';
import { buildSkattningAnswers, walkCase } from '../support/walk-case.js';

const teams = useTeamsBot();
const { invoke, clock } = teams;

/**
 * Johan files the card: an Upptäckare the directory knows, so the booking invites him and files
 * his reminders under the case (the ones a withdrawn consent must stop). Maria takes the case,
 * lifts it to Barnteam and books it on a later day, so that its reminders are still to come.
 */
const bookFirstSlot = () => walkCase(teams).to('bokad', { filedBy: people.johan });

async function readMeeting(meetingId: string): Promise<BarnteamMeeting> {
  const stored = await teams.stores.meetings.get(meetingId);
  if (stored === undefined) throw new Error('Mötet finns inte');
  return stored.value;
}

/** The organiser's busy blocks over the next weeks, as the calendar answers a free/busy lookup. */
async function readOrganizerBusy(meeting: BarnteamMeeting): Promise<BusyBlock[]> {
  const organizer = meeting.calendar?.organizer;
  if (organizer === undefined) throw new Error('Mötet har ingen kalenderhändelse');
  const [schedule] = await teams.calendar.getSchedules({
    mailboxes: [organizer],
    start: '2026-03-03T00:00:00.000Z',
    end: '2026-04-30T00:00:00.000Z',
    intervalMinutes: 30,
  });
  return [...(schedule?.busy ?? [])];
}

function isBusyAt(busy: readonly BusyBlock[], start: string): boolean {
  return busy.some((block) => Date.parse(block.start) === Date.parse(start));
}

/** The meeting's reminders (members' ones carry no case id, so they are read from the store). */
function listMeetingReminders(meetingId: string): Reminder[] {
  return teams.stores.snapshot().reminders.filter((reminder) => reminder.data.meetingId === meetingId);
}

describe('moving a booked Barnteam', () => {
  it('moves the meeting, its calendar event and its reminders to another proposed time', async () => {
    const { card, meeting, caseId } = await bookFirstSlot();
    const flytta = findAction(card, 'barnteam.flytta');
    const alternatives = await invoke(people.maria, 'barnteam.flytta', flytta.data);
    // A time on a later day, so that reminders before it are still to come.
    const newSlot = listChoices(alternatives, 'newSlot').find(
      (start) =>
        Date.parse(start) !== Date.parse(meeting.start) &&
        Date.parse(start) >= clock.now().getTime() + 12 * 60 * 60_000,
    );
    if (newSlot === undefined) throw new Error('Inga andra tider att flytta till');
    const oldReminders = listMeetingReminders(meeting.id);
    expect(oldReminders.length).toBeGreaterThan(0);
    expect(isBusyAt(await readOrganizerBusy(meeting), meeting.start)).toBe(true);

    const moved = await invoke(people.maria, 'barnteam.flytta', {
      ...findAction(alternatives, 'barnteam.flytta').data,
      newSlot,
    });

    expect(JSON.stringify(moved)).toContain('Mötet är flyttat.');
    const stored = await readMeeting(meeting.id);
    expect(Date.parse(stored.start)).toBe(Date.parse(newSlot));
    expect(stored.state).toBe('moved');
    const busy = await readOrganizerBusy(stored);
    expect(isBusyAt(busy, newSlot)).toBe(true);
    expect(isBusyAt(busy, meeting.start)).toBe(false);
    const reminders = listMeetingReminders(meeting.id);
    for (const old of oldReminders) {
      expect(reminders.find((reminder) => reminder.id === old.id)?.status).toBe('cancelled');
    }
    const scheduled = reminders.filter((reminder) => reminder.status === 'scheduled');
    expect(scheduled.length).toBeGreaterThan(0);
    for (const reminder of scheduled) {
      expect(Date.parse(String(reminder.data.meetingStart))).toBe(Date.parse(newSlot));
    }
    // The Upptäckare's reminders are filed under the child's case.
    const caseReminders = await teams.stores.reminders.listForCase(caseId);
    const caseScheduled = caseReminders.filter((item) => item.value.status === 'scheduled');
    expect(caseScheduled.length).toBeGreaterThan(0);
    for (const item of caseScheduled) {
      expect(Date.parse(String(item.value.data.meetingStart))).toBe(Date.parse(newSlot));
    }
  });

  it('answers a stale card with the meeting as it is now, and moves nothing', async () => {
    const { card, meeting } = await bookFirstSlot();
    const flytta = findAction(card, 'barnteam.flytta');
    const alternatives = await invoke(people.maria, 'barnteam.flytta', flytta.data);
    const [first, second] = listChoices(alternatives, 'newSlot').filter(
      (start) => Date.parse(start) !== Date.parse(meeting.start),
    );
    if (first === undefined || second === undefined) throw new Error('För få tider att flytta till');
    const staleData = findAction(alternatives, 'barnteam.flytta').data;
    await invoke(people.maria, 'barnteam.flytta', { ...staleData, newSlot: first });

    const answer = await invoke(people.maria, 'barnteam.flytta', { ...staleData, newSlot: second });

    const text = JSON.stringify(answer);
    expect(text).toContain('Mötet har ändrats sedan kortet visades');
    expect(text).toContain('barnteam.flytta');
    const current = await teams.stores.meetings.get(meeting.id);
    expect(Date.parse(current?.value.start ?? '')).toBe(Date.parse(first));
    expect(findAction(answer, 'barnteam.flytta').data.etag).toBe(current?.etag);
    const busy = await readOrganizerBusy(meeting);
    expect(isBusyAt(busy, second)).toBe(false);
  });

  it('refuses anyone but the convener, and the meeting stays where it was', async () => {
    const { card, meeting, reference } = await bookFirstSlot();
    const flytta = findAction(card, 'barnteam.flytta');
    const later = new Date(Date.parse(meeting.start) + 24 * 60 * 60_000).toISOString();

    const lookedUp = await invoke(people.sara, 'barnteam.flytta', flytta.data);
    const moved = await invoke(people.sara, 'barnteam.flytta', { ...flytta.data, newSlot: later });

    for (const answer of [lookedUp, moved]) {
      const text = JSON.stringify(answer);
      expect(text).toContain('Åtgärden nekades');
      expect(text).toContain('Bara den Barnkontakt som sammankallar Barnteamet');
      expect(text).not.toContain(reference);
    }
    expect((await readMeeting(meeting.id)).start).toBe(meeting.start);
    const busy = await readOrganizerBusy(meeting);
    expect(isBusyAt(busy, meeting.start)).toBe(true);
    expect(isBusyAt(busy, later)).toBe(false);
  });
});

describe('cancelling a booked Barnteam', () => {
  it('cancels the meeting, frees the calendar time and cancels the reminders', async () => {
    const { card, meeting } = await bookFirstSlot();
    expect(listMeetingReminders(meeting.id).some((reminder) => reminder.status === 'scheduled')).toBe(true);

    const answer = await invoke(people.maria, 'barnteam.stall', {
      ...findAction(card, 'barnteam.stall').data,
      cancelReason: 'Familjen har flyttat.',
    });

    expect(JSON.stringify(answer)).toContain('Barnteam är inställt.');
    expect((await readMeeting(meeting.id)).state).toBe('cancelled');
    expect(isBusyAt(await readOrganizerBusy(meeting), meeting.start)).toBe(false);
    const reminders = listMeetingReminders(meeting.id);
    expect(reminders.length).toBeGreaterThan(0);
    expect(reminders.filter((reminder) => reminder.status === 'scheduled')).toEqual([]);
  });
});

describe('the outcome for the child', () => {
  it('stores the proposed support and schedules the follow-up after a member has rated', async () => {
    const { meeting, caseId } = await bookFirstSlot();
    const rated = await invoke(people.karin, 'skattning.spara', {
      meetingId: meeting.id,
      caseId,
      ...buildSkattningAnswers({ rating_maBra: '1', comment_maBra: 'Ofta frånvarande.' }),
    });
    const utfall = findAction(rated, 'barnteam.utfall');

    const answer = await invoke(people.maria, 'barnteam.utfall', {
      ...utfall.data,
      outcome: 'stod',
      proposedSupport: 'Extra stöd i matematik två gånger i veckan.',
      supportBy: 'Specialpedagog',
      followUpDate: '2026-04-14',
    });

    expect(JSON.stringify(answer)).toContain('Utfallet är sparat.');
    const stored = (await teams.stores.cases.get(caseId))?.value as unknown as {
      state: string;
      barnteamUtfall?: { meetingId: string; followUpDate?: string; proposedSupport: unknown[] }[];
    };
    expect(stored.state).toBe('barnteam');
    expect(stored.barnteamUtfall).toHaveLength(1);
    expect(stored.barnteamUtfall?.[0]).toMatchObject({
      meetingId: meeting.id,
      followUpDate: '2026-04-14',
      proposedSupport: [{ what: 'Extra stöd i matematik två gånger i veckan.', byWhom: 'Specialpedagog' }],
    });
    const followUps = (await teams.stores.reminders.listForCase(caseId)).filter(
      (item) => item.value.kind === 'uppfoljningBarnteam',
    );
    expect(followUps).toHaveLength(1);
    expect(followUps[0]?.value).toMatchObject({
      status: 'scheduled',
      data: { meetingId: meeting.id, followUpDate: '2026-04-14' },
    });
    expect(followUps[0]?.value.dueAt.startsWith('2026-04-14')).toBe(true);
  });

  it('does not start an Individuellt barnteam without the updated written consent', async () => {
    const { meeting, caseId } = await bookFirstSlot();
    const rated = await invoke(people.karin, 'skattning.spara', {
      meetingId: meeting.id,
      caseId,
      ...buildSkattningAnswers(),
    });
    const before = await teams.stores.cases.get(caseId);

    const answer = await invoke(people.maria, 'barnteam.utfall', {
      ...findAction(rated, 'barnteam.utfall').data,
      outcome: 'individuelltBarnteam',
    });

    const text = JSON.stringify(answer);
    expect(text).toContain('Uppdaterat skriftligt samtycke saknas');
    expect(text).toContain('barnteam.utfall');
    const after = await teams.stores.cases.get(caseId);
    expect(after?.value.state).toBe('barnteam');
    expect(after?.etag).toBe(before?.etag);
  });
});

describe('a withdrawn consent after booking', () => {
  it('stops the case, takes the child off the agenda and cancels the case reminders', async () => {
    const { meeting, caseId } = await bookFirstSlot();
    const withReminders = await teams.stores.reminders.listForCase(caseId);
    expect(withReminders.some((item) => item.value.status === 'scheduled')).toBe(true);
    const current = await teams.stores.cases.get(caseId);

    const answer = await invoke(people.maria, 'samtycke.aterkalla', {
      caseId,
      etag: current?.etag,
      withdrawnBy: 'vardnadshavare',
      withdrawalConfirmed: 'true',
    });

    expect(JSON.stringify(answer)).toContain('Sparat.');
    expect((await teams.stores.cases.get(caseId))?.value.state).toBe('samtyckeAterkallat');
    const item = (await readMeeting(meeting.id)).agenda.find((candidate) => candidate.caseId === caseId);
    expect(item?.removedAt).toBeDefined();
    const reminders = await teams.stores.reminders.listForCase(caseId);
    expect(reminders.length).toBeGreaterThan(0);
    expect(reminders.filter((reminder) => reminder.value.status === 'scheduled')).toEqual([]);
  });
});

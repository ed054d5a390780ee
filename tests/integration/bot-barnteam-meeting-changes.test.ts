/**
 * Changes to a booked Barnteam through the real HTTP endpoint in production mode (signed channel
 * tokens, the Bot Connector faked by nock) and the embedded calendar on a temp file: the convener
 * moves or cancels the meeting, records its outcome for the child, and a withdrawn consent takes
 * the child off the agenda.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { skattningsformularInputIds } from '../../cards/barnteam/skattningsformular.js';
import type { BusyBlock } from '../../flows/kernel/calendar.js';
import type { BarnteamMeeting, Clock, Reminder } from '../../flows/kernel/ports.js';
import { type EmbeddedCalendar, openEmbeddedCalendar } from '../../infra/calendar/embedded-calendar.js';
import { buildCase, buildConsent, buildRole, defaultRoles, units } from '../fixtures/case-fixtures.js';
import {
  buildActionExecute,
  buildTeamsMessage,
  nextActivityId,
  type Person,
  people,
} from '../support/bot-activities.js';
import {
  closeNetworkExceptLoopback,
  fakeTeamsConnector,
  postAsTeams,
  productionTestConfig,
  type RunningBot,
  sampleTenantId,
  startBotWith,
} from '../support/bot-harness.js';
import {
  createSigningKey,
  type SigningKey,
  serveBotFrameworkKeys,
  serveEntraClientCredentials,
} from '../support/bot-tokens.js';
import { createInMemoryStores, type InMemoryStores } from '../support/in-memory-stores.js';

/** Tuesday 3 March 2026, 10:00 in Stockholm: a working day in term time. */
const clock: Clock = { now: () => new Date('2026-03-03T09:00:00.000Z') };
const caseId = 'arende-andring-0001';
const reference = 'BB-8MHR-4VQN';
/** Karin Sjöberg, skolsköterska: a member of Björkskolan's Barnteam in the sample directory. */
const karin = { id: '29:karin', aadObjectId: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e21', name: 'Karin Sjöberg' };

let key: SigningKey;
let bot: RunningBot<InMemoryStores>;
let calendar: EmbeddedCalendar;
let calendarDir: string;

interface InvokeAnswer {
  readonly statusCode: number;
  readonly type: string;
  readonly value: Record<string, unknown>;
}

beforeAll(async () => {
  closeNetworkExceptLoopback();
  key = await createSigningKey('bf-key-issue4-meeting-changes');
});

beforeEach(async () => {
  serveBotFrameworkKeys([key]);
  serveEntraClientCredentials(sampleTenantId);
  fakeTeamsConnector();
  calendarDir = mkdtempSync(join(tmpdir(), 'backa-kalender-'));
  calendar = openEmbeddedCalendar({ path: join(calendarDir, 'kalender.sqlite') });
  bot = await startBotWith(productionTestConfig, { stores: createInMemoryStores(), clock, calendar });
  for (const person of [people.alex, people.maria, people.sara]) {
    await postAsTeams(bot, key, buildTeamsMessage('hjälp', { person }));
  }
  await bot.stores.cases.create(
    buildCase({
      id: caseId,
      reference,
      state: 'barnteam',
      consents: [buildConsent('muntligt'), buildConsent('skriftligt')],
      // An Upptäckare the directory knows, so the booking invites them and files their reminders
      // under the case (the ones a withdrawn consent must stop).
      roles: [
        buildRole({
          userId: people.johan.aadObjectId,
          role: 'upptackare',
          displayName: people.johan.name,
          unitId: units.bjorkskolan,
        }),
        ...defaultRoles().filter((role) => role.role !== 'upptackare'),
      ],
    }),
  );
});

afterEach(async () => {
  await bot.stop();
  calendar.close();
  rmSync(calendarDir, { recursive: true, force: true });
  nock.cleanAll();
});

afterAll(() => nock.enableNetConnect());

async function invoke(person: Person, verb: string, data: Record<string, unknown>) {
  const response = await postAsTeams(
    bot,
    key,
    buildActionExecute(verb, data, { person, id: nextActivityId() }),
  );
  expect(response.status).toBe(200);
  const answer = (await response.json()) as InvokeAnswer;
  expect(answer).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  return answer.value;
}

/** An invoke from a Barnteam member who is not one of the harness's people. */
async function invokeAs(from: typeof karin, verb: string, data: Record<string, unknown>) {
  const activity = {
    ...buildActionExecute(verb, data, { person: people.maria, id: nextActivityId() }),
    from,
  };
  const response = await postAsTeams(bot, key, activity);
  expect(response.status).toBe(200);
  return ((await response.json()) as InvokeAnswer).value;
}

/** Every `Action.Execute` of a card, at any depth. */
function listActions(card: unknown): { verb: string; data: Record<string, unknown> }[] {
  const found: { verb: string; data: Record<string, unknown> }[] = [];
  const visit = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach(visit);
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Execute' && typeof record.verb === 'string') {
      found.push({ verb: record.verb, data: (record.data ?? {}) as Record<string, unknown> });
    }
    Object.values(record).forEach(visit);
  };
  visit(card);
  return found;
}

function findAction(card: unknown, verb: string) {
  const action = listActions(card).find((item) => item.verb === verb);
  if (action === undefined) throw new Error(`Kortet saknar ${verb}`);
  return action;
}

/** The choices of the `Input.ChoiceSet` with this id. */
function listChoices(card: unknown, id: string): string[] {
  const found: string[] = [];
  const visit = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach(visit);
    const record = node as Record<string, unknown>;
    if (record.type === 'Input.ChoiceSet' && record.id === id && Array.isArray(record.choices)) {
      for (const choice of record.choices as { value?: unknown }[]) found.push(String(choice.value));
    }
    Object.values(record).forEach(visit);
  };
  visit(card);
  return found;
}

/**
 * Maria proposes times for the child and books the first one on a later day (so that its
 * reminders are still to come); returns the Barnteam bokat card.
 */
async function bookFirstSlot(): Promise<{ card: Record<string, unknown>; meeting: BarnteamMeeting }> {
  const opened = await invoke(people.maria, 'barnteam.visa', { caseId });
  const foresla = findAction(opened, 'barnteam.foreslaTider');
  const proposed = await invoke(people.maria, 'barnteam.foreslaTider', {
    ...foresla.data,
    agendaCaseIds: caseId,
  });
  const halfADayAhead = clock.now().getTime() + 12 * 60 * 60_000;
  const slot = listChoices(proposed, 'slot').find((start) => Date.parse(start) >= halfADayAhead);
  if (slot === undefined) throw new Error('Ingen tid föreslogs en senare dag');
  const boka = findAction(proposed, 'barnteam.boka');
  const card = await invoke(people.maria, 'barnteam.boka', { ...boka.data, agendaCaseIds: caseId, slot });
  const meeting = bot.stores.snapshot().meetings[0];
  if (meeting === undefined) throw new Error('Inget möte bokades');
  expect(meeting.state).toBe('booked');
  return { card, meeting };
}

async function readMeeting(meetingId: string): Promise<BarnteamMeeting> {
  const stored = await bot.stores.meetings.get(meetingId);
  if (stored === undefined) throw new Error('Mötet finns inte');
  return stored.value;
}

/** The organiser's busy blocks over the next weeks, as the calendar answers a free/busy lookup. */
async function readOrganizerBusy(meeting: BarnteamMeeting): Promise<BusyBlock[]> {
  const organizer = meeting.calendar?.organizer;
  if (organizer === undefined) throw new Error('Mötet har ingen kalenderhändelse');
  const [schedule] = await calendar.getSchedules({
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
  return bot.stores.snapshot().reminders.filter((reminder) => reminder.data.meetingId === meetingId);
}

function ratings(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    skattningsformularInputIds.map((id) => [id, values[id] ?? (id.startsWith('rating_') ? '3' : '')]),
  );
}

describe('moving a booked Barnteam', () => {
  it('moves the meeting, its calendar event and its reminders to another proposed time', async () => {
    const { card, meeting } = await bookFirstSlot();
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
    const caseReminders = await bot.stores.reminders.listForCase(caseId);
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
    const current = await bot.stores.meetings.get(meeting.id);
    expect(Date.parse(current?.value.start ?? '')).toBe(Date.parse(first));
    expect(findAction(answer, 'barnteam.flytta').data.etag).toBe(current?.etag);
    const busy = await readOrganizerBusy(meeting);
    expect(isBusyAt(busy, second)).toBe(false);
  });

  it('refuses anyone but the convener, and the meeting stays where it was', async () => {
    const { card, meeting } = await bookFirstSlot();
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
    const { meeting } = await bookFirstSlot();
    const rated = await invokeAs(karin, 'skattning.spara', {
      meetingId: meeting.id,
      caseId,
      ...ratings({ rating_maBra: '1', comment_maBra: 'Ofta frånvarande.' }),
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
    const stored = (await bot.stores.cases.get(caseId))?.value as unknown as {
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
    const followUps = (await bot.stores.reminders.listForCase(caseId)).filter(
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
    const { meeting } = await bookFirstSlot();
    const rated = await invokeAs(karin, 'skattning.spara', { meetingId: meeting.id, caseId, ...ratings({}) });
    const before = await bot.stores.cases.get(caseId);

    const answer = await invoke(people.maria, 'barnteam.utfall', {
      ...findAction(rated, 'barnteam.utfall').data,
      outcome: 'individuelltBarnteam',
    });

    const text = JSON.stringify(answer);
    expect(text).toContain('Uppdaterat skriftligt samtycke saknas');
    expect(text).toContain('barnteam.utfall');
    const after = await bot.stores.cases.get(caseId);
    expect(after?.value.state).toBe('barnteam');
    expect(after?.etag).toBe(before?.etag);
  });
});

describe('a withdrawn consent after booking', () => {
  it('stops the case, takes the child off the agenda and cancels the case reminders', async () => {
    const { meeting } = await bookFirstSlot();
    const withReminders = await bot.stores.reminders.listForCase(caseId);
    expect(withReminders.some((item) => item.value.status === 'scheduled')).toBe(true);
    const current = await bot.stores.cases.get(caseId);

    const answer = await invoke(people.maria, 'samtycke.aterkalla', {
      caseId,
      etag: current?.etag,
      withdrawnBy: 'vardnadshavare',
      withdrawalConfirmed: 'true',
    });

    expect(JSON.stringify(answer)).toContain('Sparat.');
    expect((await bot.stores.cases.get(caseId))?.value.state).toBe('samtyckeAterkallat');
    const item = (await readMeeting(meeting.id)).agenda.find((candidate) => candidate.caseId === caseId);
    expect(item?.removedAt).toBeDefined();
    const reminders = await bot.stores.reminders.listForCase(caseId);
    expect(reminders.length).toBeGreaterThan(0);
    expect(reminders.filter((reminder) => reminder.value.status === 'scheduled')).toEqual([]);
  });
});

/**
 * Delivering the notices of samtal, Beslut and Barnteam through the real CloudAdapter to a nock'd Bot Connector: the
 * Barnteam reminder card to a member (children by initials and reference only), a reminder for a
 * cancelled meeting that is dropped, the Upptäckare's news of a Beslut without its content, and
 * a due `paminnelseBarnteam` reminder that the background work turns into a delivered card.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { planMeetingReminders } from '../../flows/barnteam/meeting-reminders.js';
import { buildNoticeMessage } from '../../flows/kernel/notices.js';
import type { BarnteamMeeting, Stores } from '../../flows/kernel/ports.js';
import { openSqliteStores } from '../../infra/store/sqlite-stores.js';
import { buildBarnteamDirectory, memberEmail, memberUserId, slot } from '../support/barnteam-fixtures.js';
import {
  createDeliveryStack,
  createTestClock,
  type FakeConnector,
  fileCard,
  interceptConnector,
  saveConversations,
  type TestClock,
} from '../support/bot-delivery-harness.js';
import { closeNetworkExceptLoopback } from '../support/bot-harness.js';
import { collectActions } from '../support/card-actions.js';
import { childIdentityNumber, filedAt, users } from '../support/flow-fixtures.js';

const directory = buildBarnteamDirectory();
const identityDigits = childIdentityNumber.replace('-', '');
const member = memberUserId(0);
const meetingId = 'barnteam-bjorkskolan-20250310';

let dir: string;
let stores: Stores;
let clock: TestClock;
let connector: FakeConnector;

beforeAll(() => closeNetworkExceptLoopback());
afterAll(() => nock.enableNetConnect());

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'backa-barnteam-notices-'));
  stores = openSqliteStores({ path: join(dir, 'backa.sqlite') });
  clock = createTestClock();
  connector = interceptConnector();
});

afterEach(async () => {
  await stores.close();
  nock.cleanAll();
  rmSync(dir, { recursive: true, force: true });
});

function requestsTo(userId: string) {
  return connector.requests.filter((request) => request.conversationId === `a:personal-${userId}`);
}

async function storeMeeting(caseId: string, state: BarnteamMeeting['state']): Promise<BarnteamMeeting> {
  const stored = await fileCaseReference(caseId);
  const meeting: BarnteamMeeting = {
    id: meetingId,
    unitId: 'bjorkskolan',
    convenerUserId: users.barnkontakt,
    state,
    start: slot.start,
    end: slot.end,
    calendar: {
      organizer: 'rektor-bjorkskolan@exempelby.se',
      eventId: 'event-1',
      joinUrl: 'https://teams.microsoft.com/l/meetup-join/exempel',
    },
    agenda: [{ caseId, reference: stored, initials: 'T.E.' }],
    members: [{ userId: member, email: memberEmail('skolskoterska'), role: 'elevhalsa', required: true }],
    createdAt: filedAt,
    updatedAt: filedAt,
  };
  await stores.meetings.create(meeting);
  return meeting;
}

async function fileCaseReference(caseId: string): Promise<string> {
  const stored = await stores.cases.get(caseId);
  if (stored === undefined) throw new Error('ärendet saknas');
  return stored.value.reference;
}

async function enqueueReminderNotice(caseId: string): Promise<void> {
  await stores.outbox.enqueue(
    buildNoticeMessage({
      id: `paminnelse-${meetingId}`,
      kind: 'barnteamPaminnelse',
      caseId,
      recipientKey: member,
      data: { meetingId, offset: 'P1D', meetingStart: slot.start },
      at: clock.now().toISOString(),
    }),
  );
}

describe('the Barnteam reminder', () => {
  it('reaches the member as one card with a "Fyll i skattning" button per child and no child identity', async () => {
    await saveConversations(stores, [member]);
    const caseId = await fileCard(stores, directory, clock);
    const reference = await fileCaseReference(caseId);
    await storeMeeting(caseId, 'booked');
    await enqueueReminderNotice(caseId);
    const delivery = await createDeliveryStack({ stores, directory, clock });

    await delivery.work.runOnce();

    const sent = requestsTo(member);
    expect(sent).toHaveLength(1);
    const body = sent[0]?.body ?? {};
    const [attachment] = body.attachments as { contentType: string; content: unknown }[];
    expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const buttons = collectActions(attachment?.content).map((action) => String(action.title));
    expect(buttons).toContain(`Fyll i skattning för ${reference} (T.E.)`);
    const text = JSON.stringify(body);
    expect(text).toContain('Barnteam Björkskolan');
    expect(text).toContain('kl. 09:00–10:00');
    expect(text).not.toContain('Testbarn');
    expect(text).not.toContain('Exempel ');
    expect(text).not.toContain(identityDigits);
    expect(text).not.toContain(childIdentityNumber);
  });

  it('still reaches the team when the child it is filed under left the agenda after a withdrawn consent', async () => {
    await saveConversations(stores, [member]);
    const withdrawnCaseId = await fileCard(stores, directory, clock);
    const otherCaseId = await fileCard(stores, directory, clock, {
      draftId: '8d1c5f20-3b6a-4c7e-9f01-2a3b4c5d6e7f',
    });
    const otherReference = await fileCaseReference(otherCaseId);
    const meeting = await storeMeeting(withdrawnCaseId, 'booked');
    const stored = await stores.meetings.get(meeting.id);
    if (stored === undefined) throw new Error('mötet saknas');
    await stores.meetings.replace(
      {
        ...stored.value,
        agenda: [
          { ...meeting.agenda[0], removedAt: clock.now().toISOString() } as BarnteamMeeting['agenda'][number],
          { caseId: otherCaseId, reference: otherReference, initials: 'A.B.' },
        ],
      },
      stored.etag,
    );
    const withdrawn = await stores.cases.get(withdrawnCaseId);
    if (withdrawn === undefined) throw new Error('ärendet saknas');
    await stores.cases.replace({ ...withdrawn.value, state: 'samtyckeAterkallat' }, withdrawn.etag);
    await enqueueReminderNotice(withdrawnCaseId);
    const delivery = await createDeliveryStack({ stores, directory, clock });

    await delivery.work.runOnce();

    const sent = requestsTo(member);
    expect(sent).toHaveLength(1);
    const text = JSON.stringify(sent[0]?.body ?? {});
    expect(text).toContain(`Fyll i skattning för ${otherReference} (A.B.)`);
    expect(text).not.toContain('T.E.');
  });

  it('is dropped when the meeting was cancelled: nothing reaches the Bot Connector', async () => {
    await saveConversations(stores, [member]);
    const caseId = await fileCard(stores, directory, clock);
    await storeMeeting(caseId, 'cancelled');
    await enqueueReminderNotice(caseId);
    const delivery = await createDeliveryStack({ stores, directory, clock });

    await delivery.work.runOnce();

    expect(connector.requests).toEqual([]);
    expect((await stores.outbox.get(`paminnelse-${meetingId}`))?.value.status).toBe('dropped');
  });

  it('is delivered when its reminder comes due in the background work', async () => {
    await saveConversations(stores, [member]);
    const caseId = await fileCard(stores, directory, clock);
    const meeting = await storeMeeting(caseId, 'booked');
    const [reminder, ...more] = planMeetingReminders(meeting, [{ days: 1, minutes: 0 }], filedAt);
    expect(more).toEqual([]);
    if (reminder === undefined) throw new Error('ingen påminnelse planerad');
    await stores.reminders.schedule(reminder);
    const delivery = await createDeliveryStack({ stores, directory, clock });

    await delivery.work.runOnce();
    expect(requestsTo(member)).toEqual([]);

    clock.set(reminder.dueAt);
    await delivery.work.runOnce();

    const sent = requestsTo(member);
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0]?.body)).toContain('Påminnelse: Barnteam i morgon');
  });
});

describe('a Beslut', () => {
  it('reaches the Upptäckare as a text with the reference and date, not what was decided', async () => {
    // The Barnkontakt has the app too: otherwise the Upptäckare is also told the card waits.
    await saveConversations(stores, [users.upptackare, users.barnkontakt]);
    const caseId = await fileCard(stores, directory, clock);
    const reference = await fileCaseReference(caseId);
    await stores.outbox.enqueue(
      buildNoticeMessage({
        id: `beslut-${caseId}-1`,
        kind: 'beslutFattat',
        caseId,
        recipientKey: users.upptackare,
        data: { beslutNo: 1, at: '2025-03-06T09:30:00.000Z' },
        at: clock.now().toISOString(),
      }),
    );
    const delivery = await createDeliveryStack({ stores, directory, clock });

    await delivery.work.runOnce();

    const sent = connector.to(users.upptackare);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body.text).toBe(
      `Barnkontakten har fattat beslut om ditt Upptäckarkort ${reference} den 6 mars 2025.`,
    );
    expect(sent[0]?.body.attachments ?? []).toEqual([]);
  });
});

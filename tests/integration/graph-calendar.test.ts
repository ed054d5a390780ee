/**
 * The Graph calendar against Microsoft Graph and Entra ID intercepted with nock, answering in
 * the documented shapes (calendar-getschedule, scheduleinformation, user-post-events,
 * event-cancel, the client-credential token response). Nothing leaves the machine.
 *
 * The contract suite runs against a small simulation of Graph's calendar (state behind nock);
 * the tests below it pin the exact requests and the handling of throttling and bad answers.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readAttendeeAnswers } from '../../flows/barnteam/attendee-answers.js';
import { bookBarnteam, proposeBarnteamSlots, toMeetingId } from '../../flows/barnteam/book-barnteam.js';
import { bookTeamMeeting, proposeTeamMeeting } from '../../flows/individuellt-barnteam/book-team-meeting.js';
import { addTeamMember } from '../../flows/individuellt-barnteam/team-members.js';
import type { AttendeeResponse, Calendar } from '../../flows/kernel/calendar.js';
import { createGraphCalendar } from '../../infra/graph/graph-calendar.js';
import { createGraphClient, GraphError } from '../../infra/graph/graph-client.js';
import { createMsalTokenProvider } from '../../infra/graph/graph-token.js';
import {
  buildMeetingRequest,
  describeCalendarContract,
  members,
  organizer,
} from '../contract/calendar-contract.js';
import {
  bookingInput,
  buildBarnteamDirectoryAcrossOrganisations,
  convenerEmail,
  createBarnteamFlow,
  memberEmail,
  proposalId,
  proposedAt,
  rektor,
} from '../support/barnteam-fixtures.js';
import {
  createTeamFlow,
  startTeam,
  teamCaseId,
  rektor as teamRektor,
  startedAt as teamStartedAt,
} from '../support/team-fixtures.js';

const tenantId = '5e0b1d3a-7c2f-4b8e-9a61-3f4d2c1b0a99';
const clientId = '7a1c9e3b-2d4f-4e6a-8b0c-1d2e3f4a5b6c';
const loginHost = 'https://login.microsoftonline.com';
const graphHost = 'https://graph.microsoft.com';
const tokenPath = `/${tenantId}/oauth2/v2.0/token`;
const accessToken = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.test-graph-token.signature';

const getSchedulePath = /^\/v1\.0\/users\/[^/]+\/calendar\/getSchedule$/;
const eventsPath = /^\/v1\.0\/users\/[^/]+\/events$/;
const eventPath = /^\/v1\.0\/users\/[^/]+\/events\/[^/]+$/;
const cancelPath = /^\/v1\.0\/users\/[^/]+\/events\/[^/]+\/cancel$/;

let tokenRequests = 0;

/** Entra ID's client-credential answer, as the v2.0 token endpoint sends it. */
function interceptTokenEndpoint(): void {
  nock(loginHost)
    .persist()
    .post(tokenPath)
    // MSAL adds its own query parameters (client-request-id and the like).
    .query(true)
    .reply(() => {
      tokenRequests += 1;
      return [
        200,
        { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken },
      ];
    });
}

interface Harness {
  readonly calendar: Calendar;
  /** Every wait the client asked for, in order. */
  readonly sleeps: number[];
}

function createHarness(): Harness {
  const sleeps: number[] = [];
  const client = createGraphClient({
    // A fresh MSAL instance per test, so that its token cache starts empty.
    tokenProvider: createMsalTokenProvider({ tenantId, clientId, clientSecret: 'test-client-secret' }),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  });
  return { calendar: createGraphCalendar(client), sleeps };
}

interface SeenRequest {
  /** As sent, still percent-encoded: `/v1.0/users/a%40b.se/events`. */
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly prefer: string | null;
  readonly authorization: string | null;
}

/** nock 15 hands reply functions the fetch `Request`. */
async function readRequest(request: Request): Promise<SeenRequest> {
  const text = await request.text();
  return {
    path: new URL(request.url).pathname,
    body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>,
    prefer: request.headers.get('prefer'),
    authorization: request.headers.get('authorization'),
  };
}

/** The mailbox or event id in path segment `index` (`/v1.0/users/{3}/events/{5}`). */
function segmentOf(path: string, index: number): string {
  return decodeURIComponent(path.split('/')[index] ?? '');
}

/** `2025-03-10T09:00:00.000Z` as Graph writes it in UTC. */
function toGraphTime(instant: string): { dateTime: string; timeZone: string } {
  return { dateTime: `${instant.slice(0, 19)}.0000000`, timeZone: 'UTC' };
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
});

afterAll(() => {
  nock.enableNetConnect();
});

beforeEach(() => {
  tokenRequests = 0;
  interceptTokenEndpoint();
});

afterEach(() => {
  nock.cleanAll();
});

// --- The contract, against a simulation of Graph's calendar --------------------------------

interface SimulatedEvent {
  id: string;
  organizer: string;
  transactionId: string;
  start: string;
  end: string;
  attendees: string[];
  /** Graph's responseType per attendee, as the organizer's calendar reports it. */
  responses: Map<string, string>;
  cancelled: boolean;
}

const graphResponseOf: Record<AttendeeResponse, string> = {
  accepted: 'accepted',
  tentative: 'tentativelyAccepted',
  declined: 'declined',
  notAnswered: 'none',
};

function simulateGraphCalendar(): {
  givenBusy(mailbox: string, start: string, end: string): void;
  givenAnswer(eventId: string, mailbox: string, response: AttendeeResponse): void;
} {
  const events = new Map<string, SimulatedEvent>();
  const blocks: { mailbox: string; start: string; end: string }[] = [];
  const key = (mailbox: string) => mailbox.toLowerCase();
  const fromGraph = (value: { dateTime: string }) =>
    new Date(`${value.dateTime.slice(0, 23)}Z`).toISOString();
  const toEventJson = (event: SimulatedEvent) => ({
    id: event.id,
    webLink: `https://outlook.office365.com/owa/?itemid=${event.id}&exvsurl=1&path=/calendar/item`,
    start: toGraphTime(event.start),
    end: toGraphTime(event.end),
    isOnlineMeeting: true,
    onlineMeetingProvider: 'teamsForBusiness',
    onlineMeeting: {
      joinUrl: `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${event.id}%40thread.v2/0`,
    },
  });
  const notFound = [
    404,
    { error: { code: 'ErrorItemNotFound', message: 'The specified object was not found.' } },
  ];

  nock(graphHost)
    .persist()
    .post(getSchedulePath)
    .reply(async (request: Request) => {
      const body = (await readRequest(request)).body as unknown as {
        schedules: string[];
        startTime: { dateTime: string };
        endTime: { dateTime: string };
        availabilityViewInterval: number;
      };
      const startMs = Date.parse(fromGraph(body.startTime));
      const endMs = Date.parse(fromGraph(body.endTime));
      const value = body.schedules.map((mailbox) => {
        const items = [
          ...[...events.values()]
            .filter((event) => !event.cancelled)
            .filter((event) => event.organizer === key(mailbox) || event.attendees.includes(key(mailbox)))
            .map((event) => ({ start: event.start, end: event.end })),
          ...blocks.filter((block) => block.mailbox === key(mailbox)),
        ].filter((item) => Date.parse(item.start) < endMs && Date.parse(item.end) > startMs);
        let view = '';
        for (let slot = startMs; slot < endMs; slot += body.availabilityViewInterval * 60_000) {
          const slotEnd = slot + body.availabilityViewInterval * 60_000;
          const busy = items.some((item) => Date.parse(item.start) < slotEnd && Date.parse(item.end) > slot);
          view += busy ? '2' : '0';
        }
        return {
          scheduleId: mailbox,
          availabilityView: view,
          scheduleItems: items.map((item) => ({
            isPrivate: false,
            status: 'busy',
            start: toGraphTime(item.start),
            end: toGraphTime(item.end),
          })),
        };
      });
      return [200, { value }];
    })
    .post(eventsPath)
    .reply(async (request: Request) => {
      const seen = await readRequest(request);
      const body = seen.body as unknown as {
        transactionId: string;
        start: { dateTime: string };
        end: { dateTime: string };
        attendees: { emailAddress: { address: string } }[];
      };
      const organizerKey = key(segmentOf(seen.path, 3));
      // Graph's transactionId: a repeated create answers the event the first one made.
      const existing = [...events.values()].find(
        (event) => event.organizer === organizerKey && event.transactionId === body.transactionId,
      );
      if (existing) {
        return [201, toEventJson(existing)];
      }
      const event: SimulatedEvent = {
        id: `AAMkAGI1AAAt9AHj${events.size}AAA=`,
        organizer: organizerKey,
        transactionId: body.transactionId,
        start: fromGraph(body.start),
        end: fromGraph(body.end),
        attendees: body.attendees.map((attendee) => key(attendee.emailAddress.address)),
        responses: new Map(),
        cancelled: false,
      };
      events.set(event.id, event);
      return [201, toEventJson(event)];
    })
    .get(eventPath)
    .query({ $select: 'attendees' })
    .reply((request: Request) => {
      const event = events.get(segmentOf(new URL(request.url).pathname, 5));
      if (!event || event.cancelled) {
        return notFound;
      }
      return [
        200,
        {
          attendees: event.attendees.map((address) => ({
            type: 'required',
            status: { response: event.responses.get(address) ?? 'none', time: '0001-01-01T00:00:00Z' },
            emailAddress: { name: address, address },
          })),
        },
      ];
    })
    .patch(eventPath)
    .reply(async (request: Request) => {
      const seen = await readRequest(request);
      const event = events.get(segmentOf(seen.path, 5));
      if (!event || event.cancelled) {
        return notFound;
      }
      const body = seen.body as unknown as { start: { dateTime: string }; end: { dateTime: string } };
      event.start = fromGraph(body.start);
      event.end = fromGraph(body.end);
      return [200, toEventJson(event)];
    })
    .post(cancelPath)
    .reply((request: Request) => {
      const event = events.get(segmentOf(new URL(request.url).pathname, 5));
      // The organizer's cancelled meeting is gone from the calendar: a second cancel finds nothing.
      if (!event || event.cancelled) {
        return notFound;
      }
      event.cancelled = true;
      return [202, ''];
    });

  return {
    givenBusy(mailbox, start, end) {
      blocks.push({ mailbox: key(mailbox), start, end });
    },
    givenAnswer(eventId, mailbox, response) {
      events.get(eventId)?.responses.set(key(mailbox), graphResponseOf[response]);
    },
  };
}

let simulation: ReturnType<typeof simulateGraphCalendar> | undefined;

describeCalendarContract('Microsoft Graph (simulated behind nock)', {
  async open() {
    simulation = simulateGraphCalendar();
    return createHarness().calendar;
  },
  async givenBusy(mailbox, start, end) {
    simulation?.givenBusy(mailbox, start, end);
  },
  async givenAnswer(eventId, mailbox, response) {
    simulation?.givenAnswer(eventId, mailbox, response);
  },
});

// --- The exact requests and Graph's documented answers --------------------------------------

const window = { start: '2025-03-10T07:00:00.000Z', end: '2025-03-10T16:00:00.000Z' };

describe('Graph calendar: getSchedule', () => {
  it('asks for several schedules in UTC and reads busy blocks and availabilityView from the answer', async () => {
    const { calendar } = createHarness();
    const trio = ['kurator@exempelby.se', 'skolskoterska@exempelby.se', 'socialsekreterare@exempelby.se'];
    let sent: SeenRequest | undefined;
    nock(graphHost)
      .post(getSchedulePath)
      .reply(async (request: Request) => {
        sent = await readRequest(request);
        return [
          200,
          {
            '@odata.context':
              'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)',
            value: [
              {
                scheduleId: 'Kurator@exempelby.se',
                availabilityView: '111000222',
                scheduleItems: [
                  {
                    isPrivate: false,
                    status: 'Tentative',
                    subject: 'Elevhälsomöte',
                    start: { dateTime: '2025-03-10T07:00:00.0000000', timeZone: 'UTC' },
                    end: { dateTime: '2025-03-10T10:00:00.0000000', timeZone: 'UTC' },
                  },
                  {
                    status: 'busy',
                    start: { dateTime: '2025-03-10T13:00:00.0000000', timeZone: 'UTC' },
                    end: { dateTime: '2025-03-10T16:00:00.0000000', timeZone: 'UTC' },
                  },
                ],
                workingHours: {
                  daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
                  startTime: '08:00:00.0000000',
                  endTime: '17:00:00.0000000',
                  timeZone: { name: 'W. Europe Standard Time' },
                },
              },
              {
                scheduleId: 'skolskoterska@exempelby.se',
                availabilityView: '000003300',
                scheduleItems: [
                  {
                    status: 'oof',
                    start: { dateTime: '2025-03-10T12:00:00.0000000', timeZone: 'UTC' },
                    end: { dateTime: '2025-03-10T14:00:00.0000000', timeZone: 'UTC' },
                  },
                  {
                    status: 'free',
                    start: { dateTime: '2025-03-10T15:00:00.0000000', timeZone: 'UTC' },
                    end: { dateTime: '2025-03-10T15:30:00.0000000', timeZone: 'UTC' },
                  },
                ],
              },
              {
                scheduleId: 'socialsekreterare@exempelby.se',
                error: {
                  message: 'Failed to get free/busy data for the user.',
                  responseCode: 'ErrorMailRecipientNotFound',
                },
              },
            ],
          },
        ];
      });

    const schedules = await calendar.getSchedules({ mailboxes: trio, ...window, intervalMinutes: 60 });

    expect(sent).toEqual({
      path: '/v1.0/users/kurator%40exempelby.se/calendar/getSchedule',
      body: {
        schedules: trio,
        startTime: { dateTime: '2025-03-10T07:00:00.0000000', timeZone: 'UTC' },
        endTime: { dateTime: '2025-03-10T16:00:00.0000000', timeZone: 'UTC' },
        availabilityViewInterval: 60,
      },
      prefer: 'outlook.timezone="UTC"',
      authorization: `Bearer ${accessToken}`,
    });
    expect(schedules).toEqual([
      {
        mailbox: 'kurator@exempelby.se',
        availabilityView: '111000222',
        busy: [
          { start: '2025-03-10T07:00:00.000Z', end: '2025-03-10T10:00:00.000Z', status: 'tentative' },
          { start: '2025-03-10T13:00:00.000Z', end: '2025-03-10T16:00:00.000Z', status: 'busy' },
        ],
      },
      {
        mailbox: 'skolskoterska@exempelby.se',
        availabilityView: '000003300',
        busy: [{ start: '2025-03-10T12:00:00.000Z', end: '2025-03-10T14:00:00.000Z', status: 'oof' }],
      },
      {
        mailbox: 'socialsekreterare@exempelby.se',
        availabilityView: '',
        busy: [],
        error: 'ErrorMailRecipientNotFound',
      },
    ]);
  });

  it('looks up 25 mailboxes in exactly 2 calls of at most 20', async () => {
    const { calendar } = createHarness();
    const mailboxes = Array.from({ length: 25 }, (_, index) => `medlem${index + 1}@exempelby.se`);
    const batches: string[][] = [];
    nock(graphHost)
      .post(getSchedulePath)
      .times(2)
      .reply(async (request: Request) => {
        const schedules = (await readRequest(request)).body.schedules as string[];
        batches.push(schedules);
        return [
          200,
          {
            value: schedules.map((scheduleId) => ({ scheduleId, availabilityView: '0', scheduleItems: [] })),
          },
        ];
      });

    const schedules = await calendar.getSchedules({ mailboxes, ...window, intervalMinutes: 540 });

    expect(batches.map((batch) => batch.length).sort((a, b) => a - b)).toEqual([5, 20]);
    expect(batches.flat().sort()).toEqual([...mailboxes].sort());
    expect(schedules.map((schedule) => schedule.mailbox)).toEqual(mailboxes);
    expect(nock.pendingMocks().filter((mock) => !mock.includes('login.microsoftonline.com'))).toEqual([]);
  });

  it('asks Entra ID for a token once for several calls', async () => {
    const { calendar } = createHarness();
    const authorizations: unknown[] = [];
    nock(graphHost)
      .persist()
      .post(getSchedulePath)
      .reply(async (request: Request) => {
        const seen = await readRequest(request);
        authorizations.push(seen.authorization);
        const schedules = seen.body.schedules as string[];
        return [
          200,
          {
            value: schedules.map((scheduleId) => ({ scheduleId, availabilityView: '0', scheduleItems: [] })),
          },
        ];
      });
    const mailboxes = Array.from({ length: 45 }, (_, index) => `medlem${index + 1}@exempelby.se`);

    // Three chunks in parallel, then two calls one after the other.
    await calendar.getSchedules({ mailboxes, ...window, intervalMinutes: 540 });
    await calendar.getSchedules({ mailboxes: [organizer], ...window, intervalMinutes: 540 });
    await calendar.getSchedules({ mailboxes: [organizer], ...window, intervalMinutes: 540 });

    expect(authorizations).toHaveLength(5);
    expect(new Set(authorizations)).toEqual(new Set([`Bearer ${accessToken}`]));
    expect(tokenRequests).toBe(1);
  });
});

describe('Graph calendar: creating the meeting', () => {
  it('creates the event with a Teams meeting, a transactionId and UTC times, and returns the join link', async () => {
    const { calendar } = createHarness();
    let sent: Record<string, unknown> | undefined;
    nock(graphHost)
      .post('/v1.0/users/rektor.bjorkskolan%40exempelby.se/events')
      .reply(async (request: Request) => {
        sent = (await readRequest(request)).body;
        return [
          201,
          {
            '@odata.context':
              "https://graph.microsoft.com/v1.0/$metadata#users('rektor.bjorkskolan%40exempelby.se')/events/$entity",
            '@odata.etag': 'W/"ZlnW4RIAV06KYYwlrfNZvQAALfZeRQ=="',
            id: 'AAMkAGI1AAAt9AHjAAA=',
            subject: 'Barnteam Björkskolan – 2 ärenden',
            isOnlineMeeting: true,
            onlineMeetingProvider: 'teamsForBusiness',
            webLink:
              'https://outlook.office365.com/owa/?itemid=AAMkAGI1AAAt9AHjAAA%3D&exvsurl=1&path=/calendar/item',
            start: { dateTime: '2025-03-10T09:00:00.0000000', timeZone: 'UTC' },
            end: { dateTime: '2025-03-10T10:00:00.0000000', timeZone: 'UTC' },
            onlineMeeting: {
              joinUrl:
                'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzIyNzhlMGEtM2YyZC00ZmY0LTlhNzUtZmZjNWFmZGNlNzE2%40thread.v2/0',
            },
            transactionId: 'barnteam-unit-1-2025-03-10T09:00',
          },
        ];
      });

    const meeting = await calendar.createMeeting(buildMeetingRequest());

    expect(sent).toEqual({
      subject: 'Barnteam Björkskolan – 2 ärenden',
      body: { contentType: 'HTML', content: '<p>Dagordning: A.B. (BB-2025-0007)</p>' },
      start: { dateTime: '2025-03-10T09:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2025-03-10T10:00:00.0000000', timeZone: 'UTC' },
      attendees: members.map((address, index) => ({
        emailAddress: { address, name: `Medlem ${index + 1}` },
        type: 'required',
      })),
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      isReminderOn: true,
      reminderMinutesBeforeStart: 1440,
      transactionId: 'barnteam-unit-1-2025-03-10T09:00',
      allowNewTimeProposals: false,
    });
    expect(meeting).toEqual({
      eventId: 'AAMkAGI1AAAt9AHjAAA=',
      joinUrl:
        'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzIyNzhlMGEtM2YyZC00ZmY0LTlhNzUtZmZjNWFmZGNlNzE2%40thread.v2/0',
      webLink:
        'https://outlook.office365.com/owa/?itemid=AAMkAGI1AAAt9AHjAAA%3D&exvsurl=1&path=/calendar/item',
      start: '2025-03-10T09:00:00.000Z',
      end: '2025-03-10T10:00:00.000Z',
    });
  });

  it('books a Barnteam of 8 members with exactly 2 Graph calls (free/busy + create)', async () => {
    const { calendar } = createHarness();
    const recorded: { method: string; path: string; prefer: string | null; body: unknown }[] = [];
    const barnteam = [
      'rektor.bjorkskolan@exempelby.se',
      'bitr.rektor.bjorkskolan@exempelby.se',
      'kurator.bjorkskolan@exempelby.se',
      'skolskoterska.bjorkskolan@exempelby.se',
      'specialpedagog.bjorkskolan@exempelby.se',
      'socialsekreterare.mottagning@exempelby.se',
      'bvc.skoterska@exempelby.se',
      'kommunpolis@polisen.exempel.se',
    ];
    nock(graphHost)
      .post(getSchedulePath)
      .reply(async (request: Request) => {
        const seen = await readRequest(request);
        recorded.push({ method: request.method, path: seen.path, prefer: seen.prefer, body: seen.body });
        const schedules = seen.body.schedules as string[];
        return [
          200,
          {
            value: schedules.map((scheduleId) => ({
              scheduleId,
              availabilityView: '000000000',
              scheduleItems: [],
            })),
          },
        ];
      })
      .post(eventsPath)
      .reply(async (request: Request) => {
        const seen = await readRequest(request);
        recorded.push({ method: request.method, path: seen.path, prefer: seen.prefer, body: seen.body });
        return [
          201,
          {
            id: 'AAMkAGI1AAAt9AHjBBB=',
            start: { dateTime: '2025-03-12T12:00:00.0000000', timeZone: 'UTC' },
            end: { dateTime: '2025-03-12T13:30:00.0000000', timeZone: 'UTC' },
            onlineMeeting: {
              joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_B%40thread.v2/0',
            },
          },
        ];
      });

    const [convener] = barnteam as [string];
    const schedules = await calendar.getSchedules({
      mailboxes: barnteam,
      start: '2025-03-10T07:00:00.000Z',
      end: '2025-03-24T16:00:00.000Z',
      intervalMinutes: 30,
      organizer: convener,
    });
    const meeting = await calendar.createMeeting({
      organizer: convener,
      subject: 'Barnteam Björkskolan 12 mars',
      bodyHtml:
        '<h2>Dagordning</h2><ol><li>Inledning</li><li>A.B. (BB-2025-0007)</li><li>C.D. (BB-2025-0011)</li><li>Uppföljning och nästa möte</li></ol>',
      start: '2025-03-12T12:00:00.000Z',
      end: '2025-03-12T13:30:00.000Z',
      attendees: barnteam
        .slice(1)
        .map((email, index) => ({ email, name: `Barnteamsmedlem ${index + 1}`, type: 'required' })),
      reminderMinutesBeforeStart: 1440,
      transactionId: 'barnteam:bjorkskolan:2025-03-12T12:00Z',
    });

    expect(schedules).toHaveLength(8);
    expect(meeting.joinUrl).toContain('https://teams.microsoft.com/l/meetup-join/');
    expect(recorded.map((request) => request.path)).toEqual([
      '/v1.0/users/rektor.bjorkskolan%40exempelby.se/calendar/getSchedule',
      '/v1.0/users/rektor.bjorkskolan%40exempelby.se/events',
    ]);
    expect(tokenRequests).toBe(1);

    // The recorded requests, for whoever reads them, in the repository's gitignored test-results/.
    const resultsDir = join(import.meta.dirname, '../../test-results');
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(
      join(resultsDir, 'graph-requests.json'),
      `${JSON.stringify(
        {
          note:
            'Booking a Barnteam of 8 members: the requests the bot sends to Microsoft Graph (recorded by tests/integration/graph-calendar.test.ts). ' +
            'Before them, one token request per ~hour: POST https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token (client credentials, scope https://graph.microsoft.com/.default; body not recorded: it holds the secret).',
          graphCalls: recorded.length,
          requests: recorded.map((request) => ({ ...request, url: `${graphHost}${request.path}` })),
        },
        null,
        2,
      )}\n`,
    );
  });
});

describe('Graph calendar: throttling, failures and bad answers', () => {
  const emptyAnswer = { value: [{ scheduleId: organizer, availabilityView: '0', scheduleItems: [] }] };
  const lookUp = (calendar: Calendar) =>
    calendar.getSchedules({ mailboxes: [organizer], ...window, intervalMinutes: 540 });

  it('waits at least Retry-After after a 429 and then succeeds', async () => {
    const { calendar, sleeps } = createHarness();
    const scope = nock(graphHost)
      .post(getSchedulePath)
      .reply(
        429,
        {
          error: {
            code: 'ApplicationThrottled',
            message: 'Application is over its MailboxConcurrency limit.',
          },
        },
        {
          'Retry-After': '7',
        },
      )
      .post(getSchedulePath)
      .reply(200, emptyAnswer);

    const [schedule] = await lookUp(calendar);

    expect(schedule?.error).toBeUndefined();
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(7_000);
    expect(scope.isDone()).toBe(true);
  });

  it('retries a 503 (with Retry-After), a 502 and a lost connection, then succeeds', async () => {
    const { calendar, sleeps } = createHarness();
    const scope = nock(graphHost)
      .post(getSchedulePath)
      .reply(
        503,
        { error: { code: 'ServiceUnavailable', message: 'Service Unavailable' } },
        { 'Retry-After': '2' },
      )
      .post(getSchedulePath)
      .reply(502, '<html>Bad gateway</html>')
      .post(getSchedulePath)
      .replyWithError('socket hang up')
      .post(getSchedulePath)
      .reply(200, emptyAnswer);

    const [schedule] = await lookUp(calendar);

    expect(schedule?.mailbox).toBe(organizer);
    expect(sleeps).toHaveLength(3);
    expect(sleeps[0]).toBeGreaterThanOrEqual(2_000);
    // Backoff without a Retry-After: positive and bounded by the policy's cap.
    for (const wait of sleeps.slice(1)) {
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(8_000);
    }
    expect(scope.isDone()).toBe(true);
  });

  it('gives up after a bounded number of attempts with the last status', async () => {
    const { calendar, sleeps } = createHarness();
    nock(graphHost)
      .post(getSchedulePath)
      .times(4)
      .reply(
        503,
        { error: { code: 'ServiceUnavailable', message: 'Service Unavailable' } },
        { 'Retry-After': '1' },
      );

    const error = await lookUp(calendar).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ status: 503, code: 'ServiceUnavailable', operation: 'getSchedule' });
    expect(sleeps).toHaveLength(3);
  });

  it('fails a 400 at once with Graph’s code and none of its message', async () => {
    const { calendar, sleeps } = createHarness();
    nock(graphHost)
      .post(eventsPath)
      .reply(
        400,
        {
          error: {
            code: 'ErrorInvalidRequest',
            message: 'Invalid attendee Anna Svensson <anna.svensson@exempelby.se> for Barnteam 811218-9876',
            innerError: { 'request-id': '81c1a558-aa52-4c7e-a0bf-0f0a11ec6ec1', date: '2025-03-10T08:00:00' },
          },
        },
        { 'request-id': '81c1a558-aa52-4c7e-a0bf-0f0a11ec6ec1' },
      );

    const error = await calendar.createMeeting(buildMeetingRequest()).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({
      status: 400,
      code: 'ErrorInvalidRequest',
      requestId: '81c1a558-aa52-4c7e-a0bf-0f0a11ec6ec1',
    });
    const text = `${(error as Error).message} ${JSON.stringify(error)}`;
    for (const leaked of ['Anna', 'Svensson', 'anna.svensson', '811218', 'Invalid attendee']) {
      expect(text).not.toContain(leaked);
    }
    expect(sleeps).toEqual([]);
  });

  it.each([
    ['a schedule without its id', { value: [{ availabilityView: '0', subject: 'Anna Svensson' }] }],
    [
      'times in another zone than asked for',
      {
        value: [
          {
            scheduleId: organizer,
            availabilityView: '2',
            scheduleItems: [
              {
                status: 'busy',
                start: { dateTime: '2025-03-10T09:00:00.0000000', timeZone: 'Pacific Standard Time' },
                end: { dateTime: '2025-03-10T10:00:00.0000000', timeZone: 'Pacific Standard Time' },
              },
            ],
          },
        ],
      },
    ],
    [
      'an unknown free/busy status',
      { value: [{ scheduleId: organizer, scheduleItems: [{ status: 'Anna Svensson' }] }] },
    ],
    ['no JSON at all', '<html>Anna Svensson</html>'],
  ])('refuses an answer with %s, without quoting it', async (_label, answer) => {
    const { calendar } = createHarness();
    nock(graphHost).post(getSchedulePath).reply(200, answer);

    const error = await lookUp(calendar).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ code: 'invalidResponse', status: 200 });
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain('Anna');
  });

  it('refuses a created event without an id', async () => {
    const { calendar } = createHarness();
    nock(graphHost)
      .post(eventsPath)
      .reply(201, { start: toGraphTime(window.start), end: toGraphTime(window.end) });

    await expect(calendar.createMeeting(buildMeetingRequest())).rejects.toMatchObject({
      code: 'invalidResponse',
    });
  });

  it('keeps at most 4 requests in flight per mailbox, without holding back other mailboxes', async () => {
    const { calendar } = createHarness();
    const inFlight = new Map<string, number>();
    const peak = new Map<string, number>();
    nock(graphHost)
      .persist()
      .post(eventsPath)
      .reply(async (request: Request) => {
        const seen = await readRequest(request);
        const mailbox = segmentOf(seen.path, 3);
        inFlight.set(mailbox, (inFlight.get(mailbox) ?? 0) + 1);
        peak.set(mailbox, Math.max(peak.get(mailbox) ?? 0, inFlight.get(mailbox) ?? 0));
        await new Promise((resolve) => setTimeout(resolve, 25));
        inFlight.set(mailbox, (inFlight.get(mailbox) ?? 1) - 1);
        return [
          201,
          {
            id: String(seen.body.transactionId),
            start: toGraphTime(window.start),
            end: toGraphTime(window.end),
          },
        ];
      });
    const other = 'rektor.larkan@exempelby.se';

    const created = await Promise.all([
      ...Array.from({ length: 10 }, (_, index) =>
        calendar.createMeeting(buildMeetingRequest({ transactionId: `a-${index}` })),
      ),
      ...Array.from({ length: 2 }, (_, index) =>
        calendar.createMeeting(buildMeetingRequest({ organizer: other, transactionId: `b-${index}` })),
      ),
    ]);

    expect(created).toHaveLength(12);
    expect(peak.get(organizer)).toBe(4);
    expect(peak.get(other)).toBe(2);
  });

  it('moves with a PATCH of start and end, and treats a cancel of a meeting already gone as done', async () => {
    const { calendar } = createHarness();
    let patched: Record<string, unknown> | undefined;
    let cancelBody: Record<string, unknown> | undefined;
    nock(graphHost)
      .patch('/v1.0/users/rektor.bjorkskolan%40exempelby.se/events/AAMkAGI1AAAt9AHjAAA%3D')
      .reply(async (request: Request) => {
        patched = (await readRequest(request)).body;
        return [
          200,
          { id: 'AAMkAGI1AAAt9AHjAAA=', start: toGraphTime(window.start), end: toGraphTime(window.end) },
        ];
      })
      .post('/v1.0/users/rektor.bjorkskolan%40exempelby.se/events/AAMkAGI1AAAt9AHjAAA%3D/cancel')
      .reply(async (request: Request) => {
        cancelBody = (await readRequest(request)).body;
        return [202, ''];
      })
      .post(cancelPath)
      .reply(404, {
        error: { code: 'ErrorItemNotFound', message: 'The specified object was not found in the store.' },
      })
      .post(cancelPath)
      .reply(403, { error: { code: 'ErrorAccessDenied', message: 'Access is denied.' } });

    await calendar.moveMeeting(organizer, 'AAMkAGI1AAAt9AHjAAA=', window);
    await calendar.cancelMeeting(organizer, 'AAMkAGI1AAAt9AHjAAA=', 'Barnteamet är inställt.');
    await calendar.cancelMeeting(organizer, 'AAMkAGI1AAAt9AHjAAA=', 'Barnteamet är inställt.');

    expect(patched).toEqual({
      start: { dateTime: '2025-03-10T07:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2025-03-10T16:00:00.0000000', timeZone: 'UTC' },
    });
    expect(cancelBody).toEqual({ comment: 'Barnteamet är inställt.' });
    await expect(calendar.cancelMeeting(organizer, 'AAMkAGI1AAAt9AHjAAA=', 'x')).rejects.toMatchObject({
      status: 403,
      code: 'ErrorAccessDenied',
    });
  });
});

describe('Graph calendar: a Barnteam across organisations, through the booking use cases', () => {
  /** Björkskolan's team with the BUP member a guest and the police outside Teams. */
  function createGraphFlow() {
    const flow = createBarnteamFlow({ directory: buildBarnteamDirectoryAcrossOrganisations() });
    flow.setNow(proposedAt);
    return { flow, deps: { ...flow.deps, calendar: createHarness().calendar } };
  }

  it('proposes on the readable calendars when one schedule carries an error and another unknown time, and books with exactly 2 Graph calls', async () => {
    const { flow, deps } = createGraphFlow();
    const child = await flow.givenCase();
    const recorded: { method: string; path: string; body: Record<string, unknown> }[] = [];
    nock(graphHost)
      .post(getSchedulePath)
      .reply(async (request: Request) => {
        const seen = await readRequest(request);
        recorded.push({ method: request.method, path: seen.path, body: seen.body });
        const body = seen.body as unknown as {
          schedules: string[];
          startTime: { dateTime: string };
          endTime: { dateTime: string };
          availabilityViewInterval: number;
        };
        const slots = Math.ceil(
          (Date.parse(`${body.endTime.dateTime.slice(0, 19)}Z`) -
            Date.parse(`${body.startTime.dateTime.slice(0, 19)}Z`)) /
            (body.availabilityViewInterval * 60_000),
        );
        const free = '0'.repeat(slots);
        return [
          200,
          {
            '@odata.context':
              'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)',
            value: body.schedules.map((scheduleId) => {
              if (scheduleId === memberEmail('bup')) {
                // The guest's mailbox is at the region: not one the municipality can read (freeBusyError).
                return {
                  scheduleId,
                  availabilityView: '',
                  scheduleItems: [],
                  error: {
                    message: `The requested user '${scheduleId}' is invalid.`,
                    responseCode: 'ErrorMailRecipientNotFound',
                  },
                };
              }
              if (scheduleId === memberEmail('kurator')) {
                // A calendar that can say only `unknown` for one hour (freeBusyStatus unknown): the
                // first proposed hour, Wednesday 5 March 08:00–09:00 Stockholm.
                return {
                  scheduleId,
                  availabilityView: free,
                  scheduleItems: [
                    {
                      isPrivate: false,
                      status: 'unknown',
                      start: { dateTime: '2025-03-05T07:00:00.0000000', timeZone: 'UTC' },
                      end: { dateTime: '2025-03-05T08:00:00.0000000', timeZone: 'UTC' },
                    },
                  ],
                };
              }
              return { scheduleId, availabilityView: free, scheduleItems: [] };
            }),
          },
        ];
      })
      .post(eventsPath)
      .reply(async (request: Request) => {
        const seen = await readRequest(request);
        recorded.push({ method: request.method, path: seen.path, body: seen.body });
        return [
          201,
          {
            id: 'AAMkAGI1AAAt9AHjCCC=',
            start: { dateTime: '2025-03-10T08:00:00.0000000', timeZone: 'UTC' },
            end: { dateTime: '2025-03-10T09:00:00.0000000', timeZone: 'UTC' },
            onlineMeeting: {
              joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_C%40thread.v2/0',
            },
          },
        ];
      });

    const proposal = await proposeBarnteamSlots(deps, {
      unitId: 'bjorkskolan',
      caseIds: [child.id],
      actor: rektor,
      from: proposedAt,
    });
    const booking = await bookBarnteam(deps, bookingInput([child.id]));

    expect(proposal.outcome).toBe('proposed');
    if (proposal.outcome !== 'proposed') return;
    // Nobody readable is busy: the first slot is the first working hour, the guest's unknown hour noted.
    expect(proposal.slots[0]).toMatchObject({
      start: '2025-03-05T07:00:00.000Z',
      unknownAvailability: [{ note: 'Medlem kurator (Barn- och elevhälsan): tillgänglighet okänd' }],
    });
    // The guest by the error; the police, outside Teams, are not asked at all.
    expect(proposal.members.filter((member) => !member.readable).map((member) => member.email)).toEqual([
      memberEmail('bup'),
      memberEmail('polis'),
    ]);
    expect(booking.outcome).toBe('booked');
    expect(recorded.map((request) => `${request.method} ${request.path}`)).toEqual([
      `POST /v1.0/users/${encodeURIComponent(convenerEmail)}/calendar/getSchedule`,
      `POST /v1.0/users/${encodeURIComponent(convenerEmail)}/events`,
    ]);
    // One lookup for the nine mailboxes in Teams; the police's address does not go to it.
    expect(recorded[0]?.body.schedules).toHaveLength(9);
    expect(recorded[0]?.body.schedules).not.toContain(memberEmail('polis'));
    const created = recorded[1]?.body as {
      attendees: { emailAddress: { address: string }; type: string }[];
      isReminderOn: boolean;
      reminderMinutesBeforeStart: number;
    };
    expect(created.attendees.map((attendee) => attendee.emailAddress.address)).toEqual(
      expect.arrayContaining([memberEmail('polis'), memberEmail('bup')]),
    );
    expect(created.attendees).toHaveLength(9);
    expect(created.isReminderOn).toBe(true);
    expect(created.reminderMinutesBeforeStart).toBe(24 * 60);
  });

  it("reads the attendees' answers from GET /users/{id}/events/{id} (status.response) and tells the convener of a required member's decline", async () => {
    const { flow, deps } = createGraphFlow();
    const child = await flow.givenCase();
    nock(graphHost)
      .post(eventsPath)
      .reply(201, {
        id: 'AAMkAGI1AAAt9AHjDDD=',
        start: { dateTime: '2025-03-10T08:00:00.0000000', timeZone: 'UTC' },
        end: { dateTime: '2025-03-10T09:00:00.0000000', timeZone: 'UTC' },
      });
    await bookBarnteam(deps, bookingInput([child.id]));
    let asked: string | undefined;
    const attendee = (address: string, type: string, response: string, time = '2025-03-05T09:12:00Z') => ({
      type,
      status: { response, time },
      emailAddress: { name: address, address },
    });
    nock(graphHost)
      .get(
        `/v1.0/users/${encodeURIComponent(convenerEmail)}/events/${encodeURIComponent('AAMkAGI1AAAt9AHjDDD=')}`,
      )
      .query({ $select: 'attendees' })
      .reply((request: Request) => {
        asked = request.url;
        return [
          200,
          {
            '@odata.context':
              "https://graph.microsoft.com/v1.0/$metadata#users('rektor-bjorkskolan%40exempelby.se')/events(attendees)/$entity",
            '@odata.etag': 'W/"ZlnW4RIAV06KYYwlrfNZvQAALfZeRQ=="',
            id: 'AAMkAGI1AAAt9AHjDDD=',
            attendees: [
              attendee(memberEmail('skolskoterska'), 'required', 'accepted'),
              attendee(memberEmail('kurator'), 'required', 'tentativelyAccepted'),
              // The guest answers from the region's Outlook; the organizer's calendar has it.
              attendee(memberEmail('bup'), 'optional', 'accepted'),
              // The police answer from their own mail: a decline by a required member.
              attendee(memberEmail('polis'), 'required', 'declined'),
              attendee(memberEmail('socialsekreterare'), 'required', 'none', '0001-01-01T00:00:00Z'),
            ],
          },
        ];
      });

    const result = await readAttendeeAnswers(deps, { meetingId: toMeetingId(proposalId), actor: rektor });

    expect(asked).toMatch(/\?(\$|%24)select=attendees$/);
    expect(result.outcome).toBe('read');
    if (result.outcome !== 'read') return;
    const responseOf = (id: string) =>
      result.answers.find((answer) => answer.email === memberEmail(id))?.response;
    expect(responseOf('skolskoterska')).toBe('accepted');
    expect(responseOf('kurator')).toBe('tentative');
    expect(responseOf('bup')).toBe('accepted');
    expect(responseOf('polis')).toBe('declined');
    expect(responseOf('socialsekreterare')).toBe('notAnswered');
    // Not in Graph's list: not answered as far as anyone can tell.
    expect(responseOf('vardcentral')).toBe('notAnswered');
    const declines = flow.stores.snapshot().outbox.filter((message) => message.id.includes('barnteamAvbojt'));
    expect(declines.map((message) => message.recipientKey)).toEqual([rektor.userId]);
  });

  it('refuses an attendee answer that is not one of Graph’s response types, without quoting it', async () => {
    const calendar = createHarness().calendar;
    nock(graphHost)
      .get(eventPath)
      .query(true)
      .reply(200, {
        attendees: [
          {
            type: 'required',
            status: { response: 'Anna Svensson' },
            emailAddress: { address: 'a@exempelby.se' },
          },
        ],
      });

    const error = await calendar
      .readAttendeeAnswers(organizer, 'AAMkAGI1AAAt9AHjAAA=')
      .catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ code: 'invalidResponse', operation: 'getEventAttendees' });
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain('Anna');
  });
});

describe('Graph calendar: the Individuellt barnteam’s next meeting, booked from Barnets plan', () => {
  it('books with exactly 2 Graph calls (one getSchedule, one event) whose subject and body carry only the case reference', async () => {
    const flow = await createTeamFlow();
    await startTeam(flow);
    for (const contactId of ['skolkurator-bjorkskolan', 'polis-lokalpolisomradet']) {
      await addTeamMember(flow.deps, {
        caseId: teamCaseId,
        etag: await flow.etag(),
        actor: teamRektor,
        at: teamStartedAt,
        contactId,
      });
    }
    const deps = { ...flow.deps, calendar: createHarness().calendar };
    const recorded: SeenRequest[] = [];
    nock(graphHost)
      .post(getSchedulePath)
      .reply(async (request: Request) => {
        const seen = await readRequest(request);
        recorded.push(seen);
        const schedules = (seen.body as { schedules: string[] }).schedules;
        return [
          200,
          {
            '@odata.context':
              'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)',
            value: schedules.map((scheduleId) => ({
              scheduleId,
              availabilityView: '0'.repeat(4000),
              scheduleItems: [],
            })),
          },
        ];
      })
      .post(eventsPath)
      .reply(async (request: Request) => {
        const seen = await readRequest(request);
        recorded.push(seen);
        const body = seen.body as { start: unknown; end: unknown };
        return [
          201,
          {
            id: 'AAMkAGI1AAAt9AHjTEAM=',
            start: body.start,
            end: body.end,
            onlineMeeting: {
              joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_T%40thread.v2/0',
            },
          },
        ];
      });

    const proposal = await proposeTeamMeeting(deps, {
      caseId: teamCaseId,
      actor: teamRektor,
      at: teamStartedAt,
    });
    if (proposal.outcome !== 'proposed') throw new Error(JSON.stringify(proposal));
    const slot = proposal.slots[0];
    if (slot === undefined) throw new Error('Ingen tid');
    const input = {
      caseId: teamCaseId,
      etag: await flow.etag(),
      proposalId: proposal.proposalId,
      slot: { start: slot.start, end: slot.end },
      actor: teamRektor,
      at: teamStartedAt,
    };
    expect((await bookTeamMeeting(deps, input)).outcome).toBe('applied');
    // A double click: no further request reaches Graph (nock would refuse it).
    expect((await bookTeamMeeting(deps, input)).outcome).toBe('alreadyApplied');

    const stored = await flow.stores.cases.get(teamCaseId);
    const caseValue = stored?.value;
    if (caseValue === undefined) throw new Error('Ärendet saknas');
    expect(recorded.map((request) => request.path)).toEqual([
      expect.stringMatching(getSchedulePath),
      expect.stringMatching(eventsPath),
    ]);
    expect(recorded[0]?.body.schedules).not.toContain('erik.falk@polisen-exempel.se');
    const created = recorded[1]?.body as {
      subject: string;
      body: { contentType: string; content: string };
      transactionId: string;
      isOnlineMeeting: boolean;
      attendees: { emailAddress: { address: string } }[];
    };
    expect(created.subject).toBe(`Individuellt barnteam ${caseValue.reference}`);
    expect(created.body.content).toBe(`<p>Individuellt barnteam ${caseValue.reference}</p>`);
    expect(JSON.stringify(created)).not.toContain(caseValue.child.givenName);
    expect(JSON.stringify(created)).not.toContain(caseValue.child.familyName);
    expect(created.isOnlineMeeting).toBe(true);
    expect(created.attendees.map((attendee) => attendee.emailAddress.address)).toContain(
      'erik.falk@polisen-exempel.se',
    );
    expect(caseValue.barnetsPlan?.nextMeeting).toMatchObject({
      state: 'bokat',
      eventId: 'AAMkAGI1AAAt9AHjTEAM=',
      joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_T%40thread.v2/0',
    });
  });
});

/**
 * The team's private channel against Microsoft Graph as its documentation describes it, faked with
 * nock at graph.microsoft.com: the requests' and answers' shapes are those of the reference pages
 * (channel-post "create private channel" with application permissions, channel-post-members,
 * team-post-members, team-post-installedapps, appcatalogs-list-teamsapps,
 * channel-delete-members). The provisioning job runs on the in-memory stores with a recorded
 * Bot Connector; what a user notices is asserted: where the channel is, who is in it, who is
 * told when no team has room, and that a retry never makes a second channel.
 *
 * One provisioning run's Graph requests are written to
 * test-results/graph-team-channel-provisioning.json for the closing note.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createTeamChannel,
  pinPlanTab,
  syncTeamChannelMembers,
  type TeamChannelJobDependencies,
} from '../../flows/individuellt-barnteam/team-channel-jobs.js';
import {
  archiveTeamChannel,
  buildArchiveChannelReminder,
  deleteTeamChannel,
} from '../../flows/individuellt-barnteam/team-channel-retirement.js';
import { buildTeamkanalPost } from '../../flows/individuellt-barnteam/team-effects.js';
import type { Directory } from '../../flows/kernel/directory.js';
import type { Reminder } from '../../flows/kernel/ports.js';
import type { ChannelConversations } from '../../flows/kernel/team-channel.js';
import { buildDailyRetentionReminder, eraseDueCases } from '../../flows/retention/erase-due-cases.js';
import { createGraphClient } from '../../infra/graph/graph-client.js';
import { createGraphTeamChannels } from '../../infra/graph/graph-team-channels.js';
import { describeTeamChannelsContract } from '../contract/team-channels-contract.js';
import { users } from '../fixtures/case-fixtures.js';
import { closeNetworkExceptLoopback } from '../support/bot-harness.js';
import {
  fakeCatalogAppId as catalogAppId,
  fakeGraph,
  fakeTeamsAppId as teamsAppId,
} from '../support/fake-graph-teams.js';
import { buildDirectory, createTestFlow, type TestFlow } from '../support/flow-fixtures.js';
import {
  buildCaseWithTeam,
  buildCreateChannelReminder,
  buildSyncMembersReminder,
  channelCaseId,
  childName,
  expectedChannelName,
  guestUserId,
  teamStartedAt,
} from '../support/team-channel-fixtures.js';

const teamA = '11111111-1111-4111-8111-111111111111';
const teamB = '22222222-2222-4222-8222-222222222222';
const serviceUrl = 'https://smba.trafficmanager.net/emea/';

let flow: TestFlow;
let contractGraph: ReturnType<typeof fakeGraph>;
let sleeps: number[];
let started: { channelId: string; serviceUrl: string; text: string }[];

function directoryWith(hostTeams: string[]): Directory {
  return buildDirectory((input) => {
    Object.assign(input, {
      teamChannels: {
        hostTeams: hostTeams.map((teamId, index) => ({ teamId, name: `Värdteam ${index + 1}` })),
      },
    });
  });
}

/** The Bot Connector side, recorded: the reference is stored as bot/channel-conversations.ts does. */
function recordedConversations(): ChannelConversations {
  return {
    keyFor: (channelId) => `conversation:${channelId}`,
    async start(request) {
      started.push({ channelId: request.channelId, serviceUrl: request.serviceUrl, text: request.text });
      const key = `conversation:${request.channelId}`;
      await flow.stores.conversations.save({
        key,
        tenantId: request.tenantId,
        serviceUrl: request.serviceUrl,
        conversationId: request.channelId,
        updatedAt: teamStartedAt,
        reference: {
          channelId: 'msteams',
          serviceUrl: request.serviceUrl,
          bot: { id: '28:bot' },
          conversation: { id: request.channelId, isGroup: true, conversationType: 'channel' },
        },
      });
      return { conversationKey: key };
    },
  };
}

async function setUp(hostTeams: string[]): Promise<TeamChannelJobDependencies> {
  flow = createTestFlow({ directory: directoryWith(hostTeams) });
  flow.setNow(teamStartedAt);
  await flow.stores.cases.create(buildCaseWithTeam());
  await flow.stores.conversations.save({
    key: users.barnkontakt,
    tenantId: '5e0b1d3a-7c2f-4b8e-9a61-3f4d2c1b0a99',
    serviceUrl,
    conversationId: 'a:maria',
    updatedAt: teamStartedAt,
    reference: {},
  });
  const client = createGraphClient({
    tokenProvider: { getAccessToken: async () => 'graph-app-token' },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  });
  return {
    ...flow.deps,
    teamChannels: createGraphTeamChannels({
      client,
      teamsAppId,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    }),
    channelConversations: recordedConversations(),
  };
}

async function readChannel() {
  return (await flow.stores.cases.get(channelCaseId))?.value.individuelltBarnteam?.channel;
}

async function textsInOutbox(): Promise<{ to: string; text: string }[]> {
  const due = await flow.stores.outbox.listDue(new Date('2030-01-01T00:00:00.000Z'), 100);
  return due.flatMap((item) =>
    item.value.payload.kind === 'text'
      ? [{ to: item.value.recipientKey, text: item.value.payload.text }]
      : [],
  );
}

beforeAll(() => closeNetworkExceptLoopback());
afterAll(() => nock.enableNetConnect());
beforeEach(() => {
  sleeps = [];
  started = [];
});
afterEach(() => {
  nock.cleanAll();
});

describe('provisioning the private channel through Graph', () => {
  it('installs the app, creates the private channel with its owner, adds the members and records the channel', async () => {
    const fake = fakeGraph();
    const deps = await setUp([teamA]);

    expect(await createTeamChannel(deps, buildCreateChannelReminder())).toBe('created');

    const mkdir = join(process.cwd(), 'test-results');
    mkdirSync(mkdir, { recursive: true });
    writeFileSync(
      join(mkdir, 'graph-team-channel-provisioning.json'),
      `${JSON.stringify({ scenario: 'one provisioning run, one host team', requests: fake.requests }, null, 2)}\n`,
    );

    expect(
      fake.requests.map((request) => `${request.method} ${request.url.split('?')[0]} ${request.status}`),
    ).toEqual([
      'GET /v1.0/appCatalogs/teamsApps 200',
      `GET /v1.0/teams/${teamA}/installedApps 200`,
      `POST /v1.0/teams/${teamA}/installedApps 201`,
      `GET /v1.0/teams/${teamA}/channels 200`,
      `POST /v1.0/teams/${teamA}/channels 201`,
      `GET /v1.0/teams/${teamA}/channels/19:kanal1@thread.tacv2/members 200`,
      `GET /v1.0/teams/${teamA}/members 200`,
      `POST /v1.0/teams/${teamA}/members 201`,
      `POST /v1.0/teams/${teamA}/channels/19:kanal1@thread.tacv2/members 201`,
      `GET /v1.0/teams/${teamA}/members 200`,
      `POST /v1.0/teams/${teamA}/members 201`,
      `POST /v1.0/teams/${teamA}/channels/19:kanal1@thread.tacv2/members 201`,
    ]);
    const create = fake.requests.find(
      (request) => request.method === 'POST' && request.url.endsWith('/channels'),
    );
    expect(create?.body).toEqual({
      '@odata.type': '#Microsoft.Graph.channel',
      membershipType: 'private',
      displayName: expectedChannelName,
      description: 'Backa barnet: Individuellt barnteam, ärende BB-4K7Q-2M9C',
      'members@odata.type': '#Collection(microsoft.graph.conversationMember)',
      members: [
        {
          '@odata.type': '#microsoft.graph.aadUserConversationMember',
          'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${users.barnkontakt}')`,
          roles: ['owner'],
        },
      ],
    });
    const install = fake.requests.find(
      (request) => request.url.endsWith('/installedApps') && request.method === 'POST',
    );
    expect(install?.body).toEqual({
      'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${catalogAppId}`,
    });

    // Who is in the channel: the owner, the colleague and the guest, nobody else.
    const channel = fake.team(teamA).channels[0];
    expect(channel?.members.map((item) => [item.userId, item.roles])).toEqual([
      [users.barnkontakt, ['owner']],
      [users.annanBarnkontakt, []],
      [guestUserId, []],
    ]);
    expect(await readChannel()).toMatchObject({
      hostTeamId: teamA,
      channelId: '19:kanal1@thread.tacv2',
      conversationKey: 'conversation:19:kanal1@thread.tacv2',
      displayName: expectedChannelName,
    });
    expect(started).toEqual([expect.objectContaining({ channelId: '19:kanal1@thread.tacv2', serviceUrl })]);
    // Requests to one team are spaced for Teams' 4 per second.
    expect(sleeps.filter((ms) => ms > 0).length).toBeGreaterThan(0);

    // No URL carries the channel's name, and nothing at all the child's name.
    const urls = fake.requests.map((request) => request.url).join('\n');
    expect(urls).not.toContain('T.E.');
    expect(JSON.stringify(fake.requests)).not.toContain(childName.givenName);
    // The audit log has the system's purpose for the share and for the write.
    const audit = await flow.stores.audit.listForCase(channelCaseId);
    expect(audit.map((entry) => [entry.actor, entry.action])).toEqual([
      ['system', 'skapaTeamkanal'],
      ['system', 'sparaTeamkanal'],
    ]);
    expect(audit.every((entry) => (entry.purpose ?? '').length > 20)).toBe(true);
  });

  it('never makes a second channel: a run after a crash finds its own channel by name and starts no new conversation', async () => {
    const fake = fakeGraph();
    const deps = await setUp([teamA]);
    await createTeamChannel(deps, buildCreateChannelReminder());
    // The case write is lost (a crash after Graph and the Bot Connector): the channel is not recorded.
    const stored = await flow.stores.cases.get(channelCaseId);
    const team = stored?.value.individuelltBarnteam;
    if (stored === undefined || team === undefined) throw new Error('Ärendet saknas');
    const { channel: _lost, ...withoutChannel } = team;
    await flow.stores.cases.replace({ ...stored.value, individuelltBarnteam: withoutChannel }, stored.etag);

    expect(await createTeamChannel(deps, buildCreateChannelReminder())).toBe('created');
    expect(fake.team(teamA).channels).toHaveLength(1);
    expect(
      fake.requests.filter((request) => request.method === 'POST' && request.url.endsWith('/channels')),
    ).toHaveLength(1);
    expect(started).toHaveLength(1);
    expect((await readChannel())?.channelId).toBe('19:kanal1@thread.tacv2');
  });

  it('on 409 reuses the channel when it is ours, and takes the next name when someone else has it', async () => {
    const raced = fakeGraph({ raceCreateOnce: true });
    const deps = await setUp([teamA]);
    expect(await createTeamChannel(deps, buildCreateChannelReminder())).toBe('created');
    expect(raced.team(teamA).channels.map((channel) => channel.displayName)).toEqual([expectedChannelName]);
    nock.cleanAll();

    const fake = fakeGraph();
    const again = await setUp([teamA]);
    fake.team(teamA).channels.push({
      id: '19:nagon-annans@thread.tacv2',
      displayName: expectedChannelName,
      description: 'En kanal som någon annan har gjort',
      members: [],
      tabs: [],
    });
    expect(await createTeamChannel(again, buildCreateChannelReminder())).toBe('created');
    expect((await readChannel())?.displayName).toBe(`${expectedChannelName} 2`);
  });

  it('moves on to the next host team when one has no room for another private channel (400)', async () => {
    const fake = fakeGraph();
    const deps = await setUp([teamA, teamB]);
    fake.team(teamA).full = true;

    expect(await createTeamChannel(deps, buildCreateChannelReminder())).toBe('created');
    expect((await readChannel())?.hostTeamId).toBe(teamB);
    expect(fake.team(teamB).channels).toHaveLength(1);
    expect(await textsInOutbox()).toEqual([]);
  });

  it('with every host team full tells the convener and the fallback contact what to do, and stops calling Graph until the directory changes', async () => {
    const fake = fakeGraph();
    const deps = await setUp([teamA, teamB]);
    fake.team(teamA).full = true;
    fake.team(teamB).full = true;

    expect(await createTeamChannel(deps, buildCreateChannelReminder())).toBe('noHostTeamWithRoom');
    expect(await readChannel()).toBeUndefined();
    const texts = await textsInOutbox();
    texts.sort((a, b) => (a.to === users.barnkontakt ? -1 : b.to === users.barnkontakt ? 1 : 0));
    expect(texts.map((item) => item.to)).toEqual([users.barnkontakt, users.socialtjanst]);
    expect(texts[0]?.text).toContain('BB-4K7Q-2M9C');
    expect(texts[0]?.text).toContain('Kommunens reservkontakt har fått besked');
    expect(texts[1]?.text).toContain('teamChannels.hostTeams');
    expect(JSON.stringify(texts)).not.toContain(childName.givenName);

    // The job waits: its next round makes no Graph request and tells nobody again.
    const waiting = (await flow.stores.reminders.listForCase(channelCaseId)).map((item) => item.value);
    const next = waiting.find((item) => item.id.includes(':teamkanal:vantar:')) as Reminder;
    expect(next).toMatchObject({ kind: 'skapaTeamkanal', status: 'scheduled' });
    const before = fake.requests.length;
    expect(await createTeamChannel(deps, next)).toBe('waitingForConfiguration');
    expect(fake.requests.length).toBe(before);
    expect(await textsInOutbox()).toHaveLength(2);

    // A directory with a new host team (after a restart) lets the waiting job create the channel.
    const changed = {
      ...deps,
      directory: directoryWith([teamA, teamB, '33333333-3333-4333-8333-333333333333']),
    };
    expect(await createTeamChannel(changed, next)).toBe('created');
    expect((await readChannel())?.hostTeamId).toBe('33333333-3333-4333-8333-333333333333');
  });

  it('waits out a 429 for the time Graph asks (Retry-After) and then creates the channel once', async () => {
    const fake = fakeGraph({ throttleCreateOnce: true });
    const deps = await setUp([teamA]);

    expect(await createTeamChannel(deps, buildCreateChannelReminder())).toBe('created');
    const creates = fake.requests.filter(
      (request) => request.method === 'POST' && request.url.endsWith('/channels'),
    );
    expect(creates.map((request) => request.status)).toEqual([429, 201]);
    expect(Math.max(...sleeps)).toBeGreaterThanOrEqual(3_000);
    expect(fake.team(teamA).channels).toHaveLength(1);
  });
});

describe('provisioning when Graph keeps failing', () => {
  it("tries again in half an hour instead of giving up within the sweeper's few tries", async () => {
    // Graph answers 503 to every try of the create (the client's own four), then works again.
    nock('https://graph.microsoft.com')
      .post(`/v1.0/teams/${teamA}/channels`)
      .times(4)
      .reply(503, { error: { code: 'ServiceUnavailable', message: 'Try later' } });
    const fake = fakeGraph();
    const deps = await setUp([teamA]);

    expect(await createTeamChannel(deps, buildCreateChannelReminder())).toBe('retryLater');
    expect(await readChannel()).toBeUndefined();
    const next = (await flow.stores.reminders.listForCase(channelCaseId))
      .map((item) => item.value)
      .find((item) => item.id.includes(':teamkanal:forsok:'));
    expect(next).toMatchObject({
      kind: 'skapaTeamkanal',
      dueAt: '2026-03-03T09:00:00.000Z',
      data: { failures: 1 },
    });

    expect(await createTeamChannel(deps, next as Reminder)).toBe('created');
    expect(fake.team(teamA).channels).toHaveLength(1);
  });
});

describe('provisioning without the app in the catalog', () => {
  it('tells the fallback contact to publish the app and set TEAMS_APP_ID, once, and looks again in an hour', async () => {
    const fake = fakeGraph();
    const deps = await setUp([teamA]);
    const unconfigured = {
      ...deps,
      teamChannels: createGraphTeamChannels({
        client: createGraphClient({ tokenProvider: { getAccessToken: async () => 'graph-app-token' } }),
        teamsAppId: '99999999-9999-4999-8999-999999999999',
        sleep: async () => {},
      }),
    };

    expect(await createTeamChannel(unconfigured, buildCreateChannelReminder())).toBe(
      'waitingForConfiguration',
    );
    expect(fake.team(teamA).channels).toEqual([]);
    const texts = await textsInOutbox();
    expect(texts.map((item) => item.to)).toEqual([users.socialtjanst]);
    expect(texts[0]?.text).toContain('TEAMS_APP_ID');
    const next = (await flow.stores.reminders.listForCase(channelCaseId))
      .map((item) => item.value)
      .find((item) => item.id.includes(':teamkanal:forsok:konfiguration:'));
    expect(next?.dueAt).toBe('2026-03-03T09:30:00.000Z');

    // Once the app is found (TEAMS_APP_ID set, the bot restarted), the next look creates the channel.
    expect(await createTeamChannel(deps, next as Reminder)).toBe('created');
    expect(await textsInOutbox()).toHaveLength(1);
  });
});

describe("keeping the channel's members to the team's", () => {
  it('removes a member who left the team at once and adds a new one', async () => {
    const fake = fakeGraph();
    const deps = await setUp([teamA]);
    await createTeamChannel(deps, buildCreateChannelReminder());
    const stored = await flow.stores.cases.get(channelCaseId);
    const team = stored?.value.individuelltBarnteam;
    if (stored === undefined || team === undefined) throw new Error('Ärendet saknas');
    const newcomer = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e41';
    await flow.stores.cases.replace(
      {
        ...stored.value,
        individuelltBarnteam: {
          ...team,
          members: [
            ...team.members.map((item) =>
              item.userId === users.annanBarnkontakt ? { ...item, until: '2026-03-04T08:00:00.000Z' } : item,
            ),
            {
              userId: newcomer,
              displayName: 'Ny Medlem',
              role: 'teammedlem',
              organisation: 'kommun',
              since: '2026-03-04T08:00:00.000Z',
            },
          ],
        },
      },
      stored.etag,
    );

    expect(await syncTeamChannelMembers(deps, buildSyncMembersReminder('1'))).toBe('synced');
    const channel = fake.team(teamA).channels[0];
    expect(channel?.members.map((item) => item.userId)).toEqual([users.barnkontakt, guestUserId, newcomer]);
    const removal = fake.requests.find((request) => request.method === 'DELETE');
    expect(removal?.url).toMatch(/\/channels\/19:kanal1@thread\.tacv2\/members\/medlemskap-\d+$/);
    expect(removal?.status).toBe(204);
  });

  it('after a withdrawal leaves only the owner, and a removal Graph already made counts as done', async () => {
    const fake = fakeGraph();
    const deps = await setUp([teamA]);
    await createTeamChannel(deps, buildCreateChannelReminder());
    const stored = await flow.stores.cases.get(channelCaseId);
    if (stored === undefined) throw new Error('Ärendet saknas');
    await flow.stores.cases.replace({ ...stored.value, state: 'samtyckeAterkallat' }, stored.etag);

    expect(await syncTeamChannelMembers(deps, buildSyncMembersReminder('aterkallat'))).toBe('synced');
    expect(fake.team(teamA).channels[0]?.members.map((item) => item.userId)).toEqual([users.barnkontakt]);
    expect(await syncTeamChannelMembers(deps, buildSyncMembersReminder('aterkallat-igen'))).toBe('synced');
  });
});

/** The case closed at `at` (its `avsluta` entry), with the team's last post queued as the closing queues it. */
async function closeCase(at: string): Promise<void> {
  const stored = await flow.stores.cases.get(channelCaseId);
  if (stored === undefined) throw new Error('Ärendet saknas');
  await flow.stores.cases.replace(
    {
      ...stored.value,
      state: 'avslutad',
      chronology: [
        ...stored.value.chronology,
        { at, by: users.barnkontakt, event: 'avsluta', to: 'avslutad' },
      ],
      updatedAt: at,
    },
    stored.etag,
  );
  await flow.stores.outbox.enqueue(buildTeamkanalPost(channelCaseId, 'arendetAvslutat', at));
}

async function dueReminder(id: string) {
  const reminder = (await flow.stores.reminders.get(id))?.value;
  if (reminder === undefined) throw new Error(`Påminnelsen ${id} saknas`);
  return reminder;
}

const graphCalls = (fake: ReturnType<typeof fakeGraph>, method: string, tail: RegExp) =>
  fake.requests.filter((request) => request.method === method && tail.test(request.url.split('?')[0] ?? ''));

describe("the channel at the team's end: archived after the last post, deleted later", () => {
  const closedAt = '2026-05-04T09:00:00.000Z';

  it('archives once the last post is delivered, with the documented call, and deletes the channel 30 days later', async () => {
    const fake = fakeGraph();
    const deps = await setUp([teamA]);
    await createTeamChannel(deps, buildCreateChannelReminder());
    flow.setNow(closedAt);
    await closeCase(closedAt);

    // The last post is still in the outbox: the members stay to read it, and an archived channel
    // would refuse it, so both jobs wait.
    expect(await syncTeamChannelMembers(deps, buildSyncMembersReminder('avslutat', closedAt))).toBe(
      'waitingForLastPost',
    );
    expect(fake.team(teamA).channels[0]?.members).toHaveLength(3);
    const syncAgain = await dueReminder(`${channelCaseId}:teamkanal:medlemmar:avslutat-vantar-1`);
    expect(syncAgain.dueAt).toBe('2026-05-04T09:01:00.000Z');
    expect(await archiveTeamChannel(deps, buildArchiveChannelReminder(channelCaseId, closedAt))).toBe(
      'waitingForLastPost',
    );
    expect(graphCalls(fake, 'POST', /\/archive$/)).toEqual([]);

    const post = await flow.stores.outbox.get(
      buildTeamkanalPost(channelCaseId, 'arendetAvslutat', closedAt).id,
    );
    if (post === undefined) throw new Error('Sista inlägget saknas');
    await flow.stores.outbox.replace(
      { ...post.value, status: 'delivered', deliveredAt: '2026-05-04T09:00:30.000Z' },
      post.etag,
    );
    // With the post delivered the sync takes everyone but the owner out, then asks for the archive.
    flow.setNow('2026-05-04T09:01:00.000Z');
    expect(await syncTeamChannelMembers(deps, syncAgain)).toBe('synced');
    expect(fake.team(teamA).channels[0]?.members.map((item) => item.userId)).toEqual([users.barnkontakt]);
    const again = await dueReminder(`${channelCaseId}:teamkanal:arkivera`);
    expect(again.dueAt).toBe('2026-05-04T09:01:00.000Z');
    flow.setNow('2026-05-04T09:15:00.000Z');
    expect(await archiveTeamChannel(deps, again)).toBe('archived');
    const [archiveCall] = graphCalls(fake, 'POST', /\/archive$/);
    expect(archiveCall).toMatchObject({
      url: `/v1.0/teams/${teamA}/channels/19:kanal1@thread.tacv2/archive`,
      body: { shouldSetSpoSiteReadOnlyForMembers: true },
      status: 202,
    });
    expect(fake.team(teamA).channels[0]?.archived).toBe(true);
    expect((await readChannel())?.archivedAt).toBe('2026-05-04T09:15:00.000Z');
    // A repeat (a redelivered reminder) calls Graph no more.
    expect(await archiveTeamChannel(deps, again)).toBe('alreadyThere');
    expect(graphCalls(fake, 'POST', /\/archive$/)).toHaveLength(1);

    const deletion = await dueReminder(`${channelCaseId}:teamkanal:radera`);
    expect(deletion.dueAt).toBe('2026-06-03T09:15:00.000Z');
    expect(deletion.data).toEqual({ hostTeamId: teamA, channelId: '19:kanal1@thread.tacv2' });
    flow.setNow(deletion.dueAt);
    expect(await deleteTeamChannel(deps, deletion)).toBe('deleted');
    expect(graphCalls(fake, 'DELETE', /\/channels\/[^/]+$/)).toMatchObject([
      { url: `/v1.0/teams/${teamA}/channels/19:kanal1@thread.tacv2`, status: 204 },
    ]);
    expect(fake.team(teamA).channels).toEqual([]);
    expect((await readChannel())?.deletedAt).toBe('2026-06-03T09:15:00.000Z');
    expect(await deleteTeamChannel(deps, deletion)).toBe('alreadyThere');
    expect(graphCalls(fake, 'DELETE', /\/channels\/[^/]+$/)).toHaveLength(1);

    const actions = (await flow.stores.audit.listForCase(channelCaseId)).map((entry) => entry.action);
    expect(actions).toContain('arkiveraTeamkanal');
    expect(actions).toContain('raderaTeamkanal');
  });

  it('when Teams refuses the archive (the host team is archived) the channel is still deleted later', async () => {
    const fake = fakeGraph();
    const deps = await setUp([teamA]);
    await createTeamChannel(deps, buildCreateChannelReminder());
    flow.setNow(closedAt);
    await closeCase(closedAt);
    fake.team(teamA).archived = true;
    const post = await flow.stores.outbox.get(
      buildTeamkanalPost(channelCaseId, 'arendetAvslutat', closedAt).id,
    );
    if (post === undefined) throw new Error('Sista inlägget saknas');
    await flow.stores.outbox.replace({ ...post.value, status: 'parked' }, post.etag);

    await syncTeamChannelMembers(deps, buildSyncMembersReminder('avslutat', closedAt));
    expect(await archiveTeamChannel(deps, await dueReminder(`${channelCaseId}:teamkanal:arkivera`))).toBe(
      'refused',
    );
    expect(graphCalls(fake, 'POST', /\/archive$/).map((call) => call.status)).toEqual([400]);
    expect((await readChannel())?.archivedAt).toBeUndefined();
    expect((await dueReminder(`${channelCaseId}:teamkanal:radera`)).status).toBe('scheduled');
  });

  it('keeps trying the deletion every half hour while Graph fails, and never deletes an active team’s channel', async () => {
    const fake = fakeGraph();
    const deps = await setUp([teamA]);
    await createTeamChannel(deps, buildCreateChannelReminder());
    const channelId = '19:kanal1@thread.tacv2';
    const early = {
      id: `${channelCaseId}:teamkanal:radera`,
      kind: 'raderaTeamkanal',
      caseId: channelCaseId,
      dueAt: teamStartedAt,
      status: 'scheduled' as const,
      data: { hostTeamId: teamA, channelId },
      createdAt: teamStartedAt,
    };
    expect(await deleteTeamChannel(deps, early)).toBe('teamActive');
    expect(graphCalls(fake, 'DELETE', /\/channels\/[^/]+$/)).toEqual([]);

    flow.setNow(closedAt);
    await closeCase(closedAt);
    nock.cleanAll();
    nock('https://graph.microsoft.com')
      .delete(`/v1.0/teams/${teamA}/channels/${encodeURIComponent(channelId)}`)
      .times(5)
      .reply(503, { error: { code: 'ServiceUnavailable', message: 'Service unavailable' } });
    expect(await deleteTeamChannel(deps, early)).toBe('retryLater');
    const retry = await dueReminder(`${channelCaseId}:teamkanal:radera:fel:1`);
    expect(retry.dueAt).toBe('2026-05-04T09:30:00.000Z');
    expect(retry.data).toMatchObject({ hostTeamId: teamA, channelId, failures: 1 });
    expect((await readChannel())?.deletedAt).toBeUndefined();
  });

  it('a case erased with its channel still in Teams: the sweep leaves the deletion to a reminder without the case', async () => {
    const fake = fakeGraph();
    const deps = await setUp([teamA]);
    await createTeamChannel(deps, buildCreateChannelReminder());
    // Closed on 4 May 2024: with 24 months due on 4 May 2026.
    await closeCase('2024-05-04T09:00:00.000Z');
    flow.setNow('2026-12-03T01:00:00.000Z');

    const night = buildDailyRetentionReminder('2026-12-03', '2026-12-02T01:00:00.000Z');
    expect((await eraseDueCases(deps, night)).erased).toBe(1);
    expect(await flow.stores.cases.get(channelCaseId)).toBeUndefined();
    const deletion = await dueReminder(`gallring-teamkanal-${channelCaseId}`);
    expect(deletion.caseId).toBeUndefined();
    expect(deletion.data).toEqual({ hostTeamId: teamA, channelId: '19:kanal1@thread.tacv2' });

    expect(await deleteTeamChannel(deps, deletion)).toBe('deleted');
    expect(fake.team(teamA).channels).toEqual([]);
    const sweepEntries = await flow.stores.audit.listForCase('gallring');
    expect(sweepEntries.map((entry) => entry.action)).toContain('raderaTeamkanal');
    for (const entry of sweepEntries) expect(JSON.stringify(entry)).not.toContain(childName.familyName);
  });
});

describe('the channel tab with Barnets plan, pinned through Graph', () => {
  const planTabUrl = (caseId: string) => `https://backa.example.se/tab/index.html?arende=${caseId}`;

  it('is pinned with the channel: the documented body, the case by its opaque id only, and its deep link recorded', async () => {
    const fake = fakeGraph();
    const deps = { ...(await setUp([teamA])), planTabUrl };

    expect(await createTeamChannel(deps, buildCreateChannelReminder())).toBe('created');

    const pin = fake.requests.find((request) => request.method === 'POST' && request.url.endsWith('/tabs'));
    expect(pin?.url).toBe(`/v1.0/teams/${teamA}/channels/19:kanal1@thread.tacv2/tabs`);
    expect(pin?.body).toEqual({
      displayName: 'Barnets plan',
      'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${catalogAppId}`,
      configuration: {
        entityId: `barnets-plan-${channelCaseId}`,
        contentUrl: `https://backa.example.se/tab/index.html?arende=${channelCaseId}`,
      },
    });
    const look = fake.requests.find((request) => request.method === 'GET' && request.url.includes('/tabs'));
    expect(look?.url).toContain(`$expand=teamsApp&$filter=teamsApp/id eq '${catalogAppId}'`);
    const tabId = (pin?.response as { id?: string } | undefined)?.id ?? 'saknas';
    expect((await readChannel())?.tab).toMatchObject({
      tabId,
      webUrl: expect.stringMatching(
        new RegExp(`^https://teams\\.microsoft\\.com/l/channel/.+tab%3a%3a${tabId}`),
      ),
    });
    // Nothing of the child goes to Graph with the tab.
    expect(JSON.stringify([pin, look])).not.toContain(childName.givenName);
    // The job has nothing left to do: no reminder to pin it later.
    const due = await flow.stores.reminders.listDue(new Date('2030-01-01T00:00:00.000Z'), 50);
    expect(due.map((item) => item.value.kind)).not.toContain('teamkanalFlik');
  });

  it('when Teams refuses the tab (no TeamsTab.Create), the channel still starts, and a later run pins it once', async () => {
    const fake = fakeGraph({ refuseTabs: true });
    const deps = { ...(await setUp([teamA])), planTabUrl };

    expect(await createTeamChannel(deps, buildCreateChannelReminder())).toBe('created');
    expect((await readChannel())?.channelId).toBe('19:kanal1@thread.tacv2');
    expect((await readChannel())?.tab).toBeUndefined();
    const due = await flow.stores.reminders.listDue(new Date('2030-01-01T00:00:00.000Z'), 50);
    const retry = due.find((item) => item.value.kind === 'teamkanalFlik');
    if (retry === undefined) throw new Error('ingen påminnelse om fliken');

    // Still refused: tried again in half an hour.
    expect(await pinPlanTab(deps, retry.value)).toBe('retryLater');
    const next = (await flow.stores.reminders.listDue(new Date('2030-01-01T00:00:00.000Z'), 50)).find(
      (item) => item.value.id === `${channelCaseId}:teamkanal:flik:1`,
    );
    expect(Date.parse(next?.value.dueAt ?? '') - Date.parse(teamStartedAt)).toBe(30 * 60_000);

    // The administrator grants the permission: the next run pins it, and a run after that does nothing.
    fake.control.refuseTabs = false;
    expect(await pinPlanTab(deps, next?.value as Reminder)).toBe('pinned');
    expect((await readChannel())?.tab?.tabId).toMatch(/^flik-/);
    expect(await pinPlanTab(deps, retry.value)).toBe('alreadyThere');
    const pins = fake.requests.filter(
      (request) => request.method === 'POST' && request.url.endsWith('/tabs') && request.status === 201,
    );
    expect(pins).toHaveLength(1);
  });

  it('a tab a member added by hand on the config page (same entityId) is taken, not pinned twice', async () => {
    const fake = fakeGraph({ refuseTabs: true });
    const deps = { ...(await setUp([teamA])), planTabUrl };
    await createTeamChannel(deps, buildCreateChannelReminder());
    const channel = fake.team(teamA).channels[0];
    channel?.tabs.push({
      id: 'flik-for-hand',
      displayName: 'Barnets plan',
      appId: catalogAppId,
      entityId: `barnets-plan-${channelCaseId}`,
      contentUrl: planTabUrl(channelCaseId),
    });
    const due = await flow.stores.reminders.listDue(new Date('2030-01-01T00:00:00.000Z'), 50);
    const retry = due.find((item) => item.value.kind === 'teamkanalFlik');
    expect(await pinPlanTab(deps, retry?.value as Reminder)).toBe('pinned');
    expect((await readChannel())?.tab?.tabId).toBe('flik-for-hand');
    expect(channel?.tabs).toHaveLength(1);
  });
});

describeTeamChannelsContract('Microsoft Graph', {
  async open() {
    nock.cleanAll();
    contractGraph = fakeGraph();
    return createGraphTeamChannels({
      client: createGraphClient({ tokenProvider: { getAccessToken: async () => 'graph-app-token' } }),
      teamsAppId,
      sleep: async () => {},
    });
  },
  async givenFull(teamId) {
    contractGraph.team(teamId).full = true;
  },
});

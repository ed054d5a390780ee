/**
 * Microsoft Graph's Teams endpoints for the private channels, faked with nock at
 * graph.microsoft.com in the shapes of Graph's reference pages (channel-post "create private
 * channel" with application permissions, channel-list, channel-post-members, channel-list-members,
 * channel-delete-members, team-post-members with a userId filter, team-post-installedapps,
 * team-list-installedapps, appcatalogs-list-teamsapps, channel-list-tabs with `$expand=teamsApp`,
 * channel-post-tabs, channel-archive, channel-delete). It keeps the teams' state so that a whole
 * provisioning run works, answers 409 to a name a team already has and 400 when a team is full,
 * and records every request with its answer.
 */
import nock from 'nock';
import { users } from '../fixtures/case-fixtures.js';

export const fakeTeamsAppId = '3f2b9c1d-8e4a-4b6f-9d0c-7a1e2f3b4c5d';
export const fakeCatalogAppId = 'e3e29acb-8c79-412b-b746-e6c39ff4cd22';
const teamsAppId = fakeTeamsAppId;
const catalogAppId = fakeCatalogAppId;
const graph = 'https://graph.microsoft.com';
const teamStartedAt = '2026-03-03T08:30:00.000Z';

export interface FakeMember {
  id: string;
  userId: string;
  roles: string[];
}
export interface FakeChannel {
  id: string;
  displayName: string;
  description: string;
  members: FakeMember[];
  tabs: FakeTab[];
  archived?: boolean;
}
export interface FakeTab {
  id: string;
  displayName: string;
  appId: string;
  entityId: string;
  contentUrl: string;
}
export interface FakeTeam {
  installed: boolean;
  full: boolean;
  /** An archived team's channels can be neither archived nor unarchived (400). */
  archived?: boolean;
  /** The channels deleted, which Teams keeps restorable for 30 days. */
  deleted?: FakeChannel[];
  members: Set<string>;
  channels: FakeChannel[];
}
export interface RecordedRequest {
  method: string;
  url: string;
  body?: unknown;
  status: number;
  response?: unknown;
}

/** Graph's teams as the documentation's examples answer, with a record of every request. */
export function fakeGraph(
  options: {
    throttleCreateOnce?: boolean;
    raceCreateOnce?: boolean;
    /** The app lacks `TeamsTab.Create`: pinning a tab answers 403 until this is set false. */
    refuseTabs?: boolean;
  } = {},
) {
  const control = { refuseTabs: options.refuseTabs === true };
  const teams = new Map<string, FakeTeam>();
  const requests: RecordedRequest[] = [];
  let seq = 0;
  let throttle = options.throttleCreateOnce === true;
  let race = options.raceCreateOnce === true;
  const team = (id: string) => {
    let found = teams.get(id);
    if (found === undefined) {
      // The convener belongs to the host team, as a private channel's owner must.
      found = { installed: false, full: false, members: new Set([users.barnkontakt]), channels: [] };
      teams.set(id, found);
    }
    return found;
  };
  const member = (entry: FakeMember) => ({
    '@odata.type': '#microsoft.graph.aadUserConversationMember',
    id: entry.id,
    roles: entry.roles,
    displayName: null,
    userId: entry.userId,
    email: null,
    tenantId: '5e0b1d3a-7c2f-4b8e-9a61-3f4d2c1b0a99',
  });
  const channelJson = (channel: FakeChannel) => ({
    id: channel.id,
    createdDateTime: teamStartedAt,
    displayName: channel.displayName,
    description: channel.description,
    membershipType: 'private',
    email: '',
    webUrl: `https://teams.microsoft.com/l/channel/${encodeURIComponent(channel.id)}`,
  });
  const userIdOf = (bind: unknown) => /users\('([^']+)'\)/.exec(String(bind))?.[1] ?? '';

  function answer(
    method: string,
    url: URL,
    body: Record<string, unknown> | undefined,
  ): [number, unknown?, Record<string, string>?] {
    const path = decodeURIComponent(url.pathname).replace(/^\/v1\.0/, '');
    const query = decodeURIComponent(url.search);
    let match: RegExpExecArray | null;
    if (method === 'GET' && path === '/appCatalogs/teamsApps') {
      return [
        200,
        {
          value: query.includes(teamsAppId)
            ? [
                {
                  id: catalogAppId,
                  externalId: teamsAppId,
                  displayName: 'Backa barnet',
                  distributionMethod: 'organization',
                },
              ]
            : [],
        },
      ];
    }
    match = /^\/teams\/([^/]+)\/installedApps$/.exec(path);
    if (match) {
      const t = team(match[1] as string);
      if (method === 'GET') {
        return [
          200,
          {
            value: t.installed
              ? [
                  {
                    id: 'installation-1',
                    teamsApp: { id: catalogAppId, externalId: teamsAppId, displayName: 'Backa barnet' },
                  },
                ]
              : [],
          },
        ];
      }
      t.installed = true;
      return [201];
    }
    match = /^\/teams\/([^/]+)\/channels$/.exec(path);
    if (match) {
      const t = team(match[1] as string);
      if (method === 'GET')
        return [
          200,
          {
            '@odata.context': "https://graph.microsoft.com/v1.0/$metadata#teams('id')/channels",
            value: t.channels.map(channelJson),
          },
        ];
      if (throttle) {
        throttle = false;
        return [
          429,
          { error: { code: 'TooManyRequests', message: 'Too many requests' } },
          { 'retry-after': '3' },
        ];
      }
      const displayName = String(body?.displayName);
      if (race) {
        // Another run of the job created it a moment ago.
        race = false;
        seq += 1;
        t.channels.push({
          id: `19:kanal${seq}@thread.tacv2`,
          displayName,
          description: String(body?.description),
          members: [],
          tabs: [],
        });
        return [409, { error: { code: 'Conflict', message: 'Channel name already existed' } }];
      }
      if (t.channels.some((channel) => channel.displayName.toLowerCase() === displayName.toLowerCase())) {
        return [409, { error: { code: 'Conflict', message: 'Channel name already existed' } }];
      }
      if (t.full)
        return [
          400,
          { error: { code: 'BadRequest', message: 'Maximum number of private channels reached' } },
        ];
      seq += 1;
      const owner = ((body?.members ?? []) as Record<string, unknown>[])[0];
      const channel: FakeChannel = {
        id: `19:kanal${seq}@thread.tacv2`,
        displayName,
        description: String(body?.description),
        members: [
          { id: `medlemskap-${seq}-agare`, userId: userIdOf(owner?.['user@odata.bind']), roles: ['owner'] },
        ],
        tabs: [],
      };
      t.channels.push(channel);
      return [
        201,
        {
          '@odata.context': "https://graph.microsoft.com/v1.0/$metadata#teams('id')/channels/$entity",
          ...channelJson(channel),
        },
      ];
    }
    match = /^\/teams\/([^/]+)\/members$/.exec(path);
    if (match) {
      const t = team(match[1] as string);
      if (method === 'GET') {
        const wanted = /userId eq '([^']+)'/.exec(query)?.[1] ?? '';
        return [
          200,
          {
            value: t.members.has(wanted) ? [member({ id: `team-${wanted}`, userId: wanted, roles: [] })] : [],
          },
        ];
      }
      const userId = userIdOf(body?.['user@odata.bind']);
      t.members.add(userId);
      return [201, member({ id: `team-${userId}`, userId, roles: [] })];
    }
    match = /^\/teams\/([^/]+)\/channels\/([^/]+)\/archive$/.exec(path);
    if (match && method === 'POST') {
      const t = team(match[1] as string);
      const channel = t.channels.find((item) => item.id === match?.[2]);
      if (channel === undefined) return [404, { error: { code: 'NotFound', message: 'Channel not found' } }];
      if (t.archived === true) {
        return [
          400,
          {
            error: {
              code: 'BadRequest',
              message: `Team has to be active, for channel to be archived or unarchived: ${channel.id}`,
            },
          },
        ];
      }
      channel.archived = true;
      seq += 1;
      // channel-archive's example: 202 with the async operation's Location and an empty body.
      return [
        202,
        undefined,
        { location: `/teams/${match[1]}/operations/arkivering-${seq}`, 'content-type': 'text/plain' },
      ];
    }
    match = /^\/teams\/([^/]+)\/channels\/([^/]+)$/.exec(path);
    if (match && method === 'DELETE') {
      const t = team(match[1] as string);
      const channel = t.channels.find((item) => item.id === match?.[2]);
      if (channel === undefined) return [404, { error: { code: 'NotFound', message: 'Channel not found' } }];
      t.channels = t.channels.filter((item) => item !== channel);
      t.deleted = [...(t.deleted ?? []), channel];
      return [204];
    }
    match = /^\/teams\/([^/]+)\/channels\/([^/]+)\/members(?:\/([^/]+))?$/.exec(path);
    if (match) {
      const t = team(match[1] as string);
      const channel = t.channels.find((item) => item.id === match?.[2]);
      if (channel === undefined) return [404, { error: { code: 'NotFound', message: 'Channel not found' } }];
      if (method === 'GET') return [200, { value: channel.members.map(member) }];
      if (method === 'DELETE') {
        channel.members = channel.members.filter((item) => item.id !== match?.[3]);
        return [204];
      }
      const userId = userIdOf(body?.['user@odata.bind']);
      if (!t.members.has(userId))
        return [400, { error: { code: 'BadRequest', message: 'User is not a member of the team' } }];
      seq += 1;
      const added = { id: `medlemskap-${seq}`, userId, roles: (body?.roles as string[]) ?? [] };
      channel.members.push(added);
      return [201, member(added)];
    }
    match = /^\/teams\/([^/]+)\/channels\/([^/]+)\/tabs$/.exec(path);
    if (match) {
      const t = team(match[1] as string);
      const channel = t.channels.find((item) => item.id === match?.[2]);
      if (channel === undefined) return [404, { error: { code: 'NotFound', message: 'Channel not found' } }];
      if (method === 'GET') {
        const wantedApp = /teamsApp\/id eq '([^']+)'/.exec(query)?.[1];
        return [
          200,
          {
            value: channel.tabs
              .filter((tab) => wantedApp === undefined || tab.appId === wantedApp)
              .map((tab) => ({
                ...tabJson(channel, tab),
                sortOrderIndex: '20',
                teamsApp: { id: tab.appId, displayName: 'Backa barnet', distributionMethod: 'organization' },
              })),
          },
        ];
      }
      if (control.refuseTabs) {
        return [403, { error: { code: 'Forbidden', message: 'Missing role permissions on the request.' } }];
      }
      if (!t.installed) return [400, { error: { code: 'BadRequest', message: 'App is not installed' } }];
      const bind = String(body?.['teamsApp@odata.bind'] ?? '');
      const configuration = (body?.configuration ?? {}) as Record<string, unknown>;
      seq += 1;
      const tab: FakeTab = {
        id: `flik-${seq}`,
        displayName: String(body?.displayName),
        appId: bind.split('/').pop() ?? '',
        entityId: String(configuration.entityId),
        contentUrl: String(configuration.contentUrl),
      };
      channel.tabs.push(tab);
      return [201, tabJson(channel, tab)];
    }
    return [404, { error: { code: 'NotFound', message: 'Not faked' } }];
  }

  function tabJson(channel: FakeChannel, tab: FakeTab) {
    return {
      id: tab.id,
      displayName: tab.displayName,
      configuration: {
        entityId: tab.entityId,
        contentUrl: tab.contentUrl,
        websiteUrl: null,
        removeUrl: null,
      },
      webUrl: `https://teams.microsoft.com/l/channel/${encodeURIComponent(channel.id)}/tab%3a%3a${tab.id}?label=${encodeURIComponent(tab.displayName)}`,
    };
  }

  for (const method of ['get', 'post', 'delete'] as const) {
    nock(graph)
      .persist()
      [method](/.*/)
      .reply(async (request: Request) => {
        const url = new URL(request.url);
        const text = method === 'post' ? await request.text() : '';
        const body = text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
        const [status, response, headers] = answer(method.toUpperCase(), url, body);
        requests.push({
          method: method.toUpperCase(),
          url: `${decodeURIComponent(url.pathname)}${decodeURIComponent(url.search)}`,
          ...(body === undefined ? {} : { body }),
          status,
          ...(response === undefined ? {} : { response }),
        });
        return [status, response ?? '', { 'content-type': 'application/json', ...headers }];
      });
  }
  return { team, requests, control };
}

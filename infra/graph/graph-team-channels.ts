/**
 * The Individuellt barnteams' private channels through Microsoft Graph, app-only (the bot's app
 * registration). Application permissions, each with admin consent: `Channel.Create` (create a
 * private channel with an owner), `Channel.ReadBasic.All` (find it again by its name),
 * `ChannelMember.ReadWrite.All` (its members), `TeamMember.ReadWrite.All` (a private channel's
 * members must belong to the host team), `AppCatalog.Read.All` and
 * `TeamsAppInstallation.ReadWriteSelfForTeam.All` (install the app itself in the host team),
 * `TeamsTab.Create` and `TeamsTab.Read.All` (pin the channel tab with Barnets plan and find it
 * again; the tab's `entityId` and address name the case by its opaque id only),
 * `ChannelSettings.ReadWrite.All` (archive an ended team's channel, `POST .../archive`, v1.0) and
 * `Channel.Delete.All` (delete it later, `DELETE /teams/{id}/channels/{id}`; Microsoft lists a
 * known issue with application permissions on this call, so a refusal is retried and logged).
 *
 * Teams allows about 4 requests per second on one team: the requests to a team are spaced
 * `minTeamIntervalMs` apart in this instance, and the Graph client honours a 429's Retry-After.
 * The channel's name goes in no URL: a team's private channels (at most 30) are listed and the
 * name compared here, so that the initials stay out of every proxy's and Graph's request log.
 */
import type { z } from 'zod';
import {
  type ChannelArchiving,
  type ChannelCreation,
  type ChannelMembership,
  type TeamChannels,
  TeamChannelsMisconfigured,
} from '../../flows/kernel/team-channel.js';
import { type GraphClient, type GraphOperation, isGraphError } from './graph-client.js';
import {
  ZGraphChannel,
  ZGraphChannelList,
  ZGraphConversationMemberList,
  ZGraphTeamsAppInstallationList,
  ZGraphTeamsAppList,
  ZGraphTeamsTab,
  ZGraphTeamsTabList,
} from './graph-team-channel-schemas.js';

export interface GraphTeamChannelsOptions {
  readonly client: GraphClient;
  /** The app's manifest id (TEAMS_APP_ID): the catalog's `externalId` of the app to install. */
  readonly teamsAppId: string | undefined;
  /** `https://graph.microsoft.com/v1.0` unless a national cloud is used (for `@odata.bind`). */
  readonly bindBaseUrl?: string;
  /** Spacing of requests to one team; 250 ms keeps to Teams' 4 per second per team. */
  readonly minTeamIntervalMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

const memberType = '#microsoft.graph.aadUserConversationMember';

export function createGraphTeamChannels(options: GraphTeamChannelsOptions): TeamChannels {
  const { client } = options;
  const bindBase = (options.bindBaseUrl ?? 'https://graph.microsoft.com/v1.0').replace(/\/+$/, '');
  const minInterval = options.minTeamIntervalMs ?? 250;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  /** The next moment a request to each team may start (epoch ms), reserved synchronously. */
  const nextSlot = new Map<string, number>();
  let catalogAppId: string | undefined;

  async function paced(teamId: string): Promise<void> {
    const at = now();
    const slot = Math.max(at, nextSlot.get(teamId) ?? 0);
    nextSlot.set(teamId, slot + minInterval);
    if (slot > at) await sleep(slot - at);
  }

  const teamPath = (teamId: string) => `/teams/${encodeURIComponent(teamId)}`;
  const channelPath = (teamId: string, channelId: string) =>
    `${teamPath(teamId)}/channels/${encodeURIComponent(channelId)}`;
  const userBind = (userId: string) => `${bindBase}/users('${encodeURIComponent(userId)}')`;

  async function get<T>(
    teamId: string,
    operation: GraphOperation,
    path: string,
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  ): Promise<T> {
    await paced(teamId);
    return client.requestJson({ operation, method: 'GET', path, mailbox: `team:${teamId}` }, schema);
  }

  async function findCatalogAppId(teamId: string): Promise<string> {
    if (catalogAppId !== undefined) return catalogAppId;
    if (options.teamsAppId === undefined) {
      throw new TeamChannelsMisconfigured('TEAMS_APP_ID saknas: appen kan inte installeras i värdteamet.');
    }
    await paced(teamId);
    const apps = await client.requestJson(
      {
        operation: 'findTeamsApp',
        method: 'GET',
        path: `/appCatalogs/teamsApps?$filter=${encodeURIComponent(`externalId eq '${options.teamsAppId}'`)}`,
        mailbox: 'appCatalog',
      },
      ZGraphTeamsAppList,
    );
    const found = apps.value[0]?.id;
    if (found === undefined) {
      throw new TeamChannelsMisconfigured('Appen finns inte i organisationens appkatalog.');
    }
    catalogAppId = found;
    return found;
  }

  async function isTeamMember(teamId: string, userId: string): Promise<boolean> {
    const filter = `(microsoft.graph.aadUserConversationMember/userId eq '${userId}')`;
    const members = await get(
      teamId,
      'findTeamMember',
      `${teamPath(teamId)}/members?$filter=${encodeURIComponent(filter)}`,
      ZGraphConversationMemberList,
    );
    return members.value.some((member) => member.userId?.toLowerCase() === userId.toLowerCase());
  }

  return {
    async findChannelByName(teamId, displayName) {
      const listed = await get(
        teamId,
        'listChannels',
        `${teamPath(teamId)}/channels?$filter=${encodeURIComponent("membershipType eq 'private'")}`,
        ZGraphChannelList,
      );
      // Teams compares channel names without regard to case.
      const wanted = displayName.toLocaleLowerCase('sv-SE');
      const channel = listed.value.find((item) => item.displayName.toLocaleLowerCase('sv-SE') === wanted);
      return channel === undefined
        ? undefined
        : { channelId: channel.id, description: channel.description ?? '' };
    },

    async createPrivateChannel(request): Promise<ChannelCreation> {
      await paced(request.teamId);
      try {
        const channel = await client.requestJson(
          {
            operation: 'createChannel',
            method: 'POST',
            path: `${teamPath(request.teamId)}/channels`,
            mailbox: `team:${request.teamId}`,
            // The body of Graph's "create private channel" example for application permissions.
            body: {
              '@odata.type': '#Microsoft.Graph.channel',
              membershipType: 'private',
              displayName: request.displayName,
              description: request.description,
              'members@odata.type': '#Collection(microsoft.graph.conversationMember)',
              members: [
                {
                  '@odata.type': memberType,
                  'user@odata.bind': userBind(request.ownerUserId),
                  roles: ['owner'],
                },
              ],
            },
          },
          ZGraphChannel,
        );
        return { outcome: 'created', channelId: channel.id };
      } catch (error) {
        if (isGraphError(error, 409)) return { outcome: 'nameTaken' };
        // The name was checked against Teams' rules before, so a 400 is the team's limit of
        // private channels (deleted ones count for 30 days); Graph says no more than that.
        if (isGraphError(error, 400)) return { outcome: 'teamFull' };
        throw error;
      }
    },

    async ensureAppInstalled(teamId) {
      const appId = await findCatalogAppId(teamId);
      const installed = await get(
        teamId,
        'listTeamApps',
        `${teamPath(teamId)}/installedApps?$expand=teamsApp&$filter=${encodeURIComponent(`teamsApp/id eq '${appId}'`)}`,
        ZGraphTeamsAppInstallationList,
      );
      if (installed.value.some((item) => item.teamsApp?.id === appId)) return;
      await paced(teamId);
      try {
        await client.requestVoid({
          operation: 'installTeamApp',
          method: 'POST',
          path: `${teamPath(teamId)}/installedApps`,
          mailbox: `team:${teamId}`,
          body: { 'teamsApp@odata.bind': `${bindBase}/appCatalogs/teamsApps/${encodeURIComponent(appId)}` },
        });
      } catch (error) {
        // Installed by someone else between the look and the install.
        if (!isGraphError(error, 409)) throw error;
      }
    },

    async listMembers(teamId, channelId): Promise<ChannelMembership[]> {
      const members: ChannelMembership[] = [];
      let path: string | undefined = `${channelPath(teamId, channelId)}/members`;
      // A private channel has at most 250 members; a few pages at most.
      for (let page = 0; path !== undefined && page < 10; page += 1) {
        const listed: z.infer<typeof ZGraphConversationMemberList> = await get(
          teamId,
          'listChannelMembers',
          path,
          ZGraphConversationMemberList,
        );
        for (const member of listed.value) {
          if (member.userId === undefined || member.userId === null) continue;
          members.push({
            membershipId: member.id,
            userId: member.userId,
            owner: (member.roles ?? []).includes('owner'),
          });
        }
        const next = listed['@odata.nextLink'];
        path = next === undefined ? undefined : toRelativePath(next, bindBase);
      }
      return members;
    },

    async addMember(teamId, channelId, userId, memberOptions) {
      if (!(await isTeamMember(teamId, userId))) {
        await paced(teamId);
        try {
          await client.requestVoid({
            operation: 'addTeamMember',
            method: 'POST',
            path: `${teamPath(teamId)}/members`,
            mailbox: `team:${teamId}`,
            body: { '@odata.type': memberType, roles: [], 'user@odata.bind': userBind(userId) },
          });
        } catch (error) {
          if (!isGraphError(error, 409)) throw error;
        }
      }
      await paced(teamId);
      try {
        await client.requestVoid({
          operation: 'addChannelMember',
          method: 'POST',
          path: `${channelPath(teamId, channelId)}/members`,
          mailbox: `team:${teamId}`,
          body: {
            '@odata.type': memberType,
            roles: memberOptions.owner ? ['owner'] : [],
            'user@odata.bind': userBind(userId),
          },
        });
      } catch (error) {
        if (!isGraphError(error, 409)) throw error;
      }
    },

    async findTab(teamId, channelId, entityId) {
      const appId = await findCatalogAppId(teamId);
      const listed = await get(
        teamId,
        'listChannelTabs',
        `${channelPath(teamId, channelId)}/tabs?$expand=teamsApp&$filter=${encodeURIComponent(`teamsApp/id eq '${appId}'`)}`,
        ZGraphTeamsTabList,
      );
      // The filter is Graph's; the app and the entity are compared here too, so that a tab of
      // another app or another case is never taken for this one.
      const tab = listed.value.find(
        (item) => item.teamsApp?.id === appId && item.configuration?.entityId === entityId,
      );
      return tab === undefined ? undefined : { tabId: tab.id, webUrl: tab.webUrl };
    },

    async addTab(request) {
      const appId = await findCatalogAppId(request.teamId);
      await paced(request.teamId);
      const tab = await client.requestJson(
        {
          operation: 'addChannelTab',
          method: 'POST',
          path: `${channelPath(request.teamId, request.channelId)}/tabs`,
          mailbox: `team:${request.teamId}`,
          body: {
            displayName: request.displayName,
            'teamsApp@odata.bind': `${bindBase}/appCatalogs/teamsApps/${encodeURIComponent(appId)}`,
            configuration: { entityId: request.entityId, contentUrl: request.contentUrl },
          },
        },
        ZGraphTeamsTab,
      );
      return { tabId: tab.id, webUrl: tab.webUrl };
    },

    async archiveChannel(teamId, channelId): Promise<ChannelArchiving> {
      await paced(teamId);
      try {
        // 202 Accepted with the teamsAsyncOperation's Location: Teams archives a moment later.
        // The channel's SharePoint files become read-only for whoever is still a member.
        await client.requestVoid({
          operation: 'archiveChannel',
          method: 'POST',
          path: `${channelPath(teamId, channelId)}/archive`,
          mailbox: `team:${teamId}`,
          body: { shouldSetSpoSiteReadOnlyForMembers: true },
        });
        return 'archived';
      } catch (error) {
        if (isGraphError(error, 404)) return 'gone';
        if (isGraphError(error, 400)) return 'refused';
        throw error;
      }
    },

    async deleteChannel(teamId, channelId) {
      await paced(teamId);
      try {
        await client.requestVoid({
          operation: 'deleteChannel',
          method: 'DELETE',
          path: channelPath(teamId, channelId),
          mailbox: `team:${teamId}`,
        });
        return 'deleted';
      } catch (error) {
        if (isGraphError(error, 404)) return 'gone';
        throw error;
      }
    },

    async removeMember(teamId, channelId, membershipId) {
      await paced(teamId);
      try {
        await client.requestVoid({
          operation: 'removeChannelMember',
          method: 'DELETE',
          path: `${channelPath(teamId, channelId)}/members/${encodeURIComponent(membershipId)}`,
          mailbox: `team:${teamId}`,
        });
      } catch (error) {
        if (!isGraphError(error, 404)) throw error;
      }
    },
  };
}

/** A nextLink is absolute; the client wants the path below the version root, on the same host only. */
function toRelativePath(nextLink: string, bindBase: string): string | undefined {
  if (!nextLink.startsWith(`${bindBase}/`)) return undefined;
  return nextLink.slice(bindBase.length);
}

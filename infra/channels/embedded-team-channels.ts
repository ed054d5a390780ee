/**
 * The local stand-in for the host teams' private channels (`npm start`, tests). Each channel
 * created here gets an id of its own (`lokal-kanal-<uuid>`) with its own members; the bot's
 * conversation for any of them is started in the Agents Playground team's channel named in
 * `.m365agentsplayground.yml` (`Ärenden`, see `toPlaygroundChannel`), so that the status posts
 * land where a newcomer sees them in the playground. The playground has no private channels and
 * no Graph, so names, members and installations are kept in memory with the same rules as
 * Teams: 30 private channels per team, a deleted one counted for 30 days more, one name once per
 * team (case-insensitive), 250 members per channel, members of the host team only.
 *
 * In memory on purpose: the case document records the channel, so after a restart the job does
 * not run again, and the playground's own conversations start empty on every run.
 */
import { randomUUID } from 'node:crypto';
import type {
  ChannelCreation,
  ChannelMembership,
  PinnedTab,
  TeamChannels,
} from '../../flows/kernel/team-channel.js';

/** The playground team's channel of `.m365agentsplayground.yml`. */
export const playgroundChannelId = '19:local-barnteam-arenden@thread.tacv2';

export const embeddedPrivateChannelLimit = 30;
export const embeddedChannelMemberLimit = 250;

/** The playground conversation a local channel's posts go to: the one channel the playground has for them. */
export function toPlaygroundChannel(_localChannelId: string): string {
  return playgroundChannelId;
}

export interface EmbeddedTeamChannelsOptions {
  readonly privateChannelLimit?: number;
  /** The clock of the 30 days a deleted channel still counts (epoch ms). */
  readonly now?: () => number;
}

/** How long Teams counts a deleted private channel toward its team's limit. */
const deletedChannelCountsMs = 30 * 24 * 60 * 60_000;

export interface EmbeddedTeamChannels extends TeamChannels {
  /** What a test or the start banner may look at: the channels and their members by team. */
  describe(teamId: string): readonly {
    readonly displayName: string;
    readonly channelId: string;
    readonly members: readonly ChannelMembership[];
    readonly archived: boolean;
  }[];
  isAppInstalled(teamId: string): boolean;
}

interface EmbeddedChannel {
  readonly displayName: string;
  readonly description: string;
  readonly channelId: string;
  readonly members: Map<string, ChannelMembership>;
  /** Tabs by entityId. */
  readonly tabs: Map<string, PinnedTab>;
  archived: boolean;
}

export function createEmbeddedTeamChannels(options: EmbeddedTeamChannelsOptions = {}): EmbeddedTeamChannels {
  const limit = options.privateChannelLimit ?? embeddedPrivateChannelLimit;
  const now = options.now ?? Date.now;
  const teams = new Map<string, EmbeddedChannel[]>();
  /** When each team's channels were deleted (epoch ms). */
  const deletions = new Map<string, number[]>();
  const installed = new Set<string>();
  let membershipSeq = 0;

  const channelsOf = (teamId: string) => {
    let list = teams.get(teamId);
    if (list === undefined) {
      list = [];
      teams.set(teamId, list);
    }
    return list;
  };
  /**
   * A channel a case recorded in an earlier run is taken as it is (empty): the playground and
   * this store start afresh with each `npm start`, the case does not.
   */
  const find = (teamId: string, id: string) => {
    const list = channelsOf(teamId);
    let channel = list.find((item) => item.channelId === id);
    if (channel === undefined) {
      channel = {
        displayName: '',
        description: '',
        channelId: id,
        members: new Map(),
        tabs: new Map(),
        archived: false,
      };
      list.push(channel);
    }
    return channel;
  };
  const sameName = (a: string, b: string) => a.toLocaleLowerCase('sv-SE') === b.toLocaleLowerCase('sv-SE');

  return {
    async findChannelByName(teamId, displayName) {
      const channel = channelsOf(teamId).find((item) => sameName(item.displayName, displayName));
      return channel === undefined
        ? undefined
        : { channelId: channel.channelId, description: channel.description };
    },
    async createPrivateChannel(request): Promise<ChannelCreation> {
      const list = channelsOf(request.teamId);
      if (list.some((item) => sameName(item.displayName, request.displayName)))
        return { outcome: 'nameTaken' };
      const recentlyDeleted = (deletions.get(request.teamId) ?? []).filter(
        (at) => now() - at < deletedChannelCountsMs,
      ).length;
      if (list.length + recentlyDeleted >= limit) return { outcome: 'teamFull' };
      const channel: EmbeddedChannel = {
        displayName: request.displayName,
        description: request.description,
        channelId: `lokal-kanal-${randomUUID()}`,
        members: new Map(),
        tabs: new Map(),
        archived: false,
      };
      membershipSeq += 1;
      channel.members.set(request.ownerUserId, {
        membershipId: `lokal-medlem-${membershipSeq}`,
        userId: request.ownerUserId,
        owner: true,
      });
      list.push(channel);
      return { outcome: 'created', channelId: channel.channelId };
    },
    async ensureAppInstalled(teamId) {
      installed.add(teamId);
    },
    async listMembers(teamId, id) {
      return [...find(teamId, id).members.values()];
    },
    async addMember(teamId, id, userId, memberOptions) {
      const channel = find(teamId, id);
      if (channel.members.has(userId)) return;
      if (channel.members.size >= embeddedChannelMemberLimit) {
        throw new Error('En privat kanal har högst 250 medlemmar.');
      }
      membershipSeq += 1;
      channel.members.set(userId, {
        membershipId: `lokal-medlem-${membershipSeq}`,
        userId,
        owner: memberOptions.owner,
      });
    },
    async removeMember(teamId, id, membershipId) {
      const channel = find(teamId, id);
      for (const [userId, member] of channel.members) {
        if (member.membershipId === membershipId) channel.members.delete(userId);
      }
    },
    async findTab(teamId, id, entityId) {
      return find(teamId, id).tabs.get(entityId);
    },
    async addTab(request) {
      const channel = find(request.teamId, request.channelId);
      // The playground shows no tabs: the tab's own page, opened in the browser, stands in for it.
      const tab = { tabId: `lokal-flik-${randomUUID()}`, webUrl: request.contentUrl };
      channel.tabs.set(request.entityId, tab);
      return tab;
    },
    async archiveChannel(teamId, id) {
      const channel = channelsOf(teamId).find((item) => item.channelId === id);
      if (channel === undefined) return 'gone';
      channel.archived = true;
      return 'archived';
    },
    async deleteChannel(teamId, id) {
      const list = channelsOf(teamId);
      const index = list.findIndex((item) => item.channelId === id);
      if (index < 0) return 'gone';
      list.splice(index, 1);
      deletions.set(teamId, [...(deletions.get(teamId) ?? []), now()]);
      return 'deleted';
    },
    describe(teamId) {
      return channelsOf(teamId).map((channel) => ({
        displayName: channel.displayName,
        channelId: channel.channelId,
        members: [...channel.members.values()],
        archived: channel.archived,
      }));
    },
    isAppInstalled: (teamId) => installed.has(teamId),
  };
}

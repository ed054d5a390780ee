/**
 * The Individuellt barnteam's private channel through the real adapter and a nock'd Bot Connector:
 * the provisioning job creates the channel (the embedded stand-in for Graph), starts the bot's one
 * conversation in it with createConversation and channelData.channel.id, and the outbox delivers
 * the team's status posts there, as a member sees them: the case reference and the status, a
 * button to the plan, never the child's name. A post enqueued before the channel exists waits,
 * and after a withdrawal only the last post goes out, and then the channel is archived.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildTeamkanalPost } from '../../flows/individuellt-barnteam/team-effects.js';
import { toTeamkanalKey } from '../../flows/kernel/notices.js';
import {
  createEmbeddedTeamChannels,
  type EmbeddedTeamChannels,
} from '../../infra/channels/embedded-team-channels.js';
import { users } from '../fixtures/case-fixtures.js';
import { collectActions, readCards } from '../support/card-actions.js';
import { findCardProblems, readCardText } from '../support/card-validation.js';
import {
  buildCaseWithTeam,
  buildCreateChannelReminder,
  buildSyncMembersReminder,
  channelCaseId,
  childName,
  expectedChannelName,
  guestUserId,
} from '../support/team-channel-fixtures.js';
import { teamsBotNow, useTeamsBot } from '../support/teams-bot.js';

const hostTeamId = '7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e41';
let channels: EmbeddedTeamChannels;
const teams = useTeamsBot({
  teamChannels: () => {
    channels = createEmbeddedTeamChannels();
    return { channels };
  },
});

const later = (minutes: number) => new Date(Date.parse(teamsBotNow) + minutes * 60_000).toISOString();

function channelRequests(channelId: string) {
  return teams.connector.filter((request) => request.path === `/v3/conversations/${channelId}/activities`);
}

describe("the team's private channel", () => {
  it('is created with the team, and its first post says the team started, with the reference and a plan button only', async () => {
    await teams.stores.cases.create(buildCaseWithTeam());
    await teams.stores.reminders.schedule(buildCreateChannelReminder(teamsBotNow));

    await teams.bot.backgroundWork.runOnce();

    const [channel] = channels.describe(hostTeamId);
    expect(channel?.displayName).toBe(expectedChannelName);
    expect(channels.isAppInstalled(hostTeamId)).toBe(true);
    // The owner (who started the team), a colleague and the region's guest; not the police
    // officer outside Teams, who has no Teams identity.
    expect(channel?.members.map((member) => [member.userId, member.owner])).toEqual([
      [users.barnkontakt, true],
      [users.annanBarnkontakt, false],
      [guestUserId, false],
    ]);
    const channelId = channel?.channelId as string;

    const created = teams.connector.filter((request) => request.path === '/v3/conversations');
    expect(created).toHaveLength(1);
    expect(created[0]?.body).toMatchObject({
      isGroup: true,
      channelData: { channel: { id: channelId } },
      activity: { type: 'message' },
    });
    expect(JSON.stringify(created[0]?.body.activity)).toContain('BB-4K7Q-2M9C');

    const stored = await teams.stores.cases.get(channelCaseId);
    expect(stored?.value.individuelltBarnteam?.channel).toMatchObject({
      hostTeamId,
      channelId,
      conversationKey: `conversation:${channelId}`,
      displayName: expectedChannelName,
    });
    expect(await teams.stores.conversations.get(toTeamkanalKey(channelCaseId))).toMatchObject({
      conversationId: channelId,
    });

    const posts = channelRequests(channelId).flatMap((request) => readCards(request.body));
    expect(posts).toHaveLength(1);
    const post = posts[0] as Record<string, unknown>;
    // The post as Teams receives it, for the closing note (test-results/ is not committed).
    mkdirSync('test-results', { recursive: true });
    writeFileSync(
      'test-results/teamkanal-status-post.json',
      `${JSON.stringify(channelRequests(channelId)[0]?.body, null, 2)}\n`,
    );
    expect(findCardProblems(post, { allowedVerbs: ['plan.visa'] })).toEqual([]);
    expect(readCardText(post)).toContain('Individuellt barnteam · ärende BB-4K7Q-2M9C');
    expect(readCardText(post)).toContain('Individuellt barnteam har startat.');
    expect(collectActions(post)).toEqual([
      expect.objectContaining({ type: 'Action.Execute', verb: 'plan.visa', data: { caseId: channelCaseId } }),
    ]);

    // Nothing that went to Teams holds the child's name: not the channel, the first post or the card.
    const everything = JSON.stringify([teams.connector, channels.describe(hostTeamId), teams.bot.logLines]);
    expect(everything).not.toContain(childName.givenName);
    expect(everything).not.toContain(childName.familyName);
  });

  it('is created once: the job run again finds the channel and its conversation and starts no second one', async () => {
    await teams.stores.cases.create(buildCaseWithTeam());
    await teams.stores.reminders.schedule(buildCreateChannelReminder(teamsBotNow));
    await teams.bot.backgroundWork.runOnce();
    await teams.stores.reminders.schedule({
      ...buildCreateChannelReminder(teamsBotNow),
      id: `${channelCaseId}:teamkanal:igen`,
    });
    await teams.bot.backgroundWork.runOnce();

    expect(channels.describe(hostTeamId)).toHaveLength(1);
    expect(teams.connector.filter((request) => request.path === '/v3/conversations')).toHaveLength(1);
    const channelId = channels.describe(hostTeamId)[0]?.channelId as string;
    expect(channelRequests(channelId)).toHaveLength(1);
  });

  it('keeps a post that comes before the channel exists, tells nobody, and delivers it once the channel is there', async () => {
    await teams.stores.cases.create(buildCaseWithTeam());
    const early = buildTeamkanalPost(channelCaseId, 'medlemTillagd', teamsBotNow, guestUserId);
    await teams.stores.outbox.enqueue(early);
    const before = teams.connector.length;

    await teams.bot.backgroundWork.runOnce();
    const waiting = await teams.stores.outbox.get(early.id);
    expect(waiting?.value).toMatchObject({
      status: 'pending',
      attempts: 0,
      lastError: 'waitingForConversation',
    });
    // Not sent anywhere, and no "the app is not installed" message to the fallback contact.
    expect(teams.connector.slice(before)).toEqual([]);
    const outbox = await teams.stores.outbox.listDue(new Date(later(60)), 50);
    expect(outbox.map((item) => item.value.id)).toEqual([early.id]);

    await teams.stores.reminders.schedule(buildCreateChannelReminder(later(1)));
    teams.setNow(later(2));
    await teams.bot.backgroundWork.runOnce();

    const channelId = channels.describe(hostTeamId)[0]?.channelId as string;
    const texts = channelRequests(channelId).flatMap((request) => readCards(request.body).map(readCardText));
    expect(texts).toHaveLength(2);
    expect(texts.join('\n')).toContain('En medlem har lagts till i teamet.');
    expect((await teams.stores.outbox.get(early.id))?.value.status).toBe('delivered');
  });

  it("once the channel tab is pinned, a post's first button opens the tab by Teams' deep link, the second the plan in the chat", async () => {
    await teams.stores.cases.create(buildCaseWithTeam());
    await teams.stores.reminders.schedule(buildCreateChannelReminder(teamsBotNow));
    await teams.bot.backgroundWork.runOnce();
    const stored = await teams.stores.cases.get(channelCaseId);
    const team = stored?.value.individuelltBarnteam;
    if (stored === undefined || team?.channel === undefined) throw new Error('ingen kanal');
    const webUrl =
      'https://teams.microsoft.com/l/channel/19%3Akanal1%40thread.tacv2/tab%3a%3aflik-1?label=Barnets%20plan';
    await teams.stores.cases.replace(
      {
        ...stored.value,
        individuelltBarnteam: {
          ...team,
          channel: { ...team.channel, tab: { tabId: 'flik-1', webUrl, pinnedAt: teamsBotNow } },
        },
      },
      stored.etag,
    );
    await teams.stores.outbox.enqueue(buildTeamkanalPost(channelCaseId, 'planFaststalld', later(1)));
    teams.setNow(later(2));

    await teams.bot.backgroundWork.runOnce();

    const posts = channelRequests(team.channel.channelId).flatMap((request) => readCards(request.body));
    const post = posts.find((card) => readCardText(card).includes('Barnets plan är fastställd.'));
    if (post === undefined) throw new Error('inget inlägg');
    expect(findCardProblems(post, { allowedVerbs: ['plan.visa'] })).toEqual([]);
    expect(collectActions(post)).toEqual([
      expect.objectContaining({ type: 'Action.OpenUrl', title: 'Öppna fliken Barnets plan', url: webUrl }),
      expect.objectContaining({ type: 'Action.Execute', verb: 'plan.visa', data: { caseId: channelCaseId } }),
    ]);
    expect(JSON.stringify(post)).not.toContain(childName.givenName);
  });

  it('after a withdrawal sends only "Samtycket har återkallats; teamet är avslutat." and leaves the channel to its owner', async () => {
    await teams.stores.cases.create(buildCaseWithTeam());
    await teams.stores.reminders.schedule(buildCreateChannelReminder(teamsBotNow));
    await teams.bot.backgroundWork.runOnce();
    const channelId = channels.describe(hostTeamId)[0]?.channelId as string;

    const stored = await teams.stores.cases.get(channelCaseId);
    const team = stored?.value.individuelltBarnteam;
    if (stored === undefined || team === undefined) throw new Error('Ärendet saknas');
    await teams.stores.cases.replace(
      {
        ...stored.value,
        state: 'samtyckeAterkallat',
        individuelltBarnteam: {
          ...team,
          members: team.members.map((member) => ({ ...member, until: later(3) })),
        },
      },
      stored.etag,
    );
    await teams.stores.outbox.enqueue(buildTeamkanalPost(channelCaseId, 'planFaststalld', later(3)));
    await teams.stores.outbox.enqueue(buildTeamkanalPost(channelCaseId, 'teametAvslutat', later(3)));
    await teams.stores.reminders.schedule(buildSyncMembersReminder('aterkallat', later(3)));
    teams.setNow(later(4));
    await teams.bot.backgroundWork.runOnce();

    const posts = channelRequests(channelId).flatMap((request) => readCards(request.body));
    expect(posts).toHaveLength(2);
    const last = posts.at(-1);
    expect(readCardText(last)).toContain('Samtycket har återkallats; teamet är avslutat.');
    expect(collectActions(last)).toEqual([]);
    // The members read the last post in the channel before they leave it, and then it is archived.
    teams.setNow(later(5));
    await teams.bot.backgroundWork.runOnce();
    expect(channels.describe(hostTeamId)[0]?.members.map((member) => member.userId)).toEqual([
      users.barnkontakt,
    ]);
    teams.setNow(later(6));
    await teams.bot.backgroundWork.runOnce();
    expect(channels.describe(hostTeamId)[0]?.archived).toBe(true);
    expect(
      (await teams.stores.cases.get(channelCaseId))?.value.individuelltBarnteam?.channel?.archivedAt,
    ).toBeDefined();
    expect(channelRequests(channelId).flatMap((request) => readCards(request.body))).toHaveLength(2);
  });

  it('tells the convener, its owner, how to let the bot post when Teams refuses it the channel (403)', async () => {
    teams.replaceConnector({ createConversation: { status: 403, id: '' } });
    await teams.stores.cases.create(buildCaseWithTeam());
    await teams.stores.reminders.schedule(buildCreateChannelReminder(teamsBotNow));

    await teams.bot.backgroundWork.runOnce();

    expect(
      (await teams.stores.cases.get(channelCaseId))?.value.individuelltBarnteam?.channel,
    ).toBeUndefined();
    const toMaria = teams.connector.filter(
      (request) => request.path === '/v3/conversations/a:personal-maria/activities',
    );
    const text = toMaria.map((request) => String(request.body.text)).join('\n');
    expect(text).toContain('ärende BB-4K7Q-2M9C');
    expect(text).toContain('Hantera kanal > Appar och lägg till Backa barnet');
    expect(text).not.toContain(childName.givenName);
    const retries = (await teams.stores.reminders.listForCase(channelCaseId)).filter((item) =>
      item.value.id.includes(':teamkanal:app:'),
    );
    expect(retries.map((item) => item.value.status)).toEqual(['scheduled']);
  });
});

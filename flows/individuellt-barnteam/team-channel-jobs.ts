/**
 * The two jobs of the team's private channel, run by the reminder sweeper:
 *
 * - `skapaTeamkanal` (committed with the team's start): create the private channel in the first
 *   host team with room, add the team's members, start the bot's one conversation there, write
 *   `channel` into the case and enqueue the first status post.
 * - `teamkanalMedlemmar` (committed with a member's addition or removal, and with a withdrawal):
 *   make the channel's members the team's active members. A removed member loses the channel at
 *   once; after a withdrawal or closing, once the team's last post is delivered (or half an hour
 *   has passed), only the channel's owner (the convener) is left, and the channel is then archived
 *   and later deleted (team-channel-retirement.ts).
 *
 * Write order of `skapaTeamkanal`, and what a crash at each point leaves:
 * 1. audit the share (the channel name holds the child's initials, members' ids go to Graph);
 * 2. make sure the app is installed in the host team;
 * 3. find the channel by name (ours: the description names the case) or create it; a crash after
 *    the create is found by name on the retry, so there is never a second channel;
 * 4. add the members (adding one twice leaves one membership);
 * 5. start the conversation unless one is stored under the channel's key (a retry after a crash
 *    here finds it and starts none);
 * 6. one conditional write of the case with `channel` and the first post (`replaceWithEffects`),
 *    everything else of the case kept as read; a lost race re-reads and writes again;
 * 6a. before that write, pin the channel tab with Barnets plan (found again by its `entityId`
 *    if a crashed run pinned it), so that the first post's button opens it; if Teams refuses
 *    (a permission missing, Graph down), the write commits a `teamkanalFlik` reminder instead,
 *    which pins it later; the posts open the plan in the chat until then;
 * 7. store the conversation under `teamkanal:<caseId>` too, which is where the outbox looks for
 *    the team's posts: until then they wait. A crash before it is repaired by the retry, which
 *    finds `channel` in the case and does only this.
 *
 * No host team with room (every one answers 400, the private-channel limit), or none configured:
 * the convener and the municipality's fallback contact are told what to do, once per directory
 * version, and the job waits without calling Graph until the directory's host teams change (it
 * looks once an hour; the directory is read at start, so a change comes with a restart).
 * Teams refusing the bot a conversation in the channel (the app has not been added to the private
 * channel): the convener, its owner, is told how to add it, and the job tries again every half
 * hour for two days.
 */
import type { Case } from '../kernel/case.js';
import { type FlowDependencies, nowInstant } from '../kernel/case-effects.js';
import { findContact, findHostTeams, type HostTeam } from '../kernel/directory.js';
import { isDomainError } from '../kernel/errors.js';
import { toTeamkanalKey } from '../kernel/notices.js';
import type { OutboxMessage, Reminder, Versioned } from '../kernel/ports.js';
import { activeTeamMembers } from '../kernel/records/individual-team.js';
import {
  ChannelConversationRefused,
  type ChannelConversations,
  createTeamChannelReminderKind,
  type PinnedTab,
  pinPlanTabReminderKind,
  planTabDisplayName,
  renderChannelName,
  syncTeamChannelMembersReminderKind,
  type TeamChannels,
  TeamChannelsMisconfigured,
  toChannelDescription,
  toChannelInitials,
  toPlanTabEntityId,
  withClashSuffix,
} from '../kernel/team-channel.js';
import { buildArchiveChannelReminder, isLastPostUnderway, isTeamOver } from './team-channel-retirement.js';
import { buildTeamkanalPost } from './team-effects.js';

export interface TeamChannelJobDependencies extends FlowDependencies {
  readonly teamChannels: TeamChannels;
  readonly channelConversations: ChannelConversations;
  /** The channel tab's page for a case; without it (no tab configured) no tab is pinned. */
  readonly planTabUrl?: (caseId: string) => string;
}

export type CreateChannelOutcome =
  | 'created'
  | 'alreadyThere'
  | 'noTeam'
  | 'teamEnded'
  | 'noHostTeamWithRoom'
  | 'waitingForConfiguration'
  | 'appNotInChannel'
  | 'retryLater';

export type SyncMembersOutcome = 'synced' | 'noChannel' | 'noTeam' | 'waitingForLastPost';

export type PinTabOutcome =
  | 'pinned'
  | 'alreadyThere'
  | 'noChannel'
  | 'noTeam'
  | 'teamEnded'
  | 'noTab'
  | 'retryLater';

/** Names tried in one host team before it is given up as a clash we cannot resolve. */
const maxNameTries = 5;
const configurationCheckMs = 60 * 60_000;
const appRetryMs = 30 * 60_000;
const maxAppRetries = 96;
const retryMs = 30 * 60_000;
/** Failed runs, half an hour apart, before the error is left to the sweeper: two days. */
const maxFailures = 96;
const caseWriteTries = 3;
const lastPostWaitMs = 60_000;
/** Half an hour of waiting for the last post before the members leave without it. */
const maxLastPostWaits = 30;

/** The reminder a change of the team's members commits, so that the channel follows it. */
export function buildChannelMembersReminder(caseId: string, cause: string, at: string): Reminder {
  return {
    id: `${caseId}:teamkanal:medlemmar:${cause}`,
    kind: syncTeamChannelMembersReminderKind,
    caseId,
    dueAt: at,
    status: 'scheduled',
    data: {},
    createdAt: at,
  };
}

/**
 * The handler of `skapaTeamkanal`. A failure it cannot classify (Graph or the Bot Connector down
 * longer than their own retries) is tried again in half an hour, for two days, rather than within
 * the sweeper's five tries over about 25 minutes: a team must not end up without its channel
 * because Graph had a bad morning. After that the error goes to the sweeper, which gives up and
 * logs it for the operators.
 */
export async function createTeamChannel(
  deps: TeamChannelJobDependencies,
  reminder: Reminder,
): Promise<CreateChannelOutcome> {
  try {
    return await provisionTeamChannel(deps, reminder);
  } catch (error) {
    if (error instanceof TeamChannelsMisconfigured && reminder.caseId !== undefined) {
      return waitForAdministrator(deps, reminder);
    }
    const failures = typeof reminder.data.failures === 'number' ? reminder.data.failures : 0;
    if (reminder.caseId === undefined || failures >= maxFailures) throw error;
    await scheduleFollowUp(deps, reminder, 'forsok', 'fel', retryMs, { failures: failures + 1 });
    return 'retryLater';
  }
}

async function provisionTeamChannel(
  deps: TeamChannelJobDependencies,
  reminder: Reminder,
): Promise<CreateChannelOutcome> {
  const caseId = reminder.caseId;
  if (caseId === undefined) return 'noTeam';
  const stored = await deps.stores.cases.get(caseId);
  const team = stored?.value.individuelltBarnteam;
  if (stored === undefined || team === undefined) return 'noTeam';
  if (team.channel !== undefined) {
    await storeTeamKey(deps, stored.value);
    return 'alreadyThere';
  }
  if (isTeamOver(stored.value)) return 'teamEnded';

  const hostTeams = findHostTeams(deps.directory, stored.value.unitId);
  const fingerprint = fingerprintHostTeams(hostTeams, deps.directory.teamChannels.namePattern);
  if (reminder.data.waitingFor === fingerprint) {
    await scheduleFollowUp(deps, reminder, 'vantar', fingerprint, configurationCheckMs);
    return 'waitingForConfiguration';
  }

  const caseValue = stored.value;
  const name = renderChannelName(deps.directory.teamChannels.namePattern, {
    initials: toChannelInitials(caseValue.child.givenName, caseValue.child.familyName),
    reference: caseValue.reference,
  });
  // The directory checked the pattern; a name Teams would refuse here is a bug to look at.
  if ('problem' in name) throw new Error(`channelName:${name.problem}`);
  const description = toChannelDescription(caseValue.reference);
  await deps.stores.audit.append({
    id: `audit-${deps.newId()}`,
    at: nowInstant(deps.clock),
    actor: 'system',
    action: 'skapaTeamkanal',
    caseId,
    unitId: caseValue.unitId,
    outcome: 'allowed',
    purpose:
      'Det Individuella barnteamet behöver en privat kanal för status om Barnets plan: kanalnamnet har barnets initialer och ärendets referens, bara teamets medlemmar läggs till.',
  });

  const placed = await placeChannel(deps, hostTeams, name.name, description, team.startedBy);
  if (placed === undefined) {
    await tellNoRoom(deps, caseValue, hostTeams, fingerprint, team.startedBy);
    await scheduleFollowUp(deps, reminder, 'vantar', fingerprint, configurationCheckMs);
    return 'noHostTeamWithRoom';
  }

  const owner = team.startedBy;
  const members = activeTeamMembers(team).flatMap((member) =>
    member.userId === undefined ? [] : [member.userId],
  );
  // Those already there (the owner from the create, everyone after a crash) are not added again.
  const present = new Set(
    (await deps.teamChannels.listMembers(placed.hostTeam.teamId, placed.channelId)).map((member) =>
      member.userId.toLowerCase(),
    ),
  );
  for (const userId of new Set([owner, ...members])) {
    if (present.has(userId.toLowerCase())) continue;
    await deps.teamChannels.addMember(placed.hostTeam.teamId, placed.channelId, userId, {
      owner: userId === owner,
    });
  }

  let conversationKey = deps.channelConversations.keyFor(placed.channelId);
  if ((await deps.stores.conversations.get(conversationKey)) === undefined) {
    const serviceUrl = await findServiceUrl(deps, [owner, ...members]);
    try {
      conversationKey = (
        await deps.channelConversations.start({
          tenantId: caseValue.tenantId,
          channelId: placed.channelId,
          serviceUrl,
          text: `Här skriver Backa barnet status för Barnets plan i Individuellt barnteam, ärende ${caseValue.reference}. Inga uppgifter om barnet skrivs i kanalen; ${deps.planTabUrl === undefined ? '' : 'fliken Barnets plan visar hela planen för teamets medlemmar, och '}knappen Visa Barnets plan öppnar planen i din chatt med Backa barnet.`,
        })
      ).conversationKey;
    } catch (error) {
      if (!(error instanceof ChannelConversationRefused)) throw error;
      await tellAppNotInChannel(deps, caseValue, placed.channelId, owner);
      const retries = typeof reminder.data.appRetries === 'number' ? reminder.data.appRetries : 0;
      if (retries < maxAppRetries) {
        await scheduleFollowUp(deps, reminder, 'app', String(retries + 1), appRetryMs, {
          appRetries: retries + 1,
        });
      }
      return 'appNotInChannel';
    }
  }

  const tab = await tryPinPlanTab(deps, caseId, placed.hostTeam.teamId, placed.channelId);
  const createdAt = nowInstant(deps.clock);
  const written = await writeChannel(
    deps,
    caseId,
    {
      hostTeamId: placed.hostTeam.teamId,
      channelId: placed.channelId,
      conversationKey,
      displayName: placed.displayName,
      createdAt,
      ...(tab === undefined ? {} : { tab: { ...tab, pinnedAt: createdAt } }),
    },
    tab === undefined && deps.planTabUrl !== undefined ? [buildPinTabReminder(caseId, createdAt)] : [],
  );
  if (written !== undefined) await storeTeamKey(deps, written);
  return 'created';
}

/**
 * The tab, found or pinned now, or undefined when there is none to pin or Teams refused: the
 * channel must not wait for its tab, so the refusal is left to the `teamkanalFlik` reminder.
 */
async function tryPinPlanTab(
  deps: TeamChannelJobDependencies,
  caseId: string,
  teamId: string,
  channelId: string,
): Promise<PinnedTab | undefined> {
  if (deps.planTabUrl === undefined) return undefined;
  try {
    return await findOrPinTab(deps, deps.planTabUrl, caseId, teamId, channelId);
  } catch {
    return undefined;
  }
}

async function findOrPinTab(
  deps: TeamChannelJobDependencies,
  planTabUrl: (caseId: string) => string,
  caseId: string,
  teamId: string,
  channelId: string,
): Promise<PinnedTab> {
  const entityId = toPlanTabEntityId(caseId);
  // A run that crashed after the pin, or a member who added the tab by hand, left one: reuse it.
  const existing = await deps.teamChannels.findTab(teamId, channelId, entityId);
  if (existing !== undefined) return existing;
  return deps.teamChannels.addTab({
    teamId,
    channelId,
    displayName: planTabDisplayName,
    entityId,
    contentUrl: planTabUrl(caseId),
  });
}

/** The reminder that pins the tab later, when the channel's creation could not. */
export function buildPinTabReminder(caseId: string, at: string): Reminder {
  return {
    id: `${caseId}:teamkanal:flik`,
    kind: pinPlanTabReminderKind,
    caseId,
    dueAt: at,
    status: 'scheduled',
    data: {},
    createdAt: at,
  };
}

/**
 * The handler of `teamkanalFlik`: pins the tab and records it in the case. Like the channel's
 * creation it keeps trying every half hour for two days, since a missing `TeamsTab.Create`
 * consent is fixed by an administrator, not by the next try; the posts open the plan in the chat
 * meanwhile.
 */
export async function pinPlanTab(
  deps: TeamChannelJobDependencies,
  reminder: Reminder,
): Promise<PinTabOutcome> {
  const read = await readTeamOf(deps, reminder);
  if (read === undefined) return 'noTeam';
  const { caseId, stored, channel } = read;
  if (channel === undefined) return 'noChannel';
  if (channel.tab !== undefined) return 'alreadyThere';
  if (isTeamOver(stored.value)) return 'teamEnded';
  if (deps.planTabUrl === undefined) return 'noTab';
  let tab: PinnedTab;
  try {
    tab = await findOrPinTab(deps, deps.planTabUrl, caseId, channel.hostTeamId, channel.channelId);
  } catch (error) {
    const failures = typeof reminder.data.failures === 'number' ? reminder.data.failures : 0;
    if (failures >= maxFailures) throw error;
    const now = deps.clock.now();
    await deps.stores.reminders.schedule({
      ...buildPinTabReminder(caseId, new Date(now.getTime() + retryMs).toISOString()),
      id: `${caseId}:teamkanal:flik:${failures + 1}`,
      data: { failures: failures + 1 },
      createdAt: now.toISOString(),
    });
    return 'retryLater';
  }
  for (let attempt = 1; attempt <= caseWriteTries; attempt += 1) {
    const current = await deps.stores.cases.get(caseId);
    const currentChannel = current?.value.individuelltBarnteam?.channel;
    if (current === undefined || currentChannel === undefined) return 'noChannel';
    if (currentChannel.tab !== undefined) return 'alreadyThere';
    const at = nowInstant(deps.clock);
    const currentTeam = current.value.individuelltBarnteam as NonNullable<Case['individuelltBarnteam']>;
    await deps.stores.audit.append({
      id: `audit-${deps.newId()}`,
      at,
      actor: 'system',
      action: 'sparaTeamkanalFlik',
      caseId,
      unitId: current.value.unitId,
      outcome: 'allowed',
      purpose:
        'Kanalfliken med Barnets plan sparas i ärendet så att kanalens inlägg öppnar den; fliken visar planen bara för den som har en roll i ärendet.',
    });
    try {
      await deps.stores.cases.replace(
        {
          ...current.value,
          individuelltBarnteam: {
            ...currentTeam,
            channel: { ...currentChannel, tab: { ...tab, pinnedAt: at } },
          },
          updatedAt: at,
        },
        current.etag,
      );
      return 'pinned';
    } catch (error) {
      if (!isDomainError(error, 'concurrencyConflict') || attempt === caseWriteTries) throw error;
    }
  }
  return 'retryLater';
}

/** The case of a channel job's reminder with its team, or undefined when there is no team (any more). */
async function readTeamOf(deps: TeamChannelJobDependencies, reminder: Reminder) {
  const caseId = reminder.caseId;
  if (caseId === undefined) return undefined;
  const stored = await deps.stores.cases.get(caseId);
  const team = stored?.value.individuelltBarnteam;
  if (stored === undefined || team === undefined) return undefined;
  return { caseId, stored, team, channel: team.channel };
}

/** The handler of `teamkanalMedlemmar`. */
export async function syncTeamChannelMembers(
  deps: TeamChannelJobDependencies,
  reminder: Reminder,
): Promise<SyncMembersOutcome> {
  const read = await readTeamOf(deps, reminder);
  if (read === undefined) return 'noTeam';
  const { caseId, stored, team, channel } = read;
  // Without a channel there is nothing to follow: its creation adds the members of that moment.
  if (channel === undefined || channel.deletedAt !== undefined) return 'noChannel';
  const over = isTeamOver(stored.value);
  // The members read the team's last post before they leave the channel: it is usually delivered
  // within seconds, and the job waits for it a while, never longer (access must end).
  const waits = typeof reminder.data.waits === 'number' ? reminder.data.waits : 0;
  if (over && waits < maxLastPostWaits && (await isLastPostUnderway(deps, caseId))) {
    const due = new Date(deps.clock.now().getTime() + lastPostWaitMs).toISOString();
    await deps.stores.reminders.schedule({
      ...buildChannelMembersReminder(caseId, `avslutat-vantar-${waits + 1}`, due),
      data: { waits: waits + 1 },
      createdAt: nowInstant(deps.clock),
    });
    return 'waitingForLastPost';
  }
  const wanted = new Set(
    over
      ? []
      : activeTeamMembers(team).flatMap((member) => (member.userId === undefined ? [] : [member.userId])),
  );
  const current = await deps.teamChannels.listMembers(channel.hostTeamId, channel.channelId);
  await deps.stores.audit.append({
    id: `audit-${deps.newId()}`,
    at: nowInstant(deps.clock),
    actor: 'system',
    action: 'teamkanalMedlemmar',
    caseId,
    unitId: stored.value.unitId,
    outcome: 'allowed',
    purpose: over
      ? 'Teamet är avslutat: medlemmarnas åtkomst till kanalen tas bort; kanalens ägare behåller den tills den arkiveras och tas bort.'
      : 'Kanalens medlemmar ska vara teamets aktiva medlemmar: den som lämnat teamet förlorar åtkomsten genast.',
  });
  const present = new Set(current.map((member) => member.userId.toLowerCase()));
  for (const userId of wanted) {
    if (!present.has(userId.toLowerCase())) {
      await deps.teamChannels.addMember(channel.hostTeamId, channel.channelId, userId, { owner: false });
    }
  }
  const wantedLower = new Set([...wanted].map((userId) => userId.toLowerCase()));
  for (const member of current) {
    // A private channel keeps at least its owner (Teams refuses to remove the last one): the
    // convener keeps it, with no member left, until the channel is archived and deleted.
    if (member.owner && member.userId.toLowerCase() === team.startedBy.toLowerCase()) continue;
    if (!wantedLower.has(member.userId.toLowerCase())) {
      await deps.teamChannels.removeMember(channel.hostTeamId, channel.channelId, member.membershipId);
    }
  }
  // With the members out, the channel is archived (team-channel-retirement.ts): scheduled only
  // now, so that nobody is left in a channel they can no longer write in.
  if (over) await deps.stores.reminders.schedule(buildArchiveChannelReminder(caseId, nowInstant(deps.clock)));
  return 'synced';
}

/**
 * The app cannot be installed in the host team as configured: the fallback contact is told once
 * per directory version, and the job looks again once an hour.
 */
async function waitForAdministrator(
  deps: TeamChannelJobDependencies,
  reminder: Reminder,
): Promise<CreateChannelOutcome> {
  const caseId = reminder.caseId as string;
  const stored = await deps.stores.cases.get(caseId);
  const hostTeams = stored === undefined ? [] : findHostTeams(deps.directory, stored.value.unitId);
  const fingerprint = fingerprintHostTeams(hostTeams, deps.directory.teamChannels.namePattern);
  const fallback = findContact(deps.directory, deps.directory.fallback.contact);
  if (stored !== undefined && fallback !== undefined) {
    await deps.stores.outbox.enqueue(
      textTo(
        deps,
        `${caseId}:teamkanal:konfiguration:${fingerprint}:reservkontakt:teamkanal`,
        fallback.aadObjectId,
        caseId,
        `Teamets privata kanal för Individuellt barnteam i ärende ${stored.value.reference} kan inte skapas: Backa barnet kan inte installera sig i värdteamet, eftersom appen inte hittas i organisationens appkatalog (TEAMS_APP_ID). Be IT-administratören publicera appen och ange TEAMS_APP_ID, och starta om Backa barnet.`,
      ),
    );
  }
  // Looked at again hourly (one catalog request): TEAMS_APP_ID is not part of the directory.
  await scheduleFollowUp(deps, reminder, 'forsok', 'konfiguration', configurationCheckMs);
  return 'waitingForConfiguration';
}

interface PlacedChannel {
  readonly hostTeam: HostTeam;
  readonly channelId: string;
  readonly displayName: string;
}

/**
 * The channel of this case in the first host team that has it or room for it. A name taken by a
 * channel that is not ours (another description) gets a suffix; ours is reused.
 */
async function placeChannel(
  deps: TeamChannelJobDependencies,
  hostTeams: readonly HostTeam[],
  name: string,
  description: string,
  ownerUserId: string,
): Promise<PlacedChannel | undefined> {
  for (const hostTeam of hostTeams) {
    // The bot must be in the host team before it can be added to or post in its channels.
    await deps.teamChannels.ensureAppInstalled(hostTeam.teamId);
    let full = false;
    for (let attempt = 1; attempt <= maxNameTries && !full; attempt += 1) {
      const displayName = withClashSuffix(name, attempt);
      const existing = await deps.teamChannels.findChannelByName(hostTeam.teamId, displayName);
      if (existing !== undefined) {
        if (existing.description === description)
          return { hostTeam, channelId: existing.channelId, displayName };
        continue;
      }
      const created = await deps.teamChannels.createPrivateChannel({
        teamId: hostTeam.teamId,
        displayName,
        description,
        ownerUserId,
      });
      if (created.outcome === 'created') return { hostTeam, channelId: created.channelId, displayName };
      if (created.outcome === 'teamFull') {
        full = true;
      } else {
        // Someone created it between the look and the create: ours if a retry of ours did.
        const raced = await deps.teamChannels.findChannelByName(hostTeam.teamId, displayName);
        if (raced?.description === description) return { hostTeam, channelId: raced.channelId, displayName };
      }
    }
    if (!full) throw new Error('channelNameClash');
  }
  return undefined;
}

/** A Bot Connector address the tenant's conversations use: the convener's chat first. */
async function findServiceUrl(deps: TeamChannelJobDependencies, userIds: readonly string[]): Promise<string> {
  for (const userId of userIds) {
    const conversation = await deps.stores.conversations.get(userId);
    if (conversation !== undefined) return conversation.serviceUrl;
  }
  throw new Error('noServiceUrl');
}

/** Writes `channel` into the team, keeping everything else as read; retried on a lost race. */
async function writeChannel(
  deps: TeamChannelJobDependencies,
  caseId: string,
  channel: NonNullable<NonNullable<Case['individuelltBarnteam']>['channel']>,
  reminders: readonly Reminder[],
): Promise<Case | undefined> {
  for (let attempt = 1; attempt <= caseWriteTries; attempt += 1) {
    const stored: Versioned<Case> | undefined = await deps.stores.cases.get(caseId);
    const team = stored?.value.individuelltBarnteam;
    if (stored === undefined || team === undefined) return undefined;
    if (team.channel !== undefined) return stored.value;
    const at = nowInstant(deps.clock);
    const next: Case = {
      ...stored.value,
      individuelltBarnteam: { ...team, channel },
      chronology: [...stored.value.chronology, { at, by: 'system', event: 'teamkanalSkapad' }],
      updatedAt: at,
    };
    await deps.stores.audit.append({
      id: `audit-${deps.newId()}`,
      at,
      actor: 'system',
      action: 'sparaTeamkanal',
      caseId,
      unitId: stored.value.unitId,
      outcome: 'allowed',
      purpose:
        'Teamets privata kanal sparas i ärendet så att status om Barnets plan når kanalen och ingen annan.',
    });
    try {
      const written = await deps.stores.cases.replaceWithEffects(next, stored.etag, {
        outbox: [buildTeamkanalPost(caseId, 'teametStartat', at)],
        reminders: [...reminders],
      });
      return written.value;
    } catch (error) {
      if (!isDomainError(error, 'concurrencyConflict') || attempt === caseWriteTries) throw error;
    }
  }
  return undefined;
}

/** Where the outbox finds the team's posts: the channel's conversation, under the case's key. */
async function storeTeamKey(deps: TeamChannelJobDependencies, caseValue: Case): Promise<void> {
  const channel = caseValue.individuelltBarnteam?.channel;
  if (channel === undefined) return;
  const key = toTeamkanalKey(caseValue.id);
  if ((await deps.stores.conversations.get(key)) !== undefined) return;
  const conversation = await deps.stores.conversations.get(channel.conversationKey);
  if (conversation === undefined) throw new Error('channelConversationMissing');
  await deps.stores.conversations.save({ ...conversation, key });
}

async function scheduleFollowUp(
  deps: TeamChannelJobDependencies,
  reminder: Reminder,
  why: 'vantar' | 'app' | 'forsok',
  tag: string,
  afterMs: number,
  data: Reminder['data'] = {},
): Promise<void> {
  const caseId = reminder.caseId as string;
  const now = deps.clock.now();
  const round = typeof reminder.data.round === 'number' ? reminder.data.round + 1 : 1;
  await deps.stores.reminders.schedule({
    id: `${caseId}:teamkanal:${why}:${tag}:${round}`,
    kind: createTeamChannelReminderKind,
    caseId,
    dueAt: new Date(now.getTime() + afterMs).toISOString(),
    status: 'scheduled',
    data: { ...(why === 'vantar' ? { waitingFor: tag } : {}), ...data, round },
    createdAt: now.toISOString(),
  });
}

function textTo(
  deps: TeamChannelJobDependencies,
  id: string,
  recipientKey: string,
  caseId: string,
  text: string,
): OutboxMessage {
  const at = nowInstant(deps.clock);
  return {
    id,
    recipientKey,
    caseId,
    payload: { kind: 'text', text },
    status: 'pending',
    attempts: 0,
    nextAttemptAt: at,
    createdAt: at,
  };
}

/** The convener and the fallback contact learn that no host team has room, once per directory version. */
async function tellNoRoom(
  deps: TeamChannelJobDependencies,
  caseValue: Case,
  hostTeams: readonly HostTeam[],
  fingerprint: string,
  convener: string,
): Promise<void> {
  const reference = caseValue.reference;
  const teams = hostTeams.map((team) => team.name ?? team.teamId).join(', ');
  const why =
    hostTeams.length === 0
      ? 'kommunen har inte angett något värdteam för teamkanaler'
      : `alla värdteam (${teams}) har redan 30 privata kanaler; borttagna kanaler räknas i 30 dagar`;
  await deps.stores.outbox.enqueue(
    textTo(
      deps,
      `${caseValue.id}:teamkanal:ingenPlats:${fingerprint}:sammankallande`,
      convener,
      caseValue.id,
      `Teamets privata kanal för ärende ${reference} kunde inte skapas: ${why}. Teamet och Barnets plan fungerar som vanligt, och statusinläggen väntar tills kanalen finns. Kommunens reservkontakt har fått besked och ordnar ett värdteam.`,
    ),
  );
  const fallback = findContact(deps.directory, deps.directory.fallback.contact);
  if (fallback === undefined) return;
  await deps.stores.outbox.enqueue(
    textTo(
      deps,
      `${caseValue.id}:teamkanal:ingenPlats:${fingerprint}:reservkontakt:teamkanal`,
      fallback.aadObjectId,
      caseValue.id,
      `Teamets privata kanal för Individuellt barnteam i ärende ${reference} kunde inte skapas: ${why}. Be IT-administratören lägga till ett värdteam under teamChannels.hostTeams i kommunens katalog (och appen Backa barnet i det teamet) och starta om Backa barnet; kanalen skapas då av sig själv.`,
    ),
  );
}

/** The convener, the channel's owner, learns how to let the bot post there (once per channel). */
async function tellAppNotInChannel(
  deps: TeamChannelJobDependencies,
  caseValue: Case,
  channelId: string,
  convener: string,
): Promise<void> {
  await deps.stores.outbox.enqueue(
    textTo(
      deps,
      `${caseValue.id}:teamkanal:appSaknas:${fingerprintText(channelId)}`,
      convener,
      caseValue.id,
      `Teamets privata kanal för ärende ${caseValue.reference} är skapad och du är dess ägare, men Teams låter inte Backa barnet skriva där ännu. Öppna kanalen i Teams, välj Fler alternativ (…) > Hantera kanal > Appar och lägg till Backa barnet. Boten försöker igen varje halvtimme; statusinläggen väntar tills dess.`,
    ),
  );
}

/** A short, stable tag of the host teams and the name pattern, for ids and "has it changed". */
function fingerprintHostTeams(hostTeams: readonly HostTeam[], pattern: string): string {
  return fingerprintText(JSON.stringify([pattern, hostTeams.map((team) => team.teamId.toLowerCase())]));
}

/** FNV-1a, 32 bits: enough to tell versions of a short text apart, and pure. */
function fingerprintText(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

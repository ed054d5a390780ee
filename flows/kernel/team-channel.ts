/**
 * The Individuellt barnteam's private channel: the port its provisioning talks to, the rules a
 * channel name must keep, and the reminder kinds that create the channel and keep its members
 * in step with the team.
 *
 * A channel name is seen where a post is not (activity feed, search, admin tools, the team's
 * channel list), so it carries the child's initials and the case reference only, never a name.
 * Teams' rules (Microsoft Graph, channel-post): at most 50 characters, none of
 * `~ # % & * { } + / \ : < > ? | ' " ,` and no `..`, not starting with `_` or `.`, not ending
 * with `.`.
 */

/** Reminder kind: create the team's private channel, its members and its conversation. */
export const createTeamChannelReminderKind = 'skapaTeamkanal';
/** Reminder kind: make the channel's members the team's active members (after an add or a removal). */
export const syncTeamChannelMembersReminderKind = 'teamkanalMedlemmar';
/** Reminder kind: pin the channel tab with Barnets plan, when the channel's creation could not. */
export const pinPlanTabReminderKind = 'teamkanalFlik';
/** Reminder kind: archive the channel once the team has ended and its last post is delivered. */
export const archiveTeamChannelReminderKind = 'arkiveraTeamkanal';
/** Reminder kind: delete the channel, some time after the team ended or when the case is erased. */
export const deleteTeamChannelReminderKind = 'raderaTeamkanal';

/**
 * The tab's `entityId`: the same for the tab the bot pins and one a member adds by hand on the
 * config page (tab/src/config-main.tsx), so a retry finds either and never pins a second one.
 */
export function toPlanTabEntityId(caseId: string): string {
  return `barnets-plan-${caseId}`;
}

/** The tab's name in the channel's tab bar. */
export const planTabDisplayName = 'Barnets plan';

/** The first provisioning reminder of a case, as the start of the team commits it. */
export function toCreateTeamChannelReminderId(caseId: string): string {
  return `${caseId}:teamkanal`;
}

export const maxChannelNameLength = 50;
/** Characters Teams refuses in a channel name. */
const forbiddenCharacters = /[~#%&*{}+/\\:<>?|'",]/;
/** Control characters make no sense in a name and confuse the admin tools. */
const controlCharacters = /\p{Cc}/u;

/** Why a name is refused, as a code the README and the tests name. */
export type ChannelNameProblem =
  | 'empty'
  | 'tooLong'
  | 'forbiddenCharacter'
  | 'doubleDot'
  | 'leadingUnderscoreOrDot'
  | 'trailingDot'
  | 'controlCharacter';

/** The first rule a name breaks, or undefined when Teams accepts it. */
export function findChannelNameProblem(name: string): ChannelNameProblem | undefined {
  if (name.trim().length === 0) return 'empty';
  if ([...name].length > maxChannelNameLength) return 'tooLong';
  if (controlCharacters.test(name)) return 'controlCharacter';
  if (forbiddenCharacters.test(name)) return 'forbiddenCharacter';
  if (name.includes('..')) return 'doubleDot';
  if (name.startsWith('_') || name.startsWith('.')) return 'leadingUnderscoreOrDot';
  if (name.endsWith('.')) return 'trailingDot';
  return undefined;
}

/** The default name pattern: "Barnteam A.B. BB-4K7Q-2M9C". */
export const defaultChannelNamePattern = 'Barnteam {initialer} {referens}';
export const channelNamePlaceholders = ['{initialer}', '{referens}'] as const;

/**
 * The child's initials as a channel name may hold them: "A.B." for Anna Berg, "A." when the
 * family name is unknown. Letters only, so that a name like "Anna-Lena" gives "A." and no
 * character of the name can break Teams' rules.
 */
export function toChannelInitials(givenName: string, familyName: string): string {
  const initial = (name: string) => {
    const letter = [...name.trim()].find((char) => /\p{L}/u.test(char));
    return letter === undefined ? '' : `${letter.toLocaleUpperCase('sv-SE')}.`;
  };
  return `${initial(givenName)}${initial(familyName)}`;
}

/**
 * The channel's name from the pattern, or its rule problem. The `{referens}` part is never
 * shortened (it tells one child's channel from another's); a name that would be too long loses
 * the pattern's other text from the end.
 */
export function renderChannelName(
  pattern: string,
  facts: { readonly initials: string; readonly reference: string },
): { readonly name: string } | { readonly problem: ChannelNameProblem } {
  const name = pattern
    .replaceAll('{initialer}', facts.initials)
    .replaceAll('{referens}', facts.reference)
    .replace(/\s+/g, ' ')
    .trim();
  const problem = findChannelNameProblem(name);
  return problem === undefined ? { name } : { problem };
}

/**
 * The name with a suffix for the `n`th try after a clash with a channel that is not ours
 * ("… 2", "… 3"), shortened before the suffix so that it stays within 50 characters.
 */
export function withClashSuffix(name: string, n: number): string {
  if (n <= 1) return name;
  const suffix = ` ${n}`;
  const kept = [...name]
    .slice(0, maxChannelNameLength - suffix.length)
    .join('')
    .trimEnd();
  return `${kept.replace(/\.+$/, '')}${suffix}`;
}

/** The description that marks a channel as this case's, so that a retry recognises its own. */
export function toChannelDescription(reference: string): string {
  return `Backa barnet: Individuellt barnteam, ärende ${reference}`;
}

/** A member of the channel as Teams lists it. */
export interface ChannelMembership {
  /** Graph's conversationMember id, needed to remove the member. */
  readonly membershipId: string;
  /** The member's Entra object id in the host tenant (a guest's guest account). */
  readonly userId: string;
  readonly owner: boolean;
}

/** What a try to create the channel in one host team came to. */
export type ChannelCreation =
  | { readonly outcome: 'created'; readonly channelId: string }
  /** 409: a channel of this name exists; the caller looks it up and reuses it if it is ours. */
  | { readonly outcome: 'nameTaken' }
  /** 400 for the private-channel limit (30 per team, deleted ones counted for 30 days). */
  | { readonly outcome: 'teamFull' };

/**
 * What a request to archive a channel came to. Teams archives asynchronously: `archived` means
 * Teams accepted it (202). `refused` is Graph's 400, documented for a channel whose team is
 * archived and, undocumented, possible for one already archived or left without an owner; the
 * channel is deleted later either way.
 */
export type ChannelArchiving = 'archived' | 'gone' | 'refused';

/**
 * The host teams' private channels, through Microsoft Graph app-only in production and a channel
 * of the Agents Playground's team locally. Implementations throw on failures they cannot
 * classify (the reminder is then retried); 429 and 5xx are retried inside, honouring Retry-After.
 */
export interface TeamChannels {
  /** The channel with exactly this name in the team, with its description, if any. */
  findChannelByName(
    teamId: string,
    displayName: string,
  ): Promise<{ readonly channelId: string; readonly description: string } | undefined>;
  /** Creates a private channel with one owner (a member of the host team). */
  createPrivateChannel(request: {
    readonly teamId: string;
    readonly displayName: string;
    readonly description: string;
    readonly ownerUserId: string;
  }): Promise<ChannelCreation>;
  /**
   * Makes sure the app (and so the bot) is installed in the host team, which a bot needs before
   * it can be added to or post in any of the team's channels.
   */
  ensureAppInstalled(teamId: string): Promise<void>;
  listMembers(teamId: string, channelId: string): Promise<readonly ChannelMembership[]>;
  /**
   * Adds the user to the channel (and to the host team first, which a private channel's members
   * must belong to). Adding someone who is already a member is not an error.
   */
  addMember(
    teamId: string,
    channelId: string,
    userId: string,
    options: { readonly owner: boolean },
  ): Promise<void>;
  /** Removes the member from the channel; their access to it ends at once. Gone already is not an error. */
  removeMember(teamId: string, channelId: string, membershipId: string): Promise<void>;
  /**
   * Archives the channel: nobody can post or react in it any more, its members and the tab stay
   * readable to those still in it (only its owner, once the team has ended).
   */
  archiveChannel(teamId: string, channelId: string): Promise<ChannelArchiving>;
  /**
   * Deletes the channel. Teams keeps a deleted channel restorable for 30 days and counts it toward
   * the team's private-channel limit for as long. Gone already is not an error.
   */
  deleteChannel(teamId: string, channelId: string): Promise<'deleted' | 'gone'>;
  /** This app's tab in the channel with this `entityId`, if one is pinned. */
  findTab(teamId: string, channelId: string, entityId: string): Promise<PinnedTab | undefined>;
  /** Pins this app's configurable tab in the channel (the app must be installed in the team). */
  addTab(request: {
    readonly teamId: string;
    readonly channelId: string;
    readonly displayName: string;
    readonly entityId: string;
    readonly contentUrl: string;
  }): Promise<PinnedTab>;
}

/** A tab pinned in a channel, as Teams lists it. */
export interface PinnedTab {
  readonly tabId: string;
  /** Teams' deep link to the tab, which the channel posts' button opens. */
  readonly webUrl: string;
}

/** Where the bot's one conversation in the channel is started (the Bot Connector). */
export interface ChannelConversations {
  /**
   * The conversation store key the channel's conversation is (or will be) stored under, so that
   * a retry finds a conversation it started before a crash instead of starting a second one.
   */
  keyFor(channelId: string): string;
  /**
   * Starts a conversation in the channel with `text` as its first post and stores its reference
   * under the channel's key; returns that key. Throws `ChannelConversationRefused` when Teams
   * will not let the bot post there (the app has not been added to the private channel).
   */
  start(request: {
    readonly tenantId: string;
    readonly channelId: string;
    /** The Bot Connector address to use: one the tenant's conversations already use. */
    readonly serviceUrl: string;
    readonly text: string;
  }): Promise<{ readonly conversationKey: string }>;
}

/** Teams refused the bot a conversation in the channel; retrying soon will not change that. */
export class ChannelConversationRefused extends Error {
  override readonly name = 'ChannelConversationRefused';

  constructor(readonly status: number | undefined) {
    super(`Boten fick inte starta en konversation i kanalen (${status ?? 'inget svar'}).`);
  }
}

/**
 * The provisioning cannot work as configured (the app is not in the organisation's catalog, or
 * TEAMS_APP_ID is missing): an administrator must act; trying again before that changes nothing.
 */
export class TeamChannelsMisconfigured extends Error {
  override readonly name = 'TeamChannelsMisconfigured';
}

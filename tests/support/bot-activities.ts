/**
 * Activities shaped like the ones Teams sends to the bot: a message in the personal chat or a
 * channel (with the @mention Teams adds), and the `adaptiveCard/action` invoke of an
 * `Action.Execute` (the card's inputs merged into `action.data`, as Teams does).
 */
import { sampleTenantId, teamsServiceUrl } from './bot-harness.js';

/** The region's own tenant (a made-up GUID), for the set-up where the app serves several tenants. */
export const regionTenantId = '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f';

/**
 * People of the sample municipality (config/directory.sample.yaml), as Teams names them in
 * activities: Alex, a teacher (not in the directory); Maria, Barnkontakt of Björkskolan, and
 * Johan, her deputy; Sara, Barnkontakt of Lärkans förskola; Karin, a member of Björkskolan's
 * Barnteam; Lisa, from another tenant, with no role.
 */
export const people = {
  alex: { aadObjectId: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e01', id: '29:alex', name: 'Alex Andersson' },
  maria: { aadObjectId: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02', id: '29:maria', name: 'Maria Lind' },
  johan: { aadObjectId: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e03', id: '29:johan', name: 'Johan Ek' },
  sara: { aadObjectId: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e04', id: '29:sara', name: 'Sara Holm' },
  karin: { aadObjectId: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e21', id: '29:karin', name: 'Karin Sjöberg' },
  /**
   * Lisa, a region employee with no role in any case, writing from the region's own tenant (the
   * set-up where the app serves several tenants): her activities carry the region's tenant id.
   */
  lisa: {
    aadObjectId: '7b2e9c41-3d5f-4a6b-9c8d-1e2f3a4b5c6d',
    id: '29:lisa-region',
    name: 'Lisa Region',
    tenantId: regionTenantId,
  },
} as const satisfies Record<string, Person>;

/** Someone Teams names in an activity; a guest of the municipality is one too (see `tenantOf`). */
export interface Person {
  readonly aadObjectId: string;
  readonly id: string;
  readonly name: string;
  /**
   * The tenant they sign in to Teams from, when it is not the municipality's. A guest has none:
   * a guest's activities carry the host tenant's id, and their aadObjectId is the object id of
   * their guest account in the host tenant.
   */
  readonly tenantId?: string;
}

/** The tenant an activity of `person` carries: their home tenant when they sign in from one, else the host's. */
export function tenantOf(person: Person): string {
  return person.tenantId ?? sampleTenantId;
}

export const botAccount = { id: '28:backa-barnet', name: 'Backa barnet' };
export const channelConversationId = '19:personalrum-bjorkskolan@thread.tacv2';

/** Each person's personal chat with the bot. */
export function personalConversationId(person: Person): string {
  return `a:personal-${person.id.slice(3)}`;
}

let sequence = 0;

/** A fresh Teams-like activity id. */
export function nextActivityId(): string {
  sequence += 1;
  return `1:activity-${Date.now().toString(36)}-${sequence}`;
}

function base(person: Person, conversation: Record<string, unknown>, serviceUrl: string) {
  return {
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    from: { id: person.id, name: person.name, aadObjectId: person.aadObjectId },
    recipient: botAccount,
    conversation: { tenantId: tenantOf(person), ...conversation },
    locale: 'sv-SE',
  };
}

export interface TeamsMessageOptions {
  readonly person?: Person;
  readonly id?: string;
  readonly where?: 'personal' | 'channel' | 'groupChat';
  readonly serviceUrl?: string;
}

/** A message as Teams delivers it; in a channel or group chat the bot is @mentioned. */
export function buildTeamsMessage(text: string, options: TeamsMessageOptions = {}): Record<string, unknown> {
  const person = options.person ?? people.alex;
  const where = options.where ?? 'personal';
  const id = options.id ?? nextActivityId();
  const serviceUrl = options.serviceUrl ?? teamsServiceUrl;
  if (where === 'personal') {
    return {
      type: 'message',
      id,
      text,
      textFormat: 'plain',
      ...base(person, { id: personalConversationId(person), conversationType: 'personal' }, serviceUrl),
      channelData: { tenant: { id: tenantOf(person) } },
    };
  }
  const mention = `<at>${botAccount.name}</at>`;
  const conversation =
    where === 'channel'
      ? {
          id: `${channelConversationId};messageid=${id.replace(/\D/g, '') || '1'}`,
          conversationType: 'channel',
          isGroup: true,
        }
      : { id: '19:gruppchatt-elevhalsa@thread.v2', conversationType: 'groupChat', isGroup: true };
  return {
    type: 'message',
    id,
    text: `${mention} ${text}`,
    textFormat: 'plain',
    ...base(person, conversation, serviceUrl),
    entities: [{ type: 'mention', text: mention, mentioned: botAccount }],
    channelData: {
      tenant: { id: tenantOf(person) },
      ...(where === 'channel'
        ? { teamsTeamId: '19:team-bjorkskolan@thread.tacv2', teamsChannelId: channelConversationId }
        : {}),
    },
  };
}

export interface ActionExecuteOptions {
  readonly person?: Person;
  readonly id?: string;
  /** The bot message holding the card. */
  readonly replyToId?: string;
  readonly serviceUrl?: string;
}

/** The invoke Teams sends for an `Action.Execute` in the person's personal chat. */
export function buildActionExecute(
  verb: string,
  data: Record<string, unknown>,
  options: ActionExecuteOptions = {},
): Record<string, unknown> {
  const person = options.person ?? people.alex;
  const replyToId = options.replyToId ?? '1:card-message';
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: options.id ?? nextActivityId(),
    replyToId,
    ...base(
      person,
      { id: personalConversationId(person), conversationType: 'personal' },
      options.serviceUrl ?? teamsServiceUrl,
    ),
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    channelData: { tenant: { id: tenantOf(person) }, source: { name: 'message' }, legacy: { replyToId } },
  };
}

/**
 * The activities the bot acts on, as zod schemas checked at the HTTP boundary. Teams always
 * sends these fields with these types; an activity that lacks one or carries the wrong type is a
 * bad request (a broken integration, or someone probing), answered 400 with one warn line of ids
 * before a turn starts. Without the check it reaches code that assumes Teams' shape: teams-ai's
 * turn state throws on a missing `from.id`, botbuilder cannot serialise a reply to a `from.name`
 * that is a number, the mention removal throws on an entity that is not an object, and an invoke
 * no route takes is answered 501 by botbuilder. Each of those was a server error with two error
 * lines (the turn error, then the failed attempt to tell the user).
 *
 * Checked in two steps. Before authentication only the envelope the SDK and the allow-lists read
 * (`ZActivityEnvelope`). The rest after authentication and the allow-lists
 * (`findMalformation`), so that a caller without a valid token gets 401 whatever it sent and
 * learns nothing of which verbs or invokes the bot accepts.
 */
import { z } from 'zod';

/** What is wrong, for the log: a fixed word, never the caller's text. */
export type MalformationProblem =
  | 'missing'
  | 'wrongType'
  | 'empty'
  | 'unknownValue'
  | 'unknownVerb'
  | 'notADate'
  | 'mentionWithoutText'
  | 'invalid';

export interface Malformation {
  /** Where in the activity, as a path of schema keys and indices (`from.id`, `entities.0.type`). */
  readonly field: string;
  readonly problem: MalformationProblem;
}

/** Thrown before the turn so that the HTTP layer answers 400; carries the field and problem only. */
export class MalformedActivityError extends Error {
  override readonly name = 'MalformedActivityError';

  constructor(readonly malformation: Malformation) {
    super(`Aktiviteten har fel form (${malformation.field}: ${malformation.problem}).`);
  }
}

const ZTimestamp = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'notADate');

/**
 * What authentication reads (the SDK: `serviceUrl`, `channelId`; our allow-lists: `serviceUrl`
 * and the tenant, which bot/tenant.ts reads defensively) and what is converted before it runs
 * (the timestamps become Date objects, as botbuilder's own request handling does).
 */
export const ZActivityEnvelope = z
  .object({
    type: z.string().min(1),
    id: z.string().optional(),
    channelId: z.string().min(1),
    serviceUrl: z.string().optional(),
    timestamp: z.string().optional(),
    localTimestamp: z.string().optional(),
    expiration: z.string().optional(),
  })
  .passthrough();
export type TActivityEnvelope = z.infer<typeof ZActivityEnvelope>;

/**
 * A user or the bot. botbuilder copies `from` and `recipient` into every reply (swapped) and
 * serialises them with typed mappers, so each known field must have its type.
 */
const ZChannelAccount = z
  .object({
    id: z.string().min(1),
    name: z.string().optional(),
    aadObjectId: z.string().optional(),
    role: z.string().optional(),
  })
  .passthrough();

const ZConversationAccount = z
  .object({
    id: z.string().min(1),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
    isGroup: z.boolean().optional(),
    name: z.string().optional(),
  })
  .passthrough();

const ZRecord = z.record(z.string(), z.unknown());

// Teams' entities: a `clientInfo`, and a `mention` per @mention, which teams-ai uses to cut the
// bot's name out of the text (it reads `type`, `mentioned.id` and `text` without checking them).
const ZEntity = z
  .object({
    type: z.string().min(1),
    mentioned: ZChannelAccount.optional(),
    text: z.string().optional(),
  })
  .passthrough()
  .superRefine((entity, context) => {
    if (entity.type.toLowerCase() !== 'mention') return;
    if (entity.mentioned === undefined) {
      context.addIssue({ code: z.ZodIssueCode.custom, path: ['mentioned'], message: 'missing' });
    }
    if (entity.text === undefined) {
      context.addIssue({ code: z.ZodIssueCode.custom, path: ['text'], message: 'missing' });
    }
  });

const ZAttachment = z.object({ contentType: z.string().min(1) }).passthrough();

const ZChannelData = z
  .object({
    tenant: z
      .object({ id: z.string().min(1) })
      .passthrough()
      .optional(),
  })
  .passthrough();

/** The activity types Teams sends a bot; the bot acts on messages and card actions and ignores the rest. */
export const inboundActivityTypes = [
  'message',
  'invoke',
  'conversationUpdate',
  'installationUpdate',
  'messageReaction',
  'messageUpdate',
  'messageDelete',
  'typing',
  'event',
  'endOfConversation',
] as const;

/** Every inbound activity: who, where, from which connector; the reply is built from these. */
const ZInboundActivity = z
  .object({
    type: z.enum(inboundActivityTypes),
    id: z.string().min(1).optional(),
    channelId: z.string().min(1),
    serviceUrl: z.string().min(1),
    timestamp: ZTimestamp.optional(),
    localTimestamp: ZTimestamp.optional(),
    localTimezone: z.string().optional(),
    locale: z.string().optional(),
    from: ZChannelAccount,
    recipient: ZChannelAccount,
    conversation: ZConversationAccount,
    replyToId: z.string().optional(),
    channelData: ZChannelData.optional(),
    entities: z.array(ZEntity).optional(),
    attachments: z.array(ZAttachment).optional(),
    text: z.string().optional(),
    textFormat: z.string().optional(),
  })
  .passthrough();

/**
 * A message. It needs an id: the activity ledger acts on each message once by its id. A card's
 * `Action.Submit` arrives as `value`, always an object.
 */
const ZMessageActivity = ZInboundActivity.extend({
  type: z.literal('message'),
  id: z.string().min(1),
  value: ZRecord.optional(),
}).superRefine((activity, context) => {
  const mentions = activity.entities?.some((entity) => entity.type.toLowerCase() === 'mention');
  if (mentions && activity.text === undefined) {
    context.addIssue({ code: z.ZodIssueCode.custom, path: ['text'], message: 'mentionWithoutText' });
  }
});

const actionExecuteInvoke = 'adaptiveCard/action';

/** An `Action.Execute` from a card: the only invoke the bot answers, routed by verb. */
function createActionExecuteSchema(knownVerbs: ReadonlySet<string>) {
  return ZInboundActivity.extend({
    type: z.literal('invoke'),
    name: z.literal(actionExecuteInvoke),
    id: z.string().min(1),
    value: z
      .object({
        action: z
          .object({
            type: z.literal('Action.Execute'),
            verb: z
              .string()
              .min(1)
              .refine((verb) => knownVerbs.has(verb), 'unknownVerb'),
            id: z.string().optional(),
            data: ZRecord.optional(),
          })
          .passthrough(),
        trigger: z.enum(['manual', 'automatic']).optional(),
      })
      .passthrough(),
  });
}

const ZConversationUpdate = ZInboundActivity.extend({
  type: z.literal('conversationUpdate'),
  membersAdded: z.array(ZChannelAccount).optional(),
  membersRemoved: z.array(ZChannelAccount).optional(),
});

/**
 * Returns the check run on every authenticated activity: the first thing wrong with it, or
 * `undefined` when the bot can act on it. `knownVerbs` are the `Action.Execute` verbs the router
 * has a handler for; any other verb is a request the bot cannot act on.
 */
export function createMalformationCheck(
  knownVerbs: ReadonlySet<string>,
): (activity: unknown) => Malformation | undefined {
  const ZActionExecute = createActionExecuteSchema(knownVerbs);
  return (activity) => {
    const common = ZInboundActivity.safeParse(activity);
    if (!common.success) return toMalformation(common.error);
    const { type } = common.data;
    if (type === 'invoke' && common.data.name !== actionExecuteInvoke) {
      return { field: 'name', problem: common.data.name === undefined ? 'missing' : 'unknownValue' };
    }
    const schema =
      type === 'message'
        ? ZMessageActivity
        : type === 'invoke'
          ? ZActionExecute
          : type === 'conversationUpdate'
            ? ZConversationUpdate
            : undefined;
    const specific = schema?.safeParse(activity);
    return specific === undefined || specific.success ? undefined : toMalformation(specific.error);
  };
}

/** The first issue as a field path and a fixed word; nothing the caller sent is copied but key names. */
export function toMalformation(error: z.ZodError): Malformation {
  const [issue] = error.issues;
  if (issue === undefined) return { field: '', problem: 'invalid' };
  return { field: toFieldPath(issue.path), problem: toProblem(issue) };
}

// Zod reports only keys of our schemas (unknown keys pass through unchecked), but a path is
// logged, so anything that does not look like one of our keys is masked all the same.
function toFieldPath(path: ReadonlyArray<string | number>): string {
  return path
    .slice(0, 6)
    .map((segment) =>
      typeof segment === 'number' || /^[A-Za-z][A-Za-z0-9]{0,39}$/.test(segment) ? String(segment) : '?',
    )
    .join('.');
}

const customProblems: ReadonlySet<string> = new Set<MalformationProblem>([
  'missing',
  'unknownVerb',
  'notADate',
  'mentionWithoutText',
]);

function toProblem(issue: z.ZodIssue): MalformationProblem {
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      return issue.received === 'undefined' ? 'missing' : 'wrongType';
    case z.ZodIssueCode.too_small:
      return 'empty';
    case z.ZodIssueCode.invalid_literal:
    case z.ZodIssueCode.invalid_enum_value:
      return 'unknownValue';
    case z.ZodIssueCode.custom:
      return customProblems.has(issue.message) ? (issue.message as MalformationProblem) : 'invalid';
    default:
      return 'invalid';
  }
}

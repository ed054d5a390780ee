/**
 * The shape an activity must have before the bot acts on it. Teams always sends these fields;
 * an activity without them is a bad request (a broken integration, or someone probing with a
 * valid token), and it is answered 400 with one warn line instead of reaching the router, whose
 * answer to an unknown verb is 501 and whose failures are logged as errors.
 *
 * Checked after authentication, so an unauthenticated caller still gets 401 and learns nothing
 * about what shape would be accepted.
 */
import type { Activity } from 'botbuilder';
import { z } from 'zod';

/** Why an activity was refused: a code for the log, never the caller's text. */
export type MalformationCode =
  | 'fromMissing'
  | 'conversationMissing'
  | 'recipientMissing'
  | 'textNotString'
  | 'invokeValueNotObject'
  | 'actionMissing'
  | 'actionNotExecute'
  | 'verbUnknown'
  | 'dataNotObject';

/** Thrown from the turn so that the HTTP layer answers 400; carries the code only. */
export class MalformedActivityError extends Error {
  override readonly name = 'MalformedActivityError';

  constructor(readonly code: MalformationCode) {
    super(`Aktiviteten har fel form (${code}).`);
  }
}

const ZParty = z.object({ id: z.string().min(1) }).passthrough();
const ZRecord = z.record(z.string(), z.unknown());
const ZAction = z.object({ type: z.string(), verb: z.string(), data: z.unknown().optional() }).passthrough();

/** The first thing wrong with the activity, or `undefined` when the bot can act on it. */
export function findMalformation(
  activity: Activity,
  knownVerbs: ReadonlySet<string>,
): MalformationCode | undefined {
  if (!ZParty.safeParse(activity.from).success) return 'fromMissing';
  if (!ZParty.safeParse(activity.conversation).success) return 'conversationMissing';
  if (!ZParty.safeParse(activity.recipient).success) return 'recipientMissing';
  if (activity.type === 'message' && activity.text !== undefined && typeof activity.text !== 'string') {
    return 'textNotString';
  }
  if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action') {
    const value = ZRecord.safeParse(activity.value);
    if (!value.success) return 'invokeValueNotObject';
    if (value.data.action === undefined) return 'actionMissing';
    const action = ZAction.safeParse(value.data.action);
    if (!action.success || action.data.type !== 'Action.Execute') return 'actionNotExecute';
    if (!knownVerbs.has(action.data.verb)) return 'verbUnknown';
    if (action.data.data !== undefined && !ZRecord.safeParse(action.data.data).success)
      return 'dataNotObject';
  }
  return undefined;
}

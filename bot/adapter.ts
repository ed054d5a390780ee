/**
 * The CloudAdapter, with one addition: our HTTP handler calls the adapter's own
 * `processActivity` rather than `CloudAdapter.process`, because `process` answers every
 * refusal with 401 or 500 and echoes the error message to the caller. Ours answers 403 for a
 * tenant outside the allow-list, 400 for an activity whose shape is wrong, and never sends
 * internal messages.
 */
import { type Activity, CloudAdapter, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { GuardedBotFrameworkAuthentication } from './guarded-authentication.js';
import { type Malformation, MalformedActivityError } from './inbound-activity.js';

export class BackaCloudAdapter extends CloudAdapter {
  // Only the guarded authentication: a plain one would skip the allow-lists.
  constructor(authentication: GuardedBotFrameworkAuthentication) {
    super(authentication);
  }

  /**
   * Authenticates (SDK + allow-lists), then checks the activity's shape, then runs `logic`.
   * Throws `RequestRefusedError` on a refusal and `MalformedActivityError` on a wrong shape,
   * both before a turn exists: no handler, no turn-error handler and no store sees either.
   */
  async handleActivity(
    authHeader: string,
    activity: Activity,
    findMalformation: () => Malformation | undefined,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    const authenticated = await this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
    const malformation = findMalformation();
    if (malformation !== undefined) throw new MalformedActivityError(malformation);
    return this.processActivity(authenticated, activity, logic);
  }
}

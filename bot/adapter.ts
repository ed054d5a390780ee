/**
 * The CloudAdapter, with one addition: our HTTP handler calls the adapter's own
 * `processActivity` rather than `CloudAdapter.process`, because `process` answers every
 * refusal with 401 or 500 and echoes the error message to the caller. Ours answers 403 for a
 * tenant outside the allow-list and never sends internal messages.
 */
import { type Activity, CloudAdapter, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { GuardedBotFrameworkAuthentication } from './guarded-authentication.js';

export class BackaCloudAdapter extends CloudAdapter {
  // Only the guarded authentication: a plain one would skip the allow-lists.
  constructor(authentication: GuardedBotFrameworkAuthentication) {
    super(authentication);
  }

  /** Authenticates (SDK + allow-lists), then runs `logic`; throws `RequestRefusedError` on refusal. */
  handleActivity(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

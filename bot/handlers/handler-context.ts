/**
 * What every handler gets from bot/create-bot.ts: the use cases' dependencies, the logger, and
 * a way to wake the background work after something was enqueued. Also the acting user, read
 * from the activity (docs/security.md 6): a handler never takes an identity from card data.
 */
import type { Activity } from 'botbuilder';
import type { ComputeTermFigures } from '../../flows/follow-up-figures/read-term-figures.js';
import type { Term } from '../../flows/follow-up-figures/term-figures.js';
import type { DeepCompassCatalogue } from '../../flows/individuellt-barnteam/deep-compass-catalogue.js';
import type { Calendar } from '../../flows/kernel/calendar.js';
import { ZUserId } from '../../flows/kernel/case.js';
import type { Actor, FlowDependencies } from '../../flows/kernel/case-effects.js';
import type { Logger } from '../../infra/logger.js';
import { readTenantId } from '../tenant.js';

export interface HandlerContext {
  readonly flow: FlowDependencies;
  readonly logger: Logger;
  /** Wakes the outbox dispatcher: a handler enqueued messages. Never waits for delivery. */
  readonly kick: () => void;
  /** The shared calendars (Graph, or the embedded one locally); absent when none is configured. */
  readonly calendar?: Calendar;
  /** The municipality's catalogue of the Fördjupad behovskompass (DEEP_COMPASS_FILE), read at start. */
  readonly deepCompassCatalogue?: DeepCompassCatalogue;
  /** The term's follow-up figures for `statistik`; absent when the server computes none. */
  readonly followUpFigures?: FollowUpFiguresSource;
}

/** What `statistik` needs besides the flow: the figures and, when served, the CSV link. */
export interface FollowUpFiguresSource {
  readonly compute: ComputeTermFigures;
  /** The CSV download's address for this user and term; absent when the server has no public address. */
  readonly csvUrl?: (userId: string, term: Term) => Promise<string>;
}

/**
 * The acting user: `from.aadObjectId` (an Entra object id) and the tenant the authentication
 * layer already checked. `undefined` when the activity names no such user (not a Teams user).
 */
export function readActor(activity: Partial<Activity>): Actor | undefined {
  const userId = ZUserId.safeParse(activity.from?.aadObjectId);
  const tenantId = readTenantId(activity);
  if (!userId.success || tenantId === undefined) return undefined;
  const name = activity.from?.name?.trim();
  return { userId: userId.data, tenantId, displayName: name ? name.slice(0, 200) : 'Okänd användare' };
}

/** The `Action.Execute` verb of an invoke, for logging. */
export function readVerb(activity: Partial<Activity>): string | undefined {
  const verb = (activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb;
  return typeof verb === 'string' ? verb.slice(0, 100) : undefined;
}

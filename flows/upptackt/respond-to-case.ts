/**
 * Use case: the routed Barnkontakt (or the deputy acting for them) answers the notification card
 * (step 2 of the stödprocess): Ta emot, Skicka vidare to another unit's Barnkontakt, or Avböj
 * with a reason. The Upptäckare always hears back.
 *
 * Every answer is conditional on the version the card was rendered from (docs/security.md 12): a card
 * that is no longer current, or a race another click won, is answered with the current case
 * (`stale`) so the bot can show the current card instead of an error. The same person repeating
 * what they already did (a double click, a redelivered invoke) gets `alreadyApplied`, and its
 * messages are enqueued again under the same ids, which repairs a crash after the write.
 */
import { authorize, currentBarnkontakt, describeDeputyWaiting, roleLabels } from '../kernel/access.js';
import type { Case, Instant, RoutingHistoryEntry, UserId } from '../kernel/case.js';
import {
  type Actor,
  appendAudit,
  buildChaseReminder,
  cancelChases,
  currentRouting,
  enqueueEffects,
  type FlowDependencies,
  findUpptackare,
  toNoticeId,
} from '../kernel/case-effects.js';
import { DomainError, isDomainError } from '../kernel/errors.js';
import { buildNoticeMessage } from '../kernel/notices.js';
import type { CaseEffects, Versioned } from '../kernel/ports.js';
import { applyTransition, guards } from '../kernel/transitions.js';
import { toStockholmDate } from '../kernel/working-time.js';
import { assignRouting, findContactsBehind, routeForward } from './routing-roles.js';

export const responseActions = ['taEmot', 'skickaVidare', 'avboj'] as const;
export type ResponseAction = (typeof responseActions)[number];

export interface RespondToCaseInput {
  /** From the card's Action.Execute data: checked against the actor's role, never trusted. */
  readonly caseId: string;
  /** The version (ETag) the card was rendered from. */
  readonly cardEtag: string;
  /** From the activity, never from card data. */
  readonly actor: Actor;
  readonly action: ResponseAction;
  /** Required for `avboj` and `skickaVidare`: shown to the Upptäckare (decline) and the next Barnkontakt. */
  readonly reason?: string;
  /** For `skickaVidare`: the directory id of the unit whose Barnkontakt should have the card. */
  readonly targetUnitId?: string;
  readonly at: Instant;
}

export type RespondToCaseResult =
  | { readonly outcome: 'applied'; readonly caseValue: Versioned<Case> }
  /** The actor had already done this; nothing changed. */
  | { readonly outcome: 'alreadyApplied'; readonly caseValue: Versioned<Case>; readonly message: string }
  /** The card was not current (or another answer won): show `caseValue` as it is now. */
  | { readonly outcome: 'stale'; readonly caseValue: Versioned<Case>; readonly message: string }
  /** The actor may not answer this case; no case data is returned. Audited. */
  | { readonly outcome: 'refused'; readonly message: string };

const alreadyMessages: Readonly<Record<ResponseAction, string>> = {
  taEmot: 'Du har redan tagit emot ärendet.',
  skickaVidare: 'Du har redan skickat ärendet vidare.',
  avboj: 'Du har redan avböjt ärendet.',
};

const staleMessage = 'Kortet var inte längre aktuellt. Här är ärendet som det ser ut nu.';

export const respondMessages = {
  reasonMissing: 'Skriv ett skäl, så att den som får ärendet vet varför.',
  declineReasonMissing: guards.skalAngivet.reason,
  targetMissing: 'Välj vilken enhets Barnkontakt ärendet ska skickas vidare till.',
  reasonTooLong: 'Skälet får vara högst 2000 tecken.',
} as const;

/**
 * Applies the Barnkontakt's answer to the case, audited, conditional on the card's version, and
 * enqueues the messages it causes: taEmot → the Upptäckare ("Mottaget av … den …") and the
 * chases stop; skickaVidare → the new Barnkontakt, the Upptäckare, and a new chase; avboj → the
 * Upptäckare, with the reason.
 *
 * @throws DomainError('notFound') for an unknown case; DomainError('invalidInput') (details.field
 *   = `reason` or `targetUnitId`) when a reason or the target unit is missing or wrong; any error of
 *   the audit log, in which case nothing was written.
 */
export async function respondToCase(
  deps: FlowDependencies,
  input: RespondToCaseInput,
): Promise<RespondToCaseResult> {
  const current = await deps.stores.cases.get(input.caseId);
  if (current === undefined) {
    throw new DomainError('notFound', 'Ärendet finns inte.', { caseId: input.caseId });
  }
  const userId = input.actor.userId;

  // Before authorising: after a forward or a decline the actor's own answer has ended their
  // role or closed the case, and their second click must still read as "already done".
  if (input.cardEtag !== current.etag && hasActed(current.value, input)) {
    return answerAlreadyApplied(deps, input, current);
  }

  const decision = authorize(current.value, userId, input.action);
  if (!decision.allowed) {
    await audit(deps, input, current.value, input.action, 'refused');
    return {
      outcome: 'refused',
      message: describeDeputyRefusal(deps, current.value, userId) ?? decision.reason,
    };
  }
  if (input.cardEtag !== current.etag) {
    await audit(deps, input, current.value, 'lasArende', 'allowed');
    return { outcome: 'stale', caseValue: current, message: staleMessage };
  }
  if (current.value.state !== 'vantarPaBarnkontakt') {
    await audit(deps, input, current.value, 'lasArende', 'allowed');
    return { outcome: 'stale', caseValue: current, message: staleMessage };
  }

  const next = buildAnswer(deps, input, current.value);
  await audit(deps, input, current.value, input.action, 'allowed');
  let stored: Versioned<Case>;
  try {
    // The answer and the messages it causes are committed together (docs/architecture.md).
    stored = await deps.stores.cases.replaceWithEffects(
      next,
      current.etag,
      collectAnswerEffects(deps, next, input.action, userId),
    );
  } catch (error) {
    if (!isDomainError(error, 'concurrencyConflict')) throw error;
    // Someone else's answer (or this actor's other click) was written first.
    const winner = await deps.stores.cases.get(input.caseId);
    if (winner === undefined) throw error;
    if (hasActed(winner.value, input)) {
      return answerAlreadyApplied(deps, input, winner);
    }
    return { outcome: 'stale', caseValue: winner, message: staleMessage };
  }
  await cancelEarlierChases(deps, stored.value, input.action, userId);
  return { outcome: 'applied', caseValue: stored };
}

function buildAnswer(deps: FlowDependencies, input: RespondToCaseInput, caseValue: Case): Case {
  const reason = input.reason?.trim() ?? '';
  if (reason.length > 2000) {
    throw new DomainError('invalidInput', respondMessages.reasonTooLong, { field: 'reason' });
  }
  const command = {
    event: input.action,
    actor: input.actor.userId,
    at: input.at,
    ...(reason === '' ? {} : { note: reason }),
  };
  switch (input.action) {
    case 'taEmot':
      return applyTransition(caseValue, command);
    case 'avboj':
      if (reason === '') {
        throw new DomainError('invalidInput', respondMessages.declineReasonMissing, { field: 'reason' });
      }
      return applyTransition(caseValue, command);
    case 'skickaVidare': {
      if (input.targetUnitId === undefined || input.targetUnitId.trim() === '') {
        throw new DomainError('invalidInput', respondMessages.targetMissing, { field: 'targetUnitId' });
      }
      if (reason === '') {
        throw new DomainError('invalidInput', respondMessages.reasonMissing, { field: 'reason' });
      }
      const routing = routeForward(
        caseValue,
        input.targetUnitId.trim(),
        deps.directory,
        toStockholmDate(input.at),
      );
      const forwarded = applyTransition(caseValue, command);
      const rerouted = assignRouting(forwarded, routing, deps.directory, {
        by: input.actor.userId,
        at: input.at,
        cause: 'skickaVidare',
      });
      return { ...rerouted, unitId: routing.unitId };
    }
  }
}

/** Whether this actor's answer of this kind is in the case (their latest one counts). */
function hasActed(caseValue: Case, input: RespondToCaseInput): boolean {
  return caseValue.chronology.some(
    (entry) => entry.event === input.action && entry.by === input.actor.userId,
  );
}

async function answerAlreadyApplied(
  deps: FlowDependencies,
  input: RespondToCaseInput,
  current: Versioned<Case>,
): Promise<RespondToCaseResult> {
  await audit(deps, input, current.value, 'lasArende', 'allowed');
  // A crash after the write of the first click is repaired here: the ids exist or are added.
  await enqueueEffects(
    deps.stores,
    collectAnswerEffects(deps, current.value, input.action, input.actor.userId),
  );
  await cancelEarlierChases(deps, current.value, input.action, input.actor.userId);
  return { outcome: 'alreadyApplied', caseValue: current, message: alreadyMessages[input.action] };
}

async function audit(
  deps: FlowDependencies,
  input: RespondToCaseInput,
  caseValue: Case,
  action: string,
  outcome: 'allowed' | 'refused',
): Promise<void> {
  await appendAudit(deps, {
    at: input.at,
    actor: input.actor.userId,
    action,
    caseId: caseValue.id,
    unitId: caseValue.unitId,
    outcome,
    ...(input.action === 'skickaVidare' && outcome === 'allowed' && action === 'skickaVidare'
      ? {
          purpose:
            'Kortet var felriktat; den nya enhetens Barnkontakt behöver det för att ta ställning till stöd.',
        }
      : {}),
  });
}

/**
 * The messages an answer causes, derived from the case as answered so that a repeat gives the
 * same ids. Looks up the actor's latest answer of this kind; nothing if there is none.
 */
function collectAnswerEffects(
  deps: FlowDependencies,
  caseValue: Case,
  action: ResponseAction,
  actorId: string,
): CaseEffects {
  const none: CaseEffects = { outbox: [], reminders: [] };
  const entry = caseValue.chronology.findLast((item) => item.event === action && item.by === actorId);
  const upptackare = findUpptackare(caseValue);
  if (entry === undefined || upptackare === undefined) return none;
  const actorName =
    caseValue.roles.findLast((role) => role.userId === actorId)?.displayName ?? roleLabels.barnkontakt;
  const at = entry.at;
  switch (action) {
    case 'taEmot':
    case 'avboj': {
      const kind = action === 'taEmot' ? 'mottaget' : 'avbojt';
      return {
        outbox: [
          buildNoticeMessage({
            id: toNoticeId(caseValue.id, kind),
            kind,
            caseId: caseValue.id,
            recipientKey: upptackare.userId,
            data: { byUserId: actorId, byDisplayName: actorName, at },
            at,
          }),
        ],
        reminders: [],
      };
    }
    case 'skickaVidare': {
      const routing = findOwnForward(caseValue, actorId);
      if (routing === undefined) return none;
      const outbox = [
        buildNoticeMessage({
          id: toNoticeId(caseValue.id, 'nyttArende', routing.routingNo),
          kind: 'nyttArende',
          caseId: caseValue.id,
          recipientKey: routing.routing.contactUserId,
          data: { routingNo: routing.routingNo, cause: 'skickaVidare' },
          at: routing.at,
        }),
        buildNoticeMessage({
          id: toNoticeId(caseValue.id, 'vidarebefordrat', routing.routingNo),
          kind: 'vidarebefordrat',
          caseId: caseValue.id,
          recipientKey: upptackare.userId,
          data: {
            routingNo: routing.routingNo,
            byUserId: actorId,
            toUserId: routing.routing.contactUserId,
            toDisplayName: routing.routing.contactDisplayName ?? 'Barnkontakt',
            toUnitId: routing.routing.unitId,
            at: routing.at,
          },
          at: routing.at,
        }),
      ];
      // Only while this forward is still the current routing: a later forward owns the chase.
      const reminders = isCurrentForward(caseValue, routing)
        ? [buildChaseReminder(deps.directory, caseValue.id, routing.routingNo, 1, routing.at)]
        : [];
      return { outbox, reminders };
    }
  }
}

/** The actor's own latest forward of the card, if any. */
function findOwnForward(caseValue: Case, actorId: string): RoutingHistoryEntry | undefined {
  return caseValue.routingHistory?.findLast((item) => item.cause === 'skickaVidare' && item.by === actorId);
}

function isCurrentForward(caseValue: Case, routing: RoutingHistoryEntry): boolean {
  return (
    currentRouting(caseValue)?.routingNo === routing.routingNo && caseValue.state === 'vantarPaBarnkontakt'
  );
}

/**
 * An answer ends the chases of the card it answered: all of them when the case is taken or
 * declined, those of the earlier routing when it is forwarded. A chase left behind by a failure
 * here finds the case answered when it comes due and sends nothing.
 */
async function cancelEarlierChases(
  deps: FlowDependencies,
  caseValue: Case,
  action: ResponseAction,
  actorId: string,
): Promise<void> {
  if (action !== 'skickaVidare') {
    await cancelChases(deps, caseValue.id);
    return;
  }
  const routing = findOwnForward(caseValue, actorId);
  if (routing !== undefined && isCurrentForward(caseValue, routing)) {
    await cancelChases(deps, caseValue.id, routing.routingNo);
  }
}

/**
 * A deputy named in the directory who presses the Barnkontakt's buttons before the card has
 * come to them hears why, instead of "du har ingen roll", which reads as a fault.
 */
function describeDeputyRefusal(deps: FlowDependencies, caseValue: Case, userId: UserId): string | undefined {
  const routing = caseValue.routing;
  const barnkontakt = currentBarnkontakt(caseValue);
  if (
    routing === undefined ||
    barnkontakt === undefined ||
    caseValue.roles.some((role) => role.userId === userId)
  ) {
    return undefined;
  }
  const { deputies } = findContactsBehind(routing, deps.directory);
  if (!deputies.some((deputy) => deputy.aadObjectId === userId)) {
    return undefined;
  }
  return describeDeputyWaiting(barnkontakt.displayName);
}

/**
 * Use case: a notification card the Barnkontakt has not answered is chased (the evaluation: "det går ibland lång tid från upptäckarkortet fylls i tills det att tid för
 * möte bokats"). Handler of the reminder kind `chaseBarnkontakt`:
 *
 * 1st chase → the card again to the contact it was routed to;
 * 2nd and later → to a deputy (who gets the `ersattare` role so that they may answer);
 * each time → the Upptäckare is told the card still waits;
 * after `maxChases` → the municipality's fallback contact is told, and chasing stops.
 *
 * The sweeper runs handlers at least once, so every effect is idempotent: notices and the next
 * reminder have ids derived from the reminder, and a deputy who already has the role is not
 * added again.
 */
import { isRoleActive, withRole } from '../kernel/access.js';
import type { Case, UserId } from '../kernel/case.js';
import {
  appendAudit,
  currentRouting,
  defaultMaxChases,
  enqueueNotice,
  type FlowDependencies,
  findUpptackare,
  nowInstant,
  scheduleChase,
  toNoticeId,
} from '../kernel/case-effects.js';
import { type Contact, findContact, isContactAway } from '../kernel/directory.js';
import { isDomainError } from '../kernel/errors.js';
import type { Reminder, Versioned } from '../kernel/ports.js';
import { toStockholmDate } from '../kernel/working-time.js';
import { findContactsBehind } from './routing-roles.js';

/** What one run did, for logs and tests. */
export type ChaseOutcome =
  | { readonly outcome: 'notWaiting' }
  | { readonly outcome: 'chased'; readonly chasedUserId: UserId; readonly asDeputy: boolean }
  | { readonly outcome: 'handedToFallback'; readonly fallbackUserId: UserId };

const maxRoleWriteAttempts = 3;

/**
 * Chases an unanswered card. Does nothing when the case is gone, no longer waiting for the
 * Barnkontakt, or was forwarded since this chase was scheduled.
 */
export async function chaseUnansweredCase(deps: FlowDependencies, reminder: Reminder): Promise<ChaseOutcome> {
  const routingNo = reminder.data.routingNo;
  const chaseNo = reminder.data.chaseNo;
  if (reminder.caseId === undefined || typeof routingNo !== 'number' || typeof chaseNo !== 'number') {
    return { outcome: 'notWaiting' };
  }
  const stored = await deps.stores.cases.get(reminder.caseId);
  if (stored === undefined || !isWaiting(stored.value, routingNo)) {
    return { outcome: 'notWaiting' };
  }
  const now = nowInstant(deps.clock);
  const maxChases = deps.maxChases ?? defaultMaxChases;
  const caseId = stored.value.id;

  if (chaseNo > maxChases) {
    const fallback = findContact(deps.directory, deps.directory.fallback.contact);
    if (fallback === undefined) return { outcome: 'notWaiting' };
    const withFallback = await ensureActingRole(deps, stored, fallback, now);
    if (withFallback === undefined) return { outcome: 'notWaiting' };
    await audit(deps, withFallback.value, now);
    await enqueueNotice(deps, {
      id: toNoticeId(caseId, 'obesvaratTillReserv', routingNo),
      kind: 'obesvaratTillReserv',
      caseId,
      recipientKey: fallback.aadObjectId,
      data: { routingNo, chaseNo },
      at: now,
    });
    await tellUpptackare(
      deps,
      withFallback.value,
      { routingNo, chaseNo, chasedUserId: fallback.aadObjectId, toFallback: true },
      now,
    );
    return { outcome: 'handedToFallback', fallbackUserId: fallback.aadObjectId };
  }

  const routedTo = stored.value.routing?.contactUserId;
  if (routedTo === undefined) return { outcome: 'notWaiting' };
  const deputy = chaseNo >= 2 ? pickDeputy(deps, stored.value, toStockholmDate(now)) : undefined;
  let caseValue = stored.value;
  if (deputy !== undefined) {
    const updated = await ensureActingRole(deps, stored, deputy, now);
    if (updated === undefined) return { outcome: 'notWaiting' };
    caseValue = updated.value;
  }
  await audit(deps, caseValue, now);
  const chasedUserId = deputy?.aadObjectId ?? routedTo;
  const asDeputy = deputy !== undefined;
  await enqueueNotice(deps, {
    id: toNoticeId(caseId, 'paminnelseBarnkontakt', routingNo, chaseNo),
    kind: 'paminnelseBarnkontakt',
    caseId,
    recipientKey: chasedUserId,
    data: { routingNo, chaseNo, asDeputy },
    at: now,
  });
  await tellUpptackare(deps, caseValue, { routingNo, chaseNo, chasedUserId, toFallback: false }, now);
  await scheduleChase(deps, caseId, routingNo, chaseNo + 1, now);
  return { outcome: 'chased', chasedUserId, asDeputy };
}

function isWaiting(caseValue: Case, routingNo: number): boolean {
  return caseValue.state === 'vantarPaBarnkontakt' && currentRouting(caseValue)?.routingNo === routingNo;
}

/**
 * The first of the Barnkontakt's deputies (or the Barnkontakt, when the card went to a deputy)
 * who is not away and was not the one notified; undefined when nobody else can take it.
 */
function pickDeputy(deps: FlowDependencies, caseValue: Case, today: string): Contact | undefined {
  const routing = caseValue.routing;
  if (routing === undefined) return undefined;
  const { main, deputies } = findContactsBehind(routing, deps.directory);
  return [main, ...deputies].find(
    (contact) => contact.aadObjectId !== routing.contactUserId && !isContactAway(contact, today),
  );
}

/**
 * Gives `contact` the right to answer for the current Barnkontakt (`ersattare`), unless they
 * already hold an active Barnkontakt or deputy role. Retries on a concurrent change; returns the
 * case as stored, or undefined when it stopped waiting meanwhile.
 */
async function ensureActingRole(
  deps: FlowDependencies,
  initial: Versioned<Case>,
  contact: Contact,
  now: string,
): Promise<Versioned<Case> | undefined> {
  let current: Versioned<Case> | undefined = initial;
  for (let attempt = 0; attempt < maxRoleWriteAttempts && current !== undefined; attempt += 1) {
    const caseValue: Case = current.value;
    const barnkontakt = caseValue.roles.find((role) => role.role === 'barnkontakt' && isRoleActive(role));
    if (barnkontakt === undefined || caseValue.state !== 'vantarPaBarnkontakt') return undefined;
    const hasRole = caseValue.roles.some(
      (role) =>
        role.userId === contact.aadObjectId &&
        isRoleActive(role) &&
        (role.role === 'barnkontakt' || (role.role === 'ersattare' && role.actingFor === barnkontakt.userId)),
    );
    if (hasRole) return current;
    const next = withRole(
      caseValue,
      {
        userId: contact.aadObjectId,
        role: 'ersattare',
        displayName: contact.displayName,
        ...(caseValue.routing === undefined ? {} : { unitId: caseValue.routing.unitId }),
        since: now,
        actingFor: barnkontakt.userId,
      },
      { actor: 'system', at: now },
    );
    await appendAudit(deps, {
      at: now,
      actor: 'system',
      action: 'hanteraRoller',
      caseId: caseValue.id,
      unitId: caseValue.unitId,
      outcome: 'allowed',
      purpose: 'Kortet är obesvarat; ersättaren behöver det för att kunna svara i Barnkontaktens ställe.',
    });
    try {
      return await deps.stores.cases.replace(next, current.etag);
    } catch (error) {
      if (!isDomainError(error, 'concurrencyConflict')) throw error;
      current = await deps.stores.cases.get(caseValue.id);
    }
  }
  return current;
}

async function tellUpptackare(
  deps: FlowDependencies,
  caseValue: Case,
  data: { routingNo: number; chaseNo: number; chasedUserId: string; toFallback: boolean },
  now: string,
): Promise<void> {
  const upptackare = findUpptackare(caseValue);
  if (upptackare === undefined) return;
  await enqueueNotice(deps, {
    id: toNoticeId(caseValue.id, 'vantarFortfarande', data.routingNo, data.chaseNo),
    kind: 'vantarFortfarande',
    caseId: caseValue.id,
    recipientKey: upptackare.userId,
    data,
    at: now,
  });
}

async function audit(deps: FlowDependencies, caseValue: Case, now: string): Promise<void> {
  await appendAudit(deps, {
    at: now,
    actor: 'system',
    action: 'paminnaBarnkontakt',
    caseId: caseValue.id,
    unitId: caseValue.unitId,
    outcome: 'allowed',
  });
}

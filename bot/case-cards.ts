/**
 * The current card of a case for one viewer, and the audited read behind a card. Every card the
 * bot answers with shows case data read for a person, so each read that the use cases do not
 * audit themselves (a refresh, the notification shown again after a missing reason) is audited
 * here, in one place (docs/security.md 7): allowed when a card was shown, refused when the viewer may
 * see none. If the audit write fails, no card is shown.
 */

import type { AdaptiveCardJson } from '../cards/render-template.js';
import { renderBarnkontaktNotis } from '../cards/upptackt/barnkontakt-notis.js';
import { renderBarnkontaktNotisBesvarad } from '../cards/upptackt/barnkontakt-notis-besvarad.js';
import { type KvittoDelivery, renderUpptackarkortKvitto } from '../cards/upptackt/upptackarkort-kvitto.js';
import type { CalendarDate, Case, UserId } from '../flows/kernel/case.js';
import {
  appendAudit,
  currentRouting,
  type FlowDependencies,
  findUpptackare,
  toNoticeId,
} from '../flows/kernel/case-effects.js';
import type { Directory } from '../flows/kernel/directory.js';
import type { OutboxMessage, Stores, Versioned } from '../flows/kernel/ports.js';
import { toStockholmDate } from '../flows/kernel/working-time.js';
import { findAddedDiscoveryBy, toAddedCardNoticeId } from '../flows/upptackt/add-to-open-case.js';
import {
  isAwaitingAnswer,
  toKvittoData,
  toNotisBesvaradData,
  toNotisData,
  withNoticeLine,
} from './card-views/upptackt-views.js';

export interface BarnkontaktCardOptions {
  readonly today: CalendarDate;
  /** The card the user acted on was older than the case: say so on the current card. */
  readonly stale?: boolean;
  /** The line shown on a stale card that still waits for an answer. */
  readonly staleMessage?: string;
  /** A message for the user on the notification card (e.g. a missing reason). */
  readonly notice?: string;
}

/**
 * The Barnkontakt's card as the case is now: the notification with its actions (rendered from
 * the current version) while the case waits for an answer, the answered card after. `undefined`
 * when the viewer may see neither.
 */
export function renderBarnkontaktCard(
  current: Versioned<Case>,
  viewerId: UserId,
  directory: Directory,
  options: BarnkontaktCardOptions,
): AdaptiveCardJson | undefined {
  if (isAwaitingAnswer(current.value)) {
    const notis = toNotisData(current.value, viewerId, directory, current.etag, { today: options.today });
    if (notis !== undefined) {
      const card = renderBarnkontaktNotis(notis);
      const line = options.notice ?? (options.stale ? options.staleMessage : undefined);
      return line === undefined ? card : withNoticeLine(card, line);
    }
  }
  const besvarad = toNotisBesvaradData(current.value, viewerId, directory, { stale: options.stale ?? false });
  return besvarad === undefined ? undefined : renderBarnkontaktNotisBesvarad(besvarad);
}

/** The Upptäckare's receipt as the case is now; `undefined` for anyone else. */
export function renderKvittoCard(
  caseValue: Case,
  viewerId: UserId,
  directory: Directory,
  options: { readonly notice?: string; readonly delivery?: KvittoDelivery } = {},
): AdaptiveCardJson | undefined {
  const data = toKvittoData(caseValue, viewerId, directory, options);
  return data === undefined ? undefined : renderUpptackarkortKvitto(data);
}

export type CardRead =
  | { readonly outcome: 'shown'; readonly card: AdaptiveCardJson; readonly caseValue: Versioned<Case> }
  | { readonly outcome: 'refused' }
  | { readonly outcome: 'notFound' };

/**
 * Reads the case, renders the viewer's card with `render`, and audits the read (`lasArende`,
 * allowed or refused) before anything is shown.
 *
 * @throws the audit log's error, in which case nothing may be shown.
 */
export async function readCaseForCard(
  deps: FlowDependencies,
  caseId: string,
  viewerId: UserId,
  render: (
    current: Versioned<Case>,
    today: CalendarDate,
  ) => AdaptiveCardJson | undefined | Promise<AdaptiveCardJson | undefined>,
): Promise<CardRead> {
  const current = await deps.stores.cases.get(caseId);
  if (current === undefined) return { outcome: 'notFound' };
  const now = deps.clock.now();
  const card = await render(current, toStockholmDate(now));
  await appendAudit(deps, {
    at: now.toISOString(),
    actor: viewerId,
    action: 'lasArende',
    caseId: current.value.id,
    unitId: current.value.unitId,
    outcome: card === undefined ? 'refused' : 'allowed',
  });
  return card === undefined ? { outcome: 'refused' } : { outcome: 'shown', card, caseValue: current };
}

/**
 * How far the card has got to the contact it was routed to, read from the outbox record of
 * the current routing's notice: the receipt must never say "har fått kortet" before Teams took it.
 */
export async function readKvittoDelivery(
  stores: Stores,
  caseValue: Case,
  viewerId: UserId,
): Promise<KvittoDelivery> {
  // A card added to an open case was delivered as a notice of its own.
  const added = findAddedDiscoveryBy(caseValue, viewerId);
  if (added !== undefined && findUpptackare(caseValue)?.userId !== viewerId) {
    const message = await stores.outbox.get(toAddedCardNoticeId(caseValue.id, added.draftId));
    return toKvittoDelivery(message?.value);
  }
  const routing = currentRouting(caseValue);
  if (routing === undefined) return 'paVag';
  const message = await stores.outbox.get(toNoticeId(caseValue.id, 'nyttArende', routing.routingNo));
  return toKvittoDelivery(message?.value);
}

/** The receipt's delivery state for one outbox message (exported for tests of the mapping). */
export function toKvittoDelivery(message: OutboxMessage | undefined): KvittoDelivery {
  if (message === undefined) return 'paVag';
  switch (message.status) {
    case 'delivered':
      return 'levererat';
    case 'parked':
      return 'kundeInteLevereras';
    case 'pending':
    case 'sending':
      return message.lastError?.startsWith('unreachable') ? 'vantarPaInstallation' : 'paVag';
    case 'dropped':
      // No longer applies (the card was answered or moved on): the case status tells the rest.
      return 'levererat';
  }
}

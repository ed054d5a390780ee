/**
 * One child, one case: an Upptäckarkort about a child who already has an open case with a
 * Barnkontakt is added to that case instead of starting a second one. The Barnkontakt gets
 * the new card as "Nytt Upptäckarkort i ett pågående ärende"; the new Upptäckare's receipt says
 * that the card joined an ongoing case and shows nothing else of it.
 *
 * Which case is the child's open one is a claim per keyed identity hash, created if absent
 * (`CaseStore.claimOpenCase`). Of ten cards filed at the same moment one claim is stored; that
 * filing creates the case and the other nine wait for it and are added to it. A claim whose
 * case has closed, or whose filing never wrote its case, is moved to the next filing.
 *
 * Only the Barnkontakt path joins: a card for support in the own organisation shares nothing
 * outside it, and an orosanmälan goes to social services whatever else is open, so both stay
 * cases of their own. A child without an identity number cannot be matched and is not.
 */
import { isRoleActive, withRole } from '../kernel/access.js';
import type { Case, CaseState, Instant } from '../kernel/case.js';
import {
  type Actor,
  appendAudit,
  currentRouting,
  type FlowDependencies,
  toNoticeId,
} from '../kernel/case-effects.js';
import { recordConsent } from '../kernel/consent.js';
import { findUnit } from '../kernel/directory.js';
import { DomainError, isDomainError } from '../kernel/errors.js';
import { buildNoticeMessage } from '../kernel/notices.js';
import type { CaseEffects, OpenCaseClaim, Versioned } from '../kernel/ports.js';
import type { Discovery } from '../kernel/records/discovery.js';

/** The states in which the child's case is open with a Barnkontakt. */
const openWithBarnkontakt: readonly CaseState[] = [
  'vantarPaBarnkontakt',
  'mottagen',
  'samtal',
  'barnteam',
  'individuelltBarnteam',
  'planAktiv',
  'behovUppfyllt',
];

/** How long the first filing may take to write its case before its claim counts as abandoned. */
const abandonedClaimAfterMs = 2 * 60 * 1000;
/** Waits for the first filing's case to appear: about three seconds in all. */
const holderWaitsMs = [25, 50, 100, 200, 400, 800, 1600];
/** A claim can move under us a few times (cases closing, abandoned filings); then give up. */
const maxClaimRounds = 5;
/** Concurrent cards joining the same case each retry their write on the version that won. */
const maxAddAttempts = 25;

const tryAgainMessage =
  'Kortet kunde inte sparas just nu, eftersom ett annat kort om samma barn håller på att sparas. Försök igen om en stund.';

export type OpenCaseAnswer =
  /** No open case: this filing holds the claim and creates the case. */
  | { readonly kind: 'createCase' }
  | { readonly kind: 'added'; readonly caseValue: Versioned<Case> }
  /** This card was added before (a redelivered submit or a double click). */
  | { readonly kind: 'alreadyAdded'; readonly caseValue: Versioned<Case>; readonly filedBy: string };

export interface OpenCaseInput {
  readonly actor: Actor;
  readonly receivedAt: Instant;
  /** The case this filing would create, built and routed but not stored. */
  readonly filed: Case;
  readonly identityKey: string;
}

/** Why the Barnkontakt's side may read the added card (the audit's purpose line). */
export const addedCardPurpose =
  'Vårdnadshavare har gett muntligt samtycke; barnet har redan ett pågående ärende, och Barnkontakten behöver det nya Upptäckarkortet i det.';

/**
 * Claims the child's open case for this filing, or adds the filed card to the case that holds
 * the claim.
 *
 * @throws DomainError('storageUnavailable') when the first filing's case did not appear in
 *   time or the claim kept moving: nothing of this card was written, and trying again works;
 *   any error of the stores or the audit log, with nothing of this card written.
 */
export async function claimOrJoinOpenCase(
  deps: FlowDependencies,
  input: OpenCaseInput,
): Promise<OpenCaseAnswer> {
  const mine: OpenCaseClaim = {
    identityKey: input.identityKey,
    caseId: input.filed.id,
    claimedAt: input.receivedAt,
  };
  for (let round = 0; round < maxClaimRounds; round += 1) {
    const claim = await deps.stores.cases.claimOpenCase(mine);
    if (claim.value.caseId === mine.caseId) return { kind: 'createCase' };
    const holder = await waitForHolder(deps, claim.value);
    const draftId = input.filed.discovery?.draftId;
    const earlier =
      holder === undefined || draftId === undefined ? undefined : findDiscovery(holder.value, draftId);
    if (holder !== undefined && earlier !== undefined) {
      return { kind: 'alreadyAdded', caseValue: holder, filedBy: earlier.filedBy };
    }
    if (holder !== undefined && openWithBarnkontakt.includes(holder.value.state)) {
      const added = await addToCase(deps, input, holder);
      if (added !== undefined) return added;
      continue;
    }
    if (holder === undefined && !isAbandoned(deps, claim.value)) break;
    // The case closed, or its filing never wrote it: this card starts the child's open case.
    try {
      await deps.stores.cases.moveOpenCaseClaim(mine, claim.etag);
      return { kind: 'createCase' };
    } catch (error) {
      if (!isDomainError(error, 'concurrencyConflict')) throw error;
    }
  }
  throw new DomainError('storageUnavailable', tryAgainMessage);
}

/** The card filed from `draftId`, whether it started the case or was added to it. */
export function findDiscovery(caseValue: Case, draftId: string): Discovery | undefined {
  return [caseValue.discovery, ...(caseValue.addedDiscoveries ?? [])].find(
    (discovery) => discovery?.draftId === draftId,
  );
}

/** The card `userId` added to the case, the latest if several; `undefined` for the first filer. */
export function findAddedDiscoveryBy(caseValue: Case, userId: string): Discovery | undefined {
  return (caseValue.addedDiscoveries ?? []).findLast((discovery) => discovery.filedBy === userId);
}

/** The notice id of an added card's message to the Barnkontakt. */
export function toAddedCardNoticeId(caseId: string, draftId: string): string {
  return toNoticeId(caseId, 'upptackarkortTillagt', draftId);
}

async function waitForHolder(
  deps: FlowDependencies,
  claim: OpenCaseClaim,
): Promise<Versioned<Case> | undefined> {
  const pause = deps.pause ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (const waitMs of [0, ...holderWaitsMs]) {
    if (waitMs > 0) await pause(waitMs);
    const holder = await deps.stores.cases.get(claim.caseId);
    if (holder !== undefined || isAbandoned(deps, claim)) return holder;
  }
  return undefined;
}

function isAbandoned(deps: FlowDependencies, claim: OpenCaseClaim): boolean {
  return deps.clock.now().getTime() - Date.parse(claim.claimedAt) > abandonedClaimAfterMs;
}

/**
 * Adds the card to the case, retrying on the version that won when other cards are added at
 * the same moment. `undefined` when the case closed meanwhile (the caller claims anew).
 */
async function addToCase(
  deps: FlowDependencies,
  input: OpenCaseInput,
  holder: Versioned<Case>,
): Promise<OpenCaseAnswer | undefined> {
  // Audited once, before the first write: if the audit log fails, nothing is added.
  await appendAudit(deps, {
    at: input.receivedAt,
    actor: input.actor.userId,
    action: 'laggTillUpptackarkort',
    caseId: holder.value.id,
    unitId: holder.value.unitId,
    outcome: 'allowed',
    purpose: addedCardPurpose,
  });
  let current: Versioned<Case> | undefined = holder;
  for (let attempt = 1; attempt <= maxAddAttempts; attempt += 1) {
    if (current === undefined || !openWithBarnkontakt.includes(current.value.state)) return undefined;
    const draftId = input.filed.discovery?.draftId ?? '';
    const earlier = findDiscovery(current.value, draftId);
    if (earlier !== undefined) return { kind: 'alreadyAdded', caseValue: current, filedBy: earlier.filedBy };
    const next = withAddedCard(deps, current.value, input);
    try {
      const stored = await deps.stores.cases.replaceWithEffects(
        next,
        current.etag,
        collectAddedCardEffects(next, draftId, input.receivedAt),
      );
      return { kind: 'added', caseValue: stored };
    } catch (error) {
      if (!isDomainError(error, 'concurrencyConflict')) throw error;
      current = await deps.stores.cases.get(holder.value.id);
    }
  }
  throw new DomainError('storageUnavailable', tryAgainMessage);
}

function withAddedCard(deps: FlowDependencies, caseValue: Case, input: OpenCaseInput): Case {
  const { actor, receivedAt: at, filed } = input;
  const filedCard = filed.discovery;
  if (filedCard === undefined) {
    throw new DomainError('invalidInput', 'Kortet saknar innehåll.', { field: 'draftId' });
  }
  // Whether the card is external is judged against the case's unit, as for the first card.
  const unit = findUnit(deps.directory, caseValue.unitId);
  const discovery: Discovery = {
    ...filedCard,
    external: unit === undefined ? filedCard.external : filedCard.reporter.organisation !== unit.organisation,
  };
  const alreadyUpptackare = caseValue.roles.some(
    (role) => role.userId === actor.userId && role.role === 'upptackare' && isRoleActive(role),
  );
  const withUpptackare = alreadyUpptackare
    ? caseValue
    : withRole(
        caseValue,
        { userId: actor.userId, role: 'upptackare', displayName: actor.displayName, since: at },
        { actor: actor.userId, at },
      );
  const verbal = (filed.consents ?? []).find((consent) => consent.step === 'muntligt');
  const consented = recordConsent(
    withUpptackare,
    {
      step: 'muntligt',
      givenBy: verbal?.givenBy ?? ['vardnadshavare'],
      scope:
        'Upptäckarkortet läggs till i barnets pågående ärende och delas med barnets Barnkontakt, för att Barnkontakten ska kunna ta ställning till stöd.',
    },
    { actor: actor.userId, at },
  );
  return {
    ...consented,
    addedDiscoveries: [...(caseValue.addedDiscoveries ?? []), discovery],
    chronology: [...consented.chronology, { at, by: actor.userId, event: 'upptackarkortTillagt' }],
    updatedAt: at,
  };
}

/** The added card goes to whoever has the case on the Barnkontakt's side now. */
function collectAddedCardEffects(caseValue: Case, draftId: string, at: Instant): CaseEffects {
  const barnkontakt = caseValue.roles.find((role) => role.role === 'barnkontakt' && isRoleActive(role));
  const recipient = barnkontakt?.userId ?? currentRouting(caseValue)?.routing.contactUserId;
  if (recipient === undefined) return { outbox: [], reminders: [] };
  return {
    outbox: [
      buildNoticeMessage({
        id: toAddedCardNoticeId(caseValue.id, draftId),
        kind: 'upptackarkortTillagt',
        caseId: caseValue.id,
        recipientKey: recipient,
        data: { draftId },
        at,
      }),
    ],
    reminders: [],
  };
}

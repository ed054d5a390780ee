/**
 * Use case: the Upptäckare files the Upptäckarkort (step 1 of the stödprocess) and the chosen
 * path starts at once: the Barnkontakt is routed and notified, support in the own organisation
 * gets its follow-up reminder, or the orosanmälan goes to social services' intake.
 *
 * Idempotent by design: the case id is derived from the card instance (`draftId`), so Teams
 * redelivering the submit and a double click on the same card both end in ONE case.
 *
 * Write order: the audit row first (if it cannot be written, nothing happens), then the case
 * together with the messages and reminders the filing causes (`createWithEffects`: one SQLite
 * transaction; on Cosmos the effects ride in the case document and a repair sweep enqueues what
 * a crash left there). So no case exists without its notice and its chase. The effects have ids
 * derived from the case, and a redelivered submit that finds the case enqueues them again: a
 * no-op where they exist.
 *
 * A card about a child who already has an open case with a Barnkontakt is added to that case
 * (`add-to-open-case.ts`), also when both cards are filed at the same moment.
 */
import { withRole } from '../kernel/access.js';
import type { Case, Instant, RoutingOutcome } from '../kernel/case.js';
import {
  type Actor,
  appendAudit,
  buildChaseReminder,
  currentRouting,
  enqueueEffects,
  type FlowDependencies,
  findUpptackare,
  isValidDraftId,
  reminderKinds,
  toCaseId,
  toFollowUpReminderId,
  toNoticeId,
} from '../kernel/case-effects.js';
import { caseReferenceByteLength, formatCaseReference } from '../kernel/case-reference.js';
import { recordConsent } from '../kernel/consent.js';
import { type Directory, findContact, findUnit } from '../kernel/directory.js';
import { DomainError, isDomainError } from '../kernel/errors.js';
import { deriveIdentityKey } from '../kernel/identity-number.js';
import { buildNoticeMessage } from '../kernel/notices.js';
import type { CaseEffects, Versioned } from '../kernel/ports.js';
import type { Discovery } from '../kernel/records/discovery.js';
import { computeMorningOf } from '../kernel/reminder-times.js';
import { applyTransition, type CaseEvent } from '../kernel/transitions.js';
import { toStockholmDate } from '../kernel/working-time.js';
import { claimOrJoinOpenCase } from './add-to-open-case.js';
import { type DiscoverySubmission, toEnrolmentFacts } from './discovery-form.js';
import { routeToBarnkontakt } from './routing.js';
import { assignRouting } from './routing-roles.js';

export interface FileDiscoveryInput {
  /** From the activity (`from.aadObjectId`, name, tenant), never from card data. */
  readonly actor: Actor;
  /** The card instance, from the card's Action.Execute data. */
  readonly draftId: string;
  readonly submission: DiscoverySubmission;
  /** When the submit arrived. */
  readonly receivedAt: Instant;
}

export interface FileDiscoveryResult {
  /**
   * `alreadyFiled`: the same card was filed before (redelivery, double click); nothing new was
   * created. `addedToOpenCase`: the child already had an open case with a Barnkontakt, and the
   * card was added to it.
   */
  readonly outcome: 'created' | 'alreadyFiled' | 'addedToOpenCase';
  /** The stored case: the Upptäckare's receipt is rendered from it. */
  readonly caseValue: Versioned<Case>;
}

const pathEvents: Readonly<Record<Discovery['path'], CaseEvent>> = {
  aktiveraBarnkontakt: 'aktiveraBarnkontakt',
  stodIEgenVerksamhet: 'valjStodIEgenVerksamhet',
  orosanmalan: 'gorOrosanmalan',
};

/** Why each path's share of the card is necessary, relevant and proportionate (docs/domain.md). */
const sharePurposes: Readonly<Record<Discovery['path'], string>> = {
  aktiveraBarnkontakt:
    'Vårdnadshavare har gett muntligt samtycke; Barnkontakten behöver Upptäckarkortet för att ta ställning till stöd.',
  stodIEgenVerksamhet: 'Stöd i egen verksamhet: inget delas utanför Upptäckarens verksamhet.',
  orosanmalan:
    'Orosanmälan enligt anmälningsskyldigheten; Upptäckarkortet bifogas så att socialtjänsten får hela underlaget.',
};

/**
 * Files an Upptäckarkort: creates the case with the Upptäckare's role, the discovery data and the
 * chosen path, audits it before writing, then enqueues the path's notices and reminders.
 *
 * @returns `created`, or `alreadyFiled` with the stored case when this card was filed before.
 * @throws DomainError('accessDenied') when the card was filed by another user (a replayed draft
 *   id), audited as refused; DomainError('invalidInput') for a draft id that cannot name a case;
 *   any error of the audit log, in which case nothing was written.
 */
export async function fileDiscovery(
  deps: FlowDependencies,
  input: FileDiscoveryInput,
): Promise<FileDiscoveryResult> {
  if (!isValidDraftId(input.draftId)) {
    throw new DomainError(
      'invalidInput',
      'Kortet kunde inte kännas igen. Skriv ”ny upptäckt” för att öppna ett nytt Upptäckarkort.',
      { field: 'draftId' },
    );
  }
  const caseId = toCaseId(input.draftId);
  const existing = await deps.stores.cases.get(caseId);
  if (existing !== undefined) {
    return answerAlreadyFiled(deps, input, existing);
  }

  const caseValue = buildFiledCase(deps, input, caseId);
  const identityKey = caseValue.child.identityKey;
  if (identityKey !== undefined && input.submission.path === 'aktiveraBarnkontakt') {
    const open = await claimOrJoinOpenCase(deps, {
      actor: input.actor,
      receivedAt: input.receivedAt,
      filed: caseValue,
      identityKey,
    });
    switch (open.kind) {
      case 'added':
        return { outcome: 'addedToOpenCase', caseValue: open.caseValue };
      case 'alreadyAdded':
        return answerAlreadyFiled(deps, input, open.caseValue, open.filedBy);
      case 'createCase':
        break;
    }
  }
  await appendAudit(deps, {
    at: input.receivedAt,
    actor: input.actor.userId,
    action: 'skapaArende',
    caseId,
    unitId: caseValue.unitId,
    outcome: 'allowed',
    purpose: sharePurposes[input.submission.path],
  });
  let created: Versioned<Case>;
  try {
    created = await deps.stores.cases.createWithEffects(caseValue, collectFilingEffects(deps, caseValue));
  } catch (error) {
    // The same card filed at the same moment by a concurrent delivery: that one won.
    if (!isDomainError(error, 'alreadyExists')) throw error;
    const winner = await deps.stores.cases.get(caseId);
    if (winner === undefined) throw error;
    return answerAlreadyFiled(deps, input, winner);
  }
  return { outcome: 'created', caseValue: created };
}

async function answerAlreadyFiled(
  deps: FlowDependencies,
  input: FileDiscoveryInput,
  existing: Versioned<Case>,
  filedBy = existing.value.discovery?.filedBy ?? findUpptackare(existing.value)?.userId,
): Promise<FileDiscoveryResult> {
  if (filedBy !== input.actor.userId) {
    await appendAudit(deps, {
      at: input.receivedAt,
      actor: input.actor.userId,
      action: 'skapaArende',
      caseId: existing.value.id,
      unitId: existing.value.unitId,
      outcome: 'refused',
    });
    throw new DomainError(
      'accessDenied',
      'Kortet hör till ett ärende som någon annan har skickat in. Skriv ”ny upptäckt” för att öppna ett eget kort.',
      { caseId: existing.value.id },
    );
  }
  await appendAudit(deps, {
    at: input.receivedAt,
    actor: input.actor.userId,
    action: 'lasArende',
    caseId: existing.value.id,
    unitId: existing.value.unitId,
    outcome: 'allowed',
  });
  await enqueueFilingEffects(deps, existing.value);
  return { outcome: 'alreadyFiled', caseValue: existing };
}

function buildFiledCase(deps: FlowDependencies, input: FileDiscoveryInput, caseId: string): Case {
  const { actor, submission, receivedAt: at } = input;
  const { directory } = deps;
  const unit = findUnit(directory, submission.unitId);
  if (unit === undefined) {
    throw new DomainError('invalidInput', 'Enheten finns inte i kommunens katalog.', { field: 'unitId' });
  }
  const { identityNumber, birthDate, dueDate } = submission.child;
  const discovery: Discovery = {
    draftId: input.draftId,
    filedBy: actor.userId,
    filedAt: at,
    reporter: submission.reporter,
    external: submission.reporter.organisation !== unit.organisation,
    enrolment: submission.enrolment,
    areas: [...submission.areas],
    observation: submission.observation,
    talkedWithGuardian: submission.talkedWithGuardian,
    path: submission.path,
    ...(submission.followUpDate === undefined ? {} : { followUpDate: submission.followUpDate }),
  };
  const filed: Case = {
    id: caseId,
    reference: formatCaseReference(deps.randomBytes(caseReferenceByteLength)),
    tenantId: actor.tenantId,
    state: 'upptackt',
    child: {
      givenName: submission.child.givenName,
      familyName: submission.child.familyName,
      ...(identityNumber === undefined
        ? {}
        : { identityNumber, identityKey: deriveIdentityKey(identityNumber, deps.identityKeySecret) }),
      ...(birthDate === undefined ? {} : { birthDate }),
      ...(dueDate === undefined ? {} : { dueDate }),
    },
    unitId: unit.id,
    roles: [],
    chronology: [{ at, by: actor.userId, event: 'upptackarkortInlamnat', to: 'upptackt' }],
    consents: [],
    discovery,
    createdAt: at,
    updatedAt: at,
  };
  const withUpptackare = withRole(
    filed,
    { userId: actor.userId, role: 'upptackare', displayName: actor.displayName, since: at },
    { actor: actor.userId, at },
  );
  return startPath(withUpptackare, input, directory);
}

function startPath(caseValue: Case, input: FileDiscoveryInput, directory: Directory): Case {
  const { actor, submission, receivedAt: at } = input;
  const command = { event: pathEvents[submission.path], actor: actor.userId, at };
  switch (submission.path) {
    case 'aktiveraBarnkontakt': {
      const answer = routeToBarnkontakt({
        child: submission.child,
        unitId: submission.unitId,
        enrolment: toEnrolmentFacts(submission.enrolment),
        decisionDate: toStockholmDate(at),
        directory,
      });
      if (answer.kind === 'chooseUnit') {
        // The form asks first; this is a submit checked on another day or against another directory.
        throw new DomainError('invalidInput', answer.request.message, { field: 'unitId' });
      }
      const routing = answer.decision;
      const atUnit = moveToRoutedUnit(caseValue, routing, directory);
      const unitName = findUnit(directory, atUnit.unitId)?.name ?? atUnit.unitId;
      const consented = recordConsent(
        atUnit,
        {
          step: 'muntligt',
          givenBy: [submission.verbalConsent?.givenBy ?? 'vardnadshavare'],
          scope: `Upptäckarkortet delas med barnets Barnkontakt (${unitName}, eller den enhet kortet skickas vidare till) för att Barnkontakten ska kunna ta ställning till stöd.`,
        },
        { actor: actor.userId, at },
      );
      const routed = assignRouting(consented, routing, directory, {
        by: actor.userId,
        at,
        cause: 'upptackarkort',
      });
      return applyTransition(routed, command);
    }
    case 'stodIEgenVerksamhet':
      return applyTransition(caseValue, command);
    case 'orosanmalan':
      return {
        ...applyTransition(caseValue, command),
        orosanmalan: { cardAttached: true, intakeUnitId: directory.socialServicesIntake.unit, sentAt: at },
      };
  }
}

/**
 * The card may name a unit of another age band (a BVC for a four-day-old) and routing then
 * finds the band's unit: the case belongs to that unit, as after a forward, and whether the
 * card counts as external is judged against it.
 */
function moveToRoutedUnit(caseValue: Case, routing: RoutingOutcome, directory: Directory): Case {
  const unit = routing.viaFallback ? undefined : findUnit(directory, routing.unitId);
  if (unit === undefined || unit.id === caseValue.unitId) return caseValue;
  const { discovery } = caseValue;
  return {
    ...caseValue,
    unitId: unit.id,
    ...(discovery === undefined
      ? {}
      : { discovery: { ...discovery, external: discovery.reporter.organisation !== unit.organisation } }),
  };
}

/** Enqueues the filing's effects again (a redelivered submit): a no-op where they exist. */
async function enqueueFilingEffects(deps: FlowDependencies, caseValue: Case): Promise<void> {
  await enqueueEffects(deps.stores, collectFilingEffects(deps, caseValue));
}

/**
 * The messages and reminders the filing causes. Only while the case is still as filed: once
 * someone has acted on it, a late redelivery must not send the first notification again.
 */
function collectFilingEffects(deps: FlowDependencies, caseValue: Case): CaseEffects {
  const none: CaseEffects = { outbox: [], reminders: [] };
  const discovery = caseValue.discovery;
  if (discovery === undefined || !isStillAsFiled(caseValue, pathEvents[discovery.path])) {
    return none;
  }
  const at = discovery.filedAt;
  switch (discovery.path) {
    case 'aktiveraBarnkontakt': {
      const routing = currentRouting(caseValue);
      if (routing === undefined || routing.routingNo !== 1) return none;
      return {
        outbox: [
          buildNoticeMessage({
            id: toNoticeId(caseValue.id, 'nyttArende', routing.routingNo),
            kind: 'nyttArende',
            caseId: caseValue.id,
            recipientKey: routing.routing.contactUserId,
            data: { routingNo: routing.routingNo, cause: 'upptackarkort' },
            at,
          }),
        ],
        reminders: [buildChaseReminder(deps.directory, caseValue.id, routing.routingNo, 1, at)],
      };
    }
    case 'stodIEgenVerksamhet': {
      if (discovery.followUpDate === undefined) return none;
      return {
        outbox: [],
        reminders: [
          {
            id: toFollowUpReminderId(caseValue.id),
            kind: reminderKinds.foljUppEgenVerksamhet,
            caseId: caseValue.id,
            dueAt: computeMorningOf(discovery.followUpDate, deps.directory.workingTime),
            status: 'scheduled',
            data: { followUpDate: discovery.followUpDate },
            createdAt: at,
          },
        ],
      };
    }
    case 'orosanmalan': {
      const intake = caseValue.orosanmalan?.intakeUnitId ?? deps.directory.socialServicesIntake.unit;
      const outbox = deps.directory.socialServicesIntake.contacts.flatMap((contactId) => {
        const contact = findContact(deps.directory, contactId);
        if (contact === undefined) return [];
        return [
          buildNoticeMessage({
            id: toNoticeId(caseValue.id, 'orosanmalan', contact.aadObjectId),
            kind: 'orosanmalan',
            caseId: caseValue.id,
            recipientKey: contact.aadObjectId,
            data: { intakeUnitId: intake, cardAttached: true },
            at,
          }),
        ];
      });
      return { outbox, reminders: [] };
    }
  }
}

/** Whether the path's transition is the last change of state in the case. */
function isStillAsFiled(caseValue: Case, pathEvent: CaseEvent): boolean {
  const transitions = caseValue.chronology.filter((entry) => entry.to !== undefined);
  return transitions.at(-1)?.event === pathEvent;
}

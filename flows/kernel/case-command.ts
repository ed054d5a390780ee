/**
 * The common shape of a staff action on a case after the Barnkontakt has taken it (consent,
 * talks, decisions): load, authorise, check the card's version, build the new case, audit, and
 * write conditionally — the steps of `respond-to-case.ts`, written once so that every action
 * refuses, audits and reports a lost race the same way (docs/security.md 6, 7 and 12).
 */
import { type AccessContext, authorize, type CaseAction } from './access.js';
import type { Case, Instant, UserId } from './case.js';
import { appendAudit, enqueueEffects, type FlowDependencies } from './case-effects.js';
import { DomainError, isDomainError } from './errors.js';
import type { CaseEffects, Versioned } from './ports.js';

/** Why an action was refused: who asked, what the process allows, or what was typed. */
export const refusalCauses = ['accessDenied', 'transitionRefused', 'invalidInput'] as const;
export type RefusalCause = (typeof refusalCauses)[number];

export type CaseCommandResult =
  | { readonly outcome: 'applied'; readonly caseValue: Versioned<Case> }
  /** The actor had already done this (a double click, a redelivered invoke); nothing changed. */
  | { readonly outcome: 'alreadyApplied'; readonly caseValue: Versioned<Case>; readonly message: string }
  /** The card was not current (or another change won): show `caseValue` as it is now. */
  | { readonly outcome: 'stale'; readonly caseValue: Versioned<Case>; readonly message: string }
  /**
   * Nothing was written; `message` is the Swedish text to show. No case data is returned: a
   * refused actor may have no right to see it. `field` names the card input at fault.
   */
  | {
      readonly outcome: 'refused';
      readonly cause: RefusalCause;
      readonly message: string;
      readonly field?: string;
    };

export const staleMessage = 'Kortet var inte längre aktuellt. Här är ärendet som det ser ut nu.';

export interface CaseCommand {
  readonly caseId: string;
  /**
   * The version the card was rendered from. Absent for an action that must not wait for a
   * current card (a withdrawn consent): it then applies to the case as it is now, and a lost
   * race is retried on the new version.
   */
  readonly etag?: string;
  readonly actorId: UserId;
  readonly action: CaseAction;
  readonly at: Instant;
  readonly accessContext?: AccessContext;
  /** Why the write is a share that is necessary, relevant and proportionate, when it is one. */
  readonly purpose?: string;
  /** The new case. Throws DomainError `invalidInput` or `transitionRefused` to refuse. */
  build(caseValue: Case): Case;
  /**
   * The messages and reminders the new case causes, committed with it (`replaceWithEffects`).
   * Derived from the case alone, so that a repeat gives the same ids.
   */
  effects?(next: Case): CaseEffects;
  /** Whether the stored case already holds this actor's action (read when the card was not current). */
  hasApplied(caseValue: Case): boolean;
  readonly alreadyMessage: string;
}

const maxAttemptsWithoutEtag = 3;

/**
 * Runs one staff action on a case.
 *
 * @throws DomainError('notFound') for an unknown case; any error of the audit log or the case
 *   store other than a lost race, in which case nothing was written.
 */
export async function runCaseCommand(
  deps: FlowDependencies,
  command: CaseCommand,
): Promise<CaseCommandResult> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await deps.stores.cases.get(command.caseId);
    if (current === undefined) {
      throw new DomainError('notFound', 'Ärendet finns inte.', { caseId: command.caseId });
    }
    const cardIsCurrent = command.etag === undefined || command.etag === current.etag;
    // Before authorising: the actor's own action may have closed the case (a withdrawal), and
    // their second click must still read as "already done". An action without a card version
    // has no other way to notice a repeat.
    if ((!cardIsCurrent || command.etag === undefined) && command.hasApplied(current.value)) {
      return answerAlreadyApplied(deps, command, current);
    }
    const decision = authorize(current.value, command.actorId, command.action, command.accessContext);
    if (!decision.allowed) {
      await audit(deps, command, current.value, command.action, 'refused');
      return { outcome: 'refused', cause: 'accessDenied', message: decision.reason };
    }
    if (!cardIsCurrent) {
      await audit(deps, command, current.value, 'lasArende', 'allowed');
      return { outcome: 'stale', caseValue: current, message: staleMessage };
    }

    let next: Case;
    try {
      next = command.build(current.value);
    } catch (error) {
      if (!isDomainError(error, 'invalidInput') && !isDomainError(error, 'transitionRefused')) throw error;
      await audit(deps, command, current.value, command.action, 'refused');
      const field = error.details.field;
      return {
        outcome: 'refused',
        cause: error.code === 'invalidInput' ? 'invalidInput' : 'transitionRefused',
        message: error.message,
        ...(typeof field === 'string' ? { field } : {}),
      };
    }
    // Audited before the write: if the audit log fails, the action does not happen.
    await audit(deps, command, current.value, command.action, 'allowed');
    try {
      const stored =
        command.effects === undefined
          ? await deps.stores.cases.replace(next, current.etag)
          : await deps.stores.cases.replaceWithEffects(next, current.etag, command.effects(next));
      return { outcome: 'applied', caseValue: stored };
    } catch (error) {
      if (!isDomainError(error, 'concurrencyConflict')) throw error;
      const winner = await deps.stores.cases.get(command.caseId);
      if (winner === undefined) throw error;
      if (command.hasApplied(winner.value)) {
        return answerAlreadyApplied(deps, command, winner);
      }
      if (command.etag !== undefined || attempt >= maxAttemptsWithoutEtag) {
        return { outcome: 'stale', caseValue: winner, message: staleMessage };
      }
    }
  }
}

async function answerAlreadyApplied(
  deps: FlowDependencies,
  command: CaseCommand,
  current: Versioned<Case>,
): Promise<CaseCommandResult> {
  await audit(deps, command, current.value, 'lasArende', 'allowed');
  // Repairs a first click whose effects a store without transactions has not enqueued yet.
  if (command.effects !== undefined) await enqueueEffects(deps.stores, command.effects(current.value));
  return { outcome: 'alreadyApplied', caseValue: current, message: command.alreadyMessage };
}

async function audit(
  deps: FlowDependencies,
  command: CaseCommand,
  caseValue: Case,
  action: string,
  outcome: 'allowed' | 'refused',
): Promise<void> {
  await appendAudit(deps, {
    at: command.at,
    actor: command.actorId,
    action,
    caseId: caseValue.id,
    unitId: caseValue.unitId,
    outcome,
    ...(command.purpose !== undefined && outcome === 'allowed' && action === command.action
      ? { purpose: command.purpose }
      : {}),
  });
}

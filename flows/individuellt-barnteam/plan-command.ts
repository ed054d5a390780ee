/**
 * The common shape of an edit of Barnets plan: `runCaseCommand` on the plan's action, refused
 * when the case has no plan, with the plan replaced whole. Who may edit follows the plan's owner
 * (access.ts `redigeraPlan`): the Barnkontakt until a Stödsamordnare is appointed, then the
 * Stödsamordnare. The team record (and the channel the provisioning wrote there) is kept as read.
 */
import type { CaseAction } from '../kernel/access.js';
import type { Case, Instant } from '../kernel/case.js';
import { type CaseCommandResult, runCaseCommand } from '../kernel/case-command.js';
import type { Actor, FlowDependencies } from '../kernel/case-effects.js';
import { DomainError } from '../kernel/errors.js';
import type { CaseEffects } from '../kernel/ports.js';
import type { BarnetsPlan } from '../kernel/records/plan.js';

export interface PlanCommandBase {
  readonly caseId: string;
  /** The version (ETag) the plan card was rendered from. */
  readonly etag: string;
  /** From the activity, never from card data. */
  readonly actor: Actor;
  readonly at: Instant;
}

export const planMessages = {
  noPlan: 'Ärendet har ingen Barnets plan ännu.',
} as const;

export const planPurpose =
  'Barnets plan i det Individuella barnteamet: det som behövs för att stödet planeras, ges och följs upp.';

export function runPlanCommand(
  deps: FlowDependencies,
  input: PlanCommandBase,
  spec: {
    readonly action?: CaseAction;
    readonly alreadyMessage: string;
    hasApplied(caseValue: Case): boolean;
    /** The new plan; throw DomainError `invalidInput` (with `field`) to refuse. */
    change(plan: BarnetsPlan, caseValue: Case): BarnetsPlan;
    /** Beyond the plan (a transition, a chronology entry). */
    finish?(caseValue: Case): Case;
    effects?(next: Case): CaseEffects;
  },
): Promise<CaseCommandResult> {
  return runCaseCommand(deps, {
    caseId: input.caseId,
    etag: input.etag,
    actorId: input.actor.userId,
    action: spec.action ?? 'redigeraPlan',
    at: input.at,
    purpose: planPurpose,
    alreadyMessage: spec.alreadyMessage,
    hasApplied: spec.hasApplied,
    build: (caseValue) => {
      const plan = caseValue.barnetsPlan;
      if (plan === undefined) throw new DomainError('transitionRefused', planMessages.noPlan);
      const changed: Case = { ...caseValue, barnetsPlan: spec.change(plan, caseValue), updatedAt: input.at };
      return spec.finish === undefined ? changed : spec.finish(changed);
    },
    ...(spec.effects === undefined ? {} : { effects: spec.effects }),
  });
}

/** A trimmed text, or a refusal naming the field. */
export function readPlanText(value: string | undefined, field: string, missing: string, max = 1000): string {
  const text = value?.trim() ?? '';
  if (text === '') throw new DomainError('invalidInput', missing, { field });
  if (text.length > max) {
    throw new DomainError('invalidInput', `Texten får vara högst ${max} tecken.`, { field });
  }
  return text;
}

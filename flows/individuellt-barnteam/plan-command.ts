/**
 * The common shape of an edit of Barnets plan: `runCaseCommand` on the plan's action, refused
 * when the case has no plan, with the plan replaced whole. Who may edit follows the plan's owner
 * (access.ts `redigeraPlan`): the Barnkontakt until a Stödsamordnare is appointed, then the
 * Stödsamordnare. The team record (and the channel the provisioning wrote there) is kept as read.
 */
import { createHash } from 'node:crypto';
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
  /**
   * What the plan looked like on the card (`toPlanFingerprint`). When only something else of the
   * case changed since (the channel's provisioning writing the channel in, a reminder's
   * bookkeeping), the card is still current for the plan and the edit applies.
   */
  readonly planFingerprint?: string;
}

/**
 * A short digest of what a plan card shows and decides on: the plan, the team (without the
 * channel the provisioning records), the roles and the state. Not a secret and not for identity:
 * only to tell whether a card is still current for the plan.
 */
export function toPlanFingerprint(caseValue: Case): string {
  const team = caseValue.individuelltBarnteam;
  const shown = {
    state: caseValue.state,
    roles: caseValue.roles,
    plan: caseValue.barnetsPlan,
    team: team === undefined ? undefined : { ...team, channel: undefined },
  };
  return createHash('sha256').update(JSON.stringify(shown)).digest('hex').slice(0, 20);
}

/** The version a plan card carries: the store's ETag and the plan's fingerprint, in one value. */
export function toPlanCardVersion(etag: string, caseValue: Case): string {
  return `${etag}#${toPlanFingerprint(caseValue)}`;
}

/** The card's version read back; a bare ETag (an older card) has no fingerprint. */
export function readPlanCardVersion(value: string): { etag: string; planFingerprint?: string } {
  const at = value.lastIndexOf('#');
  const fingerprint = at < 0 ? '' : value.slice(at + 1);
  return /^[0-9a-f]{20}$/.test(fingerprint)
    ? { etag: value.slice(0, at), planFingerprint: fingerprint }
    : { etag: value };
}

export const planMessages = {
  noPlan: 'Ärendet har ingen Barnets plan ännu.',
} as const;

export const planPurpose =
  'Barnets plan i det Individuella barnteamet: det som behövs för att stödet planeras, ges och följs upp.';

export async function runPlanCommand(
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
  const etag = await rebaseOnUnrelatedChange(deps, input);
  return runCaseCommand(deps, {
    caseId: input.caseId,
    etag,
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

/**
 * The ETag to write against: the card's, unless the case moved on in nothing the plan card shows,
 * in which case the current one (a real conflict still loses: the write is conditional on it).
 */
async function rebaseOnUnrelatedChange(deps: FlowDependencies, input: PlanCommandBase): Promise<string> {
  if (input.planFingerprint === undefined) return input.etag;
  const current = await deps.stores.cases.get(input.caseId);
  if (current === undefined || current.etag === input.etag) return input.etag;
  return toPlanFingerprint(current.value) === input.planFingerprint ? current.etag : input.etag;
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

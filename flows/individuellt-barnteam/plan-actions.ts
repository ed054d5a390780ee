/**
 * Use cases: the actions of Barnets plan — what, who (person, role, organisation), by when, with
 * a status (planerad, pågår, genomförd, inställd) and an owner among the team. Adding an action
 * schedules, with the case, the reminder the sweep finds when its date has passed; marking it
 * done posts `atgardGenomford` to the team's channel.
 *
 * Overdue (`handleOverdueAction`, reminder kind `atgardForsenad`): an action still open on the
 * first working day after its date (Stockholm time, the directory's working days) is posted once
 * to the channel and its owner is reminded in the personal chat. Both notices have ids derived
 * from the action and its date, so the sweep's retries and a catch-up after downtime send nothing
 * twice; a changed date is a new reminder, and the old one finds its date no longer matches.
 */
import { authorize, currentBarnkontakt, isRoleActive } from '../kernel/access.js';
import type { Case } from '../kernel/case.js';
import { hasValidConsent } from '../kernel/case.js';
import type { CaseCommandResult } from '../kernel/case-command.js';
import { appendAudit, type FlowDependencies, nowInstant, toNoticeId } from '../kernel/case-effects.js';
import { type Organisation, ZOrganisation } from '../kernel/directory.js';
import { DomainError } from '../kernel/errors.js';
import { buildNoticeMessage } from '../kernel/notices.js';
import type { Reminder } from '../kernel/ports.js';
import { type ActionStatus, isActionOpen, type PlanAction, ZPlanAction } from '../kernel/records/plan.js';
import { ZCalendarDate } from '../kernel/value-types.js';
import { toStockholmDate } from '../kernel/working-time.js';
import { type PlanCommandBase, readPlanText, runPlanCommand } from './plan-command.js';
import { buildOverdueReminder, buildTeamkanalPost, isActionOverdue } from './team-effects.js';

export const actionMessages = {
  whatMissing: 'Skriv vad som ska göras.',
  dueMissing: 'Ange senast när åtgärden ska vara gjord (ÅÅÅÅ-MM-DD).',
  duePassed: 'Datumet har redan passerat. Ange ett datum från och med i dag.',
  ownerMissing: 'Välj vem i teamet som ansvarar för åtgärden.',
  performerInvalid: 'Ange vem som gör det: namn, roll och organisation.',
  unknownAction: 'Åtgärden finns inte (längre) i planen.',
  closed: 'Åtgärden är redan genomförd eller inställd och kan inte ändras.',
  notYours:
    'Bara den som ansvarar för åtgärden eller för Barnets plan (Barnkontakten, eller Stödsamordnaren när en sådan är utsedd) kan ändra dess status.',
  already: 'Åtgärden är redan sparad.',
  statusAlready: 'Åtgärden har redan den statusen.',
} as const;

export interface AddActionInput extends PlanCommandBase {
  readonly what?: string;
  readonly goalId?: string;
  readonly dueDate?: string;
  /** The Teams id of the member who answers for it. */
  readonly ownerUserId?: string;
  /** Who carries it out, when not the owner (e.g. "Elevhälsan", "Skolkurator", "kommun"). */
  readonly performer?: { readonly name?: string; readonly role?: string; readonly organisation?: string };
}

/** Adds an action and schedules its overdue reminder with it. */
export async function addAction(deps: FlowDependencies, input: AddActionInput): Promise<CaseCommandResult> {
  const what = input.what?.trim() ?? '';
  return runPlanCommand(deps, input, {
    alreadyMessage: actionMessages.already,
    hasApplied: (caseValue) =>
      caseValue.barnetsPlan?.actions.some(
        (action) =>
          action.what === what && action.dueDate === input.dueDate && action.createdBy === input.actor.userId,
      ) === true,
    change: (plan, caseValue) => {
      const text = readPlanText(input.what, 'what', actionMessages.whatMissing);
      const due = ZCalendarDate.safeParse(input.dueDate?.trim());
      if (!due.success)
        throw new DomainError('invalidInput', actionMessages.dueMissing, { field: 'dueDate' });
      if (due.data < toStockholmDate(input.at)) {
        throw new DomainError('invalidInput', actionMessages.duePassed, { field: 'dueDate' });
      }
      const owner = findPossibleOwner(caseValue, input.ownerUserId);
      if (owner === undefined)
        throw new DomainError('invalidInput', actionMessages.ownerMissing, { field: 'ownerUserId' });
      const goalId = input.goalId?.trim() || undefined;
      if (goalId !== undefined && !plan.goals.some((goal) => goal.id === goalId)) {
        throw new DomainError('invalidInput', 'Målet finns inte (längre) i planen.', { field: 'goalId' });
      }
      const parsed = ZPlanAction.safeParse({
        id: `atgard-${plan.actions.length + 1}`,
        ...(goalId === undefined ? {} : { goalId }),
        what: text,
        who: readPerformer(input.performer, owner),
        dueDate: due.data,
        status: 'planerad',
        ownerUserId: owner.userId,
        ownerName: owner.name,
        createdBy: input.actor.userId,
        createdAt: input.at,
      });
      if (!parsed.success)
        throw new DomainError('invalidInput', actionMessages.performerInvalid, { field: 'performerName' });
      return { ...plan, actions: [...plan.actions, parsed.data] };
    },
    effects: (next) => {
      const action = next.barnetsPlan?.actions.at(-1);
      return {
        outbox: [],
        reminders:
          action === undefined
            ? []
            : [buildOverdueReminder(next, action, action.createdAt, deps.directory.workingTime)],
      };
    },
  });
}

export interface SetActionStatusInput extends PlanCommandBase {
  readonly actionId: string;
  readonly status: Exclude<ActionStatus, 'planerad'>;
}

/**
 * Marks an action as pågår, genomförd or inställd. The plan's owner may change any action; a
 * member may change the actions they own.
 */
export async function setActionStatus(
  deps: FlowDependencies,
  input: SetActionStatusInput,
): Promise<CaseCommandResult> {
  return runPlanCommand(deps, input, {
    action: 'uppdateraAtgard',
    alreadyMessage: actionMessages.statusAlready,
    hasApplied: (caseValue) =>
      caseValue.barnetsPlan?.actions.some(
        (action) => action.id === input.actionId && action.status === input.status,
      ) === true,
    change: (plan, caseValue) => {
      const action = plan.actions.find((item) => item.id === input.actionId);
      if (action === undefined)
        throw new DomainError('invalidInput', actionMessages.unknownAction, { field: 'actionId' });
      const ownsPlan = authorize(caseValue, input.actor.userId, 'redigeraPlan').allowed;
      if (!ownsPlan && action.ownerUserId !== input.actor.userId) {
        throw new DomainError('transitionRefused', actionMessages.notYours);
      }
      if (!isActionOpen(action.status))
        throw new DomainError('invalidInput', actionMessages.closed, { field: 'actionId' });
      if (action.status === input.status) {
        throw new DomainError('invalidInput', actionMessages.statusAlready, { field: 'actionId' });
      }
      const changed: PlanAction = {
        ...action,
        status: input.status,
        statusChangedAt: input.at,
        statusChangedBy: input.actor.userId,
      };
      return { ...plan, actions: plan.actions.map((item) => (item.id === action.id ? changed : item)) };
    },
    effects: (next) => {
      const action = next.barnetsPlan?.actions.find((item) => item.id === input.actionId);
      return {
        outbox:
          action?.status === 'genomford'
            ? [
                buildTeamkanalPost(
                  next.id,
                  'atgardGenomford',
                  action.statusChangedAt ?? next.updatedAt,
                  action.id,
                ),
              ]
            : [],
        reminders: [],
      };
    },
  });
}

/** Who may own an action: an active member in Teams, the Barnkontakt or the Stödsamordnare. */
export function listPossibleOwners(
  caseValue: Case,
): { userId: string; name: string; role: string; organisation: Organisation }[] {
  const owners = new Map<
    string,
    { userId: string; name: string; role: string; organisation: Organisation }
  >();
  const barnkontakt = currentBarnkontakt(caseValue);
  if (barnkontakt !== undefined) {
    owners.set(barnkontakt.userId, {
      userId: barnkontakt.userId,
      name: barnkontakt.displayName,
      role: 'Barnkontakt',
      organisation: 'kommun',
    });
  }
  for (const member of caseValue.individuelltBarnteam?.members ?? []) {
    if (member.until !== undefined || member.userId === undefined) continue;
    const active = caseValue.roles.some((role) => role.userId === member.userId && isRoleActive(role));
    if (!active) continue;
    owners.set(member.userId, {
      userId: member.userId,
      name: member.displayName,
      role: member.title ?? (member.role === 'stodsamordnare' ? 'Stödsamordnare' : 'Medlem i teamet'),
      organisation: member.organisation,
    });
  }
  return [...owners.values()];
}

function findPossibleOwner(caseValue: Case, userId: string | undefined) {
  return userId === undefined
    ? undefined
    : listPossibleOwners(caseValue).find((owner) => owner.userId === userId);
}

function readPerformer(
  performer: AddActionInput['performer'],
  owner: { name: string; role: string; organisation: Organisation },
) {
  const name = performer?.name?.trim() ?? '';
  if (name === '') return { name: owner.name, role: owner.role, organisation: owner.organisation };
  const organisation = ZOrganisation.safeParse(performer?.organisation);
  return {
    name,
    role: performer?.role?.trim() || owner.role,
    organisation: organisation.success ? organisation.data : owner.organisation,
  };
}

/**
 * The sweeper's handler for `atgardForsenad`: posts the overdue action once to the team's channel
 * and reminds its owner in the personal chat. Silent when the consent was withdrawn, the case has
 * left the plan, the action is done, cancelled or has a new date, or it is not overdue yet in
 * Stockholm working time (then the reminder is simply early: it was due at the overdue moment).
 */
export async function handleOverdueAction(
  deps: FlowDependencies,
  reminder: Reminder,
): Promise<'sent' | 'silent'> {
  const { actionId, dueDate } = reminder.data;
  if (reminder.caseId === undefined || typeof actionId !== 'string' || typeof dueDate !== 'string')
    return 'silent';
  const stored = await deps.stores.cases.get(reminder.caseId);
  if (stored === undefined) return 'silent';
  const caseValue = stored.value;
  if (!isPlanLive(caseValue)) return 'silent';
  const action = caseValue.barnetsPlan?.actions.find((item) => item.id === actionId);
  const now = nowInstant(deps.clock);
  if (
    action === undefined ||
    action.dueDate !== dueDate ||
    !isActionOverdue(action, now, deps.directory.workingTime)
  ) {
    return 'silent';
  }
  await appendAudit(deps, {
    at: now,
    actor: 'system',
    action: 'paminnaForsenadAtgard',
    caseId: caseValue.id,
    unitId: caseValue.unitId,
    outcome: 'allowed',
    purpose:
      'En åtgärd i Barnets plan är försenad: teamet och den ansvarige får veta det, utan uppgifter om barnet.',
  });
  const post = buildTeamkanalPost(caseValue.id, 'atgardForsenad', now, action.id, action.dueDate);
  await deps.stores.outbox.enqueue(post);
  await deps.stores.outbox.enqueue(
    buildNoticeMessage({
      id: toNoticeId(caseValue.id, 'atgardForsenadPaminnelse', action.id, action.dueDate),
      kind: 'atgardForsenadPaminnelse',
      caseId: caseValue.id,
      recipientKey: action.ownerUserId,
      data: { actionId: action.id, dueDate: action.dueDate },
      at: now,
    }),
  );
  return 'sent';
}

/** The plan is live while the case is in the team's states and the updated consent holds. */
export function isPlanLive(caseValue: Case): boolean {
  return (
    (caseValue.state === 'individuelltBarnteam' || caseValue.state === 'planAktiv') &&
    hasValidConsent(caseValue, 'uppdateratSkriftligt')
  );
}

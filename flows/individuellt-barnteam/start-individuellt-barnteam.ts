/**
 * Use case: start an Individuellt barnteam (step 6), two ways, both rows of the transition table
 * and both guarded by the updated written consent (uppdaterat skriftligt samtycke):
 * - `barnteam`: the Barnkontakt who convened the Barnteam starts it from the meeting's outcome
 *   for the child (`startaIndividuelltBarnteam`); the outcome is recorded with it;
 * - `sip`: someone the directory places at a unit with a statutory SIP duty starts it directly
 *   (`startaIndividuelltBarnteamSip`, seeds/002), and must then inform the Barnkontakt: the bot
 *   does it with a notice, recorded on the team (`barnkontaktInformedAt`) and in the chronology.
 *
 * One write: the case (new state, the team, an empty Barnets plan) together with its effects —
 * the reminder the channel provisioning turns into the team's private channel, the first status
 * post to that channel and, on the SIP route, the notice to the Barnkontakt (`replaceWithEffects`).
 * A crash before the write leaves nothing; after it, the store's repair or a repeated click
 * (answered "already started", which enqueues the same ids again) completes the effects.
 */
import { authorize, currentBarnkontakt } from '../kernel/access.js';
import type { Case, Instant } from '../kernel/case.js';
import { type CaseCommandResult, runCaseCommand } from '../kernel/case-command.js';
import { type Actor, appendAudit, type FlowDependencies, toNoticeId } from '../kernel/case-effects.js';
import { DomainError } from '../kernel/errors.js';
import { buildNoticeMessage } from '../kernel/notices.js';
import type { CaseEffects, OutboxMessage } from '../kernel/ports.js';
import { readBarnteamRecords, ZBarnteamOutcome } from '../kernel/records/barnteam-outcome.js';
import type { IndividuelltBarnteam, TeamMember, TeamStartRoute } from '../kernel/records/individual-team.js';
import { emptyPlan } from '../kernel/records/plan.js';
import { applyTransition } from '../kernel/transitions.js';
import { buildTeamAccessContext, findContactOrganisation, findContactUnitId } from './team-directory.js';
import { buildChannelReminder, buildTeamkanalPost } from './team-effects.js';

export interface StartTeamInput {
  readonly caseId: string;
  /** The version (ETag) the card was rendered from. */
  readonly etag: string;
  /** From the activity, never from card data. */
  readonly actor: Actor;
  readonly via: TeamStartRoute;
  /** For `barnteam`: the meeting whose outcome starts the team. */
  readonly meetingId?: string;
  readonly at: Instant;
}

export const startTeamMessages = {
  already: 'Det Individuella barnteamet är redan startat.',
  notConvener:
    'Bara den Barnkontakt som sammankallar Barnteamet kan starta ett Individuellt barnteam från mötet.',
  notOnAgenda: 'Barnet finns inte (längre) på mötets dagordning.',
  meetingNotOn: 'Mötet är inte bokat, så inget Individuellt barnteam kan startas från det.',
  meetingMissing: 'Ange från vilket Barnteam det Individuella barnteamet startas.',
} as const;

const startPurposes: Readonly<Record<TeamStartRoute, string>> = {
  barnteam:
    'Barnteamet har bedömt att stöd behövs från flera verksamheter; det uppdaterade skriftliga samtycket omfattar det Individuella barnteamet.',
  sip: 'Verksamhet med skyldighet att initiera SIP startar ett Individuellt barnteam i stället för en SIP; det uppdaterade skriftliga samtycket omfattar det, och Barnkontakten informeras.',
};

/**
 * Starts the team, audited, conditional on the card's version.
 *
 * @returns `refused` with the table's guard reason (`transitionRefused`) when the updated written
 *   consent is missing or the state does not allow it; `accessDenied` for anyone but the convening
 *   Barnkontakt (`barnteam`) or a person with a SIP duty and a role in the case (`sip`).
 * @throws DomainError('notFound') for an unknown case or meeting; errors of the audit log or stores.
 */
export async function startIndividuelltBarnteam(
  deps: FlowDependencies,
  input: StartTeamInput,
): Promise<CaseCommandResult> {
  const event = input.via === 'barnteam' ? 'startaIndividuelltBarnteam' : 'startaIndividuelltBarnteamSip';
  if (input.via === 'barnteam') {
    const refusal = await checkMeeting(deps, input);
    if (refusal !== undefined) return refusal;
  }
  return runCaseCommand(deps, {
    caseId: input.caseId,
    etag: input.etag,
    actorId: input.actor.userId,
    action: event,
    at: input.at,
    accessContext: buildTeamAccessContext(deps.directory),
    purpose: startPurposes[input.via],
    alreadyMessage: startTeamMessages.already,
    hasApplied: (caseValue) => caseValue.individuelltBarnteam?.startedBy === input.actor.userId,
    build: (caseValue) => buildStarted(deps, caseValue, input, event),
    effects: (started) => collectStartEffects(started),
  });
}

async function checkMeeting(
  deps: FlowDependencies,
  input: StartTeamInput,
): Promise<CaseCommandResult | undefined> {
  if (input.meetingId === undefined) {
    return { outcome: 'refused', cause: 'invalidInput', message: startTeamMessages.meetingMissing };
  }
  const meeting = await deps.stores.meetings.get(input.meetingId);
  if (meeting === undefined) throw new DomainError('notFound', 'Mötet finns inte.');
  const value = meeting.value;
  const message =
    value.convenerUserId !== input.actor.userId
      ? startTeamMessages.notConvener
      : value.state === 'proposed' || value.state === 'cancelled'
        ? startTeamMessages.meetingNotOn
        : !value.agenda.some((item) => item.caseId === input.caseId && item.removedAt === undefined)
          ? startTeamMessages.notOnAgenda
          : undefined;
  if (message === undefined) return undefined;
  await appendAudit(deps, {
    at: input.at,
    actor: input.actor.userId,
    action: 'startaIndividuelltBarnteam',
    caseId: input.caseId,
    unitId: value.unitId,
    outcome: 'refused',
  });
  return {
    outcome: 'refused',
    cause: message === startTeamMessages.notConvener ? 'accessDenied' : 'transitionRefused',
    message,
  };
}

function buildStarted(
  deps: FlowDependencies,
  caseValue: Case,
  input: StartTeamInput,
  event: 'startaIndividuelltBarnteam' | 'startaIndividuelltBarnteamSip',
): Case {
  // The guard (the updated written consent) refuses here, with the table's own reason.
  const moved = applyTransition(caseValue, { event, actor: input.actor.userId, at: input.at });
  const barnkontakt = currentBarnkontakt(caseValue);
  const informs =
    input.via === 'sip' && barnkontakt !== undefined && barnkontakt.userId !== input.actor.userId;
  const starter = input.via === 'sip' ? buildStarterMember(deps, input) : undefined;
  const team: IndividuelltBarnteam = {
    startedAt: input.at,
    startedBy: input.actor.userId,
    via: input.via,
    ...(input.meetingId === undefined || input.via !== 'barnteam' ? {} : { meetingId: input.meetingId }),
    ...(informs ? { barnkontaktInformedAt: input.at } : {}),
    members: starter === undefined ? [] : [starter],
    participants: [],
  };
  const roles =
    starter === undefined || holdsTeamRole(caseValue, input.actor.userId)
      ? moved.roles
      : [
          ...moved.roles,
          {
            userId: input.actor.userId,
            role: 'teammedlem' as const,
            displayName: input.actor.displayName,
            ...(starter.unitId === undefined ? {} : { unitId: starter.unitId }),
            since: input.at,
          },
        ];
  const chronology = [
    ...moved.chronology,
    ...(informs
      ? [{ at: input.at, by: input.actor.userId, event: 'barnkontaktInformeradOmIndividuelltBarnteam' }]
      : []),
  ];
  return {
    ...moved,
    roles,
    chronology,
    ...(input.via === 'barnteam' && input.meetingId !== undefined
      ? { barnteamUtfall: withStartOutcome(caseValue, input.meetingId, input) }
      : {}),
    individuelltBarnteam: team,
    barnetsPlan: caseValue.barnetsPlan ?? emptyPlan,
  };
}

/** Who starts under a SIP duty convenes the team, so they are its first member. */
function buildStarterMember(deps: FlowDependencies, input: StartTeamInput): TeamMember {
  const contact = deps.directory.contacts.find((item) => item.aadObjectId === input.actor.userId);
  const unitId = contact === undefined ? undefined : findContactUnitId(deps.directory, contact);
  return {
    userId: input.actor.userId,
    ...(contact === undefined ? {} : { contactId: contact.id, title: contact.title }),
    displayName: contact?.displayName ?? input.actor.displayName,
    role: 'teammedlem',
    organisation: contact === undefined ? 'kommun' : findContactOrganisation(deps.directory, contact),
    ...(unitId === undefined ? {} : { unitId }),
    since: input.at,
  };
}

function holdsTeamRole(caseValue: Case, userId: string): boolean {
  const decision = authorize(caseValue, userId, 'lasArende');
  return decision.allowed && decision.role !== 'upptackare';
}

function withStartOutcome(caseValue: Case, meetingId: string, input: StartTeamInput) {
  const { barnteamUtfall } = readBarnteamRecords(caseValue);
  const earlier = barnteamUtfall.find((item) => item.meetingId === meetingId);
  const outcome = ZBarnteamOutcome.parse({
    meetingId,
    recordedBy: input.actor.userId,
    at: input.at,
    proposedSupport: earlier?.proposedSupport ?? [],
    ...(earlier?.followUpDate === undefined ? {} : { followUpDate: earlier.followUpDate }),
    startIndividuelltBarnteam: true,
  });
  return [...barnteamUtfall.filter((item) => item.meetingId !== meetingId), outcome];
}

function collectStartEffects(caseValue: Case): CaseEffects {
  const team = caseValue.individuelltBarnteam;
  if (team === undefined) return { outbox: [], reminders: [] };
  const outbox: OutboxMessage[] = [buildTeamkanalPost(caseValue.id, 'teametStartat', team.startedAt)];
  const barnkontakt = currentBarnkontakt(caseValue);
  if (team.barnkontaktInformedAt !== undefined && barnkontakt !== undefined) {
    const starter = team.members.find((member) => member.userId === team.startedBy);
    outbox.push(
      buildNoticeMessage({
        id: toNoticeId(caseValue.id, 'individuelltBarnteamStartatSip'),
        kind: 'individuelltBarnteamStartatSip',
        caseId: caseValue.id,
        recipientKey: barnkontakt.userId,
        data: { startedBy: team.startedBy, startedByName: starter?.displayName ?? 'En medarbetare' },
        at: team.startedAt,
      }),
    );
  }
  return { outbox, reminders: [buildChannelReminder(caseValue.id, team.startedAt)] };
}

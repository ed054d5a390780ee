/**
 * Use cases: who is in the Individuellt barnteam. The convener (the Barnkontakt, the
 * Stödsamordnare, or who started the team under a SIP duty: `hanteraTeam` in access.ts) picks
 * the professionals who give support from the directory; each gets the case role `teammedlem`
 * and sees what that role may see. A member outside Teams is listed on the plan but gets no
 * access (they have no Teams identity to be checked). Removing a member ends their role in the
 * same write, so their next click or card refresh is refused. Guardians and the child are
 * participants, recorded with their relation, never Teams users.
 *
 * Each change is one conditional write of the case with its status post (`medlemTillagd`,
 * `medlemBorttagen`), audited with a purpose line.
 */
import { endRole, isRoleActive, withRole } from '../kernel/access.js';
import type { Case, Instant } from '../kernel/case.js';
import { type CaseCommandResult, runCaseCommand } from '../kernel/case-command.js';
import type { Actor, FlowDependencies } from '../kernel/case-effects.js';
import { isInTeams } from '../kernel/directory.js';
import { DomainError } from '../kernel/errors.js';
import type { CaseEffects } from '../kernel/ports.js';
import {
  type IndividuelltBarnteam,
  type ParticipantRelation,
  type TeamMember,
  ZTeamMember,
  ZTeamParticipant,
} from '../kernel/records/individual-team.js';
import { buildChannelMembersReminder } from './team-channel-jobs.js';
import { findContactOrganisation, findContactUnitId, findTeamCandidate } from './team-directory.js';
import { buildTeamkanalPost } from './team-effects.js';

export const memberMessages = {
  unknownContact: 'Personen finns inte i katalogen. Välj någon i listan.',
  alreadyMember: 'Personen är redan med i teamet.',
  notMember: 'Personen är inte (längre) med i teamet.',
  added: 'Personen är redan tillagd i teamet.',
  removed: 'Personen är redan borttagen ur teamet.',
  participantInvalid: 'Ange namn och relation till barnet.',
  participantAlready: 'Deltagaren är redan registrerad.',
  noTeam: 'Ärendet har inget Individuellt barnteam ännu.',
} as const;

const addPurpose =
  'Medlem i det Individuella barnteamet som ger barnet stöd enligt det uppdaterade skriftliga samtycket; ser det som rollen behöver.';
const removePurpose = 'Medlemmen lämnar det Individuella barnteamet; tillgången till ärendet upphör.';
const participantPurpose =
  'Vårdnadshavare och barnet är delaktiga i Barnets plan; de registreras i planen, inte som användare.';

interface TeamCommandBase {
  readonly caseId: string;
  readonly etag: string;
  /** From the activity, never from card data. */
  readonly actor: Actor;
  readonly at: Instant;
}

/** The key a member is known by on cards and in status posts: the directory's id, else the Teams id. */
export function toMemberKey(member: Pick<TeamMember, 'contactId' | 'userId'>): string {
  return member.contactId ?? member.userId ?? '';
}

/**
 * Adds a person from the directory to the team.
 *
 * @returns `refused` (`invalidInput`, field `contactId`) for someone not in the directory or
 *   already in the team; `accessDenied` for anyone but the convener.
 */
export async function addTeamMember(
  deps: FlowDependencies,
  input: TeamCommandBase & { readonly contactId: string },
): Promise<CaseCommandResult> {
  return runCaseCommand(deps, {
    caseId: input.caseId,
    etag: input.etag,
    actorId: input.actor.userId,
    action: 'hanteraTeam',
    at: input.at,
    purpose: addPurpose,
    alreadyMessage: memberMessages.added,
    hasApplied: (caseValue) => activeMember(caseValue.individuelltBarnteam, input.contactId) !== undefined,
    build: (caseValue) => {
      const team = requireTeam(caseValue);
      const contact = findTeamCandidate(deps.directory, input.contactId);
      if (contact === undefined) {
        throw new DomainError('invalidInput', memberMessages.unknownContact, { field: 'contactId' });
      }
      if (activeMember(team, input.contactId) !== undefined) {
        throw new DomainError('invalidInput', memberMessages.alreadyMember, { field: 'contactId' });
      }
      const unitId = findContactUnitId(deps.directory, contact);
      const member = ZTeamMember.parse({
        ...(isInTeams(contact) ? { userId: contact.aadObjectId } : {}),
        contactId: contact.id,
        displayName: contact.displayName,
        role: 'teammedlem',
        organisation: findContactOrganisation(deps.directory, contact),
        title: contact.title,
        ...(unitId === undefined ? {} : { unitId }),
        since: input.at,
      });
      const withAccess =
        member.userId === undefined || hasActiveRole(caseValue, member.userId, 'teammedlem')
          ? caseValue
          : withRole(
              caseValue,
              {
                userId: member.userId,
                role: 'teammedlem',
                displayName: member.displayName,
                ...(unitId === undefined ? {} : { unitId }),
                since: input.at,
              },
              { actor: input.actor.userId, at: input.at },
            );
      return {
        ...withAccess,
        individuelltBarnteam: { ...team, members: [...team.members, member] },
        updatedAt: input.at,
      };
    },
    effects: (next) => memberPost(next, 'medlemTillagd'),
  });
}

/**
 * Removes a member: their entry gets `until` and their team roles (member, Stödsamordnare) end
 * in the same write, so access ends at once.
 */
export async function removeTeamMember(
  deps: FlowDependencies,
  input: TeamCommandBase & { readonly memberKey: string },
): Promise<CaseCommandResult> {
  return runCaseCommand(deps, {
    caseId: input.caseId,
    etag: input.etag,
    actorId: input.actor.userId,
    action: 'hanteraTeam',
    at: input.at,
    purpose: removePurpose,
    alreadyMessage: memberMessages.removed,
    hasApplied: (caseValue) =>
      caseValue.individuelltBarnteam?.members.some(
        (member) => toMemberKey(member) === input.memberKey && member.until !== undefined,
      ) === true && activeMember(caseValue.individuelltBarnteam, input.memberKey) === undefined,
    build: (caseValue) => {
      const team = requireTeam(caseValue);
      const member = activeMember(team, input.memberKey);
      if (member === undefined) {
        throw new DomainError('invalidInput', memberMessages.notMember, { field: 'memberKey' });
      }
      const ended = member.userId === undefined ? caseValue : endTeamRoles(caseValue, member.userId, input);
      return {
        ...ended,
        individuelltBarnteam: {
          ...team,
          members: team.members.map((item) => (item === member ? { ...item, until: input.at } : item)),
        },
        updatedAt: input.at,
      };
    },
    effects: (next) => memberPost(next, 'medlemBorttagen'),
  });
}

/** Records a guardian or the child as a participant of the plan. */
export async function addTeamParticipant(
  deps: FlowDependencies,
  input: TeamCommandBase & {
    readonly name: string;
    readonly relation: ParticipantRelation;
    readonly relationText?: string;
  },
): Promise<CaseCommandResult> {
  const sameParticipant = (caseValue: Case) =>
    caseValue.individuelltBarnteam?.participants.some(
      (item) => item.name === input.name.trim() && item.relation === input.relation,
    ) === true;
  return runCaseCommand(deps, {
    caseId: input.caseId,
    etag: input.etag,
    actorId: input.actor.userId,
    action: 'hanteraTeam',
    at: input.at,
    purpose: participantPurpose,
    alreadyMessage: memberMessages.participantAlready,
    hasApplied: sameParticipant,
    build: (caseValue) => {
      const team = requireTeam(caseValue);
      if (sameParticipant(caseValue)) {
        throw new DomainError('invalidInput', memberMessages.participantAlready, {
          field: 'participantName',
        });
      }
      const relationText = input.relationText?.trim();
      const parsed = ZTeamParticipant.safeParse({
        id: `deltagare-${team.participants.length + 1}`,
        name: input.name,
        relation: input.relation,
        ...(relationText ? { relationText } : {}),
      });
      if (!parsed.success) {
        throw new DomainError('invalidInput', memberMessages.participantInvalid, {
          field: 'participantName',
        });
      }
      return {
        ...caseValue,
        individuelltBarnteam: { ...team, participants: [...team.participants, parsed.data] },
        // The name stays in the team record; the chronology says only that it happened.
        chronology: [
          ...caseValue.chronology,
          { at: input.at, by: input.actor.userId, event: 'deltagareTillagd', note: parsed.data.relation },
        ],
        updatedAt: input.at,
      };
    },
  });
}

/** The team, or a refusal when the case has none (started before the team record existed, say). */
export function requireTeam(caseValue: Case): IndividuelltBarnteam {
  if (caseValue.individuelltBarnteam === undefined) {
    throw new DomainError('transitionRefused', memberMessages.noTeam);
  }
  return caseValue.individuelltBarnteam;
}

function activeMember(team: IndividuelltBarnteam | undefined, key: string): TeamMember | undefined {
  return team?.members.find((member) => member.until === undefined && toMemberKey(member) === key);
}

function hasActiveRole(caseValue: Case, userId: string, role: 'teammedlem' | 'stodsamordnare'): boolean {
  return caseValue.roles.some((item) => item.userId === userId && item.role === role && isRoleActive(item));
}

/** Ends the person's team roles (member and Stödsamordnare), as leaving the team or a withdrawal does. */
export function endTeamRoles(
  caseValue: Case,
  userId: string,
  change: { readonly actor: Actor | { readonly userId: string }; readonly at: Instant },
): Case {
  let next = caseValue;
  for (const role of ['stodsamordnare', 'teammedlem'] as const) {
    if (hasActiveRole(next, userId, role)) {
      next = endRole(next, { userId, role }, { actor: change.actor.userId, at: change.at });
    }
  }
  return next;
}

/** The status post of the latest member change, under the member entry's number. */
function memberPost(caseValue: Case, event: 'medlemTillagd' | 'medlemBorttagen'): CaseEffects {
  const team = caseValue.individuelltBarnteam;
  if (team === undefined) return { outbox: [], reminders: [] };
  const changed =
    event === 'medlemTillagd'
      ? team.members.length - 1 // an added member is always the last entry
      : latestRemoval(team);
  const member = team.members[changed];
  if (member === undefined) return { outbox: [], reminders: [] };
  const at = event === 'medlemTillagd' ? member.since : (member.until ?? member.since);
  return {
    outbox: [buildTeamkanalPost(caseValue.id, event, at, toMemberKey(member), changed + 1)],
    // The channel follows the team: a removed member loses access to it at once.
    reminders: [buildChannelMembersReminder(caseValue.id, `${event}-${changed + 1}`, at)],
  };
}

function latestRemoval(team: IndividuelltBarnteam): number {
  let index = -1;
  team.members.forEach((member, position) => {
    const best = team.members[index]?.until;
    if (member.until !== undefined && (best === undefined || member.until >= best)) index = position;
  });
  return index;
}

/**
 * Use case: the team appoints a Stödsamordnare (seeds/000: "Rollen som Stödsamordnare initieras
 * av det Individuella barnteamet"), recorded by the Barnkontakt, who owns Barnets plan until then.
 * The appointment is a recorded step: the team's `stodsamordnare`, the case role `stodsamordnare`
 * (from which `redigeraPlan` and `faststallPlan` hand the plan over) and a status post, in one
 * write. A new appointment ends the earlier Stödsamordnare's role in the same write.
 */

import { endRole, isRoleActive, withRole } from '../kernel/access.js';
import type { Instant } from '../kernel/case.js';
import { type CaseCommandResult, runCaseCommand } from '../kernel/case-command.js';
import type { Actor, FlowDependencies } from '../kernel/case-effects.js';
import { DomainError } from '../kernel/errors.js';
import { buildTeamkanalPost } from './team-effects.js';
import { requireTeam, toMemberKey } from './team-members.js';

export const appointMessages = {
  notMember: 'Stödsamordnaren utses bland teamets medlemmar i Teams. Lägg till personen i teamet först.',
  already: 'Personen är redan utsedd till Stödsamordnare.',
} as const;

const purpose =
  'Teamet har utsett en Stödsamordnare som samordnar stödet och ansvarar för Barnets plan; rollen behöver hela planen.';

/**
 * Appoints the member named by `memberKey` (who must be in Teams: the role is checked on their
 * Teams identity).
 *
 * @returns `refused` (`invalidInput`, field `memberKey`) for someone who is not an active member in
 *   Teams; `accessDenied` for anyone but the Barnkontakt or the deputy acting for them.
 */
export async function appointStodsamordnare(
  deps: FlowDependencies,
  input: {
    readonly caseId: string;
    readonly etag: string;
    readonly actor: Actor;
    readonly memberKey: string;
    readonly at: Instant;
  },
): Promise<CaseCommandResult> {
  return runCaseCommand(deps, {
    caseId: input.caseId,
    etag: input.etag,
    actorId: input.actor.userId,
    action: 'utseStodsamordnare',
    at: input.at,
    purpose,
    alreadyMessage: appointMessages.already,
    hasApplied: (caseValue) => {
      const appointed = caseValue.individuelltBarnteam?.stodsamordnare;
      const member = caseValue.individuelltBarnteam?.members.find(
        (item) => toMemberKey(item) === input.memberKey && item.until === undefined,
      );
      return appointed !== undefined && member !== undefined && appointed.userId === member.userId;
    },
    build: (caseValue) => {
      const team = requireTeam(caseValue);
      const member = team.members.find(
        (item) => toMemberKey(item) === input.memberKey && item.until === undefined,
      );
      const userId = member?.userId;
      if (member === undefined || userId === undefined) {
        throw new DomainError('invalidInput', appointMessages.notMember, { field: 'memberKey' });
      }
      if (team.stodsamordnare?.userId === userId) {
        throw new DomainError('invalidInput', appointMessages.already, { field: 'memberKey' });
      }
      const change = { actor: input.actor.userId, at: input.at };
      let next = caseValue;
      for (const role of caseValue.roles.filter(
        (item) => item.role === 'stodsamordnare' && isRoleActive(item),
      )) {
        next = endRole(next, { userId: role.userId, role: 'stodsamordnare' }, change);
      }
      next = withRole(
        next,
        {
          userId,
          role: 'stodsamordnare',
          displayName: member.displayName,
          ...(member.unitId === undefined ? {} : { unitId: member.unitId }),
          since: input.at,
        },
        change,
      );
      return {
        ...next,
        individuelltBarnteam: {
          ...team,
          members: team.members.map((item) =>
            item === member
              ? { ...item, role: 'stodsamordnare' as const }
              : item.role === 'stodsamordnare'
                ? { ...item, role: 'teammedlem' as const }
                : item,
          ),
          stodsamordnare: {
            userId,
            displayName: member.displayName,
            appointedBy: input.actor.userId,
            appointedAt: input.at,
          },
        },
        chronology: [
          ...next.chronology,
          { at: input.at, by: input.actor.userId, event: 'stodsamordnareUtsedd' },
        ],
        updatedAt: input.at,
      };
    },
    effects: (next) => ({
      outbox: [
        buildTeamkanalPost(
          next.id,
          'stodsamordnareUtsedd',
          next.individuelltBarnteam?.stodsamordnare?.appointedAt ?? next.updatedAt,
          input.memberKey,
          next.individuelltBarnteam?.stodsamordnare?.appointedAt ?? next.updatedAt,
        ),
      ],
      reminders: [],
    }),
  });
}

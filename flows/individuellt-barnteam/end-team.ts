/**
 * What a withdrawn consent does to the Individuellt barnteam (called by flows/samtycke's
 * withdrawal, in the same write): every member's entry ends and their team roles (member,
 * Stödsamordnare) end, so nobody reaches the plan through the team any more; and one last status
 * post, `teametAvslutat`, carries no details (the channel reads "Samtycket har återkallats; teamet
 * är avslutat"). Every other post and reminder of the case stops: the reminders are cancelled by
 * the withdrawal and queued notices are dropped at delivery.
 */
import type { Case, Instant, UserId } from '../kernel/case.js';
import type { CaseEffects } from '../kernel/ports.js';
import { buildChannelMembersReminder } from './team-channel-jobs.js';
import { buildTeamkanalPost } from './team-effects.js';
import { endTeamRoles } from './team-members.js';

/** The case with the team ended, or as it is when it has no team. */
export function endTeamOnWithdrawal(
  caseValue: Case,
  change: { readonly actor: UserId; readonly at: Instant },
): Case {
  const team = caseValue.individuelltBarnteam;
  if (team === undefined) return caseValue;
  let next = caseValue;
  for (const member of team.members) {
    if (member.until === undefined && member.userId !== undefined) {
      next = endTeamRoles(next, member.userId, { actor: { userId: change.actor }, at: change.at });
    }
  }
  return {
    ...next,
    individuelltBarnteam: {
      ...team,
      members: team.members.map((member) =>
        member.until === undefined ? { ...member, until: change.at } : member,
      ),
    },
  };
}

/** The team's last post and the end of the members' channel access, when the case has a team. */
export function collectTeamEndEffects(caseValue: Case): CaseEffects {
  if (caseValue.individuelltBarnteam === undefined) return { outbox: [], reminders: [] };
  const withdrawn = caseValue.chronology.findLast((entry) => entry.event === 'aterkallaSamtycke');
  const at = withdrawn?.at ?? caseValue.updatedAt;
  return {
    outbox: [buildTeamkanalPost(caseValue.id, 'teametAvslutat', at)],
    // The members' access to the channel ends with the team; only its owner is left.
    reminders: [buildChannelMembersReminder(caseValue.id, 'avslutat', at)],
  };
}

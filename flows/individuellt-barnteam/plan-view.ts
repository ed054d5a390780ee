/**
 * Case → Barnets plan as one viewer may read it (`PlanView`, flows/kernel/records/plan-view.ts),
 * for the channel tab and the family's copy. What the viewer may do is asked of access.ts, never
 * decided here; `undefined` when the viewer may not read the plan, so that a caller cannot show
 * anything by mistake. Pure: the caller reads the case and audits the read.
 */
import { authorize, currentBarnkontakt, isRoleActive } from '../kernel/access.js';
import type { Case, Instant, UserId } from '../kernel/case.js';
import { type Directory, findUnit, type Organisation } from '../kernel/directory.js';
import { goldenRule } from '../kernel/information-sharing.js';
import type { Versioned } from '../kernel/ports.js';
import { actionStatusLabels } from '../kernel/records/plan.js';
import type { PlanView } from '../kernel/records/plan-view.js';
import { stateLabels } from '../kernel/transitions.js';
import { isActionOverdue } from './team-effects.js';

export const organisationLabels: Readonly<Record<Organisation, string>> = {
  kommun: 'Kommunen',
  region: 'Regionen',
  polis: 'Polisen',
  privat: 'Fristående verksamhet',
};

/** "T.E." from the child's names: the tab, like the channel, shows a child by initials. */
export function toChildInitials(caseValue: Case): string {
  const letters = [caseValue.child.givenName, caseValue.child.familyName]
    .map((name) => name.trim().charAt(0).toLocaleUpperCase('sv-SE'))
    .filter((letter) => letter !== '');
  return letters.length === 0 ? '–' : `${letters.join('.')}.`;
}

export function toPlanView(
  current: Versioned<Case>,
  viewerId: UserId,
  directory: Directory,
  now: Instant,
): PlanView | undefined {
  const caseValue = current.value;
  const plan = caseValue.barnetsPlan;
  const team = caseValue.individuelltBarnteam;
  if (plan === undefined || team === undefined || !authorize(caseValue, viewerId, 'lasPlan').allowed)
    return undefined;
  const canEdit = authorize(caseValue, viewerId, 'redigeraPlan').allowed;
  const appointed = team.stodsamordnare;
  const ownedByStodsamordnare =
    appointed !== undefined &&
    caseValue.roles.some(
      (role) => role.role === 'stodsamordnare' && role.userId === appointed.userId && isRoleActive(role),
    );
  const barnkontakt = currentBarnkontakt(caseValue);
  const barnkontaktName = barnkontakt?.displayName ?? 'Barnkontakten';
  const barnkontaktUnit = findUnit(directory, barnkontakt?.unitId ?? caseValue.unitId);
  const members = team.members.filter((member) => member.until === undefined);
  return {
    caseId: caseValue.id,
    reference: caseValue.reference,
    childInitials: toChildInitials(caseValue),
    etag: current.etag,
    stateLabel: stateLabels[caseValue.state],
    ...(plan.faststalld === undefined ? {} : { faststalldAt: plan.faststalld.at }),
    owner: ownedByStodsamordnare
      ? { name: appointed.displayName, roleLabel: 'Stödsamordnare' }
      : { name: barnkontaktName, roleLabel: 'Barnkontakt' },
    team: [
      {
        name: barnkontaktName,
        roleLabel: 'Barnkontakt',
        ...(barnkontaktUnit === undefined ? {} : { title: barnkontaktUnit.name }),
        organisationLabel: organisationLabels[barnkontaktUnit?.organisation ?? 'kommun'],
        outsideTeams: false,
      },
      ...members.map((member) => ({
        name: member.displayName,
        roleLabel: member.role === 'stodsamordnare' ? 'Stödsamordnare' : 'Medlem',
        ...(member.title === undefined ? {} : { title: member.title }),
        organisationLabel: organisationLabels[member.organisation],
        outsideTeams: member.userId === undefined,
      })),
    ],
    goals: plan.goals.map((goal) => ({
      id: goal.id,
      area: goal.area,
      minMal: goal.minMal,
      vad: goal.vad,
      hur: goal.hur,
    })),
    actions: plan.actions.map((action) => ({
      id: action.id,
      ...(action.goalId === undefined ? {} : { goalId: action.goalId }),
      what: action.what,
      performer: {
        name: action.who.name,
        role: action.who.role,
        organisation: organisationLabels[action.who.organisation],
      },
      dueDate: action.dueDate,
      status: action.status,
      statusLabel: actionStatusLabels[action.status],
      ownerName: action.ownerName,
      overdue: isActionOverdue(action, now, directory.workingTime),
      canChangeStatus: canEdit || action.ownerUserId === viewerId,
    })),
    closeToMe: plan.closeToMe.map((person) => ({ ...person })),
    // A meeting that is over is no longer the next one; the plan keeps it until the next booking.
    ...(plan.nextMeeting === undefined || Date.parse(plan.nextMeeting.end) <= Date.parse(now)
      ? {}
      : {
          nextMeeting: {
            start: plan.nextMeeting.start,
            end: plan.nextMeeting.end,
            ...(plan.nextMeeting.joinUrl === undefined ? {} : { joinUrl: plan.nextMeeting.joinUrl }),
          },
        }),
    compassOverTime: plan.compassFollowUps.map((followUp) => ({
      followUpNo: followUp.followUpNo,
      kind: followUp.kind,
      label: followUp.kind === 'start' ? 'Start' : `Uppföljning ${followUp.followUpNo - 1}`,
      recordedAt: followUp.recordedAt,
      ratings: followUp.sets.flatMap((set) =>
        set.ratings.map((rating) => ({ rater: set.rater, area: rating.key, rating: rating.rating })),
      ),
      notes: (followUp.notes ?? []).map((note) => ({ text: note.text, byName: note.byName, at: note.at })),
    })),
    goldenRule,
    may: {
      addFollowUpNote: canEdit || members.some((member) => member.userId === viewerId),
      editPlan: canEdit,
    },
  };
}

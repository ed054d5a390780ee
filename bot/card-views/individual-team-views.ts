/**
 * Case → the Barnets plan card for one viewer. What the viewer may do is asked of access.ts
 * (`lasPlan`, `redigeraPlan`, `hanteraTeam`, `utseStodsamordnare`, `faststallPlan`), never decided
 * here; `undefined` when the viewer may not read the plan. The child appears by initials and
 * reference only.
 */

import { formatSkattningShort } from '../../cards/form-fields.js';
import type { BarnetsPlanData } from '../../cards/individuellt-barnteam/barnets-plan.js';
import { formatSwedishDate, formatSwedishDateOfInstant } from '../../cards/swedish-format.js';
import type { DeepCompassCatalogue } from '../../flows/individuellt-barnteam/deep-compass-catalogue.js';
import { isPlanLive, listPossibleOwners } from '../../flows/individuellt-barnteam/plan-actions.js';
import { toPlanCardVersion } from '../../flows/individuellt-barnteam/plan-command.js';
import {
  findContactOrganisation,
  listTeamCandidates,
} from '../../flows/individuellt-barnteam/team-directory.js';
import { isActionOverdue } from '../../flows/individuellt-barnteam/team-effects.js';
import { toMemberKey } from '../../flows/individuellt-barnteam/team-members.js';
import { authorize, currentBarnkontakt, isRoleActive } from '../../flows/kernel/access.js';
import type { Case, Instant, UserId } from '../../flows/kernel/case.js';
import { compassAreas } from '../../flows/kernel/compass.js';
import { contactKindLabels, type Directory } from '../../flows/kernel/directory.js';
import type { Versioned } from '../../flows/kernel/ports.js';
import { participantRelationLabels } from '../../flows/kernel/records/individual-team.js';
import { actionStatusLabels, compassRaterLabels, isActionOpen } from '../../flows/kernel/records/plan.js';
import { stateLabels } from '../../flows/kernel/transitions.js';
import { canCloseCase } from './behov-uppfyllt-view.js';
import { formatMeetingTime } from './upptackt-views.js';

type FormState = Pick<
  BarnetsPlanData,
  'values' | 'fieldErrors' | 'formError' | 'confirmation' | 'meetingProposal'
>;

const organisationNames = {
  kommun: 'kommun',
  region: 'region',
  polis: 'polis',
  privat: 'fristående',
} as const;

/** Shown on the plan's cards while the Fördjupad behovskompass's catalogue is the shipped example. */
export const deepCompassExampleNote =
  'Den Fördjupade behovskompassens katalog är kommunens exempel, inte det riktiga materialet.';

/** "T.E. (BB-4K7Q-2M9C)": how every card of the plan names the child. */
export function toPlanChildLabel(caseValue: Case): string {
  return `${initialsOf(caseValue)} (${caseValue.reference})`;
}

/** "T.E." from the child's names, as agendas and channel names show a child. */
function initialsOf(caseValue: Case): string {
  const letters = [caseValue.child.givenName, caseValue.child.familyName]
    .map((name) => name.trim().charAt(0).toLocaleUpperCase('sv-SE'))
    .filter((letter) => letter !== '');
  return letters.length === 0 ? '–' : `${letters.join('.')}.`;
}

export function toBarnetsPlanData(
  current: Versioned<Case>,
  viewerId: UserId,
  directory: Directory,
  now: Instant,
  form: FormState = {},
  /** `deepCompass`: the bot's catalogue; without one the card offers no Fördjupad behovskompass. */
  options: { readonly deepCompass?: Pick<DeepCompassCatalogue, 'example'> } = {},
): BarnetsPlanData | undefined {
  const caseValue = current.value;
  const plan = caseValue.barnetsPlan;
  const team = caseValue.individuelltBarnteam;
  if (plan === undefined || team === undefined || !authorize(caseValue, viewerId, 'lasPlan').allowed)
    return undefined;
  const may = (action: Parameters<typeof authorize>[2]) => authorize(caseValue, viewerId, action).allowed;
  const canEdit = may('redigeraPlan');
  const canManage = may('hanteraTeam');
  const owner =
    team.stodsamordnare !== undefined &&
    caseValue.roles.some(
      (role) =>
        role.role === 'stodsamordnare' && role.userId === team.stodsamordnare?.userId && isRoleActive(role),
    )
      ? `${team.stodsamordnare.displayName}, Stödsamordnare`
      : `${currentBarnkontakt(caseValue)?.displayName ?? 'Barnkontakten'}, Barnkontakt`;
  const activeMembers = team.members.filter((member) => member.until === undefined);
  const activeKeys = new Set(activeMembers.map(toMemberKey));
  return {
    caseId: caseValue.id,
    // The plan's fingerprint rides with the ETag, so that a change elsewhere in the case does not stale the card.
    etag: toPlanCardVersion(current.etag, caseValue),
    childLabel: toPlanChildLabel(caseValue),
    facts: [
      {
        label: 'Status',
        value:
          plan.faststalld === undefined
            ? `${stateLabels[caseValue.state]}: planen är inte fastställd ännu`
            : `Fastställd ${formatSwedishDateOfInstant(plan.faststalld.at)}`,
      },
      { label: 'Ansvarig för planen', value: owner },
      {
        label: 'Teamet startades',
        value: `${formatSwedishDateOfInstant(team.startedAt)}${team.via === 'sip' ? ' av verksamhet med SIP-skyldighet' : ' från Barnteam'}`,
      },
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
      what: action.what,
      details: `${action.who.name}, ${action.who.role} (${organisationNames[action.who.organisation]}) · senast ${formatSwedishDate(action.dueDate)} · ansvarig ${action.ownerName}`,
      statusText: actionStatusLabels[action.status],
      open: isActionOpen(action.status),
      canChange: canEdit || action.ownerUserId === viewerId,
      overdue: isActionOverdue(action, now, directory.workingTime),
    })),
    closeToMe: plan.closeToMe.map(
      (person) =>
        `${['Närmast', 'Nära', 'Runt barnet'][person.closeness - 1] ?? 'Nära'}: ${person.name} (${person.relation})`,
    ),
    compass: plan.compassFollowUps.map((followUp) => ({
      heading: `${followUp.kind === 'start' ? 'Start' : `Uppföljning ${followUp.followUpNo - 1}`}, ${formatSwedishDateOfInstant(followUp.recordedAt)}`,
      lines: followUp.sets.map(
        (set) =>
          `${compassRaterLabels[set.rater]}: ${set.ratings
            .map(
              (rating) =>
                `${compassAreas.find((area) => area.key === rating.key)?.name ?? rating.key} ${formatSkattningShort(rating.rating)}`,
            )
            .join(', ')}`,
      ),
    })),
    members: [
      {
        key: 'barnkontakt',
        text: `${currentBarnkontakt(caseValue)?.displayName ?? 'Barnkontakten'}, Barnkontakt`,
        canRemove: false,
      },
      ...activeMembers.map((member) => ({
        key: toMemberKey(member),
        text: `${member.displayName}${member.title === undefined ? '' : `, ${member.title}`} (${organisationNames[member.organisation]})${member.role === 'stodsamordnare' ? ' · Stödsamordnare' : ''}${member.userId === undefined ? ' · utanför Teams, ser inte planen här' : ''}`,
        canRemove: canManage && member.userId !== viewerId,
      })),
    ],
    participants: team.participants.map(
      (item) =>
        `${item.name} (${participantRelationLabels[item.relation]}${item.relationText === undefined ? '' : `, ${item.relationText}`})`,
    ),
    canRateDeepCompass: options.deepCompass !== undefined && may('skattaFordjupadBehovskompass'),
    ...(options.deepCompass?.example === true
      ? {
          deepCompassNote: deepCompassExampleNote,
        }
      : {}),
    ...(plan.nextMeeting === undefined
      ? {}
      : {
          nextMeeting: {
            text: formatMeetingTime(plan.nextMeeting.start, plan.nextMeeting.end),
            ...(plan.nextMeeting.joinUrl === undefined ? {} : { joinUrl: plan.nextMeeting.joinUrl }),
            pending: plan.nextMeeting.state === 'bokas',
          },
        }),
    canBookMeeting: canEdit && isPlanLive(caseValue),
    canEdit,
    canManage,
    canAppoint: may('utseStodsamordnare'),
    canAdopt: may('faststallPlan') && caseValue.state === 'individuelltBarnteam',
    canClose: canCloseCase(caseValue, viewerId),
    ownerChoices: listPossibleOwners(caseValue).map((item) => ({
      title: `${item.name}, ${item.role}`,
      value: item.userId,
    })),
    candidateChoices: listTeamCandidates(directory)
      .filter((contact) => !activeKeys.has(contact.id))
      .slice(0, 500)
      .map((contact) => ({
        title: `${contact.displayName}, ${contact.title} (${organisationNames[findContactOrganisation(directory, contact)]}, ${contactKindLabels[contact.kind]})`,
        value: contact.id,
      })),
    appointChoices: activeMembers
      .filter((member) => member.userId !== undefined)
      .map((member) => ({
        title: `${member.displayName}${member.title === undefined ? '' : `, ${member.title}`}`,
        value: toMemberKey(member),
      })),
    refreshUserIds: [viewerId],
    ...form,
  };
}

/**
 * The card of Barnets plan for one member of the Individuellt barnteam, in the personal chat: the
 * golden rule of information sharing first, "Mina mål" per area with Vad and Hur apart, who does
 * what and by when with each action's status, "Vem finns till för mig", the compass ratings over
 * time and the team. The plan's owner adds goals, actions and ratings and fastställer the plan;
 * an action's owner marks their own; the convener changes the team. What a viewer may do arrives
 * as flags (`canEdit` …) decided by access.ts, and every write is checked again by the bot.
 *
 * The child is shown by initials and reference only: the card may be forwarded or shown on a
 * screen, and the plan's members know whom it is about. No input is marked required, since the
 * forms share one card and Adaptive Cards validate every input of it when a ShowCard action runs;
 * the bot checks them and the card comes back with the message under the field.
 */

import { z } from 'zod';
import { compassAreas } from '../../flows/kernel/compass.js';
import { organisations } from '../../flows/kernel/directory.js';
import { goldenRule } from '../../flows/kernel/information-sharing.js';
import {
  participantRelationLabels,
  participantRelations,
} from '../../flows/kernel/records/individual-team.js';
import { compassRaterLabels, compassRaters } from '../../flows/kernel/records/plan.js';
import { areaDotDataUri } from '../area-dot.js';
import {
  buildFieldState,
  buildFormSchemas,
  describeFormSummary,
  keepDateValue,
  skattningChoices,
} from '../form-fields.js';
import { type AdaptiveCardJson, renderCardTemplate } from '../render-template.js';
import template from './barnets-plan.json' with { type: 'json' };

export const barnetsPlanVerbs = {
  visa: 'plan.visa',
  mal: 'plan.mal',
  atgard: 'plan.atgard',
  atgardStatus: 'plan.atgardStatus',
  uppfoljning: 'plan.uppfoljning',
  narmast: 'plan.narmast',
  faststall: 'plan.faststall',
  medlem: 'team.medlem',
  taBort: 'team.taBort',
  deltagare: 'team.deltagare',
  stodsamordnare: 'team.stodsamordnare',
  foreslaMote: 'plan.foreslaMote',
  bokaMote: 'plan.bokaMote',
} as const;

const areaInputIds = compassAreas.map((area) => `rating_${area.key}`) as [string, ...string[]];

export const barnetsPlanInputIds = [
  'area',
  'minMal',
  'vad',
  'hur',
  'what',
  'ownerUserId',
  'dueDate',
  'goalId',
  'performerName',
  'performerRole',
  'performerOrganisation',
  'rater',
  'rating',
  'contactId',
  'memberKey',
  'participantName',
  'relation',
  'relationText',
  'closeName',
  'closeRelation',
  'closeness',
  ...areaInputIds,
] as const;
const form = buildFormSchemas(barnetsPlanInputIds as unknown as [string, ...string[]]);

const ZChoice = z.object({ title: z.string().min(1).max(300), value: z.string().min(1).max(200) });
const ZText = z.string().min(1).max(2000);

export const ZBarnetsPlanData = z.object({
  caseId: z.string().min(1).max(100),
  etag: z.string().min(1).max(200),
  /** "T.E. (BB-4K7Q-2M9C)": never the child's name. */
  childLabel: z.string().min(1).max(80),
  facts: z.array(z.object({ label: z.string().min(1).max(60), value: ZText })).max(10),
  goals: z
    .array(
      z.object({
        id: z.string().min(1).max(40),
        area: z.enum(compassAreas.map((area) => area.key) as [string, ...string[]]),
        minMal: ZText,
        vad: ZText,
        hur: ZText,
      }),
    )
    .max(40),
  actions: z
    .array(
      z.object({
        id: z.string().min(1).max(40),
        what: ZText,
        /** "Ali Karimi, Skolkurator (kommun) · senast 21 mars 2025 · ansvarig Ali Karimi" */
        details: ZText,
        statusText: z.string().min(1).max(100),
        open: z.boolean(),
        /** Whether this viewer may change its status (plan owner or the action's owner). */
        canChange: z.boolean(),
        overdue: z.boolean(),
      }),
    )
    .max(100),
  closeToMe: z.array(ZText).max(20),
  compass: z.array(z.object({ heading: ZText, lines: z.array(ZText).max(3) })).max(50),
  members: z
    .array(z.object({ key: z.string().min(1).max(200), text: ZText, canRemove: z.boolean() }))
    .max(250),
  participants: z.array(ZText).max(20),
  /** The team's next meeting, when one is booked or being booked. */
  nextMeeting: z
    .object({
      /** "tisdag 18 mars 2025 kl. 10:00–11:00" */
      text: ZText,
      joinUrl: z.string().url().optional(),
      /** Saved in the plan, the invitation not sent yet. */
      pending: z.boolean(),
    })
    .optional(),
  /** Whether this viewer may book the next meeting (the plan's owner). */
  canBookMeeting: z.boolean().optional(),
  /** Proposed times after "Boka nästa möte": each a button that books it. */
  meetingProposal: z
    .object({
      proposalId: z.string().min(1).max(64),
      slots: z
        .array(z.object({ start: z.string().datetime(), end: z.string().datetime(), label: ZText }))
        .max(10),
      /** Members with unknown availability, or why there is no time. */
      note: ZText.optional(),
    })
    .optional(),
  /** Set when the Fördjupad behovskompass's catalogue is the shipped example. */
  deepCompassNote: ZText.optional(),
  /** Whether this viewer may open the Fördjupad behovskompass (`plan.fordjupadVisa`) and rate in it. */
  canRateDeepCompass: z.boolean().optional(),
  canEdit: z.boolean(),
  canManage: z.boolean(),
  canAppoint: z.boolean(),
  canAdopt: z.boolean(),
  /** Whether this viewer may close the case from the plan ("Barnets behov är uppfyllt", `avslut.visa`). */
  canClose: z.boolean().optional(),
  ownerChoices: z.array(ZChoice).max(260),
  candidateChoices: z.array(ZChoice).max(500),
  appointChoices: z.array(ZChoice).max(250),
  refreshUserIds: z.array(z.string().min(1)).max(60),
  values: form.ZValues,
  fieldErrors: form.ZFieldErrors,
  formError: form.ZFormError,
  confirmation: form.ZConfirmation,
});
export type BarnetsPlanData = z.input<typeof ZBarnetsPlanData>;

const organisationLabels: Readonly<Record<(typeof organisations)[number], string>> = {
  kommun: 'Kommunen',
  region: 'Regionen (hälso- och sjukvård)',
  polis: 'Polisen',
  privat: 'Fristående verksamhet',
};

/**
 * Renders the plan card.
 *
 * @throws CardRenderError when the data does not match `ZBarnetsPlanData`.
 */
export function renderBarnetsPlan(data: BarnetsPlanData): AdaptiveCardJson {
  return renderCardTemplate('barnets-plan', template, ZBarnetsPlanData, data, (parsed) => {
    const values: Record<string, string> = parsed.values ?? {};
    const errors: Record<string, string> = parsed.fieldErrors ?? {};
    const field = (id: string) => buildFieldState(values[id], errors[id]);
    return {
      caseId: parsed.caseId,
      etag: parsed.etag,
      childLabel: parsed.childLabel,
      ...describeFormSummary(parsed.fieldErrors, parsed.formError, parsed.confirmation),
      facts: parsed.facts,
      goldenRule,
      hasGoals: parsed.goals.length > 0,
      goals: parsed.goals.map((goal) => {
        const area = compassAreas.find((item) => item.key === goal.area) ?? compassAreas[0];
        return {
          dot: areaDotDataUri(area?.colour ?? '#000000'),
          areaName: area?.name ?? '',
          areaWords: area?.childWords ?? '',
          minMal: goal.minMal,
          vad: goal.vad,
          hur: goal.hur,
        };
      }),
      hasActions: parsed.actions.length > 0,
      actions: parsed.actions.map((action) => ({
        id: action.id,
        what: action.what,
        details: action.details,
        statusText: action.overdue ? `${action.statusText} · försenad` : action.statusText,
        statusColour: action.overdue ? 'attention' : action.open ? 'default' : 'good',
        canChange: action.canChange && action.open,
        canStart: action.statusText === 'Planerad',
      })),
      hasCloseToMe: parsed.closeToMe.length > 0,
      closeToMe: parsed.closeToMe.map((text) => ({ text })),
      hasCompass: parsed.compass.length > 0,
      compass: parsed.compass.map((item) => ({
        heading: item.heading,
        lines: item.lines.map((line) => ({ line })),
      })),
      members: parsed.members,
      hasParticipants: parsed.participants.length > 0,
      participantsText: parsed.participants.join(', '),
      showMeetingSection: parsed.nextMeeting !== undefined || parsed.canBookMeeting === true,
      nextMeetingText: parsed.nextMeeting?.text ?? 'inte bokat',
      hasJoinUrl: parsed.nextMeeting?.joinUrl !== undefined,
      joinUrl: parsed.nextMeeting?.joinUrl ?? '',
      hasMeetingNote: parsed.nextMeeting?.pending === true,
      meetingNote: parsed.nextMeeting?.pending === true ? 'Kallelsen skickas inom några minuter.' : '',
      canBookMeeting: parsed.canBookMeeting === true,
      bookMeetingTitle: parsed.nextMeeting === undefined ? 'Boka nästa möte' : 'Boka om mötet',
      hasMeetingProposal: parsed.meetingProposal !== undefined,
      proposalId: parsed.meetingProposal?.proposalId ?? '',
      hasProposalNote: parsed.meetingProposal?.note !== undefined,
      proposalNote: parsed.meetingProposal?.note ?? '',
      meetingSlots: parsed.meetingProposal?.slots ?? [],
      hasDeepCompassNote: parsed.deepCompassNote !== undefined,
      deepCompassNote: parsed.deepCompassNote ?? '',
      canRateDeepCompass: parsed.canRateDeepCompass === true,
      canEdit: parsed.canEdit,
      canManage: parsed.canManage,
      canAppoint: parsed.canAppoint && parsed.appointChoices.length > 0,
      canAdopt: parsed.canAdopt,
      canClose: parsed.canClose === true,
      refreshUserIds: parsed.refreshUserIds,
      areaChoices: compassAreas.map((area) => ({
        title: `${area.name}: ${area.childWords}`,
        value: area.key,
      })),
      ownerChoices: parsed.ownerChoices,
      goalChoices: [
        { title: 'Inget särskilt mål', value: 'inget' },
        ...parsed.goals.map((goal, index) => ({
          title: `Mål ${index + 1}: ${goal.minMal.slice(0, 80)}`,
          value: goal.id,
        })),
      ],
      organisationChoices: organisations.map((value) => ({ title: organisationLabels[value], value })),
      raterChoices: compassRaters.map((value) => ({ title: compassRaterLabels[value], value })),
      areaRatingFields: compassAreas.map((area) => ({
        inputId: `rating_${area.key}`,
        label: `${area.name}: ${area.childWords}`,
      })),
      scaleChoices: skattningChoices,
      candidateChoices: parsed.candidateChoices,
      appointChoices: parsed.appointChoices,
      relationChoices: participantRelations.map((value) => ({
        title: participantRelationLabels[value],
        value,
      })),
      closenessChoices: [
        { title: 'Närmast barnet', value: '1' },
        { title: 'Nära', value: '2' },
        { title: 'Finns runt barnet', value: '3' },
      ],
      f: Object.fromEntries(
        [...barnetsPlanInputIds].map((id) => [
          id,
          id === 'dueDate' ? buildFieldState(keepDateValue(values[id]) ?? '', errors[id]) : field(id),
        ]),
      ),
    };
  });
}

/**
 * Barnets plan (step 7): the child's one plan, kept in the case document (`Case.barnetsPlan`).
 * The Barnkontakt begins it; once the team appoints a Stödsamordnare the plan is theirs
 * (seeds/000, "Barnets plan"). What it holds follows the model and the evaluation (seeds/002):
 * - goals per area of Behovskompassen in the child's own words ("Mina mål"), with *Vad* and
 *   *Hur* kept apart ("Så här ska vi nå mina mål", made clearer in the evaluation);
 * - actions: what, who (person, role, organisation), by when, status, each owned by a member;
 * - "Vem finns till för mig": the people closest to the child, with their relation;
 * - compass ratings over time (the child's, the guardian's, the team's) at the start and at each
 *   follow-up, so that the effect of the support shows;
 * - the Fördjupad behovskompass: ratings of the sub-areas of the municipality's catalogue.
 *
 * Schemas only: embedded in the case schema, so this module must not import `case.ts`. Free text
 * here is written by staff about a child: never logged, never in a notice or a channel post.
 */
import { z } from 'zod';
import { ZCompassAreaKey } from '../compass.js';
import { ZOrganisation } from '../directory.js';
import { ZSkattningValue } from '../skattning.js';
import { ZCalendarDate, ZInstant, ZUserId } from '../value-types.js';

export const planTextMax = 1000;
const ZPlanText = z.string().trim().min(1).max(planTextMax);
const ZItemId = z.string().regex(/^[a-z0-9-]{1,40}$/);

/** One of "Mina mål": the area, the goal in the child's words, and how the team gets there. */
export const ZPlanGoal = z
  .object({
    id: ZItemId,
    area: ZCompassAreaKey,
    /** The child's own words ("Jag vill kunna sova hela natten"). */
    minMal: ZPlanText,
    /** Så här ska vi nå mina mål: what is to change. */
    vad: ZPlanText,
    /** …and how. */
    hur: ZPlanText,
    createdBy: ZUserId,
    createdAt: ZInstant,
    updatedAt: ZInstant,
  })
  .strict();
export type PlanGoal = z.infer<typeof ZPlanGoal>;

export const actionStatuses = ['planerad', 'pagar', 'genomford', 'installd'] as const;
export const ZActionStatus = z.enum(actionStatuses);
export type ActionStatus = z.infer<typeof ZActionStatus>;

export const actionStatusLabels: Readonly<Record<ActionStatus, string>> = {
  planerad: 'Planerad',
  pagar: 'Pågår',
  genomford: 'Genomförd',
  installd: 'Inställd',
};

/** An action is over once done or cancelled: it can no longer be overdue or change status. */
export function isActionOpen(status: ActionStatus): boolean {
  return status === 'planerad' || status === 'pagar';
}

/** Who carries out an action: a person, their role and their organisation, as the plan shows it. */
export const ZActionPerformer = z
  .object({
    name: z.string().trim().min(1).max(200),
    role: z.string().trim().min(1).max(100),
    organisation: ZOrganisation,
  })
  .strict();
export type ActionPerformer = z.infer<typeof ZActionPerformer>;

export const ZPlanAction = z
  .object({
    id: ZItemId,
    /** The goal it serves, when it serves one. */
    goalId: ZItemId.optional(),
    what: ZPlanText,
    who: ZActionPerformer,
    /** By when, a Stockholm calendar date; overdue from the next working day. */
    dueDate: ZCalendarDate,
    status: ZActionStatus,
    /** The member who answers for it and is reminded when it is overdue. */
    ownerUserId: ZUserId,
    ownerName: z.string().trim().min(1).max(200),
    createdBy: ZUserId,
    createdAt: ZInstant,
    statusChangedAt: ZInstant.optional(),
    statusChangedBy: ZUserId.optional(),
    /** Set when the action was still open as the case closed: ended by the closing, not carried out. */
    closedWithCaseAt: ZInstant.optional(),
  })
  .strict();
export type PlanAction = z.infer<typeof ZPlanAction>;

/** A person close to the child ("Vem finns till för mig"), nearest first. */
export const ZCloseToMe = z
  .object({
    name: z.string().trim().min(1).max(200),
    relation: z.string().trim().min(1).max(100),
    /** 1 is closest: the plan draws the people in circles from the child outwards (seeds/002). */
    closeness: z.number().int().min(1).max(3),
  })
  .strict();
export type CloseToMe = z.infer<typeof ZCloseToMe>;

export const compassRaters = ['barnet', 'vardnadshavare', 'teamet'] as const;
export const ZCompassRater = z.enum(compassRaters);
export type CompassRater = z.infer<typeof ZCompassRater>;

export const compassRaterLabels: Readonly<Record<CompassRater, string>> = {
  barnet: 'Barnet',
  vardnadshavare: 'Vårdnadshavare',
  teamet: 'Teamet',
};

export const ZCompassRatingSet = z
  .object({
    rater: ZCompassRater,
    ratings: z.array(z.object({ key: ZCompassAreaKey, rating: ZSkattningValue }).strict()).length(8),
  })
  .strict();
export type CompassRatingSet = z.infer<typeof ZCompassRatingSet>;

export const followUpNoteMax = 1000;

/** A note on one follow-up, by a member of the team. */
export const ZFollowUpNote = z
  .object({
    text: z.string().trim().min(1).max(followUpNoteMax),
    by: ZUserId,
    byName: z.string().trim().min(1).max(200),
    at: ZInstant,
  })
  .strict();
export type FollowUpNote = z.infer<typeof ZFollowUpNote>;

/** The compass at the plan's start or at a follow-up: one rating set per rater who took part. */
export const ZCompassFollowUp = z
  .object({
    followUpNo: z.number().int().min(1),
    kind: z.enum(['start', 'uppfoljning']),
    recordedBy: ZUserId,
    recordedAt: ZInstant,
    sets: z.array(ZCompassRatingSet).min(1).max(3),
    /** What the team noted at the follow-up (from the channel tab), oldest first. */
    notes: z.array(ZFollowUpNote).max(50).optional(),
  })
  .strict();
export type CompassFollowUp = z.infer<typeof ZCompassFollowUp>;

/** A rating of one sub-area of the Fördjupad behovskompass (ids from the municipality's catalogue). */
export const ZDeepCompassRating = z
  .object({
    subAreaId: z.string().min(1).max(60),
    rating: ZSkattningValue,
    recordedBy: ZUserId,
    recordedAt: ZInstant,
  })
  .strict();
export type DeepCompassRating = z.infer<typeof ZDeepCompassRating>;

/**
 * The team's next meeting, booked in the organizer's calendar from the plan card. `bokas`: the
 * time is chosen and the calendar is being written (a repeat of the same proposal, or the repair
 * reminder, completes it); `bokat`: the event exists. A rebooking keeps `eventId` and `organizer`
 * while `bokas`, so that the event is moved, not made twice.
 */
export const ZNextTeamMeeting = z
  .object({
    /** From the proposal the time was picked from: the same proposal books once. */
    proposalId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
    state: z.enum(['bokas', 'bokat']),
    start: ZInstant,
    end: ZInstant,
    /** The mailbox whose calendar holds the event. */
    organizer: z.string().email(),
    eventId: z.string().min(1).max(1000).optional(),
    joinUrl: z.string().url().optional(),
    bookedBy: ZUserId,
    bookedAt: ZInstant,
  })
  .strict();
export type NextTeamMeeting = z.infer<typeof ZNextTeamMeeting>;

export const ZBarnetsPlan = z
  .object({
    goals: z.array(ZPlanGoal).max(40),
    actions: z.array(ZPlanAction).max(100),
    closeToMe: z.array(ZCloseToMe).max(20),
    compassFollowUps: z.array(ZCompassFollowUp).max(50),
    deepCompass: z.array(ZDeepCompassRating).max(400).optional(),
    nextMeeting: ZNextTeamMeeting.optional(),
    /** Set when the plan was adopted (the transition `faststallPlan`). */
    faststalld: z.object({ at: ZInstant, by: ZUserId }).strict().optional(),
  })
  .strict();
export type BarnetsPlan = z.infer<typeof ZBarnetsPlan>;

export const emptyPlan: BarnetsPlan = Object.freeze({
  goals: [],
  actions: [],
  closeToMe: [],
  compassFollowUps: [],
}) as BarnetsPlan;

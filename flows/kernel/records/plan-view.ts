/**
 * Barnets plan as the channel tab and the family's copy read it: one viewer's view of one plan,
 * with what that viewer may do. The tab's API answers with it and the tab parses it with the same
 * schema, so this module imports nothing but zod and the leaf schemas (the tab bundles it).
 *
 * The child appears by initials and reference only; the plan's free text (goals, actions, notes)
 * is what staff and the family wrote and is shown to those with a role, never logged.
 */
import { z } from 'zod';
import { ZCompassAreaKey } from '../compass.js';
import { ZSkattningValue } from '../skattning.js';
import { ZCalendarDate, ZInstant } from '../value-types.js';
import { ZActionStatus, ZCompassRater } from './plan.js';

const ZText = z.string().min(1).max(2000);
const ZName = z.string().min(1).max(200);

export const ZPlanViewGoal = z
  .object({ id: z.string().min(1), area: ZCompassAreaKey, minMal: ZText, vad: ZText, hur: ZText })
  .strict();

export const ZPlanViewAction = z
  .object({
    id: z.string().min(1),
    goalId: z.string().min(1).optional(),
    what: ZText,
    performer: z.object({ name: ZName, role: ZName, organisation: ZName }).strict(),
    dueDate: ZCalendarDate,
    status: ZActionStatus,
    statusLabel: ZName,
    ownerName: ZName,
    /** Open on the first working day after its date (Stockholm time, the directory's working days). */
    overdue: z.boolean(),
    /** The viewer may mark it done or cancelled (its owner, or whoever answers for the plan). */
    canChangeStatus: z.boolean(),
  })
  .strict();

export const ZPlanViewFollowUpNote = z.object({ text: ZText, byName: ZName, at: ZInstant }).strict();

/** The compass at the plan's start or at one follow-up: each rater's eight ratings. */
export const ZPlanViewFollowUp = z
  .object({
    followUpNo: z.number().int().min(1),
    kind: z.enum(['start', 'uppfoljning']),
    label: ZName,
    recordedAt: ZInstant,
    ratings: z.array(
      z.object({ rater: ZCompassRater, area: ZCompassAreaKey, rating: ZSkattningValue }).strict(),
    ),
    notes: z.array(ZPlanViewFollowUpNote),
  })
  .strict();

export const ZPlanViewMember = z
  .object({
    name: ZName,
    /** "Barnkontakt", "Stödsamordnare", "Medlem". */
    roleLabel: ZName,
    title: ZName.optional(),
    organisationLabel: ZName,
    /** Outside Teams: reached by e-mail and by phone, does not see the plan here. */
    outsideTeams: z.boolean(),
  })
  .strict();

export const ZPlanView = z
  .object({
    caseId: z.string().min(1),
    reference: z.string().min(1),
    childInitials: z.string().min(1).max(20),
    /** The version the view was read from; a write with another answers with the current plan. */
    etag: z.string().min(1),
    stateLabel: ZName,
    faststalldAt: ZInstant.optional(),
    owner: z.object({ name: ZName, roleLabel: ZName }).strict(),
    team: z.array(ZPlanViewMember),
    goals: z.array(ZPlanViewGoal),
    actions: z.array(ZPlanViewAction),
    closeToMe: z.array(
      z.object({ name: ZName, relation: ZName, closeness: z.number().int().min(1).max(3) }).strict(),
    ),
    nextMeeting: z
      .object({ start: ZInstant, end: ZInstant, joinUrl: z.string().url().optional() })
      .strict()
      .optional(),
    compassOverTime: z.array(ZPlanViewFollowUp),
    goldenRule: ZText,
    may: z
      .object({
        /** Add a note to a follow-up of the compass. */
        addFollowUpNote: z.boolean(),
        /** Open the plan's cards in the personal chat (anyone who may edit the plan). */
        editPlan: z.boolean(),
      })
      .strict(),
  })
  .strict();
export type PlanView = z.infer<typeof ZPlanView>;
export type PlanViewAction = z.infer<typeof ZPlanViewAction>;
export type PlanViewFollowUp = z.infer<typeof ZPlanViewFollowUp>;

/**
 * The case: one child's way through the support process (stödprocessen). Everything the
 * product knows about a child lives in one case document so that the state, the roles that
 * grant access and the chronology change together, in one conditional write.
 */
import { z } from 'zod';
import { ZBarnteamOutcome } from './records/barnteam-outcome.js';
import { ZBeslut } from './records/beslut.js';
import { ZDiscovery } from './records/discovery.js';
import { ZIndividuelltBarnteam } from './records/individual-team.js';
import { ZBarnetsPlan } from './records/plan.js';
import { ZSamtal } from './records/samtal.js';
import { ZSkattningAnswer } from './skattning.js';
import { ZCalendarDate, ZInstant, ZUserId } from './value-types.js';

export {
  type CalendarDate,
  type Instant,
  type UserId,
  ZCalendarDate,
  ZInstant,
  ZUserId,
} from './value-types.js';

/**
 * The states follow the eight steps of the stödprocess (docs/domain.md), plus the ways a case
 * leaves the main path. The allowed moves between them are one table in `transitions.ts`.
 */
export const caseStates = [
  'upptackt', // 1. Barn upptäcks: the Upptäckarkort is filed
  'vantarPaBarnkontakt', // 2. Aktivera Barnkontakt: routed, waiting for the Barnkontakt to act
  'mottagen', // 2. the Barnkontakt has taken the case
  'samtal', // 3. Barnsamtal och uppföljningssamtal
  'barnteam', // 5. on a Barnteam's agenda (after the Beslut, step 4)
  'individuelltBarnteam', // 6. Individuellt barnteam started
  'planAktiv', // 7. Barnets plan in force
  'behovUppfyllt', // 8. Barnets behov är uppfyllt: closing compass follow-up
  'stodIEgenVerksamhet', // path: support within the discovering organisation, with a follow-up date
  'orosanmalan', // path: report of concern to social services, card attached
  'avbojd', // the Barnkontakt declined, with a reason
  'samtyckeAterkallat', // consent withdrawn: the process stops, nothing more is shared
  'avslutad', // closed; the data falls under the retention rules
] as const;
export const ZCaseState = z.enum(caseStates);
export type CaseState = z.infer<typeof ZCaseState>;

/**
 * `ersattare` is the named deputy (usually bitr. rektor) who acts for the Barnkontakt while
 * they are away. A deputy entry names whom it acts for (`actingFor`) and grants the
 * Barnkontakt's rights only while that person is still the case's Barnkontakt (`access.ts`).
 */
export const caseRoles = ['upptackare', 'barnkontakt', 'ersattare', 'stodsamordnare', 'teammedlem'] as const;
export const ZCaseRole = z.enum(caseRoles);
export type CaseRole = z.infer<typeof ZCaseRole>;

/** A person's role in one case. Access to a case is granted only through such an entry. */
export const ZRoleAssignment = z.object({
  userId: ZUserId,
  role: ZCaseRole,
  /** Display name for cards; a staff member's name, never the child's. */
  displayName: z.string().min(1).max(200),
  /** The unit (from the directory) the person acts for, when known. */
  unitId: z.string().min(1).optional(),
  since: ZInstant,
  /** Set when the role ended (handed over, left the team); kept for the chronology. */
  until: ZInstant.optional(),
  /** For an `ersattare`: the Barnkontakt this deputy acts for. */
  actingFor: ZUserId.optional(),
});
export type RoleAssignment = z.infer<typeof ZRoleAssignment>;

/**
 * Samtycke is gathered in three steps (seeds/000): verbal before Aktivering av Barnkontakt,
 * written before Barnteam, updated written before Individuellt barnteam.
 */
export const consentSteps = ['muntligt', 'skriftligt', 'uppdateratSkriftligt'] as const;
export const ZConsentStep = z.enum(consentSteps);
export type ConsentStep = z.infer<typeof ZConsentStep>;

export const consentGivers = ['vardnadshavare', 'barnet'] as const;
export const ZConsentGiver = z.enum(consentGivers);
export type ConsentGiver = z.infer<typeof ZConsentGiver>;

/** One recorded consent. Guardians are not Teams users, so staff record it on their behalf. */
export const ZConsent = z
  .object({
    step: ZConsentStep,
    givenBy: z.array(ZConsentGiver).min(1),
    recordedBy: ZUserId,
    at: ZInstant,
    /** What the consent covers, in the words read to the family (which organisations, what data). */
    scope: z.string().min(1).max(2000),
    /** Where the signed form is kept (document id or archive reference); required for written steps. */
    documentReference: z.string().min(1).max(400).optional(),
    withdrawal: z
      .object({
        at: ZInstant,
        by: ZConsentGiver,
        recordedBy: ZUserId,
      })
      .optional(),
  })
  .superRefine((value, context) => {
    if (value.step !== 'muntligt' && value.documentReference === undefined) {
      context.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['documentReference'],
        message: 'Ett skriftligt samtycke behöver en hänvisning till den undertecknade blanketten',
      });
    }
  });
export type Consent = z.infer<typeof ZConsent>;

/** The child. Kept only in the case document: never in logs, channel posts or URLs. */
export const ZChild = z.object({
  givenName: z.string().min(1).max(100),
  familyName: z.string().max(100).default(''),
  /** Normalised 12-digit personnummer or samordningsnummer, when known. */
  identityNumber: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  /** Keyed hash of the identity number: the only form the store is searched on. */
  identityKey: z.string().min(16).optional(),
  birthDate: ZCalendarDate.optional(),
  /** For an unborn child. */
  dueDate: ZCalendarDate.optional(),
});
export type Child = z.infer<typeof ZChild>;

export const ZChronologyEntry = z.object({
  at: ZInstant,
  /** Who did it: an Entra object id, or `system` for the bot's own timed work. */
  by: z.union([ZUserId, z.literal('system')]),
  /** The transition's event name (see `transitions.ts`) or another recorded fact. */
  event: z.string().min(1),
  from: ZCaseState.optional(),
  to: ZCaseState.optional(),
  /** A short reason or note. Free text written by staff; never logged. */
  note: z.string().max(2000).optional(),
});
export type ChronologyEntry = z.infer<typeof ZChronologyEntry>;

/**
 * Who the case was routed to, and why (`routeToBarnkontakt` in `routing.ts`). The fields
 * added after the first version are optional so that stored cases still parse.
 */
export const ZRoutingOutcome = z.object({
  band: z.enum(['graviditetOchNyfodd', 'smabarn', 'forskola', 'grundskola', 'utanforBand']),
  /** The unit of the chosen contact: the child's unit, or the fallback's unit. */
  unitId: z.string().min(1),
  contactUserId: ZUserId,
  /** The contact's display name and title when routed, kept because the directory changes. */
  contactDisplayName: z.string().min(1).max(200).optional(),
  contactTitle: z.string().min(1).max(100).optional(),
  viaDeputy: z.boolean(),
  viaFallback: z.boolean(),
  /** Why no Barnkontakt of the child's unit could take the case (set exactly when `viaFallback`). */
  fallbackCause: z
    .enum(['birthDateMissing', 'outsideBands', 'unknownUnit', 'unitTypeMismatch', 'noBarnkontakt', 'allAway'])
    .optional(),
  /** Facts that were unknown and replaced by the directory's defaults in this decision. */
  defaultedFacts: z
    .array(z.enum(['birthDate', 'firstBvcVisit', 'forskolaStart', 'schoolStart', 'termDates']))
    .optional(),
  /** Human-readable Swedish explanation of why this contact was chosen. */
  reason: z.string().min(1),
  decidedOn: ZCalendarDate,
});
export type RoutingOutcome = z.infer<typeof ZRoutingOutcome>;

/**
 * One routing decision in the order they were made: the first when the card was filed, then one
 * per forward. `routingNo` (1, 2, …) names the decision in outbox and reminder ids, so a notice
 * or chase belongs to exactly one routing and a stale chase can see that it is stale.
 */
export const ZRoutingHistoryEntry = z.object({
  routingNo: z.number().int().min(1),
  routing: ZRoutingOutcome,
  /** Who caused it: the Upptäckare filing the card, or the Barnkontakt forwarding it. */
  by: ZUserId,
  at: ZInstant,
  cause: z.enum(['upptackarkort', 'skickaVidare']),
});
export type RoutingHistoryEntry = z.infer<typeof ZRoutingHistoryEntry>;

/**
 * An orosanmälan made from the Upptäckarkort. Counted in the follow-up figures
 * ("orosanmälningar med bilagt upptäckarkort"), so the facts are kept apart from the chronology.
 */
export const ZOrosanmalanFacts = z.object({
  cardAttached: z.boolean(),
  /** The social services intake unit (directory id) the report went to. */
  intakeUnitId: z.string().min(1),
  sentAt: ZInstant,
});
export type OrosanmalanFacts = z.infer<typeof ZOrosanmalanFacts>;

export const ZCase = z.object({
  id: z.string().min(1).max(100),
  /** Short reference staff can say on the phone, e.g. `BB-4K7Q-2M9C` (see `case-reference.ts`). */
  reference: z.string().min(1).max(40),
  tenantId: z.string().uuid(),
  state: ZCaseState,
  child: ZChild,
  /** The unit (förskola, school, BVC …) the child belongs to, from the directory. */
  unitId: z.string().min(1),
  roles: z.array(ZRoleAssignment),
  routing: ZRoutingOutcome.optional(),
  chronology: z.array(ZChronologyEntry),
  /**
   * Every consent recorded in the case, withdrawn ones included (they are part of the record).
   * Absent means none recorded yet; optional so that documents written before it still parse.
   */
  consents: z.array(ZConsent).optional(),
  /** What the Upptäckare filed (optional: cases created before the card existed still parse). */
  discovery: ZDiscovery.optional(),
  /**
   * Later Upptäckarkort about the same child, filed while this case was open with a
   * Barnkontakt and added to it ("ett barn, en plan"), oldest first. Each is seen only by the
   * Barnkontakt's side and by the Upptäckare who filed it.
   */
  addedDiscoveries: z.array(ZDiscovery).optional(),
  /** Every routing decision, the current one last (`routing` repeats it). */
  routingHistory: z.array(ZRoutingHistoryEntry).optional(),
  orosanmalan: ZOrosanmalanFacts.optional(),
  /** Barnsamtal och uppföljningssamtal, in the order recorded (`samtal.ts`). Optional: older documents parse. */
  samtal: z.array(ZSamtal).optional(),
  /** The Barnkontakt's decisions with their guiding-principle answers, oldest first (`beslut.ts`). */
  beslut: z.array(ZBeslut).optional(),
  /** Barnteam members' Skattningsformulär answers for this child (`record-skattning.ts`). */
  skattningar: z.array(ZSkattningAnswer).optional(),
  /** What each Barnteam meeting decided for this child (`record-barnteam-outcome.ts`). */
  barnteamUtfall: z.array(ZBarnteamOutcome).optional(),
  /**
   * The Individuellt barnteam around the child (`records/individual-team.ts`). Optional: older
   * documents parse. Its `channel` is written only by the channel provisioning and kept by every
   * other write.
   */
  individuelltBarnteam: ZIndividuelltBarnteam.optional(),
  /** Barnets plan (`records/plan.ts`), begun with the Individuellt barnteam. */
  barnetsPlan: ZBarnetsPlan.optional(),
  /**
   * Keys of the follow-up figure facts this case has given (`flows/follow-up-figures/`), so that
   * each write adds only new ones. Keys only, no figures: erased with the case.
   */
  figureKeys: z.array(z.string().min(1).max(200)).max(20000).optional(),
  createdAt: ZInstant,
  updatedAt: ZInstant,
});
export type Case = z.infer<typeof ZCase>;

/**
 * Whether the case holds a consent of this step that has not been withdrawn. Each step is
 * checked on its own: an updated written consent is asked for even when a written one exists,
 * because the Individuellt barnteam shares with more people than the Barnteam did.
 */
export function hasValidConsent(caseValue: Pick<Case, 'consents'>, step: ConsentStep): boolean {
  return (caseValue.consents ?? []).some(
    (consent) => consent.step === step && consent.withdrawal === undefined,
  );
}

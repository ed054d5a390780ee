/**
 * The joint compass card (den gemensamma behovskompassen) for one child at a Barnteam: the chart
 * drawn by the bot, per area the mean and spread, the flags (Låg, Oenighet), how many rated and
 * the members' comments with their role, the areas to talk about first, and the meeting's outcome
 * for the child (`barnteam.utfall`): proposed support, by whom and a follow-up date, or the start
 * of an Individuellt barnteam.
 *
 * Starting an Individuellt barnteam needs the updated written consent. Without it the button is
 * shown disabled with the reason beside it, so the team sees what is missing before the meeting
 * ends. The button sends no inputs: the support fields are required for "Spara utfall" only.
 */
import { z } from 'zod';
import type { JointArea, JointCompass } from '../../flows/barnteam/joint-assessment.js';
import { ZCalendarDate } from '../../flows/kernel/value-types.js';
import { areaDotDataUri } from '../area-dot.js';
import { compassChartLegend, describeJointCompassChart, renderJointCompassChart } from '../compass-chart.js';
import {
  buildFieldState,
  buildFormSchemas,
  describeFormSummary,
  formatSkattningShort,
  keepDateValue,
} from '../form-fields.js';
import { type AdaptiveCardJson, renderCardTemplate } from '../render-template.js';
import { formatSwedishDate } from '../swedish-format.js';
import { ZCardInitials } from './barnteam-parts.js';
import template from './gemensam-behovskompass.json' with { type: 'json' };

export const gemensamBehovskompassVerb = 'barnteam.utfall';

/** What `barnteam.utfall` carries in `outcome`. */
export const barnteamOutcomes = ['stod', 'individuelltBarnteam'] as const;

export const gemensamBehovskompassInputIds = ['proposedSupport', 'supportBy', 'followUpDate'] as const;
const form = buildFormSchemas(gemensamBehovskompassInputIds);
export const ZGemensamBehovskompassInputId = form.ZInputId;
export type GemensamBehovskompassInputId = z.infer<typeof ZGemensamBehovskompassInputId>;

// The joint compass is computed by the bot (`computeJointCompass`) right before rendering, so a
// shape check is enough here; a full schema would repeat flows/barnteam/joint-assessment.ts.
const ZJointCompass = z.custom<JointCompass>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { areas?: unknown }).areas) &&
    (value as { areas: unknown[] }).areas.length === 8 &&
    Array.isArray((value as { prioritised?: unknown }).prioritised),
  'Den gemensamma behovskompassen ska ha åtta områden',
);

/** The verb of "Registrera skattning för …": opens the Skattningsformulär for that member. */
export const registerForMemberVerb = 'skattning.oppna';

/** One person of the meeting and whether their Skattningsformulär is in. */
export const ZCompassRater = z.object({
  /** How the card names the member to the bot (`toRaterKey`); no name in it. */
  key: z.string().min(1).max(120),
  name: z.string().min(1).max(200),
  role: z.string().min(1).max(100),
  /** "utanför Teams, nås via e-post", "gäst i kommunens Teams"; absent for staff in the tenant. */
  kindLabel: z.string().min(1).max(100).optional(),
  /** Their own answer, one the convener recorded for them, or none yet. */
  status: z.enum(['egen', 'registrerad', 'saknas']),
  recordedByName: z.string().min(1).max(200).optional(),
  /** Offer the viewer (the convener, from the meeting's day) to record it for them. */
  canRecord: z.boolean(),
});
export type CompassRater = z.infer<typeof ZCompassRater>;

export const ZGemensamBehovskompassData = z.object({
  meetingId: z.string().min(1).max(200),
  caseId: z.string().min(1).max(100),
  /** The version of the document the outcome is written to, as rendered. */
  etag: z.string().min(1).max(200),
  reference: z.string().min(1).max(40),
  initials: ZCardInitials,
  /** "tisdag 7 april 2026 kl. 09:00–10:00". */
  timeLabel: z.string().min(1).max(100),
  joint: ZJointCompass,
  /** The convener first, then the members; empty when the card is shown without the meeting's people. */
  raters: z.array(ZCompassRater).max(60).default([]),
  /** For the convener before the meeting's day: when recording for a member opens (YYYY-MM-DD). */
  onBehalfOpensOn: ZCalendarDate.optional(),
  /** Set when an Individuellt barnteam cannot start yet (the updated written consent is missing). */
  individuelltBarnteamBlockedReason: z.string().min(1).max(500).optional(),
  /** With the reason: a Samtycke button, for a viewer who may record the updated consent. */
  consentButton: z.boolean().default(false),
  values: form.ZValues,
  fieldErrors: form.ZFieldErrors,
  formError: form.ZFormError,
  confirmation: form.ZConfirmation,
});
export type GemensamBehovskompassData = z.input<typeof ZGemensamBehovskompassData>;

/**
 * Renders the joint compass with the outcome form.
 *
 * @throws CardRenderError when the data does not match `ZGemensamBehovskompassData`.
 */
export function renderGemensamBehovskompass(data: GemensamBehovskompassData): AdaptiveCardJson {
  return renderCardTemplate(
    'gemensam-behovskompass',
    template,
    ZGemensamBehovskompassData,
    data,
    (parsed) => {
      const values: Partial<Record<GemensamBehovskompassInputId, string>> = parsed.values ?? {};
      const errors: Partial<Record<GemensamBehovskompassInputId, string>> = parsed.fieldErrors ?? {};
      const joint = parsed.joint;
      const blocked = parsed.individuelltBarnteamBlockedReason;
      const child = `${parsed.initials} (${parsed.reference})`;
      return {
        meetingId: parsed.meetingId,
        caseId: parsed.caseId,
        etag: parsed.etag,
        ...describeFormSummary(parsed.fieldErrors, parsed.formError, parsed.confirmation),
        facts: [
          { label: 'Barn', value: child },
          { label: 'Möte', value: parsed.timeLabel },
          { label: 'Skattat av', value: describeRaterCount(joint.raterCount) },
        ],
        chartUrl: renderJointCompassChart(joint).dataUri,
        chartAltText: describeJointCompassChart(joint),
        chartLegend: compassChartLegend,
        hasPrioritised: joint.prioritised.length > 0,
        prioritised: joint.prioritised.map((key) => {
          const area = findJointArea(joint, key);
          return {
            name: area.name,
            dot: areaDotDataUri(area.colour),
            summary: area.summary,
            flags: describeFlags(area),
          };
        }),
        areas: joint.areas.map((area) => ({
          name: area.name,
          dot: areaDotDataUri(area.colour),
          summary: area.summary,
          ratersText: describeAreaRaters(area),
          hasFlags: area.lag || area.oenighet,
          flags: describeFlags(area),
          comments: area.comments.map((comment) => ({
            who: `${comment.role} (${describeCommentAuthor(comment)}), ${formatSkattningShort(comment.rating)}`,
            comment: comment.comment,
          })),
        })),
        hasRaters: parsed.raters.length > 0,
        raters: parsed.raters.map((rater) => ({
          key: rater.key,
          who: `${rater.role}: ${rater.name}${rater.kindLabel === undefined ? '' : ` (${rater.kindLabel})`}`,
          status: describeRaterStatus(rater),
          canRecord: rater.canRecord,
          recordTitle:
            rater.status === 'registrerad'
              ? `Ändra registrerad skattning för ${rater.name}`
              : `Registrera skattning för ${rater.name}`,
        })),
        hasOnBehalfNote: parsed.onBehalfOpensOn !== undefined,
        onBehalfNote:
          parsed.onBehalfOpensOn === undefined
            ? ''
            : `Från mötesdagen, ${formatSwedishDate(parsed.onBehalfOpensOn)}, kan du registrera skattningen för en medlem som inte har lämnat någon, till exempel den som inte har Teams.`,
        outcomeHeading: `Utfall för ${child}`,
        ibBlocked: blocked !== undefined,
        ibBlockedReason: blocked ?? '',
        ibConsentButton: blocked !== undefined && parsed.consentButton,
        ibEnabled: blocked === undefined,
        f: {
          proposedSupport: buildFieldState(values.proposedSupport, errors.proposedSupport),
          supportBy: buildFieldState(values.supportBy, errors.supportBy),
          followUpDate: buildFieldState(keepDateValue(values.followUpDate) ?? '', errors.followUpDate),
        },
      };
    },
  );
}

function findJointArea(joint: JointCompass, key: JointArea['key']): JointArea {
  const area = joint.areas.find((candidate) => candidate.key === key);
  if (area === undefined) {
    throw new Error(`Området ${key} saknas i den gemensamma behovskompassen`);
  }
  return area;
}

function describeFlags(area: JointArea): string {
  return [area.lag ? 'Låg' : '', area.oenighet ? 'Oenighet' : ''].filter(Boolean).join(' · ');
}

function describeRaterCount(count: number): string {
  return count === 1 ? '1 medlem' : `${count} medlemmar`;
}

function describeAreaRaters(area: JointArea): string {
  const rated = area.count === 1 ? '1 skattning' : `${area.count} skattningar`;
  return area.vetEj > 0 ? `${rated}, ${area.vetEj} vet ej` : rated;
}

function describeCommentAuthor(comment: JointCompass['areas'][number]['comments'][number]): string {
  return comment.recordedByName === undefined
    ? comment.raterName
    : `${comment.raterName}, registrerad av ${comment.recordedByName}`;
}

function describeRaterStatus(rater: CompassRater): string {
  switch (rater.status) {
    case 'egen':
      return 'har skattat';
    case 'registrerad':
      return `registrerad av ${rater.recordedByName ?? 'sammankallande'} för ${rater.name}`;
    case 'saknas':
      return 'har inte skattat';
  }
}

/**
 * The fixed words of the family's copy of Barnets plan in one language: one YAML file per
 * language in the catalogue directory (config/familjens-plan/<code>.yaml). Every key must be
 * there, so that a copy never mixes languages or shows an empty heading; what people wrote in the
 * plan (goals, actions, names) is not in the catalogue and is never translated.
 */
import { z } from 'zod';
import { compassAreaKeys } from '../../flows/kernel/compass.js';
import { actionStatuses } from '../../flows/kernel/records/plan.js';

const ZText = z.string().trim().min(1).max(500);

/** A text with `{name}` slots; the slots it must have are checked when the file is read. */
function template(...slots: readonly string[]) {
  return ZText.superRefine((text, ctx) => {
    const missing = slots.filter((slot) => !text.includes(`{${slot}}`));
    if (missing.length > 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `Ska innehålla ${missing.map((slot) => `{${slot}}`).join(', ')}`,
      });
    }
  });
}

function everyKey<const K extends readonly [string, ...string[]]>(keys: K) {
  return z
    .object(Object.fromEntries(keys.map((key) => [key, ZText])) as { [P in K[number]]: typeof ZText })
    .strict();
}

const ZLocale = z
  .string()
  .trim()
  .refine(
    (value) => {
      try {
        return Intl.DateTimeFormat.supportedLocalesOf([value]).length === 1;
      } catch {
        return false;
      }
    },
    { message: 'Ska vara en språkkod som datum kan skrivas med, t.ex. sv-SE eller en-GB' },
  );

export const ZFamilyCopyTexts = z
  .object({
    /** The PDF's metadata title: neutral, never the child's name or reference. */
    documentTitle: ZText,
    heading: ZText,
    intro: ZText,
    child: template('initials'),
    fixedAt: template('date'),
    contact: template('name', 'role'),
    goalsHeading: ZText,
    /** The child's own words around a goal, with the language's quotation marks. */
    quote: template('text'),
    goalWhat: ZText,
    goalHow: ZText,
    noGoals: ZText,
    actionsHeading: ZText,
    actionWho: ZText,
    actionWhen: ZText,
    actionStatus: ZText,
    noActions: ZText,
    closeToMeHeading: ZText,
    closeToMeIntro: ZText,
    noCloseToMe: ZText,
    meetingHeading: ZText,
    meetingTime: template('date', 'start', 'end'),
    meetingLink: ZText,
    noMeeting: ZText,
    compassHeading: ZText,
    compassIntro: ZText,
    noCompass: ZText,
    footer: template('page', 'pages'),
    areas: everyKey(compassAreaKeys),
    statuses: everyKey(actionStatuses),
    closeness: z.object({ 1: ZText, 2: ZText, 3: ZText }).strict(),
    roles: everyKey(['barnkontakt', 'stodsamordnare']),
    chart: z
      .object({
        raters: everyKey(['barnet', 'vardnadshavare', 'teamet']),
        guardianShort: ZText,
        sinceStart: ZText,
        unknown: ZText,
        description: ZText,
        start: ZText,
        followUp: template('number'),
      })
      .strict(),
  })
  .strict();
export type FamilyCopyTexts = z.infer<typeof ZFamilyCopyTexts>;

export const ZFamilyCopyCatalogue = z
  .object({
    /** The `lang` the tab asks for; the file is named after it. */
    code: z
      .string()
      .regex(/^[a-z]{2,3}$/, { message: 'Ska vara en språkkod med 2–3 små bokstäver, t.ex. sv eller en' }),
    /** How the tab's language list names it. */
    name: ZText.pipe(z.string().max(60)),
    /** Dates and times are written with it (Intl), always in Swedish time. */
    locale: ZLocale,
    texts: ZFamilyCopyTexts,
  })
  .strict();
export type FamilyCopyCatalogue = z.infer<typeof ZFamilyCopyCatalogue>;

/** Fills `{slot}`s; a slot without a value is left as it is, which the file check prevents. */
export function fillTemplate(text: string, values: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{([a-z]+)\}/g, (whole, slot: string) =>
    slot in values ? String(values[slot]) : whole,
  );
}

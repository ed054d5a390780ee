/**
 * What the form cards of the support process share: a field's typed value and its error, the
 * summary above a form that came back, and the skattning scale as choices. A submit that does not
 * validate comes back as the same card with everything the user typed (`values`) and a Swedish
 * message under each field to correct (`fieldErrors`), as the Upptäckarkort does.
 */
import { z } from 'zod';
import { findSkattningStep, type SkattningValue, skattningScale } from '../flows/kernel/skattning.js';

/** One input as a template binds it: `${f.scope.value}`, `${f.scope.hasError}`, `${f.scope.error}`. */
export interface FieldState {
  value: string;
  error: string;
  hasError: boolean;
}

/** A card's typed values and field errors, by input id. */
export function buildFormSchemas<const Ids extends readonly [string, ...string[]]>(ids: Ids) {
  const ZInputId = z.enum(ids);
  return {
    ZInputId,
    /** What the user typed, by input id, exactly as Teams sent it (all strings). */
    ZValues: z.record(ZInputId, z.string().max(10_000)).optional(),
    /** Swedish message per input id that must be corrected. */
    ZFieldErrors: z.record(ZInputId, z.string().min(1).max(500)).optional(),
    /** A problem with the form as a whole (e.g. "Försök igen om en stund."). */
    ZFormError: z.string().min(1).max(500).optional(),
    /** What was just done, when it worked ("Barnteam är bokat."): shown as success, never as an error. */
    ZConfirmation: z.string().min(1).max(500).optional(),
  };
}

/** The state of one input; `fallback` is what a new card shows (a preselected choice). */
export function buildFieldState(
  value: string | undefined,
  error: string | undefined,
  fallback = '',
): FieldState {
  return { value: value ?? fallback, error: error ?? '', hasError: error !== undefined };
}

/**
 * A date input given anything but YYYY-MM-DD shows an empty or broken picker in some clients;
 * the field's error message already says what was wrong.
 */
export function keepDateValue(value: string | undefined): string | undefined {
  return value !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
}

/**
 * The line above a form that came back: how many fields to correct and the form's own error in
 * the error style, or, when nothing is wrong, what was just done in the success style. Success
 * must not look like an error (both were red once).
 */
export function describeFormSummary(
  fieldErrors: Readonly<Record<string, string>> | undefined,
  formError: string | undefined,
  confirmation?: string,
): {
  hasSummary: boolean;
  summary: string;
  summaryStyle: 'attention' | 'good';
  summaryColour: 'attention' | 'good';
} {
  const count = Object.keys(fieldErrors ?? {}).length;
  const countText =
    count === 0
      ? undefined
      : count === 1
        ? 'Inget är sparat. Rätta fältet som är markerat nedan.'
        : `Inget är sparat. Rätta ${count} fält markerade nedan.`;
  const problems = [countText, formError].filter((part) => part !== undefined);
  if (problems.length > 0) {
    return {
      hasSummary: true,
      summary: problems.join(' '),
      summaryStyle: 'attention',
      summaryColour: 'attention',
    };
  }
  return {
    hasSummary: confirmation !== undefined,
    summary: confirmation ?? '',
    summaryStyle: 'good',
    summaryColour: 'good',
  };
}
/** The submitted string of a skattning value: `"1"` … `"5"`, `"vetEj"`. */
export function toSkattningChoiceValue(value: SkattningValue): string {
  return String(value);
}

/** The scale as compact choices, worst to best then "vet ej": "🙁 2 – Behöver stärkas". */
export const skattningChoices: readonly { title: string; value: string }[] = Object.freeze(
  skattningScale.map((step) => ({
    value: toSkattningChoiceValue(step.value),
    title:
      step.value === 'vetEj' ? `${step.face} ${step.label}` : `${step.face} ${step.value} – ${step.label}`,
  })),
);

/** A rating in few characters for a summary line: "🙁 2", "❔ vet ej". */
export function formatSkattningShort(value: SkattningValue): string {
  const step = findSkattningStep(value);
  return value === 'vetEj' ? `${step.face} vet ej` : `${step.face} ${value}`;
}

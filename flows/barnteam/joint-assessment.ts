/**
 * Den gemensamma behovskompassen: the Barnteam's Skattningsformulär answers for one child, put
 * together per area so the meeting can see where the child needs support (a low mean) and where
 * the members see the child differently (a wide spread) — both are what the meeting should talk
 * about first (seeds/002: "områden som skattas lågt är de som ska prioriteras under mötestiden").
 *
 * Decisions:
 * - Only numeric ratings count; "vet ej" is counted separately and never moves the mean.
 * - The mean is rounded to one decimal, and the `lag` flag is judged on that rounded mean, so the
 *   figure on the card and the flag beside it never disagree (2,0 shown is always flagged at ≤ 2).
 * - A member who answers twice (a corrected form) counts once, with the latest answer.
 * - Comments are shown with the rater's name, role and rating: the team discusses them together
 *   and needs to know whom to ask. An answer the convener recorded for a member counts as the
 *   member's (their organisation's view) and its comments say who recorded them.
 */
import type { CompassAreaKey } from '../kernel/compass.js';
import { compassAreas } from '../kernel/compass.js';
import { DomainError } from '../kernel/errors.js';
import {
  type SkattningAnswer,
  type SkattningValue,
  skattningMax,
  skattningMin,
  toRaterKey,
} from '../kernel/skattning.js';

export interface JointCompassThresholds {
  /** An area is `lag` when its (rounded) mean is at or below this. */
  readonly lowMeanAtOrBelow: number;
  /** An area has `oenighet` when highest minus lowest is at least this. */
  readonly disagreementSpreadAtLeast: number;
}

export const defaultJointCompassThresholds: JointCompassThresholds = Object.freeze({
  lowMeanAtOrBelow: 2,
  disagreementSpreadAtLeast: 3,
});

export interface JointAreaComment {
  readonly raterName: string;
  readonly role: string;
  readonly rating: SkattningValue;
  readonly comment: string;
  /** Set when the convener recorded the answer for the rater: "registrerad av …". */
  readonly recordedByName?: string;
}

export interface JointArea {
  readonly key: CompassAreaKey;
  readonly name: string;
  readonly colour: string;
  /** Numeric ratings (1–5); "vet ej" is not among them. */
  readonly count: number;
  readonly vetEj: number;
  /** One decimal; null with no numeric ratings. */
  readonly mean: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** Highest minus lowest; null with no numeric ratings. */
  readonly spread: number | null;
  /** Rated low: needs strengthening. */
  readonly lag: boolean;
  /** The members disagree strongly. */
  readonly oenighet: boolean;
  /** Swedish, for the card: "2,4 (1–4)", or "inga skattningar". */
  readonly summary: string;
  readonly comments: readonly JointAreaComment[];
}

export interface JointCompass {
  /** Members whose answers are included (after keeping one answer per member). */
  readonly raterCount: number;
  /** All eight areas, in Behovskompassen's order. */
  readonly areas: readonly JointArea[];
  /** Flagged areas to talk about first: `lag` before `oenighet`, lowest mean first, ties in compass order. */
  readonly prioritised: readonly CompassAreaKey[];
  readonly thresholds: JointCompassThresholds;
}

/**
 * The joint compass of one child's Skattningsformulär answers. With no answers every area
 * reads "inga skattningar".
 *
 * @throws DomainError('invalidInput') when the answers belong to different cases, or a
 *   threshold lies outside the scale.
 */
export function computeJointCompass(
  ratings: readonly SkattningAnswer[],
  thresholds: JointCompassThresholds = defaultJointCompassThresholds,
): JointCompass {
  checkThresholds(thresholds);
  const caseIds = new Set(ratings.map((answer) => answer.caseId));
  if (caseIds.size > 1) {
    throw new DomainError(
      'invalidInput',
      'Skattningarna gäller olika barn och kan inte läggas ihop till en gemensam behovskompass.',
    );
  }
  const answers = keepLatestPerRater(ratings);
  const areas = compassAreas.map((area) => {
    const given = answers.flatMap((answer) => {
      const areaAnswer = answer.areas.find((candidate) => candidate.key === area.key);
      return areaAnswer === undefined ? [] : [{ answer, areaAnswer }];
    });
    const numbers = given.flatMap(({ areaAnswer }) =>
      areaAnswer.rating === 'vetEj' ? [] : [areaAnswer.rating],
    );
    const comments = given.flatMap(({ answer, areaAnswer }) =>
      areaAnswer.comment === undefined
        ? []
        : [
            {
              raterName: answer.rater.displayName,
              role: answer.rater.role,
              rating: areaAnswer.rating,
              comment: areaAnswer.comment,
              ...(answer.recordedBy === undefined ? {} : { recordedByName: answer.recordedBy.displayName }),
            },
          ],
    );
    return summariseArea(area, numbers, given.length - numbers.length, comments, thresholds);
  });
  return {
    raterCount: answers.length,
    areas,
    prioritised: prioritise(areas),
    thresholds,
  };
}

/** `2.4` → `2,4`: Swedish decimal comma. */
export function formatSwedishMean(mean: number): string {
  return mean.toFixed(1).replace('.', ',');
}

function summariseArea(
  area: (typeof compassAreas)[number],
  numbers: readonly number[],
  vetEj: number,
  comments: readonly JointAreaComment[],
  thresholds: JointCompassThresholds,
): JointArea {
  const base = {
    key: area.key,
    name: area.name,
    colour: area.colour,
    count: numbers.length,
    vetEj,
    comments,
  };
  if (numbers.length === 0) {
    return {
      ...base,
      mean: null,
      min: null,
      max: null,
      spread: null,
      lag: false,
      oenighet: false,
      summary: vetEj > 0 ? `inga skattningar (${vetEj} vet ej)` : 'inga skattningar',
    };
  }
  const sum = numbers.reduce((total, value) => total + value, 0);
  // The sum times ten is an integer, so only one division rounds; 2.25 becomes 2.3, not 2.2.
  const mean = Math.round((sum * 10) / numbers.length) / 10;
  const min = Math.min(...numbers);
  const max = Math.max(...numbers);
  const spread = max - min;
  const range = min === max ? `${min}` : `${min}–${max}`;
  return {
    ...base,
    mean,
    min,
    max,
    spread,
    lag: mean <= thresholds.lowMeanAtOrBelow,
    oenighet: spread >= thresholds.disagreementSpreadAtLeast,
    summary: `${formatSwedishMean(mean)} (${range})`,
  };
}

function keepLatestPerRater(ratings: readonly SkattningAnswer[]): SkattningAnswer[] {
  const latest = new Map<string, SkattningAnswer>();
  for (const answer of ratings) {
    const key = toRaterKey(answer.rater);
    const previous = latest.get(key);
    // `>=` so that of two answers with the same time the later one in the list wins.
    if (previous === undefined || answer.answeredAt >= previous.answeredAt) {
      latest.set(key, answer);
    }
  }
  return [...latest.values()];
}

function prioritise(areas: readonly JointArea[]): CompassAreaKey[] {
  const flagged = areas
    .map((area, index) => ({ area, index }))
    .filter(({ area }) => area.lag || area.oenighet);
  flagged.sort(
    (a, b) =>
      Number(b.area.lag) - Number(a.area.lag) ||
      (a.area.mean ?? skattningMax) - (b.area.mean ?? skattningMax) ||
      a.index - b.index,
  );
  return flagged.map(({ area }) => area.key);
}

function checkThresholds(thresholds: JointCompassThresholds): void {
  const { lowMeanAtOrBelow, disagreementSpreadAtLeast } = thresholds;
  if (
    !Number.isFinite(lowMeanAtOrBelow) ||
    lowMeanAtOrBelow < skattningMin ||
    lowMeanAtOrBelow > skattningMax ||
    !Number.isFinite(disagreementSpreadAtLeast) ||
    disagreementSpreadAtLeast < 1 ||
    disagreementSpreadAtLeast > skattningMax - skattningMin
  ) {
    throw new DomainError(
      'invalidInput',
      `Gränserna för den gemensamma behovskompassen måste ligga på skalan ${skattningMin}–${skattningMax}.`,
    );
  }
}

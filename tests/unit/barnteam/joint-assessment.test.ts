import { describe, expect, it } from 'vitest';
import {
  computeJointCompass,
  formatSwedishMean,
  type JointArea,
} from '../../../flows/barnteam/joint-assessment.js';
import { compassAreaKeys, compassAreas } from '../../../flows/kernel/compass.js';
import { isDomainError } from '../../../flows/kernel/errors.js';
import {
  findSkattningStep,
  type SkattningAnswer,
  type SkattningValue,
  skattningScale,
  ZSkattningAnswer,
} from '../../../flows/kernel/skattning.js';

const raters = [
  { userId: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02', displayName: 'Maria Lind', role: 'Barnkontakt (rektor)' },
  { userId: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e03', displayName: 'Johan Ek', role: 'Elevhälsan' },
  { userId: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e05', displayName: 'Sara Berg', role: 'Hälso- och sjukvården' },
  { userId: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e07', displayName: 'Karin Holm', role: 'Socialtjänsten' },
  { userId: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e06', displayName: 'Erik Sund', role: 'Polisen' },
] as const;

function answer(
  raterIndex: number,
  ratings: readonly SkattningValue[],
  options: { comments?: Partial<Record<number, string>>; answeredAt?: string; caseId?: string } = {},
): SkattningAnswer {
  const rater = raters[raterIndex];
  if (rater === undefined) throw new Error(`no rater ${raterIndex}`);
  // Parsed, so that every test also exercises the schema the form answers go through.
  return ZSkattningAnswer.parse({
    caseId: options.caseId ?? 'BB-2026-0042',
    meetingId: 'barnteam-bjorkskolan-2026-04-07',
    rater,
    answeredAt: options.answeredAt ?? '2026-04-06T12:00:00Z',
    areas: compassAreaKeys.map((key, index) => ({
      key,
      rating: ratings[index],
      ...(options.comments?.[index] === undefined ? {} : { comment: options.comments[index] }),
    })),
  });
}

function area(areas: readonly JointArea[], key: (typeof compassAreaKeys)[number]): JointArea {
  const found = areas.find((candidate) => candidate.key === key);
  if (found === undefined) throw new Error(`no area ${key}`);
  return found;
}

// Columns: omsorg, trygghet, maBra, fritid, tillhorighet, ansvar, respekteras, utvecklas.
const fiveRaters: SkattningValue[][] = [
  [1, 1, 2, 'vetEj', 4, 2, 1, 5],
  [2, 5, 2, 'vetEj', 'vetEj', 2, 4, 5],
  [2, 3, 2, 'vetEj', 5, 2, 4, 5],
  [1, 4, 2, 'vetEj', 'vetEj', 2, 4, 5],
  [3, 2, 3, 'vetEj', 4, 2, 4, 5],
];

describe('computeJointCompass', () => {
  it('shows every area as "inga skattningar" when nobody has rated', () => {
    const joint = computeJointCompass([]);
    expect(joint.raterCount).toBe(0);
    expect(joint.areas.map((candidate) => candidate.key)).toEqual([...compassAreaKeys]);
    for (const candidate of joint.areas) {
      expect(candidate).toMatchObject({
        count: 0,
        vetEj: 0,
        mean: null,
        min: null,
        max: null,
        spread: null,
        lag: false,
        oenighet: false,
        summary: 'inga skattningar',
        comments: [],
      });
    }
    expect(joint.prioritised).toEqual([]);
  });

  it('takes a single rater at their word, with no disagreement possible', () => {
    const joint = computeJointCompass([answer(0, [1, 2, 3, 4, 5, 'vetEj', 2, 5])]);
    expect(joint.raterCount).toBe(1);
    expect(joint.areas.map((candidate) => candidate.mean)).toEqual([1, 2, 3, 4, 5, null, 2, 5]);
    expect(joint.areas.map((candidate) => candidate.lag)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
      true,
      false,
    ]);
    expect(joint.areas.every((candidate) => !candidate.oenighet && (candidate.spread ?? 0) === 0)).toBe(true);
    expect(area(joint.areas, 'ansvar').summary).toBe('inga skattningar (1 vet ej)');
    expect(area(joint.areas, 'omsorg').summary).toBe('1,0 (1)');
  });

  it('summarises five raters per area: mean, lowest–highest, vet ej and the flags', () => {
    const joint = computeJointCompass(fiveRaters.map((ratings, index) => answer(index, ratings)));
    expect(joint.raterCount).toBe(5);
    expect(area(joint.areas, 'omsorg')).toMatchObject({
      count: 5,
      mean: 1.8,
      min: 1,
      max: 3,
      spread: 2,
      lag: true,
      oenighet: false,
      summary: '1,8 (1–3)',
    });
    expect(area(joint.areas, 'trygghet')).toMatchObject({ mean: 3, spread: 4, lag: false, oenighet: true });
    expect(area(joint.areas, 'maBra')).toMatchObject({ mean: 2.2, lag: false, oenighet: false });
    expect(area(joint.areas, 'fritid')).toMatchObject({
      count: 0,
      vetEj: 5,
      mean: null,
      lag: false,
      summary: 'inga skattningar (5 vet ej)',
    });
    // Vet ej does not pull the mean down: (4 + 5 + 4) / 3.
    expect(area(joint.areas, 'tillhorighet')).toMatchObject({ count: 3, vetEj: 2, mean: 4.3 });
    // Exactly on the thresholds: mean 2,0 is low, a spread of 3 is disagreement.
    expect(area(joint.areas, 'ansvar')).toMatchObject({ mean: 2, lag: true, summary: '2,0 (2)' });
    expect(area(joint.areas, 'respekteras')).toMatchObject({ mean: 3.4, spread: 3, oenighet: true });
    expect(area(joint.areas, 'utvecklas')).toMatchObject({ mean: 5, lag: false, oenighet: false });
    expect(joint.prioritised).toEqual(['omsorg', 'ansvar', 'trygghet', 'respekteras']);
  });

  it('keeps the stable area names and colours, in compass order', () => {
    const joint = computeJointCompass([answer(0, [3, 3, 3, 3, 3, 3, 3, 3])]);
    expect(joint.areas.map(({ key, name, colour }) => ({ key, name, colour }))).toEqual(
      compassAreas.map(({ key, name, colour }) => ({ key, name, colour })),
    );
  });

  it('orders tied low areas by the compass and rounds half up', () => {
    const joint = computeJointCompass([
      answer(0, [3, 2, 5, 2, 2, 5, 5, 2]),
      answer(1, [3, 2, 5, 2, 2, 5, 5, 2]),
      answer(2, [3, 2, 5, 2, 3, 5, 5, 3]),
      answer(3, [3, 2, 5, 2, 2, 5, 5, 2]),
    ]);
    // trygghet and fritid tie at 2,0 and come in compass order; 2,25 rounds to 2,3 (not low).
    expect(joint.prioritised).toEqual(['trygghet', 'fritid']);
    expect(area(joint.areas, 'tillhorighet').mean).toBe(2.3);
    expect(area(joint.areas, 'utvecklas').lag).toBe(false);
  });

  it('uses configured thresholds', () => {
    const answers = fiveRaters.map((ratings, index) => answer(index, ratings));
    const strict = computeJointCompass(answers, { lowMeanAtOrBelow: 2.2, disagreementSpreadAtLeast: 2 });
    expect(area(strict.areas, 'maBra').lag).toBe(true);
    expect(area(strict.areas, 'omsorg').oenighet).toBe(true);
    expect(strict.thresholds).toEqual({ lowMeanAtOrBelow: 2.2, disagreementSpreadAtLeast: 2 });
    try {
      computeJointCompass(answers, { lowMeanAtOrBelow: 0, disagreementSpreadAtLeast: 3 });
      expect.unreachable('a threshold off the scale should be refused');
    } catch (error) {
      expect(isDomainError(error, 'invalidInput')).toBe(true);
    }
  });

  it('shows each comment with who wrote it, their role and their rating', () => {
    const joint = computeJointCompass([
      answer(1, [2, 3, 3, 3, 3, 3, 3, 3], { comments: { 0: 'Kommer ofta utan frukost.' } }),
      answer(4, [4, 3, 3, 'vetEj', 3, 3, 3, 3], {
        comments: { 0: 'Inga kontakter med polisen.', 3: 'Känner inte till fritiden.' },
      }),
    ]);
    expect(area(joint.areas, 'omsorg').comments).toEqual([
      { raterName: 'Johan Ek', role: 'Elevhälsan', rating: 2, comment: 'Kommer ofta utan frukost.' },
      { raterName: 'Erik Sund', role: 'Polisen', rating: 4, comment: 'Inga kontakter med polisen.' },
    ]);
    expect(area(joint.areas, 'fritid').comments).toEqual([
      { raterName: 'Erik Sund', role: 'Polisen', rating: 'vetEj', comment: 'Känner inte till fritiden.' },
    ]);
    expect(area(joint.areas, 'trygghet').comments).toEqual([]);
  });

  it("counts a member's corrected form once, with the latest answer", () => {
    const joint = computeJointCompass([
      answer(0, [5, 5, 5, 5, 5, 5, 5, 5], { answeredAt: '2026-04-06T15:00:00Z' }),
      answer(0, [1, 1, 1, 1, 1, 1, 1, 1], { answeredAt: '2026-04-06T09:00:00Z' }),
      answer(1, [3, 3, 3, 3, 3, 3, 3, 3]),
    ]);
    expect(joint.raterCount).toBe(2);
    expect(area(joint.areas, 'omsorg')).toMatchObject({ count: 2, mean: 4, min: 3, max: 5 });
  });

  it('refuses to mix the answers for two children', () => {
    try {
      computeJointCompass([
        answer(0, [3, 3, 3, 3, 3, 3, 3, 3]),
        answer(1, [3, 3, 3, 3, 3, 3, 3, 3], { caseId: 'BB-2026-0043' }),
      ]);
      expect.unreachable('mixed cases should be refused');
    } catch (error) {
      expect(isDomainError(error, 'invalidInput')).toBe(true);
    }
  });
});

describe('Skattningsformulär schema and scale', () => {
  it('offers 1–5 with faces, worst first, then vet ej', () => {
    expect(skattningScale.map((step) => step.value)).toEqual([1, 2, 3, 4, 5, 'vetEj']);
    expect(new Set(skattningScale.map((step) => step.face)).size).toBe(6);
    expect(findSkattningStep(2).label).toBe('Behöver stärkas');
    expect(findSkattningStep('vetEj').label).toBe('Vet ej');
  });

  it('refuses ratings off the scale, missing areas and areas out of order', () => {
    const valid = answer(0, [3, 3, 3, 3, 3, 3, 3, 3]);
    const withRating = (rating: unknown) => ({
      ...valid,
      areas: valid.areas.map((entry, index) => (index === 0 ? { ...entry, rating } : entry)),
    });
    expect(ZSkattningAnswer.safeParse(withRating(0)).success).toBe(false);
    expect(ZSkattningAnswer.safeParse(withRating(6)).success).toBe(false);
    expect(ZSkattningAnswer.safeParse(withRating(2.5)).success).toBe(false);
    expect(ZSkattningAnswer.safeParse(withRating('vet ej')).success).toBe(false);
    expect(ZSkattningAnswer.safeParse({ ...valid, areas: valid.areas.slice(1) }).success).toBe(false);
    expect(ZSkattningAnswer.safeParse({ ...valid, areas: [...valid.areas].reverse() }).success).toBe(false);
  });

  it('trims comments and refuses an empty one', () => {
    const parsed = answer(0, [3, 3, 3, 3, 3, 3, 3, 3], { comments: { 2: '  Sover dåligt.  ' } });
    expect(parsed.areas[2]?.comment).toBe('Sover dåligt.');
    expect(() => answer(0, [3, 3, 3, 3, 3, 3, 3, 3], { comments: { 2: '   ' } })).toThrow();
  });

  it('writes means with a decimal comma', () => {
    expect(formatSwedishMean(2)).toBe('2,0');
    expect(formatSwedishMean(3.4)).toBe('3,4');
  });
});

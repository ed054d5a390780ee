// biome-ignore-all lint/suspicious/noTemplateCurlyInString: user text containing ${…} is sample input
/**
 * Representative data for the issue-4 card tests: Ella Åström Öberg's case at Björkskolan, its
 * consents and talks, and the Barnteam of Björkskolan with its members, proposed times, reminder
 * and joint compass. The staff are the project's fixed identities; the child is invented. Meeting
 * cards must show Ella only as "E.Å." and her case reference.
 */
import type { CompassAreaKey } from '../../flows/compass.js';
import { compassAreaKeys } from '../../flows/compass.js';
import { computeJointCompass } from '../../flows/joint-assessment.js';
import { compareWithEarlier, type Samtal } from '../../flows/samtal.js';
import type { SkattningAnswer, SkattningValue } from '../../flows/skattning.js';

export const sampleCase = {
  caseId: 'case-2026-0001',
  etag: '"00000a1b-0000-0d00-0000-674593f20000"',
  reference: 'BB-4K7Q-2M9C',
  child: { givenName: 'Ella', familyName: 'Åström Öberg' },
  initials: 'E.Å.',
} as const;

/** What must never appear on a meeting card. */
export const sampleChildIdentity = ['Ella', 'Åström', 'Öberg', '20150520', '2015-05-20'] as const;

export const sampleOtherCase = {
  caseId: 'case-2026-0002',
  reference: 'BB-7TQ3-9XHD',
  initials: 'M.K.',
} as const;

export const sampleMeeting = {
  meetingId: 'barnteam-bjorkskolan-2026-04-07T07:00',
  etag: '"0000c2d4-0000-0d00-0000-67a1b2c30000"',
  teamName: 'Barnteam Björkskolan',
  unitId: 'bjorkskolan',
  label: 'tisdag 7 april 2026 kl. 09:00–10:00',
  joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ2ZjA%40thread.v2/0',
} as const;

export const sampleMembers = [
  { role: 'Barnkontakt (sammankallande)', displayName: 'Maria Lind', required: true },
  { role: 'Elevhälsan', displayName: 'Kim Berg', required: true },
  { role: 'Socialtjänsten', displayName: 'Sara Nyström', required: true },
  { role: 'Hälso- och sjukvården', displayName: 'Åsa Öhman', required: true },
  { role: 'Polisen', displayName: 'Erik Holm', required: false },
];

export const sampleSlots = [
  {
    start: '2026-04-07T07:00:00.000Z',
    end: '2026-04-07T08:00:00.000Z',
    label: 'tisdag 7 april 2026 kl. 09:00–10:00',
    optionalConflicts: [{ label: 'Polisen', note: 'Polisen är upptagen' }],
  },
  {
    start: '2026-04-08T11:30:00.000Z',
    end: '2026-04-08T12:30:00.000Z',
    label: 'onsdag 8 april 2026 kl. 13:30–14:30',
    optionalConflicts: [],
  },
  {
    start: '2026-04-14T06:00:00.000Z',
    end: '2026-04-14T07:00:00.000Z',
    label: 'tisdag 14 april 2026 kl. 08:00–09:00',
    optionalConflicts: [],
  },
];

export const sampleDagordning = [
  'Inledning och närvaro',
  'Uppföljning av stöd från förra mötet',
  'Barnkontakten presenterar barnets situation (initialer och ärendereferens)',
  'Gemensam skattning med Skattningsformuläret och den gemensamma behovskompassen',
  'Förslag på stöd: vad, vem och när',
  'Behövs ett Individuellt barnteam?',
  'Uppföljning och nästa möte',
];

/** Typed by a user: must come out literally, never as a binding. */
export const bindingLookalike = 'Se ${caseId} och **fet** text';

const memberRatings: { userId: string; name: string; role: string; ratings: SkattningValue[] }[] = [
  {
    userId: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02',
    name: 'Maria Lind',
    role: 'Barnkontakt',
    ratings: [2, 1, 2, 4, 2, 4, 3, 4],
  },
  {
    userId: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e08',
    name: 'Kim Berg',
    role: 'Elevhälsan',
    ratings: [3, 4, 1, 5, 2, 4, 'vetEj', 4],
  },
  {
    userId: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e09',
    name: 'Sara Nyström',
    role: 'Socialtjänsten',
    ratings: [1, 2, 2, 4, 3, 3, 3, 5],
  },
];

const sampleComments: Partial<Record<CompassAreaKey, string>> = {
  omsorg: 'Kommer ofta utan matsäck; vårdnadshavare har svårt att få ihop vardagen.',
  trygghet: 'Hon säger att hon är rädd på vägen hem – ${okänt}.',
  maBra: 'Sover dåligt, trött på lektionerna.',
};

export const sampleSkattningAnswers: SkattningAnswer[] = memberRatings.map((member, memberIndex) => ({
  caseId: sampleCase.caseId,
  meetingId: sampleMeeting.meetingId,
  rater: { userId: member.userId, displayName: member.name, role: member.role },
  answeredAt: `2026-04-06T1${memberIndex}:00:00.000Z`,
  areas: compassAreaKeys.map((key, index) => {
    const comment = memberIndex === 1 ? sampleComments[key] : undefined;
    return { key, rating: member.ratings[index] ?? 'vetEj', ...(comment ? { comment } : {}) };
  }),
}));

export const sampleJointCompass = computeJointCompass(sampleSkattningAnswers);

function buildPerspective(
  ratings: readonly SkattningValue[],
  comments: Partial<Record<CompassAreaKey, string>> = {},
) {
  return compassAreaKeys.map((key, index) => {
    const comment = comments[key];
    return { key, rating: ratings[index] ?? ('vetEj' as const), ...(comment ? { comment } : {}) };
  });
}

/** Two talks: a barnsamtal in March and an uppföljningssamtal in May. */
export const sampleTalks: Samtal[] = [
  {
    id: 'samtal-2026-03-10',
    kind: 'barnsamtal',
    heldOn: '2026-03-10',
    underlag: { version: '6-12', chosenBy: 'alder' },
    perspectives: {
      barnet: buildPerspective([2, 1, 2, 4, 2, 3, 3, 4]),
      vardnadshavare: buildPerspective([3, 2, 2, 4, 3, 3, 'vetEj', 4]),
    },
    recordedBy: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02',
    recordedAt: '2026-03-10T13:00:00.000Z',
  },
  {
    id: 'samtal-2026-05-12',
    kind: 'uppfoljningssamtal',
    heldOn: '2026-05-12',
    underlag: { version: '6-12', chosenBy: 'alder' },
    perspectives: {
      barnet: buildPerspective([3, 1, 3, 4, 2, 'vetEj', 4, 4], { trygghet: 'Rädd på vägen hem.' }),
      vardnadshavare: buildPerspective([3, 3, 1, 4, 3, 3, 3, 5]),
    },
    recordedBy: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02',
    recordedAt: '2026-05-12T13:00:00.000Z',
  },
];

export const sampleComparison = compareWithEarlier({ samtal: sampleTalks });

/**
 * Representative data for the card tests: one Upptäckarkort filed by Alex Andersson at
 * Björkskolan and routed to the Barnkontakt Maria Lind (deputy Johan Ek), with all eight areas
 * assessed, Swedish characters and long text. The people are the project's fixed identities;
 * the child is invented.
 */
import type { BarnkontaktNotisData } from '../../cards/barnkontakt-notis.js';
import type { OrosanmalanData } from '../../cards/orosanmalan.js';
import type { UpptackarkortKvittoData } from '../../cards/upptackarkort-kvitto.js';

export const sampleUsers = {
  alex: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e01',
  maria: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02',
  johan: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e03',
} as const;

export const sampleDraftId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

export const sampleUnits = [
  { id: 'bjorkskolan', title: 'Björkskolan (grundskola)' },
  { id: 'ekens-skola', title: 'Ekens skola (grundskola)' },
  { id: 'exempelby-bmm', title: 'Exempelby barnmorskemottagning (barnmorskemottagning)' },
  { id: 'exempelby-bvc', title: 'Exempelby BVC (barnavårdscentral (BVC))' },
  { id: 'larkans-forskola', title: 'Lärkans förskola (förskola)' },
];

export const longObservation = `${'Ella har under hösten kommit till skolan utan frukost och somnat på lektionerna. '.repeat(
  30,
)}Hon säger att hon "inte orkar" och drar sig undan på rasterna – något som inte märktes förra läsåret.`;

export const sampleAreas = {
  omsorg: {
    assessment: 'behoverStarkas',
    comment: 'Kommer ofta utan matsäck och ytterkläder när det är kallt.',
  },
  trygghet: { assessment: 'vetEj' },
  maBra: {
    assessment: 'behoverStarkas',
    comment: 'Trött, somnar på lektionerna; säger att hon inte sover på nätterna.',
  },
  fritid: { assessment: 'fungerarBra', comment: 'Spelar fotboll i Exempelby IF två kvällar i veckan.' },
  tillhorighet: { assessment: 'behoverStarkas' },
  ansvar: { assessment: 'fungerarBra' },
  respekteras: { assessment: 'vetEj' },
  utvecklas: { assessment: 'fungerarBra', comment: 'Gör sitt bästa i matematik, stolt över sina framsteg.' },
} as const;

export const sampleRoutingReason =
  'Barnet är 11 år och går i grundskolan (Björkskolan): Barnkontakt är rektor Maria Lind.';

export function buildSampleNotis(overrides: Partial<BarnkontaktNotisData> = {}): BarnkontaktNotisData {
  return {
    caseId: 'case-2026-0001',
    etag: '"00000a1b-0000-0d00-0000-674593f20000"',
    reference: 'BB-4K7Q-2M9C',
    today: '2026-11-26',
    filedAt: '2026-11-26T08:15:00.000Z',
    child: { givenName: 'Ella', familyName: 'Åström Öberg', birthDate: '2015-05-20' },
    unitName: 'Björkskolan',
    areas: sampleAreas,
    observation: longObservation,
    talkedWithGuardian: true,
    reporter: {
      displayName: 'Alex Andersson',
      organisation: 'kommun',
      role: 'Lärare',
      unitName: 'Björkskolan',
      email: 'alex.andersson@exempelby.se',
      external: false,
    },
    consent: {
      givenBy: ['vardnadshavare'],
      recordedByName: 'Alex Andersson',
      at: '2026-11-26T08:10:00.000Z',
    },
    routingReason: sampleRoutingReason,
    forwardTargets: [
      { id: 'ekens-skola', title: 'Ekens skola (grundskola)' },
      { id: 'larkans-forskola', title: 'Lärkans förskola (förskola)' },
    ],
    refreshUserIds: [sampleUsers.maria, sampleUsers.johan],
    ...overrides,
  };
}

export function buildSampleKvitto(overrides: Partial<UpptackarkortKvittoData> = {}): UpptackarkortKvittoData {
  return {
    caseId: 'case-2026-0001',
    reference: 'BB-4K7Q-2M9C',
    upptackareId: sampleUsers.alex,
    child: { givenName: 'Ella', familyName: 'Åström Öberg' },
    path: 'aktiveraBarnkontakt',
    filedAt: '2026-11-26T08:15:00.000Z',
    barnkontakt: { displayName: 'Maria Lind', title: 'Rektor', unitName: 'Björkskolan' },
    routingReason: sampleRoutingReason,
    status: { kind: 'vantarPaBarnkontakt' },
    ...overrides,
  };
}

export function buildSampleOrosanmalan(overrides: Partial<OrosanmalanData> = {}): OrosanmalanData {
  return {
    caseId: 'case-2026-0002',
    reference: 'BB-7HXK-3P2D',
    today: '2026-11-26',
    filedAt: '2026-11-26T08:15:00.000Z',
    child: {
      givenName: 'Ella',
      familyName: 'Åström Öberg',
      identityNumber: '201505202383',
      birthDate: '2015-05-20',
    },
    unitName: 'Björkskolan',
    areas: sampleAreas,
    observation: longObservation,
    talkedWithGuardian: false,
    reporter: {
      displayName: 'Alex Andersson',
      organisation: 'kommun',
      role: 'Lärare',
      unitName: 'Björkskolan',
      email: 'alex.andersson@exempelby.se',
    },
    ...overrides,
  };
}

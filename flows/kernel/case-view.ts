/**
 * What a card may show a given user of a case, decided by the user's role (access.ts): the
 * Upptäckare sees the receipt (reference, status, who has it, the answer), the Barnkontakt and
 * deputy see what they need to answer and no more (the child's name, flagged areas, what was
 * seen, the Upptäckare, why the card came to them). The identity number and birth date are on
 * no card: the routing reason gives the age. Anyone else sees nothing.
 */
import { allowedEventsFor, authorize, buildReceipt, type ReceiptStatus } from './access.js';
import type { Case, CaseState, Instant } from './case.js';
import { currentRouting } from './case-effects.js';
import { findCompassArea } from './compass.js';
import { type Directory, findUnit } from './directory.js';
import {
  type AreaAssessment,
  areaAssessmentLabels,
  type DiscoveryPath,
  discoveryPathLabels,
  reporterOrganisationLabels,
} from './records/discovery.js';
import { swedishMonthNames, toStockholmDate } from './stockholm-date.js';
import { type CaseEvent, stateLabels } from './transitions.js';

export interface AreaView {
  readonly key: string;
  readonly name: string;
  readonly colour: string;
  readonly assessment: AreaAssessment;
  readonly assessmentLabel: string;
  readonly comment?: string;
}

/** The Upptäckare's receipt. */
export interface ReceiptView {
  readonly level: 'kvitto';
  readonly caseId: string;
  readonly reference: string;
  readonly status: ReceiptStatus;
  readonly statusLabel: string;
  readonly path?: DiscoveryPath;
  readonly pathLabel?: string;
  readonly unitName: string;
  /** Who the card went to and why (the reason names an age, never a date). */
  readonly routedTo?: { readonly displayName: string; readonly title?: string; readonly reason: string };
  readonly receivedBy?: { readonly displayName: string; readonly at: Instant };
  readonly declinedReason?: string;
  /** What happens next, in Swedish. */
  readonly nextStep: string;
  readonly updatedAt: Instant;
}

/** What the Barnkontakt (or deputy) needs to answer the card. */
export interface BarnkontaktView {
  readonly level: 'fullt';
  readonly caseId: string;
  readonly reference: string;
  readonly state: CaseState;
  readonly stateLabel: string;
  readonly child: { readonly givenName: string; readonly familyName: string };
  readonly unitName: string;
  readonly flaggedAreas: readonly AreaView[];
  readonly areas: readonly AreaView[];
  readonly observation: string;
  readonly talkedWithGuardian: boolean;
  readonly upptackare: {
    readonly displayName: string;
    readonly organisationLabel: string;
    readonly role: string;
    readonly external: boolean;
  };
  readonly routingReason?: string;
  /** What this user may do now (buttons). */
  readonly allowedEvents: readonly CaseEvent[];
}

export type CaseCardView = ReceiptView | BarnkontaktView;

/**
 * The view of the case this user may see, or `undefined` when they have no (active) role in it.
 * Pass the directory to show unit names instead of ids.
 */
export function viewCaseFor(
  caseValue: Case,
  userId: string,
  directory?: Directory,
): CaseCardView | undefined {
  const decision = authorize(caseValue, userId, 'lasArende');
  if (!decision.allowed) return undefined;
  const unitName =
    (directory === undefined ? undefined : findUnit(directory, caseValue.unitId)?.name) ?? caseValue.unitId;
  if (decision.view === 'kvitto') {
    return buildReceiptView(caseValue, userId, unitName);
  }
  return buildBarnkontaktView(caseValue, userId, unitName);
}

function buildReceiptView(caseValue: Case, userId: string, unitName: string): ReceiptView {
  const receipt = buildReceipt(caseValue, userId);
  const discovery = caseValue.discovery;
  const routing = caseValue.routing;
  const accepted = caseValue.chronology.findLast((entry) => entry.event === 'taEmot');
  const declined = receipt.chronology.findLast((entry) => entry.event === 'avboj');
  const receivedByName =
    accepted === undefined
      ? undefined
      : caseValue.roles.findLast((role) => role.userId === accepted.by)?.displayName;
  return {
    level: 'kvitto',
    caseId: caseValue.id,
    reference: caseValue.reference,
    status: receipt.status,
    statusLabel: receipt.statusLabel,
    ...(discovery === undefined
      ? {}
      : { path: discovery.path, pathLabel: discoveryPathLabels[discovery.path] }),
    unitName,
    ...(routing === undefined || currentRouting(caseValue) === undefined
      ? {}
      : {
          routedTo: {
            displayName: routing.contactDisplayName ?? 'Barnkontakt',
            ...(routing.contactTitle === undefined ? {} : { title: routing.contactTitle }),
            reason: routing.reason,
          },
        }),
    ...(accepted === undefined || receivedByName === undefined
      ? {}
      : { receivedBy: { displayName: receivedByName, at: accepted.at } }),
    ...(declined?.note === undefined ? {} : { declinedReason: declined.note }),
    nextStep: describeNextStep(caseValue, receipt.status),
    updatedAt: caseValue.updatedAt,
  };
}

function describeNextStep(caseValue: Case, status: ReceiptStatus): string {
  const contact = caseValue.routing?.contactDisplayName ?? 'Barnkontakten';
  switch (status) {
    case 'vantarPaSvar':
      return `Kortet har skickats till ${contact}. Du får besked här när kortet har besvarats.`;
    case 'mottaget':
      return 'Barnkontakten har tagit emot kortet och ansvarar nu för nästa steg.';
    case 'egetStod': {
      const date = caseValue.discovery?.followUpDate;
      return date === undefined
        ? 'Stödet ges i din egen verksamhet.'
        : `Stödet ges i din egen verksamhet. Du får en påminnelse om uppföljning den ${date}.`;
    }
    case 'orosanmalan':
      return 'Orosanmälan har skickats till socialtjänstens mottagning med Upptäckarkortet bifogat.';
    case 'avbojt':
      return 'Barnkontakten har avböjt kortet. Skälet står i kvittot.';
    case 'stoppat':
      return 'Samtycket är återkallat. Inget mer delas i ärendet.';
    case 'avslutat': {
      const closedAt = caseValue.chronology.findLast((entry) => entry.event === 'avsluta')?.at;
      return closedAt === undefined
        ? 'Ärendet är avslutat. Inget mer görs i det.'
        : `Ärendet avslutades den ${writeStockholmDate(closedAt)}. Inget mer görs i det.`;
    }
    default:
      return 'Kortet är registrerat.';
  }
}

function buildBarnkontaktView(caseValue: Case, userId: string, unitName: string): BarnkontaktView {
  const discovery = caseValue.discovery;
  const areas: AreaView[] = (discovery?.areas ?? []).map((area) => {
    const definition = findCompassArea(area.key);
    return {
      key: area.key,
      name: definition.name,
      colour: definition.colour,
      assessment: area.assessment,
      assessmentLabel: areaAssessmentLabels[area.assessment],
      ...(area.comment === undefined ? {} : { comment: area.comment }),
    };
  });
  const upptackare = caseValue.roles.find((role) => role.role === 'upptackare');
  return {
    level: 'fullt',
    caseId: caseValue.id,
    reference: caseValue.reference,
    state: caseValue.state,
    stateLabel: stateLabels[caseValue.state],
    child: { givenName: caseValue.child.givenName, familyName: caseValue.child.familyName },
    unitName,
    flaggedAreas: areas.filter((area) => area.assessment === 'behoverStarkas'),
    areas,
    observation: discovery?.observation ?? '',
    talkedWithGuardian: discovery?.talkedWithGuardian ?? false,
    upptackare: {
      displayName: upptackare?.displayName ?? 'Upptäckare',
      organisationLabel:
        discovery === undefined ? '' : reporterOrganisationLabels[discovery.reporter.organisation],
      role: discovery?.reporter.role ?? '',
      external: discovery?.external ?? false,
    },
    ...(caseValue.routing === undefined ? {} : { routingReason: caseValue.routing.reason }),
    allowedEvents: allowedEventsFor(caseValue, userId),
  };
}

/** `2026-12-03T10:00:00Z` → `3 december 2026`, on the Stockholm calendar. */
function writeStockholmDate(instant: Instant): string {
  const [year, month, day] = toStockholmDate(instant).split('-').map(Number) as [number, number, number];
  return `${day} ${swedishMonthNames[month - 1]} ${year}`;
}

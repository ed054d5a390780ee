/**
 * The overview of a case for one viewer (`renderArendeOversikt`), cut to what the viewer's role
 * may see (flows/kernel/access.ts):
 * - the Barnkontakt, the acting deputy and the Stödsamordnare see the whole record: the child's
 *   name, who has the case, the consent steps, the last Beslut with its guiding principles, the
 *   last talk, every event with who did it and the notes written with it;
 * - a team member sees the same without the Beslut, the talks and the free-text notes;
 * - the Upptäckare sees the receipt as a history: their own card and the answers to it, and
 *   the Upptäckare of a card added to an open case sees only that card;
 * - once the case is closed, everyone who had a role sees the reference and the state only.
 */
import type { ArendeOversiktData } from '../../cards/arende/arende-oversikt.js';
import { formatChildName, formatChildShortName } from '../../cards/card-parts.js';
import { formatSwedishDate, formatSwedishDateOfInstant } from '../../cards/swedish-format.js';
import { buildTeamAccessContext } from '../../flows/individuellt-barnteam/team-directory.js';
import {
  allowedEventsFor,
  authorize,
  buildReceipt,
  currentBarnkontakt,
  isRoleActive,
  receiptStatusLabels,
  roleLabels,
} from '../../flows/kernel/access.js';
import {
  type Case,
  type CaseRole,
  type ChronologyEntry,
  consentSteps,
  type Instant,
  type UserId,
} from '../../flows/kernel/case.js';
import { currentRouting, findUpptackare } from '../../flows/kernel/case-effects.js';
import { consentStepLabels } from '../../flows/kernel/consent.js';
import type { Directory } from '../../flows/kernel/directory.js';
import { guidingPrinciples, principleAnswerLabels } from '../../flows/kernel/guiding-principles.js';
import type { Versioned } from '../../flows/kernel/ports.js';
import { beslutLabels } from '../../flows/kernel/records/beslut.js';
import { samtalKindLabels } from '../../flows/kernel/records/samtal.js';
import { type CaseEvent, eventLabels, isClosedState, stateLabels } from '../../flows/kernel/transitions.js';
import { findAddedDiscoveryBy } from '../../flows/upptackt/add-to-open-case.js';
import { canCloseCase } from './behov-uppfyllt-view.js';
import { findPersonName, unitNameOf } from './person-names.js';
import { decideCaseNavigation } from './upptackt-views.js';

export interface OverviewOptions {
  readonly banner?: ArendeOversiktData['banner'];
  /** The start of the next booked Barnteam meeting with the child on its agenda, if any. */
  readonly nextMeetingStart?: Instant;
}

type Level = 'helaArendet' | 'teammedlem' | 'kvitto' | 'tillagtKort' | 'avslutat';

const recordRoles: readonly CaseRole[] = ['barnkontakt', 'ersattare', 'stodsamordnare'];

/** Events whose note the bot wrote itself (a role, a consent step): safe for every staff role. */
const systemNoteEvents: ReadonlySet<string> = new Set(['rollTillagd', 'rollAvslutad', 'samtyckeRegistrerat']);

const factLabels = { reference: 'Ärende', child: 'Barn', unit: 'Enhet', state: 'Steg' } as const;

/** The overview's data for `viewerId`, or `undefined` when they have no (active) role in the case. */
export function toArendeOversiktData(
  current: Versioned<Case>,
  viewerId: UserId,
  directory: Directory,
  options: OverviewOptions = {},
): ArendeOversiktData | undefined {
  const overview = buildOverview(current, viewerId, directory, options);
  if (overview === undefined) return undefined;
  const caseValue = current.value;
  // Barnets plan for those who may read it; the direct start for someone with a SIP duty.
  const plan = caseValue.barnetsPlan !== undefined && authorize(caseValue, viewerId, 'lasPlan').allowed;
  const startSip = allowedEventsFor(caseValue, viewerId, buildTeamAccessContext(directory)).includes(
    'startaIndividuelltBarnteamSip',
  );
  return {
    ...overview,
    ...(plan ? { barnetsPlan: true } : {}),
    ...(startSip ? { startSipEtag: current.etag } : {}),
  };
}

function buildOverview(
  current: Versioned<Case>,
  viewerId: UserId,
  directory: Directory,
  options: OverviewOptions,
): ArendeOversiktData | undefined {
  const caseValue = current.value;
  const decision = authorize(caseValue, viewerId, 'lasArende');
  if (!decision.allowed) return undefined;
  const level = levelOf(caseValue, viewerId, decision.role, decision.view);
  const base = {
    caseId: caseValue.id,
    reference: caseValue.reference,
    refreshUserIds: [viewerId],
    ...(options.banner === undefined ? {} : { banner: options.banner }),
  };
  const names = createNames(caseValue, directory);
  switch (level) {
    case 'avslutat':
      return {
        ...base,
        facts: [
          { label: factLabels.reference, value: caseValue.reference },
          { label: factLabels.state, value: stateLabels[caseValue.state] },
          ...describeClosedOn(caseValue),
        ],
        nextStep: 'Ärendet är avslutat. Bara referensen och läget finns kvar för dig.',
        sections: [],
        events: [],
        shareReason: 'Du hade en roll i ärendet.',
      };
    case 'kvitto':
    case 'tillagtKort':
      return { ...base, ...describeForUpptackare(caseValue, viewerId, directory, level, names) };
    case 'helaArendet':
    case 'teammedlem': {
      const full = level === 'helaArendet';
      const navigation = decideCaseNavigation(caseValue, viewerId, directory);
      return {
        ...base,
        facts: [
          { label: factLabels.reference, value: caseValue.reference },
          { label: factLabels.child, value: formatChildName(caseValue.child) },
          { label: factLabels.unit, value: unitNameOf(directory, caseValue.unitId) },
          { label: factLabels.state, value: stateLabels[caseValue.state] },
          ...describeResponsible(caseValue, names),
          ...((caseValue.addedDiscoveries?.length ?? 0) > 0
            ? [{ label: 'Upptäckarkort', value: String(1 + (caseValue.addedDiscoveries?.length ?? 0)) }]
            : []),
        ],
        nextStep: describeNextStep(caseValue, options.nextMeetingStart),
        sections: [
          describeConsents(caseValue, names, full),
          ...(full ? [describeLatestBeslut(caseValue, names), describeLatestSamtal(caseValue, names)] : []),
        ].filter((section) => section !== undefined),
        events: caseValue.chronology.map((entry) => ({
          at: entry.at,
          text: describeEvent(entry, names, { notes: full }),
        })),
        shareReason: `Du ser ärendet som ${roleLabels[decision.role]}.`,
        entryActions: navigation.entryActions,
        bookBarnteam: navigation.bookBarnteam,
        // Support in the own organisation and Barnteam have no card of their own to close from.
        closeCase: closedFromOverview.includes(caseValue.state) && canCloseCase(caseValue, viewerId),
      };
    }
  }
}

const closedFromOverview: readonly Case['state'][] = ['stodIEgenVerksamhet', 'barnteam'];

function levelOf(caseValue: Case, viewerId: UserId, role: CaseRole, view: 'kvitto' | 'fullt'): Level {
  // Whoever filed a card later in the case sees a closed case as staff do: that it ended, not how.
  if (
    isClosedState(caseValue.state) &&
    (role !== 'upptackare' || findUpptackare(caseValue)?.userId !== viewerId)
  )
    return 'avslutat';
  if (view === 'kvitto') {
    return findUpptackare(caseValue)?.userId === viewerId ? 'kvitto' : 'tillagtKort';
  }
  const active = caseValue.roles.filter((item) => item.userId === viewerId && isRoleActive(item));
  return active.some((item) => recordRoles.includes(item.role)) ? 'helaArendet' : 'teammedlem';
}

interface Names {
  of(userId: string): string;
}

function createNames(caseValue: Case, directory: Directory): Names {
  return { of: (userId) => (userId === 'system' ? 'Boten' : findPersonName(caseValue, directory, userId)) };
}

function describeResponsible(caseValue: Case, names: Names): { label: string; value: string }[] {
  const barnkontakt = currentBarnkontakt(caseValue);
  if (barnkontakt !== undefined) {
    const deputies = caseValue.roles.filter(
      (role) => role.role === 'ersattare' && isRoleActive(role) && role.actingFor === barnkontakt.userId,
    );
    return [
      { label: 'Barnkontakt', value: names.of(barnkontakt.userId) },
      ...(deputies.length === 0
        ? []
        : [{ label: 'Ersättare', value: deputies.map((role) => names.of(role.userId)).join(', ') }]),
    ];
  }
  const routed = currentRouting(caseValue)?.routing;
  return routed === undefined
    ? []
    : [{ label: 'Väntar på', value: routed.contactDisplayName ?? names.of(routed.contactUserId) }];
}

function describeConsents(caseValue: Case, names: Names, full: boolean) {
  const consents = caseValue.consents ?? [];
  const lines = consentSteps.map((step) => {
    const latest = consents.findLast((consent) => consent.step === step);
    const label = consentStepLabels[step];
    if (latest === undefined) return `${label}: saknas.`;
    if (latest.withdrawal !== undefined) {
      return `${label}: återkallat den ${formatSwedishDateOfInstant(latest.withdrawal.at)}.`;
    }
    const givers = latest.givenBy
      .map((giver) => (giver === 'barnet' ? 'barnet' : 'vårdnadshavare'))
      .join(' och ');
    const document =
      full && latest.documentReference !== undefined ? ` Blanketten: ${latest.documentReference}.` : '';
    return `${label}: från ${givers} den ${formatSwedishDateOfInstant(latest.at)}, registrerat av ${names.of(latest.recordedBy)}.${document}`;
  });
  return { heading: 'Samtycke', lines };
}

function describeLatestBeslut(caseValue: Case, names: Names) {
  const beslut = caseValue.beslut?.at(-1);
  if (beslut === undefined) return undefined;
  const answers = new Map(beslut.principles.map((answer) => [answer.key, answer]));
  return {
    heading: 'Senaste beslut',
    lines: [
      `${beslutLabels[beslut.decision]}, beslutat av ${names.of(beslut.decidedBy)} den ${formatSwedishDateOfInstant(beslut.decidedAt)}.`,
      ...guidingPrinciples.map((principle) => {
        const answer = answers.get(principle.key);
        const comment = answer?.comment === undefined ? '' : ` – ${answer.comment}`;
        return `${principle.principle}: ${answer === undefined ? 'inte besvarad' : principleAnswerLabels[answer.answer]}${comment}`;
      }),
      ...(beslut.followUpDate === undefined
        ? []
        : [`Uppföljning den ${formatSwedishDate(beslut.followUpDate)}.`]),
      ...(beslut.note === undefined ? [] : [`Anteckning: ${beslut.note}`]),
    ],
  };
}

function describeLatestSamtal(caseValue: Case, names: Names) {
  const samtal = caseValue.samtal?.at(-1);
  if (samtal === undefined) return undefined;
  const with_ = [
    ...(samtal.perspectives.barnet === undefined ? [] : ['barnet']),
    ...(samtal.perspectives.vardnadshavare === undefined ? [] : ['vårdnadshavare']),
  ].join(' och ');
  return {
    heading: 'Senaste samtal',
    lines: [
      `${samtalKindLabels[samtal.kind]} den ${formatSwedishDate(samtal.heldOn)} med ${with_}, registrerat av ${names.of(samtal.recordedBy)}.`,
      `Samtal i ärendet hittills: ${caseValue.samtal?.length ?? 0}.`,
    ],
  };
}

/** What each recorded fact reads as in the history. */
const factEventLabels: Readonly<Record<string, string>> = {
  upptackarkortInlamnat: 'Upptäckarkortet skickades in',
  upptackarkortTillagt: 'Ett nytt Upptäckarkort lades till i ärendet',
  taEmot: 'Ärendet togs emot',
  skickaVidare: 'Kortet skickades vidare',
  avboj: 'Kortet avböjdes',
  samtalRegistrerat: 'Samtal registrerat',
  samtyckeRegistrerat: 'Samtycke registrerat',
  aterkallaSamtycke: 'Samtycket återkallades',
  rollTillagd: 'Roll tillagd',
  rollAvslutad: 'Roll avslutad',
  barnteamUtfallRegistrerat: 'Barnteamets bedömning registrerad',
};

function describeEvent(entry: ChronologyEntry, names: Names, options: { readonly notes: boolean }): string {
  const label = factEventLabels[entry.event] ?? eventLabels[entry.event as CaseEvent] ?? 'Ändring i ärendet';
  const showNote = entry.note !== undefined && (options.notes || systemNoteEvents.has(entry.event));
  return `${label}${showNote ? `: ${entry.note}` : ''} (${names.of(entry.by)})`;
}

function describeNextStep(caseValue: Case, nextMeetingStart: Instant | undefined): string {
  switch (caseValue.state) {
    case 'upptackt':
      return 'Upptäckaren väljer väg för kortet.';
    case 'vantarPaBarnkontakt':
      return 'Barnkontakten tar emot kortet, skickar det vidare eller avböjer.';
    case 'mottagen':
      return 'Hämta in samtycke och håll barnsamtal; fatta sedan beslut.';
    case 'samtal':
      return 'Fatta beslut med de fyra vägledande principerna, eller håll ett uppföljningssamtal till.';
    case 'barnteam':
      return nextMeetingStart === undefined
        ? 'Barnet väntar på att tas upp i Barnteam: boka mötet.'
        : `Barnteam den ${formatSwedishDateOfInstant(nextMeetingStart)}. Medlemmarna fyller i Skattningsformuläret före mötet.`;
    case 'individuelltBarnteam':
      return 'Det Individuella barnteamet tar fram Barnets plan.';
    case 'planAktiv':
      return 'Barnets plan gäller; följ upp den.';
    case 'behovUppfyllt':
      return 'Gör den avslutande uppföljningen med Behovskompassen och avsluta ärendet.';
    case 'stodIEgenVerksamhet': {
      const date = caseValue.beslut?.at(-1)?.followUpDate ?? caseValue.discovery?.followUpDate;
      return date === undefined
        ? 'Stödet ges i den egna verksamheten.'
        : `Stödet ges i den egna verksamheten och följs upp den ${formatSwedishDate(date)}.`;
    }
    case 'orosanmalan':
      return 'Socialtjänstens mottagning har fått orosanmälan med Upptäckarkortet.';
    case 'avbojd':
    case 'samtyckeAterkallat':
      return 'Inget mer händer i ärendet.';
    case 'avslutad': {
      const closedAt = findClosedAt(caseValue);
      return closedAt === undefined
        ? 'Ärendet är avslutat. Inget mer händer i ärendet.'
        : `Ärendet avslutades den ${formatSwedishDateOfInstant(closedAt)}. Inget mer händer i ärendet.`;
    }
  }
}

/** The closing date as a fact, once the case went through `avsluta`. */
function describeClosedOn(caseValue: Case): { label: string; value: string }[] {
  const closedAt = caseValue.state === 'avslutad' ? findClosedAt(caseValue) : undefined;
  return closedAt === undefined
    ? []
    : [{ label: 'Avslutat den', value: formatSwedishDateOfInstant(closedAt) }];
}

function findClosedAt(caseValue: Case): Instant | undefined {
  return caseValue.chronology.findLast((entry) => entry.event === 'avsluta')?.at;
}

function describeForUpptackare(
  caseValue: Case,
  viewerId: UserId,
  directory: Directory,
  level: 'kvitto' | 'tillagtKort',
  names: Names,
): Omit<ArendeOversiktData, 'caseId' | 'reference' | 'refreshUserIds' | 'banner'> {
  const routed = currentRouting(caseValue)?.routing;
  const barnkontakt =
    routed === undefined
      ? []
      : [{ label: 'Barnkontakt', value: routed.contactDisplayName ?? names.of(routed.contactUserId) }];
  const shareReason = 'Du ser det som hör till ditt Upptäckarkort.';
  if (level === 'tillagtKort') {
    const own = findAddedDiscoveryBy(caseValue, viewerId);
    return {
      facts: [
        { label: factLabels.reference, value: caseValue.reference },
        { label: factLabels.child, value: formatChildShortName(caseValue.child) },
        { label: 'Status', value: 'Tillagt i ett pågående ärende' },
        ...barnkontakt,
      ],
      nextStep: 'Ditt kort har lagts till i barnets pågående ärende. Barnkontakten kan höra av sig till dig.',
      sections: [],
      events: caseValue.chronology
        .filter((entry) => entry.by === viewerId && entry.at === own?.filedAt)
        .map((entry) => ({ at: entry.at, text: describeEvent(entry, names, { notes: false }) })),
      shareReason,
    };
  }
  const receipt = buildReceipt(caseValue, viewerId);
  return {
    facts: [
      { label: factLabels.reference, value: caseValue.reference },
      { label: factLabels.child, value: formatChildShortName(caseValue.child) },
      { label: 'Status', value: receiptStatusLabels[receipt.status] },
      ...barnkontakt,
      { label: factLabels.unit, value: unitNameOf(directory, caseValue.unitId) },
    ],
    nextStep: describeNextStepForUpptackare(caseValue),
    sections: [],
    events: receipt.chronology.map((entry) => ({
      at: entry.at,
      // The receipt keeps only the decline's reason, which is written for the Upptäckare.
      text: describeEvent(entry, names, { notes: entry.event === 'avboj' }),
    })),
    shareReason,
  };
}

function describeNextStepForUpptackare(caseValue: Case): string {
  switch (caseValue.state) {
    case 'vantarPaBarnkontakt':
      return 'Kortet väntar på svar från Barnkontakten. Du får besked när kortet har besvarats.';
    case 'stodIEgenVerksamhet':
    case 'orosanmalan':
    case 'avbojd':
    case 'samtyckeAterkallat':
    case 'avslutad':
      return describeNextStep(caseValue, undefined);
    default:
      return 'Barnkontakten har tagit emot kortet och ansvarar nu för nästa steg.';
  }
}

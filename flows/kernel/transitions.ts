/**
 * The support process (stödprocessen) as one explicit table: which event may move a case from
 * which states to which state, and what must be true first. Everything else in the product
 * (cards, buttons, access checks, follow-up figures) asks this table instead of keeping its own
 * idea of the process. Pure: no clock, no storage; the caller passes time and actor in.
 */
import {
  type Case,
  type CaseState,
  type ChronologyEntry,
  type ConsentGiver,
  type ConsentStep,
  caseStates,
  hasValidConsent,
  type Instant,
  type UserId,
} from './case.js';
import { DomainError } from './errors.js';

export const caseEvents = [
  'valjStodIEgenVerksamhet',
  'gorOrosanmalan',
  'aktiveraBarnkontakt',
  'taEmot',
  'skickaVidare',
  'avboj',
  'paborjaSamtal',
  'beslutaStodIEgenVerksamhet',
  'beslutaBarnteam',
  'beslutaOrosanmalan',
  'beslutaBehovUppfyllt',
  'startaIndividuelltBarnteam',
  'startaIndividuelltBarnteamSip',
  'faststallPlan',
  'aterupptaSamtal',
  'markeraBehovUppfyllt',
  'avsluta',
  'aterkallaSamtycke',
] as const;
export type CaseEvent = (typeof caseEvents)[number];

/** What the caller asks for. The actor comes from the activity or token, never from card data. */
export interface TransitionCommand {
  readonly event: CaseEvent;
  readonly actor: UserId | 'system';
  readonly at: Instant;
  /** Free text by staff: the reason for a decline, a forward, a decision. Never logged. */
  readonly note?: string;
  /** For `aterkallaSamtycke`: who withdrew the consent. */
  readonly withdrawnBy?: ConsentGiver;
}

/** States in which the case is over: nothing more happens and only the minimum stays visible. */
export const closedStates = [
  'avbojd',
  'samtyckeAterkallat',
  'avslutad',
] as const satisfies readonly CaseState[];
export const activeStates = caseStates.filter((state) => !isClosedState(state));

export function isClosedState(state: CaseState): boolean {
  return (closedStates as readonly CaseState[]).includes(state);
}

export const guardIds = [
  'muntligtSamtycke',
  'skriftligtSamtycke',
  'uppdateratSkriftligtSamtycke',
  'mottagetAvBarnkontakt',
  'ejMottagetAvBarnkontakt',
  'skalAngivet',
  'vemAterkallarAngivet',
] as const;
export type GuardId = (typeof guardIds)[number];

/**
 * A guard looks either at the case (can be shown before the user acts: a missing consent) or at
 * what the user typed with the action (a reason). `allowedEvents` checks only the first kind.
 */
type Guard =
  | { readonly kind: 'case'; readonly check: (caseValue: Case) => boolean; readonly reason: string }
  | {
      readonly kind: 'input';
      readonly check: (command: TransitionCommand) => boolean;
      readonly reason: string;
    };

function requireConsent(step: ConsentStep, reason: string): Guard {
  return { kind: 'case', check: (caseValue) => hasValidConsent(caseValue, step), reason };
}

export const guards: Readonly<Record<GuardId, Guard>> = {
  muntligtSamtycke: requireConsent(
    'muntligt',
    'Muntligt samtycke saknas: registrera vårdnadshavarens eller barnets muntliga samtycke innan Barnkontakten aktiveras.',
  ),
  skriftligtSamtycke: requireConsent(
    'skriftligt',
    'Skriftligt samtycke saknas: registrera det undertecknade skriftliga samtycket innan ärendet lyfts till Barnteam.',
  ),
  uppdateratSkriftligtSamtycke: requireConsent(
    'uppdateratSkriftligt',
    'Uppdaterat skriftligt samtycke saknas: registrera det undertecknade uppdaterade samtycket innan ett Individuellt barnteam startas.',
  ),
  // Read from the chronology, not the roles: the Barnkontakt's role is added when the card is
  // routed, before anyone has taken the case, and the order of those two writes must not matter.
  mottagetAvBarnkontakt: {
    kind: 'case',
    check: (caseValue) => wasReceived(caseValue),
    reason: 'Ingen Barnkontakt har tagit emot ärendet: aktivera Barnkontakten först.',
  },
  ejMottagetAvBarnkontakt: {
    kind: 'case',
    check: (caseValue) => !wasReceived(caseValue),
    reason: 'Barnkontakten har redan tagit emot ärendet: välj ”Följ upp med nytt samtal” i stället.',
  },
  skalAngivet: {
    kind: 'input',
    check: (command) => (command.note ?? '').trim().length > 0,
    reason: 'Skäl saknas: skriv varför ärendet avböjs, så att Upptäckaren får veta det.',
  },
  vemAterkallarAngivet: {
    kind: 'input',
    // Staff record what the family said; the bot's own timed work never withdraws for them.
    check: (command) => command.withdrawnBy !== undefined && command.actor !== 'system',
    reason: 'Ange vem som återkallar samtycket: vårdnadshavare eller barnet.',
  },
};

export interface TransitionRow {
  readonly event: CaseEvent;
  readonly from: readonly CaseState[];
  readonly to: CaseState;
  readonly guards: readonly GuardId[];
}

const everyActiveState: readonly CaseState[] = activeStates;

/**
 * THE table. One row per event. Read it top to bottom as the eight steps of docs/domain.md:
 *
 * 1. The Upptäckare files the card (`upptackt`) and picks one of three paths.
 * 2. The routed Barnkontakt accepts, forwards (stays waiting, with new routing) or declines.
 * 3. Barnsamtal och uppföljningssamtal.
 * 4. Beslut: one of four paths (own organisation, Barnteam, orosanmälan, needs met).
 * 5. Barnteam, 6. Individuellt barnteam, 7. Barnets plan, 8. Barnets behov är uppfyllt.
 *
 * Two entries need a word of why:
 * - `startaIndividuelltBarnteamSip`: the evaluation (seeds/002) lets organisations with a
 *   statutory duty to initiate SIP start an Individuellt barnteam directly, to avoid a parallel
 *   SIP. It is its own event, not a second `from` list on the normal one, so that access can
 *   require the SIP duty and the follow-up figures can count these starts apart. The starter
 *   then informs the Barnkontakt (the notifier's job).
 * - An orosanmälan during Barnteam or later does not change the state: the team's work goes on
 *   beside social services, so it is recorded as a fact in the chronology, not as a move here.
 */
export const transitionTable: readonly TransitionRow[] = [
  // 1. Barn upptäcks: the Upptäckare chooses a path.
  { event: 'valjStodIEgenVerksamhet', from: ['upptackt'], to: 'stodIEgenVerksamhet', guards: [] },
  { event: 'gorOrosanmalan', from: ['upptackt'], to: 'orosanmalan', guards: [] },
  {
    event: 'aktiveraBarnkontakt',
    // Also when the organisation's own support turned out not to be enough.
    from: ['upptackt', 'stodIEgenVerksamhet'],
    to: 'vantarPaBarnkontakt',
    guards: ['muntligtSamtycke', 'ejMottagetAvBarnkontakt'],
  },
  // 2. Aktivera Barnkontakt: the Barnkontakt answers.
  { event: 'taEmot', from: ['vantarPaBarnkontakt'], to: 'mottagen', guards: [] },
  { event: 'skickaVidare', from: ['vantarPaBarnkontakt'], to: 'vantarPaBarnkontakt', guards: [] },
  { event: 'avboj', from: ['vantarPaBarnkontakt'], to: 'avbojd', guards: ['skalAngivet'] },
  // 3. Barnsamtal och uppföljningssamtal.
  { event: 'paborjaSamtal', from: ['mottagen'], to: 'samtal', guards: [] },
  // 4. Beslut (Barnteam may also propose support in the child's own organisation).
  {
    event: 'beslutaStodIEgenVerksamhet',
    from: ['samtal', 'barnteam'],
    to: 'stodIEgenVerksamhet',
    guards: [],
  },
  { event: 'beslutaBarnteam', from: ['samtal'], to: 'barnteam', guards: ['skriftligtSamtycke'] },
  { event: 'beslutaOrosanmalan', from: ['samtal'], to: 'orosanmalan', guards: [] },
  { event: 'beslutaBehovUppfyllt', from: ['samtal'], to: 'behovUppfyllt', guards: [] },
  // 5.–6. Barnteam and Individuellt barnteam.
  {
    event: 'startaIndividuelltBarnteam',
    from: ['barnteam'],
    to: 'individuelltBarnteam',
    guards: ['uppdateratSkriftligtSamtycke'],
  },
  {
    event: 'startaIndividuelltBarnteamSip',
    from: ['upptackt', 'vantarPaBarnkontakt', 'mottagen', 'samtal', 'stodIEgenVerksamhet', 'orosanmalan'],
    to: 'individuelltBarnteam',
    guards: ['uppdateratSkriftligtSamtycke'],
  },
  // 7. Barnets plan.
  { event: 'faststallPlan', from: ['individuelltBarnteam'], to: 'planAktiv', guards: [] },
  // Follow-up loop: support in the own organisation is followed up with a new talk.
  {
    event: 'aterupptaSamtal',
    from: ['stodIEgenVerksamhet'],
    to: 'samtal',
    guards: ['mottagetAvBarnkontakt'],
  },
  // 8. Barnets behov är uppfyllt, then closed.
  {
    event: 'markeraBehovUppfyllt',
    from: ['stodIEgenVerksamhet', 'barnteam', 'planAktiv'],
    to: 'behovUppfyllt',
    guards: [],
  },
  // Social services own an orosanmälan from here; support in the own organisation may simply end.
  {
    event: 'avsluta',
    from: ['behovUppfyllt', 'orosanmalan', 'stodIEgenVerksamhet'],
    to: 'avslutad',
    guards: [],
  },
  // Consent can be withdrawn at any step; the process stops and nothing more is shared.
  {
    event: 'aterkallaSamtycke',
    from: everyActiveState,
    to: 'samtyckeAterkallat',
    guards: ['vemAterkallarAngivet'],
  },
];

/** Swedish names of the states, as staff say them (seeds/000 wording). */
export const stateLabels: Readonly<Record<CaseState, string>> = {
  upptackt: 'Upptäckt',
  vantarPaBarnkontakt: 'Väntar på Barnkontakt',
  mottagen: 'Mottaget av Barnkontakt',
  samtal: 'Barnsamtal och uppföljningssamtal',
  barnteam: 'Barnteam',
  individuelltBarnteam: 'Individuellt barnteam',
  planAktiv: 'Barnets plan',
  behovUppfyllt: 'Barnets behov är uppfyllt',
  stodIEgenVerksamhet: 'Stöd i egen verksamhet',
  orosanmalan: 'Orosanmälan till socialtjänsten',
  avbojd: 'Avböjt',
  samtyckeAterkallat: 'Samtycket återkallat',
  avslutad: 'Avslutat',
};

/** Swedish button texts for the events. */
export const eventLabels: Readonly<Record<CaseEvent, string>> = {
  valjStodIEgenVerksamhet: 'Stöd i egen verksamhet',
  gorOrosanmalan: 'Orosanmälan till socialtjänsten',
  aktiveraBarnkontakt: 'Aktivera Barnkontakt',
  taEmot: 'Ta emot ärendet',
  skickaVidare: 'Skicka vidare till rätt Barnkontakt',
  avboj: 'Avböj',
  paborjaSamtal: 'Påbörja barnsamtal',
  beslutaStodIEgenVerksamhet: 'Beslut: stöd i egen verksamhet',
  beslutaBarnteam: 'Beslut: lyft till Barnteam',
  beslutaOrosanmalan: 'Beslut: orosanmälan till socialtjänsten',
  beslutaBehovUppfyllt: 'Beslut: barnets behov är uppfyllt',
  startaIndividuelltBarnteam: 'Starta Individuellt barnteam',
  startaIndividuelltBarnteamSip: 'Starta Individuellt barnteam (verksamhet med SIP-skyldighet)',
  faststallPlan: 'Fastställ Barnets plan',
  aterupptaSamtal: 'Följ upp med nytt samtal',
  markeraBehovUppfyllt: 'Barnets behov är uppfyllt',
  avsluta: 'Avsluta ärendet',
  aterkallaSamtycke: 'Samtycket återkallas',
};

/** How each state reads in a refusal: as it is now, and when the event would lead right back to it. */
const stateSentences: Readonly<Record<CaseState, { readonly now: string; readonly already: string }>> = {
  upptackt: {
    now: 'Ärendet är ett nytt Upptäckarkort där ingen väg är vald ännu',
    already: 'Ärendet är ett nytt Upptäckarkort där ingen väg är vald ännu',
  },
  vantarPaBarnkontakt: {
    now: 'Ärendet väntar på att Barnkontakten tar emot det',
    already: 'Ärendet väntar redan på Barnkontakten',
  },
  mottagen: {
    now: 'Ärendet är mottaget av Barnkontakten',
    already: 'Ärendet är redan mottaget av Barnkontakten',
  },
  samtal: {
    now: 'Ärendet är i steget Barnsamtal och uppföljningssamtal',
    already: 'Ärendet är redan i steget Barnsamtal och uppföljningssamtal',
  },
  barnteam: { now: 'Ärendet är lyft till Barnteam', already: 'Ärendet är redan lyft till Barnteam' },
  individuelltBarnteam: {
    now: 'Ärendet har ett Individuellt barnteam',
    already: 'Ärendet har redan ett Individuellt barnteam',
  },
  planAktiv: { now: 'Barnets plan är fastställd', already: 'Barnets plan är redan fastställd' },
  behovUppfyllt: {
    now: 'Barnets behov är uppfyllt',
    already: 'Barnets behov är redan markerat som uppfyllt',
  },
  stodIEgenVerksamhet: {
    now: 'Ärendet får stöd i egen verksamhet',
    already: 'Ärendet får redan stöd i egen verksamhet',
  },
  orosanmalan: {
    now: 'Ärendet har gått vidare som orosanmälan till socialtjänsten',
    already: 'Ärendet har redan gått vidare som orosanmälan till socialtjänsten',
  },
  avbojd: { now: 'Barnkontakten har avböjt ärendet', already: 'Ärendet är redan avböjt' },
  samtyckeAterkallat: {
    now: 'Samtycket är återkallat och ärendet är stoppat',
    already: 'Samtycket är redan återkallat och ärendet är stoppat',
  },
  avslutad: { now: 'Ärendet är avslutat', already: 'Ärendet är redan avslutat' },
};

/** What cannot happen, in words; `again` is used when the event would only repeat itself. */
const eventRefusals: Readonly<Record<CaseEvent, { readonly cannot: string; readonly again?: string }>> = {
  valjStodIEgenVerksamhet: { cannot: 'stöd i egen verksamhet kan inte väljas som väg' },
  gorOrosanmalan: { cannot: 'orosanmälan kan inte väljas som väg' },
  aktiveraBarnkontakt: { cannot: 'Barnkontakten kan inte aktiveras' },
  taEmot: { cannot: 'det kan inte tas emot' },
  skickaVidare: { cannot: 'det kan inte skickas vidare' },
  avboj: { cannot: 'det kan inte avböjas' },
  paborjaSamtal: { cannot: 'barnsamtal kan inte påbörjas' },
  beslutaStodIEgenVerksamhet: { cannot: 'beslut om stöd i egen verksamhet kan inte fattas' },
  beslutaBarnteam: { cannot: 'beslut om att lyfta ärendet till Barnteam kan inte fattas' },
  beslutaOrosanmalan: { cannot: 'beslut om orosanmälan kan inte fattas' },
  beslutaBehovUppfyllt: { cannot: 'beslut om att barnets behov är uppfyllt kan inte fattas' },
  startaIndividuelltBarnteam: { cannot: 'Individuellt barnteam kan inte startas' },
  startaIndividuelltBarnteamSip: {
    cannot: 'Individuellt barnteam kan inte startas direkt av en verksamhet med SIP-skyldighet',
    again: 'Individuellt barnteam kan inte startas igen',
  },
  faststallPlan: { cannot: 'Barnets plan kan inte fastställas' },
  aterupptaSamtal: { cannot: 'nytt uppföljningssamtal kan inte påbörjas' },
  markeraBehovUppfyllt: { cannot: 'barnets behov kan inte markeras som uppfyllt' },
  avsluta: { cannot: 'det kan inte avslutas' },
  aterkallaSamtycke: { cannot: 'samtycket kan inte återkallas' },
};

/** The row for an event. Every event has exactly one row (checked by the tests). */
export function findTransition(event: CaseEvent): TransitionRow {
  const row = transitionTable.find((candidate) => candidate.event === event);
  if (row === undefined) {
    throw new DomainError('transitionRefused', `Händelsen ”${event}” finns inte i stödprocessen.`);
  }
  return row;
}

/** Events the table permits from a state, before any guard is checked. */
export function eventsFromState(state: CaseState): CaseEvent[] {
  return transitionTable.filter((row) => row.from.includes(state)).map((row) => row.event);
}

/**
 * What can be done with the case now: the state permits it and nothing in the case blocks it
 * (a missing consent hides the button; a reason still to be typed does not). Who may do it is
 * `access.ts`'s question.
 */
export function allowedEvents(caseValue: Case): CaseEvent[] {
  return transitionTable
    .filter((row) => row.from.includes(caseValue.state))
    .filter((row) => row.guards.every((id) => checkCaseGuard(id, caseValue)))
    .map((row) => row.event);
}

/** The Swedish reason a state refuses an event, e.g. "Ärendet är redan mottaget …; det kan inte tas emot igen." */
export function describeRefusal(state: CaseState, event: CaseEvent): string {
  const row = findTransition(event);
  const repeats = row.to === state && !row.from.includes(state);
  const sentence = repeats ? stateSentences[state].already : stateSentences[state].now;
  const refusal = eventRefusals[event];
  const cannot = repeats ? (refusal.again ?? `${refusal.cannot} igen`) : refusal.cannot;
  return `${sentence}; ${cannot}. ${describeWhenPossible(row.from)}`;
}

/**
 * Applies an event to a case and returns a NEW case in the new state with one chronology entry.
 * Does not decide who may act: call `assertAllowed` (access.ts) first.
 *
 * @throws DomainError('transitionRefused') when the state does not allow the event or a guard
 *   fails; the message is Swedish and names what is missing.
 */
export function applyTransition(caseValue: Case, command: TransitionCommand): Case {
  const row = findTransition(command.event);
  if (!row.from.includes(caseValue.state)) {
    throw new DomainError('transitionRefused', describeRefusal(caseValue.state, command.event), {
      state: caseValue.state,
      event: command.event,
    });
  }
  for (const id of row.guards) {
    const guard = guards[id];
    const passed = guard.kind === 'case' ? guard.check(caseValue) : guard.check(command);
    if (!passed) {
      throw new DomainError('transitionRefused', guard.reason, {
        state: caseValue.state,
        event: command.event,
        guard: id,
      });
    }
  }
  const note = command.note?.trim();
  const entry: ChronologyEntry = {
    at: command.at,
    by: command.actor,
    event: command.event,
    from: caseValue.state,
    to: row.to,
    ...(note ? { note } : {}),
  };
  return {
    ...caseValue,
    state: row.to,
    consents:
      command.event === 'aterkallaSamtycke' ? withdrawConsents(caseValue, command) : caseValue.consents,
    chronology: [...caseValue.chronology, entry],
    updatedAt: command.at,
  };
}

function withdrawConsents(caseValue: Case, command: TransitionCommand): Case['consents'] {
  const by = command.withdrawnBy;
  // Already refused by the `vemAterkallarAngivet` guard; repeated so the types narrow.
  if (by === undefined || command.actor === 'system') {
    throw new DomainError('transitionRefused', guards.vemAterkallarAngivet.reason, { event: command.event });
  }
  const recordedBy = command.actor;
  return (caseValue.consents ?? []).map((consent) =>
    consent.withdrawal === undefined
      ? { ...consent, withdrawal: { at: command.at, by, recordedBy } }
      : consent,
  );
}

function checkCaseGuard(id: GuardId, caseValue: Case): boolean {
  const guard = guards[id];
  return guard.kind === 'input' || guard.check(caseValue);
}

function wasReceived(caseValue: Case): boolean {
  return caseValue.chronology.some((entry) => entry.event === 'taEmot');
}

function describeWhenPossible(from: readonly CaseState[]): string {
  // A long list reads worse than its complement ("every step except …").
  if (from.length > caseStates.length / 2) {
    const excluded = caseStates.filter((state) => !from.includes(state));
    return `Det går i alla steg utom ${joinSwedish(excluded.map(quoteState))}.`;
  }
  const noun = from.length === 1 ? 'steget' : 'stegen';
  return `Det går bara i ${noun} ${joinSwedish(from.map(quoteState))}.`;
}

function quoteState(state: CaseState): string {
  return `”${stateLabels[state]}”`;
}

function joinSwedish(parts: readonly string[]): string {
  if (parts.length <= 1) {
    return parts.join('');
  }
  return `${parts.slice(0, -1).join(', ')} och ${parts.at(-1)}`;
}

/**
 * The Barnkontakt's notification once it has been acted on, or when an old card is refreshed or
 * clicked: the current state in words and no buttons. A second click or a stale card is thus
 * answered with what has happened ("Ärendet togs emot av Johan Ek den …"), never an error page.
 */
import { z } from 'zod';
import { ZInstant, ZUserId } from '../../flows/kernel/case.js';
import { formatChildName } from '../card-parts.js';
import { type AdaptiveCardJson, renderCardTemplate } from '../render-template.js';
import { formatSwedishDateOfInstant } from '../swedish-format.js';
import template from './barnkontakt-notis-besvarad.json' with { type: 'json' };

/** The notice shown when the card the user clicked was older than the case. */
export const staleCardNotice = 'Kortet var inaktuellt; så här ser ärendet ut nu.';

const ZActor = {
  byName: z.string().min(1).max(200),
  /** Whether the user who sees the card is the one who acted ("Du tog emot …"). */
  byViewer: z.boolean(),
  at: ZInstant,
};

export const ZBesvaradState = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mottaget'), ...ZActor }),
  z.object({
    kind: z.literal('skickatVidare'),
    ...ZActor,
    toUnitName: z.string().min(1).max(200),
    reason: z.string().min(1).max(2000),
  }),
  z.object({ kind: z.literal('avbojt'), ...ZActor, reason: z.string().min(1).max(2000) }),
]);
export type BesvaradState = z.infer<typeof ZBesvaradState>;

export const ZBarnkontaktNotisBesvaradData = z.object({
  caseId: z.string().min(1).max(100),
  reference: z.string().min(1).max(40),
  child: z.object({ givenName: z.string().min(1).max(100), familyName: z.string().max(100).default('') }),
  unitName: z.string().min(1).max(200),
  state: ZBesvaradState,
  /** Set when answering a click on, or a refresh of, a card older than the case. */
  stale: z.boolean().default(false),
  /** Users whose card keeps refreshing; leave out to stop refreshing. */
  refreshUserIds: z.array(ZUserId).min(1).max(60).optional(),
  /**
   * The buttons into the support process (Samtycke, Barnsamtal, Beslut): only for the case's
   * Barnkontakt or acting deputy while the case is active; the caller decides.
   */
  entryActions: z.boolean().default(false),
  /** "Boka Barnteam": only for the unit's convener while the case waits for Barnteam. */
  bookBarnteam: z.boolean().default(false),
});
export type BarnkontaktNotisBesvaradData = z.input<typeof ZBarnkontaktNotisBesvaradData>;

/** The verbs of the buttons that lead on from a received case, each sent with `{ caseId }`. */
export const besvaradEntryVerbs = {
  samtycke: 'samtycke.visa',
  samtal: 'samtal.visa',
  beslut: 'beslut.visa',
  bokaBarnteam: 'barnteam.visa',
  oversikt: 'arende.oversikt',
} as const;

/**
 * Renders the acted-on notification: case, child, unit and what happened; buttons into the
 * support process only when `entryActions`/`bookBarnteam` say so (no `actions` otherwise).
 *
 * @throws CardRenderError when the data does not match `ZBarnkontaktNotisBesvaradData`.
 */
export function renderBarnkontaktNotisBesvarad(data: BarnkontaktNotisBesvaradData): AdaptiveCardJson {
  const card = renderCardTemplate(
    'barnkontakt-notis-besvarad',
    template,
    ZBarnkontaktNotisBesvaradData,
    data,
    (parsed) => {
      const state = parsed.state;
      return {
        caseId: parsed.caseId,
        hasRefresh: parsed.refreshUserIds !== undefined,
        refreshUserIds: parsed.refreshUserIds ?? [],
        notice: parsed.stale ? staleCardNotice : '',
        hasNotice: parsed.stale,
        facts: [
          { label: 'Ärende', value: parsed.reference },
          { label: 'Barn', value: formatChildName(parsed.child) },
          { label: 'Enhet', value: parsed.unitName },
        ],
        stateText: describeState(state),
        stateColour: state.kind === 'mottaget' ? 'good' : state.kind === 'avbojt' ? 'attention' : 'accent',
        reason: state.kind === 'mottaget' ? '' : state.reason,
        hasReason: state.kind !== 'mottaget',
      };
    },
  );
  const actions = buildCaseNavigationActions({
    caseId: data.caseId,
    entryActions: data.entryActions === true,
    bookBarnteam: data.bookBarnteam === true,
  });
  return actions.length === 0 ? card : { ...card, actions };
}

/** Which buttons into the support process a card offers; each sent with `{ caseId }` only. */
export interface CaseNavigation {
  readonly caseId: string;
  /** Samtycke, Barnsamtal, Beslut. */
  readonly entryActions: boolean;
  /** Boka Barnteam. */
  readonly bookBarnteam: boolean;
  /** Barnets plan, when the case has one the viewer may read. */
  readonly plan?: boolean;
  /** Starta Individuellt barnteam under a SIP duty, sent with the case's version. */
  readonly startSipEtag?: string;
  /** Visa ärendet (the overview); by default whenever one of the others is offered. */
  readonly overview?: boolean;
  /** The card the buttons go on, whose own button is left out. */
  readonly omitVerb?: string;
}

/**
 * The buttons that lead on from a received case. They send no inputs (`associatedInputs: none`),
 * so a half-filled form on the same card neither blocks them nor travels with them.
 */
export function buildCaseNavigationActions(navigation: CaseNavigation): Record<string, unknown>[] {
  const button = (title: string, verb: string): Record<string, unknown> => ({
    type: 'Action.Execute',
    title,
    verb,
    data: { caseId: navigation.caseId },
    associatedInputs: 'none',
  });
  const buttons = [
    ...(navigation.entryActions
      ? [
          button('Samtycke', besvaradEntryVerbs.samtycke),
          button('Barnsamtal', besvaradEntryVerbs.samtal),
          button('Beslut', besvaradEntryVerbs.beslut),
        ]
      : []),
    ...(navigation.bookBarnteam ? [button('Boka Barnteam', besvaradEntryVerbs.bokaBarnteam)] : []),
    ...(navigation.plan ? [button('Barnets plan', 'plan.visa')] : []),
    ...(navigation.startSipEtag === undefined
      ? []
      : [
          {
            ...button('Starta Individuellt barnteam', 'ib.startaSip'),
            data: { caseId: navigation.caseId, etag: navigation.startSipEtag },
          },
        ]),
    ...((navigation.overview ?? (navigation.entryActions || navigation.bookBarnteam))
      ? [button('Visa ärendet', besvaradEntryVerbs.oversikt)]
      : []),
  ];
  return buttons.filter((candidate) => candidate.verb !== navigation.omitVerb);
}

/** "Du tog emot ärendet den 26 november 2026." and its variants. */
export function describeState(state: BesvaradState): string {
  const on = formatSwedishDateOfInstant(state.at);
  switch (state.kind) {
    case 'mottaget':
      return state.byViewer
        ? `Du tog emot ärendet den ${on}.`
        : `Ärendet togs emot av ${state.byName} den ${on}.`;
    case 'skickatVidare':
      return state.byViewer
        ? `Du skickade ärendet vidare till ${state.toUnitName} den ${on}.`
        : `Skickat vidare till ${state.toUnitName} av ${state.byName} den ${on}.`;
    case 'avbojt':
      return state.byViewer ? `Du avböjde ärendet den ${on}.` : `Avböjt av ${state.byName} den ${on}.`;
  }
}

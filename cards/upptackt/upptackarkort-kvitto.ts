/**
 * The Upptäckare's receipt: what replaces the Upptäckarkort after a valid submit, and what the
 * card refreshes to (`kvitto.visa`) as the case moves on. The evaluation asks for exactly this:
 * an Upptäckare, internal or external, always hears back.
 *
 * The receipt lives in the Upptäckare's personal chat, so it names the child by first name and
 * family initial ("Ella A."): enough for the Upptäckare, who typed the name, to tell two cards
 * apart, and no more. Birth date and identity number are never on it.
 */
import { z } from 'zod';
import { ZCalendarDate, ZInstant, ZUserId } from '../../flows/kernel/case.js';
import { discoveryPathLabels, formatChildShortName, ZDiscoveryPath } from '../card-parts.js';
import { type AdaptiveCardJson, renderCardTemplate } from '../render-template.js';
import { formatSwedishDate, formatSwedishDateOfInstant } from '../swedish-format.js';
import { buildCaseNavigationActions } from './barnkontakt-notis-besvarad.js';
import template from './upptackarkort-kvitto.json' with { type: 'json' };

export const kvittoRefreshVerb = 'kvitto.visa';

const ZContactPerson = z.object({
  displayName: z.string().min(1).max(200),
  /** Title as the directory writes it ("Rektor"). */
  title: z.string().min(1).max(100).optional(),
  unitName: z.string().min(1).max(200),
});

/** Where the case stands, as the Upptäckare is told. */
export const ZKvittoStatus = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('vantarPaBarnkontakt') }),
  z.object({ kind: z.literal('mottaget'), byName: z.string().min(1).max(200), at: ZInstant }),
  z.object({
    kind: z.literal('skickatVidare'),
    to: ZContactPerson,
    reason: z.string().min(1).max(2000),
    at: ZInstant,
  }),
  z.object({ kind: z.literal('avbojt'), reason: z.string().min(1).max(2000), at: ZInstant }),
  z.object({ kind: z.literal('orosanmalanSkickad'), at: ZInstant.optional() }),
  z.object({ kind: z.literal('stodRegistrerat') }),
  /** The child already had an open case with a Barnkontakt and the card was added to it. */
  z.object({ kind: z.literal('tillagtIPagaendeArende') }),
]);
export type KvittoStatus = z.infer<typeof ZKvittoStatus>;

/**
 * Whether the notification reached the contact: on its way (the receipt right after the submit),
 * delivered, waiting for the app to be installed for them, or given up (the fallback was told).
 */
export const kvittoDeliveries = ['paVag', 'levererat', 'vantarPaInstallation', 'kundeInteLevereras'] as const;
export type KvittoDelivery = (typeof kvittoDeliveries)[number];

export const ZUpptackarkortKvittoData = z
  .object({
    caseId: z.string().min(1).max(100),
    reference: z.string().min(1).max(40),
    /** The only user the card refreshes for. */
    upptackareId: ZUserId,
    child: z.object({ givenName: z.string().min(1).max(100), familyName: z.string().max(100).default('') }),
    path: ZDiscoveryPath,
    filedAt: ZInstant,
    /** The Barnkontakt the card was routed to (path aktiveraBarnkontakt). */
    barnkontakt: ZContactPerson.optional(),
    /** The card went to the municipality's fallback contact, who is not the child's Barnkontakt. */
    viaFallback: z.boolean().default(false),
    delivery: z.enum(kvittoDeliveries).default('paVag'),
    /** The routing's Swedish explanation (`RoutingOutcome.reason`). */
    routingReason: z.string().min(1).max(2000).optional(),
    /** The intake that received the orosanmälan (path orosanmalan). */
    socialServicesName: z.string().min(1).max(200).default('Socialtjänstens mottagning'),
    /** When the Upptäckare is reminded (path stodIEgenVerksamhet). */
    followUpDate: ZCalendarDate.optional(),
    status: ZKvittoStatus,
    /** A line from the bot, e.g. that the Barnkontakt has been reminded. */
    notice: z.string().min(1).max(500).optional(),
  })
  .superRefine((value, context) => {
    if (value.path === 'aktiveraBarnkontakt' && value.barnkontakt === undefined) {
      context.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['barnkontakt'],
        message: 'saknas för aktiveraBarnkontakt',
      });
    }
    if (value.path === 'stodIEgenVerksamhet' && value.followUpDate === undefined) {
      context.addIssue({ code: z.ZodIssueCode.custom, path: ['followUpDate'], message: 'saknas för stöd' });
    }
  });
export type UpptackarkortKvittoData = z.input<typeof ZUpptackarkortKvittoData>;

type ParsedKvitto = z.output<typeof ZUpptackarkortKvittoData>;

/**
 * Renders the receipt with the case reference, the chosen path, what happens next and the status.
 *
 * @throws CardRenderError when the data does not match `ZUpptackarkortKvittoData`.
 */
export function renderUpptackarkortKvitto(data: UpptackarkortKvittoData): AdaptiveCardJson {
  const card = renderCardTemplate(
    'upptackarkort-kvitto',
    template,
    ZUpptackarkortKvittoData,
    data,
    (parsed) => {
      const status = describeStatus(parsed);
      return {
        caseId: parsed.caseId,
        upptackareId: parsed.upptackareId,
        facts: [
          { label: 'Ärende', value: parsed.reference },
          {
            label: 'Barn',
            value: formatChildShortName(parsed.child),
          },
          { label: 'Väg', value: discoveryPathLabels[parsed.path] },
          { label: 'Skickat', value: formatSwedishDateOfInstant(parsed.filedAt) },
        ],
        status: status.text,
        statusColour: status.colour,
        statusReason: status.reason ?? '',
        hasStatusReason: status.reason !== undefined,
        nextStep: describeNextStep(parsed),
        routingReason: parsed.routingReason ?? '',
        hasRoutingReason: parsed.path === 'aktiveraBarnkontakt' && parsed.routingReason !== undefined,
        notice: parsed.notice ?? '',
        hasNotice: parsed.notice !== undefined,
      };
    },
  );
  // The card's history as the Upptäckare may see it (the case overview).
  return {
    ...card,
    actions: buildCaseNavigationActions({
      caseId: data.caseId,
      entryActions: false,
      bookBarnteam: false,
      overview: true,
    }),
  };
}

/** "Maria Lind (Rektor, Björkskolan)". */
export function describeContactPerson(person: z.infer<typeof ZContactPerson>): string {
  const where = [person.title, person.unitName].filter((part) => part !== undefined).join(', ');
  return `${person.displayName} (${where})`;
}

function describeNextStep(parsed: ParsedKvitto): string {
  switch (parsed.path) {
    case 'aktiveraBarnkontakt':
      return describeBarnkontaktStep(parsed);
    case 'orosanmalan':
      return `Orosanmälan är skickad till ${parsed.socialServicesName} med kortet bifogat.`;
    case 'stodIEgenVerksamhet':
      return parsed.followUpDate
        ? `Stöd i egen verksamhet registrerat; du påminns den ${formatSwedishDate(parsed.followUpDate)}.`
        : 'Stöd i egen verksamhet registrerat.';
  }
}

// After the Barnkontakt has answered, "has received the card, you will hear" would be stale.
function describeBarnkontaktStep(parsed: ParsedKvitto): string {
  switch (parsed.status.kind) {
    case 'mottaget':
      return 'Barnkontakten har tagit emot ärendet och tar det vidare med barnet och vårdnadshavarna. Du kan bli kontaktad för ett samtal.';
    case 'skickatVidare':
      return 'Kortet har skickats vidare till den Barnkontakt som bedömts ska ta ställning. Du får besked här när den har svarat.';
    case 'avbojt':
      return 'Barnkontakten har avböjt kortet. Fundera på om stöd i egen verksamhet eller en orosanmälan behövs.';
    case 'tillagtIPagaendeArende':
      return parsed.barnkontakt === undefined
        ? 'Barnet har redan ett pågående ärende hos en Barnkontakt. Ditt kort har lagts till i det.'
        : `Barnet har redan ett pågående ärende. Ditt kort har lagts till i det och går till Barnkontakten ${describeContactPerson(parsed.barnkontakt)}, som kan höra av sig till dig.`;
    default:
      return parsed.barnkontakt === undefined
        ? 'Kortet är registrerat.'
        : describeDelivery(parsed, parsed.barnkontakt);
  }
}

function describeDelivery(parsed: ParsedKvitto, contact: z.infer<typeof ZContactPerson>): string {
  const who = `${parsed.viaFallback ? 'kommunens reservkontakt' : 'Barnkontakten'} ${describeContactPerson(contact)}`;
  switch (parsed.delivery) {
    case 'paVag':
      return `Kortet är på väg till ${who}. Du får besked här när kortet har besvarats.`;
    case 'levererat':
      return `${capitalise(who)} har fått kortet. Du får besked här när kortet har besvarats.`;
    case 'vantarPaInstallation':
      return `Kortet har inte kommit fram till ${who} ännu, eftersom hen inte har appen Backa barnet i Teams. Det levereras så snart appen är installerad, och kommunens reservkontakt har fått besked.`;
    case 'kundeInteLevereras':
      return `Kortet kunde inte levereras till ${who}. Kommunens reservkontakt har fått besked och ser till att kortet når fram.`;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

interface StatusText {
  text: string;
  colour: 'default' | 'good' | 'attention' | 'warning' | 'accent';
  reason?: string;
}

function describeStatus(parsed: ParsedKvitto): StatusText {
  const status = parsed.status;
  switch (status.kind) {
    case 'vantarPaBarnkontakt':
      return { text: 'Väntar på Barnkontakt', colour: 'warning' };
    case 'mottaget':
      return {
        text: `Mottaget av ${status.byName} den ${formatSwedishDateOfInstant(status.at)}`,
        colour: 'good',
      };
    case 'skickatVidare':
      return {
        text: `Skickat vidare till ${describeContactPerson(status.to)} den ${formatSwedishDateOfInstant(status.at)}`,
        colour: 'accent',
        reason: status.reason,
      };
    case 'avbojt':
      return {
        text: `Avböjt den ${formatSwedishDateOfInstant(status.at)}`,
        colour: 'attention',
        reason: status.reason,
      };
    case 'orosanmalanSkickad':
      return {
        text: status.at
          ? `Orosanmälan skickad den ${formatSwedishDateOfInstant(status.at)}`
          : 'Orosanmälan skickad',
        colour: 'good',
      };
    case 'tillagtIPagaendeArende':
      return { text: 'Tillagt i ett pågående ärende', colour: 'good' };
    case 'stodRegistrerat':
      return {
        text: parsed.followUpDate
          ? `Stöd i egen verksamhet, uppföljning den ${formatSwedishDate(parsed.followUpDate)}`
          : 'Stöd i egen verksamhet',
        colour: 'good',
      };
  }
}

/**
 * The Barnteam invitation: what goes into every attendee's inbox, in the municipality or in
 * another organisation (the police, the region). An invitation is copied, forwarded and kept in
 * mailboxes the product does not control, so it carries the unit, the time, the standard
 * dagordning and the children only as initials and case reference (docs/security.md 8). For a
 * member outside Teams it is all they get from the product, so it also says how to take part. The staff know which child "T.E. (BB-4K7Q-2M9C)" is; a stray reader does not.
 */
import type { Case } from '../kernel/case.js';
import type { BarnteamMeeting } from '../kernel/ports.js';
import { toStockholmDate } from '../kernel/working-time.js';

export type AgendaItem = BarnteamMeeting['agenda'][number];

/** The agenda item of a case: initials and reference, never the name itself. */
export function buildAgendaItem(caseValue: Case): AgendaItem {
  return {
    caseId: caseValue.id,
    reference: caseValue.reference,
    initials: toInitials(caseValue.child.givenName, caseValue.child.familyName),
  };
}

/**
 * "Testbarn Exempel" → "T.E.", "Anna-Karin Lund" → "A.L.". At most two given-name initials
 * and one family-name initial (six characters with the dots), so that a long name cannot be
 * spelled out letter by letter.
 */
export function toInitials(givenName: string, familyName: string): string {
  const firstLetters = (name: string) =>
    name
      .split(/\s+/)
      .map((part) => part.trim())
      .filter((part) => part.length > 0)
      .map((part) => (part.match(/\p{L}/u)?.[0] ?? '').toUpperCase())
      .filter((letter) => letter !== '');
  const letters = [...firstLetters(givenName).slice(0, 2), ...firstLetters(familyName).slice(0, 1)];
  return letters.length === 0 ? '–' : letters.map((letter) => `${letter}.`).join('');
}

/** The subject: unit and date, nothing about the children. */
export function buildInvitationSubject(unitName: string, start: string): string {
  return `Barnteam ${unitName} ${toStockholmDate(start)}`;
}

export interface InvitationBodyInput {
  readonly unitName: string;
  readonly dagordning: readonly string[];
  readonly agenda: readonly AgendaItem[];
}

/**
 * The body as HTML: the standard dagordning, then the children on the agenda as
 * "<initials> (<reference>)". Items taken off the agenda are left out. Every text is escaped:
 * the dagordning comes from the directory file and must not become markup in a mailbox.
 */
export function buildInvitationBody(input: InvitationBodyInput): string {
  const items = input.agenda.filter((item) => item.removedAt === undefined);
  const dagordning = input.dagordning.map((line) => `<li>${escapeHtml(line)}</li>`).join('');
  const children =
    items.length === 0
      ? '<p>Inga barn är anmälda till mötet.</p>'
      : `<ul>${items.map((item) => `<li>${escapeHtml(formatAgendaLine(item))}</li>`).join('')}</ul>`;
  return [
    `<p>Barnteam ${escapeHtml(input.unitName)}</p>`,
    `<p><strong>Dagordning</strong></p><ol>${dagordning}</ol>`,
    '<p><strong>Barn på dagordningen</strong></p>',
    children,
    '<p>Fyll i Skattningsformuläret för varje barn före mötet; påminnelsen i Teams har en knapp för det.</p>',
    // Members outside Teams get only this invitation: it says what they are expected to bring,
    // and nothing more about the children than the lines above.
    '<p>Har du inte Backa barnet i Teams? Ta med din skattning till mötet, så registrerar den som sammankallar den åt dig. Kalendern påminner dig före mötet.</p>',
  ].join('');
}

/** "T.E. (BB-4K7Q-2M9C)". */
export function formatAgendaLine(item: Pick<AgendaItem, 'initials' | 'reference'>): string {
  return `${item.initials} (${item.reference})`;
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

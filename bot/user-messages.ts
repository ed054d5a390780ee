/**
 * What a user is told when something goes wrong: one Swedish message per domain error code,
 * in this one file. Where the domain's own message is specific and safe (it never carries a
 * name or identity number, see flows/kernel/errors.ts) it is shown; where detail could reveal
 * something (whether a case exists, why access was refused) the fixed message is all there is.
 */
import { type DomainErrorCode, isDomainError } from '../flows/kernel/errors.js';

const messages: Readonly<Record<DomainErrorCode, string>> = {
  transitionRefused: 'Det går inte att göra så i ärendets nuvarande läge.',
  accessDenied: 'Du har inte behörighet till det här ärendet.',
  invalidIdentityNumber: 'Personnumret är inte giltigt. Kontrollera siffrorna och försök igen.',
  invalidInput: 'Några uppgifter saknas eller är felaktiga. Kontrollera formuläret och försök igen.',
  notFound: 'Ärendet eller uppgiften finns inte (längre).',
  alreadyExists: 'Det här är redan gjort.',
  concurrencyConflict: 'Någon annan hann ändra ärendet. Här är det senaste läget.',
  routingImpossible:
    'Det gick inte att hitta någon Barnkontakt för barnet. Kontakta samordnaren på socialtjänstens mottagning.',
  storageUnavailable: 'Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.',
};

/** Codes whose domain message adds what the user needs to fix their input or understand the state. */
const showDomainMessage: ReadonlySet<DomainErrorCode> = new Set([
  'transitionRefused',
  'invalidIdentityNumber',
  'invalidInput',
  'concurrencyConflict',
  'routingImpossible',
]);

export const unexpectedErrorMessage =
  'Något gick fel hos Backa barnet. Försök igen om en stund, och kontakta IT-supporten om det fortsätter.';

/** The Swedish text to show the user for `error`; never an internal message or stack. */
export function describeErrorForUser(error: unknown): string {
  if (!isDomainError(error)) return unexpectedErrorMessage;
  const domainMessage = error.message.trim();
  return showDomainMessage.has(error.code) && domainMessage !== '' ? domainMessage : messages[error.code];
}

/** The channel's answer to "ny upptäckt": the card went to the personal chat, nothing else here. */
export const sentToPersonalChat = 'Jag har skickat Upptäckarkortet till dig i vår personliga chatt.';

/** The channel's answer when the personal chat could not be opened (the app is not installed for the user). */
export const personalChatUnreachable =
  'Jag kunde inte öppna vår personliga chatt. Öppna **Backa barnet** under **Appar** i Teams, ' +
  'starta en chatt med mig och skriv **ny upptäckt** där. Skriv aldrig ett barns namn i en kanal eller gruppchatt.';

/** On the Upptäckarkort when the card could not be saved: the values stay, the user tries again. */
export const tryAgainSoon =
  'Kortet kunde inte sparas just nu. Dina uppgifter finns kvar. Försök igen om en stund.';

/** An action on a card that names no case this bot can read (damaged or foreign card data). */
export const cardNotRecognised =
  'Kortet kunde inte kännas igen. Skriv ”ny upptäckt” för att öppna ett nytt Upptäckarkort.';

/** An action whose acting user is not a Teams user of the organisation. */
export const actorMissing = 'Jag kan inte se vem du är. Öppna kortet i Teams och försök igen.';

/** The fixed Swedish message of an error code, when there is no error object to describe. */
export function describeErrorCode(code: DomainErrorCode): string {
  return messages[code];
}

/** The heading of a card that answers a refused action; the card carries no case data. */
export const refusedHeading = 'Åtgärden nekades';

/** On a form card after it was saved. */
export const savedNotice = 'Sparat.';

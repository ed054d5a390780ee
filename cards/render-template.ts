/**
 * Expands an Adaptive Card template with typed data, and refuses to hand back a card that
 * still holds a `${…}` binding: adaptivecards-templating leaves a binding it cannot resolve in
 * place without a word, and Teams would then show the raw expression to the user.
 *
 * Text typed by users travels inside the data. The templating engine does not expand bindings
 * found in data values, but a literal `${` in a child's name would look exactly like a binding
 * that was left unresolved. So every `${` in the data is swapped for a private-use marker before
 * expansion and swapped back afterwards: the check stays strict and the user's text comes out
 * as typed.
 */
import * as ACData from 'adaptivecards-templating';
import type { z } from 'zod';

/** A rendered card, ready for `CardFactory.adaptiveCard` or an invoke response. */
export type AdaptiveCardJson = {
  type: 'AdaptiveCard';
  version: string;
  [property: string]: unknown;
};

/** A card that could not be rendered: a bug in the caller's data or in the template. */
export class CardRenderError extends Error {
  override readonly name = 'CardRenderError';
}

// U+E000 is in the Private Use Area: no keyboard produces it, so it cannot collide with typed text.
const bindingMarker = '\uE000';
const bindingOpener = '${';

/**
 * Validates `data` with the card's schema and expands the template with it.
 *
 * @throws CardRenderError when the data does not match the schema (the message names the fields,
 * never their values, which may be a child's name) or when a binding is left unexpanded.
 */
export function renderCardTemplate<Schema extends z.ZodTypeAny>(
  cardName: string,
  template: object,
  schema: Schema,
  data: z.input<Schema>,
  toTemplateData: (parsed: z.output<Schema>) => object,
): AdaptiveCardJson {
  return expandCardTemplate(cardName, template, toTemplateData(parseCardData(cardName, schema, data)));
}

/**
 * Validates a card's data.
 *
 * @throws CardRenderError naming the fields that are wrong and never their values: zod quotes a
 * received enum value in its message, and that value may be a child's name.
 */
export function parseCardData<Schema extends z.ZodTypeAny>(
  cardName: string,
  schema: Schema,
  data: z.input<Schema>,
): z.output<Schema> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(data)'}: ${issue.code}`);
    throw new CardRenderError(`Kortet ${cardName} fick ogiltiga data: ${fields.join('; ')}`);
  }
  return parsed.data;
}

// Parsing a template's bindings is most of a render's cost (the Upptäckarkort: ~4 of ~6 ms, see
// `npm run bench`); a prepared Template is reusable and `expand` leaves it unchanged.
const preparedTemplates = new WeakMap<object, ACData.Template>();

function prepareTemplate(template: object): ACData.Template {
  let prepared = preparedTemplates.get(template);
  if (prepared === undefined) {
    prepared = new ACData.Template(template);
    preparedTemplates.set(template, prepared);
  }
  return prepared;
}

/**
 * Expands a template with data that is already checked.
 *
 * @throws CardRenderError when a binding is left unexpanded or the result is not a card.
 */
export function expandCardTemplate(cardName: string, template: object, data: object): AdaptiveCardJson {
  const expanded: unknown = prepareTemplate(template).expand({ $root: mapStrings(data, hideBindings) });
  const leftovers = findUnexpandedBindings(expanded);
  if (leftovers.length > 0) {
    throw new CardRenderError(
      `Kortet ${cardName} har bindningar som inte fylldes i: ${leftovers.join(', ')}`,
    );
  }
  const card = dropNullProperties(mapStrings(expanded, revealBindings));
  if (!isAdaptiveCard(card)) {
    throw new CardRenderError(`Mallen för ${cardName} gav inget Adaptive Card.`);
  }
  return card;
}

/** JSON paths of strings (and keys) that still hold `${`, e.g. `body[2].text`. */
export function findUnexpandedBindings(value: unknown, path = ''): string[] {
  if (typeof value === 'string') {
    return value.includes(bindingOpener) ? [path || '(rot)'] : [];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => findUnexpandedBindings(item, `${path}[${index}]`));
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => {
      const itemPath = path ? `${path}.${key}` : key;
      const inKey = key.includes(bindingOpener) || key === '$data' || key === '$when' ? [itemPath] : [];
      return [...inKey, ...findUnexpandedBindings(item, itemPath)];
    });
  }
  return [];
}

function hideBindings(text: string): string {
  // A marker typed by someone (pasted from elsewhere) must not turn into `${` on the way out.
  return text.replaceAll(bindingMarker, '\uFFFD').replaceAll(bindingOpener, `${bindingMarker}{`);
}

function revealBindings(text: string): string {
  return text.replaceAll(`${bindingMarker}{`, bindingOpener);
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') {
    return map(value);
  }
  if (Array.isArray(value)) {
    return value.map((item) => mapStrings(item, map));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]));
  }
  return value;
}

// `$when` on an object-valued property (such as `refresh`) leaves the property as null; no
// Adaptive Card property takes null, so it is dropped rather than sent to the client.
function dropNullProperties(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(dropNullProperties);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, item]) => item !== null)
        .map(([key, item]) => [key, dropNullProperties(item)]),
    );
  }
  return value;
}

function isAdaptiveCard(value: unknown): value is AdaptiveCardJson {
  return (
    value !== null &&
    typeof value === 'object' &&
    (value as { type?: unknown }).type === 'AdaptiveCard' &&
    typeof (value as { version?: unknown }).version === 'string'
  );
}

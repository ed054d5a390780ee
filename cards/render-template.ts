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
  const finished = finishExpanded(expanded);
  if (finished.leftover) {
    // Only on failure: the walk that names the paths.
    throw new CardRenderError(
      `Kortet ${cardName} har bindningar som inte fylldes i: ${findUnexpandedBindings(expanded).join(', ')}`,
    );
  }
  const card = finished.value;
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

/**
 * One walk over the expanded card instead of three (check, reveal, drop nulls): whether any
 * string or key still holds a binding (`findUnexpandedBindings` says where), and a copy with the
 * user's `${` revealed again and null properties dropped. `$when` on an object-valued property
 * (such as `refresh`) leaves the property as null; no Adaptive Card property takes null, so it
 * is dropped rather than sent to the client.
 */
function finishExpanded(expanded: unknown): { value: unknown; leftover: boolean } {
  let leftover = false;
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (value.includes(bindingOpener)) leftover = true;
      return value.includes(bindingMarker) ? revealBindings(value) : value;
    }
    if (Array.isArray(value)) {
      const copy = new Array<unknown>(value.length);
      for (let index = 0; index < value.length; index += 1) copy[index] = visit(value[index]);
      return copy;
    }
    if (value !== null && typeof value === 'object') {
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        if (key.includes(bindingOpener) || key === '$data' || key === '$when') leftover = true;
        const item = (value as Record<string, unknown>)[key];
        if (item === null) continue;
        const finished = visit(item);
        // A key named `__proto__` stays a key, as with Object.fromEntries.
        if (key === '__proto__') {
          Object.defineProperty(copy, key, {
            value: finished,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else {
          copy[key] = finished;
        }
      }
      return copy;
    }
    return value;
  };
  const value = visit(expanded);
  return { value, leftover };
}

function isAdaptiveCard(value: unknown): value is AdaptiveCardJson {
  return (
    value !== null &&
    typeof value === 'object' &&
    (value as { type?: unknown }).type === 'AdaptiveCard' &&
    typeof (value as { version?: unknown }).version === 'string'
  );
}

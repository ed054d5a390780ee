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
import { isDeepStrictEqual } from 'node:util';
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
 * A template whose bindings are all plain paths (`${reporter.role}`, `${!hasAreas}`) is
 * expanded once per shape of its data and then filled in: the template engine was most of a
 * render's cost (the Barnkontakt's notification: ~150 of ~250 µs), for cards that differ
 * between cases mostly in their texts. The shape is everything in the data but the text of its
 * non-empty strings: the keys, array lengths, booleans, numbers, empty strings and nulls.
 * Under such bindings the engine does nothing with a non-empty string but copy it into the
 * card, so the card for the shape, expanded with a unique stand-in for each string, turns into
 * the card for the data by putting each string where its stand-in is. The result is the card
 * the engine gives (every test run compares the two for every card it renders), with the same
 * guarantees: the check for unexpanded bindings runs on each shape's card, and typed text is
 * put in after expansion, so it can never expand. The parts without any text from the data are
 * shared between renders and frozen.
 *
 * @throws CardRenderError when a binding is left unexpanded or the result is not a card.
 */
export function expandCardTemplate(cardName: string, template: object, data: object): AdaptiveCardJson {
  const shapes = findShapeCache(template);
  const shape = shapes === undefined ? undefined : readShape(data);
  if (shapes === undefined || shape === undefined) return expandInFull(cardName, template, data);
  let prepared = shapes.get(shape.key);
  if (prepared === undefined) {
    prepared = prepareShape(expandInFull(cardName, template, toStandIns(data)));
    if (shapes.size >= maxShapesPerTemplate) shapes.clear();
    shapes.set(shape.key, prepared);
  }
  const texts = shape.texts.map(keepTypedTextLiteral);
  const card = fillShape(prepared.card, texts, prepared.withText) as AdaptiveCardJson;
  if (comparingWithFullExpansion && !isDeepStrictEqual(card, expandInFull(cardName, template, data))) {
    throw new CardRenderError(`Kortet ${cardName} blev ett annat ur formen än ur full expansion.`);
  }
  return card;
}

/** The template engine's own expansion, checked; what `expandCardTemplate` gives in every case. */
export function expandInFull(cardName: string, template: object, data: object): AdaptiveCardJson {
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

let comparingWithFullExpansion = false;

/**
 * For the tests (tests/setup-card-shapes.ts turns it on for every test run): each card filled
 * in from a shape is also expanded in full, and a difference throws CardRenderError.
 */
export function compareCardShapesWithFullExpansion(enabled: boolean): void {
  comparingWithFullExpansion = enabled;
}

// A card has a few dozen shapes in practice (which areas are marked, how many units to
// forward to); the bound only keeps an unusual stream of data from growing the cache.
const maxShapesPerTemplate = 500;

// Stand-ins for the data's strings: Private Use Area characters, which no template holds
// (a template that does is expanded in full).
const standInOpen = '\uE001';
const standInClose = '\uE002';
const standInPattern = /\uE001(\d+)\uE002/g;
const simplePath = /^!?[$A-Za-z_][$\w]*(?:\.[$A-Za-z_][$\w]*)*$/;

interface PreparedShape {
  /** The card for the shape, with stand-ins where the data's texts go; frozen. */
  readonly card: unknown;
  /** The objects and arrays of `card` that hold a stand-in somewhere inside. */
  readonly withText: WeakSet<object>;
}

const shapeCaches = new WeakMap<object, Map<string, PreparedShape> | null>();

/** The shapes of a template whose bindings allow it, or `undefined` when it must be expanded in full. */
function findShapeCache(template: object): Map<string, PreparedShape> | undefined {
  let shapes = shapeCaches.get(template);
  if (shapes === undefined) {
    shapes = hasOnlySimpleBindings(template) ? new Map() : null;
    shapeCaches.set(template, shapes);
  }
  return shapes ?? undefined;
}

function hasOnlySimpleBindings(value: unknown): boolean {
  if (typeof value === 'string') {
    if (value.includes(standInOpen) || value.includes(standInClose) || value.includes(bindingMarker)) {
      return false;
    }
    const bindings = [...value.matchAll(/\$\{([^}]*)\}/g)].map((match) => match[1] ?? '');
    // An opener without a closing brace is left to the full expansion and its check.
    const openers = value.split(bindingOpener).length - 1;
    return openers === bindings.length && bindings.every((binding) => simplePath.test(binding));
  }
  if (Array.isArray(value)) return value.every(hasOnlySimpleBindings);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).every(
      ([key, item]) => !key.includes(bindingOpener) && hasOnlySimpleBindings(item),
    );
  }
  return true;
}

/** The data's shape as a key, and its non-empty strings in the order `toStandIns` numbers them. */
function readShape(data: unknown): { readonly key: string; readonly texts: string[] } | undefined {
  const texts: string[] = [];
  const parts: string[] = [];
  const visit = (value: unknown): boolean => {
    if (typeof value === 'string') {
      if (value === '') {
        parts.push('""');
      } else {
        texts.push(value);
        parts.push('s');
      }
      return true;
    }
    if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
      parts.push(JSON.stringify(value));
      return true;
    }
    if (value === undefined) {
      parts.push('u');
      return true;
    }
    if (Array.isArray(value)) {
      parts.push('[');
      for (const item of value) {
        if (!visit(item)) return false;
        parts.push(',');
      }
      parts.push(']');
      return true;
    }
    if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      parts.push('{');
      for (const key of Object.keys(value)) {
        parts.push(JSON.stringify(key), ':');
        if (!visit((value as Record<string, unknown>)[key])) return false;
        parts.push(',');
      }
      parts.push('}');
      return true;
    }
    // A Date, a class instance, a function: the engine may read more than its text.
    return false;
  };
  return visit(data) ? { key: parts.join(''), texts } : undefined;
}

/** The data with its n-th non-empty string (in `readShape`'s order) replaced by stand-in n. */
function toStandIns(data: object): object {
  let next = 0;
  const replace = (value: unknown): unknown => {
    if (typeof value === 'string') return value === '' ? value : `${standInOpen}${next++}${standInClose}`;
    if (Array.isArray(value)) return value.map(replace);
    if (value !== null && typeof value === 'object') {
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        defineProperty(copy, key, replace((value as Record<string, unknown>)[key]));
      }
      return copy;
    }
    return value;
  };
  return replace(data) as object;
}

function prepareShape(card: AdaptiveCardJson): PreparedShape {
  const withText = new WeakSet<object>();
  const mark = (value: unknown): boolean => {
    if (typeof value === 'string') return value.includes(standInOpen);
    if (value === null || typeof value !== 'object') return false;
    let found = false;
    for (const item of Object.values(value)) found = mark(item) || found;
    if (found) withText.add(value);
    return found;
  };
  mark(card);
  deepFreeze(card);
  return { card, withText };
}

function fillShape(value: unknown, texts: readonly string[], withText: WeakSet<object>): unknown {
  if (typeof value === 'string') {
    return value.includes(standInOpen)
      ? value.replace(standInPattern, (_, index: string) => texts[Number(index)] ?? '')
      : value;
  }
  if (value === null || typeof value !== 'object' || !withText.has(value)) return value;
  if (Array.isArray(value)) return value.map((item) => fillShape(item, texts, withText));
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    defineProperty(result, key, fillShape((value as Record<string, unknown>)[key], texts, withText));
  }
  return result;
}

/**
 * A typed string as the full expansion leaves it: its `${` is kept (it was hidden from the
 * engine and shown again), and a marker pasted in turns into U+FFFD, as `hideBindings` does.
 */
function keepTypedTextLiteral(text: string): string {
  return text.includes(bindingMarker) ? text.replaceAll(bindingMarker, '\uFFFD') : text;
}

/**
 * A rendered card in which one string is filled in per use, for a card that is the same every
 * time but for one value (the blank Upptäckarkort and its draft id): the card is expanded and
 * checked once, and each use copies only the few objects on the way to that string. The rest
 * is shared between uses and frozen, so a caller that tried to change it would fail loudly
 * instead of changing every later card.
 *
 * @returns `undefined` when `placeholder` is not exactly one whole string of the card.
 * @throws CardRenderError (from the returned function) for a value that holds `${`.
 */
export function prepareCardSlot(
  card: AdaptiveCardJson,
  placeholder: string,
): ((value: string) => AdaptiveCardJson) | undefined {
  const paths = findStringPaths(card, placeholder);
  const [path] = paths;
  if (path === undefined || paths.length !== 1 || JSON.stringify(card).split(placeholder).length !== 2) {
    return undefined;
  }
  deepFreeze(card);
  return (value) => {
    if (value.includes(bindingOpener)) {
      throw new CardRenderError('Värdet som skulle fyllas i kortet innehåller en bindning.');
    }
    return replaceAtPath(card, path, value) as AdaptiveCardJson;
  };
}

function findStringPaths(
  value: unknown,
  wanted: string,
  path: readonly (string | number)[] = [],
): (string | number)[][] {
  if (value === wanted) return [[...path]];
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => findStringPaths(item, wanted, [...path, index]));
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => findStringPaths(item, wanted, [...path, key]));
  }
  return [];
}

function replaceAtPath(value: unknown, path: readonly (string | number)[], replacement: string): unknown {
  const [step, ...rest] = path;
  if (step === undefined) return replacement;
  if (Array.isArray(value)) {
    const copy = value.slice();
    copy[step as number] = replaceAtPath(value[step as number], rest, replacement);
    return copy;
  }
  const record = value as Record<string, unknown>;
  const copy = { ...record };
  defineProperty(copy, String(step), replaceAtPath(record[step], rest, replacement));
  return copy;
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const item of Object.values(value)) deepFreeze(item);
}

function defineProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  // A key named `__proto__` would set the prototype by assignment; define it as data instead.
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
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

/**
 * Checks a rendered card the way a Teams client would read it. There is no offline copy of the
 * Adaptive Card JSON schema here, so the card is parsed with Microsoft's own object model (the
 * `adaptivecards` package Teams' renderer is built on): unknown element types and invalid
 * property values show up as parse events, broken structure as validation failures. On top of
 * that come the rules this project sets for its cards.
 *
 * The `lib/` ESM build of `adaptivecards` does not load in Node, so the bundled `dist/` build is
 * required; its API is the one `lib/` declares.
 */
import { createRequire } from 'node:module';
import { findUnexpandedBindings } from '../../cards/render-template.js';

type AdaptiveCardsModule = typeof import('adaptivecards');
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsModule;

export interface CardValidationOptions {
  /** Verbs an `Action.Execute` (refresh included) may carry. */
  allowedVerbs: readonly string[];
  /** Strings a user typed that contain `${` and must come out literally, so are no leftover binding. */
  literalUserTexts?: readonly string[];
}

interface FoundInput {
  id: string | undefined;
  type: string;
  element: Record<string, unknown>;
}

/** Every problem found, in words; an empty list means the card is valid. */
export function findCardProblems(card: unknown, options: CardValidationOptions): string[] {
  const problems: string[] = [];
  if (!isObject(card) || card.type !== 'AdaptiveCard') {
    return ['not an AdaptiveCard'];
  }
  if (card.version !== '1.5') {
    problems.push(`version is ${String(card.version)}, expected 1.5`);
  }
  const literal = new Set(options.literalUserTexts ?? []);
  for (const path of findUnexpandedBindings(card)) {
    if (!literal.has(String(readPath(card, path)))) {
      problems.push(`unexpanded binding at ${path}`);
    }
  }

  const objectModel = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  objectModel.parse(card, context);
  for (let index = 0; index < context.eventCount; index += 1) {
    const event = context.getEventAt(index);
    problems.push(`object model (parse): ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }
  for (const event of objectModel.validateProperties().validationEvents) {
    problems.push(`object model (validate): ${AC.ValidationEvent[event.event]}: ${event.message}`);
  }

  const inputs: FoundInput[] = [];
  const executes: Record<string, unknown>[] = [];
  collect(card, inputs, executes);

  for (const input of inputs) {
    if (!input.id) {
      problems.push(`${input.type} without id`);
      continue;
    }
    if (input.element.isRequired === true && (!input.element.label || !input.element.errorMessage)) {
      problems.push(`required input ${input.id} needs label and errorMessage`);
    }
  }
  problems.push(...findDuplicateInputIds(inputs));

  for (const action of executes) {
    if (typeof action.verb !== 'string' || !options.allowedVerbs.includes(action.verb)) {
      problems.push(`Action.Execute with verb ${String(action.verb)} is not allowed`);
    }
  }
  return problems;
}

/** All Input.* elements of a card, ShowCards included, in document order. */
export function listInputs(card: unknown): Record<string, unknown>[] {
  const inputs: FoundInput[] = [];
  collect(card, inputs, []);
  return inputs.map((input) => input.element);
}

/** All Action.Execute objects of a card: actions, ShowCard actions, select actions and refresh. */
export function listExecuteActions(card: unknown): Record<string, unknown>[] {
  const executes: Record<string, unknown>[] = [];
  collect(card, [], executes);
  return executes;
}

function findDuplicateInputIds(inputs: readonly FoundInput[]): string[] {
  const counts = new Map<string, number>();
  for (const input of inputs) {
    if (input.id) counts.set(input.id, (counts.get(input.id) ?? 0) + 1);
  }
  return [...counts]
    .filter(([, count]) => count > 1)
    .map(([id, count]) => `input id ${id} is used ${count} times`);
}

function collect(value: unknown, inputs: FoundInput[], executes: Record<string, unknown>[], path = ''): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      collect(item, inputs, executes, `${path}[${index}]`);
    });
    return;
  }
  if (!isObject(value)) {
    return;
  }
  const type = typeof value.type === 'string' ? value.type : '';
  if (type.startsWith('Input.')) {
    inputs.push({ id: typeof value.id === 'string' ? value.id : undefined, type, element: value });
  }
  if (type === 'Action.Execute') {
    executes.push(value);
  }
  for (const [key, item] of Object.entries(value)) {
    collect(item, inputs, executes, `${path}.${key}`);
  }
}

// Reads a value back by a path as `findUnexpandedBindings` writes it, e.g. `body[2].inlines[0].text`.
function readPath(root: unknown, path: string): unknown {
  const steps = path.match(/[^.[\]]+/g) ?? [];
  return steps.reduce<unknown>(
    (value, step) =>
      isObject(value) || Array.isArray(value) ? (value as Record<string, unknown>)[step] : undefined,
    root,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The visible text of a card in document order: TextBlocks, TextRuns and fact values. */
export function listTexts(card: unknown): string[] {
  if (Array.isArray(card)) {
    return card.flatMap(listTexts);
  }
  if (!isObject(card)) {
    return [];
  }
  const own =
    (card.type === 'TextBlock' || card.type === 'TextRun') && typeof card.text === 'string'
      ? [card.text]
      : [];
  return [...own, ...Object.values(card).flatMap(listTexts)];
}

/** The visible text of a card joined into one string, for `toContain` assertions. */
export function readCardText(card: unknown): string {
  return listTexts(card).join('\n');
}

/** The element that follows the input with `id` in the same items list, if any. */
export function findElementAfterInput(card: unknown, id: string): Record<string, unknown> | undefined {
  if (Array.isArray(card)) {
    const index = card.findIndex((item) => isObject(item) && item.id === id);
    if (index >= 0) {
      const next: unknown = card[index + 1];
      return isObject(next) ? next : undefined;
    }
    for (const item of card) {
      const found = findElementAfterInput(item, id);
      if (found) {
        return found;
      }
    }
    return undefined;
  }
  if (!isObject(card)) {
    return undefined;
  }
  for (const item of Object.values(card)) {
    const found = findElementAfterInput(item, id);
    if (found) {
      return found;
    }
  }
  return undefined;
}

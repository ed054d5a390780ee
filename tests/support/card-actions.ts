/**
 * Reading the Adaptive Cards the bot sends or answers with, as Teams would: the cards of an
 * activity, the buttons (with the data a press sends back) and the choices of an input.
 */

/** An `Action.Execute` of a card: what pressing it sends to the bot. */
export interface CardAction {
  readonly verb: string;
  readonly data: Record<string, unknown>;
}

/** The Adaptive Card attachments of an activity the bot sent. */
export function readCards(body: Record<string, unknown>): Record<string, unknown>[] {
  const attachments = Array.isArray(body.attachments) ? (body.attachments as Record<string, unknown>[]) : [];
  return attachments
    .filter((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive')
    .map((attachment) => attachment.content as Record<string, unknown>);
}

/** Every Adaptive Card action in a card, of any type, nested ones (Action.ShowCard) included. */
export function collectActions(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(collectActions);
  if (node === null || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  const own = typeof record.type === 'string' && record.type.startsWith('Action.') ? [record] : [];
  return [...own, ...Object.values(record).flatMap(collectActions)];
}

/** Every `Action.Execute` of a card, at any depth, in card order. */
export function listActions(card: unknown): CardAction[] {
  return collectActions(card)
    .filter((action) => action.type === 'Action.Execute' && typeof action.verb === 'string')
    .map((action) => ({
      verb: String(action.verb),
      data: (action.data ?? {}) as Record<string, unknown>,
    }));
}

/** The first `Action.Execute` with `verb`; fails the test when the card has none. */
export function findAction(card: unknown, verb: string): CardAction {
  const action = listActions(card).find((item) => item.verb === verb);
  if (action === undefined) throw new Error(`Kortet saknar ${verb}`);
  return action;
}

/** The values of the choices of the `Input.ChoiceSet` with this id, in card order. */
export function listChoices(card: unknown, inputId: string): string[] {
  const found: string[] = [];
  const visit = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach(visit);
    const record = node as Record<string, unknown>;
    if (record.type === 'Input.ChoiceSet' && record.id === inputId && Array.isArray(record.choices)) {
      for (const choice of record.choices as { value?: unknown }[]) found.push(String(choice.value));
    }
    Object.values(record).forEach(visit);
  };
  visit(card);
  return found;
}

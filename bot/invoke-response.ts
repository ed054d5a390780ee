/**
 * Answers to `Action.Execute` invokes. The answer is the invoke response itself (HTTP 200 with
 * the card), set here before teams-ai's router sees the handler's result: for a card with a
 * `refresh` section teams-ai would otherwise also PUT the card to the Bot Connector inside the
 * invoke, one more outbound call against Teams' ~5 s budget (docs/security.md 11). The invoke
 * response alone replaces the card for the user who clicked; the card's refresh shows the rest.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { AdaptiveCardJson } from '../cards/render-template.js';

/** The content type Teams expects for a card in an Action.Execute answer. */
export const adaptiveCardResponseType = 'application/vnd.microsoft.card.adaptive';

/** Sets `card` as the answer to the current Action.Execute invoke. */
export async function answerInvokeWithCard(context: TurnContext, card: AdaptiveCardJson): Promise<void> {
  await context.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: { status: 200, body: { statusCode: 200, type: adaptiveCardResponseType, value: card } },
  });
}

/**
 * A card with a short Swedish message and nothing else: the answer to a refused action or an
 * error. It carries no case data, whatever the case was.
 */
export function renderMessageCard(
  text: string,
  options: { readonly heading?: string } = {},
): AdaptiveCardJson {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: options.heading ?? 'Backa barnet', weight: 'Bolder', wrap: true },
      { type: 'TextBlock', text, wrap: true },
    ],
  };
}

/**
 * Routes an `Action.Execute` verb to `handle` and answers the invoke with the card it returns.
 * `handle` must catch what it can explain to the user; anything it throws reaches the adapter's
 * turn-error handler, and Teams shows its own error.
 */
export function onActionExecute<TState extends TurnState>(
  app: Application<TState>,
  verbs: string | string[],
  handle: (context: TurnContext, data: Record<string, unknown>) => Promise<AdaptiveCardJson>,
): void {
  const known = routedVerbs.get(app) ?? new Set<string>();
  for (const verb of Array.isArray(verbs) ? verbs : [verbs]) known.add(verb);
  routedVerbs.set(app, known);
  app.adaptiveCards.actionExecute<Record<string, unknown>>(verbs, async (context, _state, data) => {
    const card = await handle(context, isRecord(data) ? data : {});
    await answerInvokeWithCard(context, card);
    // Ignored: the invoke response is already set, so teams-ai neither answers nor PUTs the card.
    return answeredAlready;
  });
}

const answeredAlready = '';

// The verbs each application routes, so that an invoke with any other verb can be refused as a
// bad request before it reaches the router.
const routedVerbs = new WeakMap<object, Set<string>>();

/** The `Action.Execute` verbs registered on `app` through `onActionExecute`. */
export function listRoutedVerbs(app: object): ReadonlySet<string> {
  return routedVerbs.get(app) ?? new Set();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

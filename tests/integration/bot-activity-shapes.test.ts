/**
 * The shapes of activity the bot cannot act on, through the real endpoint and adapter: each is
 * a bad request, answered 400 with exactly one warn line that carries ids, the field and a fixed
 * word for the problem (never what the caller sent), before any store is touched and before a
 * turn starts, so no error line and no reply. Checked after authentication: a caller without a
 * token gets 401 whatever it sent. Well-formed activities of every kind the bot handles still work.
 */
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../infra/config.js';
import { buildActionExecute, buildTeamsMessage, nextActivityId, people } from '../support/bot-activities.js';
import { closeNetworkExceptLoopback, type RunningBot, startBotWith } from '../support/bot-harness.js';
import { createInMemoryStores, type InMemoryStores } from '../support/in-memory-stores.js';
import { useTeamsBot } from '../support/teams-bot.js';

// What a user might type about a child: it must never reach the log, whatever else is wrong.
const childText = 'Lisa Testsson 20160101-2383 är rädd för att gå hem';

type Activity = Record<string, unknown>;

function without(activity: Activity, key: string): Activity {
  const { [key]: _dropped, ...rest } = activity;
  return rest;
}

const invoke = (): Activity =>
  buildActionExecute(
    'arende.visa',
    { caseId: 'finns-inte', observation: childText },
    { person: people.alex },
  );
const message = (): Activity => buildTeamsMessage(childText, { person: people.alex });
const executeWith = (action: Record<string, unknown>): Activity => ({
  ...invoke(),
  value: { action: { type: 'Action.Execute', verb: 'arende.visa', data: { note: childText }, ...action } },
});
const withFrom = (activity: Activity, from: Record<string, unknown>): Activity => ({
  ...activity,
  from: { ...(activity.from as Record<string, unknown>), ...from },
});
const withConversation = (activity: Activity, conversation: Record<string, unknown>): Activity => ({
  ...activity,
  conversation: { ...(activity.conversation as Record<string, unknown>), ...conversation },
});

interface Shape {
  readonly name: string;
  readonly build: () => Activity;
  /** The field the warn line names. */
  readonly field: string;
  readonly problem: string;
}

const malformedShapes: readonly Shape[] = [
  // Card actions
  {
    name: 'an invoke whose value is not an object',
    build: () => ({ ...invoke(), value: childText }),
    field: 'value',
    problem: 'wrongType',
  },
  {
    name: 'an invoke whose value has no action',
    build: () => ({ ...invoke(), value: { trigger: 'manual', data: { note: childText } } }),
    field: 'value.action',
    problem: 'missing',
  },
  {
    name: 'an action that is not an Action.Execute',
    build: () => executeWith({ type: 'Action.Submit' }),
    field: 'value.action.type',
    problem: 'unknownValue',
  },
  {
    name: 'an Action.Execute without a verb',
    build: () => executeWith({ verb: undefined }),
    field: 'value.action.verb',
    problem: 'missing',
  },
  {
    name: 'an Action.Execute with an unknown verb',
    build: () => executeWith({ verb: 'arende.raderaAllt' }),
    field: 'value.action.verb',
    problem: 'unknownVerb',
  },
  {
    name: 'an Action.Execute whose data is not an object',
    build: () => executeWith({ data: [childText] }),
    field: 'value.action.data',
    problem: 'wrongType',
  },
  {
    name: 'an Action.Execute with a trigger Teams does not send',
    build: () => ({ ...executeWith({}), value: { ...(executeWith({}).value as object), trigger: 'script' } }),
    field: 'value.trigger',
    problem: 'unknownValue',
  },
  {
    name: 'an invoke the bot has no handler for',
    build: () => ({ ...invoke(), name: 'task/fetch' }),
    field: 'name',
    problem: 'unknownValue',
  },
  {
    name: 'an invoke without a name',
    build: () => without(invoke(), 'name'),
    field: 'name',
    problem: 'missing',
  },
  // Who and where
  {
    name: 'an activity without from',
    build: () => without(invoke(), 'from'),
    field: 'from',
    problem: 'missing',
  },
  {
    name: 'an activity whose from has no id',
    build: () => ({ ...invoke(), from: { name: 'Alex Andersson', aadObjectId: people.alex.aadObjectId } }),
    field: 'from.id',
    problem: 'missing',
  },
  {
    name: 'an activity whose from.name is not a string',
    build: () => withFrom(message(), { name: 42 }),
    field: 'from.name',
    problem: 'wrongType',
  },
  {
    name: 'an activity whose from.aadObjectId is not a string',
    build: () => withFrom(invoke(), { aadObjectId: 7 }),
    field: 'from.aadObjectId',
    problem: 'wrongType',
  },
  {
    name: 'an activity without conversation',
    build: () => without(invoke(), 'conversation'),
    field: 'conversation',
    problem: 'missing',
  },
  {
    name: 'an activity whose conversation has no id',
    build: () => ({ ...invoke(), conversation: { conversationType: 'personal' } }),
    field: 'conversation.id',
    problem: 'missing',
  },
  {
    name: 'an activity whose conversationType is not a string',
    build: () => withConversation(message(), { conversationType: 5 }),
    field: 'conversation.conversationType',
    problem: 'wrongType',
  },
  {
    name: 'an activity without recipient',
    build: () => without(invoke(), 'recipient'),
    field: 'recipient',
    problem: 'missing',
  },
  {
    name: 'an activity whose locale is not a string',
    build: () => ({ ...message(), locale: 1053 }),
    field: 'locale',
    problem: 'wrongType',
  },
  {
    name: 'an activity whose timestamp is not a date',
    build: () => ({ ...message(), timestamp: childText }),
    field: 'timestamp',
    problem: 'notADate',
  },
  {
    name: 'an activity whose channelData.tenant is not an object',
    build: () => ({ ...message(), channelData: { tenant: childText } }),
    field: 'channelData.tenant',
    problem: 'wrongType',
  },
  {
    name: 'an activity of a type Teams does not send',
    build: () => ({ ...message(), type: 'skript' }),
    field: 'type',
    problem: 'unknownValue',
  },
  // Messages
  {
    name: 'a message whose text is not a string',
    build: () => ({ ...message(), text: { value: childText } }),
    field: 'text',
    problem: 'wrongType',
  },
  {
    name: 'a message without an id',
    build: () => without(message(), 'id'),
    field: 'id',
    problem: 'missing',
  },
  {
    name: 'a message whose entities are not a list',
    build: () => ({ ...message(), entities: childText }),
    field: 'entities',
    problem: 'wrongType',
  },
  {
    name: 'a message whose entity is not an object',
    build: () => ({ ...message(), entities: [null] }),
    field: 'entities.0',
    problem: 'wrongType',
  },
  {
    name: 'a message with a mention that names nobody',
    build: () => ({ ...message(), entities: [{ type: 'mention', text: '<at>Backa barnet</at>' }] }),
    field: 'entities.0.mentioned',
    problem: 'missing',
  },
  {
    name: 'a message whose card submit value is not an object',
    build: () => ({ ...message(), value: childText }),
    field: 'value',
    problem: 'wrongType',
  },
  // Membership
  {
    name: 'a conversationUpdate whose membersAdded is not a list',
    build: () => ({ ...without(message(), 'text'), type: 'conversationUpdate', membersAdded: childText }),
    field: 'membersAdded',
    problem: 'wrongType',
  },
  // The envelope, checked before authentication because authentication reads it
  {
    name: 'an activity without a type',
    build: () => without(message(), 'type'),
    field: 'type',
    problem: 'missing',
  },
  {
    name: 'an activity without a channelId',
    build: () => without(message(), 'channelId'),
    field: 'channelId',
    problem: 'missing',
  },
];

interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

function readNewLines(bot: Pick<RunningBot<InMemoryStores>, 'logLines'>, from: number): LogLine[] {
  return bot.logLines.slice(from).map((line) => JSON.parse(line) as LogLine);
}

function expectOneWarnLineOnly(lines: readonly LogLine[], expected: Record<string, unknown>): void {
  expect(lines.filter((line) => line.level === 'error' || line.level === 'fatal')).toEqual([]);
  expect(lines.map((line) => line.level)).toEqual(['warn']);
  expect(lines[0]).toMatchObject(expected);
  const logged = JSON.stringify(lines);
  expect(logged).not.toContain('Lisa');
  expect(logged).not.toContain('20160101');
  expect(logged).not.toContain('rädd');
}

describe('an activity the bot cannot act on (production mode, with a valid channel token)', () => {
  const teams = useTeamsBot({ greet: [] });

  for (const shape of malformedShapes) {
    it(`${shape.name}: 400, one warn line naming ${shape.field}, nothing read or sent`, async () => {
      const activity = shape.build();
      const lines = teams.bot.logLines.length;
      const calls = teams.stores.calls.length;
      const connector = teams.connector.length;

      const response = await teams.send(activity);

      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: 'Ogiltig begäran.' });
      const { id } = activity;
      expectOneWarnLineOnly(readNewLines(teams.bot, lines), {
        msg: 'Aktiviteten har fel form och besvaras med 400',
        field: shape.field,
        problem: shape.problem,
        ...(typeof id === 'string' ? { activityId: id } : {}),
      });
      expect(teams.stores.calls.slice(calls)).toEqual([]);
      expect(teams.connector.length).toBe(connector);
    });
  }

  it('a body that is not JSON: 400 and one warn line', async () => {
    const lines = teams.bot.logLines.length;
    const response = await teams.bot.post(`{"type":"message","text":"${childText}`);
    expect(response.status).toBe(400);
    expectOneWarnLineOnly(readNewLines(teams.bot, lines), {
      msg: 'Begäran nekades av HTTP-lagret',
      status: 400,
      reason: 'entity.parse.failed',
    });
  });

  it('without a token a malformed invoke is 401, not 400: its shape is not judged', async () => {
    const lines = teams.bot.logLines.length;
    const response = await teams.bot.post(executeWith({ verb: 'arende.raderaAllt' }));
    expect(response.status).toBe(401);
    expectOneWarnLineOnly(readNewLines(teams.bot, lines), { reason: 'authentication' });
    expect(teams.stores.calls).toEqual([]);
  });

  it('a tenant id that is not a string names no tenant: 403 with one warn line, no error', async () => {
    const activity = { ...withConversation(invoke(), { tenantId: 42 }), channelData: {} };
    const lines = teams.bot.logLines.length;
    const response = await teams.send(activity);
    expect(response.status).toBe(403);
    expectOneWarnLineOnly(readNewLines(teams.bot, lines), { reason: 'tenant' });
    expect(teams.stores.calls).toEqual([]);
  });

  it('well-formed activities of every kind the bot handles are still answered', async () => {
    const card = await teams.invoke(people.alex, 'arende.visa', { caseId: 'finns-inte' });
    expect(card).toMatchObject({ type: 'AdaptiveCard' });

    const refresh = await teams.send({
      ...buildActionExecute('kvitto.visa', { caseId: 'finns-inte' }, { person: people.alex }),
      value: {
        action: { type: 'Action.Execute', verb: 'kvitto.visa', data: { caseId: 'finns-inte' } },
        trigger: 'automatic',
      },
    });
    expect(refresh.status).toBe(200);

    const help = await teams.say(people.alex, 'hjälp');
    expect(help.status).toBe(200);
    const channelHelp = await teams.say(people.alex, 'hjälp', { where: 'channel' });
    expect(channelHelp.status).toBe(200);

    const installed = await teams.send({
      ...without(buildTeamsMessage('', { person: people.alex }), 'text'),
      type: 'conversationUpdate',
      membersAdded: [{ id: '28:backa-barnet' }],
    });
    expect(installed.status).toBe(200);
    const reaction = await teams.send({
      ...without(buildTeamsMessage('', { person: people.alex }), 'text'),
      type: 'messageReaction',
      reactionsAdded: [{ type: 'like' }],
    });
    expect(reaction.status).toBe(200);

    const levels = teams.bot.logLines.map((line) => (JSON.parse(line) as LogLine).level);
    expect(levels.filter((level) => level === 'warn' || level === 'error')).toEqual([]);
    expect(teams.connector.some((request) => String(request.body.text).includes('Så här använder du'))).toBe(
      true,
    );
  });
});

describe('an activity the bot cannot act on (local mode, no authentication)', () => {
  const localConfig: Config = loadConfig({ BOT_MODE: 'local' });
  // No Bot Connector at all: anything the bot tried to send would be refused and show.
  beforeAll(() => closeNetworkExceptLoopback());
  afterAll(() => nock.enableNetConnect());
  const start = () => startBotWith(localConfig, { stores: createInMemoryStores() });

  it.each([
    ['an invoke whose value is not an object', () => ({ ...invoke(), value: childText })],
    ['an Action.Execute with an unknown verb', () => executeWith({ verb: 'arende.raderaAllt' })],
    ['an invoke the bot has no handler for', () => ({ ...invoke(), name: 'composeExtension/query' })],
    ['an activity without from', () => without(invoke(), 'from')],
    ['an activity without conversation', () => without(invoke(), 'conversation')],
    ['a message whose text is not a string', () => ({ ...message(), text: 42 })],
  ])('%s: 400, one warn line, nothing read', async (_name, build) => {
    const bot = await start();
    try {
      const response = await bot.post(build());
      expect(response.status).toBe(400);
      expectOneWarnLineOnly(readNewLines(bot, warmLines(bot)), { problem: expect.any(String) });
      expect(bot.stores.calls).toEqual([]);
    } finally {
      await bot.stop();
    }
  });

  it('a well-formed invoke is still answered with a card', async () => {
    const bot = await start();
    try {
      const response = await bot.post({ ...invoke(), id: nextActivityId() });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ statusCode: 200, value: { type: 'AdaptiveCard' } });
    } finally {
      await bot.stop();
    }
  });
});

// The lines a local bot writes when it starts (the loud local-mode warning among them).
function warmLines(bot: Pick<RunningBot<InMemoryStores>, 'logLines'>): number {
  return bot.logLines.findIndex((line) => line.includes('Backa barnet lyssnar')) + 1;
}

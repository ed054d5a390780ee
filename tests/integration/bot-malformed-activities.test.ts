/**
 * Activities the bot cannot act on because their shape is wrong: a bad request, not a server
 * error. Teams never sends these; a caller that does (a buggy integration, someone probing with a
 * valid token) gets 400 and one warn line with ids only, and no case state is read.
 */
import { describe, expect, it } from 'vitest';
import { buildActionExecute, people } from '../support/bot-activities.js';
import { useTeamsBot } from '../support/teams-bot.js';

const teams = useTeamsBot({ greet: [] });

function withoutKey(activity: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = activity;
  return rest;
}

const valid = () => buildActionExecute('arende.visa', { caseId: 'finns-inte' }, { person: people.alex });

const malformed: ReadonlyArray<readonly [string, () => Record<string, unknown>]> = [
  ['an invoke whose value is not an object', () => ({ ...valid(), value: 'taEmot' })],
  ['an invoke whose value has no action', () => ({ ...valid(), value: { trigger: 'manual' } })],
  [
    'an Action.Execute with an unknown verb',
    () => buildActionExecute('arende.raderaAllt', { caseId: 'x' }, { person: people.alex }),
  ],
  [
    'an Action.Execute whose data is not an object',
    () => ({ ...valid(), value: { action: { type: 'Action.Execute', verb: 'arende.visa', data: 'x' } } }),
  ],
  ['an activity without from', () => withoutKey(valid(), 'from')],
  ['an activity whose from has no id', () => ({ ...valid(), from: { name: 'Alex' } })],
  ['an activity without conversation', () => withoutKey(valid(), 'conversation')],
  [
    'an activity whose conversation has no id',
    () => ({ ...valid(), conversation: { conversationType: 'personal' } }),
  ],
  ['an activity without recipient', () => withoutKey(valid(), 'recipient')],
  [
    'a message whose text is not a string',
    () => ({ ...withoutKey(valid(), 'value'), type: 'message', name: undefined, text: 42 }),
  ],
];

describe('a malformed activity', () => {
  for (const [name, build] of malformed) {
    it(`${name}: 400, one warn line with ids only, no error line, nothing read`, async () => {
      const before = teams.bot.logLines.length;
      const readsBefore = teams.stores.snapshot().cases.length;

      const response = await teams.send(build());

      expect(response.status).toBe(400);
      const lines = teams.bot.logLines
        .slice(before)
        .map((line) => JSON.parse(line) as { level: string; msg: string });
      expect(lines.filter((line) => line.level === 'error' || line.level === 'fatal')).toEqual([]);
      expect(lines.filter((line) => line.level === 'warn')).toHaveLength(1);
      expect(teams.stores.snapshot().cases.length).toBe(readsBefore);
    });
  }

  it('does not stop a well-formed invoke from being answered', async () => {
    const response = await teams.send(valid());
    expect(response.status).toBe(200);
  });
});

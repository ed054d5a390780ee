/**
 * The bot saves a person's or a channel's conversation reference when it first hears from them
 * and when it changes, not on every turn: the memory of what it saved (bounded, see
 * tests/unit/bot/saved-conversations.test.ts) sits between the turn and the store.
 */
import { describe, expect, it } from 'vitest';
import { buildTeamsMessage, people } from '../support/bot-activities.js';
import { useTeamsBot } from '../support/teams-bot.js';

const teams = useTeamsBot({ greet: [] });

const saves = () => teams.stores.calls.filter((call) => call === 'conversations.save').length;

describe('saving conversation references', () => {
  it('saves a chat once however often its person writes, and again when it changes', async () => {
    await teams.say(people.alex, 'hjälp');
    await teams.say(people.alex, 'hjälp');
    await teams.say(people.alex, 'ny upptäckt');
    expect(saves()).toBe(1);

    await teams.say(people.maria, 'hjälp');
    expect(saves()).toBe(2);

    const moved = buildTeamsMessage('hjälp', { person: people.alex });
    await teams.send({
      ...moved,
      conversation: { ...(moved.conversation as object), id: 'a:ny-personlig-chatt' },
    });
    expect(saves()).toBe(3);
    expect(await teams.stores.conversations.get(people.alex.aadObjectId)).toMatchObject({
      conversationId: 'a:ny-personlig-chatt',
    });
  });
});

/**
 * "hjälp" and unknown text through the real adapter and HTTP endpoint in local mode (as the
 * playground talks to the bot), with the Bot Connector replaced by a nock'd loopback address.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../bot/create-bot.js';
import { loadConfig } from '../../infra/config.js';
import { loadDirectoryFile } from '../../infra/directory-file.js';
import { createLogger } from '../../infra/logger.js';
import { createRecordingStores } from '../support/bot-fake-stores.js';
import {
  alexUserId,
  buildMessage,
  closeNetworkExceptLoopback,
  otherTenantId,
  type RunningBot,
  startBot,
} from '../support/bot-harness.js';

const playgroundServiceUrl = 'http://localhost:56150/';
const helpSentence = 'Så här använder du Backa barnet i Teams';
const channelId = '19:barnteam-bjorkskolan@thread.tacv2';

const localConfig = loadConfig({ BOT_MODE: 'local' });

interface Reply {
  readonly path: string;
  readonly body: { text?: string; type?: string; replyToId?: string };
}

/** Collects every reply the bot sends to the (fake) playground connector. */
function captureReplies(): Reply[] {
  const replies: Reply[] = [];
  let path = '';
  // Recorded from the matchers: the path matcher runs first, the body matcher only on a match.
  nock('http://localhost:56150')
    .persist()
    .post(
      (requestPath) => {
        path = decodeURIComponent(requestPath);
        return /^\/v3\/conversations\/.+\/activities/.test(path);
      },
      (body) => {
        replies.push({ path, body: body as Reply['body'] });
        return true;
      },
    )
    .reply(200, { id: 'reply-1' });
  return replies;
}

let bot: RunningBot;
let replies: Reply[];

beforeAll(() => closeNetworkExceptLoopback());

beforeEach(async () => {
  replies = captureReplies();
  bot = await startBot(localConfig);
});

afterEach(async () => {
  await bot.stop();
  nock.cleanAll();
});

afterAll(() => nock.enableNetConnect());

async function say(text: string, options: Parameters<typeof buildMessage>[0] = {}): Promise<Reply[]> {
  const response = await bot.post(buildMessage({ serviceUrl: playgroundServiceUrl, text, ...options }));
  expect(response.status).toBe(200);
  return replies;
}

describe('hjälp', () => {
  it.each(['hjälp', 'HJÄLP', 'Hjalp', 'help', '?', '  hjälp!  '])(
    '"%s" answers with the Swedish help text',
    async (text) => {
      const [reply] = await say(text);
      expect(replies).toHaveLength(1);
      expect(reply?.path).toMatch(/^\/v3\/conversations\/a:personal-alex\/activities/);
      expect(reply?.body.text).toContain(helpSentence);
      expect(reply?.body.text).toContain('upptäcka barn som behöver stöd tidigt');
      expect(reply?.body.text).toContain('ett barn, en plan');
      expect(reply?.body.text).toContain('ny upptäckt');
      expect(reply?.body.text).toContain('Skriv aldrig ett barns namn eller personnummer i en kanal');
    },
  );

  it('answers when @mentioned in a channel, and replies in that thread', async () => {
    const conversationId = `${channelId};messageid=1700000000000`;
    const [reply] = await say('<at>Backa barnet</at> hjälp', {
      conversationType: 'channel',
      conversationId,
      entities: [
        {
          type: 'mention',
          text: '<at>Backa barnet</at>',
          mentioned: { id: '28:backa-barnet', name: 'Backa barnet' },
        },
      ],
    });
    expect(reply?.path).toContain(`/v3/conversations/${conversationId}/activities`);
    expect(reply?.body.text).toContain(helpSentence);
  });

  it('remembers where the person and the channel can be reached later', async () => {
    await say('hjälp');
    await say('hjälp', { conversationType: 'channel', conversationId: `${channelId};messageid=42` });

    expect(bot.stores.savedConversations.get(alexUserId)).toMatchObject({
      conversationId: 'a:personal-alex',
      serviceUrl: playgroundServiceUrl,
    });
    const channel = bot.stores.savedConversations.get(`conversation:${channelId}`);
    expect(channel).toMatchObject({ conversationId: channelId });
    // Names are not kept, and a channel reference points at the channel, not at the writer.
    expect(JSON.stringify(channel?.reference)).not.toContain('Alex Andersson');
    expect(channel?.reference).not.toHaveProperty('user');
  });
});

describe('unknown text', () => {
  it('gets a short Swedish answer that points to "hjälp", never silence', async () => {
    const [reply] = await say('vad är klockan');
    expect(replies).toHaveLength(1);
    expect(reply?.body.text).toContain('hjälp');
    expect(reply?.body.text).not.toContain(helpSentence);
  });

  it('reminds a channel writer not to post a personnummer, and logs neither the text nor the number', async () => {
    const [reply] = await say('Lisa Testsson 20150312-1234 behöver hjälp', {
      conversationType: 'channel',
      conversationId: channelId,
    });
    expect(reply?.body.text).toContain('Skriv aldrig ett barns namn eller personnummer');
    const logs = bot.logLines.join('\n');
    expect(logs).toContain('Aktivitet mottagen');
    expect(logs).not.toContain('Lisa');
    expect(logs).not.toContain('20150312');
  });
});

describe('local mode', () => {
  it('still refuses a tenant outside the allow-list (the sample tenant only)', async () => {
    const response = await bot.post(
      buildMessage({ serviceUrl: playgroundServiceUrl, tenantId: otherTenantId }),
    );
    expect(response.status).toBe(403);
    expect(replies).toEqual([]);
    expect(bot.stores.calls).toEqual([]);
  });

  it('still refuses a serviceUrl that is neither loopback nor the Bot Connector', async () => {
    const response = await bot.post(buildMessage({ serviceUrl: 'https://evil.example.com/' }));
    expect(response.status).toBe(403);
    expect(bot.unmatchedRequests).toEqual([]);
  });

  it('refuses to listen on an address other than loopback', async () => {
    const exposed = createBot({
      config: { ...localConfig, host: '0.0.0.0', port: 0 },
      stores: createRecordingStores(),
      directory: loadDirectoryFile('config/directory.sample.yaml'),
      logger: createLogger({ level: 'silent' }),
    });
    await expect((await exposed).listen()).rejects.toThrow(/loopback/);
  });
});

describe('the HTTP surface', () => {
  it('answers the health probe with its status only', async () => {
    const response = await fetch(`${bot.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('refuses a body that is too large, malformed or not an activity, without internals', async () => {
    const tooLarge = await bot.post({ ...buildMessage(), text: 'x'.repeat(300 * 1024) });
    const malformed = await bot.post('{"type": ');
    const notActivity = await bot.post({ hello: 'world' });
    expect([tooLarge.status, malformed.status, notActivity.status]).toEqual([413, 400, 400]);
    for (const body of [await tooLarge.text(), await malformed.text(), await notActivity.text()]) {
      expect(body).not.toMatch(/at \w+ \(|SyntaxError|node_modules/);
    }
    expect(bot.stores.calls).toEqual([]);
  });

  it('answers unknown paths with 404', async () => {
    const response = await fetch(`${bot.url}/api/other`);
    expect(response.status).toBe(404);
  });
});

describe('installing the app', () => {
  it('the bot says who it is and how to start, once, when it is added to a personal chat; another member or a team gets nothing', async () => {
    const added = (memberId: string) => {
      const { text: _none, ...activity } = buildMessage({ serviceUrl: playgroundServiceUrl });
      return { ...activity, type: 'conversationUpdate', membersAdded: [{ id: memberId }] };
    };

    expect((await bot.post(added('28:backa-barnet'))).status).toBe(200);
    expect((await bot.post(added('29:en-kollega'))).status).toBe(200);
    // Installed in a team: no post in its channel.
    const { text: _noText, ...inChannel } = buildMessage({
      serviceUrl: playgroundServiceUrl,
      conversationType: 'channel',
      conversationId: channelId,
    });
    expect(
      (
        await bot.post({
          ...inChannel,
          type: 'conversationUpdate',
          membersAdded: [{ id: '28:backa-barnet' }],
        })
      ).status,
    ).toBe(200);

    expect(replies).toHaveLength(1);
    expect(replies[0]?.body.text).toContain('Välkommen till Backa barnet');
    expect(replies[0]?.body.text).toContain('ny upptäckt');
    expect(replies[0]?.body.text).toContain('hjälp');
  });
});

describe('starting in local mode', () => {
  it('warns that sign-in is off once, not again as a log line', async () => {
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    let second: RunningBot | undefined;
    try {
      second = await startBot(localConfig);
    } finally {
      process.stderr.write = original;
    }
    const everything = [...written, ...(second?.logLines ?? [])].join('\n');
    await second?.stop();

    expect(everything.match(/LOKALT LÄGE/g)).toHaveLength(1);
    expect(second?.logLines.some((line) => line.includes('"mode":"local"'))).toBe(true);
  });
});

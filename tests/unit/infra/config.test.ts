import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, sampleTenantId, summarizeConfig } from '../../../infra/config.js';

const appId = '11111111-2222-4333-8444-555555555555';
const tenantId = sampleTenantId;
const production = {
  BOT_MODE: 'production',
  MicrosoftAppId: appId,
  MicrosoftAppPassword: 'hemligt-lösenord',
  MicrosoftAppTenantId: tenantId,
  MicrosoftAppType: 'SingleTenant',
  ALLOWED_TENANT_IDS: tenantId,
  IDENTITY_HASH_KEY: 'x'.repeat(32),
  STORE: 'cosmos',
  COSMOS_ENDPOINT: 'https://exempelby.documents.azure.com:443/',
  COSMOS_DATABASE: 'backa',
  DIRECTORY_FILE: 'config/directory.yaml',
};

function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('refuses to start with neither BOT_MODE nor credentials, and says how to run locally', () => {
    const problems = problemsOf({});
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^BOT_MODE: /);
    expect(problems[0]).toContain('BOT_MODE=local');
  });

  it('runs locally without credentials, bound to loopback, for the sample tenant and SQLite', () => {
    const config = loadConfig({ BOT_MODE: 'local' });
    expect(config).toMatchObject({
      mode: 'local',
      port: 3978,
      host: '127.0.0.1',
      botAuth: { kind: 'none' },
      allowedTenantIds: [sampleTenantId],
      directoryFile: 'config/directory.sample.yaml',
      store: { kind: 'sqlite', path: '.data/backa.sqlite' },
    });
    expect(Buffer.byteLength(config.identityHashKey)).toBeGreaterThanOrEqual(32);
  });

  it('refuses a local run on an address other than loopback', () => {
    expect(problemsOf({ BOT_MODE: 'local', HOST: '0.0.0.0' })).toEqual([expect.stringMatching(/^HOST: /)]);
    expect(loadConfig({ BOT_MODE: 'local', HOST: 'localhost' }).host).toBe('localhost');
  });

  it('refuses local mode when credentials are set, naming each variable', () => {
    const problems = problemsOf({ BOT_MODE: 'local', MicrosoftAppId: appId, MicrosoftAppPassword: 'p' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['MicrosoftAppId', 'MicrosoftAppPassword']);
  });

  it('accepts a complete single-tenant production setup', () => {
    const config = loadConfig(production);
    expect(config).toMatchObject({
      mode: 'production',
      host: '0.0.0.0',
      botAuth: { kind: 'SingleTenant', appId, tenantId, password: 'hemligt-lösenord' },
      allowedTenantIds: [tenantId],
      store: { kind: 'cosmos', endpoint: production.COSMOS_ENDPOINT, database: 'backa' },
    });
  });

  it('treats credentials without BOT_MODE as production, with all its requirements', () => {
    const problems = problemsOf({ MicrosoftAppId: appId });
    const variables = problems.map((p) => p.split(':')[0]);
    expect(variables).toEqual([
      'MicrosoftAppTenantId',
      'MicrosoftAppType',
      'ALLOWED_TENANT_IDS',
      'IDENTITY_HASH_KEY',
      'STORE',
      'DIRECTORY_FILE',
    ]);
  });

  it('refuses production without credentials, listing every missing variable at once', () => {
    const variables = problemsOf({ BOT_MODE: 'production' }).map((p) => p.split(':')[0]);
    expect(variables).toEqual(
      expect.arrayContaining([
        'MicrosoftAppId',
        'MicrosoftAppTenantId',
        'MicrosoftAppType',
        'ALLOWED_TENANT_IDS',
      ]),
    );
  });

  it('accepts several organisations’ tenants with the single-tenant bot, and refuses a malformed one', () => {
    const region = '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f';
    const police = '6e7f8a9b-0c1d-4e2f-9a3b-4c5d6e7f8a9b';
    const config = loadConfig({ ...production, ALLOWED_TENANT_IDS: `${tenantId}, ${region},${police}` });
    expect(config.allowedTenantIds).toEqual([tenantId, region, police]);
    expect(config.botAuth).toMatchObject({ kind: 'SingleTenant', tenantId });
    expect(problemsOf({ ...production, ALLOWED_TENANT_IDS: `${tenantId},regionen` })).toEqual([
      expect.stringMatching(/^ALLOWED_TENANT_IDS: /),
    ]);
  });

  it('refuses a multi-tenant bot type, and says how several tenants are served instead', () => {
    const problems = problemsOf({ ...production, MicrosoftAppType: 'MultiTenant' });
    expect(problems[0]).toContain('ALLOWED_TENANT_IDS');
    expect(problems[0]).toContain('MicrosoftAppType=SingleTenant');
    expect(problemsOf({ ...production, MicrosoftAppType: 'MultiTenant' })).toEqual([
      expect.stringMatching(/^MicrosoftAppType: 'MultiTenant' stöds inte/),
    ]);
  });

  it('requires a password for SingleTenant and refuses one for a managed identity', () => {
    expect(problemsOf({ ...production, MicrosoftAppPassword: '' })).toEqual([
      expect.stringMatching(/^MicrosoftAppPassword: krävs/),
    ]);
    const msi = { ...production, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppPassword: undefined };
    expect(loadConfig(msi).botAuth).toEqual({ kind: 'UserAssignedMSI', appId, tenantId });
    expect(problemsOf({ ...msi, MicrosoftAppPassword: 'p' })).toEqual([
      expect.stringMatching(/^MicrosoftAppPassword: ska inte vara satt/),
    ]);
  });

  it('requires a hash key of at least 32 bytes and Cosmos DB in production', () => {
    const problems = problemsOf({
      ...production,
      IDENTITY_HASH_KEY: 'kort',
      STORE: 'sqlite',
      COSMOS_ENDPOINT: undefined,
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['IDENTITY_HASH_KEY', 'STORE']);
  });

  it('reports malformed values together with the missing ones', () => {
    const problems = problemsOf({
      ...production,
      PORT: 'åttio',
      MicrosoftAppTenantId: 'inte-ett-guid',
      ALLOWED_TENANT_IDS: `${tenantId}, exempelby`,
      LOG_LEVEL: 'chatty',
      DIRECTORY_FILE: undefined,
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'PORT',
      'MicrosoftAppTenantId',
      'ALLOWED_TENANT_IDS',
      'LOG_LEVEL',
      'DIRECTORY_FILE',
    ]);
  });

  it('never puts a secret in its error message or in the start-up summary', () => {
    const secret = 'super-hemligt-värde-som-inte-får-synas';
    let message = '';
    try {
      loadConfig({
        ...production,
        MicrosoftAppPassword: secret,
        IDENTITY_HASH_KEY: 'kort',
        COSMOS_KEY: secret,
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('IDENTITY_HASH_KEY');
    expect(message).not.toContain(secret);
    expect(message).not.toContain('kort');

    const summary = JSON.stringify(
      summarizeConfig(loadConfig({ ...production, MicrosoftAppPassword: secret, COSMOS_KEY: secret })),
    );
    expect(summary).not.toContain(secret);
    expect(summary).not.toContain('x'.repeat(32));
  });

  it('reports a notice as late after 5 minutes and sends 25 per second unless told otherwise', () => {
    expect(loadConfig({ BOT_MODE: 'local' }).delivery).toEqual({
      lateAfterMs: 5 * 60_000,
      sendsPerSecond: 25,
    });
    expect(
      loadConfig({ ...production, OUTBOX_LATE_AFTER_MINUTES: '15', OUTBOX_SENDS_PER_SECOND: '10' }).delivery,
    ).toEqual({ lateAfterMs: 15 * 60_000, sendsPerSecond: 10 });
  });

  it('refuses a late limit that is not whole minutes and a send rate above what Teams allows', () => {
    const problems = problemsOf({
      BOT_MODE: 'local',
      OUTBOX_LATE_AFTER_MINUTES: '0,5',
      OUTBOX_SENDS_PER_SECOND: '50',
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'OUTBOX_LATE_AFTER_MINUTES',
      'OUTBOX_SENDS_PER_SECOND',
    ]);
    expect(problems[1]).toContain('30');
  });
});

describe('the local clock offset (LOCAL_CLOCK_OFFSET)', () => {
  const day = 24 * 60 * 60_000;

  it('runs the local clock ahead by whole days or an ISO 8601 duration', () => {
    expect(loadConfig({ BOT_MODE: 'local' }).clockOffsetMs).toBeUndefined();
    expect(loadConfig({ BOT_MODE: 'local', LOCAL_CLOCK_OFFSET: '10' }).clockOffsetMs).toBe(10 * day);
    expect(loadConfig({ BOT_MODE: 'local', LOCAL_CLOCK_OFFSET: 'P3D' }).clockOffsetMs).toBe(3 * day);
    expect(loadConfig({ BOT_MODE: 'local', LOCAL_CLOCK_OFFSET: 'P1W' }).clockOffsetMs).toBe(7 * day);
    expect(loadConfig({ BOT_MODE: 'local', LOCAL_CLOCK_OFFSET: 'P1DT12H30M' }).clockOffsetMs).toBe(
      day + 12.5 * 60 * 60_000,
    );
  });

  it('refuses a malformed offset, months, years and more than a year', () => {
    for (const value of ['tio dagar', 'P', 'PT', 'P1DT', 'P1M', 'P1Y', '-3', 'P400D', '3.5']) {
      const problems = problemsOf({ BOT_MODE: 'local', LOCAL_CLOCK_OFFSET: value });
      expect(problems.map((p) => p.split(':')[0])).toEqual(['LOCAL_CLOCK_OFFSET']);
    }
  });

  it('refuses to start in production with a shifted clock', () => {
    const problems = problemsOf({ ...production, LOCAL_CLOCK_OFFSET: 'P3D' });
    expect(problems).toEqual([
      'LOCAL_CLOCK_OFFSET: får bara sättas när BOT_MODE=local: i produktion går boten alltid på datorns klocka',
    ]);
  });
});

describe('the channel tab’s configuration', () => {
  it('serves the tab on loopback with the local sign-in in local mode', () => {
    expect(loadConfig({ BOT_MODE: 'local', PORT: '4100' }).tab).toEqual({
      kind: 'local',
      publicBaseUrl: 'http://localhost:4100',
    });
  });

  it('accepts Teams SSO in production with the https address and the client id, and derives the api:// URI', () => {
    const tabClientId = '22222222-3333-4444-8555-666666666666';
    const config = loadConfig({
      ...production,
      PUBLIC_BASE_URL: 'https://backa.exempelby.se',
      TAB_SSO_CLIENT_ID: tabClientId,
    });
    expect(config.tab).toEqual({
      kind: 'teamsSso',
      publicBaseUrl: 'https://backa.exempelby.se',
      clientId: tabClientId,
      appIdUri: `api://backa.exempelby.se/${tabClientId}`,
    });
    expect(summarizeConfig(config).tab).toBe('teamsSso https://backa.exempelby.se');
  });

  it('has no tab in production without them, and refuses one without the other, an http address or a path', () => {
    expect(loadConfig(production).tab).toBeUndefined();
    expect(problemsOf({ ...production, PUBLIC_BASE_URL: 'https://backa.exempelby.se' })).toEqual([
      expect.stringMatching(/^TAB_SSO_CLIENT_ID: kanalfliken behöver både/),
    ]);
    expect(
      problemsOf({ ...production, PUBLIC_BASE_URL: 'http://backa.exempelby.se', TAB_SSO_CLIENT_ID: appId }),
    ).toEqual([expect.stringMatching(/^PUBLIC_BASE_URL: ska börja med https:\/\//)]);
    expect(
      problemsOf({
        ...production,
        PUBLIC_BASE_URL: 'https://backa.exempelby.se/flik?x=1',
        TAB_SSO_CLIENT_ID: 'inte-ett-guid',
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PUBLIC_BASE_URL: /),
        expect.stringMatching(/^TAB_SSO_CLIENT_ID: /),
      ]),
    );
  });
});

/**
 * The bot's configuration: one zod schema over the environment, checked once at start. It
 * lists every problem at once (each naming its variable) so that IT staff fix a deployment in
 * one round, and it refuses the combinations that would run the bot without authentication
 * outside an explicit local mode (docs/security.md 1).
 *
 * One code for both set-ups a region chooses between (README, "Members from several
 * organisations"): guests in the municipality's tenant list that one tenant in ALLOWED_TENANT_IDS;
 * an app used from several organisations' tenants lists each of them, with the same SingleTenant
 * bot. The allow-list only admits a tenant: what anyone may see is decided by their role in the
 * case (flows/kernel/access.ts).
 */
import { z } from 'zod';

/** The sample municipality "Exempelby kommun": the only tenant a local run accepts by default. */
export const sampleTenantId = '5e0b1d3a-7c2f-4b8e-9a61-3f4d2c1b0a99';
export const defaultPort = 3978;
export const defaultLocalDirectoryFile = 'config/directory.sample.yaml';
/** The shipped example catalogue: the cards say it is one until the municipality's own is configured. */
export const defaultDeepCompassFile = 'config/fordjupad-behovskompass.sample.yaml';
/** The shipped languages of the family's copy of Barnets plan (Swedish and English). */
export const defaultFamilyCopyDir = 'config/familjens-plan';
export const defaultSqlitePath = '.data/backa.sqlite';
/** A notice still waiting this long after it was enqueued is reported to kommunens reservkontakt. */
export const defaultOutboxLateAfterMinutes = 5;
/** Under Teams' 30 requests per second per app and tenant, leaving room for the turns' replies. */
export const defaultOutboxSendsPerSecond = 25;
const maxOutboxSendsPerSecond = 30;
/** Not a secret: only ever used in local mode, and refused in production. */
const localIdentityHashKey = 'lokal-playground-nyckel-endast-for-utveckling-0000';
const minimumIdentityHashKeyBytes = 32;
const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1']);

export type BotMode = 'local' | 'production';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** How the bot proves who it is to the Bot Connector, and how it checks who calls it. */
export type BotAuthConfig =
  /** Local playground only: the SDK accepts unauthenticated calls. */
  | { readonly kind: 'none' }
  | {
      readonly kind: 'SingleTenant';
      readonly appId: string;
      readonly tenantId: string;
      readonly password: string;
    }
  /** `appId` is the client id of the user-assigned managed identity. */
  | { readonly kind: 'UserAssignedMSI'; readonly appId: string; readonly tenantId: string };

export type StoreConfig =
  | { readonly kind: 'sqlite'; readonly path: string }
  | {
      readonly kind: 'cosmos';
      readonly endpoint: string;
      readonly database: string;
      /** Absent: the managed identity is used. */
      readonly key?: string;
    };

export interface Config {
  readonly mode: BotMode;
  readonly port: number;
  /** The address the HTTP server binds to; loopback only in local mode. */
  readonly host: string;
  readonly botAuth: BotAuthConfig;
  readonly allowedTenantIds: readonly string[];
  readonly directoryFile: string;
  /** DEEP_COMPASS_FILE: the municipality's catalogue of the Fördjupad behovskompass (YAML). */
  readonly deepCompassFile: string;
  /** FAMILY_COPY_DIR: the family copy's fixed texts, one `<language>.yaml` per language. */
  readonly familyCopyDir: string;
  readonly store: StoreConfig;
  /** Secret for the keyed hash of identity numbers. Never log it. */
  readonly identityHashKey: string;
  readonly logLevel: LogLevel;
  readonly delivery: DeliveryConfig;
  /**
   * TEAMS_APP_ID: the app's id in its manifest (teamsapp.yml writes it), by which the Teams app
   * catalog is asked for the app to install in the host teams of the Individuellt barnteams'
   * private channels. Without it the bot cannot install itself there.
   */
  readonly teamsAppId?: string;
  /** The channel tab (web/): absent in production until its address and SSO app are configured. */
  readonly tab?: TabConfig;
  /**
   * LOCAL_CLOCK_OFFSET, local mode only: how far ahead of the machine the bot's clock runs, so that
   * reminders days ahead (an overdue action) can be tried in the playground without waiting.
   */
  readonly clockOffsetMs?: number;
}

/**
 * Where the channel tab is served and whose SSO tokens it accepts. Locally the tab is served on
 * the bot's loopback address and signs people in itself (web/local-sign-in.ts).
 */
export type TabConfig =
  | { readonly kind: 'local'; readonly publicBaseUrl: string }
  | {
      readonly kind: 'teamsSso';
      /** PUBLIC_BASE_URL: https address of this server, for the tab's contentUrl and deep links. */
      readonly publicBaseUrl: string;
      /** TAB_SSO_CLIENT_ID: the Entra app whose `api://` resource the tab's token is for. */
      readonly clientId: string;
      /** `api://<host of PUBLIC_BASE_URL>/<client id>`, as the manifest's webApplicationInfo says. */
      readonly appIdUri: string;
    };

/** How the outbox delivers (bot/background-work.ts, infra/outbox/outbox-dispatcher.ts). */
export interface DeliveryConfig {
  /** After this, a message that has not gone out is reported as late (it still goes out). */
  readonly lateAfterMs: number;
  /** Sends per second of this instance; with several instances, split Teams' 30 between them. */
  readonly sendsPerSecond: number;
}

/** Thrown by `loadConfig`; `problems` holds one line per problem, each naming its variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(
      `Konfigurationen är ogiltig (${problems.length} fel):\n${problems.map((p) => `- ${p}`).join('\n')}`,
    );
  }
}

const emptyToUndefined = (value: unknown) => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
};

/*
 * Every field is a lenient optional string so that the object itself always parses and the
 * refinement below runs and reports every problem, not just the first malformed value.
 */
const optionalText = z.preprocess(emptyToUndefined, z.string().optional());
const ZUuid = z.string().uuid();
const ZLogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
const dayMs = 24 * 60 * 60_000;
/** A year ahead is far enough for any reminder the directory can configure. */
const maxClockOffsetMs = 366 * dayMs;

/**
 * A clock offset: whole days ("10"), or an ISO-8601 duration of weeks, days, hours, minutes and
 * seconds ("P10D", "PT36H", "P1DT12H"). Months and years are refused: their length depends on the
 * date they start from, and the offset is a fixed number of milliseconds.
 */
const ZClockOffset = z.string().transform((text, ctx) => {
  const days = /^\d+$/.exec(text);
  const iso = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text);
  const ms =
    days !== null
      ? Number(text) * dayMs
      : iso !== null && text !== 'P' && !text.endsWith('T')
        ? [7 * dayMs, dayMs, 3_600_000, 60_000, 1_000].reduce(
            (sum, unit, index) => sum + Number(iso[index + 1] ?? 0) * unit,
            0,
          )
        : undefined;
  if (ms === undefined || ms > maxClockOffsetMs) {
    ctx.addIssue({ code: z.ZodIssueCode.custom });
    return z.NEVER;
  }
  return ms;
});
const credentialVariables = [
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppTenantId',
  'MicrosoftAppType',
] as const;

const ZEnv = z
  .object({
    BOT_MODE: optionalText,
    PORT: optionalText,
    HOST: optionalText,
    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppTenantId: optionalText,
    MicrosoftAppType: optionalText,
    ALLOWED_TENANT_IDS: z.preprocess(
      (value) =>
        typeof value === 'string'
          ? value
              .split(',')
              .map((part) => part.trim())
              .filter((part) => part !== '')
          : value,
      z.array(z.string()).optional(),
    ),
    DIRECTORY_FILE: optionalText,
    DEEP_COMPASS_FILE: optionalText,
    FAMILY_COPY_DIR: optionalText,
    STORE: optionalText,
    SQLITE_PATH: optionalText,
    COSMOS_ENDPOINT: optionalText,
    COSMOS_DATABASE: optionalText,
    COSMOS_KEY: optionalText,
    IDENTITY_HASH_KEY: optionalText,
    TEAMS_APP_ID: optionalText,
    PUBLIC_BASE_URL: optionalText,
    TAB_SSO_CLIENT_ID: optionalText,
    LOG_LEVEL: optionalText,
    OUTBOX_LATE_AFTER_MINUTES: optionalText,
    OUTBOX_SENDS_PER_SECOND: optionalText,
    LOCAL_CLOCK_OFFSET: optionalText,
  })
  .superRefine((env, ctx) => {
    const problem = (variable: string, message: string) =>
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [variable], message });

    // Well-formed values, whatever the mode.
    if (env.BOT_MODE !== undefined && !isBotMode(env.BOT_MODE)) {
      problem('BOT_MODE', "ska vara 'local' eller 'production'");
      return;
    }
    if (env.PORT !== undefined && parsePort(env.PORT) === undefined) {
      problem('PORT', 'ska vara ett portnummer mellan 1 och 65535');
    }
    if (env.TEAMS_APP_ID !== undefined && !ZUuid.safeParse(env.TEAMS_APP_ID).success) {
      problem('TEAMS_APP_ID', 'ska vara Teams-appens id i manifestet, ett GUID');
    }
    if (env.TAB_SSO_CLIENT_ID !== undefined && !ZUuid.safeParse(env.TAB_SSO_CLIENT_ID).success) {
      problem(
        'TAB_SSO_CLIENT_ID',
        'ska vara klient-id (GUID) för appregistreringen som kanalfliken loggar in mot',
      );
    }
    if (env.PUBLIC_BASE_URL !== undefined && toBaseUrl(env.PUBLIC_BASE_URL) === undefined) {
      problem('PUBLIC_BASE_URL', 'ska vara serverns adress utan sökväg, t.ex. https://backa.exempelby.se');
    }
    if (env.MicrosoftAppId !== undefined && !ZUuid.safeParse(env.MicrosoftAppId).success) {
      problem('MicrosoftAppId', 'ska vara botens app-id (klient-id), ett GUID');
    }
    if (env.MicrosoftAppTenantId !== undefined && !ZUuid.safeParse(env.MicrosoftAppTenantId).success) {
      problem('MicrosoftAppTenantId', 'ska vara ett tenant-id (GUID)');
    }
    const badTenants = (env.ALLOWED_TENANT_IDS ?? []).filter((id) => !ZUuid.safeParse(id).success);
    if (badTenants.length > 0) {
      problem('ALLOWED_TENANT_IDS', 'ska vara en kommaseparerad lista med tenant-id (GUID)');
    }
    if (env.DEEP_COMPASS_FILE !== undefined && !/\.ya?ml$/i.test(env.DEEP_COMPASS_FILE)) {
      problem(
        'DEEP_COMPASS_FILE',
        'ska vara sökvägen till kommunens katalog, en YAML-fil (.yaml eller .yml)',
      );
    }
    if (env.FAMILY_COPY_DIR !== undefined && /\.ya?ml$/i.test(env.FAMILY_COPY_DIR)) {
      problem(
        'FAMILY_COPY_DIR',
        'ska vara en mapp med en YAML-fil per språk (t.ex. config/familjens-plan), inte en enskild fil',
      );
    }
    if (env.STORE !== undefined && env.STORE !== 'sqlite' && env.STORE !== 'cosmos') {
      problem('STORE', "ska vara 'sqlite' eller 'cosmos'");
    }
    if (env.COSMOS_ENDPOINT !== undefined && !z.string().url().safeParse(env.COSMOS_ENDPOINT).success) {
      problem('COSMOS_ENDPOINT', 'ska vara en URL, t.ex. https://<konto>.documents.azure.com:443/');
    }
    if (env.LOG_LEVEL !== undefined && !ZLogLevel.safeParse(env.LOG_LEVEL).success) {
      problem('LOG_LEVEL', 'ska vara fatal, error, warn, info, debug, trace eller silent');
    }
    if (
      env.IDENTITY_HASH_KEY !== undefined &&
      byteLength(env.IDENTITY_HASH_KEY) < minimumIdentityHashKeyBytes
    ) {
      problem(
        'IDENTITY_HASH_KEY',
        `ska vara minst ${minimumIdentityHashKeyBytes} byte lång (en slumpad hemlighet)`,
      );
    }
    if (
      env.OUTBOX_LATE_AFTER_MINUTES !== undefined &&
      parseWholeNumber(env.OUTBOX_LATE_AFTER_MINUTES, 1, 24 * 60) === undefined
    ) {
      problem('OUTBOX_LATE_AFTER_MINUTES', 'ska vara ett helt antal minuter mellan 1 och 1440');
    }
    if (
      env.OUTBOX_SENDS_PER_SECOND !== undefined &&
      parseWholeNumber(env.OUTBOX_SENDS_PER_SECOND, 1, maxOutboxSendsPerSecond) === undefined
    ) {
      problem(
        'OUTBOX_SENDS_PER_SECOND',
        `ska vara ett heltal mellan 1 och ${maxOutboxSendsPerSecond} (Teams tillåter ${maxOutboxSendsPerSecond} anrop per sekund för appen i en tenant; dela dem mellan instanserna)`,
      );
    }
    if (env.LOCAL_CLOCK_OFFSET !== undefined && !ZClockOffset.safeParse(env.LOCAL_CLOCK_OFFSET).success) {
      problem(
        'LOCAL_CLOCK_OFFSET',
        'ska vara ett antal dagar (t.ex. 10) eller en ISO 8601-varaktighet (t.ex. P10D eller PT36H), högst ett år',
      );
    }
    if (env.STORE === 'cosmos') {
      if (env.COSMOS_ENDPOINT === undefined) problem('COSMOS_ENDPOINT', 'krävs när STORE=cosmos');
      if (env.COSMOS_DATABASE === undefined) problem('COSMOS_DATABASE', 'krävs när STORE=cosmos');
    }

    const presentCredentials = credentialVariables.filter((variable) => env[variable] !== undefined);
    const mode = resolveMode(env.BOT_MODE, presentCredentials.length > 0);
    if (mode === undefined) {
      problem(
        'BOT_MODE',
        'saknas. Sätt BOT_MODE=local för en lokal körning mot playground (utan inloggning, bara på den här datorn), ' +
          'eller BOT_MODE=production tillsammans med MicrosoftAppId, MicrosoftAppTenantId och MicrosoftAppType.',
      );
      return;
    }

    if (mode === 'local') {
      for (const variable of presentCredentials) {
        problem(
          variable,
          'får inte vara satt när BOT_MODE=local: lokalt läge stänger av inloggningen. ' +
            'Ta bort BOT_MODE=local för en riktig körning, eller ta bort variabeln.',
        );
      }
      if (env.HOST !== undefined && !loopbackHosts.has(env.HOST.toLowerCase())) {
        problem(
          'HOST',
          'lokalt läge lyssnar bara på 127.0.0.1 (eller localhost/::1) eftersom inloggningen är avstängd',
        );
      }
      return;
    }

    // Production: every setting that decides who may call the bot must be explicit.
    if (env.LOCAL_CLOCK_OFFSET !== undefined) {
      // A shifted clock would send reminders days early and date every record wrongly.
      problem(
        'LOCAL_CLOCK_OFFSET',
        'får bara sättas när BOT_MODE=local: i produktion går boten alltid på datorns klocka',
      );
    }
    if (env.MicrosoftAppId === undefined) problem('MicrosoftAppId', 'krävs i produktion (botens app-id)');
    if (env.MicrosoftAppTenantId === undefined) {
      problem('MicrosoftAppTenantId', 'krävs i produktion (tenant-id där boten är registrerad)');
    }
    const appType = env.MicrosoftAppType?.toLowerCase();
    if (appType === undefined) {
      problem('MicrosoftAppType', "krävs i produktion: 'SingleTenant' eller 'UserAssignedMSI'");
    } else if (appType === 'multitenant') {
      // Azure Bot Service creates no new MultiTenant bots (since 31 July 2025), and the SDK then
      // fetches the bot's token from botframework.com instead of its own tenant. Serving several
      // organisations is the app *registration* in Entra ID (any organisational directory) with a
      // SingleTenant bot and every tenant in ALLOWED_TENANT_IDS: the same checks as one tenant.
      problem(
        'MicrosoftAppType',
        "'MultiTenant' stöds inte: använd 'SingleTenant' eller 'UserAssignedMSI'. Ska boten användas från flera organisationers tenanter, registrera appen i Entra ID för flera organisationer, behåll MicrosoftAppType=SingleTenant och lista varje organisations tenant-id i ALLOWED_TENANT_IDS.",
      );
    } else if (appType !== 'singletenant' && appType !== 'userassignedmsi') {
      problem('MicrosoftAppType', "ska vara 'SingleTenant' eller 'UserAssignedMSI'");
    } else if (appType === 'singletenant' && env.MicrosoftAppPassword === undefined) {
      problem('MicrosoftAppPassword', 'krävs när MicrosoftAppType=SingleTenant');
    } else if (appType === 'userassignedmsi' && env.MicrosoftAppPassword !== undefined) {
      problem(
        'MicrosoftAppPassword',
        'ska inte vara satt när MicrosoftAppType=UserAssignedMSI (MicrosoftAppId är den hanterade identitetens klient-id)',
      );
    }
    if (env.ALLOWED_TENANT_IDS === undefined || env.ALLOWED_TENANT_IDS.length === 0) {
      problem(
        'ALLOWED_TENANT_IDS',
        'krävs i produktion: de tenant-id (kommaseparerade) som får använda boten: kommunens, och varje annan organisations när appen används från flera tenanter (gäster använder kommunens)',
      );
    }
    if (env.IDENTITY_HASH_KEY === undefined) {
      problem(
        'IDENTITY_HASH_KEY',
        `krävs i produktion (minst ${minimumIdentityHashKeyBytes} byte, från Key Vault)`,
      );
    } else if (env.IDENTITY_HASH_KEY === localIdentityHashKey) {
      problem('IDENTITY_HASH_KEY', 'är den lokala utvecklingsnyckeln; använd en egen hemlighet i produktion');
    }
    if (env.STORE !== 'cosmos') problem('STORE', "ska vara 'cosmos' i produktion");
    if (env.COSMOS_ENDPOINT !== undefined && !env.COSMOS_ENDPOINT.startsWith('https://')) {
      problem('COSMOS_ENDPOINT', 'ska börja med https:// i produktion');
    }
    if (env.DIRECTORY_FILE === undefined) {
      problem('DIRECTORY_FILE', 'krävs i produktion (kommunens katalog över enheter och Barnkontakter)');
    }
    if (env.PUBLIC_BASE_URL !== undefined && !env.PUBLIC_BASE_URL.startsWith('https://')) {
      problem('PUBLIC_BASE_URL', 'ska börja med https:// i produktion (Teams visar bara flikar över https)');
    }
    if ((env.PUBLIC_BASE_URL === undefined) !== (env.TAB_SSO_CLIENT_ID === undefined)) {
      problem(
        env.PUBLIC_BASE_URL === undefined ? 'PUBLIC_BASE_URL' : 'TAB_SSO_CLIENT_ID',
        'kanalfliken behöver både PUBLIC_BASE_URL och TAB_SSO_CLIENT_ID (eller ingen av dem, då finns ingen flik)',
      );
    }
  })
  .transform((env): Config => {
    const mode =
      resolveMode(
        env.BOT_MODE,
        credentialVariables.some((v) => env[v] !== undefined),
      ) ?? 'local';
    const local = mode === 'local';
    return {
      mode,
      port: env.PORT === undefined ? defaultPort : (parsePort(env.PORT) ?? defaultPort),
      host: env.HOST ?? (local ? '127.0.0.1' : '0.0.0.0'),
      botAuth: local ? { kind: 'none' } : toBotAuth(env),
      allowedTenantIds: env.ALLOWED_TENANT_IDS?.length ? env.ALLOWED_TENANT_IDS : [sampleTenantId],
      directoryFile: env.DIRECTORY_FILE ?? defaultLocalDirectoryFile,
      deepCompassFile: env.DEEP_COMPASS_FILE ?? defaultDeepCompassFile,
      familyCopyDir: env.FAMILY_COPY_DIR ?? defaultFamilyCopyDir,
      store:
        env.STORE === 'cosmos'
          ? {
              kind: 'cosmos',
              endpoint: env.COSMOS_ENDPOINT ?? '',
              database: env.COSMOS_DATABASE ?? '',
              ...(env.COSMOS_KEY === undefined ? {} : { key: env.COSMOS_KEY }),
            }
          : { kind: 'sqlite', path: env.SQLITE_PATH ?? defaultSqlitePath },
      identityHashKey: env.IDENTITY_HASH_KEY ?? localIdentityHashKey,
      logLevel: ZLogLevel.catch('info').parse(env.LOG_LEVEL ?? 'info'),
      delivery: {
        lateAfterMs:
          (parseWholeNumber(env.OUTBOX_LATE_AFTER_MINUTES, 1, 24 * 60) ?? defaultOutboxLateAfterMinutes) *
          60_000,
        sendsPerSecond:
          parseWholeNumber(env.OUTBOX_SENDS_PER_SECOND, 1, maxOutboxSendsPerSecond) ??
          defaultOutboxSendsPerSecond,
      },
      ...(env.TEAMS_APP_ID === undefined ? {} : { teamsAppId: env.TEAMS_APP_ID }),
      ...toTabConfig(env, local),
      ...(local && env.LOCAL_CLOCK_OFFSET !== undefined
        ? { clockOffsetMs: ZClockOffset.parse(env.LOCAL_CLOCK_OFFSET) }
        : {}),
    };
  });

function toTabConfig(
  env: {
    PORT?: string | undefined;
    PUBLIC_BASE_URL?: string | undefined;
    TAB_SSO_CLIENT_ID?: string | undefined;
  },
  local: boolean,
): { tab?: TabConfig } {
  if (local) {
    const port = env.PORT === undefined ? defaultPort : (parsePort(env.PORT) ?? defaultPort);
    return { tab: { kind: 'local', publicBaseUrl: `http://localhost:${port}` } };
  }
  const base = env.PUBLIC_BASE_URL === undefined ? undefined : toBaseUrl(env.PUBLIC_BASE_URL);
  if (base === undefined || env.TAB_SSO_CLIENT_ID === undefined) return {};
  return {
    tab: {
      kind: 'teamsSso',
      publicBaseUrl: base.origin,
      clientId: env.TAB_SSO_CLIENT_ID,
      appIdUri: `api://${base.host}/${env.TAB_SSO_CLIENT_ID}`,
    },
  };
}

/** An origin with no path, query or credentials; `undefined` for anything else. */
function toBaseUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    const bare = (url.pathname === '/' || url.pathname === '') && url.search === '' && url.hash === '';
    return bare && url.username === '' && url.password === '' && /^https?:$/.test(url.protocol)
      ? url
      : undefined;
  } catch {
    return undefined;
  }
}

function isBotMode(value: string): value is BotMode {
  return value === 'local' || value === 'production';
}

function parsePort(value: string): number | undefined {
  if (!/^\d+$/.test(value)) return undefined;
  const port = Number(value);
  return port >= 1 && port <= 65535 ? port : undefined;
}

function parseWholeNumber(value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const number = Number(value);
  return number >= min && number <= max ? number : undefined;
}

function resolveMode(botMode: string | undefined, credentialsPresent: boolean): BotMode | undefined {
  if (botMode !== undefined) return isBotMode(botMode) ? botMode : undefined;
  return credentialsPresent ? 'production' : undefined;
}

type CredentialFields = { [K in (typeof credentialVariables)[number]]?: string | undefined };

function toBotAuth(env: CredentialFields): BotAuthConfig {
  // Reached only after the refinement found no problem, so the values are present.
  const appId = env.MicrosoftAppId ?? '';
  const tenantId = env.MicrosoftAppTenantId ?? '';
  return env.MicrosoftAppType?.toLowerCase() === 'userassignedmsi'
    ? { kind: 'UserAssignedMSI', appId, tenantId }
    : { kind: 'SingleTenant', appId, tenantId, password: env.MicrosoftAppPassword ?? '' };
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Reads the configuration from `env` (normally `process.env`). Throws a `ConfigError` that
 * lists every problem when the environment is not a valid local or production setup.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const result = ZEnv.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => `${issue.path.join('.') || 'miljön'}: ${issue.message}`),
  );
}

/** The configuration without secrets, for the start-up log line. */
export function summarizeConfig(config: Config): Record<string, string | number | boolean> {
  return {
    mode: config.mode,
    port: config.port,
    host: config.host,
    authKind: config.botAuth.kind,
    appId: config.botAuth.kind === 'none' ? '' : config.botAuth.appId,
    allowedTenantIds: config.allowedTenantIds.join(','),
    directoryFile: config.directoryFile,
    deepCompassFile: config.deepCompassFile,
    familyCopyDir: config.familyCopyDir,
    store: config.store.kind,
    cosmosKeyConfigured: config.store.kind === 'cosmos' && config.store.key !== undefined,
    logLevel: config.logLevel,
    outboxLateAfterMinutes: config.delivery.lateAfterMs / 60_000,
    outboxSendsPerSecond: config.delivery.sendsPerSecond,
    tab: config.tab === undefined ? 'ingen' : `${config.tab.kind} ${config.tab.publicBaseUrl}`,
    ...(config.clockOffsetMs === undefined ? {} : { clockOffsetMs: config.clockOffsetMs }),
  };
}

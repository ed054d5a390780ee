// How to start the Microsoft 365 Agents Playground (@microsoft/m365agentsplayground) against the
// local bot. Shared by `npm start` (scripts/start-local.mjs) and the end-to-end tests, so that
// both run the playground the same way. The settings come from the package's own CLI
// (`agentsplayground --help`) and the environment variables its dist/index.js reads.
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { connect as connectTcp } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const defaultPlaygroundPort = 56150;
/** Tenant, users and conversations the playground pretends to be (see the file's comments). */
export const mockDataFile = join(repoRoot, '.m365agentsplayground.yml');

const require = createRequire(import.meta.url);

/**
 * The command line and environment that start the playground. `serviceUrl` is the address the
 * playground tells the bot to send its messages to (its own port when absent); `configFile` the
 * mock data (`.m365agentsplayground.yml` when absent).
 *
 * @param {{ port: number, botEndpoint: string, logFile: string, serviceUrl?: string, configFile?: string }} options
 * @returns {{ command: string, args: string[], env: Record<string, string> }}
 */
export function describePlaygroundCommand({ port, botEndpoint, logFile, serviceUrl, configFile }) {
  const packageDir = dirname(require.resolve('@microsoft/m365agentsplayground/package.json'));
  return {
    command: process.execPath,
    args: [
      join(packageDir, 'cli.js'),
      'start',
      '--port',
      String(port),
      '--app-endpoint',
      botEndpoint,
      '--channel-id',
      'msteams',
      // The package carries an Application Insights key; this keeps its events at home.
      '--disable-telemetry',
      ...(serviceUrl === undefined ? [] : ['--service-url', serviceUrl]),
    ],
    env: {
      // Without this it opens the system browser itself.
      TEAMSAPPTESTER_BROWSER: 'none',
      // Telemetry is off, but the Application Insights SDK is still set up: no statsbeat either.
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: configFile ?? mockDataFile,
      // Its default is ./devTools/m365agentsplayground.log in the working directory.
      M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
      BOT_ENDPOINT: botEndpoint,
    },
  };
}

/**
 * Reads the port from the playground's "Listening on <port>" line. It moves to a random port
 * when the one asked for is taken, so the printed port is the one to use.
 *
 * @param {string} output
 * @returns {number | undefined}
 */
export function findListeningPort(output) {
  const match = /Listening on (\d+)/.exec(output);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Where the playground serves its Bot Connector API (`--service-url` must include it). */
export const connectorPath = '/_connector';

/** At most this many playgrounds are started by `npm start`, so a large directory does not start hundreds. */
export const maxLocalPlaygrounds = 20;

/**
 * @typedef {{ id: string, name: string, aadObjectId: string, [field: string]: unknown }} MockUser
 * @typedef {{ aadObjectId: string, displayName: string, title?: string, roles: string[], mockData: Record<string, unknown> }} LocalPerson
 */

/**
 * The people `npm start` gives a playground of their own: the mock data's current user (the
 * Upptäckare) and everyone in the directory who has Teams and a role (Barnkontakt, ersättare,
 * reservkontakt, socialtjänstens mottagning, sammankallande and medlem of a Barnteam), in that
 * order, then the directory's other Teams users. Each comes with the mock data that makes them
 * the playground's current user. Contacts outside Teams (`kind: utanforTeams`) get none: the bot
 * never writes to them.
 *
 * @param {{ directory: any, mockData: any }} input the parsed directory and .m365agentsplayground.yml
 * @returns {{ people: LocalPerson[], outsideTeams: string[], leftOut: string[] }}
 */
export function describeLocalPeople({ directory, mockData }) {
  const contacts = new Map();
  for (const contact of asArray(directory?.contacts)) {
    if (typeof contact?.id === 'string') contacts.set(contact.id, contact);
  }
  /** @type {Map<string, string[]>} roles by contact id, in the order they are found */
  const roles = new Map();
  const addRole = (contactId, role) => {
    if (typeof contactId !== 'string' || !contacts.has(contactId)) return;
    const list = roles.get(contactId) ?? [];
    if (!list.includes(role)) list.push(role);
    roles.set(contactId, list);
  };
  const units = new Map(asArray(directory?.units).map((unit) => [unit?.id, unit]));
  for (const unit of units.values()) addRole(unit?.barnkontakt, `Barnkontakt, ${unit?.name}`);
  for (const unit of units.values()) {
    for (const deputy of asArray(unit?.deputies))
      addRole(deputy, `ersättare för Barnkontakten, ${unit?.name}`);
  }
  addRole(directory?.fallback?.contact, 'kommunens reservkontakt');
  for (const contactId of asArray(directory?.socialServicesIntake?.contacts)) {
    addRole(contactId, 'tar emot orosanmälningar (socialtjänstens mottagning)');
  }
  for (const team of asArray(directory?.barnteams)) {
    for (const unitId of asArray(team?.units))
      addRole(units.get(unitId)?.barnkontakt, `sammankallande, ${team?.name}`);
    for (const member of asArray(team?.members)) addRole(member?.contact, `medlem i ${team?.name}`);
  }

  const inTeams = (contact) => contact.kind !== 'utanforTeams' && typeof contact.aadObjectId === 'string';
  const ordered = [
    ...[...roles.keys()].map((id) => contacts.get(id)),
    ...[...contacts.values()].filter((contact) => !roles.has(contact.id)),
  ];
  const outsideTeams = ordered.filter((contact) => !inTeams(contact)).map((contact) => contact.displayName);

  /** @type {MockUser[]} */
  const knownUsers = [mockData.currentUser, ...asArray(mockData.users)];
  const upptackare = mockData.currentUser;
  /** @type {{ user: MockUser, displayName: string, title?: string, roles: string[] }[]} */
  const candidates = [
    {
      user: upptackare,
      displayName: upptackare.name,
      roles: ['Upptäckare: fyller i Upptäckarkort (alla i kommunen kan vara Upptäckare)'],
    },
  ];
  for (const contact of ordered.filter(inTeams)) {
    if (candidates.some((c) => sameId(c.user.aadObjectId, contact.aadObjectId))) continue;
    const known = knownUsers.find((user) => sameId(user.aadObjectId, contact.aadObjectId));
    candidates.push({
      user: known ?? toMockUser(contact),
      displayName: contact.displayName,
      title: contact.title,
      roles: roles.get(contact.id) ?? ['i katalogen, utan roll'],
    });
  }
  const started = candidates.slice(0, maxLocalPlaygrounds);
  const pool = [...knownUsers, ...candidates.map((c) => c.user)];
  const tenantId =
    typeof directory?.municipality?.tenantId === 'string'
      ? directory.municipality.tenantId
      : mockData.tenantId;
  const people = started.map((candidate) => ({
    aadObjectId: candidate.user.aadObjectId,
    displayName: candidate.displayName,
    ...(candidate.title === undefined ? {} : { title: candidate.title }),
    roles: candidate.roles,
    mockData: describeMockDataFor(mockData, candidate.user, pool, tenantId),
  }));
  return {
    people,
    outsideTeams,
    leftOut: candidates.slice(maxLocalPlaygrounds).map((c) => c.displayName),
  };
}

/**
 * The mock data with `user` as the current user. The playground wants exactly five other users
 * (the members of its group chat and team): the first five others of `pool`. The personal chat
 * gets an id of its own, as in Teams, where each person's chat with the bot is a conversation
 * of its own.
 *
 * @param {any} mockData
 * @param {MockUser} user
 * @param {MockUser[]} pool
 * @param {string} tenantId
 */
export function describeMockDataFor(mockData, user, pool, tenantId) {
  const others = [];
  for (const candidate of pool) {
    if (others.length === 5) break;
    if (sameId(candidate.aadObjectId, user.aadObjectId)) continue;
    if (others.some((other) => sameId(other.aadObjectId, candidate.aadObjectId))) continue;
    others.push(candidate);
  }
  const isDefaultUser = sameId(user.aadObjectId, mockData.currentUser.aadObjectId);
  return {
    ...mockData,
    tenantId,
    currentUser: user,
    users: others,
    personalChat: isDefaultUser
      ? mockData.personalChat
      : { id: `a:local-personal-chat-${user.id.replace(/^29:local-/, '')}` },
  };
}

/** @returns {MockUser} */
function toMockUser(contact) {
  const [givenName = contact.displayName, ...rest] = String(contact.displayName).split(' ');
  return {
    id: `29:local-${contact.id}`,
    name: contact.displayName,
    userPrincipleName: contact.email,
    aadObjectId: contact.aadObjectId,
    givenName,
    surname: rest.join(' '),
    email: contact.email,
  };
}

function asArray(value) {
  return Array.isArray(value) ? value : [];
}

function sameId(a, b) {
  return typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
}

/**
 * A gate in front of one playground, on the port its user opens in the browser. It passes
 * everything through (the page, its requests and its WebSocket) and is also the playground's
 * Bot Connector address (`--service-url`), with one difference: a new message the bot sends while
 * no browser has the playground open is refused with 503 instead of being taken in.
 *
 * Why: the playground answers 201 to a message for a user whose page is closed and the page,
 * opened later, does not show it, so the bot recorded "levererat" for a card nobody would ever
 * see. Teams keeps such a message in the chat; the playground does not. Refused, it stays in the
 * bot's outbox, which tries again with backoff (a 503 is retried like any Bot Connector 503) and,
 * as in production, tells kommunens reservkontakt when it is late or given up. A page that has
 * just opened gets `readyAfterMs` to set itself up before messages reach it.
 *
 * @param {{ port: number, targetPort: number, host?: string, readyAfterMs?: number, waitForClientMs?: number, onRefused?: (method: string, path: string) => void }} options
 * @returns {Promise<{ port: number, connectedPages: () => number, close: () => Promise<void> }>}
 */
export function startConnectorGate({
  port,
  targetPort,
  host = '127.0.0.1',
  readyAfterMs = 1_000,
  waitForClientMs = 2_000,
  onRefused,
}) {
  /** @type {Set<{ openedAt: number }>} the pages' WebSockets */
  const pages = new Set();
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  const readySince = () => {
    let earliest;
    for (const page of pages)
      earliest = earliest === undefined ? page.openedAt : Math.min(earliest, page.openedAt);
    return earliest;
  };

  /** Resolves true once a page has been open `readyAfterMs`, false after `waitForClientMs` without one. */
  async function waitForPage() {
    const deadline = Date.now() + waitForClientMs;
    for (;;) {
      const since = readySince();
      if (since !== undefined && Date.now() - since >= readyAfterMs) return true;
      if (Date.now() >= deadline && since === undefined) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const server = createHttpServer(async (req, res) => {
    const path = req.url ?? '/';
    const isBotMessage = req.method === 'POST' && isNewMessagePath(path);
    if (isBotMessage && !(await waitForPage())) {
      req.resume();
      onRefused?.(req.method ?? '', path);
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' });
      res.end(
        JSON.stringify({
          error: {
            code: 'ServiceUnavailable',
            message: 'Playground är inte öppen i någon webbläsare; meddelandet tas inte emot.',
          },
        }),
      );
      return;
    }
    const upstream = httpRequest(
      { host: '127.0.0.1', port: targetPort, method: req.method, path, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });

  server.on('upgrade', (req, socket, head) => {
    const upstream = connectTcp({ host: '127.0.0.1', port: targetPort }, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    sockets.add(upstream);
    const page = { openedAt: Date.now() };
    pages.add(page);
    // An upgraded socket is half-open capable: the page going away shows as 'end' first.
    const end = () => {
      pages.delete(page);
      sockets.delete(upstream);
      socket.destroy();
      upstream.destroy();
    };
    for (const event of ['end', 'close', 'error']) {
      socket.on(event, end);
      upstream.on(event, end);
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  return new Promise((resolveStart, rejectStart) => {
    server.once('error', rejectStart);
    server.listen(port, host, () => {
      server.off('error', rejectStart);
      const address = server.address();
      resolveStart({
        port: typeof address === 'object' && address !== null ? address.port : port,
        connectedPages: () => pages.size,
        close: () =>
          new Promise((resolveClose) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => resolveClose());
          }),
      });
    });
  });
}

/**
 * A new message (`POST …/v3/conversations/{id}/activities`) or a new conversation
 * (`POST …/v3/conversations`): what the outbox and proactive sends use. A reply within a turn
 * (`…/activities/{replyToId}`) passes: it answers someone who is acting, except the welcome when
 * the app is installed at start, which the playground keeps for the page itself.
 *
 * @param {string} path
 */
export function isNewMessagePath(path) {
  const pathname = path.split('?')[0] ?? '';
  return new RegExp(`^${connectorPath}/v3/conversations(/[^/]+/activities)?/?$`).test(pathname);
}

/**
 * Tells the playground to install the app in its user's personal chat, as a Teams administrator's
 * set-up policy does: the bot gets the installation and saves the chat, so that a card for this
 * person goes out as soon as their page is open, without waiting for them to write first.
 *
 * @param {{ playgroundPort: number, personalChatId: string }} options
 */
export async function installInPersonalChat({ playgroundPort, personalChatId }) {
  const response = await fetch(
    `http://127.0.0.1:${playgroundPort}/_debug/conversation/${encodeURIComponent(personalChatId)}/installation`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(5_000),
    },
  );
  if (!response.ok) throw new Error(`installationen svarade ${response.status}`);
}

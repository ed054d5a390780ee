// How to start the Microsoft 365 Agents Playground (@microsoft/m365agentsplayground) against the
// local bot. Shared by `npm start` (scripts/start-local.mjs) and the end-to-end tests, so that
// both run the playground the same way. The settings come from the package's own CLI
// (`agentsplayground --help`) and the environment variables its dist/index.js reads.
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const defaultPlaygroundPort = 56150;
/** Tenant, users and conversations the playground pretends to be (see the file's comments). */
export const mockDataFile = join(repoRoot, '.m365agentsplayground.yml');

const require = createRequire(import.meta.url);

/**
 * The command line and environment that start the playground.
 *
 * @param {{ port: number, botEndpoint: string, logFile: string }} options
 * @returns {{ command: string, args: string[], env: Record<string, string> }}
 */
export function describePlaygroundCommand({ port, botEndpoint, logFile }) {
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
    ],
    env: {
      // Without this it opens the system browser itself.
      TEAMSAPPTESTER_BROWSER: 'none',
      // Telemetry is off, but the Application Insights SDK is still set up: no statsbeat either.
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: mockDataFile,
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

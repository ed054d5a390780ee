#!/usr/bin/env node
// Runs before `npm test` (the `pretest` script). The end-to-end tests drive Debian's Chromium
// through playwright-core, which ships no browser of its own. Installing it needs root, so a
// CI container (root) gets it installed here and a developer machine gets told what to run.
// Quiet when everything is present.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromiumPath = '/usr/bin/chromium';

function fail(message) {
  process.stderr.write(`\n${message}\n\n`);
  process.exit(1);
}

function runAsRoot(command, args) {
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0) {
    fail(`Kommandot "${command} ${args.join(' ')}" misslyckades (status ${result.status ?? result.signal}).`);
  }
}

function ensureChromium() {
  if (existsSync(chromiumPath)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    fail(
      `Chromium saknas (${chromiumPath}). End-to-end-testerna kör Debians Chromium.\n` +
        'Installera det med:  sudo apt-get update && sudo apt-get install -y chromium',
    );
  }
  process.stderr.write(`Chromium saknas (${chromiumPath}); installerar Debian-paketet chromium …\n`);
  runAsRoot('apt-get', ['update']);
  runAsRoot('apt-get', ['install', '-y', 'chromium']);
  if (!existsSync(chromiumPath)) fail(`apt-get installerade chromium men ${chromiumPath} finns inte.`);
}

ensureChromium();

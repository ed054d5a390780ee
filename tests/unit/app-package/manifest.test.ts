// The Teams app package: Teams refuses to install a package whose manifest breaks Microsoft's
// schema or whose icons have the wrong size, so check both here rather than at upload time.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { inflateSync } from 'node:zlib';
// Both are CommonJS modules whose module.exports is also their `default`: under NodeNext the
// default import is module.exports, so the class and the plugin are at `.default`.
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../../../scripts/playground.mjs';

const appPackageDir = join(repoRoot, 'appPackage');
const manifestTemplate = readFileSync(join(appPackageDir, 'manifest.json'), 'utf8');

/** What Teams Toolkit puts in for the `${{…}}` placeholders at provisioning. */
const testEnvironment: Record<string, string> = {
  TEAMS_APP_ID: '3f2b9c1d-8e4a-4b6f-9d0c-7a1e2f3b4c5d',
  BOT_ID: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  BOT_DOMAIN: 'backa-barnet-dev.azurewebsites.net',
  TAB_SSO_CLIENT_ID: '4c3b2a19-0f8e-4d7c-9b6a-5e4d3c2b1a09',
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function substitutePlaceholders(template: string, environment: Record<string, string>): string {
  return template.replace(/\$\{\{([A-Z0-9_]+)\}\}/g, (placeholder, name: string) => {
    const value = environment[name];
    if (value === undefined) throw new Error(`No test value for ${placeholder}`);
    return value;
  });
}

function loadSchema(manifestVersion: string): Json {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const schemaPath = join(
    packageDir,
    'build',
    'json-schemas',
    'teams',
    `v${manifestVersion}`,
    'MicrosoftTeams.schema.json',
  );
  // The published schemas contain the regex escape "\a", which JavaScript does not know;
  // @microsoft/app-manifest rewrites it the same way before validating.
  return JSON.parse(readFileSync(schemaPath, 'utf8').replace(/\\a/g, '\\x07')) as Json;
}

/** Validates like @microsoft/app-manifest does: draft-04, every error, uri/email/regex formats. */
function validateManifest(manifest: Json): string[] {
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) return ['not an object'];
  const ajv = new ajvDraft04.default({ allErrors: true, strictTypes: false });
  ajvFormats.default(ajv, ['uri', 'email', 'regex']);
  const validate = ajv.compile(loadSchema(String(manifest.manifestVersion)) as object);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map(
    (error: { instancePath: string; message?: string; params: unknown }) =>
      `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
  );
}

function readManifest(): { [key: string]: Json } {
  return JSON.parse(substitutePlaceholders(manifestTemplate, testEnvironment)) as { [key: string]: Json };
}

describe('appPackage/manifest.json', () => {
  test('is valid against the official Teams schema of its manifestVersion', () => {
    expect(validateManifest(readManifest())).toEqual([]);
  });

  test('uses only the placeholders that provisioning fills in', () => {
    const placeholders = new Set([...manifestTemplate.matchAll(/\$\{\{([A-Z0-9_]+)\}\}/g)].map((m) => m[1]));
    expect([...placeholders].sort()).toEqual(Object.keys(testEnvironment).sort());
  });

  test('offers the bot in personal chats, group chats and teams, in Swedish', () => {
    const manifest = readManifest();
    expect(manifest.bots).toMatchObject([
      {
        botId: testEnvironment.BOT_ID,
        scopes: expect.arrayContaining(['personal', 'team', 'groupChat']),
        commandLists: [{ commands: [{ title: 'hjälp' }] }],
      },
    ]);
    expect(manifest.name).toMatchObject({ short: 'Backa barnet' });
    expect(manifest.localizationInfo).toMatchObject({ defaultLanguageTag: 'sv-SE' });
  });

  test('declares the channel features a bot needs in private channels, at the root', () => {
    // Manifest 1.25+ with the team scope must declare it, and only at the root (inside the bot
    // object the validator refuses it); 'tier1' is the one value. Without it the app cannot be
    // added to a private channel, where the Individuellt barnteam's posts go.
    const manifest = readManifest();
    expect(manifest.supportsChannelFeatures).toBe('tier1');
    expect((manifest.bots as { [key: string]: Json }[])[0]).not.toHaveProperty('supportsChannelFeatures');
    expect(validateManifest({ ...manifest, supportsChannelFeatures: 'tier2' })).not.toEqual([]);
  });

  test("has one configurable channel tab whose config page and SSO resource are the bot's own server", () => {
    const manifest = readManifest();
    expect(manifest.configurableTabs).toEqual([
      {
        configurationUrl: 'https://backa-barnet-dev.azurewebsites.net/tab/config.html',
        canUpdateConfiguration: false,
        scopes: ['team'],
        context: ['channelTab'],
      },
    ]);
    // The resource must be api://<the tab page's host>/<client id>, as infra/config.ts derives
    // the token's accepted audience from PUBLIC_BASE_URL and TAB_SSO_CLIENT_ID.
    expect(manifest.webApplicationInfo).toEqual({
      id: testEnvironment.TAB_SSO_CLIENT_ID,
      resource: `api://backa-barnet-dev.azurewebsites.net/${testEnvironment.TAB_SSO_CLIENT_ID}`,
    });
    expect(manifest.validDomains).toContain('backa-barnet-dev.azurewebsites.net');
    // Teams allows one configurable tab per app.
    const second = { ...((manifest.configurableTabs as Json[])[0] as { [key: string]: Json }) };
    expect(validateManifest({ ...manifest, configurableTabs: [second, second] })).not.toEqual([]);
  });

  test('a manifest without bots[0].botId fails, naming the field', () => {
    const manifest = readManifest();
    const [bot] = manifest.bots as { [key: string]: Json }[];
    delete bot?.botId;

    const errors = validateManifest(manifest);

    expect(errors).toEqual([expect.stringMatching(/^\/bots\/0 must have required property 'botId'/)]);
  });

  test('a bot id that is not a GUID fails, naming the field', () => {
    const manifest = JSON.parse(
      substitutePlaceholders(manifestTemplate, { ...testEnvironment, BOT_ID: 'not-a-guid' }),
    );

    expect(validateManifest(manifest).join('\n')).toContain('/bots/0/botId must match pattern');
  });
});

interface DecodedPng {
  readonly width: number;
  readonly height: number;
  readonly colorType: number;
  /** RGBA, row by row; only for 8-bit RGBA images without row filters (what make-icons writes). */
  readonly rgba?: Buffer;
}

function decodePng(file: string): DecodedPng {
  const png = readFileSync(join(appPackageDir, file));
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const bitDepth = png.readUInt8(24);
  const colorType = png.readUInt8(25);
  if (bitDepth !== 8 || colorType !== 6) return { width, height, colorType };
  const idat: Buffer[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    if (png.toString('ascii', offset + 4, offset + 8) === 'IDAT')
      idat.push(png.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4 + 1;
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y += 1) {
    if (raw[y * stride] !== 0) return { width, height, colorType };
    rows.push(raw.subarray(y * stride + 1, (y + 1) * stride));
  }
  return { width, height, colorType, rgba: Buffer.concat(rows) };
}

describe('app icons', () => {
  test('color.png is 192x192', () => {
    expect(decodePng('color.png')).toMatchObject({ width: 192, height: 192 });
  });

  test('outline.png is 32x32, white on a transparent background', () => {
    const outline = decodePng('outline.png');
    expect(outline).toMatchObject({ width: 32, height: 32, colorType: 6 });
    if (outline.rgba === undefined)
      throw new Error('outline.png is not an unfiltered RGBA PNG (run scripts/make-icons.mjs)');

    const pixels = Array.from({ length: outline.rgba.length / 4 }, (_, i) =>
      outline.rgba?.subarray(i * 4, i * 4 + 4),
    );
    const visible = pixels.filter((pixel) => (pixel?.[3] ?? 0) > 0);
    expect(visible.every((pixel) => pixel?.[0] === 255 && pixel?.[1] === 255 && pixel?.[2] === 255)).toBe(
      true,
    );
    expect(visible.length).toBeGreaterThan(0);
    expect(pixels.some((pixel) => pixel?.[3] === 0)).toBe(true);
  });
});

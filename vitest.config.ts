import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Tests run in Stockholm time so that a date bug that only shows outside UTC is caught here.
    env: { TZ: 'Europe/Stockholm' },
    include: ['tests/**/*.test.ts'],
    // nock 15 needs Promise.withResolvers, which Node 20 lacks; every rendered card is also
    // compared with the template engine's full expansion.
    setupFiles: ['tests/support/node20-polyfills.ts', 'tests/setup-card-shapes.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});

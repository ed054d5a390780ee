/**
 * The channel tab's pages (`/tab/…`), the Vite build of tab/ in dist/tab, served by the bot's own
 * server so that there is no second server to run. The pages hold no data (the plan comes from
 * the API with a token), so they may be cached briefly; the Content-Security-Policy lets only
 * Teams frame them and lets them talk only to this server.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type Router } from 'express';

/** The hosts Teams (web, desktop, mobile) frames tabs from, per Microsoft's tab requirements. */
export const teamsFrameAncestors = [
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.teams.microsoft.us',
  'https://*.cloud.microsoft',
  'https://*.office.com',
  'https://*.microsoft365.com',
] as const;

/** dist/tab, whether this module runs from the sources (tsx) or from the build (dist/web). */
export function findTabBuildDir(moduleDir: string = import.meta.dirname): string {
  const built = resolve(moduleDir, '..', 'tab');
  return existsSync(join(built, 'index.html')) && moduleDir.endsWith(join('dist', 'web'))
    ? built
    : resolve(moduleDir, '..', 'dist', 'tab');
}

export function createTabSite(options: { readonly buildDir: string; readonly local: boolean }): Router {
  const router = express.Router();
  const frameAncestors = options.local ? "'self'" : teamsFrameAncestors.join(' ');
  const policy = [
    "default-src 'self'",
    "script-src 'self'",
    // Fluent UI (Griffel) inserts its styles at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
  router.use((_request, response, next) => {
    response.set({
      'Content-Security-Policy': policy,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    next();
  });
  router.use(
    express.static(options.buildDir, {
      index: 'index.html',
      fallthrough: true,
      setHeaders: (response, path) => {
        // Hashed assets never change; the pages must be fetched again after a deployment.
        response.set(
          'Cache-Control',
          path.includes(`${join('assets', '')}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    }),
  );
  router.use((_request, response) => {
    response
      .status(404)
      .type('text/plain; charset=utf-8')
      .send(
        existsSync(join(options.buildDir, 'index.html'))
          ? 'Sidan finns inte.'
          : 'Kanalfliken är inte byggd. Kör npm run build.',
      );
  });
  return router;
}

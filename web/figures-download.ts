/**
 * `GET /api/statistik/csv?t=…`: the term's follow-up figures as a CSV file, for the link on the
 * process team's `statistik` card (web/figures-download-token.ts says why a link and what the
 * token holds). The requester is found again in the directory by the token's pseudonym, and
 * their role is checked again and audited as for the card: someone taken off the process team
 * since the card was shown gets nothing. Answers are `no-store` and plain Swedish text when
 * refused.
 */
import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import { figuresCsvFileName, renderFiguresCsv } from '../flows/follow-up-figures/figures-csv.js';
import {
  type ComputeTermFigures,
  figuresAuditActions,
  readTermFigures,
} from '../flows/follow-up-figures/read-term-figures.js';
import type { UserId } from '../flows/kernel/case.js';
import type { FlowDependencies } from '../flows/kernel/case-effects.js';
import type { Logger } from '../infra/logger.js';
import { type FiguresTokenKeys, verifyFiguresToken } from './figures-download-token.js';

export const figuresDownloadMessages = {
  invalidLink: 'Länken är ogiltig. Skriv statistik till Backa barnet i Teams för en ny länk.',
  expiredLink:
    'Länken gällde i tio minuter och har gått ut. Skriv statistik till Backa barnet i Teams för en ny länk.',
  noRole: 'Statistiken är bara för processteamet.',
  failed: 'Filen kunde inte skapas just nu. Försök igen om en stund.',
} as const;

export const figuresCsvPath = '/csv';

/** The download's address for a token: the only thing in it is the token. */
export function toFiguresCsvUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/api/statistik${figuresCsvPath}?t=${encodeURIComponent(token)}`;
}

const ZQuery = z.object({
  t: z
    .string()
    .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
    .max(2000),
});

export function createFiguresDownload(options: {
  readonly flow: FlowDependencies;
  readonly keys: FiguresTokenKeys;
  readonly computeTermFigures: ComputeTermFigures;
  readonly logger: Logger;
}): Router {
  const { flow, keys, logger } = options;
  const router = express.Router();
  router.use((_request, response, next) => {
    response.set({
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    });
    next();
  });
  const refuse = (response: Response, status: number, text: string) =>
    response.status(status).type('text/plain; charset=utf-8').send(text);

  router.get(figuresCsvPath, async (request, response) => {
    const query = ZQuery.safeParse(request.query);
    if (!query.success) return refuse(response, 400, figuresDownloadMessages.invalidLink);
    const check = await verifyFiguresToken(keys, query.data.t, flow.clock.now());
    if (!check.ok) {
      logger.warn({ route: 'statistik-csv', refusal: check.refusal }, 'Statistiklänken nekades');
      return refuse(
        response,
        401,
        check.refusal === 'utgangen'
          ? figuresDownloadMessages.expiredLink
          : figuresDownloadMessages.invalidLink,
      );
    }
    // Everyone in Teams, not only the process team: a member taken off it is refused and audited.
    const contact = flow.directory.contacts.find(
      (candidate) => keys.pseudonymOf(candidate.aadObjectId) === check.pseudonym,
    );
    if (contact === undefined) {
      logger.warn({ route: 'statistik-csv', refusal: 'okandAnvandare' }, 'Statistiklänken nekades');
      return refuse(response, 403, figuresDownloadMessages.noRole);
    }
    try {
      const read = await readTermFigures(
        flow,
        { actorId: contact.aadObjectId as UserId, term: check.term, action: figuresAuditActions.csv },
        options.computeTermFigures,
      );
      logger.info(
        { route: 'statistik-csv', term: `${check.term.season}-${check.term.year}`, outcome: read.outcome },
        'Statistik som CSV',
      );
      if (read.outcome === 'refused') return refuse(response, 403, figuresDownloadMessages.noRole);
      return response
        .status(200)
        .type('text/csv; charset=utf-8')
        .set('Content-Disposition', `attachment; filename="${figuresCsvFileName(read.figures)}"`)
        .send(Buffer.from(renderFiguresCsv(read.figures), 'utf8'));
    } catch (error) {
      logger.error({ route: 'statistik-csv', err: error }, 'Statistiken som CSV kunde inte skapas');
      return refuse(response, 500, figuresDownloadMessages.failed);
    }
  });
  return router;
}
